"""Errors a person can act on, each with a one-line message."""

from __future__ import annotations

import errno


class SimdupError(Exception):
    """A user-level problem (bad argument, missing folder): shown as one line, never a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        """The one-line message shown to the person."""

    def __str__(self) -> str:
        return self.message


class DirectoryNotFoundError(SimdupError):
    """The folder to scan does not exist."""


class NotAFolderError(SimdupError):
    """The path to scan is a file, not a folder."""


class InvalidThresholdError(SimdupError):
    """The threshold is not a number in (0, 1]."""


class UnreadablePhotoError(SimdupError):
    """One photo could not be read; the scan records it and goes on."""


class TooManyPairsError(SimdupError):
    """The threshold is so loose that nearly every pair matches (memory would run out)."""


def os_reason(error: OSError) -> str:
    """A short reason for a failed file operation, without the path (it is shown beside it)."""
    known = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "read-only file system",
        errno.ENOSPC: "no space left on the drive",
        errno.ENOENT: "file vanished",
        errno.EEXIST: "destination taken",
        errno.EISDIR: "is a folder",
    }
    if error.errno in known:
        return known[error.errno]
    text = error.strerror or str(error) or type(error).__name__
    text = text.replace(str(getattr(error, "filename", "") or ""), "").strip(" :'\"")
    if "truncated" in text.lower():
        return "truncated file"
    return text.splitlines()[0] if text else type(error).__name__
