"""The grey-copy match on the command line: --json and --list say it, --no-grey turns it off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simdup_tui.__main__ import main
from simdup_tui.core.grey import GREY_COPY
from tests.conftest import photo_scene


@pytest.fixture
def grey_album(tmp_path: Path) -> Path:
    """A vivid photo, its greyscale copy (same size) and an unrelated photo."""
    album = tmp_path / "album"
    album.mkdir()
    vivid = photo_scene(11)
    vivid.save(album / "beach.jpg", quality=90)
    vivid.convert("L").save(album / "beach_bw.jpg", quality=90)
    photo_scene(12).save(album / "other.jpg", quality=90)
    return album


def report(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    assert main([str(arg) for arg in args]) == 0
    return capsys.readouterr().out


def test_json_links_a_grey_copy_keeps_the_colour_photo_and_labels_it(grey_album, capsys) -> None:
    document = json.loads(report(capsys, grey_album, "--json", "--pairs"))
    assert document["grey"] is True
    (cluster,) = document["clusters"]
    assert cluster["keeper"] == "beach.jpg" and cluster["why"] == "in colour"
    keeper, copy = cluster["files"]
    assert not keeper["grey_copy"] and copy["path"] == "beach_bw.jpg" and copy["grey_copy"]
    (pair,) = document["pairs"]
    assert pair["grey_copy"] is True and pair["difference"] == copy["difference"] < 0.07
    assert document["keep"][:2] == ["pixels", "colour"]


def test_no_grey_is_the_tutorials_metric(grey_album, capsys) -> None:
    document = json.loads(report(capsys, grey_album, "--json", "--pairs", "--no-grey"))
    assert document["grey"] is False
    assert document["clusters"] == [] and document["pairs"] == []


def test_list_says_the_copy_is_greyscale_and_compared_on_brightness(grey_album, capsys) -> None:
    text = report(capsys, grey_album, "--list", "--strict")
    assert "on brightness (one is greyscale)" in text
    copy_line = next(line for line in text.splitlines() if "beach_bw.jpg  " in line)
    assert GREY_COPY in copy_line and "looks different" not in copy_line
    assert "keeper (in colour)" in text
    text = report(capsys, grey_album, "--list", "--no-grey")
    assert "without the grey-copy match" in text and "No near-duplicates found." in text
