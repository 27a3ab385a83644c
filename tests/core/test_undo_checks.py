"""Undo puts back only the very file the batch put away, only through folders that are still
plain (or the links the scan walked), and --undo survives a reader that goes away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simdup_tui.__main__ import main
from simdup_tui.core.deletion import execute
from simdup_tui.core.journal import Journal
from simdup_tui.core.plan import plan_deletion
from simdup_tui.core.undo import TRASH_CHANGED, undo_batch

from .deletion_helpers import TrashEnv, summary_of, write_files


def run(root: Path, names: list[str], journal: Journal, mode: str = "trash", **kw):
    plan = plan_deletion([summary_of(root / n) for n in names], [], mode=mode, root=root, **kw)
    report = execute(plan, journal=journal)
    assert all(r.removed for r in report.results)
    return report


@pytest.mark.parametrize("how", ["overwritten", "replaced, same size and time"])
def test_undo_refuses_a_file_changed_in_the_trash(
    env: TrashEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    root = tmp_path / "photos"
    write_files(root, ["a.jpg", "b.jpg"])
    (result,) = run(root, ["b.jpg"], env.journal).results
    trashed = result.destination
    assert trashed is not None
    if how == "overwritten":
        trashed.write_bytes(b"an impostor")
    else:
        info = trashed.stat()
        data = trashed.read_bytes()
        trashed.rename(tmp_path / "kept")  # kept alive: its inode number is not reused
        trashed.write_bytes(bytes(len(data)))
        os.utime(trashed, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert main(["--undo"]) == 1
    assert f"not restored  {root / 'b.jpg'}: {TRASH_CHANGED}" in capsys.readouterr().out
    assert not (root / "b.jpg").exists() and trashed.exists()


def test_undo_refuses_a_moved_file_changed_at_its_destination(
    env: TrashEnv, tmp_path: Path
) -> None:
    root, moved = tmp_path / "photos", tmp_path / "moved"
    write_files(root, ["a.jpg", "b.jpg"])
    run(root, ["b.jpg"], env.journal, mode="move", move_to=moved)
    (moved / "b.jpg").write_bytes(b"other bytes")
    (undone,) = undo_batch(env.journal).results
    assert not undone.restored and undone.reason.startswith("changed at ")
    assert not (root / "b.jpg").exists()


def test_undo_puts_back_the_untouched_file(env: TrashEnv, tmp_path: Path) -> None:
    root = tmp_path / "photos"
    write_files(root, ["a.jpg", "b.jpg"])
    before = (root / "b.jpg").read_bytes()
    run(root, ["b.jpg"], env.journal)
    assert undo_batch(env.journal).complete and (root / "b.jpg").read_bytes() == before


def test_undo_never_follows_a_folder_swapped_for_a_link(env: TrashEnv, tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "u2", tmp_path / "elsewhere"
    write_files(root, ["sub/x.jpg"])
    elsewhere.mkdir()
    run(root, ["sub/x.jpg"], env.journal)
    (root / "sub").rmdir()
    (root / "sub").symlink_to(elsewhere)
    (undone,) = undo_batch(env.journal).results
    assert not undone.restored and "now a link" in undone.reason
    assert list(elsewhere.iterdir()) == []


def test_undo_makes_a_missing_plain_folder_and_follows_links_the_scan_walked(
    env: TrashEnv, tmp_path: Path
) -> None:
    root, real = tmp_path / "photos", tmp_path / "real"
    write_files(root, ["gone/x.jpg"])
    write_files(real, ["y.jpg"])
    (root / "linked").symlink_to(real)
    run(root, ["gone/x.jpg", "linked/y.jpg"], env.journal, linked=frozenset({root / "linked"}))
    (root / "gone").rmdir()
    assert undo_batch(env.journal).complete
    assert (root / "gone" / "x.jpg").is_file() and (real / "y.jpg").is_file()


def test_undo_into_a_closed_pipe_is_quiet_and_done_in_full(env: TrashEnv, tmp_path: Path) -> None:
    """`simdup-tui --undo | head -1`: no traceback, every file back, every restore journaled."""
    root = tmp_path / "photos"
    names = [f"p{i}.jpg" for i in range(30)]
    write_files(root, names)
    report = run(root, names, env.journal)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "simdup_tui", "--undo"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)},
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert done.stderr == b""
    assert all((root / name).exists() for name in names)
    record = env.journal.read(report.batch)
    assert all(found.restored for found in record.files.values())
