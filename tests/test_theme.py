"""Light and dark: every view follows the scheme, live; text meets WCAG AA; exports stay light."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPalette

from conftest import SAMPLES
from gui_windows import open_window
from app import settings, theme as theme_module
from app.cli_export import export_plan
from planning.files.planfile import load_plan
from widgets import palette
from widgets.tree_model import COL_LABEL

SCHEMES = ("light", "dark")
AA_TEXT, AA_LARGE, AA_GRAPHIC = 4.5, 3.0, 3.0


@pytest.fixture
def app_theme(qapp):
    """The application's Theme, put back to light (the other tests' scheme) afterwards."""
    current = theme_module.theme()
    yield current
    current.set_mode("light")
    current.mode = "system"


@pytest.fixture
def window(qtbot, tmp_path, app_theme):
    return open_window(qtbot, SAMPLES / "peace-process.bwplan", tmp_path, prompts=False, focus_canvas=False,
                       checks=True)


def _luma(colour) -> float:
    return 0.2126 * colour.redF() + 0.7152 * colour.greenF() + 0.0722 * colour.blueF()


def _corner(widget) -> object:
    image = widget.grab().toImage()
    return image.pixelColor(3, 3)


# -- contrast ---------------------------------------------------------------------------------

def _text_pairs(name: str) -> list[tuple[str, str, str, float]]:
    """(what, foreground, background, needed ratio) of every text and graphic the app draws."""
    c = palette.colours(name)
    q = theme_module.qt_palette(name)
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    hexof = lambda r, g=group.Active: q.color(g, r).name()  # noqa: E731
    pairs = []
    pages = {"page": c["BACKGROUND"], "window": hexof(role.Window), "list": hexof(role.Base),
             "card": c["CARD"], "presenter page": c["PAGE"], "alternate rows": hexof(role.AlternateBase)}
    for text in ("TEXT", "TEXT_MUTED", "SUCCESS_TEXT", "FAILURE_TEXT", "NEUTRAL_TEXT", "BADGE_LATE",
                 "AMBER_TEXT", "ERROR_TEXT", "LINK", "ADDED_TEXT", "REMOVED_TEXT", "BADGE_READY", "DECISION"):
        for page, background in pages.items():
            pairs.append((f"{text} on {page}", c[text], background, AA_TEXT))
    # canvas labels sit on a translucent page over edges of any colour
    for line in ("NEUTRAL", "SUCCESS", "FAILURE", "OPTION_EDGE"):
        under = palette.blend(c["LABEL_BACKGROUND"], c[line])
        for text in ("TEXT", "TEXT_MUTED"):
            pairs.append((f"canvas label {text} over a {line} edge", c[text], under, AA_TEXT))
    # the standard widgets: window text, field text, disabled (greyed) text, selection, tooltips
    pairs += [
        ("window text", hexof(role.WindowText), hexof(role.Window), AA_TEXT),
        ("field text", hexof(role.Text), hexof(role.Base), AA_TEXT),
        ("button text", hexof(role.ButtonText), hexof(role.Button), AA_TEXT),
        ("disabled text", hexof(role.WindowText, group.Disabled), hexof(role.Window), AA_TEXT),
        ("placeholder", hexof(role.PlaceholderText), hexof(role.Base), AA_TEXT),
        ("selected row", hexof(role.HighlightedText), hexof(role.Highlight), AA_TEXT),
        ("tooltip", hexof(role.ToolTipText), hexof(role.ToolTipBase), AA_TEXT),
        ("conflict banner", c["TEXT"], c["WARNING_BACKGROUND"], AA_TEXT),
        ("chosen side", c["TEXT"], c["CHOSEN_BACKGROUND"], AA_TEXT),
    ]
    # presenter: white (or dark) words on path-coloured card headers and badges (bold, large)
    for band in ("SUCCESS_TEXT", "FAILURE_TEXT", "NEUTRAL_TEXT", "DECISION"):
        pairs.append((f"card header on {band}", c["ON_BADGE"], c[band], AA_TEXT))
    for badge, colour in c["BADGE_COLORS"].items():
        pairs.append((f"{badge} badge text", c["ON_BADGE_COLORS"][badge], colour, AA_TEXT))
    pairs.append(("hidden card number (large)", c["HIDDEN_NUMBER"], c["HIDDEN_CARD"], AA_LARGE))
    # graphics: edges, badges, selection, series, node kinds (by fill or by outline)
    for graphic in ("SUCCESS", "FAILURE", "NEUTRAL", "OPTION_EDGE", "BADGE_NONE", "BADGE_LATE",
                    "BADGE_PARTIAL", "BADGE_READY", "SELECTION", "BORDER"):
        pairs.append((f"graphic {graphic}", c[graphic], c["BACKGROUND"], AA_GRAPHIC))
    for k, series in enumerate(c["SERIES"]):
        pairs.append((f"plot series {k}", series, c["BACKGROUND"], AA_GRAPHIC))
    return pairs


@pytest.mark.parametrize("name", SCHEMES)
def test_every_text_and_graphic_meets_wcag_aa(name):
    failing = [f"{what}: {fg} on {bg} is {palette.contrast(fg, bg):.2f}:1 (needs {need})"
               for what, fg, bg, need in _text_pairs(name) if palette.contrast(fg, bg) < need]
    assert not failing, "\n".join(failing)


@pytest.mark.parametrize("name", SCHEMES)
def test_node_shapes_stand_out_by_fill_or_outline(name):
    c = palette.colours(name)
    for kind, fill in c["KIND_COLORS"].items():
        best = max(palette.contrast(fill, c["BACKGROUND"]), palette.contrast(c["NODE_OUTLINE"], c["BACKGROUND"])
                   if palette.contrast(c["NODE_OUTLINE"], fill) >= AA_GRAPHIC else 0)
        assert best >= AA_GRAPHIC, (kind, fill)


def test_contrast_formula_matches_wcag_examples():
    assert palette.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert palette.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def _seen_lab(hex_colour: str, matrix) -> np.ndarray:
    """CIELAB of a colour as a dichromat sees it (Viénot 1999, applied in linear RGB)."""
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.clip(np.asarray(matrix) @ np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4), 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    f = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(f > 0.008856, np.cbrt(f), 7.787 * f + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


_DICHROMATS = {
    "protanopia": [[0.11238, 0.88762, 0.0], [0.11238, 0.88762, 0.0], [0.00401, -0.00401, 1.0]],
    "deuteranopia": [[0.29275, 0.70725, 0.0], [0.29275, 0.70725, 0.0], [-0.02234, 0.02234, 1.0]],
}


@pytest.mark.parametrize("name", SCHEMES)
def test_success_and_failure_differ_for_colour_blind_readers(name):
    c = palette.colours(name)
    for kind, matrix in _DICHROMATS.items():
        seen = {p: _seen_lab(c["PATH_COLORS"][p], matrix) for p in ("success", "failure", "neutral")}
        # CIE76 colour difference: success and failure far apart, each clearly apart from grey
        assert np.linalg.norm(seen["success"] - seen["failure"]) > 30, kind
        assert np.linalg.norm(seen["success"] - seen["neutral"]) > 15, kind
        assert np.linalg.norm(seen["failure"] - seen["neutral"]) > 30, kind


def test_success_and_failure_are_said_in_words_on_the_canvas(window):
    texts = " ".join(window.canvas.labels.texts())
    assert "✓ success" in texts and "✗ failure" in texts


def test_outline_grey_for_options_off_the_policy_reads_in_both_schemes(window, app_theme):
    outline = window.outline
    model = outline.model()
    result = window.document.result
    off = [node_id for node_id, i in result.index.items() if not bool(result.node_on_policy[i])]
    assert off, "the sample has options the policy does not take"
    for name in SCHEMES:
        app_theme.set_mode(name)
        index = model.index_of(off[0], COL_LABEL)
        assert index.isValid()
        brush = model.data(index, Qt.ItemDataRole.ForegroundRole)
        page = outline.palette().color(QPalette.ColorRole.Base).name()
        ratio = palette.contrast(brush.color().name(), page)
        assert ratio >= AA_TEXT, (name, brush.color().name(), page, ratio)


# -- following the scheme --------------------------------------------------------------------

def test_view_theme_menu_switches_every_view_live_and_is_remembered(window, app_theme, qtbot):
    actions = window.theme_actions
    assert set(actions) == {"system", "light", "dark"}
    view_menu = window.findChild(type(window.menuBar().actions()[0].menu()), "menu_view")
    assert any(a.menu() is not None and a.menu().objectName() == "menu_theme" for a in view_menu.actions())
    actions["dark"].trigger()
    qtbot.wait(50)
    assert palette.scheme() == "dark"
    assert settings.settings().value("view/theme") == "dark"
    canvas_page = _corner(window.canvas)
    assert canvas_page.name() == palette.DARK["BACKGROUND"]
    assert _luma(window.palette().color(QPalette.ColorRole.Window)) < 0.2
    assert _luma(window.outline.palette().color(QPalette.ColorRole.Base)) < 0.2
    # the label text on the canvas is the dark scheme's light text
    html = window.canvas.labels.items[0].textItem.toHtml()
    assert palette.DARK["TEXT"] in html
    actions["light"].trigger()
    qtbot.wait(50)
    assert _corner(window.canvas).name() == palette.LIGHT["BACKGROUND"]
    assert palette.LIGHT["TEXT"] in window.canvas.labels.items[0].textItem.toHtml()
    assert theme_module.saved_mode() == "light"


def test_plots_redraw_in_the_dark_scheme(window, app_theme, qtbot):
    from widgets.analysis.outcome_view import OutcomeView

    view = window.findChildren(OutcomeView)[0]
    app_theme.set_mode("dark")
    for figure in view.figures.values():
        assert figure.backgroundBrush().color().name() == palette.DARK["BACKGROUND"]


def test_system_mode_follows_the_desktop_live(app_theme, monkeypatch):
    app_theme.set_mode("system")
    monkeypatch.setattr(theme_module.Theme, "system_scheme", lambda self: "dark")
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert palette.scheme() == "dark"
    monkeypatch.setattr(theme_module.Theme, "system_scheme", lambda self: "light")
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert palette.scheme() == "light"


def test_unknown_desktop_scheme_is_read_from_the_starting_palette(app_theme):
    if QGuiApplication.styleHints().colorScheme() != Qt.ColorScheme.Unknown:
        pytest.skip("the platform knows its scheme")
    saved = app_theme._start_palette
    try:
        app_theme._start_palette = theme_module.qt_palette("dark")
        assert app_theme.system_scheme() == "dark"
        app_theme._start_palette = theme_module.qt_palette("light")
        assert app_theme.system_scheme() == "light"
    finally:
        app_theme._start_palette = saved


def test_presenter_console_follows_the_scheme(qapp, app_theme):
    from widgets.presenter.console_view import ConsoleView

    console = ConsoleView()
    app_theme.set_mode("dark")
    assert palette.DARK["BACKGROUND"] in console.styleSheet()
    muted = console.findChild(type(console.keys), "console_keys")
    assert palette.DARK["TEXT_MUTED"] in muted.styleSheet()
    image = console.preview.render_image(320, 180)
    assert image.pixelColor(2, 2).name() == palette.DARK["PAGE"]
    console.deleteLater()


def test_welcome_page_arrows_read_on_the_dark_page(qtbot, app_theme):
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QCommandLinkButton

    from app.document import Document
    from app.welcome import WelcomePage

    page = WelcomePage(Document())
    qtbot.addWidget(page)
    app_theme.set_mode("dark")
    for button in page.findChildren(QCommandLinkButton):
        image = button.icon().pixmap(QSize(20, 20)).toImage()
        drawn = [image.pixelColor(x, y) for x in range(20) for y in range(20) if image.pixelColor(x, y).alpha() == 255]
        assert drawn and all(palette.contrast(c.name(), palette.DARK["SURFACE"]) >= AA_GRAPHIC for c in drawn)


# -- exports stay light -----------------------------------------------------------------------

def test_exports_are_light_while_the_window_is_dark(tmp_path, app_theme):
    app_theme.set_mode("dark")
    plan = load_plan(SAMPLES / "product-launch.bwplan")
    out = tmp_path / "tree.svg"
    export_plan(plan, "svg", out)
    text = out.read_text("utf-8")
    assert palette.LIGHT["BACKGROUND"] in text.lower()
    assert palette.DARK["BACKGROUND"] not in text.lower()
    assert palette.scheme() == "dark"  # the window stays dark


def test_dock_export_is_light_then_the_dock_is_dark_again(window, app_theme, tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from widgets.analysis.readiness_view import ReadinessView

    view = window.findChildren(ReadinessView)[0]
    window.analysis.rerun("readiness")
    qtbot.waitUntil(lambda: view.report is not None, timeout=20000)
    app_theme.set_mode("dark")
    out = tmp_path / "readiness.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    assert view.export_button.ask_and_export("png") == str(out)
    image = QImage(str(out))
    assert image.pixelColor(2, 2).name() == palette.LIGHT["BACKGROUND"]
    assert view.figure.backgroundBrush().color().name() == palette.DARK["BACKGROUND"]
