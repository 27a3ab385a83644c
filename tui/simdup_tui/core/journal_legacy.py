"""The journal of versions before the write-ahead journal: one file, one line per act.

Its batches are turned into files of the new kind once, so they can still be listed and undone.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from .journal import DELETED, FAILED, MOVED, Journal

log = logging.getLogger(__name__)

LEGACY_NAME = "journal.jsonl"
"""The single journal file of versions before the write-ahead journal (beside the folder)."""


def import_legacy(journal: Journal) -> None:
    """Turn the old single-file journal into one file per batch, once, so its batches can still
    be listed and undone; the old file is kept as `journal.jsonl.imported`."""
    legacy = journal.folder.parent / LEGACY_NAME
    if not legacy.is_file():
        return
    batches: dict[str, list[dict[str, Any]]] = {}
    undone: dict[str, set[str]] = {}
    try:
        for raw in legacy.read_bytes().split(b"\n"):
            try:
                line = json.loads(raw)
                if line.get("undo_of"):
                    if line.get("action") == "restored":
                        undone.setdefault(line["undo_of"], set()).add(line["path"])
                else:
                    batches.setdefault(str(line["batch"]), []).append(line)
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
        journal.folder.mkdir(parents=True, exist_ok=True)
        for batch, lines in batches.items():
            target = journal.batch_path(batch)
            if target.exists():
                continue
            actions = {line.get("action") for line in lines}
            mode = "move" if MOVED in actions else "delete" if DELETED in actions else "trash"
            when = lines[0].get("time", "")
            out = [{"kind": "batch", "batch": batch, "time": when, "mode": mode}]
            for n, line in enumerate(lines):
                out.append(
                    {
                        "kind": "outcome",
                        "n": n,
                        "path": line["path"],
                        "size": line.get("size", 0),
                        "outcome": line.get("action", FAILED),
                        "reason": line.get("reason", ""),
                        "destination": line.get("destination"),
                        "info": line.get("trash_info"),
                    }
                )
                if line["path"] in undone.get(batch, set()):
                    out.append({"kind": "restore", "n": n, "restored": True})
            out.append({"kind": "end", "status": "done"})
            text = "".join(json.dumps(item, ensure_ascii=True) + "\n" for item in out)
            target.write_text(text, encoding="ascii")
        legacy.rename(legacy.with_name(LEGACY_NAME + ".imported"))
    except OSError as error:
        log.warning("could not import the old journal %s: %s", legacy, error)
