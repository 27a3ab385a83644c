"""Numbers as a person reads them: byte sizes, differences, counts."""

from __future__ import annotations

import os


def format_bytes(count: int) -> str:
    """1536 -> '1.5 kB' (decimal units, as file managers show them)."""
    value = float(count)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(value) < 1000 or unit == "TB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def format_difference(value: float) -> str:
    """A difference as the tutorial prints it, to four places."""
    return f"{value:.4f}"


def format_threshold(value: float) -> str:
    """0.07 -> '0.07', 0.065 -> '0.065': as typed, never rounded to a value not in force."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if text in ("", "0") and value != 0:
        return f"{value:.3g}"  # 1e-300 is not 0: never show a threshold that is not in force
    return text or "0"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 photo', '2 photos'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def printable(text: str, *, exact: bool = False) -> str:
    """A file name safe to draw: undecodable bytes and control characters shown as escapes.

    With `exact`, a real backslash is doubled too, so every escape reads back to one name (a
    name holding the two characters `\\n` differs from one holding a newline): for output a
    script or a person compares, such as --list.
    """
    if exact:
        text = text.replace("\\", "\\\\")
    try:  # undecodable bytes come from os.fsdecode as surrogates: show them as \xNN
        safe = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if safe.isprintable():
        return safe
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in safe)


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as a person reads it: under the home folder it starts with ~ (as shells print
    it), and it is printable. "/home/ann/Photos" -> "~/Photos"."""
    text = os.fspath(path)
    home = os.path.expanduser("~").rstrip("/")
    if home and home != "~" and (text == home or text.startswith(home + "/")):
        text = "~" + text[len(home) :]
    return printable(text)


BY_HAND = "by hand"
"""After the bytes more that only marking by hand frees: the photos `a` and `A` leave
unmarked (looks different up close, the colour photo under a greyscale keeper)."""


def format_to_free(reclaimable: int, by_hand: int = 0, *, short: bool = False) -> str:
    """A cluster's space, the one wording for it: '6.9 MB to free' (what `a` then deleting
    frees), then '+2.1 MB by hand' when marking by hand frees more ('+2.1 MB' if `short`)."""
    text = f"{format_bytes(reclaimable)} to free"
    if by_hand:
        text += f" +{format_bytes(by_hand)}" + ("" if short else f" {BY_HAND}")
    return text
