"""Deleting with every safety on: identity checked from the folder, a journal line fsync'd
before each file, the spec's trash (reserve, move without replacing), then undo.

Writes N files of 200 kB into a temporary folder with its own home trash and journal, then
times in one run: trashing them all, undoing that, moving them all, undoing, and unlinking
them all; and, for scale, the same files trashed by send2trash (no identity check, no journal).

    python benchmarks/bench_delete.py [--files 1000] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench_cache import timed

from simdup_tui.core.deletion import execute
from simdup_tui.core.journal import Journal
from simdup_tui.core.plan import plan_deletion
from simdup_tui.core.summary import Summary
from simdup_tui.core.undo import undo_batch


def make_files(root: Path, count: int) -> list[Summary]:
    paths = []
    for index in range(count):
        path = root / f"sub{index % 10}" / f"photo {index}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(200_000))
        paths.append(path)
    os.sync()  # a library's photos are on disk already: do not time the flush of new files
    return make_summaries(paths)


def restat(summaries: list[Summary]) -> list[Summary]:
    return make_summaries([s.path for s in summaries])


def make_summaries(paths: list[Path]) -> list[Summary]:
    found = []
    for path in paths:
        info = path.stat()
        found.append(
            Summary(path, bytes(768), 1, 1, "JPEG", info.st_size, info.st_mtime_ns,
                    info.st_dev, info.st_ino, info.st_ctime_ns)
        )  # fmt: skip
    return found


def fsync_ms(folder: Path, times: int = 50) -> float:
    """The median time of writing a line to a new file and fsyncing it, in ms."""
    spent = []
    for index in range(times):
        fd = os.open(folder / f"sync{index}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"line\n")
            start = time.perf_counter()
            os.fsync(fd)
            spent.append(time.perf_counter() - start)
        finally:
            os.close(fd)
    return statistics.median(spent) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="200 files")
    args = parser.parse_args()
    count = 200 if args.quick else args.files
    work = Path(tempfile.mkdtemp(prefix="simdup-bench-delete-"))
    try:
        os.environ["XDG_DATA_HOME"] = str(work / "data")
        (work / "data").mkdir()
        root = work / "photos"
        journal = Journal(work / "journal")
        summaries = make_files(root, count)
        rates = {}
        for mode in ("trash", "move", "delete"):
            plan = plan_deletion(restat(summaries), [], mode=mode, root=root, move_to=work / "out")
            report, seconds = timed(lambda plan=plan: execute(plan, journal=journal))
            assert len(report.removed) == count, report.results[0]
            rates[mode] = count / seconds
            if mode != "delete":
                undo, seconds = timed(lambda: undo_batch(journal))
                assert undo.complete
                rates[f"undo {mode}"] = count / seconds
        make_files(root, count)
        import send2trash

        paths = sorted(root.rglob("*.jpg"))
        _, seconds = timed(lambda: [send2trash.send2trash(str(p)) for p in paths])
        rates["send2trash (for scale)"] = count / seconds
        sync_ms = fsync_ms(work)
        print(f"{count} files of 200 kB:")
        for what, rate in rates.items():
            print(f"  {what:24} {rate:8.0f} files/s")
        print(f"one fsync of a small new file here: {sync_ms:.1f} ms (median of 50)")
        print(
            "RESULT | deleting with every safety on (identity check, write-ahead journal line "
            f"synced per file, spec trash) | | **{rates['trash']:.0f} files/s** to the trash, "
            f"{rates['move']:.0f} moved, {rates['delete']:.0f} unlinked; undo "
            f"{rates['undo trash']:.0f}/s (send2trash alone: "
            f"{rates['send2trash (for scale)']:.0f}/s; one fsync per file dominates, "
            f"{sync_ms:.1f} ms here) | `python benchmarks/bench_delete.py`"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
