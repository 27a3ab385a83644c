"""Warnings the core logs during one piece of work, kept to show the person (the app has no
stderr a person could read)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _ThreadWarnings(logging.Handler):
    """Keeps the messages of WARNING and above logged from one thread."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextmanager
def core_warnings() -> Iterator[list[str]]:
    """Collect what simdup_tui.core warns about in this thread (a damaged cache, say)."""
    handler = _ThreadWarnings()
    logger = logging.getLogger("simdup_tui.core")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
