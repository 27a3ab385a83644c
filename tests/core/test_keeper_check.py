"""A marked file is acted on only while its keeper is still there, and two instances never act
at once: the photo always survives somewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from simdup_tui.core import deletion, trash
from simdup_tui.core.batch_lock import BatchBusyError, batch_lock
from simdup_tui.core.deletion import Outcome, execute
from simdup_tui.core.fileops import KEEPER_GONE, VANISHED
from simdup_tui.core.plan import plan_deletion

from .deletion_helpers import cluster_of, point_trash_into, summary_of, write_files


@pytest.mark.parametrize("mode", ["trash", "delete"])
@pytest.mark.parametrize("how", ["removed", "replaced", "folder became a link"])
def test_a_file_whose_keeper_went_after_the_plan_is_skipped_and_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, how: str
) -> None:
    env = point_trash_into(monkeypatch, tmp_path)
    root = tmp_path / "photos"
    keeper, other = write_files(root, ["k/airplane_1.jpg", "airplane_2.jpg"])
    summaries = [summary_of(keeper), summary_of(other)]
    plan = plan_deletion([summaries[1]], [cluster_of(summaries)], mode=mode, root=root)
    assert plan.keepers[other] == summaries[0]
    if how == "removed":
        keeper.unlink()
    elif how == "replaced":
        keeper.unlink()
        keeper.write_bytes(b"another photo under the keeper's name")
    else:
        elsewhere = tmp_path / "elsewhere"
        (root / "k").rename(elsewhere)
        (root / "k").symlink_to(elsewhere)
    report = execute(plan, journal=env.journal)
    assert [(r.outcome, r.reason) for r in report.results] == [(Outcome.SKIPPED, KEEPER_GONE)]
    assert other.read_bytes().startswith(b"airplane_2.jpg")


def test_a_whole_cluster_confirmed_has_no_keeper_to_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = point_trash_into(monkeypatch, tmp_path)
    paths = write_files(tmp_path / "photos", ["a.jpg", "b.jpg"])
    summaries = [summary_of(path) for path in paths]
    plan = plan_deletion(
        summaries, [cluster_of(summaries)], root=tmp_path / "photos", allow_whole_clusters=True
    )
    report = execute(plan, journal=env.journal)
    assert [r.outcome for r in report.results] == [Outcome.TRASHED, Outcome.TRASHED]


def test_a_second_batch_waits_for_the_lock_then_gives_up_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = point_trash_into(monkeypatch, tmp_path)
    paths = write_files(tmp_path / "photos", ["a.jpg", "b.jpg"])
    summaries = [summary_of(path) for path in paths]
    plan = plan_deletion(summaries[1:], [cluster_of(summaries)], root=tmp_path / "photos")
    told: list[str] = []
    with batch_lock(env.journal):
        started = time.monotonic()
        with pytest.raises(BatchBusyError, match="another simdup-tui batch"):
            execute(plan, journal=env.journal, wait=0.3, on_wait=told.append)
        assert time.monotonic() - started < 2
        cancel = threading.Event()
        cancel.set()
        with pytest.raises(BatchBusyError):
            execute(plan, journal=env.journal, cancel=cancel)
    assert told == ["waiting for another simdup-tui batch to end"]
    assert paths[1].exists()
    assert execute(plan, journal=env.journal).removed


_RIVAL = """
import os, sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from simdup_tui.core.deletion import execute
from simdup_tui.core.journal import Journal
from simdup_tui.core.plan import plan_deletion
from core.deletion_helpers import cluster_of, summary_of
root, side, rounds = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
scanned = []
for i in range(rounds):
    pair = [summary_of(root / f"{{i}}_a.jpg"), summary_of(root / f"{{i}}_b.jpg")]
    scanned.append(pair if side == 0 else pair[::-1])  # each keeps what the other marks
(root / f"ready{{side}}").touch()
while not (root / "go").exists():
    time.sleep(0.005)
journal = Journal(root.parent / "state" / "journal")
for keeper, marked in scanned:
    plan = plan_deletion([marked], [cluster_of([keeper, marked])], mode="delete", root=root)
    execute(plan, journal=journal, wait=30)
"""


def test_two_instances_with_crossed_keepers_always_leave_one_copy(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    rounds = 40
    write_files(root, [f"{i}_{side}.jpg" for i in range(rounds) for side in "ab"])
    script = tmp_path / "rival.py"
    script.write_text(_RIVAL.format(tests=str(Path(__file__).parents[1])))
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    rivals = [
        subprocess.Popen([sys.executable, str(script), str(root), str(side), str(rounds)], env=env)
        for side in (0, 1)
    ]
    deadline = time.monotonic() + 20
    while not all((root / f"ready{side}").exists() for side in (0, 1)):
        assert time.monotonic() < deadline, "the rivals never got ready"
        time.sleep(0.01)
    (root / "go").touch()
    assert [rival.wait(timeout=60) for rival in rivals] == [0, 0]
    lost = [i for i in range(rounds) if not any((root / f"{i}_{s}.jpg").exists() for s in "ab")]
    assert not lost, f"both copies deleted in rounds {lost}"
    deleted = sum(not (root / f"{i}_{s}.jpg").exists() for i in range(rounds) for s in "ab")
    assert deleted == rounds  # one of each pair went: the batches did act


def test_a_file_taken_by_someone_else_mid_trash_is_reported_vanished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another instance (or tool) trashes it between our check and our move: "vanished",
    never "the trash folder could not be made"."""
    env = point_trash_into(monkeypatch, tmp_path)
    keeper, other = write_files(tmp_path / "photos", ["a.jpg", "b.jpg"])
    summaries = [summary_of(keeper), summary_of(other)]
    real = trash.move_no_replace

    def taken_first(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
        os.rename(other, tmp_path / "taken")  # what the other instance's trash did
        real(src_fd, src, dst_fd, dst)

    monkeypatch.setattr(trash, "move_no_replace", taken_first)
    plan = plan_deletion(summaries[1:], [cluster_of(summaries)], root=tmp_path / "photos")
    report = execute(plan, journal=env.journal)
    assert [(r.outcome, r.reason) for r in report.results] == [(Outcome.SKIPPED, VANISHED)]
    assert not list((env.trash / "info").iterdir())  # no reservation left behind


@pytest.mark.parametrize("gone", ["photo", "destination folder"])
def test_a_move_tells_a_vanished_photo_from_a_vanished_destination(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gone: str
) -> None:
    env = point_trash_into(monkeypatch, tmp_path)
    root, moved = tmp_path / "photos", tmp_path / "moved"
    keeper, other = write_files(root, ["a.jpg", "sub/b.jpg"])
    summaries = [summary_of(keeper), summary_of(other)]
    real = deletion.move_no_replace

    def race(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
        if gone == "photo":
            other.unlink()
        else:
            os.rmdir(moved / "sub")
        real(src_fd, src, dst_fd, dst)

    monkeypatch.setattr(deletion, "move_no_replace", race)
    plan = plan_deletion(
        summaries[1:], [cluster_of(summaries)], mode="move", root=root, move_to=moved
    )
    [result] = execute(plan, journal=env.journal).results
    if gone == "photo":
        assert (result.outcome, result.reason) == (Outcome.SKIPPED, VANISHED)
    else:
        assert result.outcome is Outcome.FAILED
        assert "destination folder vanished" in result.reason
        assert other.exists()
