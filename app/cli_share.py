"""`branchwise diff` and `branchwise merge`: plans compared and merged by node id and field.

Both work as git drivers (see packaging/git-integration.md):

* ``branchwise diff A B`` also accepts the seven (or nine) arguments git
  passes to an external diff command (``path old-file old-hex old-mode
  new-file new-hex new-mode``) and exits 0 whatever it finds (git stops on a
  non-zero exit), unless ``--exit-code`` asks for 1 on differences;
  ``branchwise diff --textconv FILE`` prints one line per field for git's
  ``textconv``;
* ``branchwise merge BASE OURS THEIRS -o OUT`` is the merge driver
  (``%O %A %B -o %A``): exit 0 when clean, 1 with the conflicts listed.

A missing side (``/dev/null``) or an empty file is an empty plan, as git
gives for added and deleted files.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from app.cli import COMMANDS, EXIT_INVALID, EXIT_OK, Invalid, UsageError, _load
from app.output import write_plan_output
from planning.model import Plan


def _plan_or_empty(path: str) -> Plan:
    """The plan in ``path``; an empty plan for /dev/null or an empty file."""
    if path == os.devnull:
        return Plan()
    try:
        if Path(path).is_file() and Path(path).stat().st_size == 0:
            return Plan()
    except OSError:
        pass
    return _load(path)


def _diff_sides(files: list[str]) -> tuple[str, str, str, str]:
    """(file a, file b, name a, name b) from 2 arguments or git's 7 / 9."""
    if len(files) == 2:
        return files[0], files[1], files[0], files[1]
    if len(files) in (7, 9):
        new_name = files[7] if len(files) == 9 else files[0]
        return files[1], files[4], f"a/{files[0]}", f"b/{new_name}"
    raise UsageError("give two plan files (or the 7 or 9 arguments git passes "
                     f"an external diff), got {len(files)}")


def cmd_diff(args) -> int:
    from planning.diff import diff_plans, format_changes, textconv

    if args.textconv:
        if args.files:
            raise UsageError("--textconv takes one file and nothing else")
        sys.stdout.write(textconv(_plan_or_empty(args.textconv)))
        return EXIT_OK
    file_a, file_b, name_a, name_b = _diff_sides(args.files)
    changes = diff_plans(_plan_or_empty(file_a), _plan_or_empty(file_b))
    if args.json:
        print(json.dumps({"a": name_a, "b": name_b, "changes": [c.to_json() for c in changes]},
                         indent=2, ensure_ascii=False, allow_nan=False, default=str))
    else:
        git = len(args.files) != 2
        text = format_changes(changes, name_a, name_b)
        if git:
            text = f"diff --branchwise {name_a} {name_b}\n" + text
        sys.stdout.write(text)
    return EXIT_INVALID if (args.exit_code and changes) else EXIT_OK


def register_diff(sub, name: str) -> None:
    """Add ``branchwise diff`` to the sub-command parser ``sub``."""
    p = sub.add_parser(name, help=COMMANDS[name][1], description="What changed between two plans, "
                       "by node id and field. Also works as git's external diff and textconv.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="plan A and plan B (or the arguments git passes an external diff)")
    p.add_argument("--json", action="store_true", help="the changes as JSON")
    p.add_argument("--exit-code", action="store_true",
                   help="exit 1 when the plans differ (default: 0 either way, as git needs)")
    p.add_argument("--textconv", metavar="FILE",
                   help="print FILE as one line per field (a git textconv filter)")
    p.set_defaults(run=cmd_diff)


def cmd_merge(args) -> int:
    from planning.merge import merge_plans

    if args.output == "-" and args.json:
        raise UsageError("-o - and --json would both print; choose one")
    base, ours, theirs = (_plan_or_empty(p) for p in (args.base, args.ours, args.theirs))
    result = merge_plans(base, ours, theirs)
    write_plan_output(args.output, result.plan)
    status = sys.stderr if args.output == "-" else sys.stdout  # stdout holds the plan
    name = args.name or args.output
    if args.json:
        print(json.dumps({"output": args.output, "clean": result.clean,
                          "conflicts": [c.to_json() for c in result.conflicts],
                          "notes": result.notes}, indent=2, ensure_ascii=False, default=str))
    for note in result.notes:
        print(f"{name}: note: {note}", file=sys.stderr)
    if result.clean:
        if not args.json:
            print(f"{name}: merged cleanly ({len(result.plan.nodes)} nodes)", file=status)
        return EXIT_OK
    lines = [f"{name}: {len(result.conflicts)} conflict{'s' if len(result.conflicts) != 1 else ''} "
             "(ours kept; both sides are listed in the file under \"merge_conflicts\"):"]
    lines += [f"  {c}" for c in result.conflicts]
    raise Invalid("\n".join(lines))


def register_merge(sub, name: str) -> None:
    """Add ``branchwise merge`` to the sub-command parser ``sub``."""
    p = sub.add_parser(name, help=COMMANDS[name][1], description="Three-way merge of plans by node "
                       "id and field: exit 0 when clean, 1 with the conflicts listed (git: %%O %%A %%B -o %%A).")
    p.add_argument("base", help="the common ancestor (git: %%O)")
    p.add_argument("ours", help="our version (git: %%A)")
    p.add_argument("theirs", help="their version (git: %%B)")
    p.add_argument("-o", "--output", required=True,
                   help="where to write the merge (git: %%A); an existing .bwplan is kept as FILE~")
    p.add_argument("--name", help="the file's name in messages (git: %%P)")
    p.add_argument("--json", action="store_true", help="conflicts as JSON on stdout")
    p.set_defaults(run=cmd_merge)
