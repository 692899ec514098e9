"""Reading and writing ``.bwplan`` files (JSON, UTF-8, ``"format": "branchwise-plan"``).

Files come from other people, so loading checks the size before reading, the
JSON syntax, the format tag and version, the node count and the type of every
field, and names the node id and field path of whatever is wrong. Semantic
checks (probability sums, cycles, expressions) live in :mod:`planning.model.validate`.

Writing is deterministic (same plan -> same text) so plans diff well in git:
two-space indent, each variable, track and node on one line, fields in a fixed
order, fields at their default left out, unknown fields kept and written back
sorted. Saves are atomic and keep the previous file as ``path~``.
"""
from __future__ import annotations

import contextlib
import gc
import itertools
import json
from json.encoder import c_make_encoder, encode_basestring
import math
import os
from collections.abc import Callable
from typing import Any

from planning.model.errors import PlanError, PlanFileError
from planning.files.atomic_write import write_atomically
from planning.files.plan_fields import (
    _criteria_list, _describe, _node_from_dict, _out, _out_weight, _text, _tracks,
    _variables, _weight, _weight_range,
)
from planning.model.plan import EXPECTED, TERMINAL, Node, Plan, Response, Variable

FORMAT = "branchwise-plan"
FRAGMENT_FORMAT = "branchwise-fragment"
CURRENT_VERSION = 1
#: Sized so that any plan of :data:`MAX_NODES` nodes opens again once saved (about
#: 150 bytes a node as generated, more with notes and responses); a save over it is
#: refused rather than written as a file Branchwise would not open.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_NODES = 2_000_000

#: Upgrades of older files: ``MIGRATIONS[n]`` turns a version-n dict into version n+1.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}

PLAN_KEYS = ("format", "version", "title", "description", "objective", "value_unit",
             "rule", "criteria", "weight", "weight_range", "variables", "tracks", "nodes")
NODE_KEYS = ("id", "kind", "label", "notes", "children", "payoff", "probability",
             "probability_range", "payoff_range", "payoff2", "payoff2_range", "path",
             "signposts", "warning_days", "responses", "committed", "variables")
CRITERION_KEYS = ("name", "sense", "unit")
RESPONSE_KEYS = ("id", "title", "owner", "trigger", "readiness", "lead_time_days", "cost",
                 "effect", "notes")
VARIABLE_KEYS = ("name", "value", "range", "description")
TRACK_KEYS = ("id", "title", "root")


def _size(count: int) -> str:
    """A byte count for messages: '1,001 bytes' or '500 MB' (MB = 2**20 bytes)."""
    return f"{count:,} bytes" if count < 2**20 else f"{count / 2**20:,.0f} MB"


def _nodes_from_list(raw_nodes: Any, field: str = "nodes") -> dict[str, Node]:
    if type(raw_nodes) is not list:
        raise PlanError(None, field, f"must be a list, got {_describe(raw_nodes)}")
    if len(raw_nodes) > MAX_NODES:
        raise PlanFileError(f"the plan has {len(raw_nodes):,} nodes; "
                            f"this build reads at most {MAX_NODES:,}")
    nodes: dict[str, Node] = {}
    for index, raw in enumerate(raw_nodes):
        node = _node_from_dict(raw, index)
        if node.id in nodes:
            first = next(i for i, other in enumerate(raw_nodes) if other.get("id") == node.id)
            raise PlanError(node.id, "id", f"duplicate id (also at {field}[{first}])")
        nodes[node.id] = node
    return nodes


# -- header: format tag, version, migrations --------------------------------------------

