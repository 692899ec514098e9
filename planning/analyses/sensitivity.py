"""Sensitivity analysis: tornado, spider, one-way and two-way sweeps (DESIGN point 7).

A *parameter* is something with a range: a plan variable (or a node's local
variable), one branch probability or one payoff. Every analysis here builds
"scenario columns" -- the track's probabilities and payoffs with some
parameters moved -- and evaluates all of them with one (n, k) rollback, so a
sweep of 101 points costs about as much as a few single evaluations.

Rules
-----
* Changing a variable re-evaluates every expression that reads it, directly
  or through other variables (local variables too), and re-shares ``#``
  branches. If that leaves a chance node's branches not summing to 1 the
  scenario is invalid and :class:`~planning.model.errors.PlanError` says at which
  value.
* Changing one branch probability to ``v`` renormalises its siblings
  proportionally: each sibling is scaled by ``(1 - v) / (their sum)`` so the
  branches still sum to 1 and keep their relative weights (``#`` siblings are
  scaled like the others). When the siblings all sit at 0 they share
  ``1 - v`` equally. Two probabilities of the same chance node moved at once
  (a two-way sweep) are both held; only the others are rescaled.
* Changing a payoff sets the node's own payoff; response effects still add.
* Policy ``"optimal"`` re-optimises every decision in every scenario;
  ``"fixed"`` holds the base-case policy (committed options included).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from planning.model import expressions
from planning.engine.compile import KIND_DECISION, CompiledTrack, compile_track
from planning.model.errors import PlanError, names_nodes
from planning.engine.evaluate import check_finite, rollback
from planning.engine.grouped import in_order
# The ranged quantities and scenario columns live in the engine: Monte Carlo reads them too.
from planning.engine.parameters import (
    PAYOFF,
    PROBABILITY,
    Parameter,
    _Block,
    _describe,
    _merged_variables,
    compiled_parameters,
    parameters,
    parse_range,
    response_additions,
    scenario_columns,
    scope_values_columns,
    scope_values_with,
)
from planning.model.plan import Plan

POLICIES = ("optimal", "fixed")
#: Scenario matrices are processed in column batches of at most this many bytes per array.
BATCH_BYTES = 16_000_000
#: Thresholds are refined until their bracket is this fraction of the swept range.
THRESHOLD_PRECISION = 1e-6


# -- which parameters a track has, and which can move it -------------------------------

def parameter_names(ct: CompiledTrack) -> set[str]:
    """Every parameter name of a compiled track (with a range or not): what ``--range`` / ``--sweep`` accept."""
    names: set[str] = set()
    for scope in ct.scopes:
        for var in scope.variables:
            names.add(var.name if scope.node_id is None else f"{scope.node_id}.{var.name}")
    names.update(f"{ct.ids[i]}.{PROBABILITY}" for i in range(ct.size) if ct.is_branch[i])
    names.update(f"{node_id}.{PAYOFF}" for node_id in ct.ids)
    return names


def _reads(expression: expressions.Expression) -> frozenset[str]:
    """Variable names and linked-track keys (``p_success("T")``) an expression reads."""
    if not expression.links:
        return expression.names
    return expression.names | {expressions.link_key(*link) for link in expression.links}


def parameters_read_by(ct: CompiledTrack, plan: Plan | None = None) -> set[str]:
    """Parameter names that can change this track's numbers.

    Its own branch probabilities and payoffs, and the variables its
    expressions read, directly or through other variables. A plan variable
    only another track reads is not among them: moving it cannot move this
    track, so a tornado or sweep of it would only show a zero swing, unless
    (with ``plan``) this track reads that track through a link: then what
    moves the read track moves it too.
    """
    used: set[str] = {f"{ct.ids[i]}.{PROBABILITY}" for i in range(ct.size) if ct.is_branch[i]}
    used.update(f"{node_id}.{PAYOFF}" for node_id in ct.ids)
    pending = [(_reads(f.expression), f.scope) for f in ct.expression_fields]
    seen: set[tuple[int, str]] = set()
    while pending:
        names, scope = pending.pop()
        for name in names:
            s, variable = scope, None
            while s >= 0:  # the innermost scope that defines the name
                holder = ct.scopes[s]
                variable = next((v for v in holder.variables if v.name == name), None)
                if variable is not None:
                    break
                s = holder.parent
            if s < 0 or variable is None or (s, name) in seen:
                if name.endswith('")') and '("' in name:
                    used.add(name)  # a link: resolved against the plan below
                continue
            seen.add((s, name))
            used.add(name if ct.scopes[s].node_id is None else f"{ct.scopes[s].node_id}.{name}")
            if isinstance(variable.value, str):  # the plan compiled, so it parses
                pending.append((_reads(expressions.parse(variable.value)), s))
    links = [name for name in used if name.endswith('")') and '("' in name]
    used.difference_update(links)
    if plan is not None and links:
        from planning.engine.links import node_tracks

        owner = None
        for key in links:
            function, argument = key[:-2].split('("', 1)
            if function == "reach":
                owner = node_tracks(plan) if owner is None else owner
                argument = owner.get(argument, argument)
            if any(t.id == argument for t in plan.tracks):
                used |= parameters_read_by(compile_track(plan, argument), plan)
    return used


def parameter_words(plan: Plan, name: str, limit: int | None = None) -> str:
    """A parameter in a planner's words, without its id: what the CLI, the docks and plots call it.

    ``chance of "Label"`` (a branch probability), ``value of "Label"`` (a
    payoff), a local variable's description or name ``(at "Label")``, a plan
    variable's description (its name when it has none). With ``limit`` the
    label or description is shortened with "…" so the whole fits in ``limit``
    characters (the words around it are kept: they say what moves).
    """
    def cut(text: str, room: int | None) -> str:
        text = " ".join(str(text).split())
        if room is None or len(text) <= room:
            return text
        return text[:max(room - 1, 1)].rstrip() + "…"

    def label(node_id: str) -> str:
        node = plan.nodes.get(node_id)
        return node.label.strip() if node is not None and node.label.strip() else node_id

    node_id, _, field_name = name.rpartition(".")
    if node_id and node_id in plan.nodes:
        if field_name in (PROBABILITY, PAYOFF, "payoff2"):  # payoff2: the second criterion's value
            second = plan.criteria[1].name.strip() if len(plan.criteria) == 2 else ""
            head = ("chance of" if field_name == PROBABILITY else "value of" if field_name == PAYOFF
                    else f"{second or 'value 2'} of")
            room = None if limit is None else limit - len(head) - 3
            return f'{head} "{cut(label(node_id), room)}"'
        variable = next((v for v in plan.nodes[node_id].variables if v.name == field_name), None)
        about = (variable.description.strip() if variable is not None else "") or field_name
        if limit is None:
            return f'{about} (at "{label(node_id)}")'
        about = cut(about, max(limit // 2, limit - 8 - len(label(node_id))))
        return f'{about} (at "{cut(label(node_id), limit - len(about) - 7)}")'
    variable = next((v for v in plan.variables if v.name == name), None)
    about = variable.description.strip() if variable is not None else ""
    return cut(about or name, limit)


@dataclass
class _Evaluation:
    """Per-column figures of a batch of scenarios."""

    ev: np.ndarray  # root EV under the requested policy, (k,)
    best: np.ndarray  # re-optimised choice of every decision, (n_decisions, k), node indices
    option_ev: np.ndarray | None  # (n_options, k): each decision option's EV as if chosen


def _check_finite_columns(ct: CompiledTrack, value: np.ndarray, blocks: Sequence[_Block]) -> None:
    """Raise PlanError (naming the node and the scenario) for a column whose values overflow."""
    finite = np.isfinite(value).all(axis=0)
    if finite.all():
        return
    column = int(np.flatnonzero(~finite)[0])
    col = column
    for block in blocks:
        if col < block.width:
            break
        col -= block.width
    try:
        check_finite(ct, np.ascontiguousarray(value[:, column]))
    except PlanError as exc:
        raise PlanError(exc.node_id, exc.field, f"{exc.message} when {_describe(block, col)}") from None


class _Analysis:
    """A compiled track, its base case and the machinery to evaluate scenario blocks."""

    def __init__(self, plan: Plan, track_id: str | None, root: str | None, policy: str,
                 ranges: Mapping[str, tuple[float, float]] | None = None):
        if policy not in POLICIES:
            raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
        self.policy = policy
        self.ct = ct = compile_track(plan, track_id, root)
        self.params = compiled_parameters(ct, ranges)
        self.by_name = {p.name: p for p in self.params}
        self.additions = response_additions(ct)
        self.base_payoff = ct.payoff + self.additions
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            value, chosen = rollback(ct, self.base_payoff)
        check_finite(ct, value)
        self.base_ev = float(value[0])
        self.base_chosen = chosen
        self.decisions = np.flatnonzero(ct.kind == KIND_DECISION)
        counts = ct.child_count[self.decisions]
        self.option_nodes = (np.repeat(ct.child_start[self.decisions] - np.cumsum(counts) + counts, counts)
                             + np.arange(int(counts.sum())))
        self.option_owner = np.repeat(self.decisions, counts)
        self.max_columns = max(1, BATCH_BYTES // (8 * max(ct.size, 1)))

    def parameter(self, name: str, low: float | None = None, high: float | None = None) -> Parameter:
        """The named parameter with its range, or with ``low``/``high`` when given.

        Any variable, branch probability or payoff can be named, with or
        without a range in the plan.
        """
        if low is None and high is None:
            if name in self.by_name:
                return self.by_name[name]
            raise PlanError(None, "range", f"{name!r} has no range: give LOW and HIGH")
        if low is None or high is None:
            known = self.by_name.get(name)
            if known is None:
                raise PlanError(None, "range", f"{name!r} has no range: give LOW and HIGH")
            low = known.low if low is None else low
            high = known.high if high is None else high
        return next(p for p in compiled_parameters(self.ct, {name: (low, high)}) if p.name == name)

    def evaluate(self, blocks: Sequence[_Block], options: bool = False, best: bool = True) -> _Evaluation:
        """Evaluate scenario blocks in column batches that keep memory bounded.

        ``best=False``: the re-optimised choices are not wanted (tornado, spider), so
        with the fixed policy only the fixed rollback runs (the same call, the same numbers).
        """
        # Batches are independent: two run side by side (results in order, errors as in a loop).
        pieces = list(in_order(lambda batch: self._evaluate_batch(batch, options, best),
                               ((batch,) for batch in self._batches(blocks))))
        return _Evaluation(
            np.concatenate([p.ev for p in pieces]),
            np.concatenate([p.best for p in pieces], axis=1),
            np.concatenate([p.option_ev for p in pieces], axis=1) if options else None,
        )

    def _evaluate_batch(self, batch: Sequence[_Block], options: bool, best: bool) -> _Evaluation:
        """One column batch: its scenario matrices, rolled back under the policy."""
        # The module's name, looked up per call: tests replace it to force the block-by-block way.
        probability, payoff = scenario_columns(self.ct, batch, self.additions, _merged_variables)
        if self.policy == "optimal" and not options:
            grouped = self._grouped(batch, probability, payoff)
            if grouped is not None:
                return grouped
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            if self.policy == "fixed" and not best and not options:
                value = rollback(self.ct, payoff, probability, optimise=False, choice=self.base_chosen)[0]
                chosen = np.zeros((self.ct.size, 0), dtype=np.int64)
            else:
                value, chosen = rollback(self.ct, payoff, probability)
            if self.policy == "fixed" and chosen.shape[-1]:
                value, _ = rollback(self.ct, payoff, probability, optimise=False, choice=self.base_chosen)
        _check_finite_columns(self.ct, value, batch)
        option_ev = None
        if options:
            option_ev = payoff[self.option_owner] + value[self.option_nodes]
        best_choice = (chosen[self.decisions] if chosen.shape[-1]
                       else np.zeros((self.decisions.size, value.shape[1]), dtype=np.int64))
        return _Evaluation(value[0].copy(), best_choice, option_ev)

    def _grouped(self, batch: Sequence[_Block], probability: np.ndarray, payoff: np.ndarray) -> _Evaluation | None:
        """Root EV and best options of a batch by Monte Carlo's grouped rollback, or None.

        Only the ancestors of the moved parameters (and their children) are
        rolled back per column, in the layout of :class:`planning.engine.montecarlo._Simulator`
        (the one rollback for many columns); the rest of the tree keeps its
        base values. None where the figures could overflow: the full rollback
        then names the node and the scenario.
        """
        from planning.engine.montecarlo import _Simulator

        params = list({p.name: p for block in batch for p in block.params}.values())
        sim = _Simulator(self.ct, params)
        pay_rows, prob_rows = payoff[sim.pay_nodes], probability[sim.prob_nodes]
        if pay_rows.size and np.abs(pay_rows).max() * self.ct.size >= 1e300:
            return None
        with np.errstate(over="ignore", invalid="ignore"):
            ev, choice, _ = sim.roll(pay_rows, prob_rows)
        if not np.isfinite(ev).all():
            return None
        best = np.repeat(self.base_chosen[self.decisions][:, None], ev.size, axis=1)
        rows = sim.choice_row[self.decisions]
        live = rows >= 0
        best[live] = choice[rows[live]]
        return _Evaluation(ev, best, None)

    def _batches(self, blocks: Sequence[_Block]):
        batch: list[_Block] = []
        used = 0
        for block in blocks:
            start = 0
            while start < block.width:
                take = min(block.width - start, self.max_columns - used)
                batch.append(_Block(block.params, block.values[:, start:start + take]))
                used += take
                start += take
                if used >= self.max_columns:
                    yield batch
                    batch, used = [], 0
        if batch:
            yield batch

    def policy_map(self, best_column: np.ndarray) -> dict[str, str]:
        ids = self.ct.ids
        return {ids[d]: ids[c] for d, c in zip(self.decisions, best_column)}


# -- tornado and spider -----------------------------------------------------------

@dataclass
class TornadoResult:
    """EV at each parameter's low and high, the others at base; widest swing first."""

    base_ev: float
    policy: str
    bars: list[dict]

    def to_json(self) -> dict:
        return {"base_ev": self.base_ev, "policy": self.policy, "bars": [dict(b) for b in self.bars]}


