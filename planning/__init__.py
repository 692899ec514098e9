"""The Branchwise planning core: model, plan files, evaluation. Never imports Qt."""
from planning.model.plan import Node, Plan, Response, Track, Variable

__all__ = ["Node", "Plan", "Response", "Track", "Variable"]
