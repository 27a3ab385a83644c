"""What the person has marked for deletion and which photo each cluster keeps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cluster import Cluster, keeper_rank, make_cluster
from .strict import annotate
from .summary import Summary


@dataclass
class Marks:
    """Marks and keeper choices, keyed by path so they survive re-clustering and rescans."""

    marked: set[Path] = field(default_factory=set)
    """Paths marked for deletion."""
    preferred_keepers: set[Path] = field(default_factory=set)
    """Paths the person chose to keep (`p`); they win the keeper ranking in their cluster."""

    def is_marked(self, path: Path) -> bool:
        return path in self.marked

    def toggle(self, path: Path) -> bool:
        """Flip one mark; returns whether the path is now marked."""
        if path in self.marked:
            self.marked.discard(path)
            return False
        self.marked.add(path)
        return True

    def mark_all_but_keeper(self, cluster: Cluster) -> list[Path]:
        """Mark every photo but the keeper (and unmark the keeper); returns the newly marked.

        Photos that look different from the keeper up close (the strict check) stay unmarked.
        """
        self.marked.discard(cluster.keeper.path)
        added = [
            m.summary.path
            for m in cluster.others
            if m.summary.path not in self.marked and not m.looks_different
        ]
        self.marked.update(added)
        return added

    def is_all_but_keeper(self, cluster: Cluster) -> bool:
        """True when the non-keepers `a` would mark are all marked, and the keeper is not."""
        return cluster.keeper.path not in self.marked and all(
            m.summary.path in self.marked for m in cluster.others if not m.looks_different
        )

    def invert(self, cluster: Cluster, *, include_keeper: bool = False) -> None:
        """Flip every non-keeper's mark; the keeper only when the person inverts onto it."""
        members = cluster.members if include_keeper else cluster.others
        for member in members:
            self.toggle(member.summary.path)

    def clear(self, cluster: Cluster) -> int:
        """Unmark the whole cluster; returns how many marks went."""
        paths = {member.summary.path for member in cluster.members}
        removed = len(self.marked & paths)
        self.marked -= paths
        return removed

    def clear_all(self) -> int:
        removed = len(self.marked)
        self.marked.clear()
        return removed

    def count_in(self, cluster: Cluster) -> int:
        return sum(1 for member in cluster.members if member.summary.path in self.marked)

    def marked_bytes(self, clusters: Iterable[Cluster]) -> int:
        return sum(s.size for s in self.marked_summaries(clusters))

    def marked_summaries(self, clusters: Iterable[Cluster]) -> list[Summary]:
        """The marked photos, in cluster order (each once)."""
        seen: set[Path] = set()
        result: list[Summary] = []
        for cluster in clusters:
            for member in cluster.members:
                path = member.summary.path
                if path in self.marked and path not in seen:
                    seen.add(path)
                    result.append(member.summary)
        return result

    def prefer_keeper(self, cluster: Cluster, path: Path) -> Cluster:
        """Make `path` the keeper of its cluster and unmark it; returns the rebuilt cluster."""
        self.preferred_keepers -= {member.summary.path for member in cluster.members}
        self.preferred_keepers.add(path)
        self.marked.discard(path)
        return apply_keeper_choice(cluster, self.preferred_keepers)

    def keep_only(self, clusters: Iterable[Cluster]) -> int:
        """Forget marks on photos that are no longer in any cluster; returns how many went."""
        present = {member.summary.path for cluster in clusters for member in cluster.members}
        stale = self.marked - present
        self.marked -= stale
        return len(stale)

    def forget(self, paths: Iterable[Path]) -> None:
        """Drop marks and keeper choices for files that are gone."""
        gone = set(paths)
        self.marked -= gone
        self.preferred_keepers -= gone


def apply_keeper_choice(cluster: Cluster, preferred: set[Path]) -> Cluster:
    """The cluster with a preferred keeper first, differences recomputed to it."""
    chosen = [m.summary for m in cluster.members if m.summary.path in preferred]
    if not chosen:
        return cluster
    keeper = min(chosen, key=keeper_rank)
    if keeper is cluster.keeper:
        return cluster
    return annotate(  # "looks different" is relative to the keeper: judged again
        [make_cluster([m.summary for m in cluster.members], keeper=keeper)]
    )[0]


def apply_keeper_choices(clusters: Sequence[Cluster], preferred: set[Path]) -> list[Cluster]:
    if not preferred:
        return list(clusters)
    return [apply_keeper_choice(cluster, preferred) for cluster in clusters]
