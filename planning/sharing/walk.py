"""A live walk through one track: where the presenter is, what the room has seen.

A :class:`Walk` is the state of a presentation: the node on screen, the
path taken to it, how many of its branches are revealed so far, and a log of
every step (node, time, note typed during the walk). Numbers shown during a
walk are those of ``branchwise evaluate --from NODE``: the subtree under the
current node evaluated as if the path to it had happened
(:func:`evaluate_from`).

A finished walk becomes one entry of the plan's history, kept in
``plan.extra["history"]`` (an unknown top-level field, so it survives a
round trip through the file)::

    {"kind": "walk", "started": "2024-05-01T10:00:00+02:00", "track": "launch",
     "steps": [{"node": "d1", "time": "...", "note": "", "action": "start"}, ...]}

:func:`planning.sharing.walk_log.walk_to_markdown` turns an entry into a
Markdown log; :func:`planning.sharing.slide.build_slide` gathers everything
the audience view draws, so that the Qt view only lays it out.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from planning.model.edits import PLAN, Change, Edit
from planning.model.errors import PlanError
from planning.engine.evaluate import TrackResult, evaluate_track
from planning.model.plan import DECISION, Plan

HISTORY_KEY = "history"
WALK_KIND = "walk"
#: Step actions, stored with each step (what moved the walk there).
START, NEXT, CHOOSE, BACK = "start", "next", "choose", "back"


def now_iso() -> str:
    """The local time now, ISO 8601 to the second with its UTC offset."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def evaluate_from(plan: Plan, node_id: str, track_id: str | None = None) -> TrackResult:
    """The subtree under ``node_id`` evaluated as if the path to it had happened.

    Exactly ``branchwise evaluate --from NODE``: the node's own payoff is
    included and variables defined above it still apply.

    Parameters
    ----------
    plan : Plan
    node_id : str
        The node reached.
    track_id : str, optional
        The track holding it (found from the plan when omitted).

    Returns
    -------
    TrackResult

    Raises
    ------
    PlanError
        When the subtree cannot be evaluated.
    """
    return evaluate_track(plan, track_id=track_id, root=node_id)


@dataclass
class WalkStep:
    """One arrival at a node during a walk."""

    node: str
    time: str
    note: str = ""
    action: str = START
    #: Linked tracks: the tracks that read the walked one, as they stood on
    #: arrival (track id -> {"ev", "failure_readiness"}); empty when none read it.
    tracks: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"node": self.node, "time": self.time, "note": self.note, "action": self.action}
        if self.tracks:
            out["tracks"] = {k: dict(v) for k, v in self.tracks.items()}
        return out


