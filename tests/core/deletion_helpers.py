"""Temporary folders, a private freedesktop trash and summaries for the deletion tests."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from simdup_tui.core import fileops
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
    """Put HOME, XDG_DATA_HOME (so the home trash) and the journal inside tmp_path.

    The trash module reads the environment at every call, so setting it is enough.
    """
    home = tmp_path / "home"
    data_home = home / ".local" / "share"
    data_home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("SIMDUP_STATE_DIR", str(tmp_path / "state"))
    return TrashEnv(home, data_home, data_home / "Trash", Journal(tmp_path / "state" / "journal"))


def summary_of(path: Path) -> Summary:
    """A Summary for any file, with the identity a scan would have recorded."""
    info = path.stat()
    return Summary(
        path=path,
        pixels=bytes(768),
        width=10,
        height=10,
        format="JPEG",
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
        device=info.st_dev,
        inode=info.st_ino,
        ctime_ns=info.st_ctime_ns,
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
        path.write_bytes(f"{name}:{index}\n".encode("utf-8", "surrogateescape") * (index + 3))
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


def fail_for(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int = errno.EACCES) -> None:
    """Make every change inside `folder` fail with `code`, as a read-only folder does.

    Tests run as root in CI, and chmod does not stop root, so the folder is also made read-only
    for real (which is what stops an ordinary user) and the calls the core makes relative to
    an open folder (renameat2, link, unlink, rename, open with O_CREAT, mkdir) are wrapped, and
    os.access answers as it would for an ordinary user.
    """
    folder.chmod(0o555)
    target = os.stat(folder)
    key = (target.st_dev, target.st_ino)

    def inside(dir_fd: int | None, name: object = None) -> bool:
        if dir_fd is not None:
            info = os.fstat(dir_fd)
            return (info.st_dev, info.st_ino) == key
        if name is None:
            return False
        try:
            info = os.stat(Path(os.fsdecode(name)).parent)  # type: ignore[arg-type]
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == key

    def refuse() -> OSError:
        return OSError(code, os.strerror(code))

    real_renameat2 = fileops._renameat2
    real = {name: getattr(os, name) for name in ("link", "unlink", "rename", "open", "mkdir")}

    def renameat2(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
        if inside(src_fd) or inside(dst_fd):
            raise refuse()
        real_renameat2(src_fd, src, dst_fd, dst)

    def two_ended(name: str):
        def call(src, dst, *args, src_dir_fd=None, dst_dir_fd=None, **kwargs):
            if inside(src_dir_fd, src) or inside(dst_dir_fd, dst):
                raise refuse()
            ends = {"src_dir_fd": src_dir_fd, "dst_dir_fd": dst_dir_fd}
            return real[name](src, dst, *args, **ends, **kwargs)

        return call

    def unlink(path, *, dir_fd=None):
        if inside(dir_fd, path):
            raise refuse()
        return real["unlink"](path, dir_fd=dir_fd)

    def open_(path, flags, mode=0o777, *, dir_fd=None):
        if flags & os.O_CREAT and inside(dir_fd, path):
            raise refuse()
        return real["open"](path, flags, mode, dir_fd=dir_fd)

    def mkdir(path, mode=0o777, *, dir_fd=None):
        if inside(dir_fd, path):
            raise refuse()
        return real["mkdir"](path, mode, dir_fd=dir_fd)

    real_access = os.access

    def access(path, mode, **kwargs):
        try:
            info = os.stat(path)
        except OSError:
            return real_access(path, mode, **kwargs)
        if (info.st_dev, info.st_ino) == key and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(fileops, "_renameat2", renameat2)
    monkeypatch.setattr(os, "link", two_ended("link"))
    monkeypatch.setattr(os, "rename", two_ended("rename"))
    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "access", access)
