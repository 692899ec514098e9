"""What the analysis views show, computed without Qt (worker threads and the CLI use it).

Three computations, each a plain function so that a worker thread, the
``branchwise plot`` command and the tests run exactly the same code:

* :func:`simulate_chunked` -- the core's Monte Carlo in chunks (for a
  progress bar and cancel); the same plan, iteration count and seed give the
  numbers of ``branchwise simulate``;
* :func:`compute_sensitivity` -- tornado, spider, one-way sweep and policy map
  for one policy (re-optimised or held fixed);
* :func:`readiness_report` -- per track and per branch readiness, and what
  each branch costs in failure exposure.
"""
from __future__ import annotations

import math
from collections.abc import Callable
import dataclasses
from dataclasses import dataclass, field

import numpy as np

from planning.engine.compile import KIND_DECISION, PATH_FAILURE, PATH_SUCCESS
from planning.model.errors import PlanError
from planning.engine.evaluate import TrackResult, branch_readiness, evaluate_track, follow_policy, readiness_factors
from planning.model.plan import Plan
from planning.engine.readiness import badge, branch_gains
from widgets.i18n import translate  # the reasons a part was not computed are shown in its plot

#: Iterations of one Monte Carlo chunk at least, and chunks of one run at most.
MIN_CHUNK_ITERATIONS = 1000
MAX_CHUNKS = 8

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class AnalysisCancelled(Exception):
    """A computation was cancelled between two of its steps."""


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise AnalysisCancelled()


# -- Monte Carlo ------------------------------------------------------------------

