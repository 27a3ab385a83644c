"""What each row of the cluster tree stands for and says, read from the live review.

A cluster's node carries a ClusterRow, a photo's a FileRow; their labels are made here on
every draw (row_label.py lays them out), so a decision only needs its rows redrawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.style import Style
from rich.text import Text

from ...core.cluster import LOCK, Cluster, Member
from ...core.review import Review
from ...core.scan import display_name
from .row_label import DETAIL_STYLE, KEEPER_STYLE, MARKED_STYLE, cluster_row_label, file_row_label

REVIEWED = "✓ "
"""Before a cluster's label: a decision was made in it."""
NEW_PHOTOS = "+ "
"""Before a cluster's label: reviewed before, but photos joined it since."""

LOOKS_DIFFERENT = "looks different up close"
KEEPER_GREY = "keeper greyscale"
"""On a colour photo whose keeper is its greyscale copy: `a` and `A` leave it unmarked."""
LOOKS_DIFFERENT_STYLE = Style(color="yellow", bold=True)
IDENTICAL_STYLE = Style(color="cyan")


@dataclass(frozen=True, slots=True)
class ClusterRow:
    """Data of a cluster's node."""

    cluster: Cluster
    number: int


@dataclass(frozen=True, slots=True)
class FileRow:
    """Data of a photo's node."""

    cluster: Cluster
    member: Member

    @property
    def path(self) -> Path:
        return self.member.summary.path

    @property
    def is_keeper(self) -> bool:
        return self.member.summary is self.cluster.keeper


Row = ClusterRow | FileRow


def cluster_label(review: Review, cluster: Cluster, icon: str = "", width: int = 0) -> Text:
    """A cluster's row: reviewed (or new photos), how many photos and marked, what `a` then
    deleting frees (Review.to_free) and what marking by hand would free more."""
    if review.is_reviewed(cluster):
        icon += REVIEWED
    elif review.has_new_photos(cluster):
        icon += NEW_PHOTOS
    marked = review.marked_in(cluster)
    to_free, by_hand = review.to_free(cluster)
    return cluster_row_label(
        len(cluster),
        marked,
        to_free,
        by_hand=by_hand,
        icon=icon,
        width=width,
        locked=not marked and not cluster.markable,
    )


def file_label(
    review: Review,
    row: FileRow,
    folders: Sequence[Path],
    failures: Mapping[Path, str],
    width: int = 0,
) -> Text:
    """A photo's row: its mark, name (relative to the folder holding it), tags, the note (why
    a batch failed on it, the keeper marked, the strict check's flag), difference and size."""
    summary = row.member.summary
    marked = review.is_marked(summary.path)
    member = row.member
    tags: list[tuple[str, Style]] = []
    if member.protected:
        tags.append((f" {LOCK}", KEEPER_STYLE))
    others = len(member.names.other_names)
    if others:
        tags.append((f"  +{others} name" + ("s" if others > 1 else ""), DETAIL_STYLE))
    if member.names.is_link:
        tags.append(("  link", DETAIL_STYLE))
    if member.identical:
        tags.append(("  identical", IDENTICAL_STYLE))
    failure = failures.get(summary.path) if marked else None
    note = failure or ""
    if row.is_keeper and marked:
        note = "keeper, marked!"
    note_style = MARKED_STYLE
    if member.looks_different:  # the strict check's flag: never dropped for room
        note = f"{note} · {LOOKS_DIFFERENT}" if note else LOOKS_DIFFERENT
        note_style = MARKED_STYLE if failure else LOOKS_DIFFERENT_STYLE
    elif member.keeps_the_colour:  # why `a` and `A` leave it: never dropped for room
        note = f"{note} · {KEEPER_GREY}" if note else KEEPER_GREY
        note_style = MARKED_STYLE if failure else LOOKS_DIFFERENT_STYLE
    return file_row_label(
        display_name(summary.path, folders),
        marked=marked,
        is_keeper=row.is_keeper,
        difference=row.member.difference,
        size=summary.size,
        dimensions=(summary.width, summary.height),
        note=note,
        note_style=note_style,
        tags=tags,
        width=width,
        flag=note_style is LOOKS_DIFFERENT_STYLE,  # a flag, not why a batch failed
    )
