"""Outlines and Freeplane/FreeMind mind maps imported as trees to refine."""
from __future__ import annotations

import pytest

from planning.files import importers
from planning.model.errors import PlanFileError
from planning.engine.evaluate import evaluate_track
from planning.files.importers.detect import detect_format, import_any
from planning.files.importers.freeplane import import_freeplane, loads_freeplane
from planning.files.importers.outline import import_outline, loads_outline
from planning.model.validate import validate_plan

OUTLINE = """\
// a launch, written quickly
! Launch in spring? {v=0}
  ? Launch {v=-40}
    - Adoption on target {p=0.7, v=200, path=success, warn=30}
    - Adoption stalls {path=failure, v=-60}
  [T] Wait a year {v=20, path=~}
Second track
\tA
\tB
"""

MIND_MAP = """<?xml version="1.0" encoding="UTF-8"?>
<map version="freeplane 1.9.13">
<node TEXT="! Launch in spring?" ID="ID_1">
  <node TEXT="Launch" POSITION="right">
    <attribute NAME="payoff" VALUE="-40"/>
    <node TEXT="Adoption on target">
      <attribute NAME="probability" VALUE="0.7"/>
      <attribute NAME="Path" VALUE="success"/>
      <attribute NAME="payoff" VALUE="200"/>
      <richcontent TYPE="NOTE"><html><body><p>pre-orders &amp; <b>churn</b></p></body></html></richcontent>
    </node>
    <node><richcontent TYPE="NODE"><html><body><p>Adoption <i>stalls</i> {path=failure, v=-60}</p></body></html></richcontent></node>
  </node>
  <node TEXT="Wait a year"><attribute NAME="v" VALUE="20"/><attribute NAME="kind" VALUE="terminal"/></node>
</node>
</map>
"""


def _shape(plan, root):
    return [(n.kind, n.label, n.probability, n.payoff, n.path) for n in plan.walk(root)]


def test_outline_convention():
    plan = loads_outline(OUTLINE, source="launch.txt", title="launch")
    assert [(t.title, plan.nodes[t.root].label) for t in plan.tracks] == \
        [("Launch in spring?", "Launch in spring?"), ("Second track", "Second track")]
    assert _shape(plan, plan.tracks[0].root) == [
        ("decision", "Launch in spring?", None, 0.0, None),
        ("chance", "Launch", None, -40.0, None),
        ("terminal", "Adoption on target", 0.7, 200.0, "success"),
        ("terminal", "Adoption stalls", "#", -60.0, "failure"),
        ("terminal", "Wait a year", None, 20.0, "neutral"),
    ]
    assert plan.nodes[plan.tracks[0].root].children[0] in plan.nodes
    second = _shape(plan, plan.tracks[1].root)
    assert [k for k, *_ in second] == ["chance", "terminal", "terminal"]  # default kinds
    assert [p for _, _, p, *_ in second[1:]] == ["#", "#"]
    assert not [p for p in validate_plan(plan) if p.severity == "error"]
    # same numbers as shared/examples/minimal.bwplan: 0.7*160 + 0.3*(-100) = 82 > 20
    result = evaluate_track(plan, plan.tracks[0].id)
    assert result.ev == pytest.approx(0.7 * 160 + 0.3 * -100)


def test_outline_headings_bullets_and_numbers():
    plan = loads_outline("# Talks\n## Offer\n- Yes\n- No\n## Wait\n1. Later\n", title="t")
    root = plan.tracks[0].root
    tree = [(n.label, [plan.nodes[c].label for c in n.children]) for n in plan.walk(root)]
    assert tree == [("Talks", ["Offer", "Wait"]), ("Offer", ["Yes", "No"]), ("Yes", []), ("No", []),
                    ("Wait", ["Later"]), ("Later", [])]


def test_outline_dedent_to_an_unseen_depth_and_big_jumps():
    plan = loads_outline("root\n        deep\n    middle\n  sibling\n")
    root = plan.nodes[plan.tracks[0].root]
    assert [plan.nodes[c].label for c in root.children] == ["deep", "middle", "sibling"]


@pytest.mark.parametrize("line, message", [
    ("x {p=}", "expected key=value"),
    ("x {colour=red}", "unknown key"),
    ("x {path=sideways}", "path must be"),
    ("x {warn=soon}", "warn must be"),
])
def test_outline_errors_name_the_line(line, message):
    with pytest.raises(PlanFileError, match=rf"line 2: {message}"):
        loads_outline("root\n  " + line + "\n", source="o.txt")


def test_outline_edge_cases():
    with pytest.raises(PlanFileError, match="no outline lines"):
        loads_outline("\n  \n// only a comment\n")
    with pytest.raises(PlanFileError, match=r"marked as an end \[T\]"):
        loads_outline("[T] end\n  child\n")
    plan = loads_outline("? just a question\n")  # a chance node with nothing under it: an end for now
    assert plan.nodes[plan.tracks[0].root].kind == "terminal"


def test_outline_deep_chain_needs_no_recursion():
    depth = 3000
    text = "".join("\t" * i + f"n{i}\n" for i in range(depth))
    plan = loads_outline(text)
    assert len(plan.nodes) == depth and len(plan.tracks) == 1
    assert not [p for p in validate_plan(plan) if p.severity == "error"]


def test_outline_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("root\n" + "  child\n" * 200)
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 1000)
    with pytest.raises(PlanFileError, match="larger than"):
        import_outline(path)


