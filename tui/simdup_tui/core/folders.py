"""Several folders in one run (a new import against an archive), and protected paths."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .errors import SimdupError
from .keeper import is_inside
from .names import PLAIN, FileNames
from .scan import ProgressCallback, scan
from .scan_result import ScanResult
from .summary import Summary
from .walk import check_directory


def check_folders(directories: Sequence[str | os.PathLike[str]]) -> tuple[Path, ...]:
    """The folders to scan as absolute paths, each once, in the order given (SimdupError when
    one is missing or unreadable)."""
    roots = [check_directory(directory) for directory in directories]
    if not roots:
        raise SimdupError("a folder to scan is needed")
    return tuple(dict.fromkeys(roots))


def check_protected(
    paths: Sequence[str | os.PathLike[str]], roots: Sequence[Path]
) -> tuple[Path, ...]:
    """--protect paths as absolute paths; each must exist and be one of roots or inside one.

    A protected path is kept both as written (abspath: how the scan names what it reaches
    through it) and resolved (realpath: the file or folder a symbolic link leads to), so
    protecting a link protects the photo it points to; other hard-link names of a protected
    photo are protected through KeeperRules.is_protected.
    """
    protected: list[Path] = []
    for raw in paths:
        text = os.fsdecode(raw)
        path = Path(os.path.abspath(os.path.expanduser(text)))
        if not os.path.lexists(path):
            raise SimdupError(f"--protect: no such file or folder: {text}")
        if not is_inside(path, roots):
            raise SimdupError(f"--protect: {text} is not inside a folder being scanned")
        protected.append(path)
        protected.append(Path(os.path.realpath(path)))
    return tuple(dict.fromkeys(protected))


def scan_folders(
    directories: Sequence[str | os.PathLike[str]],
    *,
    progress: ProgressCallback | None = None,
    **options: object,
) -> ScanResult:
    """scan() each folder in turn and merge the results: each file once (the same file reached
    from two folders is one photo with another name), paths sorted, `roots` naming the folders.

    Options are scan()'s (recursive, hidden, cancel, cache, workers).
    """
    roots = check_folders(directories)
    if len(roots) == 1:
        result = scan(roots[0], progress=progress, **options)  # type: ignore[arg-type]
        return replace(result, roots=roots)
    results: list[ScanResult] = []
    offset = 0
    for root in roots:
        counter = _Offset(progress, offset)
        result = scan(root, progress=counter, **options)  # type: ignore[arg-type]
        results.append(result)
        offset += counter.total
        if result.cancelled:
            break
    return merge_results(roots, results)


class _Offset:
    """A progress callback for one folder of several: counts continue from earlier folders."""

    def __init__(self, progress: ProgressCallback | None, offset: int) -> None:
        self.progress = progress
        self.offset = offset
        self.total = 0

    def __call__(self, done: int, total: int, path: Path | None) -> None:
        self.total = total
        if self.progress is not None:
            self.progress(self.offset + done, self.offset + total, path)


def merge_results(roots: tuple[Path, ...], results: Sequence[ScanResult]) -> ScanResult:
    """One ScanResult from several: a file (device, inode) or path found twice is kept once."""
    by_file: dict[tuple[int, int] | Path, Summary] = {}
    names: dict[Path, FileNames] = {}
    errors = {}
    for result in results:
        names.update(result.names)
        for error in result.errors:
            errors.setdefault(error.path, error)
        for summary in result.summaries:
            key: tuple[int, int] | Path = (
                (summary.device, summary.inode) if summary.inode else summary.path
            )
            first = by_file.get(key)
            if first is None:
                by_file[key] = summary
                continue
            if first.path == summary.path:
                continue
            kept, other = first, summary
            if names.get(first.path, PLAIN).is_link and not names.get(summary.path, PLAIN).is_link:
                kept, other = summary, first
                by_file[key] = summary
            old = names.pop(other.path, PLAIN)
            mine = names.get(kept.path, PLAIN)
            others = {*mine.other_names, other.path, *old.other_names} - {kept.path}
            names[kept.path] = FileNames(tuple(sorted(others)), mine.links, mine.is_link)
    summaries = tuple(sorted(by_file.values(), key=lambda summary: summary.path))
    return ScanResult(
        roots[0],
        summaries,
        tuple(sorted(errors.values(), key=lambda error: error.path)),
        any(result.cancelled for result in results),
        names,
        roots,
        frozenset().union(*(result.linked_folders for result in results)),
    )


def protected_in(protected: Sequence[Path], path: Path) -> bool:
    return is_inside(path, protected)
