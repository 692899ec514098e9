"""Monte Carlo and sensitivity figures of issue 11, each in a fresh process (time, peak RSS).

    .venv/bin/python benchmarks/bench_analyses.py [--quick]

* Monte Carlo of ``random_plan(10_000)`` with 10,000 iterations as the window
  runs it (``widgets.analysis.data.simulate_chunked``), and of
  ``random_plan(100_000)`` with 10,000 iterations (``simulate``);
* ``branchwise simulate --iterations 10000000`` on the 74-node sample
  (``--quick``: 1,000,000);
* tornado and spider (11 steps) of ``random_plan(10_000)``, optimal policy.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "samples" / "peace-process.bwplan"

_TIMED = """
import os, sys, time, resource
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, {root!r})
{setup}
t = time.perf_counter()
{work}
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

CASES = {
    "Monte Carlo, 10k nodes x 10k iterations (the window's chunks)": (
        "from planning.model.generate import random_plan\nfrom widgets.analysis.data import simulate_chunked\n"
        "plan = random_plan(10_000)",
        "simulate_chunked(plan, None, 10_000, 1, lambda done, total: None, lambda: False)"),
    "Monte Carlo, 100k nodes x 10k iterations": (
        "from planning.model.generate import random_plan\nfrom planning.engine.montecarlo import simulate\n"
        "plan = random_plan(100_000)",
        "simulate(plan, iterations=10_000, seed=1)"),
    "tornado, 10k nodes": (
        "from planning.model.generate import random_plan\nfrom planning.analyses.sensitivity import tornado\n"
        "plan = random_plan(10_000)",
        "tornado(plan)"),
    "spider (11 steps), 10k nodes": (
        "from planning.model.generate import random_plan\nfrom planning.analyses.sensitivity import spider\n"
        "plan = random_plan(10_000)",
        "spider(plan, steps=11)"),
}


def timed(setup: str, work: str) -> tuple[float, float]:
    code = _TIMED.format(root=str(ROOT), setup=setup, work=work)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds, mb = out.stdout.split()[-2:]
    return float(seconds), float(mb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1M iterations on the sample instead of 10M")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print("| what | time (best) | peak RSS |")
    print("|---|---:|---:|")
    for name, (setup, work) in CASES.items():
        seconds, mb = min(timed(setup, work) for _ in range(args.repeat))
        print(f"| {name} | {seconds:.2f} s | {mb:,.0f} MB |", flush=True)
    iterations = 1_000_000 if args.quick else 10_000_000
    setup = "from app.main import main"
    work = (f"sys.argv = ['branchwise', 'simulate', '--iterations', '{iterations}', {str(SAMPLE)!r}]\n"
            "import contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main()\n    except SystemExit:\n        pass")
    seconds, mb = timed(setup, work)
    print(f"| `simulate --iterations {iterations:,}`, 74-node sample | {seconds:.1f} s | {mb:,.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
