"""Keeper-centred clusters: the best photo keeps every photo close to it, then the next best.

Clusters are never chains: every member's difference to its keeper is below the threshold.
Photos with identical summaries are folded into one row first, so 5,000 copies of one photo
cost the pair search one row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .grey import GREY_COPY, GREY_KEEPER, compare, grey_rows, is_grey
from .keeper import KeeperRules
from .names import PLAIN, FileNames
from .not_duplicates import NotDuplicates, content_key
from .summary import Summary

LOCK = "🔒"
"""Shown beside a protected photo."""


@dataclass(frozen=True, slots=True)
class Member:
    """A photo in a cluster and how far it is from the cluster's keeper."""

    summary: Summary
    difference: float
    """Difference to the keeper (0.0 for the keeper itself)."""
    names: FileNames = PLAIN
    """Its other names, and whether deleting it frees its bytes."""
    protected: bool = False
    """Inside a --protect folder: never marked, never deleted."""
    identical: bool = False
    """Its bytes are the keeper's bytes (checked by hashing): deleting it loses nothing."""
    looks_different: bool = False
    """The strict check rejects it against the keeper ("looks different up close"): `a` and
    `A` leave it unmarked. Set by strict.annotate, never by the 16x16 test."""
    grey_copy: bool = False
    """Exactly one of it and its keeper is greyscale: their difference is on brightness
    (grey.compare), the grey-copy match that linked them."""

    def notes(self, rel: Callable[[Path], str] = str) -> list[str]:
        """Words about this photo for people: identical, greyscale copy, its other names, link,
        protected."""
        notes = []
        if self.identical:
            notes.append("identical")
        if self.grey_copy:
            notes.append(self.grey_note)
        others = self.names.other_names
        if others:
            noun = "name" if len(others) == 1 else "names"
            notes.append(f"+{len(others)} {noun}: " + ", ".join(rel(name) for name in others))
        elif self.names.links > 1:
            notes.append(f"{self.names.links} hard links")
        if self.names.is_link:
            notes.append("link")
        if self.protected:
            notes.append(f"{LOCK} protected")
        return notes

    @property
    def grey_note(self) -> str:
        """Why its difference is on brightness (grey.GREY_COPY or GREY_KEEPER); "" if it is not."""
        if not self.grey_copy:
            return ""
        return GREY_COPY if is_grey(self.summary) else GREY_KEEPER

    @property
    def keeps_the_colour(self) -> bool:
        """It is in colour and its keeper is greyscale: deleting it would leave only the grey
        copy, so `a` and `A` leave it unmarked (it can still be marked by hand)."""
        return self.grey_copy and not is_grey(self.summary)

    @property
    def frees(self) -> int:
        """Bytes that deleting this name frees (0 for a link, another hard link, protected)."""
        return self.summary.size if self.names.frees_space and not self.protected else 0

    @property
    def suggested(self) -> bool:
        """`a` and `A` mark it (unless it is the keeper, or the path filter hides it): not
        protected, not flagged "looks different up close", not the colour photo under a
        greyscale keeper. The one rule for what the app offers to delete and what a
        cluster's "to free" counts."""
        return not (self.protected or self.looks_different or self.keeps_the_colour)


@dataclass(frozen=True, slots=True)
class Cluster:
    """A keeper and the photos within the threshold of it; members[0] is the keeper."""

    members: tuple[Member, ...]
    why: str = ""
    """Why members[0] is the keeper ("most pixels; tie: camera original")."""

    @property
    def keeper(self) -> Summary:
        return self.members[0].summary

    @property
    def others(self) -> tuple[Member, ...]:
        return self.members[1:]

    @property
    def reclaimable(self) -> int:
        """Bytes freed by marking the cluster with `a` and deleting: every suggested photo but
        the keeper (links, other hard links and protected photos free none)."""
        return space_of(self.others)[0]

    @property
    def by_hand(self) -> int:
        """Bytes more that only marking by hand frees: the photos `a` leaves unmarked (looks
        different up close, the colour photo under a greyscale keeper)."""
        return space_of(self.others)[1]

    @property
    def markable(self) -> tuple[Member, ...]:
        """The members that may be marked: not the keeper, not protected."""
        return tuple(member for member in self.others if not member.protected)

    def __len__(self) -> int:
        return len(self.members)


def space_of(others: Iterable[Member]) -> tuple[int, int]:
    """(bytes `a` frees, bytes more only marking by hand frees) among these non-keepers: the
    one computation behind every "to free" figure (tree rows, sort, --list, --json)."""
    suggested = by_hand = 0
    for member in others:
        if member.suggested:
            suggested += member.frees
        else:
            by_hand += member.frees
    return suggested, by_hand


def sort_by_space(clusters: list[Cluster]) -> None:
    """Most space to free first (Cluster.reclaimable), then by keeper path; in place."""
    clusters.sort(key=lambda cluster: (-cluster.reclaimable, str(cluster.keeper.path)))


DEFAULT_RULES = KeeperRules()


def keeper_rank(summary: Summary) -> tuple[object, ...]:
    """Sort key of the default rules: the best keeper first."""
    return DEFAULT_RULES.rank(summary)


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