@names_nodes
def tornado(plan: Plan, track_id: str | None = None, ranges: Mapping[str, tuple[float, float]] | None = None,
            policy: str = "optimal", root: str | None = None) -> TornadoResult:
    """One-at-a-time sensitivity of the EV to every parameter with a range.

    Parameters
    ----------
    plan : Plan
    track_id : str, optional
    ranges : mapping, optional
        ``{name: (low, high)}`` overriding or adding ranges.
    policy : {"optimal", "fixed"}
        Re-optimise the decisions in each scenario, or hold the base policy.
    root : str, optional
        Analyse the subtree under this node.

    Returns
    -------
    TornadoResult
        ``bars``: ``{"name", "low", "high", "ev_low", "ev_high"}`` sorted by
        ``|ev_high - ev_low|``, widest first (ties keep parameter order).
    """
    analysis = _Analysis(plan, track_id, root, policy, ranges)
    params = analysis.params
    blocks = [_Block([p], np.array([[p.low, p.high]])) for p in params]
    ev = analysis.evaluate(blocks, best=False).ev if blocks else np.zeros(0)
    bars = [{"name": p.name, "low": p.low, "high": p.high, "ev_low": float(ev[2 * j]), "ev_high": float(ev[2 * j + 1])}
            for j, p in enumerate(params)]
    bars.sort(key=lambda b: -abs(b["ev_high"] - b["ev_low"]))
    if root is None:  # linked tracks: the read tracks' ranges move this track's EV too
        from planning.engine.linked_draws import tornado_bars

        bars = tornado_bars(plan, track_id, analysis, bars)
    return TornadoResult(analysis.base_ev, policy, bars)


