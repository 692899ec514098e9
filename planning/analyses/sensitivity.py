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

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from planning.model import expressions
from planning.engine.compile import (
    KIND_CHANCE,
    KIND_DECISION,
    SUM_TOLERANCE,
    CompiledTrack,
    Scope,
    apply_expressions,
    check_probabilities,
    compile_track,
    resolve_scopes,
    resolve_shares,
)
from planning.model.errors import PlanError, names_nodes
from planning.engine.evaluate import check_finite, effective_payoffs, rollback
from planning.model.plan import Plan

POLICIES = ("optimal", "fixed")
VARIABLE, PROBABILITY, PAYOFF = "variable", "probability", "payoff"
#: Scenario matrices are processed in column batches of at most this many bytes per array.
BATCH_BYTES = 16_000_000
#: Thresholds are refined until their bracket is this fraction of the swept range.
THRESHOLD_PRECISION = 1e-6


@dataclass(frozen=True)
class Parameter:
    """One uncertain number: a variable, a branch probability or a payoff.

    ``name`` is what the user types in ``--range NAME=LOW:HIGH``: a plan
    variable's name, ``NODE.VAR`` for a node's local variable,
    ``NODE.probability`` or ``NODE.payoff``.
    """

    name: str
    kind: str
    node_id: str | None
    base: float
    low: float
    high: float
    node_index: int = field(default=-1, repr=False, compare=False)
    scope: int = field(default=-1, repr=False, compare=False)
    variable: str = field(default="", repr=False, compare=False)

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "node": self.node_id,
                "base": self.base, "low": self.low, "high": self.high}


# -- parameters --------------------------------------------------------------

def parse_range(text: str) -> tuple[str, tuple[float, float]]:
    """Parse the CLI form ``NAME=LOW:HIGH`` into ``(name, (low, high))``.

    >>> parse_range("p_ok=0.4:0.9")
    ('p_ok', (0.4, 0.9))
    """
    name, sep, span = text.rpartition("=")
    low, colon, high = span.partition(":")
    if not sep or not colon or not name:
        raise ValueError(f"expected NAME=LOW:HIGH, got {text!r}")
    try:
        return name.strip(), (float(low), float(high))
    except ValueError:
        raise ValueError(f"expected numbers in {text!r}") from None


def compiled_parameters(
    ct: CompiledTrack, ranges: Mapping[str, tuple[float, float]] | None = None
) -> list[Parameter]:
    """Every parameter with a range in a compiled track, with ``ranges`` applied.

    Order: plan variables, local variables (breadth-first), branch
    probabilities, payoffs (both breadth-first). ``ranges`` replaces the range
    of a listed parameter or adds one that has no range in the plan.
    """
    scope_values = resolve_scopes(ct)
    found: dict[str, Parameter] = {}
    candidates: dict[str, Parameter] = {}

    def offer(param: Parameter, has_range: bool) -> None:
        (found if has_range else candidates).setdefault(param.name, param)

    for s, scope in enumerate(ct.scopes):
        for var in scope.variables:
            name = var.name if scope.node_id is None else f"{scope.node_id}.{var.name}"
            base = float(np.asarray(scope_values[s][var.name]))
            low, high = var.range if var.range is not None else (base, base)
            offer(Parameter(name, VARIABLE, scope.node_id, base, float(low), float(high),
                            ct.index.get(scope.node_id, -1) if scope.node_id else -1, s, var.name),
                  var.range is not None)
    # Only the numbers with a range, or named in ``ranges``, can be parameters:
    # the others are not made at all (a 100k-node track has 160k of them).
    wanted = {name.rpartition(".")[0] for name in (ranges or {}) if "." in name}
    wanted_index = np.zeros(ct.size, dtype=bool)
    wanted_index[[ct.index[node_id] for node_id in wanted if node_id in ct.index]] = True
    for i in np.flatnonzero(ct.is_branch & (~np.isnan(ct.probability_range[:, 0]) | wanted_index)):
        low, high = ct.probability_range[i]
        p = float(ct.probability[i])
        offer(Parameter(f"{ct.ids[i]}.{PROBABILITY}", PROBABILITY, ct.ids[i], p,
                        p if np.isnan(low) else float(low), p if np.isnan(high) else float(high), int(i)),
              not np.isnan(low))
    for i in np.flatnonzero(~np.isnan(ct.payoff_range[:, 0]) | wanted_index):
        low, high = ct.payoff_range[i]
        v = float(ct.payoff[i])
        offer(Parameter(f"{ct.ids[i]}.{PAYOFF}", PAYOFF, ct.ids[i], v,
                      v if np.isnan(low) else float(low), v if np.isnan(high) else float(high), int(i)),
              not np.isnan(low))
    for name, (low, high) in (ranges or {}).items():
        known = found.get(name) or candidates.get(name)
        if known is None:
            raise PlanError(None, "range", f"unknown parameter {name!r} (a variable, NODE.probability or NODE.payoff)")
        low, high = float(low), float(high)
        if not (np.isfinite(low) and np.isfinite(high)) or low > high:
            raise PlanError(known.node_id, "range", f"{name}: need finite LOW <= HIGH, got {low:g}:{high:g}")
        found[name] = dataclasses.replace(known, low=low, high=high)
    for param in found.values():
        if param.kind == PROBABILITY and (param.low < 0 or param.high > 1):
            raise PlanError(param.node_id, "probability_range", f"must lie within [0, 1], got [{param.low:g}, {param.high:g}]")
    order = {name: k for k, name in enumerate(list(found) + list(candidates))}
    kinds = {VARIABLE: 0, PROBABILITY: 1, PAYOFF: 2}
    return sorted(found.values(), key=lambda p: (kinds[p.kind], order[p.name]))


