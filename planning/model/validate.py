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

from planning.model.errors import ERROR, WARNING, Fix, PlanError, Problem
from planning.model.expressions import EvaluationError
from planning.model.fields import SHARE, is_number, is_share, read_value
from planning.model.plan import CHANCE, DECISION, KINDS, MAX_READINESS, OBJECTIVES, PATHS, TERMINAL, Plan

#: Tolerance on the sum of sibling probabilities (DESIGN: 1e-9).
SUM_TOLERANCE = 1e-9
#: Where merge conflicts wait to be settled (planning.sharing.merge.CONFLICTS_KEY).
CONFLICTS_KEY = "merge_conflicts"
#: Rollbacks overflow near 1.8e308: below this total of |payoffs| none can.
SAFE_TOTAL = 1e300
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RESERVED_NAMES = frozenset({"and", "or", "not"})
_BROKEN = math.nan  # the value of a variable that could not be evaluated


def _fmt(number: float) -> str:
    """A number for messages: 1.05, not 1.0500000000000000444."""
    return f"{number:.12g}"


def _quote(text: str) -> str:
    """An expression quoted for a message, shortened when long."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


_is_number = is_number


class _Checker:
    """Collects problems; holds the shared state of one validation run."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.problems: list[Problem] = []
        self.parent_of: dict[str, str] = {}
        self.shared_children = False  # some node is listed by two parents
        self.response_owner: dict[str, str] = {}  # response id -> node id
        self.probabilities: dict[str, float | str | None] = {}  # branch id -> value or '#'
        # Variables with a range and the names expressions read: a range's ends
        # are checked when some expression reads that name (directly or through
        # another variable, whose definition is an expression too).
        self.ranged_names: set[str] = set()
        self.names_used: set[str] = set()
        # Payoffs (or effects) above this could add up beyond float range: then
        # the tracks are evaluated to check (with smaller ones no sum can overflow).
        self.large = SAFE_TOTAL / (len(plan.nodes) + 1)
        self.large_values = False
        self.link_values: dict[str, float] | None = None  # planning.engine.links, when read

    def error(self, node_id: str | None, field: str | None, message: str,
              fix: Fix | None = None) -> None:
        self.problems.append(Problem(ERROR, node_id, field, message, fix=fix))

    def warning(self, node_id: str | None, field: str | None, message: str,
                fix: Fix | None = None) -> None:
        self.problems.append(Problem(WARNING, node_id, field, message, fix=fix))

    # -- numbers and expressions ---------------------------------------------------
    def evaluate(self, value, scope: Mapping[str, float], node_id: str | None,
                 field: str) -> float | None:
        """A number, or an expression evaluated in ``scope``; None (and a problem) if not.

        The value is read by :func:`planning.model.fields.read_value`, as compiling
        reads it, so what validates also evaluates.
        """
        try:
            expression = read_value(value, node_id, field)
        except PlanError as exc:
            self.error(node_id, field, exc.message)
            return None
        if type(expression) is float:
            return expression
        self.names_used.update(expression.names)
        if expression.links:
            scope = self.linked_scope(scope, expression)
            if scope is None:
                return None  # an unknown id, a circle or a read track's problem: reported as such
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

    def linked_scope(self, scope: Mapping[str, float], expression) -> Mapping[str, float] | None:
        """``scope`` plus the values of the other tracks ``expression`` reads (None if unknown).

        Worked out once per validation, the first time an expression reads
        another track; plans without links never pay for it.
        """
        from planning.engine import links
        from planning.model.expressions import link_key

        if self.link_values is None:
            found = links.find_links(self.plan)
            self.problems.extend(links.link_problems(self.plan, found))
            self.link_values = links.values_for_validation(self.plan)
        keys = [link_key(*link) for link in expression.links]
        if not all(key in self.link_values for key in keys):
            return None
        return {**scope, **{key: self.link_values[key] for key in keys}}

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
            if variable.range is not None:
                self.ranged_names.add(name)
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
        low, high = float(low), float(high)  # as computed (an int beyond 2**53 is rounded)
        if low > high:
            fix = None
            if node_id is not None and field in ("payoff_range", "probability_range"):
                fix = Fix("swap low and high", node_id, field, (high, low))
            self.error(node_id, field, f"low {_fmt(low)} is above high {_fmt(high)}", fix)
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
                               if kind == CHANCE else "decision node needs at least one option",
                               Fix("make it a terminal", node_id, "kind", TERMINAL))
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
                                        f"(expected one of {', '.join(PATHS)})",
                       Fix("clear the path", node_id, "path", None))
        days = node.warning_days
        if days is not None and not (_is_number(days) and days >= 0):
            self.error(node_id, "warning_days", f"must be 0 or more days, got {days!r}")
        if node.committed is not None:
            uncommit = Fix("clear the commitment", node_id, "committed", None)
            if node.kind != DECISION:
                self.error(node_id, "committed", "only a decision node can commit to an option",
                           uncommit)
            elif node.committed not in node.children:
                self.error(node_id, "committed", f"{node.committed!r} is not one of this "
                                                 "decision's options", uncommit)
        if node.probability is not None and parent_kind == DECISION:
            self.warning(node_id, "probability", "an option of a decision node has no "
                                                 "probability; this one is ignored",
                         Fix("remove the probability", node_id, "probability", None))
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
            effect = response.effect
            if _is_number(effect) and not -self.large <= effect <= self.large:
                self.large_values = True

    def node_values(self, node, scope: Mapping[str, float], is_branch: bool,
                    probabilities: dict[str, float | str | None]) -> None:
        """Payoff, probability and ranges of one node, evaluated in its scope."""
        node_id = node.id
        payoff = node.payoff
        if _is_number(payoff):
            payoff_value: float | None = payoff
        else:
            payoff_value = self.evaluate(payoff, scope, node_id, "payoff")
        if payoff_value is not None and not -self.large <= payoff_value <= self.large:
            self.large_values = True
        self.range(node.payoff_range, payoff_value, node_id, "payoff_range", "payoff")
        if node.payoff2 != 0 or node.payoff2_range is not None:
            self.payoff2(node, scope)
        if not is_branch:
            return
        probability = node.probability
        value: float | str | None
        if probability is None:
            self.error(node_id, "probability", "a branch of a chance node needs a probability",
                       Fix("share the remainder ('#')", node_id, "probability", SHARE))
            value = None
        elif is_share(probability):
            value = SHARE
        else:
            value = self.evaluate(probability, scope, node_id, "probability")
            if value is not None and not 0 <= value <= 1:
                self.error(node_id, "probability", f"must be between 0 and 1, got {_fmt(value)}")
                value = None
        probabilities[node_id] = value
        self.range(node.probability_range, value if type(value) is float else None,
                   node_id, "probability_range", "probability", unit_interval=True)
        pair = node.probability_range
        parent = self.parent_of.get(node_id)
        if (pair is not None and parent is not None and len(self.plan.nodes[parent].children) == 1
                and tuple(pair) != (1, 1)):
            # Sensitivity and Monte Carlo would move it; its siblings cannot make up the rest.
            self.error(node_id, "probability_range", "the only branch of a chance node always has "
                       "probability 1, so it cannot have a range",
                       Fix("remove the range", node_id, "probability_range", None))

    #: Nodes with a second payoff (one warning when the plan has one criterion).
    payoff2_nodes: list

    def payoff2(self, node, scope: Mapping[str, float]) -> None:
        """The second criterion's payoff and range (DESIGN "Two criteria")."""
        node_id = node.id
        payoff2 = node.payoff2
        value = payoff2 if _is_number(payoff2) else self.evaluate(payoff2, scope, node_id, "payoff2")
        if value is not None and not -self.large <= value <= self.large:
            self.large_values = True
        self.range(node.payoff2_range, value, node_id, "payoff2_range", "payoff2")
        self.payoff2_nodes.append(node_id)

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
        large = self.large
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
                if (type(payoff) is float and -large <= payoff <= large
                        and node.payoff_range is None and node.payoff2 == 0.0
                        and node.payoff2_range is None
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
    # The checks that compile a track (they import the engine) load only when needed.
    from planning.model.validate_ranges import finite_results, range_ends

    check = _Checker(plan)
    if plan.objective not in OBJECTIVES:
        check.error(None, "objective", f"must be one of {', '.join(OBJECTIVES)}, "
                                       f"got {plan.objective!r}")
    _rule_fields(check, plan)
    check.payoff2_nodes = []
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
    # What needs the compiled tracks (and a plan that compiles): the ends of
    # every variable's range, and sums that may overflow.
    if not any(p.severity == ERROR for p in check.problems):
        if check.ranged_names & check.names_used:
            range_ends(check, plan)
        if check.large_values:
            finite_results(check, plan)
    if check.payoff2_nodes and len(plan.criteria) < 2:
        count = len(check.payoff2_nodes)
        check.warning(None, "criteria", f"{count} node{'s' * (count > 1)} carry a second payoff "
                      f"(payoff2, e.g. {check.payoff2_nodes[0]}) but the plan has one criterion, "
                      "so it is ignored: add a second criterion to weigh it")
    _merge_conflicts(check, plan)  # last: they do not stop the checks above
    nodes = plan.nodes
    return [p.labelled(nodes) if p.node_id else p for p in check.problems]


def _rule_fields(check: _Checker, plan: Plan) -> None:
    """The plan's rule, criteria and weights (checked by :func:`planning.engine.rules.settings_problems`)."""
    from planning.engine.rules import settings_problems

    for severity, field, message in settings_problems(plan):
        (check.error if severity == ERROR else check.warning)(None, field, message)


def _show(value) -> str:
    """A value of a merge conflict, short: 12, 'Date agreed', absent."""
    if value is None:
        return "absent"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _merge_conflicts(check: _Checker, plan: Plan) -> None:
    """Each conflict a merge left in the file is an error until someone settles it."""
    if CONFLICTS_KEY not in plan.extra:
        return
    entries = plan.extra[CONFLICTS_KEY]
    if not isinstance(entries, list):
        check.error(None, CONFLICTS_KEY, f"must be a list of merge conflicts, got "
                                         f"{type(entries).__name__}")
        return
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            check.error(None, f"{CONFLICTS_KEY}[{i}]", "unresolved merge conflict (unreadable entry)")
            continue
        node = entry.get("node")
        field = entry.get("field")
        field = field if isinstance(field, str) and field else CONFLICTS_KEY
        message = entry.get("message")
        if isinstance(message, str) and message:
            detail = message
        else:
            detail = (f"ours {_show(entry.get('ours'))}, theirs {_show(entry.get('theirs'))} "
                      f"(base {_show(entry.get('base'))}); ours is kept")
        where = None
        if isinstance(node, str) and node:
            if node in plan.nodes:
                where = node
            else:
                detail = f"{detail} (on node {node}, which is no longer in the plan)"
        check.error(where, field, f"unresolved merge conflict: {detail}")


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
