"""Keys typed in one burst reach a text field in the order they were typed (found by a tester:
`t`, then `Ctrl+U 0.05 Enter` pasted at once, submitted an empty threshold)."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult

from simdup_tui.ui.widgets.text_input import TextInput


class _FieldApp(App[None]):
    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield TextInput(value=self.value)

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        self.submitted.append(event.value)


def _burst(app: App[None], *keys: str) -> None:
    """Queue keys as a terminal delivers a paste: all read before any is handled."""
    for key in keys:
        character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def test_editing_keys_in_a_burst_act_in_order() -> None:
    app = _FieldApp("0.07")
    async with app.run_test() as pilot:
        field = app.query_one(TextInput)
        await pilot.pause()
        _burst(app, "end", "backspace", "9")
        await pilot.pause()
        assert field.value == "0.09"
        _burst(app, "left", "left", "X")
        await pilot.pause()
        assert field.value == "0.X09"
        _burst(app, "end", "ctrl+u", "0", ".", "0", "5", "enter")
        await pilot.pause()
        assert field.value == "0.05"
        assert app.submitted == ["0.05"]


async def test_keys_typed_with_the_key_that_opens_a_prompt_reach_its_field(
    gallery,
) -> None:
    """`/beach Enter` or `t Ctrl+U 0.05 Enter` in one burst: the keys after the one that opens
    the prompt arrive before its field has the focus, and were dropped without a word."""
    from simdup_tui.ui.app import SimdupApp

    from .helpers import make_config, settle

    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        _burst(app, "slash", "f", "o", "r", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.review.filter_text == "for"
        _burst(app, "t", "ctrl+u", "0", ".", "0", "5", "enter")
        await pilot.pause()
        await settle(app, pilot)
        assert app.screen.threshold == 0.05
