"""Side panel of the presenter: the tracks that read the walked one (linked tracks).

Walking track T to a node makes T's p_success, p_failure, ev and reach
return their values given that node (DESIGN "Linked tracks"), so the tracks
that read T change with the walk. The panel shows each of them with its EV
now, its EV before the walk, and its failure readiness: the figures of
``branchwise evaluate --given NODE``. Hidden when no track reads T.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from planning.sharing.slide import format_value
from widgets import palette
from widgets.i18n import fill, translate


def row_text(row: dict, unit: str) -> str:
    """Three lines for one reading track (plain text)."""
    if row.get("ev") is None:
        return fill(translate("LinkedTracksPanel", "%1\ncannot be evaluated from here"), row["title"])
    ev = format_value(row["ev"], unit)
    before = row.get("base_ev")
    if before is not None and format_value(before, unit) != ev:
        template = translate("LinkedTracksPanel", "%1\nEV %2 (was %3)\nfailure readiness %4")
        return fill(template, row["title"], ev, format_value(before, unit), f"{row['failure_readiness']:.0%}")
    template = translate("LinkedTracksPanel", "%1\nEV %2\nfailure readiness %3")
    return fill(template, row["title"], ev, f"{row['failure_readiness']:.0%}")


class LinkedTracksPanel(QFrame):
    """The tracks that read the walked track, updated at every step."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("linked_tracks_panel")
        self.setAccessibleName(self.tr("Tracks that read this one"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QFrame#linked_tracks_panel {{ background: {palette.BACKGROUND}; "
                           f"border-left: 1px solid {palette.GRID}; }}")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumWidth(220)
        self.setMaximumWidth(300)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(14, 18, 14, 18)
        self._layout.setSpacing(12)
        self.title = QLabel(self.tr("Tracks that read this one"), self)
        self.title.setObjectName("linked_tracks_title")
        self.title.setWordWrap(True)
        self.title.setStyleSheet(f"color: {palette.TEXT_MUTED}; font-weight: bold; font-size: 13pt;")
        self._layout.addWidget(self.title)
        self.rows: dict[str, QLabel] = {}
        self._layout.addStretch(1)
        self.hide()

    def set_rows(self, rows: list[dict], unit: str = "") -> None:
        """Show ``rows`` (planning.sharing.walk.Walk.ripple); hide the panel when empty.

        Labels are kept per track and updated in place, so a step repaints
        the figures without building widgets.
        """
        wanted = {row["track"] for row in rows}
        for track_id in [t for t in self.rows if t not in wanted]:
            label = self.rows.pop(track_id)
            label.hide()
            self._layout.removeWidget(label)
            label.deleteLater()
        for position, row in enumerate(rows, start=1):
            label = self.rows.get(row["track"])
            if label is None:
                label = QLabel(self)
                label.setObjectName(f"linked_track_{row['track']}")
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setWordWrap(True)
                self._layout.insertWidget(position, label)
                self.rows[row["track"]] = label
            text = row_text(row, unit)
            label.setText(text)
            label.setAccessibleName(text.replace("\n", ", "))
            moved = row.get("ev") is not None and row.get("base_ev") is not None \
                and format_value(row["ev"], unit) != format_value(row["base_ev"], unit)
            colour = palette.TEXT if not moved else (
                palette.SUCCESS_TEXT if row["ev"] > row["base_ev"] else palette.FAILURE_TEXT)
            label.setStyleSheet(f"color: {colour}; font-size: 15pt;")
        self.setVisible(bool(rows))
