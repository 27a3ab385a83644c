"""How the strict check was chosen: each candidate comparison on the accuracy corpus's pairs.

Scans the labelled corpus (accuracy_corpus.py), keeps the pairs the 16x16 test finds at 0.07,
and for every candidate descriptor prints the best F1 over its own threshold sweep, the
threshold, the bytes it needs per photo, and how many distractor pairs it lets through.

    python benchmarks/strict_candidates.py [--scenes 24]

Each candidate is computed from a 64x64 luminance picture of the same reduced decode the scan
makes; its limit is either the best for this corpus, or the lowest that keeps the tutorial's 10
pairs (read from $SIMDUP_SAMPLES), which is what --strict must do.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))

from accuracy_corpus import make_accuracy_corpus

from simdup_tui.core import strict
from simdup_tui.core.animation import is_animation, representative_rgb
from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.scan import scan
from simdup_tui.core.summary import to_rgb, upright_rgb


def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * x + 1) * k / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m


def luminance(path: Path, side: int) -> np.ndarray:
    with Image.open(path) as image:
        if is_animation(image):
            rgb = representative_rgb(image, to_rgb)
        else:
            rgb = upright_rgb(image, (128, 128))
        grey = rgb.convert("L").resize((side, side), Image.Resampling.BOX)
    return np.asarray(grey, dtype=np.float64)


def dct2(grey: np.ndarray) -> np.ndarray:
    m = _dct_matrix(grey.shape[0])
    return m @ grey @ m.T


def phash(grey32: np.ndarray, low: int = 8) -> np.ndarray:
    coeffs = dct2(grey32)[:low, :low].ravel()
    return coeffs > np.median(coeffs)


def dct_sign(grey: np.ndarray, low: int) -> np.ndarray:
    coeffs = dct2(grey)[:low, :low].ravel()[1:]
    return coeffs > 0


def dhash(grey: np.ndarray) -> np.ndarray:
    small = np.asarray(
        Image.fromarray(grey.astype(np.uint8)).resize((17, 16), Image.Resampling.BOX), float
    )
    return (small[:, 1:] > small[:, :-1]).ravel()


def hamming(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a != b)) / a.size


def dct_cosine(a: np.ndarray, b: np.ndarray) -> float:
    return 1 - float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))


def gradients(grey: np.ndarray) -> np.ndarray:
    gx = np.diff(grey, axis=1)[:-1]
    gy = np.diff(grey, axis=0)[:, :-1]
    return np.stack([gx, gy]).ravel()


def ssim(a: np.ndarray, b: np.ndarray, window: int = 4) -> float:
    """1 - mean SSIM over non-overlapping windows (0 is identical)."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    n = a.shape[0] // window
    ab = a[: n * window, : n * window].reshape(n, window, n, window).transpose(0, 2, 1, 3)
    bb = b[: n * window, : n * window].reshape(n, window, n, window).transpose(0, 2, 1, 3)
    ma, mb = ab.mean(axis=(2, 3)), bb.mean(axis=(2, 3))
    va, vb = ab.var(axis=(2, 3)), bb.var(axis=(2, 3))
    cov = ((ab - ma[..., None, None]) * (bb - mb[..., None, None])).mean(axis=(2, 3))
    s = ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma**2 + mb**2 + c1) * (va + vb + c2))
    return 1 - float(s.mean())


def candidates() -> dict[str, tuple[int, Callable, Callable]]:
    """name -> (bytes per photo, describe(grey64), distance(d1, d2))."""

    def down(grey64: np.ndarray, side: int) -> np.ndarray:
        k = 64 // side
        return grey64.reshape(side, k, side, k).mean(axis=(1, 3))

    def dct_ac(grey64: np.ndarray, low: int, side: int) -> np.ndarray:
        coeffs = dct2(down(grey64, side))[:low, :low].ravel()[1:]
        return coeffs

    return {
        "pHash 64 bit (32x32 DCT, median)": (8, lambda g: phash(down(g, 32)), hamming),
        "pHash 256 bit (64x64 DCT 16x16, median)": (32, lambda g: phash(g, 16), hamming),
        "DCT signs 63 bit (32x32)": (8, lambda g: dct_sign(down(g, 32), 8), hamming),
        "DCT signs 255 bit (32x32, 16x16 low)": (32, lambda g: dct_sign(down(g, 32), 16), hamming),
        "dHash 256 bit (17x16 gradient signs)": (32, dhash, hamming),
        "dHash 256 bit + mirror test": (32, dhash, mirror_aware(hamming, mirror_dhash)),
        "DCT 8x8 AC coefficients, cosine": (63, lambda g: dct_ac(g, 8, 32), dct_cosine),
        "DCT 12x12 AC coefficients, cosine": (143, lambda g: dct_ac(g, 12, 32), dct_cosine),
        "gradients of 16x16 luminance, cosine": (
            256,
            lambda g: gradients(down(g, 16)),
            dct_cosine,
        ),
        "gradients of 32x32 luminance, cosine": (
            1024,
            lambda g: gradients(down(g, 32)),
            dct_cosine,
        ),
        "gradients 16x16 + mirror test": (
            256,
            lambda g: gradients(down(g, 16)),
            mirror_aware(dct_cosine, mirror_gradients(16)),
        ),
        "gradients 32x32 + mirror test": (
            1024,
            lambda g: gradients(down(g, 32)),
            mirror_aware(dct_cosine, mirror_gradients(32)),
        ),
        "SSIM 16x16 luminance (4x4 windows)": (256, lambda g: down(g, 16), ssim),
        "SSIM 32x32 luminance (4x4 windows)": (1024, lambda g: down(g, 32), ssim),
    }


