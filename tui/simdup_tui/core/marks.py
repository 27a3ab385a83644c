"""What the person has marked for deletion and which photo each cluster keeps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .cluster import Cluster, Member
from .keeper import is_inside
from .summary import Summary


@dataclass
class Marks:
    """Marks and keeper choices, keyed by path so they survive re-clustering and rescans.

    Photos under a protected path are never marked, whatever asks.
    """

    marked: set[Path] = field(default_factory=set)
    """Paths marked for deletion."""
    preferred_keepers: set[Path] = field(default_factory=set)
    """Paths the person chose to keep (`p`); clusters are rebuilt around them."""
    protected: tuple[Path, ...] = ()
    """--protect folders and files (absolute)."""

    def is_marked(self, path: Path) -> bool:
        return path in self.marked

    def is_protected(self, path: Path) -> bool:
        return bool(self.protected) and is_inside(path, self.protected)

    def toggle(self, path: Path) -> bool:
        """Flip one mark; returns whether the path is now marked (never for a protected one)."""
        if path in self.marked:
            self.marked.discard(path)
            return False
        if self.is_protected(path):
            return False
        self.marked.add(path)
        return True

    def _markable(self, cluster: Cluster) -> list[Path]:
        return [
            m.summary.path
            for m in cluster.others
            if not m.protected and not self.is_protected(m.summary.path)
        ]

    def _all_but_keeper(self, cluster: Cluster) -> list[Path]:
        """What `a` marks: the markable photos but those that look different up close."""
        different = {m.summary.path for m in cluster.others if m.looks_different}
        return [path for path in self._markable(cluster) if path not in different]

    def mark_all_but_keeper(self, cluster: Cluster) -> list[Path]:
        """Mark every photo but the keeper, protected ones and those that look different up
        close (the strict check), and unmark the keeper; returns the newly marked."""
        self.marked.discard(cluster.keeper.path)
        added = [path for path in self._all_but_keeper(cluster) if path not in self.marked]
        self.marked.update(added)
        return added

    def is_all_but_keeper(self, cluster: Cluster) -> bool:
        """True when the keeper is unmarked and every photo `a` would mark is marked."""
        return cluster.keeper.path not in self.marked and all(
            path in self.marked for path in self._all_but_keeper(cluster)
        )

    def invert(self, cluster: Cluster, *, include_keeper: bool = False) -> None:
        """Flip every non-keeper's mark; the keeper only when the person inverts onto it.
        Protected photos stay unmarked."""
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
        """Bytes that deleting the marked names frees (a link or a file with another hard link
        frees none)."""
        return sum(member.frees for member in self.marked_members(clusters))

    def marked_members(self, clusters: Iterable[Cluster]) -> list[Member]:
        """The marked photos' members, in cluster order (each once)."""
        seen: set[Path] = set()
        result: list[Member] = []
        for cluster in clusters:
            for member in cluster.members:
                path = member.summary.path
                if path in self.marked and path not in seen:
                    seen.add(path)
                    result.append(member)
        return result

    def marked_summaries(self, clusters: Iterable[Cluster]) -> list[Summary]:
        """The marked photos, in cluster order (each once)."""
        return [member.summary for member in self.marked_members(clusters)]

    def prefer_keeper(self, cluster: Cluster, path: Path) -> None:
        """Make `path` the chosen keeper of its cluster (instead of any earlier choice there)
        and unmark it; the caller rebuilds the clusters (Duplicates.regroup)."""
        self.preferred_keepers -= {member.summary.path for member in cluster.members}
        self.preferred_keepers.add(path)
        self.marked.discard(path)

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
