"""Summaries of unchanged files kept in SQLite, so a second scan reads no photo at all.

The store itself: one SQLite file keyed by path and file identity, read in bulk and written in
batches. What its errors mean is in cache_fault.py; the lock taken to create it in cache_lock.py.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .cache_fault import Fault, UnknownLayoutError, fault_of, fault_reason
from .cache_lock import creation_lock
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
LOCK_TIMEOUT_S = BUSY_TIMEOUT_MS / 1000
"""How long to wait for another instance creating or rebuilding the cache."""
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
    the file. Only a file that is not a cache this version can read (not SQLite, damaged, another
    layout) is rebuilt. A full drive, a read-only file or folder or an I/O error never deletes
    anything: what can be read is used and nothing is stored. Creating and rebuilding happen
    under an flock on a lock file beside the cache, so two instances starting at once never
    remove each other's fresh file. Each cache logs at most one warning.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        *,
        on_connect: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        """`on_connect` runs on every new connection (tests play a full drive through it with
        PRAGMA max_page_count)."""
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.path = self.directory / CACHE_FILE
        self.writable = True
        """False once writing is known to fail (read-only, full drive): lookups still work."""
        self.warning: str | None = None
        """The one warning this cache logged, if any."""
        self._on_connect = on_connect
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        try:
            self._connection = self._open()
        except (sqlite3.Error, OSError) as error:
            self._warn(f"summary cache {self.path} is not usable ({fault_reason(error)}): "
                       "scanning without it")  # fmt: skip
            self._connection = None

    @property
    def enabled(self) -> bool:
        return self._connection is not None

    def _warn(self, message: str) -> None:
        """Log a warning, only the first: one fault must not stack five messages."""
        if self.warning is None:
            self.warning = message
            log.warning("%s", message)

    def _open(self) -> sqlite3.Connection:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            if not self.path.exists():
                raise
        if not os.access(self.directory, os.W_OK) or (
            self.path.exists() and not os.access(self.path, os.W_OK)
        ):
            return self._open_read_only("read-only")
        with creation_lock(self.path.with_name(CACHE_FILE + ".lock"), LOCK_TIMEOUT_S):
            try:
                return self._connect()
            except sqlite3.DatabaseError as error:
                fault = fault_of(error)
                if fault is Fault.CANNOT_WRITE and self.path.exists():
                    return self._open_read_only(fault_reason(error))
                if fault is not Fault.NOT_A_CACHE:
                    raise
                self._remove_files()
                connection = self._connect()
                self._warn(f"summary cache {self.path} was damaged or of another layout "
                           f"({error}): rebuilding it")  # fmt: skip
                return connection

    def _new_connection(self, uri: str | None = None) -> sqlite3.Connection:
        timeout = BUSY_TIMEOUT_MS / 1000
        if uri is None:
            connection = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
        else:
            connection = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self._on_connect is not None:
                self._on_connect(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _connect(self) -> sqlite3.Connection:
        """A writable connection; writes only when the file is new (a full drive must not make
        a good cache look damaged). Raises UnknownLayoutError for another layout."""
        connection = self._new_connection()
        try:
            version, tables = _layout(connection)
            if version == 0 and not tables:
                connection.execute("PRAGMA journal_mode = WAL")
                with connection:
                    connection.execute(_SCHEMA)
                    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version != SCHEMA_VERSION or "summaries" not in tables:
                raise UnknownLayoutError(f"unknown cache layout {version}")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("SELECT 1 FROM summaries LIMIT 1").fetchall()
        except BaseException:
            connection.close()
            raise
        return connection

    def _open_read_only(self, why: str) -> sqlite3.Connection:
        """Read what can be read, store nothing; raise when the file cannot even be read."""
        if not self.path.exists():
            raise OSError(errno.EROFS, f"cannot create the cache in {self.directory} ({why})")
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            connection = self._checked_read_only(uri, why)
        except sqlite3.OperationalError as error:
            # A WAL database needs its -shm file, which a read-only folder cannot hold. With no
            # WAL content waiting, the file alone is the whole cache: read it as immutable.
            wal = Path(f"{self.path}-wal")
            if fault_of(error) is not Fault.CANNOT_WRITE or (wal.exists() and wal.stat().st_size):
                raise
            connection = self._checked_read_only(uri + "&immutable=1", why)
        self.writable = False
        self._warn(f"summary cache {self.path} cannot be written ({why}): "
                   "using it without storing")  # fmt: skip
        return connection

    def _checked_read_only(self, uri: str, why: str) -> sqlite3.Connection:
        connection = self._new_connection(uri)
        try:
            version, tables = _layout(connection)
            if version != SCHEMA_VERSION or "summaries" not in tables:
                raise UnknownLayoutError(f"cache layout {version} cannot be rebuilt ({why})")
            connection.execute("SELECT 1 FROM summaries LIMIT 1").fetchall()
        except BaseException:
            connection.close()
            raise
        return connection

    def _remove_files(self) -> None:
        """Remove a file that is not a cache (and its WAL files): it holds nothing we can use.
        Raises OSError when it cannot be removed."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

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
            self._warn(f"summary cache {self.path} could not be read ({fault_reason(error)}): "
                       "reading the photos instead")  # fmt: skip
            return found
        return found

    def put_many(self, summaries: Iterable[Summary]) -> None:
        """Store fresh summaries in one transaction; failure is logged once and the scan goes on.

        A full drive or a read-only file stops storing for the rest of this cache's life."""
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
        except sqlite3.Error as error:
            if fault_of(error) is Fault.CANNOT_WRITE:
                self.writable = False
                self._warn(f"summary cache {self.path} cannot be written ({fault_reason(error)}): "
                           "storing nothing more")  # fmt: skip
            else:  # busy or odd: this batch is lost, the next one tries again
                self._warn(f"could not store {len(rows)} summaries in the cache {self.path} "
                           f"({fault_reason(error)})")  # fmt: skip

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


def _layout(connection: sqlite3.Connection) -> tuple[int, set[str]]:
    """(user_version, table names); raises NOTADB for a file that is not SQLite."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    return version, tables
