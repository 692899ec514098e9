"""The open plan, its undo stack, selection and live evaluation.

Widgets get the document in their constructor, read ``document.plan`` and
call the edit methods here; every edit is one QUndoCommand (or a macro), and
every applied or undone edit emits ``changed``. After each change the plan
is validated and the current track evaluated: at once for small plans, and
for large ones (over ``large_plan_nodes``) in a worker thread after a short
debounce, so that typing never waits for a 100,000-node rollback.

On small plans an edit costs one evaluation (the numbers are fresh when the
edit method returns) but the full validation of a plan that was, and still
evaluates, valid is debounced: it can only add warnings, and running it on
every keystroke would double the cost of an edit on a 10,000-node plan.
While the plan has problems, or when the evaluation fails, validation runs
at once so that the problems shown are never stale. ``problemsChanged`` is
emitted whenever ``problems`` changes outside an ``evaluated`` emission.
"""
from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QUndoStack

from app.commands import EditCommand
from planning.model import edits
from planning.model.edits import Change
from planning.model.errors import PlanError, Problem
from planning.engine.evaluate import evaluate_compiled_plan, evaluate_track
from planning.model.plan import Plan
from planning.files.templates import new_plan
from planning.model.validate import validate_plan

log = logging.getLogger(__name__)

LARGE_PLAN_NODES = 20_000
DEBOUNCE_MS = 150


def blank_plan(template: str = "blank") -> Plan:
    """A new plan from ``planning.files.templates``."""
    return new_plan(template)


def validate(plan: Plan) -> list[Problem]:
    """``planning.model.validate.validate_plan`` as a list."""
    return list(validate_plan(plan))


def evaluate(plan: Plan, track_id: str | None) -> tuple[Any, Problem | None]:
    """Evaluate one track: (TrackResult or None, the problem that stopped it or None).

    Never raises for a bad plan: a PlanError becomes a problem and no result.
    """
    if not track_id:
        return None, None
    try:
        return evaluate_track(plan, track_id), None
    except PlanError as exc:
        return None, exc.problem()
    except Exception as exc:  # noqa: BLE001
        # A plan validation let through but evaluation cannot handle (or
        # a bug there): say so in the problems panel, keep the editor up.
        log.exception("evaluating track %s failed", track_id)
        return None, Problem("error", None, None, f"cannot evaluate: {exc}")


def _merged(problems: list[Problem], failure: Problem | None) -> list[Problem]:
    if failure is not None and failure not in problems:
        problems.append(failure)
    return problems


def check_plan(plan: Plan, track_id: str | None) -> tuple[Any, list[Problem]]:
    """Validate the plan and evaluate one track: (TrackResult or None, problems).

    Never raises for a bad plan: a PlanError becomes a problem and no result.
    """
    problems = validate(plan)
    result, failure = evaluate(plan, track_id)
    return result, _merged(problems, failure)


#: In a check's answer: "this part is unchanged" (a value edit's numbers come
#: without problems, its validation after without numbers).
KEEP = object()


class _CheckSignals(QObject):
    done = Signal(int, object, object)  # generation, result, problems


def patched_track(result: Any, plan: Plan, change: Change) -> Any:
    """The compiled track of ``result`` with one edited number put in, or None.

    A value edit (one node's payoff or branch probability, from a plain
    number to a plain number) leaves the tree's shape, scopes, expressions
    and responses as they were: the arrays are patched (a copy: the old
    result keeps its own), '#' siblings re-shared and the sums checked, and
    no recompile is needed. Anything else (an expression, '#', a structural
    edit, a sum that no longer adds up) returns None: the full check runs.
    """
    from dataclasses import replace

    from planning.engine.compile import check_probabilities, resolve_shares

    ct = getattr(result, "compiled", result)  # a TrackResult or a CompiledTrack
    if (ct is None or change.kind != edits.NODE or len(change.node_ids) != 1
            or len(change.fields) != 1 or change.fields[0] not in ("payoff", "probability")):
        return None
    node_id, field = change.node_ids[0], change.fields[0]
    i = ct.index.get(node_id)
    node = plan.nodes.get(node_id)
    value = getattr(node, field, None)
    if i is None or type(value) is not float or not math.isfinite(value):
        return None
    if any(f.node == i and f.field == field for f in ct.expression_fields):
        return None  # it was an expression: its scope bookkeeping needs a compile
    if field == "probability" and (not ct.is_branch[i] or ct.shares[i]):
        return None
    patched = replace(ct, payoff=ct.payoff.copy(), probability=ct.probability.copy())
    patched._level_plan = ct._level_plan  # same shape: the level plan still holds
    getattr(patched, field)[i] = value
    if field == "probability":
        resolve_shares(patched, patched.probability)
        try:
            check_probabilities(patched, patched.probability)
        except PlanError:
            return None
    return patched


