"""The main screen: status, the cluster tree, the preview; owns marks and the scan's results."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static, Tree
from textual.worker import get_current_worker

from ...core.cache import open_default_cache
from ...core.cluster import Cluster
from ...core.duplicates import Duplicates, find_duplicates
from ...core.errors import SimdupError
from ...core.folders import scan_folders
from ...core.humanize import display_path, format_bytes, format_threshold, plural, printable
from ...core.identical import ContentHashes, label_identical
from ...core.keeper import DEFAULT_ORDER, KeeperRules, next_preset, order_name
from ...core.marks import Marks
from ...core.plan import DeletionMode, DeletionPlan, plan_deletion
from ...core.scan import NOT_RECURSIVE_HINT, ScanResult, display_name, has_subfolders
from .. import wording
from ..config import AppConfig
from ..log_capture import core_warnings
from ..messages import ClustersFailed, ClustersReady, ScanFailed, ScanFinished
from ..widgets.cluster_tree import ClusterRow, ClusterTree, FileRow
from ..widgets.preview import PreviewPane
from ..widgets.scan_progress import ScanProgressPanel
from .compare import CompareOutcome, CompareScreen
from .confirm_delete import ConfirmDeleteScreen
from .deletion import BatchOutcome, DeletionScreen, UndoFinished
from .errors import ErrorsScreen
from .help import HelpScreen
from .prompts import ConfirmQuitScreen, ThresholdScreen

log = logging.getLogger(__name__)

THRESHOLD_STEP = 0.01
PREVIEW_MIN_COLUMNS = 16
"""Fewer visible columns than this and the preview counts as hidden (a summary is 16 wide)."""
PROGRESS_INTERVAL = 0.1
"""Seconds between progress redraws while scanning."""


KEYS_THAT_NEED_NO_CLUSTERS = frozenset(
    {"view.help", "app.quit_key", "app.quit", "scan.rescan", "view.errors", "view.sharp"}
    | {"threshold.up", "threshold.down", "threshold.type"}
)
"""Binding ids that act while scanning or re-clustering; every other key needs clusters."""


class MainScreen(Screen[None]):
    """Everything the person works with; long work runs in thread workers."""

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
        self.strict = config.strict
        """The strict check is on (`s`): pairs it rejects are left out of the clusters."""
        self._shown_threshold = config.threshold
        """The threshold the clusters on screen were made with."""
        """The threshold now in force (changed with +, -, t)."""
        self.marks = Marks(protected=config.protected)
        """What is marked and which photos are kept; survives re-clustering and rescans."""
        self.result: ScanResult | None = None
        self.clusters: list[Cluster] = []
        self.duplicates: Duplicates | None = None
        """The pairs and clusters on screen (regrouped without a search after `p` or `o`)."""
        self.keep_order: tuple[str, ...] = config.keep_order
        """The keeper rules in force (`o` cycles useful orders)."""
        self._hashes = ContentHashes()
        """Digests of files compared with their keeper, kept across re-clustering."""
        self._sizes: dict[Path, int] = {}
        """Bytes deleting each clustered photo frees, so the status line never walks all
        clusters."""
        self.scanning = False
        self._scan_generation = 0
        self._cluster_generation = 0
        self._pending_cursor: Path | None = None
        self._latest_progress: tuple[int, int, Path | None] | None = None
        """Written by the scan thread, read by a timer: (done, total, current path)."""
        self._shown_progress: tuple[int, int, Path | None] | None = None
        self._progress_timer: Timer | None = None
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
                yield ScanProgressPanel(id="progress")
                yield Static(id="empty-message", classes="hidden")
                yield ClusterTree(self.marks, self.root, self.config.folders, id="tree")
            with Vertical(id="right"):
                yield PreviewPane(self.config.color_mode)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ClusterTree).focus()
        self.start_scan()

    @property
    def tree(self) -> ClusterTree:
        return self.query_one(ClusterTree)

    @property
    def preview(self) -> PreviewPane:
        return self.query_one(PreviewPane)

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

    # Scanning ---------------------------------------------------------------

    def start_scan(self) -> None:
        self._scan_generation += 1
        self.scanning = True
        self._said_scanning = False
        self._latest_progress = self._shown_progress = None
        self._stop_progress()
        self._progress_timer = self.set_interval(PROGRESS_INTERVAL, self._show_progress)
        self.query_one(ScanProgressPanel).restart()
        self.query_one(ScanProgressPanel).remove_class("hidden")
        self.query_one("#empty-message").add_class("hidden")
        self.update_status()
        self._scan_worker(self._scan_generation)

    @work(
        thread=True, exclusive=True, group="scan", exit_on_error=False,
        description="Scanning the folder for photos",
    )  # fmt: skip
    def _scan_worker(self, generation: int) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int, path: Path | None) -> None:
            # One tuple assignment: the UI's timer reads the latest state. A message per photo
            # measured three times slower on 10,000 small files (bench_ui_scan.py).
            self._latest_progress = (done, total, path)

        with core_warnings() as warnings:
            cache = open_default_cache() if self.config.use_cache else None
            try:
                result = scan_folders(
                    self.config.folders,
                    recursive=self.config.recursive,
                    hidden=self.config.hidden,
                    progress=progress,
                    cancel=worker.cancelled_event,
                    cache=cache,
                )
            except SimdupError as error:
                self.post_message(ScanFailed(error.message))
                return
            except Exception as error:  # never leave the screen saying "scanning…" for good
                log.exception("scan failed")
                self.post_message(ScanFailed(f"{type(error).__name__}: {error}"))
                return
            finally:
                if cache is not None:
                    cache.close()
        if not worker.is_cancelled:
            self.post_message(ScanFinished(result, generation, tuple(warnings)))

    def _show_progress(self) -> None:
        latest = self._latest_progress
        if latest is not None and latest != self._shown_progress:
            self._shown_progress = latest
            done, total, path = latest
            self.query_one(ScanProgressPanel).update_progress(done, total, path, self.root)

    def _stop_progress(self) -> None:
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None

    def on_scan_failed(self, message: ScanFailed) -> None:
        self.scanning = False
        self._stop_progress()
        self.query_one(ScanProgressPanel).add_class("hidden")
        self._show_message(f"The scan could not run: {message.reason}\nPress R to try again.")
        self.update_status()

    def on_scan_finished(self, message: ScanFinished) -> None:
        if message.generation != self._scan_generation:
            return
        self.scanning = False
        self._stop_progress()
        for warning in dict.fromkeys(message.warnings):  # each once
            self.notify(warning, title="Summary cache", severity="warning", timeout=10)
        before = self.result
        self.result = message.result
        self.marks.forget(_gone_or_changed(before, message.result))
        self.query_one(ScanProgressPanel).add_class("hidden")
        self.recluster()

    # Clustering -------------------------------------------------------------

    def recluster(self) -> None:
        """Rebuild clusters at the current threshold from stored summaries (no file is read)."""
        if self.result is None:
            return
        self._cluster_generation += 1
        self._clustering = True
        node = self.tree.cursor_node
        if isinstance(node and node.data, FileRow):
            self._pending_cursor = node.data.path  # type: ignore[union-attr]
        elif node is not None and isinstance(node.data, ClusterRow):
            self._pending_cursor = node.data.cluster.keeper.path
        self.update_status()
        self._cluster_worker(
            self.result, self.threshold, self._rules(self.result), self._cluster_generation,
            strict=self.strict,
        )  # fmt: skip

    def _rules(self, result: ScanResult) -> KeeperRules:
        return KeeperRules(
            self.keep_order, result.names, self.config.protected, self.marks.preferred_keepers
        )

    @work(
        thread=True, exclusive=True, group="cluster", exit_on_error=False,
        description="Grouping near-duplicates",
    )  # fmt: skip
    def _cluster_worker(
        self,
        result: ScanResult,
        threshold: float,
        rules: KeeperRules,
        generation: int,
        *,
        strict: bool = False,
    ) -> None:
        worker = get_current_worker()  # a newer threshold cancels this one between row blocks
        cancel = worker.cancelled_event
        try:
            duplicates = find_duplicates(
                result.summaries, threshold, rules=rules, cancel=cancel, strict=strict
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

    def on_clusters_failed(self, message: ClustersFailed) -> None:
        """Keep the clusters on screen and go back to the threshold they were made with."""
        if message.generation != self._cluster_generation:
            return
        self.threshold = self._shown_threshold
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
        self._shown_threshold = duplicates.threshold
        self.duplicates = duplicates
        self.clusters = list(duplicates.clusters)
        self._sizes = {m.summary.path: m.frees for c in self.clusters for m in c.members}
        self.marks.keep_only(self.clusters)
        tree = self.tree
        tree.fill(self.clusters, cursor_path=self._pending_cursor)
        self._pending_cursor = None
        if self.clusters:
            self.query_one("#empty-message").add_class("hidden")
            tree.remove_class("hidden")
            tree.focus()  # hiding it took the focus away; keys must reach it again
        else:
            tree.add_class("hidden")
            self._show_message(self._empty_text())
            self.preview.show(None, None, self.root)
        self._show_cursor_in_preview()
        self._clustering = False
        self.update_status()
        keys, self._early_keys = self._early_keys, []
        for key in keys:  # keys pressed while the clusters were being made act on them now
            self.call_later(self.app.run_action, key.binding.action, key.node)

    def _empty_text(self) -> str:
        count = len(self.result.summaries) if self.result else 0
        errors = len(self.result.errors) if self.result else 0
        unreadable = f" ({plural(errors, 'file')} could not be read: press e)" if errors else ""
        if count == 0:
            where = " or its subfolders" if self.config.recursive else ""
            hint = ""
            if not self.config.recursive and has_subfolders(self.root):
                hint = f"\n{NOT_RECURSIVE_HINT}"
            return f"No photos found in {display_path(self.root)}{where}{unreadable}.{hint}"
        return (
            f"No near-duplicates among {plural(count, 'photo')} at threshold "
            f"{format_threshold(self.threshold)}{unreadable}.\n"
            "Press + (or t) to allow larger differences, R to rescan, q to quit."
        )

    def _show_message(self, text: str) -> None:
        message = self.query_one("#empty-message", Static)
        message.update(Text(text))
        message.remove_class("hidden")
        self.tree.add_class("hidden")

    # Status and preview -----------------------------------------------------

    def update_status(self) -> None:
        # The threshold of the clusters on screen, never one whose clusters are not shown yet.
        folders = ", ".join(display_path(folder) for folder in self.config.folders)
        parts = [folders, f"threshold {format_threshold(self._shown_threshold)}"]
        if self.strict:
            parts.append("strict check")
        if self.keep_order != DEFAULT_ORDER:
            parts.append(f"keep: {order_name(self.keep_order)}")
        if self.result is not None:
            parts.append(plural(len(self.result.summaries), "photo"))
        if self.scanning:
            parts.append("scanning…")
        elif self._clustering and self.threshold != self._shown_threshold:
            parts.append(f"re-clustering at {format_threshold(self.threshold)}…")
        elif self._clustering:
            parts.append("grouping near-duplicates…")
        else:
            parts.append(plural(len(self.clusters), "cluster"))
            marked = self.marks.marked
            size = sum(self._sizes.get(path, 0) for path in marked)
            parts.append(f"{len(marked)} marked ({format_bytes(size)})")
        if self.result is not None and self.result.errors:
            parts.append(f"{plural(len(self.result.errors), 'error')} (e)")
        self.query_one("#status", Static).update(Text(" · ".join(parts)))

    @on(Tree.NodeHighlighted)
    def _on_highlight(self, event: Tree.NodeHighlighted) -> None:
        self._show_cursor_in_preview()

    def _show_cursor_in_preview(self) -> None:
        node = self.tree.cursor_node
        row = node.data if node is not None else None
        if isinstance(row, FileRow):
            notes = tuple(row.member.notes(self._relative))
            if row.is_keeper and row.cluster.why:
                notes = (f"kept: {row.cluster.why}", *notes)
            self.preview.show(row.member.summary, row.cluster.keeper, self.root, notes)
        elif isinstance(row, ClusterRow):
            why = (f"kept: {row.cluster.why}",) if row.cluster.why else ()
            self.preview.show(row.cluster.keeper, row.cluster.keeper, self.root, why)

    def _relative(self, path: Path) -> str:
        return printable(display_name(path, self.config.folders))

    def _refresh_marks(self, cluster_node: object | None = None) -> None:
        """Redraw after marks changed: one cluster's rows, or the whole tree."""
        tree = self.tree
        if cluster_node is None:
            tree._invalidate()
        else:
            cluster_node.refresh()  # type: ignore[attr-defined]
            for child in cluster_node.children:  # type: ignore[attr-defined]
                child.refresh()
        self.update_status()

    def _cursor_cluster(self) -> tuple[object, Cluster] | None:
        node = self.tree.cluster_node_of(self.tree.cursor_node)
        if node is None or not isinstance(node.data, ClusterRow):
            return None
        return node, node.data.cluster

    # Marking ----------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        tree = self.tree
        node = tree.cursor_node
        if node is None:
            return
        if isinstance(node.data, FileRow):
            self.marks.toggle(node.data.path)
            self._refresh_marks(node.parent)
            tree.action_cursor_down()
        elif isinstance(node.data, ClusterRow):
            cluster = node.data.cluster
            if self.marks.is_all_but_keeper(cluster):
                self.marks.clear(cluster)
            else:
                self.marks.mark_all_but_keeper(cluster)
            self._refresh_marks(node)

    def action_mark_cluster(self) -> None:
        found = self._cursor_cluster()
        if found is None:
            return
        node, cluster = found
        self.marks.mark_all_but_keeper(cluster)
        self._refresh_marks(node)

    def action_mark_every_cluster(self) -> None:
        if not self.clusters:
            return
        added = [path for c in self.clusters for path in self.marks.mark_all_but_keeper(c)]
        total = self.marks.marked_members(self.clusters)
        self._refresh_marks()
        self.notify(
            f"Marked {plural(len(added), 'more photo')}: every photo but each cluster's keeper. "
            f"{len(total)} marked in all ({format_bytes(sum(m.frees for m in total))}).",
            title="All clusters",
        )

    def action_invert(self) -> None:
        found = self._cursor_cluster()
        if found is None:
            return
        node, cluster = found
        cursor = self.tree.cursor_node
        on_keeper = (
            cursor is not None and isinstance(cursor.data, FileRow) and cursor.data.is_keeper
        )
        self.marks.invert(cluster, include_keeper=on_keeper)
        self._refresh_marks(node)

    def action_unmark_cluster(self) -> None:
        found = self._cursor_cluster()
        if found is None:
            return
        node, cluster = found
        self.marks.clear(cluster)
        self._refresh_marks(node)

    def action_unmark_all(self) -> None:
        removed = self.marks.clear_all()
        self._refresh_marks()
        if removed:
            self.notify(f"Unmarked {plural(removed, 'photo')}.")

    def action_keep_this(self) -> None:
        tree = self.tree
        node = tree.cursor_node
        if node is None or not isinstance(node.data, FileRow) or node.parent is None:
            return
        path = node.data.path
        self.marks.prefer_keeper(node.data.cluster, path)
        self._regroup(path)

    def action_cycle_keep_order(self) -> None:
        """Cycle the keeper rules through a few useful orders; clusters are rebuilt at once."""
        self.keep_order = next_preset(self.keep_order)
        node = self.tree.cursor_node
        on_photo = node is not None and isinstance(node.data, FileRow)
        self._regroup(node.data.path if on_photo else None)  # type: ignore[union-attr]
        self.notify(
            f"Keeper rules: {order_name(self.keep_order)} ({', '.join(self.keep_order)})",
            title="Keepers",
        )

    def _regroup(self, cursor_path: Path | None) -> None:
        """Rebuild the clusters around the keeper choices and rules now in force (the pairs
        stay: no search, no file read but the few hashed to find identical copies)."""
        if self.duplicates is None or self.result is None:
            self.update_status()
            return
        duplicates = self.duplicates.regroup(self._rules(self.result))
        clusters = label_identical(duplicates.clusters, self._hashes)
        self._pending_cursor = cursor_path
        self._show_clusters(replace(duplicates, clusters=clusters))

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
        node = self.tree.cursor_node
        if node is not None and isinstance(node.data, FileRow):
            self._pending_cursor = node.data.path
        self.start_scan()

    # Views ------------------------------------------------------------------

    def action_compare(self) -> None:
        """The highlighted photo (or the cluster's first non-keeper) beside its keeper."""
        found = self._cursor_cluster()
        if found is None:
            self.notify("Nothing to compare yet: no cluster is highlighted.", timeout=4)
            return
        cluster_node, _cluster = found
        cursor = self.tree.cursor_node
        path = cursor.data.path if cursor is not None and isinstance(cursor.data, FileRow) else None
        screen = CompareScreen(
            self.clusters,
            cluster_node.data.number - 1,  # type: ignore[attr-defined]
            path,
            self.marks,
            self.root,
            color_mode=self.config.color_mode,
            graphics=self.config.graphics,
        )
        self.app.push_screen(screen, self._after_compare)

    def on_cluster_tree_compare_requested(self, message: ClusterTree.CompareRequested) -> None:
        self.action_compare()

    def _after_compare(self, outcome: CompareOutcome | None) -> None:
        """Keepers chosen there rebuild the clusters; marks are shared, so redraw."""
        if outcome is None:
            return
        if outcome.keepers:
            self._regroup(outcome.path)
            return
        tree = self.tree
        self._refresh_marks()
        if outcome.path is not None:
            tree.move_to(tree.node_for_path(outcome.path))
        self._show_cursor_in_preview()

    def action_sharp(self) -> None:
        """The sharp view lives in the preview pane: when the pane is not on screen, say so."""
        preview = self.preview
        visible = preview.region.intersection(self.region)
        if visible.width < PREVIEW_MIN_COLUMNS:
            self.notify(
                f"z has no room: the preview pane is not shown at {self.size.width} columns. "
                "Widen the terminal, or press c to compare the photo with its keeper.",
                timeout=5,
            )
            return
        if preview.summary is None:
            self.notify("z shows a photo: no photo is highlighted.", timeout=4)
            return
        preview.toggle_sharp()

    def action_errors(self) -> None:
        errors = self.result.errors if self.result is not None else ()
        self.app.push_screen(ErrorsScreen(errors, self.root))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.active_bindings))  # the keys as they are now

    # Deleting and quitting --------------------------------------------------

    def action_delete(self, permanently: bool) -> None:
        """Plan, confirm, then run the batch in a worker (d: trash or --move-to; D: unlink)."""
        if self.scanning:
            self.notify("Wait for the scan to finish before deleting.", severity="warning")
            return
        marked = self.marks.marked_summaries(self.clusters)
        if not marked:
            self.notify("Nothing is marked: mark photos with space or a first.", severity="warning")
            return
        if permanently:
            mode = DeletionMode.DELETE
        else:
            mode = DeletionMode.MOVE if self.config.move_to else DeletionMode.TRASH
        linked = self.result.linked_folders if self.result is not None else frozenset()
        plan = plan_deletion(
            marked,
            self.clusters,
            mode=mode,
            root=self.root,
            move_to=self.config.move_to,
            roots=self.config.folders,
            linked=linked,
            protected=self.marks.is_protected,
        )
        self.app.clear_notifications()  # a toast must not sit over the dialog's buttons

        def confirmed(confirmed_plan: DeletionPlan | None) -> None:
            if confirmed_plan is not None:
                self.app.push_screen(DeletionScreen(confirmed_plan), self._after_batch)

        self.app.push_screen(ConfirmDeleteScreen(plan, self.root), confirmed)

    def action_undo_last(self) -> None:
        """Ctrl+Z: put back the newest batch of this folder that still has files out."""
        if self.scanning:
            self.notify("Wait for the scan to finish before undoing.", severity="warning")
            return
        self.notify("Putting the last batch back…", timeout=3)
        self._undo_worker()

    @work(
        thread=True, exclusive=True, group="undo", exit_on_error=False,
        description="Undoing the last batch",
    )  # fmt: skip
    def _undo_worker(self) -> None:
        from ...core.journal import Journal
        from ...core.undo import choose_batch, undo_batch

        try:
            journal = Journal()
            record = choose_batch(journal, self.root)
            report = None if record is None else undo_batch(journal, record.batch)
        except Exception as error:  # a failed undo is told, never a stuck screen
            self.post_message(UndoFinished(None, f"{type(error).__name__}: {error}"))
            return
        self.post_message(UndoFinished(report, "" if report else "no batch of this folder to undo"))

    def on_undo_finished(self, message: UndoFinished) -> None:
        if message.undo is None:
            self.notify(f"Nothing put back: {message.error}", severity="warning")
            return
        severity = "information" if message.undo.complete else "warning"
        self.notify(wording.undo_summary(message.undo), title="Undone", severity=severity)
        if message.undo.restored:
            self.action_rescan()  # the files are back on disk: show them again

    def _after_batch(self, outcome: BatchOutcome | None) -> None:
        """Removed files leave the tree; failed ones stay marked; clusters of one disappear."""
        if outcome is None or outcome.report is None or self.result is None:
            return
        gone = outcome.gone
        self.marks.forget(gone | outcome.restored)
        failures = self.tree.failures
        for path in gone | outcome.restored:
            failures.pop(path, None)
        for result in outcome.report.problems:
            failures[result.path] = result.reason  # shown on its row while it stays marked
        if gone:
            kept = tuple(s for s in self.result.summaries if s.path not in gone)
            self.result = replace(self.result, summaries=kept)
        title, message = _batch_notice(outcome)
        self.notify(message, title=title, timeout=8)
        if outcome.restored:
            self.action_rescan()  # put back files have a new identity (renamed twice): read it
        else:
            self.recluster()

    def action_quit(self) -> None:
        marked = self.marks.marked_summaries(self.clusters)
        if not marked:
            self.app.exit()
            return

        def answer(quit_now: bool | None) -> None:
            if quit_now:
                self.app.exit()

        message = (
            f"{plural(len(marked), 'photo')} "
            f"({format_bytes(self.marks.marked_bytes(self.clusters))}) "
            "marked but not deleted. Quit anyway? Nothing will be deleted."
        )
        self.app.push_screen(ConfirmQuitScreen(message), answer)


def _batch_notice(outcome: BatchOutcome) -> tuple[str, str]:
    """The toast after a batch: what is true now (an undo changes the story)."""
    report = outcome.report
    assert report is not None
    if outcome.undo is not None:
        return "Undone", wording.undo_summary(outcome.undo)
    return wording.DONE_TITLE[report.mode], wording.report_summary(report)


def _gone_or_changed(before: ScanResult | None, after: ScanResult) -> set[Path]:
    """Photos whose marks must not survive a rescan: gone, or no longer what was marked."""
    if before is None:
        return set()
    now = {s.path: s.identity for s in after.summaries}
    return {s.path for s in before.summaries if now.get(s.path) != s.identity}
