"""The freedesktop.org trash, done as the specification says: reserve, then move, never replace.

Why not send2trash on Linux: it checks that `files/NAME` and `info/NAME.trashinfo` are free,
writes the info file with a plain open, then renames the file onto `files/NAME`. A rename
replaces whatever is there, so two processes trashing files of the same name at once can
overwrite one trashed file with the other (gone for good while both report success), and a
failed move leaves the info file behind. The specification avoids both: the name is reserved by
creating `info/NAME.trashinfo` with O_EXCL, the file is moved to `files/NAME` without replacing
(RENAME_NOREPLACE, or a hard link then an unlink), and the reservation is removed if the move
fails. send2trash is still used on macOS and Windows, whose trashes it drives through the
system's own calls.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

from .errors import os_reason
from .fileops import copy_into_place, move_no_replace, temp_name

INFO_SUFFIX = ".trashinfo"
"""Every trashed file has `info/<name>.trashinfo` beside `files/<name>`."""
NAME_MAX = 255
"""Bytes in one file name on the filesystems we meet; the info name must fit too."""
FREEDESKTOP = sys.platform != "darwin" and os.name != "nt"
"""True where this module's trash is used; elsewhere send2trash drives the system's trash."""


class TrashError(OSError):
    """The file could not be trashed; `strerror` says why in a person's words. The file is
    still where it was (a trash failure never turns into a deletion)."""


@dataclass(frozen=True, slots=True)
class TrashEntry:
    """One file in a freedesktop trash: where its data and its .trashinfo are."""

    info: Path
    """The `.trashinfo` file that names the original path."""
    file: Path
    """The trashed data, `files/<name>` in the same trash."""
    original: Path
    """The original path the entry names (its `Path=` line, decoded)."""


@dataclass(frozen=True, slots=True)
class Trash:
    """A trash folder chosen for one file."""

    path: Path
    """The trash folder (holding files/ and info/)."""
    topdir: Path | None
    """The mount's top folder for a `$topdir` trash (Path= is relative to it); None for home."""
    copy: bool = False
    """True when the file is on another drive (the home trash as a fallback): it is copied."""


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0


def home_trash() -> Path:
    """$XDG_DATA_HOME/Trash (default ~/.local/share/Trash); TrashError when there is no usable
    home folder to hold it (never reported as a vanished file)."""
    data_home = os.environ.get("XDG_DATA_HOME")
    if data_home and os.path.isabs(data_home):
        return Path(data_home) / "Trash"
    home = os.environ.get("HOME") or os.path.expanduser("~")
    if not home or not os.path.isabs(home) or not os.path.isdir(home):
        raise TrashError(errno.ENOENT, f"no usable home folder for the trash ({home or 'unset'})")
    return Path(home) / ".local" / "share" / "Trash"


def device_of(path: Path) -> int:
    """st_dev of path, or of its nearest existing parent."""
    here = path
    while True:
        try:
            return os.stat(here).st_dev
        except FileNotFoundError:
            if here.parent == here:
                raise
            here = here.parent


def mount_point(path: Path) -> Path:
    """The mount point holding path (`/` at worst)."""
    current = os.path.realpath(path)
    while not os.path.ismount(current):
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return Path(current)


def choose_trash(original: Path, device: int) -> Trash:
    """The trash for a file on `device` at `original`, as the specification orders them.

    The home trash when the file is on its drive; else `$topdir/.Trash/$uid` when `.Trash` is a
    real folder with the sticky bit, else `$topdir/.Trash-$uid`; when neither can be used, the
    home trash by copying. Raises TrashError when no trash can be used.
    """
    home = home_trash()
    if device_of(home) == device:
        return Trash(home, None)
    topdir = mount_point(original.parent)
    for candidate in _topdir_trashes(topdir):
        try:
            _ensure_private_folder(candidate, parent_made=False)
        except OSError:
            continue
        return Trash(candidate, topdir)
    return Trash(home, None, copy=True)


def _topdir_trashes(topdir: Path) -> list[Path]:
    uid = _uid()
    found = []
    shared = topdir / ".Trash"
    try:
        info = os.lstat(shared)
    except OSError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_ISVTX:
        found.append(shared / str(uid))  # a symlink or a folder without the sticky bit is skipped
    found.append(topdir / f".Trash-{uid}")
    return found


