"""The main screen as a person sees it, at 80x24 and 120x40, on the deterministic demo gallery."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from simdup_tui.demo import make_demo_gallery
from simdup_tui.ui.app import SimdupApp

from .helpers import make_config


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo gallery in this test's own folder, drawn as ~/simdup-snapshot-gallery whatever
    that folder is (HOME points at it), so two runs at once never share a path."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TZ", "UTC")  # modified times are drawn in local time
    time.tzset()
    folder = tmp_path / "simdup-snapshot-gallery"
    folder.mkdir()
    yield make_demo_gallery(folder)
    monkeypatch.undo()
    time.tzset()


async def wait_for_scan(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def mark_and_move(pilot) -> None:
    """Open on the first cluster, go to its second photo and mark the one after it."""
    await wait_for_scan(pilot)
    await pilot.press("j", "j", "space", "k")
    await pilot.pause()


def test_main_screen_80x24(demo_folder: Path, snap_compare) -> None:
    app = SimdupApp(make_config(demo_folder))
    assert snap_compare(app, terminal_size=(80, 24), run_before=mark_and_move)


def test_main_screen_120x40(demo_folder: Path, snap_compare) -> None:
    app = SimdupApp(make_config(demo_folder))
    assert snap_compare(app, terminal_size=(120, 40), run_before=mark_and_move)
