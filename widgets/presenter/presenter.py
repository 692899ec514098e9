"""The presenter window: keys from a clicker move a walk through the track.

Keys: Right, Down, PageDown, Space, Enter = next (reveal the next branch; once
all are shown, step into the highlighted branch: the most likely one, or the
policy option); Left, Up, PageUp = previous (hide the last branch, then go
back); 1-9 = take that branch or option; Backspace = back one step; Esc =
leave; T = switch audience view / console on one screen; N = type a note;
R = reveal one at a time or all at once; A = reveal all; Ctrl+E = export the
walk log as Markdown.

With two screens the audience view fills the second and this window (the
console) the first; with one, this window holds both and T switches. The
window never edits the plan: on leaving it emits ``finished`` with the walk
log and the node reached, and the application records them.
"""
from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from planning.sharing.slide import build_slide
from planning.sharing.walk import Walk
from widgets.presenter.audience_view import AudienceView
from widgets.presenter.console_view import ConsoleView
from widgets.i18n import translate
from widgets.presenter.linked_panel import LinkedTracksPanel

K = Qt.Key
NEXT_KEYS = {K.Key_Right, K.Key_Down, K.Key_PageDown, K.Key_Space, K.Key_Return, K.Key_Enter}
PREVIOUS_KEYS = {K.Key_Left, K.Key_Up, K.Key_PageUp}
DIGITS = {getattr(K, f"Key_{d}"): d for d in range(1, 10)}


def _beside_linked_tracks(window: QWidget, main: QWidget) -> LinkedTracksPanel:
    """Lay ``main`` out edge to edge in ``window`` with the linked-tracks panel on its right.

    The panel lists the tracks that read the walked one; it hides itself
    when there are none, and ``main`` then takes the whole window.
    """
    layout = QHBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(main, 1)
    linked = LinkedTracksPanel(window)
    layout.addWidget(linked)
    return linked


