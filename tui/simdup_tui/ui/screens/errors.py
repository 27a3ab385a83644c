"""Files that could not be read, each with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ...core.humanize import plural, printable
from ...core.scan import ScanError, relative_to
from ..widgets.footer import KeysFooter


class ErrorsScreen(ModalScreen[None]):
    """A scrollable table of unreadable files; Escape or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,e", "dismiss", "Close", id="errors.close"),
    ]
    DEFAULT_CSS = """
    ErrorsScreen { align: center middle; }
    ErrorsScreen > Vertical {
        width: 95%; height: 90%; border: round $error; background: $surface; padding: 0 1;
    }
    ErrorsScreen DataTable { height: 1fr; }
    """

    def __init__(self, errors: Sequence[ScanError], root: Path) -> None:
        super().__init__()
        self.errors = list(errors)
        self.root = root

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.errors:
                title = f"Could not read {plural(len(self.errors), 'file')} (they were skipped):"
            else:
                title = "Every file was read."
            yield Static(Text(title, style="bold"))
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.display = bool(self.errors)
            table.add_columns("file", "reason")
            for error in self.errors:
                table.add_row(
                    Text(printable(relative_to(error.path, self.root))), Text(error.reason)
                )
            yield table
            yield Static(Text("Escape or q closes this screen.", style="dim"))
        yield KeysFooter()  # this screen's keys, not those of the screen behind it

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)
