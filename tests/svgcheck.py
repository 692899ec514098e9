"""Reading our SVG pictures in tests: geometry by role, and rasterising with librsvg."""
from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

NS = "{http://www.w3.org/2000/svg}"


def parse(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def role(element: ET.Element) -> str:
    return element.get("class", "")


def tag(element: ET.Element) -> str:
    return element.tag.replace(NS, "")


def points(element: ET.Element) -> list[tuple[float, float]]:
    """The corner points of a rect, line, polyline or polygon."""
    kind = tag(element)
    f = lambda name: float(element.get(name))  # noqa: E731
    if kind == "rect":
        x, y, w, h = f("x"), f("y"), f("width"), f("height")
        return [(x, y), (x + w, y + h)]
    if kind == "line":
        return [(f("x1"), f("y1")), (f("x2"), f("y2"))]
    if kind in ("polyline", "polygon"):
        return [tuple(map(float, pair.split(","))) for pair in element.get("points").split()]
    if kind == "circle":
        r = f("r")
        return [(f("cx") - r, f("cy") - r), (f("cx") + r, f("cy") + r)]
    if kind == "text":
        return [(f("x"), f("y"))]
    raise AssertionError(f"unexpected element {kind}")


def plots_with_marks(root: ET.Element) -> list[tuple[tuple[float, float, float, float], list[ET.Element]]]:
    """(plot-area box, the data marks drawn in it) for each plot of a figure."""
    out = []
    area = None
    for child in root:
        if role(child) == "plot-area":
            x, y = float(child.get("x")), float(child.get("y"))
            area = (x, y, x + float(child.get("width")), y + float(child.get("height")))
        elif role(child) == "data":
            assert area is not None, "data drawn before its plot area"
            out.append((area, list(child)))
    return out


def texts(root: ET.Element, wanted_role: str | None = None) -> list[ET.Element]:
    return [t for t in root.iter(f"{NS}text") if wanted_role is None or role(t) == wanted_role]


def rsvg(svg: Path, png: Path, width: int | None = None) -> Path:
    """Rasterise ``svg`` with librsvg, as a Linux image viewer does."""
    tool = shutil.which("rsvg-convert")
    if tool is None:
        pytest.skip("rsvg-convert (librsvg2-bin) is not installed")
    command = [tool, str(svg), "-o", str(png)]
    if width:
        command += ["-w", str(width)]
    subprocess.run(command, check=True, timeout=120)
    return png


def pixels(path: Path) -> np.ndarray:
    """An image file as an (h, w, 3) int array."""
    from PySide6.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    assert not image.isNull(), path
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return raw.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), 2::-1].astype(int)


def differing_share(a: np.ndarray, b: np.ndarray, tolerance: int = 64) -> float:
    """Share of pixels whose colour differs by more than ``tolerance`` in some channel."""
    assert a.shape == b.shape, (a.shape, b.shape)
    return float((np.abs(a - b).max(axis=2) > tolerance).mean())


def number_of(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text.replace("\u2212", "-")))
