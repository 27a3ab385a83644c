"""Summaries of unchanged files kept in SQLite, so a second scan reads no photo at all."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from .identity import FileIdentity
from .summary import SUMMARY_BYTES, SUMMARY_VERSION, Summary

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "SIMDUP_CACHE_DIR"
"""Environment variable naming the folder of the cache (tests and sandboxes set it)."""
CACHE_FILE = "summaries.sqlite3"
"""The cache's file name inside its folder."""
SCHEMA_VERSION = 3
"""The table layout (SQLite's user_version); a different one means the file is rebuilt.
2: keyed by the file's whole identity (device, inode, size, mtime_ns, ctime_ns), with EXIF facts.
3: the strict check's detail of low-contrast pictures (Summary.detail, often empty)."""
BUSY_TIMEOUT_MS = 5000
"""How long to wait for another instance's write before giving up on one batch."""
_BATCH = 500
"""Paths per lookup query (below SQLite's bound-parameter limit)."""

Key = tuple[Path, FileIdentity]
"""What identifies a file's content: its absolute path and its identity as listed now."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    path BLOB PRIMARY KEY,
    device INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    version INTEGER NOT NULL,
    pixels BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    format TEXT NOT NULL,
    taken_ns INTEGER,
    camera TEXT NOT NULL,
    detail BLOB NOT NULL
) WITHOUT ROWID
"""


def default_cache_dir() -> Path:
    """SIMDUP_CACHE_DIR when set, else the user's cache folder (platformdirs)."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("simdup-tui", appauthor=False))


class SqliteSummaryCache:
    """The SummaryCache of scan.py in one SQLite file; a broken cache is bypassed, never fatal.

    WAL journaling, a busy timeout and one transaction per batch let two app instances share
    the file. A file that is not a database (or has another layout) is moved aside and rebuilt;
    a folder that cannot be written leaves the cache read-only or off, with a logged warning.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.path = self.directory / CACHE_FILE
        self.writable = True
        """False once a write failed for good (read-only folder or file): lookups still work."""
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        try:
            self._connection = self._open()
        except (sqlite3.Error, OSError) as error:
            log.warning("summary cache %s is not usable, scanning without it: %s", self.path, error)
            self._connection = None

    @property
    def enabled(self) -> bool:
        return self._connection is not None

    def _open(self) -> sqlite3.Connection:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if not self.path.exists():
                raise
            log.warning("cache folder %s: %s", self.directory, error)
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                raise
            log.warning("summary cache %s is damaged (%s): rebuilding it", self.path, error)
            self._move_aside()
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        readonly = self.path.exists() and not os.access(self.path, os.W_OK)
        readonly = readonly or not os.access(self.directory, os.W_OK)
        if readonly:
            if not self.path.exists():
                raise OSError(f"cannot create the cache in {self.directory} (read-only)")
            log.warning("summary cache %s is read-only: using it without storing", self.path)
            self.writable = False
            uri = self.path.resolve().as_uri() + "?mode=ro"
            connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                         check_same_thread=False)  # fmt: skip
        else:
            connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if readonly:
                if version != SCHEMA_VERSION or "summaries" not in tables:
                    raise sqlite3.DatabaseError("read-only cache of another layout")
                return connection
            if version not in (0, SCHEMA_VERSION) or (version == 0 and tables):
                raise sqlite3.DatabaseError(f"unknown cache layout {version}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            with connection:
                connection.execute(_SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("SELECT count(*) FROM summaries LIMIT 1").fetchone()
        except BaseException:
            connection.close()
            raise
        return connection

    def _move_aside(self) -> None:
        """Remove a damaged cache file (and its WAL files): it only holds recomputable data."""
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError as error:
                log.warning("could not remove damaged cache file: %s", error)

    def get(self, path: Path, identity: FileIdentity) -> Summary | None:
        """One file's summary if the cache holds it for this exact identity."""
        return self.get_many([(path, identity)]).get(path)

    def get_many(self, keys: Sequence[Key]) -> dict[Path, Summary]:
        """Summaries of every file whose path, identity and summary version match.

        One query per few hundred paths: looking files up one by one is too slow at 10,000.
        A file rewritten in place with its size and mtime restored has another ctime (and
        often another inode), so it is read again.
        """
        if self._connection is None or not keys:
            return {}
        wanted = {os.fsencode(path): (path, identity) for path, identity in keys}
        found: dict[Path, Summary] = {}
        names = list(wanted)
        try:
            with self._lock:
                for start in range(0, len(names), _BATCH):
                    chunk = names[start : start + _BATCH]
                    marks = ",".join("?" * len(chunk))
                    rows = self._connection.execute(
                        "SELECT path, device, inode, size, mtime_ns, ctime_ns, pixels, width, "
                        "height, format, taken_ns, camera, detail "
                        f"FROM summaries WHERE version = ? AND path IN ({marks})",
                        (SUMMARY_VERSION, *chunk),
                    ).fetchall()
                    for name, device, inode, size, mtime, ctime, pixels, *rest in rows:
                        path, identity = wanted[name]
                        if FileIdentity(device, inode, size, mtime, ctime) != identity:
                            continue
                        if len(pixels) != SUMMARY_BYTES:
                            continue
                        width, height, image_format, taken_ns, camera, detail = rest
                        found[path] = Summary(
                            path, bytes(pixels), width, height, image_format, size, mtime,
                            device, inode, ctime, taken_ns, camera, bytes(detail),
                        )  # fmt: skip
        except sqlite3.Error as error:
            log.warning("summary cache lookup failed, reading the photos instead: %s", error)
            return found
        return found

    def put_many(self, summaries: Iterable[Summary]) -> None:
        """Store fresh summaries in one transaction; failure is logged and the scan goes on."""
        if self._connection is None or not self.writable:
            return
        rows = [
            (
                os.fsencode(s.path), s.device, s.inode, s.size, s.mtime_ns, s.ctime_ns,
                SUMMARY_VERSION, s.pixels, s.width, s.height, s.format, s.taken_ns, s.camera,
                s.detail,
            )
            for s in summaries
        ]  # fmt: skip
        if not rows:
            return
        try:
            with self._lock, self._connection:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO summaries (path, device, inode, size, mtime_ns, "
                    "ctime_ns, version, pixels, width, height, format, taken_ns, camera, detail) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.OperationalError as error:
            if "readonly" in str(error) or "read-only" in str(error):
                self.writable = False
            log.warning("could not store %d summaries in the cache: %s", len(rows), error)
        except sqlite3.Error as error:
            log.warning("could not store %d summaries in the cache: %s", len(rows), error)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __enter__(self) -> SqliteSummaryCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_default_cache(
    directory: str | os.PathLike[str] | None = None,
) -> SqliteSummaryCache | None:
    """The cache in its usual place, or None (with a logged warning) when it cannot be used."""
    try:
        cache = SqliteSummaryCache(directory)
    except Exception as error:  # a cache must never stop a scan
        log.warning("summary cache unavailable: %s", error)
        return None
    return cache if cache.enabled else None
