"""The audience view: the current node, large enough to read from the back of a room.

Painted with QPainter from a :class:`planning.sharing.slide.Slide`. Sizes scale with
the window (a unit ``u`` is one pixel at 1920x1080); every text goes through
:mod:`widgets.presenter._paint` so it wraps and ends in "…" rather than
being cut. From top to bottom: breadcrumbs, the node (kind glyph and label,
its path and probability), the figures from here (EV, readiness, exposure),
then one card per branch or option in path colours.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from planning.sharing.slide import BranchCard, Slide, format_value
from widgets import palette
from widgets.i18n import QT_TRANSLATE_NOOP, fill, translate
from widgets.presenter._paint import Canvas, fit_lines, font, line_height

# Page, card and badge colours are widgets.palette's PAGE, CARD, HIDDEN_CARD,
# AMBER_TEXT and ON_BADGE_COLORS, read when painting: they follow the scheme.
BADGE_TEXT = {"none": QT_TRANSLATE_NOOP("AudienceView", "NO RESPONSE"), "late": QT_TRANSLATE_NOOP("AudienceView", "LATE"),
              "partial": QT_TRANSLATE_NOOP("AudienceView", "PARTIAL"), "ready": QT_TRANSLATE_NOOP("AudienceView", "READY")}
#: The tile of a branch's own readiness (only success and failure branches have one).
READY_FOR = {"success": QT_TRANSLATE_NOOP("AudienceView", "Ready for this success"),
             "failure": QT_TRANSLATE_NOOP("AudienceView", "Ready for this failure")}
PATH_WORD = {"success": QT_TRANSLATE_NOOP("AudienceView", "Success path"),
             "failure": QT_TRANSLATE_NOOP("AudienceView", "Failure path"),
             "neutral": QT_TRANSLATE_NOOP("AudienceView", "Neutral path")}


def readiness_color(value: float | None) -> str:
    """Green when well prepared, amber when partly, red when not."""
    if value is None or math.isnan(value):
        return palette.TEXT_MUTED
    if value >= 0.75:
        return palette.BADGE_READY
    return palette.AMBER_TEXT if value >= 0.4 else palette.BADGE_LATE


def percent(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    text = f"{100 * value:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def days(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g} day" + ("" if value == 1 else "s")


def slide_words(slide: Slide | None) -> str:
    """The slide in one line of words: node, kind, path, probability, EV, then its branches."""
    if slide is None:
        return ""
    parts = [slide.label, slide.kind]
    if slide.path:
        parts.append(translate("AudienceView", "%1 path").replace("%1", slide.path))
    if slide.probability is not None:
        parts.append(translate("AudienceView", "probability %1").replace("%1", percent(slide.probability)))
    if slide.ev is not None:
        parts.append(translate("AudienceView", "EV %1").replace("%1", format_value(slide.ev, slide.value_unit)))
    if slide.second is not None:  # two criteria: the second one too, with its unit
        parts.append(f"{slide.second[0]} {format_value(slide.second[1], slide.second[2])}")
    shown = [f"{c.number}: {c.label}" for c in slide.cards if c.revealed]
    if shown:
        parts.append(translate("AudienceView", "branches: %1").replace("%1", "; ".join(shown)))
    return ", ".join(p for p in parts if p)


def draw_glyph(painter: QPainter, kind: str, rect: QRectF) -> None:
    """The node kind's shape: square (decision), circle (chance), triangle (terminal)."""
    painter.setPen(QPen(QColor(palette.NODE_OUTLINE), max(1.5, rect.width() / 18)))
    painter.setBrush(QColor(palette.KIND_COLORS.get(kind, palette.TERMINAL)))
    r = rect.adjusted(rect.width() * 0.08, rect.height() * 0.08, -rect.width() * 0.08, -rect.height() * 0.08)
    if kind == "decision":
        painter.drawRect(r)
    elif kind == "chance":
        painter.drawEllipse(r)
    else:
        painter.drawPolygon(QPolygonF([QPointF(r.right(), r.center().y()), QPointF(r.left(), r.top()),
                                       QPointF(r.left(), r.bottom())]))