def _ensure_private_folder(folder: Path, *, parent_made: bool = True) -> None:
    """Make folder (mode 0700) unless it is there; refuse a symlink or someone else's folder."""
    try:
        if parent_made:
            folder.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != _uid()):
        raise TrashError(errno.EPERM, f"not a trash folder of ours: {folder}")


def fit_name(name: str, counter: int) -> str:
    """The name trashed under: `name`, or `stem.N.ext` for the Nth try, cut so that
    `NAME.trashinfo` fits in NAME_MAX bytes (cut at a character boundary)."""
    stem, ext = os.path.splitext(name)
    if len(os.fsencode(ext)) > 16:
        stem, ext = name, ""
    suffix = f".{counter}" if counter > 1 else ""
    room = NAME_MAX - len(INFO_SUFFIX) - len(os.fsencode(suffix + ext))
    raw = os.fsencode(stem)
    if len(raw) > room:
        raw = raw[:room]
        while raw and raw[-1] & 0xC0 == 0x80:  # a continuation byte: drop the whole character
            raw = raw[:-1]
        if raw and raw[-1] >= 0xC0:
            raw = raw[:-1]
    return os.fsdecode(raw) + suffix + ext


def info_text(original: Path, topdir: Path | None, when: datetime | None = None) -> bytes:
    """The .trashinfo contents: Path= URL-escaped (relative to topdir for a topdir trash)."""
    path = original
    if topdir is not None and original.is_relative_to(topdir):
        path = original.relative_to(topdir)
    stamp = (when or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S")
    escaped = quote(os.fsencode(path), safe="/")
    return f"[Trash Info]\nPath={escaped}\nDeletionDate={stamp}\n".encode("ascii")


def _open_folder(path: Path) -> int:
    _ensure_private_folder(path)
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def trash_file(
    parent_fd: int,
    name: str,
    original: Path,
    device: int,
    *,
    on_chosen: Callable[[Trash, str], None],
    check_again: Callable[[], None],
) -> TrashEntry:
    """Trash `name` in the folder `parent_fd` (whose path is original.parent).

    `on_chosen(trash, temp)` runs once the trash is known and before anything is touched (the
    journal's intent line); `check_again` runs right before a copied file's source is removed.
    Raises TrashError with the reason; then the file is where it was and no reservation is
    left behind.
    """
    try:
        trash = choose_trash(original, device)
    except TrashError:
        raise
    except OSError as error:
        raise TrashError(error.errno, _trash_reason(error, original)) from error
    temp = temp_name()
    on_chosen(trash, temp)
    try:
        files_fd = _open_folder(trash.path / "files")
        try:
            info_fd = _open_folder(trash.path / "info")
        except BaseException:
            os.close(files_fd)
            raise
    except TrashError:
        raise
    except OSError as error:
        raise TrashError(error.errno, _trash_reason(error, original)) from error
    try:
        return _reserve_and_move(
            parent_fd, name, original, trash, temp, files_fd, info_fd, check_again
        )
    finally:
        os.close(files_fd)
        os.close(info_fd)


def _reserve_and_move(
    parent_fd: int,
    name: str,
    original: Path,
    trash: Trash,
    temp: str,
    files_fd: int,
    info_fd: int,
    check_again: Callable[[], None],
) -> TrashEntry:
    contents = info_text(original, trash.topdir)
    for counter in range(1, 10_000):
        candidate = fit_name(name, counter)
        info_name = candidate + INFO_SUFFIX
        try:
            reservation = os.open(
                info_name,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC,
                0o600,
                dir_fd=info_fd,
            )
        except FileExistsError:
            continue
        except OSError as error:
            raise TrashError(error.errno, _trash_reason(error, original)) from error
        try:
            try:
                # Not fsync'd, nor are the folders below: the journal's intent line is (that is
                # what undo and the next run rely on). Syncing this file and info/ before the
                # move was measured (benchmarks/bench_delete.py's machine): +127% time per
                # trashed file, each sync costing about what the rest of the file does. So a
                # power cut mid-batch may leave other tools an empty entry; undo reads the journal.
                os.write(reservation, contents)
            finally:
                os.close(reservation)
            if trash.copy:
                copy_into_place(parent_fd, name, files_fd, candidate, temp, check_again)
            else:
                move_no_replace(parent_fd, name, files_fd, candidate)
        except FileExistsError:
            _unlink(info_name, info_fd)  # files/NAME taken by another tool: try the next name
            continue
        except BaseException as error:
            _unlink(info_name, info_fd)
            if isinstance(error, OSError) and not isinstance(error, TrashError):
                if error.errno == errno.ENOENT and source_gone(parent_fd, name):
                    # Gone from under us (another instance or tool took it): it vanished,
                    # whatever the trash folder is like.
                    raise FileNotFoundError(errno.ENOENT, "vanished", name) from error
                raise TrashError(error.errno, _trash_reason(error, original)) from error
            raise
        return TrashEntry(
            trash.path / "info" / info_name, trash.path / "files" / candidate, original
        )
    raise TrashError(errno.EEXIST, "no free name in the trash")


def source_gone(dir_fd: int, name: str) -> bool:
    """True when `name` is no longer in the folder `dir_fd` (so an ENOENT was about it)."""
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def _unlink(name: str, dir_fd: int) -> None:
    try:
        os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass


def _trash_reason(error: OSError, original: Path) -> str:
    """Which side refused: the trash folder, or the photo's own folder."""
    if error.errno in (errno.EACCES, errno.EPERM):
        if not os.access(original.parent, os.W_OK | os.X_OK):
            return "permission denied on the photo's folder"
        return "permission denied on the trash folder"
    if error.errno == errno.EROFS:
        return "read-only file system"
    if error.errno == errno.ENOENT:  # the photo itself vanishing is told apart by the caller
        return "the trash folder could not be made (a folder on its way is missing)"
    return f"trash unavailable: {os_reason(error)}"


def send_to_system_trash(path: Path) -> None:
    """macOS and Windows: the system's trash through send2trash (TrashError on failure)."""
    import send2trash

    try:
        send2trash.send2trash(os.fspath(path))
    except OSError as error:
        raise TrashError(error.errno or errno.EIO, f"trash unavailable: {error}") from error


# Reading a trash back ----------------------------------------------------------------------


def topdir_of(trash: Path) -> Path:
    """The folder that relative `Path=` values in this trash are relative to."""
    if trash.parent.name == ".Trash":
        return trash.parent.parent
    return trash.parent


def read_original(info: Path, trash: Path) -> Path | None:
    """The original path a .trashinfo names, or None when it cannot be read."""
    try:
        text = info.read_bytes().decode("utf-8", errors="surrogateescape")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Path="):
            original = Path(os.fsdecode(unquote_to_bytes(line[5:])))
            if not original.is_absolute():
                original = topdir_of(trash) / original
            return original
    return None


def same_path(left: Path, right: Path) -> bool:
    """Two names of one place: compared after resolving the folders (symlinked homes, /tmp)."""
    if left == right:
        return True
    if left.name != right.name:
        return False
    return os.path.realpath(left.parent) == os.path.realpath(right.parent)


def entry_for(info: Path, trash: Path) -> TrashEntry | None:
    original = read_original(info, trash)
    if original is None:
        return None
    return TrashEntry(info, trash / "files" / info.name[: -len(INFO_SUFFIX)], original)


def find_in_trash(original: Path, trash: Path, size: int | None = None) -> list[TrashEntry]:
    """Entries in `trash` naming `original` (of that size, if given), newest first; entries
    whose file is missing (orphans) come last."""
    found: list[tuple[int, TrashEntry]] = []
    try:
        names = [e.name for e in os.scandir(trash / "info") if e.name.endswith(INFO_SUFFIX)]
    except OSError:
        return []
    for info_name in names:
        entry = entry_for(trash / "info" / info_name, trash)
        if entry is None or not same_path(entry.original, original):
            continue
        try:
            stamp = os.stat(entry.info).st_mtime_ns
            data: os.stat_result | None = os.lstat(entry.file)
        except OSError:
            stamp, data = -1, None
        if data is not None and size is not None and data.st_size != size:
            continue
        found.append((stamp, entry))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [entry for _, entry in found]
