"""Time the value of information of every track of a plan (EVPI and every EVPPI).

    .venv/bin/python benchmarks/bench_voi.py [FILE] [--iterations 10000] [--repeat 5]

Default FILE: resources/samples/peace-process.bwplan. Prints the best of
``--repeat`` runs of :func:`planning.analyses.voi.value_of_information` over all
tracks (the plan loaded once), with a split: the Monte Carlo rollback versus
the EVPPI binning.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planning.files.planfile import load_plan  # noqa: E402
from planning.analyses.voi import value_of_information  # noqa: E402


def run(path: Path, iterations: int, seed: int = 0) -> tuple[float, list]:
    """Wall time of one pass over every track, and the results."""
    plan = load_plan(path)
    start = time.perf_counter()
    results = [value_of_information(plan, t.id, iterations=iterations, seed=seed) for t in plan.tracks]
    return time.perf_counter() - start, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "resources" / "samples" / "peace-process.bwplan"))
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    times, results = [], []
    for _ in range(max(1, args.repeat)):
        elapsed, results = run(Path(args.file), args.iterations)
        times.append(elapsed)
    quantities = sum(len(r.evppi) for r in results)
    print(f"{Path(args.file).name}: {len(results)} tracks, {quantities} EVPPIs, {args.iterations:,} iterations")
    print(f"  best {min(times) * 1000:.0f} ms, median {sorted(times)[len(times) // 2] * 1000:.0f} ms "
          f"over {len(times)} runs")
    for r in results:
        top = r.evppi[0] if r.evppi else None
        print(f"  {r.track_id:<14} EVPI {r.evpi:8.3f}   top EVPPI {top.name if top else '-'} {top.value if top else 0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
