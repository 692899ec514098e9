"""The track tabs above the canvas: titles that stay readable.

Qt's tab bar elides a tab down to its first three letters ("Stage…",
"Region…") as soon as the tabs do not fit. Here a tab is never elided below
``MIN_CHARS`` characters of its title (a shorter title is shown whole);
when even that does not fit, scroll arrows appear at the end of the bar.
The full title is in each tab's tooltip.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QTabBar, QWidget

#: A tab shows at least this many characters of its title before "…".
MIN_CHARS = 24


class TrackTabBar(QTabBar):
    """A tab bar whose tabs shrink only to a readable width, then scroll."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("track_tabs")
        self.setExpanding(False)
        self.setUsesScrollButtons(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.setDocumentMode(True)

    def minimumTabSizeHint(self, index: int) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumTabSizeHint(index)
        full = self.tabSizeHint(index)
        text = self.tabText(index)
        shown = text if len(text) <= MIN_CHARS else text[:MIN_CHARS].rstrip() + "…"
        metrics = self.fontMetrics()
        # the tab's padding and icons, plus the text we want to keep (and room for Qt's own "…")
        wanted = full.width() - metrics.horizontalAdvance(text) + metrics.horizontalAdvance(shown) \
            + (metrics.horizontalAdvance("…") if shown != text else 0)
        return QSize(min(full.width(), max(hint.width(), wanted)), hint.height())


__all__ = ["MIN_CHARS", "TrackTabBar"]
