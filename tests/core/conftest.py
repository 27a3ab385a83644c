"""Fixtures the deletion and journal tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from .deletion_helpers import TrashEnv, point_trash_into


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> TrashEnv:
    """A private freedesktop trash, journal and HOME inside tmp_path."""
    return point_trash_into(monkeypatch, tmp_path)
