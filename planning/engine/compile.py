"""Compile one track of a plan into flat numpy arrays.

Evaluation, Monte Carlo and sensitivity all work on the arrays built here, so
that a rollback is a few array operations per tree level instead of a Python
call per node.

Nodes are numbered in breadth-first order from the root. That numbering has
two properties every pass relies on: the nodes of one depth form a contiguous
range (``level_start``), and the children of one node form a contiguous range
(``child_start`` .. ``child_start + child_count``), in the parent's order.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from planning.model import expressions

from planning.engine import links
from planning.model.errors import Fix, PlanError
from planning.model.fields import SHARE, read_value
from planning.model.plan import CHANCE, DECISION, FAILURE, KINDS, MINIMIZE, NEUTRAL, PATHS, SUCCESS, Plan

KIND_CODE = {DECISION: 0, CHANCE: 1, "terminal": 2}
KIND_DECISION, KIND_CHANCE, KIND_TERMINAL = 0, 1, 2
PATH_CODE = {SUCCESS: 0, FAILURE: 1, NEUTRAL: 2}
PATH_SUCCESS, PATH_FAILURE, PATH_NEUTRAL = 0, 1, 2
PATH_NAMES = (SUCCESS, FAILURE, NEUTRAL)

#: Siblings must sum to 1 within this tolerance (DESIGN).
SUM_TOLERANCE = 1e-9


@dataclass
class Scope:
    """A variable scope: the plan's (parent -1) or a node's own, for its subtree."""

    parent: int
    node_id: str | None
    variables: list = field(default_factory=list)


@dataclass
class ExpressionField:
    """A probability or payoff written as an expression, re-evaluated on demand."""

    node: int
    field: str  # "probability" or "payoff"
    expression: expressions.Expression
    scope: int


@dataclass
class Level:
    """One step of a bottom-up pass: parents at one depth and their children's range."""

    parents: np.ndarray
    c0: int
    c1: int
    starts: np.ndarray  # each parent's first child, relative to c0
    is_chance: np.ndarray
    is_decision: np.ndarray
    any_chance: bool
    any_decision: bool
    segment: np.ndarray | None  # child -> position of its parent in ``parents``


@dataclass
class CompiledTrack:
    """A track (or the subtree under one node) as flat arrays in breadth-first order."""

    track_id: str | None
    root_id: str
    ids: list[str]
    index: dict[str, int]
    kind: np.ndarray  # int8: 0 decision, 1 chance, 2 terminal
    parent: np.ndarray  # int64, -1 for the root
    child_start: np.ndarray
    child_count: np.ndarray
    depth: np.ndarray
    level_start: np.ndarray  # nodes of depth d: level_start[d] .. level_start[d+1]
    probability: np.ndarray  # resolved branch probability; 1 where not a branch
    payoff: np.ndarray
    is_branch: np.ndarray  # bool: child of a chance node
    path: np.ndarray  # int8 resolved path: a branch's own, a terminal's inherited
    committed: np.ndarray  # index of the committed child, -1 if none
    sign: float  # +1 maximise, -1 minimise
    probability_range: np.ndarray  # (n, 2), NaN where no range
    payoff_range: np.ndarray
    shares: np.ndarray  # bool: probability written "#"
    resp_ids: list[str]
    resp_node: np.ndarray
    resp_r: np.ndarray  # readiness level / 4
    resp_effect: np.ndarray
    resp_late: np.ndarray  # bool
    scopes: list[Scope]
    node_scope: np.ndarray  # index into scopes for every node
    expression_fields: list[ExpressionField]
    base_variables: dict[str, float]
    _level_plan: list | None = field(default=None, repr=False)
    #: int8 path written on the node itself, -1 for none (what ``path`` inherits
    #: from): lets planning/engine/splice.py re-resolve paths after a move.
    own_path: np.ndarray | None = field(default=None, repr=False)

    def level_plan(self) -> list["Level"]:
        """Per parent depth d (deepest first): the parents with children and their child ranges.

        Built once per compiled track; every bottom-up pass iterates it.
        """
        if self._level_plan is None:
            plan = []
            for d in range(self.levels - 2, -1, -1):
                p0, p1 = int(self.level_start[d]), int(self.level_start[d + 1])
                c1 = int(self.level_start[d + 2])
                parents = p0 + np.flatnonzero(self.child_count[p0:p1] > 0)
                if parents.size == 0:
                    continue
                kinds = self.kind[parents]
                is_chance = kinds == KIND_CHANCE
                is_decision = kinds == KIND_DECISION
                counts = self.child_count[parents]
                plan.append(Level(
                    parents=parents, c0=p1, c1=c1, starts=self.child_start[parents] - p1,
                    is_chance=is_chance, is_decision=is_decision,
                    any_chance=bool(is_chance.any()), any_decision=bool(is_decision.any()),
                    segment=np.repeat(np.arange(parents.size), counts) if is_decision.any() else None,
                ))
            self._level_plan = plan
        return self._level_plan

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def levels(self) -> int:
        return len(self.level_start) - 1

    def children(self, i: int) -> range:
        s = int(self.child_start[i])
        return range(s, s + int(self.child_count[i]))


