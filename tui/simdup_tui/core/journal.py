"""The deletion journal (one JSON line per action) and undoing its last batch."""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import SimdupError, os_reason
from .trash import TrashEntry, entry_for, find_in_trash, move_no_overwrite, same_path

log = logging.getLogger(__name__)

APP_NAME = "simdup-tui"
STATE_DIR_ENV = "SIMDUP_STATE_DIR"
"""Environment variable that moves the state folder (the journal) elsewhere."""
JOURNAL_NAME = "journal.jsonl"

TRASHED, MOVED, DELETED, SKIPPED, FAILED = "trashed", "moved", "deleted", "skipped", "failed"
RESTORED, NOT_RESTORED = "restored", "not restored"
"""Actions written by undo; their lines carry `undo_of` with the batch they undo."""


class JournalError(SimdupError):
    """The journal cannot be written or read: nothing is deleted without it."""


def state_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where the journal lives: the parameter, else $SIMDUP_STATE_DIR, else platformdirs'."""
    if override is not None:
        return Path(override)
    from_env = os.environ.get(STATE_DIR_ENV)
    if from_env:
        return Path(from_env)
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def journal_path(override: str | os.PathLike[str] | None = None) -> Path:
    return state_dir(override) / JOURNAL_NAME


def now_iso() -> str:
    """Local time with its offset, to the second: what a person compares with their clock."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def new_batch_id() -> str:
    """Sortable by time, unique even for two batches in the same second."""
    return f"{datetime.now().astimezone():%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line of the journal: what was done to one file, and why."""

    batch: str
    path: str
    size: int
    action: str
    """trashed, moved, deleted, skipped, failed; restored or not restored for undo lines."""
    reason: str = ""
    destination: str | None = None
    """Where the file went: the moved-to path, or the file inside the trash."""
    trash_info: str | None = None
    """The .trashinfo file naming the original path, for trashed files."""
    time: str = field(default_factory=now_iso)
    undo_of: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JournalEntry:
        return cls(
            batch=str(data["batch"]),
            path=str(data["path"]),
            size=int(data.get("size", 0)),
            action=str(data["action"]),
            reason=str(data.get("reason") or ""),
            destination=data.get("destination"),
            trash_info=data.get("trash_info"),
            time=str(data.get("time", "")),
            undo_of=data.get("undo_of"),
        )


