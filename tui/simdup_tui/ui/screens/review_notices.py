"""The review in words: the status line's parts and the notices after review decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from rich.console import Console
from rich.text import Text

from ...core.humanize import display_path, format_bytes, plural, printable
from ...core.review import Dropped, Order, Review
from ...core.scan import ScanResult, relative_to
from ...core.walk import has_subfolders
from .. import wording
from ..config import AppConfig
from ..widgets.cluster_tree import FileRow, Row

Severity = Literal["information", "warning", "error"]


STATUS_LINES = 2
"""The status line's height at most (app.tcss #status max-height)."""


def fit_status(folders: str, rest: list[str], console: Console, width: int) -> Text:
    """The status line: the folders, then the rest, joined by " · ". When it would take more
    than STATUS_LINES lines of `width` cells, the folders give way (their start cut, "…"), so
    the marks and totals after them stay in view. When even "…" and the rest are too long (a
    narrow terminal), the first parts give way too, whole ("…" in their place): the last
    parts (marks, errors) are never cut off in the middle of a figure."""

    def line(shown: str, parts: list[str]) -> Text:
        return Text(" · ".join([shown, *parts]))

    def fits(text: Text) -> bool:
        return len(text.wrap(console, width)) <= STATUS_LINES

    text = line(folders, rest)
    if width <= 0 or fits(text):
        return text
    if not fits(line("…", rest)):
        for first in range(1, len(rest)):
            text = line("…", rest[first:])
            if fits(text):
                return text
        return line("…", rest[-1:])  # as much as there is room for
    low, high = 0, len(folders)  # keep folders[cut:]: the largest cut that is needed
    while low < high:
        cut = (low + high) // 2
        if fits(line("…" + folders[cut:], rest)):
            high = cut
        else:
            low = cut + 1
    return line("…" + folders[low:], rest)


def status_parts(review: Review, shown: int) -> list[str]:
    """Progress, marks, the filter and the order, each in one place; `shown`: clusters shown."""
    total = len(review.clusters)
    if not total:
        return [wording.nothing_to_review(len(review.summaries))]
    parts = [f"{review.reviewed_count:,} of {total:,} {'cluster' if total == 1 else 'clusters'} "
             "reviewed"]  # fmt: skip
    if review.filter_text:
        parts.append(
            f"filter {printable(review.filter_text)!r}: {shown:,} shown, a/A act on shown only"
        )
    parts.append(f"{review.marked_count:,} marked ({format_bytes(review.marked_bytes)})")
    if review.order is not Order.SPACE or review.filter_text:
        parts.append(f"order: {review.order.value}")
    return parts


def dropped_notice(dropped: Dropped) -> str:
    """What a scan dropped from the saved review, and why."""
    what = []
    if dropped.marks:
        what.append(plural(dropped.marks, "mark"))
    if dropped.keepers:
        what.append(plural(dropped.keepers, "keeper choice"))
    if not what:
        what.append(plural(dropped.reviewed, "reviewed photo"))
    return (
        f"{' and '.join(what)} dropped: "
        f"{'that photo' if sum((dropped.marks, dropped.keepers)) == 1 else 'those photos'} "
        "changed or vanished since."
    )


def not_duplicate_notice(row: Row, recorded: bool | None, root: Path) -> tuple[Severity, str]:
    """What `x` recorded, or why it did not."""
    keeper = printable(relative_to(row.cluster.keeper.path, root))
    if isinstance(row, FileRow):
        name = printable(relative_to(row.path, root))
        if not recorded:
            return "warning", (
                f"{name} has the same content as {keeper} (same summary and size): "
                "it cannot be told apart, so nothing was recorded."
            )
        return "information", f"{name} is not a duplicate of {keeper}: recorded (I lists it)."
    if recorded is None:
        return "warning", (
            f"{plural(len(row.cluster), 'photo')} is too many to record one by one; press x on "
            "single photos instead."
        )
    if not recorded:
        return "warning", "These photos have the same content: nothing could be recorded."
    return "information", (
        f"None of these {len(row.cluster)} photos are duplicates of each other: recorded "
        "(I lists it)."
    )


def empty_text(
    review: Review, result: ScanResult | None, config: AppConfig, threshold: float
) -> str:
    """What the left pane says when no cluster is shown, and what to press about it."""
    if review.filter_text and review.clusters:
        return (
            f"No cluster has a photo whose path holds {printable(review.filter_text)!r}."
            "\nPress Escape to clear the filter, / to change it."
        )
    count = len(result.summaries) if result else 0
    errors = len(result.errors) if result else 0
    unreadable = f" ({plural(errors, 'file')} could not be read: press e)" if errors else ""
    if count == 0:
        return wording.no_photos_text(
            [display_path(folder) for folder in config.folders],
            recursive=config.recursive,
            subfolders=any(map(has_subfolders, config.folders)),
            unreadable=unreadable,
        )
    recorded = review.duplicates.recorded_count if review.duplicates is not None else 0
    text = wording.no_duplicates_text(count, threshold, unreadable, recorded)
    if count == 1:
        return f"{text}\nPress R to rescan, q to quit."
    keys = wording.RECORDED_KEYS if recorded else wording.HIGHER_THRESHOLD_KEYS
    return f"{text}\n{keys}"
