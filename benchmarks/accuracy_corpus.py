"""A labelled corpus for accuracy: copies that must match and look-alikes that must not.

Every picture is generated (never the sample photos). `make_accuracy_corpus(folder, scenes)`
writes the files and returns the labels:

- a *group* is a base scene and its copies (resize, low-quality JPEG, brightness, small crop,
  EXIF rotation, PNG/WebP/HEIC, greyscale, small watermark, transparency flattened, a
  re-encoded animation): every pair inside a group must match;
- *distractors* must not match anything they are not a copy of: a mirrored near-symmetric scene,
  a 40% zoom, a strong colour cast, different line drawings on white (640x480, and 2560x1920
  with strokes as thin, whose half-size JPEG copies must match), different pages of one layout
  (comic, document, chat), and different animations that fade in from black.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

pillow_heif.register_heif_opener()

SIZE = (640, 480)
MATCH_KINDS = (
    "resize", "jpeg-q15", "brightness", "crop", "exif-rotation", "png", "webp", "heic",
    "greyscale", "watermark", "transparency", "animation-copy", "drawing-copy",
)  # fmt: skip
"""Copies of a base scene that must match it."""
DISTRACTOR_KINDS = (
    "mirror", "zoom-40%", "colour-cast", "drawings", "large-drawings", "pages", "fade-in",
)  # fmt: skip
"""Pictures that look alike at 16x16 but are not copies."""


@dataclass
class Labels:
    """Which file is which: kind of each file, and the groups whose members all match."""

    kind: dict[str, str] = field(default_factory=dict)
    """File name -> kind ("base", a MATCH_KIND, or a DISTRACTOR_KIND)."""
    group: dict[str, str] = field(default_factory=dict)
    """File name -> group id; two files match exactly when they share a group."""
    reference: dict[str, str] = field(default_factory=dict)
    """Copy's file name -> the file it is a copy of (the pair its kind is scored on)."""

    def add(self, name: str, kind: str, group: str, reference: str | None = None) -> None:
        self.kind[name] = kind
        self.group[name] = group
        if reference is not None:
            self.reference[name] = reference


def photo(seed: int, size: tuple[int, int] = SIZE) -> Image.Image:
    """A photo-like scene with structure: a colour field, shapes with edges, texture, noise."""
    rng = np.random.default_rng(seed)
    width, height = size
    coarse = rng.integers(30, 226, size=(3, 4, 3), dtype=np.uint8)
    image = Image.fromarray(coarse, "RGB").resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(6, 12))):
        x, y = rng.uniform(0, 1, size=2)
        rx, ry = rng.uniform(0.03, 0.15, size=2)
        colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
        box = ((x - rx) * width, (y - ry) * height, (x + rx) * width, (y + ry) * height)
        shape = rng.integers(0, 3)
        if shape == 0:
            draw.ellipse(box, fill=colour)
        elif shape == 1:
            draw.rectangle(box, fill=colour)
        else:
            draw.line(box, fill=colour, width=int(rng.integers(3, 10)))
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    pixels = np.asarray(image, dtype=np.float64)
    # Colour strength varies as in real libraries: from muted (overcast, indoor) to vivid.
    grey = pixels.mean(axis=-1, keepdims=True)
    pixels = grey + (pixels - grey) * rng.uniform(0.15, 1.0)
    noise = rng.normal(0, 4, size=(height, width, 3))
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")


def near_symmetric(seed: int) -> Image.Image:
    """A scene that is its own mirror image but for a few details (a road, a facade)."""
    base = np.asarray(photo(seed)).astype(np.int16)
    symmetric = (base + base[:, ::-1]) // 2
    image = Image.fromarray(symmetric.astype(np.uint8), "RGB")
    rng = np.random.default_rng(seed + 77)
    draw = ImageDraw.Draw(image)
    for _ in range(3):  # off-centre details on the left half only
        x, y = rng.uniform(0.05, 0.35), rng.uniform(0.2, 0.8)
        colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
        draw.rectangle((x * 640, y * 480, (x + 0.08) * 640, (y + 0.1) * 480), fill=colour)
    return image


