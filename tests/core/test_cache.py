"""The summary cache: hits, misses on change, damage, read-only folders, two writers at once."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from simdup_tui.__main__ import main
from simdup_tui.core import scan as scan_module
from simdup_tui.core.cache import CACHE_FILE, SqliteSummaryCache, open_default_cache
from simdup_tui.core.scan import scan
from simdup_tui.core.summary import Summary


@pytest.fixture
def photos(make_photo, tmp_path: Path) -> Path:
    for number in range(4):
        make_photo(f"photos/p{number}.jpg", seed=number // 2)
    return tmp_path / "photos"


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The paths scan() actually decodes (cache hits never get here)."""
    seen: list[Path] = []
    real = scan_module.summarise

    def counting(path):
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(scan_module, "summarise", counting)
    return seen


def test_second_scan_reads_nothing_and_gives_the_same_result(photos, tmp_path, reads) -> None:
    with SqliteSummaryCache(tmp_path / "cache") as cache:
        first = scan(photos, cache=cache)
        assert len(reads) == 4
        reads.clear()
        second = scan(photos, cache=cache)
    assert reads == []
    assert second.summaries == first.summaries


def test_changed_size_or_mtime_is_read_again(photos, tmp_path, reads, make_photo) -> None:
    cache = SqliteSummaryCache(tmp_path / "cache")
    scan(photos, cache=cache)
    reads.clear()
    touched = photos / "p0.jpg"
    info = touched.stat()
    os.utime(touched, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    make_photo("photos/p1.jpg", seed=9, size=(300, 200))  # new content, new size
    result = scan(photos, cache=cache)
    assert sorted(path.name for path in reads) == ["p0.jpg", "p1.jpg"]
    assert {s.path.name: s.width for s in result.summaries}["p1.jpg"] == 300


def test_another_summary_version_is_a_miss(photos, tmp_path, reads, monkeypatch) -> None:
    from simdup_tui.core import cache as cache_module

    cache = SqliteSummaryCache(tmp_path / "cache")
    scan(photos, cache=cache)
    reads.clear()
    monkeypatch.setattr(cache_module, "SUMMARY_VERSION", 999)
    scan(photos, cache=cache)
    assert len(reads) == 4


def test_get_and_get_many_agree(photos, tmp_path) -> None:
    cache = SqliteSummaryCache(tmp_path / "cache")
    result = scan(photos, cache=cache)
    summary = result.summaries[0]
    assert cache.get(summary.path, summary.identity) == summary
    assert cache.get(summary.path, replace(summary.identity, size=summary.size + 1)) is None
    assert cache.get(summary.path, replace(summary.identity, ctime_ns=1)) is None
    assert cache.get(summary.path, replace(summary.identity, inode=summary.inode + 1)) is None
    keys = [(s.path, s.identity) for s in result.summaries]
    assert cache.get_many(keys) == {s.path: s for s in result.summaries}


def test_garbage_cache_file_is_rebuilt_with_a_warning(photos, tmp_path, caplog, reads) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / CACHE_FILE).write_bytes(os.urandom(4096))
    with caplog.at_level(logging.WARNING):
        cache = SqliteSummaryCache(folder)
    assert "rebuilding" in caplog.text and len(caplog.records) == 1
    assert cache.enabled
    scan(photos, cache=cache)
    reads.clear()
    scan(photos, cache=cache)
    assert reads == []


def test_unusable_cache_folder_means_no_cache_not_a_crash(photos, tmp_path, caplog) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING):
        assert open_default_cache(blocker / "cache") is None
        cache = SqliteSummaryCache(blocker / "cache")
    assert not cache.enabled
    assert "not usable" in caplog.text
    result = scan(photos, cache=cache)
    assert len(result.summaries) == 4


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_read_only_cache_folder_is_used_without_storing(photos, tmp_path, reads) -> None:
    folder = tmp_path / "cache"
    scan(photos, cache=SqliteSummaryCache(folder))
    make_extra = photos / "extra.jpg"
    make_extra.write_bytes((photos / "p0.jpg").read_bytes())
    folder.chmod(0o555)
    (folder / CACHE_FILE).chmod(0o444)
    try:
        reads.clear()
        cache = SqliteSummaryCache(folder)
        result = scan(photos, cache=cache)
        assert [path.name for path in reads] == ["extra.jpg"]
        assert len(result.summaries) == 5
    finally:
        folder.chmod(0o755)


