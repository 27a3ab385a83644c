"""One side of the compare view: a caption, the photo at the shared scale, and its facts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.widget import Widget
from textual.widgets import Static

from ...core.humanize import format_bytes, printable
from ...core.scan import relative_to
from ...core.summary import Summary
from ..color_mode import ColorMode
from ..graphics_mode import GraphicsMode
from ..wording import date_line
from .halfblock import HalfBlockImage

DECODING = "decoding…"


def photo_facts(summary: Summary, root: Path | None) -> Text:
    """Pixels, size, format, date taken, camera, folder and name: one fact a line, literally."""
    text = Text()
    text.append(f"{summary.width} x {summary.height} px", style="bold")
    text.append(f" · {format_bytes(summary.size)} · {summary.format}")
    text.append(f"\n{date_line(summary)}")
    text.append(f"\ncamera {summary.camera}" if summary.camera else "\nno camera named")
    shown = relative_to(summary.path, root) if root is not None else str(summary.path)
    folder, _, name = printable(shown).rpartition("/")
    text.append(f"\nfolder {folder or '.'}")
    text.append("\nname ")
    text.append(name, style="bold")
    return text


class PhotoSide(Vertical):
    """Caption, picture box and facts for one photo; the screen gives it decoded pixels."""

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
    PhotoSide > .side--picture {
        height: 1fr;
        align: center middle;
    }
    PhotoSide > .side--facts {
        height: 7;  /* fixed: both pictures get the same box, so they share one scale */
    }
    PhotoSide .side--message {
        width: auto;
        height: auto;
        color: $text-muted;
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
        self.summary: Summary | None = None
        """The photo shown on this side."""

    def compose(self) -> ComposeResult:
        yield Static(classes="side--caption")
        with Container(classes="side--picture"):
            yield Static(Text(DECODING), classes="side--message")
            yield _make_picture(self.color_mode, self.graphics)
        yield Static(classes="side--facts")

    @property
    def picture_box(self) -> tuple[int, int]:
        """(columns, lines) the picture may take."""
        size = self.query_one(".side--picture").content_size
        return max(1, size.width), max(1, size.height)

    @property
    def picture(self) -> Widget:
        return self.query_one(".side--image")

    def show_text(self, caption: Text, facts: Text) -> None:
        self.query_one(".side--caption", Static).update(caption)
        self.query_one(".side--facts", Static).update(facts)

    def show_decoding(self) -> None:
        self._message(DECODING)

    def show_failure(self, reason: str) -> None:
        self._message(f"cannot show this file: {reason}")

    def show_pixels(
        self, pixels: np.ndarray, cells: tuple[int, int], levels: tuple[float, float]
    ) -> None:
        """Draw `pixels` in a box of `cells` (columns, lines); the screen chose the scale."""
        self.query_one(".side--message").display = False
        picture = self.picture
        picture.styles.width, picture.styles.height = cells
        picture.display = True
        if isinstance(picture, HalfBlockImage):
            picture.set_pixels(pixels, levels=levels)
        else:
            from PIL import Image

            picture.image = Image.fromarray(pixels, "RGB")  # type: ignore[attr-defined]

    def _message(self, text: str) -> None:
        message = self.query_one(".side--message", Static)
        message.update(Text(text))
        message.display = True
        self.picture.display = False


def _make_picture(color_mode: ColorMode, graphics: GraphicsMode) -> Widget:
    """The widget that draws pixels: textual-image's for real pixels, ours for half-blocks (ours
    honours the colour mode: shades without colour)."""
    if graphics is GraphicsMode.KITTY:
        from textual_image.widget import TGPImage

        return TGPImage(classes="side--image")
    if graphics is GraphicsMode.SIXEL:
        from textual_image.widget import SixelImage

        return SixelImage(classes="side--image")
    return HalfBlockImage(color_mode, classes="side--image")


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
