"""The journal and undo: trashed and moved files come back, nothing is ever overwritten."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import send2trash.plat_other as plat_other

from simdup_tui.__main__ import main
from simdup_tui.core import trash as trash_module
from simdup_tui.core.deletion import Outcome, execute, plan_deletion
from simdup_tui.core.journal import (
    Journal,
    JournalEntry,
    journal_path,
    state_dir,
    undo_last_batch,
)

from .deletion_helpers import TrashEnv, snapshot, summary_of, write_files


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    write_files(root, ["a.jpg", "b.jpg", "sub/c.jpg", "d.jpg"])
    return root


def run(root: Path, names: list[str], journal: Journal, mode: str = "trash", **kw):
    plan = plan_deletion(
        [summary_of(root / name) for name in names], [], mode=mode, root=root, **kw
    )
    return execute(plan, journal=journal)


def test_state_dir_parameter_beats_environment_beats_platformdirs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SIMDUP_STATE_DIR", str(tmp_path / "env"))
    assert state_dir(tmp_path / "param") == tmp_path / "param"
    assert journal_path() == tmp_path / "env" / "journal.jsonl"
    monkeypatch.delenv("SIMDUP_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert state_dir() == tmp_path / "xdg" / "simdup-tui"
    assert Journal().path == tmp_path / "xdg" / "simdup-tui" / "journal.jsonl"


def test_one_json_line_per_file_with_its_outcome(env: TrashEnv, photos: Path) -> None:
    (photos / "d.jpg").unlink()
    plan = plan_deletion(
        [summary_of(photos / "a.jpg"), summary_of(photos / "b.jpg")], [], root=photos
    )
    (photos / "b.jpg").unlink()
    report = execute(plan, journal=env.journal)
    raw = env.journal.path.read_text().splitlines()
    assert len(raw) == 2
    first, second = (json.loads(line) for line in raw)
    assert next(iter(first)) == "time"
    assert first["action"] == "trashed" and first["size"] == plan.files[0].size
    assert second["action"] == "skipped" and second["reason"] == "vanished since scan"
    assert first["batch"] == second["batch"] == report.batch


def test_unreadable_lines_are_skipped(env: TrashEnv) -> None:
    env.journal.append(JournalEntry(batch="1", path="/p/a.jpg", size=1, action="deleted"))
    with open(env.journal.path, "a") as handle:
        handle.write("{not json\n")
    env.journal.append(JournalEntry(batch="2", path="/p/b.jpg", size=1, action="deleted"))
    assert [entry.batch for entry in env.journal.entries()] == ["1", "2"]


def test_odd_names_round_trip(env: TrashEnv, tmp_path: Path) -> None:
    """Accents, brackets and bytes that are not UTF-8 all survive the journal."""
    odd = os.fsdecode(b"caf\xe9 [draft].jpg")
    entry = JournalEntry(batch="1", path=f"/p/{odd}", size=1, action="trashed")
    env.journal.append(entry)
    env.journal.append(JournalEntry(batch="1", path="/p/été.jpg", size=1, action="trashed"))
    assert [e.path for e in env.journal.entries()] == [f"/p/{odd}", "/p/été.jpg"]
    assert "été" in env.journal.path.read_text(encoding="utf-8", errors="replace")


def test_undo_restores_trashed_files_and_their_trash_entries_go(
    env: TrashEnv, photos: Path
) -> None:
    before = snapshot(photos)
    report = run(photos, ["b.jpg", "sub/c.jpg"], env.journal)
    assert len(report.removed) == 2
    (photos / "sub").rmdir()  # the emptied folder goes too: undo makes it again

    undo = undo_last_batch(env.journal)
    assert undo.batch == report.batch and undo.complete
    assert [r.path for r in undo.restored] == [photos / "b.jpg", photos / "sub/c.jpg"]
    assert snapshot(photos) == before
    assert os.listdir(env.trash / "files") == [] and os.listdir(env.trash / "info") == []
    actions = [json.loads(line) for line in env.journal.path.read_text().splitlines()]
    assert [line["action"] for line in actions] == ["trashed", "trashed", "restored", "restored"]
    assert all(line["undo_of"] == report.batch for line in actions[2:])


def test_undo_restores_moved_files(env: TrashEnv, photos: Path, tmp_path: Path) -> None:
    before = snapshot(photos)
    report = run(photos, ["b.jpg", "sub/c.jpg"], env.journal, "move", move_to=tmp_path / "out")
    assert (tmp_path / "out" / "sub" / "c.jpg").exists()
    undo = undo_last_batch(env.journal)
    assert undo.batch == report.batch and undo.complete
    assert snapshot(photos) == before
    assert not (tmp_path / "out" / "sub" / "c.jpg").exists()


def test_undo_never_overwrites_and_a_second_undo_retries_what_is_left(
    env: TrashEnv, photos: Path
) -> None:
    original = (photos / "b.jpg").read_bytes()
    run(photos, ["a.jpg", "b.jpg"], env.journal)
    (photos / "b.jpg").write_bytes(b"a new file took the place")

    undo = undo_last_batch(env.journal)
    assert not undo.complete
    assert [r.path.name for r in undo.restored] == ["a.jpg"]
    (left,) = undo.not_restored
    assert left.path == photos / "b.jpg" and "taken" in left.reason
    assert (photos / "b.jpg").read_bytes() == b"a new file took the place"
    assert left.source is not None and left.source.read_bytes() == original

    (photos / "b.jpg").unlink()
    again = undo_last_batch(env.journal)
    assert [r.path.name for r in again.results] == ["b.jpg"] and again.complete
    assert (photos / "b.jpg").read_bytes() == original


def test_permanently_deleted_files_are_reported_as_gone_for_good(
    env: TrashEnv, photos: Path
) -> None:
    run(photos, ["a.jpg"], env.journal, "delete")
    undo = undo_last_batch(env.journal)
    (result,) = undo.results
    assert not result.restored and "cannot come back" in result.reason
    assert not undo.complete


def test_a_batch_that_removed_nothing_does_not_hide_the_one_before(
    env: TrashEnv, photos: Path
) -> None:
    first = run(photos, ["a.jpg"], env.journal)
    plan = plan_deletion([summary_of(photos / "b.jpg")], [], root=photos)
    (photos / "b.jpg").write_bytes(b"changed")
    assert execute(plan, journal=env.journal).results[0].outcome is Outcome.SKIPPED
    undo = undo_last_batch(env.journal)
    assert undo.batch == first.batch and undo.complete and (photos / "a.jpg").exists()


def test_undo_by_batch_id_leaves_a_later_batch_alone(env: TrashEnv, photos: Path) -> None:
    """The app's `u` names its own batch: another instance may have trashed files since."""
    first = run(photos, ["a.jpg"], env.journal)
    run(photos, ["b.jpg"], env.journal)
    undo = undo_last_batch(env.journal, batch=first.batch)
    assert undo.batch == first.batch and undo.complete
    assert (photos / "a.jpg").exists() and not (photos / "b.jpg").exists()


