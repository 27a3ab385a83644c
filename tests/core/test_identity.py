"""A photo's identity and EXIF facts are read from the one open that decodes it."""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from simdup_tui.core.cache import SqliteSummaryCache
from simdup_tui.core.errors import UnreadablePhotoError
from simdup_tui.core.identity import FileIdentity
from simdup_tui.core.scan import scan
from simdup_tui.core.summary import summarise


def _jpeg_with_exif(path: Path, image: Image.Image, **tags: object) -> None:
    exif = Image.Exif()
    if "make" in tags:
        exif[0x010F] = tags["make"]
    if "model" in tags:
        exif[0x0110] = tags["model"]
    sub = exif.get_ifd(0x8769)
    if "taken" in tags:
        sub[0x9003] = tags["taken"]
    if "offset" in tags:
        sub[0x9011] = tags["offset"]
    image.save(path, "JPEG", exif=exif)


def test_a_camera_original_reports_its_capture_time_and_camera(tmp_path, make_photo) -> None:
    plain = make_photo("plain.jpg", seed=1)
    original = tmp_path / "original.jpg"
    _jpeg_with_exif(
        original, Image.open(plain), make="Canon", model="EOS 5D", taken="2019:07:14 10:20:30",
        offset="+02:00",
    )  # fmt: skip
    summary = summarise(original)
    assert summary.camera == "Canon EOS 5D"
    expected = datetime.fromisoformat("2019-07-14T10:20:30+02:00").timestamp()
    assert summary.taken_ns == int(expected) * 1_000_000_000
    assert summary.camera_original
    bare = summarise(plain)
    assert (bare.taken_ns, bare.camera, bare.camera_original) == (None, "", False)


def test_nonsense_exif_dates_read_as_no_date(tmp_path, make_photo) -> None:
    odd = tmp_path / "odd.jpg"
    _jpeg_with_exif(odd, Image.open(make_photo("x.jpg", seed=2)), taken="0000:00:00 00:00:00")
    summary = summarise(odd)
    assert summary.taken_ns is None
    assert summary.pixels  # the photo itself is still summarised


def test_identity_is_the_file_that_was_read(tmp_path, make_photo) -> None:
    path = make_photo("p.jpg", seed=3)
    summary = summarise(path)
    assert summary.identity == FileIdentity.of(os.stat(path))
    assert summary.identity.difference(FileIdentity.of(os.stat(path))) == ""


def test_rewritten_in_place_with_size_and_mtime_kept_is_read_again(tmp_path, make_photo) -> None:
    """An orientation fix by a metadata tool keeps size and mtime; the cache must not be fooled."""
    folder = tmp_path / "photos"
    path = make_photo("photos/p.jpg", seed=4)
    make_photo("photos/q.jpg", seed=5)
    with SqliteSummaryCache(tmp_path / "cache") as cache:
        before = {s.path.name: s for s in scan(folder, cache=cache).summaries}["p.jpg"]
        info = path.stat()
        turned = Image.open(path).transpose(Image.Transpose.ROTATE_180)
        turned.save(tmp_path / "turned.jpg", "JPEG")
        data = (tmp_path / "turned.jpg").read_bytes()
        data = data[: info.st_size].ljust(info.st_size, b"\0")  # same size
        with open(path, "r+b") as handle:  # same inode, other bytes
            handle.write(data)
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)
        after = {s.path.name: s for s in scan(folder, cache=cache).summaries}["p.jpg"]
    assert after.ctime_ns != before.ctime_ns
    assert after.pixels != before.pixels
    assert before.identity.difference(after.identity) != ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_named_like_a_photo_never_blocks(tmp_path) -> None:
    fifo = tmp_path / "stuck.jpg"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            summarise(fifo)
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "opening a FIFO blocked"
    assert isinstance(outcome[0], UnreadablePhotoError)
    assert "not a regular file" in str(outcome[0])
