"""The `branchwise` console script: headless sub-commands or the GUI."""
from __future__ import annotations

import sys

#: Sub-commands that run without a window. They are dispatched before any Qt
#: import so that `branchwise evaluate` works on a machine with no screen.
SUBCOMMANDS = frozenset({
    "validate", "evaluate", "simulate", "sensitivity", "import", "new",
    "plot", "export", "diff", "merge", "present", "voi",
})


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "gallery":
        from app import gallery

        return gallery.main(args[1:])
    if args and args[0] in SUBCOMMANDS:
        from app import cli

        return cli.main(args)
    from app import gui

    return gui.run(args)


if __name__ == "__main__":
    sys.exit(main())
