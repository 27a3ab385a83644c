"""Find the photos in a folder and summarise them, reporting progress and honouring cancellation."""

from __future__ import annotations

import logging
import os
import stat as stat_module
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol

from .errors import DirectoryNotFoundError, NotAFolderError, SimdupError, UnreadablePhotoError
from .identity import FileIdentity
from .names import FileNames
from .summary import Summary, summarise

log = logging.getLogger(__name__)

PHOTO_EXTENSIONS = frozenset(
    {
        ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".bmp",
        ".tif", ".tiff", ".avif", ".heic", ".heif",
    }
)  # fmt: skip
"""Extensions scanned, compared case-insensitively (phones write .JPG)."""

NOT_A_FILE = "not a regular file (a pipe, socket or device): left out"
"""Why a name that looks like a photo but is no file is listed with the errors."""
SKIPPED_FOLDERS = frozenset({"@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information"})
"""NAS thumbnail and recycle folders: full of copies of the photos, treated like hidden ones."""

STORE_EVERY_FILES = 500
"""Fresh summaries are stored (one transaction) at least every this many files..."""
STORE_EVERY_SECONDS = 2.0
"""...and at least this often, so a kill loses at most a couple of seconds of reading."""

ProgressCallback = Callable[[int, int, Path | None], None]
"""Called with (done, total, current path) as photos are summarised."""


class SummaryCache(Protocol):
    """Where summaries of unchanged files come from (see cache.py).

    A cache may also offer get_many(keys) -> {path: Summary} for keys (path, FileIdentity):
    scan() prefers it, as one query per few hundred files is what makes a warm scan fast.
    """

    def get(self, path: Path, identity: FileIdentity) -> Summary | None: ...

    def put_many(self, summaries: list[Summary]) -> None: ...


@dataclass(frozen=True, slots=True)
class ScanError:
    """A file or folder that could not be read, with a one-line reason."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything a scan found: summaries of readable photos and the reasons for the rest."""

    root: Path
    """The first folder scanned."""
    summaries: tuple[Summary, ...]
    errors: tuple[ScanError, ...]
    cancelled: bool = False
    names: Mapping[Path, FileNames] = field(default_factory=dict)
    """Photos with other names, several hard links, or reached through a symbolic link."""
    roots: tuple[Path, ...] = ()
    """Every folder scanned, in the order given (empty means just `root`)."""
    linked_folders: frozenset[Path] = frozenset()
    """Symbolic links to folders that the walk went through (as walked paths): deleting may
    pass through these, and through no other link."""

    @property
    def folders(self) -> tuple[Path, ...]:
        return self.roots or (self.root,)

    def relative(self, path: Path) -> str:
        """A path as shown to the person: relative to the scanned folder it came from."""
        return relative_in(path, self.folders)


def relative_in(path: Path, roots: Sequence[Path]) -> str:
    """path relative to the deepest of roots that holds it, with slashes (as is when none does).

    Plain string work: reports make one name per photo, and pathlib's relative_to costs ten
    times more.
    """
    text = str(path)
    best = ""
    for root in roots:
        prefix = str(root).rstrip(os.sep) + os.sep
        if len(prefix) > len(best) and text.startswith(prefix):
            best = prefix
    if not best:
        return text
    rest = text[len(best) :]
    return rest if os.sep == "/" else rest.replace(os.sep, "/")


def display_name(path: Path, roots: Sequence[Path]) -> str:
    """relative_in, numbered by folder when there are several: "2:IMG_0001.jpg" is in the
    second folder given (so two folders' "IMG_0001.jpg" never look like one)."""
    if len(roots) < 2:
        return relative_in(path, roots)
    text = str(path)
    best, number = "", 0
    for index, root in enumerate(roots, start=1):
        prefix = str(root).rstrip(os.sep) + os.sep
        if len(prefix) > len(best) and text.startswith(prefix):
            best, number = prefix, index
    if not best:
        return text
    rest = text[len(best) :]
    return f"{number}:{rest if os.sep == '/' else rest.replace(os.sep, '/')}"


