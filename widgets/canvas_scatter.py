"""Fill a pyqtgraph ScatterPlotItem with per-point styles from a few style codes.

``ScatterPlotItem.setData(brush=[...], symbol=[...])`` looks every point up
in its symbol atlas in Python, about 5 microseconds a point: half a second
for a 100,000-node tree. The canvas only ever uses a handful of styles
(one per node kind, one per badge), so here each style is looked up once
and the point records are filled with numpy. If the pyqtgraph internals
this relies on are not there, it falls back to ``setData``.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

_FIELDS = {"x", "y", "size", "symbol", "pen", "brush", "visible", "data", "sourceRect"}


def set_styled_points(
    item: pg.ScatterPlotItem,
    x: np.ndarray,
    y: np.ndarray,
    codes: np.ndarray,
    styles: list[tuple[str, float, object, object]],
    data: np.ndarray | None = None,
) -> None:
    """Set the points of ``item``; point ``i`` gets ``styles[codes[i]]``.

    Parameters
    ----------
    item : pyqtgraph.ScatterPlotItem
        A pixel-mode scatter with its symbol cache on (the default).
    x, y : numpy.ndarray
        Positions.
    codes : numpy.ndarray of int
        Style index per point.
    styles : list of (symbol, size, QPen, QBrush)
        The distinct styles.
    data : numpy.ndarray, optional
        Per-point user data (``item.data["data"]``).
    """
    codes = np.asarray(codes, dtype=np.int64)
    n = len(codes)
    fast = (
        item.opts.get("pxMode") and item.opts.get("useCache")
        and _FIELDS <= set(item.data.dtype.names or ())
        and hasattr(item, "fragmentAtlas")
    )
    symbols = np.empty(len(styles), dtype=object)
    pens = np.empty(len(styles), dtype=object)
    brushes = np.empty(len(styles), dtype=object)
    for k, (symbol, _size, pen, brush) in enumerate(styles):
        symbols[k], pens[k], brushes[k] = symbol, pen, brush
    sizes = np.array([s[1] for s in styles], dtype=float)
    if not fast or n == 0:
        item.setData(x=x, y=y, symbol=symbols[codes], size=sizes[codes],
                     pen=pens[codes], brush=brushes[codes],
                     **({"data": data} if data is not None else {}))
        return
    records = np.empty(n, dtype=item.data.dtype)
    records["x"] = x
    records["y"] = y
    records["size"] = sizes[codes]
    records["symbol"] = symbols[codes]
    records["pen"] = pens[codes]
    records["brush"] = brushes[codes]
    records["visible"] = True
    records["data"] = data if data is not None else None
    if "hovered" in records.dtype.names:
        records["hovered"] = False
    if "item" in records.dtype.names:
        records["item"] = None
    records["sourceRect"] = 0
    used = np.unique(codes)
    rects = item.fragmentAtlas[[tuple(styles[k][:1]) + (sizes[k], pens[k], brushes[k]) for k in used]]
    for k, rect in zip(used, rects):
        records["sourceRect"][codes == k] = rect
    item.data = records
    item.prepareGeometryChange()
    item.informViewBoundsChanged()
    item.bounds = [None, None]
    item._maybeRebuildAtlas()
    item._updateMaxSpotSizes(data=records)
    item.invalidate()
    item.sigPlotChanged.emit(item)