def mirror_aware(distance: Callable, mirror: Callable) -> Callable:
    """A distance that is 1 (reject) when the mirror image of b is clearly closer to a."""

    def compare(a: np.ndarray, b: np.ndarray) -> float:
        direct = distance(a, b)
        return 1.0 if distance(a, mirror(b)) < direct * 0.5 else direct

    return compare


def mirror_gradients(side: int) -> Callable:
    def mirror(g: np.ndarray) -> np.ndarray:
        gx, gy = g.reshape(2, side - 1, side - 1)
        return np.stack([-gx[:, ::-1], gy[:, ::-1]]).ravel()

    return mirror


def mirror_dhash(bits: np.ndarray) -> np.ndarray:
    return ~bits.reshape(16, 16)[:, ::-1].ravel()


def best_f1(values: list[float], truth: list[bool]) -> tuple[float, float, int, int]:
    """(best F1, threshold, true pairs kept, false pairs kept): keep pairs with value < t."""
    best = (0.0, 0.0, 0, 0)
    order = sorted(set(values))
    total_true = sum(truth)
    for index, value in enumerate(order):
        limit = order[index + 1] if index + 1 < len(order) else value + 1e-9
        limit = (value + limit) / 2
        kept_true = sum(1 for v, t in zip(values, truth, strict=True) if v < limit and t)
        kept_false = sum(1 for v, t in zip(values, truth, strict=True) if v < limit and not t)
        if kept_true == 0:
            continue
        precision = kept_true / (kept_true + kept_false)
        recall = kept_true / total_true
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best[0]:
            best = (f1, limit, kept_true, kept_false)
    return best


def tutorial_pairs() -> list[tuple[Path, Path]]:
    """The tutorial's 10 pairs from $SIMDUP_SAMPLES (the strict check must keep them all)."""
    root = Path(os.environ.get("SIMDUP_SAMPLES", Path(__file__).parents[2] / "shared" / "photos"))
    pairs = []
    for folder in ("seagulls", "dublin"):
        expected = Path(__file__).parents[1] / folder / "expected.json"
        if not (root / folder).is_dir():
            return []
        for a, b in json.loads(expected.read_text())["pairs"]:
            pairs.append((root / folder / a, root / folder / b))
    return pairs


def f1_at(values: list[float], truth: list[bool], limit: float) -> tuple[float, int, int]:
    kept_true = sum(1 for v, t in zip(values, truth, strict=True) if v < limit and t)
    kept_false = sum(1 for v, t in zip(values, truth, strict=True) if v < limit and not t)
    precision = kept_true / (kept_true + kept_false) if kept_true + kept_false else 1.0
    recall = kept_true / max(1, sum(truth))
    return (2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            kept_true, kept_false)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=24)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="simdup-candidates-"))
    try:
        labels = make_accuracy_corpus(folder, args.scenes)
        result = scan(folder)
        pairs = find_duplicates(result.summaries, 0.07).pairs
        truth = [labels.group[p.first.path.name] == labels.group[p.second.path.name] for p in pairs]
        print(f"{len(pairs)} pairs at 0.07: {sum(truth)} true, {len(truth) - sum(truth)} false")
        tutorial = tutorial_pairs()
        print(
            "parity column: the limit set just above the tutorial's 10 pairs (burst shots), "
            "so --strict keeps them"
            if tutorial
            else "parity column: no sample photos"
        )
        names = {p.first.path for p in pairs} | {p.second.path for p in pairs}
        names |= {path for pair in tutorial for path in pair}
        greys = {path: luminance(path, 64) for path in names}
        print(f"{'candidate':42s} {'bytes':>5s}  {'best F1':>20s}  {'F1 keeping parity':>28s}")
        for name, (size, describe, distance) in candidates().items():
            described = {path: describe(grey) for path, grey in greys.items()}
            values = [distance(described[p.first.path], described[p.second.path]) for p in pairs]
            f1, _, _, kept_false = best_f1(values, truth)
            line = f"{name:42s} {size:5d}  {f1:.3f} ({kept_false:3d} false)"
            if tutorial:
                worst = max(distance(described[a], described[b]) for a, b in tutorial)
                parity, kept_true, kept_false = f1_at(values, truth, worst + 1e-6)
                line += f"   {parity:.3f} ({kept_false:3d} false, {kept_true} true)"
            print(line)
        verdicts = strict.judge_many([p.first for p in pairs], [p.second for p in pairs])
        values = [0.0 if verdict.same else 1.0 for verdict in verdicts]
        chosen, kept_true, kept_false = f1_at(values, truth, 0.5)
        print(f"{'chosen: strict.py (SSIM 16x16 + mirror + zoom + colour)':42s} {0:5d}  "
              f"{chosen:.3f} ({kept_false:3d} false, {kept_true} true kept)")  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
