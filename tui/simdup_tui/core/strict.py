"""The strict check: a second look at pairs the 16x16 test found (structure, mirror, colour cast).

It never adds a pair: it only confirms or rejects pairs that are already under the threshold.
Three tests, all on the two 16x16 summaries (no file is read, nothing more is stored per photo):

- structure: 1 - the mean SSIM of their luminance over 4x4-pixel windows. SSIM compares
  local contrast and structure after removing brightness, so black strokes on white, or pages of
  one layout, differ even where their mean colours agree;
- mirror: the left-right mirror of one is clearly closer (by structure) to the other than the
  picture itself;
- colour cast: their mean chroma (R-G, B-G) moved far in one direction, while both have colour
  (a grey copy of a colour photo is still a copy).

The limits were chosen by measurement (benchmarks/strict_candidates.py, bench_accuracy.py):
the tutorial's own near-duplicates, burst shots included, reach a structure difference of 0.239.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .cluster import Cluster
from .summary import SIDE, Summary

STRUCTURE_LIMIT = 0.25
"""Pairs whose structure difference (1 - mean SSIM, 0 identical .. 2) reaches this look
different. The tutorial's burst shots reach 0.239; different drawings start at 0.42."""
MIRROR_RATIO = 0.5
"""A mirror when the mirrored structure difference is below this fraction of the direct one."""
MIRROR_FLOOR = 0.02
"""Below this structure difference the two look the same either way round: no mirror test."""
COLOUR_SHIFT_LIMIT = 22.0
"""Mean chroma moved this far (0..255 units) means a colour cast (brightness +10%: up to 13)."""
GREY_CHROMA = 4.0
"""A summary whose mean |chroma| is below this is a grey picture: exempt from the colour test."""

WINDOW = 4
"""SSIM windows are WINDOW x WINDOW summary pixels (16 windows a summary)."""
_C1 = (0.01 * 255) ** 2
_C2 = (0.03 * 255) ** 2
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)

STRUCTURE = "structure differs"
MIRROR = "mirror image"
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


def structure_differences(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """1 - mean SSIM over WINDOW x WINDOW windows, per pair: (n, 16, 16) luminance -> (n,)."""
    count = first.shape[0]
    side = SIDE // WINDOW

    def windows(values: np.ndarray) -> np.ndarray:
        shaped = values.reshape(count, side, WINDOW, side, WINDOW).transpose(0, 1, 3, 2, 4)
        return shaped.reshape(count, side, side, WINDOW * WINDOW)

    a, b = windows(first), windows(second)
    mean_a, mean_b = a.mean(axis=-1), b.mean(axis=-1)
    var_a, var_b = a.var(axis=-1), b.var(axis=-1)
    cov = ((a - mean_a[..., None]) * (b - mean_b[..., None])).mean(axis=-1)
    ssim = ((2 * mean_a * mean_b + _C1) * (2 * cov + _C2)) / (
        (mean_a**2 + mean_b**2 + _C1) * (var_a + var_b + _C2)
    )
    return 1.0 - ssim.reshape(count, -1).mean(axis=-1)


def judge_many(
    firsts: Sequence[Summary | bytes], seconds: Sequence[Summary | bytes]
) -> list[Verdict]:
    """The strict verdict on each (firsts[i], seconds[i]); vectorised, no file is read."""
    if not firsts:
        return []
    rgb_a, rgb_b = _pixels(firsts), _pixels(seconds)
    luma_a, luma_b = rgb_a @ _LUMA, rgb_b @ _LUMA
    direct = structure_differences(luma_a, luma_b)
    mirrored = structure_differences(luma_a, luma_b[:, :, ::-1])
    chroma_a = np.stack([rgb_a[..., 0] - rgb_a[..., 1], rgb_a[..., 2] - rgb_a[..., 1]], -1)
    chroma_b = np.stack([rgb_b[..., 0] - rgb_b[..., 1], rgb_b[..., 2] - rgb_b[..., 1]], -1)
    shift = np.linalg.norm(chroma_a.mean(axis=(1, 2)) - chroma_b.mean(axis=(1, 2)), axis=-1)
    colourful = np.minimum(
        np.abs(chroma_a).mean(axis=(1, 2, 3)), np.abs(chroma_b).mean(axis=(1, 2, 3))
    )
    verdicts = []
    for index in range(len(firsts)):
        structure = float(direct[index])
        if structure >= STRUCTURE_LIMIT:
            verdicts.append(Verdict(False, STRUCTURE, structure))
        elif structure >= MIRROR_FLOOR and mirrored[index] < MIRROR_RATIO * structure:
            verdicts.append(Verdict(False, MIRROR, structure))
        elif shift[index] >= COLOUR_SHIFT_LIMIT and colourful[index] >= GREY_CHROMA:
            verdicts.append(Verdict(False, COLOUR, structure))
        else:
            verdicts.append(Verdict(True, "", structure))
    return verdicts


def judge(first: Summary | bytes, second: Summary | bytes) -> Verdict:
    """The strict verdict on one pair."""
    return judge_many([first], [second])[0]


def confirms(pairs: Sequence[tuple[Summary, Summary]]) -> list[bool]:
    """For each pair, whether the strict check confirms it (in chunks, so memory stays flat)."""
    result: list[bool] = []
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        verdicts = judge_many([a for a, _ in chunk], [b for _, b in chunk])
        result.extend(verdict.same for verdict in verdicts)
    return result


def annotate(clusters: Iterable[Cluster]) -> list[Cluster]:
    """The clusters with members the strict check rejects against their keeper flagged
    (Member.looks_different); pairs and clusters themselves are unchanged."""
    clusters = list(clusters)
    jobs = [(c.keeper, m.summary) for c in clusters for m in c.others]
    flags = iter([not ok for ok in confirms(jobs)])
    annotated = []
    for cluster in clusters:
        members = [cluster.members[0]]
        members += [replace(m, looks_different=next(flags)) for m in cluster.others]
        annotated.append(replace(cluster, members=tuple(members)))
    return annotated


_CHUNK = 20_000
"""Pairs judged per vectorised step (about 40 MB of temporaries)."""
