"""File operations that cannot hit the wrong file: folders reached without unexpected symbolic
links, identity checked relative to the folder, moves that never replace, copies that are
complete before the source goes.

Every function here works relative to an open folder descriptor (`dir_fd`), so a folder swapped
for a symbolic link between the check and the act is never followed.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .identity import FileIdentity

VANISHED = "vanished since scan"
CHANGED = "changed since scan"
KEEPER_GONE = "its keeper is gone or changed since the scan"
"""A marked file is never acted on when the photo kept in its place is not there any more."""
DESTINATION_LINK = "the destination folder was replaced by a link"
"""A folder below --move-to is now a symbolic link: no file is moved through it."""
TEMP_PREFIX = ".simdup-part-"
"""Copies across drives are written under this name first; a leftover one is never a whole
file (the journal names it, and the next run removes it)."""

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
_RENAME_NOREPLACE = 1
_NO_RENAMEAT2 = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP)
_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS)


class ChangedError(Exception):
    """The file, or a folder on its way, is not what the scan saw; `reason` says how."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LinkedFolderError(ChangedError):
    """A folder on the way is now a symbolic link that the walk may not follow."""


@contextmanager
def open_folder(folder: Path, root: Path, linked: frozenset[Path] = frozenset()) -> Iterator[int]:
    """A descriptor of `folder`, reached from `root` one part at a time with O_NOFOLLOW.

    `root` itself is opened as given (the person named it). A part that is a symbolic link is
    followed only when the scan walked through that very link (`linked`); any other link, or a
    part that is no longer a folder, raises ChangedError. A vanished part raises ChangedError
    too. Other OSErrors (permission denied) propagate.
    """
    with _walk_to(folder, root, linked, make=False) as descriptor:
        yield descriptor


@contextmanager
def open_or_make_folder(
    folder: Path, root: Path, linked: frozenset[Path] = frozenset()
) -> Iterator[int]:
    """Like `open_folder`, but a missing part is made as a plain folder (mode 0777 & umask):
    what undo uses to put a file back. A part that is now a link the scan did not walk, or a
    file, raises ChangedError; so does a vanished `root`."""
    with _walk_to(folder, root, linked, make=True) as descriptor:
        yield descriptor


@contextmanager
def _walk_to(folder: Path, root: Path, linked: frozenset[Path], *, make: bool) -> Iterator[int]:
    """The walk both share: open `root`, then each part below it (made first when `make`)."""
    try:
        parts = folder.relative_to(root).parts
    except ValueError:
        raise ChangedError("outside the scanned folder") from None
    try:
        descriptor = os.open(root, _DIR_FLAGS)
    except FileNotFoundError:
        raise ChangedError("the scanned folder vanished") from None
    except NotADirectoryError:
        raise ChangedError("the scanned folder was replaced") from None
    try:
        here = root
        for part in parts:
            here = here / part
            if make:
                try:
                    os.mkdir(part, dir_fd=descriptor)
                except FileExistsError:
                    pass
            opened = _step(descriptor, part, here, linked)
            os.close(descriptor)
            descriptor = opened
        yield descriptor
    finally:
        os.close(descriptor)


def _step(descriptor: int, part: str, here: Path, linked: frozenset[Path]) -> int:
    """Open one more part below `descriptor` (left open)."""
    try:
        try:
            opened = os.open(part, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=descriptor)
        except OSError as error:
            if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
            info = os.stat(part, dir_fd=descriptor, follow_symlinks=False)
            if not stat.S_ISLNK(info.st_mode):
                raise ChangedError(f"{CHANGED}: a folder on its way is now a file") from None
            if here not in linked:
                raise LinkedFolderError(f"{CHANGED}: a folder on its way is now a link") from None
            opened = os.open(part, _DIR_FLAGS, dir_fd=descriptor)
    except FileNotFoundError:
        raise ChangedError(f"its folder vanished ({here.name})") from None
    return opened


def open_destination(folder: Path, move_to: Path) -> int:
    """A descriptor (the caller closes it) of `folder` below the --move-to folder, its missing
    parts made, each part opened with O_NOFOLLOW: a link below `move_to`, made or swapped in
    after the start (when the numbered folders were checked), would lead the move anywhere,
    even into a scanned folder, so it raises ChangedError(DESTINATION_LINK). `move_to` itself
    is opened as given (the person named it; it is made when missing). A part that is a file
    (or vanishes while walked) raises NotADirectoryError; other OSErrors propagate."""
    os.makedirs(move_to, exist_ok=True)
    try:
        with _walk_to(folder, move_to, frozenset(), make=True) as descriptor:
            return os.dup(descriptor)
    except LinkedFolderError:
        raise ChangedError(DESTINATION_LINK) from None
    except ChangedError as error:  # a part is a file, or vanished while walked
        raise NotADirectoryError(errno.ENOTDIR, error.reason, os.fspath(folder)) from None


