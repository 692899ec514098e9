"""Import SilverDecisions decision trees (JSON, versions 0.5 to 0.8) as a Plan.

SilverDecisions stores each tree as nested objects: a node has ``type``,
``name``, ``code`` and ``childEdges``; an edge has ``name``, ``probability``,
``payoff`` and ``childNode``. Branchwise keeps nodes flat and puts what sits on
an edge onto the node it leads to, so:

* each tree becomes a track (``tree1``, ``tree2``, ...), each node a node with
  the id ``sd1``, ``sd2``, ... in depth-first pre-order over all trees;
* an edge's probability and payoff become its child's ``probability`` and
  ``payoff`` (payoffs add up along a path in both tools); a multi-criteria
  payoff ``[c1, c2]`` gives ``payoff`` and ``payoff2``;
* the file's rule is kept: the six single-criterion rules as ``rule`` and
  ``objective``, the four two-criteria ones (max-max, max-min, min-max,
  min-min) as two ``criteria`` with their senses; ``payoffNames``,
  ``defaultCriterion1Weight`` and the weight bounds as the criteria's names,
  ``weight`` and ``weight_range``;
* ``code`` (``name = expr`` statements, ``#`` comments, ``;`` or new lines
  between them) becomes variables: global code the plan's, node code the
  node's own (they apply to its subtree);
* math.js expressions are rewritten to Branchwise's syntax (implicit
  multiplication, ``mod``, ``PI``, names Branchwise cannot spell). What
  Branchwise cannot compute (``sin``, ``random``, distributions) is imported
  as the value SilverDecisions stored for it in the file, with the original
  expression kept in the notes or the variable's description: the results
  stored in the file were computed from exactly those values.

SilverDecisions evaluates an edge's expressions in the scope of the node the
edge leaves; Branchwise evaluates a node's payoff and probability in that
node's own scope. Where a node's code redefines a name its incoming edge
reads, the edge's expression is moved into a variable of the parent node, so
both tools read the same value.

Nothing is executed: expressions go through :mod:`planning.model.expressions`. Every
walk is iterative; reading (size limit, JSON at any depth) is shared with
other importers in :mod:`planning.files.importers`.
"""
from __future__ import annotations

import contextlib
import gc
import math

from planning.model import expressions

from planning.files import importers
from planning.model.errors import PlanFileError
from planning.files.importers import read_json, read_text
from planning.files.importers.mathjs import (
    _ASSIGNMENT, _MJS_NAME, _RANDOM, _Names, _statements, _strip_comment, _Unsupported,
)
from planning.files.importers.sd_numbers import (  # noqa: F401  (parse_number: this module's API)
    _as_value, _decimal, _number_or_none, _plain_number, parse_number,
)
from planning.files.importers.sd_walk import _KINDS, _clean, _layout, _show, _walk
from planning.model.plan import (
    BEST_CASE,
    CHANCE,
    EXPECTED,
    MAXIMIZE,
    MINIMIZE,
    NEUTRAL,
    TERMINAL,
    WORST_CASE,
    Criterion,
    Node,
    Plan,
    Track,
    Value,
    Variable,
)

__all__ = ["EV_RULE", "MAX_NODES", "RULES", "TWO_CRITERIA_RULES", "import_silverdecisions",
           "loads_silverdecisions", "parse_number", "plan_from_silverdecisions", "stored_results",
           "stored_rule_values"]

TOOL = "SilverDecisions"
MAX_NODES = 1_000_000
#: The rule whose stored results the import reproduces (Branchwise maximises EV).
EV_RULE = "expected-value-maximization"
#: SilverDecisions' single-criterion rules as Branchwise (rule, objective).
RULES = {
    "expected-value-maximization": (EXPECTED, MAXIMIZE),
    "expected-value-minimization": (EXPECTED, MINIMIZE),
    "maxi-min": (WORST_CASE, MAXIMIZE),
    "maxi-max": (BEST_CASE, MAXIMIZE),
    "mini-max": (WORST_CASE, MINIMIZE),
    "mini-min": (BEST_CASE, MINIMIZE),
}
#: The two-criteria rules as the senses of (criterion 1, criterion 2).
TWO_CRITERIA_RULES = {
    "max-max": (MAXIMIZE, MAXIMIZE),
    "max-min": (MAXIMIZE, MINIMIZE),
    "min-max": (MINIMIZE, MAXIMIZE),
    "min-min": (MINIMIZE, MINIMIZE),
}

