"""From close pairs to clusters: photos with identical summaries folded into one row, then
keeper-centred grouping (the best photo left keeps every photo close to it, then the next best),
so a cluster is never a chain: every member's difference to its keeper is below the threshold.
5,000 copies of one photo cost the pair search one row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .cluster import DEFAULT_RULES, Cluster, _member, sort_by_space
from .grey import compare, grey_rows
from .keeper import KeeperRules
from .not_duplicates import NotDuplicates, content_key
from .summary import Summary


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
