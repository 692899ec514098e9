"""Which part of the tree the canvas shows: the fit rectangle and the depth rule.

A big tidy tree is far taller (breadth) than it is deep: 10,000 nodes make
about 6,000 leaves stacked on top of each other but only a dozen levels.
Fitted at one aspect ratio it is a thin, unreadable strip. So the canvas
scales its two axes separately, under one rule:

    the depth axis is never zoomed out further than a cap: the whole depth,
    or less when "Fit" found the levels too narrow to read.

Along depth the view is at the scale of across, or zoomed out up to
``STRETCH`` times further (a small tree fills the view), except where that
would show more than the cap: then the cap is shown and only the breadth
keeps zooming out. "Fit" therefore fills the view: the levels side
by side across it (all of them, or the first ones at a readable width,
``MIN_LEVEL_PX``), all the breadth down it. Zooming in first spreads the
breadth (more labels fit) until the natural aspect is reached, then zooms
both axes as usual; zooming out widens the cap up to the whole depth. Small
trees fill the view: their breadth is spread over it, the depth axis up to
``STRETCH`` times as zoomed out as the breadth axis.

Pure arithmetic on layout bounds and view sizes (no Qt), in view units.
"""
from __future__ import annotations

from planning.engine.layout import TreeLayout

#: Room before the root (its label sits left of it, in "lr") and after the
#: deepest nodes (leaf labels run past them), in level distances.
ROOT_ROOM = {"lr": 0.9, "tb": 0.6}
LEAF_ROOM = {"lr": 0.9, "tb": 0.6}
#: Room beside the outermost nodes across the levels, in sibling distances.
SIDE_ROOM = 1.0
#: Narrowest a level is drawn by "Fit": room for a label on each edge.
MIN_LEVEL_PX = 120.0
#: The depth axis may be zoomed out this many times further than the breadth
#: axis (view units per pixel). At aspect 1 a small tree (a dozen leaves on six
#: levels) filled a third of the canvas's height; stretched up to this much,
#: "Fit" spreads it down the canvas, siblings further apart and easier to read.
STRETCH = 2.5


def depth_span(layout: TreeLayout, orientation: str, level: float) -> tuple[float, float]:
    """(start, end) of the depth axis that shows every level with its labels."""
    xmin, ymin, xmax, ymax = layout.bounds()
    low, high = (xmin, xmax) if orientation == "lr" else (ymin, ymax)
    return low - ROOT_ROOM[orientation] * level, high + LEAF_ROOM[orientation] * level


def fit_rect(layout: TreeLayout, orientation: str, sibling: float, level: float,
             view_width: float, view_height: float, whole: bool = False) -> tuple[float, float, float, float]:
    """``(x, y, width, height)`` of the view that shows the tree.

    The depth axis shows :func:`depth_span`, or (unless ``whole``) only its
    start (the root side) when the levels would be narrower than ``MIN_LEVEL_PX``; the
    breadth axis the whole breadth, or more when the tree is so shallow that
    even stretched (``STRETCH``) the depth would not fit (then the tree sits in the middle).
    """
    start, end = depth_span(layout, orientation, level)
    along_px = view_width if orientation == "lr" else view_height
    if not whole:
        end = min(end, start + along_px / MIN_LEVEL_PX * level)
    xmin, ymin, xmax, ymax = layout.bounds()
    across_low, across_high = (ymin, ymax) if orientation == "lr" else (xmin, xmax)
    across_low -= SIDE_ROOM * sibling
    across_high += SIDE_ROOM * sibling
    # view pixels along depth per pixel across
    ratio = (view_width / view_height) if orientation == "lr" else (view_height / view_width)
    across = max(across_high - across_low, (end - start) / max(ratio * STRETCH, 1e-9))
    middle = (across_low + across_high) / 2
    if orientation == "lr":
        return start, middle - across / 2, end - start, across
    return middle - across / 2, start, across, end - start


def held_depth_range(
    view: tuple[float, float, float, float],
    span: tuple[float, float],
    cap: float,
    orientation: str,
    view_width: float,
    view_height: float,
) -> tuple[float, float] | None:
    """The depth range the rule asks for, or None when ``view`` already obeys it.

    Parameters
    ----------
    view : (x, y, width, height)
        The visible rectangle in view units.
    span : (start, end)
        :func:`depth_span` of the tree.
    cap : float
        Most depth shown (view units), at most the span's length.
    orientation : {"lr", "tb"}
    view_width, view_height : float
        Size of the view in pixels.
    """
    x, y, width, height = view
    if view_width <= 0 or view_height <= 0 or cap <= 0:
        return None
    if orientation == "lr":
        along, across, centre, ratio = width, height, x + width / 2, view_width / view_height
    else:
        along, across, centre, ratio = height, width, y + height / 2, view_height / view_width
    full = span[1] - span[0]
    # Any depth between aspect 1 and STRETCH (within the cap) obeys the rule:
    # "Fit" may have stretched a small tree, and zooming keeps that stretch.
    low, high = min(across * ratio, cap), min(across * ratio * STRETCH, cap)
    if low * (1 - 1e-6) <= along <= high * (1 + 1e-6):
        return None
    want = low if along < low else high
    if want >= full * (1 - 1e-9):
        centre = (span[0] + span[1]) / 2  # every level shows: centre them
    elif want >= cap * (1 - 1e-9):
        # as much depth as the cap allows: no empty space before the root or after the leaves
        centre = min(max(centre, span[0] + want / 2), span[1] - want / 2)
    return centre - want / 2, centre + want / 2


def widened_cap(cap: float, along: float, full: float) -> float:
    """The cap after the user zoomed out to ``along`` units of depth (never past ``full``)."""
    return min(full, along) if along > cap * (1 + 1e-6) else cap
