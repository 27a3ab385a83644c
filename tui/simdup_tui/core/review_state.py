"""The review's values: the order of clusters, what is saved about a photo, what a scan dropped
and what must be written (see review.py for the rules that make them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .identity import FileIdentity
from .not_duplicates import NotDuplicate


class Order(Enum):
    """How clusters are ordered; `value` is what the status line says."""

    SPACE = "most space to free"
    PHOTOS = "most photos"
    CLOSEST = "closest first"
    FOLDER = "by folder"

    def next(self) -> Order:
        orders = list(Order)
        return orders[(orders.index(self) + 1) % len(orders)]


@dataclass(frozen=True, slots=True)
class PhotoState:
    """What is saved about one photo: the file it was decided on, and the decisions."""

    identity: FileIdentity
    marked: bool = False
    keeper: bool = False
    reviewed: bool = False


@dataclass(frozen=True, slots=True)
class Dropped:
    """Decisions dropped because their photo changed or vanished (after a scan or a restore)."""

    marks: int = 0
    keepers: int = 0
    reviewed: int = 0

    def __bool__(self) -> bool:
        return bool(self.marks or self.keepers or self.reviewed)


@dataclass(frozen=True, slots=True)
class Changes:
    """What must be written to the saved review since the last save."""

    photos: Mapping[Path, PhotoState | None]
    """None: nothing is saved about this photo any more (a dict, or review_changes.PhotoStates
    for large changes: states computed as they are read, in the writer's thread)."""
    added: tuple[NotDuplicate, ...]
    removed_groups: tuple[str, ...]
    seen: tuple[str, ...] = ()
    """Content keys newly reviewed (Review.seen)."""

    def __bool__(self) -> bool:
        return bool(self.photos or self.added or self.removed_groups or self.seen)
