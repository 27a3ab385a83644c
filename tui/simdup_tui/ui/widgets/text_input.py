"""A text field whose editing keys act in the order they were typed, even in a burst."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input


def _editing_keys() -> dict[str, str]:
    """Input's own key bindings, key -> action ("backspace" -> "delete_left", ...)."""
    keys: dict[str, str] = {}
    for binding in Input.BINDINGS:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                keys[key.strip()] = binding.action
    return keys


class TextInput(Input):
    """Input, but Backspace, Ctrl+U, arrows, Home/End and Enter act before the next key.

    Textual 8 runs a focused widget's binding actions after the keys already read, so keys
    that arrive in one burst (a paste, tmux send-keys, a fast typist over SSH) are applied out
    of order: `Ctrl+U 0.05 Enter` submits an empty field, `End Backspace 9` loses the 9. Here
    each editing key's action runs from the key handler itself, before the next key.
    """

    EDITING_KEYS = _editing_keys()
    """Input's bindings at import: key name -> action string."""

    async def _on_key(self, event: events.Key) -> None:
        action = self.EDITING_KEYS.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)