@dataclass
class SpiderResult:
    """EV as each parameter moves across its range (one line per parameter)."""

    base_ev: float
    policy: str
    lines: list[dict]

    def to_json(self) -> dict:
        return {"base_ev": self.base_ev, "policy": self.policy, "lines": [dict(line) for line in self.lines]}

    def points(self, name: str) -> list[tuple[float, float]]:
        """``(value, ev)`` pairs of one parameter."""
        line = next(line for line in self.lines if line["name"] == name)
        return list(zip(line["values"], line["ev"]))


@names_nodes
def spider(plan: Plan, track_id: str | None = None, steps: int = 11, policy: str = "optimal",
           ranges: Mapping[str, tuple[float, float]] | None = None, root: str | None = None) -> SpiderResult:
    """EV of every parameter swept across its range, the others at base.

    Each line holds ``values``, ``ev``, ``percent`` (change from the base
    value in %, None when the base is 0) and ``position`` (0 at low, 1 at
    high), so a plot can use either x axis.
    """
    if steps < 2:
        raise ValueError("steps must be at least 2")
    analysis = _Analysis(plan, track_id, root, policy, ranges)
    grid = np.linspace(0.0, 1.0, steps)
    blocks = [_Block([p], (p.low + (p.high - p.low) * grid)[None, :]) for p in analysis.params]
    ev = analysis.evaluate(blocks, best=False).ev if blocks else np.zeros(0)
    lines = []
    for j, (p, block) in enumerate(zip(analysis.params, blocks)):
        values = block.values[0]
        percent = [None if p.base == 0 else float((v - p.base) / abs(p.base) * 100.0) for v in values]
        lines.append({"name": p.name, "base": p.base, "low": p.low, "high": p.high,
                      "values": values.tolist(), "ev": ev[j * steps:(j + 1) * steps].tolist(),
                      "percent": percent, "position": grid.tolist()})
    return SpiderResult(analysis.base_ev, policy, lines)


