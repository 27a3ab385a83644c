"""The command with several folders, --keep, --protect and --pairs, run in-process."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from simdup_tui.__main__ import main
from simdup_tui.core.keeper import DEFAULT_ORDER


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as stop:  # argparse's own errors
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library(make_photo, tmp_path: Path) -> tuple[Path, Path]:
    make_photo("archive/beach.jpg", seed=1, size=(640, 480), quality=92)
    make_photo("archive/forest.jpg", seed=2)
    make_photo("import/beach.jpg", seed=1, size=(640, 480), quality=60)
    os.link(tmp_path / "import/beach.jpg", tmp_path / "import/beach_link.jpg")
    make_photo("import/forest.jpg", seed=2, size=(320, 240), quality=60)
    old = 1_500_000_000
    os.utime(tmp_path / "archive/beach.jpg", (old, old))
    os.utime(tmp_path / "archive/forest.jpg", (old, old))
    return tmp_path / "archive", tmp_path / "import"


def test_json_names_the_folders_and_paths_are_relative_to_each(capsys, library) -> None:
    archive, new_import = library
    code, out, err = run(capsys, archive, new_import, "--json", "--no-cache")
    assert code == 0, err
    report = json.loads(out)
    assert report["directories"] == [str(archive), str(new_import)]
    assert "pairs" not in report and report["pair_count"] == 2
    assert report["keep"] == list(DEFAULT_ORDER) and report["keep"][:2] == ["pixels", "colour"]
    beach = next(
        c for c in report["clusters"] if c["keeper"] == "beach.jpg" and c["files"][0]["folder"] == 0
    )
    files = {(f["folder"], f["path"]): f for f in beach["files"]}
    assert set(files) == {(0, "beach.jpg"), (1, "beach.jpg")}
    assert files[(1, "beach.jpg")]["other_names"] == ["beach_link.jpg"]
    assert files[(1, "beach.jpg")]["identical"] is False
    assert beach["why"] == "oldest"
    assert beach["reclaimable"] == 0  # the import's copy has another name: nothing is freed
    assert report["reclaimable"] == sum(c["reclaimable"] for c in report["clusters"])
    code, out, _ = run(capsys, archive, new_import, "--json", "--pairs", "--no-cache")
    assert {(p["a"], p["b"]) for p in json.loads(out)["pairs"]} == {
        ("beach.jpg", "beach.jpg"),
        ("forest.jpg", "forest.jpg"),
    }


def test_protect_keeps_the_import_and_list_says_why(capsys, library) -> None:
    archive, new_import = library
    code, out, err = run(
        capsys, archive, new_import, "--list", "--no-cache", "--protect", new_import
    )
    assert code == 0, err
    lines = out.splitlines()
    keepers = [line for line in lines if line.lstrip().startswith("* ")]
    assert len(keepers) == 2
    assert all("keeper (protected)" in line and "🔒 protected" in line for line in keepers)
    assert "* 2:beach.jpg" in out and "  1:beach.jpg" in out  # numbered by folder
    assert f"2 folders (1: {archive}, 2: {new_import})" in lines[0]
    code, out, _ = run(capsys, archive, new_import, "--json", "--no-cache", "--protect", new_import)
    report = json.loads(out)
    assert report["protected"] == [str(new_import)]
    for cluster in report["clusters"]:
        assert cluster["files"][0].get("protected") is True
        assert all("protected" not in f for f in cluster["files"][1:])


def test_keep_reorders_and_bad_rules_or_paths_are_one_line_errors(capsys, library) -> None:
    archive, new_import = library
    code, out, _ = run(capsys, archive, new_import, "--json", "--no-cache", "--keep", "size")
    report = json.loads(out)
    assert report["keep"][0] == "size"
    assert all(c["why"].startswith("larger file") for c in report["clusters"])
    code, _, err = run(capsys, archive, "--list", "--keep", "biggest")
    assert code == 2 and "unknown rule 'biggest'" in err and "Traceback" not in err
    code, _, err = run(capsys, archive, "--list", "--protect", new_import)
    assert code == 2 and "not inside a folder being scanned" in err
    code, _, err = run(capsys, archive, new_import / "nope", "--list")
    assert code == 2 and "no such folder" in err
    code, _, err = run(capsys, archive, "--list", "--pairs")
    assert code == 2 and "--pairs is for --json" in err
    code, _, err = run(capsys, archive, new_import, "--move-to", archive.parent / "out")
    assert code == 2 and "needs a terminal" in err  # several DIRs: accepted (out/1, out/2)
    (archive.parent / "out" / "2").mkdir(parents=True)
    code, _, err = run(
        capsys, archive, archive.parent / "out" / "2", "--move-to", archive.parent / "out"
    )
    assert code == 2 and "files of folder 2 would go into" in err
