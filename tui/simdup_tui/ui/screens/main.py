"""The main screen: renders the review (status, cluster tree, preview) and routes keys to it."""

from __future__ import annotations

import gc
import logging
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from ...core.cluster import Cluster
from ...core.duplicates import find_duplicates
from ...core.errors import SimdupError
from ...core.humanize import display_path, format_threshold, plural, printable
from ...core.identical import ContentHashes, label_identical
from ...core.keeper import DEFAULT_ORDER, KeeperRules, order_name
from ...core.not_duplicates import NotDuplicates
from ...core.review import Review
from ...core.review_store import ReviewStore
from ...core.scan import ScanResult, display_name
from .. import heap
from ..config import AppConfig
from ..log_capture import core_warnings
from ..messages import ClustersFailed, ClustersReady, ReviewNotSaved, ScanFailed, ScanFinished
from ..review_saver import ReviewSaver
from ..widgets.cluster_tree import ClusterRow, ClusterTree, FileRow
from ..widgets.footer import KeysFooter
from ..widgets.preview import PreviewPane
from ..widgets.scan_progress import ScanProgressPanel
from .delete_keys import DeleteKeys
from .grouping import Grouping
from .review_keys import ReviewKeys
from .review_notices import STATUS_LINES, dropped_notice, fit_status, status_parts
from .view_keys import ViewKeys

log = logging.getLogger(__name__)

KEYS_THAT_NEED_NO_CLUSTERS = frozenset(
    {"view.help", "app.quit_key", "app.quit", "scan.rescan", "view.errors", "view.sharp"}
    | {"threshold.up", "threshold.down", "threshold.type"}
)
"""Binding ids that act while scanning or re-clustering; every other key needs clusters."""
KEYS_ON_A_CLUSTER = frozenset(
    {"mark.cluster", "mark.every_cluster", "mark.invert", "mark.clear_cluster", "mark.keeper"}
    | {"review.not_duplicates", "review.fine"}
)
"""Binding ids that act on the highlighted cluster or photo: with none shown, they say so."""


