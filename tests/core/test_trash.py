"""The freedesktop trash: names reserved with O_EXCL, moves that never replace, no litter,
long names shortened, $topdir trashes for other drives, and two processes racing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from simdup_tui.core import trash as trash_module
from simdup_tui.core.deletion import Outcome, execute
from simdup_tui.core.plan import plan_deletion
from simdup_tui.core.trash import NAME_MAX, fit_name
from simdup_tui.core.undo import undo_batch

from .deletion_helpers import TrashEnv, snapshot, summary_of, write_files


def trash(root: Path, names: list[str], env: TrashEnv):
    plan = plan_deletion([summary_of(root / n) for n in names], [], root=root)
    return execute(plan, journal=env.journal)


def test_a_250_byte_name_is_shortened_to_fit_and_comes_back(env: TrashEnv, tmp_path: Path) -> None:
    root = tmp_path / "photos"
    long_name = "é" * 123 + ".jpg"  # 250 bytes: with ".trashinfo" the info name would not fit
    (path,) = write_files(root, [long_name])
    data = path.read_bytes()
    (result,) = trash(root, [long_name], env).results
    assert result.outcome is Outcome.TRASHED
    assert len(os.fsencode(result.trash_info.name)) <= NAME_MAX
    assert result.destination.name.endswith(".jpg")
    result.destination.name.encode("utf-8")  # cut at a character boundary
    assert undo_batch(env.journal).complete and path.read_bytes() == data


def test_fit_name_numbers_and_cuts() -> None:
    assert fit_name("b.jpg", 1) == "b.jpg" and fit_name("b.jpg", 3) == "b.3.jpg"
    assert len(os.fsencode(fit_name("x" * 300 + ".jpeg", 12) + ".trashinfo")) == NAME_MAX


def test_a_taken_files_name_without_info_is_never_replaced(env: TrashEnv, tmp_path: Path) -> None:
    """Another tool left files/b.jpg with no info file: ours goes beside it, not over it."""
    root = tmp_path / "photos"
    write_files(root, ["b.jpg"])
    (env.trash / "files").mkdir(parents=True)
    (env.trash / "files" / "b.jpg").write_bytes(b"someone else's")
    (result,) = trash(root, ["b.jpg"], env).results
    assert result.destination.name == "b.2.jpg"
    assert (env.trash / "files" / "b.jpg").read_bytes() == b"someone else's"
    assert sorted(os.listdir(env.trash / "info")) == ["b.2.jpg.trashinfo"]  # no orphan


def test_a_failed_move_leaves_no_reservation(
    env: TrashEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "photos"
    write_files(root, ["a.jpg", "b.jpg"])

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(trash_module, "move_no_replace", refuse)
    report = trash(root, ["a.jpg", "b.jpg"], env)
    assert [r.outcome for r in report.results] == [Outcome.FAILED, Outcome.FAILED]
    assert os.listdir(env.trash / "info") == [] and os.listdir(env.trash / "files") == []
    assert (root / "a.jpg").exists() and (root / "b.jpg").exists()


def test_a_file_on_another_drive_uses_its_topdir_trash_with_a_relative_path(
    env: TrashEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another drive is simulated: the home trash reports another device, tmp_path/drive is
    the file's mount point. `.Trash` without the sticky bit is skipped for `.Trash-$uid`."""
    drive = tmp_path / "drive"
    root = drive / "photos"
    write_files(root, ["a.jpg", "b.jpg"])
    (drive / ".Trash").mkdir()  # not sticky: must not be used
    real_device = trash_module.device_of
    monkeypatch.setattr(
        trash_module,
        "device_of",
        lambda path: -7 if path == env.trash else real_device(path),
    )
    monkeypatch.setattr(trash_module, "mount_point", lambda path: drive)
    (result,) = trash(root, ["b.jpg"], env).results
    drive_trash = drive / f".Trash-{os.getuid()}"
    assert result.trash_info == drive_trash / "info" / "b.jpg.trashinfo"
    assert "Path=photos/b.jpg\n" in result.trash_info.read_text()
    assert stat.S_IMODE(drive_trash.stat().st_mode) == 0o700
    assert not env.trash.exists()
    assert undo_batch(env.journal).complete and (root / "b.jpg").exists()
    assert os.listdir(drive_trash / "info") == []

    (drive / ".Trash").chmod(0o1777)  # now a proper shared trash: $topdir/.Trash/$uid
    (result,) = trash(root, ["a.jpg"], env).results
    assert result.trash_info.parent.parent == drive / ".Trash" / str(os.getuid())