def _check_header(data: dict, expected_format: str, source: str, required: bool) -> dict:
    """Check the format tag and version; migrate older versions. Returns the (new) dict."""
    if "format" in data or required:
        tag = data.get("format")
        if tag is None:
            raise PlanFileError(f'{source}: not a Branchwise file (no "format": "{expected_format}")')
        if tag != expected_format:
            hint = ""
            if tag == FRAGMENT_FORMAT:
                hint = " (a copied fragment, not a whole plan)"
            elif tag == FORMAT:
                hint = " (a whole plan, not a fragment)"
            raise PlanFileError(f"{source}: not a Branchwise {expected_format.split('-')[1]}: "
                                f"format is {_describe(tag)}{hint}, expected '{expected_format}'")
    if "version" not in data:
        if required:
            raise PlanFileError(f'{source}: "version" is missing')
        return data
    version = data["version"]
    if type(version) is not int:
        raise PlanFileError(f"{source}: version must be a whole number, got {_describe(version)}")
    if version > CURRENT_VERSION:
        raise PlanFileError(f"{source}: written by a newer Branchwise (version {version}); "
                            f"this build reads up to version {CURRENT_VERSION}")
    while version < CURRENT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise PlanFileError(f"{source}: version {version} cannot be read "
                                f"(no migration from version {version} to {version + 1})")
        data = step(dict(data))
        version += 1
        data["version"] = version
    return data


# -- dict <-> Plan -----------------------------------------------------------------------

def plan_from_dict(data: dict, *, source: str = "<dict>") -> Plan:
    """Build a :class:`Plan` from parsed JSON, checking every field's type.

    Parameters
    ----------
    data : dict
        The file's top-level object. ``format`` and ``version`` are checked when
        present (older versions are migrated through :data:`MIGRATIONS`).
    source : str
        Name used in file-level messages.

    Returns
    -------
    Plan
        Absent fields take their defaults; unknown fields go to ``extra``.

    Raises
    ------
    PlanError
        A field has the wrong type (names node id and field path).
    PlanFileError
        Wrong format tag, newer version, too many nodes.
    """
    if type(data) is not dict:
        raise PlanFileError(f"{source}: the top level must be a JSON object, got {_describe(data)}")
    data = _check_header(data, FORMAT, source, required=False)
    plan = Plan()
    for key, value in data.items():
        if key in ("format", "version"):
            continue
        if key in ("title", "description", "objective", "value_unit", "rule"):
            setattr(plan, key, _text(value, None, key))
        elif key == "criteria":
            plan.criteria = _criteria_list(value, None, key)
        elif key == "weight":
            plan.weight = _weight(value, None, key)
        elif key == "weight_range":
            plan.weight_range = _weight_range(value, None, key)
        elif key == "variables":
            plan.variables = _variables(value, None, "variables")
        elif key == "tracks":
            plan.tracks = _tracks(value, None, "tracks")
        elif key == "nodes":
            try:
                plan.nodes = _nodes_from_list(value)
            except PlanFileError as exc:
                raise PlanFileError(f"{source}: {exc}") from None
        else:
            plan.extra[key] = value
    return plan


def _out_range(pair) -> list:
    return [_out(pair[0]), _out(pair[1])]


def _with_extra(result: dict, extra: dict, known: tuple) -> dict:
    for key in sorted(extra):
        if key not in known:
            result[key] = extra[key]
    return result


def _variable_to_dict(variable: Variable) -> dict:
    result = {"name": variable.name, "value": _out(variable.value)}
    if variable.range is not None:
        result["range"] = _out_range(variable.range)
    if variable.description:
        result["description"] = variable.description
    return _with_extra(result, variable.extra, VARIABLE_KEYS) if variable.extra else result


def _response_to_dict(response: Response) -> dict:
    result = {"id": response.id, "title": response.title}
    if response.owner:
        result["owner"] = response.owner
    if response.trigger:
        result["trigger"] = response.trigger
    result["readiness"] = response.readiness
    if response.lead_time_days is not None:
        result["lead_time_days"] = _out(response.lead_time_days)
    if response.cost != 0:
        result["cost"] = _out(response.cost)
    if response.effect != 0:
        result["effect"] = _out(response.effect)
    if response.notes:
        result["notes"] = response.notes
    return _with_extra(result, response.extra, RESPONSE_KEYS) if response.extra else result


