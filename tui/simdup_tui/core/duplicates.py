"""Near-duplicates at a threshold: the one call the CLI and the app share."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

import numpy as np

from . import grey as grey_match
from . import strict as strict_check
from .cluster import Cluster
from .clustering import Folded, RankCache, RowPairs, fold_identical, keeper_centred
from .distance import find_pair_arrays, stack
from .errors import InvalidThresholdError
from .keeper import KeeperRules
from .not_duplicates import NotDuplicates
from .summary import Summary

DEFAULT_THRESHOLD = 0.07
"""The tutorial's threshold."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two photos closer than the threshold."""

    first: Summary
    second: Summary
    difference: float
    grey_copy: bool = False
    """Exactly one of the two is greyscale: the difference is on brightness (grey.py)."""


@dataclass(frozen=True)
class Duplicates:
    """Pairs and keeper-centred clusters at one threshold.

    The pairs are every pair of photos below the threshold, built only when asked for (5,000
    identical copies are 12.5 million pairs but one row of the search).
    """

    threshold: float
    clusters: tuple[Cluster, ...]
    summaries: Sequence[Summary] = field(default=(), repr=False)
    folded: Folded = field(default=Folded((), ()), repr=False)
    row_pairs: RowPairs = field(default_factory=lambda: RowPairs.of([]), repr=False)
    """Close pairs of distinct summaries (rows of `folded`), i < j."""
    rules: KeeperRules = field(default_factory=KeeperRules, repr=False)
    strict: bool = False
    """True when the strict check left out the pairs it rejects (--strict)."""
    rejected: RowPairs = field(default_factory=lambda: RowPairs.of([]), repr=False)
    """Close pairs of rows that the strict check rejected (left out when strict)."""
    not_duplicates: NotDuplicates | None = field(default=None, repr=False)
    """Pairs recorded as not duplicates: never in a cluster, nor in `pairs`."""
    grey: bool = True
    """The grey-copy match was on (grey.py); False with --no-grey: the tutorial's metric."""
    greys: np.ndarray | None = field(default=None, repr=False)
    """Per row of `folded`: the summary is greyscale (None when the match is off)."""
    rank_cache: RankCache = field(default_factory=RankCache, repr=False, compare=False)
    """Keeper ranks of these summaries, shared by every regroup of them (see keeper_centred)."""
    verdicts: dict[tuple[int, int], bool] = field(default_factory=dict, repr=False, compare=False)
    """Strict verdicts on (keeper, member) pairs of these summaries (strict.annotate), shared
    by every regroup of them."""

    @property
    def pair_count(self) -> int:
        """How many photo pairs are below the threshold (without building them, unless some
        are recorded as not duplicates)."""
        if self.not_duplicates:
            return len(self.pairs)
        sizes = np.fromiter((len(row) for row in self.folded.rows), dtype=np.int64)
        inside = int((sizes * (sizes - 1) // 2).sum())
        pairs = self.row_pairs
        return inside + int((sizes[pairs.first] * sizes[pairs.second]).sum())

    @property
    def recorded_count(self) -> int:
        """How many photo pairs below the threshold are left out because they are recorded as
        not duplicates (0 without records; builds every pair otherwise)."""
        ignored, summaries = self.not_duplicates, self.summaries
        if not ignored:
            return 0
        return sum(
            1 for i, j, _ in self.iter_index_pairs() if ignored.blocks(summaries[i], summaries[j])
        )

    def iter_index_pairs(self) -> Iterator[tuple[int, int, float]]:
        """(i < j, difference) over photo indices, sorted by (i, j)."""
        rows = self.folded.rows
        found: list[tuple[int, int, float]] = []
        for row in rows:
            found.extend((i, j, 0.0) for i, j in combinations(row, 2))
        pairs = self.row_pairs
        for left, right, value in zip(
            pairs.first.tolist(), pairs.second.tolist(), pairs.values.tolist(), strict=True
        ):
            for i in rows[left]:
                found.extend((i, j, value) if i < j else (j, i, value) for j in rows[right])
        found.sort(key=lambda pair: (pair[0], pair[1]))
        return iter(found)

    @cached_property
    def pairs(self) -> tuple[Pair, ...]:
        """Every pair below the threshold, but those recorded as not duplicates."""
        summaries = self.summaries
        ignored = self.not_duplicates
        return tuple(
            Pair(summaries[i], summaries[j], value, self._grey_copy(i, j))
            for i, j, value in self.iter_index_pairs()
            if not (ignored and ignored.blocks(summaries[i], summaries[j]))
        )

    def _grey_copy(self, i: int, j: int) -> bool:
        """Photos i and j were compared on brightness (exactly one of them is grey)."""
        greys, row_of = self.greys, self.folded.row_of
        return greys is not None and bool(greys[row_of[i]] != greys[row_of[j]])

    @property
    def rejected_pairs(self) -> tuple[Pair, ...]:
        """Photo pairs under the threshold that the strict check rejected (--strict)."""
        rows, summaries, pairs = self.folded.rows, self.summaries, self.rejected
        found = [
            (min(i, j), max(i, j), value)
            for left, right, value in zip(
                pairs.first.tolist(), pairs.second.tolist(), pairs.values.tolist(), strict=True
            )
            for i in rows[left]
            for j in rows[right]
        ]
        found.sort(key=lambda pair: (pair[0], pair[1]))
        return tuple(
            Pair(summaries[i], summaries[j], value, self._grey_copy(i, j)) for i, j, value in found
        )

    def regroup(
        self, rules: KeeperRules, not_duplicates: NotDuplicates | None = None
    ) -> Duplicates:
        """The same pairs, clusters rebuilt with other keeper rules or choices, or with more
        or fewer pairs recorded as not duplicates (no search)."""
        ignored = not_duplicates if not_duplicates is not None else self.not_duplicates
        clusters = strict_check.annotate(
            keeper_centred(
                self.summaries, self.folded, self.row_pairs, rules, ignored, self.greys,
                self.rank_cache,
            ),
            self.verdicts,
        )  # fmt: skip
        return Duplicates(
            self.threshold, tuple(clusters), self.summaries, self.folded, self.row_pairs, rules,
            self.strict, self.rejected, ignored, self.grey, self.greys, self.rank_cache,
            self.verdicts,
        )  # fmt: skip


MAX_PAIRS = 2_000_000
"""More linked pairs of distinct summaries than this means a threshold too loose to help anyone
(and gigabytes of memory): find_duplicates stops with TooManyPairsError instead."""


def find_duplicates(
    summaries: Sequence[Summary],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    rules: KeeperRules | None = None,
    cancel: threading.Event | None = None,
    max_pairs: int | None = MAX_PAIRS,
    not_duplicates: NotDuplicates | None = None,
    strict: bool = False,
    grey: bool = True,
) -> Duplicates:
    """Near-duplicate pairs and their keeper-centred clusters; no file is read.

    Identical summaries are folded into one row before the search, so max_pairs counts pairs
    of distinct summaries. With `grey` (the default; --no-grey turns it off), a greyscale photo
    and a colour photo are compared on brightness (grey.py): a grey copy of a colour photo is
    found; pairs of two colour or two grey photos keep the tutorial's metric exactly.
    With `strict`, pairs the strict check rejects are left out before
    the clusters are made (it never adds one); either way, members that look different from
    their keeper up close are flagged. Pairs recorded in `not_duplicates` are never linked.
    When `cancel` is set the search stops early and the result is incomplete: discard it.
    """
    rules = rules or KeeperRules()
    folded = fold_identical(summaries)
    distinct = [summaries[row[0]] for row in folded.rows]
    matrix = stack(distinct)
    greys = None
    if grey:
        arrays, greys = grey_match.find_pairs(matrix, threshold, cancel=cancel, max_pairs=max_pairs)
    else:
        arrays = find_pair_arrays(matrix, threshold, cancel=cancel, max_pairs=max_pairs,
                                  ordered=False)  # fmt: skip
    row_pairs = RowPairs(*arrays)
    rejected = RowPairs.of([])
    if strict:  # --- the strict check (issue 10): a filter on the pairs of distinct rows ---
        row_pairs, rejected = _split_strictly(distinct, row_pairs)
    ranks, verdicts = RankCache(), {}  # kept for regroups (p, o) of these summaries
    clusters = strict_check.annotate(
        keeper_centred(summaries, folded, row_pairs, rules, not_duplicates, greys, ranks),
        verdicts,
    )
    return Duplicates(
        threshold, tuple(clusters), summaries, folded, row_pairs, rules, strict, rejected,
        not_duplicates, grey, greys, ranks, verdicts,
    )  # fmt: skip


def _split_strictly(distinct: Sequence[Summary], pairs: RowPairs) -> tuple[RowPairs, RowPairs]:
    """(confirmed, rejected) row pairs. Identical summaries share a row, so are never judged."""
    confirmed = np.array(
        strict_check.confirms(
            [(distinct[i], distinct[j]) for i, j in zip(pairs.first.tolist(),
                                                         pairs.second.tolist(), strict=True)]
        ),
        dtype=bool,
    ).reshape(-1)  # fmt: skip

    def subset(keep: np.ndarray) -> RowPairs:
        return RowPairs(pairs.first[keep], pairs.second[keep], pairs.values[keep])

    return subset(confirmed), subset(~confirmed)


def parse_threshold(text: str | float) -> float:
    """A threshold from the person: a number in (0, 1], else InvalidThresholdError."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InvalidThresholdError(
            f"threshold must be a number between 0 and 1, not {text!r}"
        ) from None
    if not 0 < value <= 1:  # also false for NaN
        raise InvalidThresholdError(f"threshold must be above 0 and at most 1, not {text}")
    return value
