"""Temporary folders, a private freedesktop trash and summaries for the deletion tests."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
import send2trash.plat_other as plat_other

from simdup_tui.core.cluster import Cluster, Member
from simdup_tui.core.journal import Journal
from simdup_tui.core.summary import Summary


@dataclass(frozen=True)
class TrashEnv:
    """HOME, XDG_DATA_HOME and the home trash, all inside the test's tmp_path."""

    home: Path
    data_home: Path
    trash: Path
    journal: Journal


def point_trash_into(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> TrashEnv:
    """Send send2trash's home trash into tmp_path.

    send2trash 2.x reads XDG_DATA_HOME once, when send2trash.plat_other is imported, so setting
    the variable is not enough: its three module constants are patched too. It compares each
    file's device with HOME's to choose the home trash, so HOME moves into tmp_path as well.
    """
    home = tmp_path / "home"
    data_home = home / ".local" / "share"
    data_home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("SIMDUP_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(plat_other, "XDG_DATA_HOME", os.fsencode(data_home))
    monkeypatch.setattr(plat_other, "HOMETRASH_B", os.fsencode(data_home / "Trash"))
    monkeypatch.setattr(plat_other, "HOMETRASH", str(data_home / "Trash"))
    return TrashEnv(home, data_home, data_home / "Trash", Journal(tmp_path / "state" / "j.jsonl"))


def summary_of(path: Path) -> Summary:
    """A Summary for any file, with the size and mtime a scan would have recorded."""
    info = path.stat()
    return Summary(
        path=path,
        pixels=bytes(768),
        width=10,
        height=10,
        format="JPEG",
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
    )


def cluster_of(summaries: Iterable[Summary]) -> Cluster:
    members = list(summaries)
    return Cluster(
        tuple(Member(summary, 0.0 if i == 0 else 0.01) for i, summary in enumerate(members))
    )


def write_files(root: Path, names: Iterable[str]) -> list[Path]:
    """Files with distinct contents (their own name, repeated) under root."""
    paths = []
    for index, name in enumerate(names):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"{name}:{index}\n".encode() * (index + 3))
        paths.append(path)
    return paths


def snapshot(root: Path, skip: Iterable[Path] = ()) -> dict[str, str]:
    """sha256 of every file under root (skipping the given folders), by relative path."""
    skipped = [Path(folder) for folder in skip]
    hashes = {}
    for folder, _dirs, files in os.walk(root):
        if any(Path(folder).is_relative_to(s) for s in skipped):
            continue
        for name in files:
            path = Path(folder) / name
            hashes[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return hashes