class MainScreen(Grouping, ReviewKeys, DeleteKeys, ViewKeys, Screen[None]):
    """Everything the person works with; long work runs in thread workers. The keys for
    review decisions are in ReviewKeys (review_keys.py), making the clusters and the threshold
    keys in Grouping (grouping.py), deleting and quitting in DeleteKeys
    (delete_keys.py), the views (compare, sharp, errors, help) in ViewKeys (view_keys.py); every
    key is bound here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Help and Quit first: a narrow footer cuts from the right, and these must stay.
        Binding("question_mark,f1", "help", "Help", id="view.help"),
        Binding("q", "quit", "Quit", id="app.quit_key"),
        Binding("a", "mark_cluster", "All but keeper", id="mark.cluster"),
        Binding("A", "mark_every_cluster", "All clusters", show=False, id="mark.every_cluster"),
        Binding("v", "invert", "Invert marks", show=False, id="mark.invert"),
        Binding("u", "unmark_cluster", "Unmark cluster", show=False, id="mark.clear_cluster"),
        Binding("U", "unmark_all", "Unmark all", show=False, id="mark.clear_all"),
        Binding("p", "keep_this", "Keep this", show=False, id="mark.keeper"),
        Binding("o", "cycle_keep_order", "Keeper rules", show=False, id="mark.keep_order"),
        Binding("x", "not_duplicates", "Not duplicates", show=False, id="review.not_duplicates"),
        Binding("f", "looks_fine", "Looks fine, next", show=False, id="review.fine"),
        Binding("n", "next_unreviewed", "Next unreviewed", show=False, id="review.next"),
        Binding("slash", "filter", "Filter", show=False, id="review.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="review.clear_filter"),
        Binding("S", "cycle_order", "Sort clusters", show=False, id="review.order"),
        Binding("I", "ignored", "Ignored", show=False, id="review.ignored"),
        Binding("d,delete,f8", "delete(False)", "Delete", id="delete.trash"),
        Binding("D", "delete(True)", "Delete forever", show=False, id="delete.permanent"),
        Binding("ctrl+z", "undo_last", "Undo last batch", show=False, id="delete.undo"),
        Binding("plus,equals_sign", "nudge(1)", "Threshold +", show=False, id="threshold.up"),
        Binding("minus", "nudge(-1)", "Threshold -", show=False, id="threshold.down"),
        Binding("t", "type_threshold", "Threshold", id="threshold.type"),
        Binding("R", "rescan", "Rescan", show=False, id="scan.rescan"),
        Binding("s", "toggle_strict", "Strict check", show=False, id="threshold.strict"),
        Binding("c", "compare", "Compare", id="view.compare"),
        Binding("z", "sharp", "Sharp", show=False, id="view.sharp"),
        Binding("e", "errors", "Errors", show=False, id="view.errors"),
    ]

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self.root = config.directory
        self.threshold = config.threshold
        """The threshold in force (changed with +, -, t); the clusters' own is review.threshold."""
        self.store: ReviewStore | None = None
        """Where the review is saved as it changes (None with --no-save or an unusable file)."""
        self.saver: ReviewSaver | None = None
        """Writes the store in a background thread, in order (the store is then its own)."""
        self.review = Review(self.root, folders=config.folders)
        """Every decision and every number shown; see core/review.py."""
        self.strict = config.strict
        """The strict check is on (`s`): pairs it rejects are left out of the clusters."""
        self.keep_order: tuple[str, ...] = config.keep_order
        """The keeper rules in force (`o` cycles useful orders)."""
        self._hashes = ContentHashes()
        """Digests of files compared with their keeper, kept across re-clustering."""
        self.result: ScanResult | None = None
        self.scanning = False
        self._cluster_generation = 0
        self._after_scan = False
        """The next clusters follow a scan: say which clusters have new photos."""
        self._pending_cursor: Path | None = None
        self._clustering = False
        """True from a threshold change or a finished scan until its clusters are on screen."""
        self._early_keys: list[ActiveBinding] = []
        """Keys pressed while clusters were being made: their actions run once they are shown."""
        self._said_scanning = False
        self._said_unbound = False

    # Layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield ScanProgressPanel(self.config, id="progress")
                yield Static(id="empty-message", classes="hidden")
                yield ClusterTree(self.review, self.root, self.config.folders, id="tree")
            with Vertical(id="right"):
                yield PreviewPane(self.config.color_mode)
        yield KeysFooter()

    def on_mount(self) -> None:
        self._open_store()
        self.tree.cursor_moved = self._show_cursor_in_preview
        self.tree.focus()
        self.start_scan()

    def _open_store(self) -> None:
        if not self.config.remember:
            return
        with core_warnings() as warnings:
            store = ReviewStore(self.config.folders)
            if store.usable:
                self.store = store
                self.saver = ReviewSaver(store, self._save_failed)
                self.review.not_duplicates = store.load_not_duplicates()
                if self.config.fresh:
                    store.forget_photos()
                else:
                    self.review.restore(store.load_photos(), store.load_seen())
        for warning in warnings:
            self.notify(warning, title="Review not saved", severity="warning", timeout=10)

    def on_unmount(self) -> None:
        if self.saver is not None:
            self.saver.close()  # every queued save written first
        elif self.store is not None:
            self.store.close()

    @property
    def tree(self) -> ClusterTree:
        return self.query_one(ClusterTree)

    @property
    def preview(self) -> PreviewPane:
        return self.query_one(PreviewPane)

    @property
    def progress(self) -> ScanProgressPanel:
        return self.query_one(ScanProgressPanel)

    # Keys that cannot act yet -----------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """No key is dropped without a word: an unbound key points to help (once); a key that
        needs clusters says "still scanning" (once a scan) or, while the clusters are being made,
        waits for them and then acts."""
        active = self.active_bindings.get(event.key)
        if active is None:
            if not self._said_unbound and (event.is_printable or event.key.startswith("f")):
                self._said_unbound = True
                self.notify(f"{event.key} is not a key here: press ? for help.", timeout=4)
            return
        if active.binding.id in KEYS_THAT_NEED_NO_CLUSTERS:
            return
        if self.scanning:
            event.stop()  # the tree is empty: the key would do nothing, silently
            if not self._said_scanning:
                self._said_scanning = True
                self.notify("Still scanning: that key acts once the clusters are shown.", timeout=4)
        elif self._clustering:
            event.stop()
            self._early_keys.append(active)
        elif active.binding.id in KEYS_ON_A_CLUSTER and not self.review.shown_clusters():
            event.stop()  # nothing to act on: the key would do nothing, silently
            self.notify(f"{event.key} acts on a cluster, and no cluster is shown.", timeout=4)

    # Scanning ---------------------------------------------------------------

    def start_scan(self) -> None:
        self.scanning = True
        self._said_scanning = False
        self.progress.start()
        self.query_one("#empty-message").add_class("hidden")
        self.update_status()

    def on_scan_failed(self, message: ScanFailed) -> None:
        self.scanning = False
        self.progress.stop()
        self.progress.add_class("hidden")
        self._show_message(f"The scan could not run: {message.reason}\nPress R to try again.")
        self.update_status()

    def on_scan_finished(self, message: ScanFinished) -> None:
        if message.generation != self.progress.generation:
            return
        self.scanning = False
        self.progress.stop()
        for warning in dict.fromkeys(message.warnings):  # each once
            self.notify(warning, title="Summary cache", severity="warning", timeout=10)
        self.result = message.result
        dropped = self.review.apply_scan(message.result)
        if dropped:
            self.notify(dropped_notice(dropped), title="Since last time", timeout=10)
        self._save()
        self.progress.add_class("hidden")
        self._after_scan = True
        self.recluster()

    # Clustering (the rest is in grouping.py) --------------------------------

    @work(
        thread=True, exclusive=True, group="cluster", exit_on_error=False,
        description="Grouping near-duplicates",
    )  # fmt: skip
    def _cluster_worker(
        self,
        result: ScanResult,
        threshold: float,
        rules: KeeperRules,
        ignored: NotDuplicates,
        generation: int,
        *,
        strict: bool = False,
    ) -> None:
        worker = get_current_worker()  # a newer threshold cancels this one between row blocks
        cancel = worker.cancelled_event
        try:
            duplicates = find_duplicates(
                result.summaries,
                threshold,
                rules=rules,
                cancel=cancel,
                strict=strict,
                not_duplicates=ignored,
                grey=self.config.grey,
            )
            clusters = label_identical(duplicates.clusters, self._hashes, cancel)
            duplicates = replace(duplicates, clusters=clusters)
        except SimdupError as error:
            self.post_message(ClustersFailed(error.message, generation))
            return
        except Exception as error:  # e.g. MemoryError: say so rather than show stale clusters
            log.exception("clustering failed")
            self.post_message(ClustersFailed(f"{type(error).__name__}: {error}", generation))
            return
        if not worker.is_cancelled:
            self.post_message(ClustersReady(duplicates, generation))

    # Status and preview -----------------------------------------------------

    def update_status(self) -> None:
        # The threshold of the clusters on screen, never one whose clusters are not shown yet.
        shown = format_threshold(self.review.threshold or self.threshold)
        folders = ", ".join(display_path(folder) for folder in self.config.folders)
        parts = [f"threshold {shown}"]
        if self.strict:
            parts.append("strict check")
        # Likewise the keeper rules of the clusters on screen, not those being applied (o).
        duplicates = self.review.duplicates
        shown_order = duplicates.rules.order if duplicates is not None else self.keep_order
        if shown_order != DEFAULT_ORDER:
            parts.append(f"keep: {order_name(shown_order)}")
        if self.result is not None:
            parts.append(plural(len(self.result.summaries), "photo"))
        if self.scanning:
            parts.append("scanning…")
        elif self._clustering and self.review.threshold not in (None, self.threshold):
            parts.append(f"re-clustering at {format_threshold(self.threshold)}…")
        elif self._clustering and shown_order != self.keep_order:
            parts.append(f"regrouping: keep {order_name(self.keep_order)}…")
        elif self._clustering:
            parts.append("grouping near-duplicates…")
        else:
            parts += status_parts(self.review, len(self.tree.root.children))
        if self.result is not None and self.result.errors:
            parts.append(f"{plural(len(self.result.errors), 'error')} (e)")
        status = self.query_one("#status", Static)
        width = status.content_size.width
        text = fit_status(folders, parts, self.app.console, width)
        if isinstance(status.content, Text) and status.content == text:
            return
        # A layout of the whole screen (and a second frame for the tree's scroll bar) only when
        # the status line grows or shrinks: most keys change its figures, not its height.
        height = min(len(text.wrap(self.app.console, width)), STATUS_LINES) if width > 0 else 0
        status.update(text, layout=height != status.content_size.height)

    def on_screen_resume(self) -> None:
        """Back from another screen (compare, help, a dialog): what it made is tidied once
        this screen is drawn again, while the person reads it, so a full collection of it does
        not fall inside the next screen opened (30 to 100 ms in one open of the compare view in
        ten when opened back to back). Never a settle here: that waits for an idle second."""
        if self.config.settle_heap and gc.get_freeze_count():
            self.call_after_refresh(heap.tidy, may_settle=False)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.update_status)  # the folders may fit again, or not

    def _show_cursor_in_preview(self) -> None:
        row = self.tree.cursor_row
        if isinstance(row, FileRow):
            notes = tuple(row.member.notes(self._relative))
            if row.is_keeper and row.cluster.why:
                notes = (f"kept: {row.cluster.why}", *notes)
            self.preview.show(
                row.member.summary, row.cluster.keeper, self.root, notes, row.member.difference
            )
        elif isinstance(row, ClusterRow):
            why = (f"kept: {row.cluster.why}",) if row.cluster.why else ()
            self.preview.show(row.cluster.keeper, row.cluster.keeper, self.root, why)

    def _relative(self, path: Path) -> str:
        return printable(display_name(path, self.config.folders))

    def _changed(self, cluster: Cluster | None = None) -> None:
        """After a decision: save it, redraw its rows (or all), update the status."""
        self._save()
        if cluster is None:
            self.tree.redraw()
        else:
            self.tree.redraw_cluster(cluster)
        self.update_status()

    def _save(self) -> None:
        """Hand what changed to the background writer (the key does not wait for SQLite)."""
        changes = self.review.take_changes()
        if self.saver is not None:
            self.saver.save(changes)

    def _save_failed(self, warnings: tuple[str, ...]) -> None:
        """In the writer thread: say so on screen (post_message is thread-safe)."""
        self.post_message(ReviewNotSaved(warnings))

    def on_review_not_saved(self, message: ReviewNotSaved) -> None:
        for warning in message.warnings or ("The review could not be saved.",):
            self.notify(warning, title="Review not saved", severity="warning")
