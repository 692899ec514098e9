"""Everything that can be wrong in a plan, each with its node id and field.

:func:`validate_plan` never stops at the first problem: it returns them all,
so the GUI can list them and the CLI can print them. Errors make the plan
impossible to evaluate; warnings are doubtful but harmless (an orphan node, a
probability on a decision's option that is ignored).

Every walk is iterative and linear in the number of nodes, so a
100,000-deep chain or a million-node plan validates in seconds.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from planning.errors import ERROR, WARNING, PlanError, Problem
from planning.expressions import EvaluationError, ExpressionError, parse
from planning.model import CHANCE, DECISION, KINDS, MAX_READINESS, OBJECTIVES, PATHS, TERMINAL, Plan

#: Tolerance on the sum of sibling probabilities (DESIGN: 1e-9).
SUM_TOLERANCE = 1e-9
SHARE = "#"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RESERVED_NAMES = frozenset({"and", "or", "not"})
_BROKEN = math.nan  # the value of a variable that could not be evaluated


def _fmt(number: float) -> str:
    """A number for messages: 1.05, not 1.0500000000000000444."""
    return f"{number:.12g}"


def _quote(text: str) -> str:
    """An expression quoted for a message, shortened when long."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _is_number(value) -> bool:
    return (type(value) is float or type(value) is int) and math.isfinite(value)


