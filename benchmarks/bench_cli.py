"""Whole-process figures of issue 11: `branchwise evaluate --json` against a
plain Python rollback of the same file, in the same run.

    .venv/bin/python benchmarks/bench_cli.py                 # 100k and 1M nodes
    .venv/bin/python benchmarks/bench_cli.py --sizes 100000 --repeat 5

Each command runs as a fresh process (``python -m app.main evaluate --json
FILE``, output to /dev/null); the figure is the best of ``--repeat`` runs
(the machine is shared: the minimum is the least noisy) with the peak
resident memory of that process (``wait4``) and the least CPU time (user +
system) of the runs. The plans are ``planning.model.generate.random_plan(n)``,
saved once under ``--cache``. Also times, in a fresh process, the load /
compile / evaluate split of the object path and of the columnar path that
``evaluate --json`` takes (``planning.files.columnar``), and `branchwise import`
of a generated SilverDecisions file of the same size.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planning.model.generate import random_plan  # noqa: E402
from planning.files.planfile import dumps_plan  # noqa: E402


def plan_file(n: int, cache: Path) -> Path:
    """The random plan of ``n`` nodes as a .bwplan file (made once)."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"random-{n}.bwplan"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(dumps_plan(random_plan(n)), encoding="utf-8")
        tmp.replace(path)
    return path


def silverdecisions_file(n: int, cache: Path) -> Path:
    """The same random plan as a SilverDecisions 0.8 file (nested JSON, made once)."""
    path = cache / f"random-{n}.sd.json"
    if path.exists():
        return path
    plan = random_plan(n)
    kinds = {"decision": "decision", "chance": "chance", "terminal": "terminal"}

    def convert(node_id: str) -> dict:
        # Iterative: a million nodes, no recursion limit.
        top: dict = {}
        stack = [(node_id, top)]
        while stack:
            nid, out = stack.pop()
            node = plan.nodes[nid]
            out.update({"type": kinds[node.kind], "name": node.label, "location": {"x": 0, "y": 0},
                        "childEdges": []})
            for cid in node.children:
                child = plan.nodes[cid]
                p = child.probability
                edge = {"name": "", "payoff": [str(child.payoff if child.kind != "terminal" else 0), "0"],
                        "probability": "#" if p == "#" else (str(p) if p is not None else None),
                        "childNode": {}}
                if child.kind == "terminal":
                    edge["payoff"] = [str(child.payoff), "0"]
                out["childEdges"].append(edge)
                stack.append((cid, edge["childNode"]))
        return top

    data = {"SilverDecisions": "0.8.0", "title": plan.title, "lastSaved": "2026-11-30T00:00:00.000Z",
            "data": {"code": "", "expressionScope": {}, "trees": [convert("n0")], "texts": []},
            "definitionsSourceObject": None, "sensitivityAnalysis": {}}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_process(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one fresh process."""
    t = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {err[-500:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def best(argv: list[str], repeat: int) -> tuple[float, float, float]:
    """The run with the least wall time; its memory; the least CPU time of all runs."""
    runs = [run_process(argv) for _ in range(repeat)]
    wall, mb, _ = min(runs)
    return wall, mb, min(cpu for _, _, cpu in runs)


def split(path: Path, columnar: bool = False) -> tuple[float, float, float]:
    """Load, compile and evaluate seconds, in a fresh process (one run each).

    ``columnar``: the columnar path of ``evaluate --json`` (read as columns, checked,
    compiled from the columns) instead of load_plan + compile_track.
    """
    here = "split_columnar" if columnar else "split_here"
    code = f"from benchmarks.bench_cli import {here}; print(*{here}({str(path)!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    load, comp, ev = map(float, out.stdout.split())
    return load, comp, ev


def _timed_split(read, compile_) -> tuple[float, float, float]:
    """Seconds to read, compile and evaluate (the file read by ``read()``)."""
    from planning.engine.evaluate import evaluate_compiled

    gc.collect()
    t0 = time.perf_counter()
    loaded = read()
    t1 = time.perf_counter()
    ct = compile_(loaded)
    t2 = time.perf_counter()
    evaluate_compiled(ct)
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


def split_here(path: str) -> tuple[float, float, float]:
    """The object path: load_plan, compile_track, evaluate."""
    from planning.engine.compile import compile_track
    from planning.files.planfile import load_plan

    return _timed_split(lambda: load_plan(path), compile_track)


def split_columnar(path: str) -> tuple[float, float, float]:
    """The columnar path of ``evaluate --json``: read_columns, compile_columns, evaluate."""
    from planning.engine.columnar import compile_columns
    from planning.files.columnar import read_columns

    return _timed_split(lambda: read_columns(path), compile_columns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "branchwise-bench")
    parser.add_argument("--no-import", action="store_true", help="skip the SilverDecisions import")
    args = parser.parse_args()
    py = sys.executable
    print("| nodes | file | `evaluate --json` (process) | peak RSS | plain Python rollback | peak RSS | ratio "
          "| load / compile / evaluate (in process) | columnar read / compile / evaluate "
          "| `import` SilverDecisions (process) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---|---:|")
    for n in args.sizes:
        # Made in a child process: a parent's peak memory would show in its children's.
        code = f"from benchmarks.bench_cli import plan_file, silverdecisions_file; from pathlib import Path; " \
               f"plan_file({n}, Path({str(args.cache)!r})); silverdecisions_file({n}, Path({str(args.cache)!r}))"
        subprocess.run([py, "-c", code], cwd=ROOT, check=True)
        path = plan_file(n, args.cache)
        repeat = args.repeat if n < 1_000_000 else max(1, args.repeat - 1)
        ours, ours_mb, ours_cpu = best([py, "-m", "app.main", "evaluate", "--json", str(path)], repeat)
        plain, plain_mb, plain_cpu = best([py, str(ROOT / "benchmarks" / "plain_rollback.py"), str(path)], repeat)
        load, comp, ev = split(path)
        c_load, c_comp, c_ev = split(path, columnar=True)
        imported = "not run"
        if not args.no_import:
            sd = silverdecisions_file(n, args.cache)
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    argv = [py, "-m", "app.main", "import", str(sd), "-o", str(Path(tmp) / "x.bwplan")]
                    t, mb, cpu = min(run_process(argv) for _ in range(repeat))
                    imported = (f"{t:.2f} s ({cpu:.2f} s CPU), {mb:,.0f} MB "
                                f"({sd.stat().st_size / 2**20:,.0f} MB file)")
                except RuntimeError as exc:
                    imported = f"failed: {str(exc).strip().splitlines()[-1][:80]}"
        print(f"| {n:,} | {path.stat().st_size / 2**20:,.0f} MB | {ours:.2f} s ({ours_cpu:.2f} s CPU) | "
              f"{ours_mb:,.0f} MB | {plain:.2f} s ({plain_cpu:.2f} s CPU) | {plain_mb:,.0f} MB | "
              f"{ours / plain:.2f} ({ours_cpu / plain_cpu:.2f} CPU) | {load:.2f} / {comp:.2f} / {ev:.2f} s "
              f"| {c_load:.2f} / {c_comp:.2f} / {c_ev:.2f} s "
              f"| {imported} |",
              flush=True)


if __name__ == "__main__":
    main()