# -- one-way and two-way sweeps -----------------------------------------------------

@dataclass
class SweepResult:
    """A one-way sweep: EV and best options per value, and where the best option changes."""

    variable: str
    policy: str
    points: list[dict]
    option_ev: dict[str, dict[str, list[float]]]
    thresholds: list[dict]

    def to_json(self) -> dict:
        return {"variable": self.variable, "policy": self.policy,
                "points": [dict(p, best=dict(p["best"])) for p in self.points],
                "thresholds": [dict(t) for t in self.thresholds]}


@names_nodes
def sweep(plan: Plan, name: str, lo: float | None = None, hi: float | None = None, steps: int = 21,
          track_id: str | None = None, policy: str = "optimal", root: str | None = None) -> SweepResult:
    """Sweep one parameter from ``lo`` to ``hi`` (its range when omitted).

    Returns
    -------
    SweepResult
        ``points``: ``{"value", "ev", "best"}`` where ``ev`` follows
        ``policy`` and ``best`` is the re-optimised option of every decision;
        ``option_ev[decision][option]``: that option's EV as if chosen at each
        point (the rest of the tree under ``policy``); ``thresholds``:
        ``{"decision", "value", "from", "to"}`` where a decision's best option
        changes, refined by bisection to 1e-6 of the range.
    """
    if steps < 2:
        raise ValueError("steps must be at least 2")
    analysis = _Analysis(plan, track_id, root, policy)
    param = analysis.parameter(name, lo, hi)
    values = np.linspace(param.low, param.high, steps)
    result = analysis.evaluate([_Block([param], values[None, :])], options=True)
    ids = analysis.ct.ids
    points = [{"value": float(v), "ev": float(result.ev[k]), "best": analysis.policy_map(result.best[:, k])}
              for k, v in enumerate(values)]
    option_ev: dict[str, dict[str, list[float]]] = {}
    for row, (owner, option) in enumerate(zip(analysis.option_owner, analysis.option_nodes)):
        option_ev.setdefault(ids[owner], {})[ids[option]] = result.option_ev[row].tolist()
    thresholds = _thresholds(analysis, param, values, result.best)
    return SweepResult(param.name, policy, points, option_ev, thresholds)