def test_mind_map_import():
    plan = loads_freeplane(MIND_MAP, source="launch.mm", title="launch")
    assert _shape(plan, plan.tracks[0].root) == [
        ("decision", "Launch in spring?", None, 0.0, None),
        ("chance", "Launch", None, -40.0, None),
        ("terminal", "Adoption on target", 0.7, 200.0, "success"),
        ("terminal", "Adoption stalls", "#", -60.0, "failure"),
        ("terminal", "Wait a year", None, 20.0, None),
    ]
    target = next(n for n in plan.nodes.values() if n.label == "Adoption on target")
    assert target.notes == "pre-orders & churn"
    result = evaluate_track(plan)
    assert result.ev == pytest.approx(0.7 * 160 + 0.3 * -100)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE map [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<map><node TEXT="&lol4;"/></map>
"""


@pytest.mark.parametrize("text", [
    BILLION_LAUGHS,
    '<?xml version="1.0"?><!DOCTYPE map SYSTEM "file:///etc/passwd"><map><node TEXT="x"/></map>',
    '<map><!-- x --><!doctype map><node TEXT="x"/></map>',
    '<?xml version="1.0"?>\n<!ENTITY x "y">\n<map/>',
])
def test_mind_map_declarations_are_refused(text):
    with pytest.raises(PlanFileError, match="DOCTYPE and ENTITY"):
        loads_freeplane(text)


@pytest.mark.parametrize("text, message", [
    ("<map><node TEXT='x'>", "not valid XML"),
    ("<html><node TEXT='x'/></html>", "not a Freeplane"),
    ("<map></map>", "no nodes"),
    ("", "not valid XML"),
])
def test_mind_map_bad_files(text, message):
    with pytest.raises(PlanFileError, match=message):
        loads_freeplane(text)


def test_mind_map_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.mm"
    path.write_text(MIND_MAP)
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 200)
    with pytest.raises(PlanFileError, match="larger than"):
        import_freeplane(path)
    with pytest.raises(PlanFileError, match="larger than"):
        loads_freeplane(MIND_MAP)


def test_mind_map_100000_deep():
    depth = 100_000
    text = "<map>" + '<node TEXT="n">' * depth + "</node>" * depth + "</map>"
    plan = loads_freeplane(text)
    assert len(plan.nodes) == depth
    assert not [p for p in validate_plan(plan) if p.severity == "error"]


def test_import_any_chooses_by_extension_and_content(tmp_path):
    (tmp_path / "a.mm").write_text(MIND_MAP)
    (tmp_path / "a.txt").write_text(OUTLINE)
    (tmp_path / "noext").write_text(MIND_MAP)
    (tmp_path / "notes").write_text(OUTLINE)
    assert detect_format(tmp_path / "a.mm") == "freeplane"
    assert detect_format(tmp_path / "noext") == "freeplane"
    assert detect_format(tmp_path / "notes") == "outline"
    for name in ("a.mm", "noext"):
        assert import_any(tmp_path / name).nodes["o1"].label == "Launch in spring?"
    for name in ("a.txt", "notes"):
        assert len(import_any(tmp_path / name).tracks) == 2
    from conftest import SAMPLES
    assert import_any(SAMPLES / "peace-process.bwplan").title == "Northern Peninsula talks"
    with pytest.raises(FileNotFoundError):
        import_any(tmp_path / "missing.mm")


# -- issue 17: braces that are ordinary text ------------------------------------------------

LATEX_MAP = r"""<map version="freeplane 1.3.0">
<node TEXT="LaTeX equations in Freeplane">
  <node TEXT="Examples">
    <node TEXT="You can switch to sans-serif using \textsf{...}"/>
    <node TEXT="\latex $x_2=\frac{1}{3}$ {p=0.25}"/>
    <node TEXT="Arguments are enclosed in {} unless it is one letter"/>
    <node TEXT="\binom{n}{k}"/>
  </node>
  <node TEXT="Talks resume {p=0.3, v=20}">
    <attribute NAME="warn" VALUE="soon"/>
  </node>
  <node TEXT="Talks fail {v=-5}"/>
</node>
</map>
"""


def test_mind_map_braces_that_are_text_stay_in_the_label_and_are_reported():
    import warnings

    from planning.files.importers.freeplane import MindMapWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = loads_freeplane(LATEX_MAP, source="latex.mm")
    labels = {node.label: node for node in plan.nodes.values()}
    assert "You can switch to sans-serif using \\textsf{...}" in labels
    assert "\\binom{n}{k}" in labels
    assert "Arguments are enclosed in {} unless it is one letter" in labels
    assert labels["\\latex $x_2=\\frac{1}{3}$"].probability == 0.25  # our braces still read
    assert (labels["Talks resume"].probability, labels["Talks resume"].payoff) == (0.3, 20)
    assert labels["Talks fail"].payoff == -5
    said = [str(w.message) for w in caught if issubclass(w.category, MindMapWarning)]
    assert len(said) == 3, said
    assert any("latex.mm: node 3" in s and "\\textsf{...}" in s and "braces kept as part of the label" in s
               for s in said)
    assert any("\\binom{n}{k}" in s for s in said)
    assert any("attribute 'warn' left out" in s and "soon" in s for s in said)


def test_cli_import_of_a_map_with_text_braces_writes_the_plan_and_says_what_it_left(tmp_path, capsys):
    from app.cli import main

    source = tmp_path / "latex.mm"
    source.write_text(LATEX_MAP, encoding="utf-8")
    code = main(["import", str(source), "-o", str(tmp_path / "latex.bwplan")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "8 nodes" in out
    assert "warning: " in err and "braces kept as part of the label" in err
