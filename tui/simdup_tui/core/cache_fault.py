"""What a SQLite error says about the summary cache file (Fault), and a few words for a person."""

from __future__ import annotations

import enum
import sqlite3

from .errors import os_reason


class UnknownLayoutError(sqlite3.DatabaseError):
    """A SQLite file whose tables this version cannot read (another program's, or an old layout)."""


class Fault(enum.Enum):
    """What a SQLite error says about the cache file, which decides what is done about it."""

    NOT_A_CACHE = "not a cache"
    """Not SQLite, damaged, or another layout: the file holds nothing usable and is rebuilt."""
    CANNOT_WRITE = "cannot write"
    """Full drive, read-only file or folder, I/O error: the file may be fine, so it is kept."""
    BUSY = "busy"
    """Another instance holds a lock: try again with the next batch."""
    OTHER = "other"


_NOT_A_CACHE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_CANNOT_WRITE_CODES = {
    sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH,
}  # fmt: skip
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_REASONS = {
    sqlite3.SQLITE_FULL: "the drive is full",
    sqlite3.SQLITE_IOERR: "input/output error",
    sqlite3.SQLITE_READONLY: "read-only",
    sqlite3.SQLITE_CANTOPEN: "cannot open it",
    sqlite3.SQLITE_PERM: "permission denied",
    sqlite3.SQLITE_AUTH: "permission denied",
    sqlite3.SQLITE_BUSY: "in use by another instance",
    sqlite3.SQLITE_LOCKED: "in use by another instance",
}


def fault_of(error: BaseException) -> Fault:
    """Sort an error by its SQLite result code (Python 3.11 gives it on the exception)."""
    if isinstance(error, UnknownLayoutError):
        return Fault.NOT_A_CACHE
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return Fault.OTHER
    primary = code & 0xFF  # extended codes keep the primary one in the low byte
    if primary in _NOT_A_CACHE_CODES:
        return Fault.NOT_A_CACHE
    if primary in _CANNOT_WRITE_CODES:
        return Fault.CANNOT_WRITE
    if primary in _BUSY_CODES:
        return Fault.BUSY
    return Fault.OTHER


def fault_reason(error: BaseException) -> str:
    """A few words for a person: "the drive is full" rather than "SQLITE_FULL"."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _REASONS:
        return _REASONS[code & 0xFF]
    if isinstance(error, OSError):
        return os_reason(error)
    return str(error) or type(error).__name__
