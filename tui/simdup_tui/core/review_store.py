"""The saved review: marks, keeper choices and reviewed clusters per set of scanned folders, and
the pairs recorded as not duplicates (for every folder), in one SQLite file in the state folder.

Each save is one transaction, so a killed app (SIGKILL, a dropped SSH session) finds either the
state before or after a change, never half of one. WAL with synchronous=NORMAL: a commit survives
the app being killed (the WAL is in the kernel's page cache); only a power cut can lose the last
commits, never corrupt the file. SQLite does the temp-file-and-rename dance for us, per row.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from .identity import FileIdentity
from .journal import state_dir
from .not_duplicates import NotDuplicate, NotDuplicates
from .review import Changes, PhotoState

log = logging.getLogger(__name__)

REVIEW_NAME = "review.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 3000
"""How long a save waits for another instance's save before giving up (with a warning)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    roots TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS photos (
    session INTEGER NOT NULL REFERENCES sessions(id),
    path BLOB NOT NULL,
    device INTEGER NOT NULL, inode INTEGER NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    marked INTEGER NOT NULL, keeper INTEGER NOT NULL, reviewed INTEGER NOT NULL,
    PRIMARY KEY (session, path)
);
CREATE TABLE IF NOT EXISTS seen (
    session INTEGER NOT NULL REFERENCES sessions(id),
    content TEXT NOT NULL,
    PRIMARY KEY (session, content)
);
CREATE TABLE IF NOT EXISTS not_duplicates (
    first TEXT NOT NULL, second TEXT NOT NULL, grp TEXT NOT NULL,
    first_path TEXT NOT NULL, second_path TEXT NOT NULL, recorded TEXT NOT NULL,
    PRIMARY KEY (first, second)
);
"""


def review_path(override: str | os.PathLike[str] | None = None) -> Path:
    """Where the review is saved: in the state folder ($SIMDUP_STATE_DIR, else platformdirs',
    which honours XDG_STATE_HOME)."""
    return state_dir(override) / REVIEW_NAME


def session_key(roots: Sequence[Path]) -> str:
    """The scanned folders' absolute paths, sorted: the same folders find the same review."""
    names = sorted({os.fsdecode(os.path.abspath(root)) for root in roots})
    return json.dumps(names, ensure_ascii=True)


def read_not_duplicates(path: Path | None = None) -> NotDuplicates:
    """The recorded pairs, read without creating or changing anything (for --json and --list);
    empty, with a warning, when the file cannot be read."""
    path = path if path is not None else review_path()
    if not path.exists():
        return NotDuplicates()
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = db.execute(
                "SELECT first, second, grp, first_path, second_path, recorded FROM not_duplicates"
            ).fetchall()
        finally:
            db.close()
    except sqlite3.Error as error:
        log.warning("The recorded not-duplicates could not be read (%s): %s", path, error)
        return NotDuplicates()
    return NotDuplicates(NotDuplicate(*row) for row in rows)


class ReviewStore:
    """One open review file. Every method warns (logging) and carries on if the file cannot be
    used: the review then lasts only as long as the app."""

    def __init__(self, roots: Sequence[Path], path: Path | None = None) -> None:
        self.path = path if path is not None else review_path()
        self.key = session_key(roots)
        self._db: sqlite3.Connection | None = None
        self._session: int | None = None
        try:
            self._open()
        except (OSError, sqlite3.Error) as error:
            log.warning("The review cannot be saved (%s): %s", self.path, error)
            self.close()

    @property
    def usable(self) -> bool:
        return self._db is not None

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Saves may run in a writer thread (ui/review_saver.py); one thread at a time uses it.
        db = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        self._db = db
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"unknown review file version {version}")
        with db:
            db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("INSERT OR IGNORE INTO sessions (roots) VALUES (?)", (self.key,))
        row = db.execute("SELECT id FROM sessions WHERE roots = ?", (self.key,)).fetchone()
        self._session = row[0]

    # Reading ----------------------------------------------------------------

    def load_photos(self) -> dict[Path, PhotoState]:
        """Decisions saved for these folders (empty when nothing was saved or the file is out)."""
        if self._db is None:
            return {}
        try:
            rows = self._db.execute(
                "SELECT path, device, inode, size, mtime_ns, ctime_ns, marked, keeper, reviewed "
                "FROM photos WHERE session = ?",
                (self._session,),
            ).fetchall()
        except sqlite3.Error as error:
            log.warning("The saved review could not be read: %s", error)
            return {}
        return {
            Path(os.fsdecode(bytes(row[0]))): PhotoState(
                FileIdentity(*row[1:6]), bool(row[6]), bool(row[7]), bool(row[8])
            )
            for row in rows
        }

    def load_seen(self) -> set[str]:
        """Content keys of the photos reviewed in these folders (Review.seen)."""
        if self._db is None:
            return set()
        try:
            rows = self._db.execute(
                "SELECT content FROM seen WHERE session = ?", (self._session,)
            ).fetchall()
        except sqlite3.Error as error:
            log.warning("The saved review could not be read: %s", error)
            return set()
        return {row[0] for row in rows}

    def load_not_duplicates(self) -> NotDuplicates:
        if self._db is None:
            return NotDuplicates()
        try:
            rows = self._db.execute(
                "SELECT first, second, grp, first_path, second_path, recorded FROM not_duplicates"
            ).fetchall()
        except sqlite3.Error as error:
            log.warning("The recorded not-duplicates could not be read: %s", error)
            return NotDuplicates()
        return NotDuplicates(NotDuplicate(*row) for row in rows)

    # Writing ----------------------------------------------------------------

    def forget_photos(self) -> None:
        """Start these folders' review afresh (--fresh); not-duplicates are kept."""

        def forget(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM photos WHERE session = ?", (self._session,))
            db.execute("DELETE FROM seen WHERE session = ?", (self._session,))

        self._write(forget)

    def save(self, changes: Changes) -> bool:
        """Write one batch of changes in one transaction; False (with a warning) if it failed."""
        if not changes:
            return True

        def write(db: sqlite3.Connection) -> None:
            gone, rows = [], []
            for path, state in changes.photos.items():
                name = os.fsencode(path)
                if state is None:
                    gone.append((self._session, name))
                    continue
                identity = state.identity
                rows.append(
                    (
                        self._session, name, identity.device, identity.inode, identity.size,
                        identity.mtime_ns, identity.ctime_ns,
                        int(state.marked), int(state.keeper), int(state.reviewed),
                    )
                )  # fmt: skip
            db.executemany("DELETE FROM photos WHERE session = ? AND path = ?", gone)
            db.executemany(
                "INSERT OR REPLACE INTO photos VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
            db.executemany(
                "INSERT OR IGNORE INTO seen VALUES (?, ?)",
                [(self._session, key) for key in changes.seen],
            )
            for group in changes.removed_groups:
                db.execute("DELETE FROM not_duplicates WHERE grp = ?", (group,))
            db.executemany(
                "INSERT OR IGNORE INTO not_duplicates VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (r.first, r.second, r.group, r.first_path, r.second_path, r.recorded)
                    for r in changes.added
                ],
            )

        return self._write(write)

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> bool:
        if self._db is None:
            return False
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                work(self._db)
        except sqlite3.Error as error:
            log.warning("The review could not be saved: %s", error)
            return False
        return True

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:  # pragma: no cover - closing a broken connection
                pass
        self._db = None