def _number(value, node_id: str, field_name: str) -> float:
    """A number field (a response's effect): a finite float, or PlanError."""
    read = read_value(value, node_id, field_name)
    if type(read) is not float:
        raise PlanError(node_id, field_name, f"must be a finite number, got {value!r}")
    return read


def _range(value, node_id: str, field_name: str) -> tuple[float, float]:
    if value is None:
        return (np.nan, np.nan)
    try:
        low, high = float(value[0]), float(value[1])
    except (TypeError, ValueError, IndexError):
        raise PlanError(node_id, field_name, f"must be [low, high], got {value!r}") from None
    if low > high:
        raise PlanError(node_id, field_name, f"low {low:g} is above high {high:g}")
    return (low, high)


def breadth_first(plan: Plan, root_id: str) -> tuple[list[str], list[int]]:
    """Ids under ``root_id`` in breadth-first order and each one's parent position.

    Raises PlanError on a missing child, a cycle or a node reached twice.
    """
    if root_id not in plan.nodes:
        raise PlanError(root_id, None, "no such node")
    order = [root_id]
    parent = [-1]
    seen = {root_id}
    nodes = plan.nodes
    i = 0
    while i < len(order):
        node = nodes[order[i]]
        for child in node.children:
            if child not in nodes:
                raise PlanError(node.id, "children", f"unknown node {child!r}")
            if child in seen:
                raise PlanError(node.id, "children", f"{child!r} is reached twice (a cycle or a shared child)")
            seen.add(child)
            order.append(child)
            parent.append(i)
        i += 1
    return order, parent


def compile_track(
    plan: Plan,
    track_id: str | None = None,
    root: str | None = None,
    variables: Mapping[str, float] | None = None,
) -> CompiledTrack:
    """Compile a track, or the subtree under ``root``, into arrays.

    Parameters
    ----------
    plan : Plan
    track_id : str, optional
        The track; the first track when omitted (and ``root`` is not given).
    root : str, optional
        Evaluate from this node instead of the track root (DESIGN point 8):
        the variables defined on the way down to it still apply.
    variables : mapping, optional
        Values that replace plan variables (sensitivity, what-if).

    Raises
    ------
    PlanError
        With the node (label and id) and field of the first problem found.
    """
    try:
        return _compile_track(plan, track_id, root, variables)
    except PlanError as exc:
        labelled = exc.labelled(plan.nodes)
        if labelled is exc:
            raise
        raise labelled from None


