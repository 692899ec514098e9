"""Text that never clips: wrapped, elided lines laid out before they are drawn.

Every piece of text the presenter draws goes through :class:`TextBox`, which
fits it to a width and a number of lines (the last line ends with "…" when
the text is longer) so that nothing is cut mid-glyph at any window size.
Each drawn line is recorded in ``Canvas.drawn`` so tests can check that all
text lies inside the area it was given.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QTextLayout, QTextOption


def font(pixel_size: float, bold: bool = False, minimum: int = 11) -> QFont:
    """A UI font at a pixel size (never below ``minimum``)."""
    f = QFont()
    f.setPixelSize(max(minimum, int(round(pixel_size))))
    f.setBold(bold)
    return f


def fit_lines(text: str, f: QFont, width: float, max_lines: int) -> list[str]:
    """``text`` wrapped to ``width``: at most ``max_lines`` lines, the last elided with "…"."""
    text = " ".join(str(text).split())
    if not text or width <= 4 or max_lines <= 0:
        return []
    metrics = QFontMetricsF(f)
    layout = QTextLayout(text, f)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    starts: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append((line.textStart(), line.textLength()))
        if len(starts) > max_lines:
            break
    layout.endLayout()
    lines = [text[s:s + n].strip() for s, n in starts[:max_lines]]
    if len(starts) > max_lines:
        rest = text[starts[max_lines - 1][0]:]
        lines[-1] = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


def line_height(f: QFont) -> float:
    return QFontMetricsF(f).lineSpacing()


@dataclass
class Drawn:
    """One line of text as drawn: for tests that check nothing spills out."""

    text: str
    rect: QRectF
    area: QRectF


class Canvas:
    """A painter plus the record of every text line drawn with it."""

    def __init__(self, painter: QPainter):
        self.painter = painter
        self.drawn: list[Drawn] = []

    def text(self, lines: list[str], f: QFont, color: str | QColor, x: float, y: float,
             width: float, area: QRectF | None = None,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> float:
        """Draw prepared lines from (x, y) downwards; returns the height used."""
        p = self.painter
        p.setFont(f)
        p.setPen(QColor(color))
        metrics = QFontMetricsF(f)
        step = metrics.lineSpacing()
        for i, line in enumerate(lines):
            advance = metrics.horizontalAdvance(line)
            left = x
            if align == Qt.AlignmentFlag.AlignRight:
                left = x + width - advance
            elif align == Qt.AlignmentFlag.AlignHCenter:
                left = x + (width - advance) / 2
            top = y + i * step
            p.drawText(QPointF(left, top + metrics.ascent()), line)
            rect = QRectF(left, top, advance, metrics.height())
            self.drawn.append(Drawn(line, rect, area or QRectF(x, y, width, len(lines) * step)))
        return len(lines) * step

    def wrapped(self, text: str, f: QFont, color: str | QColor, x: float, y: float,
                width: float, max_lines: int, area: QRectF | None = None,
                align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> float:
        """Fit and draw ``text``; returns the height used."""
        return self.text(fit_lines(text, f, width, max_lines), f, color, x, y, width, area, align)
