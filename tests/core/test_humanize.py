"""Numbers and names as a person reads them."""

from __future__ import annotations

import os

from simdup_tui.core.humanize import format_bytes, format_threshold, plural, printable


def test_format_bytes_uses_decimal_units() -> None:
    assert format_bytes(0) == "0 B"
    assert format_bytes(999) == "999 B"
    assert format_bytes(1536) == "1.5 kB"
    assert format_bytes(740_500) == "740.5 kB"
    assert format_bytes(2_600_000) == "2.6 MB"


def test_plural() -> None:
    assert plural(1, "photo") == "1 photo"
    assert plural(2, "photo") == "2 photos"


def test_printable_escapes_what_a_terminal_cannot_show() -> None:
    assert printable(os.fsdecode(b"caf\xe9.jpg")) == "caf\\xe9.jpg"  # the byte, as ls -b shows it
    assert printable("line\nbreak.jpg") == "line\\nbreak.jpg"
    assert printable("été [draft].jpg") == "été [draft].jpg"  # ordinary names untouched
    printable("odd\ud800.jpg").encode("utf-8")  # a lone surrogate never reaches the screen


def test_display_path_shortens_the_home_folder(monkeypatch) -> None:
    from simdup_tui.core.humanize import display_path

    monkeypatch.setenv("HOME", "/home/ann")
    assert display_path("/home/ann/Pictures/a.jpg") == "~/Pictures/a.jpg"
    assert display_path("/home/ann") == "~"
    assert display_path("/home/anna/b.jpg") == "/home/anna/b.jpg"  # not under it
    assert display_path("/srv/x\n.jpg") == "/srv/x\\n.jpg"  # still printable


def test_printable_exact_keeps_every_escape_unambiguous() -> None:
    assert printable("a\\nb.jpg", exact=True) == "a\\\\nb.jpg"
    assert printable("a\nb.jpg", exact=True) == "a\\nb.jpg"
    assert printable(os.fsdecode(b"\\xe9"), exact=True) != printable(
        os.fsdecode(b"\xe9"), exact=True
    )


def test_a_tiny_threshold_is_never_shown_as_zero() -> None:
    assert format_threshold(0.07) == "0.07"
    assert format_threshold(0.065) == "0.065"
    assert format_threshold(1e-300) == "1e-300"
    assert format_threshold(0.0000004) == "4e-07"
