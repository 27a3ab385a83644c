"""From keys to disk: mark, d, confirm or cancel, and what is left on disk and on screen."""

from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path

import pytest
from textual.widgets import Static

from simdup_tui.__main__ import main
from simdup_tui.core.identity import FileIdentity
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.screens import deletion as deletion_screen
from simdup_tui.ui.screens.confirm_delete import ConfirmDeleteScreen
from simdup_tui.ui.screens.deletion import DeletionScreen

from ..core.deletion_helpers import point_trash_into
from .helpers import labels, make_config, settle, status_text

BEACH_OTHERS = {"beach_copy.jpg", "beach_small.jpg", "beach_bright.jpg"}


def fingerprints(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
    }


async def run_batch(app: SimdupApp, pilot, key: str = "d") -> DeletionScreen:
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, ConfirmDeleteScreen)
    await pilot.press("y")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, DeletionScreen)
    await settle(app, pilot)
    assert not screen.running
    return screen


async def test_cancel_leaves_everything(gallery: Path, tmp_path: Path, monkeypatch) -> None:
    point_trash_into(monkeypatch, tmp_path)
    before = fingerprints(gallery)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDeleteScreen)
        await pilot.press("n")
        await pilot.pause()
        assert len(app.screen.review.marked) == 3  # marks stay after a cancel
    assert fingerprints(gallery) == before


