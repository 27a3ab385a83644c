"""A checkbox whose box is empty when off: without colour, Textual's always shows an X."""

from __future__ import annotations

from textual.widgets import Checkbox


class StateCheckbox(Checkbox):
    """`▐X▌` when ticked, `▐ ▌` when not, so the state reads the same on a terminal without
    colour (Textual's Checkbox draws an X in both states and tells them apart by colour)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "X" if self.value else " "
