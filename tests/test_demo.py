"""The demo gallery yields exactly the clusters it promises, through the real scan and clusters."""

from __future__ import annotations

import hashlib
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from simdup_tui.core.distance import difference
from simdup_tui.core.duplicates import DEFAULT_THRESHOLD, find_duplicates
from simdup_tui.core.scan import ScanResult, scan
from simdup_tui.demo import DEMO_EXPECTED, make_demo_gallery


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    return scan(make_demo_gallery(tmp_path_factory.mktemp("demo")))


def test_clusters_and_keepers_are_exactly_the_expected_ones(demo: ScanResult) -> None:
    clusters = find_duplicates(demo.summaries, DEFAULT_THRESHOLD).clusters
    found = {
        (cluster.keeper.path.name, frozenset(m.summary.path.name for m in cluster.members))
        for cluster in clusters
    }
    expected = {
        (cluster["keeper"], frozenset(cluster["members"]))
        for cluster in DEMO_EXPECTED["clusters"]  # type: ignore[attr-defined]
    }
    assert found == expected


def test_look_alikes_stay_apart_with_a_margin(demo: ScanResult) -> None:
    """Same palette, other composition: clearly above 0.07, so the demo shows a real boundary."""
    by_name = {summary.path.name: summary for summary in demo.summaries}
    for first, second in DEMO_EXPECTED["look_alikes"]:  # type: ignore[attr-defined]
        assert difference(by_name[first], by_name[second]) > DEFAULT_THRESHOLD + 0.015


def test_copies_sit_well_inside_the_threshold(demo: ScanResult) -> None:
    by_name = {summary.path.name: summary for summary in demo.summaries}
    for cluster in DEMO_EXPECTED["clusters"]:  # type: ignore[attr-defined]
        for first, second in itertools.combinations(cluster["members"], 2):
            assert difference(by_name[first], by_name[second]) < DEFAULT_THRESHOLD - 0.02


def test_every_file_is_accounted_for_and_the_broken_one_is_an_error(demo: ScanResult) -> None:
    clustered = {name for c in DEMO_EXPECTED["clusters"] for name in c["members"]}  # type: ignore[attr-defined]
    readable = {summary.path.name for summary in demo.summaries}
    assert readable == clustered | set(DEMO_EXPECTED["singles"])  # type: ignore[arg-type]
    assert [error.path.name for error in demo.errors] == DEMO_EXPECTED["broken"]
    assert 20 <= len(readable) + len(demo.errors) <= 30


def test_literal_name_with_brackets_is_in_the_gallery(demo: ScanResult) -> None:
    assert any(summary.path.name == "holiday[draft].jpg" for summary in demo.summaries)


def test_two_builds_are_byte_for_byte_identical(tmp_path: Path) -> None:
    def digest(folder: Path) -> dict[str, tuple[str, int]]:
        return {
            path.name: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
            for path in folder.iterdir()
        }

    assert digest(make_demo_gallery(tmp_path / "a")) == digest(make_demo_gallery(tmp_path / "b"))


def test_demo_and_color_mode_never_load_textual() -> None:
    """__main__ imports these before setting TEXTUAL_COLOR_SYSTEM: they must not load textual."""
    code = (
        "import json, sys; import simdup_tui.demo, simdup_tui.ui.color_mode; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'})))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == []
