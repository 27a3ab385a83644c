"""One batch at a time, user-wide: an flock on a file in the state folder.

Two instances acting at once could each check the other's keeper, see it, and delete it: both
copies gone. The lock is held for a whole batch (and for an undo), so a marked file's keeper is
checked and the file acted on while no other simdup-tui batch can touch either. A second
instance waits (its `on_wait` says so once) and gives up after `timeout` seconds, or at once when
`cancel` is set, with BatchBusyError: nothing is touched then.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import os_reason
from .journal import Journal, JournalError

LOCK_NAME = "batch.lock"
WAIT_SECONDS = 60.0
"""How long a batch waits for another instance's batch before giving up."""
POLL_SECONDS = 0.05
WAITING = "waiting for another simdup-tui batch to end"


class BatchBusyError(JournalError):
    """Another instance's batch held the lock for longer than the wait: nothing was touched."""


def lock_path(journal: Journal) -> Path:
    """The lock file: beside the journal folder, in the state folder."""
    return journal.folder.parent / LOCK_NAME


@contextmanager
def batch_lock(
    journal: Journal,
    *,
    timeout: float = WAIT_SECONDS,
    on_wait: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[None]:
    """Hold the user-wide batch lock for the `with` block.

    Raises BatchBusyError when it is not free within `timeout` seconds (or `cancel` is set while
    waiting), JournalError when the lock file cannot be made.
    """
    path = lock_path(journal)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise JournalError(f"cannot make the batch lock {path}: {os_reason(error)}") from error
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pass
            if not told and on_wait is not None:
                on_wait(WAITING)
                told = True
            if (cancel is not None and cancel.is_set()) or time.monotonic() >= deadline:
                raise BatchBusyError(
                    f"another simdup-tui batch is still running (waited {timeout:.0f} s); "
                    "nothing was touched: try again when it ends"
                )
            time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
