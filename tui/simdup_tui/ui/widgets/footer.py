"""Textual's Footer without its wasted restyling: keys mounted in their final style, and no
rebuild while its screen is hidden under another."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

try:  # private in Textual 8.2.8; a later release may move it: then the footer is Textual's own
    from textual.widgets._footer import FooterKey
except ImportError:  # pragma: no cover - depends on the Textual installed
    FooterKey = None  # type: ignore[assignment,misc]


class KeysFooter(Footer):
    """Footer that draws the same keys as Textual's, with less work on the UI thread.

    - Textual's FooterKey starts compact (restyled on mount to add '-compact'), then its
      binding to Footer.compact sets it back (restyled again): two style passes per key, about
      3 ms each. A bound key is given the footer's value before it mounts, so neither happens.
    - Opening a screen suspends the one below, which tells its footer the keys changed; it
      then rebuilds every key while hidden (about 30 ms for the main screen's, in the middle
      of opening the compare view or help). A hidden footer waits instead: its screen's
      resume tells it again (Screen._on_screen_resume counts a stack update, which refreshes
      the bindings), and it rebuilds then, as it did already.
    - Each key is bound to the footer's `compact` (data_bind), and Textual lets go of a bound
      key only when `compact` changes, which it never does here: every rebuild (each screen
      opened over the main one) kept the old keys alive, about 100 kB a help opened. The keys
      gone are let go at each rebuild instead.
    """

    def compose(self) -> ComposeResult:
        forget_closed_watchers(self)
        for widget in super().compose():
            if (
                FooterKey is not None
                and isinstance(widget, FooterKey)
                and "compact" in (getattr(widget, "_reactive_connect", None) or {})
            ):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        hidden = self.is_attached and self.screen is not self.app.screen
        if hidden and hasattr(self, "_bindings_ready"):
            self._bindings_ready = True  # as Footer does; the keys are built on resume
            return
        super().bindings_changed(screen)


def forget_closed_watchers(node: object) -> None:
    """Drop the watchers `node`'s reactives keep for widgets that are gone (closed), as
    Textual itself does when the watched value next changes (reactive._check_watchers).
    A later Textual without this private list is left alone."""
    watchers = getattr(node, "__watchers", None)
    if not isinstance(watchers, dict):
        return
    for entries in watchers.values():
        entries[:] = [entry for entry in entries if not getattr(entry[0], "_closing", False)]