class Journal:
    """An append-only JSON-lines file; unreadable lines are skipped, never fatal."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else journal_path()
        """The journal file (its folder is created on first write)."""

    @classmethod
    def in_state_dir(cls, override: str | os.PathLike[str] | None = None) -> Journal:
        return cls(journal_path(override))

    def check_writable(self) -> None:
        """Raise JournalError before a batch, so nothing is deleted that the journal would miss."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8"):
                pass
        except OSError as error:
            reason = error.strerror or str(error)
            raise JournalError(f"cannot write the journal {self.path}: {reason}") from error

    def append(self, entry: JournalEntry) -> None:
        """One line, flushed at once: a crash mid-batch keeps every line written so far."""
        fields = asdict(entry)
        data = {"time": fields.pop("time")}
        data.update((key, value) for key, value in fields.items() if value not in (None, ""))
        try:
            line = json.dumps(data, ensure_ascii=False)
            encoded = (line + "\n").encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes in a name: escape them
            encoded = (json.dumps(data) + "\n").encode("ascii")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "ab") as handle:
            handle.write(encoded)
            handle.flush()

    def entries(self) -> Iterator[JournalEntry]:
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
            return
        except OSError as error:
            raise JournalError(f"cannot read the journal {self.path}: {error.strerror}") from error
        with handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    yield JournalEntry.from_json(json.loads(raw))
                except (ValueError, KeyError, TypeError):
                    log.warning("journal %s line %d unreadable, skipped", self.path, number)

    def last_batch(
        self, batch: str | None = None
    ) -> tuple[str, list[JournalEntry], list[JournalEntry]] | None:
        """The last batch that removed a file (or the one named): its id, lines and undo lines.

        A later batch in which every file was skipped or failed changed nothing, so it is passed
        over rather than hiding the batch a person wants back.
        """
        batches: dict[str, list[JournalEntry]] = {}
        undos: dict[str, list[JournalEntry]] = {}
        last: str | None = None
        for entry in self.entries():
            if entry.undo_of is not None:
                undos.setdefault(entry.undo_of, []).append(entry)
            else:
                batches.setdefault(entry.batch, []).append(entry)
                if entry.action in (TRASHED, MOVED, DELETED) and batch in (None, entry.batch):
                    last = entry.batch
        if last is None:
            return None
        return last, batches[last], undos.get(last, [])


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What undo did with one file of the batch."""

    path: Path
    restored: bool
    reason: str = ""
    """Why it was not restored (empty when it was)."""
    source: Path | None = None
    """Where it was brought back from (the trash or the moved-to folder)."""


@dataclass(frozen=True, slots=True)
class UndoReport:
    """The outcome of undoing one batch."""

    batch: str | None
    """The batch undone; None when the journal holds no batch."""
    results: tuple[UndoResult, ...] = ()
    journal_path: Path | None = None

    @property
    def restored(self) -> tuple[UndoResult, ...]:
        return tuple(result for result in self.results if result.restored)

    @property
    def not_restored(self) -> tuple[UndoResult, ...]:
        return tuple(result for result in self.results if not result.restored)

    @property
    def complete(self) -> bool:
        """True when every file the batch removed is back (vacuously so for no batch)."""
        return not self.not_restored


def undo_last_batch(journal: Journal | None = None, batch: str | None = None) -> UndoReport:
    """Put the last batch's (or the named batch's) trashed and moved files back; never
    overwrite; journal each step.

    Running it again retries only what is still out (a file whose place was taken, say).
    """
    journal = journal if journal is not None else Journal()
    found = journal.last_batch(batch)
    if found is None:
        return UndoReport(None, (), journal.path)
    batch, lines, undo_lines = found
    done = {line.path for line in undo_lines if line.action == RESTORED}
    undo_batch = new_batch_id()
    results: list[UndoResult] = []
    # Last out, first back: if a later move took a place an earlier file left, that place is
    # free again by the time the earlier file returns.
    for line in reversed(lines):
        if line.action not in (TRASHED, MOVED, DELETED) or line.path in done:
            continue
        result = _undo_one(line)
        results.append(result)
        if line.action == DELETED:
            continue  # nothing happened: no undo line for what could never come back
        try:
            journal.append(
                JournalEntry(
                    batch=undo_batch,
                    path=line.path,
                    size=line.size,
                    action=RESTORED if result.restored else NOT_RESTORED,
                    reason=result.reason
                    or ("" if result.source is None else f"from {os.fspath(result.source)}"),
                    undo_of=batch,
                )
            )
        except OSError as error:
            log.warning("could not journal the undo of %s: %s", line.path, error)
    results.reverse()  # reported in the batch's own order
    return UndoReport(batch, tuple(results), journal.path)


def _undo_one(line: JournalEntry) -> UndoResult:
    original = Path(line.path)
    if line.action == DELETED:
        return UndoResult(original, False, "deleted permanently: it cannot come back")
    if line.action == MOVED:
        return _unmove(line, original)
    return _untrash(line, original)


def _unmove(line: JournalEntry, original: Path) -> UndoResult:
    if not line.destination:
        return UndoResult(original, False, "the journal does not say where it was moved")
    source = Path(line.destination)
    try:
        size = os.lstat(source).st_size
    except OSError:
        return UndoResult(original, False, f"no longer at {source}", source)
    if size != line.size:
        return UndoResult(original, False, f"changed since it was moved to {source}", source)
    return _put_back(source, original, lambda: None)


def _untrash(line: JournalEntry, original: Path) -> UndoResult:
    entry: TrashEntry | None = None
    if line.trash_info:
        info = Path(line.trash_info)
        trash = info.parent.parent
        candidate = entry_for(info, trash) if info.exists() else None
        if candidate is not None and same_path(candidate.original, original):
            entry = candidate
    if entry is None:
        entry = find_in_trash(original, size=line.size)
    if entry is None or not os.path.lexists(entry.file):
        return UndoResult(original, False, "no longer in the trash (emptied or restored)")
    found = entry

    def drop_info() -> None:
        found.info.unlink(missing_ok=True)

    return _put_back(found.file, original, drop_info)


def _put_back(source: Path, original: Path, after: Callable[[], None]) -> UndoResult:
    if os.path.lexists(original):
        return UndoResult(
            original, False, f"its place is taken by another file; left at {source}", source
        )
    try:
        original.parent.mkdir(parents=True, exist_ok=True)
        move_no_overwrite(source, original)
    except FileExistsError:
        return UndoResult(
            original, False, f"its place is taken by another file; left at {source}", source
        )
    except OSError as error:
        return UndoResult(original, False, os_reason(error), source)
    try:
        after()
    except OSError as error:
        log.warning("restored %s but could not tidy the trash: %s", original, error)
    return UndoResult(original, True, "", source)
