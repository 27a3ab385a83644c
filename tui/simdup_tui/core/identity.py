"""Which file a photo is: device, inode, size and times, as recorded when it was read.

fdupes and rmlint compare device and inode before they act; size and mtime alone let a different
file under the same name, or the same name rewritten with its mtime restored, pass for the one
that was scanned. ctime cannot be set by a program, so a rewrite in place always changes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """A file as seen by one stat: equal identities mean the same, unchanged file."""

    device: int
    """st_dev: the filesystem the file is on."""
    inode: int
    """st_ino: the file on that filesystem."""
    size: int
    """Size in bytes."""
    mtime_ns: int
    """Modification time, nanoseconds since the epoch."""
    ctime_ns: int
    """Inode change time, nanoseconds since the epoch (changes on any write, chmod or rename)."""

    @classmethod
    def of(cls, info: os.stat_result) -> FileIdentity:
        """The identity in a stat result (follow symbolic links or not, as the caller chose)."""
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def difference(self, now: FileIdentity) -> str:
        """ "" when `now` is this same unchanged file, else a few words saying what changed."""
        if (self.device, self.inode) != (now.device, now.inode):
            return "another file under this name"
        if self.size != now.size:
            return "size changed"
        if self.mtime_ns != now.mtime_ns:
            return "modified"
        if self.ctime_ns != now.ctime_ns:
            return "rewritten, renamed or its permissions changed"
        return ""
