"""The core is a pure library: importing it, or running a headless report, never loads the UI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

IMPORT_EVERY_CORE_MODULE = """
import importlib, json, pkgutil, sys
import simdup_tui.core as core
names = sorted(m.name for m in pkgutil.iter_modules(core.__path__))
for name in names:
    importlib.import_module(f"simdup_tui.core.{name}")
importlib.import_module("simdup_tui.headless")
print(json.dumps({
    "modules": names,
    "loaded": sorted({m.split(".")[0] for m in sys.modules} & {"textual", "rich"}),
}))
"""

RUN_A_HEADLESS_REPORT = """
import json, sys
from simdup_tui.__main__ import main
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    status = main([sys.argv[1], "--json"])
print(json.dumps({
    "status": status,
    "loaded": sorted({m.split(".")[0] for m in sys.modules} & {"textual", "rich"}),
}))
"""


def run_python(code: str, *args: str) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_core_modules_never_import_the_ui() -> None:
    report = run_python(IMPORT_EVERY_CORE_MODULE)
    # The walk really found the core (an empty list would make this test pass for nothing).
    assert {"summary", "distance", "scan", "cluster", "duplicates", "errors"} <= set(
        report["modules"]
    )
    assert report["loaded"] == []


def test_a_headless_report_never_imports_the_ui(make_photo, tmp_path: Path) -> None:
    make_photo("a.jpg", seed=1)
    make_photo("b.jpg", seed=1, quality=50)
    report = run_python(RUN_A_HEADLESS_REPORT, str(tmp_path))
    assert report == {"status": 0, "loaded": []}
