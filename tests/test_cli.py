"""The headless command line: exit codes, JSON shapes, files left alone on failure."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.cli import main
from conftest import ROOT, SAMPLES, SHARED

MINIMAL = str(SHARED / "examples" / "minimal.bwplan")
PEACE = str(SAMPLES / "peace-process.bwplan")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_evaluate_json_has_the_design_keys(capsys):
    code, out, _ = run(capsys, "evaluate", MINIMAL, "--json", "--nodes")
    assert code == 0
    data = json.loads(out)
    assert data["title"] == "Minimal example"
    track = data["tracks"][0]
    for key in ("id", "ev", "ev_unprepared", "ev_full", "value_of_preparedness", "p_failure",
                "failure_exposure", "failure_readiness", "p_success", "success_readiness",
                "policy", "priorities"):
        assert key in track
    assert track["ev"] == pytest.approx(89.5)
    assert track["policy"] == {"d1": "c1"}
    assert track["priorities"][0]["response"] == "r2"
    assert set(track["priorities"][0]) >= {"response", "node", "marginal_value"}
    assert track["nodes"]["t1"] == {"ev": pytest.approx(207.5), "reach": pytest.approx(0.7)}


def test_evaluate_from_node_counts_its_own_payoff(capsys):
    code, out, _ = run(capsys, "evaluate", MINIMAL, "--json", "--from", "c1")
    assert code == 0
    assert json.loads(out)["tracks"][0]["ev"] == pytest.approx(89.5)
    code, out, _ = run(capsys, "evaluate", MINIMAL, "--json", "--from", "t2")
    assert json.loads(out)["tracks"][0]["ev"] == pytest.approx(-52.5)


def test_evaluate_every_track_of_the_peace_process(capsys):
    code, out, _ = run(capsys, "evaluate", PEACE, "--json")
    assert code == 0
    tracks = json.loads(out)["tracks"]
    assert len(tracks) == 6
    code, out, _ = run(capsys, "evaluate", PEACE, "--json", "--track", tracks[2]["id"])
    assert [t["id"] for t in json.loads(out)["tracks"]] == [tracks[2]["id"]]


def test_text_output_is_readable(capsys):
    code, out, _ = run(capsys, "evaluate", MINIMAL)
    assert code == 0
    assert "expected value" in out and "89.5" in out and "prepare next" in out


def test_validate_ok_and_invalid(capsys, tmp_path):
    assert run(capsys, "validate", MINIMAL)[0] == 0
    data = json.loads((SHARED / "examples" / "minimal.bwplan").read_text())
    data["nodes"][3]["probability"] = 0.35  # t2: 0.7 + 0.35
    bad = tmp_path / "bad.bwplan"
    bad.write_text(json.dumps(data))
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 1
    assert "c1" in err and "probability" in err and "1.05" in err
    assert "Traceback" not in err


def test_usage_and_file_errors_exit_2(capsys, tmp_path):
    assert run(capsys, "evaluate")[0] == 2
    assert run(capsys, "evaluate", str(tmp_path / "missing.bwplan"))[0] == 2
    junk = tmp_path / "junk.bwplan"
    junk.write_text("{not json")
    code, _, err = run(capsys, "evaluate", str(junk))
    assert code == 2 and "JSON" in err
    assert run(capsys, "evaluate", MINIMAL, "--track", "nope")[0] == 2
    assert run(capsys, "evaluate", MINIMAL, "--from", "nope")[0] == 2


def test_new_writes_a_valid_plan_and_keeps_the_old_one_as_backup(capsys, tmp_path):
    # One output rule (issue 10, item 10): an existing .bwplan is replaced, kept as FILE~.
    out = tmp_path / "p.bwplan"
    assert run(capsys, "new", "peace-process", "-o", str(out))[0] == 0
    assert run(capsys, "validate", str(out))[0] == 0
    before = out.read_bytes()
    assert run(capsys, "new", "blank", "-o", str(out))[0] == 0
    assert (tmp_path / "p.bwplan~").read_bytes() == before
    assert out.read_bytes() != before
    assert run(capsys, "new", "no-such-template", "-o", str(tmp_path / "x.bwplan"))[0] == 2
    assert not (tmp_path / "x.bwplan").exists()


def test_failing_import_writes_nothing(capsys, tmp_path):
    out = tmp_path / "out.bwplan"
    out.write_text("keep me")
    code, _, err = run(capsys, "import", str(SHARED / "peers" / "silverdecisions" / "notjson_fail_hard.json"), "-o", str(out))
    assert code in (1, 2)
    assert out.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bwplan"]


def test_import_then_evaluate(capsys, tmp_path):
    out = tmp_path / "sd.bwplan"
    code, _, err = run(capsys, "import", str(SHARED / "peers" / "silverdecisions" / "sample-tree.json"), "-o", str(out))
    assert code == 0, err
    assert run(capsys, "evaluate", str(out), "--json")[0] == 0


def test_simulate_is_reproducible(capsys):
    a = run(capsys, "simulate", MINIMAL, "--iterations", "500", "--seed", "7", "--json")
    b = run(capsys, "simulate", MINIMAL, "--iterations", "500", "--seed", "7", "--json")
    assert a[0] == 0 and a[1] == b[1]
    assert json.loads(a[1])["tracks"]


def test_sensitivity_tornado_and_sweep(capsys):
    code, out, err = run(capsys, "sensitivity", MINIMAL, "--tornado", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["base_ev"] == pytest.approx(89.5)
    assert data["bars"][0]["name"] == "p_ok"
    code, out, err = run(capsys, "sensitivity", MINIMAL, "--tornado", "--range", "p_ok=0.2:0.9", "--json")
    bar = json.loads(out)["bars"][0]
    assert (bar["low"], bar["high"]) == (0.2, 0.9)
    code, out, err = run(capsys, "sensitivity", MINIMAL, "--sweep", "p_ok", "--min", "0", "--max", "1", "--steps", "11", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["variable"] == "p_ok" and len(data["points"]) == 11
    assert data["points"][0]["best"] == {"d1": "t3"} and data["points"][-1]["best"] == {"d1": "c1"}
    assert run(capsys, "sensitivity", MINIMAL, "--tornado", "--range", "p_ok=oops")[0] == 2


def test_headless_commands_never_import_qt():
    code = (
        "import sys; from app.main import main; "
        f"rc = main(['evaluate', {MINIMAL!r}, '--json']); "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'widgets'))]; "
        "assert not bad, bad; sys.exit(rc)"
    )
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_planning_never_imports_qt_or_the_gui():
    import ast

    banned = ("PySide6", "pyqtgraph", "app", "widgets", "shiboken6")
    for path in (ROOT / "planning").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in banned, f"{path.relative_to(ROOT)} imports {name}"
