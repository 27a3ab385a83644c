"""Shared factories: photo-like images drawn in tmp_path, so no test needs real photos."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image, ImageDraw, ImageFilter

pillow_heif.register_heif_opener()

FORMATS = {".heic": "HEIF", ".heif": "HEIF"}
"""Formats Pillow cannot guess from the extension alone."""


def photo_scene(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A smooth photo-like RGB scene: soft colour fields and a few blobs, drawn in proportion.

    The same seed at any size gives the same picture, so resized or re-encoded copies are
    near-duplicates; different seeds differ by about 0.3, far above any useful threshold.
    """
    rng = np.random.default_rng(seed)
    width, height = size
    coarse = rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8)
    image = Image.fromarray(coarse, "RGB").resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(3):
        x, y = rng.uniform(0.1, 0.9, size=2)
        radius = rng.uniform(0.08, 0.2)
        colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
        draw.ellipse(
            (
                (x - radius) * width,
                (y - radius) * height,
                (x + radius) * width,
                (y + radius) * height,
            ),
            fill=colour,
        )
    image = image.filter(ImageFilter.GaussianBlur(max(1.0, min(size) / 100)))
    noise = rng.normal(0, 3, size=(height, width, 3))
    pixels = np.clip(np.asarray(image, dtype=np.float64) + noise, 0, 255)
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def to_mode(image: Image.Image, mode: str) -> Image.Image:
    """The scene in another Pillow mode (alpha channels fully opaque)."""
    if mode == "I;16":
        grey = np.asarray(image.convert("L"), dtype=np.uint16) * 257
        return Image.fromarray(grey)  # uint16 arrays become I;16
    if mode == "P":
        return image.convert("P", palette=Image.Palette.ADAPTIVE)
    return image.convert(mode)


class PhotoFactory:
    """Writes photo-like images under a folder; see photo_scene for what they look like."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def image(
        self, seed: int = 0, size: tuple[int, int] = (320, 240), mode: str = "RGB"
    ) -> Image.Image:
        scene = photo_scene(seed, size)
        return scene if mode == "RGB" else to_mode(scene, mode)

    def __call__(
        self,
        name: str | Path,
        seed: int = 0,
        size: tuple[int, int] = (320, 240),
        mode: str = "RGB",
        **save_options: object,
    ) -> Path:
        """Write the scene for seed to root/name (format from the extension) and return the path."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        save_options.setdefault("format", FORMATS.get(path.suffix.lower()))
        self.image(seed, size, mode).save(path, **save_options)
        return path


@pytest.fixture
def make_photo(tmp_path: Path) -> PhotoFactory:
    """make_photo("a.jpg", seed=1, size=(640, 480), quality=80) -> tmp_path / "a.jpg"."""
    return PhotoFactory(tmp_path)


@pytest.fixture(autouse=True)
def isolate_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """No test reads or writes the real cache, journal, trash or state of the person running
    it, and two test runs at once never share a folder: each test gets its own home."""
    private = tmp_path_factory.mktemp("user-folders")
    monkeypatch.setenv("SIMDUP_CACHE_DIR", str(private / "cache"))
    monkeypatch.setenv("SIMDUP_STATE_DIR", str(private / "state"))
    monkeypatch.setenv("HOME", str(private / "home"))
    for name, folder in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state-xdg"),
        ("XDG_CACHE_HOME", "cache-xdg"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        monkeypatch.setenv(name, str(private / folder))  # fmt: skip
