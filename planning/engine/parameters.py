"""Ranged quantities and scenario columns: what the engine's analyses move.

A *parameter* is something with a range: a plan variable (or a node's local
variable), one branch probability or one payoff (:class:`Parameter`). A
*scenario column* is the track's probabilities and effective payoffs with some
parameters moved (:func:`scenario_columns`); :func:`scope_values_columns`
resolves the variables of many columns in one pass. Monte Carlo
(planning/engine/montecarlo.py, linked_draws.py), value of information and
sensitivity (planning/analyses/) all read them from here, so the engine never
imports the analyses. The rules for moving each kind of parameter are in
planning/analyses/sensitivity.py's docstring.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from planning.model import expressions
from planning.engine.compile import (
    KIND_CHANCE,
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
from planning.engine.evaluate import effective_payoffs
from planning.model.plan import Plan

VARIABLE, PROBABILITY, PAYOFF = "variable", "probability", "payoff"

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


def scenario_columns(ct: CompiledTrack, blocks: Sequence[_Block], additions: np.ndarray | None = None,
                     merged_variables=None) -> tuple[np.ndarray, np.ndarray]:
    """Probability and effective payoff matrices (n, sum of block widths).

    ``merged_variables`` resolves the variables of all blocks in one pass
    (:func:`_merged_variables` by default); when it fails, each block resolves
    its own, which names the block that fails. Sensitivity passes its module's
    name for it, so its tests can force the block-by-block way and compare.
    """
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
            (merged_variables or _merged_variables)(ct, moving, probability, payoff)
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


__all__ = [
    "PAYOFF", "PROBABILITY", "VARIABLE", "Parameter", "compiled_parameters", "parameters", "parse_range",
    "response_additions", "scenario_columns", "scope_values_columns", "scope_values_with",
]
