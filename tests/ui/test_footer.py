"""KeysFooter draws what Textual's Footer draws, and its keys follow the bindings changed while
its screen was hidden under another."""

from __future__ import annotations

import gc
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from simdup_tui.ui.widgets.footer import KeysFooter


class Under(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "noop", "Always"),
        Binding("d", "delete", "Delete"),
    ]

    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer = footer
        self.can_delete = True

    def compose(self) -> ComposeResult:
        yield Static("under")
        yield self.footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "delete" and not self.can_delete else True

    def action_noop(self) -> None:
        pass

    def action_delete(self) -> None:
        pass


class Over(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Static("over")
        yield KeysFooter()


class Host(App[None]):
    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer = footer

    def on_mount(self) -> None:
        self.push_screen(Under(self.footer))


def drawn_keys(screen: Screen) -> list[tuple[str, bool, tuple[str, ...]]]:
    """(key, disabled, classes) of each key the screen's footer draws, in order."""
    return [
        (key.key, key._disabled, tuple(sorted(key.classes)))
        for key in screen.query_one(Footer).query("FooterKey")
    ]


async def test_the_keys_are_drawn_as_textuals_footer_draws_them() -> None:
    shown = {}
    for footer in (Footer, KeysFooter):
        app = Host(footer)
        async with app.run_test(size=(60, 8)) as pilot:
            await pilot.pause()
            shown[footer] = (drawn_keys(app.screen), app.export_screenshot())
    assert shown[KeysFooter][0] == shown[Footer][0]
    assert any(name == "ctrl+p" for name, _, _ in shown[Footer][0])  # the palette key too
    assert shown[KeysFooter][1] == shown[Footer][1]


async def test_keys_changed_while_hidden_show_when_the_screen_is_back() -> None:
    app = Host(KeysFooter)
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        under = app.screen
        assert ("d", False) in [(key, off) for key, off, _ in drawn_keys(under)]
        await app.push_screen(Over())
        await pilot.pause()
        assert [key for key, _, _ in drawn_keys(app.screen)][:1] == ["escape"]
        under.can_delete = False  # changed while hidden
        under.refresh_bindings()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is under
        assert ("d", True) in [(key, off) for key, off, _ in drawn_keys(under)]


async def test_keys_of_earlier_rebuilds_are_let_go() -> None:
    """Each screen opened over another rebuilds the footer below; Textual kept every old key
    alive (bound to the footer's `compact`): help opened 200 times grew the process ~20 MB."""
    app = Host(KeysFooter)
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        under = app.screen
        for _ in range(12):
            await app.push_screen(Over())
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is under
        gc.collect()
        alive = [item for item in gc.get_objects() if isinstance(item, FooterKey)]
        assert len(alive) <= 2 * len(under.query("FooterKey")), len(alive)