class Walk:
    """The state of a live walk through one track.

    Parameters
    ----------
    plan : Plan
        Read only: a walk never changes the plan.
    start : str, optional
        The node to start from; the track root by default.
    track_id : str, optional
        The track walked; the track holding ``start`` (else the first track).
    step_reveal : bool
        True: a node's branches appear one at a time as the presenter moves
        on; False: all at once on arrival.
    clock : callable, optional
        Returns the ISO time of a step (tests pass a fixed clock).
    """

    def __init__(self, plan: Plan, start: str | None = None, track_id: str | None = None,
                 *, step_reveal: bool = True, clock: Callable[[], str] | None = None):
        self.plan = plan
        self.clock = clock or now_iso
        if start is not None and start not in plan.nodes:
            raise KeyError(start)
        if track_id is None:
            owner = plan.track_of(start) if start is not None else None
            track_id = owner.id if owner is not None else plan.track().id
        track = plan.track(track_id)
        self.track_id: str = track.id
        self.start: str = start if start is not None else track.root
        self.step_reveal = step_reveal
        self.path: list[str] = [self.start]
        self.revealed = 0
        self.started = self.clock()
        self.steps: list[WalkStep] = [WalkStep(self.start, self.started, "", START)]
        self._results: dict[str, TrackResult] = {}
        self._ripples: dict[str, list[dict]] = {}
        self._readers: list[str] | None = None
        self._arrive(revealed_all=not step_reveal)
        self.steps[0].tracks = self._ripple_record(self.start)

    # -- where we are ------------------------------------------------------
    @property
    def current(self) -> str:
        """The id of the node on screen."""
        return self.path[-1]

    @property
    def children(self) -> list[str]:
        """Branches (chance) or options (decision) of the current node."""
        node = self.plan.nodes.get(self.current)
        return [c for c in node.children if c in self.plan.nodes] if node else []

    @property
    def all_revealed(self) -> bool:
        return self.revealed >= len(self.children)

    @property
    def note(self) -> str:
        """The note typed at the current step."""
        return self.steps[-1].note

    def set_note(self, text: str) -> None:
        """Keep ``text`` as the note of the current step."""
        self.steps[-1].note = text

    def breadcrumbs(self) -> list[str]:
        """Ids from the track root down to the current node (the path as if it happened)."""
        return self.plan.path_to(self.current)

    # -- numbers -----------------------------------------------------------
    def invalidate(self) -> None:
        """Forget cached figures (the plan changed)."""
        self._results.clear()
        self._ripples.clear()
        self._readers = None

    def readers(self) -> list[str]:
        """Tracks that read the walked one (directly or through others), in dependency order."""
        if self._readers is None:
            from planning.engine.links import readers_of

            try:
                self._readers = readers_of(self.plan, self.track_id)
            except PlanError:
                self._readers = []
        return self._readers

    def ripple(self, node_id: str | None = None) -> list[dict]:
        """The tracks that read this one, as if ``node_id`` (the current node) had happened.

        One dict per reading track: ``track``, ``title``, ``ev``,
        ``failure_readiness`` (None when it cannot be evaluated) and
        ``base_ev`` (before the walk), exactly ``evaluate --given NODE``.
        """
        node_id = node_id or self.current
        readers = self.readers()
        if not readers:
            return []
        if node_id not in self._ripples:
            from planning.engine.links import evaluate_linked

            try:
                now = evaluate_linked(self.plan, [node_id], readers)
                before = evaluate_linked(self.plan, [], readers)
            except PlanError:
                now = before = [None] * len(readers)
            rows = []
            for track_id, result, base in zip(readers, now, before):
                title = self.plan.track(track_id).title or track_id
                rows.append({"track": track_id, "title": title,
                             "ev": None if result is None else result.ev,
                             "failure_readiness": None if result is None else result.failure_readiness,
                             "base_ev": None if base is None else base.ev})
            self._ripples[node_id] = rows
        return self._ripples[node_id]

    def _ripple_record(self, node_id: str) -> dict:
        """What the walk log keeps of :meth:`ripple` at one step."""
        return {row["track"]: {"ev": row["ev"], "failure_readiness": row["failure_readiness"]}
                for row in self.ripple(node_id) if row["ev"] is not None}

    def result(self, node_id: str | None = None) -> TrackResult:
        """Figures from ``node_id`` (the current node by default), as ``evaluate --from``."""
        node_id = node_id or self.current
        if node_id not in self._results:
            self._results[node_id] = evaluate_from(self.plan, node_id, self.track_id)
        return self._results[node_id]

    def default_child(self) -> str | None:
        """Where "next" steps once everything is revealed.

        The most likely branch at a chance node (ties: the first), the policy
        option (best or committed) at a decision node, None at a terminal
        or when the subtree cannot be evaluated.
        """
        children = self.children
        if not children:
            return None
        try:
            result = self.result()
        except PlanError:
            return None
        node = self.plan.nodes[self.current]
        if node.kind == DECISION:
            return result.policy.get(self.current, children[0])
        best, best_p = children[0], -1.0
        for child in children:
            p = result.node(child)["probability"]
            if p > best_p + 1e-12:
                best, best_p = child, p
        return best

    # -- moving ------------------------------------------------------------
    def _arrive(self, revealed_all: bool) -> None:
        self.revealed = len(self.children) if revealed_all else 0

    def _log(self, action: str, revealed_all: bool) -> None:
        """Record the arrival at the (new) current node."""
        self.steps.append(WalkStep(self.current, self.clock(), "", action,
                                   self._ripple_record(self.current)))
        self._arrive(revealed_all)

    def next(self) -> str:
        """Reveal the next branch, or step into the default child when all are shown.

        Returns
        -------
        str
            "reveal", "step" or "" when there is nowhere to go (a terminal).
        """
        if not self.all_revealed:
            self.revealed += 1
            return "reveal"
        target = self.default_child()
        if target is None:
            return ""
        self.path.append(target)
        self._log(NEXT, revealed_all=not self.step_reveal)
        return "step"

    def previous(self) -> str:
        """Hide the last revealed branch; with none shown, go back one step.

        A clicker has two buttons, so "previous" must be able to undo every
        "next": hiding reveals first, then stepping back.

        Returns
        -------
        str
            "hide", "back" or "" at the start with nothing to hide.
        """
        if self.revealed > 0 and self.step_reveal:
            self.revealed -= 1
            return "hide"
        return "back" if self.back() else ""

    def reveal_all(self) -> None:
        """Show every branch of the current node at once."""
        self.revealed = len(self.children)

    def choose(self, number: int) -> bool:
        """Take branch/option ``number`` (1-based): what happened, or what we did.

        Returns
        -------
        bool
            False when the current node has no such child.
        """
        children = self.children
        if not 1 <= number <= len(children):
            return False
        self.path.append(children[number - 1])
        self._log(CHOOSE, revealed_all=not self.step_reveal)
        return True

    def back(self) -> bool:
        """Go back one step (above the start node too: to its parent).

        The node returned to shows all its branches: the room has seen them.
        """
        if len(self.path) > 1:
            self.path.pop()
        else:
            parents = self.plan.parents()
            up = parents.get(self.current)
            if up is None:
                return False
            self.path[-1] = up
        self._log(BACK, revealed_all=True)
        return True

    def moved(self) -> bool:
        """True once the walk went anywhere or a note was typed."""
        return len(self.steps) > 1 or any(s.note.strip() for s in self.steps)

    def to_entry(self) -> dict:
        """The history entry of this walk (see the module docstring)."""
        return {"kind": WALK_KIND, "started": self.started, "track": self.track_id,
                "steps": [s.to_json() for s in self.steps]}


