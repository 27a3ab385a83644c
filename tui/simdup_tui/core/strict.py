"""The strict check: a second look at pairs the 16x16 test found (structure, mirror, colour cast).

It never adds a pair: it only confirms or rejects pairs that are already under the threshold.
The tests, all on the two summaries (no file is read again):

- structure: 1 - the mean SSIM of their luminance over 4x4-pixel windows. SSIM compares
  local contrast and structure after removing brightness, so black strokes on white, or pages of
  one layout, differ even where their mean colours agree. When both are low-contrast pictures
  (thin strokes on a large drawing), their contrast-stretched detail (detail.py, from the same
  decode, cached) is compared the same way too;
- mirror: the left-right mirror of one is clearly closer (by structure) to the other than the
  picture itself;
- zoom: the centre of one, enlarged (1.2x to 2x), is clearly closer to the other than the
  picture itself (a 40% zoom of a smooth scene is otherwise as close as a burst shot);
- colour cast: their mean chroma (R-G, B-G) moved far in one direction, while both have colour
  (a grey copy of a colour photo is still a copy: grey.py compares it on brightness).

The limits were chosen by measurement (benchmarks/strict_candidates.py, bench_accuracy.py):
the tutorial's own near-duplicates, burst shots included, reach a structure difference of 0.239.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .cluster import Cluster, sort_by_space
from .detail import DETAIL_BYTES
from .grey import grey_rows
from .summary import SIDE, Summary

STRUCTURE_LIMIT = 0.25
"""Pairs whose structure difference (1 - mean SSIM, 0 identical .. 2) reaches this look
different. The tutorial's burst shots reach 0.239; different drawings start at 0.42."""
MIRROR_RATIO = 0.5
"""A mirror when the mirrored structure difference is below this fraction of the direct one."""
MIRROR_FLOOR = 0.02
"""Below this structure difference the two look the same either way round: no mirror or zoom
test."""
ZOOM_FLOOR = 0.08
"""Below this structure difference no zoom test: the zoomed pairs measured start at 0.12, and
most true copies are below it (the test is the costliest part of the check)."""
ZOOM_FACTORS = (1.2, 1.4, 1.7, 2.0)
"""Enlargements of one picture's centre tried against the other."""
ZOOM_RATIO = 0.5
"""A zoom when an enlarged centre's structure difference is below this fraction of the direct
one (zoomed copies measured at most 0.20, true copies at least 1.31, the tutorial's burst
shots at least 0.95)."""
COLOUR_SHIFT_LIMIT = 22.0
"""Mean chroma moved this far (0..255 units) means a colour cast (brightness +10%: up to 13)."""
GREY_CHROMA = 4.0
"""A summary whose mean |chroma| is below this is a grey picture: exempt from the colour test
(so is one grey by grey.grey_rows, whose faint tint may reach 5)."""

WINDOW = 4
"""SSIM windows are WINDOW x WINDOW summary pixels (16 windows a summary)."""
_C1 = (0.01 * 255) ** 2
_C2 = (0.03 * 255) ** 2
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
_CHROMA = np.array([[1, 0], [-1, -1], [0, 1]], dtype=np.float32)
"""RGB @ _CHROMA = (R - G, B - G)."""

