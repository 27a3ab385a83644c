"""The review's progress and totals: reviewed clusters, marked photos and the bytes they free.

Mixed into `Review` (review.py). Totals are kept up to date as decisions change (review.py's
`_set` and `_set_many` call `_marks_changed` / mark clusters stale), so the status line costs
the same with 20 or 20,000 clusters.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .cluster import Cluster
from .not_duplicates import content_key
from .summary import Summary


class Progress:
    """Reviewed clusters and marked totals; see Review for the state they read."""

    marked: set[Path]
    reviewed: set[Path]
    seen: set[str]
    _clusters: list[Cluster]
    _frees: dict[Path, int]
    _marked_bytes: int
    _reviewed_ids: set[int]
    _stale: dict[int, Cluster]

    if TYPE_CHECKING:

        def shown_clusters(self) -> list[Cluster]: ...

    # Progress ---------------------------------------------------------------

    def is_reviewed(self, cluster: Cluster) -> bool:
        reviewed = self.reviewed
        return all(member.summary.path in reviewed for member in cluster.members)

    def has_new_photos(self, cluster: Cluster) -> bool:
        """Reviewed before, but photos joined it since whose content this review never saw
        (not one put back by undo, renamed or touched)."""
        reviewed = self.reviewed
        done = sum(1 for member in cluster.members if member.summary.path in reviewed)
        if not 0 < done < len(cluster):
            return False
        return any(
            member.summary.path not in reviewed and content_key(member.summary) not in self.seen
            for member in cluster.members
        )

    def next_unreviewed(self, after: Cluster | None) -> Cluster | None:
        """The first unreviewed shown cluster after `after` (wrapping), or None."""
        shown = self.shown_clusters()
        start = next((i + 1 for i, c in enumerate(shown) if c is after), 0)
        for cluster in shown[start:] + shown[:start]:
            if not self.is_reviewed(cluster):
                return cluster
        return None

    # Totals -----------------------------------------------------------------

    @property
    def marked_count(self) -> int:
        return len(self.marked)

    @property
    def marked_bytes(self) -> int:
        """Bytes deleting the marked photos frees (a link or another hard link frees none);
        kept as marks change, so reading it costs nothing."""
        return self._marked_bytes

    def _marks_changed(self, paths: Iterable[Path], on: bool) -> None:
        """Keep marked_bytes: these photos were just marked (on) or unmarked."""
        frees = self._frees
        total = sum(frees.get(path, 0) for path in paths)
        self._marked_bytes += total if on else -total

    def _count_marked_bytes(self) -> None:
        """marked_bytes counted afresh (the clusters, so what each photo frees, changed)."""
        frees = self._frees
        self._marked_bytes = sum(frees.get(path, 0) for path in self.marked)

    @property
    def reviewed_count(self) -> int:
        """Clusters fully reviewed (counted again only where a decision changed)."""
        for key, cluster in self._stale.items():
            if self.is_reviewed(cluster):
                self._reviewed_ids.add(key)
            else:
                self._reviewed_ids.discard(key)
        self._stale.clear()
        return len(self._reviewed_ids)

    def marked_in(self, cluster: Cluster) -> int:
        marked = self.marked
        return sum(1 for member in cluster.members if member.summary.path in marked)

    def marked_summaries(self) -> list[Summary]:
        """The marked photos, in cluster order (each once)."""
        seen: set[Path] = set()
        result: list[Summary] = []
        for cluster in self._clusters:
            for member in cluster.members:
                path = member.summary.path
                if path in self.marked and path not in seen:
                    seen.add(path)
                    result.append(member.summary)
        return result
