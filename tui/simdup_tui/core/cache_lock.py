"""The lock held while the summary cache file is opened, created or rebuilt (an flock beside it)."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)


@contextlib.contextmanager
def creation_lock(lock_path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive flock on lock_path while the cache is opened, created or rebuilt.

    Only instances opening the cache take it, for milliseconds. Without flock (Windows, some
    network drives) the cache opens unguarded, as before. Raises OSError(EBUSY) when another
    instance holds it for longer than `timeout` seconds.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as error:
        log.debug("no lock file %s (%s): opening the cache unguarded", lock_path, error)
        yield
        return
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OSError(errno.EBUSY, "another instance is opening it") from None
                time.sleep(0.01)
            except OSError as error:  # ENOLCK on some network drives
                log.debug("cannot lock %s (%s): opening the cache unguarded", lock_path, error)
                break
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
