"""Several folders, protected paths, names of one file, identical copies: through the core."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.errors import SimdupError
from simdup_tui.core.folders import check_protected, scan_folders
from simdup_tui.core.identical import ContentHashes, label_identical
from simdup_tui.core.keeper import KeeperRules
from simdup_tui.core.plan import plan_deletion
from simdup_tui.core.review import Review


@pytest.fixture
def two_folders(make_photo, tmp_path: Path) -> tuple[Path, Path]:
    make_photo("archive/2019/beach.jpg", seed=1, size=(640, 480), quality=92)
    make_photo("archive/2019/forest.jpg", seed=2)
    make_photo("import/beach.jpg", seed=1, size=(640, 480), quality=60)
    make_photo("import/new.jpg", seed=3)
    old = 1_500_000_000
    os.utime(tmp_path / "archive/2019/beach.jpg", (old, old))
    return tmp_path / "archive", tmp_path / "import"


def test_several_folders_are_compared_and_named_relative_to_their_own(two_folders) -> None:
    archive, new_import = two_folders
    result = scan_folders([new_import, archive], recursive=True)
    assert result.folders == (new_import, archive)
    assert sorted(result.relative(s.path) for s in result.summaries) == [
        "2019/beach.jpg",
        "2019/forest.jpg",
        "beach.jpg",
        "new.jpg",
    ]
    [cluster] = find_duplicates(result.summaries).clusters
    assert cluster.keeper.path == archive / "2019/beach.jpg"  # oldest


def test_the_same_folder_twice_or_nested_is_scanned_once(two_folders) -> None:
    archive, _ = two_folders
    result = scan_folders([archive, archive / "2019", archive], recursive=True)
    assert len(result.summaries) == 2 and result.errors == ()
    assert find_duplicates(result.summaries).clusters == ()


def test_protect_must_be_inside_a_scanned_folder(two_folders, tmp_path: Path) -> None:
    archive, new_import = two_folders
    assert check_protected([archive / "2019"], (archive, new_import)) == (archive / "2019",)
    assert check_protected([str(archive)], (archive,)) == (archive,)
    with pytest.raises(SimdupError, match="not inside a folder being scanned"):
        check_protected([tmp_path], (archive, new_import))
    with pytest.raises(SimdupError, match="no such file or folder"):
        check_protected([archive / "nope"], (archive,))


def test_protected_photos_are_kept_and_the_plan_refuses_them(two_folders) -> None:
    archive, new_import = two_folders
    protected = (new_import,)
    result = scan_folders([archive, new_import], recursive=True)
    rules = KeeperRules(protected=protected)
    [cluster] = find_duplicates(result.summaries, rules=rules).clusters
    # Preferred as keeper even though the archive's copy is older and larger.
    assert cluster.keeper.path == new_import / "beach.jpg"
    assert cluster.why == "protected"
    # Marked anyway by a code path that does not ask the review: the plan still refuses it.
    guarded = cluster.keeper
    plan = plan_deletion(
        [guarded, cluster.others[0].summary], [cluster], root=archive, protected=protected
    )
    assert [s.path for s in plan.files] == [archive / "2019/beach.jpg"]
    assert [s.path for s in plan.protected] == [guarded.path]
    # Even without the list of protected paths, a protected member is refused.
    plan = plan_deletion([guarded], [cluster], root=archive)
    assert plan.files == () and plan.protected == (guarded,)
    # A predicate works too, and the plan rebuilt after a second confirmation still refuses.
    plan = plan_deletion([guarded], [], root=archive, protected=lambda p: p == guarded.path)
    assert plan.files == () and plan.with_whole_clusters().files == ()


def test_hard_links_are_one_photo_with_another_name_and_free_nothing(
    make_photo, tmp_path: Path
) -> None:
    make_photo("album/beach.jpg", seed=1, size=(640, 480), quality=92)
    make_photo("album/beach_resaved.jpg", seed=1, size=(640, 480), quality=60)
    os.link(tmp_path / "album/beach_resaved.jpg", tmp_path / "album/z_link.jpg")
    result = scan_folders([tmp_path / "album"])
    assert [s.path.name for s in result.summaries] == ["beach.jpg", "beach_resaved.jpg"]
    names = result.names[tmp_path / "album/beach_resaved.jpg"]
    assert names.other_names == (tmp_path / "album/z_link.jpg",) and names.links == 2
    rules = KeeperRules(names=result.names)
    [cluster] = find_duplicates(result.summaries, rules=rules).clusters
    assert cluster.keeper.path.name == "beach.jpg"
    assert cluster.reclaimable == 0  # deleting one name of two frees nothing
    review = Review(tmp_path)
    review.apply_scan(result)
    review.clusters = [cluster]
    review.mark_all_but_keeper(cluster)
    assert review.marked_count == 1 and review.marked_bytes == 0
    plan = plan_deletion(review.marked_summaries(), [cluster], root=tmp_path)
    assert plan.freed_bytes == 0 < plan.total_bytes
    assert cluster.others[0].notes(lambda p: p.name) == ["+1 name: z_link.jpg"]


def test_byte_identical_members_are_labelled_identical(make_photo, tmp_path: Path) -> None:
    original = make_photo("a/beach.jpg", seed=1, size=(640, 480), quality=90)
    shutil.copy2(original, tmp_path / "a/beach (1).jpg")
    make_photo("a/beach_resaved.jpg", seed=1, size=(640, 480), quality=60)
    same_size = tmp_path / "a/beach_same_size.jpg"
    data = bytearray(original.read_bytes())
    data[-3] ^= 0xFF  # same size, different bytes (inside the entropy-coded data)
    same_size.write_bytes(bytes(data))
    result = scan_folders([tmp_path / "a"])
    [cluster] = find_duplicates(result.summaries).clusters
    hashes = ContentHashes()
    [labelled] = label_identical([cluster], hashes)
    identical = {m.summary.path.name for m in labelled.others if m.identical}
    assert labelled.keeper.path == original and identical == {"beach (1).jpg"}
    # A file changed since the scan is never called identical.
    copy = next(m.summary for m in labelled.others if m.identical)
    copy.path.write_bytes(copy.path.read_bytes() + b"\0")
    [again] = label_identical([cluster], ContentHashes())
    assert not any(m.identical for m in again.others)


def test_protecting_a_link_protects_the_photo_behind_it(make_photo, tmp_path: Path) -> None:
    """--protect names a photo, whichever of its names is given: a symbolic link to it or
    another hard link (found by a tester: the real file was marked and deleted)."""
    folder = tmp_path / "h2"
    make_photo("h2/zz_real.jpg", seed=1, size=(640, 480))
    make_photo("h2/zz_copy.jpg", seed=1, size=(320, 240))
    (folder / "a.jpg").symlink_to("zz_real.jpg")
    make_photo("h3/b_real.jpg", seed=2, size=(640, 480))
    make_photo("h3/b_copy.jpg", seed=2, size=(320, 240))
    os.link(tmp_path / "h3/b_real.jpg", tmp_path / "h3/a_hard.jpg")
    for given, real in ((folder / "a.jpg", "zz_real.jpg"), (tmp_path / "h3/a_hard.jpg", None)):
        root = given.parent
        protected = check_protected([given], [root])
        result = scan_folders([root])
        rules = KeeperRules(("name",), result.names, protected)
        [cluster] = find_duplicates(result.summaries, rules=rules).clusters
        guarded = [m for m in cluster.members if m.protected]
        assert len(guarded) == 1, [m.summary.path.name for m in cluster.members]
        photo = guarded[0].summary
        if real is not None:
            assert photo.path.name == real
        assert cluster.keeper == photo  # protected photos are preferred as keeper
        everything = [member.summary for member in cluster.members]
        plan = plan_deletion(everything, [cluster], root=root, protected=protected)
        assert photo not in plan.files
        assert photo in plan.protected
