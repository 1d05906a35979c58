"""The import-linter contract that layers the core names every package and module of the core, so nothing new
escapes it (a module left out of a layers contract may import anything)."""

import tomllib

from tests.paths import ROOT

CORE = ROOT / "playground" / "core"


def core_contract() -> dict:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["type"] == "layers" and c["containers"] == ["playground.core"])


def test_every_core_package_and_module_has_a_layer():
    layered = {name.strip() for layer in core_contract()["layers"] for name in layer.split("|")}
    present = {p.name for p in CORE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    present |= {p.stem for p in CORE.glob("*.py") if p.stem != "__init__"}
    assert present - layered == set(), "add these to the core's layers contract in pyproject.toml"
    assert layered - present == set(), "the core's layers contract names modules that do not exist"
