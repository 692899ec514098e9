"""Starting points for a new plan: ``branchwise new TEMPLATE`` and File > New.

``blank`` is built here (one track, one decision with two options); the other
templates are the sample plans shipped as package data in
``resources/samples/`` and read through :mod:`importlib.resources`, so they
work from a source checkout, an installed wheel and a frozen bundle alike.
Every call returns a fresh :class:`~planning.model.plan.Plan` the caller may edit.
"""
from __future__ import annotations

from importlib import resources

from planning.model.plan import DECISION, MAXIMIZE, NEUTRAL, TERMINAL, Node, Plan, Track
from planning.files.planfile import loads_plan

#: Template name -> one-line description, in the order a menu shows them.
TEMPLATES: dict[str, str] = {
    "blank": "An empty plan: one track with one decision and two options.",
    "peace-process": "A six-track diplomatic peace process with a nuclear-armed state "
                     "(fictional Northern Peninsula talks).",
    "product-launch": "A small product launch: launch timing, market response and supply risk.",
}

#: Templates that are sample files: name -> file name in ``resources/samples``.
SAMPLE_FILES: dict[str, str] = {
    "peace-process": "peace-process.bwplan",
    "product-launch": "product-launch.bwplan",
}

SAMPLES_PACKAGE = "resources.samples"


def _unknown(template: str) -> KeyError:
    known = ", ".join(TEMPLATES)
    return KeyError(f"unknown template {template!r}; known templates: {known}")


def sample_text(template: str) -> str:
    """The text of the sample file behind a template.

    Parameters
    ----------
    template : str
        A template name that is a sample file (see :data:`SAMPLE_FILES`).

    Returns
    -------
    str
        The ``.bwplan`` JSON text, as shipped.

    Raises
    ------
    KeyError
        When ``template`` has no sample file; the message lists the known names.
    """
    if template not in SAMPLE_FILES:
        raise _unknown(template)
    sample = resources.files(SAMPLES_PACKAGE).joinpath(SAMPLE_FILES[template])
    return sample.read_text(encoding="utf-8")


def blank_plan() -> Plan:
    """A plan with one track whose root decision has two terminal options.

    Returns
    -------
    Plan
        A fresh, valid plan ready for editing.
    """
    nodes = [
        Node(id="d1", kind=DECISION, label="What do we do?", children=["t1", "t2"]),
        Node(id="t1", kind=TERMINAL, label="Option A", path=NEUTRAL),
        Node(id="t2", kind=TERMINAL, label="Option B", path=NEUTRAL),
    ]
    return Plan(
        title="Untitled plan",
        objective=MAXIMIZE,
        value_unit="points",
        tracks=[Track(id="track1", title="Track 1", root="d1")],
        nodes={node.id: node for node in nodes},
    )


def new_plan(template: str) -> Plan:
    """A new plan made from a template.

    Parameters
    ----------
    template : str
        One of the names in :data:`TEMPLATES`.

    Returns
    -------
    Plan
        A fresh plan (never shared with an earlier call).

    Raises
    ------
    KeyError
        For an unknown template; the message lists the known names.
    """
    if template not in TEMPLATES:
        raise _unknown(template)
    if template == "blank":
        return blank_plan()
    return loads_plan(sample_text(template), source=f"template {template}")
