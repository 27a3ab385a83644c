"""Open a photo file for reading without ever blocking, and only if it is a regular file."""

from __future__ import annotations

import os
import stat as stat_module

from .errors import UnreadablePhotoError, os_reason


class open_photo:
    """`with open_photo(path) as (file, stat):` a regular file opened for reading, never blocking.

    O_NONBLOCK makes opening a FIFO return at once; fstat after the open then refuses anything
    that is not a regular file. Raises UnreadablePhotoError with a one-line reason.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._file: object = None

    def __enter__(self) -> tuple[object, os.stat_result]:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_NOCTTY", 0)
        try:
            descriptor = os.open(self.path, flags)
        except OSError as error:
            raise UnreadablePhotoError(os_reason(error)) from error
        try:
            info = os.fstat(descriptor)
            if not stat_module.S_ISREG(info.st_mode):
                raise UnreadablePhotoError("not a regular file")
            if hasattr(os, "set_blocking"):
                os.set_blocking(descriptor, True)
            handle = os.fdopen(descriptor, "rb")
        except UnreadablePhotoError:
            os.close(descriptor)
            raise
        except OSError as error:
            os.close(descriptor)
            raise UnreadablePhotoError(os_reason(error)) from error
        self._file = handle
        return handle, info

    def __exit__(self, *exc_info: object) -> None:
        if self._file is not None:
            self._file.close()  # type: ignore[attr-defined]
