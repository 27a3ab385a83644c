"""Find the photos in a folder and summarise them, reporting progress and honouring cancellation.

Lists the photos (walk.py), takes the summaries the cache still holds, summarises the rest in
threads, and stores fresh ones in batches as it goes (BatchStore), so a killed scan loses little.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Protocol

from .errors import UnreadablePhotoError
from .identity import FileIdentity
from .names import FileNames
from .scan_result import ScanError, ScanResult
from .scan_result import display_name as display_name  # re-exported: the UI and review.py
from .scan_result import relative_in as relative_in  # import the path naming from here
from .scan_result import relative_to as relative_to
from .summary import Summary, summarise
from .walk import check_directory, find_photo_files

log = logging.getLogger(__name__)

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
    found = find_photo_files(root, recursive, hidden, errors, cancel, names, linked)
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
