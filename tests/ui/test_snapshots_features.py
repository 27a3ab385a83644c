"""Snapshots per feature: compare, confirmation, help, empty folder, shades without colour.

Each test makes its own folder under tmp_path and points HOME at tmp_path, so folders are drawn
as '~/photos' wherever the temporary folder is; file times are fixed and drawn in UTC.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from simdup_tui.core.plan import plan_deletion
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.color_mode import ColorMode

from .helpers import make_config
from .test_dialogs import ROOT, Host, many_clusters

FIXED_NS = 1_717_236_000 * 10**9
"""2024-06-01 10:00:00 UTC: every photo's modified time."""


@pytest.fixture
def here(gallery: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The gallery with fixed times drawn in UTC, under a HOME of its own ('~/photos')."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("HOME", str(gallery.parent))
    time.tzset()
    for number, path in enumerate(sorted(gallery.iterdir())):
        os.utime(path, ns=(FIXED_NS, FIXED_NS + number * 10**9))
    yield gallery
    monkeypatch.undo()
    time.tzset()


async def wait(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


class TestCompare:
    def test_compare_80x24(self, here: Path, snap_compare) -> None:
        async def open_compare(pilot) -> None:
            await wait(pilot)
            await pilot.press("j", "j", "c")
            await wait(pilot)

        app = SimdupApp(make_config(here))
        assert snap_compare(app, terminal_size=(80, 24), run_before=open_compare)


class TestConfirmation:
    def test_confirmation_80x24(self, snap_compare) -> None:
        clusters = many_clusters(12)
        marked = [cluster.others[0].summary for cluster in clusters]
        app = Host(plan_deletion(marked, clusters, mode="trash", root=ROOT))
        assert snap_compare(app, terminal_size=(80, 24))

    def test_confirmation_40x10(self, snap_compare) -> None:
        clusters = many_clusters(12)
        marked = [cluster.others[0].summary for cluster in clusters]
        app = Host(plan_deletion(marked, clusters, mode="trash", root=ROOT))
        assert snap_compare(app, terminal_size=(40, 10))


class TestHelp:
    def test_help_100x40(self, here: Path, snap_compare) -> None:
        async def open_help(pilot) -> None:
            await wait(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        app = SimdupApp(make_config(here))
        assert snap_compare(app, terminal_size=(100, 40), run_before=open_help)


class TestEmptyFolder:
    def test_folder_with_only_subfolders_80x24(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare
    ) -> None:
        (tmp_path / "empty" / "2023").mkdir(parents=True)
        monkeypatch.setenv("HOME", str(tmp_path))
        app = SimdupApp(make_config(tmp_path / "empty"))
        assert snap_compare(app, terminal_size=(80, 24), run_before=wait)


class TestShades:
    def test_main_screen_without_colour_80x24(self, here: Path, snap_compare) -> None:
        async def to_a_photo(pilot) -> None:
            await wait(pilot)
            await pilot.press("j", "j")
            await pilot.pause()

        app = SimdupApp(make_config(here, color_mode=ColorMode.NONE))
        assert snap_compare(app, terminal_size=(80, 24), run_before=to_a_photo)
