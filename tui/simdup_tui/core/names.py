"""One photo, several names: the other names of a file, and whether deleting it frees space."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FileNames:
    """What the scan learnt about a photo's names besides the one shown."""

    other_names: tuple[Path, ...] = ()
    """Other paths of the same file (hard links, or symbolic links to it) found by the scan."""
    links: int = 1
    """st_nlink: how many hard links the file has, inside the scanned folders or not."""
    is_link: bool = False
    """True when the name shown is (or passes through) a symbolic link."""

    @property
    def frees_space(self) -> bool:
        """Deleting the name shown frees the file's bytes: no other hard link keeps them and it
        is not a symbolic link."""
        return self.links <= 1 and not self.is_link


PLAIN = FileNames()
"""The usual case: one name, one link, a real file."""
