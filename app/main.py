"""The `branchwise` console script: headless sub-commands or the GUI.

The first word decides: a command from :data:`app.cli.COMMANDS` (or
``--help`` / ``--version``) runs without a window and before any Qt import,
so ``branchwise evaluate`` works on a machine with no screen. An existing
file, an option (``--screenshot``) or nothing opens the editor. Any other
word is a mistyped command or a missing file: exit 2 with a hint, rather
than a window opened on a file called "evalute".
"""
from __future__ import annotations

import os
import sys

from app import cli


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    first = args[0] if args else None
    if first is not None and (first in cli.COMMANDS or first in ("-h", "--help", "help", "--version")):
        return cli.main(args)
    if first is not None and not first.startswith("-") and not os.path.exists(first):
        print(f"{cli.PROG}: {cli.unknown_command(first)}\nRun '{cli.PROG} --help' for the commands.",
              file=sys.stderr)
        return cli.EXIT_USAGE
    from app import gui

    return gui.run(args)


if __name__ == "__main__":
    sys.exit(main())
