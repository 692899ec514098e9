"""Read a ``.bwplan`` file straight into columns, for plans that are plainly valid.

The object reader (:mod:`planning.files.planfile`) builds one :class:`~planning.model.plan.Node`
per node, and validation and compilation then walk them: at 100k to 1M nodes that is most of
the time of ``branchwise evaluate``. This reader parses the same JSON (duplicate keys and
``NaN``/``Infinity`` still refused) and turns the node objects into a handful of columns
(ids, kind codes, children, payoffs, probabilities, paths, ranges, responses) with list and
numpy passes, never a Python object per node.

It is deliberately conservative. :func:`read_columns` returns ``None`` unless it can prove
that the object path would load the file without an error *and* that
:func:`planning.model.validate.validate_plan` would report no problem at all, neither error
nor warning; and unless the plan uses only what the columnar path computes (numbers and
``"#"`` shares; no expressions, node variables, second criterion, decision rules or merge
conflicts). On ``None`` the caller takes the object path, so every message and every figure
stays what it was.
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from itertools import chain, repeat
from operator import eq

import numpy as np

from planning.files import planfile
from planning.model.errors import PlanError, PlanFileError
from planning.model.plan import OBJECTIVES, Track, Variable

__all__ = ["PlanColumns", "read_columns", "KIND_CODES", "PATH_CODES"]

#: Kind and path codes, as :mod:`planning.engine.compile` numbers them.
KIND_CODES = {"decision": 0, "chance": 1, "terminal": 2}
PATH_CODES = {"success": 0, "failure": 1, "neutral": 2}
_CHANCE, _TERMINAL = 1, 2
#: A number beyond this (in size) takes the object path: below it ints and floats agree exactly.
_EXACT = float(2**53)
#: Validation's sibling-sum tolerance; sums this close to its edge take the object path,
#: which adds them with ``math.fsum`` (numpy's order of addition could round across the edge).
_TOLERANCE = 1e-9
_MARGIN = 1e-12
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RESERVED = frozenset({"and", "or", "not"})
_TOP_KEYS = frozenset({"format", "version", "title", "description", "objective", "value_unit",
                       "variables", "tracks", "nodes"})
_NODE_KEYS = frozenset({"id", "kind", "label", "notes", "children", "payoff", "probability",
                        "probability_range", "payoff_range", "path", "signposts", "warning_days",
                        "responses", "committed", "variables", "payoff2"})
_ABSENT = object()
_NAN = math.nan
_NONE_NAN = {None: _NAN}
_SPECIAL = {None: _NAN, "#": _NAN}
_PATH_OR_NONE = {None: -1, **PATH_CODES}


class _Fallback(Exception):
    """Raised inside the reader: something the columnar path does not prove valid."""


@dataclass
class PlanColumns:
    """A plainly valid plan as columns, in file order (index ``i`` is the file's ``nodes[i]``).

    Attributes
    ----------
    title, objective, value_unit : str
        The plan's settings.
    variables : list of Variable
        The plan's variables (numbers only).
    tracks : list of Track
    ids : list of str
        Node ids, in file order.
    breadth_first : bool
        True when the file has one track and lists its nodes in breadth-first order.
    index : dict or None
        Id -> file index, for a file written breadth first (else None).
    orders : list of ndarray
        Per track, the file indices of its nodes in breadth-first order.
    parent : ndarray of int64
        File index of each node's parent, -1 for the roots.
    kind : ndarray of int8
        0 decision, 1 chance, 2 terminal.
    child_count, child_offset : ndarray of int64
        Each node's children are ``child_flat[child_offset[i]:child_offset[i] + child_count[i]]``.
    child_flat : ndarray of int64
        File indices of every node's children, in listed order.
    payoff : ndarray of float
    probability : ndarray of float
        The written probability of a branch (NaN for ``"#"``); 1 elsewhere.
    share : ndarray of bool
        Branches written ``"#"``.
    is_branch : ndarray of bool
        Children of a chance node.
    path : ndarray of int8
        The written path code, -1 where none is written.
    probability_range, payoff_range : ndarray, shape (n, 2)
        NaN where no range is written.
    committed : ndarray of int64
        File index of the committed option, -1 where none.
    warning_days : ndarray of float
        NaN where none is written.
    resp_node, resp_ids, resp_level, resp_lead, resp_effect
        Every response in file order: its node (file index), id, readiness level
        (0..4), lead time in days (NaN where none) and effect.
    """

    title: str
    objective: str
    value_unit: str
    variables: list[Variable]
    tracks: list[Track]
    ids: list[str]
    breadth_first: bool
    index: dict | None
    orders: list[np.ndarray]
    parent: np.ndarray
    kind: np.ndarray
    child_count: np.ndarray
    child_offset: np.ndarray
    child_flat: np.ndarray
    payoff: np.ndarray
    probability: np.ndarray
    share: np.ndarray
    is_branch: np.ndarray
    path: np.ndarray
    probability_range: np.ndarray
    payoff_range: np.ndarray
    committed: np.ndarray
    warning_days: np.ndarray
    resp_node: np.ndarray
    resp_ids: list[str]
    resp_level: np.ndarray
    resp_lead: np.ndarray
    resp_effect: np.ndarray

    @property
    def size(self) -> int:
        return len(self.ids)


def read_columns(path: str | os.PathLike) -> PlanColumns | None:
    """The plan in ``path`` as columns, or None when the object path must read it.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.bwplan`` file.

    Returns
    -------
    PlanColumns or None
        None for anything unusual: a file that cannot be read or parsed, a field of
        the wrong type, anything validation would report (errors and warnings), and
        what the columnar path does not compute (see the module's docstring).
    """
    name = os.fspath(path)
    try:
        if os.stat(name).st_size > planfile.MAX_FILE_BYTES:
            return None
        with open(name, "rb") as stream:
            content = stream.read(planfile.MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(content) > planfile.MAX_FILE_BYTES:
        return None
    try:
        with planfile.gc_paused():
            text = content.decode("utf-8-sig")
            del content  # the parse needs the text only: one copy of the file in memory
            # Duplicate keys: the loader's hook builds every object twice (a third of the
            # parse). Without it, a duplicate shows as one ':' too many: every ':' of the
            # text separates a key from its value or lies in a string, and the columns
            # account for every key and every string (see _Tally). An escaped colon
            # (\u003a) would spoil that count: such files keep the hook.
            if "\\u003a" in text or "\\u003A" in text:
                tally = _Tally(None)
                data = json.loads(text, object_pairs_hook=planfile._object_without_duplicates,
                                  parse_constant=planfile._reject_constant)
            else:
                tally = _Tally(text.count(":"))
                data = json.loads(text, parse_constant=planfile._reject_constant)
            del text
            columns = _columns(data, tally)
            # Drop the parsed objects while the collector still sleeps: enabled with a
            # million young objects alive, its first pass would walk them all.
            del data
            _compact(columns)
        return columns
    except (_Fallback, PlanError, PlanFileError, ValueError, TypeError, KeyError,
            OverflowError, RecursionError, AttributeError, IndexError):
        # Whatever went wrong, the object path reads the file again and says it in its words.
        return None


def _index(ids: list[str]) -> dict[str, int]:
    """Id -> position; the ids must be unique and non-empty."""
    index = dict(zip(ids, range(len(ids))))
    _check(len(index) == len(ids) and "" not in index)
    return index


#: The strings of plans with fewer nodes are left where they are (see :func:`_compact`).
COMPACT_FROM = 200_000


def _compact(columns: PlanColumns) -> None:
    """Give the memory of the parsed objects back: rebuild the id strings away from them.

    The ids were allocated between the node objects of the parse; alive, they keep
    the allocator's arenas of the freed nodes from returning to the system (hundreds
    of MB at a million nodes). Joined into one string, the old ones are freed, and
    split again, the new ones sit together.
    """
    big = columns.size >= COMPACT_FROM  # else a few MB at most: not worth the copy
    for name in ("ids", "resp_ids"):  # every string that outlives the parse
        strings = getattr(columns, name)
        if not big or not strings:
            continue
        joined = "\0".join(strings)
        if joined.count("\0") != len(strings) - 1:
            continue  # an id holds the separator: keep the strings as they are
        setattr(columns, name, None)
        del strings
        setattr(columns, name, joined.split("\0"))
    # A file written breadth first has not looked its ids up: they are checked here,
    # and the mapping serves the compiled track (whose order is the file's).
    columns.index = _index(columns.ids) if columns.breadth_first else None


class _Tally:
    """Counts the keys and the colons inside strings of what was parsed.

    The text's colons minus the colons inside its strings is the number of
    key-value pairs written; it equals the number of keys parsed exactly when
    no object repeats a key.
    """

    def __init__(self, colons: int | None):
        self.colons = colons  # None: the parse refused duplicate keys itself
        self.keys = 0
        self.in_strings = 0

    def objects(self, objects) -> None:
        self.keys += sum(map(len, objects))

    def strings(self, strings) -> None:
        self.in_strings += "".join(strings).count(":")

    def no_duplicates(self) -> bool:
        return self.colons is None or self.colons == self.keys + self.in_strings


def _check(condition: bool) -> None:
    if not condition:
        raise _Fallback


def _types(values) -> set:
    return set(map(type, values))


def _floats(values: list, n: int) -> np.ndarray:
    """Numbers (float or int, never bool) as floats; every one finite and exact."""
    _check(_types(values) <= {float, int})
    out = np.fromiter(values, dtype=float, count=n)
    _check(bool((np.abs(out) <= _EXACT).all()))  # also false for inf and NaN
    return out


def _optional_floats(values: list, n: int) -> np.ndarray:
    """Numbers or None (JSON null or absent: NaN); every number finite and exact."""
    types = _types(values)
    _check(types <= {float, int, type(None)})
    if type(None) in types:
        values = map(_NONE_NAN.get, values, values)
    out = np.fromiter(values, dtype=float, count=n)
    _check(not (np.abs(out) > _EXACT).any())  # NaN only where None was: constants are refused
    return out


def _column(nodes: list, key: str, default=_ABSENT) -> list:
    return list(map(dict.get, nodes, repeat(key), repeat(default)))


def _ranges(nodes: list, key: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``key`` as (n, 2) floats (NaN where absent) and a mask of where it is written."""
    raw = _column(nodes, key)
    present = np.fromiter(map(eq, raw, repeat(_ABSENT)), dtype=bool, count=n)
    np.logical_not(present, out=present)
    out = np.full((n, 2), np.nan)
    written = [raw[i] for i in np.flatnonzero(present).tolist()]
    if written:
        _check(_types(written) == {list} and set(map(len, written)) == {2})
        pairs = _floats(list(chain.from_iterable(written)), 2 * len(written)).reshape(-1, 2)
        _check(bool((pairs[:, 0] <= pairs[:, 1]).all()))
        out[present] = pairs
    return out, present


def _settings(data: dict, tally: _Tally) -> tuple[str, str, str, list[Variable], list[Track]]:
    """The plan-level fields, checked as the loader and validation check them."""
    _check(type(data) is dict and set(data) <= _TOP_KEYS)
    tally.objects([data])
    _check(data.get("format") == planfile.FORMAT)
    version = data.get("version")
    _check(type(version) is int and version == planfile.CURRENT_VERSION)
    text = {}
    for key in ("title", "description", "objective", "value_unit"):
        text[key] = data.get(key, "maximize" if key == "objective" else "")
        _check(type(text[key]) is str)
    _check(text["objective"] in OBJECTIVES)
    tally.strings(text.values())
    variables = planfile._variables(data.get("variables", []), None, "variables")
    tally.objects(data.get("variables", []))
    tally.strings([v.name for v in variables] + [v.description for v in variables])
    seen: set[str] = set()
    for variable in variables:
        name, value = variable.name, variable.value
        _check(bool(_NAME.match(name)) and name not in _RESERVED and name not in seen)
        seen.add(name)
        _check(type(value) is float and abs(value) <= _EXACT and not variable.extra)
        if variable.range is not None:
            low, high = variable.range
            _check(type(low) is float and type(high) is float and low <= value <= high)
    tracks = planfile._tracks(data.get("tracks", []), None, "tracks")
    tally.objects(data.get("tracks", []))
    tally.strings([f"{t.id}{t.title}{t.root}" for t in tracks])
    _check(bool(tracks) and all(not t.extra for t in tracks))
    _check(len({t.id for t in tracks}) == len(tracks) and all(t.id for t in tracks))
    return text["title"], text["objective"], text["value_unit"], variables, tracks


def _columns(data: dict, tally: _Tally) -> PlanColumns:
    """Columns of a parsed plan, every check passed (else :class:`_Fallback`)."""
    title, objective, value_unit, variables, tracks = _settings(data, tally)
    nodes = data["nodes"]
    _check(type(nodes) is list and 0 < len(nodes) <= planfile.MAX_NODES)
    n = len(nodes)
    _check(_types(nodes) == {dict})
    keys = set().union(*nodes)
    _check(keys <= _NODE_KEYS)
    tally.objects(nodes)

    # Ids: non-empty text, unique; every child listed is a node with this one parent.
    ids = _column(nodes, "id")
    _check(_types(ids) == {str})
    tally.strings(ids)
    kind_names = _column(nodes, "kind", "terminal")
    kind = np.fromiter(map(KIND_CODES.__getitem__, kind_names), dtype=np.int8, count=n)
    del kind_names
    children = _column(nodes, "children", [])
    _check(_types(children) == {list})
    child_count = np.fromiter(map(len, children), dtype=np.int64, count=n)
    flat = list(chain.from_iterable(children))
    del children
    tally.strings(flat)
    # Files written breadth first (generated, imported) list every child in the order
    # of the nodes themselves: one comparison of the lists then stands for a million
    # lookups. Any other order looks every child up.
    # The ids are then checked unique once the strings are compact (_compact), with the
    # mapping the compiled track needs anyway.
    if len(tracks) == 1 and ids[0] == tracks[0].root and flat == ids[1:]:
        index = None
        child_flat = np.arange(1, n, dtype=np.int64)
        roots = [0]
    else:
        index = _index(ids)
        child_flat = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
        roots = [index.get(t.root, -1) for t in tracks]
    del flat
    child_offset = np.zeros(n, dtype=np.int64)
    np.cumsum(child_count[:-1], out=child_offset[1:])
    parents_of = np.bincount(child_flat, minlength=n)
    _check(bool((parents_of <= 1).all()))  # no shared child, none listed twice
    _check(bool(((child_count > 0) == (kind != _TERMINAL)).all()))  # kinds and children agree
    _check(min(roots) >= 0 and len(set(roots)) == len(roots))
    # With one parent at most each and n - roots children listed, every other node has one.
    _check(not parents_of[roots].any() and len(child_flat) == n - len(roots))
    parent = np.full(n, -1, dtype=np.int64)
    parent[child_flat] = np.repeat(np.arange(n, dtype=np.int64), child_count)
    orders = [_breadth_first(root, child_offset, child_count, child_flat) for root in roots]
    _check(sum(map(len, orders)) == n)  # every node under a root: no orphans, no cycles
    is_branch = np.zeros(n, dtype=bool)
    has_parent = parent >= 0
    is_branch[has_parent] = kind[parent[has_parent]] == _CHANCE

    for key in ("label", "notes"):
        if key in keys:
            written = _column(nodes, key, "")
            _check(_types(written) == {str})
            tally.strings(written)
    if "signposts" in keys:
        signposts = _column(nodes, "signposts", [])
        _check(_types(signposts) == {list})
        signposts = list(chain.from_iterable(signposts))
        _check(_types(signposts) <= {str})
        tally.strings(signposts)
    if "variables" in keys:  # node variables take the object path; an empty list is none
        local = _column(nodes, "variables", [])
        _check(_types(local) == {list} and not any(local))
    if "payoff2" in keys:  # a second payoff with one criterion is a warning
        _check(all(v == 0 and type(v) in (int, float) for v in _column(nodes, "payoff2", 0)))

    payoff = _floats(_column(nodes, "payoff", 0.0), n) if "payoff" in keys else np.zeros(n)
    probability, share = _probabilities(nodes, n, is_branch, "probability" in keys)
    probability_range, has_range = _ranges(nodes, "probability_range", n)
    if has_range.any():
        _check(not (has_range & ~is_branch).any())
        low, high = probability_range[has_range, 0], probability_range[has_range, 1]
        _check(bool(((low >= 0) & (high <= 1)).all()))
        point = probability[has_range]
        numeric = ~share[has_range]
        _check(bool(((low[numeric] <= point[numeric]) & (point[numeric] <= high[numeric])).all()))
        # The only branch of a chance node cannot have a range (validation's error).
        only = child_count[parent[has_range]] == 1
        _check(not only.any())
    payoff_range, has_payoff_range = _ranges(nodes, "payoff_range", n)
    if has_payoff_range.any():
        point = payoff[has_payoff_range]
        _check(bool(((payoff_range[has_payoff_range, 0] <= point)
                     & (point <= payoff_range[has_payoff_range, 1])).all()))
    _sibling_sums(probability, share, is_branch, kind, child_flat, child_offset, child_count, n)

    path = np.full(n, -1, dtype=np.int8)
    if "path" in keys:  # an unknown path (KeyError) takes the object path
        path = np.fromiter(map(_PATH_OR_NONE.__getitem__, _column(nodes, "path", None)),
                           dtype=np.int8, count=n)
    warning_days = np.full(n, np.nan)
    if "warning_days" in keys:
        warning_days = _optional_floats(_column(nodes, "warning_days", None), n)
        _check(not (warning_days < 0).any())
    committed = np.full(n, -1, dtype=np.int64)
    if "committed" in keys:
        for i, option in enumerate(_column(nodes, "committed", None)):
            if option is None:
                continue
            _check(type(option) is str and kind[i] == 0 and option in nodes[i]["children"])
            tally.strings([option])
            index = index or _index(ids)
            committed[i] = index[option]
    if "responses" in keys:
        resp_node, resp_ids, resp_level, resp_lead, resp_effect = _responses(nodes, n, tally)
    else:
        resp_node, resp_ids = np.zeros(0, dtype=np.int64), []
        resp_level = resp_lead = resp_effect = np.zeros(0)
    _check(tally.no_duplicates())
    return PlanColumns(
        title=title, objective=objective, value_unit=value_unit, variables=variables,
        tracks=tracks, ids=ids, breadth_first=index is None, index=None, orders=orders, parent=parent, kind=kind, child_count=child_count, child_offset=child_offset,
        child_flat=child_flat, payoff=payoff, probability=probability, share=share,
        is_branch=is_branch, path=path, probability_range=probability_range,
        payoff_range=payoff_range, committed=committed, warning_days=warning_days,
        resp_node=resp_node, resp_ids=resp_ids, resp_level=resp_level, resp_lead=resp_lead,
        resp_effect=resp_effect)


#: More levels than this take the object path (one numpy step per level: slow for long chains).
MAX_LEVELS = 4096


def _breadth_first(root: int, child_offset: np.ndarray, child_count: np.ndarray,
                   child_flat: np.ndarray) -> np.ndarray:
    """File indices under ``root`` in breadth-first order, children in listed order, level by level."""
    levels = [np.asarray([root], dtype=np.int64)]
    while True:
        frontier = levels[-1]
        counts = child_count[frontier]
        total = int(counts.sum())
        if total == 0:
            break
        _check(len(levels) < MAX_LEVELS)
        first = child_offset[frontier] - (np.cumsum(counts) - counts)
        levels.append(child_flat[np.repeat(first, counts) + np.arange(total)])
    return np.concatenate(levels)


def _probabilities(nodes: list, n: int, is_branch: np.ndarray, present: bool
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Branch probabilities (numbers in [0, 1] or ``"#"``); no other node may have one."""
    _check(present or not is_branch.any())
    share = np.zeros(n, dtype=bool)
    if not present:
        return np.ones(n), share
    raw = _column(nodes, "probability", None)
    types = _types(raw)
    _check(types <= {float, int, str, type(None)})
    shares = 0
    if str in types:  # every text is "#": expressions take the object path
        shares = raw.count("#")
        _check(sum(map(isinstance, raw, repeat(str))) == shares)
        share = np.fromiter(map(eq, raw, repeat("#")), dtype=bool, count=n)
    # None and "#" read as NaN; no number is NaN (the parse refuses NaN).
    values = np.fromiter(map(_SPECIAL.get, raw, raw) if shares or type(None) in types else raw,
                         dtype=float, count=n)
    absent = np.isnan(values)
    absent[share] = False
    # A branch without a probability is an error, a decision's option with one a warning.
    _check(bool((absent != is_branch).all()))
    numeric = is_branch & ~share
    picked = values[numeric]
    _check(bool(((picked >= 0) & (picked <= 1)).all()))  # false for inf and NaN too
    probability = np.ones(n)
    probability[is_branch] = values[is_branch]
    return probability, share


def _sibling_sums(probability, share, is_branch, kind, child_flat, child_offset, child_count,
                  n: int) -> None:
    """Every chance node's written probabilities sum to 1 (with '#': to less than 1)."""
    chance = np.flatnonzero(kind == _CHANCE)
    if chance.size == 0:
        return
    counts = child_count[chance]
    starts = child_offset[chance]
    members = child_flat[np.repeat(starts - np.cumsum(counts) + counts, counts)
                         + np.arange(int(counts.sum()))]
    values = np.where(share[members], 0.0, probability[members])
    position = np.cumsum(counts) - counts
    sums = np.add.reduceat(values, position)
    shares = np.add.reduceat(share[members].astype(np.int64), position)
    margin = _MARGIN * np.maximum(1.0, counts / 64)
    plain = shares == 0
    _check(bool((np.abs(sums[plain] - 1.0) <= _TOLERANCE - margin[plain]).all()))
    # With '#' branches: below 1 by more than the tolerance (else an error or a warning).
    _check(bool((sums[~plain] < 1.0 - _TOLERANCE - margin[~plain]).all()))


_RESPONSE_KEYS = frozenset(planfile.RESPONSE_KEYS)


def _responses(nodes: list, n: int, tally: _Tally) -> tuple:
    """Responses as columns: node (file index), id, readiness level, lead time, effect.

    Checked as the loader and validation check them: known fields only, ids
    unique over the plan, readiness 0..4, lead time 0 or more, finite numbers.
    """
    lists = _column(nodes, "responses", [])
    _check(_types(lists) == {list})
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=n)
    items = list(chain.from_iterable(lists))
    del lists
    m = len(items)
    node = np.repeat(np.arange(n, dtype=np.int64), counts)
    if not m:
        return node, [], np.zeros(0), np.zeros(0), np.zeros(0)
    _check(_types(items) == {dict} and set().union(*items) <= _RESPONSE_KEYS)
    tally.objects(items)
    ids = _column(items, "id")
    _check(_types(ids) == {str} and "" not in ids and len(set(ids)) == m)
    tally.strings(ids)
    for key in ("title", "owner", "trigger", "notes"):
        written = _column(items, key, "")
        _check(_types(written) <= {str})
        tally.strings(written)
    readiness = _floats(_column(items, "readiness", 0), m)
    _check(bool(np.isin(readiness, (0.0, 1.0, 2.0, 3.0, 4.0)).all()))
    lead_days = _optional_floats(_column(items, "lead_time_days", None), m)
    _check(not (lead_days < 0).any())
    _floats(_column(items, "cost", 0.0), m)
    effect = _floats(_column(items, "effect", 0.0), m)
    return node, ids, readiness, lead_days, effect