def relative_to(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def check_directory(directory: str | os.PathLike[str]) -> Path:
    """The folder to scan as an absolute path, or a SimdupError saying what is wrong with it."""
    path = Path(os.path.abspath(os.path.expanduser(os.fspath(directory))))
    if not path.exists():
        raise DirectoryNotFoundError(f"no such folder: {os.fsdecode(directory)}")
    if not path.is_dir():
        raise NotAFolderError(f"not a folder: {os.fsdecode(directory)}")
    if not os.access(path, os.R_OK | os.X_OK):
        raise SimdupError(f"cannot read folder (permission denied): {os.fsdecode(directory)}")
    return path


def has_subfolders(folder: Path) -> bool:
    """True when `folder` has a folder in it that is not hidden (a reason to suggest -r)."""
    try:
        with os.scandir(folder) as entries:
            return any(e.is_dir() and not e.name.startswith(".") for e in entries)
    except OSError:
        return False


NOT_RECURSIVE_HINT = "Subfolders are not scanned: run with -r to include them."
"""Said when a folder without photos has subfolders (the app and --list alike)."""


def is_photo_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in PHOTO_EXTENSIONS


def find_photos(
    root: Path,
    *,
    recursive: bool = False,
    hidden: bool = False,
    errors: list[ScanError] | None = None,
    cancel: threading.Event | None = None,
) -> list[Path]:
    """Photo files under root, sorted, each real file once (links and hardlinks collapse).

    Folders that cannot be read are appended to errors and skipped.
    """
    return [path for path, _ in _find_photo_files(root, recursive, hidden, errors, cancel)]


def _find_photo_files(
    root: Path,
    recursive: bool,
    hidden: bool,
    errors: list[ScanError] | None,
    cancel: threading.Event | None,
    names: dict[Path, FileNames] | None = None,
    linked_folders: set[Path] | None = None,
) -> list[tuple[Path, FileIdentity]]:
    """find_photos with each file's identity, so the cache lookup needs no second stat (a NAS
    mount makes every stat a network round trip). When `names` is given, it receives the other
    names, link counts and symbolic links of every photo that has some."""
    errors = errors if errors is not None else []
    seen_files: dict[tuple[int, int], int] = {}
    photos: list[tuple[Path, FileIdentity]] = []
    extra: dict[tuple[int, int], list[Path]] = {}
    """Other names of files reached more than once (by their device and inode)."""
    link_counts: dict[tuple[int, int], int] = {}
    linked: dict[Path, tuple[int, int]] = {}
    """Names reached through a symbolic link."""
    for path, is_link in _walk(root, recursive, hidden, errors, cancel, linked_folders):
        try:
            info = path.stat()
        except OSError as error:
            errors.append(ScanError(path, _stat_failure(path, error)))
            continue
        if not stat_module.S_ISREG(info.st_mode):
            if not stat_module.S_ISDIR(info.st_mode):  # a FIFO, socket or device named .jpg
                errors.append(ScanError(path, NOT_A_FILE))
            continue
        key = (info.st_dev, info.st_ino)
        if is_link:
            linked[path] = key
        if key in seen_files:
            # One file reached twice: show (and delete) the file itself, not a link to it;
            # the other name is kept for the reports.
            index = seen_files[key]
            shown = photos[index][0]
            if not is_link and shown in linked:
                photos[index] = (path, FileIdentity.of(info))
                path = shown
            extra.setdefault(key, []).append(path)
            continue
        seen_files[key] = len(photos)
        photos.append((path, FileIdentity.of(info)))
        if info.st_nlink > 1:
            link_counts[key] = info.st_nlink
    if names is not None:
        for key in extra.keys() | link_counts.keys():
            path = photos[seen_files[key]][0]
            others = tuple(sorted(extra.get(key, ())))
            names[path] = FileNames(others, link_counts.get(key, 1), path in linked)
        for path, key in linked.items():
            if photos[seen_files[key]][0] == path:
                names.setdefault(path, FileNames(is_link=True))
    photos.sort(key=lambda found: found[0])
    return photos


def _stat_failure(path: Path, error: OSError) -> str:
    """Why a listed file cannot be looked at (lstat may fail too: a folder without x)."""
    if isinstance(error, PermissionError):
        return "permission denied"
    try:
        if stat_module.S_ISLNK(os.lstat(path).st_mode):
            return "broken link"
    except OSError:
        pass
    return error.strerror or str(error)


def _walk(
    root: Path,
    recursive: bool,
    hidden: bool,
    errors: list[ScanError],
    cancel: threading.Event | None,
    linked_seen: set[Path] | None = None,
) -> Iterator[tuple[Path, bool]]:
    """Candidate photo paths (and whether a symbolic link leads to each), depth first in
    sorted order; symlinked folder loops end.

    Linked folders are walked after every real one, so a folder reached both ways is listed
    under its real path.
    """
    visited: set[tuple[int, int]] = set()
    pending: list[tuple[Path, bool]] = [(root, False)]
    linked: list[tuple[Path, bool]] = []
    while pending or linked:
        if cancel is not None and cancel.is_set():
            return
        if not pending:
            pending, linked = list(reversed(linked)), []
        folder, via_link = pending.pop()
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in visited:
                continue
            visited.add(key)
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            reason = "permission denied" if isinstance(error, PermissionError) else str(error)
            errors.append(ScanError(folder, f"cannot read folder: {reason}"))
            continue
        subfolders: list[tuple[Path, bool]] = []
        linked_here: list[tuple[Path, bool]] = []
        for entry in listed:
            if not hidden and (entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS):
                continue
            path = Path(entry.path)
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if recursive:
                    if entry.is_symlink():
                        linked_here.append((path, True))
                    else:
                        subfolders.append((path, via_link))
            elif is_photo_name(entry.name):
                yield path, via_link or entry.is_symlink()
        pending.extend(reversed(subfolders))
        linked.extend(linked_here)
        if linked_seen is not None:
            linked_seen.update(path for path, _ in linked_here)


def scan(
    directory: str | os.PathLike[str],
    *,
    recursive: bool = False,
    hidden: bool = False,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    cache: SummaryCache | None = None,
    workers: int | None = None,
) -> ScanResult:
    """Find and summarise every photo; a bad file becomes a ScanError, never an exception."""
    root = check_directory(directory)
    errors: list[ScanError] = []
    names: dict[Path, FileNames] = {}
    linked: set[Path] = set()
    found = _find_photo_files(root, recursive, hidden, errors, cancel, names, linked)
    paths = [path for path, _ in found]
    # Cancelled while listing: the list is partial even when no file is left to read.
    cancelled = cancel is not None and cancel.is_set()
    summaries: list[Summary] = []
    total = len(paths)
    if progress is not None:
        progress(0, total, None)
    to_read: list[Path] = []
    cached = _from_cache(cache, found)
    del found
    for path in paths:
        summary = cached.get(path)
        if summary is not None:
            summaries.append(summary)
        else:
            to_read.append(path)
    done = len(summaries)
    if progress is not None and done:
        progress(done, total, None)
    workers = workers or min(32, os.cpu_count() or 1)
    store = BatchStore(cache)
    try:
        for path, outcome in _summarise_all(to_read, workers, cancel, store.add):
            if outcome is None:
                cancelled = True
                break
            if isinstance(outcome, Summary):
                summaries.append(outcome)
                store.add(outcome)
            else:
                errors.append(ScanError(path, outcome))
            done += 1
            if progress is not None:
                progress(done, total, path)
    finally:  # cancelled, interrupted or failed: keep what was summarised
        store.flush()
    summaries.sort(key=lambda summary: summary.path)
    errors.sort(key=lambda error: error.path)
    return ScanResult(
        root, tuple(summaries), tuple(errors), cancelled, names, linked_folders=frozenset(linked)
    )


class BatchStore:
    """Fresh summaries stored in the cache as the scan goes: every STORE_EVERY_FILES summaries or
    STORE_EVERY_SECONDS, whichever comes first, so a killed scan loses only its last moments.

    Called from the one thread that consumes the results (SQLite writes stay in one thread).
    A cache failure is logged by the cache and never ends the scan.
    """

    def __init__(
        self, cache: SummaryCache | None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.cache = cache
        self._clock = clock
        self._pending: list[Summary] = []
        self._last = clock()

    def add(self, summary: Summary) -> None:
        if self.cache is None:
            return
        self._pending.append(summary)
        if (
            len(self._pending) >= STORE_EVERY_FILES
            or self._clock() - self._last >= STORE_EVERY_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        """Store what is pending (one transaction)."""
        pending, self._pending = self._pending, []
        self._last = self._clock()
        if self.cache is None or not pending:
            return
        try:
            self.cache.put_many(pending)
        except Exception as error:  # a broken cache must never lose a scan
            log.warning("could not store summaries in the cache: %s", error)


def _summarise_or_reason(path: Path) -> Summary | str:
    try:
        return summarise(path)
    except UnreadablePhotoError as error:
        return error.message
    except Exception as error:  # a decoder bug on one file must not end the scan
        log.exception("unexpected error summarising %s", path)
        return f"unexpected error: {type(error).__name__}: {error}"


def _summarise_all(
    paths: list[Path],
    workers: int,
    cancel: threading.Event | None,
    finished: Callable[[Summary], None] | None = None,
) -> Iterator[tuple[Path, Summary | str | None]]:
    """(path, summary or reason) in order; (path, None) once cancelled, after passing the
    summaries already made by then (in flight, out of order) to `finished`.

    Threads, because Pillow releases the GIL while decoding and resizing (benchmarks/README.md
    has the figures); only a few files per worker are in flight, so 100,000 paths never mean
    100,000 pending futures, and cancelling stops after the files being read.
    """
    if workers <= 1:
        for path in paths:
            if cancel is not None and cancel.is_set():
                yield path, None
                return
            yield path, _summarise_or_reason(path)
        return
    in_flight = workers * 4
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="simdup-scan") as pool:
        pending: deque[tuple[Path, Future[Summary | str]]] = deque()
        queue = iter(paths)
        for path in islice(queue, in_flight):
            pending.append((path, pool.submit(_summarise_or_reason, path)))
        while pending:
            if cancel is not None and cancel.is_set():
                for _, future in pending:
                    future.cancel()
                if finished is not None:  # what was read already is kept for the next scan
                    for _, future in pending:
                        if future.done() and not future.cancelled():
                            outcome = future.result()
                            if isinstance(outcome, Summary):
                                finished(outcome)
                yield pending[0][0], None
                return
            path, future = pending.popleft()
            outcome = future.result()
            for following in islice(queue, 1):
                pending.append((following, pool.submit(_summarise_or_reason, following)))
            yield path, outcome


def _from_cache(
    cache: SummaryCache | None, keys: list[tuple[Path, FileIdentity]]
) -> dict[Path, Summary]:
    """Summaries the cache still holds for these files as they are now (same identity)."""
    if cache is None or not keys:
        return {}
    try:
        get_many = getattr(cache, "get_many", None)
        if get_many is not None:
            return dict(get_many(keys))
        found = {}
        for path, identity in keys:
            summary = cache.get(path, identity)
            if summary is not None:
                found[path] = summary
        return found
    except Exception as error:  # a broken cache must never lose a scan
        log.warning("cache lookup failed, reading every photo: %s", error)
        return {}
