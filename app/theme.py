"""Light and dark: follow the desktop's colour scheme, or the one chosen in View > Theme.

The choice (System, Light, Dark) is kept in the settings (``view/theme``).
With System, Qt's ``QStyleHints.colorScheme`` decides, and when the platform
does not know (``Unknown``), the lightness of the palette the application
started with. The scheme is applied in three places, all from
:mod:`widgets.palette`'s two colour tables:

* ``palette.set_scheme`` — views that draw themselves (canvas, plots,
  presenter) read the palette and redraw on its ``changed`` signal;
* the application's ``QPalette`` — every standard widget (forms, lists,
  menus, the welcome page) draws with it, so their text/background pairs are
  the palette's and meet the same contrast (tests/test_theme.py);
* the style sheet ``resources/style.qss``, a template whose ``@NAME@``
  tokens are the palette's colours.

A change of the desktop's scheme while the app runs is followed live
(``colorSchemeChanged``).
"""
from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu

from app import settings
from widgets import palette
from widgets.i18n import translate

MODES = ("system", "light", "dark")
SETTING = "view/theme"


def saved_mode() -> str:
    """The theme chosen in View > Theme, ``"system"`` when none (or a bad value) is saved."""
    value = str(settings.settings().value(SETTING, "system") or "system")
    return value if value in MODES else "system"


def qt_palette(name: str | None = None) -> QPalette:
    """The application palette of a scheme: the standard widgets' colours, from :mod:`widgets.palette`."""
    c = palette.colours(name)
    q = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    pairs = {
        role.Window: c["SURFACE"], role.WindowText: c["TEXT"], role.Base: c["BACKGROUND"],
        role.AlternateBase: c["SURFACE"], role.Text: c["TEXT"], role.Button: c["SURFACE"],
        role.ButtonText: c["TEXT"], role.BrightText: c["ERROR_TEXT"], role.Highlight: c["SELECTION"],
        role.HighlightedText: c["SELECTION_TEXT"], role.ToolTipBase: c["BACKGROUND"],
        role.ToolTipText: c["TEXT"], role.PlaceholderText: c["TEXT_MUTED"], role.Link: c["LINK"],
        role.LinkVisited: c["LINK"], role.Light: c["BACKGROUND"], role.Midlight: c["GRID"],
        role.Mid: c["BORDER"], role.Dark: c["BORDER"], role.Shadow: c["NODE_OUTLINE"],
    }
    for r, colour in pairs.items():
        q.setColor(r, QColor(colour))
    # Disabled text (greyed secondary lines such as the welcome page's version)
    # still has to be read: the muted text colour, not a faint grey.
    for r in (role.WindowText, role.Text, role.ButtonText):
        q.setColor(group.Disabled, r, QColor(c["TEXT_MUTED"]))
    q.setColor(group.Disabled, role.Highlight, QColor(c["BORDER"]))
    return q


def stylesheet(name: str | None = None) -> str:
    """``resources/style.qss`` with its ``@NAME@`` tokens replaced by the scheme's colours."""
    try:
        text = resources.files("resources").joinpath("style.qss").read_text("utf-8")
    except (OSError, ModuleNotFoundError):
        return ""
    for key, value in palette.colours(name).items():
        if isinstance(value, str):
            text = text.replace(f"@{key}@", value)
    return text


class Theme(QObject):
    """Keeps the palette, the application palette and the style sheet on one scheme.

    One per application (:func:`theme`). ``changed(scheme)`` is emitted after
    a switch, once everything is restyled.
    """

    changed = Signal(str)

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        # What the platform gave, for "the palette when the scheme is unknown".
        self._start_palette = QPalette(app.palette())
        self.mode = saved_mode()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(lambda _scheme: self.apply())
        self.apply()

    def system_scheme(self) -> str:
        """The desktop's scheme: Qt's colour scheme, else the lightness of the starting palette."""
        scheme = QGuiApplication.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return "dark"
        if scheme == Qt.ColorScheme.Light:
            return "light"
        window = self._start_palette.color(QPalette.ColorRole.Window)
        text = self._start_palette.color(QPalette.ColorRole.WindowText)
        return "dark" if window.lightness() < text.lightness() else "light"

    def scheme(self) -> str:
        """The scheme in use: the chosen one, or the desktop's with System."""
        return self.system_scheme() if self.mode == "system" else self.mode

    def set_mode(self, mode: str) -> None:
        """Choose System, Light or Dark (kept in the settings) and apply it now."""
        if mode not in MODES:
            raise ValueError(f"unknown theme {mode!r}")
        self.mode = mode
        settings.settings().setValue(SETTING, mode)
        self.apply()

    def previewing(self) -> str | None:
        """The scheme shown by :meth:`preview`, None when the chosen mode shows."""
        return getattr(self, "_preview", None)

    def preview(self, scheme: str | None) -> None:
        """Show ``scheme`` now without keeping it (the gallery); None goes back to the chosen mode."""
        self._preview = scheme
        self.apply()

    def apply(self) -> None:
        name = getattr(self, "_preview", None) or self.scheme()
        self.app.setPalette(qt_palette(name))
        palette.set_scheme(name)  # views redraw (palette.notifier().changed)
        sheet = stylesheet(name)
        if sheet != self.app.styleSheet():
            self.app.setStyleSheet(sheet)
        self.changed.emit(name)


_theme: Theme | None = None


def theme() -> Theme | None:
    """The application's Theme, made on first call once a QApplication exists."""
    global _theme
    app = QApplication.instance()
    if app is None:
        return None
    if _theme is None or _theme.app is not app:
        _theme = Theme(app)
    return _theme


def install_theme_menu(window) -> QMenu | None:
    """View > Theme: System, Light, Dark (radio items), checked as saved."""
    current = theme()
    if current is None:
        return None
    view_menu = next((a.menu() for a in window.menuBar().actions()
                      if a.menu() is not None and a.menu().objectName() == "menu_view"), None)
    menu = QMenu(translate("Theme", "&Theme"), window)
    menu.setObjectName("menu_theme")
    group = QActionGroup(menu)
    group.setExclusive(True)
    window.theme_actions = {}
    for mode, text in (("system", translate("Theme", "&System")), ("light", translate("Theme", "&Light")), ("dark", translate("Theme", "&Dark"))):
        action = QAction(text, menu)
        action.setObjectName(f"action_theme_{mode}")
        action.setCheckable(True)
        action.setChecked(mode == current.mode)
        action.setStatusTip(translate("Theme", "Colours: follow the desktop, or always light or dark"))
        action.triggered.connect(lambda _c=False, m=mode: current.set_mode(m))
        group.addAction(action)
        menu.addAction(action)
        window.theme_actions[mode] = action
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addMenu(menu)
    return menu