def test_read_only_database_is_bypassed_for_writes(photos, tmp_path, monkeypatch, caplog) -> None:
    """As root chmod does not stop writes, so the read-only outcome is forced instead."""
    folder = tmp_path / "cache"
    cache = SqliteSummaryCache(folder)
    cache.close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) in
                        (folder, folder / CACHE_FILE) else real_access(path, mode))  # fmt: skip
    with caplog.at_level(logging.WARNING):
        cache = SqliteSummaryCache(folder)
        result = scan(photos, cache=cache)
    assert cache.enabled and not cache.writable
    assert "read-only" in caplog.text
    assert len(result.summaries) == 4


def test_locked_database_is_bypassed(photos, tmp_path, monkeypatch, caplog) -> None:
    import sqlite3

    from simdup_tui.core import cache as cache_module

    folder = tmp_path / "cache"
    cache = SqliteSummaryCache(folder)
    blocker = sqlite3.connect(folder / CACHE_FILE)
    blocker.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT_MS", 50)
    try:
        cache._connection.execute("PRAGMA busy_timeout = 50")
        with caplog.at_level(logging.WARNING):
            result = scan(photos, cache=cache)
        assert len(result.summaries) == 4
        assert "cache" in caplog.text
    finally:
        blocker.rollback()
        blocker.close()