class _Checker:
    """Collects problems; holds the shared state of one validation run."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.problems: list[Problem] = []
        self.parent_of: dict[str, str] = {}
        self.shared_children = False  # some node is listed by two parents
        self.response_owner: dict[str, str] = {}  # response id -> node id
        self.probabilities: dict[str, float | str | None] = {}  # branch id -> value or '#'

    def error(self, node_id: str | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(ERROR, node_id, field, message))

    def warning(self, node_id: str | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(WARNING, node_id, field, message))

    # -- numbers and expressions ---------------------------------------------------
    def evaluate(self, value, scope: Mapping[str, float], node_id: str | None,
                 field: str) -> float | None:
        """A number, or an expression evaluated in ``scope``; None (and a problem) if not."""
        if type(value) is float or type(value) is int:
            if math.isfinite(value):
                return float(value)
            self.error(node_id, field, f"must be a finite number, got {value!r}")
            return None
        if type(value) is not str:
            self.error(node_id, field, f"must be a number or an expression, got {value!r}")
            return None
        if value.strip() == SHARE:
            self.error(node_id, field, "'#' (share the remainder) only works for a branch's probability")
            return None
        try:
            expression = parse(value)
        except ExpressionError as exc:
            self.error(node_id, field, f"{_quote(value)} is not a valid expression: {exc}")
            return None
        unknown = sorted(name for name in expression.names if name not in scope)
        if unknown:
            listed = ", ".join(repr(name) for name in unknown)
            self.error(node_id, field, f"unknown variable{'s' * (len(unknown) > 1)} {listed} "
                                        f"in {_quote(value)}")
            return None
        if any(math.isnan(scope[name]) for name in expression.names):
            return None  # built on a variable that is already reported as broken
        try:
            result = float(expression.evaluate(scope))
        except EvaluationError as exc:
            self.error(node_id, field, f"cannot evaluate {_quote(value)}: {exc}")
            return None
        except (ArithmeticError, ValueError) as exc:  # belt and braces around the evaluator
            self.error(node_id, field, f"cannot evaluate {_quote(value)}: {exc}")
            return None
        if not math.isfinite(result):
            self.error(node_id, field, f"{_quote(value)} is not a finite number")
            return None
        return result

    def variables(self, variables: Iterable, scope: Mapping[str, float], node_id: str | None,
                  ) -> dict[str, float]:
        """Resolve definitions in order (later ones may use earlier ones): a new scope."""
        resolved = dict(scope)
        seen: set[str] = set()
        for i, variable in enumerate(variables):
            field = f"variables[{i}]"
            name = variable.name
            if type(name) is not str or not _NAME.match(name) or name in _RESERVED_NAMES:
                self.error(node_id, f"{field}.name",
                           f"{name!r} is not a valid variable name (letters, digits and _, "
                           "not starting with a digit)")
                continue
            if name in seen:
                self.error(node_id, f"{field}.name", f"variable {name!r} is defined twice here")
            seen.add(name)
            value = self.evaluate(variable.value, resolved, node_id, f"{field}.value")
            resolved[name] = _BROKEN if value is None else value
            self.range(variable.range, value, node_id, f"{field}.range", "value")
        return resolved

    def range(self, pair, point: float | None, node_id: str | None, field: str, what: str,
              unit_interval: bool = False) -> None:
        """A [low, high] range: ordered, finite, inside [0, 1] if asked; point inside."""
        if pair is None:
            return
        try:
            low, high = pair
        except (TypeError, ValueError):
            self.error(node_id, field, f"must be [low, high], got {pair!r}")
            return
        if not (_is_number(low) and _is_number(high)):
            self.error(node_id, field, f"must be two finite numbers, got {list(pair)!r}")
            return
        if low > high:
            self.error(node_id, field, f"low {_fmt(low)} is above high {_fmt(high)}")
            return
        if unit_interval and (low < 0 or high > 1):
            self.error(node_id, field, f"must lie within [0, 1], got [{_fmt(low)}, {_fmt(high)}]")
            return
        if point is not None and not low <= point <= high:
            self.warning(node_id, field, f"the {what} {_fmt(point)} lies outside its range "
                                         f"[{_fmt(low)}, {_fmt(high)}]")

    # -- structure -------------------------------------------------------------------
    def structure(self) -> None:
        """Kinds, children, single parents. Fills ``parent_of`` (first parent wins)."""
        nodes = self.plan.nodes
        parent_of = self.parent_of
        for key, node in nodes.items():
            node_id = node.id
            if key != node_id:
                self.error(key, "id", f"the node stored under {key!r} has id {node_id!r}")
            if type(node_id) is not str or not node_id:
                self.error(key, "id", "a node needs a non-empty id")
            kind = node.kind
            children = node.children
            if kind == TERMINAL:
                if children:
                    self.error(node_id, "children", f"a terminal node cannot have children "
                                                    f"(it lists {len(children)})")
            elif kind == CHANCE or kind == DECISION:
                if not children:
                    self.error(node_id, "children", "chance node needs at least one branch"
                               if kind == CHANCE else "decision node needs at least one option")
            else:
                self.error(node_id, "kind", f"unknown kind {kind!r} "
                                            f"(expected one of {', '.join(KINDS)})")
            for child in children:
                if child not in nodes:
                    self.error(node_id, "children", f"unknown node {child!r}")
                elif child in parent_of:
                    other = parent_of[child]
                    if other == key:
                        self.error(node_id, "children", f"{child!r} is listed twice")
                    else:
                        self.error(child, None, f"has two parents: {other!r} and {key!r}")
                        self.shared_children = True
                else:
                    parent_of[child] = key

    def tracks(self) -> dict[str, str]:
        """Check the tracks; return root id -> track id for the roots that exist."""
        plan = self.plan
        if not plan.tracks:
            self.error(None, "tracks", "the plan has no tracks")
        roots: dict[str, str] = {}
        track_ids: dict[str, int] = {}
        for i, track in enumerate(plan.tracks):
            field = f"tracks[{i}]"
            if not track.id:
                self.error(None, f"{field}.id", "a track needs an id")
            elif track.id in track_ids:
                self.error(None, f"{field}.id", f"duplicate track id {track.id!r} "
                                                f"(also tracks[{track_ids[track.id]}])")
            else:
                track_ids[track.id] = i
            root = track.root
            if not root:
                self.error(None, f"{field}.root", f"track {track.id!r} has no root node")
            elif root not in plan.nodes:
                self.error(None, f"{field}.root", f"track {track.id!r}: unknown root node {root!r}")
            elif root in roots:
                self.error(root, None, f"is the root of two tracks: {roots[root]!r} and {track.id!r}")
            else:
                roots[root] = track.id
                parent = self.parent_of.get(root)
                if parent is not None:
                    self.error(root, None, f"is the root of track {track.id!r} but also a child "
                                           f"of {parent!r} (a node in two tracks, or a cycle)")
        return roots

    def cycles(self) -> set[str]:
        """Report each cycle (iterative depth-first search); return the nodes on cycles."""
        nodes = self.plan.nodes
        state: dict[str, int] = {}  # 1: on the current path, 2: finished
        on_cycle: set[str] = set()
        cycles: list[list[str]] = []
        for start in nodes:
            if start in state:
                continue
            state[start] = 1
            path = [start]
            position = {start: 0}
            pending = [iter(nodes[start].children)]
            while pending:
                for child in pending[-1]:
                    seen = state.get(child)
                    if seen is None and child in nodes:
                        state[child] = 1
                        position[child] = len(path)
                        path.append(child)
                        pending.append(iter(nodes[child].children))
                        break
                    if seen == 1:  # back to a node on the current path: a cycle
                        cycle = path[position[child]:]
                        cycles.append(cycle)
                        on_cycle.update(cycle)
                else:
                    finished = path.pop()
                    del position[finished]
                    state[finished] = 2
                    pending.pop()
        if cycles:
            order = {node_id: i for i, node_id in enumerate(nodes)}
            for cycle in cycles:
                first = min(range(len(cycle)), key=lambda k: order[cycle[k]])
                cycle = cycle[first:] + cycle[:first]
                shown = cycle + [cycle[0]] if len(cycle) <= 8 else cycle[:6] + ["...", cycle[0]]
                self.error(cycle[0], "children", f"cycle: {' -> '.join(shown)} "
                                                 f"({len(cycle)} node{'s' * (len(cycle) > 1)})")
        return on_cycle

    # -- fields and values -------------------------------------------------------------
    def node_fields(self, node, parent_kind: str | None, response_owner: dict[str, str]) -> None:
        """Checks of one node that need no variable scope."""
        node_id = node.id
        if node.path is not None and node.path not in PATHS:
            self.error(node_id, "path", f"unknown path {node.path!r} "
                                        f"(expected one of {', '.join(PATHS)})")
        days = node.warning_days
        if days is not None and not (_is_number(days) and days >= 0):
            self.error(node_id, "warning_days", f"must be 0 or more days, got {days!r}")
        if node.committed is not None:
            if node.kind != DECISION:
                self.error(node_id, "committed", "only a decision node can commit to an option")
            elif node.committed not in node.children:
                self.error(node_id, "committed", f"{node.committed!r} is not one of this "
                                                 "decision's options")
        if node.probability is not None and parent_kind == DECISION:
            self.warning(node_id, "probability", "an option of a decision node has no "
                                                 "probability; this one is ignored")
        for i, response in enumerate(node.responses):
            field = f"responses[{i}]"
            response_id = response.id
            if type(response_id) is not str or not response_id:
                self.error(node_id, f"{field}.id", "a response needs a non-empty id")
            elif response_id in response_owner:
                self.error(node_id, f"{field}.id", f"duplicate response id {response_id!r} "
                                                   f"(also on node {response_owner[response_id]})")
            else:
                response_owner[response_id] = node_id
            level = response.readiness
            if type(level) is not int or not 0 <= level <= MAX_READINESS:
                self.error(node_id, f"{field}.readiness", f"must be an integer 0..{MAX_READINESS}, "
                                                          f"got {level!r}")
            lead = response.lead_time_days
            if lead is not None and not (_is_number(lead) and lead >= 0):
                self.error(node_id, f"{field}.lead_time_days", f"must be 0 or more days, got {lead!r}")
            for name in ("cost", "effect"):
                if not _is_number(getattr(response, name)):
                    self.error(node_id, f"{field}.{name}", f"must be a finite number, "
                                                           f"got {getattr(response, name)!r}")

    def node_values(self, node, scope: Mapping[str, float], is_branch: bool,
                    probabilities: dict[str, float | str | None]) -> None:
        """Payoff, probability and ranges of one node, evaluated in its scope."""
        node_id = node.id
        payoff = node.payoff
        if (type(payoff) is float or type(payoff) is int) and math.isfinite(payoff):
            payoff_value: float | None = payoff
        else:
            payoff_value = self.evaluate(payoff, scope, node_id, "payoff")
        self.range(node.payoff_range, payoff_value, node_id, "payoff_range", "payoff")
        if not is_branch:
            return
        probability = node.probability
        value: float | str | None
        if probability is None:
            self.error(node_id, "probability", "a branch of a chance node needs a probability")
            value = None
        elif type(probability) is str and probability.strip() == SHARE:
            value = SHARE
        else:
            value = self.evaluate(probability, scope, node_id, "probability")
            if value is not None and not 0 <= value <= 1:
                self.error(node_id, "probability", f"must be between 0 and 1, got {_fmt(value)}")
                value = None
        probabilities[node_id] = value
        self.range(node.probability_range, value if type(value) is float else None,
                   node_id, "probability_range", "probability", unit_interval=True)

    def sibling_sums(self, chance_id: str, children: list[str],
                     probabilities: Mapping[str, float | str | None]) -> None:
        """Branch probabilities sum to 1; '#' branches share what is left equally."""
        if not children:
            return  # "needs at least one branch" is reported on the structure
        total = []
        shares = 0
        for child in children:
            value = probabilities.get(child)
            if value is None:
                return  # already reported on the branch
            if value == SHARE:
                shares += 1
            else:
                total.append(value)
        numeric = math.fsum(total)
        if shares == 0:
            if abs(numeric - 1.0) > SUM_TOLERANCE:
                self.error(chance_id, "probability", f"siblings sum to {_fmt(numeric)}")
        elif numeric > 1.0 + SUM_TOLERANCE:
            self.error(chance_id, "probability", f"siblings already sum to {_fmt(numeric)}, "
                                                 "nothing is left for '#'")
        elif numeric > 1.0 - SUM_TOLERANCE:
            self.warning(chance_id, "probability", "siblings already sum to 1, so the '#' "
                                                   "branches get probability 0")

    def walk_values(self, tops: list[str], plan_scope: Mapping[str, float],
                    visited: set[str]) -> None:
        """Walk each tree from its top with the variable scope of every node.

        The loop inlines the common case (numeric payoff and probability, no
        responses) and calls the full checks only for what needs them: this
        is what keeps a million-node plan within seconds.
        """
        nodes = self.plan.nodes
        parent_of = self.parent_of
        response_owner = self.response_owner
        probabilities = self.probabilities
        chance_nodes: list[str] = []
        node_fields = self.node_fields
        node_values = self.node_values
        for top in tops:
            stack = [(top, plan_scope, None)]
            pop, push = stack.pop, stack.append
            while stack:
                node_id, scope, parent_kind = pop()
                if node_id in visited:
                    continue
                visited.add(node_id)
                node = nodes[node_id]
                if node.variables:
                    scope = self.variables(node.variables, scope, node_id)
                if (node.responses or node.committed is not None or node.warning_days is not None
                        or (node.path is not None and node.path not in PATHS)
                        or (parent_kind == DECISION and node.probability is not None)):
                    node_fields(node, parent_kind, response_owner)
                payoff = node.payoff
                probability = node.probability
                if (type(payoff) is float and payoff - payoff == 0.0 and node.payoff_range is None
                        and (parent_kind != CHANCE or (type(probability) is float
                                                       and 0.0 <= probability <= 1.0
                                                       and node.probability_range is None))):
                    if parent_kind == CHANCE:
                        probabilities[node_id] = probability
                else:
                    node_values(node, scope, parent_kind == CHANCE, probabilities)
                kind = node.kind
                if kind == CHANCE:
                    chance_nodes.append(node_id)
                for child in reversed(node.children):
                    if parent_of.get(child) == node_id:
                        push((child, scope, kind))
        sibling_sums = self.sibling_sums
        tolerance = SUM_TOLERANCE
        for chance_id in chance_nodes:
            children = nodes[chance_id].children
            total = 0.0
            for child in children:
                value = probabilities.get(child)
                if type(value) is not float:
                    sibling_sums(chance_id, children, probabilities)
                    break
                total += value
            else:
                if abs(total - 1.0) > tolerance:  # recheck with an exact sum before reporting
                    sibling_sums(chance_id, children, probabilities)


def validate_plan(plan: Plan) -> list[Problem]:
    """Check a plan's structure, fields, expressions and probability sums.

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    list of Problem
        Every problem found, errors and warnings, each naming the node id and
        field; an empty list means the plan is valid.
    """
    check = _Checker(plan)
    if plan.objective not in OBJECTIVES:
        check.error(None, "objective", f"must be one of {', '.join(OBJECTIVES)}, "
                                       f"got {plan.objective!r}")
    plan_scope = check.variables(plan.variables, {}, None)
    check.structure()
    roots = check.tracks()
    visited: set[str] = set()
    check.walk_values(list(roots), plan_scope, visited)
    # When every node hangs under a parentless root through its only parent the
    # nodes form a forest, which has no cycles: the search is needed otherwise.
    on_cycle: set[str] = set()
    if (len(visited) < len(plan.nodes) or check.shared_children
            or any(root in check.parent_of for root in roots)):
        on_cycle = check.cycles()
    # Nodes outside every track still get their fields checked, once, with the
    # plan's variables; only the top of each orphaned subtree is reported.
    orphan_tops = [node_id for node_id in plan.nodes
                   if node_id not in visited and node_id not in on_cycle
                   and check.parent_of.get(node_id) is None]
    for node_id in orphan_tops:
        check.warning(node_id, None, "orphan: not reachable from any track root")
    check.walk_values(orphan_tops, plan_scope, visited)
    if len(visited) < len(plan.nodes):  # cycles and what hangs off them
        check.walk_values([n for n in plan.nodes if n in on_cycle], plan_scope, visited)
    return check.problems


def raise_for_problems(problems: Iterable[Problem]) -> None:
    """Raise :class:`PlanError` for the first error in ``problems``; warnings pass.

    Raises
    ------
    PlanError
        Naming the node id and field of the first error.
    """
    for problem in problems:
        if problem.severity == ERROR:
            raise PlanError(problem.node_id, problem.field, problem.message)