def test_nothing_to_undo(env: TrashEnv) -> None:
    undo = undo_last_batch(env.journal)
    assert undo.batch is None and undo.results == () and undo.complete


def test_undo_finds_the_entry_by_its_trashinfo_when_the_recorded_one_moved(
    env: TrashEnv, photos: Path
) -> None:
    """If the journal's .trashinfo is gone (renamed by a file manager), search the Path= lines."""
    report = run(photos, ["b.jpg"], env.journal)
    (result,) = report.results
    assert result.trash_info is not None and result.destination is not None
    result.trash_info.rename(result.trash_info.with_name("b 7.jpg.trashinfo"))
    result.destination.rename(result.destination.with_name("b 7.jpg"))
    assert undo_last_batch(env.journal).complete
    assert (photos / "b.jpg").exists()


def test_emptied_trash_is_reported(env: TrashEnv, photos: Path) -> None:
    (result,) = run(photos, ["b.jpg"], env.journal).results
    assert result.destination is not None and result.trash_info is not None
    result.destination.unlink()
    result.trash_info.unlink()
    (undone,) = undo_last_batch(env.journal).results
    assert not undone.restored and "no longer in the trash" in undone.reason


def test_files_on_another_drive_use_its_trash_and_come_back(
    env: TrashEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file on another mount goes to `$topdir/.Trash-$uid`, whose Path= is relative.

    The second mount is simulated: send2trash's device and mount-point lookups, and ours, see
    tmp_path/drive as a separate drive.
    """
    drive = tmp_path / "drive"
    root = drive / "photos"
    write_files(root, ["a.jpg", "b.jpg"])

    def on_drive(path: str | bytes | os.PathLike) -> bool:
        return Path(os.path.realpath(os.fsdecode(path))).is_relative_to(drive.resolve())

    monkeypatch.setattr(plat_other, "get_dev", lambda p: 2 if on_drive(p) else 1)
    monkeypatch.setattr(plat_other, "find_mount_point", lambda p: os.fsencode(drive))
    real_mount_point = trash_module.mount_point
    monkeypatch.setattr(
        trash_module, "mount_point", lambda p: drive if on_drive(p) else real_mount_point(p)
    )
    report = run(root, ["b.jpg"], env.journal)
    (result,) = report.results
    drive_trash = drive / f".Trash-{os.getuid()}"
    assert result.outcome is Outcome.TRASHED
    assert result.trash_info == drive_trash / "info" / "b.jpg.trashinfo"
    assert "Path=photos/b.jpg" in result.trash_info.read_text()
    assert not (env.trash / "files").exists()

    undo = undo_last_batch(env.journal)
    assert undo.complete and (root / "b.jpg").exists()
    assert os.listdir(drive_trash / "info") == []


def test_cli_journal_prints_its_path(
    env: TrashEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--journal"]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'state' / 'journal.jsonl'}\n"


def test_cli_undo_says_what_happened_and_exits_1_when_some_stay_out(
    env: TrashEnv, photos: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    default = Journal()  # the CLI uses the state folder's journal (SIMDUP_STATE_DIR here)
    assert main(["--undo"]) == 0
    assert "nothing to undo" in capsys.readouterr().out

    run(photos, ["a.jpg", "b.jpg"], default)
    (photos / "b.jpg").write_bytes(b"new")
    assert main(["--undo"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"restored      {photos / 'a.jpg'}"
    assert out[1].startswith(f"not restored  {photos / 'b.jpg'}: its place is taken")
    assert out[2].endswith("1 restored, 1 not restored")

    (photos / "b.jpg").unlink()
    assert main(["--undo"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"restored      {photos / 'b.jpg'}"


def test_cli_undo_refuses_a_folder(env: TrashEnv, photos: Path, capsys) -> None:
    assert main([str(photos), "--undo"]) == 2
    assert "leave DIR out" in capsys.readouterr().err


def test_cli_json_stays_read_only_and_refuses_move_to(env: TrashEnv, photos: Path, capsys) -> None:
    assert main([str(photos), "--json", "--move-to", str(photos.parent / "out")]) == 2
    assert "never delete" in capsys.readouterr().err
    assert not (photos.parent / "out").exists()
