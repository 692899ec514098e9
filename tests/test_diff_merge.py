"""`branchwise diff` and `branchwise merge`: by node id and field, from the API, the CLI and git."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from conftest import ROOT, SAMPLES
from planning.sharing.diff import diff_plans, format_changes
from planning.sharing.merge import merge_order, merge_plans
from planning.model.plan import Node, Response
from planning.files.planfile import load_plan, loads_plan, plan_to_dict, save_plan
from planning.model.validate import validate_plan

PEACE = SAMPLES / "peace-process.bwplan"


@pytest.fixture
def base():
    return load_plan(PEACE)


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def edited(plan, edit):
    copy = plan.copy()
    edit(copy)
    return copy


# -- diff -------------------------------------------------------------------------------

def test_diff_names_changed_probability_added_node_and_removed_response(base):
    def edit(p):
        p.nodes["ir_c2"].probability = 0.7
        p.nodes["ir_t9"] = Node("ir_t9", label="Talks collapse")
        p.nodes["ir_c1"].children.append("ir_t9")
        p.nodes["ir_t1"].responses = []

    changes = diff_plans(base, edited(base, edit))
    found = {(c.op, c.scope, c.id, c.field) for c in changes}
    assert ("changed", "node", "ir_c2", "probability") in found
    assert ("added", "node", "ir_t9", None) in found
    assert ("removed", "response", "r_ir_2", None) in found
    assert ("changed", "node", "ir_c1", "children") in found
    assert len(changes) == 4
    probability = next(c for c in changes if c.field == "probability")
    assert (probability.old, probability.new) == ("p_summit_date", 0.7)
    text = format_changes(changes, "a.bwplan", "b.bwplan")
    assert '~ node ir_c2 ("Meeting date set within 60 days"): probability: "p_summit_date" -> 0.7' in text
    assert '+ node ir_t9 ("Talks collapse") added under ir_c1' in text
    assert "response r_ir_2 removed" in text
    assert diff_plans(base, base.copy()) == []


def test_diff_reports_reordered_children_not_a_change(base):
    plan = edited(base, lambda p: p.nodes["ir_d1"].children.reverse())
    (change,) = diff_plans(base, plan)
    assert (change.op, change.id, change.field) == ("reordered", "ir_d1", "children")


def test_diff_cli_text_json_and_exit_codes(tmp_path, capsys, base):
    other = edited(base, lambda p: setattr(p.nodes["ir_c2"], "payoff", 3))
    save_plan(other, tmp_path / "b.bwplan")
    code, out, _ = run(capsys, "diff", PEACE, tmp_path / "b.bwplan")
    assert code == 0 and "payoff: (none) -> 3" in out and "1 change" in out
    code, out, _ = run(capsys, "diff", PEACE, tmp_path / "b.bwplan", "--json")
    data = json.loads(out)
    assert data["changes"] == [{"op": "changed", "scope": "node", "id": "ir_c2", "field": "payoff",
                                "old": None, "new": 3, "node": None,
                                "label": "Meeting date set within 60 days"}]
    assert run(capsys, "diff", PEACE, tmp_path / "b.bwplan", "--exit-code")[0] == 1
    assert run(capsys, "diff", PEACE, PEACE, "--exit-code")[0] == 0
    assert run(capsys, "diff", PEACE)[0] == 2
    assert run(capsys, "diff", PEACE, tmp_path / "missing.bwplan")[0] == 2


def test_diff_output_keeps_hostile_labels_inert(base):
    hostile = "\x1b[2J\x1b]0;owned\x07<script>alert(1)</script>\u202e"
    changes = diff_plans(base, edited(base, lambda p: setattr(p.nodes["ir_c2"], "label", hostile)))
    text = format_changes(changes)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\u001b[2J" in text and "\\u202e" in text


# -- merge ------------------------------------------------------------------------------

def test_edits_to_different_fields_of_one_node_merge_cleanly(base):
    ours = edited(base, lambda p: setattr(p.nodes["ir_c2"], "label", "Date set"))
    theirs = edited(base, lambda p: (setattr(p.nodes["ir_c2"], "payoff", 4),
                                     setattr(p.nodes["ir_c2"].responses[0], "readiness", 4)))
    result = merge_plans(base, ours, theirs)
    assert result.clean, result.conflicts
    node = result.plan.nodes["ir_c2"]
    assert (node.label, node.payoff, node.responses[0].readiness) == ("Date set", 4, 4)
    assert "merge_conflicts" not in result.plan.extra
    assert validate_plan(result.plan) == validate_plan(base)  # no new problem


def test_same_field_changed_differently_is_a_conflict_keeping_ours(base):
    ours = edited(base, lambda p: setattr(p.nodes["ir_c2"], "warning_days", 30))
    theirs = edited(base, lambda p: setattr(p.nodes["ir_c2"], "warning_days", 7))
    result = merge_plans(base, ours, theirs)
    assert [(c.node, c.field, c.base, c.ours, c.theirs) for c in result.conflicts] == \
        [("ir_c2", "warning_days", 21, 30, 7)]
    assert result.plan.nodes["ir_c2"].warning_days == 30
    (recorded,) = result.plan.extra["merge_conflicts"]
    assert recorded["node"] == "ir_c2" and recorded["theirs"] == 7
    from planning.files.planfile import dumps_plan
    assert loads_plan(dumps_plan(result.plan)).extra["merge_conflicts"] == [recorded]


def test_deleted_on_one_side_and_edited_on_the_other_keeps_the_edit(base):
    def delete(p):  # ours removes an option of "no date set: what next?" and its subtree
        p.nodes["ir_d2"].children.remove("ir_c3")
        for node_id in p.subtree_ids("ir_c3"):
            del p.nodes[node_id]

    theirs = edited(base, lambda p: setattr(p.nodes["ir_t5"], "label", "North returns"))
    result = merge_plans(base, edited(base, delete), theirs)
    assert result.plan.nodes["ir_t5"].label == "North returns"
    assert result.plan.nodes["ir_d2"].children == ["ir_t3", "ir_c3"]
    assert [(c.node, c.field) for c in result.conflicts] == [("ir_c3", "node")]
    assert "deleted by ours" in result.conflicts[0].message
    # deleted on one side and untouched on the other: simply gone
    clean = merge_plans(base, edited(base, delete), base)
    assert clean.clean and not {"ir_c3", "ir_t4", "ir_t5"} & set(clean.plan.nodes)


def test_both_sides_adding_children_keeps_both_and_reports_it(base):
    def add(node_id, label):
        def edit(p):
            p.nodes[node_id] = Node(node_id, label=label)
            p.nodes["ir_d2"].children.append(node_id)
        return edit

    result = merge_plans(base, edited(base, add("ours_t", "Ours")), edited(base, add("theirs_t", "Theirs")))
    assert result.plan.nodes["ir_d2"].children == ["ir_t3", "ir_c3", "ours_t", "theirs_t"]
    assert [(c.node, c.field) for c in result.conflicts] == [("ir_d2", "children")]


def test_same_new_id_with_different_content_is_renamed_not_lost(base):
    def add(parent, label):
        def edit(p):
            p.nodes["n100"] = Node("n100", label=label)
            p.nodes[parent].children.append("n100")
        return edit

    ours, theirs = edited(base, add("ir_d2", "Ours")), edited(base, add("sec_d1", "Theirs"))
    result = merge_plans(base, ours, theirs)
    assert result.clean, result.conflicts
    labels = {n.label: n.id for n in result.plan.nodes.values() if n.label in ("Ours", "Theirs")}
    assert set(labels) == {"Ours", "Theirs"}
    # One keeps the id, the other is renamed to id + hash of its content,
    # the same one whichever side is "ours".
    assert sorted(labels.values())[0] == "n100"
    renamed = sorted(labels.values())[1]
    assert renamed.startswith("n100_") and len(renamed) == len("n100_") + 4
    assert labels["Ours"] in result.plan.nodes["ir_d2"].children
    assert labels["Theirs"] in result.plan.nodes["sec_d1"].children
    assert any(renamed in note and "is now" in note for note in result.notes)
    swapped = merge_plans(base, theirs, ours)
    assert {n.label: n.id for n in swapped.plan.nodes.values() if n.label in labels} == labels


def test_responses_merge_by_id(base):
    ours = edited(base, lambda p: p.nodes["ir_c2"].responses.append(Response("r_new", title="Call allies")))
    theirs = edited(base, lambda p: setattr(p.nodes["ir_c2"].responses[0], "owner", "NSC"))
    result = merge_plans(base, ours, theirs)
    assert result.clean
    responses = result.plan.nodes["ir_c2"].responses
    assert [r.id for r in responses] == ["r_ir_1", "r_new"] and responses[0].owner == "NSC"


def test_moves_to_different_parents_keep_ours(base):
    def move(new_parent):
        def edit(p):
            p.nodes["ir_c4"].children.remove("ir_t7")
            p.nodes[new_parent].children.append("ir_t7")
        return edit

    result = merge_plans(base, edited(base, move("ir_d2")), edited(base, move("ir_c3")))
    assert "ir_t7" in result.plan.nodes["ir_d2"].children
    assert "ir_t7" not in result.plan.nodes["ir_c3"].children
    assert any(c.node == "ir_t7" and c.field == "parent" for c in result.conflicts)


def test_invalid_merge_results_are_conflicts(base):
    # each side alone is valid; together the branch probabilities sum over 1
    ours = edited(base, lambda p: setattr(p.nodes["ir_c2"], "probability", 0.7))  # ir_d2 is "#"
    # ir_c2 is p_summit_date (0.6, range 0.4..0.8): a fixed 0.4 here would break
    # the range's ends, which validation checks (issue 10 item 23)
    theirs = edited(base, lambda p: setattr(p.nodes["ir_d2"], "probability", "1 - p_summit_date"))
    assert not [p for p in validate_plan(ours) + validate_plan(theirs) if p.severity == "error"]
    result = merge_plans(base, ours, theirs)
    assert not result.clean
    assert any("invalid after the merge" in c.message for c in result.conflicts)


def test_merge_order():
    assert merge_order(["a", "b", "c"], ["a", "x", "b", "c"], ["a", "b", "y", "c"],
                       {"a", "b", "c", "x", "y"}) == (["a", "x", "b", "y", "c"], False)
    assert merge_order(["a", "b"], ["b", "a"], ["a", "b", "z"], {"a", "b", "z"}) == (["b", "a", "z"], False)
    assert merge_order(["a", "b", "c"], ["c", "b", "a"], ["b", "a", "c"], {"a", "b", "c"})[1] is True


NODE_IDS = sorted(load_plan(PEACE).nodes)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(labels=st.dictionaries(st.sampled_from(NODE_IDS), st.text(max_size=12), max_size=6),
       payoffs=st.dictionaries(st.sampled_from(NODE_IDS), st.integers(-50, 50), max_size=6))
def test_label_edits_and_payoff_edits_always_merge_to_both(base, labels, payoffs):
    ours = edited(base, lambda p: [setattr(p.nodes[n], "label", v) for n, v in labels.items()])
    theirs = edited(base, lambda p: [setattr(p.nodes[n], "payoff", float(v)) for n, v in payoffs.items()])
    expected = edited(base, lambda p: ([setattr(p.nodes[n], "label", v) for n, v in labels.items()],
                                       [setattr(p.nodes[n], "payoff", float(v)) for n, v in payoffs.items()]))
    result = merge_plans(base, ours, theirs)
    assert result.clean
    assert plan_to_dict(result.plan) == plan_to_dict(expected)
    assert plan_to_dict(merge_plans(base, ours, base).plan) == plan_to_dict(ours)
    assert plan_to_dict(merge_plans(base, base, theirs).plan) == plan_to_dict(theirs)


def test_merge_cli_exit_codes_and_output(tmp_path, capsys, base):
    ours, theirs, clash = tmp_path / "ours.bwplan", tmp_path / "theirs.bwplan", tmp_path / "clash.bwplan"
    save_plan(edited(base, lambda p: setattr(p.nodes["ir_c2"], "label", "Date set")), ours)
    save_plan(edited(base, lambda p: setattr(p.nodes["ir_c2"], "payoff", 4)), theirs)
    save_plan(edited(base, lambda p: setattr(p.nodes["ir_c2"], "label", "Date agreed")), clash)
    out = tmp_path / "merged.bwplan"
    code, stdout, _ = run(capsys, "merge", PEACE, ours, theirs, "-o", out)
    assert code == 0 and "merged cleanly" in stdout
    merged = load_plan(out)
    assert (merged.nodes["ir_c2"].label, merged.nodes["ir_c2"].payoff) == ("Date set", 4)
    code, _, err = run(capsys, "merge", PEACE, ours, clash, "-o", out)
    assert code == 1
    # the conflict names the node by its (ours) label, id in brackets (issue 16 item 7)
    assert '"Date set" [ir_c2]: label' in err and '"Date agreed"' in err
    assert load_plan(out).extra["merge_conflicts"][0]["theirs"] == "Date agreed"
    # an unreadable side is a usage error and leaves the output alone
    before = out.read_bytes()
    (tmp_path / "bad.bwplan").write_text("{not json")
    assert run(capsys, "merge", PEACE, ours, tmp_path / "bad.bwplan", "-o", out)[0] == 2
    assert out.read_bytes() == before


# -- git, for real ------------------------------------------------------------------------

def _git(repo, *args, check=True):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               # the drivers run `python -m app.main` in the repository: import this checkout
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=check, timeout=120)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_uses_the_drivers(tmp_path, base):
    repo = tmp_path / "repo"
    repo.mkdir()
    command = f"{sys.executable} -m app.main"
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "merge.branchwise.driver", f"{command} merge %O %A %B -o %A --name %P")
    _git(repo, "config", "diff.branchwise.command", f"{command} diff")
    (repo / ".gitattributes").write_text("*.bwplan diff=branchwise merge=branchwise\n")
    plan_file = repo / "talks.bwplan"
    save_plan(base, plan_file)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "tag", "base")
    # two edits to different fields of the same node: one line of JSON, a clean semantic merge
    _git(repo, "checkout", "-q", "-b", "theirs")
    save_plan(edited(base, lambda p: setattr(p.nodes["ir_c2"], "payoff", 4)), plan_file)
    _git(repo, "commit", "-q", "-am", "payoff")
    _git(repo, "checkout", "-q", "main")
    save_plan(edited(base, lambda p: setattr(p.nodes["ir_c2"], "label", "Date set")), plan_file)
    diff = _git(repo, "diff").stdout
    assert 'node ir_c2 ("Date set"): label: "Meeting date set within 60 days" -> "Date set"' in diff
    _git(repo, "commit", "-q", "-am", "label")
    merge = _git(repo, "merge", "-q", "--no-edit", "theirs", check=False)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    merged = load_plan(plan_file)
    assert (merged.nodes["ir_c2"].label, merged.nodes["ir_c2"].payoff) == ("Date set", 4)
    # the same field changed on both sides: git reports a conflict, the file still loads
    _git(repo, "checkout", "-q", "-b", "other", "base")
    save_plan(edited(base, lambda p: setattr(p.nodes["ir_c2"], "label", "Date agreed")), plan_file)
    _git(repo, "commit", "-q", "-am", "other label")
    _git(repo, "checkout", "-q", "main")
    merge = _git(repo, "merge", "--no-edit", "other", check=False)
    assert merge.returncode != 0
    assert "CONFLICT" in merge.stdout
    # the driver names the sides from the repository (git before 2.44 has no %X / %Y)
    assert "keeps ours (main) and lists theirs (other)" in merge.stdout + merge.stderr
    conflicted = load_plan(plan_file)
    assert conflicted.nodes["ir_c2"].label == "Date set"
    assert conflicted.extra["merge_conflicts"][0]["theirs"] == "Date agreed"
    assert "talks.bwplan" in _git(repo, "diff", "--name-only", "--diff-filter=U").stdout


# -- issue 17: two clones, merge and rebase with the documented drivers ---------------------

def _documented_config() -> dict:
    """The `git config KEY "VALUE"` lines packaging/git-integration.md tells people to run."""
    import re

    guide = (ROOT / "packaging" / "git-integration.md").read_text(encoding="utf-8")
    found = dict(re.findall(r'^git config ((?:merge|diff)\.branchwise\.\w+) "(.*)"$', guide, re.M))
    assert {"merge.branchwise.driver", "diff.branchwise.command", "diff.branchwise.textconv"} <= set(found)
    return found


def _clone(origin, target, command):
    _git(origin.parent, "clone", "-q", str(origin), str(target))
    # The commands the guide gives, `branchwise` being this checkout's interpreter.
    for key, value in _documented_config().items():
        _git(target, "config", key, value.replace("branchwise ", f"{command} ", 1)
             if value.startswith("branchwise ") else value)
    _git(target, "config", "pull.rebase", "false")
    return target


def _commit_edit(repo, message, edit):
    from planning.model import edits as plan_edits

    plan_file = repo / "talks.bwplan"
    plan = load_plan(plan_file)
    result = edit(plan, plan_edits)
    save_plan(plan, plan_file)
    _git(repo, "commit", "-q", "-am", message)
    return result


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_clones_merge_and_rebase_keep_published_ids_and_name_the_sides(tmp_path, base, capsys):
    command = f"{sys.executable} -m app.main"
    seed = tmp_path / "seed"
    seed.mkdir()
    _git(seed, "init", "-q", "-b", "main")
    (seed / ".gitattributes").write_text("*.bwplan diff=branchwise merge=branchwise\n")
    save_plan(base, seed / "talks.bwplan")
    _git(seed, "add", ".")
    _git(seed, "commit", "-q", "-m", "base")
    origin = tmp_path / "origin.git"
    _git(tmp_path, "clone", "-q", "--bare", str(seed), str(origin))
    alice, bob = _clone(origin, tmp_path / "alice", command), _clone(origin, tmp_path / "bob", command)

    # Both add a response to the same node through the app's edits: ids do not collide.
    published = _commit_edit(alice, "alice: call allies",
                             lambda p, e: e.add_response(p, "ir_c2", "Call allies").created_id)
    _git(alice, "push", "-q", "origin", "main")
    bobs = _commit_edit(bob, "bob: brief the press",
                        lambda p, e: e.add_response(p, "ir_c2", "Brief the press").created_id)
    pulled = _git(bob, "pull", "-q", "--no-edit", "origin", "main", check=False)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    merged = load_plan(bob / "talks.bwplan")
    ids = {r.id: r.title for r in merged.nodes["ir_c2"].responses}
    assert ids[published] == "Call allies" and ids[bobs] == "Brief the press"  # nothing renamed
    _git(bob, "push", "-q", "origin", "main")

    # Alice edits her published response; merging Bob's work back changes nothing else.
    _git(alice, "pull", "-q", "--no-edit", "origin", "main")
    _commit_edit(alice, "alice: owner", lambda p, e: e.set_response_field(p, "ir_c2", published, "owner", "NSC"))
    _git(alice, "push", "-q", "origin", "main")
    _git(bob, "pull", "-q", "--no-edit", "origin", "main")
    again = load_plan(bob / "talks.bwplan")
    assert [r.owner for r in again.nodes["ir_c2"].responses if r.id == published] == ["NSC"]
    assert len(again.nodes["ir_c2"].responses) == len(base.nodes["ir_c2"].responses) + 2

    # A rebase over a conflicting label: "ours" is upstream, "theirs" is Bob's own commit.
    _commit_edit(alice, "alice: label", lambda p, e: e.set_node_field(p, "ir_c2", "label", "Alice's date"))
    _git(alice, "push", "-q", "origin", "main")
    _commit_edit(bob, "bob: label", lambda p, e: e.set_node_field(p, "ir_c2", "label", "Bob's date"))
    rebase = _git(bob, "pull", "--rebase", "origin", "main", check=False)
    assert rebase.returncode != 0
    said = rebase.stdout + rebase.stderr
    assert "During a rebase the sides swap" in said
    assert "keeps ours (upstream " in said and "lists theirs (your commit " in said and " on main)" in said
    assert '"Alice\'s date"' in said and '"Bob\'s date"' in said  # whole labels, quotes closed
    conflicted = load_plan(bob / "talks.bwplan")
    sides = conflicted.extra["merge_sides"]
    assert sides["rebase"] is True
    assert conflicted.nodes["ir_c2"].label == "Alice's date"  # ours during a rebase: upstream
    entry = conflicted.extra["merge_conflicts"][0]
    assert (entry["ours"], entry["theirs"]) == ("Alice's date", "Bob's date")
    _git(bob, "rebase", "--abort")

    # Raw JSON needs both switches: --no-ext-diff alone still applies textconv.
    _commit_edit(bob, "bob: payoff", lambda p, e: e.set_node_field(p, "ir_c2", "payoff", 9))
    textconv = _git(bob, "diff", "--no-ext-diff", "HEAD~1").stdout
    raw = _git(bob, "diff", "--no-ext-diff", "--no-textconv", "HEAD~1").stdout
    assert "node ir_c2: payoff: 9" in textconv and '"id": "ir_c2"' not in textconv
    assert '"payoff": 9' in raw and "node ir_c2: payoff" not in raw


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_new_plan_in_a_git_work_tree_suggests_ignore_lines(tmp_path, capsys):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "plans").mkdir()
    code, out, err = run(capsys, "new", "blank", "-o", repo / "plans" / "talks.bwplan")
    assert code == 0
    assert "is a git work tree" in err and "*.bwplan~" in err and ".gitignore" in err
    (repo / ".gitignore").write_text("*.bwplan~\n.*.bwplan.*.tmp\n.*.bwplan.*.tmp~\n")
    code, out, err = run(capsys, "new", "blank", "-o", repo / "plans" / "other.bwplan")
    assert code == 0 and "git work tree" not in err
    code, out, err = run(capsys, "new", "blank", "-o", tmp_path / "outside.bwplan")
    assert "git work tree" not in err


def test_diff_shows_whole_labels_and_an_added_nodes_fields(base):
    long_label = "Meeting date set within 60 days of the armistice, venue to be agreed"

    def edit(p):
        p.nodes["ir_c2"].label = long_label
        p.nodes["ir_t9"] = Node("ir_t9", label="Talks collapse", payoff=-5,
                                responses=[Response("r_walk", title="Walk out together")])
        p.nodes["ir_c1"].children.append("ir_t9")

    text = format_changes(diff_plans(base, edited(base, edit)))
    assert f'node ir_c2 ("{long_label}")' in text
    added = text.split('+ node ir_t9 ("Talks collapse") added under ir_c1')[1]
    assert "    payoff: -5" in added and 'response r_walk: {"title": "Walk out together"' in added
    from planning.sharing.diff import show

    shortened = show("x" * 200, 40)
    assert shortened.startswith('"') and shortened.endswith('\u2026"') and len(shortened) <= 40


def test_a_save_removes_stale_temporaries_of_its_own_only(tmp_path, base):
    import time as _time

    plan_file = tmp_path / "talks.bwplan"
    save_plan(base, plan_file)
    old = _time.time() - 3600
    stale = [tmp_path / ".talks.bwplan.0a1b2c3d.tmp", tmp_path / ".talks.bwplan.0a1b2c3d.tmp~"]
    young = tmp_path / ".talks.bwplan.99aa88bb.tmp"   # a save running elsewhere right now
    other = [tmp_path / ".other.bwplan.0a1b2c3d.tmp", tmp_path / ".talks.bwplan.notours.tmp",
             tmp_path / "talks.bwplan.0a1b2c3d.tmp"]
    for path in stale + other + [young]:
        path.write_text("partial")
    for path in stale + other:
        os.utime(path, (old, old))
    save_plan(base, plan_file)
    assert not any(p.exists() for p in stale)
    assert young.exists() and all(p.exists() for p in other)
