"""Level of detail for the tree canvas: what of a big tree is handed to Qt.

Qt strokes a whole path even where it is clipped, and an antialiased line
costs about ten times a plain one; pyqtgraph tests every scatter point on
each paint. So on a big tree the canvas gives Qt only

* the edges and nodes near the view (``cut``: the view and half a view
  around it, so that a pan shows no gap before the next, throttled, cut);
* one edge (or node) per pixel position: when zoomed out, thousands of
  edges land on the same pixels and drawing them all changes nothing
  (``one_per_pixel``);
* each line cut to that region: an edge between two far-apart nodes near
  the root can be tens of thousands of pixels long, and Qt strokes all of it;
* and it turns antialiasing off when many edges remain (they are a texture
  at that zoom, not lines one follows).

Pure numpy on position arrays in view units.
"""
from __future__ import annotations

import numpy as np

#: Above this many edges (nodes), only those near the view are drawn.
CULL_MIN = 5_000
#: Above this many edges (nodes) near the view, one per pixel position is drawn.
DECIMATE_MIN = 3_000
#: Above this many edges drawn, lines are not antialiased.
ANTIALIAS_MAX = 2_500


def cut_around(left: float, top: float, width: float, height: float) -> tuple[float, float, float, float]:
    """``(xmin, ymin, xmax, ymax)``: the view and half a view on each side."""
    return (left - width / 2, top - height / 2, left + 1.5 * width, top + 1.5 * height)


def edge_bounds(x4: np.ndarray, y4: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(xlow, xhigh, ylow, yhigh)`` of each edge (rows of 4 points, see ``edge_segments``)."""
    return x4.min(axis=1), x4.max(axis=1), y4.min(axis=1), y4.max(axis=1)


def edges_inside(x4: np.ndarray, y4: np.ndarray, cut: tuple[float, float, float, float],
                 bounds=None) -> np.ndarray:
    """Indices of the edges touching ``cut``; ``bounds`` is :func:`edge_bounds`, if known."""
    xmin, ymin, xmax, ymax = cut
    xlow, xhigh, ylow, yhigh = bounds if bounds is not None else edge_bounds(x4, y4)
    return np.flatnonzero((xhigh >= xmin) & (xlow <= xmax) & (yhigh >= ymin) & (ylow <= ymax))


def points_inside(x: np.ndarray, y: np.ndarray, cut: tuple[float, float, float, float]) -> np.ndarray:
    """Indices of the points inside ``cut``."""
    xmin, ymin, xmax, ymax = cut
    return np.flatnonzero((x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax))


def one_per_pixel(columns: list[np.ndarray], pixel: list[float]) -> np.ndarray:
    """Indices of the first row of each group of rows that fall on the same pixels.

    Parameters
    ----------
    columns : list of numpy.ndarray
        Coordinates (view units), one array per coordinate, equal lengths.
    pixel : list of float
        View units per pixel for each coordinate.

    Returns
    -------
    numpy.ndarray
        Sorted row indices, one per distinct rounded position.
    """
    n = len(columns[0]) if columns else 0
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    room = 1
    for values, size in zip(columns, pixel):
        cells = np.rint(values / size).astype(np.int64)
        cells -= cells.min()
        span = int(cells.max()) + 1
        if room > (1 << 62) // span:  # no room left in 63 bits: compare the rows instead
            stacked = np.stack([np.rint(v / s).astype(np.int64) for v, s in zip(columns, pixel)], axis=1)
            return np.sort(np.unique(stacked, axis=0, return_index=True)[1])
        key = key * span + cells
        room *= span
    return np.sort(np.unique(key, return_index=True)[1])


def clip_segments(x: np.ndarray, y: np.ndarray, cut) -> tuple[np.ndarray, np.ndarray]:
    """Cut line segments to a rectangle (Liang–Barsky, vectorised).

    Parameters
    ----------
    x, y : numpy.ndarray
        Segment end points as pairs (``connect="pairs"`` layout: 2k points).
    cut : (xmin, ymin, xmax, ymax)

    Returns
    -------
    (x, y)
        The visible parts of the segments, as pairs; segments entirely
        outside are left out.
    """
    x0, x1, y0, y1 = x[0::2], x[1::2], y[0::2], y[1::2]
    dx, dy = x1 - x0, y1 - y0
    low = np.zeros(len(x0))
    high = np.ones(len(x0))
    visible = np.ones(len(x0), dtype=bool)
    xmin, ymin, xmax, ymax = cut
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for p, q in ((-dx, x0 - xmin), (dx, xmax - x0), (-dy, y0 - ymin), (dy, ymax - y0)):
            parallel = p == 0
            visible &= ~(parallel & (q < 0))
            t = q / np.where(parallel, 1.0, p)
            entering = (p < 0) & ~parallel
            leaving = (p > 0) & ~parallel
            low = np.where(entering, np.maximum(low, t), low)
            high = np.where(leaving, np.minimum(high, t), high)
    visible &= low <= high
    low, high = low[visible], high[visible]
    x0, y0, dx, dy = x0[visible], y0[visible], dx[visible], dy[visible]
    out_x = np.empty(2 * len(x0))
    out_y = np.empty(2 * len(x0))
    out_x[0::2], out_x[1::2] = x0 + low * dx, x0 + high * dx
    out_y[0::2], out_y[1::2] = y0 + low * dy, y0 + high * dy
    return out_x, out_y


def drawn_edges(x4: np.ndarray, y4: np.ndarray, cut, px: float, py: float, bounds=None
                ) -> tuple[np.ndarray, bool]:
    """Rows of the edges to draw, and whether some were left out as duplicates.

    ``cut`` is None to keep every edge (a small tree); ``bounds`` is
    :func:`edge_bounds` of the edges, when kept from an earlier call.
    """
    rows = edges_inside(x4, y4, cut, bounds) if cut is not None else np.arange(len(x4))
    if len(rows) <= DECIMATE_MIN:
        return rows, False
    # an edge is drawn as parent -> knee -> child: its end points place it
    keep = one_per_pixel([x4[rows, 0], y4[rows, 0], x4[rows, 3], y4[rows, 3]], [px, py, px, py])
    return rows[keep], len(keep) < len(rows)


def drawn_points(x: np.ndarray, y: np.ndarray, codes: np.ndarray, cut, px: float, py: float
                 ) -> tuple[np.ndarray | None, bool]:
    """Indices of the points to draw (None: all), and whether duplicates were left out."""
    rows = points_inside(x, y, cut) if cut is not None else None
    count = len(rows) if rows is not None else len(x)
    if count <= DECIMATE_MIN:
        return rows, False
    if rows is None:
        rows = np.arange(len(x))
    keep = one_per_pixel([x[rows], y[rows], codes[rows].astype(float)], [px, py, 1.0])
    return rows[keep], len(keep) < len(rows)
