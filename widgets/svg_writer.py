"""A small writer of plain SVG, and a check that a written picture is whole.

Why our own writer: Qt's ``QSvgGenerator`` writes nested transforms and
``vector-effect="non-scaling-stroke"``, which librsvg (what most Linux
viewers use) and some browsers do not honour: lines grew thick, dashes broke
up and geometry ran past the axes. Everything written here is in absolute
pixel coordinates of the ``viewBox``; strokes are plain ``stroke-width`` in
px, dashes ``stroke-dasharray`` in px; the only transform is ``rotate`` on
rotated text. This module imports no Qt, so the tree pictures and the plots
share it and tests can read it without a display.
"""
from __future__ import annotations

import math
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"


def xml_text(text: str) -> str:
    """``text`` escaped for XML, without the characters XML 1.0 cannot hold (controls, lone surrogates)."""
    kept = "".join(ch for ch in str(text) if ch == "\t" or 0x20 <= ord(ch) <= 0xD7FF
                   or 0xE000 <= ord(ch) <= 0xFFFD or ord(ch) >= 0x10000)
    return escape(kept)


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def color_attrs(prefix: str, color: str | None, opacity: float = 1.0) -> str:
    """``fill="#rrggbb" fill-opacity="0.5"``; ``none`` when there is no colour or it is invisible."""
    if color is None or opacity <= 0.0:
        return f' {prefix}="none"'
    out = f' {prefix}="{color}"'
    if opacity < 0.999:
        out += f' {prefix}-opacity="{num(round(opacity, 3)) if opacity >= 0.01 else "0.01"}"'
    return out


def stroke_attrs(color: str | None, width: float = 1.0, opacity: float = 1.0,
                 dash: list[float] | None = None) -> str:
    """Stroke colour, width in px and dashes in px (empty colour: no stroke)."""
    out = color_attrs("stroke", color, opacity)
    if color is None or opacity <= 0.0:
        return out
    out += f' stroke-width="{num(width)}"'
    if dash:
        out += f' stroke-dasharray="{" ".join(num(d) for d in dash)}"'
    return out


