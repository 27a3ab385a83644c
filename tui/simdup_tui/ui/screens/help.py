"""Every key and what it does, on one screen."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str, str]] = [
    ("Move", "j / k, ↓ / ↑", "next / previous row"),
    ("", "g / G, Home / End", "first / last row"),
    ("", "PgUp / PgDn", "a page up / down"),
    ("", "J / K, Tab / Shift+Tab", "next / previous cluster"),
    ("", "l / →", "open a cluster (or go to its first photo)"),
    ("", "h / ←", "close a cluster, or go to a photo's cluster"),
    ("", "Enter", "open / close the cluster"),
    (
        "Mark",
        "Space",
        "mark / unmark this photo and move down; on a cluster row: mark all "
        "but the keeper, or clear the cluster when that is already so",
    ),
    ("", "a", "mark all but the keeper in this cluster (not photos that look different up close)"),
    ("", "A", "mark all but the keeper in every cluster (the same)"),
    ("", "v", "invert marks in this cluster (the keeper too when the cursor is on it)"),
    ("", "u / U", "unmark this cluster / everything"),
    (
        "",
        "p",
        "keep this photo: its cluster is rebuilt around it (the photos within the threshold "
        "of it), and it is unmarked",
    ),
    ("", "o", "cycle the keeper rules: pixels, originals, largest file or shortest path first"),
    (
        "Review",
        "x",
        "on a photo: not a duplicate of its keeper; on a cluster row: none of these are "
        "duplicates of each other (never linked again, even renamed)",
    ),
    ("", "I", "what was recorded as not duplicates; take any of it back"),
    ("", "f", "looks fine: this cluster is reviewed, go to the next unreviewed one"),
    ("", "n", "next unreviewed cluster"),
    (
        "",
        "/",
        "show only clusters with a photo whose path holds some text; a and A then act on "
        "the photos shown only",
    ),
    ("", "Escape", "clear the filter (marks stay)"),
    ("", "S", "sort clusters: most space to free, most photos, closest first, by folder"),
    ("Delete", "d, Delete, F8", "delete marked photos to the trash (asks first)"),
    ("", "D", "delete marked photos permanently (asks first)"),
    ("", "Ctrl+Z", "undo the last batch of this folder (trashed or moved files come back)"),
    ("Find", "+ / =, -", "threshold up / down by 0.01 (no file is read again)"),
    ("", "t", "type a threshold"),
    ("", "s", "strict check on/off: leave out pairs that look different up close"),
    ("", "R", "rescan the folder"),
    ("View", "z", "sharper view of the photo itself / back to the summaries"),
    ("", "e", "files that could not be read, with reasons"),
    ("", "? / F1", "this help"),
    ("", "q, Ctrl+Q, Ctrl+C", "quit (asks first when photos are marked)"),
]
"""The help table: (group, keys, what they do). Escape never clears marks."""

LEGEND = (
    "[K] keeper   [x] marked for deletion   [ ] not marked   🔒 protected   "
    "numbers: difference to the keeper\n"
    "✓ reviewed cluster   + reviewed, but new photos joined it   "
    "marks, keepers and progress are saved as you go (--fresh starts without them)"
)


class HelpScreen(ModalScreen[None]):
    """Keys on one page; any of Escape, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="help.up"),
        Binding("pagedown,space", "scroll(10)", "Page down", show=False, id="help.page_down"),
        Binding("pageup", "scroll(-10)", "Page up", show=False, id="help.page_up"),
        Binding("g,home", "scroll_to_end(False)", "Top", show=False, id="help.top"),
        Binding("G,end", "scroll_to_end(True)", "Bottom", show=False, id="help.bottom"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
        for group, keys, what in KEYS:
            table.add_row(group, keys, what)
        with VerticalScroll():
            yield Static(Text("simdup-tui keys", style="bold"))
            yield Static(table)
            yield Static(Text("\n" + LEGEND, style="dim"))
            yield Static(Text("Escape, q, ? or F1 closes this screen.", style="dim"))

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_scroll_to_end(self, bottom: bool) -> None:
        scroller = self.query_one(VerticalScroll)
        if bottom:
            scroller.scroll_end(animate=False)
        else:
            scroller.scroll_home(animate=False)
