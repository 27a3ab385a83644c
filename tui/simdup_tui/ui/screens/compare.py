"""Compare, side by side: a photo and its keeper on one scale, with the facts to decide."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ...core.cluster import Cluster, make_cluster
from ...core.compare import (
    ceil_div,
    decode_at,
    identical_bytes,
    scaled_size,
    shared_scale,
)
from ...core.errors import UnreadablePhotoError
from ...core.humanize import format_difference
from ...core.review import Review
from ...core.summary import Summary
from ..color_mode import ColorMode
from ..graphics_mode import GraphicsMode
from ..sharp import SharpCache
from ..widgets.cluster_tree import KEEPER, MARKED, MARKED_STYLE, UNMARKED
from ..widgets.photo_side import PhotoSide, cell_pixels, photo_facts
from ..widgets.preview import shared_levels

_DECODERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="simdup-compare")
"""Decodes the two photos of a pair side by side."""

DECODED = SharpCache(capacity=16)
"""Decoded pictures by (path, size, mtime_ns, pixel size): going back to a photo is instant."""

Picture = tuple[np.ndarray | str, tuple[int, int]]
"""(pixels, or why they cannot be shown; the box in cells they are drawn in)."""


@dataclass(frozen=True, slots=True)
class CompareOutcome:
    """What the compare view changed, for the screen behind it (the review is shared, live)."""

    path: Path | None
    """The photo shown last: the cursor goes there."""
    keepers: frozenset[Path] = field(default_factory=frozenset)
    """Photos the person chose to keep there (`p`): the clusters are rebuilt around them."""


class CompareScreen(Screen[CompareOutcome]):
    """The photo (left) and its keeper (right), as large as the terminal allows, on one scale."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,m", "toggle_mark", "Mark", id="compare.mark"),
        Binding("p", "keep_this", "Keep this", id="compare.keeper"),
        Binding("j,down,right", "photo(1)", "Next photo", id="compare.next_photo"),
        Binding("k,up,left", "photo(-1)", "Previous", show=False, id="compare.previous_photo"),
        Binding("J,tab", "cluster(1)", "Next cluster", id="compare.next_cluster"),
        Binding(
            "K,shift+tab", "cluster(-1)", "Previous cluster", show=False,
            id="compare.previous_cluster",
        ),
        Binding("escape,c,q", "back", "Back", id="compare.back"),
    ]  # fmt: skip
    DEFAULT_CSS = """
    CompareScreen > #compare-title {
        height: 1;
        background: $boost;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    CompareScreen > #compare-body {
        height: 1fr;
    }
    CompareScreen #compare-keeper {
        border-left: solid $primary-background;
    }
    """

    class Decoded(Message, bubble=False):
        """Both pictures of one pair are ready (or failed), and whether their bytes are equal."""

        def __init__(
            self, generation: int, pictures: tuple[Picture, Picture], identical: bool
        ) -> None:
            super().__init__()
            self.generation = generation
            self.pictures = pictures
            self.identical = identical

    def __init__(
        self,
        clusters: Sequence[Cluster],
        index: int,
        path: Path | None,
        review: Review,
        root: Path,
        *,
        color_mode: ColorMode = ColorMode.TRUECOLOR,
        graphics: GraphicsMode = GraphicsMode.HALFBLOCK,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        """Open on `clusters[index]`, at the photo `path` (its first non-keeper when `path` is
        None or the keeper). Decisions go to `review` (shared with the caller), and `on_change`
        is called after each, so it is saved at once."""
        super().__init__()
        self.clusters = list(clusters)
        self.index = index
        self.review = review
        self.on_change = on_change
        self.root = root
        self.color_mode = ColorMode(color_mode)
        self.graphics = GraphicsMode(graphics)
        self.position = self._position_of(path)
        """Which of the cluster's non-keepers is on the left."""
        self.chosen: set[Path] = set()
        """Photos made keepers here; shown at once, the clusters rebuilt on the way back."""
        self.identical: bool | None = None
        """Whether the pair's bytes are equal (None until the worker says)."""
        self._generation = 0
        self._request: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="compare-title")
        with Horizontal(id="compare-body"):
            yield PhotoSide(self.color_mode, self.graphics, id="compare-photo")
            yield PhotoSide(self.color_mode, self.graphics, id="compare-keeper")
        yield Footer()

    def on_mount(self) -> None:
        self._show_text()
        # Start decoding before the first layout, from the box the layout will give (the CSS
        # above: a title and a footer line, a caption and 7 lines of facts, padding and a border);
        # the measured box confirms it after the first refresh.
        width, height = self.app.size
        self._request_pictures((max(1, width // 2 - 3), max(1, height - 10)))
        self.call_after_refresh(self._request_pictures)

    def on_resize(self) -> None:
        self.call_after_refresh(self._request_pictures)

    # What is shown ----------------------------------------------------------

    @property
    def cluster(self) -> Cluster:
        return self.clusters[self.index]

    @property
    def photo(self) -> Summary:
        """The photo on the left (never the keeper)."""
        return self.cluster.others[self.position].summary

    @property
    def keeper(self) -> Summary:
        return self.cluster.keeper

    def _position_of(self, path: Path | None) -> int:
        others = self.clusters[self.index].others
        for position, member in enumerate(others):
            if member.summary.path == path:
                return position
        return 0

    def _show_text(self) -> None:
        photo, keeper = self.photo, self.keeper
        member = self.cluster.others[self.position]
        title = Text(no_wrap=True)
        title.append(f"cluster {self.index + 1} of {len(self.clusters)} · ")
        title.append(f"photo {self.position + 1} of {len(self.cluster.others)} · ")
        title.append("difference ")
        title.append(format_difference(member.difference), style="bold")
        if self.identical:
            title.append(" · identical bytes", style="bold")
        self.query_one("#compare-title", Static).update(title)
        marked = self.review.is_marked(photo.path)
        caption = Text(no_wrap=True)
        caption.append(MARKED if marked else UNMARKED, MARKED_STYLE if marked else "")
        caption.append(" marked for deletion" if marked else " this photo (not marked)")
        facts = photo_facts(photo, self.root)
        facts.append(f"\ndifference {format_difference(member.difference)} to the keeper")
        if member.grey_copy:
            facts.append(f"\n{member.grey_note}", style="bold")
        if self.identical:
            facts.append(" · identical bytes", style="bold")
        self.query_one("#compare-photo", PhotoSide).show_text(caption, facts)
        if keeper.path in self.chosen:
            reason = "chosen by you (p); the clusters are rebuilt when you go back"
        else:
            reason = self.cluster.why or "the rules rank it first"
        keeper_caption = Text(no_wrap=True)
        keeper_caption.append(KEEPER, "bold green")
        keeper_caption.append(" keeper")
        if self.review.is_marked(keeper.path):
            keeper_caption.append(" (marked!)", MARKED_STYLE)
        keeper_facts = photo_facts(keeper, self.root)
        keeper_facts.append(f"\nkept: {reason}")
        self.query_one("#compare-keeper", PhotoSide).show_text(keeper_caption, keeper_facts)

    # Pictures ---------------------------------------------------------------

    def _request_pictures(self, box: tuple[int, int] | None = None) -> None:
        """Decode the pair for the picture box (columns, lines; measured when None) in a worker,
        or take it from the cache."""
        if box is None:
            boxes = [part.picture_box for part in self.query(PhotoSide)]
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes))  # one box: one scale
        request = (self.photo, self.keeper, box)
        if request == self._request:
            return
        self._request = request
        self._generation += 1
        self.identical = None
        for part in self.query(PhotoSide):
            part.show_decoding()
        self._decode(self._generation, self.photo, self.keeper, box)

    @work(
        thread=True, exclusive=True, group="compare", exit_on_error=False,
        description="decode two photos for the compare view",
    )  # fmt: skip
    def _decode(
        self, generation: int, photo: Summary, keeper: Summary, box: tuple[int, int]
    ) -> None:
        """Runs in a thread: both photos at one scale, then whether their bytes are equal."""
        worker = get_current_worker()
        cell = cell_pixels(self.graphics)
        sizes = [(photo.width, photo.height), (keeper.width, keeper.height)]
        scale = shared_scale(sizes, (box[0] * cell[0], box[1] * cell[1]))
        jobs = []
        for summary, size in zip((photo, keeper), sizes, strict=True):
            shown = (size[0] * scale, size[1] * scale)
            cells = (ceil_div(shown[0], cell[0]), ceil_div(shown[1], cell[1]))
            # Half-blocks draw each decoded pixel; a graphics protocol scales up by itself.
            pixels = scaled_size(size, scale if not self.graphics.real_pixels else min(1, scale))
            jobs.append((summary, pixels, cells))
        # Both at once: Pillow lets go of the GIL while it decodes, so two files take one's time.
        decoded = list(_DECODERS.map(lambda job: _decoded(job[0], job[1]), jobs))
        if worker.is_cancelled:
            return
        pictures = [(result, job[2]) for result, job in zip(decoded, jobs, strict=True)]
        identical = photo.size == keeper.size and identical_bytes(photo.path, keeper.path)
        if not worker.is_cancelled:
            self.post_message(self.Decoded(generation, (pictures[0], pictures[1]), identical))

    def on_compare_screen_decoded(self, message: Decoded) -> None:
        if message.generation != self._generation:
            return
        arrays = [pixels for pixels, _ in message.pictures if not isinstance(pixels, str)]
        levels = shared_levels(*arrays) if arrays and not self.color_mode.draws_colour else (0, 255)
        for side_id, (pixels, cells) in zip(
            ("#compare-photo", "#compare-keeper"), message.pictures, strict=True
        ):
            side = self.query_one(side_id, PhotoSide)
            if isinstance(pixels, str):
                side.show_failure(pixels)
            else:
                side.show_pixels(pixels, cells, levels)
        self.identical = message.identical
        self._show_text()

    def _show_pair(self) -> None:
        self._show_text()
        self._request_pictures()

    # Keys -------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        member = self.cluster.others[self.position]
        if self.review.toggle(self.cluster, member) is None:
            self.notify("This photo is protected: it cannot be marked.", severity="warning")
            return
        self.on_change()
        self._show_text()

    def action_keep_this(self) -> None:
        """The photo on the left becomes the keeper; the old keeper moves to the left."""
        old_keeper, photo = self.keeper.path, self.photo
        self.review.choose_keeper(self.cluster, photo.path)
        self.on_change()
        self.chosen.add(photo.path)
        # Shown at once around the new keeper; the screen behind rebuilds every cluster.
        members = [member.summary for member in self.cluster.members]
        duplicates = self.review.duplicates
        grey = duplicates.grey if duplicates is not None else True  # --no-grey stays off
        self.clusters[self.index] = make_cluster(members, keeper=photo, grey=grey)
        self.position = self._position_of(old_keeper)
        self.notify("This photo is now the keeper.", timeout=3)
        self._show_pair()

    def action_photo(self, step: int) -> None:
        count = len(self.cluster.others)
        if count < 2:
            self.notify("This cluster has no other photo to compare.", timeout=3)
            return
        self.position = (self.position + step) % count
        self._show_pair()

    def action_cluster(self, step: int) -> None:
        index = self.index + step
        if not 0 <= index < len(self.clusters):
            self.notify("This is the last cluster." if step > 0 else "This is the first cluster.",
                        timeout=3)  # fmt: skip
            return
        self.index, self.position = index, 0
        self._show_pair()

    def action_back(self) -> None:
        self.dismiss(CompareOutcome(self.photo.path, frozenset(self.chosen)))


def _decoded(summary: Summary, pixels: tuple[int, int]) -> np.ndarray | str:
    """The photo at `pixels` (width, height) from the cache or the file, or why it cannot be."""
    key = (summary.path, summary.size, summary.mtime_ns, pixels)
    cached = DECODED.get(key)
    if cached is None:
        try:
            cached = np.asarray(decode_at(summary.path, pixels), dtype=np.uint8)
        except UnreadablePhotoError as error:
            cached = error.message
        DECODED.put(key, cached)
    return cached
