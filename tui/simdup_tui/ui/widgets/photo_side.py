"""One side of the compare view: a caption, the photo at the shared scale, and its facts."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.widget import Widget
from textual.widgets import Static

from ...core.humanize import display_path, format_bytes, printable
from ...core.summary import Summary
from ..color_mode import ColorMode
from ..graphics_mode import GraphicsMode
from ..wording import date_line
from .picture_box import PictureBox, Showing
from .row_label import shorten_middle


def photo_facts(summary: Summary, width: int) -> Text:
    """Pixels, size, format, date taken, camera, folder and name: one fact a line, literally.

    The folder is the whole folder as a person would type it (~ for home), cut in the middle
    to `width` columns so it never wraps and pushes the facts below it out of the box.
    """
    text = Text()
    text.append(f"{summary.width} x {summary.height} px", style="bold")
    text.append(f" · {format_bytes(summary.size)} · {summary.format}")
    text.append(f"\n{date_line(summary)}")
    text.append(f"\ncamera {summary.camera}" if summary.camera else "\nno camera named")
    folder = display_path(summary.path.parent)
    text.append(f"\nfolder {shorten_middle(folder, max(8, width - len('folder ')))}")
    text.append("\nname ")
    text.append(printable(summary.path.name), style="bold")
    return text


class PhotoSide(Vertical):
    """Caption, picture and facts for one photo; the screen gives it the summary at once, then
    decoded pixels (or why there are none)."""

    DEFAULT_CSS = """
    PhotoSide {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
    }
    PhotoSide > .side--caption {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PhotoSide > .side--real {
        height: 1fr;
        align: center middle;
        display: none;
    }
    PhotoSide > .side--facts {
        height: 7;  /* fixed: both pictures get the same box, so they share one scale */
    }
    """

    def __init__(
        self,
        color_mode: ColorMode,
        graphics: GraphicsMode,
        *,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.color_mode = ColorMode(color_mode)
        self.graphics = GraphicsMode(graphics)
        self._real: Widget | None = None

    def compose(self) -> ComposeResult:
        # Few widgets, one of them drawing the picture from cached strips: a screen switch
        # lays out and paints every widget of the screen.
        yield Static(classes="side--caption")
        yield PictureBox(self.color_mode, classes="side--picture")
        if self.graphics.real_pixels:  # textual-image's widget, shown once decoded
            self._real = _make_picture(self.graphics)
            with Container(classes="side--real"):
                yield self._real
        yield Static(classes="side--facts")

    @property
    def box(self) -> PictureBox:
        """Where the summary, the half-block picture or a message is drawn."""
        return self.query_one(PictureBox)

    @property
    def picture_box(self) -> tuple[int, int]:
        """(columns, lines) the picture may take: the side less its caption and facts (the
        PictureBox itself is hidden while textual-image's widget shows real pixels)."""
        size = self.content_size
        texts = sum(part.outer_size.height for part in self.query(".side--caption, .side--facts"))
        return max(1, size.width), max(1, size.height - texts)

    @property
    def picture(self) -> Widget:
        """The widget that draws the sharp picture (the PictureBox in half-block mode)."""
        return self._real if self._real is not None else self.box

    @property
    def showing_sharp(self) -> bool:
        """True when the decoded picture is drawn (not the summary, a message or nothing)."""
        if self.graphics.real_pixels:
            return bool(self.query_one(".side--real").display)
        return self.box.showing is Showing.SHARP

    def show_text(self, caption: Text, facts: Text) -> None:
        """Caption and facts; a text that did not change is left alone (no layout pass)."""
        update_if_changed(self.query_one(".side--caption", Static), caption)
        update_if_changed(self.query_one(".side--facts", Static), facts)

    def show_summary(self, summary: Summary, levels: tuple[float, float]) -> None:
        """The photo's 16x16 summary scaled up: on screen at once, while the photo decodes."""
        self._show_box()
        self.box.show_summary(summary.array(), levels)

    def show_failure(self, reason: str) -> None:
        self._show_box()
        self.box.show_message(f"cannot show this file: {reason}")

    def show_pixels(
        self, pixels: np.ndarray, cells: tuple[int, int], levels: tuple[float, float]
    ) -> None:
        """Draw `pixels` in a box of `cells` (columns, lines); the screen chose the scale."""
        if not self.graphics.real_pixels:
            self.box.show_sharp(pixels, levels)
            return
        from PIL import Image

        picture = self.picture
        picture.styles.width, picture.styles.height = cells
        picture.image = Image.fromarray(pixels, "RGB")  # type: ignore[attr-defined]
        self.box.display = False
        self.query_one(".side--real").display = True

    def on_unmount(self) -> None:
        """A kitty terminal keeps an image sent to it until told to delete it: tell it."""
        if self._real is not None:
            self._real.image = None  # type: ignore[attr-defined]

    def _show_box(self) -> None:
        if not self.box.display:  # setting it, even unchanged, costs a layout pass
            self.box.display = True
        if self.graphics.real_pixels and self.query_one(".side--real").display:
            self.query_one(".side--real").display = False


def update_if_changed(static: Static, text: Text) -> None:
    """Show `text` unless it is shown already: Static.update always lays the screen out anew."""
    shown = static.content
    if isinstance(shown, Text) and shown == text:
        return
    static.update(text)


def _make_picture(graphics: GraphicsMode) -> Widget:
    """textual-image's widget for the terminal's graphics protocol (real pixels)."""
    if graphics is GraphicsMode.KITTY:
        from textual_image.widget import TGPImage

        return TGPImage(classes="side--image")
    from textual_image.widget import SixelImage

    return SixelImage(classes="side--image")


def cell_pixels(graphics: GraphicsMode) -> tuple[int, int]:
    """Pixels in one terminal cell (width, height): 1 x 2 for half-blocks, else the terminal's."""
    if not graphics.real_pixels:
        return 1, 2
    try:
        from textual_image._terminal import get_cell_size  # asked once before Textual started

        size = get_cell_size()
        return max(1, size.width), max(1, size.height)
    except Exception:
        return 10, 20
