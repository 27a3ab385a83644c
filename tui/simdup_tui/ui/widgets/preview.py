"""The preview pane: this photo, its keeper and their difference in half-blocks, and the details."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from ...core.grey import compare
from ...core.humanize import display_path, format_bytes, format_difference, printable
from ...core.scan import relative_to
from ...core.strict import judge
from ...core.summary import Summary
from ..color_mode import ColorMode
from ..preview_layout import SHARP_DETAILS_LINES, Box, PreviewLayout, heat_map, plan_layout
from ..sharp import SHARP_CACHE, SharpDecodeError, SharpKey, decode_sharp
from ..wording import date_line
from .halfblock import HalfBlockImage, fit_factor, luminance

CAPTION_THIS = "this photo"
CAPTION_KEEPER = "keeper"
CAPTION_HEAT = "difference"
CAPTION_SHARP = "sharp view (z: back)"
DECODING = "decoding…"


MIN_SHADE_SPAN = 96.0
"""Shades never stretch over less than this much luminance, so a flat picture stays flat."""


def shared_levels(*arrays: np.ndarray) -> tuple[float, float]:
    """One luminance range for pictures shown side by side in shades: equal pixels, equal shades."""
    values = np.concatenate([luminance(array).ravel() for array in arrays])
    low, high = float(values.min()), float(values.max())
    if high - low < MIN_SHADE_SPAN:
        middle = (low + high) / 2
        low = max(0.0, min(middle - MIN_SHADE_SPAN / 2, 255.0 - MIN_SHADE_SPAN))
        high = low + MIN_SHADE_SPAN
    return low, high


class Figure(Vertical):
    """A one-line caption over a picture."""

    DEFAULT_CSS = """
    Figure {
        width: 16;
        height: 9;
    }
    Figure > .figure--caption {
        height: 1;
        width: 1fr;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, caption: str, mode: ColorMode, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes="preview--part")
        self._caption = caption
        self._mode = mode

    def compose(self) -> ComposeResult:
        yield Static(Text(self._caption), classes="figure--caption")
        yield HalfBlockImage(self._mode)

    @property
    def image(self) -> HalfBlockImage:
        return self.query_one(HalfBlockImage)

    def set_caption(self, caption: str | Text) -> None:
        """Shown literally (a file name may contain '[')."""
        text = caption if isinstance(caption, Text) else Text(caption)
        if text == getattr(self, "_shown_caption", None):
            return  # the same words: no repaint (this runs on every cursor move)
        self._shown_caption = text
        # Its box is fixed (one line): no new layout, which would cost a frame on every key.
        self.query_one(".figure--caption", Static).update(text, layout=False)


