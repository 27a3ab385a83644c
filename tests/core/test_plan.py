"""Planning a batch: what is marked, checked, whole clusters and protected files refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simdup_tui.core.errors import SimdupError
from simdup_tui.core.humanize import format_bytes
from simdup_tui.core.plan import DeletionMode, check_move_to, check_move_to_folders, plan_deletion

from .deletion_helpers import cluster_of, summary_of, write_files


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


def marked(clusters: list, names: list[str], root: Path) -> list:
    wanted = {root / name for name in names}
    return [m.summary for c in clusters for m in c.members if m.summary.path in wanted]


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

    confirmed = plan.with_whole_clusters()
    assert {s.path.name for s in confirmed.files} == {"b.jpg", "d.jpg", "e.jpg"}
    assert confirmed.cluster_count == 2 and confirmed.left_out == ()
    assert confirmed.with_whole_clusters(False).files == plan.files


def test_plan_needs_a_folder_to_move_to(photos: Path) -> None:
    with pytest.raises(ValueError):
        plan_deletion([], [], mode="move", root=photos)


@pytest.mark.parametrize("as_predicate", [False, True])
def test_a_protected_file_is_refused_even_when_marked(photos: Path, as_predicate: bool) -> None:
    clusters = clusters_of(photos)
    keep = photos / "b.jpg"
    protected = (lambda path: path == keep) if as_predicate else {keep}
    plan = plan_deletion(
        marked(clusters, ["b.jpg", "sub/c.jpg"], photos),
        clusters,
        root=photos,
        mode=DeletionMode.DELETE,
        protected=protected,
    )
    assert [s.path.name for s in plan.files] == ["c.jpg"]
    assert [s.path for s in plan.protected] == [keep]
    # Still refused after the second confirmation (the plan rebuilds itself with it).
    again = plan.with_whole_clusters()
    assert keep not in {s.path for s in again.files}
    assert [s.path for s in again.protected] == [keep]


def test_protected_files_do_not_count_towards_a_whole_cluster(photos: Path) -> None:
    """d protected, d and e marked: e is not the last copy (d stays), so e may go."""
    clusters = clusters_of(photos)
    plan = plan_deletion(
        marked(clusters, ["d.jpg", "e.jpg"], photos),
        clusters,
        root=photos,
        protected={photos / "d.jpg"},
    )
    assert [s.path.name for s in plan.files] == ["e.jpg"] and plan.whole_clusters == ()


def test_no_file_is_protected_by_default(photos: Path) -> None:
    clusters = clusters_of(photos)
    plan = plan_deletion(marked(clusters, ["b.jpg"], photos), clusters, root=photos)
    assert plan.protected == () and [s.path.name for s in plan.files] == ["b.jpg"]


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


def test_move_to_a_folder_holding_the_scanned_one_is_refused_when_recursive(
    tmp_path: Path,
) -> None:
    scanned = tmp_path / "photos"
    scanned.mkdir()
    with pytest.raises(SimdupError, match="holds the folder scanned"):
        check_move_to(tmp_path, scanned, recursive=True)
    assert check_move_to(tmp_path / "elsewhere", scanned, recursive=True).name == "elsewhere"


def test_move_to_with_several_folders_refuses_a_numbered_folder_that_is_scanned(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "photos", tmp_path / "out" / "2"
    write_files(first, ["a.jpg"])
    write_files(second, ["b.jpg"])
    with pytest.raises(SimdupError, match="files of folder 2 would go into"):
        check_move_to_folders(tmp_path / "out", (first, second))  # out/2 is the second folder
    write_files(tmp_path / "out" / "1", ["c.jpg"])
    with pytest.raises(SimdupError, match="files of folder 1 would go into"):
        check_move_to_folders(tmp_path / "out", (first, tmp_path / "out" / "1"))
    assert check_move_to_folders(tmp_path / "elsewhere", (first, second)).name == "elsewhere"


def test_a_numbered_destination_that_is_a_file_is_refused_before_anything_is_marked(
    tmp_path: Path,
) -> None:
    """out/1 a file: every move of folder 1 failed at the end with "cannot make the folder"."""
    first, second = tmp_path / "first", tmp_path / "second"
    write_files(first, ["a.jpg"])
    write_files(second, ["b.jpg"])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "1").write_text("not a folder")
    with pytest.raises(SimdupError, match=r"files of folder 1 would go into .*out/1, not a folder"):
        check_move_to_folders(tmp_path / "out", (first, second))


def test_a_move_to_on_a_read_only_drive_says_read_only_not_permission_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found trying it on a tmpfs mounted read-only: the message blamed permissions."""
    photos = tmp_path / "photos"
    write_files(photos, ["a.jpg"])
    (tmp_path / "out").mkdir()
    real_statvfs = os.statvfs

    class ReadOnly:
        def __init__(self, path: str) -> None:
            self.f_flag = real_statvfs(path).f_flag | os.ST_RDONLY

    monkeypatch.setattr(os, "access", lambda *_args, **_kwargs: False)
    monkeypatch.setattr(os, "statvfs", ReadOnly)
    with pytest.raises(SimdupError, match=r"cannot write into .*out \(read-only drive\)"):
        check_move_to(tmp_path / "out", photos)
    with pytest.raises(SimdupError, match=r"cannot make .*new \(read-only drive\)"):
        check_move_to(tmp_path / "new", photos)


def test_a_move_to_on_the_photos_drive_frees_nothing_and_says_so(photos: Path) -> None:
    """Moved within one drive, a file still takes its space: the plan never claims it frees it
    (promise 2), and the confirmation says why."""
    from dataclasses import replace

    from simdup_tui.ui.wording import destination_note

    clusters = clusters_of(photos)
    chosen = marked(clusters, ["b.jpg", "sub/c.jpg"], photos)
    size = sum(summary.size for summary in chosen)
    moved = plan_deletion(chosen, clusters, mode="move", root=photos, move_to=photos.parent / "x")
    assert moved.destination_device == photos.stat().st_dev  # "x" is not made yet: its parent
    assert moved.total_bytes == size and moved.same_drive_bytes == size
    assert moved.freed_bytes == 0
    assert f"{format_bytes(size)} stay taken until you delete them there" in destination_note(moved)
    elsewhere = [replace(summary, device=summary.device + 1) for summary in chosen[:1]]
    mixed = plan_deletion(
        elsewhere + chosen[1:], clusters, mode="move", root=photos, move_to=photos.parent / "x"
    )
    assert mixed.freed_bytes == chosen[0].size and "same drive as some" in destination_note(mixed)
    trashed = plan_deletion(chosen, clusters, root=photos)
    assert trashed.freed_bytes == size and trashed.same_drive_bytes == 0