def node_to_dict(node: Node) -> dict:
    """One node as written in the file (fixed key order, defaults left out)."""
    result: dict = {"id": node.id, "kind": node.kind}
    structural = node.kind != TERMINAL
    if node.label or structural:
        result["label"] = node.label
    if node.notes:
        result["notes"] = node.notes
    if node.children or structural:
        result["children"] = list(node.children)
    if node.payoff != 0:
        result["payoff"] = _out(node.payoff)
    if node.probability is not None:
        result["probability"] = _out(node.probability)
    if node.probability_range is not None:
        result["probability_range"] = _out_range(node.probability_range)
    if node.payoff_range is not None:
        result["payoff_range"] = _out_range(node.payoff_range)
    if node.payoff2 != 0:
        result["payoff2"] = _out(node.payoff2)
    if node.payoff2_range is not None:
        result["payoff2_range"] = _out_range(node.payoff2_range)
    if node.path is not None:
        result["path"] = node.path
    if node.signposts:
        result["signposts"] = list(node.signposts)
    if node.warning_days is not None:
        result["warning_days"] = _out(node.warning_days)
    if node.responses:
        result["responses"] = [_response_to_dict(r) for r in node.responses]
    if node.committed is not None:
        result["committed"] = node.committed
    if node.variables:
        result["variables"] = [_variable_to_dict(v) for v in node.variables]
    return _with_extra(result, node.extra, NODE_KEYS) if node.extra else result


class _NodeRows:
    """The nodes of a plan, made into dicts one at a time as the text is written.

    :func:`dumps_plan` puts this where :func:`plan_to_dict` has the list of node
    dicts: a million of them at once would add ~400 MB to the peak of a save.
    """

    __slots__ = ("nodes",)

    def __init__(self, nodes):
        self.nodes = nodes


def plan_to_dict(plan: Plan, lazy_nodes: _NodeRows | None = None) -> dict:
    """The plan as the JSON object written to a file (fixed key order).

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    dict
        ``format``, ``version``, settings, ``variables``, ``tracks``, ``nodes``,
        then unknown top-level fields sorted by name.
    """
    result = {
        "format": FORMAT,
        "version": CURRENT_VERSION,
        "title": plan.title,
        "description": plan.description,
        "objective": plan.objective,
        "value_unit": plan.value_unit,
    }
    # The rule and criteria fields are written only when set, so a plan
    # without them keeps its bytes.
    if plan.rule != EXPECTED:
        result["rule"] = plan.rule
    if plan.criteria:
        result["criteria"] = [_with_extra({"name": c.name, "sense": c.sense, "unit": c.unit},
                                          c.extra, CRITERION_KEYS) for c in plan.criteria]
    if plan.weight != 1:
        result["weight"] = _out_weight(plan.weight)
    if plan.weight_range is not None:
        result["weight_range"] = [_out_weight(plan.weight_range[0]), _out_weight(plan.weight_range[1])]
    result |= {
        "variables": [_variable_to_dict(v) for v in plan.variables],
        "tracks": [_with_extra({"id": t.id, "title": t.title, "root": t.root}, t.extra, TRACK_KEYS)
                   for t in plan.tracks],
        "nodes": [node_to_dict(n) for n in plan.nodes.values()] if lazy_nodes is None else lazy_nodes,
    }
    return _with_extra(result, plan.extra, PLAN_KEYS)


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building many small objects.

    Loading allocates millions of containers and none of them are garbage; the
    collector's repeated full passes over them would more than double the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- text <-> Plan -----------------------------------------------------------------------

_ITEM_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
_ROW_LISTS = ("criteria", "variables", "tracks", "nodes")
_INLINE = ("weight_range",)


def _row_encoder() -> Callable[[Any], str]:
    """``_ITEM_ENCODER.encode`` for many rows: one C encoder made once, not once per row.

    ``JSONEncoder.encode`` builds a new C encoder for every call, a third of
    the time of writing a node. Use a fresh one per document: a failed encode
    leaves its circular-reference markers behind.
    """
    if c_make_encoder is None:  # a Python without the C accelerator
        return _ITEM_ENCODER.encode
    encoder = c_make_encoder({}, _ITEM_ENCODER.default, encode_basestring, None,
                             _ITEM_ENCODER.key_separator, _ITEM_ENCODER.item_separator,
                             False, False, False)
    return lambda row: "".join(encoder(row, 0))


