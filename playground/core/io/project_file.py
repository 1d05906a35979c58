"""The versioned JSON project file.

Reading goes: bytes → JSON → version check (and migration of older versions) → pydantic schema →
layer registry. Each step that fails raises :class:`ProjectFileError` with one sentence that names the
file and the offending field, never a traceback. Every step is bounded (file size, numbers, nesting, node
and edge counts: see :mod:`.json_text` and :data:`MAX_NODES`), and linear in the size of the file.
Writing is atomic (:mod:`.atomic`): a temporary file in the same folder replaces the old one only once it is
complete.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..config import DatasetConfig, TrainingConfig
from ..data.registry import DatasetError, check_dataset_config
from ..errors import PlaygroundError
from ..graph.errors import GraphError
from ..graph.model import Graph
from ..project import Project
from .atomic import atomic_write, remove_stale_temps
from .json_text import MAX_TEXT_CHARS, JsonLimitError, dumps_json, read_json

SCHEMA_VERSION = 1
# Far above any network a person draws (the largest example has under 100 layers), low enough that a
# hostile file cannot make loading or validation take long.
MAX_NODES = 50_000
MAX_EDGES = 200_000
# Where a node may sit on the canvas (scene units); beyond this the view cannot draw it.
MAX_COORDINATE = 1e7

# Upgrades from an older schema version to the next one: MIGRATIONS[n] turns version n into n + 1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class ProjectFileError(PlaygroundError, ValueError):
    """A project file that cannot be opened; the message says why and where."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _on_canvas(x: float) -> float:
    if not math.isfinite(x) or abs(x) > MAX_COORDINATE:
        raise ValueError(f"a position must be a finite number between -{MAX_COORDINATE:g} and {MAX_COORDINATE:g}")
    return x


Coordinate = Annotated[float, AfterValidator(_on_canvas)]


class NodeModel(_Model):
    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    type: str = Field(max_length=200)
    params: dict[str, Any] = Field(default_factory=dict)
    position: tuple[Coordinate, Coordinate] = (0.0, 0.0)
    group: str | None = Field(None, min_length=1, max_length=200)  # layers moved as one (e.g. a Transformer block)


class EdgeModel(_Model):
    source: str
    target: str
    port: int = Field(0, ge=0)


class GraphModel(_Model):
    nodes: list[NodeModel] = Field(default_factory=list)
    edges: list[EdgeModel] = Field(default_factory=list)


def _check_counts(data: dict[str, Any], source: str) -> None:
    """Refuse a graph larger than the limits before pydantic or the graph model spend time on it."""
    graph = data.get("graph")
    if not isinstance(graph, dict):
        return
    for key, limit in (("nodes", MAX_NODES), ("edges", MAX_EDGES)):
        items = graph.get(key)
        if isinstance(items, list) and len(items) > limit:
            raise ProjectFileError(
                f"{source}: graph → {key}: {len(items):,} {key}, more than the limit of {limit:,} "
                f"(MAX_{key.upper()}); no network drawn by hand comes near it."
            )


class ProjectModel(_Model):
    schema_version: int
    name: str = "Untitled"
    description: str = ""
    graph: GraphModel = Field(default_factory=GraphModel)
    dataset: DatasetConfig = Field(default_factory=DatasetConfig)
    training: TrainingConfig = Field(default_factory=TrainingConfig)
    layout: dict[str, Any] = Field(default_factory=dict)