async def test_d_then_y_trashes_exactly_the_marked(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = point_trash_into(monkeypatch, tmp_path)
    before = fingerprints(gallery)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        screen = await run_batch(app, pilot)
        assert "3 files to the trash" in str(screen.query_one("#batch-report").content)
        # The screen behind the open result box already agrees with it.
        await settle(app, pilot)
        behind = app.screen_stack[-2]
        assert app.screen is screen
        assert not behind.review.marked
        assert [len(c) for c in behind.review.clusters] == [2]
        status = str(behind.query_one("#status").content)
        assert "5 photos" in status and "0 marked" in status
        await pilot.press("enter")
        await settle(app, pilot)
        main = app.screen
        # The beach cluster kept only its keeper, so it left the tree; forest is still there.
        assert [len(c) for c in main.review.clusters] == [2]
        assert not main.review.marked
        assert "5 photos" in status_text(app) and "1 cluster" in status_text(app)
    after = fingerprints(gallery)
    assert set(before) - set(after) == BEACH_OTHERS
    assert all(after[name] == before[name] for name in after)  # the rest byte for byte
    trashed = {path.name for path in (env.trash / "files").iterdir()}
    assert trashed == BEACH_OTHERS
    assert len(list((env.trash / "info").glob("*.trashinfo"))) == 3


async def test_D_deletes_permanently_and_u_after_trash_puts_back(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = point_trash_into(monkeypatch, tmp_path)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("J", "a")  # the forest cluster: forest.jpg goes
        await run_batch(app, pilot, "D")
        await pilot.press("enter")
        await settle(app, pilot)
        assert not (gallery / "forest.jpg").exists()
        assert not (env.trash / "files" / "forest.jpg").exists()
        # Now trash the beach copies and take it back with u while the summary is shown.
        await pilot.press("g", "a")
        await run_batch(app, pilot)
        assert not (gallery / "beach_copy.jpg").exists()
        await pilot.press("u")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert {p.name for p in gallery.iterdir()} >= BEACH_OTHERS
        assert [len(c) for c in app.screen.review.clusters] == [4]  # back in the tree
        notice = list(app._notifications)[-1]
        assert notice.title == "Undone" and "3 files put back" in notice.message
        # The screen knows put-back files as they are now (their ctime changed): deleting them
        # again is not refused as "changed since scan".
        known = {s.path: s.identity for s in app.screen.result.summaries}
        for name in BEACH_OTHERS:
            assert known[gallery / name] == FileIdentity.of(os.stat(gallery / name))


async def test_a_changed_file_is_skipped_and_stays_marked(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_trash_into(monkeypatch, tmp_path)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        changed = gallery / "beach_copy.jpg"
        info = changed.stat()
        os.utime(changed, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
        screen = await run_batch(app, pilot)
        report = str(screen.query_one("#batch-report").content)
        assert "changed since scan" in report
        await pilot.press("enter")
        await settle(app, pilot)
        assert changed.exists()
        assert app.screen.review.marked == {changed}
        row = next(r for r in labels(app) if "beach_copy.jpg" in r)
        # skipped (left alone on purpose), as the result box said: not "failed"
        assert row.startswith("[x]") and "skipped: changed since scan" in row


async def test_move_to_keeps_relative_paths_and_never_overwrites(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_trash_into(monkeypatch, tmp_path)
    review = tmp_path / "review"
    review.mkdir()
    (review / "beach_small.jpg").write_bytes(b"already here")
    app = SimdupApp(make_config(gallery, move_to=review))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        screen = await run_batch(app, pilot)
        report = str(screen.query_one("#batch-report").content)
        assert "2 files moved" in report and "1 failed" in report
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.review.marked == {gallery / "beach_small.jpg"}  # the failure stays
    assert (review / "beach_copy.jpg").exists() and (review / "beach_bright.jpg").exists()
    assert (review / "beach_small.jpg").read_bytes() == b"already here"  # not overwritten
    assert (gallery / "beach_small.jpg").exists()
    assert not (gallery / "beach_copy.jpg").exists()


async def test_escape_stops_a_running_batch_between_files(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch that would take long: Escape asks it to stop, and the summary says so."""
    point_trash_into(monkeypatch, tmp_path)
    real_execute = deletion_screen.execute

    def slow_execute(plan, *, on_progress=None, cancel=None, journal=None):
        assert cancel is not None
        assert cancel.wait(timeout=10), "Escape never reached the batch"
        return real_execute(plan, on_progress=on_progress, cancel=cancel, journal=journal)

    monkeypatch.setattr(deletion_screen, "execute", slow_execute)
    before = fingerprints(gallery)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a", "d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DeletionScreen) and screen.running
        await pilot.press("ctrl+q")  # quitting mid-batch is refused: the batch must end first
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert "Escape stops" in list(app._notifications)[-1].message
        await pilot.press("escape")
        await settle(app, pilot)
        report = str(screen.query_one("#batch-report").content)
        assert "stopped, 3 files left alone" in report
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(app.screen.review.marked) == 3  # nothing removed, marks kept
    assert fingerprints(gallery) == before


async def test_an_unexpected_worker_failure_ends_the_batch_and_lets_the_person_quit(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_trash_into(monkeypatch, tmp_path)

    def broken(plan, *, on_progress=None, cancel=None, journal=None):
        raise RuntimeError("disk controller on fire")

    monkeypatch.setattr(deletion_screen, "execute", broken)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        screen = await run_batch(app, pilot)
        assert "disk controller on fire" in str(screen.query_one("#batch-report").content)
        await pilot.press("enter")  # closes
        await settle(app, pilot)
        assert not isinstance(app.screen, DeletionScreen)
        assert len(app.screen.review.marked) == 3  # nothing removed: the marks stay
        await pilot.press("U", "ctrl+q")  # and quitting works
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_z_after_the_result_box_is_closed_puts_the_batch_back(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_trash_into(monkeypatch, tmp_path)
    before = fingerprints(gallery)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await run_batch(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert [len(c) for c in app.screen.review.clusters] == [2]  # only forest is left
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        await settle(app, pilot)
        assert fingerprints(gallery) == before
        assert sorted(len(c) for c in app.screen.review.clusters) == [2, 4]  # back in the tree
        notice = list(app._notifications)[-1]
        assert notice.title == "Undone" and "3 files put back" in notice.message
        await pilot.press("ctrl+z")  # nothing more of this folder to put back
        await settle(app, pilot)
        assert "Nothing put back" in list(app._notifications)[-1].message
        await pilot.press("a")  # marks pending: a hang-up does not ask, and deletes nothing
        app.end_on_signal(signal.SIGHUP)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGHUP
    assert fingerprints(gallery) == before


async def test_sigterm_mid_batch_stops_after_the_current_file_and_exits_cleanly(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a dropped SSH connection (SIGHUP) or `kill` (SIGTERM) does in the middle of a batch."""
    env = point_trash_into(monkeypatch, tmp_path)
    real_execute = deletion_screen.execute
    started = []

    def slow_execute(plan, *, on_progress=None, cancel=None, journal=None):
        def progress(done, total, result):
            started.append(result)
            assert cancel.wait(timeout=10), "the signal never reached the batch"
            if on_progress is not None:
                on_progress(done, total, result)

        return real_execute(plan, on_progress=progress, cancel=cancel, journal=journal)

    monkeypatch.setattr(deletion_screen, "execute", slow_execute)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a", "d")
        await pilot.pause()
        await pilot.press("y")
        for _ in range(250):  # up to 5 s: a loaded CI machine starts the batch late
            await pilot.pause(0.02)
            if started:
                break
        app.end_on_signal(signal.SIGTERM)
        await app.workers.wait_for_complete()
        for _ in range(10):
            await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM
    assert len(started) == 1  # the current file finished; the two others were left alone
    (batch,) = env.journal.batch_ids()
    record = env.journal.read(batch)
    assert record.status == "stopped" and len(record.removed) == 1
    assert sum(1 for name in BEACH_OTHERS if (gallery / name).exists()) == 2


async def test_photos_put_back_by_an_undo_are_not_new_photos(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_trash_into(monkeypatch, tmp_path)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")  # beach: all but the keeper, reviewed
        await run_batch(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        await settle(app, pilot)
        assert sorted(len(c) for c in app.screen.review.clusters) == [2, 4]
        assert not any(label[2:].startswith("+") for label in labels(app))
        assert not any("new photos" in str(n.message) for n in app._notifications)
        await pilot.press("g", "f")  # beach: looks fine as it is now
        await pilot.press("G", "a")  # forest reviewed; then trash it and undo from the shell
        await run_batch(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
    assert main(["--undo"]) == 0
    (gallery / "forest.jpg").rename(gallery / "forest renamed.jpg")  # moved, same content
    late = gallery / "beach_late.jpg"
    late.write_bytes((gallery / "beach_copy.jpg").read_bytes() + b"\0")  # new content
    os.utime(gallery / "beach.jpg", ns=(1, 1))  # touched
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        flagged = [label for label in labels(app) if label[2:].startswith("+")]
        assert len(flagged) == 1 and "5 photos" in flagged[0]  # beach, for beach_late only
        assert any("1 cluster has new photos" in str(n.message) for n in app._notifications)


async def test_u_after_another_instance_undid_the_batch_says_so_and_shows_the_files(
    gallery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`simdup-tui --undo` in another terminal while the result box is open: u said "Put back
    0 files." and the tree went on without the photos that were back on disk."""
    point_trash_into(monkeypatch, tmp_path)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        screen = await run_batch(app, pilot)
        assert main(["--undo"]) == 0  # the other instance
        await pilot.press("u")
        await settle(app, pilot)
        said = str(screen.query_one("#batch-report", Static).render())
        assert "3 files were already put back" in said, said
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert sorted(len(c) for c in app.screen.review.clusters) == [2, 4]  # shown again
        assert "3 already back from an earlier undo" in str(list(app._notifications)[-1].message)
