"""Time the tree canvas on random trees: open + first draw, pan/zoom frames, an edit.

Run: ``.venv/bin/python benchmarks/bench_canvas.py [--sizes 10000 100000] [--png DIR]``

Targets: a 10k-node tree opens and draws in <= 1.5 s, a pan/zoom frame takes
<= 30 ms, a 100k-node tree opens in <= 5 s.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planning.model.plan import CHANCE, DECISION, TERMINAL, Node, Plan, Response, Track  # noqa: E402

_WORDS = ("talks", "stall", "resume", "envoy", "summit", "sanctions", "relief", "delay",
          "offer", "rejects", "accepts", "pressure", "signal", "crisis", "deal", "audit")


def random_plan(n: int, seed: int = 0) -> Plan:
    """A valid random plan of about ``n`` nodes: decisions, chance nodes, terminals.

    Nodes are opened in random order from a frontier, which gives bushy trees
    of logarithmic-ish depth with uneven subtrees (a realistic worst case for
    the layout and for label packing).
    """
    rng = random.Random(seed)
    nodes: dict[str, Node] = {"n0": Node("n0", DECISION, "Root decision")}
    frontier = ["n0"]
    count = 1
    while count < n and frontier:
        k = rng.randrange(len(frontier))
        frontier[k], frontier[-1] = frontier[-1], frontier[k]
        node = nodes[frontier.pop()]
        if node.id != "n0":
            node.kind = rng.choice((DECISION, CHANCE, CHANCE))
        arity = min(rng.randint(2, 4), max(1, n - count))
        for j in range(arity):
            child = Node(f"n{count}", TERMINAL,
                         " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 5))).capitalize(),
                         payoff=round(rng.uniform(-50, 100), 1))
            count += 1
            if node.kind == CHANCE:
                child.probability = round(1.0 / arity, 4) if j < arity - 1 else "#"
                child.path = rng.choice(("success", "failure", "neutral"))
                child.warning_days = rng.choice((None, 10.0, 30.0))
                if rng.random() < 0.5:
                    child.responses.append(Response(f"r{count}", "Prepared response",
                                                    readiness=rng.randint(0, 4),
                                                    lead_time_days=rng.choice((None, 5.0, 40.0))))
            nodes[child.id] = child
            node.children.append(child.id)
            frontier.append(child.id)
    return Plan(title=f"random {n}", value_unit="k$", tracks=[Track("main", "Main", "n0")], nodes=nodes)


class _Clock:
    """Wall and CPU time together: on a shared machine the CPU time of this
    process is the steadier figure."""

    def __init__(self, wall: float, cpu: float):
        self.wall, self.cpu = wall, cpu

    def __sub__(self, other: "_Clock") -> "_Clock":
        return _Clock(self.wall - other.wall, self.cpu - other.cpu)


def _now() -> _Clock:
    return _Clock(time.perf_counter(), time.thread_time())


def _ms(t: "_Clock") -> str:
    return f"{t.wall * 1000:9.1f} ms {t.cpu * 1000:9.1f} ms"


def bench(n: int, png_dir: Path | None = None) -> list[tuple[str, _Clock]]:
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QApplication

    from app.document import Document
    from widgets.tree_canvas import TreeCanvas

    app = QApplication.instance() or QApplication([])
    plan = random_plan(n, seed=n)
    rows: list[tuple[str, _Clock]] = []

    t0 = _now()
    document = Document(plan)
    document.wait_for_checks()
    t1 = _now()
    canvas = TreeCanvas(document)
    canvas.resize(1600, 1000)
    canvas.show()
    app.processEvents()
    canvas.fit()
    canvas.viewport().repaint()
    t2 = _now()
    rows.append(("document (validate+evaluate)", t1 - t0))
    rows.append(("canvas open + first draw", t2 - t1))
    if document.result is not None:
        # Large plans are evaluated in a worker: the figures arrive later.
        t = _now()
        canvas.restyle()
        canvas.viewport().repaint()
        rows.append(("restyle after evaluation", _now() - t))
    if png_dir is not None:
        canvas.grab().save(str(png_dir / f"random-{n}-fit.png"))

    view = canvas.view_box
    xmin, ymin, xmax, ymax = canvas.layout_data.bounds()
    rng = random.Random(1)

    def frames(width: float, count: int = 15) -> list[float]:
        times = []
        for _ in range(count):
            x = rng.uniform(xmin, max(xmin, xmax - width))
            y = rng.uniform(ymin, max(ymin, ymax - width * 0.6))
            t = _now()
            view.setRange(QRectF(x, y, width, width * 0.6), padding=0)
            canvas.update_labels()  # what the throttle timer runs after a move
            app.processEvents()
            canvas.viewport().repaint()
            times.append(_now() - t)
        return times

    for name, width in (("pan/zoom frame, close (labels)", 30.0),
                        ("pan/zoom frame, middle", 150.0),
                        ("pan/zoom frame, far", max(xmax - xmin, ymax - ymin))):
        times = frames(width)
        by_wall = sorted(times, key=lambda c: c.wall)
        rows.append((name + " median", by_wall[len(by_wall) // 2]))
        rows.append((name + " max", by_wall[-1]))
    if png_dir is not None:
        view.setRange(QRectF(xmin, ymin, 30, 18), padding=0)
        canvas.update_labels()
        canvas.grab().save(str(png_dir / f"random-{n}-close.png"))

    target = next(i for i in plan.nodes if plan.nodes[i].kind == DECISION and i != "n0")
    t = _now()
    document.add_child(target, TERMINAL, "new option")
    app.processEvents()
    canvas.viewport().repaint()
    rows.append(("edit: add child (re-layout + redraw)", _now() - t))
    t = _now()
    document.set_node_field(target, "label", "renamed")
    app.processEvents()
    canvas.viewport().repaint()
    rows.append(("edit: rename (restyle only)", _now() - t))
    canvas.close()
    canvas.deleteLater()
    app.processEvents()
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--png", type=Path, default=None, help="save screenshots here")
    args = parser.parse_args(argv)
    from planning.engine.layout import layout_track

    print(f"{'nodes':>8}  {'what':<40} {'wall':>12} {'cpu (main thread)':>12}")
    for n in args.sizes:
        plan = random_plan(n, seed=n)
        t = _now()
        layout_track(plan, "n0")
        print(f"{n:>8}  {'layout_track':<40} {_ms(_now() - t)}")
        for name, seconds in bench(n, args.png):
            print(f"{n:>8}  {name:<40} {_ms(seconds)}")


if __name__ == "__main__":
    main()
