"""What was recorded as not duplicates (`x`), one row per decision; any of it can be taken back."""

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
from ...core.not_duplicates import IgnoredGroup
from ...core.scan import relative_to


def describe(group: IgnoredGroup, root: Path) -> str:
    """One decision in words, with the photos' paths as they were when it was recorded
    (relative to root when inside it)."""
    paths = [printable(relative_to(Path(path), root)) for path in group.paths]
    if len(group.pairs) == 1:
        return f"{paths[1]}  is not a duplicate of  {paths[0]}"
    return f"none of these are duplicates: {', '.join(paths)}"


class IgnoredScreen(ModalScreen[list[str]]):
    """The decisions, newest first; x/Delete/u takes the highlighted one back; closing
    dismisses with the groups taken back (the clusters are then made again)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x,delete,u", "take_back", "Take back", id="ignored.take_back"),
        Binding("escape,q,I", "close", "Close", id="ignored.close"),
        Binding("j", "move(1)", "Down", show=False, id="ignored.down"),
        Binding("k", "move(-1)", "Up", show=False, id="ignored.up"),
        Binding("g", "move(-1_000_000)", "First", show=False, id="ignored.first"),
        Binding("G", "move(1_000_000)", "Last", show=False, id="ignored.last"),
    ]
    DEFAULT_CSS = """
    IgnoredScreen { align: center middle; }
    IgnoredScreen > Vertical {
        width: 95%; height: 90%; border: round $accent; background: $surface; padding: 0 1;
    }
    IgnoredScreen DataTable { height: 1fr; }
    """

    def __init__(self, groups: Sequence[IgnoredGroup], root: Path) -> None:
        super().__init__()
        self.root = root
        self.groups = {group.group: group for group in groups}
        self.taken_back: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="ignored-title")
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("recorded", "pairs", "what")
            for group in self.groups.values():
                table.add_row(
                    Text(group.recorded[:19].replace("T", " ")),
                    Text(str(len(group.pairs))),
                    Text(describe(group, self.root)),
                    key=group.group,
                )
            yield table
            yield Static(
                Text("x, Delete or u takes the highlighted record back · Escape or q closes",
                     style="dim")
            )  # fmt: skip

    def on_mount(self) -> None:
        self._retitle()
        self.query_one(DataTable).focus()

    def _retitle(self) -> None:
        left = len(self.groups) - len(self.taken_back)
        title = (
            f"Recorded as not duplicates: {plural(left, 'decision')} (never linked again)"
            if left
            else "Nothing is recorded as not duplicates (x in the list records it)."
        )
        self.query_one("#ignored-title", Static).update(Text(title, style="bold"))

    def action_move(self, rows: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            row = max(0, min(table.row_count - 1, table.cursor_row + rows))
            table.move_cursor(row=row)

    def action_take_back(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        if key.value is None:
            return
        self.taken_back.append(key.value)
        table.remove_row(key)
        self._retitle()
        self.notify("Taken back: those photos may be linked again.", timeout=3)

    def action_close(self) -> None:
        self.dismiss(self.taken_back)
