"""Every key and what it does, on one screen."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.footer import KeysFooter

GROUPS: dict[str, str] = {
    "tree": "Move",
    "mark": "Mark",
    "review": "Review",
    "delete": "Delete",
    "threshold": "Find",
    "scan": "Find",
    "view": "View",
    "app": "Quit",
}
"""Help groups by the first part of a binding's id, in the order shown."""

EXPLAIN: dict[str, str] = {
    "tree.down": "next row",
    "tree.up": "previous row",
    "tree.first": "first row",
    "tree.last": "last row",
    "tree.page_down": "a page down",
    "tree.page_up": "a page up",
    "tree.next_cluster": "next cluster, at the top with its photos",
    "tree.previous_cluster": "previous cluster",
    "tree.expand": "open a cluster (or go to its first photo)",
    "tree.collapse": "close a cluster, or go to a photo's cluster",
    "tree.toggle": "open / close the cluster; on a photo: compare it with its keeper",
    "tree.mark": "mark / unmark this photo and move down; on a cluster row: mark all but the "
    "keeper, or clear the cluster when that is already so",
    "mark.cluster": "mark all but the keeper in this cluster (not photos that look different "
    "up close, nor the colour photo under a greyscale keeper)",
    "mark.every_cluster": "mark all but the keeper in every cluster (the same)",
    "mark.keep_order": "cycle the keeper rules: pixels, originals, largest file or shortest "
    "path first",
    "mark.invert": "invert marks in this cluster (the keeper too when the cursor is on it)",
    "mark.clear_cluster": "unmark this cluster",
    "mark.clear_all": "unmark everything",
    "mark.keeper": "keep this photo: its cluster is rebuilt around it (the photos within the "
    "threshold of it), and it is unmarked",
    "review.not_duplicates": "on a photo: not a duplicate of its keeper; on a cluster row: none "
    "of these are duplicates of each other (never linked again, even renamed)",
    "review.ignored": "what was recorded as not duplicates; take any of it back",
    "review.fine": "looks fine: this cluster is reviewed, go to the next unreviewed one",
    "review.next": "next unreviewed cluster",
    "review.filter": "show only clusters with a photo whose path holds some text; a and A then "
    "act on the photos shown only",
    "review.clear_filter": "clear the filter (marks stay)",
    "review.order": "sort clusters: most space to free, most photos, closest first, by folder",
    "delete.trash": "delete marked photos to the trash, or --move-to (asks first)",
    "delete.permanent": "delete marked photos permanently (asks first)",
    "delete.undo": "undo the last batch of this folder (trashed or moved files come back)",
    "threshold.up": "threshold up by 0.01 (no file is read again)",
    "threshold.down": "threshold down by 0.01",
    "threshold.type": "type a threshold",
    "threshold.strict": "strict check on/off: leave out pairs that look different up close",
    "scan.rescan": "rescan the folder",
    "view.compare": "the photo beside its keeper, as large as the terminal allows",
    "view.sharp": "sharper view of the photo itself / back to the summaries",
    "view.errors": "files that could not be read, with reasons",
    "view.help": "this help",
    "app.quit_key": "quit (asks first when photos are marked)",
    "app.quit": "quit from any screen (asks first when photos are marked)",
}
"""Longer words for the help screen, by binding id (the keys themselves come live)."""

KeyRow = tuple[str, str, str]
"""(group, keys as displayed, what they do)."""


def help_rows(
    bindings: Mapping[str, ActiveBinding], key_display: Callable[[Binding], str]
) -> list[KeyRow]:
    """The help table from the live bindings: one row per binding id, its keys joined."""
    keys: dict[str, list[str]] = {}
    bound: dict[str, Binding] = {}
    for active in bindings.values():
        binding = active.binding
        ident = binding.id or binding.action
        display = key_display(binding)
        if display not in keys.setdefault(ident, []):
            keys[ident].append(display)
        bound.setdefault(ident, binding)
    order = list(GROUPS)
    rows = sorted(
        keys,
        key=lambda ident: order.index(ident.split(".")[0]) if ident.split(".")[0] in order else 99,
    )
    table: list[KeyRow] = []
    previous = None
    for ident in rows:
        group = GROUPS.get(ident.split(".")[0], "Other")
        what = EXPLAIN.get(ident, bound[ident].description or bound[ident].action)
        table.append((group if group != previous else "", ", ".join(keys[ident]), what))
        previous = group
    return table


LEGEND = (
    "[K] keeper   [x] marked for deletion   [ ] not marked   🔒 protected   "
    "numbers: difference to the keeper\n"
    "on a cluster: X to free = what a then d frees   +Y by hand = more, from the photos a "
    "leaves (flagged on their rows)\n"
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

    def __init__(self, bindings: Mapping[str, ActiveBinding] | None = None) -> None:
        """`bindings`: the live key map of the screen asking for help (its active_bindings)."""
        super().__init__()
        self.bindings = dict(bindings or {})

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
        for group, keys, what in help_rows(self.bindings, self.app.get_key_display):
            table.add_row(group, keys, what)
        with VerticalScroll():
            yield Static(Text("simdup-tui keys", style="bold"))
            yield Static(table)
            yield Static(Text("\n" + LEGEND, style="dim"))
            yield Static(Text("Escape, q, ? or F1 closes this screen.", style="dim"))
        yield KeysFooter()

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