def _format_document(data: dict) -> str:
    """Two-space indented JSON with each variable, track and node on its own line.

    The text is joined once from its pieces (rows and separators): a large plan's
    text is not copied again on its way out.
    """
    pieces: list[str] = []
    encode = _row_encoder()
    for key, value in data.items():
        pieces.append(",\n  " if pieces else "{\n  ")
        pieces.append(json.dumps(key, ensure_ascii=False) + ": ")
        rows = None
        if type(value) is _NodeRows:
            if value.nodes:
                rows = map(encode, map(node_to_dict, value.nodes))
            else:
                value = []
        elif key in _ROW_LISTS and type(value) is list and value:
            rows = map(encode, value)
        if rows is not None:
            pieces.append("[\n    ")
            pieces.append(next(rows))
            pieces.extend(itertools.chain.from_iterable(zip(itertools.repeat(",\n    "), rows)))
            pieces.append("\n  ]")
        elif key in _INLINE:
            pieces.append(_ITEM_ENCODER.encode(value))
        else:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=2)
            pieces.append(text.replace("\n", "\n  "))
    pieces.append("\n}\n")
    return "".join(pieces)


def dumps_plan(plan: Plan) -> str:
    """The plan as ``.bwplan`` text: deterministic, two-space indent, trailing newline.

    Raises
    ------
    PlanFileError
        The plan holds something JSON cannot represent (NaN, infinity, a set...).
    """
    try:
        with gc_paused():
            return _format_document(plan_to_dict(plan, _NodeRows(plan.nodes.values())))
    except (ValueError, TypeError, RecursionError) as exc:
        place = ""
        for node in plan.nodes.values():  # name the node that holds the bad value
            try:
                _ITEM_ENCODER.encode(node_to_dict(node))
            except (ValueError, TypeError, RecursionError):
                place = f"node {node.id}: "
                break
        raise PlanFileError(f"the plan cannot be saved: {place}{exc}") from exc


def _object_without_duplicates(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))
        owner = result.get("id", result.get("name"))
        where = f" in the object with id {_describe(owner)}" if isinstance(owner, str) else ""
        raise ValueError(f"duplicate key {_describe(key)}{where}")
    return result


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed (numbers must be finite)")


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"number {text[:40]} is too large")
    return number


