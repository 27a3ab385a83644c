"""Saving the review in one background thread, in order, so no key waits for SQLite.

`A` on 10,000 clusters changes about 30,000 photos: writing their rows takes longer than a key
may (~0.4 s on the reference machine). The screen hands each batch of changes (a snapshot, see
core/review_changes.py) to one writer thread, which writes them in the order given, each batch
in one transaction as before. `close()` (the screen going away, quitting) waits for every write.
A failed save is reported through `failed`, called in the writer thread with the warnings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from ..core.review_state import Changes
from ..core.review_store import ReviewStore
from .log_capture import core_warnings


class ReviewSaver:
    """One writer thread in front of a ReviewStore (which it then owns: use it only here)."""

    def __init__(self, store: ReviewStore, failed: Callable[[tuple[str, ...]], None]) -> None:
        self.store = store
        self._failed = failed
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="review-save")
        self.last_write_ms = 0.0
        """CPU time the writer thread spent on the last batch (benchmarks/bench_marking.py)."""

    def save(self, changes: Changes) -> None:
        """Queue one batch (nothing when empty); returns at once."""
        if changes:
            self._writer.submit(self._write, changes)

    def _write(self, changes: Changes) -> None:
        started = time.thread_time()
        with core_warnings() as warnings:
            saved = self.store.save(changes)
        self.last_write_ms = (time.thread_time() - started) * 1000
        if not saved:
            self._failed(tuple(warnings))

    def flush(self) -> None:
        """Wait until every queued batch is written."""
        self._writer.submit(lambda: None).result()

    def close(self) -> None:
        """Write what is queued, then close the store."""
        self._writer.shutdown(wait=True)
        self.store.close()