@names_nodes
def parameters(plan: Plan, track_id: str | None = None, ranges: Mapping[str, tuple[float, float]] | None = None,
               root: str | None = None) -> list[Parameter]:
    """Every variable, branch probability and payoff with a range in a track.

    Parameters
    ----------
    plan : Plan
    track_id : str, optional
        The track (the first one by default).
    ranges : mapping, optional
        ``{name: (low, high)}`` overriding or adding ranges (``--range``).
    root : str, optional
        Analyse the subtree under this node.
    """
    return compiled_parameters(compile_track(plan, track_id, root), ranges)


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


def scope_values_with(ct: CompiledTrack, overrides: Mapping[tuple[int, str], object]) -> list[dict]:
    """Resolve every variable scope with some variables replaced.

    ``overrides`` maps ``(scope index, variable name)`` to a float or an
    array (one value per scenario column); variables defined from them, and
    so every expression reading them, follow.
    """
    if not overrides:
        return resolve_scopes(ct)
    scopes = list(ct.scopes)
    for (s, name), value in overrides.items():
        scope = scopes[s]
        scopes[s] = Scope(scope.parent, scope.node_id,
                          [dataclasses.replace(v, value=value) if v.name == name else v for v in scope.variables])
    return resolve_scopes(dataclasses.replace(ct, scopes=scopes))


def scope_values_columns(ct: CompiledTrack, moves: Mapping[tuple[int, str], tuple[np.ndarray, np.ndarray]],
                         width: int) -> list[dict]:
    """Resolve every scope for ``width`` scenario columns at once.

    ``moves`` maps ``(scope index, variable name)`` to ``(columns, values)``:
    the variable takes those values in those columns and its own definition
    in the others, so one pass over the definitions serves many scenarios
    that each move different variables (a tornado over 2,000 chained
    variables resolves them once, not 2,000 times). Raises ExpressionError or
    PlanError where a definition fails in any column: callers then fall back
    to :func:`scope_values_with`, scenario by scenario, for the exact message.
    """
    values: list[dict] = []
    for s, scope in enumerate(ct.scopes):
        resolved = dict(values[scope.parent]) if scope.parent >= 0 else {}
        for variable in scope.variables:
            value = expressions.evaluate_value(variable.value, resolved)
            move = moves.get((s, variable.name))
            if move is not None:
                full = np.empty(width)
                full[:] = value
                full[move[0]] = move[1]
                value = full
            resolved[variable.name] = value
        values.append(resolved)
    return values


