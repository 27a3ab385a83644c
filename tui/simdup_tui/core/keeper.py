"""Keeper rules: which photo of a cluster is kept, in an order the person can change, and why."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SimdupError
from .grey import is_grey
from .names import PLAIN, FileNames
from .summary import Summary


@dataclass(frozen=True, slots=True)
class KeeperRule:
    """One way two photos are compared: the lower key is the better keeper."""

    name: str
    """The name used with --keep."""
    reason: str
    """How the rule reads when it decided ("most pixels")."""
    key: Callable[[Summary, FileNames], object]


RULES: dict[str, KeeperRule] = {
    rule.name: rule
    for rule in (
        KeeperRule("pixels", "most pixels", lambda s, n: -s.width * s.height),
        KeeperRule("colour", "in colour", lambda s, n: is_grey(s)),
        KeeperRule("original", "camera original", lambda s, n: not s.camera_original),
        KeeperRule(
            "oldest",
            "oldest",
            lambda s, n: s.taken_ns if s.taken_ns is not None else s.mtime_ns,
        ),
        KeeperRule("size", "larger file", lambda s, n: -s.size),
        KeeperRule("real", "real file, not a link", lambda s, n: n.is_link),
        KeeperRule("path", "shorter path", lambda s, n: len(os.fsencode(s.path))),
        KeeperRule("name", "name", lambda s, n: (os.path.basename(s.path), str(s.path))),
    )
}
"""Every rule by its --keep name."""

DEFAULT_ORDER = ("pixels", "colour", "original", "oldest", "size", "real", "path", "name")
"""Most pixels; in colour over greyscale (a colour photo over its grey copy); a camera original;
the oldest capture (else modification) time; the larger file; a real file over a link; the
shorter path; the name."""

PRESETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pixels first", DEFAULT_ORDER),
    ("originals first", ("original", "oldest", "pixels", "colour", "size", "real", "path", "name")),
    (
        "largest file first",
        ("size", "pixels", "colour", "original", "oldest", "real", "path", "name"),
    ),
    (
        "shortest path first",
        ("path", "pixels", "colour", "original", "oldest", "size", "real", "name"),
    ),
)
"""Useful orders the app cycles through (the first is the default)."""


def parse_keep(text: str) -> tuple[str, ...]:
    """`--keep RULE,RULE,...` as a full order: the named rules first, the rest in default order.

    Raises SimdupError naming the unknown rule and the known ones.
    """
    named = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not named:
        raise SimdupError(f"keeper rules needed, from: {','.join(DEFAULT_ORDER)}")
    for name in named:
        if name not in RULES:
            raise SimdupError(f"unknown rule {name!r}; the rules are {','.join(DEFAULT_ORDER)}")
    order = list(dict.fromkeys(named))
    return (*order, *(name for name in DEFAULT_ORDER if name not in order))


def order_name(order: Sequence[str]) -> str:
    """The preset's name of an order, else the order itself ("size,pixels,...")."""
    for name, preset in PRESETS:
        if tuple(order) == preset:
            return name
    return ",".join(order)


def next_preset(order: Sequence[str]) -> tuple[str, ...]:
    """The preset after this order (the first one when the order is not a preset)."""
    orders = [preset for _, preset in PRESETS]
    try:
        return orders[(orders.index(tuple(order)) + 1) % len(orders)]
    except ValueError:
        return orders[0]


def is_inside(path: Path, folders: Iterable[Path]) -> bool:
    """True when path is one of folders or lies under one (plain path comparison)."""
    text = str(path)
    for folder in folders:
        root = str(folder)
        if text == root or text.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


@dataclass(frozen=True)
class KeeperRules:
    """How keepers are chosen: a photo the person chose (`p`) first, then a protected one,
    then the rules in order."""

    order: tuple[str, ...] = DEFAULT_ORDER
    names: Mapping[Path, FileNames] = field(default_factory=dict)
    """Other names, links and symbolic links of photos (from the scan)."""
    protected: tuple[Path, ...] = ()
    """Folders or files (absolute) whose photos are never marked or deleted."""
    preferred: Collection[Path] = frozenset()
    """Photos the person chose to keep."""

    def __post_init__(self) -> None:
        unknown = [name for name in self.order if name not in RULES]
        if unknown:
            raise ValueError(f"unknown keeper rules: {unknown}")
        keys = tuple(RULES[name].key for name in self.order)
        object.__setattr__(self, "_keys", keys)

    def with_preferred(self, preferred: Collection[Path]) -> KeeperRules:
        return KeeperRules(self.order, self.names, self.protected, frozenset(preferred))

    def with_order(self, order: Sequence[str]) -> KeeperRules:
        return KeeperRules(tuple(order), self.names, self.protected, self.preferred)

    def names_of(self, path: Path) -> FileNames:
        return self.names.get(path, PLAIN)

    def is_protected(self, path: Path) -> bool:
        """True when this photo, or any other name of it (a hard link or a symbolic link the
        scan found), is under a protected path: protection belongs to the photo, not a name."""
        if not self.protected:
            return False
        if is_inside(path, self.protected):
            return True
        names = self.names.get(path)
        return names is not None and any(
            is_inside(other, self.protected) for other in names.other_names
        )

    def rank(self, summary: Summary) -> tuple[object, ...]:
        """Sort key: the best keeper first."""
        return (summary.path not in self.preferred, *self.rank_unchosen(summary))

    def rank_unchosen(self, summary: Summary) -> tuple[object, ...]:
        """`rank` without its first item (chosen by you): it does not depend on `preferred`,
        so a regroup after `p` can reuse it (see clustering.RankCache)."""
        path = summary.path
        names = self.names.get(path, PLAIN) if self.names else PLAIN
        keys: tuple[Callable[[Summary, FileNames], object], ...] = self._keys  # type: ignore[attr-defined]
        return (not self.is_protected(path), *[key(summary, names) for key in keys])

    def best(self, summaries: Iterable[Summary]) -> Summary:
        return min(summaries, key=self.rank)

    def why(self, keeper: Summary, others: Iterable[Summary]) -> str:
        """Why keeper is kept over the others: the deciding rules in order, ties after the first
        ("most pixels; tie: camera original"); "" when there is no other photo."""
        return self.why_ranked(self.rank(keeper), [self.rank(other) for other in others])

    def why_ranked(self, keeper: Sequence[object], others: Iterable[Sequence[object]]) -> str:
        """why() from ranks already computed."""
        labels = ["chosen by you", "protected", *(RULES[name].reason for name in self.order)]
        deciding: set[int] = set()
        for other in others:
            for index, (mine, theirs) in enumerate(zip(keeper, other, strict=True)):
                if mine != theirs:
                    deciding.add(index)
                    break
        if not deciding:
            return ""
        reasons = [labels[index] for index in sorted(deciding)]
        return "; ".join([reasons[0], *(f"tie: {reason}" for reason in reasons[1:])])