def test_summaries_round_trip_odd_paths(tmp_path) -> None:
    cache = SqliteSummaryCache(tmp_path / "cache")
    odd = Path(os.fsdecode(b"/photos/caf\xe9 \xff.jpg"))
    summary = Summary(odd, bytes(range(256)) * 3, 4000, 3000, "JPEG", 123, 456)
    cache.put_many([summary])
    assert cache.get(odd, summary.identity) == summary


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from simdup_tui.core.cache import SqliteSummaryCache
    from simdup_tui.core.summary import Summary

    cache = SqliteSummaryCache(Path(sys.argv[1]))
    assert cache.enabled
    tag = sys.argv[2]
    for batch in range(30):
        cache.put_many(
            Summary(Path(f"/p/{tag}/{batch}/{n}.jpg"), bytes([n % 256]) * 768, n, n, "JPEG", n, n)
            for n in range(100)
        )
    print("done")
    """
)


def test_two_processes_writing_at_once_do_not_corrupt_it(tmp_path) -> None:
    folder = tmp_path / "cache"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), tag], stdout=subprocess.PIPE, text=True
        )
        for tag in ("a", "b")
    ]
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0 and out.strip() == "done"
    cache = SqliteSummaryCache(folder)
    check = cache._connection.execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"
    count = cache._connection.execute("SELECT count(*) FROM summaries").fetchone()[0]
    assert count == 2 * 30 * 100


def test_headless_uses_the_cache_and_no_cache_skips_it(photos, reads, capsys) -> None:
    assert main([str(photos), "--json"]) == 0
    assert len(reads) == 4
    reads.clear()
    assert main([str(photos), "--json"]) == 0
    assert reads == []
    assert main([str(photos), "--json", "--no-cache"]) == 0
    assert len(reads) == 4
    cache_dir = Path(os.environ["SIMDUP_CACHE_DIR"])
    assert (cache_dir / CACHE_FILE).exists()
    capsys.readouterr()


def test_no_cache_never_creates_the_cache(photos, capsys) -> None:
    assert main([str(photos), "--list", "--no-cache"]) == 0
    assert not Path(os.environ["SIMDUP_CACHE_DIR"]).exists()
    capsys.readouterr()


# --- faults: a full drive, a read-only file, an I/O error, two instances creating it at once ---


def limit_to_current_size(connection) -> None:
    """Play a full drive: the database may not grow by a single page (a real SQLITE_FULL)."""
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {max(pages, 1)}")


def stored_paths(folder: Path) -> set[str]:
    with sqlite3.connect(folder / CACHE_FILE) as connection:
        return {os.fsdecode(row[0]) for row in connection.execute("SELECT path FROM summaries")}


def test_full_drive_reads_the_cache_stores_nothing_and_warns_once(
    photos, tmp_path, reads, make_photo, caplog
) -> None:
    folder = tmp_path / "cache"
    with SqliteSummaryCache(folder) as cache:
        scan(photos, cache=cache)
    before = stored_paths(folder)
    make_photo("photos/new1.jpg", seed=7)
    make_photo("photos/new2.jpg", seed=8)
    reads.clear()
    with caplog.at_level(logging.WARNING):
        with SqliteSummaryCache(folder, on_connect=limit_to_current_size) as cache:
            result = scan(photos, cache=cache)
            assert cache.enabled and not cache.writable
            scan(photos, cache=cache)  # a second try neither warns again nor stores
    assert sorted(path.name for path in reads) == ["new1.jpg"] * 2 + ["new2.jpg"] * 2
    assert len(result.summaries) == 6
    assert [record.getMessage() for record in caplog.records] == [
        f"summary cache {folder / CACHE_FILE} cannot be written (the drive is full): "
        "storing nothing more"
    ]
    assert stored_paths(folder) == before  # kept, not "damaged" and emptied


def test_read_only_database_reads_and_warns_once(photos, tmp_path, reads, caplog) -> None:
    """SQLite's query_only gives the very SQLITE_READONLY a read-only file gives (root ignores
    file modes, so chmod cannot play it here)."""
    folder = tmp_path / "cache"
    with SqliteSummaryCache(folder) as cache:
        scan(photos, cache=cache)
    (photos / "p0.jpg").unlink()
    reads.clear()
    with caplog.at_level(logging.WARNING):
        with SqliteSummaryCache(
            folder, on_connect=lambda c: c.execute("PRAGMA query_only = ON")
        ) as cache:
            result = scan(photos, cache=cache)
    assert reads == [] and len(result.summaries) == 3
    assert len(caplog.records) == 0  # nothing new to store: nothing to warn about
    (photos / "extra.jpg").write_bytes((photos / "p1.jpg").read_bytes())
    with caplog.at_level(logging.WARNING):
        with SqliteSummaryCache(
            folder, on_connect=lambda c: c.execute("PRAGMA query_only = ON")
        ) as cache:
            scan(photos, cache=cache)
            scan(photos, cache=cache)
    assert len(caplog.records) == 1 and "read-only" in caplog.text
    assert len(stored_paths(folder)) == 4


@pytest.mark.parametrize(
    "code", [sqlite3.SQLITE_IOERR_READ, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_FULL]
)
def test_an_error_opening_a_good_cache_never_deletes_it(photos, tmp_path, caplog, code) -> None:
    folder = tmp_path / "cache"
    with SqliteSummaryCache(folder) as cache:
        scan(photos, cache=cache)
    before = stored_paths(folder)
    failed = []

    def fail_once(connection) -> None:
        if not failed:
            failed.append(code)
            error = sqlite3.OperationalError("injected fault")
            error.sqlite_errorcode = code
            raise error

    with caplog.at_level(logging.WARNING):
        cache = SqliteSummaryCache(folder, on_connect=fail_once)
    assert failed and cache.enabled and not cache.writable
    assert len(caplog.records) == 1 and "cannot be written" in caplog.text
    assert len(cache.get_many([(s.path, s.identity) for s in scan(photos).summaries])) == 4
    cache.close()
    assert stored_paths(folder) == before


def test_another_programs_database_is_rebuilt(photos, tmp_path, reads, caplog) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    with sqlite3.connect(folder / CACHE_FILE) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    with caplog.at_level(logging.WARNING), SqliteSummaryCache(folder) as cache:
        scan(photos, cache=cache)
    assert "rebuilding" in caplog.text and len(caplog.records) == 1
    assert len(stored_paths(folder)) == 4


@pytest.fixture
def tiny_drive(tmp_path: Path) -> Path:
    """A 256 kB tmpfs of its own (root only): a drive that really fills up or turns read-only."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                      capture_output=True, check=False).returncode:  # fmt: skip
        pytest.skip("tmpfs cannot be mounted here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_drive_for_real(tiny_drive, photos, reads, make_photo, caplog) -> None:
    folder = tiny_drive / "cache"
    with SqliteSummaryCache(folder) as cache:
        scan(photos, cache=cache)
    before = stored_paths(folder)
    filler = tiny_drive / "filler"
    with contextlib.suppress(OSError), open(filler, "wb", buffering=0) as file:
        while True:
            file.write(b"\0" * 4096)
    for number in range(30):
        make_photo(f"photos/new{number}.jpg", seed=10 + number, size=(64, 48))
    reads.clear()
    with caplog.at_level(logging.WARNING), SqliteSummaryCache(folder) as cache:
        result = scan(photos, cache=cache)
    assert len(reads) == 30 and len(result.summaries) == 34
    assert len(caplog.records) <= 1 and "damaged" not in caplog.text
    filler.unlink()
    assert before <= stored_paths(folder)


def test_read_only_drive_for_real(tiny_drive, photos, reads, make_photo, caplog) -> None:
    folder = tiny_drive / "cache"
    with SqliteSummaryCache(folder) as cache:
        scan(photos, cache=cache)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_drive)], check=True)
    make_photo("photos/new.jpg", seed=10)
    reads.clear()
    with caplog.at_level(logging.WARNING), SqliteSummaryCache(folder) as cache:
        result = scan(photos, cache=cache)
        assert cache.enabled and not cache.writable
    assert [path.name for path in reads] == ["new.jpg"]  # the four cached ones were read back
    assert len(result.summaries) == 5
    assert [record.getMessage() for record in caplog.records] == [
        f"summary cache {folder / CACHE_FILE} cannot be written (read-only): "
        "using it without storing"
    ]


