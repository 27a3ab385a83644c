"""The question before deleting: how many files, how many bytes, where they go, which ones."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, OptionList, Static

from ...core.humanize import format_bytes, plural, printable
from ...core.plan import DeletionMode, DeletionPlan
from ...core.scan import display_name, relative_to
from .. import wording
from ..widgets.footer import KeysFooter
from ..widgets.state_checkbox import StateCheckbox


class ConfirmDeleteScreen(ModalScreen[DeletionPlan | None]):
    """Dismissed with the plan to execute on an explicit yes, None otherwise.

    Clusters that would lose every file are listed with a warning and stay out of `plan`
    unless the second confirmation (the checkbox, or `w`) is given.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Yes, go ahead", id="confirm_delete.yes"),
        Binding("n,escape,q", "cancel", "Cancel", id="confirm_delete.no"),
        Binding("w", "toggle_whole", "Whole clusters too", id="confirm_delete.whole_clusters"),
    ]
    DEFAULT_CSS = """
    ConfirmDeleteScreen { align: center middle; }
    ConfirmDeleteScreen > Vertical {
        width: 90%; min-width: 40; max-width: 110; height: 100%; max-height: 40;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ConfirmDeleteScreen.-permanent > Vertical { border: heavy $error; }
    ConfirmDeleteScreen #confirm-head { height: auto; max-height: 30%; }
    ConfirmDeleteScreen #confirm-title { text-style: bold; height: auto; }
    ConfirmDeleteScreen #confirm-where { height: auto; }
    ConfirmDeleteScreen #confirm-keepers { height: auto; color: $warning; }
    ConfirmDeleteScreen.-permanent #confirm-where { color: $error; text-style: bold; }
    ConfirmDeleteScreen #confirm-whole {
        height: auto; max-height: 3; border-left: thick $warning; padding-left: 1;
    }
    ConfirmDeleteScreen #confirm-whole Static { color: $warning; }
    ConfirmDeleteScreen #confirm-whole-check { height: auto; }
    ConfirmDeleteScreen #confirm-files { height: 1fr; min-height: 1; }
    ConfirmDeleteScreen #confirm-answers { dock: bottom; height: auto; align: right middle; }
    ConfirmDeleteScreen Button { margin-left: 1; min-width: 0; }
    """
    """The answers are docked to the box's bottom, in one line each, and the text above them
    scrolls: however small the terminal, the two answers stay on screen (40x10 and up)."""

    def __init__(self, plan: DeletionPlan, root: Path | None = None) -> None:
        super().__init__(classes="-permanent" if plan.mode is DeletionMode.DELETE else "")
        self.root = root if root is not None else plan.root
        """The scanned folder: paths are listed relative to it."""
        self.plan = plan.with_whole_clusters(False) if plan.allow_whole_clusters else plan
        """The plan as confirmed so far: whole clusters only after the second confirmation."""

    @property
    def include_whole_clusters(self) -> bool:
        return self.plan.allow_whole_clusters

    def compose(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="confirm-answers"):
                yield Button("Cancel (n)", id="cancel", variant="primary", compact=True)
                yield Button(self._verb_button(), id="confirm", variant="error", compact=True)
            with VerticalScroll(id="confirm-head", can_focus=False):
                yield Static(self._title(), id="confirm-title")
                yield Static(self._where(), id="confirm-where")
                yield Static(self._keeper_warning() or "", id="confirm-keepers")
            if self.plan.whole_clusters:
                with VerticalScroll(id="confirm-whole"):
                    for line in self._whole_cluster_warnings():
                        yield Static(line)
                yield StateCheckbox(
                    self._whole_label(), False, id="confirm-whole-check", compact=True
                )
            yield OptionList(*self._file_lines(), id="confirm-files")
        yield KeysFooter()  # the dialog's own keys, and its two answers even when the box is cut

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
        self._refresh_keeper_warning()
        self._refresh_counts()

    # What is shown --------------------------------------------------------------------------

    def _title(self) -> Text:
        plan = self.plan
        verb = wording.VERB[plan.mode]
        if plan.empty:
            return Text("Nothing would be deleted: every marked file is in a whole cluster.")
        freed = plan.freed_bytes
        size = format_bytes(freed)
        if freed != plan.total_bytes:  # a link, or a file with another name, frees nothing
            size = f"frees {size} of {format_bytes(plan.total_bytes)}"
        return Text(
            f"{verb} {plural(plan.file_count, 'file')} ({size}) "
            f"from {plural(plan.cluster_count, 'cluster')}?"
        )

    def _where(self) -> Text:
        text = Text(wording.destination(self.plan))
        text.append(wording.destination_note(self.plan), "dim")
        if self.plan.protected:
            names = ", ".join(
                printable(self._relative(summary.path)) for summary in self.plan.protected[:3]
            )
            more = " …" if len(self.plan.protected) > 3 else ""
            text.append(
                f"\n{plural(len(self.plan.protected), 'protected file')} left out: {names}{more}"
            )
        return text

    def _whole_cluster_warnings(self) -> list[Text]:
        count = len(self.plan.whole_clusters)
        lines = [
            Text(
                f"{plural(count, 'cluster')} would lose every photo, no copy left; "
                f"{'it is' if count == 1 else 'they are'} left out unless included below:",
                style="bold",
            )
        ]
        for cluster in self.plan.whole_clusters:
            names = ", ".join(printable(self._relative(m.summary.path)) for m in cluster.members)
            lines.append(Text(f"⚠ no copy left of: {names}"))
        return lines

    def _whole_label(self) -> Text:
        """The state in words, not only the box's colour: this is the riskiest switch."""
        count = len(self.plan.whole_clusters)
        files = sum(len(cluster) for cluster in self.plan.whole_clusters)
        state = "YES, included" if self.plan.allow_whole_clusters else "no, left out"
        return Text(
            f"Include {plural(count, 'whole cluster')} too ({plural(files, 'file')}) (w): {state}"
        )

    def _refresh_keeper_warning(self) -> None:
        warning = self._keeper_warning()
        keepers = self.query_one("#confirm-keepers", Static)
        keepers.update(warning or "")
        keepers.display = warning is not None

    def _keeper_warning(self) -> Text | None:
        """Marked keepers are unusual (the photo each cluster would keep): say so."""
        keepers = {cluster.keeper.path for cluster in self.plan.clusters}
        marked = [summary for summary in self.plan.files if summary.path in keepers]
        if not marked:
            return None
        return Text(
            f"⚠ {plural(len(marked), 'keeper')} among them (the photo its cluster would keep): "
            + ", ".join(printable(self._relative(summary.path)) for summary in marked[:3])
            + (" …" if len(marked) > 3 else ""),
            style="bold",
        )

    def _file_lines(self) -> list[Text]:
        return [Text(printable(self._relative(summary.path))) for summary in self.plan.files]

    def _verb_button(self) -> str:
        return wording.BUTTON[self.plan.mode]

    def _relative(self, path: Path) -> str:
        """As the tree names it: relative to its folder, numbered when there are several."""
        if len(self.plan.roots) > 1:
            return display_name(path, self.plan.roots)
        return relative_to(path, self.root)

    def _refresh_counts(self) -> None:
        self.query_one("#confirm-title", Static).update(self._title())
        self.query_one("#confirm", Button).disabled = self.plan.empty

    # Answers --------------------------------------------------------------------------------

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id != "confirm-whole-check":
            return
        event.stop()
        self.plan = self.plan.with_whole_clusters(event.value)
        event.checkbox.label = self._whole_label()
        self._refresh_keeper_warning()
        files = self.query_one("#confirm-files", OptionList)
        files.clear_options()
        files.add_options(self._file_lines())
        self._refresh_counts()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self.action_confirm()
        else:
            self.action_cancel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_whole":
            return bool(self.plan.whole_clusters)
        return True

    def action_toggle_whole(self) -> None:
        self.query_one("#confirm-whole-check", Checkbox).toggle()

    def action_confirm(self) -> None:
        if self.plan.empty:
            self.notify(
                "Nothing to delete: tick the whole-cluster box (w) to include those files.",
                severity="warning",
            )
            return
        self.dismiss(self.plan)

    def action_cancel(self) -> None:
        self.dismiss(None)