def _member(summary: Summary, diff: float, rules: KeeperRules, grey_copy: bool = False) -> Member:
    return Member(
        summary,
        diff,
        rules.names.get(summary.path, PLAIN),
        rules.is_protected(summary.path),
        grey_copy=grey_copy,
    )


def make_cluster(
    summaries: Sequence[Summary],
    keeper: Summary | None = None,
    rules: KeeperRules | None = None,
    *,
    grey: bool = True,
) -> Cluster:
    """A cluster of these photos around the given keeper (or the best by the rules); the
    others sorted by difference (grey.compare: on brightness between a grey photo and a colour
    one, unless `grey` is False), then path."""
    rules = rules or DEFAULT_RULES
    chosen = keeper if keeper is not None else rules.best(summaries)
    rest = [summary for summary in summaries if summary is not chosen]
    members = [_member(chosen, 0.0, rules)]
    compared = [(summary, compare(chosen, summary, grey=grey)) for summary in rest]
    members += sorted(
        (_member(summary, c.difference, rules, c.on_brightness) for summary, c in compared),
        key=lambda member: (member.difference, str(member.summary.path)),
    )
    return Cluster(tuple(members), rules.why(chosen, rest))


@dataclass(frozen=True, slots=True)
class Folded:
    """Photos folded into rows of identical summaries."""

    row_of: tuple[int, ...]
    """Row of each photo."""
    rows: tuple[tuple[int, ...], ...]
    """Photos of each row, in photo order; rows ordered by their first photo."""


def fold_identical(summaries: Sequence[Summary]) -> Folded:
    """One row per distinct summary (768 bytes compared exactly)."""
    first: dict[bytes, int] = {}
    row_of: list[int] = []
    rows: list[list[int]] = []
    for index, summary in enumerate(summaries):
        row = first.setdefault(summary.pixels, len(rows))
        if row == len(rows):
            rows.append([])
        rows[row].append(index)
        row_of.append(row)
    return Folded(tuple(row_of), tuple(map(tuple, rows)))


@dataclass(frozen=True, slots=True)
class RowPairs:
    """Close pairs of rows as arrays: first[k] < second[k], values[k] their difference."""

    first: np.ndarray
    second: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, pairs: Sequence[tuple[int, int, float]]) -> RowPairs:
        table = np.asarray(pairs, dtype=np.float64).reshape(-1, 3)
        return cls(table[:, 0].astype(np.int64), table[:, 1].astype(np.int64), table[:, 2])

    def __len__(self) -> int:
        return len(self.first)


def keeper_centred(
    summaries: Sequence[Summary],
    folded: Folded,
    row_pairs: RowPairs,
    rules: KeeperRules | None = None,
    not_duplicates: NotDuplicates | None = None,
    greys: np.ndarray | None = None,
    rank_cache: RankCache | None = None,
) -> list[Cluster]:
    """Clusters from close pairs of rows: the best photo left becomes a keeper and takes every
    photo not yet taken that is close to it (its row, and the rows paired with it); groups of
    one are dropped. Most space to free first (sort_by_space), then by keeper path. A keeper
    never takes a photo recorded as not its duplicate (`not_duplicates`): that photo stays free
    for the next.
    `greys` (bool per row, grey.grey_rows) marks members linked to their keeper on brightness
    (Member.grey_copy): pass it when the pairs came from grey.find_pairs.

    Linear in photos plus pairs; the result depends only on the inputs (never on set order).
    `rank_cache` (kept by Duplicates across regroups of the same summaries) saves ranking every
    photo again when only the keeper choices changed.
    """
    rules = rules or DEFAULT_RULES
    count = len(folded.rows)
    if len(row_pairs):
        left, right = row_pairs.first, row_pairs.second
        source = np.concatenate([left, right])
        target = np.concatenate([right, left])
        values = np.concatenate([row_pairs.values, row_pairs.values])
        order = np.argsort(source)  # the order among a row's neighbours never matters
        target, values = target[order], values[order]
        bounds = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(source, minlength=count), out=bounds[1:])
    else:
        target = np.zeros(0, dtype=np.int64)
        values = np.zeros(0, dtype=np.float64)
        bounds = np.zeros(count + 1, dtype=np.int64)
    starts = bounds.tolist()
    candidates = [
        index
        for row, photos in enumerate(folded.rows)
        if len(photos) > 1 or starts[row + 1] > starts[row]
        for index in photos
    ]
    ranks = _ranks(summaries, candidates, rules, rank_cache)
    candidates.sort(key=ranks.__getitem__)
    taken = np.zeros(count, dtype=bool)
    blocked = _blocked_photos(summaries, candidates, not_duplicates)
    taken_photo: set[int] = set()
    """With recorded not-duplicates, photos are taken one by one (their rows may split)."""
    clusters: list[Cluster] = []
    for keeper_index in candidates:
        row = folded.row_of[keeper_index]
        if taken[row] or keeper_index in taken_photo:
            continue
        near = target[starts[row] : starts[row + 1]]
        near_values = values[starts[row] : starts[row + 1]]
        free = ~taken[near]
        near, near_values = near[free], near_values[free]
        if blocked is None:
            taken[row] = True
            taken[near] = True
            found = [(index, 0.0) for index in folded.rows[row] if index != keeper_index]
            for other_row, value in zip(near.tolist(), near_values.tolist(), strict=True):
                found.extend((index, value) for index in folded.rows[other_row])
        else:
            found = _take_unblocked(
                keeper_index, row, near.tolist(), near_values.tolist(), folded, taken,
                taken_photo, blocked,
            )  # fmt: skip
        if not found:
            continue
        found.sort(key=lambda item: (item[1], str(summaries[item[0]].path)))
        keeper = summaries[keeper_index]
        members = [_member(keeper, 0.0, rules)]
        if greys is None:
            members += [_member(summaries[index], value, rules) for index, value in found]
        else:
            grey_keeper = bool(greys[row])
            row_of = folded.row_of
            members += [
                _member(summaries[index], value, rules, bool(greys[row_of[index]]) != grey_keeper)
                for index, value in found
            ]
        why = rules.why_ranked(ranks[keeper_index], [ranks[index] for index, _ in found])
        clusters.append(Cluster(tuple(members), why))
    sort_by_space(clusters)
    return clusters