# -- the public entry points ---------------------------------------------------------------------
def import_silverdecisions(path_or_text, *, source: str | None = None) -> Plan:
    """Read a SilverDecisions file and convert it to a :class:`Plan`.

    Parameters
    ----------
    path_or_text : str, os.PathLike or bytes
        A path, or the file's content: bytes, or a str that starts with ``{``
        or ``[`` or spans several lines.
    source : str, optional
        The name used in messages (default: the file name).

    Raises
    ------
    PlanFileError
        The file cannot be read, is too large, is not JSON, is not a
        SilverDecisions file, or its structure is broken. The message says
        what and where (``tree 1, node 'Buy?': edge 2: payoff: ...``).
    """
    with _gc_paused():
        text, source, fallback_title = read_text(path_or_text, source)
        data = read_json(text, source)
        del text  # 150 MB and more for a large file: not kept while the plan is built
        return _Converter(data, source, fallback_title, consume=True).plan()


def loads_silverdecisions(text: str, *, source: str | None = None) -> Plan:
    """Convert the text of a SilverDecisions file to a :class:`Plan`.

    Raises
    ------
    PlanFileError
        As :func:`import_silverdecisions`.
    """
    if not isinstance(text, str):
        raise PlanFileError(f"expected the file's text, got {type(text).__name__}")
    source = source or "<text>"
    with _gc_paused():
        data = read_json(importers.check_size(text, source), source)
        return _Converter(data, source, "", consume=True).plan()


@contextlib.contextmanager
def _gc_paused():
    # The garbage collector would walk the whole parsed file again and again
    # while the plan is built (it holds no cycles): pause it, about 2x faster.
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _rule_data(thing: dict) -> dict:
    computed = thing.get("computed")
    rule = computed.get(EV_RULE) if isinstance(computed, dict) else None
    return rule if isinstance(rule, dict) else {}


def stored_results(data: dict) -> list[dict]:
    """What the file itself stores under ``computed["expected-value-maximization"]``.

    Parameters
    ----------
    data : dict
        The parsed JSON of a SilverDecisions file.

    Returns
    -------
    list of dict
        One per tree, in order: ``track`` (``"tree1"``...), ``root`` (the
        root's node id in the imported plan), ``ev`` (the root's stored
        expected value, None when absent) and ``policy``: decision node id ->
        the ids of the options SilverDecisions marks best. SilverDecisions
        marks ``optimal`` only on decisions along the optimal path and marks
        every option of a tie; for decisions off that path the options it
        selected (rule probability 1) are given. Ids match the importer's.

    Raises
    ------
    PlanFileError
        When ``data`` is not a SilverDecisions file.
    """
    _, _, trees = _layout(data, "<data>")
    walk = _walk(trees, "<data>", MAX_NODES)
    results: list[dict] = []
    options: dict[int, list[tuple[dict, str]]] = {}
    for index, parent in enumerate(walk.parents):
        if parent < 0:
            results.append({"track": f"tree{walk.trees[index]}", "root": f"sd{index + 1}",
                            "ev": _number_or_none(_rule_data(walk.nodes[index]).get("payoff")),
                            "policy": {}})
        else:
            options.setdefault(parent, []).append((walk.edges[index], f"sd{index + 1}"))
    for index, node in enumerate(walk.nodes):
        if node.get("type") != "decision" or index not in options:
            continue
        marked = [(_rule_data(edge), child) for edge, child in options[index]]
        best = [child for rule, child in marked if rule.get("optimal") is True]
        if not best:
            best = [child for rule, child in marked if _number_or_none(rule.get("probability")) == 1.0]
        if best:
            results[walk.trees[index] - 1]["policy"][f"sd{index + 1}"] = best
    return results


def stored_rule_values(data: dict) -> list[dict[str, list[float]]]:
    """The root value the file stores for every rule, per tree.

    Returns one dict per tree: rule name -> the root's ``computed[rule].payoff``
    as a list of floats (one value, or the pair of a two-criteria rule).
    Rules whose value is absent or unreadable are left out.
    """
    _, _, trees = _layout(data, "<data>")
    out: list[dict[str, list[float]]] = []
    for root in trees:
        values: dict[str, list[float]] = {}
        computed = root.get("computed") if isinstance(root, dict) else None
        for rule, stored in (computed.items() if isinstance(computed, dict) else ()):
            if rule not in RULES and rule not in TWO_CRITERIA_RULES or not isinstance(stored, dict):
                continue
            payoff = stored.get("payoff")
            items = payoff if isinstance(payoff, list) else [payoff]
            numbers = [_number_or_none(item) for item in items]
            if numbers and None not in numbers:
                values[rule] = numbers
        out.append(values)
    return out


