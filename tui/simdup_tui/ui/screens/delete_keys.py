"""The keys that delete and quit: plan, confirm, run the batch, then show what is true."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ...core.deletion import DeletionMode, plan_deletion
from ...core.humanize import format_bytes, plural
from ...core.review import Review
from ...core.review_store import ReviewStore
from ...core.scan import ScanResult
from ..config import AppConfig
from .confirm_delete import ConfirmDeleteScreen
from .deletion import BatchOutcome, DeletionScreen, batch_notice
from .prompts import ConfirmQuitScreen

if TYPE_CHECKING:
    from pathlib import Path

    from ..widgets.cluster_tree import ClusterTree


class DeleteKeys:
    """Actions of the main screen for d, D and q; mixed into MainScreen, whose BINDINGS name
    them. Needs config, root, review, result, scanning, store, tree, _save and recluster."""

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
        def notify(self, message: str, **kwargs: object) -> None: ...  # type: ignore[override]

    # Deleting and quitting --------------------------------------------------

    def action_delete(self, permanently: bool) -> None:
        """Plan, confirm, then run the batch in a worker (d: trash or --move-to; D: unlink)."""
        if self.scanning:
            self.notify("Wait for the scan to finish before deleting.", severity="warning")
            return
        marked = self.review.marked_summaries()
        if not marked:
            self.notify("Nothing is marked: mark photos with space or a first.", severity="warning")
            return
        if permanently:
            mode = DeletionMode.DELETE
        else:
            mode = DeletionMode.MOVE if self.config.move_to else DeletionMode.TRASH
        plan = plan_deletion(
            marked,
            self.review.clusters,
            mode=mode,
            root=self.root,
            move_to=self.config.move_to,
            protected=self.config.protected,
        )
        confirm = ConfirmDeleteScreen(plan, self.root)
        self.app.clear_notifications()  # a toast must not sit over the dialog's buttons

        def confirmed(go_ahead: bool | None) -> None:
            if go_ahead:
                self.app.push_screen(DeletionScreen(confirm.plan), self._after_batch)

        self.app.push_screen(confirm, confirmed)

    def _after_batch(self, outcome: BatchOutcome | None) -> None:
        """Removed files leave the tree; failed ones stay marked; clusters of one disappear."""
        if outcome is None or outcome.report is None or self.result is None:
            return
        gone = outcome.gone
        self.review.apply_batch(gone, outcome.restored)
        self._save()
        failures = self.tree.failures
        for path in gone | outcome.restored:
            failures.pop(path, None)
        for result in outcome.report.problems:
            failures[result.path] = result.reason  # shown on its row while it stays marked
        if gone:
            kept = tuple(s for s in self.result.summaries if s.path not in gone)
            self.result = replace(self.result, summaries=kept)
        title, message = batch_notice(outcome)
        self.notify(message, title=title, timeout=8)
        self.recluster()

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
