"""Deletion on real temporary folders: only marked files go, and every outcome is told truly."""

from __future__ import annotations

import errno
import json
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

import pytest
import send2trash
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from simdup_tui.core import deletion
from simdup_tui.core import trash as trash_module
from simdup_tui.core.deletion import (
    CHANGED,
    VANISHED,
    DeletionMode,
    Outcome,
    check_move_to,
    execute,
    plan_deletion,
)
from simdup_tui.core.errors import SimdupError
from simdup_tui.core.journal import Journal, JournalError

from .deletion_helpers import (
    TrashEnv,
    cluster_of,
    point_trash_into,
    snapshot,
    summary_of,
    write_files,
)


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """Two clusters, {a, b, sub/c} and {d, e}, plus a file f in no cluster."""
    root = tmp_path / "photos"
    write_files(root, ["a.jpg", "b.jpg", "sub/c.jpg", "d.jpg", "e.jpg", "f.jpg"])
    return root


def clusters_of(root: Path) -> list:
    return [
        cluster_of(summary_of(root / name) for name in ("a.jpg", "b.jpg", "sub/c.jpg")),
        cluster_of(summary_of(root / name) for name in ("d.jpg", "e.jpg")),
    ]


def marked(clusters: list, names: Iterable[str], root: Path) -> list:
    wanted = {root / name for name in names}
    return [m.summary for c in clusters for m in c.members if m.summary.path in wanted]


def journal_lines(journal: Journal) -> list[dict]:
    return [json.loads(line) for line in journal.path.read_text().splitlines()]


def fail_for(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int = errno.EACCES) -> None:
    """Make renames, links and unlinks of anything in folder fail, as a read-only folder does.

    Tests run as root in CI, and chmod does not stop root, so the folder is also made read-only
    for real (which is what stops an ordinary user) and the system calls are wrapped for root.
    """
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return
    real = {name: getattr(os, name) for name in ("rename", "link", "unlink")}

    def wrap(name: str):
        def call(source, *args, **kwargs):
            if Path(os.fsdecode(source)).parent == folder:
                raise OSError(code, os.strerror(code), os.fsdecode(source))
            return real[name](source, *args, **kwargs)

        return call

    for name in real:
        monkeypatch.setattr(os, name, wrap(name))


def test_plan_counts_files_bytes_clusters_and_refuses_whole_clusters(photos: Path) -> None:
    clusters = clusters_of(photos)
    plan = plan_deletion(
        marked(clusters, ["b.jpg", "d.jpg", "e.jpg"], photos), clusters, root=photos
    )
    assert [s.path.name for s in plan.files] == ["b.jpg"]
    assert plan.total_bytes == (photos / "b.jpg").stat().st_size
    assert plan.cluster_count == 1
    assert [c.keeper.path.name for c in plan.whole_clusters] == ["d.jpg"]
    assert {s.path.name for s in plan.left_out} == {"d.jpg", "e.jpg"}
    assert plan.destination_text() == "to the trash"

    confirmed = plan.with_whole_clusters()
    assert {s.path.name for s in confirmed.files} == {"b.jpg", "d.jpg", "e.jpg"}
    assert confirmed.cluster_count == 2 and confirmed.left_out == ()
    assert confirmed.with_whole_clusters(False).files == plan.files


def test_plan_needs_a_folder_to_move_to(photos: Path) -> None:
    with pytest.raises(ValueError):
        plan_deletion([], [], mode="move", root=photos)


def test_trash_removes_only_marked_files_into_the_trash_with_trashinfo(
    env: TrashEnv, photos: Path
) -> None:
    clusters = clusters_of(photos)
    before = snapshot(photos)
    plan = plan_deletion(marked(clusters, ["b.jpg", "sub/c.jpg"], photos), clusters, root=photos)
    report = execute(plan, journal=env.journal)

    assert [r.outcome for r in report.results] == [Outcome.TRASHED, Outcome.TRASHED]
    after = snapshot(photos)
    assert set(before) - set(after) == {"b.jpg", "sub/c.jpg"}
    assert all(after[name] == before[name] for name in after)
    for result in report.results:
        assert result.destination is not None and result.trash_info is not None
        assert result.destination.parent == env.trash / "files"
        assert result.trash_info.parent == env.trash / "info"
        info = result.trash_info.read_text()
        assert info.startswith("[Trash Info]\n")
        path_line = next(line for line in info.splitlines() if line.startswith("Path="))
        assert Path(unquote(path_line[5:])) == result.path
    trashed = snapshot(env.trash / "files")
    assert sorted(trashed.values()) == sorted([before["b.jpg"], before["sub/c.jpg"]])
    assert report.bytes_freed == plan.total_bytes
    assert report.summary_text().startswith("2 files to the trash")

    lines = journal_lines(env.journal)
    assert [(line["path"], line["action"]) for line in lines] == [
        (str(photos / "b.jpg"), "trashed"),
        (str(photos / "sub/c.jpg"), "trashed"),
    ]
    assert {line["batch"] for line in lines} == {report.batch}
    assert all(line["trash_info"].endswith(".trashinfo") and line["time"] for line in lines)