class AudienceWindow(QWidget):
    """The audience view alone in a frameless window (the second screen)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("audience_window")
        self.setWindowTitle(self.tr("Branchwise — audience"))
        self.view = AudienceView(self)
        self.linked = _beside_linked_tracks(self, self.view)


class PresenterWindow(QWidget):
    """A live walk through one track of ``document``'s plan.

    Parameters
    ----------
    document
        The app's Document (read: ``plan``, ``current_track_id``; signals
        ``changed`` and ``planReplaced``).
    start : str, optional
        The node to start from; the track root by default.
    track_id : str, optional
        The track; that of ``start`` (else the document's current track).
    screens : list, optional
        The screens to use (``QGuiApplication.screens()`` by default);
        with two or more the audience gets the second.
    fullscreen : bool
        Show full screen (tests show a normal window).
    """

    #: (walk log entry, or None when the walk went nowhere; node id reached)
    finished = Signal(object, str)
    #: the user asked to export the walk log (entry): the application saves it
    exportRequested = Signal(object)
    #: the walk moved or revealed (current node id)
    stepped = Signal(str)

    def __init__(self, document, start: str | None = None, track_id: str | None = None, *,
                 screens: list | None = None, fullscreen: bool = True, step_reveal: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presenter_window")
        self.setWindowTitle(self.tr("Branchwise — presenting"))
        self.setAccessibleName(self.tr("Presenter"))
        self.setAccessibleDescription(self.tr("Right or Space reveals and steps in, Left steps back, "
                                              "1 to 9 take a branch, T switches audience and console, Esc leaves"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.document = document
        if track_id is None and start is None:
            track_id = document.current_track_id or None
        self.walk = Walk(document.plan, start, track_id, step_reveal=step_reveal)
        self.fullscreen = fullscreen
        self.screens = list(screens) if screens is not None else list(QGuiApplication.screens())
        self._done = False

        self.audience = AudienceView(self)
        self.console = ConsoleView(self)
        self.stack = QStackedWidget(self)
        self.linked = _beside_linked_tracks(self, self.stack)
        self.audience_window: AudienceWindow | None = None
        if len(self.screens) >= 2:
            self.audience_window = AudienceWindow(self)
            self.audience_window.installEventFilter(self)
            self.stack.addWidget(self.console)
            self.audience.hide()
        else:
            self.stack.addWidget(self.audience)
            self.stack.addWidget(self.console)
        self.console.notesEdited.connect(self._note_edited)
        self.console.notes.installEventFilter(self)

        self.export_action = QAction(translate("PresenterWindow", "Export walk log as Markdown…"), self)
        self.export_action.setObjectName("action_export_walk")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(lambda: self.exportRequested.emit(self.walk.to_entry()))
        self.addAction(self.export_action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self._clock = QElapsedTimer()
        self._clock.start()
        self._node_clock = QElapsedTimer()
        self._node_clock.start()
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        document.changed.connect(self._plan_changed)
        document.planReplaced.connect(self._plan_replaced)
        self.refresh()

    # -- showing -----------------------------------------------------------
    def audience_views(self) -> list[AudienceView]:
        """Every view showing the room's slide (the console preview included)."""
        views = [self.console.preview]
        views.append(self.audience_window.view if self.audience_window is not None else self.audience)
        return views

    def start(self) -> None:
        """Show the windows on their screens and start the clock."""
        if self.audience_window is not None:
            self._place(self.audience_window, self.screens[1])
        self._place(self, self.screens[0] if self.screens else None)
        self._ticker.start()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def _place(self, window: QWidget, screen) -> None:
        if screen is not None:
            window.setScreen(screen)
            window.setGeometry(screen.geometry())
        if self.fullscreen:
            window.showFullScreen()
        else:
            if screen is not None:
                window.resize(min(1280, screen.geometry().width()), min(720, screen.geometry().height()))
            window.show()

    def showing_console(self) -> bool:
        """True when this window shows the console (always with two screens)."""
        return self.stack.currentWidget() is self.console

    def toggle_console(self) -> None:
        """T: on one screen, switch between the audience view and the console."""
        if self.audience_window is not None:
            return
        self.stack.setCurrentWidget(self.audience if self.showing_console() else self.console)
        self.setFocus()

    def next_text(self) -> str:
        """What "next" will do, for the console."""
        walk = self.walk
        children = walk.children
        if not walk.all_revealed:
            label = self.document.plan.nodes[children[walk.revealed]].label
            return f"Reveal {walk.revealed + 1}: {label}"
        target = walk.default_child()
        if target is None:
            return "End of this path"
        number = children.index(target) + 1
        return f"Step into {number}: {self.document.plan.nodes[target].label or target}"

    def refresh(self) -> None:
        """Redraw every view from the walk."""
        slide = build_slide(self.walk)
        for view in self.audience_views():
            view.set_slide(slide)
        node = self.document.plan.nodes[self.walk.current]
        self.console.show_slide(slide, self.next_text(), self.walk.note, node.notes)
        ripple = self.walk.ripple()
        for panel in self.linked_panels():
            panel.set_rows(ripple, self.document.plan.value_unit)
        self._tick()

    def linked_panels(self) -> list[LinkedTracksPanel]:
        """The side panels of the tracks that read the walked one (both screens)."""
        panels = [self.linked]
        if self.audience_window is not None:
            panels.append(self.audience_window.linked)
        return panels

    def _tick(self) -> None:
        self.console.show_time(self._clock.elapsed() / 1000, self._node_clock.elapsed() / 1000)

    # -- moving --------------------------------------------------------------
    def _moved(self, stepped: bool) -> None:
        if stepped:
            self._node_clock.restart()
        self.refresh()
        self.stepped.emit(self.walk.current)

    def go_next(self) -> None:
        before = len(self.walk.steps)
        if self.walk.next():
            self._moved(len(self.walk.steps) != before)

    def go_previous(self) -> None:
        before = len(self.walk.steps)
        if self.walk.previous():
            self._moved(len(self.walk.steps) != before)

    def choose(self, number: int) -> None:
        if self.walk.choose(number):
            self._moved(True)

    def go_back(self) -> None:
        if self.walk.back():
            self._moved(True)

    def toggle_reveal_mode(self) -> None:
        """R: reveal branches one at a time, or all at once."""
        self.walk.step_reveal = not self.walk.step_reveal
        if not self.walk.step_reveal:
            self.walk.reveal_all()
        self._moved(False)

    def focus_notes(self) -> None:
        """N: show the console (one screen) and type into the walk notes."""
        if not self.showing_console():
            self.stack.setCurrentWidget(self.console)
        self.console.notes.setFocus()

    def _note_edited(self, text: str) -> None:
        self.walk.set_note(text)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Act on a presenter key; False for keys it does not use."""
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return False
        if key in NEXT_KEYS:
            self.go_next()
        elif key in PREVIOUS_KEYS:
            self.go_previous()
        elif key in DIGITS:
            self.choose(DIGITS[key])
        elif key == K.Key_Backspace:
            self.go_back()
        elif key == K.Key_Escape:
            self.leave()
        elif key == K.Key_T:
            self.toggle_console()
        elif key == K.Key_N:
            self.focus_notes()
        elif key == K.Key_R:
            self.toggle_reveal_mode()
        elif key == K.Key_A:
            self.walk.reveal_all()
            self._moved(False)
        else:
            return False
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress:
            if watched is self.console.notes:
                if event.key() == K.Key_Escape:  # Esc leaves the notes, not the walk
                    self.setFocus()
                    return True
                return False
            if watched is self.audience_window:
                return self.handle_key(event)
        return super().eventFilter(watched, event)

    # -- leaving ---------------------------------------------------------------
    def leave(self) -> None:
        """Esc: close the windows and report the walk (once)."""
        if self._done:
            return
        self._done = True
        self._ticker.stop()
        self._disconnect()
        entry = self.walk.to_entry() if self.walk.moved() else None
        node = self.walk.current
        if self.audience_window is not None:
            self.audience_window.close()
        self.close()
        self.finished.emit(entry, node)

    def _disconnect(self) -> None:
        for signal, slot in ((self.document.changed, self._plan_changed),
                             (self.document.planReplaced, self._plan_replaced)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self._done:
            self.leave()
        super().closeEvent(event)

    def _plan_changed(self, _change) -> None:
        """An edit elsewhere (undo in the editor): keep walking on the new numbers."""
        plan = self.document.plan
        self.walk.invalidate()
        if any(node_id not in plan.nodes for node_id in self.walk.path):
            kept = [node_id for node_id in self.walk.path if node_id in plan.nodes]
            self.walk.path = kept or [plan.track(self.walk.track_id).root]
            self.walk.reveal_all()
        self.refresh()

    def _plan_replaced(self) -> None:
        """Another plan was opened: this walk no longer applies; leave without a log."""
        self._done = True
        self._ticker.stop()
        self._disconnect()
        if self.audience_window is not None:
            self.audience_window.close()
        self.close()