def _compile_track(plan: Plan, track_id: str | None, root: str | None,
                   variables: Mapping[str, float] | None) -> CompiledTrack:
    if root is None:
        track = plan.track(track_id)
        root_id = track.root
        track_id = track.id
    else:
        root_id = root
        if track_id is None:
            owner = plan.track_of(root)
            track_id = owner.id if owner else None
    order, parent_list = breadth_first(plan, root_id)
    n = len(order)
    nodes = plan.nodes
    index = {node_id: i for i, node_id in enumerate(order)}

    kind = np.empty(n, dtype=np.int8)
    child_count = np.empty(n, dtype=np.int64)
    for i, node_id in enumerate(order):
        node = nodes[node_id]
        code = KIND_CODE.get(node.kind)
        if code is None:
            raise PlanError(node_id, "kind", f"unknown kind {node.kind!r} (expected one of {', '.join(KINDS)})")
        kind[i] = code
        child_count[i] = len(node.children)
    parent = np.asarray(parent_list, dtype=np.int64)
    child_start = np.zeros(n, dtype=np.int64)
    if n > 1:
        child_start[1:] = 1 + np.cumsum(child_count)[:-1]
    child_start[0] = 1
    depth = np.zeros(n, dtype=np.int64)
    if n > 1:
        # Parents always come before their children in breadth-first order,
        # and whole levels are contiguous, so depth grows monotonically.
        bounds = [0, 1]
        while bounds[-1] < n:
            lo, hi = bounds[-2], bounds[-1]
            bounds.append(int(child_start[hi - 1] + child_count[hi - 1]) if hi > lo else hi)
            if bounds[-1] == bounds[-2]:
                break
        level_start = np.asarray(bounds, dtype=np.int64)
        for d in range(len(bounds) - 1):
            depth[bounds[d]:bounds[d + 1]] = d
    else:
        level_start = np.asarray([0, 1], dtype=np.int64)

    for i in np.flatnonzero((kind != KIND_TERMINAL) & (child_count == 0)):
        what = "decision node needs at least one option" if kind[i] == KIND_DECISION else "chance node needs at least one branch"
        raise PlanError(order[i], "children", what, fix=Fix("make it a terminal", order[i], "kind", "terminal"))
    for i in np.flatnonzero((kind == KIND_TERMINAL) & (child_count > 0)):
        raise PlanError(order[i], "children", "a terminal node cannot have children")

    is_branch = np.zeros(n, dtype=bool)
    if n > 1:
        is_branch[1:] = kind[parent[1:]] == KIND_CHANCE

    # Variable scopes: the plan's, then one per node that defines variables.
    plan_vars = list(plan.variables)
    if variables:
        plan_vars = [_override(v, variables) for v in plan_vars]
        known = {v.name for v in plan_vars}
        from planning.model.plan import Variable

        plan_vars += [Variable(name, float(value)) for name, value in variables.items() if name not in known]
    scopes = [Scope(-1, None, plan_vars)]
    # Variables on the way down to a subtree root still apply to it.
    if root is not None and plan.track_of(root_id) is not None:
        for ancestor in plan.path_to(root_id)[:-1]:
            local = nodes[ancestor].variables
            if local:
                scopes.append(Scope(len(scopes) - 1, ancestor, list(local)))
    # One pass over the nodes with plain lists: this loop is the cost of
    # compiling, so numbers take the fast path and only expressions, ranges,
    # paths and responses do more work.
    scope_of = [0] * n
    top_scope = len(scopes) - 1
    parent_of = parent_list
    branch_of = is_branch.tolist()
    kind_of = kind.tolist()
    payoff_list = [0.0] * n
    probability_list = [1.0] * n
    path_list = [PATH_NEUTRAL] * n
    own_list = [-1] * n
    shares = np.zeros(n, dtype=bool)
    probability_range = np.full((n, 2), np.nan)
    payoff_range = np.full((n, 2), np.nan)
    committed = np.full(n, -1, dtype=np.int64)
    expression_fields: list[ExpressionField] = []
    resp_ids: list[str] = []
    resp_node: list[int] = []
    resp_r: list[float] = []
    resp_effect: list[float] = []
    resp_late: list[bool] = []

    for i, node_id in enumerate(order):
        node = nodes[node_id]
        up = top_scope if i == 0 else scope_of[parent_of[i]]
        if node.variables:
            scopes.append(Scope(up, node_id, list(node.variables)))
            up = len(scopes) - 1
        scope_of[i] = up
        # Fields are read by planning.model.fields.read_value, as validation reads
        # them: what validates compiles. Plain floats skip the call (speed).
        value = node.payoff
        if type(value) is float:
            payoff_list[i] = value
        else:
            read = read_value(value, node_id, "payoff")
            if type(read) is float:
                payoff_list[i] = read
            else:
                expression_fields.append(ExpressionField(i, "payoff", read, up))
        if node.payoff_range is not None:
            payoff_range[i] = _range(node.payoff_range, node_id, "payoff_range")
        if branch_of[i]:
            value = node.probability
            if type(value) is float:
                probability_list[i] = value
            elif value is None:
                raise PlanError(node_id, "probability", "a branch of a chance node needs a probability")
            else:
                read = read_value(value, node_id, "probability", share=True)
                if type(read) is float:
                    probability_list[i] = read
                elif read is SHARE:
                    shares[i] = True
                else:
                    expression_fields.append(ExpressionField(i, "probability", read, up))
            if node.probability_range is not None:
                probability_range[i] = _range(node.probability_range, node_id, "probability_range")
        if node.path is not None:
            code = PATH_CODE.get(node.path)
            if code is None:
                raise PlanError(node_id, "path", f"unknown path {node.path!r} (expected one of {', '.join(PATHS)})")
            path_list[i] = own_list[i] = code
        elif i > 0 and not branch_of[i]:
            # A terminal (or any non-branch) inherits the path of the branch above it.
            path_list[i] = path_list[parent_of[i]]
        if node.committed is not None:
            if kind_of[i] != KIND_DECISION:
                raise PlanError(node_id, "committed", "only a decision node can commit to an option")
            if node.committed not in node.children:
                raise PlanError(node_id, "committed", f"{node.committed!r} is not one of its options")
            committed[i] = index[node.committed]
        if node.responses:
            for k, response in enumerate(node.responses):
                level = response.readiness
                if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 4:
                    raise PlanError(node_id, f"responses[{k}].readiness", f"must be an integer 0..4, got {level!r}")
                effect = _number(response.effect, node_id, f"responses[{k}].effect")
                resp_ids.append(response.id)
                resp_node.append(i)
                resp_r.append(level / 4.0)
                resp_effect.append(effect)
                resp_late.append(response.is_late(node.warning_days))

    # Linked tracks: the values of what this track reads from others come
    # first in the plan's scope (planning.engine.links evaluates the read tracks).
    reads = links.reads_of(order, expression_fields, scopes)
    if reads:
        scopes[0].variables = links.scope_for(plan, track_id, reads) + scopes[0].variables

    payoff = np.asarray(payoff_list, dtype=float)
    probability = np.asarray(probability_list, dtype=float)
    for name, values in (("payoff", payoff), ("probability", probability)):
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise PlanError(order[bad[0]], name, f"must be finite, got {values[bad[0]]!r}")
    path = np.asarray(path_list, dtype=np.int8)
    node_scope = np.asarray(scope_of, dtype=np.int64)

    compiled = CompiledTrack(
        track_id=track_id,
        root_id=root_id,
        ids=order,
        index=index,
        kind=kind,
        parent=parent,
        child_start=child_start,
        child_count=child_count,
        depth=depth,
        level_start=level_start,
        probability=probability,
        payoff=payoff,
        is_branch=is_branch,
        path=path,
        committed=committed,
        sign=-1.0 if plan.objective == MINIMIZE else 1.0,
        probability_range=probability_range,
        payoff_range=payoff_range,
        shares=shares,
        resp_ids=resp_ids,
        resp_node=np.asarray(resp_node, dtype=np.int64),
        resp_r=np.asarray(resp_r, dtype=float),
        resp_effect=np.asarray(resp_effect, dtype=float),
        resp_late=np.asarray(resp_late, dtype=bool),
        scopes=scopes,
        node_scope=node_scope,
        expression_fields=expression_fields,
        base_variables={},
        own_path=np.asarray(own_list, dtype=np.int8),
    )
    scope_values = resolve_scopes(compiled)
    compiled.base_variables = {k: float(v) for k, v in scope_values[0].items()}
    apply_expressions(compiled, scope_values, compiled.probability, compiled.payoff)
    resolve_shares(compiled, compiled.probability)
    check_probabilities(compiled, compiled.probability)
    return compiled


