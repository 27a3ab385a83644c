"""A generated gallery with known near-duplicates, so `--demo` shows the app on a fresh machine."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance

DEMO_MTIME_NS = 1_717_236_000 * 10**9
"""2024-06-01 10:00 UTC: every file gets this time plus a minute per file, so keepers are stable."""

DEMO_EXPECTED: dict[str, object] = {
    "clusters": [
        {
            "keeper": "beach_sunset.jpg",
            "members": [
                "beach_sunset.jpg",
                "beach_sunset (copy).jpg",
                "beach_sunset_small.jpg",
                "beach_sunset.png",
            ],
        },
        {
            "keeper": "mountain_lake.jpg",
            "members": ["mountain_lake.jpg", "mountain_lake_bright.jpg", "mountain_lake_crop.jpg"],
        },
        {"keeper": "city_night.jpg", "members": ["city_night.jpg", "city_night (1).jpg"]},
        {"keeper": "holiday[draft].jpg", "members": ["holiday[draft].jpg", "holiday_final.jpg"]},
        {"keeper": "forest_path.jpg", "members": ["forest_path.jpg", "forest_path_edit.jpg"]},
        {"keeper": "harbour_boats.jpg", "members": ["harbour_boats.jpg", "harbour_boats.webp"]},
    ],
    "look_alikes": [
        ["beach_sunset.jpg", "beach_sunset_evening.jpg"],
        ["mountain_lake.jpg", "mountain_lake_north.jpg"],
        ["city_night.jpg", "city_night_street.jpg"],
        ["forest_path.jpg", "forest_clearing.jpg"],
    ],
    "singles": [
        "beach_sunset_evening.jpg",
        "mountain_lake_north.jpg",
        "city_night_street.jpg",
        "forest_clearing.jpg",
        "flower_field.jpg",
        "desert_dunes.jpg",
        "snowy_cabin.jpg",
    ],
    "broken": ["broken_upload.jpg"],
}
"""Which files must come out together at threshold 0.07 (keeper first by the core's ranking),
which pairs look alike but must not match, and which file cannot be read."""

Rgb = tuple[int, int, int]
Painter = Callable[[int, int, np.random.Generator], Image.Image]


def _gradient(width: int, height: int, top: Rgb, bottom: Rgb) -> Image.Image:
    """A vertical sky gradient."""
    ramp = np.linspace(0.0, 1.0, height)[:, None, None]
    colours = np.array(top, dtype=np.float64) * (1 - ramp) + np.array(bottom) * ramp
    return Image.fromarray(np.repeat(colours, width, axis=1).astype(np.uint8), "RGB")


def _hills(
    draw: ImageDraw.ImageDraw,
    width: int,
    height: int,
    base: float,
    wave: float,
    phase: float,
    colour: Rgb,
) -> None:
    """A band of rolling ground from `base` (fraction of height) down to the bottom."""
    xs = np.linspace(0, width, 48)
    ys = height * (base + wave * np.sin(xs / width * 2 * np.pi * 1.5 + phase))
    draw.polygon(
        [(0, height), *zip(xs.tolist(), ys.tolist(), strict=True), (width, height)], fill=colour
    )


def _noise(image: Image.Image, rng: np.random.Generator, sigma: float = 4.0) -> Image.Image:
    """Mild sensor-like noise, so files compress like photos rather than flat drawings."""
    pixels = np.asarray(image, dtype=np.float64)
    noisy = pixels + rng.normal(0.0, sigma, pixels.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")


def _beach_sunset(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (250, 120, 60), (255, 200, 130))
    draw = ImageDraw.Draw(image)
    sun = width * 0.62, height * 0.55, width * 0.08
    draw.ellipse(
        (sun[0] - sun[2], sun[1] - sun[2], sun[0] + sun[2], sun[1] + sun[2]), fill=(255, 236, 150)
    )
    draw.rectangle((0, height * 0.58, width, height * 0.78), fill=(40, 70, 130))
    _hills(draw, width, height, 0.8, 0.015, 0.0, (230, 200, 150))
    return _noise(image, rng)


def _beach_sunset_evening(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (250, 120, 60), (255, 200, 130))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.12, height * 0.12, width * 0.28, height * 0.36), fill=(255, 236, 150))
    draw.rectangle((0, height * 0.38, width, height * 0.55), fill=(40, 70, 130))
    _hills(draw, width, height, 0.55, 0.05, 1.5, (230, 200, 150))
    return _noise(image, rng)


def _mountain_lake(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (90, 150, 230), (200, 225, 250))
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(0, height * 0.55), (width * 0.3, height * 0.15), (width * 0.55, height * 0.55)],
        fill=(110, 110, 125),
    )
    draw.polygon(
        [(width * 0.35, height * 0.55), (width * 0.7, height * 0.25), (width, height * 0.55)],
        fill=(90, 95, 110),
    )
    draw.polygon(
        [
            (width * 0.24, height * 0.23),
            (width * 0.3, height * 0.15),
            (width * 0.36, height * 0.23),
        ],
        fill=(245, 245, 250),
    )
    draw.rectangle((0, height * 0.55, width, height * 0.8), fill=(50, 100, 150))
    draw.rectangle((0, height * 0.8, width, height), fill=(60, 120, 60))
    return _noise(image, rng)


def _mountain_lake_north(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    """The same lake from the other shore: water in front, a meadow and one peak beyond."""
    image = _gradient(width, height, (90, 150, 230), (200, 225, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.35, width, height * 0.6), fill=(60, 120, 60))
    draw.polygon(
        [(0, height * 0.35), (width * 0.2, height * 0.05), (width * 0.4, height * 0.35)],
        fill=(110, 110, 125),
    )
    draw.rectangle((0, height * 0.6, width, height), fill=(50, 100, 150))
    return _noise(image, rng)


def _city_night(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (10, 15, 45), (40, 40, 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.78, height * 0.08, width * 0.88, height * 0.23), fill=(240, 240, 210))
    layout = np.random.default_rng(7)
    x = 0.0
    while x < width:
        span = width * layout.uniform(0.07, 0.14)
        top = height * layout.uniform(0.3, 0.6)
        draw.rectangle((x, top, x + span - 3, height), fill=(25, 25, 35))
        for wy in np.arange(top + 8, height - 8, 18):
            for wx in np.arange(x + 6, x + span - 10, 14):
                if layout.random() < 0.45:
                    draw.rectangle((wx, wy, wx + 6, wy + 9), fill=(250, 210, 90))
        x += span
    return _noise(image, rng)


def _city_night_street(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (10, 15, 45), (40, 40, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.1, width * 0.3, height), fill=(25, 25, 35))
    draw.rectangle((width * 0.7, height * 0.2, width, height), fill=(25, 25, 35))
    draw.polygon(
        [
            (0, height),
            (width * 0.45, height * 0.45),
            (width * 0.55, height * 0.45),
            (width, height),
        ],
        fill=(120, 105, 85),
    )
    for row, top in enumerate((0.25, 0.4, 0.55)):
        for column in range(3):
            left = width * (0.04 + 0.08 * column + 0.02 * row)
            draw.rectangle(
                (left, height * top, left + width * 0.05, height * (top + 0.1)), fill=(250, 210, 90)
            )
    for lamp in (0.36, 0.64):
        draw.ellipse(
            (width * (lamp - 0.05), height * 0.3, width * (lamp + 0.05), height * 0.42),
            fill=(250, 210, 90),
        )
    return _noise(image, rng)


def _forest_path(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (120, 170, 90), (40, 90, 40))
    draw = ImageDraw.Draw(image)
    for index, x in enumerate(np.linspace(0.05, 0.95, 7)):
        if 0.4 < x < 0.6:
            continue
        trunk = width * 0.035 * (1.3 if index % 2 else 1.0)
        draw.rectangle((width * x - trunk, 0, width * x + trunk, height), fill=(80, 55, 35))
    draw.polygon(
        [
            (width * 0.35, height),
            (width * 0.48, height * 0.45),
            (width * 0.52, height * 0.45),
            (width * 0.65, height),
        ],
        fill=(170, 140, 95),
    )
    return _noise(image, rng)


def _forest_clearing(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (120, 170, 90), (40, 90, 40))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.2, height * 0.5, width * 0.8, height * 1.1), fill=(170, 140, 95))
    for x in (0.06, 0.16, 0.9):
        draw.rectangle((width * (x - 0.04), 0, width * (x + 0.04), height), fill=(80, 55, 35))
    draw.ellipse((width * 0.3, height * -0.3, width * 0.7, height * 0.25), fill=(200, 225, 160))
    return _noise(image, rng)


def _holiday(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (60, 170, 230), (160, 220, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.6, width, height), fill=(20, 140, 170))
    draw.polygon(
        [(width * 0.1, height * 0.75), (width * 0.3, height * 0.75), (width * 0.2, height * 0.4)],
        fill=(245, 245, 245),
    )
    draw.rectangle((width * 0.08, height * 0.75, width * 0.34, height * 0.8), fill=(160, 60, 40))
    draw.ellipse((width * 0.6, height * 0.62, width * 0.95, height * 0.78), fill=(240, 220, 160))
    draw.rectangle((width * 0.76, height * 0.35, width * 0.79, height * 0.68), fill=(110, 80, 50))
    draw.ellipse((width * 0.66, height * 0.25, width * 0.9, height * 0.42), fill=(40, 150, 60))
    return _noise(image, rng)


def _harbour_boats(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (180, 200, 220), (230, 235, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.5, width, height), fill=(30, 80, 110))
    for index, x in enumerate((0.15, 0.45, 0.75)):
        colour = ((200, 50, 40), (240, 240, 240), (40, 90, 180))[index]
        draw.polygon(
            [
                (width * (x - 0.1), height * 0.55),
                (width * (x + 0.1), height * 0.55),
                (width * (x + 0.07), height * 0.65),
                (width * (x - 0.07), height * 0.65),
            ],
            fill=colour,
        )
        draw.rectangle(
            (width * x - 2, height * 0.2, width * x + 2, height * 0.55), fill=(60, 50, 40)
        )
    return _noise(image, rng)


def _flower_field(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (150, 200, 250), (220, 235, 250))
    draw = ImageDraw.Draw(image)
    _hills(draw, width, height, 0.45, 0.03, 0.7, (90, 170, 70))
    petals = np.random.default_rng(11)
    for _ in range(260):
        x, y = petals.uniform(0, width), petals.uniform(height * 0.5, height)
        radius = 2 + 6 * (y / height)
        colour = ((230, 60, 90), (250, 220, 60), (250, 250, 250), (160, 80, 200))[
            petals.integers(4)
        ]
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    return _noise(image, rng)


def _desert_dunes(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (70, 130, 210), (190, 210, 230))
    draw = ImageDraw.Draw(image)
    _hills(draw, width, height, 0.5, 0.06, 0.3, (215, 160, 90))
    _hills(draw, width, height, 0.7, 0.05, 2.2, (190, 130, 70))
    return _noise(image, rng)


def _snowy_cabin(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    image = _gradient(width, height, (170, 180, 195), (235, 238, 242))
    draw = ImageDraw.Draw(image)
    _hills(draw, width, height, 0.6, 0.03, 0.0, (248, 248, 250))
    draw.rectangle((width * 0.35, height * 0.45, width * 0.65, height * 0.72), fill=(150, 40, 35))
    draw.polygon(
        [(width * 0.3, height * 0.46), (width * 0.5, height * 0.28), (width * 0.7, height * 0.46)],
        fill=(60, 45, 40),
    )
    draw.rectangle((width * 0.46, height * 0.58, width * 0.54, height * 0.72), fill=(70, 45, 30))
    return _noise(image, rng)


def _crop(image: Image.Image, fraction: float) -> Image.Image:
    """Trim `fraction` of each side, as a quick edit in a photo app would."""
    dx, dy = round(image.width * fraction), round(image.height * fraction)
    return image.crop((dx, dy, image.width - dx, image.height - dy))


def _brighten(image: Image.Image, factor: float) -> Image.Image:
    return ImageEnhance.Brightness(image).enhance(factor)


def _scaled(image: Image.Image, width: int) -> Image.Image:
    return image.resize(
        (width, round(image.height * width / image.width)), Image.Resampling.LANCZOS
    )


def make_demo_gallery(folder: Path) -> Path:
    """Write the demo photos into `folder` (created if needed) and return it.

    Deterministic: fixed seeds, fixed JPEG settings and fixed modification times, so the same
    clusters and keepers come out on every machine (see DEMO_EXPECTED).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def paint(painter: Painter, width: int, height: int, seed: int) -> Image.Image:
        return painter(width, height, np.random.default_rng(seed))

    def save(image: Image.Image, name: str, **options: object) -> None:
        path = folder / name
        image.save(path, **options)
        written.append(path)

    beach = paint(_beach_sunset, 800, 533, 1)
    save(beach, "beach_sunset.jpg", quality=92)
    save(beach, "beach_sunset (copy).jpg", quality=55)
    save(_scaled(beach, 400), "beach_sunset_small.jpg", quality=85)
    save(_scaled(beach, 600), "beach_sunset.png", optimize=True)
    save(paint(_beach_sunset_evening, 800, 533, 2), "beach_sunset_evening.jpg", quality=90)

    lake = paint(_mountain_lake, 720, 480, 3)
    save(lake, "mountain_lake.jpg", quality=90)
    save(_brighten(lake, 1.06), "mountain_lake_bright.jpg", quality=88)
    save(_crop(lake, 0.025), "mountain_lake_crop.jpg", quality=90)
    save(paint(_mountain_lake_north, 720, 480, 4), "mountain_lake_north.jpg", quality=90)

    city = paint(_city_night, 640, 480, 5)
    save(city, "city_night.jpg", quality=90)
    save(city, "city_night (1).jpg", quality=45)
    save(paint(_city_night_street, 640, 480, 6), "city_night_street.jpg", quality=90)

    holiday = paint(_holiday, 600, 450, 7)
    save(holiday, "holiday[draft].jpg", quality=95)
    save(_scaled(_crop(holiday, 0.02), 500), "holiday_final.jpg", quality=80)

    forest = paint(_forest_path, 500, 700, 8)
    save(forest, "forest_path.jpg", quality=90)
    save(_scaled(_brighten(forest, 1.04), 420), "forest_path_edit.jpg", quality=85)
    save(paint(_forest_clearing, 500, 700, 9), "forest_clearing.jpg", quality=90)

    harbour = paint(_harbour_boats, 760, 500, 10)
    save(harbour, "harbour_boats.jpg", quality=92)
    save(_scaled(harbour, 640), "harbour_boats.webp", quality=80)

    save(paint(_flower_field, 700, 480, 12), "flower_field.jpg", quality=90)
    save(paint(_desert_dunes, 800, 450, 13), "desert_dunes.jpg", quality=90)
    save(paint(_snowy_cabin, 600, 600, 14), "snowy_cabin.jpg", quality=90)

    broken = folder / "broken_upload.jpg"
    whole = folder / "snowy_cabin.jpg"
    broken.write_bytes(whole.read_bytes()[:600])  # an upload cut off inside the header
    written.append(broken)

    for index, path in enumerate(written):  # originals first: copies are newer
        stamp = DEMO_MTIME_NS + index * 60 * 10**9
        os.utime(path, ns=(stamp, stamp))
    return folder
