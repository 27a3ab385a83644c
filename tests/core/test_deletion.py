"""Acting on a plan: the file acted on is the file scanned, a journal line before each act,
trash / move / delete with honest reasons, and no unmarked file ever touched."""

from __future__ import annotations

import errno
import json
import os
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from simdup_tui.core import deletion
from simdup_tui.core.deletion import BatchStatus, Outcome, execute
from simdup_tui.core.fileops import CHANGED, VANISHED
from simdup_tui.core.journal import BatchWriter, Journal, JournalError
from simdup_tui.core.plan import DeletionMode, plan_deletion
from simdup_tui.core.scan import scan

from .deletion_helpers import (
    TrashEnv,
    cluster_of,
    fail_for,
    point_trash_into,
    snapshot,
    summary_of,
    write_files,
)

MODES = ["trash", "move", "delete"]
DONE = {"trash": Outcome.TRASHED, "move": Outcome.MOVED, "delete": Outcome.DELETED}


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    write_files(root, ["a.jpg", "b.jpg", "sub/c.jpg", "d.jpg", "e.jpg", "f.jpg"])
    return root


def photo(path: Path) -> None:
    """A small real JPEG, so a scan summarises it."""
    Image.new("RGB", (32, 24), (200, 120, 40)).save(path, quality=90)


def journal_lines(journal: Journal) -> list[dict]:
    (batch,) = journal.batch_ids()
    return [json.loads(line) for line in journal.batch_path(batch).read_text().splitlines()]


def run(root: Path, names: list[str], env: TrashEnv, mode: str = "trash", **options):
    plan = plan_deletion(
        [summary_of(root / name) for name in names],
        [],
        mode=mode,
        root=root,
        move_to=root.parent / "dupes",
        **options,
    )
    return execute(plan, journal=env.journal)


def test_trash_removes_only_marked_files_with_spec_trashinfo_and_a_journal_line_first(
    env: TrashEnv, photos: Path
) -> None:
    before = snapshot(photos)
    report = run(photos, ["b.jpg", "sub/c.jpg"], env)
    assert [r.outcome for r in report.results] == [Outcome.TRASHED, Outcome.TRASHED]
    after = snapshot(photos)
    assert set(before) - set(after) == {"b.jpg", "sub/c.jpg"}
    assert all(after[name] == before[name] for name in after)
    for result in report.results:
        assert result.destination.parent == env.trash / "files"
        assert result.trash_info == env.trash / "info" / (result.destination.name + ".trashinfo")
        lines = result.trash_info.read_text().splitlines()
        assert lines[0] == "[Trash Info]"
        assert Path(unquote(lines[1].removeprefix("Path="))) == result.path
        assert lines[2].startswith("DeletionDate=") and len(lines[2]) == len("DeletionDate=") + 19
    trashed = snapshot(env.trash / "files")
    assert sorted(trashed.values()) == sorted([before["b.jpg"], before["sub/c.jpg"]])
    assert report.bytes_freed == report.results[0].size + report.results[1].size

    kinds = [(line["kind"], line.get("n")) for line in journal_lines(env.journal)]
    assert kinds == [
        ("batch", None),
        ("intent", 0),
        ("outcome", 0),
        ("intent", 1),
        ("outcome", 1),
        ("end", None),
    ]


def test_same_name_twice_gets_its_own_name_and_trashinfo(env: TrashEnv, tmp_path: Path) -> None:
    root = tmp_path / "photos"
    write_files(root, ["x/b.jpg", "y/b.jpg"])
    report = run(root, ["x/b.jpg", "y/b.jpg"], env)
    assert [r.destination.name for r in report.results] == ["b.jpg", "b.2.jpg"]
    assert [r.trash_info.name for r in report.results] == [
        "b.jpg.trashinfo",
        "b.2.jpg.trashinfo",
    ]


def test_move_keeps_relative_paths_and_never_overwrites(env: TrashEnv, photos: Path) -> None:
    before = snapshot(photos)
    target = photos.parent / "dupes"
    (target / "sub").mkdir(parents=True)
    (target / "sub" / "c.jpg").write_bytes(b"already here")
    moved, taken = run(photos, ["b.jpg", "sub/c.jpg"], env, "move").results
    assert moved.outcome is Outcome.MOVED and moved.destination == target / "b.jpg"
    assert snapshot(target)["b.jpg"] == before["b.jpg"]
    assert taken.outcome is Outcome.FAILED and taken.reason.startswith("destination taken")
    assert (target / "sub" / "c.jpg").read_bytes() == b"already here"
    assert set(before) - set(snapshot(photos)) == {"b.jpg"}


