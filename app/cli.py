"""Headless sub-commands of `branchwise`: the table of commands, parsing and dispatch.

Only :mod:`planning` is imported at module level, and a command's module only
when that command runs, so these commands work on a machine with no screen
and no Qt. Exit codes: 0 ok, 1 the plan is invalid (messages on stderr), 2
usage or file errors. A failing command writes no output file and never
overwrites an existing one (the output rule is in :mod:`app.output`).

Adding a command is one line in :data:`COMMANDS`; its module defines
``register_<name>(sub, name)`` (dashes as underscores), which adds the
sub-parser and sets ``run`` to the function that runs it.
"""
from __future__ import annotations

import argparse
import difflib
import importlib
import json
import os
import re
import sys
import textwrap
from pathlib import Path
from typing import Callable

from app.output import OutputError, write_output, write_plan_output
from planning.model.errors import ERROR, PlanError, PlanFileError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
PROG = "branchwise"

#: Every sub-command, in the order ``branchwise --help`` lists them:
#: name -> (module that defines ``register_<name>``, one-line summary).
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("app.cli", "check a plan; exit 1 and the problems when it is invalid"),
    "evaluate": ("app.cli_analysis", "expected value, best choices, readiness and what to prepare next"),
    "simulate": ("app.cli_analysis", "Monte Carlo over the ranges: spread of the outcomes"),
    "sensitivity": ("app.cli_analysis", "which numbers move the expected value: tornado or sweep"),
    "league": ("app.cli_league", "league table of a two-criteria plan: efficient policies and ratios"),
    "voi": ("app.cli_voi", "value of information: what knowing a ranged quantity first is worth"),
    "plot": ("app.cli_plot", "draw an analysis plot to PNG, SVG or CSV"),
    "export": ("app.cli_export", "briefing report, action register, tree picture or graph"),
    "present": ("app.cli_present", "render the presenter's view to a PNG, or export the walk log"),
    "new": ("app.cli", "start a plan from a template"),
    "import": ("app.cli", "read a SilverDecisions, Freeplane/FreeMind or text outline file"),
    "diff": ("app.cli_share", "what changed between two plans, by node and field"),
    "merge": ("app.cli_share", "three-way merge of plans (a git merge driver)"),
    "gallery": ("app.gallery", "render everything a person sees into a folder, with index.html"),
}


class UsageError(Exception):
    """Bad arguments or an unusable file: exit 2. ``prog`` prefixes the message."""

    def __init__(self, message: str, prog: str = PROG):
        super().__init__(message)
        self.prog = prog


class Invalid(Exception):
    """The plan is invalid: exit 1."""


