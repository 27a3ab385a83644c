"""The command line: exit codes, one-line messages, --json and --list. Most tests call main(argv)
in-process; a few smoke tests run a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from simdup_tui import __version__
from simdup_tui.__main__ import main


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m simdup_tui ARGS` with no terminal; stdout as bytes, stderr as text. For the few
    smoke tests that need a real process (its encoding, its exit status)."""
    run = subprocess.run(
        [sys.executable, "-m", "simdup_tui", *map(os.fspath, args)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )
    run.stderr = run.stderr.decode("utf-8", "replace")
    return run


@dataclass
class Run:
    """What one in-process `main(argv)` call did, shaped like a finished subprocess."""

    returncode: int
    stdout: bytes
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """cli(*args) runs `main(args)` in this process (fast): exit status, stdout, stderr."""

    def run(*args: str | Path) -> Run:
        try:
            code = main([os.fspath(arg) for arg in args])
        except SystemExit as exit_:  # argparse: --help, --version and usage errors
            code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
        out, err = capsys.readouterr()
        return Run(code, out.encode("utf-8", "surrogateescape"), err)

    return run


def assert_usage_error(run: subprocess.CompletedProcess | Run, *words: str) -> str:
    """Exit status 2 and exactly one clear line on stderr, never a traceback."""
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("simdup-tui: ")
    for word in words:
        assert word in lines[0]
    assert run.stdout == b""
    return lines[0]


@pytest.fixture
def album(make_photo, tmp_path: Path) -> Path:
    """beach x3 and forest x2 are near-duplicates; city is alone; notes.jpg is not a photo;
    trip/beach_again.jpg joins the beach cluster with -r."""
    folder = tmp_path / "album"
    make_photo("album/beach.jpg", seed=1, size=(640, 480), quality=95)
    make_photo("album/beach_copy.jpg", seed=1, size=(640, 480), quality=50)
    make_photo("album/beach_small.jpg", seed=1, size=(320, 240), quality=90)
    make_photo("album/forest.png", seed=2, size=(400, 300))
    make_photo("album/forest.webp", seed=2, size=(400, 300), quality=80)
    make_photo("album/city.jpg", seed=3)
    (folder / "notes.jpg").write_text("shopping list\n")
    make_photo("album/trip/beach_again.jpg", seed=1, size=(800, 600), quality=70)
    return folder


# --- wrong use ---------------------------------------------------------------------------------


def test_no_such_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    assert_usage_error(run_cli(missing), "no such folder", str(missing))


def test_dir_is_a_file(cli, tmp_path: Path) -> None:
    file = tmp_path / "photo.jpg"
    file.write_bytes(b"x")
    assert_usage_error(cli(file, "--json"), "not a folder", str(file))


@pytest.mark.parametrize("value", ["0", "1.5", "-1", "abc", "nan", "inf", ""])
def test_threshold_out_of_range_or_not_a_number(cli, tmp_path: Path, value: str) -> None:
    line = assert_usage_error(cli(tmp_path, "--json", f"--threshold={value}"), "threshold")
    assert "between 0 and 1" in line or "at most 1" in line


def test_threshold_as_separate_negative_argument(cli, tmp_path: Path) -> None:
    assert_usage_error(cli(tmp_path, "--list", "--threshold", "-1"), "threshold")


@pytest.mark.parametrize("value", ["1", "0.5", ".07", "1e-3"])
def test_valid_thresholds_are_accepted(cli, tmp_path: Path, value: str) -> None:
    run = cli(tmp_path, "--json", "-t", value)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["threshold"] == float(value)


def test_missing_dir_and_unknown_flags(cli, tmp_path: Path) -> None:
    assert_usage_error(cli("--json"), "DIR")
    assert_usage_error(cli(tmp_path, "--frobnicate"), "--frobnicate")
    assert_usage_error(cli(tmp_path, "--json", "--list"), "--json")


def test_version_and_help() -> None:
    version = run_cli("--version")
    assert version.returncode == 0
    assert version.stdout.decode().strip() == f"simdup-tui {__version__}"
    help_run = run_cli("--help")
    assert help_run.returncode == 0 and help_run.stderr == ""
    text = help_run.stdout.decode()
    for flag in ("DIR", "--json", "--list", "--threshold", "--recursive", "--hidden", "--version"):
        assert flag in text


# --- --json ------------------------------------------------------------------------------------


def test_json_report(cli, album: Path) -> None:
    run = cli(album, "--json", "--pairs")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert {"directory", "threshold", "clusters", "errors", "pairs"} <= set(report)
    assert report["directory"] == str(album)
    assert report["threshold"] == 0.07

    clusters = {frozenset(f["path"] for f in c["files"]): c for c in report["clusters"]}
    assert set(clusters) == {
        frozenset({"beach.jpg", "beach_copy.jpg", "beach_small.jpg"}),
        frozenset({"forest.png", "forest.webp"}),
    }
    for cluster in report["clusters"]:
        files = cluster["files"]
        assert cluster["keeper"] == files[0]["path"]
        assert files[0]["difference"] == 0.0
        assert all(0 < f["difference"] < 0.07 for f in files[1:])
        for entry in files:
            assert set(entry) >= {"path", "difference", "width", "height", "size"}
            assert entry["size"] == (album / entry["path"]).stat().st_size
    beach = clusters[frozenset({"beach.jpg", "beach_copy.jpg", "beach_small.jpg"})]
    assert beach["keeper"] == "beach.jpg"  # most pixels, then the larger file
    sizes = {f["path"]: (f["width"], f["height"]) for f in beach["files"]}
    assert sizes["beach_small.jpg"] == (320, 240)

    assert report["errors"] == [{"path": "notes.jpg", "reason": "not an image Pillow can read"}]
    pairs = {frozenset((p["a"], p["b"])) for p in report["pairs"]}
    assert pairs == {
        frozenset({"beach.jpg", "beach_copy.jpg"}),
        frozenset({"beach.jpg", "beach_small.jpg"}),
        frozenset({"beach_copy.jpg", "beach_small.jpg"}),
        frozenset({"forest.png", "forest.webp"}),
    }
    assert all(0 <= p["difference"] < 0.07 for p in report["pairs"])


def test_json_recursive_paths_are_relative_with_slashes(cli, album: Path) -> None:
    report = json.loads(cli(album, "--json", "-r").stdout)
    paths = {f["path"] for c in report["clusters"] for f in c["files"]}
    assert "trip/beach_again.jpg" in paths
    beach = next(c for c in report["clusters"] if "trip/beach_again.jpg" in c["keeper"])
    assert beach["keeper"] == "trip/beach_again.jpg"  # 800x600 beats 640x480
    assert all(not Path(p).is_absolute() and (album / p).is_file() for p in paths)


def test_json_threshold_changes_what_is_found(cli, album: Path) -> None:
    report = json.loads(cli(album, "--json", "--pairs", "--threshold", "0.001").stdout)
    assert report["clusters"] == [] and report["pairs"] == []
    everything = json.loads(cli(album, "--json", "--threshold", "1").stdout)
    assert len(everything["clusters"]) == 1 and len(everything["clusters"][0]["files"]) == 6


def test_names_that_are_not_utf8_are_reported_not_fatal(make_photo, tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path)
    image = make_photo.image(seed=1)
    for name in (b"caf\xe9.jpg", b"caf\xe9 copy.jpg"):
        with open(os.path.join(raw, name), "wb") as file:
            image.save(file, "JPEG", quality=90)
    with open(os.path.join(raw, b"\xff\xfe.jpg"), "wb") as file:
        file.write(b"not a photo")

    run = run_cli(tmp_path, "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.decode("utf-8"))  # valid UTF-8 whatever the names are
    [cluster] = report["clusters"]
    # The escaped names turn back into the very bytes on disk, so a script can act on them.
    assert sorted(os.fsencode(f["path"]) for f in cluster["files"]) == [
        b"caf\xe9 copy.jpg",
        b"caf\xe9.jpg",
    ]
    assert [os.fsencode(e["path"]) for e in report["errors"]] == [b"\xff\xfe.jpg"]

    listed = run_cli(tmp_path, "--list")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    text = listed.stdout.decode("utf-8")
    assert "Near-duplicates found:" in text
    assert "caf\\udce9.jpg" in text or "caf\\xe9.jpg" in text


# --- --list ------------------------------------------------------------------------------------


def test_list_report(cli, album: Path) -> None:
    run = cli(album, "--list")
    assert run.returncode == 0, run.stderr
    text = run.stdout.decode()
    lines = text.splitlines()
    assert "Near-duplicates found:" in lines
    start = lines.index("Near-duplicates found:") + 1
    pair_lines = lines[start : start + 4]
    assert all(line.startswith("('") for line in pair_lines)
    assert any("'forest.png'" in line and "'forest.webp'" in line for line in pair_lines)
    # The keeper of each cluster is marked.
    assert any(line.strip().startswith("* beach.jpg") for line in lines)
    assert any(line.strip().startswith("* forest.") for line in lines)
    assert not any(line.strip().startswith("* beach_copy.jpg") for line in lines)
    assert "notes.jpg" in text  # the file that could not be read is named


def test_list_without_duplicates(cli, make_photo, tmp_path: Path) -> None:
    make_photo("a.jpg", seed=1)
    make_photo("b.jpg", seed=2)
    run = cli(tmp_path, "--list")
    assert run.returncode == 0
    assert "Near-duplicates found:" not in run.stdout.decode()
    assert "No near-duplicates found." in run.stdout.decode()
    assert "-t T (e.g. -t 0.1)" in run.stdout.decode()  # the way out, as the app offers it


def test_an_empty_folder_says_no_photos_and_suggests_r(cli, make_photo, tmp_path: Path) -> None:
    make_photo("trip/a.jpg", seed=1)
    listed = cli(tmp_path, "--list")
    assert listed.returncode == 0
    text = listed.stdout.decode()
    assert "No photos found in" in text and "run with -r" in text
    document = cli(tmp_path, "--json")
    assert document.returncode == 0 and json.loads(document.stdout)["photos"] == 0
    assert "No photos found in" in document.stderr and "run with -r" in document.stderr
    alone = cli(tmp_path, "-r", "--list").stdout.decode()
    assert "Only 1 photo found: nothing to compare it with." in alone


def test_list_on_an_ascii_only_terminal(make_photo, tmp_path: Path) -> None:
    make_photo("Été.jpg", seed=1)
    make_photo("Été (1).jpg", seed=1, quality=60)
    run = run_cli(tmp_path, "--list", env={"PYTHONIOENCODING": "ascii"})
    assert run.returncode == 0, run.stderr
    assert "Near-duplicates found:" in run.stdout.decode("ascii")


def test_nothing_readable_exits_1_naming_how_many_and_why(cli, tmp_path: Path) -> None:
    """Photo files found but none read: a script must not take it for "no duplicates"."""
    (tmp_path / "a.jpg").write_text("not a photo\n")
    (tmp_path / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # cut short after the signature
    for option in ("--list", "--json"):
        run = cli(tmp_path, option)
        assert run.returncode == 1, (option, run.stderr)
        assert "Traceback" not in run.stderr
        (line,) = [line for line in run.stderr.splitlines() if line.startswith("simdup-tui: ")]
        assert "no photo could be read" in line and "Could not read 2 files" in line
        reasons = {
            error["reason"] for error in json.loads(cli(tmp_path, "--json").stdout)["errors"]
        }
        assert all(reason in line for reason in reasons)
        everything = run.stdout.decode() + run.stderr  # never "no photos found" about 2 photo files
        assert "No photos found" not in everything, option
        assert everything.count("no photo could be read") + everything.count(
            "No photo could be read"
        ) == (2 if option == "--list" else 1), everything
    make_photo_free = tmp_path / "empty"
    make_photo_free.mkdir()
    assert cli(make_photo_free, "--list").returncode == 0  # nothing found is not a failure