def _merged_variables(ct: CompiledTrack, moving: Sequence[tuple["_Block", slice]],
                      probability: np.ndarray, payoff: np.ndarray) -> None:
    """Resolve the variables of several blocks in one pass (see :func:`scope_values_columns`).

    Writes ``probability`` / ``payoff`` only when every column resolved.
    """
    columns, moves, offset = [], {}, 0
    for block, cols in moving:
        k = cols.stop - cols.start
        columns.append(np.arange(cols.start, cols.stop))
        for j, p in enumerate(block.params):
            if p.kind == VARIABLE:
                where, what = moves.setdefault((p.scope, p.variable), ([], []))
                where.append(np.arange(offset, offset + k))
                what.append(block.values[j])
        offset += k
    index = np.concatenate(columns)
    moves = {key: (np.concatenate(where), np.concatenate(what)) for key, (where, what) in moves.items()}
    scope_values = scope_values_columns(ct, moves, index.size)
    sub_probability, sub_payoff = probability[:, index], payoff[:, index]
    apply_expressions(ct, scope_values, sub_probability, sub_payoff)
    resolve_shares(ct, sub_probability)
    probability[:, index] = sub_probability
    payoff[:, index] = sub_payoff


def response_additions(ct: CompiledTrack) -> np.ndarray:
    """What prepared responses add to each node's payoff (effective - raw)."""
    return effective_payoffs(ct, np.zeros(ct.size))[:, 0]


# -- scenario columns -----------------------------------------------------------

@dataclass
class _Block:
    """Columns that move the same parameters: values has shape (len(params), k)."""

    params: list[Parameter]
    values: np.ndarray

    @property
    def width(self) -> int:
        return self.values.shape[1]


def _describe(block: _Block, column: int) -> str:
    return ", ".join(f"{p.name} = {block.values[j, column]:.6g}" for j, p in enumerate(block.params))


def _check_columns(ct: CompiledTrack, probability: np.ndarray, block: _Block) -> None:
    """Raise PlanError (naming the scenario) for a column whose probabilities are invalid."""
    branches = np.flatnonzero(ct.is_branch)
    if branches.size == 0:
        return
    p = probability[branches]
    bad = ((p < -SUM_TOLERANCE) | (p > 1 + SUM_TOLERANCE) | ~np.isfinite(p)).any(axis=0)
    chance = np.flatnonzero(ct.kind == KIND_CHANCE)
    sums = np.add.reduceat(probability[branches], np.searchsorted(branches, ct.child_start[chance]), axis=0)
    bad |= (np.abs(sums - 1.0) > SUM_TOLERANCE).any(axis=0)
    if not bad.any():
        return
    col = int(np.flatnonzero(bad)[0])
    where = _describe(block, col)
    try:
        check_probabilities(ct, np.ascontiguousarray(probability[:, col]))
    except PlanError as exc:
        raise PlanError(exc.node_id, exc.field, f"{exc.message} when {where}") from None
    raise PlanError(None, "probability", f"invalid probabilities when {where}")


def _pin_probabilities(ct: CompiledTrack, probability: np.ndarray, block: _Block, cols: slice) -> None:
    """Set the block's branch probabilities and rescale their free siblings (module rule)."""
    by_parent: dict[int, list[int]] = {}
    for j, p in enumerate(block.params):
        if p.kind == PROBABILITY:
            by_parent.setdefault(int(ct.parent[p.node_index]), []).append(j)
    for parent, rows in by_parent.items():
        pinned = np.array([block.params[j].node_index for j in rows])
        values = block.values[rows]
        siblings = np.arange(ct.child_start[parent], ct.child_start[parent] + ct.child_count[parent])
        free = siblings[~np.isin(siblings, pinned)]
        rest = 1.0 - values.sum(axis=0)
        if (rest < -SUM_TOLERANCE).any():
            col = int(np.flatnonzero(rest < -SUM_TOLERANCE)[0])
            raise PlanError(ct.ids[parent], "probability", f"branches sum above 1 when {_describe(block, col)}")
        rest = np.maximum(rest, 0.0)
        if free.size:
            current = probability[free, cols]
            total = current.sum(axis=0)
            spread = np.where(total > 0, rest / np.where(total > 0, total, 1.0), 0.0)
            probability[free, cols] = np.where(total > 0, current * spread, rest / free.size)
        elif (rest > SUM_TOLERANCE).any():
            raise PlanError(ct.ids[pinned[0]], "probability", "the only branch of its chance node must keep probability 1")
        probability[pinned, cols] = values