CREATOR = textwrap.dedent(
    """
    import sys, time, logging
    from pathlib import Path
    from simdup_tui.core.cache import SqliteSummaryCache
    from simdup_tui.core.summary import Summary

    tag = sys.argv[1]
    for line in sys.stdin:
        folder, start = line.split()
        while time.time() < float(start):
            pass
        cache = SqliteSummaryCache(Path(folder))
        cache.put_many([Summary(Path(f"/p/{tag}.jpg"), bytes(768), 1, 1, "JPEG", 1, 1)])
        ok = cache.enabled and cache.writable and cache.warning is None
        cache.close()
        print("ok" if ok else f"fail {cache.warning}", flush=True)
    """
)


def test_two_processes_creating_the_cache_at_once_keep_both(tmp_path) -> None:
    command = [sys.executable, "-c", CREATOR]
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
    creators = [subprocess.Popen([*command, tag], **pipes) for tag in ("a", "b")]
    try:
        for round_number in range(25):
            folder = tmp_path / f"round{round_number}"
            start = time.time() + 0.03
            for creator in creators:
                creator.stdin.write(f"{folder} {start}\n")
                creator.stdin.flush()
            answers = [creator.stdout.readline().strip() for creator in creators]
            assert answers == ["ok", "ok"], (round_number, answers)
            assert stored_paths(folder) == {"/p/a.jpg", "/p/b.jpg"}, round_number
    finally:
        for creator in creators:
            creator.stdin.close()
            creator.wait(timeout=30)
