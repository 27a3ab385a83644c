"""Opening or closing one top-level branch of a Textual Tree without rebuilding every line.

Textual's `TreeNode.expand()` and `collapse()` throw away the tree's lines and build all of
them again on the next paint: with 20,000 clusters that is ~70 ms for one `l` or `h`. A branch
at the top level whose children are leaves only adds or removes its own rows, so its rows are
spliced into the built lines and the line numbers after them shifted (integers, no objects).

This reaches into Tree internals (`_tree_lines_cached`, `_TreeLine`, `TreeNode._line`, ...):
tree_internals.py checks once that they are there with the shapes expected, and when they are
not, `can_splice` is False and the caller opens the node with Textual's public `expand()`.
tests/ui/test_fast_keys.py checks the spliced lines match a full rebuild after every kind of
change; tests/ui/test_tree_fallback.py that the public path shows the same rows.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Size
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from .tree_internals import TreeLine, tree_internals


def can_splice(tree: Tree[Any], node: TreeNode[Any]) -> bool:
    """True when `node`'s rows can be spliced: the internals are as expected (tree_internals),
    lines built, node shown at the top level, and its children are leaves (one line each)."""
    return (
        tree_internals()
        and tree._tree_lines_cached is not None
        and not tree.show_root
        and node.parent is tree.root
        and node.line >= 0
        and all(not child.children for child in node.children)
    )


def set_expanded(tree: Tree[Any], node: TreeNode[Any], expanded: bool) -> None:
    """Open or close `node` (a top-level branch of leaves: check `can_splice` first), posting
    Textual's NodeExpanded / NodeCollapsed as `expand()` / `collapse()` do. The cursor stays on
    its node, or goes to `node` when its row was one of those closed."""
    if node.is_expanded == expanded:
        return
    lines = tree._tree_lines_cached
    assert lines is not None and TreeLine is not None
    cursor = tree.cursor_node
    node._expanded = expanded
    node._updates += 1
    start = node.line + 1
    children = node._children
    if expanded:
        last = len(children) - 1
        lines[start:start] = [
            TreeLine([node, child], index == last) for index, child in enumerate(children)
        ]
        tree.post_message(Tree.NodeExpanded(node).set_sender(tree))
    else:
        for line in lines[start : start + len(children)]:
            line.path[-1]._line = -1
        del lines[start : start + len(children)]
        tree.post_message(Tree.NodeCollapsed(node).set_sender(tree))
    for number in range(start, len(lines)):
        lines[number].path[-1]._line = number
    if cursor is not None:
        target = cursor if cursor.line >= 0 else node
        if target is not cursor:
            tree.move_cursor(target)
        else:
            # The same node on another line: no NodeHighlighted (nothing new is highlighted).
            tree.set_reactive(Tree.cursor_line, target.line)
    # Rows below moved: strips cached by line number are stale (the visible ones are redrawn).
    tree._line_cache.clear()  # not _clear_line_cache(): it drops the built lines too
    tree._updates += 1
    tree.virtual_size = Size(tree.virtual_size.width, len(lines))
    tree.refresh()