def check_identity(dir_fd: int, name: str, identity: FileIdentity) -> tuple[str, os.stat_result]:
    """("", stat) when `name` in the folder is still the scanned file, else (reason, stat).

    A name that is a symbolic link is compared through the link (the scan followed it) but the
    link is what will be acted on. Hand-made identities (inode 0) compare size and mtime only.
    Raises FileNotFoundError for a vanished name, OSError when it cannot be looked at.
    """
    info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    seen = info
    if stat.S_ISLNK(info.st_mode):
        seen = os.stat(name, dir_fd=dir_fd)
    if not stat.S_ISREG(seen.st_mode):
        return "no longer a regular file", info
    now = FileIdentity.of(seen)
    if identity.inode:
        difference = identity.difference(now)
        return (f"{CHANGED}: {difference}" if difference else ""), info
    if (identity.size, identity.mtime_ns) != (now.size, now.mtime_ns):
        return f"{CHANGED}: size or modification time", info
    return "", info


def space_stays(info: os.stat_result) -> bool:
    """True when removing this name frees no space: a symbolic link, or one of several links."""
    return stat.S_ISLNK(info.st_mode) or info.st_nlink > 1


@functools.cache
def _libc_renameat2() -> Callable[..., int] | None:
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except OSError:
        return None


def _renameat2(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
    function = _libc_renameat2()
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if function(src_fd, os.fsencode(src), dst_fd, os.fsencode(dst), _RENAME_NOREPLACE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), dst)


def move_no_replace(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
    """Rename src (in folder src_fd) to dst (in folder dst_fd); never replace anything there.

    FileExistsError when dst is taken, OSError(EXDEV) across drives. renameat2's
    RENAME_NOREPLACE where the kernel and filesystem have it, else a hard link then an unlink
    (atomic about "is the place free"); where neither works (FAT, some network shares) a check
    then a rename, the one case with a window, documented here.
    """
    try:
        _renameat2(src_fd, src, dst_fd, dst)
        return
    except OSError as error:
        if error.errno not in _NO_RENAMEAT2:
            raise
    try:
        os.link(src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd, follow_symlinks=False)
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
        try:
            os.stat(dst, dir_fd=dst_fd, follow_symlinks=False)
        except FileNotFoundError:
            os.rename(src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd)
            return
        raise FileExistsError(errno.EEXIST, "destination taken", dst) from None
    try:
        os.unlink(src, dir_fd=src_fd)
    except OSError:
        os.unlink(dst, dir_fd=dst_fd)  # as it was: the file stays where it was
        raise


def temp_name() -> str:
    return f"{TEMP_PREFIX}{secrets.token_hex(6)}"


def copy_into_place(
    src_fd: int,
    src: str,
    dst_fd: int,
    dst: str,
    temp: str,
    before_remove: Callable[[], None] | None = None,
) -> None:
    """Across drives: copy to `temp` in the destination folder, fsync, rename it to `dst` (never
    replacing), and only then remove the source.

    `before_remove` runs between the rename and the removal of the source (the identity is
    checked again there: it raises ChangedError to keep the source, and the copy is removed).
    A failure at any step leaves the source in place and no partial file under `dst`.
    """
    info = os.stat(src, dir_fd=src_fd, follow_symlinks=False)
    if stat.S_ISLNK(info.st_mode):
        os.symlink(os.readlink(src, dir_fd=src_fd), temp, dir_fd=dst_fd)
    else:
        reader = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=src_fd)
        try:
            writer = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600, dir_fd=dst_fd
            )
            try:
                while chunk := os.read(reader, 1 << 20):
                    view = memoryview(chunk)
                    while view:
                        view = view[os.write(writer, view) :]
                os.fsync(writer)
                os.utime(writer, ns=(info.st_atime_ns, info.st_mtime_ns))
                os.chmod(writer, stat.S_IMODE(info.st_mode))
            finally:
                os.close(writer)
        except BaseException:
            _unlink_quietly(temp, dst_fd)
            raise
        finally:
            os.close(reader)
    try:
        move_no_replace(dst_fd, temp, dst_fd, dst)
    except BaseException:
        _unlink_quietly(temp, dst_fd)
        raise
    try:
        if before_remove is not None:
            before_remove()
        os.unlink(src, dir_fd=src_fd)
    except BaseException:
        _unlink_quietly(dst, dst_fd)  # the source stays: the copy must not double it
        raise
    os.fsync(dst_fd)


def _unlink_quietly(name: str, dir_fd: int) -> None:
    try:
        os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass


def remove_empty_folders(start: Path, stop: Path) -> list[Path]:
    """rmdir start and its parents while they are empty and below `stop` (never `stop` itself)."""
    removed: list[Path] = []
    here = start
    while here != stop and here.is_relative_to(stop):
        try:
            os.rmdir(here)
        except OSError:
            break
        removed.append(here)
        here = here.parent
    return removed
