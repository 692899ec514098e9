"""Monte Carlo across linked tracks: the values a track reads, drawn per iteration.

DESIGN: "Monte Carlo draws every track in the same iteration, so linked
values vary per iteration". A simulated track T that reads track R gets one
row per link among its drawn parameters (a plan-scope variable named by
:func:`planning.model.expressions.link_key`, never drawn itself); for each chunk
of iterations, R is drawn too, with the same values of the plan variables
that T drew in that iteration (R's own ranges from a stream of its own,
seeded from the same seed), rolled back per iteration, and its figures
(ev, p_success, p_failure, reach of a node) fill T's rows. Chains recurse:
R's own links are filled from the tracks R reads, with the same plan
variables again.

planning.engine.montecarlo calls :func:`for_simulation` once and
:meth:`LinkedDraws.fill` per chunk; nothing else in the engine changes.
"""
from __future__ import annotations

import numpy as np

from planning.engine.compile import KIND_TERMINAL, PATH_FAILURE, PATH_SUCCESS, CompiledTrack
from planning.model.plan import Plan


def _link_of(name: str) -> tuple[str, str] | None:
    if name.endswith('")') and '("' in name:
        function, argument = name[:-2].split('("', 1)
        return function, argument
    return None


def crossing(ct: CompiledTrack, path_code: int) -> np.ndarray:
    """Per node: whether the way down from the compiled root crosses a branch on the path."""
    hit = ct.is_branch & (ct.path == path_code)
    out = hit.copy()
    for d in range(1, ct.levels):
        lo, hi = int(ct.level_start[d]), int(ct.level_start[d + 1])
        out[lo:hi] |= out[ct.parent[lo:hi]]
    return out


class _TrackDraws:
    """One read track, drawn chunk by chunk alongside the simulated track."""

    def __init__(self, plan: Plan, track_id: str, seed: int, depth: int):
        from planning.engine.compile import compile_track
        from planning.engine.montecarlo import _Simulator
        from planning.engine.parameters import compiled_parameters

        self.ct = ct = compile_track(plan, track_id)
        self.params = compiled_parameters(ct)
        self.links = LinkedDraws(plan, ct, self.params, seed, depth + 1)
        self.sim = _Simulator(ct, self.params + self.links.params)
        position = next(i for i, t in enumerate(plan.tracks) if t.id == track_id)
        self.rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 1 + position])))
        terminal = ct.kind == KIND_TERMINAL
        self.success = crossing(ct, PATH_SUCCESS) & terminal
        self.failure = crossing(ct, PATH_FAILURE) & terminal

    def chunk(self, shared: dict[str, np.ndarray], k: int) -> dict[str, np.ndarray]:
        """This track's figures for ``k`` iterations, plan variables as ``shared``."""
        from planning.engine.evaluate import edge_weights, reach, rollback

        params = self.params + self.links.params
        values = self.sim.draw(self.rng, k)
        for j, p in enumerate(params):
            if p.scope == 0 and p.variable in shared:
                values[j] = shared[p.variable]
        self.links.fill(values, k, shared)
        payoff, probability = self.sim.scenario(values, k)
        pay, prob = self.sim.full_matrices(payoff, probability)
        value, chosen = rollback(self.ct, pay, prob)
        r = reach(self.ct, edge_weights(self.ct, chosen, prob))
        return {"ev": value[0], "p_success": r[self.success].sum(axis=0),
                "p_failure": r[self.failure].sum(axis=0), "reach": r}


class LinkedDraws:
    """The link rows of a simulated track and how to fill them per chunk."""

    def __init__(self, plan: Plan, ct: CompiledTrack, params: list, seed: int, depth: int = 0):
        from planning.engine.links import node_tracks
        from planning.engine.parameters import VARIABLE, Parameter

        self.plan, self.seed, self.depth = plan, seed, depth
        self.params: list = []
        self.rows: list[tuple[int, str, str, str]] = []  # (row, track read, function, argument)
        owner = None
        first = len(params)
        for variable in ct.scopes[0].variables if ct.scopes else ():
            link = _link_of(variable.name)
            if link is None:
                continue
            function, argument = link
            if function == "reach":
                owner = node_tracks(plan) if owner is None else owner
                read = owner.get(argument)
            else:
                read = argument
            base = float(variable.value)
            self.rows.append((first + len(self.params), read, function, argument))
            self.params.append(Parameter(variable.name, VARIABLE, None, base, base, base,
                                         scope=0, variable=variable.name))
        # Plan variables drawn for this track: the read tracks use the same draws.
        self.shared_rows = [(j, p.variable) for j, p in enumerate(params)
                            if p.scope == 0 and p.kind == VARIABLE and _link_of(p.variable) is None]
        self.tracks: dict[str, _TrackDraws] = {}

    def __bool__(self) -> bool:
        return bool(self.rows)

    def fill(self, values: np.ndarray, k: int, shared: dict[str, np.ndarray] | None = None) -> None:
        """Overwrite the link rows of ``values`` (parameters x k) for this chunk."""
        if not self.rows:
            return
        if shared is None:
            shared = {name: values[j] for j, name in self.shared_rows}
        figures: dict[str, dict] = {}
        for row, read, function, argument in self.rows:
            if read not in figures:
                if read not in self.tracks:
                    self.tracks[read] = _TrackDraws(self.plan, read, self.seed, self.depth)
                figures[read] = self.tracks[read].chunk(shared, k)
            got = figures[read]
            if function == "reach":
                draws = self.tracks[read]
                values[row] = got["reach"][draws.ct.index[argument]]
            else:
                values[row] = got[function]


