"""The saved review: restored for the same folders, atomic under SIGKILL, never in the way."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.keeper import KeeperRules
from simdup_tui.core.review import Review
from simdup_tui.core.review_store import ReviewStore, read_not_duplicates, review_path
from simdup_tui.core.scan import ScanResult
from simdup_tui.core.summary import Summary


def photo(folder: Path, name: str, shade: int = 0, width: int = 100) -> Summary:
    return Summary(folder / name, bytes([shade]) * 768, width, 100, "JPEG", 1000, 0, inode=7)


def reviewed(folder: Path, store: ReviewStore, *photos: Summary) -> Review:
    review = Review(folder, store.load_not_duplicates())
    review.restore(store.load_photos(), store.load_seen())
    review.apply_scan(ScanResult(folder, photos, ()))
    rules = KeeperRules(preferred=frozenset(review.keepers))
    review.apply_duplicates(
        find_duplicates(photos, 0.07, rules=rules, not_duplicates=review.not_duplicates)
    )
    return review


def test_decisions_come_back_for_the_same_folders_only(tmp_path: Path) -> None:
    folder, other = tmp_path / "photos", tmp_path / "other"
    a, b, c = photo(folder, "a", width=200), photo(folder, "b"), photo(folder, "c", 5)
    store = ReviewStore([folder], tmp_path / "r.sqlite3")
    review = reviewed(folder, store, a, b, c)
    cluster = review.clusters[0]
    review.toggle(cluster, cluster.members[2])
    review.choose_keeper(review.clusters[0], b.path)
    review.apply_duplicates(review.regrouped(KeeperRules()))
    assert store.save(review.take_changes())
    store.close()

    again = ReviewStore([folder / "." / ""], tmp_path / "r.sqlite3")  # the same folder
    restored = reviewed(folder, again, a, b, c)
    assert restored.marked == {c.path} and restored.clusters[0].keeper.path == b.path
    assert restored.reviewed_count == 1
    assert reviewed(other, ReviewStore([other], tmp_path / "r.sqlite3"), a, b, c).marked == set()


def test_not_duplicates_hold_across_folders_and_fresh_starts(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    a, b = photo(folder, "a", width=200), photo(folder, "b", 3)
    store = ReviewStore([folder], tmp_path / "r.sqlite3")
    review = reviewed(folder, store, a, b)
    review.toggle(review.clusters[0], review.clusters[0].members[1])
    review.none_duplicates(review.clusters[0])
    review.apply_duplicates(review.regrouped(KeeperRules()))
    store.save(review.take_changes())
    store.forget_photos()  # --fresh
    moved = tmp_path / "moved"
    elsewhere = ReviewStore([moved], tmp_path / "r.sqlite3")
    again = reviewed(moved, elsewhere, photo(moved, "a", width=200), photo(moved, "b", 3))
    assert again.clusters == [] and again.marked == set()
    assert len(again.not_duplicates) == 1


def test_the_state_folder_follows_xdg_state_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SIMDUP_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    if sys.platform.startswith("linux"):
        assert review_path() == tmp_path / "state" / "simdup-tui" / "review.sqlite3"


def test_an_unusable_file_warns_and_the_review_goes_on(tmp_path: Path, caplog) -> None:
    bad = tmp_path / "r.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    store = ReviewStore([tmp_path], bad)
    assert not store.usable and "cannot be saved" in caplog.text
    assert store.load_photos() == {} and not store.save(Review().take_changes() or _one_change())


def _one_change():
    folder = Path("/p")
    review = Review(folder)
    a, b = photo(folder, "a", width=200), photo(folder, "b")
    review.apply_scan(ScanResult(folder, (a, b), ()))
    review.apply_duplicates(find_duplicates([a, b], 0.07))
    review.mark_all_but_keeper(review.clusters[0])
    return review.take_changes()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from simdup_tui.core.review import Review
    from simdup_tui.core.review_store import ReviewStore
    from simdup_tui.core.scan import ScanResult
    from simdup_tui.core.summary import Summary
    from simdup_tui.core.cluster import make_cluster

    folder, db = Path(sys.argv[1]), Path(sys.argv[2])
    photos = [Summary(folder / f"{n:03}", bytes(768), 100, 100, "JPEG", 10, 0) for n in range(400)]
    review = Review(folder)
    review.apply_scan(ScanResult(folder, tuple(photos), ()))
    cluster = make_cluster(photos, keeper=photos[0])
    review.clusters = [cluster]
    store = ReviewStore([folder], db)
    for member in cluster.others:
        review.toggle(cluster, member)
        store.save(review.take_changes())
        print(member.summary.path.name, flush=True)
    """
)


def test_a_killed_writer_loses_at_most_the_last_change(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    for _ in range(2):
        db.unlink(missing_ok=True)
        for leftover in tmp_path.glob("r.sqlite3-*"):
            leftover.unlink()
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), str(db)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        stop_after = random.randint(5, 200)
        confirmed = [child.stdout.readline().strip() for _ in range(stop_after)]
        child.send_signal(signal.SIGKILL)  # somewhere in the next changes
        child.wait()
        # Each name is printed after its save returned: every printed change was confirmed.
        confirmed += [line.strip() for line in child.stdout.read().splitlines()]
        saved = ReviewStore([tmp_path], db).load_photos()
        marked = sorted(path.name for path, state in saved.items() if state.marked)
        assert marked[: len(confirmed)] == confirmed  # every confirmed change is there
        assert len(marked) <= len(confirmed) + 1  # and at most the one in flight besides
        assert all(state.reviewed for state in saved.values())


def test_reports_read_the_records_without_creating_anything(tmp_path: Path) -> None:
    missing = tmp_path / "none" / "r.sqlite3"
    assert len(read_not_duplicates(missing)) == 0 and not missing.parent.exists()
    folder = tmp_path / "photos"
    store = ReviewStore([folder], tmp_path / "r.sqlite3")
    review = reviewed(folder, store, photo(folder, "a", width=200), photo(folder, "b", 3))
    review.none_duplicates(review.clusters[0])
    store.save(review.take_changes())
    assert len(read_not_duplicates(tmp_path / "r.sqlite3")) == 1


def test_contents_reviewed_are_remembered_so_put_back_photos_are_not_new(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    a, b = photo(folder, "a", width=200), photo(folder, "b", 3)
    store = ReviewStore([folder], tmp_path / "r.sqlite3")
    review = reviewed(folder, store, a, b)
    review.mark_all_but_keeper(review.clusters[0])
    review.apply_batch({b.path})  # trashed, then put back by --undo in another process
    assert store.save(review.take_changes())
    store.close()

    back = Summary(b.path, b.pixels, b.width, b.height, "JPEG", b.size, 0, inode=8)
    again = reviewed(folder, ReviewStore([folder], tmp_path / "r.sqlite3"), a, back)
    assert not again.has_new_photos(again.clusters[0])
    fresh = ReviewStore([folder], tmp_path / "r.sqlite3")
    fresh.forget_photos()  # --fresh: nothing was seen
    assert fresh.load_seen() == set()
