"""The strict check's detail of a low-contrast picture: its 16x16 luminance, contrast-stretched.

A drawing of thin strokes on white, or a scanned page, barely moves the 8-bit 16x16 summary
(two-pixel strokes on a 4000-pixel drawing change a summary pixel by one or two levels), so
the summary cannot tell two of them apart. Computed from the same decode as the summary, in
floating point, and stretched to 0..255, its structure is plain again. Photos span far more
levels and keep no detail (b""), so they cost no memory and no cache space.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

SIDE = 16
"""The summary's grid (summary.SIDE, which imports this module; a test keeps them equal)."""
DETAIL_BYTES = SIDE * SIDE
"""256 bytes: 16 x 16 luminance values."""
LOW_CONTRAST = 64
"""A picture whose 16x16 luminance spans fewer levels than this keeps a detail (the tutorial's
photos span 142 to 243)."""
FLAT = 2.0
"""Below this span a picture is blank: nothing to stretch (dust would become structure)."""
_WORK = SIDE * 4
"""The luminance is first box-filtered to 64x64 (8-bit: a 2 px stroke still moves it by a
few levels), then averaged to 16x16 in floating point."""


def describe_detail(rgb: Image.Image) -> bytes:
    """256 bytes for a low-contrast picture (row-major, 0..255 after stretching), else b""."""
    grey = rgb.convert("L").resize((_WORK, _WORK), Image.Resampling.BOX)
    cells = np.asarray(grey, dtype=np.float32).reshape(SIDE, 4, SIDE, 4).mean(axis=(1, 3))
    low, high = float(cells.min()), float(cells.max())
    if not FLAT <= high - low < LOW_CONTRAST:
        return b""
    stretched = (cells - low) * (255.0 / (high - low))
    return np.clip(stretched + 0.5, 0, 255).astype(np.uint8).tobytes()
