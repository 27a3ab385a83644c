"""The freedesktop trash: send a file there, find its entry again, and put it back."""

from __future__ import annotations

import errno
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import send2trash

INFO_SUFFIX = ".trashinfo"
"""Every trashed file has `info/<name>.trashinfo` beside `files/<name>`."""


@dataclass(frozen=True, slots=True)
class TrashEntry:
    """One file in a freedesktop trash: where its data and its .trashinfo are."""

    info: Path
    """The `.trashinfo` file that names the original path."""
    file: Path
    """The trashed data, `files/<name>` in the same trash."""
    original: Path
    """The original path the entry names (its `Path=` line, decoded)."""


class TrashUnavailableError(OSError):
    """send2trash could not use any trash for this file (no trash folder can be made there)."""


def home_trashes() -> list[Path]:
    """The home trash as send2trash sees it, and as the environment names it now.

    send2trash reads XDG_DATA_HOME once, when it is imported; the environment may say otherwise
    later (tests do that), so both are candidates, the first being the one it will use.
    """
    found: list[Path] = []
    module = sys.modules.get("send2trash.plat_other")
    constant = getattr(module, "HOMETRASH", None) if module is not None else None
    if isinstance(constant, str):
        found.append(Path(constant))
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    current = Path(data_home) / "Trash"
    if current not in found:
        found.append(current)
    return found


def mount_point(path: Path) -> Path:
    """The mount point holding path (`/` at worst)."""
    current = os.path.realpath(path)
    while not os.path.ismount(current):
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return Path(current)


def candidate_trashes(path: Path) -> list[Path]:
    """Every trash a file at path may have gone to: home trash, then its mount's trashes."""
    uid = str(os.getuid()) if hasattr(os, "getuid") else "0"
    folder = path.parent
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    top = mount_point(folder)
    trashes = home_trashes()
    for extra in (top / ".Trash" / uid, top / f".Trash-{uid}"):
        if extra not in trashes:
            trashes.append(extra)
    return trashes


def topdir_of(trash: Path) -> Path:
    """The folder that relative `Path=` values in this trash are relative to."""
    if trash.parent.name == ".Trash":
        return trash.parent.parent
    return trash.parent


def free_name(trash: Path, name: str) -> str:
    """The name send2trash's freedesktop code gives the next file called `name` in this trash."""
    stem, ext = os.path.splitext(name)
    candidate, counter = name, 0
    while (trash / "files" / candidate).exists() or (
        trash / "info" / (candidate + INFO_SUFFIX)
    ).exists():
        counter += 1
        candidate = f"{stem} {counter}{ext}"
    return candidate


def read_original(info: Path, trash: Path) -> Path | None:
    """The original path a .trashinfo names, or None when it cannot be read."""
    try:
        text = info.read_bytes().decode("utf-8", errors="surrogateescape")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Path="):
            value = unquote(line[5:], errors="surrogateescape")
            original = Path(value)
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


def send_to_trash(path: Path) -> TrashEntry | None:
    """Trash one file with send2trash; return where it went when the trash can be read back.

    Before the call we work out the name it will take in each candidate trash (send2trash picks
    the first free `name`, `name 1`, `name 2`...), then check which of those now names our file.
    This is cheap with huge trashes and stays right when the file's mount has its own
    `.Trash-$uid`. If the name was not predicted (gio, another tool racing us), the matching
    entries are searched for instead. None means trashed, but the entry could not be found.
    """
    try:  # looking ahead is only a help for finding the entry later: it must not fail a file
        trashes = candidate_trashes(path)
        predicted = [(trash, free_name(trash, path.name)) for trash in trashes]
    except OSError:
        trashes, predicted = [], []
    try:
        send2trash.send2trash(os.fspath(path))
    except send2trash.TrashPermissionError as error:
        raise TrashUnavailableError(
            errno.EACCES, "trash unavailable: cannot create a trash folder on this drive"
        ) from error
    # From here on the file IS in the trash: a failure to read the trash back only means the
    # entry is not recorded (undo then searches for it), never that trashing failed.
    try:
        for trash, name in predicted:
            info = trash / "info" / (name + INFO_SUFFIX)
            entry = entry_for(info, trash) if info.exists() else None
            if entry is not None and same_path(entry.original, path) and entry.file.exists():
                return entry
        return find_in_trash(path, trashes)
    except OSError:
        return None


def find_in_trash(
    original: Path, trashes: list[Path] | None = None, size: int | None = None
) -> TrashEntry | None:
    """The newest entry naming original (of that size, if given) in the candidate trashes."""
    stem = os.path.splitext(original.name)[0]
    best: tuple[int, TrashEntry] | None = None
    for trash in trashes if trashes is not None else candidate_trashes(original):
        try:
            names = [
                entry.name
                for entry in os.scandir(trash / "info")
                if entry.name.endswith(INFO_SUFFIX) and entry.name.startswith(stem)
            ]
        except OSError:
            continue
        for name in names:
            found = entry_for(trash / "info" / name, trash)
            if found is None or not same_path(found.original, original):
                continue
            try:
                data = os.lstat(found.file)
                stamp = os.stat(found.info).st_mtime_ns
            except OSError:
                continue
            if size is not None and data.st_size != size:
                continue
            if best is None or stamp > best[0]:
                best = (stamp, found)
    return best[1] if best is not None else None


def move_no_overwrite(source: Path, target: Path) -> None:
    """Move one file to target, never replacing anything there (FileExistsError instead).

    A hard link then unlink is atomic about "is the place free"; where links are not possible
    (FAT, some network shares) we check and rename; across drives we copy into a file created
    exclusively, then remove the source.
    """
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno == errno.EXDEV:
            _copy_then_remove(source, target)
            return
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS):
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "destination taken", os.fspath(target)) from None
        os.rename(source, target)
        return
    try:
        os.unlink(source)
    except OSError:
        os.unlink(target)  # leave things as they were: the file stays where it was
        raise


def _copy_then_remove(source: Path, target: Path) -> None:
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    else:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with open(source, "rb") as reader, os.fdopen(descriptor, "wb") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
                writer.flush()
                os.fsync(writer.fileno())
            shutil.copystat(source, target)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    try:
        os.unlink(source)
    except OSError:
        target.unlink(missing_ok=True)
        raise