class RankCache:
    """Per photo index, KeeperRules.rank_unchosen for the rules last asked about (same order,
    names and protected paths): valid for one sequence of summaries only."""

    def __init__(self) -> None:
        self._rules: KeeperRules | None = None
        self._ranks: dict[int, tuple[object, ...]] = {}

    def ranks_for(self, rules: KeeperRules) -> dict[int, tuple[object, ...]]:
        kept = self._rules
        if kept is None or (kept.order, kept.names, kept.protected) != (
            rules.order, rules.names, rules.protected,
        ):  # fmt: skip
            self._rules, self._ranks = rules, {}
        return self._ranks


def _ranks(
    summaries: Sequence[Summary],
    candidates: Sequence[int],
    rules: KeeperRules,
    cache: RankCache | None,
) -> dict[int, tuple[object, ...]]:
    if cache is None:
        return {index: rules.rank(summaries[index]) for index in candidates}
    known = cache.ranks_for(rules)
    preferred = rules.preferred
    ranks: dict[int, tuple[object, ...]] = {}
    for index in candidates:
        base = known.get(index)
        if base is None:
            base = known[index] = rules.rank_unchosen(summaries[index])
        ranks[index] = (summaries[index].path not in preferred, *base)
    return ranks


def _blocked_photos(
    summaries: Sequence[Summary], candidates: Sequence[int], not_duplicates: NotDuplicates | None
) -> Callable[[int, int], bool] | None:
    """blocked(i, j) for photo indices, or None when nothing recorded concerns these photos."""
    if not not_duplicates:
        return None
    keys = {index: content_key(summaries[index]) for index in candidates}
    if not any(not_duplicates.involves(key) for key in keys.values()):
        return None
    return lambda i, j: not_duplicates.blocks_keys(keys[i], keys[j])


def _take_unblocked(
    keeper: int,
    row: int,
    near: list[int],
    near_values: list[float],
    folded: Folded,
    taken: np.ndarray,
    taken_photo: set[int],
    blocked: Callable[[int, int], bool],
) -> list[tuple[int, float]]:
    """The photos the keeper takes, one by one, leaving those recorded as not its duplicates;
    a row counts as taken once all its photos are."""
    taken_photo.add(keeper)
    found: list[tuple[int, float]] = []
    for other_row, value in [(row, 0.0), *zip(near, near_values, strict=True)]:
        for index in folded.rows[other_row]:
            if index not in taken_photo and not blocked(keeper, index):
                taken_photo.add(index)
                found.append((index, value))
        if all(index in taken_photo for index in folded.rows[other_row]):
            taken[other_row] = True
    return found


def build_clusters(
    summaries: Sequence[Summary],
    pairs: Iterable[tuple[int, int] | tuple[int, int, float]],
    rules: KeeperRules | None = None,
    *,
    grey: bool = True,
) -> list[Cluster]:
    """Keeper-centred clusters from index pairs of photos (differences computed by
    grey.compare when absent)."""
    folded = fold_identical(summaries)
    row_pairs: dict[tuple[int, int], float] = {}
    for pair in pairs:
        left, right = folded.row_of[pair[0]], folded.row_of[pair[1]]
        if left == right:
            continue
        key = (min(left, right), max(left, right))
        if key not in row_pairs:
            if len(pair) > 2:
                value = pair[2]  # type: ignore[misc]
            else:
                value = compare(summaries[pair[0]], summaries[pair[1]], grey=grey).difference
            row_pairs[key] = value
    listed = [(left, right, value) for (left, right), value in sorted(row_pairs.items())]
    greys = None
    if grey and folded.rows:
        greys = grey_rows(np.frombuffer(b"".join(summaries[row[0]].pixels for row in folded.rows),
                                        dtype=np.uint8).reshape(len(folded.rows), -1))  # fmt: skip
    return keeper_centred(summaries, folded, RowPairs.of(listed), rules, greys=greys)
