"""The Branchwise planning core: model, plan files, evaluation. Never imports Qt."""
from planning.model import Node, Plan, Response, Track, Variable

__all__ = ["Node", "Plan", "Response", "Track", "Variable"]
