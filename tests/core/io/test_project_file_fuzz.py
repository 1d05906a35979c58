"""Generated project files, hostile and broken: each one ends in one ProjectFileError or in a project whose
problems validation lists (and which saves and reads back the same) — never another exception, never slow.

Seeded (``derandomize``), so a failure is the same on every machine; the counts add up to well over a
thousand cases.
"""

from __future__ import annotations

import copy
import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.io.project_file import ProjectFileError, dumps_project, parse_project
from playground.core.shapes import infer
from tests.paths import EXAMPLES

SEEDS = {path.name: path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.json"))}
SMALL = [name for name in SEEDS if len(SEEDS[name]) < 12_000]
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SECONDS_PER_CASE = 2.0


def outcome(text: str) -> str:
    """Load ``text``; a project must validate, save and read back. Returns which way the case ended."""
    start = time.process_time()
    try:
        project = parse_project(text, "fuzz.json")
    except ProjectFileError as err:
        assert str(err).startswith("fuzz.json"), str(err)
        assert "\n" not in str(err).strip() and len(str(err)) < 2000
        result = "refused"
    else:
        report = infer(project.graph)
        assert all(p.message for p in report.problems)
        saved = dumps_project(project)
        again = parse_project(saved, "fuzz.json")
        assert dumps_project(again) == saved
        result = "problems" if report.problems else "valid"
    elapsed = time.process_time() - start
    assert elapsed < SECONDS_PER_CASE, f"took {elapsed:.2f} s"
    return result


# ----------------------------------------------------------------------------- byte-level damage
@settings(FUZZ, max_examples=300)
@given(name=st.sampled_from(SMALL), data=st.data())
def test_truncated_and_flipped_bytes(name, data):
    raw = bytearray(SEEDS[name].encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 6), label="edits")):
        kind = data.draw(st.sampled_from(["truncate", "flip", "delete", "insert", "duplicate"]))
        at = data.draw(st.integers(0, max(0, len(raw) - 1)))
        if kind == "truncate":
            del raw[at:]
        elif kind == "flip" and raw:
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
        elif kind == "delete":
            del raw[at : at + data.draw(st.integers(1, 40))]
        elif kind == "insert":
            raw[at:at] = data.draw(st.sampled_from([b"{", b"[", b'"', b",", b"-", b"1e999", b"NaN", b"\\ud800"]))
        else:
            raw[at:at] = raw[at : at + data.draw(st.integers(1, 200))]
    text = raw.decode("utf-8", "replace")
    outcome(text)


# ----------------------------------------------------------------------------- structural damage
NUMBERS = st.one_of(
    st.integers(-(10**600), 10**600),
    st.sampled_from([0, -1, 2**31, 2**63, 10**30, -(10**9), 1e300, -1e300, 1e-320, 3.5e38]),
    st.floats(allow_nan=False, allow_infinity=False),
)
SCALARS = st.one_of(
    NUMBERS, st.booleans(), st.none(), st.text(max_size=20), st.sampled_from(["\ud800", "x\udfff", "", "Conv2d"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def paths_of(value, prefix=()):
    """Every path into ``value`` (dict keys and list indexes)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from paths_of(item, (*prefix, i))


def edit(data, path, action, value):
    if not path:
        return value if action == "replace" else data
    cursor = data
    for key in path[:-1]:
        cursor = cursor[key]
    last = path[-1]
    if action == "delete":
        del cursor[last]
    elif action == "replace":
        cursor[last] = value
    elif action == "unknown" and isinstance(cursor[last], dict):
        cursor[last]["surprise_field"] = value
    elif action == "duplicate" and isinstance(cursor, list):
        cursor.insert(last, copy.deepcopy(cursor[last]))
    return data


def deep(levels, leaf=0):
    value = leaf
    for i in range(levels):
        value = [value] if i % 2 else {"k": value}
    return value


@settings(FUZZ, max_examples=400)
@given(name=st.sampled_from(SMALL), data=st.data())
def test_fields_swapped_removed_duplicated(name, data):
    base = json.loads(SEEDS[name])
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        paths = list(paths_of(base))
        path = data.draw(st.sampled_from(paths), label="path")
        action = data.draw(st.sampled_from(["replace", "replace", "delete", "unknown", "duplicate"]))
        value = data.draw(st.one_of(VALUES, st.integers(1, 900).map(deep)), label="value")
        base = edit(base, path, action, value)
    outcome(json.dumps(base, ensure_ascii=False))


# ----------------------------------------------------------------------------- graphs wired at random
@settings(FUZZ, max_examples=250)
@given(data=st.data())
def test_random_wiring_cycles_dangling_duplicate_ids(data):
    base = json.loads(SEEDS["mini_resnet.json"])
    nodes = base["graph"]["nodes"]
    ids = [n["id"] for n in nodes] + ["ghost"]
    edges = data.draw(
        st.lists(
            st.fixed_dictionaries(
                {"source": st.sampled_from(ids), "target": st.sampled_from(ids), "port": st.integers(-1, 3)}
            ),
            max_size=40,
        ),
        label="edges",
    )
    if data.draw(st.booleans(), label="keep the real edges"):
        edges = base["graph"]["edges"] + edges
    base["graph"]["edges"] = edges
    if data.draw(st.booleans(), label="duplicate id"):
        nodes[-1]["id"] = nodes[0]["id"]
    if data.draw(st.booleans(), label="duplicate name"):
        nodes[-1]["name"] = nodes[0]["name"]
    outcome(json.dumps(base))


# ----------------------------------------------------------------------------- the file's envelope
@settings(FUZZ, max_examples=150)
@given(
    version=st.one_of(st.integers(-3, 10**40), st.sampled_from(["1", 1.0, None, True, [1]])),
    extra=st.dictionaries(st.sampled_from(["future", "schema", "graph2", "name"]), VALUES, max_size=2),
    wrapper=st.sampled_from(["object", "list", "string", "number", "empty"]),
)
def test_versions_and_envelopes(version, extra, wrapper):
    base = json.loads(SEEDS["xor.json"])
    base["schema_version"] = version
    base.update(extra)
    text = {
        "object": json.dumps(base),
        "list": json.dumps([base]),
        "string": json.dumps("project"),
        "number": "1" * 5000,
        "empty": "",
    }[wrapper]
    outcome(text)
