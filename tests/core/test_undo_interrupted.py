"""An undo killed while it copies a file back across drives: the retry finishes the job and
says so truly, and no half-made copy is left in the photo's folder."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from simdup_tui.core import undo as undo_module
from simdup_tui.core.deletion import execute
from simdup_tui.core.fileops import TEMP_PREFIX
from simdup_tui.core.journal import Journal
from simdup_tui.core.plan import plan_deletion
from simdup_tui.core.undo import undo_batch

from .deletion_helpers import TrashEnv, snapshot, summary_of, write_files


def _moved(tmp_path: Path, journal: Journal) -> tuple[Path, Path, dict[str, str]]:
    photos, out = tmp_path / "photos", tmp_path / "out"
    write_files(photos, ["a.jpg", "b.jpg"])
    before = snapshot(photos)
    marked = [summary_of(photos / "b.jpg")]
    execute(plan_deletion(marked, [], mode="move", root=photos, move_to=out), journal=journal)
    assert not (photos / "b.jpg").exists() and (out / "b.jpg").exists()
    return photos, out, before


def _undo_killed(journal: Journal, kill: Callable[[], None]) -> None:
    """Run undo in a child that puts files back by copying (as across drives) and dies by
    os._exit (no cleanup runs, as under kill -9) where `kill` arranges."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:

            def across_drives(*_args: object) -> None:
                raise OSError(errno.EXDEV, "Invalid cross-device link")

            undo_module.move_no_replace = across_drives  # type: ignore[assignment]
            kill()
            undo_batch(journal)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 9, "the kill never landed"


def test_undo_killed_after_the_copy_is_in_place_is_finished_by_the_retry(
    env: TrashEnv, tmp_path: Path
) -> None:
    photos, out, before = _moved(tmp_path, env.journal)

    def die_before_the_source_goes() -> None:
        real = os.unlink

        def unlink(path: object, *args: object, **kwargs: object) -> None:
            if os.fspath(path) == "b.jpg" and (photos / "b.jpg").exists():
                os._exit(9)  # the copy is in place; the moved file not yet removed
            real(path, *args, **kwargs)  # type: ignore[arg-type]

        os.unlink = unlink  # type: ignore[assignment]

    _undo_killed(env.journal, die_before_the_source_goes)
    assert (out / "b.jpg").exists() and snapshot(photos) == before

    undo = undo_batch(env.journal)
    assert undo.complete, [(r.path.name, r.reason) for r in undo.not_restored]
    assert snapshot(photos) == before
    assert not out.exists(), "the moved copy stayed beside the file put back"


def test_undo_killed_mid_copy_leaves_no_partial_file_in_the_photo_folder(
    env: TrashEnv, tmp_path: Path
) -> None:
    photos, out, before = _moved(tmp_path, env.journal)

    def die_mid_copy() -> None:
        def half_copy(src_fd: int, src: str, dst_fd: int, dst: str, temp: str) -> None:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, dir_fd=dst_fd)
            os.write(fd, b"half a photo")
            os._exit(9)

        undo_module.copy_into_place = half_copy  # type: ignore[assignment]

    _undo_killed(env.journal, die_mid_copy)
    assert any(name.startswith(TEMP_PREFIX) for name in os.listdir(photos))

    undo = undo_batch(env.journal)
    assert undo.complete, [(r.path.name, r.reason) for r in undo.not_restored]
    assert snapshot(photos) == before, "a half-made copy was left among the photos"
    assert not out.exists()


def test_a_retry_never_removes_the_moved_file_when_its_place_holds_only_a_link_to_it(
    env: TrashEnv, tmp_path: Path
) -> None:
    photos, out, _ = _moved(tmp_path, env.journal)

    def die_before_the_source_goes() -> None:
        real = os.unlink

        def unlink(path: object, *args: object, **kwargs: object) -> None:
            if os.fspath(path) == "b.jpg" and (photos / "b.jpg").exists():
                os._exit(9)
            real(path, *args, **kwargs)  # type: ignore[arg-type]

        os.unlink = unlink  # type: ignore[assignment]

    _undo_killed(env.journal, die_before_the_source_goes)
    (photos / "b.jpg").unlink()
    (photos / "b.jpg").symlink_to(out / "b.jpg")  # same bytes through the link: not a copy
    assert not undo_batch(env.journal).complete
    assert (out / "b.jpg").is_file() and not (out / "b.jpg").is_symlink()
