"""Whether the private parts of Textual's Tree that the fast paths use are there, as expected.

tree_splice.py (open or close one cluster without building every line again), tree_refill.py
(regrouped clusters shown in the nodes already made) and ClusterTree's batched fill and redraw
reach into Tree internals, checked against Textual 8.2.8. pyproject allows later 8.2
releases, which may rename or reshape them: so they are checked once, on a small tree of
their own (names, types, and that the built lines have the shape the splice writes), and when
anything differs every fast path gives way to Textual's public API (each change rebuilds the
tree's lines: slower with many clusters, but the same rows), with one warning in the log,
never a traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from typing import Any

logger = logging.getLogger(__name__)

try:  # a later Textual may move or rename it: then the fast paths are off (never ImportError)
    from textual.widgets._tree import _TreeLine as TreeLine
except ImportError:  # pragma: no cover - depends on the Textual installed
    TreeLine = None  # type: ignore[assignment,misc]

TREE_ATTRIBUTES: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("_tree_lines_cached", (list, type(None))),
    ("_updates", int),
    ("_tree_nodes", dict),
)
"""A Tree's private attributes used, with the types expected."""
TREE_CALLABLES = ("_invalidate", "_render_line", "_toggle_node", "_line_cache.clear")
"""A Tree's private methods used (dotted: a method of an attribute)."""
NODE_ATTRIBUTES: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("_expanded", bool),
    ("_updates", int),
    ("_children", list),
    ("_line", int),
)
"""A TreeNode's private attributes used, with the types expected."""
NODE_CALLABLES = ("_remove_children",)
"""A TreeNode's private methods used."""
LINE_FIELDS = ("path", "last")
"""The fields of Textual's _TreeLine, in order (tree_splice makes them)."""


@functools.cache
def tree_internals() -> bool:
    """True when the Tree internals the fast paths use are present with the shapes expected;
    looked up once (the first ClusterTree asks). False means: use the public API only."""
    try:
        missing = _missing()
    except Exception as error:  # any surprise in a Textual we were not tested with
        missing = f"checking them raised {error!r}"
    if missing:
        from textual import __version__

        logger.warning(
            "Textual %s: the tree's fast paths are off (%s); every change rebuilds the tree",
            __version__,
            missing,
        )
    return not missing


def _missing() -> str:
    """What is missing or has another shape ("" when nothing)."""
    if TreeLine is None:
        return "no textual.widgets._tree._TreeLine"
    if not dataclasses.is_dataclass(TreeLine):
        return "_TreeLine is not a dataclass"
    fields = tuple(field.name for field in dataclasses.fields(TreeLine))
    if fields != LINE_FIELDS:
        return f"_TreeLine fields {fields}"
    from textual.widgets import Tree

    tree: Tree[None] = Tree("probe")
    tree.show_root = False
    first = tree.root.add("first", expand=True)
    leaf = first.add_leaf("leaf")
    last = tree.root.add("last")
    if not isinstance(type(tree).__dict__.get("_tree_lines"), property):
        return "Tree._tree_lines is not a property"
    lines = tree._tree_lines
    for thing, attributes, callables in (
        (tree, TREE_ATTRIBUTES, TREE_CALLABLES),
        (leaf, NODE_ATTRIBUTES, NODE_CALLABLES),
    ):
        for name, kind in attributes:
            if not isinstance(getattr(thing, name, None), kind):
                return f"{type(thing).__name__}.{name}"
        for dotted in callables:
            if not callable(_lookup(thing, dotted)):
                return f"{type(thing).__name__}.{dotted}()"
    expected = [([first], True), ([first, leaf], True), ([last], True)]
    if [(list(line.path), line.last) for line in lines] != expected or not all(
        isinstance(line, TreeLine) for line in lines
    ):
        return "the built lines have another shape"
    if [node._line for node in (first, leaf, last)] != [0, 1, 2]:
        return "TreeNode._line is not the line number"
    return ""


def _lookup(thing: Any, dotted: str) -> Any:
    for name in dotted.split("."):
        thing = getattr(thing, name, None)
    return thing