def chunk_sizes(iterations: int) -> list[int]:
    """How :func:`simulate_chunked` splits ``iterations`` (depends on nothing else).

    >>> chunk_sizes(10_000), chunk_sizes(1500), chunk_sizes(10)
    ([1250, 1250, 1250, 1250, 1250, 1250, 1250, 1250], [1500], [10])
    """
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    chunks = max(1, min(MAX_CHUNKS, iterations // MIN_CHUNK_ITERATIONS))
    base, extra = divmod(iterations, chunks)
    return [base + (1 if k < extra else 0) for k in range(chunks)]


def simulate_chunked(plan: Plan, track_id: str | None = None, iterations: int = 10_000, seed: int = 0,
                     progress: Progress | None = None, cancelled: Cancelled | None = None):
    """Monte Carlo of one track in chunks, reporting progress and checking for cancel.

    This is :func:`planning.engine.montecarlo.simulate` itself, run in
    :func:`chunk_sizes` steps with a progress hook: the core's result does not
    depend on the chunk size, so the window, ``branchwise plot`` and
    ``branchwise simulate`` give the same numbers for the same seed.

    Parameters
    ----------
    plan : Plan
    track_id : str, optional
    iterations : int
    seed : int
    progress : callable, optional
        ``progress(done, total)`` before the first chunk and after each one (iterations).
    cancelled : callable, optional
        Polled between chunks; when it returns True, :class:`AnalysisCancelled` is raised.

    Returns
    -------
    planning.engine.montecarlo.SimulationResult
    """
    from planning.engine.montecarlo import simulate

    def hook(done: int, total: int) -> None:
        if done < total:  # the last chunk is done: nothing left to cancel
            _check(cancelled)
        if progress is not None:
            progress(done, total)

    from planning.analyses.montecarlo_criteria import simulate_criteria

    # Two criteria: both criteria and the combined value (CriteriaSimulation).
    run = simulate_criteria if len(plan.criteria) == 2 else simulate
    return run(plan, track_id, iterations=iterations, seed=seed, chunk=chunk_sizes(iterations)[0],
                    progress=hook)


# -- sensitivity ---------------------------------------------------------------------

SENSITIVITY_PARTS = ("tornado", "spider", "sweep", "policy-map")


@dataclass
class SensitivityBundle:
    """Everything the sensitivity view draws, for one policy.

    A part that could not be computed is None and ``errors[part]`` says why
    (e.g. a swept probability that makes its siblings sum above 1).
    """

    policy: str
    parameters: list = field(default_factory=list)  # planning.engine.parameters.Parameter
    decisions: list[str] = field(default_factory=list)
    tornado: object = None
    spider: object = None
    sweep: object = None
    policy_map: object = None
    sweep_decision: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    track_id: str = ""
    track_title: str = ""
    #: Ranged parameters left out because they cannot move this track (other tracks' variables).
    left_out: list[str] = field(default_factory=list)


def default_decision(plan: Plan, track_id: str | None, decisions: list[str]) -> str | None:
    """The track's root when it is a decision, else its first decision."""
    if not decisions:
        return None
    root = plan.track(track_id).root
    return root if root in decisions else decisions[0]


def compute_sensitivity(plan: Plan, track_id: str | None = None, policy: str = "optimal",
                        sweep_var: str | None = None, map_x: str | None = None, map_y: str | None = None,
                        decision: str | None = None, parts: tuple[str, ...] = SENSITIVITY_PARTS,
                        steps: int = 21, spider_steps: int = 11, progress: Progress | None = None,
                        cancelled: Cancelled | None = None) -> SensitivityBundle:
    """Tornado, spider, one-way sweep and two-way policy map of one track.

    Parameters
    ----------
    plan : Plan
    track_id : str, optional
    policy : {"optimal", "fixed"}
    sweep_var : str, optional
        Parameter of the one-way sweep; the tornado's widest bar by default.
    map_x, map_y : str, optional
        Parameters of the policy map; the two widest tornado bars by default.
    decision : str, optional
        The decision whose options the sweep and the map show (the root by default).
    parts : tuple of str
        Which of ``SENSITIVITY_PARTS`` to compute (the tornado always runs: it orders the rest).
    progress, cancelled : callable, optional
        ``progress(step, steps)``; ``cancelled()`` is polled between parts.

    Returns
    -------
    SensitivityBundle
    """
    from planning.analyses import sensitivity
    from planning.engine.parameters import compiled_parameters
    from planning.engine.compile import compile_track

    if len(plan.criteria) == 2:  # the combined value; quantities keep the plan's names
        from planning.analyses import sensitivity_criteria as two
        combined, _ = two.analysis_plan(plan, named=[sweep_var, map_x, map_y])
        return two.rename_bundle(compute_sensitivity(
            combined, track_id, policy, two.analysis_name(sweep_var), two.analysis_name(map_x),
            two.analysis_name(map_y), decision, parts, steps, spider_steps, progress, cancelled))
    ct = compile_track(plan, track_id)
    track = plan.track(ct.track_id) if ct.track_id else plan.tracks[0]
    bundle = SensitivityBundle(policy=policy, track_id=track.id, track_title=track.title.strip() or track.id)
    # As `branchwise sensitivity`: what cannot move this track is left out, not drawn with a zero swing.
    read = sensitivity.parameters_read_by(ct, plan)
    ranged = compiled_parameters(ct)
    bundle.parameters = [p for p in ranged if p.name in read]
    bundle.left_out = [p.name for p in ranged if p.name not in read]
    bundle.decisions = [ct.ids[i] for i in np.flatnonzero(ct.kind == KIND_DECISION)]
    wanted = [p for p in SENSITIVITY_PARTS if p in parts or p == "tornado"]
    total = len(wanted)

    def step(done: int) -> None:
        if progress is not None:
            progress(done, total)

    step(0)
    full = sensitivity.tornado(plan, track_id, policy=policy)
    bundle.tornado = dataclasses.replace(full, bars=[b for b in full.bars if b["name"] in read])
    step(1)
    ranked = [bar["name"] for bar in bundle.tornado.bars if bar["ev_low"] != bar["ev_high"]]
    ranked += [bar["name"] for bar in bundle.tornado.bars if bar["name"] not in ranked]
    if decision not in bundle.decisions:
        decision = default_decision(plan, track_id, bundle.decisions)
    bundle.sweep_decision = decision
    done = 1
    for part in wanted[1:]:
        _check(cancelled)
        try:
            if part == "spider":
                spider = sensitivity.spider(plan, track_id, steps=spider_steps, policy=policy)
                bundle.spider = dataclasses.replace(spider, lines=[ln for ln in spider.lines if ln["name"] in read])
            elif part == "sweep":
                name = sweep_var or (ranked[0] if ranked else None)
                if name is None:
                    raise PlanError(None, None, translate("AnalysisData", "no parameter has a range to sweep"))
                bundle.sweep = sensitivity.sweep(plan, name, steps=steps, track_id=track_id, policy=policy)
            elif part == "policy-map":
                x = map_x or (ranked[0] if ranked else None)
                y = map_y or next((n for n in ranked if n != x), None)
                if x is None or y is None or x == y:
                    raise PlanError(None, None, translate("AnalysisData", "a policy map needs two different parameters with ranges"))
                if decision is None:
                    raise PlanError(None, None, translate("AnalysisData", "the track has no decision to map"))
                bundle.policy_map = sensitivity.sweep2(plan, x, None, None, y, None, None, steps_x=steps,
                                                       steps_y=steps, decision=decision, track_id=track_id,
                                                       policy=policy)
        except (PlanError, ValueError) as exc:
            bundle.errors[part] = str(exc)
        done += 1
        step(done)
    return bundle


# -- readiness --------------------------------------------------------------------------

@dataclass
class TrackReadiness:
    """One track's readiness figures (a row of the dashboard's track table)."""

    track_id: str
    title: str
    ev: float
    p_failure: float
    failure_exposure: float
    failure_readiness: float
    p_success: float
    success_readiness: float
    late: int
    unprepared_branches: int  # failure branches without any response
    error: str = ""


@dataclass
class BranchReadiness:
    """One failure or success branch: its readiness and what it costs in exposure."""

    track_id: str
    node_id: str
    label: str
    path: str
    badge: str
    readiness: float
    reach: float
    warning_days: float | None
    responses: int
    late: list[str]
    cost: float  # exposure removed if this branch alone were ready (failure or success exposure)


@dataclass
class ReadinessReport:
    tracks: list[TrackReadiness]
    branches: list[BranchReadiness]  # failure branches by cost, then success branches by cost


def branch_costs(result: TrackResult, path_code: int = PATH_FAILURE) -> np.ndarray:
    """Exposure each branch of ``path_code`` removes if it alone were fully ready (policy fixed).

    For a branch b: R(b) * A(b) * inner(b) * (1 - rho(b)), where A(b) is the
    readiness product of the same-path branches above b and inner(b) the mass
    below b that meets no other unready branch of that path. 0 elsewhere.
    """
    ct = result.compiled
    rho = branch_readiness(ct)
    target = ct.is_branch & (ct.path == path_code)
    column = 0 if path_code == PATH_FAILURE else 2
    chosen = np.full(ct.size, -1, dtype=np.int64)
    for decision, option in result.policy.items():
        chosen[ct.index[decision]] = ct.index[option]
    prepared = follow_policy(ct, readiness_factors(ct, rho), chosen)[:, column]
    cost = branch_gains(ct, chosen, result.node_reach, rho, prepared, target)
    return np.clip(cost, 0.0, 1.0)


def readiness_report(plan: Plan, results: dict[str, TrackResult] | None = None,
                     cancelled: Cancelled | None = None) -> ReadinessReport:
    """Readiness of every track and of every failure / success branch in the plan.

    Parameters
    ----------
    plan : Plan
    results : dict, optional
        Already evaluated tracks (track id -> TrackResult); the others are evaluated here.
    cancelled : callable, optional
        Polled between tracks.
    """
    results = dict(results or {})
    tracks: list[TrackReadiness] = []
    failures: list[BranchReadiness] = []
    successes: list[BranchReadiness] = []
    for track in plan.tracks:
        _check(cancelled)
        result = results.get(track.id)
        if result is None:
            try:
                result = evaluate_track(plan, track.id)
            except PlanError as exc:
                tracks.append(TrackReadiness(track.id, track.title or track.id, math.nan, math.nan, math.nan,
                                             math.nan, math.nan, math.nan, 0, 0, error=str(exc)))
                continue
        ct = result.compiled
        costs = {PATH_FAILURE: branch_costs(result, PATH_FAILURE), PATH_SUCCESS: branch_costs(result, PATH_SUCCESS)}
        late_by_node: dict[str, list[str]] = {}
        for node_id, response_id in result.late:
            late_by_node.setdefault(node_id, []).append(response_id)
        unprepared = 0
        for i in np.flatnonzero(ct.is_branch & ((ct.path == PATH_FAILURE) | (ct.path == PATH_SUCCESS))):
            node = plan.nodes[ct.ids[i]]
            code = int(ct.path[i])
            if code == PATH_FAILURE and not node.responses:
                unprepared += 1
            row = BranchReadiness(
                track.id, node.id, node.label or node.id, "failure" if code == PATH_FAILURE else "success",
                badge(node), float(result.node_readiness[i]), float(result.node_reach[i]), node.warning_days,
                len(node.responses), late_by_node.get(node.id, []), float(costs[code][i]))
            (failures if code == PATH_FAILURE else successes).append(row)
        tracks.append(TrackReadiness(
            track.id, track.title or track.id, result.ev, result.p_failure, result.failure_exposure,
            result.failure_readiness, result.p_success, result.success_readiness, len(result.late), unprepared))
    order = {t.id: k for k, t in enumerate(plan.tracks)}
    key = lambda b: (-b.cost, -b.reach, order[b.track_id], b.node_id)  # noqa: E731
    return ReadinessReport(tracks, sorted(failures, key=key) + sorted(successes, key=key))


__all__ = [
    "AnalysisCancelled", "BranchReadiness", "ReadinessReport", "SENSITIVITY_PARTS", "SensitivityBundle",
    "TrackReadiness", "branch_costs", "chunk_sizes", "compute_sensitivity", "default_decision",
    "readiness_report", "simulate_chunked",
]