def _thresholds(analysis: _Analysis, param: Parameter, values: np.ndarray, best: np.ndarray) -> list[dict]:
    """Bisect every bracket where a decision's best option changes, all brackets at once."""
    rows, cols = np.nonzero(best[:, 1:] != best[:, :-1])
    if rows.size == 0:
        return []
    lo, hi = values[cols].copy(), values[cols + 1].copy()
    before, after = best[rows, cols].copy(), best[rows, cols + 1].copy()
    tolerance = THRESHOLD_PRECISION * max(abs(param.high - param.low), 1e-300)
    saved_policy = analysis.policy
    analysis.policy = "optimal"  # only the re-optimised choices matter here
    try:
        while (hi - lo).max() > tolerance:
            mid = 0.5 * (lo + hi)
            chosen = analysis.evaluate([_Block([param], mid[None, :])]).best[rows, np.arange(rows.size)]
            stay = chosen == before
            lo = np.where(stay, mid, lo)
            hi = np.where(stay, hi, mid)
            after = np.where(stay, after, chosen)
    finally:
        analysis.policy = saved_policy
    ids = analysis.ct.ids
    found = [{"decision": ids[analysis.decisions[r]], "value": float(0.5 * (a + b)),
              "from": ids[f], "to": ids[t]} for r, a, b, f, t in zip(rows, lo, hi, before, after)]
    found.sort(key=lambda t: (t["value"], t["decision"]))
    return found