def _override(variable, values: Mapping[str, float]):
    if variable.name not in values:
        return variable
    from dataclasses import replace

    return replace(variable, value=values[variable.name])



def resolve_scopes(ct: CompiledTrack, overrides: Mapping[str, object] | None = None) -> list[dict]:
    """Values of every scope, in order (a scope's parent always comes first).

    ``overrides`` replaces plan variables by floats or arrays (one value per
    Monte Carlo iteration); variables defined from them follow.
    """
    values: list[dict] = []
    for s, scope in enumerate(ct.scopes):
        outer = values[scope.parent] if scope.parent >= 0 else {}
        local = scope.variables
        if s == 0 and overrides:
            local = [_override(v, overrides) for v in local]
            known = {v.name for v in local}
            extra = {k: v for k, v in overrides.items() if k not in known}
            outer = {**outer, **extra}
        try:
            values.append(expressions.resolve_variables(local, outer))
        except expressions.ExpressionError as exc:
            raise PlanError(scope.node_id, "variables", str(exc)) from None
    return values


def apply_expressions(ct: CompiledTrack, scope_values: list[dict], probability: np.ndarray, payoff: np.ndarray) -> None:
    """Write every expression-valued field into ``probability`` / ``payoff`` (in place)."""
    # Big trees repeat a few expressions ("p", "1-p") in a few scopes
    # thousands of times: evaluate each distinct pair once.
    seen: dict[tuple[str, int], object] = {}
    for f in ct.expression_fields:
        key = (f.expression.text, f.scope)
        value = seen.get(key)
        if value is None:
            try:
                value = f.expression.evaluate(scope_values[f.scope])
            except expressions.ExpressionError as exc:
                raise PlanError(ct.ids[f.node], f.field, str(exc)) from None
            seen[key] = value
        target = probability if f.field == "probability" else payoff
        target[f.node] = value


