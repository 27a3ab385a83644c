"""Run a confirmed plan as one journalled batch: a header, each file's act and outcome line, an
end line, whatever happens on the way.

The act on one file is given by the caller (deletion.act_on); this module owns the journal's
batch lines, cancellation between files, and the report. Leftovers of an interrupted earlier
batch are reconciled first (recovery.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .deletion_report import BatchStatus, DeletionReport, FileResult
from .journal import BatchWriter, Journal, JournalError, new_batch_id, now_iso
from .plan import DeletionPlan
from .recovery import recover_interrupted
from .summary import Summary

ProgressCallback = Callable[[int, int, FileResult], None]
"""Called after each file with (done, total, its result)."""
Act = Callable[[Summary, DeletionPlan, BatchWriter, int], FileResult]
"""Acts on one file of the plan: (summary, plan, writer for its intent, its number) -> result.
Any failure is a FileResult; only JournalError may propagate (the batch stops)."""


def run_batch(
    plan: DeletionPlan,
    journal: Journal,
    act: Act,
    on_progress: ProgressCallback | None,
    cancel: threading.Event | None,
) -> DeletionReport:
    """Act on the plan file by file under a new batch id, `act` for each file: the body of
    deletion.execute, run while the caller holds the batch lock (what it raises and journals is
    said there)."""
    recover_interrupted(journal)
    batch = new_batch_id()
    header = {
        "mode": str(plan.mode),
        "root": os.fspath(plan.root),
        "destination": None if plan.move_to is None else os.fspath(plan.move_to),
        "files": plan.file_count,
        "roots": [os.fspath(folder) for folder in plan.folders],
        "linked": sorted(os.fspath(link) for link in plan.linked),
    }
    writer = journal.start(batch, header)
    results: list[FileResult] = []
    status, error = BatchStatus.DONE, ""
    total = len(plan.files)
    try:
        for index, summary in enumerate(plan.files):
            if cancel is not None and cancel.is_set():
                status = BatchStatus.STOPPED
                break
            try:
                result = act(summary, plan, writer, index)
            except JournalError as failure:  # its intent could not be written: not touched
                status, error = BatchStatus.FAILED, failure.message
                break
            results.append(result)
            try:
                writer.write(_outcome_line(index, result), sync=False)
            except JournalError as failure:  # done, and its intent is on disk: undo finds it
                status, error = BatchStatus.FAILED, failure.message
            if on_progress is not None:
                on_progress(index + 1, total, result)
            if status is BatchStatus.FAILED:
                break
    except BaseException as unexpected:
        status, error = BatchStatus.FAILED, f"{type(unexpected).__name__}: {unexpected}"
        _end(writer, status, error)
        raise
    ended = _end(writer, status, error)
    error = error or ended
    left = tuple(summary.path for summary in plan.files[len(results) :])
    return DeletionReport(batch, plan.mode, tuple(results), left, status, writer.path, error)


def _end(writer: BatchWriter, status: BatchStatus, reason: str) -> str:
    """Write the batch's last line and close; the error text when that failed."""
    try:
        writer.write({"kind": "end", "time": now_iso(), "status": str(status), "reason": reason})
    except JournalError as failure:
        return failure.message
    finally:
        writer.close()
    return ""


def _outcome_line(n: int, result: FileResult) -> dict[str, Any]:
    line: dict[str, Any] = {
        "kind": "outcome",
        "n": n,
        "path": os.fspath(result.path),
        "size": result.size,
        "outcome": str(result.outcome),
    }
    if result.reason:
        line["reason"] = result.reason
    if result.destination is not None:
        line["destination"] = os.fspath(result.destination)
        if result.removed:
            kept_as = identity_at(result.destination)
            if kept_as is not None:
                line["kept_as"] = list(kept_as)
    if result.trash_info is not None:
        line["info"] = os.fspath(result.trash_info)
    if result.space_kept:
        line["space_kept"] = True
    return line


def identity_at(path: Path) -> tuple[int, int, int, int] | None:
    """(device, inode, size, mtime_ns) of the name itself (a link is not followed)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