def incremental_track(ct: Any, plan: Plan, change: Change, track_id: str) -> Any:
    """The compiled ``track_id`` after ``change`` without a full compile, or None.

    ``ct`` is that track compiled just before the edit. A value edit patches
    one number (:func:`patched_track`); a structural edit inside the track
    splices the arrays (:func:`planning.engine.splice.splice_track`).
    Anything else returns None: the full check runs.
    """
    if ct is None or ct.track_id != track_id:
        return None
    if change.kind == edits.STRUCTURE:
        if change.track_id != track_id:
            return None  # another track, or a move between tracks: links may read it
        from planning.engine.splice import splice_track

        return splice_track(ct, plan, change.node_ids)
    return patched_track(ct, plan, change)


class _CheckJob(QRunnable):
    """Validate and evaluate in a pool thread. It only reads the plan; a result
    computed while the plan changed underneath is thrown away by generation."""

    def __init__(self, plan: Plan, track_id: str, generation: int, signals: _CheckSignals,
                 compiled: Any = None, validate_only: bool = False, numbers_first: bool = False):
        super().__init__()
        self.plan, self.track_id, self.generation, self.signals = plan, track_id, generation, signals
        self.compiled = compiled  # a patched compiled track (a value edit): only roll it back
        self.validate_only = validate_only  # after a value edit: the problems, not the numbers
        self.numbers_first = numbers_first  # a plan just opened: numbers now, validation next

    def run(self) -> None:
        try:
            if self.compiled is not None:
                result, problems = evaluate_compiled_plan(self.plan, self.compiled), KEEP
            elif self.numbers_first:
                result, failure = evaluate(self.plan, self.track_id)
                problems = KEEP if failure is None else _merged(validate(self.plan), failure)
            elif self.validate_only:
                result, problems = KEEP, validate(self.plan)
            else:
                result, problems = check_plan(self.plan, self.track_id)
        except Exception:  # noqa: BLE001 - the plan changed under us; result is stale
            result, problems = None, None
        try:
            self.signals.done.emit(self.generation, result, problems)
        except RuntimeError:  # the document closed while the check ran: nobody to tell
            pass