def resolve_shares(ct: CompiledTrack, probability: np.ndarray) -> None:
    """Give each '#' branch an equal share of what its siblings leave (in place)."""
    if not ct.shares.any():
        return
    share_nodes = np.flatnonzero(ct.shares)
    branch = ct.is_branch & ~ct.shares
    parents = ct.parent[share_nodes]
    n = ct.size
    explicit = np.zeros((n,) + probability.shape[1:])
    idx = np.flatnonzero(branch)
    np.add.at(explicit, ct.parent[idx], probability[idx])
    count = np.bincount(ct.parent[share_nodes], minlength=n).astype(float)
    rest = 1.0 - explicit[parents]
    share = rest / (count[parents] if probability.ndim == 1 else count[parents][:, None])
    probability[share_nodes] = share


def check_probabilities(ct: CompiledTrack, probability: np.ndarray) -> None:
    """Raise PlanError unless every branch is in [0, 1] and siblings sum to 1."""
    branches = np.flatnonzero(ct.is_branch)
    if branches.size == 0:
        return
    p = probability[branches]
    bad = np.flatnonzero((p < -SUM_TOLERANCE) | (p > 1 + SUM_TOLERANCE) | ~np.isfinite(p))
    if bad.size:
        i = branches[bad[0]]
        if ct.shares[i]:
            raise PlanError(ct.ids[ct.parent[i]], "probability", f"the other branches already take {1 - probability[i]:.6g}, nothing is left for '#'")
        raise PlanError(ct.ids[i], "probability", f"must be between 0 and 1, got {probability[i]:.6g}")
    sums = np.zeros(ct.size)
    np.add.at(sums, ct.parent[branches], p)
    chance = np.flatnonzero(ct.kind == KIND_CHANCE)
    off = chance[np.abs(sums[chance] - 1.0) > SUM_TOLERANCE]
    if off.size:
        i = off[0]
        raise PlanError(ct.ids[i], "probability", f"siblings sum to {sums[i]:.6g}")