def grid_shape(n: int, width: float, height: float, target: float = 0.85) -> tuple[int, int]:
    """(columns, rows) for ``n`` cards whose width/height is closest to ``target``."""
    best, best_score = (max(1, n), 1), math.inf
    for cols in range(1, max(1, n) + 1):
        rows = math.ceil(n / cols)
        aspect = (width / cols) / max(1.0, height / rows)
        empty = cols * rows - n
        score = abs(math.log(aspect / target)) + 0.35 * empty
        if score < best_score:
            best, best_score = (cols, rows), score
    return best


class AudienceView(QWidget):
    """What the room sees: the slide of the walk's current node."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("audience_view")
        self.setAccessibleName(translate("AudienceView", "Audience view"))
        self.setMinimumSize(320, 180)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._slide: Slide | None = None
        #: every line of text drawn in the last paint, with the area it had (for tests)
        self.drawn = []
        #: node id -> rectangle of its card in the last paint
        self.card_rects: dict[str, QRectF] = {}
        palette.on_change(self, self.update)  # painted from the palette: light or dark

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(1280, 720)

    @property
    def slide(self) -> Slide | None:
        return self._slide

    def set_slide(self, slide: Slide | None) -> None:
        """Show ``slide`` (None: an empty page)."""
        self._slide = slide
        self.setAccessibleDescription(slide_words(slide))  # what the room sees, for a screen reader
        self.update()

    def render_image(self, width: int, height: int) -> QImage:
        """The view drawn at exactly ``width`` x ``height`` pixels, off screen."""
        self.resize(width, height)
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor(palette.PAGE))
        painter = QPainter(image)
        try:
            self.paint(painter, QRectF(0, 0, width, height))
        finally:
            painter.end()
        return image

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            self.paint(painter, QRectF(self.rect()))
        finally:
            painter.end()

    # -- the page ------------------------------------------------------------
    def paint(self, painter: QPainter, page: QRectF) -> None:
        """Draw the whole slide into ``page``."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(page, QColor(palette.PAGE))
        canvas = Canvas(painter)
        self.card_rects = {}
        slide = self._slide
        u = min(page.width() / 1920, page.height() / 1080)
        margin = 36 * u
        inner = page.adjusted(margin, margin * 0.8, -margin, -margin * 0.8)
        if slide is None:
            canvas.wrapped("No plan to present", font(40 * u, True), palette.TEXT_MUTED,
                           inner.left(), inner.center().y(), inner.width(), 1,
                           align=Qt.AlignmentFlag.AlignHCenter)
            self.drawn = canvas.drawn
            return
        y = inner.top()
        y += self._breadcrumbs(canvas, slide, inner, y, u) + 14 * u
        y += self._title(canvas, slide, inner, y, u) + 18 * u
        y += self._figures(canvas, slide, inner, y, u) + 16 * u
        painter.setPen(QPen(QColor(palette.GRID), max(1.0, 2 * u)))
        painter.drawLine(QPointF(inner.left(), y), QPointF(inner.right(), y))
        y += 22 * u
        self._body(canvas, slide, QRectF(inner.left(), y, inner.width(), inner.bottom() - y), u)
        self.drawn = canvas.drawn

    def _breadcrumbs(self, canvas: Canvas, slide: Slide, area: QRectF, y: float, u: float) -> float:
        f_plain, f_bold = font(24 * u), font(24 * u, True)
        plain, bold = QFontMetricsF(f_plain), QFontMetricsF(f_bold)
        sep = "  ›  "
        labels = [label for _, label in slide.breadcrumbs]
        head = slide.track_title
        # Keep the last crumbs that fit after the track title; "…" marks the gap.
        # Measured from the end, so a 100,000-deep path costs one line's worth.
        sep_w, gap_w = plain.horizontalAdvance(sep), plain.horizontalAdvance("…" + sep)
        budget = area.width() - plain.horizontalAdvance(head) - sep_w
        shown: list[str] = []
        used = 0.0
        for i in range(len(labels) - 1, -1, -1):
            w = (bold if not shown else plain).horizontalAdvance(labels[i]) + (sep_w if shown else 0)
            reserve = gap_w if i > 0 else 0.0
            if shown and used + w + reserve > budget:
                break
            shown.append(labels[i])
            used += w
        shown.reverse()
        parts = [head] + (["…"] if len(shown) < len(labels) else []) + shown
        x = area.left()
        height = line_height(f_bold)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            f = f_bold if last else f_plain
            room = area.right() - x
            text = (bold if last else plain).elidedText(part, Qt.TextElideMode.ElideRight, room)
            canvas.text([text], f, palette.TEXT if last else palette.TEXT_MUTED, x, y, room, area)
            x += (bold if last else plain).horizontalAdvance(text)
            if not last:
                canvas.text([sep.strip()], f_plain, palette.TEXT_MUTED, x + plain.horizontalAdvance("  "), y,
                            plain.horizontalAdvance("›"), area)
                x += plain.horizontalAdvance(sep)
        return height

    def _title(self, canvas: Canvas, slide: Slide, area: QRectF, y: float, u: float) -> float:
        glyph = 52 * u
        f_title = font(58 * u, True)
        draw_glyph(canvas.painter, slide.kind, QRectF(area.left(), y + 8 * u, glyph, glyph))
        x = area.left() + glyph + 24 * u
        width = area.right() - x
        used = canvas.wrapped(slide.label, f_title, palette.TEXT, x, y, width, 2, area)
        used = max(used, glyph + 8 * u)
        facts = []
        if slide.probability is not None:
            facts.append(f"{percent(slide.probability)} likely")
        if slide.self_card is not None and slide.self_card.warning_days is not None:
            facts.append(f"warning {days(slide.self_card.warning_days)}")
        kind_word = {"decision": "Our decision", "chance": "Not in our hands", "terminal": "End state"}
        facts.insert(0, kind_word.get(slide.kind, slide.kind))
        if slide.path in ("success", "failure") or slide.probability is not None:
            facts.insert(1, translate("AudienceView", PATH_WORD.get(slide.path, slide.path)))
        f_sub = font(28 * u)
        color = palette.PATH_TEXT_COLORS.get(slide.path, palette.TEXT_MUTED)
        used += 4 * u + canvas.wrapped("  ·  ".join(facts), f_sub, color, x, y + used + 4 * u, width, 1, area)
        return used

    def _figures(self, canvas: Canvas, slide: Slide, area: QRectF, y: float, u: float) -> float:
        if slide.error:
            return canvas.wrapped(fill(translate("AudienceView", "Cannot evaluate from here: %1"), slide.error),
                                  font(30 * u, True),
                                  palette.BADGE_LATE, area.left(), y, area.width(), 2, area)
        tiles = [(translate("AudienceView", "Expected value from here"), format_value(slide.ev, slide.value_unit), palette.TEXT)]
        if slide.second is not None:  # two criteria: the second one beside the first
            name, value, unit = slide.second
            # the unit in the caption: the big figure stays short enough for its tile
            caption = (fill(translate("AudienceView", "%1 from here (%2)"), name, unit) if unit
                       else fill(translate("AudienceView", "%1 from here"), name))
            tiles.append((caption, format_value(value), palette.TEXT))
        if slide.branch_readiness is not None and slide.path in ("success", "failure"):
            # On a branch the room asks "are we ready for *this*?": its own readiness.
            tiles.append((translate("AudienceView", READY_FOR[slide.path]), percent(slide.branch_readiness),
                          readiness_color(slide.branch_readiness)))
        if slide.kind == "terminal":
            own = slide.self_card
            if own is not None and own.responses:
                in_time = sum(not r.late for r in own.responses)
                tiles.append((translate("AudienceView", "Responses in time"),
                              fill(translate("AudienceView", "%1 of %2"), in_time, len(own.responses)),
                              palette.TEXT if in_time == len(own.responses) else palette.BADGE_LATE))
            if own is not None and own.warning_days is not None:
                tiles.append((translate("AudienceView", "Warning time"), days(own.warning_days), palette.TEXT))
        else:
            tiles += [
                (translate("AudienceView", "Ready for failures ahead"), percent(slide.failure_readiness),
                 readiness_color(slide.failure_readiness)),
                (translate("AudienceView", "Risk ahead of a failure we are not ready for"), percent(slide.failure_exposure),
                 palette.BADGE_LATE if (slide.failure_exposure or 0) > 0.25 else palette.TEXT),
                (translate("AudienceView", "Chance of a failure path ahead"), percent(slide.p_failure), palette.TEXT),
            ]
        tiles = tiles[:4]
        width = area.width() / 4
        f_value, f_caption = font(50 * u, True), font(22 * u)
        used = 0.0
        for i, (caption, value, color) in enumerate(tiles):
            x = area.left() + i * width
            tile = QRectF(x, y, width - 24 * u, area.height())
            h = canvas.wrapped(value, f_value, color, x, y, tile.width(), 1, tile)
            h += canvas.wrapped(caption, f_caption, palette.TEXT_MUTED, x, y + h, tile.width(), 2, tile)
            used = max(used, h)
        if slide.kind == "decision" and slide.worth_knowing:
            # What the room could still find out before choosing (value of information).
            from planning.analyses.voi import amount

            unit = f" {slide.value_unit}" if slide.value_unit else ""
            if slide.second is not None:  # two criteria: value of information is of the combined value
                unit = fill(translate("AudienceView", " %1 of combined value"), slide.second[2] or slide.second[0])
            worth = "; ".join(fill(translate("AudienceView", "%1 (up to %2)"), label, f"{amount(value, 2)}{unit}")
                              for label, value in slide.worth_knowing)
            used += 10 * u + canvas.wrapped(fill(translate("AudienceView", "Worth knowing before we decide: %1"), worth),
                                            font(24 * u), palette.TEXT,
                                            area.left(), y + used + 10 * u, area.width(), 2, area)
        return used

    # -- the cards -----------------------------------------------------------
    def _layout(self, slide: Slide, area: QRectF, u: float) -> list[tuple[BranchCard, QRectF, str]]:
        """(card, rectangle, title) of every card on the page; title is set for the node's own card."""
        gap = 22 * u
        own = slide.self_card
        if slide.kind == "terminal" or not slide.cards:
            if own is None:
                return []
            width = area.width() if (own.responses or own.signposts) else min(area.width(), 900 * u)
            rect = QRectF(area.left() + (area.width() - width) / 2, area.top(), width, area.height())
            return [(own, rect, "Outcome" if slide.kind == "terminal" else "This branch")]
        placed = []
        if own is not None and (own.responses or own.signposts):
            side = QRectF(area.left(), area.top(), area.width() * 0.28, area.height())
            placed.append((own, side, "This branch"))
            area = area.adjusted(side.width() + gap, 0, 0, 0)
        cols, rows = grid_shape(len(slide.cards), area.width(), area.height())
        cw = (area.width() - gap * (cols - 1)) / cols
        ch = (area.height() - gap * (rows - 1)) / rows
        for i, card in enumerate(slide.cards):
            r, c = divmod(i, cols)
            placed.append((card, QRectF(area.left() + c * (cw + gap), area.top() + r * (ch + gap), cw, ch), ""))
        return placed

    def _card_font(self, placed: list[tuple[BranchCard, QRectF, str]], u: float) -> float:
        """The largest body size at which every card's content fits (all cards alike).

        Hidden cards are measured as if revealed, so the size does not jump
        while branches are revealed one by one.
        """
        scratch = QImage(4, 4, QImage.Format.Format_ARGB32)
        painter = QPainter(scratch)
        try:
            candidates = [34 * u * 0.92 ** k for k in range(12)]
            for size in candidates:
                if all(self._card(Canvas(painter), card, rect, u, size, title)
                       for card, rect, title in placed):
                    return size
        finally:
            painter.end()
        return candidates[-1]

    def _body(self, canvas: Canvas, slide: Slide, area: QRectF, u: float) -> None:
        placed = self._layout(slide, area, u)
        if not placed:
            canvas.wrapped("Nothing below this node yet", font(34 * u), palette.TEXT_MUTED,
                           area.left(), area.top() + 20 * u, area.width(), 1, area,
                           align=Qt.AlignmentFlag.AlignHCenter)
            return
        size = self._card_font(placed, u)
        for card, rect, title in placed:
            self.card_rects[card.node_id] = rect
            if card.revealed or title:
                self._card(canvas, card, rect, u, size, title)
            else:
                self._hidden_card(canvas, card, rect, u)

    def _hidden_card(self, canvas: Canvas, card: BranchCard, rect: QRectF, u: float) -> None:
        p = canvas.painter
        p.setPen(QPen(QColor(palette.GRID), max(1.0, 3 * u), Qt.PenStyle.DashLine))
        p.setBrush(QColor(palette.HIDDEN_CARD))
        p.drawRoundedRect(rect, 12 * u, 12 * u)
        f = font(min(rect.height() * 0.35, 120 * u), True)
        h = line_height(f)
        canvas.wrapped(str(card.number), f, palette.HIDDEN_NUMBER, rect.left(), rect.center().y() - h / 2,
                       rect.width(), 1, rect, align=Qt.AlignmentFlag.AlignHCenter)

    def _card(self, canvas: Canvas, card: BranchCard, rect: QRectF, u: float, body_px: float,
              title: str = "") -> bool:
        """One card: header band, label, EV and badge, signposts, responses, what follows.

        Returns False when something did not fit (it is then summed up as "+ N more").
        """
        p = canvas.painter
        body_px = max(12.0, min(body_px, rect.width() / 15))
        f_body, f_bold = font(body_px), font(body_px, True)
        f_label, f_head = font(body_px * 1.25, True), font(body_px * 1.1, True)
        f_small = font(body_px * 0.78, True)
        radius = 12 * u
        option = card.probability is None and not title
        header_color = palette.PATH_TEXT_COLORS.get(card.path, palette.NEUTRAL_TEXT)
        if option:
            header_color = palette.DECISION if card.best else palette.NEUTRAL_TEXT
        outline = QColor(palette.SELECTION) if card.next_target else QColor(palette.GRID)
        p.setPen(QPen(outline, max(1.0, (5 if card.next_target else 2) * u)))
        p.setBrush(QColor(palette.CARD))
        p.drawRoundedRect(rect, radius, radius)
        head_h = line_height(f_head) * 1.5
        band = QPainterPath()
        band.addRoundedRect(QRectF(rect.left(), rect.top(), rect.width(), head_h + radius), radius, radius)
        clip = QPainterPath()
        clip.addRect(QRectF(rect.left(), rect.top(), rect.width(), head_h))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(header_color))
        p.drawPath(band.intersected(clip))
        pad = max(8.0, body_px * 0.7)
        x, width = rect.left() + pad, rect.width() - 2 * pad
        ty = rect.top() + (head_h - line_height(f_head)) / 2
        right = percent(card.probability) if card.probability is not None else ("★ BEST" if card.best else "")
        right_w = QFontMetricsF(f_head).horizontalAdvance(right) + pad if right else 0
        left = title.upper() if title else str(card.number)
        if card.path in ("success", "failure") and not option:
            left += f"  ·  {card.path}"
        canvas.wrapped(left, f_head, palette.ON_BADGE, x, ty, width - right_w, 1, rect)
        if right:
            canvas.text([right], f_head, palette.ON_BADGE, x, ty, width, rect, align=Qt.AlignmentFlag.AlignRight)
        y = rect.top() + head_h + pad * 0.8
        bottom = rect.bottom() - pad * 0.6
        more_h = line_height(f_body)
        skipped = 0

        def fits(h: float) -> bool:
            return y + h <= bottom - more_h

        if not title:
            lines = fit_lines(card.label, f_label, width, 3)
            if fits(len(lines) * line_height(f_label)):
                y += canvas.text(lines, f_label, palette.TEXT, x, y, width, rect) + pad * 0.3
            else:
                skipped += 1
        two = self._slide is not None and self._slide.second is not None and card.ev2 is not None
        if fits(line_height(f_bold) * (3 if two else 1)):
            y += self._ev_line(canvas, card, option, f_bold, f_small, x, y, width, rect, pad)
        if card.p_failure and card.failure_readiness is not None and fits(line_height(f_body)):
            y += canvas.wrapped(fill(translate("AudienceView", "ready for failure ahead: %1"),
                                     percent(card.failure_readiness)), f_body,
                                readiness_color(card.failure_readiness), x, y, width, 1, rect)
        sections = []
        if card.signposts or card.warning_days is not None:
            warning = f"warning {days(card.warning_days)}" if card.warning_days is not None else ""
            rows = [(fit_lines(f"• {s}", f_body, width, 2), f_body, palette.TEXT) for s in card.signposts]
            sections.append(("SIGNPOSTS", warning, palette.TEXT_MUTED, rows))
        if card.responses:
            late = sum(r.late for r in card.responses)
            sections.append(("RESPONSES", f"{late} LATE" if late else "", palette.BADGE_LATE, card.responses))
        if card.outlook and not title:
            rows = [(fit_lines(f"{percent(q) + '  ' if q is not None else '→  '}{label}", f_body, width, 2),
                     f_body, palette.PATH_TEXT_COLORS.get(path, palette.TEXT)) for label, q, path in card.outlook]
            sections.append(("THEN", "", palette.TEXT_MUTED, rows))
        for name, right_text, right_color, rows in sections:
            y += pad * 0.6
            # A heading alone at the bottom of a card reads as an empty section: it is
            # drawn only when its first row fits under it.
            if name == "RESPONSES":
                first = self._response_lines(rows[0], f_body, f_bold, f_small, width)[2]
            else:
                first = len(rows[0][0]) * line_height(rows[0][1]) if rows else 0.0
            if not rows or not fits(line_height(f_small) * 1.1 + first):
                skipped += len(rows)
                continue
            y += self._section(canvas, name, right_text, f_small, x, y, width, rect, right_color)
            for row in rows:
                if name == "RESPONSES":
                    used = self._response(canvas, row, f_body, f_bold, f_small, x, y, width, rect, fits)
                else:
                    lines, f, color = row
                    used = canvas.text(lines, f, color, x, y, width, rect) \
                        if fits(len(lines) * line_height(f)) else 0.0
                skipped += used == 0
                y += used
        if skipped:
            canvas.wrapped(f"+ {skipped} more", f_body, palette.TEXT_MUTED, x, bottom - more_h, width, 1, rect)
        return skipped == 0

    def _ev_line(self, canvas: Canvas, card: BranchCard, option: bool, f_bold, f_small, x: float, y: float,
                 width: float, area: QRectF, pad: float) -> float:
        """"EV 12 points" and, for branches, the readiness badge as a pill on the right."""
        ev_text = f"EV {format_value(card.ev, self._slide.value_unit if self._slide else '')}"
        show_badge = not option or card.responses
        label = translate("AudienceView", BADGE_TEXT.get(card.badge, card.badge.upper()))
        pill_w = QFontMetricsF(f_small).horizontalAdvance(label) + pad if show_badge else 0
        pill_h = line_height(f_small) * 1.25
        canvas.wrapped(ev_text, f_bold, palette.TEXT, x, y, width - pill_w - pad, 1, area)
        second = self._slide.second if self._slide is not None else None
        lines = []
        if second is not None and card.ev2 is not None:  # two criteria: the second under the first
            lines = fit_lines(f"{second[0]} {format_value(card.ev2, second[2])}", f_bold, width, 2)
            canvas.text(lines, f_bold, palette.TEXT, x, y + line_height(f_bold), width, area)
        if show_badge:
            pill = QRectF(x + width - pill_w, y + (line_height(f_bold) - pill_h) / 2, pill_w, pill_h)
            canvas.painter.setPen(Qt.PenStyle.NoPen)
            canvas.painter.setBrush(QColor(palette.BADGE_COLORS.get(card.badge, palette.BADGE_NONE)))
            canvas.painter.drawRoundedRect(pill, pill_h / 2, pill_h / 2)
            canvas.text([label], f_small, palette.ON_BADGE_COLORS.get(card.badge, palette.TEXT), pill.left(),
                        pill.top() + (pill_h - line_height(f_small)) / 2, pill.width(), pill,
                        align=Qt.AlignmentFlag.AlignHCenter)
        return line_height(f_bold) * (1 + len(lines))

    def _section(self, canvas: Canvas, name: str, right: str, f, x: float, y: float, width: float,
                 area: QRectF, right_color: str | None = None) -> float:
        right_color = right_color or palette.TEXT_MUTED
        right_w = QFontMetricsF(f).horizontalAdvance(right) if right else 0
        canvas.wrapped(name, f, palette.TEXT_MUTED, x, y, width - right_w - 8, 1, area)
        if right:
            canvas.text([right], f, right_color, x, y, width, area, align=Qt.AlignmentFlag.AlignRight)
        return line_height(f) * 1.1

    @staticmethod
    def _response_lines(response, f_body, f_bold, f_small, width: float) -> tuple[list[str], list[str], float]:
        """A response's title lines, its owner · readiness · lead line(s) and the height they need."""
        title = fit_lines(response.title, f_bold, width, 2)
        meta = [response.owner or "no owner", response.readiness_name]
        if response.lead_time_days is not None:
            meta.append(f"{response.lead_time_days:g} d lead")
        tag_w = QFontMetricsF(f_small).horizontalAdvance("LATE") + 20 if response.late else 0
        meta_lines = fit_lines(" · ".join(meta), f_body, width - tag_w, 2)
        return title, meta_lines, len(title) * line_height(f_bold) + len(meta_lines) * line_height(f_body) + 4

    def _response(self, canvas: Canvas, response, f_body, f_bold, f_small, x: float, y: float,
                  width: float, area: QRectF, fits) -> float:
        """Title, then owner · readiness · lead time, with a red LATE tag; 0 if it does not fit."""
        title, meta_lines, need = self._response_lines(response, f_body, f_bold, f_small, width)
        tag = "LATE" if response.late else ""
        tag_w = QFontMetricsF(f_small).horizontalAdvance(tag) + 12 if tag else 0
        if not fits(need):
            return 0.0
        used = canvas.text(title, f_bold, palette.TEXT, x, y, width, area)
        used += canvas.text(meta_lines, f_body, palette.TEXT_MUTED, x, y + used, width - tag_w, area)
        if tag:
            h = line_height(f_small) * 1.2
            pill = QRectF(x + width - tag_w, y + used - line_height(f_body) + (line_height(f_body) - h) / 2,
                          tag_w, h)
            canvas.painter.setPen(Qt.PenStyle.NoPen)
            canvas.painter.setBrush(QColor(palette.BADGE_LATE))
            canvas.painter.drawRoundedRect(pill, 4, 4)
            canvas.text([tag], f_small, palette.ON_BADGE, pill.left(), pill.top() + (h - line_height(f_small)) / 2,
                        pill.width(), pill, align=Qt.AlignmentFlag.AlignHCenter)
        return used + 6
