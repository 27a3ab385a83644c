"""Marks and keeper choices: what the person marked is what gets deleted, nothing else."""

from __future__ import annotations

from pathlib import Path

from simdup_tui.core.cluster import make_cluster
from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.keeper import KeeperRules
from simdup_tui.core.marks import Marks
from simdup_tui.core.summary import Summary


def photo(name: str, width: int = 100, size: int = 1000, shade: int = 0) -> Summary:
    return Summary(Path("/p") / name, bytes([shade]) * 768, width, 100, "JPEG", size, 0)


def test_mark_all_but_keeper_never_marks_the_keeper() -> None:
    cluster = make_cluster([photo("a", 200), photo("b"), photo("c")])
    marks = Marks()
    marks.toggle(cluster.keeper.path)  # even if the keeper was marked by hand
    added = marks.mark_all_but_keeper(cluster)
    assert cluster.keeper.path == Path("/p/a")
    assert set(added) == {Path("/p/b"), Path("/p/c")}
    assert marks.marked == {Path("/p/b"), Path("/p/c")}
    assert marks.is_all_but_keeper(cluster)


def test_invert_leaves_keeper_alone_unless_asked() -> None:
    cluster = make_cluster([photo("a", 200), photo("b"), photo("c")])
    marks = Marks({Path("/p/b")})
    marks.invert(cluster)
    assert marks.marked == {Path("/p/c")}
    marks.invert(cluster, include_keeper=True)
    assert marks.marked == {Path("/p/a"), Path("/p/b")}


def test_clear_counts_and_marked_bytes() -> None:
    first = make_cluster([photo("a", 200), photo("b", size=300)])
    second = make_cluster([photo("c", 200, shade=90), photo("d", size=50, shade=90)])
    marks = Marks()
    marks.mark_all_but_keeper(first)
    marks.mark_all_but_keeper(second)
    assert marks.marked_bytes([first, second]) == 350
    assert [s.path.name for s in marks.marked_summaries([first, second])] == ["b", "d"]
    assert marks.clear(first) == 1
    assert marks.marked == {Path("/p/d")}
    assert marks.clear_all() == 1 and not marks.marked


def test_prefer_keeper_unmarks_and_survives_reclustering() -> None:
    a, b, c = photo("a", 200), photo("b", shade=2), photo("c", shade=4)
    duplicates = find_duplicates([a, b, c], 0.07)
    [cluster] = duplicates.clusters
    marks = Marks()
    marks.mark_all_but_keeper(cluster)
    marks.prefer_keeper(cluster, b.path)
    assert b.path not in marks.marked
    rules = KeeperRules(preferred=marks.preferred_keepers)
    [rebuilt] = duplicates.regroup(rules).clusters
    assert rebuilt.keeper is b
    assert rebuilt.why == "chosen by you"
    assert rebuilt.members[0].difference == 0.0
    assert {m.summary.path: m.difference for m in rebuilt.members}[c.path] == 2 / 255
    # The same photos clustered again (a threshold change) keep the person's choice.
    [again] = find_duplicates([a, b, c], 0.05, rules=rules).clusters
    assert again.keeper is b


def test_protected_photos_are_never_marked_by_any_operation() -> None:
    keeper, guarded, free = photo("a", 200), photo("safe/b", shade=1), photo("c", shade=2)
    marks = Marks(protected=(Path("/p/safe"),))
    rules = KeeperRules(protected=marks.protected)
    [cluster] = find_duplicates([keeper, guarded, free], 0.07, rules=rules).clusters
    # Protected photos are preferred as keeper: the smaller protected one keeps.
    assert cluster.keeper is guarded and cluster.why == "protected"
    assert marks.toggle(guarded.path) is False
    marks.mark_all_but_keeper(cluster)
    marks.invert(cluster, include_keeper=True)
    marks.invert(cluster, include_keeper=True)
    assert guarded.path not in marks.marked
    assert marks.is_all_but_keeper(cluster)
    # An all-protected cluster has nothing to mark.
    both = Marks(protected=(Path("/p"),))
    [locked] = find_duplicates(
        [keeper, free], 0.07, rules=KeeperRules(protected=both.protected)
    ).clusters
    assert locked.markable == () and locked.reclaimable == 0
    assert both.mark_all_but_keeper(locked) == [] and not both.marked


def test_keep_only_drops_marks_outside_clusters() -> None:
    cluster = make_cluster([photo("a", 200), photo("b")])
    marks = Marks({Path("/p/b"), Path("/p/gone")})
    assert marks.keep_only([cluster]) == 1
    assert marks.marked == {Path("/p/b")}