# -- history -----------------------------------------------------------------
def history(plan: Plan) -> list[dict]:
    """The plan's history entries (a copy of the list; entries are shared)."""
    entries = plan.extra.get(HISTORY_KEY)
    return list(entries) if isinstance(entries, list) else []


def walks(plan: Plan) -> list[dict]:
    """The walk entries of the plan's history, oldest first."""
    return [e for e in history(plan) if isinstance(e, dict) and e.get("kind") == WALK_KIND]


class _SetHistory:
    """Reversible: replace ``plan.extra["history"]`` (absent before is restored as absent)."""

    _ABSENT = object()

    def __init__(self, plan: Plan, new: list):
        self.old = plan.extra.get(HISTORY_KEY, self._ABSENT)
        self.new = new

    def apply(self, plan: Plan) -> None:
        plan.extra[HISTORY_KEY] = self.new

    def revert(self, plan: Plan) -> None:
        if self.old is self._ABSENT:
            plan.extra.pop(HISTORY_KEY, None)
        else:
            plan.extra[HISTORY_KEY] = self.old


def append_history_edit(plan: Plan, entry: dict) -> Edit:
    """Append ``entry`` to the plan's history as one applied, undoable edit.

    Parameters
    ----------
    plan : Plan
    entry : dict
        A history entry such as :meth:`Walk.to_entry` gives.

    Returns
    -------
    Edit
        Already applied; ``undo(plan)`` removes the entry again.
    """
    op = _SetHistory(plan, history(plan) + [entry])
    edit = Edit("Record presentation walk", Change(PLAN, None, (), (HISTORY_KEY,)), [op])
    edit.redo(plan)
    return edit