def test_same_name_twice_gets_the_right_trashinfo(env: TrashEnv, tmp_path: Path) -> None:
    """Two b.jpg from different folders: the second is `b 1.jpg` in the trash, found as such."""
    root = tmp_path / "photos"
    paths = write_files(root, ["x/b.jpg", "y/b.jpg"])
    plan = plan_deletion([summary_of(p) for p in paths], [], root=root)
    report = execute(plan, journal=env.journal)
    assert [r.trash_info.name for r in report.results] == ["b.jpg.trashinfo", "b 1.jpg.trashinfo"]
    assert [r.destination.name for r in report.results] == ["b.jpg", "b 1.jpg"]


def test_move_keeps_relative_paths_and_never_overwrites(
    env: TrashEnv, photos: Path, tmp_path: Path
) -> None:
    clusters = clusters_of(photos)
    before = snapshot(photos)
    target = tmp_path / "dupes"
    (target / "sub").mkdir(parents=True)
    (target / "sub" / "c.jpg").write_bytes(b"already here")
    plan = plan_deletion(
        marked(clusters, ["b.jpg", "sub/c.jpg"], photos),
        clusters,
        mode="move",
        root=photos,
        move_to=target,
    )
    assert plan.destination_text() == f"moved to {target}"
    report = execute(plan, journal=env.journal)

    moved, taken = report.results
    assert moved.outcome is Outcome.MOVED and moved.destination == target / "b.jpg"
    assert snapshot(target)["b.jpg"] == before["b.jpg"]
    assert taken.outcome is Outcome.FAILED and taken.reason.startswith("destination taken")
    assert (target / "sub" / "c.jpg").read_bytes() == b"already here"
    after = snapshot(photos)
    assert set(before) - set(after) == {"b.jpg"}
    assert all(after[name] == before[name] for name in after)
    assert [line["action"] for line in journal_lines(env.journal)] == ["moved", "failed"]


def test_delete_permanently(env: TrashEnv, photos: Path) -> None:
    clusters = clusters_of(photos)
    before = snapshot(photos)
    plan = plan_deletion(
        marked(clusters, ["a.jpg", "e.jpg"], photos), clusters, mode="delete", root=photos
    )
    assert "cannot be undone" in plan.destination_text()
    report = execute(plan, journal=env.journal)
    assert [r.outcome for r in report.results] == [Outcome.DELETED, Outcome.DELETED]
    after = snapshot(photos)
    assert set(before) - set(after) == {"a.jpg", "e.jpg"}
    assert all(after[name] == before[name] for name in after)
    assert not env.trash.exists()
    assert [line["action"] for line in journal_lines(env.journal)] == ["deleted", "deleted"]