def _where(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """A readable path to a field, naming nodes by their name: graph → node 'conv1' → params."""
    parts: list[str] = []
    cursor: Any = data
    for i, key in enumerate(loc):
        if isinstance(key, int) and i > 0 and loc[i - 1] == "nodes":
            try:
                name = cursor[key].get("name")
            except (IndexError, AttributeError, TypeError):
                name = None
            parts[-1] = f"node '{name}'" if name else f"nodes[{key}]"
        elif isinstance(key, int) and i > 0 and loc[i - 1] == "edges":
            parts[-1] = f"edges[{key}]"
        else:
            parts.append(str(key))
        try:
            cursor = cursor[key]
        except (KeyError, IndexError, TypeError):
            cursor = None
    return " → ".join(parts)


def _validation_message(err: ValidationError, data: dict[str, Any]) -> str:
    first = err.errors()[0]
    where = _where(tuple(first["loc"]), data) or "the file"
    msg = first["msg"]
    if first["type"] == "extra_forbidden":
        msg = "is not a known field"
    elif first["type"] == "missing":
        msg = "is missing"
    more = (
        f" (and {len(err.errors()) - 1} more problem{'s' if len(err.errors()) > 2 else ''})"
        if len(err.errors()) > 1
        else ""
    )
    return f"{where}: {msg}{more}"


def parse_project(text: str, source: str = "project") -> Project:
    try:
        data = read_json(text, source)
    except json.JSONDecodeError as err:
        raise ProjectFileError(
            f"{source} is not valid JSON: line {err.lineno}, column {err.colno}: {err.msg}."
        ) from None
    except JsonLimitError as err:
        raise ProjectFileError(f"{source}: {err}.") from None
    return project_from_data(data, source)


def project_from_data(data: Any, source: str = "project") -> Project:
    """Build a project from parsed JSON (``read_json``'s bounds already checked)."""
    if not isinstance(data, dict):
        raise ProjectFileError(
            f"{source} is not a Playground project: it holds a JSON {type(data).__name__}, not an object."
        )
    version = data.get("schema_version")
    if version is None:
        raise ProjectFileError(f"{source} is not a Playground project: it has no schema_version.")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectFileError(f"{source}: schema_version must be a whole number ≥ 1, not {version!r}.")
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            f"{source} was saved by a newer version of Playground (file format {version}; "
            f"this version reads up to {SCHEMA_VERSION}). Update Playground to open it."
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version = data["schema_version"] = version + 1
    _check_counts(data, source)
    try:
        model = ProjectModel.model_validate(data)
    except ValidationError as err:
        raise ProjectFileError(f"{source}: {_validation_message(err, data)}") from None
    try:
        check_dataset_config(model.dataset.name, model.dataset.params)
    except DatasetError as err:
        raise ProjectFileError(f"{source}: dataset: {err}") from None
    graph = Graph()
    with graph.building():
        ids = {n.id for n in model.graph.nodes}
        try:
            for node in model.graph.nodes:
                graph.add_node(node.type, node.name, node.params, node.position, node_id=node.id, group=node.group)
        except GraphError as err:
            raise ProjectFileError(f"{source}: graph → {err}") from None
        for i, edge in enumerate(model.graph.edges):
            for end in ("source", "target"):
                if getattr(edge, end) not in ids:
                    raise ProjectFileError(
                        f"{source}: graph → edges[{i}] → {end}: there is no node with id '{getattr(edge, end)}'."
                    )
            target = graph.node(edge.target)
            if edge.port >= max(1, len(target.spec.inputs)):
                raise ProjectFileError(
                    f"{source}: graph → edges[{i}] → port: {target.label()} has no input port {edge.port}."
                )
            graph.connect(edge.source, edge.target, edge.port, strict=False)
    return Project(graph, model.dataset, model.training, model.name, model.description, model.layout)


def load_project(path: str | Path) -> Project:
    path = Path(path)
    remove_stale_temps(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_TEXT_CHARS + 1)
    except FileNotFoundError:
        raise ProjectFileError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise ProjectFileError(f"{path} is a folder, not a project file.") from None
    except OSError as err:
        raise ProjectFileError(f"{path}: cannot be read ({err.strerror}).") from None
    if len(raw) > MAX_TEXT_CHARS:
        raise ProjectFileError(
            f"{path.name} is larger than {MAX_TEXT_CHARS // 2**20} MB: too large to be a Playground project."
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectFileError(f"{path.name} is not a text file: it cannot be a Playground project.") from None
    project = parse_project(text, path.name)
    project.path = path
    return project


def project_to_dict(project: Project) -> dict[str, Any]:
    graph = project.graph
    return {
        "schema_version": SCHEMA_VERSION,
        "name": project.name,
        "description": project.description,
        "graph": {
            "nodes": [
                {
                    "id": n.id,
                    "name": n.name,
                    "type": n.type,
                    "params": n.spec.stored_params(n.params),
                    "position": [round(n.position[0], 2), round(n.position[1], 2)],
                    **({"group": n.group} if n.group is not None else {}),
                }
                for n in graph.nodes
            ],
            "edges": [{"source": e.source, "target": e.target, "port": e.port} for e in graph.edges],
        },
        "dataset": _dataset_to_dict(project.dataset),
        "training": project.training.model_dump(mode="json"),
        "layout": project.layout,
    }


def _dataset_to_dict(dataset: DatasetConfig) -> dict[str, Any]:
    """The dataset settings; augmentation only when some is on, and only the changes that are on."""
    out = dataset.model_dump(mode="json", exclude={"augmentation"})
    if dataset.augmentation.active:
        out["augmentation"] = dataset.augmentation.model_dump(mode="json", exclude_defaults=True)
    return out


def dumps_project(project: Project) -> str:
    return dumps_json(project_to_dict(project)) + "\n"


def save_project(project: Project, path: str | Path) -> None:
    atomic_write(Path(path), dumps_project(project))
