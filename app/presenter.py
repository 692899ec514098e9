"""View > Present (F5): start a live walk and record it in the plan's history.

``install_presenter(window)`` adds the actions to a MainWindow. The walk runs
in :class:`widgets.presenter.presenter.PresenterWindow`; on leaving, the walk
log is appended to ``plan.extra["history"]`` as ONE undoable edit
(:func:`record_walk`) and the node reached is selected in the editor.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from planning.model.errors import PlanError
from planning.sharing.walk import append_history_edit, walks
from planning.sharing.walk_log import history_to_markdown, walk_to_markdown
from widgets.i18n import fill, translate

MARKDOWN_FILTER = "Markdown (*.md);;All files (*)"


def record_walk(document, entry: dict) -> None:
    """Append a walk log entry to the plan's history as one undoable edit.

    Parameters
    ----------
    document : app.document.Document
    entry : dict
        A walk entry (``Walk.to_entry()``).
    """
    document.apply(append_history_edit(document.plan, entry))


def _write_text(path: Path, text: str) -> None:
    """Write by the one output rule (app/output.py): a unique temporary file, checked, then renamed."""
    from app.output import write_output

    write_output(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), allow_empty=True)


def export_markdown(parent: QWidget | None, text: str, suggested: str, path: str | Path | None = None) -> Path | None:
    """Save Markdown ``text``, asking for the file when ``path`` is None; the path written."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(parent, translate("Presenter", "Export walk log as Markdown"), suggested, MARKDOWN_FILTER)
        if not path:
            return None
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(".md")
    try:
        _write_text(target, text)
    except OSError as exc:
        QMessageBox.critical(parent, translate("Presenter", "Cannot export walk log"), f"{target}:\n{exc}")
        return None
    return target


def _suggested_name(document, what: str) -> str:
    stem = document.path.stem if document.path is not None else (document.plan.title or "plan")
    folder = document.path.parent if document.path is not None else Path.home()
    return str(folder / f"{stem}-{what}.md")


def export_current_walk(window, entry: dict, path: str | Path | None = None) -> Path | None:
    """The presenter's Ctrl+E: the walk in progress as Markdown."""
    text = walk_to_markdown(entry, window.document.plan)
    parent = getattr(window, "presenter", None) or window
    return export_markdown(parent, text, _suggested_name(window.document, "walk"), path)


def export_history(window, path: str | Path | None = None) -> Path | None:
    """View > Export walk log: every walk recorded in the plan, as Markdown."""
    plan = window.document.plan
    if not walks(plan) and path is None:
        QMessageBox.information(window, translate("Presenter", "Export walk log"), translate("Presenter", "No walks are recorded in this plan yet (F5 presents)."))
        return None
    return export_markdown(window, history_to_markdown(plan), _suggested_name(window.document, "walks"), path)


def start_presentation(window, node_id: str | None = None, **options):
    """Start presenting the current track from ``node_id`` (default: the selected node, else the root).

    ``options`` go to ``PresenterWindow`` (``screens``, ``fullscreen``, ``step_reveal``).
    Returns the presenter window, or None when the plan cannot be presented.
    """
    from widgets.presenter.presenter import PresenterWindow

    existing = getattr(window, "presenter", None)
    if existing is not None and existing.isVisible():
        existing.activateWindow()
        return existing
    document = window.document
    plan = document.plan
    start = node_id if node_id in plan.nodes else document.selected_id
    if start not in plan.nodes:
        start = None
    track_id = None
    if start is not None:
        owner = plan.track_of(start)
        if owner is None:
            start = None
        else:
            track_id = owner.id
    if start is None:
        track_id = document.current_track_id or None
    try:
        presenter = PresenterWindow(document, start, track_id, parent=window, **options)
    except (PlanError, KeyError, ValueError) as exc:
        QMessageBox.warning(window, translate("Presenter", "Cannot present"), fill(translate("Presenter", "This plan cannot be presented yet:\n%1"), exc))
        return None
    presenter.finished.connect(lambda entry, node: _finished(window, entry, node))
    presenter.exportRequested.connect(lambda entry: export_current_walk(window, entry))
    window.presenter = presenter
    presenter.start()
    return presenter


def _finished(window, entry: dict | None, node_id: str) -> None:
    """Back in the editor: record the walk, select the node reached."""
    document = window.document
    window.presenter = None
    if entry is not None:
        record_walk(document, entry)
    owner = document.plan.track_of(node_id) if node_id in document.plan.nodes else None
    if owner is not None and owner.id != document.current_track_id:
        document.set_current_track(owner.id)
    document.select(node_id)
    window.activateWindow()
    canvas = getattr(window, "canvas", None)
    if canvas is not None:
        canvas.setFocus()
    message = getattr(window, "message", None)
    if callable(message) and entry is not None:
        message(fill(translate("Presenter", "Walk recorded: %1 steps (Ctrl+Z removes it)"), len(entry['steps'])))


def install_presenter(window) -> QAction:
    """Add View > Present (F5) and View > Export walk log as Markdown… to a MainWindow.

    Returns
    -------
    QAction
        The Present action (objectName ``action_present``).
    """
    present = QAction(translate("Presenter", "&Present"), window)
    present.setObjectName("action_present")
    present.setShortcut(QKeySequence("F5"))
    present.setStatusTip(translate("Presenter", "Walk the current track full screen, from the selected node (Esc returns)"))
    present.setToolTip(translate("Presenter", "Present the track from the selected node (F5)"))
    present.triggered.connect(lambda _checked=False: start_presentation(window))
    export = QAction(translate("Presenter", "Export walk &log as Markdown…"), window)
    export.setObjectName("action_export_walks")
    export.setStatusTip(translate("Presenter", "Save every recorded walk of this plan as a Markdown file"))
    export.triggered.connect(lambda _checked=False: export_history(window))
    window.presenter = None
    menu = next((a.menu() for a in window.menuBar().actions()
                 if a.menu() is not None and a.text().replace("&", "") == "View"), None)
    if menu is None:
        menu = window.menuBar().addMenu(translate("Presenter", "&View"))
    menu.addSeparator()
    menu.addAction(present)
    menu.addAction(export)
    actions = getattr(window, "actions", None)
    if isinstance(actions, dict):
        actions["present"] = present
        actions["export_walks"] = export
    return present