STRUCTURE = "structure differs"
MIRROR = "mirror image"
ZOOM = "zoomed in"
COLOUR = "colour cast"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the strict check says about two photos."""

    same: bool
    """True when the pair is confirmed."""
    reason: str = ""
    """Why not (STRUCTURE, MIRROR or COLOUR); "" when confirmed."""
    structure: float = 0.0
    """1 - mean SSIM of the luminance (0 identical)."""


def _pixels(summaries: Sequence[Summary | bytes]) -> np.ndarray:
    """(n, 16, 16, 3) float32 from summaries or their 768 bytes."""
    raw = b"".join(s if isinstance(s, bytes) else s.pixels for s in summaries)
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, SIDE, SIDE, 3).astype(np.float32)


_BLOCKS = np.kron(np.eye(SIDE // WINDOW), np.full((1, WINDOW), 1 / WINDOW)).astype(np.float32)
"""(4, 16): B @ x @ B.T is the mean of each WINDOW x WINDOW window (matrix products are far
faster than numpy's strided reductions here)."""


def _window_means(values: np.ndarray) -> np.ndarray:
    return _BLOCKS @ values @ _BLOCKS.T


def structure_differences(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """1 - mean SSIM over WINDOW x WINDOW windows, per pair: (n, 16, 16) luminance -> (n,)."""
    mean_a, mean_b = _window_means(first), _window_means(second)
    var_a = _window_means(first * first) - mean_a * mean_a
    var_b = _window_means(second * second) - mean_b * mean_b
    cov = _window_means(first * second) - mean_a * mean_b
    ssim = ((2 * mean_a * mean_b + _C1) * (2 * cov + _C2)) / (
        (mean_a * mean_a + mean_b * mean_b + _C1) * (var_a + var_b + _C2)
    )
    return 1.0 - ssim.reshape(first.shape[0], -1).mean(axis=-1)


def _zoom_matrix(factor: float) -> np.ndarray:
    """(16, 16) bilinear weights: M @ x @ M.T enlarges the centre 1/factor of x to 16x16."""
    size = SIDE / factor
    offset = (SIDE - size) / 2
    matrix = np.zeros((SIDE, SIDE), dtype=np.float32)
    for row in range(SIDE):
        source = offset + (row + 0.5) * size / SIDE - 0.5
        left = int(np.floor(source))
        weight = source - left
        for column, share in ((left, 1 - weight), (left + 1, weight)):
            matrix[row, min(SIDE - 1, max(0, column))] += share
    return matrix


_ZOOMS = [_zoom_matrix(factor) for factor in ZOOM_FACTORS]


def _zoomed_closer(luma_a: np.ndarray, luma_b: np.ndarray, direct: np.ndarray) -> np.ndarray:
    """Per pair: True when an enlarged centre of either is much closer than the pictures."""
    best = np.full(direct.shape, np.inf, dtype=np.float32)
    for matrix in _ZOOMS:
        zoomed_a = matrix @ luma_a @ matrix.T
        zoomed_b = matrix @ luma_b @ matrix.T
        best = np.minimum(best, structure_differences(zoomed_a, luma_b))
        best = np.minimum(best, structure_differences(luma_a, zoomed_b))
    return best < ZOOM_RATIO * direct


def _add_detail_structure(
    firsts: Sequence[Summary | bytes], seconds: Sequence[Summary | bytes], direct: np.ndarray
) -> None:
    """Where both pictures have a detail, raise direct to the detail's structure difference."""
    both = [
        index
        for index, (a, b) in enumerate(zip(firsts, seconds, strict=True))
        if len(getattr(a, "detail", b"")) == DETAIL_BYTES
        and len(getattr(b, "detail", b"")) == DETAIL_BYTES
    ]
    if not both:
        return

    def stacked(summaries: Sequence[Summary | bytes]) -> np.ndarray:
        raw = b"".join(summaries[index].detail for index in both)  # type: ignore[union-attr]
        return np.frombuffer(raw, dtype=np.uint8).reshape(-1, SIDE, SIDE).astype(np.float32)

    fine = structure_differences(stacked(firsts), stacked(seconds))
    direct[both] = np.maximum(direct[both], fine)


_REASONS = ("", STRUCTURE, MIRROR, ZOOM, COLOUR)
"""Reason codes of _codes(): 0 confirmed, then the test that rejected the pair."""
STRUCTURE_FLOOR = 4.0
"""A summary whose luminance varies less than this (variance, levels squared) is flat: mirror
and zoom mean nothing for it."""


def _codes(
    firsts: Sequence[Summary | bytes], seconds: Sequence[Summary | bytes]
) -> tuple[np.ndarray, np.ndarray]:
    """(reason code per pair (index into _REASONS), structure difference per pair)."""
    rgb_a, rgb_b = _pixels(firsts), _pixels(seconds)
    luma_a, luma_b = rgb_a @ _LUMA, rgb_b @ _LUMA
    direct = structure_differences(luma_a, luma_b)
    _add_detail_structure(firsts, seconds, direct)
    codes = np.zeros(direct.shape, dtype=np.int8)
    # Colour first (cheap), then structure, mirror and zoom overwrite in order of precedence.
    chroma_a = (rgb_a.reshape(-1, SIDE * SIDE, 3) @ _CHROMA).reshape(-1, SIDE * SIDE * 2)
    chroma_b = (rgb_b.reshape(-1, SIDE * SIDE, 3) @ _CHROMA).reshape(-1, SIDE * SIDE * 2)
    mean_shift = (chroma_a - chroma_b).reshape(-1, SIDE * SIDE, 2).mean(axis=1)
    shift = np.sqrt((mean_shift * mean_shift).sum(axis=-1))
    colourful = np.minimum(np.abs(chroma_a).mean(axis=-1), np.abs(chroma_b).mean(axis=-1))
    # A grey picture (grey.py's test, the one that compares it on brightness) has no colour to
    # cast: mean |chroma| alone would miss a grey copy with a steady faint tint (up to 5).
    grey = grey_rows(rgb_a.reshape(len(rgb_a), -1).astype(np.uint8)) | grey_rows(
        rgb_b.reshape(len(rgb_b), -1).astype(np.uint8)
    )
    codes[(shift >= COLOUR_SHIFT_LIMIT) & (colourful >= GREY_CHROMA) & ~grey] = 4
    # The mirror and zoom tests only for pairs the structure test keeps and could reject, and
    # that have structure at all (plain colours look the same mirrored or zoomed).
    varied = (luma_a.reshape(-1, SIDE * SIDE).var(axis=-1) >= STRUCTURE_FLOOR) & (
        luma_b.reshape(-1, SIDE * SIDE).var(axis=-1) >= STRUCTURE_FLOOR
    )
    open_ = np.flatnonzero((direct < STRUCTURE_LIMIT) & (direct >= MIRROR_FLOOR) & varied)
    if open_.size:
        a, b = luma_a[open_], luma_b[open_]
        wide = np.flatnonzero(direct[open_] >= ZOOM_FLOOR)  # most copies are closer than that
        if wide.size:
            zoomed = _zoomed_closer(a[wide], b[wide], direct[open_][wide])
            codes[open_[wide][zoomed]] = 3
        mirrored = structure_differences(a, np.ascontiguousarray(b[:, :, ::-1]))
        codes[open_[mirrored < MIRROR_RATIO * direct[open_]]] = 2
    codes[direct >= STRUCTURE_LIMIT] = 1
    return codes, direct


def judge_many(
    firsts: Sequence[Summary | bytes], seconds: Sequence[Summary | bytes]
) -> list[Verdict]:
    """The strict verdict on each (firsts[i], seconds[i]); vectorised, no file is read."""
    if not firsts:
        return []
    codes, direct = _codes(firsts, seconds)
    return [
        Verdict(code == 0, _REASONS[code], structure)
        for code, structure in zip(codes.tolist(), direct.tolist(), strict=True)
    ]


def judge(first: Summary | bytes, second: Summary | bytes) -> Verdict:
    """The strict verdict on one pair."""
    return judge_many([first], [second])[0]


def confirms(pairs: Sequence[tuple[Summary, Summary]]) -> list[bool]:
    """For each pair, whether the strict check confirms it (in chunks, so memory stays flat)."""
    result: list[bool] = []
    pairs = list(pairs)
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        codes, _ = _codes([a for a, _ in chunk], [b for _, b in chunk])
        result.extend((codes == 0).tolist())
    return result


def annotate(
    clusters: Iterable[Cluster], known: dict[tuple[int, int], bool] | None = None
) -> list[Cluster]:
    """The clusters with members the strict check rejects against their keeper flagged
    (Member.looks_different, from freshly built clusters); pairs and clusters are unchanged,
    but the clusters are sorted again by space to free (cluster.sort_by_space) when a member
    was flagged, as `a` leaves such a photo unmarked.

    Members whose summary and detail equal the keeper's are not judged (identical copies), and
    only clusters with a flagged member are rebuilt. `known` keeps verdicts by (id(keeper
    summary), id(member summary)) across calls: the caller keeps those summaries alive (a
    regroup after `p` judges only the pairs it has not judged before).
    """
    clusters = list(clusters)
    known = {} if known is None else known
    jobs: list[tuple[Summary, Summary]] = []
    where: list[tuple[int, int]] = []
    verdicts: list[bool | None] = []
    for cluster_index, cluster in enumerate(clusters):
        keeper = cluster.keeper
        for member_index, member in enumerate(cluster.others, start=1):
            summary = member.summary
            if summary.pixels == keeper.pixels and summary.detail == keeper.detail:
                continue
            where.append((cluster_index, member_index))
            verdict = known.get((id(keeper), id(summary)))
            verdicts.append(verdict)
            if verdict is None:
                jobs.append((keeper, summary))
    judged = confirms(jobs)
    for (keeper, summary), same in zip(jobs, judged, strict=True):
        known[(id(keeper), id(summary))] = same
    fresh = iter(judged)
    flagged: dict[int, list[int]] = {}
    for (cluster_index, member_index), verdict in zip(where, verdicts, strict=True):
        same = next(fresh) if verdict is None else verdict
        if not same:
            flagged.setdefault(cluster_index, []).append(member_index)
    for cluster_index, member_indices in flagged.items():
        members = list(clusters[cluster_index].members)
        for member_index in member_indices:
            members[member_index] = replace(members[member_index], looks_different=True)
        clusters[cluster_index] = replace(clusters[cluster_index], members=tuple(members))
    if flagged:  # a flagged photo no longer counts in its cluster's "to free"
        sort_by_space(clusters)
    return clusters


_CHUNK = 2048
"""Pairs judged per vectorised step (a few MB of temporaries)."""
