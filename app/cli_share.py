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
from planning.model.plan import Plan


#: What a git work tree holding plans should ignore: the backup every save
#: keeps (``FILE~``) and the temporary files of a save in progress.
GIT_IGNORE_LINES = ("*.bwplan~", ".*.bwplan.*.tmp", ".*.bwplan.*.tmp~")


def _git_work_tree(path: Path) -> Path | None:
    """The top of the git work tree holding ``path`` (a ``.git`` folder or file), or None."""
    for folder in [path.parent, *path.parent.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def git_ignore_hint(path: str | Path) -> str | None:
    """Advice for a plan created inside a git work tree whose .gitignore lacks our lines."""
    path = Path(path).resolve()
    top = _git_work_tree(path)
    if top is None:
        return None
    try:
        ignored = (top / ".gitignore").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        ignored = []
    missing = [line for line in GIT_IGNORE_LINES if line not in ignored]
    if not missing:
        return None
    return (f"note: {top} is a git work tree, and each save keeps the previous plan as "
            f"{path.name}~ beside it, which `git add .` would commit. Add to {top / '.gitignore'}:\n"
            + "".join(f"  {line}\n" for line in missing))


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
    from planning.sharing.diff import diff_plans, format_changes, textconv

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


def _git(*args: str) -> str:
    """A git query's output, or "" when git or the repository is not there."""
    import subprocess

    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _given(label: str | None, placeholder: str) -> str | None:
    # Git before 2.44 leaves %X / %Y unexpanded in the driver's command line.
    return label if label and label != placeholder else None


def side_labels(ours_label: str | None = None, theirs_label: str | None = None) -> dict:
    """Names for the two sides of a merge git runs us in: ``{"ours", "theirs", "rebase"}``.

    From ``%X`` / ``%Y`` when git passes them (2.44 and later); otherwise from
    the repository's state: during a rebase ``rebase-merge/`` (or
    ``rebase-apply/``) names the upstream commit being rebased onto, which is
    "ours", and the branch whose commit is replayed, which is "theirs"; during
    ``git merge`` the merged branch is in ``GITHEAD_<sha>``.
    """
    ours, theirs = _given(ours_label, "%X"), _given(theirs_label, "%Y")
    git_dir = Path(_git("rev-parse", "--git-dir") or ".git")
    rebase_dir = next((d for d in (git_dir / "rebase-merge", git_dir / "rebase-apply") if d.is_dir()),
                      None)
    if rebase_dir is not None:
        def read(name: str) -> str:
            try:
                return (rebase_dir / name).read_text(encoding="utf-8").strip()
            except OSError:
                return ""
        onto, branch = read("onto"), read("head-name").removeprefix("refs/heads/")
        # The commit being replayed: the last line of "done" ("pick <sha> <subject>").
        done = read("done").splitlines()
        picked = done[-1].split() if done else []
        commit = read("stopped-sha") or (picked[1] if len(picked) > 1 else "")
        ours = ours or (f"upstream {onto[:7]}" if onto else "upstream")
        theirs = theirs or (f"your commit {commit[:7]} on {branch}" if commit and branch
                            else f"your commit on {branch}" if branch else "your commit")
        return {"ours": ours, "theirs": theirs, "rebase": True}
    if theirs is None:
        merged = [value for key, value in os.environ.items() if key.startswith("GITHEAD_")]
        theirs = merged[0] if len(merged) == 1 else None
    if ours is None and theirs is not None:
        ours = _git("symbolic-ref", "--short", "-q", "HEAD") or None
    return {"ours": ours or "ours", "theirs": theirs or "theirs", "rebase": False}


#: What a rebase does to the sides, in the words the dialog and driver use.
REBASE_NOTE = ("During a rebase the sides swap: \"ours\" is the upstream you are rebasing "
               "onto, \"theirs\" is your own commit being replayed on top of it.")


def cmd_merge(args) -> int:
    from planning.sharing.merge import SIDES_KEY, merge_plans

    if args.output == "-" and args.json:
        raise UsageError("-o - and --json would both print; choose one")
    base, ours, theirs = (_plan_or_empty(p) for p in (args.base, args.ours, args.theirs))
    result = merge_plans(base, ours, theirs)
    sides = side_labels(args.ours_label, args.theirs_label) if args.name else \
        {"ours": _given(args.ours_label, "%X") or "ours",
         "theirs": _given(args.theirs_label, "%Y") or "theirs", "rebase": False}
    if not result.clean:
        result.plan.extra[SIDES_KEY] = sides  # the app's conflict dialog names the sides
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
    ours_name = "ours" if sides["ours"] == "ours" else f"ours ({sides['ours']})"
    theirs_name = "theirs" if sides["theirs"] == "theirs" else f"theirs ({sides['theirs']})"
    lines = [f"{name}: {len(result.conflicts)} conflict{'s' if len(result.conflicts) != 1 else ''}: "
             f"the file keeps {ours_name} and lists {theirs_name} beside it under "
             "\"merge_conflicts\":"]
    if sides["rebase"]:
        lines.append(f"  ({REBASE_NOTE})")
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
    p.add_argument("--ours-label", metavar="LABEL",
                   help="what to call our side (git 2.44+: %%X; older git: found from the repository)")
    p.add_argument("--theirs-label", metavar="LABEL",
                   help="what to call their side (git 2.44+: %%Y)")
    p.add_argument("--json", action="store_true", help="conflicts as JSON on stdout")
    p.set_defaults(run=cmd_merge)
