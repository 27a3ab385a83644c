"""The graphics mode comes from the terminal's own answers (faked here on a pseudo-terminal)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest

from simdup_tui.ui.graphics_mode import GraphicsMode, detect_graphics_mode

CHILD = (
    "from simdup_tui.ui.graphics_mode import probe_terminal;"
    "print('MODE=' + probe_terminal().value, flush=True)"
)
DA1_QUERY = b"\x1b[c"
KITTY_QUERY = b"\x1b_G"


def run_on_fake_terminal(answers: dict[bytes, bytes]) -> str:
    """Run probe_terminal() on a pty; answer each query it sends with answers[query]."""
    controller, terminal = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TERM": "xterm-256color"},
        close_fds=True,
    )
    os.close(terminal)
    seen = b""
    answered: set[bytes] = set()
    deadline = time.monotonic() + 20
    try:
        while not seen.rstrip().endswith((b"MODE=kitty", b"MODE=sixel", b"MODE=halfblock")):
            if time.monotonic() > deadline:
                raise AssertionError(f"no answer from the child: {seen!r}")
            ready, _, _ = select.select([controller], [], [], 0.05)
            if not ready:
                continue
            try:
                seen += os.read(controller, 4096)
            except OSError:
                break
            for query, answer in answers.items():
                if query in seen and query not in answered:
                    answered.add(query)
                    os.write(controller, answer)
    finally:
        child.wait(timeout=20)
        os.close(controller)
    return seen.split(b"MODE=")[-1].split()[0].decode()


def test_a_sixel_terminal_is_recognised_from_its_device_attributes() -> None:
    assert run_on_fake_terminal({DA1_QUERY: b"\x1b[?62;4;22c"}) == "sixel"


def test_a_kitty_terminal_is_recognised_from_its_graphics_answer() -> None:
    answers = {DA1_QUERY: b"\x1b[?62;22c", KITTY_QUERY: b"\x1b_Gi=1;OK\x1b\\"}
    assert run_on_fake_terminal(answers) == "kitty"


def test_a_terminal_that_does_not_answer_gets_half_blocks() -> None:
    assert run_on_fake_terminal({}) == "halfblock"


def test_the_flag_overrides_the_terminal_and_rejects_unknown_values() -> None:
    assert detect_graphics_mode("halfblock") is GraphicsMode.HALFBLOCK
    assert detect_graphics_mode("  Sixel ") is GraphicsMode.SIXEL
    with pytest.raises(ValueError, match="--graphics must be one of"):
        detect_graphics_mode("iterm")


def test_without_a_terminal_auto_means_half_blocks() -> None:
    assert detect_graphics_mode("auto") is GraphicsMode.HALFBLOCK  # pytest's stdout is no tty


def test_late_answers_are_dropped_and_typed_keys_kept() -> None:
    from simdup_tui.ui.graphics_mode import typed_characters

    late = "\x1b[?62;4;22c" + "a" + "\x1b_Gi=1;OK\x1b\\" + "\x1b[6;20;10t" + "q"
    assert typed_characters(late) == "aq"  # '?' and '1' of an answer never become keys
    assert typed_characters("\x1b]11;rgb:0000/0000/0000\x07x") == "x"
