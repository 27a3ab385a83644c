"""Line-API widgets whose lines are all made (or taken from their cache) once a render pass.

Textual's `render_lines` asks `render_line` for each line of the pass; a widget that makes its
lines as a whole (a picture, the tree's scroll bar) would otherwise look its lines, and its
style (DOMNode.rich_style walks every ancestor, about 0.1 ms), up once per line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    from rich.style import Style
    from textual.geometry import Size


class LinesOncePerPass:
    """Mixed in before the Textual widget class; the widget defines `pass_lines()`."""

    BLANK_IN_STYLE: ClassVar[bool] = True
    """Lines past the last are blank in the widget's style (else unstyled)."""
    _pass: list[Strip] | None = None

    if TYPE_CHECKING:
        size: Size
        rich_style: Style

    def pass_lines(self) -> list[Strip]:
        """Every line of the widget, top to bottom."""
        raise NotImplementedError

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pass = self.pass_lines()
        try:
            return super().render_lines(crop)  # type: ignore[misc]
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        lines = self._pass if self._pass is not None else self.pass_lines()
        if 0 <= y < len(lines):
            return lines[y]
        return Strip.blank(self.size.width, self.rich_style if self.BLANK_IN_STYLE else None)
