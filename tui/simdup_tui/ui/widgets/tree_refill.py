"""Showing regrouped clusters in the nodes already built, instead of making every node again.

After `p` or `o` the clusters are rebuilt (core/duplicates.py regroup), but there are nearly
always as many of them: making 10,000 Textual TreeNodes again is most of such a key's time, so
each node takes its new cluster (and each photo node its new member) in place. The nodes end
as `ClusterTree.fill` would build them (opened when every cluster is built at once, closed
otherwise); a node whose photo count changed has its photo nodes made again, and nodes are
added or dropped at the end when the count of clusters changed. The lines are rebuilt by the
caller (Tree._invalidate).

Reaches into `TreeNode._expanded`, `_updates`, `_children`, `_remove_children` and
`Tree._tree_nodes`: tree_internals.py checks once that they are there with the shapes expected,
and when they are not, `reuse_nodes` does nothing and returns False, so the caller builds every
node again through Textual's public API. tests/ui/test_keepers.py checks the rows after p and o
match a fresh fill; tests/ui/test_tree_fallback.py the same without the internals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ...core.cluster import Cluster
from .tree_internals import tree_internals
from .tree_rows import ClusterRow, FileRow, Row

if TYPE_CHECKING:
    from textual.widgets.tree import TreeNode

    from .cluster_tree import ClusterTree


def reuse_nodes(
    tree: ClusterTree,
    clusters: Sequence[Cluster],
    eager: bool,
    add_children: Callable[[TreeNode[Row]], None],
) -> bool:
    """Give the tree's cluster nodes these clusters in order, making nodes for clusters beyond
    them and dropping nodes beyond the clusters; False (nothing changed) when the tree has no
    cluster node yet, or the Tree internals used are not as expected: the caller builds it."""
    if not tree_internals():
        return False
    root = tree.root
    nodes = list(root._children)
    if not nodes:
        return False
    review = tree.review
    for node in nodes[len(clusters) :]:
        node._remove_children()
        del tree._tree_nodes[node.id]
    del root._children[len(clusters) :]
    found: dict[int, TreeNode[Row]] = {}
    for number, cluster in enumerate(clusters, start=1):
        row = ClusterRow(cluster, number)
        if number > len(nodes):
            node = root.add("", row, expand=eager)
        else:
            node = nodes[number - 1]
            node.data = row
            node._expanded = eager
            node._updates += 1
        found[id(cluster)] = node
        if node.children:
            members = review.shown_members(cluster)
            if len(members) == len(node.children):
                for child, member in zip(node.children, members, strict=True):
                    child.data = FileRow(cluster, member)
                    child._updates += 1
                continue
            node._remove_children()
        if eager:
            add_children(node)
    tree._cluster_nodes = found
    return True
