"""The journal read back and undo: any batch, never overwriting, interrupted batches
reconciled, and --undo listing batches and naming every file it could not restore."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from simdup_tui.__main__ import main
from simdup_tui.core.deletion import Outcome, execute
from simdup_tui.core.journal import Journal, state_dir
from simdup_tui.core.plan import plan_deletion
from simdup_tui.core.undo import choose_batch, recover_interrupted, undo_batch

from .deletion_helpers import TrashEnv, snapshot, summary_of, write_files


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    write_files(root, ["a.jpg", "b.jpg", "sub/c.jpg", "d.jpg"])
    return root


def run(root: Path, names: list[str], journal: Journal, mode: str = "trash", **kw):
    plan = plan_deletion([summary_of(root / n) for n in names], [], mode=mode, root=root, **kw)
    return execute(plan, journal=journal)


def test_state_dir_parameter_beats_environment_beats_platformdirs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SIMDUP_STATE_DIR", str(tmp_path / "env"))
    assert state_dir(tmp_path / "param") == tmp_path / "param"
    assert Journal().folder == tmp_path / "env" / "journal"
    monkeypatch.delenv("SIMDUP_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert Journal().folder == tmp_path / "xdg" / "simdup-tui" / "journal"


def test_odd_names_round_trip(env: TrashEnv, tmp_path: Path) -> None:
    """Accents, brackets, newlines and bytes that are not UTF-8 survive the journal and undo."""
    root = tmp_path / "photos"
    names = [os.fsdecode(b"caf\xe9 [draft].jpg"), "été.jpg", "line\nbreak.jpg"]
    write_files(root, names)
    before = snapshot(root)
    report = run(root, names, env.journal)
    assert all(r.outcome is Outcome.TRASHED for r in report.results)
    record = env.journal.read(report.batch)
    assert [f.path.name for f in record.removed] == names
    assert undo_batch(env.journal).complete and snapshot(root) == before


def test_undo_restores_trashed_files_and_their_trash_entries_go(
    env: TrashEnv, photos: Path
) -> None:
    before = snapshot(photos)
    report = run(photos, ["b.jpg", "sub/c.jpg"], env.journal)
    (photos / "sub").rmdir()  # the emptied folder goes too: undo makes it again
    undo = undo_batch(env.journal)
    assert undo.batch == report.batch and undo.complete
    assert [r.path for r in undo.restored] == [photos / "b.jpg", photos / "sub/c.jpg"]
    assert snapshot(photos) == before
    assert os.listdir(env.trash / "files") == [] and os.listdir(env.trash / "info") == []


def test_undoing_a_move_removes_the_folders_it_made_and_only_those(
    env: TrashEnv, photos: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "mine").mkdir(parents=True)  # the person's own (empty) folder stays
    before = snapshot(photos)
    run(photos, ["b.jpg", "sub/c.jpg"], env.journal, "move", move_to=out)
    assert (out / "sub" / "c.jpg").exists()
    assert undo_batch(env.journal).complete
    assert snapshot(photos) == before
    assert sorted(os.listdir(out)) == ["mine"]

    fresh = tmp_path / "fresh"  # made by the move: gone with the undo
    run(photos, ["sub/c.jpg"], env.journal, "move", move_to=fresh)
    assert undo_batch(env.journal).complete and not fresh.exists()

    # The first file out made the folders, the last came back second, at a retry: they go too.
    run(photos, ["a.jpg", "b.jpg"], env.journal, "move", move_to=fresh)
    (photos / "b.jpg").write_text("a new file took the place")
    assert not undo_batch(env.journal).complete and fresh.exists()
    (photos / "b.jpg").unlink()
    assert undo_batch(env.journal).complete and not fresh.exists()
    assert snapshot(photos) == before


def test_undo_never_overwrites_and_a_second_undo_retries_what_is_left(
    env: TrashEnv, photos: Path
) -> None:
    original = (photos / "b.jpg").read_bytes()
    run(photos, ["a.jpg", "b.jpg"], env.journal)
    (photos / "b.jpg").write_bytes(b"a new file took the place")
    undo = undo_batch(env.journal)
    assert [r.path.name for r in undo.restored] == ["a.jpg"]
    (left,) = undo.not_restored
    assert left.path == photos / "b.jpg" and "taken" in left.reason
    assert (photos / "b.jpg").read_bytes() == b"a new file took the place"
    (photos / "b.jpg").unlink()
    again = undo_batch(env.journal)
    assert [r.path.name for r in again.results] == ["b.jpg"] and again.complete
    assert (photos / "b.jpg").read_bytes() == original


def test_a_second_undo_reaches_the_batch_before(env: TrashEnv, photos: Path) -> None:
    first = run(photos, ["a.jpg"], env.journal)
    second = run(photos, ["b.jpg"], env.journal, "move", move_to=photos.parent / "out")
    run(photos, ["d.jpg"], env.journal, "delete")  # nothing can come back: passed over
    assert undo_batch(env.journal).batch == second.batch and (photos / "b.jpg").exists()
    assert undo_batch(env.journal).batch == first.batch and (photos / "a.jpg").exists()
    assert undo_batch(env.journal).batch is None


def test_undo_by_id_leaves_a_later_batch_alone(env: TrashEnv, photos: Path) -> None:
    first = run(photos, ["a.jpg"], env.journal)
    run(photos, ["b.jpg"], env.journal)
    undo = undo_batch(env.journal, first.batch)
    assert undo.batch == first.batch and undo.complete
    assert (photos / "a.jpg").exists() and not (photos / "b.jpg").exists()


def test_permanently_deleted_files_are_reported_as_gone_for_good(
    env: TrashEnv, photos: Path
) -> None:
    report = run(photos, ["a.jpg"], env.journal, "delete")
    (result,) = undo_batch(env.journal, report.batch).results
    assert not result.restored and "cannot come back" in result.reason


def test_undo_finds_the_entry_when_the_recorded_one_was_renamed(
    env: TrashEnv, photos: Path
) -> None:
    (result,) = run(photos, ["b.jpg"], env.journal).results
    result.trash_info.rename(result.trash_info.with_name("b 7.jpg.trashinfo"))
    result.destination.rename(result.destination.with_name("b 7.jpg"))
    assert undo_batch(env.journal).complete and (photos / "b.jpg").exists()


def test_emptied_trash_is_reported(env: TrashEnv, photos: Path) -> None:
    (result,) = run(photos, ["b.jpg"], env.journal).results
    result.destination.unlink()
    result.trash_info.unlink()
    (undone,) = undo_batch(env.journal).results
    assert not undone.restored and "no longer in the trash" in undone.reason


def write_lines(journal: Journal, batch: str, lines: list[dict]) -> None:
    journal.folder.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(line) + "\n" for line in lines)
    journal.batch_path(batch).write_text(text)


def test_an_intent_without_outcome_is_looked_for_where_it_was_going(
    env: TrashEnv, photos: Path, tmp_path: Path
) -> None:
    """Killed between the move and its outcome line: undo finds it at its destination; killed
    between the copy's rename and the source's removal: the copy goes, the source stays."""
    out = tmp_path / "out"
    out.mkdir()
    a, b = photos / "a.jpg", photos / "b.jpg"
    info_a, info_b = a.stat(), b.stat()
    os.rename(a, out / "a.jpg")  # a reached its destination
    (out / "b.jpg").write_bytes(b.read_bytes())  # b: a complete copy, the source still there
    (out / ".simdup-part-0001").write_bytes(b"half a cop")  # c: a leftover temporary
    write_lines(
        env.journal,
        "20000101T000000-aaaaaa",
        [
            {"kind": "batch", "mode": "move", "root": str(photos), "destination": str(out)},
            {"kind": "intent", "n": 0, "path": str(a), "size": info_a.st_size,
             "device": info_a.st_dev, "inode": info_a.st_ino, "to": str(out / "a.jpg")},
            {"kind": "intent", "n": 1, "path": str(b), "size": info_b.st_size,
             "device": info_b.st_dev, "inode": info_b.st_ino, "to": str(out / "b.jpg"),
             "temp": ".simdup-part-0001"},
        ],
    )  # fmt: skip
    with open(env.journal.batch_path("20000101T000000-aaaaaa"), "a") as torn:
        torn.write('{"kind": "outcome", "n": 1, "outc')  # a torn last line
    assert recover_interrupted(env.journal) == ["20000101T000000-aaaaaa"]
    assert sorted(os.listdir(out)) == ["a.jpg"]  # the copy of b and the temporary are gone
    undo = undo_batch(env.journal)
    assert undo.complete and [r.path for r in undo.restored] == [a]
    assert a.exists() and b.exists()


def test_cli_lists_batches_undoes_newest_with_files_out_and_names_what_stays_out(
    env: TrashEnv, photos: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = Journal()  # the CLI's (SIMDUP_STATE_DIR here)
    assert main(["--undo"]) == 0
    assert "nothing to undo" in capsys.readouterr().out
    first = run(photos, ["d.jpg"], journal)
    run(photos, ["a.jpg", "b.jpg"], journal)
    (photos / "b.jpg").write_bytes(b"new")
    assert main(["--undo"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("batches (newest first):")
    assert f"{photos}: 2 to the trash, 2 still out" in out
    assert f"{photos}: 1 to the trash, 1 still out" in out
    assert f"restored      {photos / 'a.jpg'}" in out
    assert f"not restored  {photos / 'b.jpg'}: its place is taken" in out
    assert out.rstrip().endswith("1 restored, 1 not restored")

    assert main(["--undo", first.batch.split("-")[-1]]) == 0  # its last six letters will do
    assert f"restored      {photos / 'd.jpg'}" in capsys.readouterr().out
    assert main(["--undo", "20990101T000000-nosuch"]) == 2
    assert "no batch 20990101T000000-nosuch" in capsys.readouterr().err


def test_cli_journal_prints_its_folder_and_undo_refuses_a_folder(
    env: TrashEnv, photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--journal"]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'state' / 'journal'}\n"
    assert main([str(photos), "--undo"]) == 2
    assert "leave DIR out" in capsys.readouterr().err


def test_cli_json_stays_read_only_and_refuses_move_to(env: TrashEnv, photos: Path, capsys) -> None:
    assert main([str(photos), "--json", "--move-to", str(photos.parent / "out")]) == 2
    assert "never delete" in capsys.readouterr().err
    assert not (photos.parent / "out").exists()


def test_an_undo_stopped_before_its_journal_line_counts_the_file_as_back(
    env: TrashEnv, photos: Path
) -> None:
    """Ctrl+C between putting a file back and writing so: the retry says restored, truly."""
    (result,) = run(photos, ["b.jpg"], env.journal).results
    os.rename(result.destination, photos / "b.jpg")  # what the interrupted undo had done
    undo = undo_batch(env.journal)
    assert undo.complete and [r.path.name for r in undo.restored] == ["b.jpg"]


def test_batches_of_the_old_single_file_journal_can_still_be_undone(
    env: TrashEnv, photos: Path
) -> None:
    moved = photos.parent / "old-out" / "b.jpg"
    moved.parent.mkdir()
    os.rename(photos / "b.jpg", moved)
    legacy = env.journal.folder.parent / "journal.jsonl"
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_text(
        json.dumps({"time": "2026-01-01T10:00:00+00:00", "batch": "20260101T100000-abcdef",
                    "path": str(photos / "b.jpg"), "size": moved.stat().st_size,
                    "action": "moved", "destination": str(moved)}) + "\n"
        + "{torn line\n"
    )  # fmt: skip
    undo = undo_batch(env.journal)
    assert undo.batch == "20260101T100000-abcdef" and undo.complete
    assert (photos / "b.jpg").exists() and not legacy.exists()


def test_a_move_from_several_folders_keeps_them_apart_and_undo_puts_each_back(
    env: TrashEnv, tmp_path: Path
) -> None:
    archive, phone = tmp_path / "archive", tmp_path / "phone"
    write_files(archive, ["IMG_0001.jpg", "x.jpg"])
    write_files(phone, ["y.jpg", "IMG_0001.jpg"])  # the same name, another photo
    before = snapshot(archive), snapshot(phone)
    out = tmp_path / "out"
    marked = [summary_of(archive / "IMG_0001.jpg"), summary_of(phone / "IMG_0001.jpg")]
    plan = plan_deletion(marked, [], mode="move", root=archive, move_to=out, roots=(archive, phone))
    report = execute(plan, journal=env.journal)
    assert len(report.removed) == 2
    assert (out / "1" / "IMG_0001.jpg").read_bytes() != (out / "2" / "IMG_0001.jpg").read_bytes()
    assert undo_batch(env.journal).complete
    assert (snapshot(archive), snapshot(phone)) == before and not out.exists()


def test_ctrl_z_finds_a_batch_of_several_folders_whichever_order_they_are_given(
    env: TrashEnv, tmp_path: Path
) -> None:
    """The app's Ctrl+Z asks for the newest batch of its folders: `phone archive` is the same
    review as `archive phone` (and `phone` alone still finds it), another folder does not."""
    archive, phone, other = tmp_path / "archive", tmp_path / "phone", tmp_path / "other"
    write_files(archive, ["IMG_0001.jpg"])
    write_files(phone, ["IMG_0002.jpg"])
    other.mkdir()
    marked = [summary_of(phone / "IMG_0002.jpg")]
    plan = plan_deletion(marked, [], root=archive, roots=(archive, phone))
    batch = execute(plan, journal=env.journal).batch
    for folders in ((phone, archive), (phone,), (archive, phone)):
        found = choose_batch(env.journal, folders)
        assert found is not None and found.batch == batch, folders
    assert choose_batch(env.journal, (other,)) is None


def test_undo_lists_a_batch_of_several_folders_as_spanning_them(
    env: TrashEnv, tmp_path: Path, capsys
) -> None:
    """`--undo` listed such a batch under its first folder only, though its files came from
    the others (found trying it)."""
    archive, phone = tmp_path / "archive", tmp_path / "phone"
    write_files(archive, ["IMG_0001.jpg"])
    write_files(phone, ["IMG_0002.jpg"])
    marked = [summary_of(phone / "IMG_0002.jpg")]
    execute(plan_deletion(marked, [], root=archive, roots=(archive, phone)), journal=env.journal)
    assert main(["--undo"]) == 0
    assert f"{archive} + 1 more folder: 1 to the trash, 1 still out" in capsys.readouterr().out


def test_a_move_killed_before_the_file_went_leaves_no_empty_folder_behind(
    env: TrashEnv, photos: Path, tmp_path: Path
) -> None:
    """Killed between making out/2/sub and moving the file into it: the file is in place, and
    the folders the move made (journaled with its intent) go too, but only those, only empty."""
    out = tmp_path / "out"
    (out / "2" / "sub").mkdir(parents=True)
    (out / "1").mkdir()
    (out / "1" / "mine.txt").write_text("the person's")  # out holds something else now
    a = photos / "a.jpg"
    info = a.stat()
    write_lines(
        env.journal,
        "20000101T000000-bbbbbb",
        [
            {"kind": "batch", "mode": "move", "root": str(photos), "destination": str(out)},
            {"kind": "intent", "n": 0, "path": str(a), "size": info.st_size,
             "device": info.st_dev, "inode": info.st_ino, "to": str(out / "2" / "sub" / "a.jpg"),
             "made": [str(out), str(out / "2"), str(out / "2" / "sub")]},
        ],
    )  # fmt: skip
    assert recover_interrupted(env.journal) == ["20000101T000000-bbbbbb"]
    assert a.exists()
    assert sorted(os.listdir(out)) == ["1"] and os.listdir(out / "1") == ["mine.txt"]
