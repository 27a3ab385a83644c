"""Names that round-trip: --json carries the raw bytes of names that are not UTF-8, and --list
escapes a real backslash so every escape reads back to one name."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from simdup_tui.__main__ import main


def save(make_photo, folder: Path, name: bytes, seed: int = 1) -> None:
    image = make_photo.image(seed=seed)
    with open(os.path.join(os.fsencode(folder), name), "wb") as file:
        image.save(file, "JPEG", quality=90)


def test_json_names_that_are_not_utf8_carry_their_bytes(
    make_photo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "album"
    folder.mkdir()
    save(make_photo, folder, b"caf\xe9.jpg")
    save(make_photo, folder, b"plain.jpg")
    assert main([str(folder), "--json", "--pairs", "--no-cache"]) == 0
    report = json.loads(capsys.readouterr().out)
    (cluster,) = report["clusters"]
    files = {base64.b64decode(f["path_bytes"]) if "path_bytes" in f else os.fsencode(f["path"])
             for f in cluster["files"]}  # fmt: skip
    assert files == {b"caf\xe9.jpg", b"plain.jpg"}
    plain = next(f for f in cluster["files"] if f["path"] == "plain.jpg")
    assert "path_bytes" not in plain  # only where the name needs it
    (pair,) = report["pairs"]
    assert b"caf\xe9.jpg" in {
        base64.b64decode(pair[k]) for k in ("a_bytes", "b_bytes") if k in pair
    }
    for raw in files:
        assert (folder / os.fsdecode(raw)).exists()  # a script reaches the very file


def test_list_tells_a_backslash_n_from_a_newline(
    make_photo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "album"
    folder.mkdir()
    save(make_photo, folder, b"a\\nb.jpg")  # the two characters backslash and n
    save(make_photo, folder, b"a\nb.jpg")  # a real newline
    assert main([str(folder), "--list", "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "a\\\\nb.jpg" in out  # the backslash doubled
    assert "'a\\nb.jpg'" in out or " a\\nb.jpg" in out  # the newline as \n
    assert "a\nb.jpg" not in out
