"""The keys that open views: compare a photo with its keeper, the sharp view, errors, help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core.review import Review
from ...core.scan import ScanResult
from ..config import AppConfig
from ..widgets.cluster_tree import ClusterTree, FileRow
from .compare import CompareOutcome, CompareScreen
from .errors import ErrorsScreen
from .help import HelpScreen

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from ...core.cluster import Cluster
    from ..widgets.preview import PreviewPane

PREVIEW_MIN_COLUMNS = 16
"""Fewer visible columns than this and the preview counts as hidden (a summary is 16 wide)."""


class ViewKeys:
    """Actions of the main screen for c/Enter on a photo, z, e and ?; mixed into MainScreen,
    whose BINDINGS name them."""

    config: AppConfig
    root: Path
    review: Review
    result: ScanResult | None

    if TYPE_CHECKING:
        tree: ClusterTree
        preview: PreviewPane

        def _save(self) -> None: ...
        def _regroup(self, cursor_path: Path | None) -> None: ...
        def _show_cursor_in_preview(self) -> None: ...
        def update_status(self) -> None: ...
        def notify(self, message: str, **kwargs: object) -> None: ...  # type: ignore[override]

    # Views ------------------------------------------------------------------

    def action_compare(self) -> None:
        """The highlighted photo (or the cluster's first non-keeper) beside its keeper."""
        row = self.tree.cursor_row
        if row is None:
            self.notify("Nothing to compare yet: no cluster is highlighted.", timeout=4)
            return
        shown = self.review.shown_clusters()
        index = next(i for i, cluster in enumerate(shown) if cluster is row.cluster)
        path = row.path if isinstance(row, FileRow) else None
        screen = self._compare_screen
        if screen is None:
            screen = self._new_compare(shown, index, path)
        else:
            screen.reopen(shown, index, path, self.review)
        self.app.push_screen(screen, self._after_compare)

    _compare_screen: CompareScreen | None = None
    """Kept between opens (installed): later opens skip composing and styling it again."""

    def _new_compare(
        self, shown: Sequence[Cluster], index: int, path: Path | None
    ) -> CompareScreen:
        screen = CompareScreen(
            shown,
            index,
            path,
            self.review,
            color_mode=self.config.color_mode,
            graphics=self.config.graphics,
            on_change=self._save,
        )
        self.app.install_screen(screen, name=f"compare-{id(self)}")
        self._compare_screen = screen
        return screen

    def prepare_compare(self) -> None:
        """Compose and mount the compare view now, off screen (called once the clusters are
        drawn, while the person looks at them): the first `c` then only shows it. Without
        Textual's `_get_screen` (a later Textual), the first `c` composes it instead."""
        shown = self.review.shown_clusters()
        if self._compare_screen is not None or not shown:
            return
        start = getattr(self.app, "_get_screen", None)
        if start is None:
            return
        start(self._new_compare(shown, 0, None))

    def on_cluster_tree_compare_requested(self, message: ClusterTree.CompareRequested) -> None:
        self.action_compare()

    def _after_compare(self, outcome: CompareOutcome | None) -> None:
        """Decisions made there are the review's: regroup after a keeper choice, else redraw."""
        if outcome is None:
            return
        self._save()
        if outcome.keepers:
            self._regroup(outcome.path)
            return
        self.tree.redraw()
        if outcome.path is not None:
            self.tree.move_to_path(outcome.path)
        self._show_cursor_in_preview()
        self.update_status()

    def action_sharp(self) -> None:
        """The sharp view lives in the preview pane: when the pane is not on screen, say so."""
        preview = self.preview
        visible = preview.region.intersection(self.region)
        if visible.width < PREVIEW_MIN_COLUMNS:
            self.notify(
                f"z has no room: the preview pane is not shown at {self.size.width} columns. "
                "Widen the terminal, or press c to compare the photo with its keeper.",
                timeout=5,
            )
            return
        if preview.summary is None:
            self.notify("z shows a photo: no photo is highlighted.", timeout=4)
            return
        preview.toggle_sharp()

    def action_errors(self) -> None:
        errors = self.result.errors if self.result is not None else ()
        self.app.push_screen(ErrorsScreen(errors, self.root))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.active_bindings))  # the keys as they are now
