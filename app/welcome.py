"""The welcome page: what a planner sees when Branchwise starts with no file.

It offers a new plan from each template (blank, the multi-track peace
process, the product launch), Open…, and the recent files. Everything goes
through the Document (``document.new(template)``, ``document.open(path)``);
as soon as the document gets a plan (or an edit), the page steps aside and the
editor shows. :func:`install_welcome` puts the page in front of a main
window's editor; File > Close brings it back.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QCommandLinkButton, QFileDialog, QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget,
    QListWidgetItem, QMainWindow, QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget,
)

from app import settings
from app.help import app_icon, app_version
from widgets import palette
from planning.model.errors import PlanError
from planning.files.templates import TEMPLATES
from widgets.i18n import QT_TRANSLATE_NOOP, fill, translate


#: Button titles of the templates; descriptions come from planning.files.templates.
TEMPLATE_TITLES: dict[str, str] = {
    "blank": QT_TRANSLATE_NOOP("WelcomePage", "New blank plan"),
    "peace-process": QT_TRANSLATE_NOOP("WelcomePage", "Multi-track peace process"),
    "product-launch": QT_TRANSLATE_NOOP("WelcomePage", "Product launch"),
}

PATH_ROLE = Qt.ItemDataRole.UserRole


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label


class WelcomePage(QWidget):
    """Start a plan from a template, open one, or reopen a recent one.

    Parameters
    ----------
    document : app.document.Document
        The document the page fills.
    parent : QWidget, optional
        The owner widget.
    """

    #: A plan was made or opened from the page (its path, or "" for a new plan).
    planChosen = Signal(str)

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setObjectName("welcome_page")
        self.template_buttons: dict[str, QCommandLinkButton] = {}
        self._build()
        self.refresh_recent()
        self._arrows()
        palette.on_change(self, self._arrows)  # the style's arrow is black: unreadable when dark

    def _arrows(self) -> None:
        """The command links' arrow in the scheme's text colour, drawn for the screen's pixel ratio."""
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QIcon, QPainter, QPixmap, QPolygonF

        ratio = max(1, round(self.devicePixelRatioF() + 0.49))
        pixmap = QPixmap(20 * ratio, 20 * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.qcolor(palette.TEXT_MUTED))
        painter.drawPolygon(QPolygonF([QPointF(6, 4), QPointF(15, 10), QPointF(6, 16)]))
        painter.end()
        for button in self.findChildren(QCommandLinkButton):
            button.setIcon(QIcon(pixmap))

    # -- construction ------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 32, 32, 32)
        outer.addStretch(1)
        body = QWidget(self)
        body.setMaximumWidth(960)
        centred = QHBoxLayout()  # the body grows up to its maximum width, centred
        centred.addStretch(1)
        centred.addWidget(body, 100)
        centred.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(2)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(40)
        grid.setVerticalSpacing(12)
        grid.addLayout(self._build_header(body), 0, 0, 1, 2)
        grid.addWidget(self._build_start(body), 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._build_recent(body), 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.error_label = QLabel("", body)
        self.error_label.setObjectName("welcome_error")
        self.error_label.setWordWrap(True)
        palette.styled(self.error_label, "color: {ERROR_TEXT};")
        self.error_label.hide()
        grid.addWidget(self.error_label, 2, 0, 1, 2)

    def _build_header(self, parent: QWidget) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setSpacing(18)
        logo = QLabel(parent)
        icon = app_icon()
        if not icon.isNull():
            logo.setPixmap(icon.pixmap(QSize(72, 72)))
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(2)
        title = QLabel(translate("WelcomePage", "Branchwise"), parent)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setWeight(QFont.Weight.Bold)
        title.setFont(font)
        words.addWidget(title)
        tagline = QLabel(translate("WelcomePage", "Prepare for what can happen: draw the tree of decisions and events, "
                                                  "mark the success and failure paths, and see which response to "
                                                  "prepare next."), parent)
        tagline.setWordWrap(True)
        tagline.setMaximumWidth(620)  # two even lines rather than one long and a stub
        words.addWidget(tagline)
        version = QLabel(fill(translate("WelcomePage", "Version %1"), app_version()), parent)
        version.setObjectName("welcome_version")
        version.setEnabled(False)  # greyed: secondary information
        words.addWidget(version)
        header.addLayout(words, 1)
        header.setContentsMargins(0, 0, 0, 16)
        return header

    def _build_start(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(_heading(translate("WelcomePage", "Start a plan"), box))
        for template, description in TEMPLATES.items():
            title = translate("WelcomePage", TEMPLATE_TITLES.get(template, template.replace("-", " ").capitalize()))
            button = QCommandLinkButton(title, description, box)
            button.setObjectName(f"welcome_new_{template}")
            button.clicked.connect(lambda _c=False, t=template: self.new_from_template(t))
            self.template_buttons[template] = button
            layout.addWidget(button)
        line = QFrame(box)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addSpacing(6)
        layout.addWidget(line)
        layout.addSpacing(6)
        keys = QKeySequence(QKeySequence.StandardKey.Open).toString(
            QKeySequence.SequenceFormat.NativeText)
        self.open_button = QCommandLinkButton(
            translate("WelcomePage", "Open a plan…"), fill(translate("WelcomePage", "A .bwplan file from your computer (%1)"), keys), box)
        self.open_button.setObjectName("welcome_open")
        self.open_button.clicked.connect(self.choose_and_open)
        layout.addWidget(self.open_button)
        return box

    def _build_recent(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        row = QHBoxLayout()
        heading = _heading(translate("WelcomePage", "Recent plans"), box)
        row.addWidget(heading, 1)
        self.clear_button = QPushButton(translate("WelcomePage", "Clear"), box)
        self.clear_button.setObjectName("welcome_clear_recent")
        self.clear_button.setFlat(True)
        self.clear_button.setToolTip(translate("WelcomePage", "Forget the recent plans (the files stay)"))
        self.clear_button.clicked.connect(self.clear_recent)
        # No taller than the heading, so both columns' headings line up.
        self.clear_button.setMaximumHeight(heading.sizeHint().height())
        row.addWidget(self.clear_button)
        layout.addLayout(row)
        self.recent_list = QListWidget(box)
        self.recent_list.setObjectName("welcome_recent")
        self.recent_list.setIconSize(QSize(32, 32))
        self.recent_list.setSpacing(2)
        self.recent_list.setMinimumHeight(260)
        self.recent_list.setWordWrap(False)
        self.recent_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent_list.itemActivated.connect(self._recent_activated)
        layout.addWidget(self.recent_list, 1)
        self.no_recent = QLabel(translate("WelcomePage", "No recent plans yet. Plans you open or save show up here."), box)
        self.no_recent.setObjectName("welcome_no_recent")
        self.no_recent.setWordWrap(True)
        self.no_recent.setEnabled(False)
        layout.addWidget(self.no_recent)
        return box

    # -- state ---------------------------------------------------------------
    def refresh_recent(self) -> None:
        """Reload the recent files from the settings (missing files are left out)."""
        self.recent_list.clear()
        icon = app_icon()
        for path in settings.recent_files():
            item = QListWidgetItem(icon, f"{path.name}\n{path.parent}")
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.recent_list.addItem(item)
        has_files = self.recent_list.count() > 0
        self.recent_list.setVisible(has_files)
        self.clear_button.setVisible(has_files)
        self.no_recent.setVisible(not has_files)

    def recent_paths(self) -> list[Path]:
        """The files the recent list shows, top first."""
        return [Path(self.recent_list.item(i).data(PATH_ROLE))
                for i in range(self.recent_list.count())]

    def clear_recent(self) -> None:
        """Forget the recent files and empty the list."""
        settings.clear_recent_files()
        self.refresh_recent()

    def show_error(self, text: str) -> None:
        """Say on the page why a plan could not be opened ("" hides the message)."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh_recent()

    # -- commands ------------------------------------------------------------
    def new_from_template(self, template: str) -> bool:
        """Replace the document's plan by a new one from ``template``.

        Parameters
        ----------
        template : str
            A name in :data:`planning.files.templates.TEMPLATES`.

        Returns
        -------
        bool
            True when the document got the new plan.
        """
        try:
            self.document.new(template)
        except (KeyError, OSError, ValueError, PlanError) as exc:
            self.show_error(fill(translate("Welcome", "Cannot start a plan from “%1”: %2"), template, exc))
            return False
        self.show_error("")
        self.planChosen.emit("")
        return True

    def open_path(self, path: str | Path) -> bool:
        """Open a plan file in the document and put it at the top of the recent files.

        Returns
        -------
        bool
            True when it opened; otherwise the page says why and keeps showing.
        """
        path = Path(path)
        try:
            self.document.open(path)
        except (OSError, ValueError, PlanError) as exc:
            self.show_error(f"Cannot open {path}: {exc}")
            self.refresh_recent()
            return False
        settings.add_recent_file(path)
        self.show_error("")
        self.planChosen.emit(str(path))
        return True

    def choose_and_open(self) -> bool:
        """Open…: ask for a file, then :meth:`open_path`; False if cancelled or failed."""
        from app.file_dialogs import FILE_FILTER, remember_folder, start_folder

        path, _ = QFileDialog.getOpenFileName(self, translate("WelcomePage", "Open plan"), str(start_folder(self.document)), FILE_FILTER)
        if path:
            remember_folder(path)
        return bool(path) and self.open_path(path)

    def _recent_activated(self, item: QListWidgetItem) -> None:
        self.open_path(item.data(PATH_ROLE))


class WelcomeController(QObject):
    """Switches a main window between the welcome page and the editor.

    While the page shows, the docks and toolbars step aside (they hold nothing
    useful without a plan) and come back as they were when the editor returns.
    """

    def __init__(self, window: QMainWindow, page: WelcomePage, stack: QStackedWidget,
                 editor: QWidget, front: QWidget | None = None):
        super().__init__(window)
        self.window, self.page, self.stack, self.editor = window, page, stack, editor
        # What the stack shows for the page: the scroll area holding it, so the
        # page never imposes its height on the whole window.
        self.front = front if front is not None else page
        self._hidden_bars: list[QWidget] = []
        document = page.document
        document.planReplaced.connect(self.show_editor)
        document.changed.connect(lambda _change: self.show_editor())
        window.installEventFilter(self)

    def is_showing(self) -> bool:
        """True while the welcome page is in front."""
        return self.stack.currentWidget() is self.front

    def _side_bars(self) -> list[QWidget]:
        from PySide6.QtWidgets import QDockWidget, QToolBar

        bars = self.window.findChildren(QDockWidget) + self.window.findChildren(QToolBar)
        return [w for w in bars if w.parent() is self.window]

    def show_welcome(self) -> None:
        """Put the welcome page in front of the editor."""
        if self.is_showing():
            return
        self._hidden_bars = [w for w in self._side_bars() if not w.isHidden()]
        for bar in self._hidden_bars:
            bar.hide()
        self.page.refresh_recent()
        self.stack.setCurrentWidget(self.front)
        first = next(iter(self.page.template_buttons.values()), None)
        if first is not None:
            first.setFocus()

    def show_editor(self) -> None:
        """Bring the editor (and the docks and toolbars that were showing) back."""
        if not self.is_showing():
            return
        self.stack.setCurrentWidget(self.editor)
        self._restore_bars()
        if not settings.settings().contains("window/state"):
            size_docks = getattr(self.window, "_size_docks", None)
            if callable(size_docks):  # first run: docks get sizes once they show
                QTimer.singleShot(0, size_docks)
        canvas = getattr(self.window, "canvas", None)
        if isinstance(canvas, QWidget):
            canvas.setFocus()

    def _restore_bars(self) -> None:
        for bar in self._hidden_bars:
            bar.show()
        self._hidden_bars = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # The window saves its dock layout when it closes: let it save the
        # docks as the user had them, not as the welcome page hid them.
        if watched is self.window and event.type() == QEvent.Type.Close and self.is_showing():
            self._restore_bars()
        return False


def install_welcome(window: QMainWindow, show: bool | None = None) -> WelcomeController:
    """Put a welcome page in front of ``window``'s editor.

    The window's central widget goes into a stack behind the page. The page
    shows now when ``show`` is True, or (``show=None``) when the window's
    document has no file and no edits (the app started without a file), and
    again after File > Close. Opening or creating a plan, by any means,
    brings the editor back.

    Parameters
    ----------
    window : QMainWindow
        A main window with a ``document`` attribute (app.document.Document).
    show : bool, optional
        Force the page on (True) or off (False) now.

    Returns
    -------
    WelcomeController
        Also kept as ``window.welcome``; ``.page`` is the WelcomePage.
    """
    document = window.document
    editor = window.takeCentralWidget()
    stack = QStackedWidget(window)
    stack.setObjectName("welcome_stack")
    scroll = QScrollArea(stack)
    scroll.setObjectName("welcome_scroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    page = WelcomePage(document, scroll)
    scroll.setWidget(page)
    stack.addWidget(scroll)
    if editor is not None:
        stack.addWidget(editor)
    else:
        editor = QWidget(stack)
        stack.addWidget(editor)
    stack.setCurrentWidget(editor)
    window.setCentralWidget(stack)
    controller = WelcomeController(window, page, stack, editor, front=scroll)
    window.welcome = controller
    _rewire_close(window, controller)
    if show is None:
        show = document.path is None and not document.is_modified()
    if show:
        controller.show_welcome()
    return controller


def _rewire_close(window: QMainWindow, controller: WelcomeController) -> None:
    """File > Close: the window's own close (unsaved-changes prompt), then the page."""
    from PySide6.QtGui import QAction

    action = window.findChild(QAction, "action_close")
    close_plan: Callable[[], bool] | None = getattr(window, "close_plan", None)
    if action is None or not callable(close_plan):
        return
    try:
        action.triggered.disconnect()
    except (RuntimeError, TypeError):
        pass

    def close_to_welcome() -> None:
        if close_plan() is not False:
            controller.show_welcome()

    action.triggered.connect(lambda _checked=False: close_to_welcome())
