"""What a scan found (ScanResult, ScanError) and how its paths are named for a person."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .names import FileNames
from .summary import Summary


@dataclass(frozen=True, slots=True)
class ScanError:
    """A file or folder that could not be read, with a one-line reason."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything a scan found: summaries of readable photos and the reasons for the rest."""

    root: Path
    """The first folder scanned."""
    summaries: tuple[Summary, ...]
    errors: tuple[ScanError, ...]
    cancelled: bool = False
    names: Mapping[Path, FileNames] = field(default_factory=dict)
    """Photos with other names, several hard links, or reached through a symbolic link."""
    roots: tuple[Path, ...] = ()
    """Every folder scanned, in the order given (empty means just `root`)."""
    linked_folders: frozenset[Path] = frozenset()
    """Symbolic links to folders that the walk went through (as walked paths): deleting may
    pass through these, and through no other link."""

    @property
    def folders(self) -> tuple[Path, ...]:
        return self.roots or (self.root,)

    def relative(self, path: Path) -> str:
        """A path as shown to the person: relative to the scanned folder it came from."""
        return relative_in(path, self.folders)


def relative_in(path: Path, roots: Sequence[Path]) -> str:
    """path relative to the deepest of roots that holds it, with slashes (as is when none does).

    Plain string work: reports make one name per photo, and pathlib's relative_to costs ten
    times more.
    """
    text = str(path)
    best, _ = _deepest(text, roots)
    return _slashed(text[len(best) :]) if best else text


def display_name(path: Path, roots: Sequence[Path]) -> str:
    """relative_in, numbered by folder when there are several: "2:IMG_0001.jpg" is in the
    second folder given (so two folders' "IMG_0001.jpg" never look like one)."""
    if len(roots) < 2:
        return relative_in(path, roots)
    text = str(path)
    best, number = _deepest(text, roots)
    return f"{number}:{_slashed(text[len(best) :])}" if best else text


def _deepest(text: str, roots: Sequence[Path]) -> tuple[str, int]:
    """(the deepest root holding the path `text`, with a trailing separator, and its number
    from 1); ("", 0) when none holds it."""
    best, number = "", 0
    for index, root in enumerate(roots, start=1):
        prefix = str(root).rstrip(os.sep) + os.sep
        if len(prefix) > len(best) and text.startswith(prefix):
            best, number = prefix, index
    return best, number


def _slashed(rest: str) -> str:
    return rest if os.sep == "/" else rest.replace(os.sep, "/")


def relative_to(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
