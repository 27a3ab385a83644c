"""kill -9 at random points of a real batch: nothing is lost, the journal tells the truth,
and undo brings every file back byte-identical.

One driver process imports the core once, then forks a child per round that runs the real
batch. The child counts the system calls the batch makes (open, read, write, fsync, link,
rename, renameat2, unlink, mkdir) and sends itself SIGKILL right before the chosen one, so the
kill lands at a random point of the batch, every step reachable, and the test stays fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from simdup_tui.core.journal import Journal
from simdup_tui.core.trash import INFO_SUFFIX
from simdup_tui.core.undo import undo_batch

from .deletion_helpers import TrashEnv

SEEDS = int(os.environ.get("SIMDUP_KILL_SEEDS", "24"))
"""Kills across the three modes (SIMDUP_KILL_SEEDS=300 for a long run)."""
FILES = 8

DRIVER = textwrap.dedent(
    """
    import json, os, signal, sys
    from pathlib import Path
    from simdup_tui.core import deletion, fileops
    from simdup_tui.core.journal import Journal
    from simdup_tui.core.plan import plan_deletion
    from simdup_tui.core.summary import Summary

    def count_calls(kill_at):
        calls = [0]

        def wrap(module, name):
            real = getattr(module, name)

            def call(*args, **kwargs):
                calls[0] += 1
                if calls[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(*args, **kwargs)

            setattr(module, name, call)

        for name in ("open", "read", "write", "fsync", "link", "rename", "unlink", "mkdir"):
            wrap(os, name)
        wrap(fileops, "_renameat2")
        return calls

    def batch(job):
        calls = count_calls(job["kill_at"])
        if job["cross"]:  # another drive, simulated: the copy-then-rename path runs
            deletion.device_of = lambda path: -1
        summaries = []
        for name in job["names"]:
            path = Path(job["root"]) / name
            info = path.stat()
            summaries.append(Summary(path, bytes(768), 1, 1, "JPEG", info.st_size,
                info.st_mtime_ns, info.st_dev, info.st_ino, info.st_ctime_ns))
        move_to = job["move_to"] and Path(job["move_to"])
        roots = tuple(Path(folder) for folder in job["roots"])
        plan = plan_deletion(summaries, [], mode=job["mode"], root=job["root"], move_to=move_to,
                             roots=roots)
        deletion.execute(plan, journal=Journal(job["journal"]))
        Path(job["count"]).write_text(str(calls[0]))

    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                batch(job)
            finally:
                os._exit(0)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": status}), flush=True)
    """
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_folder(root: Path, rng: random.Random) -> dict[str, str]:
    names = {}
    for index in range(FILES):
        name = f"sub{index % 3}/photo {index}.jpg"
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(rng.randint(1_000, 60_000)))
        names[name] = sha(path)
    return names


def everything_is_accounted_for(
    root: Path, before: dict[str, str], journal: Journal, places: list[Path]
) -> None:
    """Each file is in place, or somewhere we put it with an intent in the journal."""
    intended = {found.path for record in journal.batches() for found in record.files.values()}
    elsewhere = {
        sha(path)
        for place in places
        if place.exists()
        for path in place.rglob("*")
        if path.is_file() and not path.name.endswith(INFO_SUFFIX)
    }
    for name, digest in before.items():
        path = root / name
        if path.exists() and sha(path) == digest:
            continue
        assert not path.exists(), f"{name} was changed in place"
        assert path in intended, f"{name} left with no journal record"
        assert digest in elsewhere, f"{name} is nowhere"


@pytest.mark.parametrize("mode", ["trash", "move", "move-cross", "move-folders"])
def test_kill_9_at_random_points_loses_nothing_and_undo_restores_every_byte(
    env: TrashEnv, tmp_path: Path, mode: str
) -> None:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    driver = subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert driver.stdin is not None and driver.stdout is not None

    def run(job: dict) -> int:
        driver.stdin.write(json.dumps(job) + "\n")
        driver.stdin.flush()
        json.loads(driver.stdout.readline())  # the child's pid
        return json.loads(driver.stdout.readline())["status"]

    killed = 0
    try:
        calls = None
        for seed in range(SEEDS // 3 + 1):
            rng = random.Random(f"{mode}-{seed}")
            work = tmp_path / f"round{seed}"
            root = work / "photos"
            before = make_folder(root, rng)
            journal = Journal(work / "journal")
            move_to = work / "out"
            job = {
                "root": str(root),
                "names": sorted(before),
                "mode": "trash" if mode == "trash" else "move",
                "move_to": str(move_to),
                "journal": str(journal.folder),
                # several scanned folders (sub0, sub1, sub2): moved under out/1, out/2, out/3
                "roots": [str(root / f"sub{n}") for n in range(3)]
                if mode == "move-folders"
                else [],
                "cross": mode == "move-cross",
                "count": str(work / "calls"),
                "kill_at": None if calls is None else rng.randint(1, calls),
            }
            status = run(job)
            if calls is None:  # the first round runs whole and counts the batch's calls
                assert status == 0
                calls = int((work / "calls").read_text())
                if mode == "move-folders":  # each scanned folder's files under its number
                    moved = {p.relative_to(move_to).as_posix() for p in move_to.rglob("*.jpg")}
                    assert moved == {f"{int(n[3]) + 1}/{n[5:]}" for n in before}
            else:
                killed += os.WIFSIGNALED(status)
            everything_is_accounted_for(root, before, journal, [env.trash, move_to])
            undo = undo_batch(journal)
            assert undo.complete, [(r.path, r.reason) for r in undo.not_restored]
            after = {p.relative_to(root).as_posix(): sha(p) for p in root.rglob("*") if p.is_file()}
            assert after == before
            leftovers = list(move_to.rglob("*")) if move_to.exists() else []
            assert leftovers == [], "undo left files or folders it made at the destination"
            if (env.trash / "info").exists():
                assert os.listdir(env.trash / "info") == []
                assert os.listdir(env.trash / "files") == []
    finally:
        driver.stdin.close()
        driver.wait(timeout=30)
    assert killed == SEEDS // 3, "some kills never landed inside a batch"