def line_drawing(seed: int, scale: int = 1) -> Image.Image:
    """Black strokes on white: a sketch, a diagram or a signature (640x480 times scale, the
    strokes 2 to 4 px wide whatever the scale, as a scan at a higher resolution)."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (SIZE[0] * scale, SIZE[1] * scale), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(4, 9))):
        count = int(rng.integers(2, 6))
        points = [tuple(rng.uniform((40, 40), (600, 440)) * scale) for _ in range(count)]
        draw.line(points, fill="black", width=int(rng.integers(2, 5)), joint="curve")
    for _ in range(int(rng.integers(1, 4))):
        x, y = rng.uniform((80, 80), (560, 400)) * scale
        r = rng.uniform(20, 70) * scale
        draw.ellipse((x - r, y - r, x + r, y + r), outline="black", width=3)
    return image


def page(layout: str, seed: int) -> Image.Image:
    """One page of a fixed layout with its own content."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (480, 640), "white")
    draw = ImageDraw.Draw(image)
    if layout == "comic":
        panels = [
            (20, 20, 460, 220),
            (20, 230, 235, 420),
            (245, 230, 460, 420),
            (20, 430, 460, 620),
        ]
        for box in panels:
            draw.rectangle(box, outline="black", width=4)
            x0, y0, x1, y1 = box
            for _ in range(int(rng.integers(3, 7))):
                px, py = rng.uniform((x0 + 10, y0 + 10), (x1 - 10, y1 - 10))
                r = rng.uniform(8, 40)
                grey = int(rng.integers(0, 200))
                draw.ellipse((px - r, py - r, px + r, py + r), outline="black", width=2,
                             fill=(grey, grey, grey) if rng.random() < 0.3 else None)  # fmt: skip
                qx, qy = rng.uniform((x0 + 10, y0 + 10), (x1 - 10, y1 - 10))
                draw.line((px, py, qx, qy), fill="black", width=2)
    elif layout == "document":
        draw.rectangle((40, 40, 440, 70), fill=(40, 40, 40))  # the letterhead
        y = 100
        while y < 600:
            words_x = 40
            end = 440 if rng.random() < 0.8 else rng.uniform(120, 440)
            while words_x < end:
                word = rng.uniform(15, 60)
                draw.rectangle((words_x, y, min(words_x + word, end), y + 7), fill=(30, 30, 30))
                words_x += word + 8
            y += 18 if rng.random() < 0.85 else 36
    else:  # chat: bubbles left and right, own lengths
        draw.rectangle((0, 0, 480, 50), fill=(0, 122, 255))
        y = 70
        side = 0
        while y < 600:
            lines = int(rng.integers(1, 4))
            width = rng.uniform(100, 330)
            height = 14 + 18 * lines
            x0 = 20 if side == 0 else 460 - width
            fill = (229, 229, 234) if side == 0 else (52, 199, 89)
            draw.rounded_rectangle((x0, y, x0 + width, y + height), 12, fill=fill)
            for line in range(lines):
                line_w = width - 30 if line < lines - 1 else rng.uniform(30, width - 30)
                ly = y + 10 + 18 * line
                draw.rectangle((x0 + 15, ly, x0 + 15 + line_w, ly + 8), fill=(20, 20, 20))
            y += height + int(rng.integers(8, 20))
            side = int(rng.integers(0, 2))
    return image


def fade_in_frames(seed: int, count: int = 12) -> list[Image.Image]:
    """An animation that fades a scene in from black (the first frame is all black)."""
    scene = np.asarray(photo(seed, (320, 240)), dtype=np.float32)
    return [
        Image.fromarray((scene * step / (count - 1)).astype(np.uint8), "RGB")
        for step in range(count)
    ]


def moving_frames(seed: int, count: int = 12) -> list[Image.Image]:
    """An animation: a scene panned slowly to the right."""
    wide = photo(seed, (400, 240))
    return [wide.crop((step * 6, 0, step * 6 + 320, 240)) for step in range(count)]


def save_animation(frames: list[Image.Image], path: Path, **options: object) -> None:
    if path.suffix == ".gif":  # Pillow's default median-cut palette takes seconds a frame
        frames = [frame.quantize(256, method=Image.Quantize.FASTOCTREE) for frame in frames]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=80, loop=0, **options)


def _exif_rotated(image: Image.Image, path: Path) -> None:
    """The pixels stored turned a quarter, with EXIF orientation 6 saying how to turn them back."""
    stored = image.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(path, "JPEG", quality=90, exif=exif)


def _watermark(image: Image.Image) -> Image.Image:
    marked = image.copy()
    draw = ImageDraw.Draw(marked)
    w, h = marked.size
    draw.rectangle((w - 140, h - 40, w - 12, h - 14), fill=(255, 255, 255))
    draw.text((w - 132, h - 36), "(c) studio 2024", fill=(0, 0, 0))
    return marked


def _with_transparent_corner(image: Image.Image) -> tuple[Image.Image, Image.Image]:
    """(RGBA with a transparent rounded corner area, the same flattened onto white)."""
    rgba = image.convert("RGBA")
    alpha = Image.new("L", image.size, 255)
    ImageDraw.Draw(alpha).ellipse((-120, -120, 120, 120), fill=0)
    rgba.putalpha(alpha)
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=alpha)
    return rgba, flat


