"""What a save writes about each changed photo, computed when the writer reads it.

A key that changes thousands of photos (`A`, `U`) hands the saver a snapshot of the decision
sets (copied at C speed) instead of building thousands of `PhotoState`s on the UI thread; the
writer thread builds them as it writes. Small changes are built at once (no copies).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from pathlib import Path

from .identity import FileIdentity
from .review_state import PhotoState
from .summary import Summary

MadeOn = Mapping[Path, Summary | FileIdentity]
"""The photo each decision was made on (or the identity it was restored with)."""

SNAPSHOT_FROM = 256
"""From this many changed photos on, a save copies the decision sets instead of building states."""


def identity_of(made_on: MadeOn, path: Path) -> FileIdentity | None:
    """The identity of the file a decision on `path` was made on (None: none was)."""
    decided_on = made_on.get(path)
    if decided_on is None or isinstance(decided_on, FileIdentity):
        return decided_on
    return decided_on.identity


def photo_state(
    path: Path, marked: Set[Path], keepers: Set[Path], reviewed: Set[Path], made_on: MadeOn
) -> PhotoState | None:
    """What is saved about one photo (None: nothing, so its row goes)."""
    flags = (path in marked, path in keepers, path in reviewed)
    identity = identity_of(made_on, path)
    if not any(flags) or identity is None:
        return None
    return PhotoState(identity, *flags)


class PhotoStates(Mapping[Path, PhotoState | None]):
    """States of the changed photos from a frozen copy of the decisions (read-only, any thread)."""

    def __init__(
        self,
        changed: Set[Path],
        marked: Set[Path],
        keepers: Set[Path],
        reviewed: Set[Path],
        made_on: MadeOn,
    ) -> None:
        self._changed = frozenset(changed)
        self._sets = (frozenset(marked), frozenset(keepers), frozenset(reviewed))
        self._made_on = dict(made_on)

    def __getitem__(self, path: Path) -> PhotoState | None:
        if path not in self._changed:
            raise KeyError(path)
        return photo_state(path, *self._sets, self._made_on)

    def __iter__(self) -> Iterator[Path]:
        return iter(self._changed)

    def __len__(self) -> int:
        return len(self._changed)
