"""A batch running: progress, Escape to stop between files, the truthful summary, `u` to undo."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
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
from textual.worker import Worker, WorkerState

from ...core.deletion import BatchStatus, DeletionReport, FileResult, execute
from ...core.errors import SimdupError
from ...core.plan import DeletionMode, DeletionPlan
from ...core.undo import UndoReport, undo_batch
from .. import wording
from ..widgets.deletion_progress import DeletionProgress, report_text

Runner = Callable[..., DeletionReport]
"""execute()'s shape: (plan, *, on_progress, cancel) -> DeletionReport."""


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """What the main screen needs to know afterwards: which files are gone for now."""

    report: DeletionReport | None
    undo: UndoReport | None = None

    @property
    def gone(self) -> set[Path]:
        """Files removed by the batch and not brought back by an undo."""
        removed = {result.path for result in self.report.removed} if self.report else set()
        return removed - self.restored

    @property
    def restored(self) -> set[Path]:
        if self.undo is None:
            return set()
        return {result.path for result in self.undo.restored} | set(self.undo.already_back)


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
    """Runs the confirmed plan in a worker; closes only once the batch is over.

    Any failure of its workers, expected or not, reaches `on_worker_state_changed`, which ends
    the batch as failed with its reason: the screen never stays "running".
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop_or_close", "Stop / close", id="deletion.stop"),
        Binding("enter,q", "close", "Close", id="deletion.close"),
        Binding("u,ctrl+z", "undo", "Undo this batch", id="deletion.undo"),
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

    def __init__(
        self,
        plan: DeletionPlan,
        runner: Runner | None = None,
        on_finished: Callable[[DeletionReport], None] | None = None,
    ) -> None:
        super().__init__()
        self.plan = plan
        self.runner = runner
        """What runs the batch (execute; a test passes one that fails)."""
        self.on_finished = on_finished
        """Told the report as soon as the batch ends, so the screen behind the result box
        shows what is true while the box is still open."""
        self.report: DeletionReport | None = None
        self.undo: UndoReport | None = None
        self.running = True
        self.close_when_done = False
        """Set by SIGTERM / SIGHUP: the app exits as soon as the batch has stopped."""
        self._stop = threading.Event()
        self._results: list[FileResult] = []
        """Every file's result as the worker reports it (kept even if the worker fails)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(wording.batch_title(self.plan)), id="batch-title")
            yield DeletionProgress(self.plan.file_count, self.plan.folders, id="batch-progress")
            with VerticalScroll(id="batch-summary"):
                yield Static("", id="batch-report")
            yield Static("", id="batch-hint")

    def on_mount(self) -> None:
        self._run_batch()

    def stop(self) -> None:
        """Stop after the current file (Escape, or a signal)."""
        self._stop.set()
        if self.running:
            self.query_one("#batch-hint", Static).update("Stopping after the current file…")

    @work(
        thread=True, exclusive=True, group="deletion", exit_on_error=False,
        description="Removing the marked photos",
    )  # fmt: skip
    def _run_batch(self) -> None:
        def progress(done: int, total: int, result: FileResult) -> None:
            self._results.append(result)
            self.post_message(BatchProgress(done, total, result))

        def waiting(text: str) -> None:
            hint = f"{text[:1].upper()}{text[1:]}… Escape gives up (nothing is touched)."
            self.app.call_from_thread(self.query_one("#batch-hint", Static).update, hint)

        runner = self.runner or execute
        # The real execute says when it waits for another instance's batch; a runner a test
        # passes may not take the callback.
        told = {"on_wait": waiting} if "on_wait" in inspect.signature(runner).parameters else {}
        try:
            report = runner(self.plan, on_progress=progress, cancel=self._stop, **told)
        except SimdupError as error:
            self.post_message(BatchFinished(self._partial(error.message), error.message))
            return
        self.post_message(BatchFinished(report))

    def _partial(self, error: str) -> DeletionReport | None:
        """What is known of a batch that failed: the files done before the failure."""
        if not self._results:
            return None
        done = {result.path for result in self._results}
        left = tuple(s.path for s in self.plan.files if s.path not in done)
        return DeletionReport(
            "", self.plan.mode, tuple(self._results), left, BatchStatus.FAILED, None, error
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a worker's unexpected failure ends up."""
        if event.worker.group != "deletion" or event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        reason = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
        if not self.running:
            return
        if event.worker.description.startswith("Undoing"):
            self.post_message(UndoFinished(None, reason))
        elif self.report is None:
            self.post_message(BatchFinished(self._partial(reason), reason))

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
        else:
            if self.on_finished is not None:
                self.on_finished(message.report)
            failed = message.report.status is BatchStatus.FAILED
            title = "The batch failed" if failed else "Done"
            self.query_one("#batch-title", Static).update(Text(title))
            self.query_one("#batch-report", Static).update(
                report_text(message.report, self.plan.folders)
            )
            undoable = (
                self.plan.mode is not DeletionMode.DELETE
                and message.report.removed
                and message.report.batch
            )
            hint = "u puts these files back · " if undoable else ""
            self.query_one("#batch-hint", Static).update(hint + "Enter or Escape closes.")
        if self.close_when_done:
            self._exit_app()

    def _exit_app(self) -> None:
        """The batch has stopped after a signal: the app ends now."""
        exit_after_signal = getattr(self.app, "exit_after_signal", None)
        if exit_after_signal is not None:
            exit_after_signal()
        else:
            self.app.exit()

    def action_stop_or_close(self) -> None:
        if self.running:
            self.stop()
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
        if not self.report.batch:
            self.notify("This batch failed: use simdup-tui --undo.", severity="warning")
            return
        self.running = True
        self.query_one("#batch-hint", Static).update("Putting the files back…")
        self._run_undo(self.report.batch)

    @work(
        thread=True, exclusive=True, group="deletion", exit_on_error=False,
        description="Undoing the last batch",
    )  # fmt: skip
    def _run_undo(self, batch: str) -> None:
        try:
            # This batch by its id: another instance may have written a batch since.
            self.post_message(UndoFinished(undo_batch(batch=batch)))
        except SimdupError as error:
            self.post_message(UndoFinished(None, error.message))

    def on_undo_finished(self, message: UndoFinished) -> None:
        self.running = False
        self.undo = message.undo
        text = Text()
        if message.undo is None:
            text.append(f"Undo failed: {message.error}", "bold")
        else:
            text.append(wording.put_back_line(message.undo), "bold")
            for result in message.undo.not_restored:
                text.append("\nnot restored: ")
                text.append(wording.relative_name(result.path, self.plan.folders))
                text.append(f" — {result.reason}", "dim")
        self.query_one("#batch-report", Static).update(text)
        self.query_one("#batch-hint", Static).update("Enter or Escape closes.")
        if self.close_when_done:
            self._exit_app()


def batch_notice(outcome: BatchOutcome) -> tuple[str, str]:
    """The toast after a batch: what is true now (an undo changes the story)."""
    report = outcome.report
    assert report is not None
    if outcome.undo is not None:
        return "Undone", wording.undo_summary(outcome.undo)
    return wording.DONE_TITLE[report.mode], wording.report_summary(report)
