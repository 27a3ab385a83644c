"""The --move-to destination is walked without following links made after the start: a numbered
folder (MOVE_TO/N) swapped for a link into a scanned folder never receives a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simdup_tui.core.deletion import Outcome, execute
from simdup_tui.core.errors import SimdupError
from simdup_tui.core.fileops import DESTINATION_LINK
from simdup_tui.core.plan import check_move_to_folders, plan_deletion

from .deletion_helpers import TrashEnv, snapshot, summary_of, write_files


@pytest.mark.parametrize("when", ["made", "swapped", "deeper"])
def test_a_numbered_folder_swapped_for_a_link_into_a_scanned_folder_is_refused(
    env: TrashEnv, tmp_path: Path, when: str
) -> None:
    archive, phone, out = tmp_path / "archive", tmp_path / "phone", tmp_path / "out"
    write_files(archive, ["IMG_0001.jpg", "trip/IMG_0002.jpg"])
    write_files(phone, ["y.jpg"])
    out.mkdir()
    if when == "swapped":
        (out / "1").mkdir()  # a real folder at the start
    check_move_to_folders(out, (archive, phone))  # accepted at the start
    marked = [summary_of(archive / "IMG_0001.jpg"), summary_of(archive / "trip/IMG_0002.jpg")]
    plan = plan_deletion(marked, [], mode="move", root=archive, move_to=out, roots=(archive, phone))
    before = snapshot(phone)
    if when == "swapped":  # between the plan and the act
        shutil.rmtree(out / "1")
    if when == "deeper":
        (out / "1").mkdir()
        (out / "1" / "trip").symlink_to(phone)
    else:
        (out / "1").symlink_to(phone)
    report = execute(plan, journal=env.journal)
    assert snapshot(phone) == before  # nothing moved into the scanned folder
    assert (archive / "trip/IMG_0002.jpg").is_file()  # it stays where it was
    failed = {result.path.name: result for result in report.results}
    trip = failed["IMG_0002.jpg"]
    assert trip.outcome is Outcome.FAILED and trip.reason == DESTINATION_LINK
    if when != "deeper":
        assert (archive / "IMG_0001.jpg").is_file()
        assert failed["IMG_0001.jpg"].outcome is Outcome.FAILED
        assert failed["IMG_0001.jpg"].reason == DESTINATION_LINK
    else:  # out/1 is a real folder: the file beside trip/ goes there
        assert failed["IMG_0001.jpg"].outcome is Outcome.MOVED
        assert (out / "1" / "IMG_0001.jpg").is_file()


def test_a_numbered_folder_that_is_a_link_at_the_start_is_refused_there(tmp_path: Path) -> None:
    """Its moves would all fail: say so before anything is marked."""
    first, second, out = tmp_path / "first", tmp_path / "second", tmp_path / "out"
    write_files(first, ["a.jpg"])
    write_files(second, ["b.jpg"])
    (tmp_path / "elsewhere").mkdir()
    out.mkdir()
    (out / "2").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SimdupError, match=r"files of folder 2 would go into .*out/2, a link"):
        check_move_to_folders(out, (first, second))
