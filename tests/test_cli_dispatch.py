"""`branchwise --help`, `--version`, mistyped commands and loud import failures (issue 10, items 8, 16)."""
from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys

import pytest

from app import cli
from app.main import main
from conftest import ROOT, SHARED
from planning.files.templates import TEMPLATES

MINIMAL = str(SHARED / "examples" / "minimal.bwplan")


def test_help_lists_every_command_with_its_summary(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("validate", "evaluate", "simulate", "sensitivity", "plot", "export", "present",
                 "new", "import", "diff", "merge"):
        assert f"\n  {name} " in out, name
    assert "expected value, best choices, readiness and what to prepare next" in out
    assert "branchwise --screenshot OUT.png" in out and "--version" in out
    assert "Run 'branchwise COMMAND --help'" in out


def test_version(capsys):
    from importlib import metadata

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"branchwise {metadata.version('branchwise')}"


def test_a_mistyped_command_is_named_with_a_suggestion_not_opened_as_a_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    opened = []
    monkeypatch.setattr("app.gui.run", lambda args: opened.append(args) or 0)
    assert main(["evalute", MINIMAL]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'evalute' (did you mean 'evaluate'?)" in err
    assert main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate' (commands: validate, evaluate" in capsys.readouterr().err
    assert main(["missing.bwplan"]) == 2
    assert "missing.bwplan: no such file" in capsys.readouterr().err
    assert opened == []
    (tmp_path / "plan.bwplan").write_text("{}")
    assert main(["plan.bwplan"]) == 0 and opened == [["plan.bwplan"]]  # an existing file opens


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_option_of_every_command_has_help_text():
    missing = []
    for name, sub in _subparsers(cli.build_parser()).items():
        for action in sub._actions:
            if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
                continue
            if not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_command_help_shows_defaults_and_new_lists_templates(capsys):
    assert cli.main(["simulate", "--help"]) == 0
    out = capsys.readouterr().out
    assert "(default: 10000)" in out and "(default: 0)" in out
    assert cli.main(["new", "--help"]) == 0
    out = capsys.readouterr().out
    for template, description in TEMPLATES.items():
        assert template in out and description.split()[0] in out


def test_registering_a_command_is_one_line_in_the_table(capsys, monkeypatch, tmp_path):
    module = tmp_path / "bw_extra_command.py"
    module.write_text(
        "def register_hello(sub, name):\n"
        "    p = sub.add_parser(name, help='say hello')\n"
        "    p.add_argument('--who', default='planner', help='whom to greet')\n"
        "    p.set_defaults(run=lambda args: print(f'hello {args.who}') or 0)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli.COMMANDS, "hello", ("bw_extra_command", "say hello"))
    assert main(["--help"]) == 0 and "  hello" in capsys.readouterr().out
    assert main(["hello", "--who", "team"]) == 0
    assert capsys.readouterr().out == "hello team\n"


def test_a_command_module_that_fails_to_import_fails_loudly(monkeypatch):
    # Before: the import error was swallowed and "plot" silently vanished from the CLI.
    monkeypatch.setitem(sys.modules, "app.cli_plot", None)
    with pytest.raises(ImportError):
        cli.main(["plot", MINIMAL, "--kind", "tornado", "-o", "x.png"])


@pytest.mark.parametrize("path", ["app/cli.py", "app/help.py", "app/document.py"])
def test_no_import_error_is_swallowed(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
            assert "ImportError" not in names and "ModuleNotFoundError" not in names, \
                f"{path}:{node.lineno} swallows an import failure"


def test_help_and_version_need_no_qt():
    code = ("import sys\nfrom app.main import main\n"
            "try:\n    assert main(['--help']) == 0 and main(['--version']) == 0\n"
            "except SystemExit:\n    sys.exit('argparse exited: the help came from the window parser')\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'widgets'))]\n"
            "assert not bad, bad")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
