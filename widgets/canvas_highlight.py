"""Highlighting one policy on the canvas (the League table's selected row).

The canvas draws the edges of the evaluated policy bold; while a policy is
highlighted, the bold edges are those of that policy instead: from the root
down, every branch of a chance node and, at a decision, the option the
policy names.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from planning.engine.layout import TreeLayout
from planning.model.plan import DECISION, Plan


def policy_mask(plan: Plan, layout: TreeLayout, policy: dict[str, str]) -> np.ndarray:
    """Per visible node: True when it lies on ``policy`` (breadth-first, parents first)."""
    n = len(layout.ids)
    on = np.zeros(n, dtype=bool)
    if n == 0:
        return on
    on[0] = True
    ids = layout.ids
    nodes = plan.nodes
    parent = layout.parent.tolist()
    for i in range(1, n):
        up = parent[i]
        if up < 0 or not on[up]:
            continue
        owner = nodes.get(ids[up])
        if owner is not None and owner.kind == DECISION:
            on[i] = policy.get(ids[up]) == ids[i]
        else:
            on[i] = True
    return on


def with_highlight(style, plan: Plan, layout: TreeLayout, policy: dict[str, str] | None):
    """``style`` with the bold edges and on-policy nodes of ``policy`` (unchanged for None)."""
    if style is None or not policy:
        return style
    on = policy_mask(plan, layout, policy)
    return dataclasses.replace(style, bold=on & (layout.parent >= 0), on_policy=on)
