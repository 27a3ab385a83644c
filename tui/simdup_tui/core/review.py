"""The review: the clusters on screen and every decision the person made about them.

One object holds what the app shows and what gets saved: the scanned photos, the clusters at a
threshold, marks, keeper choices, pairs recorded as not duplicates, which clusters were reviewed,
the order and the path filter. Every rule about marking lives here (`markable`, `bulk_markable`),
and every total the screen shows is computed here once. Decisions are keyed by path and tied to
the identity of the file they were made on: a photo that changed or vanished loses them.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from .cluster import Cluster, Member
from .duplicates import Duplicates
from .identity import FileIdentity
from .not_duplicates import NotDuplicate, NotDuplicates, content_key, pair_key
from .review_changes import SNAPSHOT_FROM, PhotoStates, identity_of, photo_state
from .review_marks import Marking
from .review_progress import Progress
from .review_state import Changes, Dropped, Order, PhotoState
from .scan import ScanResult, relative_in
from .summary import Summary

__all__ = ["MAX_NONE_DUPLICATES", "Changes", "Dropped", "Order", "PhotoState", "Review"]

MAX_NONE_DUPLICATES = 200
"""`x` on a cluster records every pair of its photos; above this many photos it is refused
(200 photos are already 19,900 pairs)."""


def _now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Review(Marking, Progress):
    """The state of one review session; pure (no I/O), so every rule is unit-tested. Marking
    rules and moves are in review_marks.py, progress and totals in review_progress.py."""

    def __init__(
        self,
        root: Path | None = None,
        not_duplicates: NotDuplicates | None = None,
        clock: Callable[[], str] = _now_iso,
        folders: Sequence[Path] = (),
    ) -> None:
        self.root = root
        self.folders: tuple[Path, ...] = tuple(folders) or ((root,) if root else ())
        """Paths are matched by the filter (and shown) relative to the folder holding them."""
        self.summaries: dict[Path, Summary] = {}
        """Every scanned photo by path."""
        self.threshold: float | None = None
        """The threshold the clusters were made at (None before the first clustering)."""
        self._clusters: list[Cluster] = []
        self._cluster_of: dict[Path, Cluster] = {}
        self._reviewed_ids: set[int] = set()
        """id() of the clusters fully reviewed, kept up to date through _stale."""
        self._stale: dict[int, Cluster] = {}
        self._frees: dict[Path, int] = {}
        """What deleting each clustered photo frees (Member.frees), for marked_bytes."""
        self._marked_bytes = 0
        self.marked: set[Path] = set()
        self.keepers: set[Path] = set()
        """Photos the person chose to keep (`p`); they win the keeper ranking in their cluster."""
        self.reviewed: set[Path] = set()
        """Photos of clusters the person decided on; a cluster is reviewed when all its are."""
        self.not_duplicates = not_duplicates if not_duplicates is not None else NotDuplicates()
        self.order = Order.SPACE
        self.filter_text = ""
        """Only clusters with a photo whose relative path holds this text are shown ("": all)."""
        self.seen: set[str] = set()
        """Content keys (summary and size) of every photo ever reviewed here, kept when it is
        deleted, moved or touched: such a photo coming back (undo, a rename) is not new."""
        self._seen_added: list[str] = []
        self._made_on: dict[Path, Summary | FileIdentity] = {}
        """The photo each decision was made on (or the identity it was restored with)."""
        self._clock = clock
        self._dirty: set[Path] = set()
        self._added: list[NotDuplicate] = []
        self._removed_groups: list[str] = []
        self.duplicates: Duplicates | None = None
        """The pairs and clusters in force (regrouped without a search after `p` or `x`)."""
        self.dropped_marks: tuple[Path, ...] = ()
        """The marks the last apply_duplicates dropped: their photos are in no cluster now (a
        stricter check, a lower threshold); the screen says so."""

    @property
    def clusters(self) -> list[Cluster]:
        """Clusters in the order in force (new-photo clusters first); do not change in place."""
        return self._clusters

    @clusters.setter
    def clusters(self, clusters: Iterable[Cluster]) -> None:
        self._clusters = list(clusters)
        self._cluster_of = {m.summary.path: c for c in self._clusters for m in c.members}
        self._frees = {m.summary.path: m.frees for c in self._clusters for m in c.members}
        self._reviewed_ids = {id(c) for c in self._clusters if self.is_reviewed(c)}
        self._stale = {}
        self._count_marked_bytes()

    # Loading ----------------------------------------------------------------

    def restore(self, saved: Mapping[Path, PhotoState], seen: Iterable[str] = ()) -> None:
        """Take decisions saved by an earlier run (and the contents it reviewed); apply_scan
        then drops those gone stale."""
        self.seen.update(seen)
        for path, state in saved.items():
            self._made_on[path] = state.identity
            for flag, chosen in (
                (self.marked, state.marked),
                (self.keepers, state.keeper),
                (self.reviewed, state.reviewed),
            ):
                if chosen:
                    flag.add(path)

    def apply_scan(self, result: ScanResult) -> Dropped:
        """Take a scan's photos; drop decisions on photos that changed or vanished since.

        A cancelled scan did not look everywhere: what it did not see is kept, not dropped.
        """
        now = {summary.path: summary for summary in result.summaries}
        stale: set[Path] = set()
        for path in self.marked | self.keepers | self.reviewed:
            summary = now.get(path)
            if summary is None:
                if not result.cancelled:
                    stale.add(path)
            elif summary.identity != self._identity(path, summary.identity):
                stale.add(path)
        dropped = Dropped(
            len(stale & self.marked), len(stale & self.keepers), len(stale & self.reviewed)
        )
        self._forget(stale)
        self.summaries = now
        for path in self.reviewed:
            if (summary := now.get(path)) is not None:
                self._see(summary)  # reviewed before contents were recorded
        return dropped

    def apply_duplicates(self, duplicates: Duplicates) -> int:
        """Take clusters made at a threshold (keeper choices applied through the rules'
        `preferred`); returns how many clusters have new photos. Marks on photos now in no
        cluster are dropped (nothing outside a cluster can be deleted from the app), and kept
        in `dropped_marks` for the screen to say.
        """
        self.threshold = duplicates.threshold
        self.duplicates = duplicates
        self.clusters = self._sorted(duplicates.clusters)
        self._drop_marks_outside_clusters()
        return sum(1 for cluster in self.clusters if self.has_new_photos(cluster))

    def apply_batch(self, gone: Iterable[Path], restored: Iterable[Path] = ()) -> None:
        """After a deletion batch: removed photos leave the review; put-back ones lose their
        decisions (they are other files now)."""
        gone = set(gone)
        self._forget(gone | set(restored))
        for path in gone:
            self.summaries.pop(path, None)

    # Order and filter -------------------------------------------------------

    def cycle_order(self) -> Order:
        self.order = self.order.next()
        self.clusters = self._sorted(self.clusters)
        return self.order

    def set_filter(self, text: str) -> None:
        """Show only clusters with a photo whose path holds `text` ("": all). The figures on
        the rows count the photos shown (to_free), so the orders by space follow them."""
        if text == self.filter_text:
            return
        self.filter_text = text
        if self.order in (Order.SPACE, Order.PHOTOS):
            self._clusters = self._sorted(self._clusters)  # the same clusters, another order

    def matches(self, summary: Summary) -> bool:
        """True when the photo passes the filter (always, with no filter)."""
        if not self.filter_text:
            return True
        shown = relative_in(summary.path, self.folders) if self.folders else str(summary.path)
        return self.filter_text.casefold() in shown.casefold()

    def is_shown(self, cluster: Cluster) -> bool:
        """True when a photo of the cluster passes the filter."""
        return any(self.matches(member.summary) for member in cluster.members)

    def shown_clusters(self) -> list[Cluster]:
        """Clusters with at least one photo passing the filter, in the order in force."""
        if not self.filter_text:
            return list(self.clusters)
        return [cluster for cluster in self.clusters if self.is_shown(cluster)]

    def shown_members(self, cluster: Cluster) -> tuple[Member, ...]:
        """The keeper (always, for reference) and the photos passing the filter."""
        if not self.filter_text:
            return cluster.members
        return tuple(m for i, m in enumerate(cluster.members) if i == 0 or self.matches(m.summary))

    def _sorted(self, clusters: Iterable[Cluster]) -> list[Cluster]:
        """In the order in force; by space, the figure each row shows (to_free: what `a`
        frees among the photos the filter shows)."""
        order, to_free = self.order, self.to_free

        def key(cluster: Cluster) -> tuple[object, ...]:
            first = 0 if self.has_new_photos(cluster) else 1
            name = str(cluster.keeper.path)
            if order is Order.PHOTOS:
                return (first, -len(cluster), -to_free(cluster)[0], name)
            if order is Order.CLOSEST:
                farthest = max(member.difference for member in cluster.others)
                return (first, farthest, name)
            if order is Order.FOLDER:
                return (first, str(cluster.keeper.path.parent), name)
            return (first, -to_free(cluster)[0], name)

        return sorted(clusters, key=key)

    # Not duplicates ---------------------------------------------------------

    def not_duplicate_of_keeper(self, cluster: Cluster, path: Path) -> bool:
        """Record "this photo is not a duplicate of its keeper"; then regroup. False when
        nothing was recorded: the keeper itself, or a photo of the very same content (an exact
        copy cannot be told apart)."""
        other = self.summaries.get(path, None)
        if other is None or path == cluster.keeper.path:
            return False
        if not self._record(self._new_group(), [(cluster.keeper, other)]):
            return False
        self._decided(cluster)
        return True

    def none_duplicates(self, cluster: Cluster) -> bool | None:
        """Record "none of these are duplicates of each other"; then regroup. None when the
        cluster is too large to record, False when nothing new was recorded."""
        photos = [member.summary for member in cluster.members]
        if len(photos) > MAX_NONE_DUPLICATES:
            return None
        pairs = [(a, b) for i, a in enumerate(photos) for b in photos[i + 1 :]]
        if not self._record(self._new_group(), pairs):
            return False
        self._decided(cluster)
        return True

    def take_back(self, group: str) -> bool:
        """Forget one not-duplicates decision; True when something was removed. The clusters
        must then be made again (the pairs were left out of them)."""
        if not self.not_duplicates.remove_group(group):
            return False
        self._removed_groups.append(group)
        self._added = [record for record in self._added if record.group != group]
        return True

    def _new_group(self) -> str:
        """Sortable by time to the nanosecond, unique across instances."""
        return f"{time.time_ns():020d}-{secrets.token_hex(3)}"

    def _record(self, group: str, pairs: list[tuple[Summary, Summary]]) -> int:
        """Add pairs under one group; returns how many were new."""
        recorded, added = self._clock(), 0
        for a, b in pairs:
            key_a, key_b = content_key(a), content_key(b)
            first, second = pair_key(key_a, key_b)
            path_a, path_b = str(a.path), str(b.path)
            if first != key_a:
                path_a, path_b = path_b, path_a
            record = NotDuplicate(first, second, group, path_a, path_b, recorded)
            if self.not_duplicates.add(record):
                self._added.append(record)
                added += 1
        return added

    # Saving -----------------------------------------------------------------

    def state_of(self, path: Path) -> PhotoState | None:
        """What is to be saved about one photo (None: nothing)."""
        return photo_state(path, self.marked, self.keepers, self.reviewed, self._made_on)

    def take_changes(self) -> Changes:
        """What changed since the last call (and forget it): the store writes this. Many
        changed photos come as a snapshot whose states are built as the writer reads them."""
        changed, self._dirty = self._dirty, set()
        photos: Mapping[Path, PhotoState | None]
        if len(changed) >= SNAPSHOT_FROM:
            photos = PhotoStates(changed, self.marked, self.keepers, self.reviewed, self._made_on)
        else:
            photos = {path: self.state_of(path) for path in changed}
        changes = Changes(
            photos, tuple(self._added), tuple(self._removed_groups), tuple(self._seen_added)
        )
        self._added.clear()
        self._removed_groups.clear()
        self._seen_added.clear()
        return changes

    # Bookkeeping ------------------------------------------------------------

    def _set(self, flags: set[Path], path: Path, on: bool) -> None:
        if (path in flags) != on:
            self._set_many(flags, (path,), on)

    def _set_many(self, flags: set[Path], paths: Iterable[Path], on: bool) -> None:
        """Turn one decision on or off for many photos in one pass (each path once)."""
        changed = [path for path in paths if (path in flags) != on]
        if not changed:
            return
        if on:
            flags.update(changed)
            summaries = self.summaries
            photos = [summaries[p] for p in changed if p in summaries]
            self._made_on.update((summary.path, summary) for summary in photos)
            if flags is self.reviewed:
                for summary in photos:
                    self._see(summary)
        else:
            flags.difference_update(changed)
        self._dirty.update(changed)
        if flags is self.marked:
            self._marks_changed(changed, on)
        elif flags is self.reviewed:
            cluster_of, stale = self._cluster_of, self._stale
            for path in changed:
                if (cluster := cluster_of.get(path)) is not None:
                    stale[id(cluster)] = cluster

    def _see(self, summary: Summary) -> None:
        key = content_key(summary)
        if key not in self.seen:
            self.seen.add(key)
            self._seen_added.append(key)

    def _decided(self, cluster: Cluster) -> None:
        self._set_many(self.reviewed, [member.summary.path for member in cluster.members], True)

    def _turn_on(self, flags: set[Path], photos: list[Summary]) -> None:
        """Bulk moves' fast path: turn a decision on for photos known to lack it (the caller
        checked; totals and staleness are the caller's to keep)."""
        paths = [summary.path for summary in photos]
        flags.update(paths)
        self._dirty.update(paths)
        self._made_on.update(zip(paths, photos, strict=True))
        if flags is self.reviewed:
            for summary in photos:
                self._see(summary)

    def _forget(self, paths: set[Path]) -> None:
        for path in paths:
            for flags in (self.marked, self.keepers, self.reviewed):
                self._set(flags, path, False)
            self._made_on.pop(path, None)

    def _identity(self, path: Path, default: FileIdentity | None) -> FileIdentity | None:
        identity = identity_of(self._made_on, path)
        return default if identity is None else identity

    def _drop_marks_outside_clusters(self) -> None:
        outside = [path for path in self.marked if path not in self._cluster_of]
        self._set_many(self.marked, outside, False)
        self.dropped_marks = tuple(sorted(outside))