class _Formatter(argparse.HelpFormatter):
    """Wraps each line of a description on its own (so lists stay lists) and shows
    an option's default after its help, unless it has none worth saying."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            hanging = re.match(r"^(\s+\S+\s{2,})", line)  # "  name    text": wrap under text
            extra = len(hanging.group(1)) if hanging else len(line) - len(line.lstrip())
            lines.append(textwrap.fill(line, width, initial_indent=indent,
                                       subsequent_indent=indent + " " * extra) if line.strip() else "")
        return "\n".join(lines)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if (text and "default" not in text and action.option_strings and default not in (None, False)
                and default is not argparse.SUPPRESS and not isinstance(default, list)):
            text += " (default: %(default)s)"
        return text


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # argparse would exit itself
        raise UsageError(f"{message}\nRun '{self.prog} --help' for the options.", prog=self.prog)


def version() -> str:
    """The installed version (the one in pyproject.toml in a never-installed checkout)."""
    from importlib import metadata

    try:
        return metadata.version("branchwise")
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        with pyproject.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])


def top_help() -> str:
    """What ``branchwise --help`` prints: how to start the window, and every command."""
    width = max(len(name) for name in COMMANDS) + 2
    lines = [
        f"usage: {PROG} [FILE]                   open the editor (on FILE)",
        f"       {PROG} COMMAND [options]        run one command; no window or display needed",
        f"       {PROG} --screenshot OUT.png [--size WxH] [FILE]",
        " " * 43 + "render the editor window to a PNG and exit",
        "",
        "Scenario planning with contingency trees.",
        "",
        "commands:",
    ]
    lines += [f"  {name:<{width}}{summary}" for name, (_, summary) in COMMANDS.items()]
    lines += [
        "",
        "options:",
        "  -h, --help    show this help and exit",
        "  --version     print the version and exit",
        "",
        f"Run '{PROG} COMMAND --help' for a command's options.",
        "Exit codes: 0 ok, 1 the plan is invalid, 2 usage or file errors.",
    ]
    return "\n".join(lines) + "\n"


def unknown_command(word: str) -> str:
    """The message for a first word that is neither a command nor a file."""
    if "/" in word or "\\" in word or Path(word).suffix:
        return f"{word}: no such file"
    close = difflib.get_close_matches(word, list(COMMANDS), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (commands: {', '.join(COMMANDS)})"
    return f"unknown command {word!r}{hint}"


def _load(path: str):
    from planning.files.planfile import load_plan

    try:
        return load_plan(path)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory") from None
    except PermissionError:
        raise UsageError(f"{path}: permission denied") from None
    except PlanFileError as exc:
        raise UsageError(str(exc)) from None
    except PlanError as exc:
        raise Invalid(f"{path}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None


def _valid_plan(path: str):
    """Load and validate; raise Invalid listing every error."""
    from planning.model.validate import validate_plan

    plan = _load(path)
    problems = validate_plan(plan)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise Invalid("\n".join(f"{path}: {p}" for p in errors))
    return plan, problems


def _write_output(out: str, write: Callable[[Path], object], **rule) -> None:
    """Write ``out`` by the one output rule (:func:`app.output.write_output`)."""
    write_output(out, write, **rule)


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _dump(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default, allow_nan=False)


def _tracks(plan, track: str | None) -> list[str]:
    if track is None:
        return [t.id for t in plan.tracks]
    if track not in {t.id for t in plan.tracks}:
        raise UsageError(f"no track {track!r} (tracks: {', '.join(t.id for t in plan.tracks)})")
    return [track]


# -- validate, new, import ---------------------------------------------------------

def cmd_validate(args) -> int:
    plan, problems = _valid_plan(args.file)
    for p in problems:
        print(f"{args.file}: warning: {p}", file=sys.stderr)
    tracks = len(plan.tracks)
    print(f"{args.file}: valid ({len(plan.nodes)} node{'s' if len(plan.nodes) != 1 else ''}, "
          f"{tracks} track{'s' if tracks != 1 else ''})")
    return EXIT_OK


def register_validate(sub, name: str) -> None:
    p = sub.add_parser(name, help=COMMANDS[name][1], description="Check a plan file. Exit 0 when "
                       "it is valid (warnings on stderr), 1 with every error naming node and field.")
    p.add_argument("file", help="the .bwplan file")
    p.set_defaults(run=cmd_validate)


def cmd_import(args) -> int:
    import warnings

    from planning.files.importers.detect import import_any
    from planning.files.planfile import gc_paused
    from planning.model.validate import validate_plan

    try:
        with warnings.catch_warnings(record=True) as caught:  # what was not understood
            warnings.simplefilter("always")
            plan = import_any(args.file)
    except FileNotFoundError:
        raise UsageError(f"{args.file}: no such file") from None
    except PlanFileError as exc:
        raise UsageError(str(exc)) from None
    except PlanError as exc:
        raise Invalid(f"{args.file}: {exc}") from None
    # Checking and writing allocate nothing that outlives them in a cycle: without
    # the collector walking the new plan's million objects again, 1M nodes import
    # about 10% faster.
    with gc_paused():
        errors = [p for p in validate_plan(plan) if p.severity == ERROR]
        if errors:
            raise Invalid("\n".join(f"{args.file}: {p}" for p in errors))
        for warning in caught:
            print(f"warning: {warning.message}", file=sys.stderr)
        write_plan_output(args.output, plan)
    print(f"{args.output}: {len(plan.nodes)} nodes in {len(plan.tracks)} tracks",
          file=sys.stderr if args.output == "-" else sys.stdout)
    return EXIT_OK


def register_import(sub, name: str) -> None:
    p = sub.add_parser(name, help=COMMANDS[name][1],
                       description="Import a SilverDecisions .json, a Freeplane/FreeMind .mm mind map "
                                   "or an indented text outline as a Branchwise plan.")
    p.add_argument("file", help="the file to import")
    p.add_argument("-o", "--output", required=True, metavar="OUT.bwplan",
                   help="the plan to write ('-' prints it); an existing file is kept as OUT.bwplan~")
    p.set_defaults(run=cmd_import)


def cmd_new(args) -> int:
    from planning.files.templates import TEMPLATES, new_plan

    if args.template not in TEMPLATES:
        raise UsageError(f"unknown template {args.template!r} (templates: {', '.join(TEMPLATES)})")
    write_plan_output(args.output, new_plan(args.template))
    print(f"{args.output}: new plan from template {args.template}",
          file=sys.stderr if args.output == "-" else sys.stdout)
    if args.output != "-":
        from app.cli_share import git_ignore_hint

        hint = git_ignore_hint(args.output)  # FILE~ backups do not belong in the repository
        if hint:
            print(hint, end="", file=sys.stderr)
    return EXIT_OK


def register_new(sub, name: str) -> None:
    from planning.files.templates import TEMPLATES

    listed = "\n".join(f"  {key:<16}{text}" for key, text in TEMPLATES.items())
    p = sub.add_parser(name, help=COMMANDS[name][1], description=f"Start a plan from a template.\n\n"
                       f"templates:\n{listed}")
    p.add_argument("template", metavar="TEMPLATE", help=f"one of: {', '.join(TEMPLATES)}")
    p.add_argument("-o", "--output", required=True, metavar="OUT.bwplan",
                   help="the plan to write ('-' prints it); an existing file is kept as OUT.bwplan~")
    p.add_argument("--force", action="store_true", help=argparse.SUPPRESS)  # old scripts; replacing is the rule now
    p.set_defaults(run=cmd_new)


# -- parsing and dispatch ------------------------------------------------------------

def _register(sub, name: str) -> None:
    """Import the command's module and let it add its sub-parser (an import error is loud)."""
    module = importlib.import_module(COMMANDS[name][0])
    getattr(module, f"register_{name.replace('-', '_')}")(sub, name)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``only``, the other commands are listed but not loaded."""
    parser = _Parser(prog=PROG, description="Scenario planning with contingency trees.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    for name, (_, summary) in COMMANDS.items():
        if only is None or name == only:
            _register(sub, name)
        else:
            sub.add_parser(name, help=summary)
    parser.set_defaults(commands=sub.choices)
    return parser


def main(argv: list[str]) -> int:
    """Run one sub-command (or ``--help`` / ``--version``); the process exit code."""
    argv = list(argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(top_help())
        return EXIT_OK if argv else EXIT_USAGE
    if argv[0] == "--version":
        print(f"{PROG} {version()}")
        return EXIT_OK
    if argv[0] not in COMMANDS:
        print(f"{PROG}: {unknown_command(argv[0])}\nRun '{PROG} --help' for the commands.", file=sys.stderr)
        return EXIT_USAGE
    parser = build_parser(only=argv[0])
    try:
        # The command's own parser: its errors then say "branchwise evaluate: ..."
        args = parser.get_default("commands")[argv[0]].parse_args(argv[1:])
        args.command = argv[0]
        return args.run(args)
    except (UsageError, OutputError) as exc:  # named by the command that refused
        prog = getattr(exc, "prog", PROG)
        print(f"{f'{PROG} {argv[0]}' if prog == PROG else prog}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Invalid as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except PlanError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except PlanFileError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `branchwise evaluate ... | head`: the reader has seen enough
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        except (OSError, ValueError):
            pass
        return EXIT_OK
    except OSError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # argparse's --help
        return exc.code if isinstance(exc.code, int) else EXIT_OK
