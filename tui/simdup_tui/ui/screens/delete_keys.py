"""The keys that delete, undo and quit: plan, confirm, run the batch, then show what is true."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work

from ...core.deletion import DeletionReport
from ...core.errors import SimdupError
from ...core.humanize import format_bytes, plural
from ...core.plan import DeletionMode, DeletionPlan, plan_deletion
from ...core.review import Review
from ...core.review_store import ReviewStore
from ...core.scan import ScanResult
from .. import wording
from ..config import AppConfig
from .confirm_delete import ConfirmDeleteScreen
from .deletion import BatchOutcome, DeletionScreen, UndoFinished, batch_notice
from .prompts import ConfirmQuitScreen

if TYPE_CHECKING:
    from pathlib import Path

    from ..widgets.cluster_tree import ClusterTree


class DeleteKeys:
    """Actions of the main screen for d, D, Ctrl+Z and q; mixed into MainScreen, whose BINDINGS
    name them. Needs config, root, review, result, scanning, store, tree, _save, recluster and
    action_rescan."""

    config: AppConfig
    root: Path
    review: Review
    result: ScanResult | None
    scanning: bool
    store: ReviewStore | None

    if TYPE_CHECKING:
        tree: ClusterTree

        def _save(self) -> None: ...
        def recluster(self) -> None: ...
        def action_rescan(self) -> None: ...
        def notify(self, message: str, **kwargs: object) -> None: ...  # type: ignore[override]

    # Deleting and quitting --------------------------------------------------

    def action_delete(self, permanently: bool) -> None:
        """Plan, confirm, then run the batch in a worker (d: trash or --move-to; D: unlink)."""
        if self.scanning:
            self.notify("Wait for the scan to finish before deleting.", severity="warning")
            return
        marked = self.review.marked_summaries()
        if not marked:
            review = self.review
            said = wording.nothing_to_delete(
                len(review.summaries), len(review.clusters), len(review.shown_clusters())
            )
            self.notify(said, severity="warning")
            return
        if permanently:
            mode = DeletionMode.DELETE
        else:
            mode = DeletionMode.MOVE if self.config.move_to else DeletionMode.TRASH
        linked = self.result.linked_folders if self.result is not None else frozenset()
        plan = plan_deletion(
            marked,
            self.review.clusters,
            mode=mode,
            root=self.root,
            move_to=self.config.move_to,
            roots=self.config.folders,
            linked=linked,
            protected=self.config.protected,
        )
        self.app.clear_notifications()  # a toast must not sit over the dialog's buttons

        def confirmed(confirmed_plan: DeletionPlan | None) -> None:
            if confirmed_plan is not None:
                screen = DeletionScreen(confirmed_plan, on_finished=self._batch_finished)
                self.app.push_screen(screen, self._after_batch)

        self.app.push_screen(ConfirmDeleteScreen(plan, self.root), confirmed)

    def action_undo_last(self) -> None:
        """Ctrl+Z: put back the newest batch of these folders that still has files out."""
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
            record = choose_batch(journal, self.config.folders)
            report = None if record is None else undo_batch(journal, record.batch)
        except SimdupError as error:  # the journal or the lock: a sentence for people
            self.post_message(UndoFinished(None, error.message))
            return
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

    def _batch_finished(self, report: DeletionReport) -> None:
        """As soon as a batch ends, under its result box: removed files leave the tree, failed
        ones stay marked with their reason, clusters of one disappear, totals follow."""
        if self.result is None:
            return
        gone = {result.path for result in report.removed}
        self.review.apply_batch(gone, set())
        self._save()
        failures = self.tree.failures
        for path in gone:
            failures.pop(path, None)
        for result in report.problems:
            # shown on its row while it stays marked, in the result box's words
            failures[result.path] = f"{wording.OUTCOME_WORDS[result.outcome]}: {result.reason}"
        if gone:
            kept = tuple(s for s in self.result.summaries if s.path not in gone)
            self.result = replace(self.result, summaries=kept)
        self.recluster()

    def _after_batch(self, outcome: BatchOutcome | None) -> None:
        """The result box closed: say what is true now; files an undo put back are read again
        (they have a new identity) and shown."""
        if outcome is None or outcome.report is None or self.result is None:
            return
        title, message = batch_notice(outcome)
        self.notify(message, title=title, timeout=8)
        if outcome.restored:
            self.review.apply_batch((), outcome.restored)
            self._save()
            for path in outcome.restored:
                self.tree.failures.pop(path, None)
            self.action_rescan()

    def action_quit(self) -> None:
        count = self.review.marked_count
        if not count:
            self.app.exit()
            return

        def answer(quit_now: bool | None) -> None:
            if quit_now:
                self.app.exit()

        kept = " Your marks are saved for next time." if self.store is not None else ""
        message = (
            f"{plural(count, 'photo')} ({format_bytes(self.review.marked_bytes)}) "
            f"marked but not deleted. Quit anyway? Nothing will be deleted.{kept}"
        )
        self.app.push_screen(ConfirmQuitScreen(message), answer)
