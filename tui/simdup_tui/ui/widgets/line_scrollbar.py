"""The cluster tree's scroll bar, drawn line by line from Textual's own bar segments.

Textual draws a scroll bar through a Rich render of the whole bar (console render, a Styled
wrapper, style combination with mouse meta per cell): 5 to 25 ms every time the tree scrolls,
which is most keys (J, K, g, G, PgDn, n). The same segments (`ScrollBarRender.render_bar`, so
the same look and the same mouse actions) are cut into one Strip per line here instead.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from .pass_lines import LinesOncePerPass


class LineScrollBar(LinesOncePerPass, ScrollBar):
    """A vertical ScrollBar whose lines come straight from `render_bar`'s segments."""

    BLANK_IN_STYLE = False

    def pass_lines(self) -> list[Strip]:
        if not self.vertical:  # pragma: no cover - only the vertical bar is replaced
            return []
        renderable = self.render()
        assert isinstance(renderable, ScrollBarRender)
        style = renderable.style if isinstance(renderable.style, Style) else Style.parse("")
        width, height = self.size
        bar = ScrollBarRender.render_bar(
            size=height,
            window_size=renderable.window_size,
            virtual_size=renderable.virtual_size,
            position=renderable.position,
            vertical=True,
            thickness=width,
            back_color=style.bgcolor or Color.parse("#555555"),
            bar_color=style.color or Color.parse("bright_magenta"),
        )
        base = self.visual_style.rich_style  # under the bar, as Textual's post_render puts it
        styled: dict[int, Style] = {}  # the bar repeats two or three styles down its length
        strips = []
        for segment in bar.segments:
            own = segment.style or Style()
            style = styled.get(id(own))
            if style is None:
                style = styled[id(own)] = base + own
            strips.append(Strip([Segment(segment.text, style)], width))
        return strips
