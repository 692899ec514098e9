"""The layout of a SilverDecisions file and an iterative walk over its trees.

Checks the structure (node objects, types, edges, child nodes) and words every
problem with its place: ``file.json: tree 1, node 'Buy?': edge 2: ...``.
"""
from __future__ import annotations

from planning.model.errors import PlanFileError
from planning.model.plan import CHANCE, DECISION, TERMINAL

_KINDS = {"decision": DECISION, "chance": CHANCE, "terminal": TERMINAL}


def _show(value, limit: int = 60) -> str:
    """A short description of a JSON value for messages."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _clean(text: str, limit: int | None = None) -> str:
    """One line of text: runs of white space (new lines too) become one space."""
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[:limit - 3] + "..."


# -- the file's layout and an iterative walk over its trees ------------------------------------
class _Walk:
    """Every SilverDecisions node of the file in depth-first pre-order, as parallel lists.

    Index ``i`` is the node ``sd{i + 1}``: ``nodes[i]`` its object, ``parents[i]``
    its parent's index (-1 for a root), ``edges[i]`` the edge that leads to it
    (None for a root), ``edge_nos[i]`` that edge's 1-based position and
    ``trees[i]`` its 1-based tree, ``names[i]`` its name (None or text). Lists rather than one object per node: a
    million-node file would spend seconds and hundreds of MB on them. The place
    names of messages are made only when a message needs one (:meth:`where`).
    """

    __slots__ = ("source", "nodes", "parents", "edges", "edge_nos", "trees", "names")

    def __init__(self, source: str):
        self.source = source
        self.nodes: list[dict] = []
        self.parents: list[int] = []
        self.edges: list[dict | None] = []
        self.edge_nos: list[int] = []
        self.trees: list[int] = []
        self.names: list[str | None] = []

    def where(self, index: int) -> str:
        """``"<source>: tree 1, node 'Buy?'"`` (the node id when it has no name)."""
        label = _clean(self.names[index] or "", 40)
        return (f"{self.source}: tree {self.trees[index]}, node "
                + (f"'{label}'" if label else f"sd{index + 1}"))

    def edge_place(self, index: int) -> str:
        """``"<parent's place>: edge 2"``: where the edge leading to node ``index`` is."""
        return f"{self.where(self.parents[index])}: edge {self.edge_nos[index]}"


def _layout(data, source: str) -> tuple[str, dict, list]:
    """The version, the object holding trees/code/expressionScope, and the trees."""
    if not isinstance(data, dict):
        raise PlanFileError(f"{source}: not a SilverDecisions file: the top level is {_show(data)}, "
                            "not an object")
    version = data.get("SilverDecisions")
    if version is None:
        raise PlanFileError(f"{source}: not a SilverDecisions file: it has no 'SilverDecisions' "
                            "version field")
    if not isinstance(version, str) or not version.strip():
        raise PlanFileError(f"{source}: SilverDecisions: the version must be text like \"0.8.0\", "
                            f"got {_show(version)}")
    body = data
    if "trees" not in data and "data" in data:  # 0.7 and later
        body = data["data"]
        if not isinstance(body, dict):
            raise PlanFileError(f"{source}: data: must be an object, got {_show(body)}")
    trees = body.get("trees")
    if trees is None:
        raise PlanFileError(f"{source}: the file has no 'trees' list")
    if not isinstance(trees, list):
        raise PlanFileError(f"{source}: trees: must be a list, got {_show(trees)}")
    if not trees:
        raise PlanFileError(f"{source}: the file holds no decision tree")
    return version.strip(), body, trees


def _walk(trees: list, source: str, max_nodes: int) -> _Walk:
    """Every node of every tree in depth-first pre-order, checking the structure (at most
    ``max_nodes`` nodes)."""
    walk = _Walk(source)
    nodes, parents, edges, edge_nos, tree_of, names = (walk.nodes, walk.parents, walk.edges,
                                                       walk.edge_nos, walk.trees, walk.names)
    for tree_no, root in enumerate(trees, 1):
        stack: list[tuple[object, int, dict | None, int]] = [(root, -1, None, 0)]
        while stack:
            node, parent, edge, edge_no = stack.pop()
            here = len(nodes)
            if here >= max_nodes:
                raise PlanFileError(f"{source}: more than {max_nodes:,} nodes; Branchwise imports "
                                    "at most that many")
            if not isinstance(node, dict):
                raise PlanFileError(f"{_place(walk, parent, edge_no, tree_no)}: must be an object "
                                    f"(a node), got {_show(node)}")
            name = node.get("name")
            if name is not None and not isinstance(name, str):
                raise PlanFileError(f"{_place(walk, parent, edge_no, tree_no)}: name: must be text, "
                                    f"got {_show(name)}")
            nodes.append(node)
            parents.append(parent)
            edges.append(edge)
            edge_nos.append(edge_no)
            tree_of.append(tree_no)
            names.append(name)
            kind = node.get("type")
            if type(kind) is not str or kind not in _KINDS:  # a list or an object: no traceback
                what = "missing" if kind is None else f"unknown node type {_show(kind)}"
                raise PlanFileError(f"{walk.where(here)}: type: {what} (expected decision, chance "
                                    "or terminal)")
            code = node.get("code")
            if code is not None and not isinstance(code, str):
                raise PlanFileError(f"{walk.where(here)}: code: must be text, got {_show(code)}")
            child_edges = node.get("childEdges") or []
            if not isinstance(child_edges, list):
                raise PlanFileError(f"{walk.where(here)}: childEdges: must be a list, "
                                    f"got {_show(child_edges)}")
            for k in range(len(child_edges), 0, -1):
                child_edge = child_edges[k - 1]
                if not isinstance(child_edge, dict):
                    raise PlanFileError(f"{walk.where(here)}: edge {k}: must be an object, "
                                        f"got {_show(child_edge)}")
                edge_name = child_edge.get("name")
                if edge_name is not None and not isinstance(edge_name, str):
                    raise PlanFileError(f"{walk.where(here)}: edge {k}: name: must be text, "
                                        f"got {_show(edge_name)}")
                if "childNode" not in child_edge:
                    raise PlanFileError(f"{walk.where(here)}: edge {k}: has no childNode")
                stack.append((child_edge["childNode"], here, child_edge, k))
    return walk


def _place(walk: _Walk, parent: int, edge_no: int, tree_no: int) -> str:
    """Where a node that is not (yet) on the walk is: its edge, or its tree for a root."""
    if parent >= 0:
        return f"{walk.where(parent)}: edge {edge_no}: childNode"
    return f"{walk.source}: tree {tree_no}"
