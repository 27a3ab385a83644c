"""Clusters and their members: the keeper and why it is kept, each member's difference to it,
what each photo frees. How close pairs become clusters is clustering.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .grey import GREY_COPY, GREY_KEEPER, compare, is_grey
from .keeper import KeeperRules
from .names import PLAIN, FileNames
from .summary import Summary

LOCK = "🔒"
"""Shown beside a protected photo."""


@dataclass(frozen=True, slots=True)
class Member:
    """A photo in a cluster and how far it is from the cluster's keeper."""

    summary: Summary
    difference: float
    """Difference to the keeper (0.0 for the keeper itself)."""
    names: FileNames = PLAIN
    """Its other names, and whether deleting it frees its bytes."""
    protected: bool = False
    """Inside a --protect folder: never marked, never deleted."""
    identical: bool = False
    """Its bytes are the keeper's bytes (checked by hashing): deleting it loses nothing."""
    looks_different: bool = False
    """The strict check rejects it against the keeper ("looks different up close"): `a` and
    `A` leave it unmarked. Set by strict.annotate, never by the 16x16 test."""
    grey_copy: bool = False
    """Exactly one of it and its keeper is greyscale: their difference is on brightness
    (grey.compare), the grey-copy match that linked them."""

    def notes(self, rel: Callable[[Path], str] = str) -> list[str]:
        """Words about this photo for people: identical, greyscale copy, its other names, link,
        protected."""
        notes = []
        if self.identical:
            notes.append("identical")
        if self.grey_copy:
            notes.append(self.grey_note)
        others = self.names.other_names
        if others:
            noun = "name" if len(others) == 1 else "names"
            notes.append(f"+{len(others)} {noun}: " + ", ".join(rel(name) for name in others))
        elif self.names.links > 1:
            notes.append(f"{self.names.links} hard links")
        if self.names.is_link:
            notes.append("link")
        if self.protected:
            notes.append(f"{LOCK} protected")
        return notes

    @property
    def grey_note(self) -> str:
        """Why its difference is on brightness (grey.GREY_COPY or GREY_KEEPER); "" if it is not."""
        if not self.grey_copy:
            return ""
        return GREY_COPY if is_grey(self.summary) else GREY_KEEPER

    @property
    def keeps_the_colour(self) -> bool:
        """It is in colour and its keeper is greyscale: deleting it would leave only the grey
        copy, so `a` and `A` leave it unmarked (it can still be marked by hand)."""
        return self.grey_copy and not is_grey(self.summary)

    @property
    def frees(self) -> int:
        """Bytes that deleting this name frees (0 for a link, another hard link, protected)."""
        return self.summary.size if self.names.frees_space and not self.protected else 0

    @property
    def suggested(self) -> bool:
        """`a` and `A` mark it (unless it is the keeper, or the path filter hides it): not
        protected, not flagged "looks different up close", not the colour photo under a
        greyscale keeper. The one rule for what the app offers to delete and what a
        cluster's "to free" counts."""
        return not (self.protected or self.looks_different or self.keeps_the_colour)


@dataclass(frozen=True, slots=True)
class Cluster:
    """A keeper and the photos within the threshold of it; members[0] is the keeper."""

    members: tuple[Member, ...]
    why: str = ""
    """Why members[0] is the keeper ("most pixels; tie: camera original")."""

    @property
    def keeper(self) -> Summary:
        return self.members[0].summary

    @property
    def others(self) -> tuple[Member, ...]:
        return self.members[1:]

    @property
    def reclaimable(self) -> int:
        """Bytes freed by marking the cluster with `a` and deleting: every suggested photo but
        the keeper (links, other hard links and protected photos free none)."""
        return space_of(self.others)[0]

    @property
    def by_hand(self) -> int:
        """Bytes more that only marking by hand frees: the photos `a` leaves unmarked (looks
        different up close, the colour photo under a greyscale keeper)."""
        return space_of(self.others)[1]

    @property
    def markable(self) -> tuple[Member, ...]:
        """The members that may be marked: not the keeper, not protected."""
        return tuple(member for member in self.others if not member.protected)

    def __len__(self) -> int:
        return len(self.members)


def space_of(others: Iterable[Member]) -> tuple[int, int]:
    """(bytes `a` frees, bytes more only marking by hand frees) among these non-keepers: the
    one computation behind every "to free" figure (tree rows, sort, --list, --json)."""
    suggested = by_hand = 0
    for member in others:
        if member.suggested:
            suggested += member.frees
        else:
            by_hand += member.frees
    return suggested, by_hand


def sort_by_space(clusters: list[Cluster]) -> None:
    """Most space to free first (Cluster.reclaimable), then by keeper path; in place."""
    clusters.sort(key=lambda cluster: (-cluster.reclaimable, str(cluster.keeper.path)))


DEFAULT_RULES = KeeperRules()


def keeper_rank(summary: Summary) -> tuple[object, ...]:
    """Sort key of the default rules: the best keeper first."""
    return DEFAULT_RULES.rank(summary)


def connected_components(count: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Groups of two or more indices linked by pairs (union-find with path halving)."""
    parent = list(range(count))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for left, right in pairs:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            if root_left < root_right:
                parent[root_right] = root_left
            else:
                parent[root_left] = root_right
    groups: dict[int, list[int]] = {}
    for index in range(count):
        groups.setdefault(find(index), []).append(index)
    return [group for group in groups.values() if len(group) > 1]


def _member(summary: Summary, diff: float, rules: KeeperRules, grey_copy: bool = False) -> Member:
    return Member(
        summary,
        diff,
        rules.names.get(summary.path, PLAIN),
        rules.is_protected(summary.path),
        grey_copy=grey_copy,
    )


def make_cluster(
    summaries: Sequence[Summary],
    keeper: Summary | None = None,
    rules: KeeperRules | None = None,
    *,
    grey: bool = True,
) -> Cluster:
    """A cluster of these photos around the given keeper (or the best by the rules); the
    others sorted by difference (grey.compare: on brightness between a grey photo and a colour
    one, unless `grey` is False), then path."""
    rules = rules or DEFAULT_RULES
    chosen = keeper if keeper is not None else rules.best(summaries)
    rest = [summary for summary in summaries if summary is not chosen]
    members = [_member(chosen, 0.0, rules)]
    compared = [(summary, compare(chosen, summary, grey=grey)) for summary in rest]
    members += sorted(
        (_member(summary, c.difference, rules, c.on_brightness) for summary, c in compared),
        key=lambda member: (member.difference, str(member.summary.path)),
    )
    return Cluster(tuple(members), rules.why(chosen, rest))
