"""Compare, side by side: a photo and its keeper on one scale, with the facts to decide."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ...core.cluster import Cluster
from ...core.compare import identical_bytes
from ...core.humanize import format_difference
from ...core.review import Review
from ...core.summary import Summary
from ..color_mode import ColorMode
from ..graphics_mode import GraphicsMode
from ..widgets.cluster_tree import KEEPER, MARKED, MARKED_STYLE, UNMARKED
from ..widgets.footer import KeysFooter
from ..widgets.photo_side import PhotoSide, photo_facts, update_if_changed
from ..widgets.picture_box import prepare
from ..widgets.preview import shared_levels
from . import compare_pictures as pics
from .compare_keys import CompareKeys, CompareOutcome

DECODED = pics.DECODED
"""Decoded pictures, shared by every compare view (tests and benchmarks empty it)."""


class CompareScreen(CompareKeys, Screen[CompareOutcome]):
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
    CompareScreen > #compare-keys-space {
        dock: bottom;
        height: 1;
    }
    CompareScreen #compare-keeper {
        border-left: solid $primary-background;
    }
    """

    class Decoded(Message, bubble=False):
        """Both pictures of one pair are ready (or failed; none when they were shown from the
        cache already), and whether their bytes are equal."""

        def __init__(
            self,
            generation: int,
            pictures: tuple[pics.Picture, ...],
            identical: bool,
            ahead: list[pics.Job] | None = None,
        ) -> None:
            super().__init__()
            self.generation = generation
            self.pictures = pictures
            self.identical = identical
            self.ahead = ahead or []
            """Photos to decode ahead once these are shown."""

    def __init__(
        self,
        clusters: Sequence[Cluster],
        index: int,
        path: Path | None,
        review: Review,
        *,
        color_mode: ColorMode = ColorMode.TRUECOLOR,
        graphics: GraphicsMode = GraphicsMode.HALFBLOCK,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        """Open on `clusters[index]`, at the photo `path` (its first non-keeper when `path` is
        None or the keeper). Decisions go to `review` (shared with the caller), and `on_change`
        is called after each, so it is saved at once. The screen can be shown again on other
        photos (`reopen`)."""
        super().__init__()
        self.on_change = on_change
        self.color_mode = ColorMode(color_mode)
        self.graphics = GraphicsMode(graphics)
        self._generation = 0
        self._open_on(clusters, index, path, review)

    def _open_on(
        self, clusters: Sequence[Cluster], index: int, path: Path | None, review: Review
    ) -> None:
        self.clusters = list(clusters)
        self.index = index
        self.review = review
        self.position = self._position_of(path)
        """Which of the cluster's non-keepers is on the left."""
        self.chosen: set[Path] = set()
        """Photos made keepers here; shown at once, the clusters rebuilt on the way back."""
        self.identical: bool | None = None
        """Whether the pair's bytes are equal (None until the worker says)."""
        self._request: tuple[object, ...] | None = None

    def reopen(
        self, clusters: Sequence[Cluster], index: int, path: Path | None, review: Review
    ) -> None:
        """Show another photo, as a new screen would (call before pushing it again): its words
        and summaries are in place for the first paint, the pictures decode after it. Kept
        between opens, the screen is composed and styled once: that was a third of opening
        it (measured at 200x60)."""
        self._open_on(clusters, index, path, review)
        self._generation += 1  # a decode still running for the last open is not shown
        if self.is_mounted:
            self._show_text()
            self._show_summaries()

    def compose(self) -> ComposeResult:
        yield Static(id="compare-title")
        with Horizontal(id="compare-body"):
            yield PhotoSide(self.color_mode, self.graphics, id="compare-photo")
            yield PhotoSide(self.color_mode, self.graphics, id="compare-keeper")
        yield Static(id="compare-keys-space")  # the footer's line, until the footer comes

    def on_mount(self) -> None:
        # The words and the 16x16 summaries scaled up are on screen with the first paint; the
        # decode starts after it: started beside it, its threads slowed the paint by about
        # half (two cores; Pillow takes the GIL back between chunks of a file).
        self._show_text()
        self._show_summaries()

    def on_screen_resume(self) -> None:
        """Shown (first, or again after `reopen`; the screen may have been mounted off screen
        ahead of time): the decode starts after this paint."""
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        """Start the decode, then add the footer: Textual's Footer mounts a widget per key and
        restyles each, which costs as much as the rest of the screen, so it comes after the
        view is on screen, while the photos decode (a blank line held its place)."""
        self._request_pictures()
        if not self.query(Footer):
            self.query_one("#compare-keys-space").remove()
            self.mount(KeysFooter())
            self.call_after_refresh(self.refresh_bindings)  # it lists the keys when told to

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

    def _facts_width(self) -> int:
        """Columns of a side's facts: half the screen, less the divider and the padding (the
        layout's own size is not known before the first paint, and the facts come before)."""
        return (self.app.size.width - 1) // 2 - 2

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
        update_if_changed(self.query_one("#compare-title", Static), title)
        marked = self.review.is_marked(photo.path)
        caption = Text(no_wrap=True)
        caption.append(MARKED if marked else UNMARKED, MARKED_STYLE if marked else "")
        caption.append(" marked for deletion" if marked else " this photo (not marked)")
        facts = photo_facts(photo, self._facts_width())
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
        keeper_facts = photo_facts(keeper, self._facts_width())
        keeper_facts.append(f"\nkept: {reason}")
        self.query_one("#compare-keeper", PhotoSide).show_text(keeper_caption, keeper_facts)

    # Pictures ---------------------------------------------------------------

    def _show_summaries(self) -> None:
        """Both 16x16 summaries scaled up, in place of the pictures until they are decoded."""
        arrays = [self.photo.array(), self.keeper.array()]
        levels = shared_levels(*arrays) if not self.color_mode.draws_colour else (0, 255)
        self.query_one("#compare-photo", PhotoSide).show_summary(self.photo, levels)
        self.query_one("#compare-keeper", PhotoSide).show_summary(self.keeper, levels)

    def _request_pictures(self) -> None:
        """Decode the pair for the measured picture box in a worker, or take it from the
        cache at once; the summaries stay on screen meanwhile."""
        boxes = [part.picture_box for part in self.query(PhotoSide)]
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes))  # one box: one scale
        request = (self.photo, self.keeper, box)
        if request == self._request:
            return
        self._request = request
        self._generation += 1
        jobs = pics.jobs_for(self.photo, self.keeper, box, self.graphics)
        ahead = [
            job for pair in self._next_pairs() for job in pics.jobs_for(*pair, box, self.graphics)
        ]
        cached = [pics.DECODED.get(pics.cache_key(summary, pixels)) for summary, pixels, _ in jobs]
        if all(item is not None for item in cached):  # seen before: no worker, no flicker
            pictures = tuple((item, job[2]) for item, job in zip(cached, jobs, strict=True))
            self._show_pictures(pictures)  # type: ignore[arg-type]
            self._decode(self._generation, jobs, ahead, cached=True)
            return
        self._decode(self._generation, jobs, ahead, self._picture_style())

    def _picture_style(self) -> Style | None:
        """The style half-block pictures are drawn in (None: a graphics protocol draws them),
        so the decode thread can build their segments ahead (picture_box.prepare)."""
        if self.graphics.real_pixels:
            return None
        return self.query_one("#compare-photo", PhotoSide).box.rich_style

    def _levels(self, arrays: list[np.ndarray]) -> tuple[float, float]:
        """One luminance range for both pictures in shades; colour draws them as they are."""
        return shared_levels(*arrays) if arrays and not self.color_mode.draws_colour else (0, 255)

    def _next_pairs(self) -> list[tuple[Summary, Summary]]:
        """The pairs `j` and `J` would show next (decoded ahead, so they come up sharp)."""
        pairs = []
        others = self.cluster.others
        if len(others) > 1:
            pairs.append((others[(self.position + 1) % len(others)].summary, self.keeper))
        if self.index + 1 < len(self.clusters):
            following = self.clusters[self.index + 1]
            if following.others:
                pairs.append((following.others[0].summary, following.keeper))
        return pairs

    @work(
        thread=True, exclusive=True, group="compare", exit_on_error=False,
        description="decode two photos for the compare view",
    )  # fmt: skip
    def _decode(
        self,
        generation: int,
        jobs: list[pics.Job],
        ahead: list[pics.Job],
        style: Style | None = None,
        *,
        cached: bool = False,
    ) -> None:
        """Runs in a thread: both photos at one scale (not when `cached`: shown already) and
        whether their bytes are equal; `ahead` goes back with them, to be decoded once they
        are on screen.

        A newer request cancels this worker; its decodes still queued are then skipped, so
        keys pressed quickly never wait behind pictures nobody will see.
        """
        worker = get_current_worker()

        def decode(job: pics.Job) -> np.ndarray | str | None:
            return None if worker.is_cancelled else pics.decoded(job[0], job[1])

        # Both at once: Pillow lets go of the GIL while it decodes, so two files take one's
        # time; the bytes are compared meanwhile (an equal size is rare, a read is cheap).
        futures = [] if cached else [pics.DECODERS.submit(decode, job) for job in jobs]
        photo, keeper = jobs[0][0], jobs[1][0]
        identical = photo.size == keeper.size and identical_bytes(photo.path, keeper.path)
        decoded = [future.result() for future in futures]
        if cached and not all(job[0].path.exists() for job in jobs):
            decoded = pics.gone_or_decoded(jobs)  # shown from the cache, but a file has gone
        if worker.is_cancelled or any(item is None for item in decoded):
            return
        arrays = [item for item in decoded if isinstance(item, np.ndarray)]
        if style is not None and arrays:  # drawn here, not in the UI thread
            levels = self._levels(arrays)
            for array in arrays:
                prepare(array, self.color_mode, style, levels)
        pictures = tuple((item, job[2]) for item, job in zip(decoded, jobs, strict=False))
        self.post_message(self.Decoded(generation, pictures, identical, ahead))  # type: ignore[arg-type]

    @work(
        thread=True, exclusive=True, group="compare-ahead", exit_on_error=False,
        description="decode the next photos of the compare view ahead",
    )  # fmt: skip
    def _decode_ahead(self, jobs: list[pics.Job]) -> None:
        """Runs in a thread: photos into the cache one at a time (a core stays free for the
        screen), so `j` and `J` show them sharp at once; a newer pair cancels it."""
        worker = get_current_worker()
        for summary, pixels, _ in jobs:
            if worker.is_cancelled:
                return
            pics.decoded(summary, pixels)

    def on_compare_screen_decoded(self, message: Decoded) -> None:
        if message.generation != self._generation:
            return
        if len(message.pictures) == 2:
            self._show_pictures((message.pictures[0], message.pictures[1]))
        self.identical = message.identical
        self._show_text()
        if message.ahead:  # once these pictures are on screen
            self.call_after_refresh(self._decode_ahead, message.ahead)

    def _show_pictures(self, pictures: tuple[pics.Picture, pics.Picture]) -> None:
        levels = self._levels([pixels for pixels, _ in pictures if not isinstance(pixels, str)])
        for side_id, (pixels, cells) in zip(
            ("#compare-photo", "#compare-keeper"), pictures, strict=True
        ):
            side = self.query_one(side_id, PhotoSide)
            if isinstance(pixels, str):
                side.show_failure(pixels)
            else:
                side.show_pixels(pixels, cells, levels)

    def _show_pair(self) -> None:
        """Another pair: its words and summaries at once, its pictures when decoded."""
        self.identical = None
        self._show_text()
        self._show_summaries()
        self._request_pictures()
