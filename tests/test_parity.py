"""Parity with the tutorial on its own photos: exactly the pairs and clusters it reports.

The photos are not in this repository (see seagulls/README.md). They are looked for in the folder
named by SIMDUP_SAMPLES, else in ../shared/photos beside the repository; each must hold seagulls/
and dublin/. Set SIMDUP_REQUIRE_SAMPLES=1 (CI) to fail instead of skipping when they are missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from simdup_tui.core.distance import difference
from simdup_tui.core.grey import is_grey
from simdup_tui.core.summary import summarise

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLES = REPO.parent / "shared" / "photos"
FOLDERS = ("seagulls", "dublin")


def skip_or_fail(reason: str) -> None:
    if os.environ.get("SIMDUP_REQUIRE_SAMPLES"):
        pytest.fail(f"{reason} (SIMDUP_REQUIRE_SAMPLES is set)")
    pytest.skip(reason)


def samples_root() -> Path:
    candidates = []
    if os.environ.get("SIMDUP_SAMPLES"):
        candidates.append(Path(os.environ["SIMDUP_SAMPLES"]))
    candidates.append(DEFAULT_SAMPLES)
    for root in candidates:
        if all((root / folder).is_dir() for folder in FOLDERS):
            return root
    skip_or_fail(
        "the tutorial's photos are missing: neither $SIMDUP_SAMPLES "
        f"({os.environ.get('SIMDUP_SAMPLES') or 'not set'}) nor {DEFAULT_SAMPLES} holds "
        "seagulls/ and dublin/ (see seagulls/README.md)"
    )
    raise AssertionError("unreachable")


def verified_folder(name: str) -> Path:
    """The sample folder, after checking its photos against SHA256SUMS when that file exists."""
    root = samples_root()
    sums = root / "SHA256SUMS"
    if sums.is_file():
        for line in sums.read_text().splitlines():
            if not line.strip():
                continue
            digest, relative = line.split(maxsplit=1)
            relative = relative.lstrip("*")
            if not relative.startswith(f"{name}/"):
                continue
            path = root / relative
            if not path.is_file():
                skip_or_fail(f"{path} is missing: this copy of the photos is incomplete")
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                skip_or_fail(f"{path} differs from SHA256SUMS: not the tutorial's photo")
    return root / name


def expected(name: str) -> dict:
    return json.loads((REPO / name / "expected.json").read_text())


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("name", FOLDERS)
def test_cli_finds_exactly_the_tutorials_pairs(name: str, strict: bool) -> None:
    """The tutorial's pairs, and with --strict the very same (its burst shots are copies)."""
    folder = verified_folder(name)
    want = expected(name)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "simdup_tui",
            folder,
            "--json",
            "--pairs",
            "-t",
            str(want["threshold"]),
            *(["--strict"] if strict else []),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["errors"] == []
    files = {f["path"] for c in report["clusters"] for f in c["files"]}
    assert all("/" not in path for path in files)
    assert sorted(tuple(sorted((p["a"], p["b"]))) for p in report["pairs"]) == sorted(
        tuple(pair) for pair in want["pairs"]
    )
    assert sorted(sorted(f["path"] for f in c["files"]) for c in report["clusters"]) == sorted(
        want["clusters"]
    )
    assert report["photos"] == want["photos"]
    assert report["strict"] is strict
    assert report["rejected_pairs"] == []
    assert not any(f["looks_different"] for c in report["clusters"] for f in c["files"])
    assert report["grey"] is True  # the grey-copy match is on, and changes nothing here:
    assert not any(f["grey_copy"] for c in report["clusters"] for f in c["files"])


@pytest.mark.parametrize("name", FOLDERS)
def test_no_tutorial_photo_is_greyscale(name: str) -> None:
    """So the grey-copy match (on by default) compares every tutorial pair per channel, exactly
    as the tutorial does: its pairs are the same with the match on or off (--no-grey)."""
    folder = verified_folder(name)
    photos = sorted(path for path in folder.iterdir() if path.suffix.lower() in {".jpg", ".jpeg"})
    assert len(photos) >= 6
    assert [path.name for path in photos if is_grey(summarise(path))] == []


def tutorial_summary(path: Path) -> np.ndarray:
    """The tutorial's summarise(): Image.open(path).resize((16, 16)), decoded in full."""
    with Image.open(path) as image:
        return np.asarray(image.resize((16, 16)), dtype=np.int32)


@pytest.mark.parametrize("name", FOLDERS)
def test_summaries_stay_faithful_to_the_tutorials_resize(name: str) -> None:
    """Reduced-scale JPEG decoding must not move any difference by more than a hair."""
    folder = verified_folder(name)
    photos = sorted(folder.glob("*.jp*g"))
    upright = []
    for path in photos:
        with Image.open(path) as image:
            if image.getexif().get(0x0112, 1) == 1:  # the tutorial ignores orientation
                upright.append(path)
    assert len(upright) >= 6
    ours = {path: summarise(path) for path in upright}
    theirs = {path: tutorial_summary(path) for path in upright}
    for a, b in combinations(upright, 2):
        tutorial = float(np.abs(theirs[a] - theirs[b]).mean()) / 255
        assert difference(ours[a], ours[b]) == pytest.approx(tutorial, abs=0.005), (a.name, b.name)
