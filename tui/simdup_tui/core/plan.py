"""Planning a batch: which marked files go, checked before anything is touched.

The plan is computed once, shown for confirmation, and handed to `deletion.execute` as a value.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .cluster import Cluster
from .errors import SimdupError
from .keeper import is_inside
from .summary import Summary

Protected = Callable[[Path], bool] | Collection[Path]
"""Files no plan may include, even marked: a predicate on the path, or paths (files, or folders
whose every file is protected)."""


class DeletionMode(StrEnum):
    """Where marked files go."""

    TRASH = "trash"
    """The system trash: the default, and undoable."""
    MOVE = "move"
    """Into the --move-to folder, keeping paths relative to the scanned folder (under a
    numbered subfolder per scanned folder when there are several): undoable."""
    DELETE = "delete"
    """Unlinked for good."""


@dataclass(frozen=True, slots=True)
class DeletionPlan:
    """What a batch would do, computed before anything is touched and shown for confirmation.

    Clusters whose every file is marked are in `whole_clusters`; their files are in `files` only
    when the plan was built with `allow_whole_clusters=True` (else they are in `left_out`).
    Protected files are never in `files` (they are in `protected`).
    """

    files: tuple[Summary, ...]
    """The files the batch acts on, in the order given."""
    mode: DeletionMode
    root: Path
    """The scanned folder: names are shown, and moved files placed, relative to it."""
    move_to: Path | None
    """The destination folder in MOVE mode."""
    whole_clusters: tuple[Cluster, ...]
    """Clusters that would lose every one of their files."""
    left_out: tuple[Summary, ...]
    """Marked files left out because their whole cluster would go without confirmation."""
    allow_whole_clusters: bool
    cluster_count: int
    """How many clusters lose at least one file in this batch."""
    marked: tuple[Summary, ...]
    """Every marked file (each once), to rebuild the plan with another confirmation."""
    clusters: tuple[Cluster, ...]
    """The clusters holding at least one marked file."""
    linked: frozenset[Path] = frozenset()
    """Symbolic links to folders that the scan walked through (ScanResult.linked_folders): the
    only links a file's path may pass through when it is acted on."""
    protected: tuple[Summary, ...] = ()
    """Marked files refused because they are protected."""
    protected_paths: frozenset[Path] = frozenset()
    """The protected files among the marked ones (kept to rebuild the plan)."""
    roots: tuple[Path, ...] = ()
    """Every folder scanned (empty: just `root`); a file is reached from the one holding it."""
    keepers: Mapping[Path, Summary] = field(default_factory=dict)
    """For every file in `files`, the keeper of its cluster (the photo it is a duplicate of),
    as scanned: right before a file is acted on, its keeper must still be there, unchanged.
    A file whose keeper is in the batch too (a whole cluster, confirmed) has no entry."""

    @property
    def folders(self) -> tuple[Path, ...]:
        return self.roots or (self.root,)

    def root_of(self, path: Path) -> Path:
        """The scanned folder a file is reached from: the deepest one holding it (`root` when
        none does, and then the file is refused as outside the scanned folders)."""
        holding = [folder for folder in self.folders if path.is_relative_to(folder)]
        return max(holding, key=lambda folder: len(folder.parts)) if holding else self.root

    def destination_of(self, path: Path) -> Path | None:
        """Where MOVE mode puts a file (see move_destination); None outside every folder."""
        assert self.move_to is not None
        return move_destination(path, self.folders, self.move_to)

    @property
    def freed_bytes(self) -> int:
        """Bytes the batch frees: a symbolic link, or a name whose file has another hard link,
        frees nothing (as the clusters' members say), and neither does a file moved to a
        --move-to folder on its own drive (see same_drive_bytes)."""
        frees = {m.summary.path: m.frees for c in self.clusters for m in c.members}
        device = self.destination_device
        return sum(
            frees.get(summary.path, summary.size)
            for summary in self.files
            if device is None or summary.device != device
        )

    @property
    def destination_device(self) -> int | None:
        """In MOVE mode, the drive (st_dev) of the --move-to folder, or of its nearest existing
        parent before it is made; None otherwise, or when none can be read."""
        if self.mode is not DeletionMode.MOVE or self.move_to is None:
            return None
        for folder in (self.move_to, *self.move_to.parents):
            try:
                return os.stat(folder).st_dev
            except OSError:
                continue
        return None

    @property
    def same_drive_bytes(self) -> int:
        """Bytes of the files a MOVE would put on their own drive: moved, they still take it."""
        device = self.destination_device
        if device is None:
            return 0
        return sum(summary.size for summary in self.files if summary.device == device)

    @property
    def total_bytes(self) -> int:
        return sum(summary.size for summary in self.files)

    @property
    def file_count(self) -> int:
        return len(self.files)

    @property
    def empty(self) -> bool:
        return not self.files

    def with_whole_clusters(self, allow: bool = True) -> DeletionPlan:
        """The same plan with whole clusters included (or left out) after a second confirmation."""
        return plan_deletion(
            self.marked,
            self.clusters,
            mode=self.mode,
            root=self.root,
            move_to=self.move_to,
            allow_whole_clusters=allow,
            linked=self.linked,
            protected=self.protected_paths,
            roots=self.roots,
        )


