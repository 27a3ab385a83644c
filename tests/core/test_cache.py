"""The summary cache: hits, misses on change, damage, read-only folders, two writers at once."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
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
    assert "damaged" in caplog.text
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