@pytest.mark.parametrize("mode", ["trash", "move", "delete"])
def test_changed_vanished_and_read_only_are_reported_and_the_rest_goes(
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
    stat = paths["touched.jpg"].stat()  # same size, newer time: an editor saved it again
    os.utime(paths["touched.jpg"], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    paths["gone.jpg"].unlink()
    fail_for(monkeypatch, root / "locked")
    try:
        report = execute(plan, journal=env.journal)
    finally:
        (root / "locked").chmod(0o755)

    outcome = {r.path.name: (r.outcome, r.reason) for r in report.results}
    done = {"trash": Outcome.TRASHED, "move": Outcome.MOVED, "delete": Outcome.DELETED}[mode]
    assert outcome == {
        "changed.jpg": (Outcome.SKIPPED, CHANGED),
        "touched.jpg": (Outcome.SKIPPED, CHANGED),
        "gone.jpg": (Outcome.SKIPPED, VANISHED),
        "ro.jpg": (Outcome.FAILED, "permission denied"),
        "ok.jpg": (done, ""),
    }
    assert not paths["ok.jpg"].exists()
    for name in ("keep.jpg", "changed.jpg", "touched.jpg", "locked/ro.jpg"):
        assert paths[name].exists(), name
    assert paths["changed.jpg"].read_bytes() == b"edited after the scan, another size"
    assert report.bytes_freed == summaries["ok.jpg"].size
    lines = journal_lines(env.journal)
    assert [(Path(line["path"]).name, line["action"]) for line in lines] == [
        ("changed.jpg", "skipped"),
        ("touched.jpg", "skipped"),
        ("gone.jpg", "skipped"),
        ("ro.jpg", "failed"),
        ("ok.jpg", str(done)),
    ]
    assert lines[0]["reason"] == CHANGED and lines[3]["reason"] == "permission denied"


def test_read_only_file_system_is_named(
    env: TrashEnv, photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_for(monkeypatch, photos, errno.EROFS)
    try:
        plan = plan_deletion([summary_of(photos / "b.jpg")], [], mode="delete", root=photos)
        (result,) = execute(plan, journal=env.journal).results
    finally:
        photos.chmod(0o755)
    assert (result.outcome, result.reason) == (Outcome.FAILED, "read-only file system")
    assert (photos / "b.jpg").exists()


def test_a_folder_replaced_by_a_file_counts_as_vanished(env: TrashEnv, photos: Path) -> None:
    """A way to break a path that works even for root: its folder is now a plain file."""
    plan = plan_deletion([summary_of(photos / "sub/c.jpg")], [], root=photos)
    (photos / "sub/c.jpg").unlink()
    (photos / "sub").rmdir()
    (photos / "sub").write_bytes(b"not a folder")
    (result,) = execute(plan, journal=env.journal).results
    assert result.outcome is Outcome.SKIPPED
    assert result.reason.startswith("cannot check it") or result.reason == VANISHED


def test_trash_unavailable_fails_and_never_deletes_instead(
    env: TrashEnv, photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_trash(path: str) -> None:
        raise send2trash.TrashPermissionError(path)

    monkeypatch.setattr(send2trash, "send2trash", no_trash)
    before = snapshot(photos)
    plan = plan_deletion([summary_of(photos / "b.jpg")], [], root=photos)
    (result,) = execute(plan, journal=env.journal).results
    assert result.outcome is Outcome.FAILED
    assert result.reason.startswith("trash unavailable")
    assert snapshot(photos) == before


def test_whole_cluster_refused_without_confirmation_and_done_with_it(
    env: TrashEnv, photos: Path
) -> None:
    clusters = clusters_of(photos)
    whole = marked(clusters, ["d.jpg", "e.jpg", "b.jpg"], photos)
    report = execute(plan_deletion(whole, clusters, root=photos), journal=env.journal)
    assert [r.path.name for r in report.results] == ["b.jpg"]
    assert (photos / "d.jpg").exists() and (photos / "e.jpg").exists()

    plan = plan_deletion(
        marked(clusters, ["d.jpg", "e.jpg"], photos),
        clusters,
        root=photos,
        allow_whole_clusters=True,
    )
    report = execute(plan, journal=env.journal)
    assert [r.outcome for r in report.results] == [Outcome.TRASHED, Outcome.TRASHED]
    assert not (photos / "d.jpg").exists() and not (photos / "e.jpg").exists()


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
    assert report.cancelled and [p.name for p in report.not_attempted] == ["b.jpg", "d.jpg"]
    assert (photos / "b.jpg").exists() and (photos / "d.jpg").exists()
    assert len(journal_lines(env.journal)) == 1
    assert "stopped" in report.summary_text()


def test_unwritable_journal_stops_before_any_file(env: TrashEnv, photos: Path) -> None:
    (photos / "state").write_bytes(b"a file where the journal's folder should be")
    journal = Journal(photos / "state" / "journal.jsonl")
    before = snapshot(photos)
    with pytest.raises(JournalError):
        execute(plan_deletion([summary_of(photos / "b.jpg")], [], root=photos), journal=journal)
    assert snapshot(photos) == before


def test_default_journal_follows_simdup_state_dir(env: TrashEnv, photos: Path, tmp_path) -> None:
    report = execute(plan_deletion([summary_of(photos / "b.jpg")], [], root=photos))
    assert report.journal_path == tmp_path / "state" / "journal.jsonl"
    assert report.journal_path.exists()


def test_move_to_is_checked_at_start_and_made_only_when_used(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    write_files(root, ["a.jpg"])
    assert check_move_to(tmp_path / "new", root) == tmp_path / "new"
    assert not (tmp_path / "new").exists()  # made at the first move, not before
    assert check_move_to(root / "dupes", root) == root / "dupes"
    refused = {
        "no such folder": (tmp_path / "typo" / "deeper", False),
        "not a folder": (root / "a.jpg", False),
        "being scanned": (root, False),
        "--recursive": (root / "dupes", True),
    }
    for words, (folder, recursive) in refused.items():
        with pytest.raises(SimdupError, match=words):
            check_move_to(folder, root, recursive=recursive)


# The property: whatever is marked, whatever fails, no unmarked file is ever touched.

NAMES = ["a.jpg", "b.jpg", "c.png", "x/a.jpg", "x/d.jpg", "x/y/e.jpg", "z/a.jpg", "z/f.heic"]


@settings(
    max_examples=100,
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
    fate = st.sampled_from(["as scanned"] * 6 + ["changed", "vanished", "taken"])
    fates = dict(zip(chosen, data.draw(st.lists(fate, min_size=len(chosen))), strict=False))
    changed = {name for name, what in fates.items() if what == "changed"}
    vanished = {name for name, what in fates.items() if what == "vanished"}
    taken = {name for name, what in fates.items() if what == "taken"}
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
        for name in taken:
            (move_to / name).parent.mkdir(parents=True, exist_ok=True)
            (move_to / name).write_bytes(b"taken")
        plan = plan_deletion(
            [summaries[n] for n in chosen if n in marks],
            clusters,
            mode=mode,
            root=root,
            move_to=move_to,
            allow_whole_clusters=allow_whole,
        )
        for name in changed - vanished:
            paths[name].write_bytes(b"changed")
        for name in vanished:
            paths[name].unlink()
        before = snapshot(root)
        for name in locked:
            if (root / name).is_dir():
                fail_for(monkeypatch, root / name)
        try:
            report = execute(plan, journal=env.journal)
        finally:
            for name in locked:
                if (root / name).is_dir():
                    (root / name).chmod(0o755)
        after = snapshot(root)

        removed = {r.path for r in report.results if r.removed}
        planned = {s.path for s in plan.files}
        assert removed <= planned <= {paths[n] for n in marks}
        for name, digest in before.items():
            if root / name in removed:
                assert name not in after
            else:
                assert after.get(name) == digest, f"{name} was touched"
        assert len(journal_lines(env.journal)) == len(report.results) == len(plan.files)
        for name in taken:
            assert (move_to / name).read_bytes() == b"taken"
        event(f"{mode}: {len(removed)} removed, {len(report.problems)} problems")
        whole_paths = {m.summary.path for c in plan.whole_clusters for m in c.members}
        if not allow_whole:
            assert not (whole_paths & removed)


def test_a_trash_that_cannot_be_read_back_still_counts_as_trashed(
    env: TrashEnv, photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once send2trash returned, the file IS in the trash: never report it as failed."""

    def unreadable(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(trash_module, "entry_for", unreadable)
    monkeypatch.setattr(trash_module, "find_in_trash", unreadable)
    plan = plan_deletion([summary_of(photos / "b.jpg")], [], root=photos)
    (result,) = execute(plan, journal=env.journal).results
    assert result.outcome is Outcome.TRASHED
    assert not (photos / "b.jpg").exists()
    assert (env.trash / "files" / "b.jpg").exists()


def test_move_to_a_folder_holding_the_scanned_one_is_refused_when_recursive(
    tmp_path: Path,
) -> None:
    scanned = tmp_path / "photos"
    scanned.mkdir()
    with pytest.raises(SimdupError, match="holds the folder scanned"):
        check_move_to(tmp_path, scanned, recursive=True)
    assert check_move_to(tmp_path / "elsewhere", scanned, recursive=True).name == "elsewhere"


def test_a_name_whose_data_has_another_hard_link_frees_nothing(env: TrashEnv, photos: Path) -> None:
    os.link(photos / "b.jpg", photos.parent / "elsewhere.jpg")  # e.g. a backup tool's tree
    plan = plan_deletion([summary_of(photos / "b.jpg")], [], root=photos, mode="delete")
    report = execute(plan, journal=env.journal)
    assert report.results[0].outcome is Outcome.DELETED
    assert report.bytes_freed == 0
    assert "had another name (no space freed" in report.summary_text()
    assert (photos.parent / "elsewhere.jpg").exists()
