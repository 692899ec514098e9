"""Three-way merge of plans by node id and field.

For every field of every node (and of the plan, its variables, tracks and
each node's responses and local variables): when ours equals the base take
theirs, when theirs equals the base take ours, when both agree take that,
otherwise it is a **conflict**: the merged plan keeps ours' value and the
conflict records all three in ``plan.extra["merge_conflicts"]`` as
``{"node", "field", "base", "ours", "theirs", "message"}``, so the file still
loads and a person can settle it.

Structure is merged sensibly rather than field by field:

* children lists are merged as ordered sets: what either side removed goes,
  what either side added comes, in the order the side that reordered chose;
  when both sides add children to the same node both are kept and this is
  reported (a chance node's probabilities usually need a look);
* a node (or response, variable, track) deleted on one side and changed on
  the other is kept as the other side has it (with its whole subtree, so no
  work is lost) and reported;
* both sides adding a node or response with the same id but different
  content are two different things: one gets a fresh id, chosen by content
  hash so that the result is the same whichever side is "ours" (a note says so);
* a node moved to different parents by the two sides stays where ours put it;
  a track root left without its track gets the track back; both reported;
* the walk log (``history``) is a union of both sides' entries while both
  hold lists; when a side replaced it by something else, the side that changed
  it wins, and when both changed it that is a conflict (never a silent drop).

Finally the merged plan is validated; every error found is reported as a
conflict too, so a clean merge always gives a valid plan.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from planning.model.errors import ERROR, node_name
from planning.model.plan import Plan
from planning.files.planfile import plan_from_dict, plan_to_dict

#: Marks a field or item that is not there (distinct from a JSON null).
ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()
CONFLICTS_KEY = "merge_conflicts"
#: Names of the two sides of the merge that left the conflicts (``{"ours",
#: "theirs", "rebase"}``, set by the git driver): not merged itself.
SIDES_KEY = "merge_sides"
#: Walk logs (presenter): appended to on both sides, so merged as a union.
HISTORY_KEY = "history"
_PLAN_SKIP = ("format", "version", "variables", "tracks", "nodes")


def _plain(value: Any) -> Any:
    return None if value is ABSENT else value


@dataclass
class Conflict:
    """A place where the two sides disagree (or the merge result is invalid)."""

    node: str | None
    field: str
    base: Any = None
    ours: Any = None
    theirs: Any = None
    message: str = ""
    #: The node's label in the merged plan, for messages (not written to the file).
    label: str | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        return {"node": self.node, "field": self.field, "base": _plain(self.base),
                "ours": _plain(self.ours), "theirs": _plain(self.theirs), "message": self.message}

    def __str__(self) -> str:
        from planning.sharing.diff import show

        place = f"{node_name(self.node, self.label)}: {self.field}" if self.node else self.field
        if self.message:
            return f"{place}: {self.message}"
        return (f"{place}: base {show(_plain(self.base), 80)}, ours {show(_plain(self.ours), 80)}, "
                f"theirs {show(_plain(self.theirs), 80)}")


@dataclass
class MergeResult:
    """The merged plan, its conflicts (empty when clean) and automatic decisions."""

    plan: Plan
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _three_way(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """(merged value, conflicted): a conflict keeps ours."""
    if ours == theirs:
        return ours, False
    if ours == base:
        return theirs, False
    if theirs == base:
        return ours, False
    return ours, True


def _union(base: Any, ours: Any, theirs: Any) -> Any:
    """Logs both sides append to (walk history): ours, then what only theirs added.

    Entries either side removed stay removed. All three must be lists (or
    absent); :meth:`_Merger.history` handles the rest.
    """
    b, o, t = ([] if x is ABSENT else x for x in (base, ours, theirs))
    merged = [x for x in o if not (x in b and x not in t)]
    merged += [x for x in t if x not in o and x not in b]
    return merged


def _relative(sequence: list, among: set) -> list:
    return [x for x in sequence if x in among]


def merge_order(base: list, ours: list, theirs: list, present: set) -> tuple[list, bool]:
    """Order the ``present`` elements after a three-way merge of two orderings.

    The side that reordered the common elements sets their order (ours when
    both did; the second result is then True when they disagree). Elements
    only the other side has are inserted after their nearest predecessor in
    that side's list.
    """
    common = set(base) & set(ours) & set(theirs)
    base_order = _relative(base, common)
    ours_moved = _relative(ours, common) != base_order
    theirs_moved = _relative(theirs, common) != base_order
    primary, secondary = (theirs, ours) if theirs_moved and not ours_moved else (ours, theirs)
    clash = ours_moved and theirs_moved and _relative(ours, common) != _relative(theirs, common)
    result: list = []
    placed: set = set()
    for x in primary:
        if x in present and x not in placed:
            result.append(x)
            placed.add(x)
    for sequence in (secondary, base):
        previous = None
        known = set(sequence)
        for k, x in enumerate(sequence):
            if x in present and x not in placed:
                if not any(y in placed for y in sequence[k + 1:]):
                    position = len(result)  # last on that side: last here too
                else:
                    position = result.index(previous) + 1 if previous is not None else 0
                    while position < len(result) and result[position] not in known:
                        position += 1  # after what only the other side put there
                result.insert(position, x)
                placed.add(x)
            if x in placed:
                previous = x
    return result, clash


def _keyed(items: Any, key: str) -> dict:
    if not isinstance(items, list):
        return {}
    return {item[key]: item for item in items if isinstance(item, dict) and key in item}


class _Merger:
    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []
        self.notes: list[str] = []

    def conflict(self, node, field_name, base, ours, theirs, message: str = "") -> None:
        self.conflicts.append(Conflict(node, field_name, base, ours, theirs, message))

    def history(self, base: Any, ours: Any, theirs: Any) -> Any:
        """The walk log: a union of entries while every side holds a list.

        When a side replaced the list by something else, the union has no
        meaning: take the side that changed it if only one did, otherwise it
        is a conflict (ours is kept), never a silent drop of one side.
        """
        if all(isinstance(x, list) or x is ABSENT for x in (base, ours, theirs)):
            return _union(base, ours, theirs)
        value, clash = _three_way(base, ours, theirs)
        if clash:
            self.conflict(None, HISTORY_KEY, base, ours, theirs,
                          "changed on both sides and not a list on one of them; kept ours")
        return value

    # -- dicts and keyed lists -----------------------------------------------------
    def fields(self, base: dict, ours: dict, theirs: dict, node: str | None, prefix: str = "",
               special: dict | None = None) -> dict:
        """Merge two dicts key by key against their base; ``special`` keys have their own merge."""
        keys = list(ours) + [k for k in theirs if k not in ours] + \
            [k for k in base if k not in ours and k not in theirs]
        merged = {}
        for key in keys:
            b, o, t = base.get(key, ABSENT), ours.get(key, ABSENT), theirs.get(key, ABSENT)
            if special and key in special and o != t:
                value = special[key](b, o, t)
            else:
                value, clash = _three_way(b, o, t)
                if clash:
                    self.conflict(node, prefix + key, b, o, t)
            if value is not ABSENT:
                merged[key] = value
        return merged

    def keyed_list(self, base: Any, ours: Any, theirs: Any, key: str, node: str | None,
                   prefix: str) -> Any:
        """Merge lists of records (variables, tracks, responses) by their ``key``."""
        if not all(isinstance(x, list) or x is ABSENT for x in (base, ours, theirs)):
            value, clash = _three_way(base, ours, theirs)
            if clash:
                self.conflict(node, prefix, base, ours, theirs)
            return value
        b, o, t = (_keyed([] if x is ABSENT else x, key) for x in (base, ours, theirs))
        items: dict = {}
        for name in list(o) + [k for k in t if k not in o]:
            bi, oi, ti = b.get(name, ABSENT), o.get(name, ABSENT), t.get(name, ABSENT)
            place = f"{prefix}[{name}]"
            if oi is ABSENT or ti is ABSENT:
                kept, other = (ti, "ours") if oi is ABSENT else (oi, "theirs")
                if bi is ABSENT:
                    items[name] = kept  # added by one side
                elif kept != bi:
                    items[name] = kept
                    self.conflict(node, place, bi, oi, ti,
                                  f"deleted by {other}, changed by the other side; kept the change")
                continue
            items[name] = self.fields(bi if bi is not ABSENT else {}, oi, ti, node, place + ".")
        order, clash = merge_order(list(b), list(o), list(t), set(items))
        if clash:
            self.conflict(node, prefix, list(b), list(o), list(t), "reordered differently; kept ours' order")
        return [items[name] for name in order]


def _parents(nodes: dict) -> dict:
    parent: dict = {}
    for node in nodes.values():
        for child in node.get("children", []) or []:
            parent.setdefault(child, node["id"])
    return parent


def _subtree(nodes: dict, root: str) -> list[str]:
    out, stack, seen = [], [root], set()
    while stack:
        node_id = stack.pop()
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        out.append(node_id)
        stack.extend(reversed(nodes[node_id].get("children", []) or []))
    return out


def _response_owners(nodes: dict) -> dict:
    return {r["id"]: node_id for node_id, node in nodes.items()
            for r in node.get("responses", []) or [] if isinstance(r, dict) and "id" in r}


def _digest(item: Any) -> str:
    """A content hash of a JSON item: which copy of a clashing id is renamed, and to what."""
    text = json.dumps(item, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rename_collisions(base: dict, ours: dict, theirs: dict, tracks_ours: list,
                       tracks_theirs: list, notes: list) -> tuple[dict, dict]:
    """Settle ids both sides added for different things; returns (ours, theirs) renamed.

    The rename does not depend on which side is "ours": of the two clashing
    items the one whose content hash is larger keeps the id and the other is
    renamed to ``<id>_<4 hex of its content hash>``. merge(base, A, B) and
    merge(base, B, A) so rename the same item to the same id, and a later
    merge finds that id on both sides. (New ids are random, see
    :func:`planning.model.edits.new_id`, so clashes are rare.)
    """
    used = set(base) | set(ours) | set(theirs)
    owners = [_response_owners(x) for x in (base, ours, theirs)]
    for owner in owners:
        used |= set(owner)
    base_resp, ours_resp, theirs_resp = owners
    sides = {"ours": (ours, ours_resp), "theirs": (theirs, theirs_resp)}
    parents = {"ours": _parents(ours), "theirs": _parents(theirs)}

    def item(side: str, kind: str, item_id: str) -> dict:
        nodes, resp = sides[side]
        if kind == "node":  # the same node put in two places is two things too
            return {"node": nodes[item_id], "parent": parents[side].get(item_id)}
        owner = resp[item_id]
        return {"owner": owner, "response": _keyed(nodes[owner].get("responses"), "id").get(item_id)}

    def added(side: str, item_id: str) -> str | None:
        nodes, resp = sides[side]
        if item_id in nodes and item_id not in base:
            return "node"
        if item_id in resp and item_id not in base_resp:
            return "response"
        return None

    mappings: dict = {"ours": ({}, {}), "theirs": ({}, {})}  # side -> (nodes, responses)
    for item_id in sorted((set(ours) | set(ours_resp)) & (set(theirs) | set(theirs_resp))):
        kind_o, kind_t = added("ours", item_id), added("theirs", item_id)
        if kind_o is None or kind_t is None:
            continue
        content_o, content_t = item("ours", kind_o, item_id), item("theirs", kind_t, item_id)
        if content_o == content_t:
            continue  # both sides added the same thing
        digest_o, digest_t = _digest(content_o), _digest(content_t)
        loser, kind, digest = (("ours", kind_o, digest_o) if digest_o < digest_t
                               else ("theirs", kind_t, digest_t))
        size = 4
        while f"{item_id}_{digest[:size]}" in used and size < len(digest):
            size += 2
        fresh = f"{item_id}_{digest[:size]}"
        used.add(fresh)
        mappings[loser][0 if kind == "node" else 1][item_id] = fresh
        label = ""
        if kind == "node":
            label = str(sides[loser][0][item_id].get("label") or "")
        else:
            label = str((content_o if loser == "ours" else content_t)["response"].get("title") or "")
        notes.append(f"both sides added {item_id!r} for different things; {loser}' "
                     + (f"{kind} \u201c{label}\u201d" if label else kind) + f" is now {fresh!r}")
    return (_renamed(ours, tracks_ours, *mappings["ours"]),
            _renamed(theirs, tracks_theirs, *mappings["theirs"]))


def _renamed(nodes: dict, tracks: list, mapping: dict, response_mapping: dict) -> dict:
    """``nodes`` with node and response ids renamed (``tracks`` roots renamed in place)."""
    if not mapping and not response_mapping:
        return nodes
    renamed: dict = {}
    for node_id, node in nodes.items():
        node = dict(node)
        node["id"] = mapping.get(node_id, node_id)
        if isinstance(node.get("children"), list):
            node["children"] = [mapping.get(c, c) for c in node["children"]]
        if node.get("committed") in mapping:
            node["committed"] = mapping[node["committed"]]
        if isinstance(node.get("responses"), list):
            node["responses"] = [dict(r, id=response_mapping[r["id"]])
                                 if isinstance(r, dict) and r.get("id") in response_mapping else r
                                 for r in node["responses"]]
        renamed[node["id"]] = node
    for track in tracks:
        if isinstance(track, dict) and track.get("root") in mapping:
            track["root"] = mapping[track["root"]]
    return renamed


def _restored(base: dict, deleter: dict, keeper: dict) -> tuple[set, list]:
    """Nodes the deleting side removed but the keeping side changed (or added under).

    Returns the ids to keep (whole subtrees, as the keeping side has them)
    and the top of each such subtree.
    """
    deleted = {x for x in base if x in keeper and x not in deleter}
    if not deleted:
        return set(), []
    parent = _parents(keeper)
    seeds = {x for x in deleted if keeper[x] != base[x]}
    seeds |= {parent[x] for x in keeper if x not in base and parent.get(x) in deleted}
    tops: list = []
    for seed in seeds:
        top, seen = seed, {seed}
        while parent.get(top) in deleted and parent[top] not in seen:
            top = parent[top]
            seen.add(top)
        if top not in tops:
            tops.append(top)
    keep: set = set()
    for top in tops:
        keep.update(x for x in _subtree(keeper, top) if x not in deleter)
    return keep, tops


def _subtree_changes(base: dict, keeper: dict, top: str, limit: int = 4) -> str:
    """What the keeping side changed in the subtree under ``top``, in words."""
    from planning.sharing.diff import diff_dicts, summarise

    inside = _subtree(keeper, top)
    before = {"nodes": [base[x] for x in inside if x in base]}
    after = {"nodes": [keeper[x] for x in inside]}
    lines = summarise(diff_dicts(before, after), limit=limit)
    return "; ".join(lines) if lines else "changed"


def _reachable(nodes: dict, tracks: list) -> set:
    seen: set = set()
    for track in tracks:
        if isinstance(track, dict) and isinstance(track.get("root"), str):
            seen.update(_subtree(nodes, track["root"]))
    return seen


def merge_dicts(base: dict, ours: dict, theirs: dict) -> tuple[dict, list[Conflict], list[str]]:
    """Merge three plan dicts (as :func:`planning.files.planfile.plan_to_dict` gives).

    Returns
    -------
    merged : dict
    conflicts : list of Conflict
    notes : list of str
        Automatic decisions that are not conflicts (renamed ids).
    """
    m = _Merger()
    ours = dict(ours, tracks=[dict(t) if isinstance(t, dict) else t for t in ours.get("tracks", [])])
    theirs = dict(theirs, tracks=[dict(t) if isinstance(t, dict) else t for t in theirs.get("tracks", [])])
    nb = _keyed(base.get("nodes"), "id")
    no, nt = _rename_collisions(nb, _keyed(ours.get("nodes"), "id"), _keyed(theirs.get("nodes"), "id"),
                                ours["tracks"], theirs["tracks"], m.notes)
    merged = {key: value for key, value in m.fields(
        {k: v for k, v in base.items() if k not in _PLAN_SKIP},
        {k: v for k, v in ours.items() if k not in _PLAN_SKIP},
        {k: v for k, v in theirs.items() if k not in _PLAN_SKIP}, None,
        special={HISTORY_KEY: m.history}).items()
        if key not in (CONFLICTS_KEY, SIDES_KEY)}
    merged["variables"] = m.keyed_list(base.get("variables", []), ours.get("variables", []),
                                       theirs.get("variables", []), "name", None, "variables")
    tracks = m.keyed_list(base.get("tracks", []), ours["tracks"], theirs["tracks"],
                          "id", None, "tracks")

    keep_theirs, tops_theirs = _restored(nb, no, nt)
    keep_ours, tops_ours = _restored(nb, nt, no)
    for tops, keeper, side in ((tops_theirs, nt, "ours"), (tops_ours, no, "theirs")):
        for top in tops:
            other = "theirs" if side == "ours" else "ours"
            what = _subtree_changes(nb, keeper, top)
            m.conflict(top, "node", "present", "deleted" if side == "ours" else "changed",
                       "deleted" if side == "theirs" else "changed",
                       f"deleted by {side}, changed by {other} ({what}); "
                       f"the merge keeps the subtree as {other} changed it")
    present: list = []
    for node_id in list(no) + [x for x in nt if x not in no]:
        in_o, in_t, in_b = node_id in no, node_id in nt, node_id in nb
        if (in_o and in_t) or (in_o and (not in_b or node_id in keep_ours)) or \
                (in_t and (not in_b or node_id in keep_theirs)):
            present.append(node_id)
    alive = set(present)
    restored_tops = set(tops_theirs) | set(tops_ours)

    def children(node_id: str):
        def merge(b, o, t):
            b, o, t = ([] if x is ABSENT or not isinstance(x, list) else x for x in (b, o, t))
            gone = {x for x in b if (x not in o or x not in t) and x not in restored_tops}
            keep = {x for x in list(o) + list(t) if x in alive and x not in gone}
            order, clash = merge_order(b, o, t, keep)
            if clash:
                m.conflict(node_id, "children", b, o, t, "reordered differently; kept ours' order")
            added_o, added_t = {x for x in o if x not in b}, {x for x in t if x not in b}
            if added_o and added_t and added_o != added_t:
                m.conflict(node_id, "children", b, o, t,
                           "both sides added children; kept both (check order and probabilities)")
            return order
        return merge

    nodes: dict = {}
    for node_id in present:
        b, o, t = nb.get(node_id, {}), no.get(node_id), nt.get(node_id)
        if o is not None and t is not None:
            nodes[node_id] = m.fields(b, o, t, node_id, special={
                "children": children(node_id),
                "responses": lambda b_, o_, t_, n=node_id: m.keyed_list(b_, o_, t_, "id", n, "responses"),
                "variables": lambda b_, o_, t_, n=node_id: m.keyed_list(b_, o_, t_, "name", n, "variables")})
        else:
            nodes[node_id] = dict(o if o is not None else t)
    _repair_structure(m, nodes, tracks, nb, no, nt, [ours["tracks"], theirs["tracks"],
                                                      base.get("tracks", [])])
    merged["tracks"] = tracks
    merged["nodes"] = list(nodes.values())
    return merged, m.conflicts, m.notes


def _repair_structure(m: _Merger, nodes: dict, tracks: list, nb: dict, no: dict, nt: dict,
                      track_sources: list) -> None:
    """Drop dangling children, settle nodes with two parents, give lost roots their track back."""
    parent_b, parent_o, parent_t = _parents(nb), _parents(no), _parents(nt)
    holders: dict = {}
    for node in nodes.values():
        kids = node.get("children")
        if not isinstance(kids, list):
            continue
        unique = []
        for child in kids:
            if child in nodes and child not in unique:
                unique.append(child)
        node["children"] = unique
        for child in unique:
            holders.setdefault(child, []).append(node["id"])
    for child, parents in holders.items():
        if len(parents) < 2:
            continue
        keep = parent_o.get(child) if parent_o.get(child) in parents else parents[0]
        for other in parents:
            if other != keep:
                nodes[other]["children"].remove(child)
        m.conflict(child, "parent", parent_b.get(child), parent_o.get(child), parent_t.get(child),
                   f"moved to different parents; kept it under {keep!r}")
    roots = {t.get("root") for t in tracks if isinstance(t, dict)}
    reached = _reachable(nodes, tracks)
    for node_id in nodes:
        if node_id in reached or node_id in holders:
            continue
        for source in track_sources:
            track = next((t for t in source if isinstance(t, dict) and t.get("root") == node_id), None)
            if track is not None and node_id not in roots:
                tracks.append(dict(track))
                roots.add(node_id)
                reached.update(_subtree(nodes, node_id))
                m.conflict(None, f"tracks[{track.get('id')}]", "present", "?", "?",
                           "the track was deleted on one side but its tree was changed on the "
                           "other; kept the track")
                break
    was_reached = _reachable(no, track_sources[0]) | _reachable(nt, track_sources[1])
    for node_id in nodes:
        if node_id not in reached and node_id in was_reached and node_id not in holders:
            m.conflict(node_id, "node", None, None, None,
                       "no longer reachable from any track root after the merge")


def merge_plans(base: Plan, ours: Plan, theirs: Plan) -> MergeResult:
    """Three-way merge of ``ours`` and ``theirs`` against their common ``base``.

    Parameters
    ----------
    base, ours, theirs : Plan
        ``base`` may be an empty ``Plan()`` (both sides added the file).

    Returns
    -------
    MergeResult
        ``plan`` is the merge; with conflicts it keeps ours' value at each
        conflict and lists them all in ``plan.extra["merge_conflicts"]``.
        Validation errors of the merged plan are conflicts too.
    """
    from planning.model.validate import validate_plan

    merged, conflicts, notes = merge_dicts(plan_to_dict(base), plan_to_dict(ours), plan_to_dict(theirs))
    plan = plan_from_dict(merged, source="<merge>")
    reported = {(c.node, c.field) for c in conflicts}
    for problem in validate_plan(plan):
        if problem.severity == ERROR and (problem.node_id, problem.field) not in reported:
            conflicts.append(Conflict(problem.node_id, problem.field or "plan", None, None, None,
                                      f"invalid after the merge: {problem.message}"))
    for conflict in conflicts:  # messages name nodes by label, as problems do
        node = plan.nodes.get(conflict.node) if isinstance(conflict.node, str) else None
        if node is not None and isinstance(node.label, str):
            conflict.label = node.label
    if conflicts:
        plan.extra[CONFLICTS_KEY] = [c.to_json() for c in conflicts]
    return MergeResult(plan, conflicts, notes)
