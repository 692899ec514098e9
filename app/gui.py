"""Starting the window: `branchwise [FILE] [--screenshot OUT.png] [--size WxH]`."""
from __future__ import annotations

import os

# pyqtgraph picks its Qt binding when first imported: make it PySide6
# before anything (the tree canvas) imports it.
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

DEFAULT_SIZE = (1600, 1000)


def parse_size(text: str) -> tuple[int, int]:
    """"1280x720" -> (1280, 720), by the size rule ``present --screenshot`` uses too."""
    from app.output import OutputError
    from app.output import parse_size as shared_rule

    try:
        return shared_rule(text)
    except OutputError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--size ")) from None


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="branchwise", description="Branchwise plan editor.")
    parser.add_argument("file", nargs="?", help="a .bwplan file to open")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="render the window with FILE to a PNG and exit")
    parser.add_argument("--size", type=parse_size, default=DEFAULT_SIZE, metavar="WxH",
                        help="window size for --screenshot (default 1600x1000)")
    return parser.parse_args(argv)


def _application():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "branchwise"])
        app.setApplicationName("Branchwise")
        app.setOrganizationName("Branchwise")
        app.setApplicationDisplayName("Branchwise")
        # Wayland links the window to its menu entry and icon by this name.
        app.setDesktopFileName("io.branchwise.Branchwise")
        from app.help import app_icon

        app.setWindowIcon(app_icon())
        _install_translators(app)
        _apply_style(app)
    return app


def _install_translators(app) -> None:
    """Qt's own strings and ours in the user's language, where a compiled catalogue exists.

    Ours are ``resources/translations/branchwise_<locale>.qm`` (``pyside6-lrelease``
    of the .ts files); with none for the locale the English source text shows.
    """
    from importlib import resources

    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    locale = QLocale()
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    ours = QTranslator(app)
    try:
        folder = str(resources.files("resources") / "translations")
    except ModuleNotFoundError:
        return
    if ours.load(locale, "branchwise", "_", folder):
        app.installTranslator(ours)


def _apply_style(app) -> None:
    """Colours and style sheet of the scheme in use (app/theme.py), followed live."""
    from app.theme import theme

    theme()


def screenshot(window, out: Path, size: tuple[int, int]) -> None:
    """Show ``window`` at ``size``, let it settle and save ``window.grab()`` to ``out``."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    window.resize(*size)
    window.show()
    for _ in range(3):
        QCoreApplication.processEvents()
    window.document.wait_for_checks()
    fit = getattr(window.canvas, "fit", None)
    if callable(fit):
        fit()
    loop = QEventLoop()
    QTimer.singleShot(200, loop.quit)  # let deferred layouts and repaints run
    loop.exec()
    QCoreApplication.processEvents()
    from app.output import whole_file_check, write_output

    image = window.grab()

    def save(tmp: Path) -> None:
        if not image.save(str(tmp), "PNG"):
            raise OSError(f"cannot write {out}")

    # The one output rule (app/output.py): the folder must exist, the file is
    # replaced only once the new one is whole.
    write_output(out, save, validate=whole_file_check(".png"))


def run(argv: list[str]) -> int:
    """Start the editor (or just render a screenshot); the process exit code."""
    args = parse_args(list(argv))
    if args.screenshot:
        from app.output import OutputError, check_target

        try:  # before seconds of rendering: a folder name or a missing folder fails now
            check_target(args.screenshot)
        except OutputError as exc:
            print(f"branchwise: {exc}", file=sys.stderr)
            return 2
    if args.screenshot and not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            and sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen needed to render
    app = _application()
    from app.document import Document
    from app.main_window import MainWindow

    document = Document()
    if args.file:
        try:
            document.open(args.file)
        except (OSError, ValueError) as exc:
            print(f"branchwise: cannot open {args.file}: {exc}", file=sys.stderr)
            if args.screenshot:
                return 2
            document.new()
    window = MainWindow(document)
    document.setParent(window)
    from app.welcome import install_welcome

    # In the app, not in MainWindow: windows built by tests and scripts open
    # straight on the canvas. The page shows only with no file and no edits.
    install_welcome(window)
    if args.screenshot:
        from app.output import OutputError

        try:
            screenshot(window, Path(args.screenshot), args.size)
        except (OSError, OutputError) as exc:
            print(f"branchwise: {exc}", file=sys.stderr)
            return 2
        finally:
            window.autosaver.timer.stop()
            window.hide()
            window.deleteLater()
        return 0
    if args.file:
        from app import settings

        settings.add_recent_file(args.file)
    window.show()
    window.offer_recovery()  # with a file: that file's autosaves (app/recovery.py)
    return app.exec()
