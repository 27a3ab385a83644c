"""The tree's row labels as columns, pure functions of a row's data and the width it gets.

A photo's row reads `[x] name…  difference  size`: the mark, the name shortened in the middle
(the start of its path and its whole file name kept where they fit), then the difference and
the size, always shown and aligned at the right edge. A cluster's row says what its figure is:
`4 photos · 1 marked        6.9 MB to free` (what `a` then deleting frees), with
`+2.1 MB by hand` after it when the photos `a` leaves unmarked would free more.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from ...core.humanize import format_bytes, format_difference, format_to_free, plural, printable

MARKED = "[x]"
UNMARKED = "[ ]"
KEEPER = "[K]"
ELLIPSIS = "…"

MARKED_STYLE = Style(color="red", bold=True)
KEEPER_STYLE = Style(color="green", bold=True)
DETAIL_STYLE = Style(dim=True)

DIFFERENCE_WIDTH = 6
"""'0.0123' or '  keep'."""
SIZE_WIDTH = 8
"""'999.9 kB'."""
DIMENSIONS_WIDTH = 9
"""'4000x3000'; shown only when the row is at least DIMENSIONS_FROM wide."""
DIMENSIONS_FROM = 64
MIN_NAME = 8
"""A name never gets fewer columns than this (the figures give way first, from the right)."""
MIN_FLAG = 7
"""A flag (`flag=True`) is cut to no fewer columns than this, with '…', before a figure goes."""


def take_start(text: str, cells: int) -> str:
    """The longest start of `text` that fits in `cells` terminal columns."""
    taken, used = [], 0
    for char in text:
        width = cell_len(char)
        if used + width > cells:
            break
        taken.append(char)
        used += width
    return "".join(taken)


def take_end(text: str, cells: int) -> str:
    """The longest end of `text` that fits in `cells` terminal columns."""
    return take_start(text[::-1], cells)[::-1]


def shorten_middle(path: str, cells: int) -> str:
    """`path` in at most `cells` columns, cut in the middle with '…'.

    Keeps the whole file name and as much of the path's start as fit
    ('WhatsApp/Media/…/IMG-1.jpg'); a file name too long alone keeps its start and its end
    (the extension): 'IMG_2023…0412.jpg'.
    """
    if cells <= 0:
        return ""
    if cell_len(path) <= cells:
        return path
    if cells == 1:
        return ELLIPSIS
    folder, slash, name = path.rpartition("/")
    if folder and cell_len(name) + 2 <= cells:
        return take_start(folder, cells - cell_len(name) - 2) + ELLIPSIS + slash + name
    start = (cells - 1 + 1) // 2
    return take_start(name, start) + ELLIPSIS + take_end(name, cells - 1 - start)


def file_row_label(
    name: str,
    *,
    marked: bool,
    is_keeper: bool,
    difference: float,
    size: int,
    dimensions: tuple[int, int],
    note: str = "",
    note_style: Style = MARKED_STYLE,
    tags: Sequence[tuple[str, Style]] = (),
    width: int = 0,
    flag: bool = False,
) -> Text:
    """A photo's row in `width` columns (0: unknown, laid out without padding).

    `name` is the path as shown (relative to the scanned folder); `tags` (short words such as
    '  identical', each with its leading space and its style) and `note` (a failure, or that
    the keeper is marked) follow the name; the tags give way before the name, the name before
    the note. A `flag` note (looks different up close, keeper greyscale: on every such photo,
    whose size its cluster counts "by hand") is cut with '…' down to MIN_FLAG columns before
    the figures give way (the name keeps up to 16 columns before it, not 24).
    """
    text = Text(no_wrap=True, end="")
    if marked:
        text.append(MARKED, MARKED_STYLE)
    elif is_keeper:
        text.append(KEEPER, KEEPER_STYLE)
    else:
        text.append(UNMARKED)
    text.append(" ")
    figure = "keep" if is_keeper else format_difference(difference)
    figures = [figure.rjust(DIFFERENCE_WIDTH), format_bytes(size).rjust(SIZE_WIDTH)]
    if width >= DIMENSIONS_FROM:
        figures.append(f"{dimensions[0]}x{dimensions[1]}".rjust(DIMENSIONS_WIDTH))
    name = printable(name)
    if width <= 0:
        text.append(name)
        for tag, style in tags:
            text.append(tag, style)
        if note:
            text.append(f"  {note}", note_style)
        text.append("".join(f"  {f.strip()}" for f in figures), DETAIL_STYLE)
        return text
    # On the rare row with a note (why a file failed), which file and why are worth more than
    # the figures.
    if note and flag:
        needed = MIN_NAME + min(cell_len(note) + 1, MIN_FLAG)
    elif note:
        needed = max(MIN_NAME, min(cell_len(name), 24)) + cell_len(note) + 1
    else:
        needed = MIN_NAME
    right = "".join(f"  {f}" for f in figures)
    while figures and width - text.cell_len - cell_len(right) < needed:
        figures.pop()  # too narrow: the dimensions, the size, then the difference give way
        right = "".join(f"  {f}" for f in figures)
    room = max(0, width - text.cell_len - cell_len(right))
    note_room = 0
    if note:  # which file first (up to 24 columns of its name), then why, cut with '…'
        wanted = cell_len(note) + 1
        least, name_first = (MIN_FLAG, MIN_NAME * 2) if flag else (13, 24)
        note_room = max(min(wanted, room - min(cell_len(name), name_first)), min(wanted, least))
        note_room = max(0, min(note_room, room - MIN_NAME))
    tag_room = max(0, room - note_room - min(cell_len(name), MIN_NAME * 2))
    shown_tags: list[tuple[str, Style]] = []
    for tag, style in tags:  # whole tags only, while the name keeps enough of itself
        if cell_len(tag) > tag_room:
            break
        shown_tags.append((tag, style))
        tag_room -= cell_len(tag)
    tag_cells = sum(cell_len(tag) for tag, _ in shown_tags)
    text.append(shorten_middle(name, room - note_room - tag_cells))
    for tag, style in shown_tags:
        text.append(tag, style)
    if note:
        shown_note = f" {note}"
        if cell_len(shown_note) > note_room:
            shown_note = take_start(shown_note, max(0, note_room - 1)) + ELLIPSIS
        text.append(shown_note, note_style)
    text.append(" " * max(0, width - text.cell_len - cell_len(right)))
    text.append(right, DETAIL_STYLE)
    return text


def cluster_row_label(
    photos: int,
    marked: int,
    reclaimable: int,
    *,
    by_hand: int = 0,
    icon: str = "",
    width: int = 0,
    locked: bool = False,
) -> Text:
    """A cluster's row: how many photos (and marked, or locked: nothing in it may be marked),
    and its figure named (humanize.format_to_free): 'X to free' is what `a` then deleting
    frees; '+Y by hand' follows when the photos `a` leaves would free more.

    When the row is too narrow, '+Y by hand' shortens to '+Y', then goes; then the marked
    count goes (and the by-hand figure may come back); then 'to free' goes and the photo
    count is cut with '…': the bytes X are never cut."""
    figures = [format_to_free(reclaimable)]
    if by_hand:
        figures[:0] = [
            format_to_free(reclaimable, by_hand),
            format_to_free(reclaimable, by_hand, short=True),
        ]
    counts = [plural(photos, "photo")]
    if marked:
        counts.append(f" · {marked} marked")
    elif locked:
        counts.append(" · 🔒 nothing to mark")

    def start(with_detail: bool) -> Text:
        text = Text(no_wrap=True, end="")
        text.append(icon)
        text.append(counts[0], Style(bold=True))
        if with_detail:
            text.append(counts[1], MARKED_STYLE if marked else DETAIL_STYLE)
        return text

    if width <= 0:
        text = start(len(counts) > 1)
        text.append(f" · {figures[0]}", DETAIL_STYLE)
        return text
    details = (True, False) if len(counts) > 1 else (False,)
    layouts = [(detail, figure) for detail in details for figure in figures]
    for detail, figure in layouts:
        text = start(detail)
        gap = width - text.cell_len - cell_len(figure)
        if gap >= 2:
            break
    else:
        if gap < 1:  # narrower still: the bytes alone, the count cut before them, never them
            figure = format_bytes(reclaimable)
            text = start(False)
            text.truncate(max(0, width - cell_len(figure) - 1), overflow="ellipsis")
            gap = width - text.cell_len - cell_len(figure)
    text.append(" " * max(1, gap))
    text.append(figure, DETAIL_STYLE)
    text.truncate(width, overflow="ellipsis")
    return text