def test_a_move_to_another_drive_copies_then_removes_the_source(
    env: TrashEnv, photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another drive is simulated by the device the core compares: the copy path runs."""
    monkeypatch.setattr(deletion, "device_of", lambda path: -1)
    before = snapshot(photos)
    (result,) = run(photos, ["sub/c.jpg"], env, "move").results
    assert result.outcome is Outcome.MOVED
    assert snapshot(photos.parent / "dupes") == {"sub/c.jpg": before["sub/c.jpg"]}
    assert not (photos / "sub/c.jpg").exists()
    assert [p.name for p in (photos.parent / "dupes" / "sub").iterdir()] == ["c.jpg"]
    intent = next(line for line in journal_lines(env.journal) if line["kind"] == "intent")
    assert intent["temp"].startswith(".simdup-part-")


def test_delete_permanently(env: TrashEnv, photos: Path) -> None:
    before = snapshot(photos)
    report = run(photos, ["a.jpg", "e.jpg"], env, "delete")
    assert [r.outcome for r in report.results] == [Outcome.DELETED, Outcome.DELETED]
    after = snapshot(photos)
    assert set(before) - set(after) == {"a.jpg", "e.jpg"}
    assert not env.trash.exists()


# 1. The file acted on is the file that was scanned ------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_content_swapped_with_size_and_mtime_restored_is_skipped(
    env: TrashEnv, photos: Path, mode: str
) -> None:
    path = photos / "b.jpg"
    plan = plan_deletion(
        [summary_of(path)], [], mode=mode, root=photos, move_to=photos.parent / "dupes"
    )
    info = path.stat()
    other = b"X" * info.st_size  # other bytes, same size
    path.write_bytes(other)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # and its mtime put back
    (result,) = execute(plan, journal=env.journal).results
    assert result.outcome is Outcome.SKIPPED and result.reason.startswith(CHANGED)
    assert path.read_bytes() == other


@pytest.mark.parametrize("mode", MODES)
def test_an_impostor_under_the_scanned_name_is_skipped(
    env: TrashEnv, photos: Path, mode: str
) -> None:
    """The scanned file renamed away, another with its size and mtime put under its name."""
    path = photos / "b.jpg"
    plan = plan_deletion(
        [summary_of(path)], [], mode=mode, root=photos, move_to=photos.parent / "dupes"
    )
    info = path.stat()
    path.rename(photos / "renamed.jpg")
    path.write_bytes(b"Y" * info.st_size)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    (result,) = execute(plan, journal=env.journal).results
    assert result.outcome is Outcome.SKIPPED and "another file" in result.reason
    assert path.read_bytes() == b"Y" * info.st_size
    assert (photos / "renamed.jpg").stat().st_size == info.st_size


@pytest.mark.parametrize("mode", MODES)
def test_a_folder_swapped_for_a_symlink_to_the_keepers_folder_is_skipped(
    env: TrashEnv, tmp_path: Path, mode: str
) -> None:
    """-r: a/x.jpg the keeper, b/x.jpg a marked exact copy; then b/ becomes a link to a/."""
    root = tmp_path / "photos"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    photo(root / "a" / "x.jpg")
    photo(root / "b" / "x.jpg")
    keeper = (root / "a" / "x.jpg").read_bytes()
    result = scan(root, recursive=True, cache=None)
    summaries = {s.path.relative_to(root).as_posix(): s for s in result.summaries}
    plan = plan_deletion(
        [summaries["b/x.jpg"]],
        [cluster_of([summaries["a/x.jpg"], summaries["b/x.jpg"]])],
        mode=mode,
        root=root,
        move_to=tmp_path / "dupes",
        linked=result.linked_folders,
    )
    (root / "b").rename(tmp_path / "b-old")
    (root / "b").symlink_to(root / "a")
    report = execute(plan, journal=env.journal)
    (outcome,) = report.results
    assert outcome.outcome is Outcome.SKIPPED
    assert outcome.reason == f"{CHANGED}: a folder on its way is now a link"
    assert (root / "a" / "x.jpg").read_bytes() == keeper
    assert not env.trash.exists() or not os.listdir(env.trash / "files")


def test_a_symlinked_folder_that_was_there_at_the_scan_may_be_used(
    env: TrashEnv, tmp_path: Path
) -> None:
    root = tmp_path / "photos"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    photo(elsewhere / "x.jpg")
    root.mkdir()
    (root / "linked").symlink_to(elsewhere)
    result = scan(root, recursive=True, cache=None)
    assert result.linked_folders == {root / "linked"}
    (summary,) = [s for s in result.summaries]  # the file, reached through the link
    plan = plan_deletion([summary], [], root=root, linked=result.linked_folders)
    (outcome,) = execute(plan, journal=env.journal).results
    assert outcome.outcome is Outcome.TRASHED and not (elsewhere / "x.jpg").exists()


def test_unscanned_links_on_the_way_are_refused_without_a_scan_record(
    env: TrashEnv, tmp_path: Path
) -> None:
    root = tmp_path / "photos"
    write_files(tmp_path / "real", ["x.jpg"])
    root.mkdir()
    (root / "sub").symlink_to(tmp_path / "real")
    plan = plan_deletion([summary_of(root / "sub" / "x.jpg")], [], root=root)
    (outcome,) = execute(plan, journal=env.journal).results
    assert outcome.outcome is Outcome.SKIPPED and (tmp_path / "real" / "x.jpg").exists()


@pytest.mark.parametrize("mode", MODES)
def test_changed_vanished_and_locked_are_reported_and_the_rest_goes(
    env: TrashEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    root = tmp_path / "photos"
    names = ["keep.jpg", "changed.jpg", "touched.jpg", "gone.jpg", "locked/ro.jpg", "ok.jpg"]
    paths = dict(zip(names, write_files(root, names), strict=True))
    summaries = {name: summary_of(path) for name, path in paths.items()}
    plan = plan_deletion(
        [summaries[name] for name in names[1:]],
        [cluster_of(summaries.values())],
        mode=mode,
        root=root,
        move_to=tmp_path / "dupes",
    )
    paths["changed.jpg"].write_bytes(b"edited after the scan, another size")
    info = paths["touched.jpg"].stat()  # same size, newer time: an editor saved it again
    os.utime(paths["touched.jpg"], ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    paths["gone.jpg"].unlink()
    with monkeypatch.context() as patch:
        fail_for(patch, root / "locked")
        report = execute(plan, journal=env.journal)
    (root / "locked").chmod(0o755)
    outcome = {r.path.name: (r.outcome, r.reason) for r in report.results}
    assert outcome["changed.jpg"][0] is outcome["touched.jpg"][0] is Outcome.SKIPPED
    assert outcome["changed.jpg"][1].startswith(CHANGED)
    assert outcome["gone.jpg"] == (Outcome.SKIPPED, VANISHED)
    assert outcome["ro.jpg"] == (Outcome.FAILED, "permission denied on the photo's folder")
    assert outcome["ok.jpg"] == (DONE[mode], "")
    for name in ("keep.jpg", "changed.jpg", "touched.jpg", "locked/ro.jpg"):
        assert paths[name].exists(), name
    assert report.bytes_freed == summaries["ok.jpg"].size


@pytest.mark.parametrize("mode", ["trash", "delete"])
def test_a_read_only_file_system_is_named(
    env: TrashEnv, photos: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    with monkeypatch.context() as patch:
        fail_for(patch, photos, errno.EROFS)
        (result,) = run(photos, ["b.jpg"], env, mode).results
    photos.chmod(0o755)
    assert (result.outcome, result.reason) == (Outcome.FAILED, "read-only file system")
    assert (photos / "b.jpg").exists()
    assert not (env.trash / "info").exists() or not os.listdir(env.trash / "info")


def test_a_trash_folder_that_refuses_is_told_apart_and_nothing_is_deleted(
    env: TrashEnv, photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (env.trash / "info").mkdir(parents=True)
    (env.trash / "files").mkdir()
    before = snapshot(photos)
    with monkeypatch.context() as patch:
        fail_for(patch, env.trash / "info")
        (result,) = run(photos, ["b.jpg"], env).results
    (env.trash / "info").chmod(0o700)
    assert (result.outcome, result.reason) == (
        Outcome.FAILED,
        "permission denied on the trash folder",
    )
    assert snapshot(photos) == before
    assert os.listdir(env.trash / "files") == []


def test_no_home_folder_is_not_a_vanished_file(
    env: TrashEnv, photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(photos.parent / "no-such-home"))
    before = snapshot(photos)
    (result,) = run(photos, ["b.jpg"], env).results
    assert result.outcome is Outcome.FAILED
    assert result.reason.startswith("no usable home folder for the trash")
    assert snapshot(photos) == before


def test_a_name_whose_data_has_another_hard_link_frees_nothing(env: TrashEnv, photos: Path) -> None:
    os.link(photos / "b.jpg", photos.parent / "elsewhere.jpg")  # e.g. a backup tool's tree
    report = run(photos, ["b.jpg"], env, "delete")
    assert report.results[0].outcome is Outcome.DELETED
    assert report.bytes_freed == 0 and report.results[0].space_kept
    assert (photos.parent / "elsewhere.jpg").exists()


def test_whole_cluster_refused_without_confirmation(env: TrashEnv, photos: Path) -> None:
    d, e, b = (summary_of(photos / n) for n in ("d.jpg", "e.jpg", "b.jpg"))
    clusters = [cluster_of([d, e]), cluster_of([summary_of(photos / "a.jpg"), b])]
    report = execute(plan_deletion([d, e, b], clusters, root=photos), journal=env.journal)
    assert [r.path.name for r in report.results] == ["b.jpg"]
    assert (photos / "d.jpg").exists() and (photos / "e.jpg").exists()


def test_cancel_stops_between_files(env: TrashEnv, photos: Path) -> None:
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, result: deletion.FileResult) -> None:
        seen.append((done, total))
        cancel.set()

    names = ["a.jpg", "b.jpg", "d.jpg"]
    plan = plan_deletion([summary_of(photos / n) for n in names], [], root=photos)
    report = execute(plan, journal=env.journal, on_progress=progress, cancel=cancel)
    assert seen == [(1, 3)]
    assert report.status is BatchStatus.STOPPED
    assert [p.name for p in report.not_attempted] == ["b.jpg", "d.jpg"]
    assert (photos / "b.jpg").exists() and (photos / "d.jpg").exists()
    assert journal_lines(env.journal)[-1] == {**journal_lines(env.journal)[-1], "status": "stopped"}


def test_unwritable_journal_stops_before_any_file(env: TrashEnv, photos: Path) -> None:
    (photos.parent / "state-file").write_bytes(b"a file where the journal's folder should be")
    journal = Journal(photos.parent / "state-file" / "journal")
    before = snapshot(photos)
    with pytest.raises(JournalError):
        execute(plan_deletion([summary_of(photos / "b.jpg")], [], root=photos), journal=journal)
    assert snapshot(photos) == before


class FullDisk(BatchWriter):
    """A journal whose disk fills after `room` writes: a write then fails with ENOSPC, after
    writing half of its line (a torn line)."""

    room = 4

    def write_bytes(self, data: memoryview) -> int:
        FullDisk.room -= 1
        if FullDisk.room < 0:
            if FullDisk.room == -1:
                super().write_bytes(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write_bytes(data)


def test_a_full_disk_under_the_journal_stops_the_batch_before_the_next_file(
    env: TrashEnv, photos: Path, tmp_path: Path
) -> None:
    """Header, intent 0, outcome 0, intent 1 fit; outcome 1 tears; nothing after is touched,
    and the torn line never harms the next batch or the undo."""
    FullDisk.room = 4
    journal = Journal(tmp_path / "state" / "journal", writer=FullDisk)
    names = ["a.jpg", "b.jpg", "d.jpg", "e.jpg"]
    plan = plan_deletion([summary_of(photos / n) for n in names], [], root=photos)
    report = execute(plan, journal=journal)
    assert report.status is BatchStatus.FAILED and "no space left" in report.error
    assert [r.outcome for r in report.results] == [Outcome.TRASHED, Outcome.TRASHED]
    assert (photos / "d.jpg").exists() and (photos / "e.jpg").exists()
    assert [p.name for p in report.not_attempted] == ["d.jpg", "e.jpg"]

    FullDisk.room = 10**6  # space again: the next run closes the torn batch truthfully
    from simdup_tui.core.undo import undo_batch

    undo = undo_batch(journal)
    assert undo.batch == report.batch and undo.complete
    assert sorted(r.path.name for r in undo.restored) == ["a.jpg", "b.jpg"]
    assert (photos / "a.jpg").exists() and (photos / "b.jpg").exists()


def test_an_unexpected_error_is_journalled_as_the_batch_end_and_raised(
    env: TrashEnv, photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("something no one planned for")
        return real(*args, **kwargs)

    real = deletion.act_on
    monkeypatch.setattr(deletion, "act_on", broken)
    with pytest.raises(RuntimeError):
        run(photos, ["a.jpg", "b.jpg", "d.jpg"], env)
    end = journal_lines(env.journal)[-1]
    assert end["kind"] == "end" and end["status"] == "failed"
    assert "something no one planned for" in end["reason"]
    assert (photos / "b.jpg").exists() and (photos / "d.jpg").exists()


# The property: whatever is marked, whatever fails, no unmarked file is ever touched.

NAMES = ["a.jpg", "b.jpg", "c.png", "x/a.jpg", "x/d.jpg", "x/y/e.jpg", "z/a.jpg", "z/f.heic"]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    chosen=st.lists(st.sampled_from(NAMES), min_size=1, unique=True),
    data=st.data(),
    mode=st.sampled_from(list(DeletionMode)),
    allow_whole=st.booleans(),
)
def test_no_unmarked_file_is_ever_touched(
    chosen: list[str], data: st.DataObject, mode: DeletionMode, allow_whole: bool
) -> None:
    marks = data.draw(st.sets(st.sampled_from(chosen)), label="marks")
    groups = data.draw(st.lists(st.integers(0, 2), min_size=len(chosen), max_size=len(chosen)))
    fate = st.sampled_from(["as scanned"] * 6 + ["changed", "vanished", "taken", "swapped"])
    fates = dict(zip(chosen, data.draw(st.lists(fate, min_size=len(chosen))), strict=False))
    locked = data.draw(st.sets(st.sampled_from(["x", "z"]), max_size=1), label="failing folder")
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as monkeypatch:
        tmp = Path(folder)
        env = point_trash_into(monkeypatch, tmp)
        root = tmp / "photos"
        paths = dict(zip(chosen, write_files(root, chosen), strict=True))
        summaries = {name: summary_of(path) for name, path in paths.items()}
        clusters = []
        for group in range(3):
            members = [summaries[n] for n, g in zip(chosen, groups, strict=True) if g == group]
            if len(members) > 1:
                clusters.append(cluster_of(members))
        move_to = tmp / "dupes"
        plan = plan_deletion(
            [summaries[n] for n in chosen if n in marks],
            clusters,
            mode=mode,
            root=root,
            move_to=move_to,
            allow_whole_clusters=allow_whole,
        )
        for name, what in fates.items():
            if what == "changed":
                paths[name].write_bytes(b"changed")
            elif what == "vanished":
                paths[name].unlink()
            elif what == "taken":
                (move_to / name).parent.mkdir(parents=True, exist_ok=True)
                (move_to / name).write_bytes(b"taken")
            elif what == "swapped":  # same size and mtime, another inode
                info = paths[name].stat()
                paths[name].unlink()
                paths[name].write_bytes(b"S" * info.st_size)
                os.utime(paths[name], ns=(info.st_atime_ns, info.st_mtime_ns))
        before = snapshot(root)
        for name in locked:
            if (root / name).is_dir():
                fail_for(monkeypatch, root / name)
        report = execute(plan, journal=env.journal)
        for name in locked:
            if (root / name).is_dir():
                (root / name).chmod(0o755)
        monkeypatch.undo()
        after = snapshot(root)
        removed = {r.path for r in report.results if r.removed}
        assert removed <= {s.path for s in plan.files} <= {paths[n] for n in marks}
        for name, digest in before.items():
            if root / name in removed:
                assert name not in after
                assert fates[name] in ("as scanned", "taken")
            else:
                assert after.get(name) == digest, f"{name} was touched"
        for name, what in fates.items():
            if what == "taken":
                assert (move_to / name).read_bytes() == b"taken"
        if not allow_whole:
            whole = {m.summary.path for c in plan.whole_clusters for m in c.members}
            assert not (whole & removed)
        event(f"{mode}: {len(removed)} removed, {len(report.problems)} problems")


def test_files_of_every_scanned_folder_are_reached_from_their_own_folder(
    env: TrashEnv, tmp_path: Path
) -> None:
    """Several folders in one run: a file is checked from the folder it was scanned in."""
    archive, new = tmp_path / "archive", tmp_path / "import"
    write_files(archive, ["x.jpg"])
    write_files(new, ["sub/y.jpg"])
    plan = plan_deletion(
        [summary_of(archive / "x.jpg"), summary_of(new / "sub/y.jpg")],
        [],
        root=archive,
        roots=(archive, new),
    )
    report = execute(plan, journal=env.journal)
    assert [r.outcome for r in report.results] == [Outcome.TRASHED, Outcome.TRASHED]
    (tmp_path / "elsewhere.jpg").write_bytes(b"not in a scanned folder")
    alone = plan_deletion([summary_of(tmp_path / "elsewhere.jpg")], [], root=archive)
    (outside,) = execute(alone, journal=env.journal).results
    assert outside.outcome is Outcome.SKIPPED and outside.reason == "outside the scanned folder"
