"""Near-duplicates at a threshold: the one call the CLI and the app share."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from . import strict as strict_check
from .cluster import Cluster, build_clusters
from .distance import find_pairs, stack
from .errors import InvalidThresholdError
from .summary import Summary

DEFAULT_THRESHOLD = 0.07
"""The tutorial's threshold."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two photos closer than the threshold."""

    first: Summary
    second: Summary
    difference: float


@dataclass(frozen=True, slots=True)
class Duplicates:
    """Pairs and clusters at one threshold."""

    threshold: float
    pairs: tuple[Pair, ...]
    clusters: tuple[Cluster, ...]
    strict: bool = False
    """True when the strict check removed the pairs it rejects (--strict)."""
    rejected: tuple[Pair, ...] = ()
    """Pairs under the threshold that the strict check rejected (left out when strict)."""


MAX_PAIRS = 2_000_000
"""More linked pairs than this means a threshold too loose to help anyone (and gigabytes of
memory): find_duplicates stops with TooManyPairsError instead."""


def find_duplicates(
    summaries: Sequence[Summary],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    cancel: threading.Event | None = None,
    max_pairs: int | None = MAX_PAIRS,
    strict: bool = False,
) -> Duplicates:
    """Near-duplicate pairs and their clusters; no file is read (summaries are enough).

    With `strict`, pairs the strict check rejects are left out before clustering (it never
    adds one); either way, members that look different from their keeper up close are flagged.
    When `cancel` is set the search stops early and the result is incomplete: discard it.
    """
    index_pairs = find_pairs(stack(summaries), threshold, cancel=cancel, max_pairs=max_pairs)
    pairs = tuple(Pair(summaries[i], summaries[j], value) for i, j, value in index_pairs)
    # --- strict check (issue 10): a pair filter before clustering, an annotation after ---
    rejected: tuple[Pair, ...] = ()
    if strict:
        confirmed = strict_check.confirms([(pair.first, pair.second) for pair in pairs])
        index_pairs = [p for p, ok in zip(index_pairs, confirmed, strict=True) if ok]
        rejected = tuple(p for p, ok in zip(pairs, confirmed, strict=True) if not ok)
        pairs = tuple(p for p, ok in zip(pairs, confirmed, strict=True) if ok)
    clusters = tuple(strict_check.annotate(build_clusters(summaries, index_pairs)))
    return Duplicates(threshold, pairs, clusters, strict, rejected)


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
