"""Pairs of photos the person said are not duplicates, keyed by content so renames keep them.

dupeGuru keeps an ignore list of path pairs, which a rename or a move breaks. Here a photo is
known by a hash of its 16x16 summary and its file size: the same file under another name, in
another folder or on another scan still has the same key, while an edited photo does not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from .summary import Summary


def content_key(summary: Summary) -> str:
    """32 hex digits naming a photo's content: BLAKE2b of its summary bytes and its size."""
    digest = hashlib.blake2b(summary.pixels, digest_size=16)
    digest.update(summary.size.to_bytes(8, "little", signed=False))
    return digest.hexdigest()


def pair_key(first: str, second: str) -> tuple[str, str]:
    """The order-free key of two content keys (smaller first)."""
    return (first, second) if first <= second else (second, first)


@dataclass(frozen=True, slots=True)
class NotDuplicate:
    """One recorded pair: two contents never to be linked again."""

    first: str
    """Content key (the smaller of the two)."""
    second: str
    """Content key (the larger of the two)."""
    group: str
    """Id of the decision that recorded it (one `x` press), beginning with its time in ns;
    the Ignored screen takes back whole groups."""
    first_path: str
    """Where the first photo was when recorded (shown to the person; not used for matching)."""
    second_path: str
    recorded: str
    """Local time when recorded, ISO 8601 to the second."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.first, self.second)


@dataclass(frozen=True, slots=True)
class IgnoredGroup:
    """What one decision recorded: its pairs and the photos' names at the time."""

    group: str
    pairs: tuple[NotDuplicate, ...]

    @property
    def paths(self) -> list[str]:
        """The photos' paths when recorded, each once, in first-seen order."""
        seen: dict[str, None] = {}
        for pair in self.pairs:
            seen.setdefault(pair.first_path)
            seen.setdefault(pair.second_path)
        return list(seen)

    @property
    def recorded(self) -> str:
        return min(pair.recorded for pair in self.pairs)


class NotDuplicates:
    """The set of recorded pairs, with the check clustering needs: blocks(a, b)."""

    def __init__(self, records: Iterable[NotDuplicate] = ()) -> None:
        self._records: dict[tuple[str, str], NotDuplicate] = {}
        self._keys: set[str] = set()
        for record in records:
            self.add(record)

    def __len__(self) -> int:
        return len(self._records)

    def __bool__(self) -> bool:
        return bool(self._records)

    def add(self, record: NotDuplicate) -> bool:
        """Record a pair; False when it was already there."""
        if record.key in self._records or record.first == record.second:
            return False
        self._records[record.key] = record
        self._keys.update(record.key)
        return True

    def remove_group(self, group: str) -> list[NotDuplicate]:
        """Take back one decision; returns the pairs removed."""
        removed = [record for record in self._records.values() if record.group == group]
        for record in removed:
            del self._records[record.key]
        self._keys = {key for pair in self._records for key in pair}
        return removed

    def involves(self, key: str) -> bool:
        """True when a recorded pair names this content key."""
        return key in self._keys

    def blocks_keys(self, first: str, second: str) -> bool:
        return pair_key(first, second) in self._records

    def blocks(self, first: Summary, second: Summary) -> bool:
        """True when these two photos were recorded as not duplicates."""
        if not self._records:
            return False
        return self.blocks_keys(content_key(first), content_key(second))

    def groups(self) -> list[IgnoredGroup]:
        """Every decision, the newest first."""
        by_group: dict[str, list[NotDuplicate]] = {}
        for record in self._records.values():
            by_group.setdefault(record.group, []).append(record)
        groups = [IgnoredGroup(group, tuple(pairs)) for group, pairs in by_group.items()]
        groups.sort(key=lambda group: group.group, reverse=True)  # ids begin with the time
        return groups

    def records(self) -> list[NotDuplicate]:
        return list(self._records.values())