RACER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from simdup_tui.core.deletion import execute
    from simdup_tui.core.journal import Journal
    from simdup_tui.core.plan import plan_deletion
    from simdup_tui.core.summary import Summary

    root, rounds, go = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    while not go.exists():
        pass
    for number in range(rounds):
        path = root / "same.jpg"
        path.write_bytes(f"{root.name} {number}".encode() * 50)
        info = path.stat()
        summary = Summary(path, bytes(768), 1, 1, "JPEG", info.st_size, info.st_mtime_ns,
                          info.st_dev, info.st_ino, info.st_ctime_ns)
        report = execute(plan_deletion([summary], [], root=root), journal=Journal(sys.argv[4]))
        assert report.results[0].outcome == "trashed", report.results[0].reason
    """
)


def test_two_processes_trashing_same_named_files_never_overwrite(
    env: TrashEnv, tmp_path: Path
) -> None:
    rounds = 25
    go = tmp_path / "go"
    racers = []
    for side in ("left", "right"):
        (tmp_path / side).mkdir()
        racers.append(
            subprocess.Popen(
                [
                    *(sys.executable, "-c", RACER, str(tmp_path / side), str(rounds)),
                    *(str(go), str(tmp_path / f"journal-{side}")),
                ],
                env=os.environ.copy(),
            )
        )
    go.touch()
    assert [racer.wait(timeout=120) for racer in racers] == [0, 0]
    contents = set(snapshot(env.trash / "files").values())
    expected = {
        __import__("hashlib").sha256(f"{side} {n}".encode() * 50).hexdigest()
        for side in ("left", "right")
        for n in range(rounds)
    }
    assert contents == expected  # every one of the 50 files is there, none overwritten
    infos = os.listdir(env.trash / "info")
    assert len(infos) == 2 * rounds  # and exactly one info file each: no litter
    assert {name.removesuffix(".trashinfo") for name in infos} == set(
        os.listdir(env.trash / "files")
    )


def test_without_renameat2_a_link_then_unlink_still_never_replaces(
    env: TrashEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Older kernels and some filesystems have no RENAME_NOREPLACE: the fallback is used."""
    from simdup_tui.core import fileops

    def no_renameat2(*args: object) -> None:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(fileops, "_renameat2", no_renameat2)
    root = tmp_path / "photos"
    write_files(root, ["x/b.jpg", "y/b.jpg"])
    (env.trash / "files").mkdir(parents=True)
    (env.trash / "files" / "b.jpg").write_bytes(b"someone else's")
    report = trash(root, ["x/b.jpg", "y/b.jpg"], env)
    assert [r.destination.name for r in report.results] == ["b.2.jpg", "b.3.jpg"]
    assert (env.trash / "files" / "b.jpg").read_bytes() == b"someone else's"
    assert not (root / "x/b.jpg").exists() and not (root / "y/b.jpg").exists()


def test_a_drive_without_a_usable_trash_falls_back_to_copying_into_the_home_trash(
    env: TrashEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drive = tmp_path / "drive"
    root = drive / "photos"
    (path,) = write_files(root, ["b.jpg"])
    data = path.read_bytes()
    (drive / f".Trash-{os.getuid()}").write_bytes(b"a file, not a trash folder")
    real_device = trash_module.device_of
    monkeypatch.setattr(
        trash_module, "device_of", lambda p: -7 if p == env.trash else real_device(p)
    )
    monkeypatch.setattr(trash_module, "mount_point", lambda p: drive)
    (result,) = trash(root, ["b.jpg"], env).results
    assert result.outcome is Outcome.TRASHED
    assert result.destination == env.trash / "files" / "b.jpg"
    assert result.destination.read_bytes() == data and not path.exists()
    assert [p.name for p in (env.trash / "files").iterdir()] == ["b.jpg"]  # no temporary left
    assert undo_batch(env.journal).complete and path.read_bytes() == data
