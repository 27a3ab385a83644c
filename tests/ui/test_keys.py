"""Keys never vanish: early keys act, keys during a scan say so, unbound keys point to help."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from simdup_tui.__main__ import main
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.screens import main as main_screen
from simdup_tui.ui.widgets import scan_progress

from .helpers import make_config, scene, settle, status_text


def messages(app: SimdupApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_a_key_pressed_while_clusters_are_made_acts_on_them(
    gallery: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = main_screen.find_duplicates
    started = threading.Event()

    def slow_find(*args, **kwargs):
        started.set()
        time.sleep(0.3)  # the moment between the scan's end and the clusters on screen
        return real(*args, **kwargs)

    monkeypatch.setattr(main_screen, "find_duplicates", slow_find)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        while not started.is_set():
            await pilot.pause(0.01)
        assert "grouping near-duplicates…" in status_text(app)
        await pilot.press("A")
        await settle(app, pilot)
        await pilot.pause()
        screen = app.screen
        assert len(screen.review.marked) == 4  # 3 + 1 non-keepers of the two clusters
        assert "4 marked" in status_text(app)


async def test_keys_during_a_scan_say_still_scanning_once(
    gallery: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = scan_progress.scan_folders
    release = threading.Event()

    def held_scan(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(scan_progress, "scan_folders", held_scan)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "j", "space")
        await pilot.pause()
        said = [m for m in messages(app) if "Still scanning" in m]
        assert len(said) == 1
        release.set()
        await settle(app, pilot)
        assert not app.screen.review.marked  # said, not queued behind the person's back


async def test_an_unbound_key_points_to_help_once_and_60_columns_keep_help_and_quit(
    gallery: Path,
) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("y", "w")
        await pilot.pause()
        hints = [m for m in messages(app) if "press ? for help" in m]
        assert hints == ["y is not a key here: press ? for help."]
        footer = app.screen.query_one("Footer")
        shown = [
            key.region for key in footer.query("FooterKey") if key.key in ("question_mark", "q")
        ]
        assert len(shown) == 2
        assert all(region.width and region.right <= 60 for region in shown)


async def test_threshold_status_and_limits(gallery: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = main_screen.find_duplicates
    gate = threading.Event()
    gate.set()

    def gated_find(*args, **kwargs):
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(main_screen, "find_duplicates", gated_find)
    app = SimdupApp(make_config(gallery, threshold=0.02))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        gate.clear()
        await pilot.press("minus")
        await pilot.pause()
        status = status_text(app)
        assert "threshold 0.02" in status and "re-clustering at 0.01…" in status
        gate.set()
        await settle(app, pilot)
        status = status_text(app)
        assert "threshold 0.01" in status and "re-clustering" not in status
        await pilot.press("minus")
        await pilot.pause()
        assert any("already at its lowest value, 0.01" in m for m in messages(app))


def test_list_on_a_folder_with_only_subfolders_suggests_r(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "2023" / "summer").mkdir(parents=True)
    assert main([str(tmp_path), "--list", "--no-cache"]) == 0
    assert "run with -r to include them" in capsys.readouterr().out
    assert main([str(tmp_path), "--list", "--no-cache", "-r"]) == 0
    assert "run with -r" not in capsys.readouterr().out


async def test_z_says_why_when_the_preview_is_not_on_screen(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(44, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("z")
        await pilot.pause()
        assert any("preview pane is not shown at 44 columns" in m for m in messages(app))
        assert not app.screen.preview.sharp


@pytest.mark.parametrize("photos", [0, 2])
async def test_d_with_no_cluster_says_there_is_nothing_to_review(
    tmp_path: Path, photos: int
) -> None:
    """d said "mark photos with space or a first" where nothing could be marked."""
    for seed in range(photos):
        scene(seed).save(tmp_path / f"{seed}.jpg")
    app = SimdupApp(make_config(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key in ("d", "D"):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            said = " ".join(messages(app))
            assert "space or a" not in said, (key, said)
            expected = "nothing to review" if photos == 0 else "no near-duplicates"
            assert f"Nothing to delete: {expected}." in said, (key, said)


async def test_d_with_every_cluster_filtered_out_says_so(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"nowhere", "enter")
        await pilot.pause()
        assert not app.screen.review.shown_clusters()
        app.clear_notifications()
        await pilot.press("d")
        await pilot.pause()
        assert messages(app) == [
            "Nothing is marked, and the filter shows no cluster: Escape clears it."
        ]
        await pilot.press("escape")
        await pilot.pause()
        app.clear_notifications()
        await pilot.press("d")
        await pilot.pause()
        assert messages(app) == ["Nothing is marked: mark photos with space or a first."]