class SvgDocument:
    """An SVG picture built element by element, in absolute pixel coordinates.

    Each element may carry a ``role`` (written as ``class``): tests and
    people reading the file can find the plot area, bars, curves and labels.
    """

    def __init__(self, width: float, height: float, title: str, description: str = ""):
        self.width = width
        self.height = height
        self.title = title
        self.description = description
        self._parts: list[str] = []

    @staticmethod
    def _role(role: str | None) -> str:
        return f' class="{role}"' if role else ""

    def raw(self, text: str) -> None:
        self._parts.append(text)

    def open_group(self, role: str | None = None, clip: str | None = None) -> None:
        clip_attr = f' clip-path="url(#{clip})"' if clip else ""
        self._parts.append(f"<g{self._role(role)}{clip_attr}>")

    def close_group(self) -> None:
        self._parts.append("</g>")

    def clip_rect(self, ident: str, x: float, y: float, w: float, h: float) -> None:
        """A clip path (a second guard: geometry is clipped before it is written)."""
        self._parts.append(f'<clipPath id="{ident}"><rect x="{num(x)}" y="{num(y)}" width="{num(w)}" '
                           f'height="{num(h)}"/></clipPath>')

    def rect(self, x: float, y: float, w: float, h: float, fill: str | None = None, fill_opacity: float = 1.0,
             stroke: str | None = None, width: float = 1.0, stroke_opacity: float = 1.0,
             dash: list[float] | None = None, role: str | None = None) -> None:
        self._parts.append(
            f'<rect{self._role(role)} x="{num(x)}" y="{num(y)}" width="{num(max(w, 0.0))}" '
            f'height="{num(max(h, 0.0))}"{color_attrs("fill", fill, fill_opacity)}'
            f'{stroke_attrs(stroke, width, stroke_opacity, dash)}/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1.0,
             opacity: float = 1.0, dash: list[float] | None = None, role: str | None = None) -> None:
        self._parts.append(
            f'<line{self._role(role)} x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}"'
            f'{stroke_attrs(stroke, width, opacity, dash)} stroke-linecap="butt"/>')

    def polyline(self, points, stroke: str, width: float = 1.0, opacity: float = 1.0,
                 dash: list[float] | None = None, role: str | None = None) -> None:
        if len(points) < 2:
            return
        coords = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self._parts.append(
            f'<polyline{self._role(role)} points="{coords}" fill="none"'
            f'{stroke_attrs(stroke, width, opacity, dash)} stroke-linejoin="round"/>')

    def polygon(self, points, fill: str | None, fill_opacity: float = 1.0, stroke: str | None = None,
                width: float = 1.0, stroke_opacity: float = 1.0, role: str | None = None) -> None:
        if len(points) < 3:
            return
        coords = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self._parts.append(
            f'<polygon{self._role(role)} points="{coords}"{color_attrs("fill", fill, fill_opacity)}'
            f'{stroke_attrs(stroke, width, stroke_opacity)}/>')

    def circle(self, cx: float, cy: float, r: float, fill: str | None, stroke: str | None = None,
               width: float = 1.0, role: str | None = None) -> None:
        self._parts.append(
            f'<circle{self._role(role)} cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}"'
            f'{color_attrs("fill", fill)}{stroke_attrs(stroke, width)}/>')

    def text(self, x: float, y: float, text: str, size: float, color: str = "#000000", anchor: str = "start",
             bold: bool = False, rotate: float = 0.0, opacity: float = 1.0, role: str | None = None) -> None:
        """One line of text with its baseline at ``y``; ``anchor`` start, middle or end."""
        weight = ' font-weight="bold"' if bold else ""
        turn = f' transform="rotate({num(rotate)} {num(x)} {num(y)})"' if abs(rotate) > 0.01 else ""
        self._parts.append(
            f'<text{self._role(role)} x="{num(x)}" y="{num(y)}" font-family={quoteattr(FONT_FAMILY)} '
            f'font-size="{num(size)}"{weight} text-anchor="{anchor}"{color_attrs("fill", color, opacity)}'
            f'{turn}>{xml_text(text)}</text>')

    def to_string(self) -> str:
        w, h = num(self.width), num(self.height)
        head = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="{SVG_NS}" version="1.1" width="{w}" height="{h}" viewBox="0 0 {w} {h}">',
            f"<title>{xml_text(self.title)}</title>",
        ]
        if self.description:
            head.append(f"<desc>{xml_text(self.description)}</desc>")
        return "\n".join(head + self._parts + ["</svg>"]) + "\n"

    def write(self, path: str | Path, name: str | None = None) -> None:
        """Write the picture to ``path`` and check it reads back whole (else OSError naming ``name``)."""
        from planning.files.whole_file import check_svg, write_verified_text

        write_verified_text(path, self.to_string(), check_svg, name)


def clip_segment(x1: float, y1: float, x2: float, y2: float, box) -> tuple[float, float, float, float] | None:
    """The part of a segment inside ``box`` = (left, top, right, bottom) (Liang–Barsky), or None."""
    left, top, right, bottom = box
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return None
            t0 = max(t0, t)
        else:
            if t < t0:
                return None
            t1 = min(t1, t)
    return x1 + t0 * dx, y1 + t0 * dy, x1 + t1 * dx, y1 + t1 * dy


def clip_polyline(points, box) -> list[list[tuple[float, float]]]:
    """Split a polyline into the runs that lie inside ``box`` (non-finite points break a run)."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        if not all(math.isfinite(v) for v in (x1, y1, x2, y2)):
            if len(current) > 1:
                runs.append(current)
            current = []
            continue
        piece = clip_segment(x1, y1, x2, y2, box)
        if piece is None:
            if len(current) > 1:
                runs.append(current)
            current = []
            continue
        a, b = (piece[0], piece[1]), (piece[2], piece[3])
        if not current or abs(current[-1][0] - a[0]) > 1e-6 or abs(current[-1][1] - a[1]) > 1e-6:
            if len(current) > 1:
                runs.append(current)
            current = [a]
        current.append(b)
    if len(current) > 1:
        runs.append(current)
    return runs


def clip_rect(x0: float, y0: float, x1: float, y1: float, box) -> tuple[float, float, float, float] | None:
    """The part of an axis-aligned rectangle inside ``box``, as (left, top, right, bottom), or None."""
    left, top = max(min(x0, x1), box[0]), max(min(y0, y1), box[1])
    right, bottom = min(max(x0, x1), box[2]), min(max(y0, y1), box[3])
    if right - left <= 1e-9 or bottom - top <= 1e-9:
        return None
    return left, top, right, bottom


__all__ = ["SvgDocument", "clip_polyline", "clip_rect", "clip_segment", "num", "xml_text"]
