"""The heap is collected and frozen once the clusters are drawn, and given back at the end."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from simdup_tui.ui import heap
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.screens.help import HelpScreen

from .helpers import make_config, settle


class Node:
    """A reference cycle: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_settle_frees_cycles_frozen_by_an_earlier_settle() -> None:
    node = Node()
    gone = weakref.ref(node)
    try:
        heap.settle()  # node is alive: frozen
        assert gc.get_freeze_count() > 0
        del node  # now garbage, but frozen: a plain collection never looks at it
        gc.collect()
        assert gone() is not None
        heap.settle()  # unfreezes first
        assert gone() is None
    finally:
        heap.release()
    assert gc.get_freeze_count() == 0


async def test_the_app_settles_after_the_clusters_and_releases_at_the_end(gallery: Path) -> None:
    heap.release()
    app = SimdupApp(make_config(gallery, settle_heap=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert gc.get_freeze_count() > 0  # the clusters are drawn: the heap was frozen
        frozen = gc.get_freeze_count()
        await pilot.press("minus")  # new clusters: settled again (collected, then frozen)
        await settle(app, pilot)
        assert gc.get_freeze_count() > 0
        assert abs(gc.get_freeze_count() - frozen) < frozen  # not piling up
    assert gc.get_freeze_count() == 0


def test_tidy_collects_what_was_made_since_the_freeze_and_freezes_the_rest() -> None:
    heap.release()
    assert not heap.tidy(minimum=0)  # nothing frozen yet (no settle): left to Python
    try:
        heap.settle()
        frozen = gc.get_freeze_count()
        kept = [[index] for index in range(30_000)]  # live, made after the freeze
        garbage = Node()
        gone = weakref.ref(garbage)
        del garbage
        assert heap.tidy()
        assert gone() is None  # the cycle made since the freeze was collected
        assert gc.get_freeze_count() >= frozen + len(kept)  # the live ones frozen
        assert not heap.tidy()  # nothing new since: no walk at all
    finally:
        heap.release()


def test_cycles_frozen_by_tidies_are_freed_once_tidies_froze_a_share_again(monkeypatch) -> None:
    """A help screen's styles alive at a tidy and dropped later sat frozen for the whole session
    (no settle comes without new clusters): the heap grew with every screen opened."""
    monkeypatch.setattr(heap, "SETTLE_AFTER", 0.01)  # a test process's heap is large
    heap.release()
    try:
        heap.settle()
        garbage = Node()
        gone = weakref.ref(garbage)
        kept = [[index] for index in range(30_000)]
        assert heap.tidy()  # garbage is alive: frozen with the rest
        del garbage
        for _ in range(8):  # the app goes on: more is made and tidied
            kept += [[index] for index in range(30_000)]
            heap.tidy()
            if gone() is None:
                break
        assert gone() is None
    finally:
        heap.release()


async def test_back_on_the_main_screen_what_another_screen_made_is_tidied(
    gallery: Path,
) -> None:
    """So a full collection of it does not land inside the next screen opened."""
    heap.release()
    app = SimdupApp(make_config(gallery, settle_heap=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        made = [[number] for number in range(heap.TIDY_FROM)]  # as a screen's caches would
        await pilot.press("escape")
        await settle(app, pilot)
        unfrozen = {id(thing) for thing in gc.get_objects()}  # frozen ones are not listed
        assert id(made) not in unfrozen and id(made[-1]) not in unfrozen  # no idle second
    assert gc.get_freeze_count() == 0