def scenario_columns(ct: CompiledTrack, blocks: Sequence[_Block], additions: np.ndarray | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Probability and effective payoff matrices (n, sum of block widths)."""
    width = sum(b.width for b in blocks)
    probability = np.repeat(ct.probability[:, None], width, axis=1)
    payoff = np.repeat(ct.payoff[:, None], width, axis=1)
    slices, offset = [], 0
    for block in blocks:
        slices.append(slice(offset, offset + block.width))
        offset += block.width
    moving = [(block, cols) for block, cols in zip(blocks, slices)
              if any(p.kind == VARIABLE for p in block.params)]
    merged = False
    if len(moving) > 1:  # one pass over the definitions for all blocks: linear, not quadratic
        try:
            _merged_variables(ct, moving, probability, payoff)
            merged = True
        except (PlanError, expressions.ExpressionError):
            pass  # block by block below, which names the block that fails
    for block, cols in moving:
        if merged:
            _check_columns(ct, probability[:, cols], block)
            continue
        # Each block resolves its own variables: a variable it does not move
        # keeps its definition (it may read one that moves).
        overrides = {(p.scope, p.variable): block.values[j] for j, p in enumerate(block.params) if p.kind == VARIABLE}
        try:
            scope_values = scope_values_with(ct, overrides)
        except PlanError as exc:
            raise PlanError(exc.node_id, exc.field, f"{exc.message} (while moving {', '.join(k[1] for k in overrides)})") from None
        try:
            apply_expressions(ct, scope_values, probability[:, cols], payoff[:, cols])
        except PlanError as exc:
            raise PlanError(exc.node_id, exc.field, f"{exc.message} (while moving {', '.join(k[1] for k in overrides)})") from None
        resolve_shares(ct, probability[:, cols])
        _check_columns(ct, probability[:, cols], block)
    for block, cols in zip(blocks, slices):
        _pin_probabilities(ct, probability, block, cols)
        for j, p in enumerate(block.params):
            if p.kind == PAYOFF:
                payoff[p.node_index, cols] = block.values[j]
    if additions is None:
        additions = response_additions(ct)
    touched = np.flatnonzero(additions)
    payoff[touched] += additions[touched, None]
    return probability, payoff


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

    def evaluate(self, blocks: Sequence[_Block], options: bool = False) -> _Evaluation:
        """Evaluate scenario blocks in column batches that keep memory bounded."""
        pieces: list[_Evaluation] = []
        for batch in self._batches(blocks):
            probability, payoff = scenario_columns(self.ct, batch, self.additions)
            if self.policy == "optimal" and not options:
                grouped = self._grouped(batch, probability, payoff)
                if grouped is not None:
                    pieces.append(grouped)
                    continue
            with np.errstate(over="ignore", invalid="ignore"):  # checked just below
                value, chosen = rollback(self.ct, payoff, probability)
                if self.policy == "fixed":
                    value, _ = rollback(self.ct, payoff, probability, optimise=False, choice=self.base_chosen)
            _check_finite_columns(self.ct, value, batch)
            option_ev = None
            if options:
                option_ev = payoff[self.option_owner] + value[self.option_nodes]
            pieces.append(_Evaluation(value[0].copy(), chosen[self.decisions], option_ev))
        return _Evaluation(
            np.concatenate([p.ev for p in pieces]),
            np.concatenate([p.best for p in pieces], axis=1),
            np.concatenate([p.option_ev for p in pieces], axis=1) if options else None,
        )

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
    ev = analysis.evaluate(blocks).ev if blocks else np.zeros(0)
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
    ev = analysis.evaluate(blocks).ev if blocks else np.zeros(0)
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
    "compiled_parameters", "parameters", "parse_range", "response_additions", "scenario_columns",
    "scope_values_with", "spider", "sweep", "sweep2", "tornado",
]