def make_accuracy_corpus(folder: Path, scenes: int = 24) -> Labels:
    """Write the labelled corpus into folder (made if needed) and return its labels."""
    folder.mkdir(parents=True, exist_ok=True)
    labels = Labels()
    for number in range(scenes):
        seed = 1000 + number
        group = f"scene{number:03d}"
        base = photo(seed)
        name = f"{group}.jpg"
        base.save(folder / name, "JPEG", quality=92)
        labels.add(name, "base", group)
        flat_rgba, flat = _with_transparent_corner(base)
        variants: dict[str, tuple[str, object]] = {
            "resize": ("resize.jpg", base.resize((320, 240), Image.Resampling.LANCZOS)),
            "jpeg-q15": ("q15.jpg", base),
            "brightness": ("bright.jpg", ImageEnhance.Brightness(base).enhance(1.1)),
            "crop": ("crop.jpg", base.crop((13, 10, 627, 470))),
            "png": ("png.png", base),
            "webp": ("webp.webp", base),
            "heic": ("heic.heic", base),
            "greyscale": ("grey.jpg", base.convert("L")),
            "watermark": ("watermark.jpg", _watermark(base)),
        }
        for kind, (suffix, image) in variants.items():
            variant = f"{group}-{suffix}"
            options = {"quality": 15} if kind == "jpeg-q15" else {}
            if suffix.endswith(".jpg"):
                options.setdefault("quality", 88)
            if suffix.endswith(".heic"):
                options = {"format": "HEIF", "quality": 80, "enc_params": {"preset": "ultrafast"}}
            if suffix.endswith(".webp"):
                options = {"quality": 80}
            image.save(folder / variant, **options)  # type: ignore[union-attr]
            labels.add(variant, kind, group, name)
        _exif_rotated(base, folder / f"{group}-rotated.jpg")
        labels.add(f"{group}-rotated.jpg", "exif-rotation", group, name)
        # Transparency: a PNG with a transparent corner matches that corner flattened on white.
        flat.save(folder / f"{group}-flat.jpg", quality=90)
        labels.add(f"{group}-flat.jpg", "base", group)
        flat_rgba.save(folder / f"{group}-alpha.png")
        labels.add(f"{group}-alpha.png", "transparency", group, f"{group}-flat.jpg")
        # Distractors of this scene: each its own group.
        zoom = base.crop((91, 69, 549, 411)).resize(SIZE, Image.Resampling.BICUBIC)
        zoom.save(folder / f"{group}-zoom.jpg", quality=90)
        labels.add(f"{group}-zoom.jpg", "zoom-40%", f"{group}-zoom")
        red, green, blue = (np.asarray(base, dtype=np.float32)[..., c] for c in range(3))
        cast = np.stack([red * 1.12 + 8, green, blue * 0.85], axis=-1)  # a warm filter
        Image.fromarray(np.clip(cast, 0, 255).astype(np.uint8), "RGB").save(
            folder / f"{group}-cast.jpg", quality=90
        )
        labels.add(f"{group}-cast.jpg", "colour-cast", f"{group}-cast")
        symmetric = near_symmetric(seed + 5000)
        symmetric.save(folder / f"sym{number:03d}.jpg", quality=90)
        labels.add(f"sym{number:03d}.jpg", "base", f"sym{number:03d}")
        mirrored = symmetric.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        mirrored.save(folder / f"sym{number:03d}-mirror.jpg", quality=90)
        labels.add(f"sym{number:03d}-mirror.jpg", "mirror", f"sym{number:03d}-mirror")
        # Animations: a panning GIF and its WebP re-encoding match; fade-ins do not.
        frames = moving_frames(seed + 500)
        save_animation(frames, folder / f"anim{number:03d}.gif")
        labels.add(f"anim{number:03d}.gif", "base", f"anim{number:03d}")
        save_animation(frames, folder / f"anim{number:03d}-copy.webp", quality=80)
        labels.add(
            f"anim{number:03d}-copy.webp", "animation-copy", f"anim{number:03d}",
            f"anim{number:03d}.gif",
        )  # fmt: skip
        save_animation(fade_in_frames(seed + 900), folder / f"fade{number:03d}.gif")
        labels.add(f"fade{number:03d}.gif", "fade-in", f"fade{number:03d}")
        # Look-alike sets: drawings and pages, every one different.
        line_drawing(seed + 300).save(folder / f"drawing{number:03d}.png")
        labels.add(f"drawing{number:03d}.png", "drawings", f"drawing{number:03d}")
        large = line_drawing(seed + 4000, scale=4)  # 2560x1920, thin strokes
        large.save(folder / f"large-drawing{number:03d}.png")
        labels.add(f"large-drawing{number:03d}.png", "large-drawings", f"large{number:03d}")
        large.resize((1280, 960), Image.Resampling.LANCZOS).save(
            folder / f"large-drawing{number:03d}-copy.jpg", quality=85
        )
        labels.add(
            f"large-drawing{number:03d}-copy.jpg", "drawing-copy", f"large{number:03d}",
            f"large-drawing{number:03d}.png",
        )  # fmt: skip
        layout = ("comic", "document", "chat")[number % 3]
        page(layout, seed + 600).save(folder / f"page-{layout}{number:03d}.png")
        labels.add(f"page-{layout}{number:03d}.png", "pages", f"page{number:03d}")
    return labels
