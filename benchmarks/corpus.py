"""Benchmark corpora built on the fly: 12 MP photo-like JPEGs, small files, or bare summaries."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

PHONE_SIZE = (4000, 3000)
"""A 12 MP phone photo."""
SIDE = 16


def scene(seed: int, size: tuple[int, int] = PHONE_SIZE) -> np.ndarray:
    """A Pillow-drawn scene: soft colour field, a few shapes, blurred; (H, W, 3) uint8."""
    rng = np.random.default_rng(seed)
    width, height = size
    coarse = rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8)
    image = Image.fromarray(coarse, "RGB").resize((width // 8, height // 8), Image.BICUBIC)
    draw = ImageDraw.Draw(image)
    small_w, small_h = image.size
    for _ in range(int(rng.integers(3, 8))):
        x, y = rng.uniform(0, 1, size=2)
        rx, ry = rng.uniform(0.04, 0.25, size=2)
        colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
        box = ((x - rx) * small_w, (y - ry) * small_h, (x + rx) * small_w, (y + ry) * small_h)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2)).resize(size, Image.BILINEAR)
    return np.asarray(image)


def camera_noise(seed: int, size: tuple[int, int] = PHONE_SIZE, sigma: float = 4.0) -> np.ndarray:
    """Sensor-like noise (int16) shared by all photos of a run, shifted per photo."""
    width, height = size
    rng = np.random.default_rng(seed)
    return rng.normal(0, sigma, size=(height, width, 3)).astype(np.int16)


_NOISE: np.ndarray | None = None


def _write_photo(job: tuple[Path, int, int, int, int]) -> Path:
    """Write one JPEG: scene seed, brightness nudge and noise offset make copies near-duplicates."""
    global _NOISE
    path, seed, nudge, offset, quality = job
    if _NOISE is None:
        _NOISE = camera_noise(12345)
    pixels = scene(seed).astype(np.int16)
    pixels += np.roll(_NOISE, offset, axis=1)
    pixels += nudge
    np.clip(pixels, 0, 255, out=pixels)
    Image.fromarray(pixels.astype(np.uint8), "RGB").save(path, "JPEG", quality=quality)
    return path


def make_phone_photos(folder: Path, count: int, workers: int | None = None) -> list[Path]:
    """count 12 MP baseline JPEGs at quality 90; every fourth is a near-duplicate of another."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for number in range(count):
        if number % 4 == 3:  # a re-shot / re-encoded copy of the photo before it
            jobs.append((folder / f"IMG_{number:05d}.jpg", number - 1, 3, 97 * number, 90))
        else:
            jobs.append((folder / f"IMG_{number:05d}.jpg", number, 0, 31 * number, 90))
    with ProcessPoolExecutor(workers or os.cpu_count() or 1) as pool:
        return list(pool.map(_write_photo, jobs))


def make_small_photos(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """count small JPEGs (32x32) drawn from photo-like summaries, ~10% near-duplicates.

    Small so 10,000 or 100,000 of them are quick to write; a scan still opens and decodes each.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rows = photo_like_summaries(count, seed)
    paths = []
    for number, row in enumerate(rows):
        path = folder / f"small_{number:06d}.jpg"
        image = Image.frombytes("RGB", (SIDE, SIDE), row.tobytes())
        image.resize((32, 32), Image.BILINEAR).save(path, "JPEG", quality=95)
        paths.append(path)
    return paths


def smooth_field(coarse: np.ndarray) -> np.ndarray:
    """(rows, SIDE, SIDE, channels) float: each row's coarse (rows, 4, 4, channels) field
    bilinearly spread over the summary's pixels."""
    grid = np.arange(SIDE) / (SIDE - 1) * 3
    cell = np.minimum(grid.astype(int), 2)
    frac = grid - cell
    fy, fx = frac[:, None, None], frac[None, :, None]
    y0, x0 = cell[:, None], cell[None, :]
    return (
        coarse[:, y0, x0] * (1 - fy) * (1 - fx)
        + coarse[:, y0, x0 + 1] * (1 - fy) * fx
        + coarse[:, y0 + 1, x0] * fy * (1 - fx)
        + coarse[:, y0 + 1, x0 + 1] * fy * fx
    )


def add_near_duplicates(out: np.ndarray, base_count: int, rng: np.random.Generator) -> np.ndarray:
    """Fills rows base_count.. of `out` (uint8 summaries) with near-duplicates of rows
    ..base_count (a small brightness shift and their own noise); returns the rows shuffled."""
    count = len(out)
    for start in range(base_count, count, 4096):
        rows = min(4096, count - start)
        source = out[rng.integers(0, base_count, size=rows)].astype(np.float32)
        shift = rng.normal(0, 4, size=(rows, 1))
        noise = rng.normal(0, 1, size=source.shape) * rng.uniform(1, 12, size=(rows, 1))
        out[start : start + rows] = np.clip(source + shift + noise, 0, 255)
    return out[rng.permutation(count)]


def photo_like_summaries(count: int, seed: int = 0, duplicate_fraction: float = 0.10) -> np.ndarray:
    """(count, 768) uint8 summaries: smooth colour fields with noise, ~10% near-duplicates.

    Brightness varies most (as in real libraries), then tint, then a coarse 4x4 colour field;
    a near-duplicate is a copy with a small brightness shift and its own noise.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((count, SIDE * SIDE * 3), np.uint8)
    base_count = count - int(count * duplicate_fraction)
    for start in range(0, base_count, 4096):
        rows = min(4096, base_count - start)
        mean = rng.beta(2.0, 2.0, size=(rows, 1, 1, 1)) * 255
        tint = rng.normal(0, 25, size=(rows, 1, 1, 3))
        field = smooth_field(rng.normal(0, 60, size=(rows, 4, 4, 3)))
        pixels = mean + tint + field + rng.normal(0, 4, size=(rows, SIDE, SIDE, 3))
        out[start : start + rows] = np.clip(pixels, 0, 255).reshape(rows, -1)
    return add_near_duplicates(out, base_count, rng)
