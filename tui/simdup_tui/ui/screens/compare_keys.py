"""The compare view's keys: mark, keep this one instead, next photo or cluster, back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ...core.cluster import Cluster, make_cluster
from ...core.review import Review
from ...core.summary import Summary


@dataclass(frozen=True, slots=True)
class CompareOutcome:
    """What the compare view changed, for the screen behind it (the review is shared, live)."""

    path: Path | None
    """The photo shown last: the cursor goes there."""
    keepers: frozenset[Path] = field(default_factory=frozenset)
    """Photos the person chose to keep there (`p`): the clusters are rebuilt around them."""


class CompareKeys:
    """Actions of CompareScreen, whose BINDINGS name them; mixed into it."""

    if TYPE_CHECKING:
        clusters: list[Cluster]
        index: int
        position: int
        review: Review
        chosen: set[Path]
        on_change: Callable[[], None]

        @property
        def cluster(self) -> Cluster: ...
        @property
        def photo(self) -> Summary: ...
        @property
        def keeper(self) -> Summary: ...
        def _position_of(self, path: Path | None) -> int: ...
        def _show_text(self) -> None: ...
        def _show_pair(self) -> None: ...
        def notify(self, message: str, **kwargs: object) -> None: ...
        def dismiss(self, result: CompareOutcome) -> object: ...

    def action_toggle_mark(self) -> None:
        member = self.cluster.others[self.position]
        if self.review.toggle(self.cluster, member) is None:
            self.notify("This photo is protected: it cannot be marked.", severity="warning")
            return
        self.on_change()
        self._show_text()

    def action_keep_this(self) -> None:
        """The photo on the left becomes the keeper; the old keeper moves to the left."""
        old_keeper, photo = self.keeper.path, self.photo
        self.review.choose_keeper(self.cluster, photo.path)
        self.on_change()
        self.chosen.add(photo.path)
        # Shown at once around the new keeper; the screen behind rebuilds every cluster.
        members = [member.summary for member in self.cluster.members]
        duplicates = self.review.duplicates
        grey = duplicates.grey if duplicates is not None else True  # --no-grey stays off
        self.clusters[self.index] = make_cluster(members, keeper=photo, grey=grey)
        self.position = self._position_of(old_keeper)
        self.notify("This photo is now the keeper.", timeout=3)
        self._show_pair()

    def action_photo(self, step: int) -> None:
        count = len(self.cluster.others)
        if count < 2:
            self.notify("This cluster has no other photo to compare.", timeout=3)
            return
        self.position = (self.position + step) % count
        self._show_pair()

    def action_cluster(self, step: int) -> None:
        index = self.index + step
        if not 0 <= index < len(self.clusters):
            self.notify("This is the last cluster." if step > 0 else "This is the first cluster.",
                        timeout=3)  # fmt: skip
            return
        self.index, self.position = index, 0
        self._show_pair()

    def action_back(self) -> None:
        self.dismiss(CompareOutcome(self.photo.path, frozenset(self.chosen)))
