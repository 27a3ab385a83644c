"""A small folder with known clusters for the app's tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from .helpers import scene


@pytest.fixture
def gallery(tmp_path: Path) -> Path:
    """Clusters {beach, beach_copy, beach_small, beach_bright} and {forest.png, forest.jpg}, plus
    two singles. beach_bright differs by about 0.047: it leaves the cluster below 0.05."""
    folder = tmp_path / "photos"
    folder.mkdir()
    beach = scene(1)
    beach.save(folder / "beach.jpg", quality=95)
    beach.save(folder / "beach_copy.jpg", quality=60)
    beach.resize((160, 120)).save(folder / "beach_small.jpg", quality=90)
    brighter = np.clip(np.asarray(beach, dtype=np.int16) + 12, 0, 255).astype(np.uint8)
    Image.fromarray(brighter, "RGB").save(folder / "beach_bright.jpg", quality=95)
    forest = scene(2)
    forest.save(folder / "forest.png")
    forest.save(folder / "forest.jpg", quality=85)
    scene(3).save(folder / "city.jpg")
    scene(4).save(folder / "desert.jpg")
    return folder
