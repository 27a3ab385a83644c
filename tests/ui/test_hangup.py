"""A frozen, then dropped SSH connection: nobody reads the terminal, SIGHUP arrives, and the app
ends (Textual's writer thread, blocked on the full terminal, used to keep it alive for good)."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path


def test_the_app_ends_after_a_hangup_even_with_its_terminal_gone(gallery: Path) -> None:
    main, terminal = pty.openpty()
    app = subprocess.Popen(
        [sys.executable, "-m", "simdup_tui", str(gallery), "--no-cache"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(terminal)
    try:
        seen = b""
        deadline = time.monotonic() + 30
        while b"photos" not in seen and time.monotonic() < deadline:  # the app has drawn
            ready, _, _ = select.select([main], [], [], 0.5)
            if ready:
                seen += os.read(main, 65536)
        assert b"photos" in seen, "the app never drew"
        for _ in range(100):  # keys keep it redrawing while nobody reads: the terminal fills
            os.write(main, b"jk")
        time.sleep(1)
        app.send_signal(signal.SIGHUP)  # then the hang-up arrives
        assert app.wait(timeout=10) == 128 + signal.SIGHUP
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        os.close(main)
