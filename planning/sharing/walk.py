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

:func:`walk_to_markdown` turns an entry into a Markdown log;
:func:`build_slide` gathers everything the audience view draws, so that the
Qt view only lays it out.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from planning.model.edits import PLAN, Change, Edit
from planning.model.errors import PlanError
from planning.engine.evaluate import TrackResult, evaluate_track
from planning.model.plan import CHANCE, DECISION, READINESS_LEVELS, TERMINAL, Plan
from planning.engine.readiness import badge

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


# -- Markdown ----------------------------------------------------------------
_MD_SPECIAL = set("\\`*_[]<>|~#")


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell: specials escaped, one line."""
    out = "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
    return "<br>".join(part.strip() for part in out.splitlines()) if "\n" in out else out


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except (TypeError, ValueError):
        return None


def _offset(start: datetime | None, time: str) -> str:
    at = _parse_time(time)
    if start is None or at is None:
        return str(time)
    try:
        seconds = max(0, int((at - start).total_seconds()))
    except TypeError:  # one aware, one naive
        return str(time)
    hours, rest = divmod(seconds, 3600)
    return f"+{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"+{rest // 60}:{rest % 60:02d}"


def format_value(value: float | None, unit: str = "") -> str:
    """A figure as the presenter shows it: 4 significant digits, thousands separated."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
    if "e" in text:
        text = f"{value:,.2f}"
    return f"{text} {unit}".strip()


def _what_happened(plan: Plan, previous: str | None, step: dict, probabilities: dict) -> str:
    node_id = step.get("node")
    if previous is None:
        return "start"
    prev = plan.nodes.get(previous)
    if prev is not None and node_id in prev.children:
        number = prev.children.index(node_id) + 1
        if prev.kind == CHANCE:
            p = probabilities.get(node_id)
            return f"branch {number} happened" + (f" ({p:.0%})" if p is not None else "")
        return f"option {number} taken"
    node = plan.nodes.get(node_id)
    if node is not None and previous in node.children:
        return "back"
    return str(step.get("action") or "moved")


def walk_to_markdown(entry: dict, plan: Plan) -> str:
    """A walk log as Markdown: when, where the walk went, EV from each step, notes.

    Parameters
    ----------
    entry : dict
        A walk entry of the plan's history.
    plan : Plan
        The plan walked: labels and figures come from it as it is now; a
        node removed since shows its id.

    Returns
    -------
    str
        Markdown text ending with a newline.
    """
    track_id = entry.get("track")
    track_title = track_id or ""
    try:
        track = plan.track(track_id)
        track_title = track.title or track.id
    except KeyError:
        track = None
    steps = [s for s in entry.get("steps", []) if isinstance(s, dict)]
    start = _parse_time(entry.get("started", ""))
    probabilities: dict[str, float] = {}
    if track is not None:
        try:
            whole = evaluate_track(plan, track.id)
            probabilities = {i: float(whole.node_probability[k]) for i, k in whole.index.items()}
        except PlanError:
            pass
    evs: dict[str, str] = {}
    lines = [f"# Walk: {_md(plan.title or 'Untitled plan')} — {_md(track_title)}", ""]
    duration = _offset(start, steps[-1].get("time", "")) if steps else "+0:00"
    lines.append(f"Started {_md(entry.get('started', '?'))}; {len(steps)} steps; "
                 f"last step at {duration.lstrip('+')}.")
    lines += ["", "| # | Time | Node | What happened | EV from here | Note |",
              "|---:|---|---|---|---:|---|"]
    previous = None
    for number, step in enumerate(steps, 1):
        node_id = str(step.get("node", ""))
        node = plan.nodes.get(node_id)
        name = f"{_md(node.label or node_id)} ({node.kind})" if node else f"{_md(node_id)} (removed)"
        if node_id not in evs:
            try:
                evs[node_id] = format_value(evaluate_from(plan, node_id, track_id).ev, plan.value_unit) \
                    if node else "–"
            except (PlanError, KeyError):
                evs[node_id] = "–"
        happened = _what_happened(plan, previous, step, probabilities)
        lines.append(f"| {number} | {_offset(start, step.get('time', ''))} | {name} | "
                     f"{_md(happened)} | {_md(evs[node_id])} | {_md(step.get('note', ''))} |")
        previous = node_id
    lines += _ripple_lines(plan, steps)
    return "\n".join(lines) + "\n"


