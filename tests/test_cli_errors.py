"""One rule for errors (issue 10, item 9): usage errors exit 2 with one clear message."""
from __future__ import annotations

import pytest

from app.cli import main
from conftest import SAMPLES, SHARED

PEACE = str(SAMPLES / "peace-process.bwplan")
MINIMAL = str(SHARED / "examples" / "minimal.bwplan")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_unknown_sweep_variable_is_a_usage_error(capsys):
    code, _, err = run(capsys, "sensitivity", MINIMAL, "--sweep", "nosuch", "--min", "0", "--max", "1")
    assert code == 2
    assert "--sweep nosuch: unknown parameter" in err


def test_a_reversed_range_is_a_usage_error(capsys):
    code, _, err = run(capsys, "sensitivity", MINIMAL, "--tornado", "--range", "p_ok=0.9:0.2")
    assert code == 2
    assert "--range 'p_ok=0.9:0.2': LOW must not be above HIGH" in err


def test_an_unknown_track_is_named_as_a_track(capsys):
    code, _, err = run(capsys, "sensitivity", PEACE, "--tornado", "--track", "nosuch")
    assert code == 2
    assert "no track 'nosuch'" in err and "unknown parameter" not in err


def test_from_a_node_of_another_track_is_refused(capsys):
    code, out, err = run(capsys, "evaluate", PEACE, "--from", "ir_d2", "--track", "sanctions")
    assert code == 2 and out == ""
    assert ('"No date set: what next?" is in track Inter-state relations and end-of-war statement '
            "[track ties], not in track 'sanctions'") in err


def test_a_bad_option_value_has_one_prefix(capsys):
    code, _, err = run(capsys, "simulate", MINIMAL, "--iterations", "abc")
    assert code == 2
    assert err.count("branchwise") == 1 and "branchwise: branchwise" not in err
    assert "--iterations must be a whole number, not 'abc'" in err
    code, _, err = run(capsys, "evaluate", MINIMAL, "--no-such-option")
    assert code == 2
    assert err.startswith("branchwise evaluate: unrecognized arguments: --no-such-option")
    assert "branchwise evaluate: branchwise" not in err


@pytest.mark.parametrize("command", [["simulate", MINIMAL], ["plot", MINIMAL, "--kind", "histogram", "-o", "x.png"]])
def test_a_negative_seed_is_a_usage_error_not_a_traceback(capsys, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *command, "--seed", "-1")
    assert code == 2
    assert "--seed must be 0 or more, not -1" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_present_and_the_window_share_one_size_rule(capsys, tmp_path):
    import argparse

    from app import gui

    for text in ("319x180", "320x179", "100x100"):
        code, _, err = run(capsys, "present", MINIMAL, "--screenshot", str(tmp_path / "s.png"), "--size", text)
        assert code == 2 and "--size must be between 320x180 and 10000x10000" in err
        with pytest.raises(argparse.ArgumentTypeError, match="between 320x180 and 10000x10000"):
            gui.parse_size(text)
    assert gui.parse_size("320x180") == (320, 180)
