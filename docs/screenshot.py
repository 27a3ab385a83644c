"""Regenerate docs/screenshot.svg: the app on the demo gallery, as the README shows it.

TZ=UTC python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from simdup_tui.demo import make_demo_gallery
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.color_mode import ColorMode
from simdup_tui.ui.config import AppConfig

GALLERY = Path("/tmp/simdup-demo")
OUTPUT = Path(__file__).with_name("screenshot.svg")


async def main() -> None:
    shutil.rmtree(GALLERY, ignore_errors=True)
    GALLERY.mkdir(parents=True)
    make_demo_gallery(GALLERY)
    app = SimdupApp(AppConfig(GALLERY, color_mode=ColorMode.TRUECOLOR, use_cache=False))
    async with app.run_test(size=(110, 32)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("j", "j", "space", "j", "space", "k")
        await pilot.pause()
        app.save_screenshot(OUTPUT.name, str(OUTPUT.parent))
    shutil.rmtree(GALLERY, ignore_errors=True)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    asyncio.run(main())