class PreviewPane(Widget):
    """What the person is looking at: pictures sized to the pane, details always in numbers.

    The 256-colour cube is off by up to ~0.07 per channel, as large as the threshold, so the
    numeric difference is always printed; the picture only helps the eye.
    """

    DEFAULT_CSS = """
    PreviewPane {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        overflow: hidden hidden;
    }
    PreviewPane > .preview--part {
        position: absolute;
    }
    PreviewPane > #preview-details {
        width: 20;
        height: 5;
    }
    PreviewPane > #preview-empty {
        position: absolute;
        width: 1fr;
        height: auto;
        color: $text-muted;
    }
    """

    class SharpDecoded(Message, bubble=False):
        """A worker finished decoding (or failing to decode) a file for the sharp view."""

        def __init__(self, key: SharpKey, result: np.ndarray | str) -> None:
            super().__init__()
            self.key = key
            self.result = result

    def __init__(
        self,
        mode: ColorMode,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.mode = ColorMode(mode)
        """Chosen once at start: half-blocks in colour, or shades."""
        self._summary: Summary | None = None
        self._keeper: Summary | None = None
        self._root: Path | None = None
        self._notes: tuple[str, ...] = ()
        self._difference: float | None = None
        """The member's difference to its keeper, as the clusters have it (None: computed)."""
        self._sharp = False
        self._sharp_key: SharpKey | None = None
        self._layout: PreviewLayout | None = None
        self._sharp_box = Box(0, 0, 16, 9)

    def compose(self) -> ComposeResult:
        yield Static(Text("Nothing to preview."), id="preview-empty")
        yield Figure(CAPTION_THIS, self.mode, id="preview-this")
        yield Figure(CAPTION_KEEPER, self.mode, id="preview-keeper")
        yield Figure(CAPTION_HEAT, self.mode, id="preview-heat")
        yield Figure(CAPTION_SHARP, self.mode, id="preview-sharp")
        yield Static(id="preview-details", classes="preview--part")

    def on_mount(self) -> None:
        self._arrange()
        self._refresh_content()

    def on_resize(self) -> None:
        self._arrange()
        if self._sharp:
            self._request_sharp()

    # Public API -------------------------------------------------------------

    @property
    def summary(self) -> Summary | None:
        """The photo shown."""
        return self._summary

    @property
    def keeper(self) -> Summary | None:
        """The keeper it is compared with (None when it is the keeper itself)."""
        return self._keeper

    @property
    def sharp(self) -> bool:
        """True while the file itself is shown instead of the summaries."""
        return self._sharp

    def show(
        self,
        summary: Summary | None,
        keeper: Summary | None,
        root: Path | None,
        notes: tuple[str, ...] = (),
        difference: float | None = None,
    ) -> None:
        """Preview `summary` against `keeper`; names under `root` are shown relative to it;
        `notes` are extra detail lines (why kept, identical, other names, protected, greyscale
        copy); `difference` is the member's difference to its keeper (Member.difference, the
        number that linked them), else worked out by grey.compare."""
        if keeper is not None and summary is not None and keeper.path == summary.path:
            keeper = None
        if (summary, keeper, root, notes, difference) == (
            self._summary,
            self._keeper,
            self._root,
            self._notes,
            self._difference,
        ):
            return
        self._summary, self._keeper, self._root = summary, keeper, root
        self._notes, self._difference = notes, difference
        if self.is_mounted:
            self._refresh_content()

    def toggle_sharp(self) -> None:
        """Switch between the summaries and the file itself at the pane's size."""
        self._sharp = not self._sharp
        self._sharp_key = None  # coming back asks again: the cache answers at once
        if self.is_mounted:
            self._arrange()
            self._refresh_content()

    # Layout -----------------------------------------------------------------

    def _arrange(self) -> None:
        """Place the parts for the pane's current size and mode."""
        size = self.content_size
        width, height = max(1, size.width), max(1, size.height)
        figures = ("#preview-this", "#preview-keeper", "#preview-heat")
        showing = self._summary is not None
        self.query_one("#preview-empty").display = not showing
        if self._sharp:
            for selector in figures:
                self.query_one(selector).display = False
            sharp_height = max(2, height - SHARP_DETAILS_LINES - 1)
            self._sharp_box = Box(0, 0, width, sharp_height)
            self._place("#preview-sharp", self._sharp_box, showing)
            self._place_sharp_details(sharp_height)
            return
        self.query_one("#preview-sharp").display = False
        layout = plan_layout(width, height)
        self._layout = layout
        self._place("#preview-this", layout.this, showing)
        self._place("#preview-keeper", layout.keeper, showing)
        self._place("#preview-heat", layout.heat, showing)
        self._place("#preview-details", layout.details, showing)

    def _place(self, selector: str, box: Box, visible: bool) -> None:
        widget = self.query_one(selector)
        widget.display = visible
        styles = widget.styles
        # Only what changed: every style write asks for a new layout, and this runs per key.
        if (styles.offset.x.value, styles.offset.y.value) != (box.x, box.y):
            styles.offset = (box.x, box.y)
        if styles.width is None or styles.width.value != box.width:
            styles.width = box.width
        if styles.height is None or styles.height.value != box.height:
            styles.height = box.height

    def _place_sharp_details(self, top: int) -> None:
        """Details one blank line under the sharp picture (or its box, while decoding)."""
        height = max(1, self.content_size.height)
        box = Box(0, top + 1, max(1, self.content_size.width), max(1, height - top - 1))
        self._place("#preview-details", box, self._summary is not None)

    @property
    def current_layout(self) -> PreviewLayout | None:
        """The arrangement in use (None before mounting); tests and the README read it."""
        return self._layout

    # Content ----------------------------------------------------------------

    def _refresh_content(self) -> None:
        summary, keeper = self._summary, self._keeper
        self._arrange()
        this_figure = self.query_one("#preview-this", Figure)
        keeper_figure = self.query_one("#preview-keeper", Figure)
        heat_figure = self.query_one("#preview-heat", Figure)
        details = self.query_one("#preview-details", Static)
        if summary is None:
            for figure in (this_figure, keeper_figure, heat_figure):
                figure.image.set_pixels(None)
            self.query_one("#preview-sharp", Figure).image.set_pixels(None)
            details.update(Text(), layout=False)
            self._sharp_key = None
            return
        reference = keeper if keeper is not None else summary
        levels = shared_levels(summary.array(), reference.array())
        this_figure.image.set_pixels(summary.array(), levels=levels)
        keeper_figure.image.set_pixels(reference.array(), levels=levels)
        keeper_figure.set_caption(CAPTION_KEEPER if keeper is not None else "keeper (this)")
        heat_figure.image.set_pixels(heat_map(summary.array(), reference.array()))
        details.update(self._details_text(summary, keeper), layout=False)  # its box is placed
        if self._sharp:
            self._request_sharp()

    def _details_text(self, summary: Summary, keeper: Summary | None) -> Text:
        """The facts, literally (names may hold markup characters). Short facts first, so a
        short pane never crops the difference or the date; paths, which wrap, come last."""
        text = Text()
        if keeper is None:
            text.append("this is the keeper", style="bold")
        else:
            text.append("difference ")
            value = self._difference
            if value is None:
                value = compare(summary, keeper).difference
            text.append(format_difference(value), style="bold")
            verdict = judge(summary, keeper)  # the strict check, as on the tree's row
            if not verdict.same:
                text.append(f"\nlooks different up close: {verdict.reason}", "bold yellow")
        text.append(f"\n{summary.width} x {summary.height} px · {summary.format}")
        text.append(f" · {format_bytes(summary.size)}")
        text.append(f"\n{date_line(summary)}")
        if keeper is not None:
            text.append("\nkeeper: ")
            text.append(self._display_name(keeper.path), style="italic")
        for note in self._notes:
            text.append(f"\n{note}", style="bold")
        text.append("\n")
        text.append(display_path(summary.path))
        return text

    def _display_name(self, path: Path) -> str:
        return printable(relative_to(path, self._root) if self._root is not None else path.name)

    # Sharp view -------------------------------------------------------------

    def _sharp_target(self) -> tuple[int, int]:
        """Pixels the sharp picture may take: a cell is one pixel wide and two tall."""
        box = self._sharp_box
        return max(1, box.width), max(2, 2 * (box.height - 1))

    def _request_sharp(self) -> None:
        """Show the file from the cache at once, or start a worker and say it is decoding."""
        summary = self._summary
        figure = self.query_one("#preview-sharp", Figure)
        if summary is None:
            self._sharp_key = None
            return
        key: SharpKey = (summary.path, summary.size, summary.mtime_ns, self._sharp_target())
        if key == self._sharp_key:
            return
        self._sharp_key = key
        cached = SHARP_CACHE.get(key)
        if cached is not None:
            self._show_sharp(cached)
            return
        figure.image.set_pixels(None)
        figure.set_caption(f"{CAPTION_SHARP} · {DECODING}")
        self._decode_sharp(key)

    @work(
        thread=True,
        exclusive=True,
        group="sharp-preview",
        exit_on_error=False,
        description="decode a photo for the sharp view",
    )
    def _decode_sharp(self, key: SharpKey) -> None:
        """Runs in a thread so keys never wait for Pillow; the answer comes back as a message."""
        try:
            result: np.ndarray | str = decode_sharp(key[0], key[3])
        except SharpDecodeError as error:
            result = error.reason
        SHARP_CACHE.put(key, result)
        if not get_current_worker().is_cancelled:
            self.post_message(self.SharpDecoded(key, result))

    def on_preview_pane_sharp_decoded(self, message: SharpDecoded) -> None:
        if message.key == self._sharp_key and self._sharp:
            self._show_sharp(message.result)

    def _show_sharp(self, result: np.ndarray | str) -> None:
        figure = self.query_one("#preview-sharp", Figure)
        if isinstance(result, str):
            figure.image.set_pixels(None)
            figure.set_caption(f"cannot show this file: {result}")
            return
        figure.image.set_pixels(result, levels=shared_levels(result))
        figure.set_caption(CAPTION_SHARP)
        box = self._sharp_box
        factor = fit_factor(result.shape[0], result.shape[1], box.width, box.height - 1)
        lines = min(box.height - 1, (result.shape[0] * factor + 1) // 2)
        self._place("#preview-sharp", Box(0, 0, box.width, lines + 1), True)
        self._place_sharp_details(lines + 1)