def _is_protected(protected: Protected | None) -> Callable[[Path], bool]:
    """A predicate from a predicate, or from paths (a file, or a folder and all under it)."""
    if protected is None:
        return lambda _path: False
    if callable(protected):
        return protected
    paths = tuple(Path(path) for path in protected)
    return lambda path: is_inside(path, paths)


def plan_deletion(
    marked: Iterable[Summary],
    clusters: Sequence[Cluster],
    *,
    mode: DeletionMode | str = DeletionMode.TRASH,
    root: str | os.PathLike[str],
    move_to: str | os.PathLike[str] | None = None,
    allow_whole_clusters: bool = False,
    linked: frozenset[Path] = frozenset(),
    protected: Protected | None = None,
    roots: tuple[Path, ...] = (),
) -> DeletionPlan:
    """Check a batch before acting: which files, how many bytes and clusters, what is refused.

    A protected file (for which the `protected` predicate is true, or under one of the
    `protected` paths, or a cluster member marked protected) is never in the plan's files,
    whoever marked it: it is listed in `protected`. ValueError when MOVE has no destination.
    """
    mode = DeletionMode(mode)
    if mode is DeletionMode.MOVE and move_to is None:
        raise ValueError("moving needs a destination folder (move_to)")
    is_protected = _is_protected(protected)
    unique: dict[Path, Summary] = {}
    for summary in marked:
        unique.setdefault(summary.path, summary)
    guarded = {m.summary.path for c in clusters for m in c.members if m.protected}
    refused = tuple(
        summary for path, summary in unique.items() if path in guarded or is_protected(path)
    )
    refused_paths = frozenset(summary.path for summary in refused)
    marked_paths = set(unique) - refused_paths
    touched = tuple(
        cluster
        for cluster in clusters
        if any(member.summary.path in marked_paths for member in cluster.members)
    )
    whole = tuple(
        cluster
        for cluster in touched
        if all(member.summary.path in marked_paths for member in cluster.members)
    )
    held = (
        set()
        if allow_whole_clusters
        else {member.summary.path for cluster in whole for member in cluster.members}
    )
    files = tuple(s for path, s in unique.items() if path in marked_paths and path not in held)
    left_out = tuple(s for path, s in unique.items() if path in marked_paths and path in held)
    kept_paths = {summary.path for summary in files}
    keepers: dict[Path, Summary] = {}
    for cluster in touched:
        keeper = cluster.keeper
        if keeper.path in kept_paths:
            continue  # the whole cluster goes, as confirmed: nothing is kept to check
        for member in cluster.members:
            if member.summary.path in kept_paths:
                keepers.setdefault(member.summary.path, keeper)
    count = sum(
        1
        for cluster in touched
        if any(member.summary.path in kept_paths for member in cluster.members)
    )
    return DeletionPlan(
        files=files,
        mode=mode,
        root=Path(root),
        move_to=None if move_to is None else Path(move_to),
        whole_clusters=whole,
        left_out=left_out,
        allow_whole_clusters=allow_whole_clusters,
        cluster_count=count,
        marked=tuple(unique.values()),
        clusters=touched,
        linked=frozenset(linked),
        protected=refused,
        protected_paths=refused_paths,
        roots=tuple(Path(folder) for folder in roots),
        keepers=keepers,
    )


