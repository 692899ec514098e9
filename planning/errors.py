"""Errors and problems, always naming the place: node id and field."""
from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


def _place(node_id: str | None, field: str | None) -> str:
    parts = []
    if node_id:
        parts.append(f"node {node_id}")
    if field:
        parts.append(field)
    return ": ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a plan, where it is and what it is."""

    severity: str
    node_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        place = _place(self.node_id, self.field)
        return f"{place}: {self.message}" if place else self.message


class PlanError(ValueError):
    """The plan cannot be evaluated: names the node and the field.

    >>> str(PlanError("n12", "probability", "siblings sum to 1.05"))
    'node n12: probability: siblings sum to 1.05'
    """

    def __init__(self, node_id: str | None, field: str | None, message: str):
        self.node_id = node_id
        self.field = field
        self.message = message
        place = _place(node_id, field)
        super().__init__(f"{place}: {message}" if place else message)

    def problem(self) -> Problem:
        return Problem(ERROR, self.node_id, self.field, self.message)


class PlanFileError(ValueError):
    """A file cannot be read as a plan at all (not JSON, too large, wrong format)."""
