"""The review's marking rules and moves: what may be marked, and every way marks change.

Mixed into `Review` (review.py), whose state (the decision sets, the clusters, the filter and
the bookkeeping `_set`/`_set_many`/`_decided`) these methods use; kept apart so each module
has one job. Bulk moves (`A`, `U`) change sets in one pass, so 10,000 clusters take
milliseconds, not a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .cluster import Cluster, Member, space_of
from .duplicates import Duplicates
from .keeper import KeeperRules
from .summary import Summary

if TYPE_CHECKING:
    from .not_duplicates import NotDuplicates


class Marking:
    """Marks, keeper choices and "looks fine"; see Review for the state they change."""

    marked: set[Path]
    keepers: set[Path]
    reviewed: set[Path]
    filter_text: str
    duplicates: Duplicates | None
    not_duplicates: NotDuplicates
    _marked_bytes: int
    _reviewed_ids: set[int]
    _dirty: set[Path]

    if TYPE_CHECKING:

        @property
        def reviewed_count(self) -> int: ...

        def matches(self, summary: Summary) -> bool: ...
        def shown_clusters(self) -> list[Cluster]: ...
        def _set(self, flags: set[Path], path: Path, on: bool) -> None: ...
        def _set_many(self, flags: set[Path], paths: Iterable[Path], on: bool) -> None: ...
        def _decided(self, cluster: Cluster) -> None: ...
        def _turn_on(self, flags: set[Path], photos: list[Summary]) -> None: ...

    # Rules ------------------------------------------------------------------

    def markable(self, member: Member) -> bool:
        """May this photo be marked at all? Never a protected one (--protect)."""
        return not member.protected

    def bulk_markable(self, cluster: Cluster, member: Member) -> bool:
        """May `a`, `A`, Space on a cluster mark it? Not the keeper, not a photo that looks
        different (--strict), not a colour photo whose keeper is greyscale, not one hidden by
        the filter."""
        return (
            member.summary is not cluster.keeper
            and member.suggested
            and self.matches(member.summary)
        )

    def to_free(self, cluster: Cluster) -> tuple[int, int]:
        """(bytes `a` then deleting frees in this cluster, bytes more only marking by hand
        frees), counting the photos the filter shows (cluster.space_of: the figure on the
        cluster's row)."""
        if not self.filter_text:
            return space_of(cluster.others)
        return space_of(m for m in cluster.others if self.matches(m.summary))

    # Marking ----------------------------------------------------------------

    def is_marked(self, path: Path) -> bool:
        return path in self.marked

    def toggle(self, cluster: Cluster, member: Member) -> bool | None:
        """Flip one photo's mark; returns whether it is now marked, None when refused."""
        path = member.summary.path
        if path not in self.marked and not self.markable(member):
            return None
        self._set(self.marked, path, path not in self.marked)
        self._decided(cluster)
        return path in self.marked

    def _all_but_keeper(self, cluster: Cluster) -> list[Path]:
        """The photos `a` would newly mark in this cluster, in cluster order."""
        marked = self.marked
        return [
            member.summary.path
            for member in cluster.others
            if member.summary.path not in marked and self.bulk_markable(cluster, member)
        ]

    def mark_all_but_keeper(self, cluster: Cluster) -> list[Path]:
        """Mark every bulk-markable photo and unmark the keeper; returns the newly marked."""
        self._set(self.marked, cluster.keeper.path, False)
        added = self._all_but_keeper(cluster)
        self._set_many(self.marked, added, True)
        self._decided(cluster)
        return added

    def mark_every_cluster(self) -> list[Path]:
        """mark_all_but_keeper on every shown cluster, in one pass over the photos (each path
        hashed as few times as possible: Path hashing is what 30,000 photos cost); returns the
        newly marked, in cluster order."""
        clusters = self.shown_clusters()
        marked, reviewed = self.marked, self.reviewed
        self._set_many(marked, [c.keeper.path for c in clusters if c.keeper.path in marked], False)
        self.reviewed_count  # noqa: B018 - brings _reviewed_ids up to date
        done = self._reviewed_ids
        everyone = not self.filter_text
        to_mark: list[Member] = []
        to_review: list[Summary] = []
        for cluster in clusters:
            keeper = cluster.keeper
            whole = id(cluster) in done  # every photo already reviewed: no need to look
            for member in cluster.members:
                summary = member.summary
                path = summary.path
                if not whole and path not in reviewed:
                    to_review.append(summary)
                if (
                    summary is not keeper
                    and path not in marked
                    and member.suggested
                    and (everyone or self.matches(summary))
                ):
                    to_mark.append(member)
        self._turn_on(marked, [member.summary for member in to_mark])
        self._marked_bytes += sum(member.frees for member in to_mark)
        self._turn_on(reviewed, to_review)
        done.update(id(cluster) for cluster in clusters)  # each is now reviewed, every photo
        return [member.summary.path for member in to_mark]

    def is_all_but_keeper(self, cluster: Cluster) -> bool:
        """True when the keeper is unmarked and every bulk-markable photo is marked."""
        candidates = [m for m in cluster.others if self.bulk_markable(cluster, m)]
        return (
            cluster.keeper.path not in self.marked
            and bool(candidates)
            and all(m.summary.path in self.marked for m in candidates)
        )

    def invert(self, cluster: Cluster, *, include_keeper: bool = False) -> None:
        """Flip the marks of the shown photos; the keeper's only when the person asks."""
        for index, member in enumerate(cluster.members):
            if (index == 0 and not include_keeper) or not self.matches(member.summary):
                continue
            path = member.summary.path
            if path in self.marked or self.markable(member):
                self._set(self.marked, path, path not in self.marked)
        self._decided(cluster)

    def clear(self, cluster: Cluster) -> int:
        """Unmark the whole cluster; returns how many marks went."""
        paths = [m.summary.path for m in cluster.members if m.summary.path in self.marked]
        self._set_many(self.marked, paths, False)
        self._decided(cluster)
        return len(paths)

    def clear_all(self) -> int:
        """Unmark every photo; returns how many marks went."""
        removed = list(self.marked)
        self.marked.clear()  # each path hashed once (below), not three times
        self._dirty.update(removed)
        self._marked_bytes = 0
        return len(removed)

    def choose_keeper(self, cluster: Cluster, path: Path) -> None:
        """Make `path` the keeper of its cluster (and unmark it); the clusters must then be
        regrouped (`regrouped`), which may move photos between clusters."""
        for member in cluster.members:
            self._set(self.keepers, member.summary.path, member.summary.path == path)
        self._set(self.marked, path, False)
        self._decided(cluster)

    def regrouped(self, rules: KeeperRules) -> Duplicates | None:
        """The clusters rebuilt around the keeper choices and not-duplicates now recorded, with
        these rules (no search); apply_duplicates takes them. None before any clustering."""
        if self.duplicates is None:
            return None
        return self.duplicates.regroup(rules.with_preferred(self.keepers), self.not_duplicates)

    def looks_fine(self, cluster: Cluster) -> None:
        """Reviewed with nothing to change."""
        self._decided(cluster)
