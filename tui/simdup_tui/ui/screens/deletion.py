"""A batch running: progress, Escape to stop between files, the truthful summary, `u` to undo."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from ...core.deletion import DeletionMode, DeletionPlan, DeletionReport, FileResult, execute
from ...core.errors import SimdupError
from ...core.humanize import plural
from ...core.journal import UndoReport, undo_last_batch
from ..widgets.deletion_progress import DeletionProgress, relative_name, report_text


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """What the main screen needs to know afterwards: which files are gone for now."""

    report: DeletionReport | None
    undo: UndoReport | None = None

    @property
    def gone(self) -> set[Path]:
        """Files removed by the batch and not brought back by an undo."""
        removed = {result.path for result in self.report.removed} if self.report else set()
        restored = {result.path for result in self.undo.restored} if self.undo else set()
        return removed - restored

    @property
    def restored(self) -> set[Path]:
        return {result.path for result in self.undo.restored} if self.undo else set()


class BatchProgress(Message):
    def __init__(self, done: int, total: int, result: FileResult) -> None:
        super().__init__()
        self.done, self.total, self.result = done, total, result

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, BatchProgress)


class BatchFinished(Message):
    def __init__(self, report: DeletionReport | None, error: str = "") -> None:
        super().__init__()
        self.report, self.error = report, error


class UndoFinished(Message):
    def __init__(self, undo: UndoReport | None, error: str = "") -> None:
        super().__init__()
        self.undo, self.error = undo, error


class DeletionScreen(ModalScreen[BatchOutcome]):
    """Runs the confirmed plan in a worker; closes only once the batch is over."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop_or_close", "Stop / close", id="deletion.stop"),
        Binding("enter,q", "close", "Close", id="deletion.close"),
        Binding("u", "undo", "Undo this batch", id="deletion.undo"),
    ]
    DEFAULT_CSS = """
    DeletionScreen { align: center middle; }
    DeletionScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    DeletionScreen #batch-title { text-style: bold; height: auto; }
    DeletionScreen #batch-summary { height: auto; max-height: 20; }
    DeletionScreen #batch-hint { height: auto; color: $text-muted; }
    """

    def __init__(self, plan: DeletionPlan) -> None:
        super().__init__()
        self.plan = plan
        self.report: DeletionReport | None = None
        self.undo: UndoReport | None = None
        self.running = True
        self._stop = threading.Event()

    def compose(self) -> ComposeResult:
        where = {
            DeletionMode.TRASH: "to the trash",
            DeletionMode.MOVE: f"into {self.plan.move_to}",
            DeletionMode.DELETE: "permanently",
        }[self.plan.mode]
        with Vertical():
            yield Static(
                Text(f"Removing {plural(self.plan.file_count, 'file')} {where}"), id="batch-title"
            )
            yield DeletionProgress(self.plan.file_count, self.plan.root, id="batch-progress")
            with VerticalScroll(id="batch-summary"):
                yield Static("", id="batch-report")
            yield Static("", id="batch-hint")

    def on_mount(self) -> None:
        self._run_batch()

    @work(
        thread=True, exclusive=True, group="deletion", exit_on_error=False,
        description="Removing the marked photos",
    )  # fmt: skip
    def _run_batch(self) -> None:
        def progress(done: int, total: int, result: FileResult) -> None:
            self.post_message(BatchProgress(done, total, result))

        try:
            report = execute(self.plan, on_progress=progress, cancel=self._stop)
        except SimdupError as error:
            self.post_message(BatchFinished(None, error.message))
            return
        self.post_message(BatchFinished(report))

    def on_batch_progress(self, message: BatchProgress) -> None:
        self.query_one(DeletionProgress).advance(message.done, message.total, message.result)

    def on_batch_finished(self, message: BatchFinished) -> None:
        self.running = False
        self.report = message.report
        self.query_one(DeletionProgress).display = False
        if message.report is None:
            self.query_one("#batch-title", Static).update(Text("Nothing was removed"))
            self.query_one("#batch-report", Static).update(Text(message.error))
            self.query_one("#batch-hint", Static).update("Enter or Escape closes.")
            return
        self.query_one("#batch-title", Static).update(Text("Done"))
        self.query_one("#batch-report", Static).update(report_text(message.report, self.plan.root))
        undoable = self.plan.mode is not DeletionMode.DELETE and message.report.removed
        hint = "u puts these files back · " if undoable else ""
        self.query_one("#batch-hint", Static).update(hint + "Enter or Escape closes.")

    def action_stop_or_close(self) -> None:
        if self.running:
            self._stop.set()
            self.query_one("#batch-hint", Static).update("Stopping after the current file…")
        else:
            self.action_close()

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(BatchOutcome(self.report, self.undo))

    def action_undo(self) -> None:
        if self.running or self.report is None or self.undo is not None:
            return
        if self.plan.mode is DeletionMode.DELETE or not self.report.removed:
            self.notify("Permanently deleted files cannot come back.", severity="warning")
            return
        self.running = True
        self.query_one("#batch-hint", Static).update("Putting the files back…")
        self._run_undo()

    @work(
        thread=True, exclusive=True, group="deletion", exit_on_error=False,
        description="Undoing the last batch",
    )  # fmt: skip
    def _run_undo(self) -> None:
        try:
            # This batch by its id: another instance may have written a batch since.
            batch = self.report.batch if self.report is not None else None
            self.post_message(UndoFinished(undo_last_batch(batch=batch)))
        except SimdupError as error:
            self.post_message(UndoFinished(None, error.message))

    def on_undo_finished(self, message: UndoFinished) -> None:
        self.running = False
        self.undo = message.undo
        text = Text()
        if message.undo is None:
            text.append(f"Undo failed: {message.error}", "bold")
        else:
            text.append(f"Put back {plural(len(message.undo.restored), 'file')}.", "bold")
            for result in message.undo.not_restored:
                text.append("\nnot restored: ")
                text.append(relative_name(result.path, self.plan.root))
                text.append(f" — {result.reason}", "dim")
        self.query_one("#batch-report", Static).update(text)
        self.query_one("#batch-hint", Static).update("Enter or Escape closes.")


def batch_notice(outcome: BatchOutcome) -> tuple[str, str]:
    """The toast after a batch: what is true now (an undo changes the story)."""
    report = outcome.report
    assert report is not None
    if outcome.undo is not None:
        back = len(outcome.undo.restored)
        left = len(outcome.undo.not_restored)
        message = f"{plural(back, 'file')} put back"
        if left:
            message += f"; {left} could not come back (see simdup-tui --undo)"
        return "Undone", message
    titles = {
        DeletionMode.TRASH: "Trashed",
        DeletionMode.MOVE: "Moved",
        DeletionMode.DELETE: "Deleted",
    }
    return titles[report.mode], report.summary_text()
