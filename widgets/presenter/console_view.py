"""The presenter's console: what the room sees, what comes next, notes and the clock.

Left: a live preview of the audience view and what "next" will do. Right:
the elapsed time (whole walk and this node), the node's speaker notes from
the plan, a box for notes typed during the walk (kept in the walk log), the
numbered choices with the keys that take them, and the key help.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget,
)

from planning.sharing.slide import Slide
from widgets import palette
from widgets.presenter.audience_view import AudienceView, percent
from widgets.i18n import fill, translate

KEY_HELP = ("→ ↓ PgDn Space: reveal / step in   ← ↑ PgUp: hide / back   1–9: take branch   "
            "Backspace: back   T: audience/console   N: notes   R: reveal mode   Ctrl+E: export log   "
            "Esc: leave")


def clock(seconds: float) -> str:
    """12:05 or 1:02:03."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _label(text: str, name: str, size: float = 1.0, bold: bool = False, color: str = "TEXT") -> QLabel:
    """A wrapping label; ``size`` is relative to the console's base font (see ``resizeEvent``).

    ``color`` names a palette entry ("TEXT", "TEXT_MUTED"): the label takes
    that colour of the current scheme, again when the scheme changes.
    """
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setProperty("relative_size", size)
    label.setProperty("bold", bold)
    label.setProperty("palette_colour", color)
    label.setStyleSheet(f"color: {getattr(palette, color)};")
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return label


class ConsoleView(QWidget):
    """The presenter's side: preview, next up, timers, speaker notes and walk notes."""

    #: the walk note of the current step was edited (its full text)
    notesEdited = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("console_view")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._frames: list[QFrame] = []
        outer = QHBoxLayout(self)
        outer.setContentsMargins(18, 18, 18, 18)
        outer.setSpacing(20)

        left = QVBoxLayout()
        left.addWidget(_label("The room sees", "console_now_title", 0.95, True, "TEXT_MUTED"))
        self.preview = AudienceView(self)
        self.preview.setObjectName("console_preview")
        self.preview.setMinimumSize(480, 270)
        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.Box)
        self._frames.append(frame)
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(1, 1, 1, 1)
        frame_layout.addWidget(self.preview)
        left.addWidget(frame, 5)
        left.addWidget(_label("Next", "console_next_title", 0.95, True, "TEXT_MUTED"))
        self.next_label = _label("", "console_next", 1.5, True)
        left.addWidget(self.next_label)
        self.choices = _label("", "console_choices", 1.15)
        left.addWidget(self.choices)
        left.addStretch(1)
        self.keys = _label(KEY_HELP, "console_keys", 0.9, False, "TEXT_MUTED")
        left.addWidget(self.keys)
        outer.addLayout(left, 3)

        right = QVBoxLayout()
        self.timer_label = _label("0:00", "console_timer", 3.2, True)
        right.addWidget(self.timer_label)
        self.node_timer = _label("0:00 on this node", "console_node_timer", 1.1, False, "TEXT_MUTED")
        right.addWidget(self.node_timer)
        right.addSpacing(10)
        right.addWidget(_label("Speaker notes", "console_speaker_title", 0.95, True, "TEXT_MUTED"))
        self.speaker_notes = _label("", "console_speaker_notes", 1.2)
        right.addWidget(self.speaker_notes)
        right.addSpacing(10)
        right.addWidget(_label("Walk notes (N) — kept in the walk log", "console_notes_title", 0.95, True,
                               "TEXT_MUTED"))
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("walk_notes")
        self.notes.setAccessibleName(self.tr("Walk notes"))
        self.notes.setAccessibleDescription(self.tr("Kept in the walk log with the step they were written at"))
        self.notes.setPlaceholderText(translate("ConsoleView", "Questions, answers, decisions taken in the room…"))
        self.notes.setProperty("relative_size", 1.2)
        self.notes.textChanged.connect(lambda: self.notesEdited.emit(self.notes.toPlainText()))
        right.addWidget(self.notes, 1)
        outer.addLayout(right, 2)
        self.apply_theme()
        palette.on_change(self, self.apply_theme)

    def apply_theme(self) -> None:
        """Page, frame and label colours of the current scheme (widgets.palette)."""
        self.setStyleSheet(f"QWidget#console_view {{ background: {palette.BACKGROUND}; }}")
        for frame in self._frames:
            frame.setStyleSheet(f"QFrame {{ border: 1px solid {palette.GRID}; }}")
        # The box a presenter types into is a control: its border is a graphic that
        # must stand out 3:1 from the page (the style's own frame is near-invisible when dark).
        self.notes.setStyleSheet(
            f"QPlainTextEdit#walk_notes {{ border: 1px solid {palette.BORDER}; border-radius: 3px;"
            f" background: {palette.BACKGROUND}; color: {palette.TEXT}; }}"
            f" QPlainTextEdit#walk_notes:focus {{ border: 2px solid {palette.SELECTION}; }}")
        for label in self.findChildren(QLabel):
            role = label.property("palette_colour")
            if role:
                label.setStyleSheet(f"color: {getattr(palette, role)};")
        self.preview.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Fonts follow the window: a base of 1/56 of its height (19 px at 1080)."""
        super().resizeEvent(event)
        base = max(11.0, min(self.height() / 56, self.width() / 90))
        for widget in self.findChildren(QWidget):
            size = widget.property("relative_size")
            if size is None:
                continue
            f = QFont(widget.font())
            f.setPixelSize(max(10, int(base * float(size))))
            f.setBold(bool(widget.property("bold")))
            widget.setFont(f)

    def show_slide(self, slide: Slide, next_text: str, note: str, speaker_notes: str) -> None:
        """Show the current node: preview, what "next" does, the numbered choices, notes."""
        self.preview.set_slide(slide)
        self.next_label.setText(next_text)
        rows = []
        for card in slide.cards:
            p = f"{percent(card.probability)}  " if card.probability is not None else ""
            mark = "  ★" if card.best else ""
            hidden = "" if card.revealed else "  " + translate("ConsoleView", "(hidden)")
            rows.append(f"{card.number}   {p}{card.label}{mark}{hidden}")
        self.choices.setText("\n".join(rows) if rows else translate("ConsoleView", "End of this path: Backspace goes back."))
        self.speaker_notes.setText(speaker_notes or "—")
        if self.notes.toPlainText() != note:
            self.notes.blockSignals(True)
            self.notes.setPlainText(note)
            self.notes.blockSignals(False)

    def show_time(self, total_seconds: float, node_seconds: float) -> None:
        """Update the clocks (the presenter calls this every second)."""
        self.timer_label.setText(clock(total_seconds))
        self.node_timer.setText(fill(translate("ConsoleView", "%1 on this node"), clock(node_seconds)))