def move_destination(path: Path, folders: Sequence[Path], move_to: Path) -> Path | None:
    """Where MOVE mode puts a file: its path relative to the scanned folder holding it (the
    deepest), under move_to; with several folders, under move_to/N, N the folder's number as
    the app and --list show it (1 first), so two folders' `IMG_0001.jpg` never meet. None when
    no folder holds it."""
    holding = [(number, f) for number, f in enumerate(folders, 1) if path.is_relative_to(f)]
    if not holding:
        return None
    number, folder = max(holding, key=lambda pair: len(pair[1].parts))
    under = move_to / str(number) if len(folders) > 1 else move_to
    return under / path.relative_to(folder)


def check_move_to_folders(
    folder: str | os.PathLike[str], roots: Sequence[Path], *, recursive: bool = False
) -> Path:
    """check_move_to against every scanned folder; with several, also refuses a numbered
    subfolder (move_destination) that is a link or not a folder, that is one of the scanned
    folders, or with --recursive is inside or holds one: moved files would be found again, or
    land where others just left (and the move walks no link below move_to)."""
    path = folder_path = Path(os.path.abspath(os.path.expanduser(os.fsdecode(folder))))
    for root in roots:
        path = check_move_to(folder, root, recursive=recursive)
    if len(roots) < 2:
        return path
    scanned = [Path(os.path.realpath(root)) for root in roots]
    for number in range(1, len(roots) + 1):
        numbered = folder_path / str(number)
        if os.path.lexists(numbered) and not numbered.is_dir():
            raise SimdupError(
                f"--move-to: files of folder {number} would go into {numbered}, not a folder; "
                "choose another"
            )
        if os.path.islink(numbered):  # the move walks no link below move_to (fileops)
            raise SimdupError(
                f"--move-to: files of folder {number} would go into {numbered}, a link; "
                "choose another"
            )
        real = Path(os.path.realpath(numbered))
        for root in scanned:
            inside = recursive and (real.is_relative_to(root) or root.is_relative_to(real))
            if real == root or inside:
                raise SimdupError(
                    f"--move-to: files of folder {number} would go into {real}, a folder being "
                    "scanned; choose another"
                )
    return path


def check_move_to(
    folder: str | os.PathLike[str], root: str | os.PathLike[str], *, recursive: bool = False
) -> Path:
    """The --move-to folder as an absolute path, or a SimdupError saying why it cannot be used.

    Nothing is created here: a missing folder is made at the first move, and only its last
    part may be missing (a typo deeper in the path is an error, not a new tree of folders).
    """
    text = os.fsdecode(folder)
    path = Path(os.path.abspath(os.path.expanduser(text)))
    scanned = Path(os.path.realpath(root))
    if path.exists():
        if not path.is_dir():
            raise SimdupError(f"--move-to: not a folder: {text}")
        if not os.access(path, os.W_OK | os.X_OK):
            raise SimdupError(f"--move-to: cannot write into {text} ({_why_not_writable(path)})")
    else:
        parent = path.parent
        if not parent.is_dir():
            raise SimdupError(f"--move-to: no such folder: {parent} (only the last part is made)")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise SimdupError(f"--move-to: cannot make {text} ({_why_not_writable(parent)})")
    real = Path(os.path.realpath(path))
    if real == scanned:
        raise SimdupError("--move-to: that is the folder being scanned; choose another")
    if recursive and real.is_relative_to(scanned):
        raise SimdupError(
            "--move-to: inside the folder scanned with --recursive: moved files would be "
            "found again; choose a folder outside it"
        )
    if recursive and scanned.is_relative_to(real):
        # Files keep their path under the scanned folder, so a subfolder named like the
        # scanned one would land back inside it (where another moved file just left).
        raise SimdupError(
            "--move-to: holds the folder scanned with --recursive, so moved files could land "
            "back inside it; choose a folder beside or outside it"
        )
    return path


def _why_not_writable(folder: Path) -> str:
    """Why os.access refused writing into a folder: a read-only drive, or permissions."""
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    return "read-only drive" if read_only else "permission denied"
