"""The navigable tree of clusters and their photos, with marks and keepers drawn as characters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...core.cluster import Cluster
from ...core.review import Review
from .line_scrollbar import LineScrollBar
from .row_label import KEEPER, KEEPER_STYLE, MARKED, MARKED_STYLE, UNMARKED
from .tree_internals import tree_internals
from .tree_refill import reuse_nodes
from .tree_rows import ClusterRow, FileRow, Row, cluster_label, file_label
from .tree_splice import can_splice, set_expanded

EAGER_CHILDREN_LIMIT = 3000
"""Up to this many photos, every cluster is built and expanded at once; beyond it, collapsed
clusters build their rows when first opened, so a 10,000-cluster tree fills instantly."""

LEAF_GUIDE_WIDTH = 2
"""Columns the tree's guide takes before a photo's label ("├ ")."""

NO_LABEL = Text()
"""The label of every cluster and photo node (never drawn, never changed)."""

__all__ = [
    "KEEPER", "KEEPER_STYLE", "MARKED", "MARKED_STYLE", "UNMARKED",
    "ClusterRow", "ClusterTree", "FileRow", "Row",
]  # fmt: skip


class ClusterTree(Tree[Row]):
    """Clusters as branches, photos as leaves; labels are drawn from the live Review."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="tree.up"),
        Binding("g,home", "scroll_home", "First", show=False, id="tree.first"),
        Binding("G,end", "scroll_end", "Last", show=False, id="tree.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="tree.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="tree.page_up"),
        Binding("J,tab", "next_cluster", "Next cluster", show=False, id="tree.next_cluster"),
        Binding(
            "K,shift+tab", "previous_cluster", "Previous cluster", show=False,
            id="tree.previous_cluster",
        ),
        Binding("l,right", "expand", "Expand", show=False, id="tree.expand"),
        Binding("h,left", "collapse", "Collapse / parent", show=False, id="tree.collapse"),
        Binding(
            "enter", "toggle_cluster", "Open/close (photo: compare)", show=False,
            id="tree.toggle",
        ),
        Binding("space", "request_mark", "Mark", id="tree.mark"),
    ]  # fmt: skip

    class MarkRequested(Message):
        """Space on a row: the screen decides what marking means there."""

        def __init__(self, row: Row) -> None:
            super().__init__()
            self.row = row

    class CompareRequested(Message):
        """Enter on a photo's row: compare it with its keeper."""

        def __init__(self, row: FileRow) -> None:
            super().__init__()
            self.row = row

    def __init__(
        self, review: Review, root: Path, folders: Sequence[Path] = (), **kwargs: object
    ) -> None:
        super().__init__("clusters", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self.review = review
        """Read on every draw (never changed here): a decision only needs its rows redrawn."""
        self.scan_root = root
        """Names are shown relative to this folder (or to the one of `folders` holding them)."""
        self.folders: tuple[Path, ...] = tuple(folders) if folders else (root,)
        self.failures: dict[Path, str] = {}
        """What the last batch did instead of removing a file ("skipped: changed since scan",
        "failed: permission denied ..."); shown on its row while it is marked."""
        self._cluster_nodes: dict[int, TreeNode[Row]] = {}
        """Cluster node by id(cluster)."""
        self.cursor_moved: Callable[[], None] | None = None
        """Called as soon as the cursor is on another row, in the same step as the key (one
        repaint for the tree and what shows the row, not one each as with NodeHighlighted)."""
        self._shown_node: TreeNode[Row] | None = None

    @property
    def _fast(self) -> bool:
        """The Tree internals the fast paths use are as expected (tree_internals.py, looked up
        once); when False, only Textual's public API is used: every change rebuilds the lines."""
        return tree_internals()

    # Building ---------------------------------------------------------------

    def fill(self, cursor_path: Path | None = None) -> None:
        """Show the review's clusters afresh; the cursor on cursor_path, else the first cluster.
        As many clusters as shown (after p or o): the nodes take them in place (tree_refill).
        Without the expected Tree internals, every node is made again through the public API,
        each cluster's photos included (opened or not): nothing is left to build later."""
        clusters = self.review.shown_clusters()
        eager = sum(len(cluster) for cluster in clusters) <= EAGER_CHILDREN_LIMIT
        # One invalidation for the whole fill, not one per node; opened without a NodeExpanded
        # message each; labels are drawn by render_label, so nodes carry none.
        self._batching = self._fast
        try:
            if not reuse_nodes(self, clusters, eager, self._add_children):
                self.clear()
                self._cluster_nodes.clear()
                for number, cluster in enumerate(clusters, start=1):
                    node = self.root.add("", ClusterRow(cluster, number), expand=eager)
                    self._cluster_nodes[id(cluster)] = node
                    if eager or not self._fast:
                        self._add_children(node)
        finally:
            self._batching = False
        self._shown_node = None  # a node kept may show another photo now
        if self._fast:
            self._invalidate()
        target = self.node_for_path(cursor_path) if cursor_path is not None else None
        if target is None and self.root.children:
            target = self.root.children[0]
        self.move_to(target)

    def process_label(self, label: str | Text) -> Text:
        """Nodes carry no label (render_label draws rows from the review): one shared empty
        Text, not a markup parse twice per node (a third of a 10,000-photo fill)."""
        if isinstance(label, str) and not label:
            return NO_LABEL
        return super().process_label(label)

    def _invalidate(self) -> None:
        if not getattr(self, "_batching", False):
            super()._invalidate()

    def _add_children(self, node: TreeNode[Row]) -> None:
        """Build a cluster's photo rows; the tree's lines stay valid while it is closed."""
        row = node.data
        assert isinstance(row, ClusterRow)
        batching, self._batching = getattr(self, "_batching", False), self._fast
        try:
            for member in self.review.shown_members(row.cluster):
                node.add_leaf("", FileRow(row.cluster, member))
        finally:
            self._batching = batching
        if self._fast and not batching and node.is_expanded:
            self._invalidate()

    def _ensure_children(self, node: TreeNode[Row]) -> None:
        if isinstance(node.data, ClusterRow) and not node.children:
            self._add_children(node)

    def _toggle_node(self, node: TreeNode[Row]) -> None:
        if node.allow_expand:
            self.set_open(node, not node.is_expanded)

    def set_open(self, node: TreeNode[Row], expanded: bool) -> None:
        """Open or close a cluster: its rows are spliced in or out of the built lines (see
        tree_splice.py), so the cost does not grow with the number of clusters."""
        if expanded:
            self._ensure_children(node)
        if can_splice(self, node):
            set_expanded(self, node, expanded)
        elif expanded:
            node.expand()
        else:
            node.collapse()

    def redraw_cluster(self, cluster: Cluster) -> None:
        """Redraw one cluster's rows after a decision in it."""
        node = self._cluster_nodes.get(id(cluster))
        if node is None:
            return
        node.refresh()
        for child in node.children:
            child.refresh()

    def redraw(self) -> None:
        """Redraw every row (after a decision across clusters): the visible rows are drawn
        again, the lines are not rebuilt (no row came or went). Without the expected
        internals, every node is refreshed through the public API."""
        if not self._fast:
            for node in self.root.children:
                node.refresh()
                for child in node.children:
                    child.refresh()
            return
        self._line_cache.clear()
        self._updates += 1
        self.refresh()

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        super().watch_cursor_line(previous_line, line)
        moved = getattr(self, "cursor_moved", None)  # None while Tree's __init__ runs
        if moved is not None and self.cursor_node is not self._shown_node:
            self._shown_node = self.cursor_node
            moved()

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's own, but drawn line by line (line_scrollbar.py): scrolling is most keys."""
        if not (self._fast and hasattr(self.app, "_start_widget")):
            return super().vertical_scrollbar
        if self._vertical_scrollbar is None:
            bar = LineScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Textual calls this from inside a layout, after the screen has gathered what to
        repaint; when the tree's height changed (l, h), the scroll bar it refreshes here would
        be painted a frame later (~17 ms more for the key). Its lines join this frame."""
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        bar = getattr(self, "_vertical_scrollbar", None)  # Textual's; absent: a frame later
        compositor = getattr(self.screen, "_compositor", None)  # Textual's; absent: a frame later
        if bar is not None and compositor is not None and hasattr(compositor, "update_widgets"):
            compositor.update_widgets({bar})
        return changed

    # Finding ----------------------------------------------------------------

    @property
    def cursor_row(self) -> Row | None:
        node = self.cursor_node
        return node.data if node is not None else None

    @property
    def cursor_cluster(self) -> Cluster | None:
        """The cluster of the highlighted row."""
        row = self.cursor_row
        return row.cluster if row is not None else None

    def cluster_node_of(self, node: TreeNode[Row] | None) -> TreeNode[Row] | None:
        if node is None:
            return None
        if isinstance(node.data, FileRow):
            return node.parent
        return node if isinstance(node.data, ClusterRow) else None

    def node_for_path(self, path: Path) -> TreeNode[Row] | None:
        """The node of a photo (its cluster opened if needed), or None if it is not shown."""
        for cluster_node in self.root.children:
            row = cluster_node.data
            assert isinstance(row, ClusterRow)
            if any(member.summary.path == path for member in row.cluster.members):
                self.set_open(cluster_node, True)
                for child in cluster_node.children:
                    if isinstance(child.data, FileRow) and child.data.path == path:
                        return child
        return None

    def move_to_path(self, path: Path) -> bool:
        node = self.node_for_path(path)
        if node is not None:
            self.move_to(node)
        return node is not None

    def move_to_cluster(self, cluster: Cluster) -> None:
        self.move_to(self._cluster_nodes.get(id(cluster)))

    def move_to(self, node: TreeNode[Row] | None) -> None:
        """Move the cursor to a node right away (the tree lines are rebuilt first)."""
        if node is None:
            self.move_cursor(None)
            return
        self.last_line  # noqa: B018 - builds the lines so node.line is current
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    # Labels -----------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._paint_style = self.rich_style  # once a paint: Tree looks it up for every line
        try:
            return super().render_lines(crop)
        finally:
            self._paint_style = None

    def render_line(self, y: int) -> Strip:
        if not self._fast:
            return super().render_line(y)
        style = getattr(self, "_paint_style", None) or self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    def get_label_width(self, node: TreeNode[Row]) -> int:
        """Labels are laid out to the pane's width (row_label), so none is wider than the pane:
        no need to draw every one of 20,000 labels to learn the tree's width on each rebuild."""
        return 0

    def render_label(self, node: TreeNode[Row], base_style: Style, style: Style) -> Text:
        row = node.data
        width = self.scrollable_content_region.width
        if isinstance(row, ClusterRow):
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            text = self._cluster_label(row.cluster, icon, width)
        elif isinstance(row, FileRow):
            text = self._file_label(row, max(0, width - LEAF_GUIDE_WIDTH) if width else 0)
        else:
            return super().render_label(node, base_style, style)
        text.stylize(style)
        return text

    def _cluster_label(self, cluster: Cluster, icon: str = "", width: int = 0) -> Text:
        return cluster_label(self.review, cluster, icon, width)

    def _file_label(self, row: FileRow, width: int = 0) -> Text:
        return file_label(self.review, row, self.folders, self.failures, width)

    # Actions ----------------------------------------------------------------

    def action_request_mark(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.MarkRequested(row))

    def action_page_down(self) -> None:
        """A page down without the smooth-scroll animation (it costs frames over SSH)."""
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_scroll_home(self) -> None:
        """g: the first row, at once (Tree's own animates the scroll: a dozen full repaints)."""
        self._jump_to_line(0)

    def action_scroll_end(self) -> None:
        """G: the last row, at once."""
        self._jump_to_line(self.last_line)

    def _jump_to_line(self, line: int) -> None:
        if line < 0:
            return
        self.cursor_line = line
        self.scroll_to_line(line, animate=False)

    def _page(self, direction: int) -> None:
        if self.cursor_line == -1:
            self.cursor_line = 0
        page = max(1, self.scrollable_content_region.height - 1)
        self.cursor_line = max(0, min(self.last_line, self.cursor_line + direction * page))
        self.scroll_to_line(self.cursor_line, animate=False)

    def action_next_cluster(self) -> None:
        self._jump_cluster(+1)

    def action_previous_cluster(self) -> None:
        self._jump_cluster(-1)

    def _jump_cluster(self, step: int) -> None:
        clusters = list(self.root.children)
        if not clusters:
            return
        current = self.cluster_node_of(self.cursor_node)
        if current is None:
            index = 0 if step > 0 else len(clusters) - 1
        else:
            index = max(0, min(len(clusters) - 1, clusters.index(current) + step))
            if step < 0 and self.cursor_node is not current:
                index = clusters.index(current)  # K from a photo goes to its own cluster first
        target = clusters[index]
        self.move_to(target)
        # Its row at the top, so as many of its photos as fit are in view below it.
        self.scroll_to(y=target.line, animate=False, immediate=True)

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if isinstance(node.data, ClusterRow):
            if node.is_expanded and node.children:
                self.move_to(node.children[0])
            else:
                self.set_open(node, True)

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if isinstance(node.data, FileRow) and node.parent is not None:
            self.move_to(node.parent)
        elif node.is_expanded:
            self.set_open(node, False)

    def action_toggle_cluster(self) -> None:
        """On a cluster's row: open or close it; on a photo's row: ask to compare it."""
        cursor = self.cursor_node
        if cursor is not None and isinstance(cursor.data, FileRow):
            self.post_message(self.CompareRequested(cursor.data))
            return
        node = self.cluster_node_of(cursor)
        if node is not None:
            self._toggle_node(node)
