"""Walk folders for photo files: which names count as photos, which folders are skipped, and each
real file once (hard and symbolic links collapse) with the identity it had when listed."""

from __future__ import annotations

import os
import stat as stat_module
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import DirectoryNotFoundError, NotAFolderError, SimdupError
from .identity import FileIdentity
from .names import FileNames
from .scan_result import ScanError

PHOTO_EXTENSIONS = frozenset(
    {
        ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".bmp",
        ".tif", ".tiff", ".avif", ".heic", ".heif",
    }
)  # fmt: skip
"""Extensions scanned, compared case-insensitively (phones write .JPG)."""

NOT_A_FILE = "not a regular file (a pipe, socket or device): left out"
"""Why a name that looks like a photo but is no file is listed with the errors."""
SKIPPED_FOLDERS = frozenset({"@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information"})
"""NAS thumbnail and recycle folders: full of copies of the photos, treated like hidden ones."""


def check_directory(directory: str | os.PathLike[str]) -> Path:
    """The folder to scan as an absolute path, or a SimdupError saying what is wrong with it."""
    path = Path(os.path.abspath(os.path.expanduser(os.fspath(directory))))
    if not path.exists():
        raise DirectoryNotFoundError(f"no such folder: {os.fsdecode(directory)}")
    if not path.is_dir():
        raise NotAFolderError(f"not a folder: {os.fsdecode(directory)}")
    if not os.access(path, os.R_OK | os.X_OK):
        raise SimdupError(f"cannot read folder (permission denied): {os.fsdecode(directory)}")
    return path


def has_subfolders(folder: Path) -> bool:
    """True when `folder` has a folder in it that is not hidden (a reason to suggest -r)."""
    try:
        with os.scandir(folder) as entries:
            return any(e.is_dir() and not e.name.startswith(".") for e in entries)
    except OSError:
        return False


NOT_RECURSIVE_HINT = "Subfolders are not scanned: run with -r to include them."
"""Said when a folder without photos has subfolders (the app and --list alike)."""


def is_photo_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in PHOTO_EXTENSIONS


def find_photos(
    root: Path,
    *,
    recursive: bool = False,
    hidden: bool = False,
    errors: list[ScanError] | None = None,
    cancel: threading.Event | None = None,
) -> list[Path]:
    """Photo files under root, sorted, each real file once (links and hardlinks collapse).

    Folders that cannot be read are appended to errors and skipped.
    """
    return [path for path, _ in find_photo_files(root, recursive, hidden, errors, cancel)]


def find_photo_files(
    root: Path,
    recursive: bool,
    hidden: bool,
    errors: list[ScanError] | None,
    cancel: threading.Event | None,
    names: dict[Path, FileNames] | None = None,
    linked_folders: set[Path] | None = None,
) -> list[tuple[Path, FileIdentity]]:
    """find_photos with each file's identity, so the cache lookup needs no second stat (a NAS
    mount makes every stat a network round trip). When `names` is given, it receives the other
    names, link counts and symbolic links of every photo that has some."""
    errors = errors if errors is not None else []
    seen_files: dict[tuple[int, int], int] = {}
    photos: list[tuple[Path, FileIdentity]] = []
    extra: dict[tuple[int, int], list[Path]] = {}
    """Other names of files reached more than once (by their device and inode)."""
    link_counts: dict[tuple[int, int], int] = {}
    linked: dict[Path, tuple[int, int]] = {}
    """Names reached through a symbolic link."""
    for path, is_link in _walk(root, recursive, hidden, errors, cancel, linked_folders):
        try:
            info = path.stat()
        except OSError as error:
            errors.append(ScanError(path, _stat_failure(path, error)))
            continue
        if not stat_module.S_ISREG(info.st_mode):
            if not stat_module.S_ISDIR(info.st_mode):  # a FIFO, socket or device named .jpg
                errors.append(ScanError(path, NOT_A_FILE))
            continue
        key = (info.st_dev, info.st_ino)
        if is_link:
            linked[path] = key
        if key in seen_files:
            # One file reached twice: show (and delete) the file itself, not a link to it;
            # the other name is kept for the reports.
            index = seen_files[key]
            shown = photos[index][0]
            if not is_link and shown in linked:
                photos[index] = (path, FileIdentity.of(info))
                path = shown
            extra.setdefault(key, []).append(path)
            continue
        seen_files[key] = len(photos)
        photos.append((path, FileIdentity.of(info)))
        if info.st_nlink > 1:
            link_counts[key] = info.st_nlink
    if names is not None:
        for key in extra.keys() | link_counts.keys():
            path = photos[seen_files[key]][0]
            others = tuple(sorted(extra.get(key, ())))
            names[path] = FileNames(others, link_counts.get(key, 1), path in linked)
        for path, key in linked.items():
            if photos[seen_files[key]][0] == path:
                names.setdefault(path, FileNames(is_link=True))
    photos.sort(key=lambda found: found[0])
    return photos


def _stat_failure(path: Path, error: OSError) -> str:
    """Why a listed file cannot be looked at (lstat may fail too: a folder without x)."""
    if isinstance(error, PermissionError):
        return "permission denied"
    try:
        if stat_module.S_ISLNK(os.lstat(path).st_mode):
            return "broken link"
    except OSError:
        pass
    return error.strerror or str(error)


def _walk(
    root: Path,
    recursive: bool,
    hidden: bool,
    errors: list[ScanError],
    cancel: threading.Event | None,
    linked_seen: set[Path] | None = None,
) -> Iterator[tuple[Path, bool]]:
    """Candidate photo paths (and whether a symbolic link leads to each), depth first in
    sorted order; symlinked folder loops end.

    Linked folders are walked after every real one, so a folder reached both ways is listed
    under its real path.
    """
    visited: set[tuple[int, int]] = set()
    pending: list[tuple[Path, bool]] = [(root, False)]
    linked: list[tuple[Path, bool]] = []
    while pending or linked:
        if cancel is not None and cancel.is_set():
            return
        if not pending:
            pending, linked = list(reversed(linked)), []
        folder, via_link = pending.pop()
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in visited:
                continue
            visited.add(key)
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            reason = "permission denied" if isinstance(error, PermissionError) else str(error)
            errors.append(ScanError(folder, f"cannot read folder: {reason}"))
            continue
        subfolders: list[tuple[Path, bool]] = []
        linked_here: list[tuple[Path, bool]] = []
        for entry in listed:
            if not hidden and (entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS):
                continue
            path = Path(entry.path)
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if recursive:
                    if entry.is_symlink():
                        linked_here.append((path, True))
                    else:
                        subfolders.append((path, via_link))
            elif is_photo_name(entry.name):
                yield path, via_link or entry.is_symlink()
        pending.extend(reversed(subfolders))
        linked.extend(linked_here)
        if linked_seen is not None:
            linked_seen.update(path for path, _ in linked_here)
