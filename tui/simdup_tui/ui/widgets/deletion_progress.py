"""A batch in progress (bar, current file, how to stop) and the truthful summary after it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from ...core.deletion import DeletionReport, FileResult
from ...core.humanize import plural, printable
from ..wording import OUTCOME_WORDS, relative_name, report_summary


class DeletionProgress(Vertical):
    """Fed from the worker's messages through `advance`; never touches files itself."""

    DEFAULT_CSS = """
    DeletionProgress { height: auto; border: round $accent; padding: 0 1; }
    DeletionProgress #deletion-current { height: 1; }
    DeletionProgress #deletion-hint { height: 1; color: $text-muted; }
    """

    def __init__(self, total: int, root: Path | Sequence[Path], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.total = total
        self.root = root
        """Names are shown relative to the scanned folder (numbered when several)."""

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=self.total, show_eta=True, id="deletion-bar")
        yield Static(Text(f"0 of {plural(self.total, 'file')}"), id="deletion-current")
        yield Static(Text("Escape stops after the current file"), id="deletion-hint")

    def advance(self, done: int, total: int, result: FileResult) -> None:
        """Show one more file done and what happened to it."""
        self.query_one(ProgressBar).update(total=total, progress=done)
        line = Text(f"{done} of {total}: {OUTCOME_WORDS[result.outcome]} ")
        line.append(relative_name(result.path, self.root))
        if result.reason:
            line.append(f" ({result.reason})", "dim")
        self.query_one("#deletion-current", Static).update(line)


def report_text(report: DeletionReport, root: Path | Sequence[Path], *, limit: int = 20) -> Text:
    """The summary after a batch: counts and bytes, every problem with its reason, the journal."""
    text = Text(report_summary(report), style="bold")
    if report.error:
        text.append(f"\n{report.error}", "bold")
    problems = report.problems
    for result in problems[:limit]:
        text.append(f"\n{OUTCOME_WORDS[result.outcome]}: ")
        text.append(relative_name(result.path, root))
        text.append(f" — {result.reason}", "dim")
    if len(problems) > limit:
        text.append(f"\n… and {len(problems) - limit} more (see the journal)")
    if report.journal_path is not None:
        text.append("\njournal: ", "dim")
        text.append(printable(str(report.journal_path)), "dim")
    return text