def for_simulation(plan: Plan, ct: CompiledTrack, params: list, seed: int) -> LinkedDraws:
    """The link rows of track ``ct`` (empty, and false, when it reads no other track)."""
    return LinkedDraws(plan, ct, params, seed)


# -- sensitivity: the tornado of a reading track -------------------------------------

def _moved_figures(plan: Plan, track_id: str, name: str, low: float, high: float,
                   memo: dict) -> dict[str, np.ndarray] | None:
    """A track's figures with parameter ``name`` at ``low`` and at ``high`` (two columns).

    The parameter moves where this track has it (a plan variable is in every
    track; a node's probability, payoff or variable in one) and through every
    track this one reads. None when neither this track nor any it reads has it.
    """
    from planning.engine.compile import compile_track
    from planning.model.errors import PlanError
    from planning.engine.evaluate import edge_weights, reach, rollback
    from planning.engine.parameters import _Block, compiled_parameters, scenario_columns

    if track_id in memo:
        return memo[track_id]
    ct = compile_track(plan, track_id)
    params, values = [], []
    if name in {ct.ids[i] + s for i in range(ct.size) for s in (".probability", ".payoff")} | {
            v.name for v in ct.scopes[0].variables} | {
            f"{s.node_id}.{v.name}" for s in ct.scopes[1:] for v in s.variables}:
        try:
            params.append(next(p for p in compiled_parameters(ct, {name: (low, high)}) if p.name == name))
            values.append([low, high])
        except PlanError:
            pass
    links = LinkedDraws(plan, ct, [], 0)
    for (row, read, function, argument), param in zip(links.rows, links.params):
        figures = _moved_figures(plan, read, name, low, high, memo) if read is not None else None
        if figures is None:
            continue
        params.append(param)
        values.append(figures["reach"][_index(plan, read, argument)] if function == "reach"
                      else figures[function])
    if not params:
        memo[track_id] = None
        return None
    probability, payoff = scenario_columns(ct, [_Block(params, np.array(values, dtype=float))])
    value, chosen = rollback(ct, payoff, probability)
    r = reach(ct, edge_weights(ct, chosen, probability))
    terminal = ct.kind == KIND_TERMINAL
    memo[track_id] = {"ev": value[0], "p_success": r[crossing(ct, PATH_SUCCESS) & terminal].sum(axis=0),
                      "p_failure": r[crossing(ct, PATH_FAILURE) & terminal].sum(axis=0), "reach": r,
                      "ct": ct, "probability": probability, "payoff": payoff}
    return memo[track_id]


def _index(plan: Plan, track_id: str, node_id: str) -> int:
    from planning.engine.compile import compile_track

    return compile_track(plan, track_id).index[node_id]


def tornado_bars(plan: Plan, track_id: str | None, analysis, bars: list[dict]) -> list[dict]:
    """The tornado bars of a reading track, with the read tracks' ranges.

    Bars of the plan's variables are recomputed so that the read tracks move
    with them; every ranged parameter of a track read (directly or through
    others) gets a bar named as in that track's own tornado. Plain tornado
    when the track reads no other.
    """
    from planning.engine.evaluate import rollback
    from planning.engine.links import dependency_graph
    from planning.engine.parameters import compiled_parameters
    import networkx as nx

    ct = analysis.ct
    if track_id is None or not LinkedDraws(plan, ct, [], 0):
        return bars
    names = {b["name"]: (b["low"], b["high"]) for b in bars
             if any(p.name == b["name"] and p.scope == 0 for p in analysis.params)}
    graph = dependency_graph(plan)
    for upstream in (t.id for t in plan.tracks if t.id in nx.ancestors(graph, track_id)):
        from planning.engine.compile import compile_track

        for p in compiled_parameters(compile_track(plan, upstream)):
            if p.scope != 0:
                names.setdefault(p.name, (p.low, p.high))
    out = [b for b in bars if b["name"] not in names]
    for name, (low, high) in names.items():
        figures = _moved_figures(plan, track_id, name, low, high, {})
        if figures is None:
            continue
        if analysis.policy == "fixed":
            value, _ = rollback(ct, figures["payoff"], figures["probability"], optimise=False,
                                choice=analysis.base_chosen)
            ev = value[0]
        else:
            ev = figures["ev"]
        out.append({"name": name, "low": low, "high": high, "ev_low": float(ev[0]),
                    "ev_high": float(ev[1])})
    out.sort(key=lambda b: -abs(b["ev_high"] - b["ev_low"]))
    return out
