"""The review's fast paths agree with the slow rules: `A` marks exactly what `a` on every
cluster would, totals kept as marks change equal totals counted afresh, and a save's snapshot
is not changed by what happens after it."""

from __future__ import annotations

import random
from pathlib import Path

from simdup_tui.core.cluster import Cluster, Member
from simdup_tui.core.review import Review
from simdup_tui.core.review_changes import SNAPSHOT_FROM, PhotoStates
from simdup_tui.core.scan import ScanResult
from simdup_tui.core.summary import Summary

ROOT = Path("/p")


def photo(name: str, size: int = 1000) -> Summary:
    return Summary(ROOT / name, bytes(768), 100, 100, "JPEG", size, 0, inode=hash(name) % 10**6)


def gallery(count: int) -> tuple[Review, list[Cluster]]:
    """`count` clusters of 4: a keeper, a protected photo, one that looks different, a plain one."""
    clusters, photos = [], []
    for number in range(count):
        keeper, guarded, odd, plain = (photo(f"{number}{n}", 100 + number) for n in "kgop")
        photos += [keeper, guarded, odd, plain]
        clusters.append(
            Cluster(
                (
                    Member(keeper, 0.0),
                    Member(guarded, 0.01, protected=True),
                    Member(odd, 0.02, looks_different=True),
                    Member(plain, 0.03),
                )
            )
        )
    review = Review(ROOT)
    review.apply_scan(ScanResult(ROOT, tuple(photos), ()))
    review.clusters = clusters
    return review, clusters


def counted_bytes(review: Review) -> int:
    return sum(
        m.frees for c in review.clusters for m in c.members if m.summary.path in review.marked
    )


def test_mark_every_cluster_marks_what_a_on_each_cluster_marks() -> None:
    review, clusters = gallery(30)
    one_by_one, _ = gallery(30)
    for number in (1, 3):  # keepers marked by hand
        review.toggle(clusters[number], clusters[number].members[0])
        one_by_one.toggle(one_by_one.clusters[number], one_by_one.clusters[number].members[0])
    review.set_filter("1")  # only clusters with a shown photo, only shown photos
    one_by_one.set_filter("1")
    added = review.mark_every_cluster()
    expected = [p for c in one_by_one.shown_clusters() for p in one_by_one.mark_all_but_keeper(c)]
    assert added == expected
    assert review.marked == one_by_one.marked
    assert clusters[1].keeper.path not in review.marked  # unmarked: its cluster is shown
    assert clusters[3].keeper.path in review.marked  # left alone: no photo of it holds "1"
    assert all(m.summary.path not in review.marked for c in clusters for m in c.members[1:3])
    assert review.reviewed == one_by_one.reviewed
    shown = len(review.shown_clusters())  # and cluster 3, decided on by its keeper's mark
    assert review.reviewed_count == one_by_one.reviewed_count == shown + 1
    assert review.marked_bytes == one_by_one.marked_bytes == counted_bytes(review)


def test_totals_kept_as_marks_change_equal_totals_counted_afresh() -> None:
    review, clusters = gallery(40)
    rng = random.Random(5)
    for _ in range(300):
        cluster = rng.choice(clusters)
        move = rng.randrange(7)
        if move == 0:
            review.toggle(cluster, rng.choice(cluster.members))
        elif move == 1:
            review.mark_all_but_keeper(cluster)
        elif move == 2:
            review.clear(cluster)
        elif move == 3:
            review.invert(cluster, include_keeper=rng.random() < 0.5)
        elif move == 4:
            review.mark_every_cluster()
        elif move == 5:
            review.clear_all()
        else:
            review.clusters = clusters[rng.randrange(len(clusters)) :]  # regrouped: fewer shown
            review.clusters = clusters
        assert review.marked_bytes == counted_bytes(review)
        assert review.reviewed_count == sum(1 for c in clusters if review.is_reviewed(c))


def test_a_large_save_is_a_snapshot_later_decisions_do_not_change() -> None:
    review, clusters = gallery(SNAPSHOT_FROM)
    review.mark_every_cluster()
    changes = review.take_changes()
    assert isinstance(changes.photos, PhotoStates)  # many photos: states built by the writer
    review.clear_all()  # after the snapshot was taken
    marked = {path for path, state in changes.photos.items() if state is not None and state.marked}
    assert marked == {c.members[3].summary.path for c in clusters}
    assert len(changes.photos) == 4 * SNAPSHOT_FROM  # every photo was reviewed
    state = changes.photos[clusters[0].members[0].summary.path]
    assert state is not None and state.reviewed and not state.marked
    assert state.identity == clusters[0].keeper.identity
    unmarked = review.take_changes().photos
    assert all(not state.marked for state in unmarked.values() if state is not None)