def _parse_json(text: str | bytes, source: str) -> Any:
    """Parse JSON text with limits, turning every failure into a PlanFileError."""
    if len(text) > MAX_FILE_BYTES:
        raise PlanFileError(f"{source}: {_size(len(text))} is over the "
                            f"{_size(MAX_FILE_BYTES)} limit for plan files")
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PlanFileError(f"{source}: not UTF-8 text (byte 0x{text[exc.start]:02x} "
                                f"at offset {exc.start})") from None
    elif text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise PlanFileError(f"{source}: the file is empty")
    try:
        return json.loads(text, object_pairs_hook=_object_without_duplicates,
                          parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        # A string left open can only end at the end of the text (strict JSON
        # has no raw newlines in strings), so that is a truncation too.
        truncated = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        hint = " (the file ends too early: truncated?)" if truncated else ""
        raise PlanFileError(f"{source}: not valid JSON at line {exc.lineno} "
                            f"column {exc.colno}: {exc.msg}{hint}") from None
    except RecursionError:
        raise PlanFileError(f"{source}: not a plan: JSON nested too deeply") from None
    except ValueError as exc:  # duplicate keys, NaN/Infinity, huge numbers
        raise PlanFileError(f"{source}: {exc}") from None


def loads_plan(text: str | bytes, *, source: str = "<string>") -> Plan:
    """Read a plan from ``.bwplan`` text.

    Parameters
    ----------
    text : str or bytes
        The file content (bytes are decoded as UTF-8; a BOM is accepted).
    source : str
        The file name, used in messages.

    Returns
    -------
    Plan

    Raises
    ------
    PlanFileError
        Too large, not JSON, not a plan, a newer version, too many nodes.
    PlanError
        A field of a node (or track, variable) has the wrong type; a duplicate id.
    """
    with gc_paused():
        data = _parse_json(text, source)
        if type(data) is not dict:
            raise PlanFileError(f"{source}: not a Branchwise plan: the top level must be a "
                                f"JSON object, got {_describe(data)}")
        data = _check_header(data, FORMAT, source, required=True)
        return plan_from_dict(data, source=source)


def load_plan(path: str | os.PathLike) -> Plan:
    """Read a ``.bwplan`` file; the size is checked before anything is read.

    Raises
    ------
    PlanFileError
        Missing or unreadable file, too large, not a valid plan file.
    PlanError
        A field has the wrong type (names node id and field).
    """
    name = os.fspath(path)
    try:
        size = os.stat(name).st_size
        if size > MAX_FILE_BYTES:
            raise PlanFileError(f"{name}: the file is {_size(size)}; plan files are "
                                f"limited to {_size(MAX_FILE_BYTES)}")
        with open(name, "rb") as stream:
            content = stream.read(MAX_FILE_BYTES + 1)  # the file may grow after stat
    except OSError as exc:
        raise PlanFileError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    return loads_plan(content, source=name)


def save_plan(plan: Plan, path: str | os.PathLike) -> None:
    """Write the plan atomically, keeping the previous file as ``path~``.

    The text goes to a temporary file in the same directory, is flushed and
    fsynced, the old file is hard-linked (or copied) to the backup, and only
    then is the temporary file renamed over ``path``. At every moment ``path``
    holds either the old or the new complete plan.

    Raises
    ------
    PlanFileError
        The plan cannot be serialised, or its file would be too large to open
        again; nothing was written.
    OSError
        The file could not be written; the old file is untouched and no
        temporary file is left behind.
    """
    target = os.path.realpath(os.fspath(path))
    text = dumps_plan(plan)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PlanFileError(f"the plan cannot be saved: text that is not valid Unicode "
                            f"({exc.reason})") from exc
    del text  # a large plan's text: not kept beside its bytes while they are written
    if len(data) > MAX_FILE_BYTES:
        raise PlanFileError(f"the plan is {_size(len(data))} as a file, over the "
                            f"{_size(MAX_FILE_BYTES)} Branchwise opens: it was not saved")
    write_atomically(target, data)


# -- clipboard fragments -----------------------------------------------------------------

def fragment_to_text(plan: Plan, root_id: str) -> str:
    """The subtree under ``root_id`` as ``.bwplan`` fragment text (for the clipboard)."""
    if root_id not in plan.nodes:
        raise PlanError(root_id, None, "no such node")
    data = {"format": FRAGMENT_FORMAT, "version": CURRENT_VERSION, "root": root_id,
            "nodes": [node_to_dict(node) for node in plan.walk(root_id)]}
    try:
        return _format_document(data)
    except (ValueError, TypeError) as exc:
        raise PlanFileError(f"the fragment cannot be copied: {exc}") from exc


def fragment_from_text(text: str | bytes) -> tuple[list[Node], str]:
    """Read fragment text back: the nodes (root first as written) and the root id.

    The fragment must be one tree: every child listed is in the fragment, each
    node has one parent, and every node hangs under the root.

    Raises
    ------
    PlanFileError
        Not JSON, not a fragment, a newer version.
    PlanError
        A field has the wrong type, or the nodes do not form one tree.
    """
    source = "<clipboard>"
    data = _parse_json(text, source)
    if type(data) is not dict:
        raise PlanFileError(f"{source}: not a Branchwise fragment")
    data = _check_header(data, FRAGMENT_FORMAT, source, required=True)
    root = data.get("root")
    if type(root) is not str or not root:
        raise PlanFileError(f"{source}: the fragment has no root")
    try:
        nodes = _nodes_from_list(data.get("nodes", []))
    except PlanFileError as exc:
        raise PlanFileError(f"{source}: {exc}") from None
    if root not in nodes:
        raise PlanError(root, None, "the fragment's root is not among its nodes")
    parent: dict[str, str] = {}
    for node in nodes.values():
        for child in node.children:
            if child not in nodes:
                raise PlanError(node.id, "children", f"unknown node {child!r} (not in the fragment)")
            if child in parent or child == root:
                raise PlanError(child, None, "has two parents or closes a cycle in the fragment")
            parent[child] = node.id
    reached: set[str] = set()
    stack = [root]
    while stack:
        node_id = stack.pop()
        reached.add(node_id)
        stack.extend(nodes[node_id].children)
    if len(reached) != len(nodes):
        stray = next(n for n in nodes if n not in reached)
        raise PlanError(stray, None, "is not under the fragment's root")
    return list(nodes.values()), root
