"""A walk's log as Markdown: when, where the walk went, the figures at each step.

Entries come from the plan's history (:func:`planning.sharing.walk.walks`);
labels and figures are read from the plan as it is now.
"""
from __future__ import annotations

from datetime import datetime

from planning.model.errors import PlanError
from planning.engine.evaluate import evaluate_track
from planning.model.plan import CHANCE, Plan
from planning.sharing.slide import format_value
from planning.sharing.walk import evaluate_from, walks

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
