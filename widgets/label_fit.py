"""Free room for labels: each label gets the width it can take without covering anything.

A :class:`FreeSpace` holds what is already drawn (node markers, edges,
labels already placed) as boxes; :meth:`FreeSpace.room` says how wide a
label starting at ``x`` in a horizontal band may grow before it meets one.
The caller shortens the text to that width (or hides it when too little is
left) and adds the box it used, so later labels keep clear of it.

Boxes are bucketed by horizontal stripes of ``stripe`` pixels, so a query
only looks at what lies in the stripes of its band: a picture of ten
thousand nodes fits its labels in well under a second. Pure Python, no Qt.
"""
from __future__ import annotations

import math
from collections import defaultdict

Box = tuple[float, float, float, float]  # left, top, right, bottom


def boxes_overlap(a: Box, b: Box, slack: float = 0.0) -> bool:
    """True when boxes ``a`` and ``b`` share more than ``slack`` pixels each way."""
    return (min(a[2], b[2]) - max(a[0], b[0]) > slack) and (min(a[3], b[3]) - max(a[1], b[1]) > slack)


class FreeSpace:
    """Boxes already taken in a picture, indexed by horizontal stripes."""

    def __init__(self, stripe: float = 16.0):
        self.stripe = stripe
        self._rows: dict[int, list[Box]] = defaultdict(list)

    def _span(self, top: float, bottom: float) -> range:
        return range(math.floor(top / self.stripe), math.floor(bottom / self.stripe) + 1)

    def add(self, box: Box) -> None:
        """Mark ``box`` as taken."""
        for row in self._span(box[1], box[3]):
            self._rows[row].append(box)

    def add_segment(self, x1: float, y1: float, x2: float, y2: float, pad: float = 1.0) -> None:
        """Mark a line as taken, as a few boxes that follow it (a diagonal is not one big box)."""
        steps = max(1, math.ceil(abs(y2 - y1) / (self.stripe / 2)))
        for k in range(steps):
            ax, ay = x1 + (x2 - x1) * k / steps, y1 + (y2 - y1) * k / steps
            bx, by = x1 + (x2 - x1) * (k + 1) / steps, y1 + (y2 - y1) * (k + 1) / steps
            self.add((min(ax, bx) - pad, min(ay, by) - pad, max(ax, bx) + pad, max(ay, by) + pad))

    def room(self, x: float, top: float, bottom: float, limit: float, gap: float = 3.0) -> float:
        """Width free from ``x`` rightwards in the band ``top``..``bottom``, at most ``limit``.

        0 when something already covers ``x`` in that band.
        """
        free = limit
        seen: set[int] = set()
        for row in self._span(top, bottom):
            for box in self._rows.get(row, ()):
                if id(box) in seen:
                    continue
                seen.add(id(box))
                if box[3] <= top or box[1] >= bottom or box[2] <= x:
                    continue
                if box[0] <= x:
                    return 0.0
                free = min(free, box[0] - x - gap)
        return max(0.0, free)

    def is_free(self, box: Box) -> bool:
        """True when nothing taken overlaps ``box``."""
        seen: set[int] = set()
        for row in self._span(box[1], box[3]):
            for other in self._rows.get(row, ()):
                if id(other) not in seen:
                    seen.add(id(other))
                    if boxes_overlap(box, other):
                        return False
        return True


def overlapping_pairs(boxes: list[Box], slack: float = 0.5) -> list[tuple[int, int]]:
    """Index pairs of boxes that overlap by more than ``slack`` px (for tests and checks)."""
    order = sorted(range(len(boxes)), key=lambda k: boxes[k][0])
    pairs = []
    active: list[int] = []
    for k in order:
        active = [j for j in active if boxes[j][2] > boxes[k][0] + slack]
        pairs.extend((j, k) for j in active if boxes_overlap(boxes[j], boxes[k], slack))
        active.append(k)
    return pairs


__all__ = ["Box", "FreeSpace", "boxes_overlap", "overlapping_pairs"]
