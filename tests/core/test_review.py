"""The review model's rules: what gets marked, kept, split, counted and saved."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from simdup_tui.core.cluster import Cluster, Member
from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.keeper import KeeperRules
from simdup_tui.core.review import Order, Review
from simdup_tui.core.scan import ScanResult
from simdup_tui.core.summary import Summary

ROOT = Path("/p")


def photo(name: str, width: int = 100, size: int = 1000, shade: int = 0, inode: int = 0) -> Summary:
    """Photos whose shades differ by 17 or less are near-duplicates at 0.07."""
    return Summary(ROOT / name, bytes([shade]) * 768, width, 100, "JPEG", size, 0, inode=inode)


def review_of(*photos: Summary, threshold: float = 0.07, cancelled: bool = False) -> Review:
    review = Review(ROOT)
    review.apply_scan(ScanResult(ROOT, tuple(photos), (), cancelled))
    review.apply_duplicates(
        find_duplicates(photos, threshold, not_duplicates=review.not_duplicates)
    )
    return review


def rescan(review: Review, *photos: Summary, cancelled: bool = False):
    dropped = review.apply_scan(ScanResult(ROOT, tuple(photos), (), cancelled))
    rules = KeeperRules(preferred=frozenset(review.keepers))
    gained = review.apply_duplicates(
        find_duplicates(photos, 0.07, rules=rules, not_duplicates=review.not_duplicates)
    )
    return dropped, gained


def regroup(review: Review, rules: KeeperRules | None = None) -> None:
    """What the screen does after `p` or `x`: the same pairs, clusters made again."""
    review.apply_duplicates(review.regrouped(rules or KeeperRules()))


def names(cluster: Cluster) -> list[str]:
    return [member.summary.path.name for member in cluster.members]


def test_all_but_keeper_never_marks_the_keeper_and_counts_in_one_place() -> None:
    review = review_of(photo("a", 200, size=100), photo("b", size=150), photo("c", size=50))
    (cluster,) = review.clusters
    review.toggle(cluster, cluster.members[0])  # even if the keeper was marked by hand
    assert review.mark_all_but_keeper(cluster) == [ROOT / "b", ROOT / "c"]
    assert review.marked == {ROOT / "b", ROOT / "c"}
    assert review.is_all_but_keeper(cluster)
    assert (review.marked_count, review.marked_bytes) == (2, 200)
    assert [s.path.name for s in review.marked_summaries()] == ["b", "c"]
    assert review.clear(cluster) == 2 and review.marked_bytes == 0


def test_bulk_marking_leaves_protected_and_different_looking_photos() -> None:
    keeper, guarded, odd, plain = (photo(n) for n in "kgop")
    cluster = Cluster(
        (
            Member(keeper, 0.0),
            Member(guarded, 0.01, protected=True),
            Member(odd, 0.02, looks_different=True),
            Member(plain, 0.03),
        )
    )
    review = Review(ROOT)
    review.apply_scan(ScanResult(ROOT, (keeper, guarded, odd, plain), ()))
    review.clusters = [cluster]
    assert review.mark_all_but_keeper(cluster) == [plain.path]
    assert review.toggle(cluster, cluster.members[1]) is None  # a protected photo: refused
    assert review.toggle(cluster, cluster.members[2]) is True  # by hand, it may be marked
    review.invert(cluster)
    assert review.marked == set()  # odd and plain flipped off; the protected one never on


def test_filter_limits_what_a_and_A_mark() -> None:
    review = review_of(
        photo("DCIM/a.jpg", 200),
        photo("WhatsApp/a.jpg"),
        photo("DCIM/a2.jpg", shade=1),
        photo("DCIM/b.jpg", 200, shade=100),
        photo("DCIM/b2.jpg", shade=101),
    )
    review.set_filter("whatsapp/")
    shown = review.shown_clusters()
    assert len(shown) == 1 and len(review.clusters) == 2
    assert [m.summary.path.name for m in review.shown_members(shown[0])] == ["a.jpg", "a.jpg"]
    assert review.mark_every_cluster() == [ROOT / "WhatsApp/a.jpg"]
    review.set_filter("")
    assert len(review.shown_clusters()) == 2


def test_keeper_choice_survives_reclustering_and_unmarks() -> None:
    a, b, c = photo("a", 200), photo("b", 100), photo("c", 50)
    review = review_of(a, b, c)
    (cluster,) = review.clusters
    review.mark_all_but_keeper(cluster)
    review.choose_keeper(cluster, b.path)
    regroup(review)
    (new,) = review.clusters
    assert new.keeper is b and new.why == "chosen by you"
    assert b.path not in review.marked and c.path in review.marked
    rescan(review, a, b, c)
    assert review.clusters[0].keeper.path == b.path


def test_a_changed_or_vanished_photo_loses_exactly_its_own_decisions() -> None:
    a, b, c, d = photo("a", 200, inode=1), photo("b", inode=2), photo("c", inode=3), photo("d")
    review = review_of(a, b, c, d)
    (cluster,) = review.clusters
    review.mark_all_but_keeper(cluster)
    saved = {path: review.state_of(path) for path in review.marked | review.reviewed}
    again = Review(ROOT)
    again.restore(saved)
    edited = replace(b, mtime_ns=5)  # b was rewritten since; c vanished
    dropped, _ = rescan(again, a, edited, d)
    assert dropped.marks == 2
    assert again.marked == {d.path}


def test_a_cancelled_scan_keeps_decisions_on_photos_it_did_not_reach() -> None:
    a, b = photo("a", 200), photo("b")
    review = review_of(a, b)
    review.mark_all_but_keeper(review.clusters[0])
    dropped = review.apply_scan(ScanResult(ROOT, (a,), (), cancelled=True))
    assert not dropped and review.marked == {b.path}


def test_not_a_duplicate_of_the_keeper_removes_the_link_for_good() -> None:
    a, b, c = photo("a", 200), photo("b", shade=10), photo("z", 300, shade=100)
    d = photo("d", shade=101)
    review = review_of(a, b, c, d)
    first = next(cl for cl in review.clusters if cl.keeper is a)
    review.toggle(first, first.members[1])
    assert review.not_duplicate_of_keeper(first, b.path)
    regroup(review)
    assert [names(cl) for cl in review.clusters] == [["z", "d"]]
    assert b.path not in review.marked  # nothing outside a cluster stays marked
    # A rescan, and a rename of both files, do not bring the pair back.
    renamed = (replace(a, path=ROOT / "new/a"), replace(b, path=ROOT / "new/b"))
    rescan(review, *renamed, c, d)
    assert [names(cl) for cl in review.clusters] == [["z", "d"]]
    # An edited b is another photo: it may be linked again.
    assert (
        len(
            find_duplicates(
                [a, replace(b, size=999)], 0.07, not_duplicates=review.not_duplicates
            ).clusters
        )
        == 1
    )


def test_none_of_these_are_duplicates_splits_the_cluster_and_can_be_taken_back() -> None:
    a, b, c = photo("a", 200), photo("b", shade=5), photo("c", shade=10)
    review = review_of(a, b, c)
    (cluster,) = review.clusters
    assert review.none_duplicates(cluster)
    regroup(review)
    assert review.clusters == [] and review.is_reviewed(cluster)
    (group,) = review.not_duplicates.groups()
    assert len(group.pairs) == 3 and sorted(group.paths) == [str(p.path) for p in (a, b, c)]
    assert review.take_back(group.group)
    rescan(review, a, b, c)
    assert [names(cl) for cl in review.clusters] == [["a", "b", "c"]]


def test_a_split_keeps_the_rest_linked() -> None:
    a, b, c = photo("a", 200), photo("b", shade=15), photo("c", shade=30)
    review = review_of(a, b, c)  # a-b, b-c close (a-c at 0.118 is not)
    (cluster,) = review.clusters
    assert names(cluster) == ["a", "b"]  # keeper-centred: c is too far from a
    assert review.not_duplicate_of_keeper(cluster, b.path)
    regroup(review)
    (split,) = review.clusters
    assert names(split) == ["b", "c"]  # b is free of a, and keeps c
    assert review.has_new_photos(split) and review.reviewed_count == 0  # c is new to the review


def test_progress_and_clusters_with_new_photos_come_first() -> None:
    a, b = photo("a", 200), photo("b")
    x, y = photo("x", 200, size=5000, shade=100), photo("y", size=5000, shade=101)
    review = review_of(a, b, x, y)
    assert review.reviewed_count == 0
    first, second = review.clusters
    assert first.keeper is x  # most space to free first
    review.looks_fine(second)
    assert review.reviewed_count == 1 and review.next_unreviewed(None) is first
    review.looks_fine(first)
    assert review.next_unreviewed(None) is None
    late = photo("a_copy", shade=2)
    _, gained = rescan(review, a, b, x, y, late)
    assert gained == 1
    assert names(review.clusters[0]) == ["a", "b", "a_copy"]  # first, though it frees less
    assert not review.is_reviewed(review.clusters[0]) and review.reviewed_count == 1


def test_orders_cycle_and_sort() -> None:
    review = review_of(
        photo("m/a", 200, size=10),
        photo("m/b", size=10),
        photo("m/c", size=10),
        photo("k/x", 200, size=900, shade=100),
        photo("k/y", size=900, shade=117),
    )
    assert [len(c) for c in review.clusters] == [2, 3]
    assert review.cycle_order() is Order.PHOTOS
    assert [len(c) for c in review.clusters] == [3, 2]
    assert review.cycle_order() is Order.CLOSEST
    assert [len(c) for c in review.clusters] == [3, 2]
    assert review.cycle_order() is Order.FOLDER
    assert [c.keeper.path.parent.name for c in review.clusters] == ["k", "m"]
    assert review.cycle_order() is Order.SPACE


def test_changes_hold_each_decision_once_and_then_nothing() -> None:
    a, b = photo("a", 200), photo("b")
    review = review_of(a, b)
    cluster = review.clusters[0]
    review.toggle(cluster, cluster.members[1])
    review.toggle(cluster, cluster.members[1])
    review.toggle(cluster, cluster.members[1])
    changes = review.take_changes()
    assert set(changes.photos) == {a.path, b.path}
    assert changes.photos[b.path].marked and changes.photos[b.path].reviewed
    assert not changes.photos[a.path].marked and changes.photos[a.path].reviewed
    assert not review.take_changes()
    review.clear_all()
    assert review.take_changes().photos[b.path].marked is False


def test_a_batch_removes_gone_photos_from_the_totals() -> None:
    a, b, c = photo("a", 200), photo("b", size=7), photo("c", size=9)
    review = review_of(a, b, c)
    review.mark_all_but_keeper(review.clusters[0])
    review.apply_batch({b.path})
    assert review.marked == {c.path} and review.marked_bytes == 9
    assert b.path not in review.summaries


def test_protected_photos_are_never_marked_by_any_operation() -> None:
    keeper, guarded, free = photo("a", 200), photo("safe/b", shade=1), photo("c", shade=2)
    rules = KeeperRules(protected=(ROOT / "safe",))
    review = Review(ROOT)
    review.apply_scan(ScanResult(ROOT, (keeper, guarded, free), ()))
    review.apply_duplicates(find_duplicates([keeper, guarded, free], 0.07, rules=rules))
    (cluster,) = review.clusters
    assert cluster.keeper is guarded and cluster.why == "protected"
    review.mark_all_but_keeper(cluster)
    review.invert(cluster, include_keeper=True)
    review.invert(cluster, include_keeper=True)
    assert guarded.path not in review.marked and review.is_all_but_keeper(cluster)
    # An all-protected cluster has nothing to mark.
    locked = Review(ROOT)
    locked.apply_scan(ScanResult(ROOT, (keeper, free), ()))
    locked.apply_duplicates(
        find_duplicates([keeper, free], 0.07, rules=KeeperRules(protected=(ROOT,)))
    )
    (only,) = locked.clusters
    assert locked.mark_all_but_keeper(only) == [] and locked.toggle(only, only.members[1]) is None


def test_a_keeper_choice_holds_at_another_threshold() -> None:
    a, b, c = photo("a", 200), photo("b", shade=2), photo("c", shade=4)
    review = review_of(a, b, c)
    review.choose_keeper(review.clusters[0], b.path)
    regroup(review)
    rules = KeeperRules(preferred=frozenset(review.keepers))
    review.apply_duplicates(find_duplicates([a, b, c], 0.05, rules=rules))
    assert review.clusters[0].keeper is b
    assert {m.summary.path: m.difference for m in review.clusters[0].members}[c.path] == 2 / 255


def test_photos_with_one_summary_split_when_recorded_and_reports_leave_the_pair() -> None:
    a, b, c = photo("a", 200, size=300), photo("b", size=200), photo("c", size=100)
    review = review_of(a, b, c)  # one summary: one row of the search
    (cluster,) = review.clusters
    assert review.not_duplicate_of_keeper(cluster, b.path)
    regroup(review)
    assert [names(cl) for cl in review.clusters] == [["a", "c"]]
    assert review.duplicates.pair_count == 2  # a-c and b-c, not a-b
    pairs = {(p.first.path.name, p.second.path.name) for p in review.duplicates.pairs}
    assert pairs == {("a", "c"), ("b", "c")}


def test_photos_put_back_renamed_or_touched_are_not_new_but_a_new_one_is() -> None:
    a, b, c = photo("a", 200, inode=1), photo("b", shade=3, inode=2), photo("c", shade=6, inode=3)
    review = review_of(a, b, c)
    review.mark_all_but_keeper(review.clusters[0])
    review.apply_batch({b.path, c.path})  # trashed
    rescan(review, a)
    assert review.clusters == []
    back = replace(b, ctime_ns=99)  # undo put it back: a rename changes the ctime
    moved = replace(c, path=ROOT / "elsewhere" / "c", ctime_ns=99)  # and c came back elsewhere
    _, gained = rescan(review, a, back, moved)
    (cluster,) = review.clusters
    assert gained == 0 and not review.has_new_photos(cluster)
    assert not review.is_reviewed(cluster)  # the decision was undone: to review again
    review.looks_fine(cluster)
    touched = replace(back, mtime_ns=5)  # the same content, touched: its decision goes
    late = photo("late", shade=9, inode=4)  # genuinely new
    _, gained = rescan(review, a, touched, moved)
    assert gained == 0 and not review.has_new_photos(review.clusters[0])
    _, gained = rescan(review, a, touched, moved, late)
    assert gained == 1 and review.has_new_photos(review.clusters[0])
