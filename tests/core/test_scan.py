"""Scanning a folder: which files count, bad files recorded (never raised), progress, cancel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.errors import SimdupError
from simdup_tui.core.scan import ScanResult, scan


def names(result: ScanResult) -> list[str]:
    return [result.relative(summary.path) for summary in result.summaries]


def error_reasons(result: ScanResult) -> dict[str, str]:
    return {result.relative(error.path): error.reason for error in result.errors}


def assert_one_line(reason: str, folder: Path) -> None:
    assert reason and reason == reason.strip()
    assert "\n" not in reason and len(reason) < 200
    assert str(folder) not in reason  # the path is shown beside the reason, not inside it


def scan_in_thread(folder: Path, timeout: float = 20, **options: object) -> ScanResult:
    """scan() with a time limit, so a scan that never ends fails the test instead of hanging."""
    outcome: list[ScanResult] = []
    worker = threading.Thread(target=lambda: outcome.append(scan(folder, **options)), daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"scan of {folder} did not end within {timeout} s"
    return outcome[0]


# --- which files are photos --------------------------------------------------------------------


def test_extensions_are_matched_case_insensitively(make_photo, tmp_path: Path) -> None:
    photos = [
        "a.JPG", "b.Jpeg", "c.PNG", "d.webp", "e.tif", "f.TIFF", "g.heic", "h.HEIF",
        "i.bmp", "j.gif", "k.avif", "l.jpeg",
    ]  # fmt: skip
    for seed, name in enumerate(photos):
        make_photo(name, seed=seed, size=(64, 48))
    (tmp_path / "notes.txt").write_text("not a photo")
    (tmp_path / "photo.jpg.txt").write_text("not a photo either")
    (tmp_path / "sidecar.xmp").write_text("<xmp/>")
    (tmp_path / "jpg").write_text("no extension at all")
    make_photo("raw.cr2", seed=99, size=(64, 48), format="TIFF")  # not in the list: ignored
    result = scan(tmp_path)
    assert names(result) == sorted(photos)
    assert result.errors == ()
    assert {summary.format for summary in result.summaries} >= {"JPEG", "PNG", "HEIF", "WEBP"}


def test_recursive_descends_only_when_asked(make_photo, tmp_path: Path) -> None:
    make_photo("top.jpg", seed=1)
    make_photo("trip/day1.jpg", seed=2)
    make_photo("trip/day2/deep.png", seed=3)
    assert names(scan(tmp_path)) == ["top.jpg"]
    assert names(scan(tmp_path, recursive=True)) == [
        "top.jpg",
        "trip/day1.jpg",
        "trip/day2/deep.png",
    ]


def test_hidden_files_and_folders_are_skipped_unless_asked(make_photo, tmp_path: Path) -> None:
    make_photo("visible.jpg", seed=1)
    make_photo(".hidden.jpg", seed=2)
    make_photo(".thumbnails/small.jpg", seed=3)
    make_photo("@eaDir/visible.jpg/SYNOPHOTO_THUMB.jpg", seed=1)  # a NAS's copies
    assert names(scan(tmp_path, recursive=True)) == ["visible.jpg"]
    assert names(scan(tmp_path, recursive=True, hidden=True)) == [
        ".hidden.jpg",
        ".thumbnails/small.jpg",
        "@eaDir/visible.jpg/SYNOPHOTO_THUMB.jpg",
        "visible.jpg",
    ]
    assert names(scan(tmp_path, hidden=True)) == [".hidden.jpg", "visible.jpg"]


def test_a_hidden_folder_named_on_purpose_is_scanned(make_photo, tmp_path: Path) -> None:
    make_photo(".photos/a.jpg", seed=1)
    assert names(scan(tmp_path / ".photos")) == ["a.jpg"]


def test_links_to_one_file_count_once(make_photo, tmp_path: Path) -> None:
    photo = make_photo("photo.jpg", seed=1)
    (tmp_path / "link.jpg").symlink_to(photo)
    os.link(photo, tmp_path / "hardlink.jpg")
    make_photo("album/other.jpg", seed=2)
    (tmp_path / "album/again.jpg").symlink_to(photo)
    (tmp_path / "same_album").symlink_to(tmp_path / "album", target_is_directory=True)
    result = scan(tmp_path, recursive=True)
    assert len(result.summaries) == 2 and result.errors == ()
    # One file is never its own near-duplicate: deleting "the copy" would delete the photo.
    assert find_duplicates(result.summaries).clusters == ()


def test_the_file_itself_is_kept_rather_than_a_link_to_it(make_photo, tmp_path: Path) -> None:
    """A link that sorts first must not hide the real file: deleting it would free nothing."""
    photo = make_photo("z_photo.jpg", seed=1)
    (tmp_path / "a_link.jpg").symlink_to(photo)
    make_photo("album/b.jpg", seed=2)
    (tmp_path / "a_album").symlink_to(tmp_path / "album", target_is_directory=True)
    result = scan(tmp_path, recursive=True)
    assert [result.relative(s.path) for s in result.summaries] == ["album/b.jpg", "z_photo.jpg"]


def test_symlink_loops_end(make_photo, tmp_path: Path) -> None:
    make_photo("a.jpg", seed=1)
    make_photo("sub/b.jpg", seed=2)
    (tmp_path / "sub/up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "sub/self").symlink_to(tmp_path / "sub", target_is_directory=True)
    (tmp_path / "ping.jpg").symlink_to(tmp_path / "pong.jpg")
    (tmp_path / "pong.jpg").symlink_to(tmp_path / "ping.jpg")
    result = scan_in_thread(tmp_path, recursive=True)
    assert names(result) == ["a.jpg", "sub/b.jpg"]
    assert set(error_reasons(result)) == {"ping.jpg", "pong.jpg"}


def test_a_folder_named_like_a_photo_is_not_a_photo(make_photo, tmp_path: Path) -> None:
    make_photo("album.jpg/inside.jpg", seed=1)
    result = scan(tmp_path)
    assert result.summaries == () and result.errors == ()
    assert names(scan(tmp_path, recursive=True)) == ["album.jpg/inside.jpg"]


def test_missing_folder_and_file_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(SimdupError, match="no such folder"):
        scan(tmp_path / "nowhere")
    (tmp_path / "file.jpg").write_bytes(b"x")
    with pytest.raises(SimdupError, match="not a folder"):
        scan(tmp_path / "file.jpg")


# --- bad files become error entries ------------------------------------------------------------


def write_truncated_jpeg(make_photo, tmp_path: Path) -> Path:
    whole = make_photo("whole.jpg", seed=5, size=(640, 480)).read_bytes()
    (tmp_path / "whole.jpg").unlink()
    path = tmp_path / "bad.jpg"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def write_text_as_jpeg(make_photo, tmp_path: Path) -> Path:
    path = tmp_path / "bad.jpg"
    path.write_text("Dear diary, this is not a photo.\n")
    return path


def write_empty(make_photo, tmp_path: Path) -> Path:
    path = tmp_path / "bad.png"
    path.touch()
    return path


def write_broken_link(make_photo, tmp_path: Path) -> Path:
    path = tmp_path / "bad.jpg"
    path.symlink_to(tmp_path / "deleted.jpg")
    return path


def write_corrupt_png(make_photo, tmp_path: Path) -> Path:
    data = bytearray(make_photo("whole.png", seed=5).read_bytes())
    (tmp_path / "whole.png").unlink()
    data[200:260] = bytes(60)  # scribble over compressed pixel data
    path = tmp_path / "bad.png"
    path.write_bytes(bytes(data))
    return path


BAD_FILES = {
    "zero bytes": (write_empty, "empty"),
    "truncated JPEG": (write_truncated_jpeg, "truncated"),
    "text named .jpg": (write_text_as_jpeg, "not an image"),
    "broken symlink": (write_broken_link, "broken link"),
    "corrupt PNG": (write_corrupt_png, ""),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_recorded_and_the_scan_goes_on(make_photo, tmp_path: Path, case) -> None:
    write, keyword = BAD_FILES[case]
    make_photo("a_good.jpg", seed=1)
    bad = write(make_photo, tmp_path)
    make_photo("z_good.png", seed=2)
    result = scan(tmp_path)
    assert names(result) == ["a_good.jpg", "z_good.png"]
    reasons = error_reasons(result)
    assert list(reasons) == [bad.name]
    assert keyword in reasons[bad.name]
    assert_one_line(reasons[bad.name], tmp_path)


def test_a_decompression_bomb_is_recorded(make_photo, tmp_path: Path, monkeypatch) -> None:
    make_photo("bomb.png", seed=1, size=(320, 240))
    make_photo("small.png", seed=2, size=(30, 20))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 300)  # 320x240 is far past twice that
    result = scan(tmp_path)
    assert names(result) == ["small.png"]
    reason = error_reasons(result)["bomb.png"]
    assert "too many pixels" in reason
    assert_one_line(reason, tmp_path)


def test_a_large_photo_below_the_bomb_limit_is_read_quietly(make_photo, tmp_path: Path) -> None:
    """Pillow warns between its pixel limit and twice it; a big panorama prints nothing.

    Run as the command a person types, in a fresh interpreter: pytest resets warning filters
    around every test, so only a subprocess shows what the person would see on stderr.
    """
    make_photo("panorama.png", seed=1, size=(320, 240))
    script = (
        "import sys; from PIL import Image; Image.MAX_IMAGE_PIXELS = 320 * 240 * 2 // 3; "
        "from simdup_tui.__main__ import main; sys.exit(main([sys.argv[1], '--list']))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0
    assert "Scanned 1 photo" in run.stdout
    assert run.stderr == ""


def test_every_bad_file_at_once(make_photo, tmp_path: Path) -> None:
    make_photo("good.jpg", seed=1)
    bad_names = []
    for number, (write, _) in enumerate(BAD_FILES.values()):
        bad = write(make_photo, tmp_path)
        bad_names.append(f"bad{number}{bad.suffix}")
        bad.rename(tmp_path / bad_names[-1])
    result = scan(tmp_path)
    assert names(result) == ["good.jpg"]
    assert sorted(error_reasons(result)) == sorted(bad_names)
    for reason in error_reasons(result).values():
        assert_one_line(reason, tmp_path)


def unprivileged_command() -> list[str]:
    """How to run Python without root's right to read anything, or skip saying why not."""
    if os.geteuid() != 0:
        return [sys.executable]
    # Root reads 0o000 files. In a new user namespace root keeps its uid but loses its
    # capabilities on the host's files, so permission bits apply to it again.
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("running as root and `unshare` (util-linux) is missing: root can read 0o000")
    probe = subprocess.run([unshare, "--user", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(
            "running as root and `unshare --user` is not allowed here "
            f"({probe.stderr.decode(errors='replace').strip()}): root can read 0o000 files"
        )
    return [unshare, "--user", sys.executable]


SCAN_AS_JSON = """
import json, sys
from simdup_tui.core.scan import scan
result = scan(sys.argv[1], recursive=True)
print(json.dumps({
    "photos": [result.relative(s.path) for s in result.summaries],
    "errors": {result.relative(e.path): e.reason for e in result.errors},
}))
"""


def test_unreadable_file_and_folder_are_recorded(make_photo, tmp_path: Path) -> None:
    command = unprivileged_command()
    make_photo("readable.jpg", seed=1)
    locked = make_photo("locked.jpg", seed=2)
    make_photo("private/inside.jpg", seed=3)
    locked.chmod(0)
    (tmp_path / "private").chmod(0)
    options = {"capture_output": True, "text": True, "timeout": 60, "check": False}
    try:
        run = subprocess.run([*command, "-c", SCAN_AS_JSON, str(tmp_path)], **options)
        # Asked to scan the unreadable folder itself: one line and exit 2, as for a missing one.
        cli = subprocess.run([*command, "-m", "simdup_tui", str(tmp_path / "private")], **options)
    finally:
        (tmp_path / "private").chmod(0o755)
        locked.chmod(0o644)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["photos"] == ["readable.jpg"]
    assert report["errors"] == {
        "locked.jpg": "permission denied",
        "private": "cannot read folder: permission denied",
    }
    assert cli.returncode == 2
    assert cli.stderr.splitlines() == [
        f"simdup-tui: cannot read folder (permission denied): {tmp_path / 'private'}"
    ]


# --- progress and cancellation -----------------------------------------------------------------


def test_progress_reports_done_total_and_path(make_photo, tmp_path: Path) -> None:
    paths = [make_photo(f"p{n}.jpg", seed=n, size=(64, 48)) for n in range(5)]
    (tmp_path / "bad.jpg").write_text("nope")
    calls: list[tuple[int, int, Path | None]] = []
    result = scan(tmp_path, progress=lambda done, total, path: calls.append((done, total, path)))
    assert calls[0] == (0, 6, None)
    assert calls[-1][:2] == (6, 6)
    dones = [done for done, _, _ in calls]
    assert dones == sorted(dones)
    assert all(total == 6 for _, total, _ in calls)
    reported = {path for _, _, path in calls if path is not None}
    assert reported == {*paths, tmp_path / "bad.jpg"}
    assert not result.cancelled and len(result.summaries) == 5


def test_cancel_stops_the_scan(make_photo, tmp_path: Path) -> None:
    for n in range(20):
        make_photo(f"p{n:02}.jpg", seed=n, size=(64, 48))
    cancel = threading.Event()
    calls: list[int] = []

    def progress(done: int, total: int, path: Path | None) -> None:
        calls.append(done)
        if done >= 3:
            cancel.set()

    result = scan(tmp_path, progress=progress, cancel=cancel)
    assert result.cancelled
    # Stopped soon after: at most the photos already being read when the cancel came.
    assert 3 <= len(result.summaries) < 20
    assert max(calls) < 20


def test_cancel_before_the_scan_starts(make_photo, tmp_path: Path) -> None:
    make_photo("a.jpg", seed=1)
    cancel = threading.Event()
    cancel.set()
    result = scan(tmp_path, cancel=cancel)
    assert result.cancelled
    assert result.summaries == ()


def test_cancel_from_another_thread(make_photo, tmp_path: Path) -> None:
    for n in range(12):
        make_photo(f"p{n:02}.jpg", seed=n, size=(64, 48))
    cancel = threading.Event()
    started = threading.Event()

    def progress(done: int, total: int, path: Path | None) -> None:
        if done:
            started.set()
            assert cancel.wait(5)  # hold the scan until the other thread has cancelled

    canceller = threading.Thread(target=lambda: (started.wait(5), cancel.set()))
    canceller.start()
    result = scan(tmp_path, progress=progress, cancel=cancel, workers=2)
    canceller.join()
    assert result.cancelled
    assert 1 <= len(result.summaries) < 12


# --- what a scan keeps when it is cut short ------------------------------------------------------


class CountingCache:
    """A SummaryCache that remembers every batch it was given (and never returns a summary)."""

    def __init__(self) -> None:
        self.batches: list[list] = []

    def get(self, path, identity):
        return None

    def put_many(self, summaries) -> None:
        self.batches.append(list(summaries))


def test_summaries_are_stored_in_batches_as_the_scan_goes(make_photo, tmp_path, monkeypatch):
    from simdup_tui.core import scan as scan_module

    for n in range(10):
        make_photo(f"p{n:02}.jpg", seed=n, size=(64, 48))
    monkeypatch.setattr(scan_module, "STORE_EVERY_FILES", 4)
    cache = CountingCache()
    seen_at_progress: list[int] = []
    scan(tmp_path, cache=cache, workers=1,
         progress=lambda done, total, path: seen_at_progress.append(
             sum(map(len, cache.batches))))  # fmt: skip
    assert [len(batch) for batch in cache.batches] == [4, 4, 2]
    assert seen_at_progress[5] == 4  # the first four were stored before the fifth was read


def test_a_slow_scan_stores_every_few_seconds() -> None:
    from simdup_tui.core.scan import BatchStore
    from simdup_tui.core.summary import Summary

    now = [0.0]
    cache = CountingCache()
    store = BatchStore(cache, clock=lambda: now[0])
    for second in range(7):
        now[0] = float(second)
        store.add(Summary(Path(f"/p/{second}.jpg"), bytes(768), 1, 1, "JPEG", 1, 1))
    assert [len(batch) for batch in cache.batches] == [3, 2, 2]  # at 2 s, 4 s and 6 s
    store.flush()
    assert sum(map(len, cache.batches)) == 7


def test_a_cancelled_scan_keeps_what_it_summarised(make_photo, tmp_path: Path) -> None:
    from simdup_tui.core.cache import SqliteSummaryCache

    photos = tmp_path / "photos"
    for n in range(20):
        make_photo(f"photos/p{n:02}.jpg", seed=n, size=(64, 48))
    cancel = threading.Event()
    with SqliteSummaryCache(tmp_path / "cache") as cache:
        first = scan(photos, cache=cache, cancel=cancel, workers=2,
                     progress=lambda done, total, path: done >= 6 and cancel.set())  # fmt: skip
        assert first.cancelled
        kept = cache.get_many([(s.path, s.identity) for s in scan(photos).summaries])
    assert len(kept) >= len(first.summaries) >= 6


KILLED_SCAN = """
import sys, time
from simdup_tui.core import scan as scan_module
from simdup_tui.core.cache import SqliteSummaryCache

scan_module.STORE_EVERY_FILES = 4
def progress(done, total, path):
    print(done, flush=True)
    time.sleep(0.01)
scan_module.scan(sys.argv[1], cache=SqliteSummaryCache(sys.argv[2]), progress=progress, workers=2)
print("finished", flush=True)
"""


@pytest.mark.parametrize("kill_at", [5, 13, 22])
def test_a_scan_killed_partway_leaves_only_the_rest_to_read(
    make_photo, tmp_path: Path, monkeypatch, kill_at: int
) -> None:
    import signal

    from simdup_tui.core import scan as scan_module
    from simdup_tui.core.cache import SqliteSummaryCache

    photos = tmp_path / "photos"
    for n in range(30):
        make_photo(f"photos/p{n:02}.jpg", seed=n, size=(64, 48))
    child = subprocess.Popen([sys.executable, "-c", KILLED_SCAN, str(photos), str(tmp_path / "c")],
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    for line in child.stdout:
        if line.strip() == "finished" or int(line) >= kill_at:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    reads: list[Path] = []
    real = scan_module.summarise
    monkeypatch.setattr(scan_module, "summarise", lambda path: reads.append(path) or real(path))
    with SqliteSummaryCache(tmp_path / "c") as cache:
        result = scan(photos, cache=cache)
    assert len(result.summaries) == 30
    assert 30 - len(reads) >= kill_at - 3  # at most the batch being filled was lost
    assert len(reads) < 30


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_or_device_named_like_a_photo_is_listed_with_a_reason(make_photo, tmp_path) -> None:
    """Nothing that looks like a photo is dropped without a word (found by a tester)."""
    make_photo("photos/real.jpg", seed=1)
    os.mkfifo(tmp_path / "photos/fifo.jpg")
    (tmp_path / "photos/zero.jpg").symlink_to("/dev/zero")
    result = scan(tmp_path / "photos")
    assert [s.path.name for s in result.summaries] == ["real.jpg"]
    reasons = {error.path.name: error.reason for error in result.errors}
    assert set(reasons) == {"fifo.jpg", "zero.jpg"}
    assert all("not a regular file" in reason for reason in reasons.values())