def _ripple_lines(plan: Plan, steps: list[dict]) -> list[str]:
    """Linked tracks: how the tracks that read the walked one stood at each step."""
    rows = []
    for number, step in enumerate(steps, 1):
        tracks = step.get("tracks")
        if not isinstance(tracks, dict):
            continue
        for track_id, figures in tracks.items():
            if not isinstance(figures, dict):
                continue
            try:
                title = plan.track(track_id).title or track_id
            except KeyError:
                title = str(track_id)
            ev, ready = figures.get("ev"), figures.get("failure_readiness")
            ready_text = f"{ready:.0%}" if isinstance(ready, (int, float)) else "–"
            ev_text = format_value(ev, plan.value_unit) if isinstance(ev, (int, float)) else "–"
            rows.append(f"| {number} | {_md(title)} | {_md(ev_text)} | {ready_text} |")
    if not rows:
        return []
    return ["", "Tracks that read this one, at each step:", "",
            "| # | Track | EV | Failure readiness |", "|---:|---|---:|---:|", *rows]


def history_to_markdown(plan: Plan) -> str:
    """Every walk of the plan's history as one Markdown document."""
    entries = walks(plan)
    if not entries:
        return f"# Walks: {_md(plan.title or 'Untitled plan')}\n\nNo walks recorded.\n"
    return "\n".join(walk_to_markdown(e, plan) for e in entries)


# -- what the audience sees --------------------------------------------------
@dataclass
class ResponseLine:
    """One prepared response as shown on a branch card."""

    title: str
    owner: str
    readiness: int
    readiness_name: str
    lead_time_days: float | None
    late: bool


@dataclass
class BranchCard:
    """One branch of a chance node or option of a decision node."""

    node_id: str
    number: int
    label: str
    kind: str
    path: str
    probability: float | None      # None for decision options
    ev: float | None
    failure_readiness: float | None
    p_failure: float | None
    badge: str
    signposts: list[str]
    warning_days: float | None
    responses: list[ResponseLine]
    #: one level further: (label, probability or None, path) of this node's children
    outlook: list[tuple[str, float | None, str]] = field(default_factory=list)
    best: bool = False              # the policy option of a decision
    revealed: bool = True
    next_target: bool = False       # where "next" would step
    #: with two criteria: the second criterion's expected value from this node (Slide.second names it)
    ev2: float | None = None


@dataclass
class Slide:
    """Everything the audience view draws for the current node."""

    node_id: str
    label: str
    kind: str
    path: str
    value_unit: str
    track_title: str
    breadcrumbs: list[tuple[str, str]]
    ev: float | None = None
    p_failure: float | None = None
    failure_exposure: float | None = None
    failure_readiness: float | None = None
    success_readiness: float | None = None
    probability: float | None = None       # of the current node under its parent (chance)
    branch_readiness: float | None = None  # rho of the current node when it is a branch
    self_card: BranchCard | None = None    # the current node's own branch details
    cards: list[BranchCard] = field(default_factory=list)
    error: str = ""
    notes: str = ""
    #: at a decision: (quantity label, value) of what is most worth knowing first (planning.analyses.voi)
    worth_knowing: list[tuple[str, float]] = field(default_factory=list)
    #: with two criteria: (name, expected value from here, unit) of the second criterion
    second: tuple[str, float, str] | None = None


def _responses(node: Any) -> list[ResponseLine]:
    lines = []
    for r in node.responses:
        level = max(0, min(len(READINESS_LEVELS) - 1, int(r.readiness)))
        lines.append(ResponseLine(r.title or r.id, r.owner, level, READINESS_LEVELS[level],
                                  r.lead_time_days, r.is_late(node.warning_days)))
    return lines


def _outlook(plan: Plan, node: Any, result: TrackResult | None) -> list[tuple[str, float | None, str]]:
    out = []
    for child_id in node.children:
        child = plan.nodes.get(child_id)
        if child is None:
            continue
        figures = result.node(child_id) if result is not None and child_id in result.index else None
        p = figures["probability"] if figures and node.kind == CHANCE else None
        out.append((child.label or child_id, p, figures["path"] if figures else (child.path or "neutral")))
    return out


