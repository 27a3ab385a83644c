"""Where the preview's pictures go in a pane of a given size, and the difference heat map (pure)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.summary import SIDE

HEAT_FULL_SCALE = 64
"""A channel-mean difference of this many levels (of 255) is drawn at full brightness: the 0.07
threshold (about 18 levels) then shows as a clear dark red instead of near-black."""
HEAT_STOPS = (
    (0.0, (12, 12, 28)),
    (0.3, (130, 20, 30)),
    (0.6, (235, 110, 10)),
    (0.85, (255, 225, 60)),
    (1.0, (255, 255, 255)),
)
"""Dark to bright ramp (monotonic luminance, so the shade fallback reads the same way)."""

DETAILS_MIN_WIDTH = 18
"""Narrowest column the details are put in beside a picture."""
DETAILS_MIN_LINES = 5
"""Fewest lines kept for details under or beside the pictures."""
SHARP_DETAILS_LINES = 6
"""Lines kept for details under the sharp view."""


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in the pane's content region, in cells."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class PreviewLayout:
    """Boxes for the three figures (caption line + picture) and the details."""

    name: str
    """'row' (three across), 'grid' (pair above, heat map and details below) or 'column'."""
    factor: int
    """Scale of this photo and the keeper (16 * factor columns each)."""
    heat_factor: int
    """Scale of the heat map."""
    this: Box
    keeper: Box
    heat: Box
    details: Box


def _figure(x: int, y: int, factor: int) -> Box:
    return Box(x, y, SIDE * factor, SIDE * factor // 2 + 1)


def _candidates(width: int, height: int, factor: int, heat: int, gap: int) -> list[PreviewLayout]:
    """Every arrangement at these scales that fits, best-looking first."""
    pair_h = SIDE * factor // 2 + 1
    heat_h = SIDE * heat // 2 + 1
    fits: list[PreviewLayout] = []
    # row: this | keeper | heat, details underneath at full width
    top = max(pair_h, heat_h) + gap
    if 2 * SIDE * factor + SIDE * heat + 2 <= width and top + DETAILS_MIN_LINES <= height:
        fits.append(
            PreviewLayout(
                "row",
                factor,
                heat,
                _figure(0, 0, factor),
                _figure(SIDE * factor + 1, 0, factor),
                _figure(2 * SIDE * factor + 2, 0, heat),
                Box(0, top, width, height - top),
            )
        )
    # grid: this | keeper above, heat | details below
    below = pair_h + gap
    details_x = SIDE * heat + 1
    if (
        2 * SIDE * factor + 1 <= width
        and details_x + DETAILS_MIN_WIDTH <= width
        and below + max(heat_h, DETAILS_MIN_LINES) <= height
    ):
        fits.append(
            PreviewLayout(
                "grid",
                factor,
                heat,
                _figure(0, 0, factor),
                _figure(SIDE * factor + 1, 0, factor),
                _figure(0, below, heat),
                Box(details_x, below, width - details_x, height - below),
            )
        )
    # column: this over keeper on the left, heat over details on the right
    right = SIDE * factor + 1
    if (
        right + max(SIDE * heat, DETAILS_MIN_WIDTH) <= width
        and 2 * pair_h + gap <= height
        and heat_h + gap + DETAILS_MIN_LINES <= height
    ):
        fits.append(
            PreviewLayout(
                "column",
                factor,
                heat,
                _figure(0, 0, factor),
                _figure(0, pair_h + gap, factor),
                _figure(right, 0, heat),
                Box(right, heat_h + gap, width - right, height - heat_h - gap),
            )
        )
    return fits


def plan_layout(width: int, height: int) -> PreviewLayout:
    """The arrangement with the largest photo/keeper scale, then the largest heat map, that fits.

    A blank line between rows is kept when there is room. At 37x19 cells (an 80x24 terminal)
    this is the 'grid' at scale 1; at about 57x35 (120x40) the 'column' at scale 2. When nothing
    fits, the 'grid' at scale 1 is returned and the pane crops it.
    """
    top_factor = max(1, min(width // (2 * SIDE), height // SIDE) + 1)
    for factor in range(top_factor, 0, -1):
        for heat in range(factor, 0, -1):
            for gap in (1, 0):
                fits = _candidates(width, height, factor, heat, gap)
                if fits:
                    return fits[0]
    return PreviewLayout(
        "grid",
        1,
        1,
        _figure(0, 0, 1),
        _figure(SIDE + 1, 0, 1),
        _figure(0, SIDE // 2 + 1, 1),
        Box(SIDE + 1, SIDE // 2 + 1, max(1, width - SIDE - 1), max(1, height - SIDE // 2 - 1)),
    )


def heat_map(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a - b| averaged over channels, through the dark-to-bright ramp, as (H, W, 3) uint8."""
    if a.shape != b.shape:
        raise ValueError(f"pictures differ in shape: {a.shape} and {b.shape}")
    mean = np.abs(a.astype(np.int16) - b.astype(np.int16)).mean(axis=2)
    level = np.clip(mean / HEAT_FULL_SCALE, 0.0, 1.0)
    positions = [stop for stop, _ in HEAT_STOPS]
    channels = [
        np.interp(level, positions, [colour[channel] for _, colour in HEAT_STOPS])
        for channel in range(3)
    ]
    return np.rint(np.stack(channels, axis=2)).astype(np.uint8)
