"""The write-ahead journal: one JSON-lines file per batch, an intent before each file is
touched (flushed and fsync'd) and its outcome after.

A batch's file is `<state>/journal/<batch>.jsonl`. Its lines (each a JSON object with "kind"):

- `batch`: id, time, mode, root, destination, files (how many planned), roots (every folder
  scanned) and linked (the folder links the scan walked: the only links undo goes through);
- `intent`: n (the file's number in the batch), path, size, device, inode, and where the file
  is going: `trash` (the trash folder), or `to` (the moved-to path), `temp` (the name a copy
  across drives is written under first), `made` (folders the move creates);
- `outcome`: n, outcome (trashed / moved / deleted / skipped / failed), reason, destination,
  info (the .trashinfo), space_kept, and `kept_as` (device, inode, size, mtime_ns of what was
  put at the destination, read right after: undo puts back only that very file);
- `restoring`: n, temp: undo is about to copy the file back across drives under this name
  (in the file's own folder), so a retry after a kill removes a half-made copy;
- `restore`: n, restored (true / false), reason: written by undo;
- `end`: status (done / stopped / failed / interrupted), reason.

Each write starts on a fresh line (a line torn by a crash is never glued to the next one), and
an unreadable line is skipped. The file is locked (flock) while its batch runs, so another
instance never reconciles a batch that is still going.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import SimdupError, os_reason

log = logging.getLogger(__name__)

APP_NAME = "simdup-tui"
STATE_DIR_ENV = "SIMDUP_STATE_DIR"
"""Environment variable that moves the state folder (the journal) elsewhere."""
JOURNAL_FOLDER = "journal"
SUFFIX = ".jsonl"

TRASHED, MOVED, DELETED, SKIPPED, FAILED = "trashed", "moved", "deleted", "skipped", "failed"
REMOVED = (TRASHED, MOVED, DELETED)


class JournalError(SimdupError):
    """The journal cannot be written or read: nothing more is touched without it."""


def state_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where the journal lives: the parameter, else $SIMDUP_STATE_DIR, else platformdirs'."""
    if override is not None:
        return Path(override)
    from_env = os.environ.get(STATE_DIR_ENV)
    if from_env:
        return Path(from_env)
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def now_iso() -> str:
    """Local time with its offset, to the second: what a person compares with their clock."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def new_batch_id() -> str:
    """Sortable by time (to the microsecond), unique even for two batches at once."""
    return f"{datetime.now().astimezone():%Y%m%dT%H%M%S.%f}-{secrets.token_hex(3)}"


@dataclass
class FileRecord:
    """What the journal says about one file of a batch."""

    n: int
    path: Path
    size: int
    device: int = 0
    inode: int = 0
    trash: Path | None = None
    """The trash folder it was going to."""
    to: Path | None = None
    """The moved-to path."""
    temp: str = ""
    """The temporary name of a copy across drives (in the destination's folder)."""
    made: tuple[Path, ...] = ()
    """Folders the move created."""
    outcome: str = ""
    """Empty while only the intent is written (the batch was interrupted on this file)."""
    reason: str = ""
    destination: Path | None = None
    """Where it is now: the moved-to path or the file in the trash."""
    info: Path | None = None
    """The .trashinfo of a trashed file."""
    space_kept: bool = False
    kept_as: tuple[int, int, int, int] | None = None
    """(device, inode, size, mtime_ns) of the file at `destination` right after the act; None
    in journals written before it was recorded (and for an interrupted act)."""
    restored: bool | None = None
    """True once undo put it back; False when undo tried and could not."""
    restore_reason: str = ""
    restore_temp: str = ""
    """The temporary name an undo copying the file back across drives wrote it under (in the
    original's folder); set by a `restoring` line."""


@dataclass
class BatchRecord:
    """One batch as its journal file tells it."""

    batch: str
    path: Path
    """The batch's journal file."""
    time: str = ""
    mode: str = ""
    root: Path | None = None
    destination: Path | None = None
    """The --move-to folder for a move."""
    planned: int = 0
    roots: tuple[Path, ...] = ()
    """Every folder scanned (empty in older journals: just `root`)."""
    linked: frozenset[Path] = frozenset()
    """Folder links the scan walked through: undo follows these and no others."""
    files: dict[int, FileRecord] = field(default_factory=dict)
    status: str = ""
    """done / stopped / failed / interrupted, or "" while it runs or after a crash."""
    end_reason: str = ""

    @property
    def removed(self) -> list[FileRecord]:
        """Files the batch trashed, moved or deleted (as far as its outcomes say)."""
        return [f for f in self.files.values() if f.outcome in REMOVED]

    @property
    def open_intents(self) -> list[FileRecord]:
        """Files with an intent and no outcome: the batch stopped while on them."""
        return [f for f in self.files.values() if not f.outcome]

    @property
    def still_out(self) -> list[FileRecord]:
        """Trashed or moved files not yet put back (deleted ones can never come back); files
        of an interrupted act count when they are no longer in place."""
        out = [f for f in self.files.values() if f.outcome in (TRASHED, MOVED) and not f.restored]
        out += [
            f
            for f in self.open_intents
            if not f.restored and not os.path.lexists(f.path) and (f.trash or f.to)
        ]
        return sorted(out, key=lambda f: f.n)


def _path(value: Any) -> Path | None:
    return None if value in (None, "") else Path(value)


class Journal:
    """The journal folder: one file per batch, read back as BatchRecords."""

    def __init__(
        self,
        folder: str | os.PathLike[str] | None = None,
        *,
        writer: type[BatchWriter] | None = None,
    ) -> None:
        self.folder = Path(folder) if folder is not None else state_dir() / JOURNAL_FOLDER
        """Where batch files are (made on first write)."""
        self.writer = writer or BatchWriter
        """The line writer (a test passes one that fails as a full disk does)."""

    def batch_path(self, batch: str) -> Path:
        return self.folder / f"{batch}{SUFFIX}"

    def start(self, batch: str, header: dict[str, Any]) -> BatchWriter:
        """Open a new batch's file, locked, with its header line written; JournalError if the
        journal cannot be written (then nothing is touched)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise JournalError(
                f"cannot write the journal in {self.folder}: {os_reason(error)}"
            ) from error
        # Made under a hidden name, locked, then renamed: another instance never sees it
        # unlocked and headerless (it would take it for an interrupted batch).
        final = self.batch_path(batch)
        hidden = final.with_name(f".{final.name}.new")
        writer = self.writer(hidden)
        try:
            writer.write({"kind": "batch", "batch": batch, "time": now_iso(), **header})
            os.rename(hidden, final)
        except BaseException as error:
            writer.close()
            hidden.unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise JournalError(f"cannot write the journal: {os_reason(error)}") from error
            raise
        writer.path = final
        return writer

    def append_to(self, batch: str) -> BatchWriter:
        """Open an existing batch's file to add lines (undo), locked."""
        return self.writer(self.batch_path(batch))

    def batch_ids(self) -> list[str]:
        """Every batch in the journal, newest first."""
        from .journal_legacy import import_legacy

        import_legacy(self)
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return []
        except OSError as error:
            raise JournalError(
                f"cannot read the journal {self.folder}: {error.strerror}"
            ) from error
        return sorted((n[: -len(SUFFIX)] for n in names if n.endswith(SUFFIX)), reverse=True)

    def read(self, batch: str) -> BatchRecord:
        return read_batch(self.batch_path(batch), batch)

    def batches(self) -> Iterator[BatchRecord]:
        """Every batch, newest first."""
        for batch in self.batch_ids():
            yield self.read(batch)

    def is_running(self, batch: str) -> bool:
        """True when another process holds the batch's lock (it is running now)."""
        try:
            descriptor = os.open(self.batch_path(batch), os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(descriptor)
        return False


def read_batch(path: Path, batch: str) -> BatchRecord:
    """A batch file read back; unreadable and torn lines are skipped."""
    record = BatchRecord(batch, path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return record
    except OSError as error:
        raise JournalError(f"cannot read the journal {path}: {error.strerror}") from error
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            _apply(record, data)
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("journal %s line %d unreadable, skipped", path, number)
    return record


def _apply(record: BatchRecord, data: dict[str, Any]) -> None:
    kind = data["kind"]
    if kind == "batch":
        record.time = str(data.get("time", ""))
        record.mode = str(data.get("mode", ""))
        record.root = _path(data.get("root"))
        record.destination = _path(data.get("destination"))
        record.planned = int(data.get("files", 0))
        record.roots = tuple(Path(p) for p in data.get("roots", ()))
        record.linked = frozenset(Path(p) for p in data.get("linked", ()))
    elif kind == "intent":
        n = int(data["n"])
        record.files[n] = FileRecord(
            n=n,
            path=Path(data["path"]),
            size=int(data.get("size", 0)),
            device=int(data.get("device", 0)),
            inode=int(data.get("inode", 0)),
            trash=_path(data.get("trash")),
            to=_path(data.get("to")),
            temp=str(data.get("temp", "")),
            made=tuple(Path(p) for p in data.get("made", ())),
        )
    elif kind == "outcome":
        n = int(data["n"])
        found = record.files.setdefault(
            n, FileRecord(n=n, path=Path(data["path"]), size=int(data.get("size", 0)))
        )
        found.outcome = str(data["outcome"])
        found.reason = str(data.get("reason", ""))
        found.destination = _path(data.get("destination")) or found.destination
        found.info = _path(data.get("info")) or found.info
        found.space_kept = bool(data.get("space_kept", False))
        kept_as = data.get("kept_as")
        if isinstance(kept_as, list) and len(kept_as) == 4:
            found.kept_as = (int(kept_as[0]), int(kept_as[1]), int(kept_as[2]), int(kept_as[3]))
    elif kind == "restoring":
        record.files[int(data["n"])].restore_temp = str(data["temp"])
    elif kind == "restore":
        found = record.files[int(data["n"])]
        found.restored = bool(data["restored"])
        found.restore_reason = str(data.get("reason", ""))
    elif kind == "end":
        record.status = str(data.get("status", ""))
        record.end_reason = str(data.get("reason", ""))


class BatchWriter:
    """Appends lines to one batch file, each on a fresh line, fsync'd when asked.

    Holds an exclusive flock on the file while open. Any failure to write raises JournalError;
    the caller stops before touching another file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as error:
            raise JournalError(f"cannot write the journal {path}: {os_reason(error)}") from error
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(self._fd)
            raise JournalError(f"the batch {path.stem} is in use by another instance") from error
        self._fresh = _ends_with_newline(path)

    def write(self, data: dict[str, Any], *, sync: bool = True) -> None:
        """One JSON line; fsync'd when `sync` (intents and headers: written ahead of the act)."""
        line = json.dumps(data, ensure_ascii=True) + "\n"  # lone surrogates survive as \udcxx
        payload = line.encode("ascii")
        if not self._fresh:
            payload = b"\n" + payload
        self._fresh = False
        try:
            self._write_all(payload)
            if sync:
                os.fsync(self._fd)
        except OSError as error:
            raise JournalError(
                f"the journal could not be written ({os_reason(error)}): stopped"
            ) from error
        self._fresh = True

    def _write_all(self, payload: bytes) -> None:
        view = memoryview(payload)
        while view:
            written = self.write_bytes(view)
            if written <= 0:
                raise OSError(errno.EIO, "nothing written")
            view = view[written:]

    def write_bytes(self, data: memoryview) -> int:
        """One os.write (tests replace it to simulate a full disk)."""
        return os.write(self._fd, data)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _ends_with_newline(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return True
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"
    except OSError:
        return True
