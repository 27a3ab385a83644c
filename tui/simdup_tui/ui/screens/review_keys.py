"""The keys for review decisions (marking, keeper, not duplicates, progress, filter, order):
each asks the review model to change, then has the screen save and redraw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core.cluster import Cluster, Member
from ...core.humanize import format_bytes, plural
from ...core.review import Review
from ..widgets.cluster_tree import ClusterTree, FileRow
from .ignored import IgnoredScreen
from .prompts import FilterScreen
from .review_notices import not_duplicate_notice

if TYPE_CHECKING:
    from pathlib import Path


class ReviewKeys:
    """Actions of the main screen that route a key to the review; mixed into MainScreen, whose
    BINDINGS name them. Needs review, tree, root, _changed, _regroup, _fill_tree, recluster."""

    review: Review
    root: Path

    if TYPE_CHECKING:
        tree: ClusterTree

        def _changed(self, cluster: Cluster | None = None) -> None: ...
        def _regroup(self, cursor_path: Path | None) -> None: ...
        def _fill_tree(self, cursor_path: Path | None) -> None: ...
        def _save(self) -> None: ...
        def recluster(self) -> None: ...
        def notify(self, message: str, **kwargs: object) -> None: ...  # type: ignore[override]

    # Marking ----------------------------------------------------------------

    def on_cluster_tree_mark_requested(self, message: ClusterTree.MarkRequested) -> None:
        row = message.row
        if isinstance(row, FileRow):
            if self.review.toggle(row.cluster, row.member) is None:
                self.notify("This photo is protected: it cannot be marked.", severity="warning")
                return
            self._changed(row.cluster)
            self.tree.action_cursor_down()
        else:
            cluster = row.cluster
            if self.review.is_all_but_keeper(cluster):
                self.review.clear(cluster)
            else:
                self.review.mark_all_but_keeper(cluster)
            self._changed(cluster)

    def action_mark_cluster(self) -> None:
        if (cluster := self.tree.cursor_cluster) is not None:
            added = self.review.mark_all_but_keeper(cluster)
            self._changed(cluster)
            if not added and any(self._left_by_a(cluster, m) for m in cluster.others):
                self.notify(
                    "a leaves the photos flagged on their row (looks different up close, "
                    "keeper greyscale) unmarked: Space on one marks it.",
                    timeout=6,
                )

    def _left_by_a(self, cluster: Cluster, member: Member) -> bool:
        """Unmarked, markable, shown, yet left by `a` (the strict flag, a colour original)."""
        return (
            not self.review.is_marked(member.summary.path)
            and self.review.markable(member)
            and self.review.matches(member.summary)
            and not self.review.bulk_markable(cluster, member)
        )

    def action_mark_every_cluster(self) -> None:
        if not self.review.clusters:
            return
        added = self.review.mark_every_cluster()
        self._changed()
        shown = " shown" if self.review.filter_text else ""
        self.notify(
            f"Marked {plural(len(added), 'more photo')}: every{shown} photo but each{shown} "
            f"cluster's keeper. {self.review.marked_count} marked in all "
            f"({format_bytes(self.review.marked_bytes)}).",
            title="All shown clusters" if shown else "All clusters",
        )

    def action_invert(self) -> None:
        row = self.tree.cursor_row
        if row is not None:
            on_keeper = isinstance(row, FileRow) and row.is_keeper
            self.review.invert(row.cluster, include_keeper=on_keeper)
            self._changed(row.cluster)

    def action_unmark_cluster(self) -> None:
        if (cluster := self.tree.cursor_cluster) is not None:
            self.review.clear(cluster)
            self._changed(cluster)

    def action_unmark_all(self) -> None:
        removed = self.review.clear_all()
        self._changed()
        if removed:
            self.notify(f"Unmarked {plural(removed, 'photo')}.")

    def action_keep_this(self) -> None:
        row = self.tree.cursor_row
        if isinstance(row, FileRow):
            self.review.choose_keeper(row.cluster, row.path)
            self._regroup(row.path)

    # Reviewing --------------------------------------------------------------

    def action_not_duplicates(self) -> None:
        row = self.tree.cursor_row
        if row is None:
            return
        if isinstance(row, FileRow) and row.is_keeper:
            self.notify(
                "This is the keeper: press x on another photo (not a duplicate of the keeper) "
                "or on the cluster's row (none of them are duplicates).",
                severity="warning",
            )
            return
        if isinstance(row, FileRow):
            recorded = self.review.not_duplicate_of_keeper(row.cluster, row.path)
            cursor: Path | None = row.cluster.keeper.path
        else:
            recorded = self.review.none_duplicates(row.cluster)
            cursor = self._keeper_after(row.cluster)
        if recorded:
            self._regroup(cursor)
        severity, text = not_duplicate_notice(row, recorded, self.root)
        self.notify(text, title="Not duplicates", severity=severity)

    def _keeper_after(self, cluster: Cluster) -> Path | None:
        """The keeper of the shown cluster after this one (where the cursor goes when it goes)."""
        shown = self.review.shown_clusters()
        index = next((i for i, c in enumerate(shown) if c is cluster), len(shown))
        following = shown[index + 1 : index + 2] or shown[index - 1 : index] if index else []
        return following[0].keeper.path if following else None

    def action_looks_fine(self) -> None:
        if (cluster := self.tree.cursor_cluster) is not None:
            self.review.looks_fine(cluster)
            self._changed(cluster)
            self.action_next_unreviewed()

    def action_next_unreviewed(self) -> None:
        following = self.review.next_unreviewed(self.tree.cursor_cluster)
        if following is None:
            self.notify("Every cluster shown is reviewed.")
        else:
            self.tree.move_to_cluster(following)

    def action_filter(self) -> None:
        def apply(text: str | None) -> None:
            if text is not None:
                self._set_filter(text)

        self.app.push_screen(FilterScreen(self.review.filter_text), apply)

    def action_clear_filter(self) -> None:
        if self.review.filter_text:
            self._set_filter("")

    def _set_filter(self, text: str) -> None:
        row = self.tree.cursor_row
        self.review.set_filter(text)
        self._fill_tree(row.path if isinstance(row, FileRow) else None)

    def action_cycle_order(self) -> None:
        order = self.review.cycle_order()
        row = self.tree.cursor_row
        self._fill_tree(row.path if isinstance(row, FileRow) else None)
        self.notify(f"Clusters ordered: {order.value} (S for the next order).", timeout=3)

    def action_ignored(self) -> None:
        def taken_back(groups: list[str] | None) -> None:
            if groups and any([self.review.take_back(group) for group in groups]):
                self._save()
                self.recluster()

        groups = self.review.not_duplicates.groups()
        self.app.push_screen(IgnoredScreen(groups, self.root), taken_back)
