"""Quitting ends the process within a second, whatever a worker thread is stuck on."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PIL import Image

STUCK = textwrap.dedent(
    """
    import sys, threading, time
    from pathlib import Path
    from textual.app import App
    from simdup_tui.core import scan as scan_module
    from simdup_tui.ui import app as app_module
    from simdup_tui.ui.config import AppConfig

    # A read that never returns, as on a dead network drive: every scan worker gets stuck.
    scan_module.summarise = lambda path: threading.Event().wait()
    run = App.run
    App.run = lambda self, **options: run(self, headless=True, **options)

    def quit_once_stuck(self):
        def quit_now():
            print("quitting", flush=True)
            self.action_request_quit()
        self.set_timer(0.5, quit_now)

    app_module.SimdupApp.on_ready = quit_once_stuck
    app_module.run_app(AppConfig(directory=Path(sys.argv[1]), use_cache=False))
    """
)


def test_quit_ends_the_process_while_a_worker_is_stuck(tmp_path: Path) -> None:
    for name in ("a.jpg", "b.jpg"):
        Image.new("RGB", (32, 32), (10, 20, 30)).save(tmp_path / name)
    child = subprocess.Popen([sys.executable, "-c", STUCK, str(tmp_path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert child.stdout.readline().strip() == "quitting"
        asked = time.monotonic()
        code = child.wait(timeout=10)
        took = time.monotonic() - asked
    finally:
        child.kill()
    assert code == 0, child.stderr.read()
    assert took < 2.0, f"the process ended {took:.1f} s after quit"  # 0.5 s grace + CI jitter
