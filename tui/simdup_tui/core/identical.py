"""Exact copies: members whose bytes are their keeper's, found by hashing only same-size files."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import replace

from .cluster import Cluster
from .errors import UnreadablePhotoError
from .identity import FileIdentity
from .photo_file import open_photo
from .summary import Summary

CHUNK = 1 << 20
"""Bytes read at a time: hashing streams, so a 200 MB RAW never sits in memory."""


class ContentHashes:
    """BLAKE2b digests of files, cached by path and file identity (a changed file is hashed
    again). Thread-safe enough for one worker at a time; a file that cannot be read, or that
    changed since it was summarised, has no digest (None) and is never called identical."""

    def __init__(self) -> None:
        self._digests: dict[tuple[str, FileIdentity], bytes | None] = {}
        self._lock = threading.Lock()

    def digest(self, summary: Summary) -> bytes | None:
        key = (str(summary.path), summary.identity)
        with self._lock:
            if key in self._digests:
                return self._digests[key]
        value = _hash_file(summary)
        with self._lock:
            self._digests[key] = value
        return value


def _hash_file(summary: Summary) -> bytes | None:
    try:
        with open_photo(summary.path) as (handle, info):
            if summary.inode and FileIdentity.of(info) != summary.identity:
                return None  # not the file that was summarised
            if not summary.inode and info.st_size != summary.size:
                return None
            hasher = hashlib.blake2b(digest_size=32)
            while chunk := handle.read(CHUNK):  # type: ignore[attr-defined]
                hasher.update(chunk)
            return hasher.digest()
    except (UnreadablePhotoError, OSError):
        return None


def label_identical(
    clusters: Iterable[Cluster],
    hashes: ContentHashes,
    cancel: threading.Event | None = None,
) -> tuple[Cluster, ...]:
    """The clusters with `identical` set on members whose bytes equal their keeper's.

    Only members of the keeper's exact size and summary are read (the same bytes always give
    the same summary); the keeper itself only when one is.
    """
    labelled: list[Cluster] = []
    for cluster in clusters:
        keeper = cluster.keeper
        same_size = [m for m in cluster.others if _may_be_copy(m.summary, keeper)]
        if not same_size or (cancel is not None and cancel.is_set()):
            labelled.append(cluster)
            continue
        keeper_digest = hashes.digest(keeper)
        if keeper_digest is None:
            labelled.append(cluster)
            continue
        members = list(cluster.members)
        for position, member in enumerate(members[1:], start=1):
            if not _may_be_copy(member.summary, keeper):
                continue
            if hashes.digest(member.summary) == keeper_digest:
                members[position] = replace(member, identical=True)
        labelled.append(replace(cluster, members=tuple(members)))
    return tuple(labelled)


def _may_be_copy(summary: Summary, keeper: Summary) -> bool:
    return summary.size == keeper.size and summary.pixels == keeper.pixels