@dataclass
class Sweep2Result:
    """A two-way sweep: which option a decision takes over a grid (a policy-region map)."""

    x: str
    y: str
    decision: str
    policy: str
    x_values: list[float]
    y_values: list[float]
    best: list[list[str]]  # best[iy][ix]
    ev: list[list[float]]

    def to_json(self) -> dict:
        return {"x": {"name": self.x, "values": list(self.x_values)},
                "y": {"name": self.y, "values": list(self.y_values)},
                "decision": self.decision, "policy": self.policy,
                "best": [list(row) for row in self.best], "ev": [list(row) for row in self.ev]}


@names_nodes
def sweep2(plan: Plan, x_name: str, x_lo: float | None, x_hi: float | None, y_name: str, y_lo: float | None,
           y_hi: float | None, steps_x: int = 21, steps_y: int = 21, decision: str | None = None,
           track_id: str | None = None, policy: str = "optimal", root: str | None = None) -> Sweep2Result:
    """Sweep two parameters over a grid; report one decision's best option and the EV.

    ``decision`` defaults to the root when it is a decision, else the first
    decision in breadth-first order. ``best`` is always the re-optimised
    choice; ``ev`` follows ``policy``. Rows go along y, columns along x.
    """
    if steps_x < 2 or steps_y < 2:
        raise ValueError("steps must be at least 2")
    analysis = _Analysis(plan, track_id, root, policy)
    if analysis.decisions.size == 0:
        raise PlanError(analysis.ct.root_id, None, "the track has no decision to map")
    if decision is None:
        row = 0
    else:
        where = np.flatnonzero(analysis.decisions == analysis.ct.index.get(decision, -1))
        if where.size == 0:
            raise PlanError(decision, None, "not a decision node of this track")
        row = int(where[0])
    px = analysis.parameter(x_name, x_lo, x_hi)
    py = analysis.parameter(y_name, y_lo, y_hi)
    if px.name == py.name:
        raise ValueError("x and y must be different parameters")
    xs = np.linspace(px.low, px.high, steps_x)
    ys = np.linspace(py.low, py.high, steps_y)
    grid_x, grid_y = np.meshgrid(xs, ys)  # (steps_y, steps_x)
    block = _Block([px, py], np.vstack([grid_x.ravel(), grid_y.ravel()]))
    result = analysis.evaluate([block])
    ids = analysis.ct.ids
    chosen = result.best[row].reshape(steps_y, steps_x)
    ev = result.ev.reshape(steps_y, steps_x)
    return Sweep2Result(px.name, py.name, ids[analysis.decisions[row]], policy, xs.tolist(), ys.tolist(),
                        [[ids[c] for c in line] for line in chosen], ev.tolist())


__all__ = [
    "POLICIES", "Parameter", "SpiderResult", "Sweep2Result", "SweepResult", "TornadoResult",
    "compiled_parameters", "parameter_names", "parameter_words", "parameters", "parameters_read_by",
    "parse_range", "response_additions", "scenario_columns", "scope_values_columns", "scope_values_with",
    "spider", "sweep", "sweep2", "tornado",
]
