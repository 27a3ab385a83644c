"""Making the clusters the screen shows: the clustering worker, regrouping after a keeper
choice or other keeper rules, and the keys that change the grouping (threshold, strict check,
rescan)."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import get_current_worker

from ...core.duplicates import Duplicates
from ...core.humanize import format_threshold, plural, printable
from ...core.identical import ContentHashes, label_identical
from ...core.keeper import KeeperRules, next_preset, order_name
from ...core.not_duplicates import NotDuplicates
from ...core.review import Review
from ...core.scan import ScanResult, display_name
from ..config import AppConfig
from ..messages import ClustersFailed, ClustersReady
from ..widgets.cluster_tree import ClusterRow, ClusterTree, FileRow
from .prompts import ThresholdScreen
from .review_notices import empty_text

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

    from ..widgets.preview import PreviewPane

log = logging.getLogger(__name__)

THRESHOLD_STEP = 0.01


class Grouping:
    """Clustering and regrouping for MainScreen (mixed in; its BINDINGS name the actions).
    Needs config, root, review, result, threshold, strict, keep_order, tree, preview, _save,
    update_status, _show_cursor_in_preview and the clustering state set in MainScreen."""

    config: AppConfig
    root: Path
    review: Review
    result: ScanResult | None
    threshold: float
    strict: bool
    keep_order: tuple[str, ...]
    _hashes: ContentHashes
    _cluster_generation: int
    _clustering: bool
    _after_scan: bool
    _pending_cursor: Path | None
    _early_keys: list[ActiveBinding]

    if TYPE_CHECKING:
        tree: ClusterTree
        preview: PreviewPane

        def _save(self) -> None: ...
        def update_status(self) -> None: ...
        def _show_cursor_in_preview(self) -> None: ...
        def start_scan(self) -> None: ...
        def _cluster_worker(
            self,
            result: ScanResult,
            threshold: float,
            rules: KeeperRules,
            ignored: NotDuplicates,
            generation: int,
            *,
            strict: bool = False,
        ) -> None: ...
        def notify(self, message: str, **kwargs: object) -> None: ...  # type: ignore[override]

    # Clustering -------------------------------------------------------------

    def recluster(self) -> None:
        """Rebuild clusters at the current threshold from stored summaries (no file is read)."""
        if self.result is None:
            return
        self._cluster_generation += 1
        self._clustering = True
        row = self.tree.cursor_row
        if isinstance(row, FileRow):
            self._pending_cursor = row.path
        elif isinstance(row, ClusterRow):
            self._pending_cursor = row.cluster.keeper.path
        self.update_status()
        ignored = NotDuplicates(self.review.not_duplicates.records())  # a copy for the thread
        rules = self._rules(self.result)
        self._cluster_worker(
            self.result, self.threshold, rules, ignored, self._cluster_generation,
            strict=self.strict,
        )  # fmt: skip

    def _rules(self, result: ScanResult) -> KeeperRules:
        return KeeperRules(
            self.keep_order, result.names, self.config.protected, frozenset(self.review.keepers)
        )

    def on_clusters_failed(self, message: ClustersFailed) -> None:
        """Keep the clusters on screen and go back to the threshold they were made with."""
        if message.generation != self._cluster_generation:
            return
        if self.review.threshold is not None:
            self.threshold = self.review.threshold
        if self.review.duplicates is not None:  # and the keeper rules they were made with
            self.keep_order = self.review.duplicates.rules.order
        self._pending_cursor = None
        self._clustering = False
        self._early_keys.clear()
        self.update_status()
        self.notify(message.reason, title="Threshold not applied", severity="error", timeout=10)

    def on_clusters_ready(self, message: ClustersReady) -> None:
        if message.generation != self._cluster_generation:
            return
        self._show_clusters(message.duplicates)

    def _show_clusters(self, duplicates: Duplicates) -> None:
        gained = self.review.apply_duplicates(duplicates)
        if self._after_scan and gained:
            self.notify(
                f"{plural(gained, 'cluster')} {'has' if gained == 1 else 'have'} new photos "
                "since you reviewed them: they come first.",
                title="New photos",
                timeout=10,
            )
        self._after_scan = False
        dropped = self.review.dropped_marks
        if dropped:  # a decision is never lost without a word
            names = ", ".join(printable(display_name(p, self.review.folders)) for p in dropped[:3])
            more = " …" if len(dropped) > 3 else ""
            self.notify(
                f"{plural(len(dropped), 'mark')} dropped ({names}{more}): in no cluster now, "
                "so not deleted by d.",
                title="Marks dropped",
                timeout=10,
            )
        self._save()
        self._fill_tree(self._pending_cursor)
        self._pending_cursor = None

    def _fill_tree(self, cursor_path: Path | None) -> None:
        tree = self.tree
        tree.fill(cursor_path=cursor_path)
        if tree.root.children:
            self.query_one("#empty-message").add_class("hidden")
            tree.remove_class("hidden")
            tree.focus()  # hiding it took the focus away; keys must reach it again
        else:
            tree.add_class("hidden")
            self._show_message(empty_text(self.review, self.result, self.config, self.threshold))
            self.preview.show(None, None, self.root)
        self._show_cursor_in_preview()
        self._clustering = False
        self.update_status()
        if tree.root.children and self.config.prepare_views:
            self.call_after_refresh(self.prepare_compare)
        keys, self._early_keys = self._early_keys, []
        if keys:  # keys pressed while the clusters were being made act on them now
            self.call_later(self._replay_keys, keys)

    async def _replay_keys(self, keys: list[ActiveBinding]) -> None:
        """Run held keys in order; once one makes clusters again (o, +), the rest wait for
        those clusters in turn."""
        for index, key in enumerate(keys):
            if self._clustering:
                self._early_keys[:0] = keys[index:]
                return
            await self.app.run_action(key.binding.action, key.node)

    def _show_message(self, text: str) -> None:
        message = self.query_one("#empty-message", Static)
        message.update(Text(text))
        message.remove_class("hidden")
        self.tree.add_class("hidden")

    def _regroup(self, cursor_path: Path | None) -> None:
        """Rebuild the clusters around the keeper choices, rules and not-duplicates now in
        force (the pairs stay: no search, no file read but the few hashed to find identical
        copies); the cursor stays on cursor_path when it is still shown."""
        self._save()
        if self.result is None:
            self.update_status()
            return
        duplicates = self.review.regrouped(self._rules(self.result))
        if duplicates is None:
            self.update_status()
            return
        clusters = label_identical(duplicates.clusters, self._hashes)
        self._pending_cursor = cursor_path
        self._show_clusters(replace(duplicates, clusters=clusters))

    def action_cycle_keep_order(self) -> None:
        """Cycle the keeper rules through a few useful orders. Every cluster is rebuilt in a
        worker (a few hundred ms on 10,000 photos): the status says "regrouping…" and keys
        pressed meanwhile act once the new clusters are shown (MainScreen.on_key)."""
        self.keep_order = next_preset(self.keep_order)
        row = self.tree.cursor_row
        self._save()
        duplicates = self.review.duplicates
        if self.result is not None and duplicates is not None:
            self._cluster_generation += 1
            self._clustering = True
            self._pending_cursor = row.path if isinstance(row, FileRow) else None
            # Copies for the thread: the person's choices as they are now.
            rules = self._rules(self.result)
            ignored = NotDuplicates(self.review.not_duplicates.records())
            self._regroup_worker(duplicates, rules, ignored, self._cluster_generation)
        self.update_status()
        self.notify(
            f"Keeper rules: {order_name(self.keep_order)} ({', '.join(self.keep_order)})",
            title="Keepers",
        )

    @work(
        thread=True, exclusive=True, group="cluster", exit_on_error=False,
        description="Regrouping with other keeper rules",
    )  # fmt: skip
    def _regroup_worker(
        self, duplicates: Duplicates, rules: KeeperRules, ignored: NotDuplicates, generation: int
    ) -> None:
        cancel = get_current_worker().cancelled_event
        try:
            regrouped = duplicates.regroup(rules, ignored)
            clusters = label_identical(regrouped.clusters, self._hashes, cancel)
        except Exception as error:  # say so rather than show clusters of other rules
            log.exception("regrouping failed")
            self.post_message(ClustersFailed(f"{type(error).__name__}: {error}", generation))
            return
        if not cancel.is_set():
            ready = ClustersReady(replace(regrouped, clusters=clusters), generation, regrouped=True)
            self.post_message(ready)

    # Threshold and rescan ---------------------------------------------------

    def action_nudge(self, direction: int) -> None:
        value = round(self.threshold + direction * THRESHOLD_STEP, 4)
        value = min(1.0, max(THRESHOLD_STEP, value))
        if value != self.threshold:
            self.set_threshold(value)
        else:
            limit = "lowest" if direction < 0 else "highest"
            self.notify(
                f"The threshold is already at its {limit} value, {format_threshold(value)}.",
                timeout=4,
            )

    def set_threshold(self, value: float) -> None:
        self.threshold = value
        self.recluster()

    def action_toggle_strict(self) -> None:
        """Turn the strict check on or off; clusters are rebuilt without reading any file."""
        self.strict = not self.strict
        self.notify(
            "Strict check on: pairs that look different up close are left out."
            if self.strict
            else "Strict check off: such photos stay in their clusters, flagged, and a skips them.",
            title="Strict check",
        )
        self.recluster()

    def action_type_threshold(self) -> None:
        def apply(value: float | None) -> None:
            if value is not None and value != self.threshold:
                self.set_threshold(value)

        self.app.push_screen(ThresholdScreen(self.threshold), apply)

    def action_rescan(self) -> None:
        row = self.tree.cursor_row
        if isinstance(row, FileRow):
            self._pending_cursor = row.path
        self.start_scan()
