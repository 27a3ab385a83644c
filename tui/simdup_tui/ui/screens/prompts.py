"""Small questions: a threshold or a filter to type, and whether to quit with photos marked."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from ...core.duplicates import parse_threshold
from ...core.errors import SimdupError
from ..widgets.text_input import TextInput


class TypeAhead:
    """A screen with one TextInput that takes keys typed in the burst that opened it."""

    _typed_ahead: list[events.Key] | None = None

    def type_ahead(self, event: events.Key) -> None:
        """A key typed with the one that opened this screen (`/beach Enter`, `t Ctrl+U 0.05
        Enter`) that the app met while the screen below was shown: it goes to the field here
        in the order typed (kept until the field exists), not nowhere."""
        assert isinstance(self, ModalScreen)
        key = events.Key(event.key, event.character)
        fields = self.query(TextInput)
        if not fields:  # not composed yet: on_mount hands them over
            self._typed_ahead = [*(self._typed_ahead or []), key]
            return
        fields.first().post_message(key)

    def _on_mount(self, event: events.Mount) -> None:
        field = self.query_one(TextInput)
        for key in self._typed_ahead or []:
            field.post_message(key)
        self._typed_ahead = None


class ThresholdScreen(TypeAhead, ModalScreen[float | None]):
    """Type a threshold; Enter applies it, Escape leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="threshold.cancel"),
    ]
    DEFAULT_CSS = """
    ThresholdScreen { align: center middle; }
    ThresholdScreen > Vertical {
        width: 60; max-width: 95%; height: auto; border: round $accent;
        background: $surface; padding: 0 1;
    }
    ThresholdScreen #threshold-error { color: $error; height: auto; }
    """

    def __init__(self, current: float) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Threshold (above 0, at most 1; the tutorial uses 0.07):"))
            yield TextInput(value=f"{self.current:g}", id="threshold-input")
            yield Static("", id="threshold-error")
            yield Static(Text("Enter applies · Escape cancels", style="dim"))
        yield Footer()  # this dialog's keys, not those of the screen behind it

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            value = parse_threshold(event.value.strip())
        except SimdupError as error:
            self.query_one("#threshold-error", Static).update(Text(error.message))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FilterScreen(TypeAhead, ModalScreen[str | None]):
    """Type text a photo's path must hold; Enter applies it ("" shows all), Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
    ]
    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical {
        width: 70; max-width: 95%; height: auto; border: round $accent;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Show clusters with a photo whose path holds (e.g. WhatsApp/):"))
            yield TextInput(value=self.current, id="filter-input")
            yield Static(
                Text("Enter applies (empty: show all) · Escape cancels; a and A then act on "
                     "the photos shown only", style="dim")
            )  # fmt: skip

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmQuitScreen(ModalScreen[bool]):
    """Asked before quitting with marks pending: nothing was deleted yet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Quit", id="quit.yes"),
        Binding("n,escape", "answer(False)", "Stay", id="quit.no"),
    ]
    DEFAULT_CSS = """
    ConfirmQuitScreen { align: center middle; }
    ConfirmQuitScreen > Vertical {
        width: 64; max-width: 95%; height: auto; border: round $warning;
        background: $surface; padding: 0 1;
    }
    ConfirmQuitScreen Horizontal { height: auto; align: right middle; }
    ConfirmQuitScreen Button { margin-left: 1; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.message))
            with Horizontal():
                yield Button("Stay (n)", id="stay", variant="primary")
                yield Button("Quit (y)", id="quit", variant="warning")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