class Document(QObject):
    """The open plan. See planning/ARCHITECTURE.md for the contract."""

    changed = Signal(object)           # planning.model.edits.Change
    planReplaced = Signal()
    selectionChanged = Signal(str)
    currentTrackChanged = Signal(str)
    cleanChanged = Signal(bool)
    evaluated = Signal(object)         # TrackResult of the current track, or None
    problemsChanged = Signal()         # a debounced validation changed ``problems``
    collapsedChanged = Signal(str, bool)
    pathChanged = Signal(str)

    def __init__(self, plan: Plan | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        # A Python slot, not signal-to-signal: PySide6 6.x mis-counts the bool
        # references of a forwarded signal and crashes at exit.
        self.undo_stack.cleanChanged.connect(self._forward_clean)
        self.plan: Plan = plan if plan is not None else blank_plan()
        self.path: Path | None = None
        self.current_track_id: str = self.plan.tracks[0].id if self.plan.tracks else ""
        self.selected_id: str | None = None
        self.result = None
        self.problems: list[Problem] = []
        self.large_plan_nodes = LARGE_PLAN_NODES
        self._collapsed: set[str] = set()
        self._macro_depth = 0
        self._generation = 0
        self._job_running = False
        # The checks run in the global pool, which a document does not wait for when it
        # closes: a signal object owned by the document could be deleted while a pool
        # thread emits on it (a crash). Owned by the application it outlives every job;
        # the connection goes with the document.
        self._check_signals = _CheckSignals(QCoreApplication.instance())
        self._check_signals.done.connect(self._check_done)
        self._patched: Any = None  # a value edit's patched compiled track, for the next job
        # (generation, compiled track of the current track as the plan is at
        # that generation): what the next value or structural edit patches.
        self._compiled: tuple[int, Any] = (-1, None)
        self._validate_only = False  # the next job validates only (after a value edit)
        self._numbers_first = False  # the next job evaluates first (a plan just opened)
        self._opened = False  # the numbers of a just opened plan are coming: validate right after
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._start_job)
        # Validation of a valid plan after an edit waits for a pause in the edits.
        self._validation = QTimer(self)
        self._validation.setSingleShot(True)
        self._validation.setInterval(DEBOUNCE_MS)
        self._validation.timeout.connect(self._validate_now)
        self._recheck()

    def _forward_clean(self, clean: bool) -> None:
        self.cleanChanged.emit(bool(clean))

    # -- state -----------------------------------------------------------
    def is_modified(self) -> bool:
        """True when the plan differs from the file (the undo stack is not clean)."""
        return not self.undo_stack.isClean()

    def display_name(self) -> str:
        """The file name, else the plan title, else "Untitled"."""
        if self.path is not None:
            return self.path.name
        return self.plan.title or "Untitled"

    def select(self, node_id: str | None) -> None:
        """Select a node (None or "" clears); emits selectionChanged on change."""
        node_id = node_id or None
        if node_id is not None and node_id not in self.plan.nodes:
            node_id = None
        if node_id != self.selected_id:
            self.selected_id = node_id
            self.selectionChanged.emit(node_id or "")

    def set_current_track(self, track_id: str) -> None:
        """Make ``track_id`` the evaluated, displayed track."""
        if track_id == self.current_track_id:
            return
        if not any(t.id == track_id for t in self.plan.tracks):
            raise ValueError(f"no track {track_id!r}")
        self.current_track_id = track_id
        self.currentTrackChanged.emit(track_id)
        self._recheck()

    def collapsed(self) -> set[str]:
        """Ids of collapsed nodes (view state: not saved, not undoable)."""
        return set(self._collapsed)

    def set_collapsed(self, node_id: str, collapsed: bool) -> None:
        """Collapse or expand a node in the views."""
        if collapsed == (node_id in self._collapsed):
            return
        (self._collapsed.add if collapsed else self._collapsed.discard)(node_id)
        self.collapsedChanged.emit(node_id, bool(collapsed))

    # -- files -----------------------------------------------------------
    def _replace(self, plan: Plan, path: Path | None) -> None:
        self.undo_stack.clear()
        self.plan = plan
        self.path = path
        self._collapsed.clear()
        self.selected_id = None
        self.current_track_id = plan.tracks[0].id if plan.tracks else ""
        self.problems = []  # the last plan's, not this one's (its check follows)
        self._compiled = (-1, None)
        self.undo_stack.setClean()
        self.planReplaced.emit()
        self.changed.emit(Change(edits.RESET, None))
        # A planReplaced handler may have selected a node (the window selects
        # the root): announce that selection, not the cleared one.
        self.selectionChanged.emit(self.selected_id or "")
        self.currentTrackChanged.emit(self.current_track_id)
        self.pathChanged.emit(str(path) if path else "")
        self._recheck()

    def new(self, template: str = "blank") -> None:
        """Replace the plan by a new one from a template; not yet saved anywhere."""
        self._replace(blank_plan(template), None)

    def open(self, path: str | Path) -> None:
        """Load a plan file. Raises PlanFileError, PlanError or OSError and keeps
        the current plan when the file cannot be read."""
        from planning.files.planfile import load_plan

        path = Path(path)
        self._replace(load_plan(path), path)

    def load_recovered(self, plan: Plan, original_path: Path | None) -> None:
        """Take a plan recovered from an autosave; it counts as unsaved."""
        self._replace(plan, original_path)
        self.undo_stack.resetClean()

    def save(self, path: str | Path | None = None) -> Path:
        """Write the plan (atomically) to ``path`` or the current path."""
        from planning.files.planfile import save_plan

        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the plan has no file yet: give a path")
        save_plan(self.plan, target)
        if target != self.path:
            self.path = target
            self.pathChanged.emit(str(target))
        self.undo_stack.setClean()
        return target

    # -- edits -----------------------------------------------------------
    def _push(self, edit: edits.Edit) -> str | None:
        self.undo_stack.push(EditCommand(self, edit))
        return edit.created_id

    def begin_macro(self, text: str) -> None:
        """Group the following edits into one undo step (nests)."""
        self._macro_depth += 1
        self.undo_stack.beginMacro(text)

    def end_macro(self) -> None:
        """Close the group opened by ``begin_macro``."""
        self.undo_stack.endMacro()
        self._macro_depth -= 1
        if self._macro_depth == 0:
            self._recheck(after_edit=True)

    def add_child(self, parent_id: str, kind: str = "terminal", label: str = "") -> str:
        return self._push(edits.add_child(self.plan, parent_id, kind, label))

    def add_sibling(self, node_id: str, kind: str | None = None) -> str:
        return self._push(edits.add_sibling(self.plan, node_id, kind))

    def remove_subtree(self, node_id: str) -> None:
        self._push(edits.remove_subtree(self.plan, node_id))

    def set_node_field(self, node_id: str, field: str, value: Any) -> None:
        if self.plan.nodes.get(node_id) is not None and field in edits.NODE_FIELDS \
                and getattr(self.plan.nodes[node_id], field) == value:
            return  # nothing changes: no empty undo step
        self._push(edits.set_node_field(self.plan, node_id, field, value))

    def move_subtree(self, node_id: str, new_parent_id: str, index: int) -> None:
        self._push(edits.move_subtree(self.plan, node_id, new_parent_id, index))

    def add_response(self, node_id: str) -> str:
        return self._push(edits.add_response(self.plan, node_id))

    def remove_response(self, node_id: str, response_id: str) -> None:
        self._push(edits.remove_response(self.plan, node_id, response_id))

    def move_response(self, node_id: str, response_id: str, index: int) -> None:
        self._push(edits.move_response(self.plan, node_id, response_id, index))

    def set_response_field(self, node_id: str, response_id: str, field: str, value: Any) -> None:
        self._push(edits.set_response_field(self.plan, node_id, response_id, field, value))

    def copy_fragment(self, node_id: str) -> str:
        return edits.fragment_to_text(self.plan, node_id)

    def paste_fragment(self, parent_id: str, text: str) -> str:
        return self._push(edits.paste_fragment(self.plan, parent_id, text))

    def add_track(self, title: str) -> str:
        return self._push(edits.add_track(self.plan, title))

    def rename_track(self, track_id: str, title: str) -> None:
        self._push(edits.rename_track(self.plan, track_id, title))

    def remove_track(self, track_id: str) -> None:
        if len(self.plan.tracks) <= 1:
            raise ValueError("a plan keeps at least one track")
        self._push(edits.remove_track(self.plan, track_id))

    def move_track(self, track_id: str, index: int) -> None:
        self._push(edits.move_track(self.plan, track_id, index))

    def apply(self, edit: edits.Edit) -> str | None:
        """Push a ready-made planning edit (e.g. the presenter's walk log) as one undo step."""
        return self._push(edit)

    def set_plan_field(self, field: str, value: Any) -> None:
        if field in edits.PLAN_FIELDS and getattr(self.plan, field) == value:
            return
        self._push(edits.set_plan_field(self.plan, field, value))

    # -- after every applied or undone edit ------------------------------
    def _edit_applied(self, change: Change) -> None:
        """Called by EditCommand after redo/undo: fix view state, tell views, recheck."""
        track_ids = {t.id for t in self.plan.tracks}
        if self.current_track_id not in track_ids:
            self.current_track_id = self.plan.tracks[0].id if self.plan.tracks else ""
            self.currentTrackChanged.emit(self.current_track_id)
        if change.kind == edits.TRACKS and change.node_ids and change.track_id in track_ids \
                and change.track_id != self.current_track_id:
            # a track just added (or restored by undo) comes to the front
            self.current_track_id = change.track_id
            self.currentTrackChanged.emit(change.track_id)
        self._collapsed.intersection_update(self.plan.nodes)
        evaluated_now = False
        if self._macro_depth == 0 and not self._cosmetic(change):
            # Numbers first (small plans): views redrawing for ``changed``
            # then see the fresh result and draw once, not once per signal.
            evaluated_now = self._recheck(after_edit=True, announce=False, change=change)
        self.changed.emit(change)
        if self.selected_id is not None and self.selected_id not in self.plan.nodes:
            fallback = next((n for n in change.node_ids if n in self.plan.nodes), None)
            self.select(fallback)
        if evaluated_now:
            self.evaluated.emit(self.result)

    @staticmethod
    def _cosmetic(change: Change) -> bool:
        if change.kind == edits.NODE:
            return bool(change.fields) and set(change.fields) <= edits.COSMETIC_NODE_FIELDS
        if change.kind == edits.RESPONSES:
            return bool(change.fields) and set(change.fields) <= edits.COSMETIC_RESPONSE_FIELDS
        if change.kind == edits.PLAN:
            return set(change.fields) <= {"title", "description"}
        return False

    def _recheck(self, after_edit: bool = False, announce: bool = True, change: Change | None = None) -> bool:
        """Validate and evaluate now (small plans) or soon in a worker (large ones).

        After an edit of a small plan that was valid and still evaluates,
        only the evaluation runs now; validation follows after a pause.
        ``announce=False`` leaves emitting ``evaluated`` to the caller.
        Returns True when the plan was evaluated now (False: in a worker soon).
        """
        base = self._compiled[1] if self._compiled[0] == self._generation else None
        self._generation += 1
        self._compiled = (-1, None)
        patched = None
        if change is not None and base is not None and not self.problems:
            patched = incremental_track(base, self.plan, change, self.current_track_id)
            if patched is not None:
                # The arrays of the plan as it is now: the next edit builds on them.
                self._compiled = (self._generation, patched)
        if len(self.plan.nodes) > self.large_plan_nodes:
            self._validation.stop()
            if patched is not None and not self._job_running:
                # A value or structural edit with spliced arrays: no debounce, no
                # recompile; the worker rolls them back at once, and validation
                # follows (debounced).
                self._debounce.stop()
                self._patched = patched
                self._start_job()
            elif change is None and not after_edit and not self._job_running:
                # A plan opened or another track shown: nothing to wait for;
                # the numbers come first, its validation right after.
                self._debounce.stop()
                self._patched, self._validate_only, self._numbers_first = None, False, True
                self._opened = True
                self._start_job()
            else:
                self._patched, self._validate_only = None, False
                self._debounce.start()
            return False
        self._debounce.stop()
        result = None
        if patched is not None:  # roll the patched arrays back, no recompile
            try:
                result, failure = evaluate_compiled_plan(self.plan, patched), None
            except Exception:  # noqa: BLE001 - the full evaluation below words the problem
                result = None
        if result is None:
            result, failure = evaluate(self.plan, self.current_track_id)
        if result is not None and getattr(result, "compiled", None) is not None:
            self._compiled = (self._generation, result.compiled)
        if after_edit and result is not None and not self.problems:
            self.result = result
            self._validation.start()
        else:
            self._validation.stop()
            self.result, self.problems = result, _merged(validate(self.plan), failure)
        if announce:
            self.evaluated.emit(self.result)
        return True

    def _validate_now(self) -> None:
        """The debounced validation of a plan that evaluates."""
        problems = validate(self.plan)
        if problems != self.problems:
            self.problems = problems
            self.problemsChanged.emit()

    def _start_job(self) -> None:
        if self._job_running:
            return  # _check_done starts the next one
        self._job_running = True
        patched, self._patched = self._patched, None
        validate_only, self._validate_only = self._validate_only and patched is None, False
        numbers_first, self._numbers_first = self._numbers_first and patched is None, False
        job = _CheckJob(self.plan, self.current_track_id, self._generation, self._check_signals,
                        patched, validate_only, numbers_first)
        QThreadPool.globalInstance().start(job)

    def _check_done(self, generation: int, result: Any, problems: Any) -> None:
        self._job_running = False
        if generation != self._generation or problems is None:
            self._patched, self._validate_only, self._opened = None, False, False
            self._debounce.start()  # the plan moved on: check the new one
            return
        if problems is KEEP:  # a value edit's numbers: its validation follows after a pause
            self.result = result
            if result is not None and getattr(result, "compiled", None) is not None:
                self._compiled = (generation, result.compiled)
            self._validate_only = True
            if self._opened:  # a plan just opened: validate at once, no edit to wait for
                self._opened = False
                self._start_job()
            else:
                self._debounce.start()
            self.evaluated.emit(result)
            return
        if result is KEEP:  # the validation after a value edit: only the problems are news
            if problems != self.problems:
                self.problems = problems
                self.problemsChanged.emit()
            return
        self.result, self.problems = result, problems
        if result is not None and getattr(result, "compiled", None) is not None:
            self._compiled = (generation, result.compiled)
        self.evaluated.emit(result)

    def wait_for_checks(self, timeout_ms: int = 30_000) -> None:
        """Block until pending background checks finish (for scripts and tests)."""
        from PySide6.QtCore import QCoreApplication

        # A check may start another (numbers first, then the validation): loop.
        for _ in range(5):
            if self._validation.isActive():
                self._validation.stop()
                self._validate_now()
            if self._debounce.isActive():
                self._debounce.stop()
                self._start_job()
            QThreadPool.globalInstance().waitForDone(timeout_ms)
            QCoreApplication.processEvents()
            if not (self._job_running or self._debounce.isActive() or self._validation.isActive()):
                break