def _card(plan: Plan, node_id: str, number: int, probability: float | None,
          result: TrackResult | None) -> BranchCard:
    node = plan.nodes[node_id]
    figures = result.node(node_id) if result is not None and node_id in result.index else None
    path = figures["path"] if figures else (node.path or "neutral")
    return BranchCard(
        node_id=node_id, number=number, label=node.label or node_id, kind=node.kind, path=path,
        probability=probability, ev=figures["ev"] if figures else None,
        failure_readiness=figures["failure_readiness"] if figures else None,
        p_failure=figures["p_failure"] if figures else None,
        badge=badge(node), signposts=list(node.signposts), warning_days=node.warning_days,
        responses=_responses(node), outlook=_outlook(plan, node, result), ev2=_ev2(result, node_id))


def _ev2(result: TrackResult | None, node_id: str) -> float | None:
    """The second criterion's expected value from a node (None with one criterion)."""
    node_ev2 = getattr(result, "node_ev2", None) if result is not None else None
    if node_ev2 is None or node_id not in result.index:
        return None
    return float(np.ravel(node_ev2[result.index[node_id]])[0])


def build_slide(walk: Walk) -> Slide:
    """What the audience view shows for the walk's current node.

    Figures are those of :func:`evaluate_from` at the current node; a plan
    that cannot be evaluated gives a slide with ``error`` set and no numbers.
    """
    plan = walk.plan
    node = plan.nodes[walk.current]
    track = plan.track(walk.track_id)
    crumbs = [(i, plan.nodes[i].label or i) for i in walk.breadcrumbs() if i in plan.nodes]
    slide = Slide(node_id=node.id, label=node.label or node.id, kind=node.kind,
                  path=node.path or "neutral", value_unit=plan.value_unit,
                  track_title=track.title or track.id, breadcrumbs=crumbs, notes=node.notes)
    try:
        result = walk.result()
    except (PlanError, KeyError, ArithmeticError) as exc:
        slide.error = str(exc)
        result = None
    parent_id = plan.parents().get(node.id) if len(crumbs) > 1 else None
    parent = plan.nodes.get(parent_id) if parent_id else None
    is_branch = parent is not None and parent.kind == CHANCE
    try:
        # The parent's figures (usually cached: the walk came from there) give
        # this node's resolved probability, path and branch readiness.
        above = walk.result(parent_id) if parent_id else result
    except (PlanError, KeyError, ArithmeticError):
        above = None
    if above is not None and node.id in above.index:
        slide.path = above.node_path[above.index[node.id]]
        if is_branch:
            slide.probability = float(above.node_probability[above.index[node.id]])
            slide.branch_readiness = float(above.node_readiness[above.index[node.id]])
    if result is not None:
        slide.ev = result.ev
        slide.p_failure = result.p_failure
        slide.failure_exposure = result.failure_exposure
        slide.failure_readiness = result.failure_readiness
        slide.success_readiness = result.success_readiness
        settings = getattr(result, "settings", None)
        if settings is not None and settings.two and result.values is not None:
            slide.second = (settings.names[1] or "criterion 2", result.values[1], settings.units[1])
    if is_branch or node.responses or node.signposts or node.kind == TERMINAL:
        slide.self_card = _card(plan, node.id, 0, slide.probability, result)
        slide.self_card.path = slide.path
    target = walk.default_child() if walk.all_revealed else None
    best = result.policy.get(node.id) if result is not None and node.kind == DECISION else None
    if best is not None and len(node.children) > 1:
        from planning.analyses.voi import worth_knowing
        slide.worth_knowing = worth_knowing(plan, walk.track_id, node.id)
    for number, child in enumerate(walk.children, 1):
        p = None
        if node.kind == CHANCE and result is not None:
            p = result.node(child)["probability"]
        card = _card(plan, child, number, p, result)
        card.best = child == best
        card.revealed = number <= walk.revealed
        card.next_target = child == target
        slide.cards.append(card)
    return slide
