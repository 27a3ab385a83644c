"""Turn close pairs into clusters (connected components) and choose the photo to keep in each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .distance import difference
from .summary import Summary


@dataclass(frozen=True, slots=True)
class Member:
    """A photo in a cluster and how far it is from the cluster's keeper."""

    summary: Summary
    difference: float
    """Difference to the keeper (0.0 for the keeper itself)."""
    looks_different: bool = False
    """The strict check rejects it against the keeper ("looks different up close"): `a` and
    `A` leave it unmarked. Set by strict.annotate, never by the 16x16 test."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """Photos linked by near-duplicate pairs; members[0] is the keeper."""

    members: tuple[Member, ...]

    @property
    def keeper(self) -> Summary:
        return self.members[0].summary

    @property
    def others(self) -> tuple[Member, ...]:
        return self.members[1:]

    @property
    def reclaimable(self) -> int:
        """Bytes freed by deleting every photo but the keeper."""
        return sum(member.summary.size for member in self.others)

    def __len__(self) -> int:
        return len(self.members)


def keeper_rank(summary: Summary) -> tuple[int, int, int, str]:
    """Sort key: the best keeper first (most pixels, largest file, oldest, then by path)."""
    return (-summary.pixel_count, -summary.size, summary.mtime_ns, str(summary.path))


def connected_components(count: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Groups of two or more indices linked by pairs (union-find with path halving)."""
    parent = list(range(count))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for left, right in pairs:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            if root_left < root_right:
                parent[root_right] = root_left
            else:
                parent[root_left] = root_right
    groups: dict[int, list[int]] = {}
    for index in range(count):
        groups.setdefault(find(index), []).append(index)
    return [group for group in groups.values() if len(group) > 1]


def make_cluster(summaries: Sequence[Summary], keeper: Summary | None = None) -> Cluster:
    """A cluster of these photos with the given keeper (or the best ranked one)."""
    chosen = keeper if keeper is not None else min(summaries, key=keeper_rank)
    rest = [summary for summary in summaries if summary is not chosen]
    members = [Member(chosen, 0.0)]
    members += sorted(
        (Member(summary, difference(chosen, summary)) for summary in rest),
        key=lambda member: (member.difference, str(member.summary.path)),
    )
    return Cluster(tuple(members))


def build_clusters(
    summaries: Sequence[Summary], pairs: Iterable[tuple[int, int] | tuple[int, int, float]]
) -> list[Cluster]:
    """Clusters from index pairs, largest reclaimable space first (then by keeper path)."""
    links = ((pair[0], pair[1]) for pair in pairs)
    clusters = [
        make_cluster([summaries[index] for index in group])
        for group in connected_components(len(summaries), links)
    ]
    clusters.sort(key=lambda cluster: (-cluster.reclaimable, str(cluster.keeper.path)))
    return clusters
