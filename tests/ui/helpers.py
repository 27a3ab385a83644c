"""Helpers for the app's tests: a scene maker, the app's config, and readers of what is shown."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from simdup_tui.ui.color_mode import ColorMode
from simdup_tui.ui.config import AppConfig


def scene(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A smooth colour field: copies of one seed are near-duplicates, other seeds are not."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, size=(3, 4, 3), dtype=np.uint8)
    image = Image.fromarray(coarse, "RGB").resize(size, Image.Resampling.BICUBIC)
    noise = rng.normal(0, 4, size=(size[1], size[0], 3))
    return Image.fromarray(np.clip(np.asarray(image) + noise, 0, 255).astype(np.uint8), "RGB")


def make_config(folder: Path, **overrides: object) -> AppConfig:
    options: dict[str, object] = {
        "directory": folder,
        "color_mode": ColorMode.TRUECOLOR,
        "use_cache": False,
        "settle_heap": False,  # tests/ui/test_heap.py turns it on
        "prepare_views": False,  # tests/ui/test_compare.py turns it on
    }
    options.update(overrides)
    return AppConfig(**options)  # type: ignore[arg-type]


async def settle(app, pilot) -> None:
    """Wait for the scan and clustering workers, then for the screen to catch up."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def status_text(app) -> str:
    return str(app.screen.query_one("#status").content)


def labels(app) -> list[str]:
    """The tree's visible rows as plain text, top to bottom."""
    tree = app.screen.tree
    return [
        tree.render_label(line.node, tree.rich_style, tree.rich_style).plain
        for line in tree._tree_lines
    ]