def plan_from_silverdecisions(data: dict, *, source: str = "<data>") -> Plan:
    """Convert the parsed JSON of a SilverDecisions file to a :class:`Plan`.

    Raises
    ------
    PlanFileError
        As :func:`import_silverdecisions`.
    """
    return _Converter(data, source, "").plan()


def _stored(edge: dict, key: str):
    """What SilverDecisions computed for an edge's ``payoff`` or ``probability`` (None: nothing)."""
    computed = edge.get("computed")
    return computed.get(key) if isinstance(computed, dict) else None


def _stored_scope_value(scope, name: str) -> float | None:
    if not isinstance(scope, dict):
        return None
    value = scope.get(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


# -- the conversion ----------------------------------------------------------------------------
class _Converter:
    def __init__(self, data, source: str, fallback_title: str, consume: bool = False):
        #: Whether the parsed file is ours to take apart while the plan is built: each
        #: SilverDecisions node is emptied once converted, so a large file's parsed
        #: objects are freed as the plan's are made (peak memory: one of them, not both).
        self.consume = consume
        self.source = source
        self.data = data
        self.version, self.body, trees = _layout(data, source)
        self.fallback_title = fallback_title
        self.walk = _walk(trees, source, MAX_NODES)
        used: set[str] = set()
        defined: set[str] = set()
        codes = [self.body["code"]] if isinstance(self.body.get("code"), str) else []
        codes += [code for node in self.walk.nodes if (code := node.get("code"))]
        for code in codes:
            for statement in _statements(code):
                if m := _ASSIGNMENT.match(statement):
                    defined.add(m.group(1))
        # Every text that may hold a name, scanned at once: a name never spans the
        # new line between two of them, so the names found are those of each text.
        texts = list(codes)
        for edge in self.walk.edges:
            if edge is None:
                continue
            for value in (edge.get("payoff"), edge.get("probability")):
                if isinstance(value, str):
                    texts.append(value)
                elif isinstance(value, list):
                    texts += [item for item in value if isinstance(item, str)]
        used.update(_MJS_NAME.findall("\n".join(texts)))
        self.names = _Names(used, defined)
        self.notes: list[str] = []

    def plan(self) -> Plan:
        body, data = self.body, self.data
        title = data.get("title") if isinstance(data.get("title"), str) else ""
        description = data.get("description") if isinstance(data.get("description"), str) else ""
        scope = body.get("expressionScope")
        global_code = body.get("code") if isinstance(body.get("code"), str) else ""
        variables = self.code(global_code, scope, self.notes)
        nodes: dict[str, Node] = {}
        built: list[Node] = []  # by walk index
        tracks: list[Track] = []
        walk = self.walk
        for index, sd in enumerate(walk.nodes):
            node = self.node(index, sd, built)
            built.append(node)
            nodes[node.id] = node
            parent = walk.parents[index]
            if parent < 0:
                root_name = _clean(sd.get("name") or "")
                tree = walk.trees[index]
                tracks.append(Track(id=f"tree{tree}", title=root_name or f"Tree {tree}", root=node.id))
            else:
                built[parent].children.append(node.id)
            if self.consume:
                sd.clear()
                walk.nodes[index] = walk.edges[index] = None
        rule = data.get("rule")
        extra: dict = {"imported_from": {"tool": TOOL, "version": self.version}}
        details: dict = {}
        if isinstance(rule, str):
            details["rule"] = rule
        if details:
            extra["silverdecisions"] = details
        raw_texts = body.get("texts") if isinstance(body.get("texts"), list) else []
        texts = [_clean(t["value"]) for t in raw_texts
                 if isinstance(t, dict) and isinstance(t.get("value"), str) and t["value"].strip()]
        parts = [description.strip()] if description.strip() else []
        if texts:
            parts.append("Notes on the diagram:\n" + "\n".join(f"- {t}" for t in texts))
        plan = Plan(title=_clean(title) or self.fallback_title or "SilverDecisions tree",
                    description="", objective=MAXIMIZE, value_unit=self.value_unit(),
                    variables=variables, tracks=tracks, nodes=nodes, extra=extra)
        self.rule_settings(plan, rule)
        if self.notes:
            parts.append("Import notes:\n" + "\n".join(f"- {n}" for n in self.notes))
        plan.description = "\n\n".join(parts)
        return plan

    def rule_settings(self, plan: Plan, rule) -> None:
        """The file's rule, criteria names and weights onto the plan (DESIGN "Decision rules")."""
        body = self.body
        names = body.get("payoffNames")
        names = [n.strip() if isinstance(n, str) else "" for n in names] if isinstance(names, list) else []
        names = (names + ["", ""])[:2]
        names = [name or f"criterion {k + 1}" for k, name in enumerate(names)]
        units = [self.value_unit("payoff1"), self.value_unit("payoff2")]
        if rule in TWO_CRITERIA_RULES:
            senses = TWO_CRITERIA_RULES[rule]
            plan.objective = senses[0]
            plan.criteria = [Criterion(names[0], senses[0], units[0]), Criterion(names[1], senses[1], units[1])]
        elif isinstance(rule, str) and rule in RULES:
            plan.rule, plan.objective = RULES[rule]
            if any(n.payoff2 != 0 for n in plan.nodes.values()):
                # The second payoffs are kept on the nodes; one criterion is judged.
                plan.criteria = [Criterion(names[0], plan.objective, units[0])]
                self.notes.append(f"The file's rule {rule!r} judges the first criterion ({names[0]}); "
                                  f"the second ({names[1]}) is kept as payoff2: add it as a second "
                                  "criterion in the plan settings to weigh both.")
        elif rule is not None:
            self.notes.append(f"The file's rule {_show(rule)} is unknown; the expected value is maximised.")
        weight = self.weight(body.get("defaultCriterion1Weight"), "defaultCriterion1Weight")
        if weight is not None:
            plan.weight = weight
        low = self.weight(body.get("weightLowerBound"), "weightLowerBound")
        high = self.weight(body.get("weightUpperBound"), "weightUpperBound")
        if low is not None or high is not None:
            pair = (0.0 if low is None else low, math.inf if high is None else high)
            if pair != (0.0, math.inf) and pair[0] <= pair[1]:
                plan.weight_range = pair

    def weight(self, raw, name: str) -> float | None:
        if raw is None:
            return None
        if isinstance(raw, str) and raw.strip().lower() in ("infinity", "inf"):
            return math.inf
        try:
            value = parse_number(raw)
        except ValueError:
            self.notes.append(f"SilverDecisions {name} {_show(raw)} is not a number; not imported")
            return None
        if value < 0:
            self.notes.append(f"SilverDecisions {name} {value:g} is negative; not imported")
            return None
        return value

    def value_unit(self, key: str = "payoff1") -> str:
        formats = self.data.get("format")
        if not isinstance(formats, dict):
            return ""
        payoff = formats.get(key) if key != "payoff1" else formats.get("payoff", formats.get("payoff1"))
        if isinstance(payoff, dict) and payoff.get("style") == "currency":
            currency = payoff.get("currency")
            return currency if isinstance(currency, str) else ""
        return ""

    def node(self, index: int, sd: dict, built: list[Node]) -> Node:
        """The Branchwise node of the walk's node ``index`` (``sd``), its parent already built."""
        name = sd.get("name")
        name = " ".join(name.split()) if name else ""
        edge = self.walk.edges[index]
        edge_name = edge.get("name") if edge is not None else None
        edge_name = " ".join(edge_name.split()) if edge_name else ""
        label = f"{edge_name}: {name}" if edge_name and name else (name or edge_name)
        notes: list[str] = []
        kind = _KINDS[sd["type"]]
        code = sd.get("code")
        variables = self.code(code, sd.get("expressionScope"), notes) if code else []
        payoff: Value = 0.0
        payoff2: Value = 0.0
        probability: Value | None = None
        parent = None
        if edge is not None:
            parent = built[self.walk.parents[index]]
            raw_payoff = edge.get("payoff")
            # The common case, a plain decimal (or a JSON number), without a call per value.
            first = raw_payoff[0] if type(raw_payoff) is list and raw_payoff else raw_payoff
            number = _plain_number(first)
            if number is None:
                number = self.edge_value(raw_payoff, _stored(edge, "payoff"), "payoff", index, notes)
            payoff = number
            if isinstance(raw_payoff, list) and len(raw_payoff) > 1:
                number = _plain_number(raw_payoff[1])
                if number is None:
                    stored_payoff = _stored(edge, "payoff")
                    stored2 = stored_payoff[1:] if isinstance(stored_payoff, list) else None
                    number = self.edge_value(raw_payoff[1:], stored2, "payoff", index, notes)
                payoff2 = number
            if parent.kind == CHANCE:
                raw = edge.get("probability")
                probability = _plain_number(raw)
                if probability is None:
                    probability = self.edge_value(raw, _stored(edge, "probability"), "probability",
                                                  index, notes)
        node = Node(f"sd{index + 1}", kind, label, "", [], payoff, probability, None, None,
                    NEUTRAL if kind == TERMINAL else None, [], None, [], None, variables, payoff2)
        if parent is not None and variables:
            self.keep_edge_scope(node, parent)
        if notes:
            node.notes = "\n".join(notes)
        return node

    def edge_value(self, raw, stored, field: str, index: int, notes: list[str]) -> Value | None:
        """The payoff or probability of the edge to node ``index`` in Branchwise form (None: no
        probability)."""
        if field == "payoff" and isinstance(raw, list):
            raw = raw[0] if raw else None
            stored = stored[0] if isinstance(stored, list) and stored else stored
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return 0.0 if field == "payoff" else None
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            if not math.isfinite(raw):
                raise PlanFileError(f"{self.walk.edge_place(index)}: {field}: must be finite, "
                                    f"got {raw!r}")
            return float(raw)
        if not isinstance(raw, str):
            raise PlanFileError(f"{self.walk.edge_place(index)}: {field}: must be a number or an "
                                f"expression, got {_show(raw)}")
        if field == "probability" and raw.strip() == "#":
            return "#"
        number = _decimal(raw)
        if number is not None:
            return number
        try:
            return _as_value(self.names.convert(raw))
        except _Unsupported as why:
            original = _clean(raw, 80)
            number = _number_or_none(stored)
            if number is None:
                notes.append(f"SilverDecisions {field} {original!r} could not be converted: {why}")
                return _clean(_strip_comment(raw)) or raw
            notes.append(f"SilverDecisions {field} {original!r} ({why}): imported as the value "
                         f"stored in the file, {number:.12g}")
            return number

    def keep_edge_scope(self, node: Node, parent: Node) -> None:
        """Evaluate an edge's expressions in the parent's scope, as SilverDecisions does.

        Branchwise reads a node's payoff and probability in the node's own
        scope; when the node's code redefines a name they read, the expression
        moves into a variable of the parent, which the node then reads.
        """
        own = {v.name for v in node.variables}
        if not own:
            return
        for field in ("payoff", "probability"):
            value = getattr(node, field)
            if not isinstance(value, str) or value == "#":
                continue
            try:
                names = expressions.parse(value).names
            except expressions.ExpressionError:
                continue
            if names & own:
                hoisted = self.names.fresh(f"{node.id}_{field}")
                parent.variables.append(Variable(hoisted, value, description=(
                    f"the {field} of {node.id}, evaluated where SilverDecisions evaluates it")))
                setattr(node, field, hoisted)

    def code(self, code: str, stored_scope, notes: list[str]) -> list[Variable]:
        """Variables from SilverDecisions code: ``name = expr`` statements."""
        statements = []
        for statement in _statements(code):
            match = _ASSIGNMENT.match(statement)
            if match is None:
                notes.append(f"SilverDecisions code {_clean(statement, 80)!r} is not 'name = expression'; "
                             "not imported")
            else:
                statements.append((match.group(1), match.group(2).strip()))
        remaining: dict[str, int] = {}
        for name, _ in statements:
            remaining[name] = remaining.get(name, 0) + 1
        renamed: dict[str, str] = {}  # names assigned again later in this code: their current alias
        variables: list[Variable] = []
        for source_name, expression in statements:
            remaining[source_name] -= 1
            last = remaining[source_name] == 0
            name = self.names(source_name)
            if not last:  # an earlier value of a name assigned twice gets a name of its own
                name = self.names.fresh(f"{name}_{len(variables) + 1}")
            variables.append(self.variable(name, source_name, expression, renamed,
                                           _stored_scope_value(stored_scope, source_name) if last else None))
            if last:
                renamed.pop(source_name, None)
            else:
                renamed[source_name] = name
        return variables

    def variable(self, name: str, source_name: str, expression: str, renamed: dict[str, str],
                 stored: float | None) -> Variable:
        text = _clean(_strip_comment(expression))
        if random := _RANDOM.match(text):
            low, high = (0.0, 1.0) if random.group(1) is None else map(float, random.group(1, 2))
            span = (low, high) if low <= high else (high, low)
            if stored is None:
                stored = (low + high) / 2
                drawn = f"no drawn value is stored in the file, so the middle, {stored:.12g}"
            else:
                drawn = f"imported with the value drawn when the file was saved, {stored:.12g}"
            return Variable(name, stored, range=span, description=(
                f"SilverDecisions draws {source_name} = {text} (uniform on [{span[0]:g}, {span[1]:g}]) "
                f"on each recomputation; {drawn}"))
        try:
            return Variable(name, _as_value(self.names.convert(expression, renamed)))
        except _Unsupported as why:
            if stored is not None:
                return Variable(name, stored, description=(
                    f"SilverDecisions: {source_name} = {_clean(text, 80)} ({why}); imported as "
                    f"the value stored in the file"))
            return Variable(name, text or "0", description=f"SilverDecisions: could not convert: {why}")
