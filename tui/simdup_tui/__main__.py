"""The simdup-tui command: the app by default, --json/--list headless reports."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .core.duplicates import DEFAULT_THRESHOLD, find_duplicates, parse_threshold
from .core.errors import SimdupError
from .core.folders import check_folders, check_protected, scan_folders
from .core.humanize import printable
from .core.keeper import DEFAULT_ORDER, KeeperRules, parse_keep
from .ui.color_mode import COLOR_FLAGS
from .ui.graphics_mode import GRAPHICS_FLAGS

if TYPE_CHECKING:
    from .core.journal import Journal

PROG = "simdup-tui"
EXIT_USAGE = 2


class _OneLineParser(argparse.ArgumentParser):
    """Wrong use gets one clear line on stderr and exit status 2, never a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _threshold(text: str) -> float:
    try:
        return parse_threshold(text)
    except SimdupError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _keep_order(text: str) -> tuple[str, ...]:
    try:
        return parse_keep(text)
    except SimdupError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog=PROG,
        description="Find near-duplicate photos in one or more folders and clean them up from "
        "the keyboard.",
        epilog="Two photos are near-duplicates when the mean per-channel difference of their "
        "16x16 summaries is below the threshold (a greyscale photo and a colour photo: the "
        "difference of their brightness).",
    )
    parser.add_argument(
        "directories",
        nargs="*",
        metavar="DIR",
        help="folders of photos to scan, compared together (paths are reported relative to "
        "the folder they came from)",
    )
    parser.add_argument(
        "-t",
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        metavar="T",
        help=f"difference below which photos are near-duplicates, 0 < T <= 1 "
        f"(default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--keep",
        type=_keep_order,
        default=DEFAULT_ORDER,
        metavar="RULE,...",
        help="the order of the keeper rules, the named ones first: "
        f"{','.join(DEFAULT_ORDER)} (default; see the README)",
    )
    parser.add_argument(
        "--protect",
        action="append",
        default=[],
        metavar="PATH",
        help="a folder or file inside a DIR (or a DIR) whose photos are preferred as keeper "
        "and never marked or deleted; repeatable",
    )
    parser.add_argument(
        "--pairs", action="store_true", help="with --json, also list every close pair"
    )
    parser.add_argument("-r", "--recursive", action="store_true", help="also scan subfolders")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="a second look at each pair: leave out pairs that look different up close (other "
        "drawings or pages on one background, mirror images, zooms, colour casts); `s` in the app",
    )
    parser.add_argument(
        "--no-grey",
        dest="grey",
        action="store_false",
        help="compare a greyscale photo with colour photos per channel, as the tutorial does "
        "(by default it is compared on brightness, so a grey copy of a colour photo is found)",
    )
    parser.add_argument(
        "--hidden",
        action="store_true",
        help="include hidden files and folders (and NAS folders such as @eaDir)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="read every photo again: neither use nor update the summary cache "
        "(kept in the user cache folder, or SIMDUP_CACHE_DIR)",
    )
    parser.add_argument(
        "--color",
        choices=COLOR_FLAGS,
        default="auto",
        help="colours of the previews: auto reads COLORTERM, TERM and NO_COLOR (default auto)",
    )
    parser.add_argument(
        "--graphics",
        choices=GRAPHICS_FLAGS,
        default="auto",
        help="how the compare view (c) draws photos: auto asks the terminal; kitty and sixel "
        "show real pixels, halfblock works everywhere (default auto)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="build a small gallery of generated photos with known near-duplicates in a "
        "temporary folder and open it (no DIR needed)",
    )
    parser.add_argument(
        "--move-to",
        metavar="FOLDER",
        help="in the app, `d` moves marked files into FOLDER (keeping their paths relative to "
        "DIR, never overwriting) instead of trashing them; FOLDER is made if only its last "
        "part is missing",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="start the app without the marks, keeper choices and reviewed clusters saved for "
        "DIR (photos recorded as not duplicates stay so)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json", action="store_true", help="print the clusters as JSON and exit (read-only)"
    )
    output.add_argument(
        "--list", action="store_true", help="print a plain report and exit (read-only)"
    )
    output.add_argument(
        "--journal",
        action="store_true",
        help="print the folder of the deletion journal (one file per batch) and exit",
    )
    output.add_argument(
        "--undo",
        nargs="?",
        const="",
        default=None,
        metavar="ID",
        help="list the batches (newest first) and put back the newest one that still has "
        "files out, or the batch ID; never overwrites; exit 1 naming every file that could "
        "not come back",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


EXIT_NOTHING_READ = 1
"""--list and --json: photo files were found but none could be read."""
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a command whose reader went away (`| head`)."""


def main(argv: Sequence[str] | None = None) -> int:
    """The command; every printed line survives a reader that went away (`| head -1`): the
    rest is dropped quietly and the status is 141, the work itself done in full."""
    try:
        status = _main(argv)
        sys.stdout.flush()  # here, not at exit, where a closed pipe prints a warning
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_BROKEN_PIPE
    return status


def _drop_stdout() -> None:
    """Point stdout at /dev/null so nothing more (nor the flush at exit) hits the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.journal or args.undo is not None:
            return _journal_command(args)
        if args.move_to is not None and (args.json or args.list):
            raise SimdupError("--move-to is for the app; --json and --list never delete")
        if args.pairs and not args.json:
            raise SimdupError("--pairs is for --json (--list always shows the pairs)")
        if args.demo:
            return _with_demo_gallery(args)
        if not args.directories:
            parser.error("a folder to scan is needed: simdup-tui DIR (or try --demo)")
        folders = check_folders(args.directories)
        protected = check_protected(args.protect, folders)
        if args.json or args.list:
            return _headless(args, folders, protected)
        return _run_app(args, folders, protected)
    except SimdupError as error:
        print(f"{PROG}: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _headless(
    args: argparse.Namespace, folders: tuple[Path, ...], protected: tuple[Path, ...]
) -> int:
    from .core.cache import open_default_cache
    from .core.identical import ContentHashes, label_identical
    from .headless import empty_text, json_text, list_text, nothing_read_text

    cache = None if args.no_cache else open_default_cache()
    try:
        result = scan_folders(folders, recursive=args.recursive, hidden=args.hidden, cache=cache)
    finally:
        if cache is not None:
            cache.close()
    from .core.review_store import read_not_duplicates

    rules = KeeperRules(args.keep, result.names, protected)
    ignored = read_not_duplicates()
    duplicates = find_duplicates(
        result.summaries,
        args.threshold,
        rules=rules,
        strict=args.strict,
        not_duplicates=ignored,
        grey=args.grey,
    )
    duplicates = replace(duplicates, clusters=label_identical(duplicates.clusters, ContentHashes()))
    if args.json:
        text = json_text(result, duplicates, pairs=args.pairs)
        if not result.summaries and not result.errors:  # a script sees "photos": 0; a person
            # also reads why (when files could not be read, nothing_read_text below says it)
            print(empty_text(result, args.threshold, recursive=args.recursive), file=sys.stderr)
    else:
        text = list_text(result, duplicates, recursive=args.recursive)
    if isinstance(sys.stdout, __import__("io").TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    print(text)  # a reader gone away (`| head`) is main's to handle
    failed = nothing_read_text(result)
    if failed is not None:
        sys.stdout.flush()  # the report first, then why the status is not 0
        print(f"{PROG}: {failed}", file=sys.stderr)
        return EXIT_NOTHING_READ
    return 0


def _journal_command(args: argparse.Namespace) -> int:
    """--journal prints where the journal is; --undo lists batches and puts one back."""
    from .core.journal import Journal
    from .core.recovery import recover_interrupted
    from .core.undo import undo_batch

    if args.directories or args.demo:
        flag = "--undo" if args.undo is not None else "--journal"
        raise SimdupError(f"{flag} works on the journal, not on a folder: leave DIR out")
    journal = Journal()
    if args.journal:
        print(journal.folder)
        return 0
    if isinstance(sys.stdout, __import__("io").TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    recover_interrupted(journal)  # the list tells the truth about interrupted batches too
    # Every file is put back and journaled before a line is printed: a reader that goes away
    # (`--undo | head -1`) can never leave the undo half done.
    lines = _batch_lines(journal)
    report = undo_batch(journal, args.undo or None)
    if report.batch is None:
        lines.append(f"nothing to undo: no batch with files out in the journal {journal.folder}")
    else:
        for result in report.results:
            name = printable(str(result.path), exact=True)  # may hold escapes or a newline
            if result.restored:
                lines.append(f"restored      {name}")
            else:
                lines.append(f"not restored  {name}: {result.reason}")
        restored, left = len(report.restored), len(report.not_restored)
        if not report.results:
            lines.append(f"batch {report.batch}: nothing left to put back")
        else:
            lines.append(f"batch {report.batch}: {restored} restored, {left} not restored")
    print("\n".join(lines))
    return 0 if report.complete else 1


def _batch_lines(journal: Journal, limit: int = 10) -> list[str]:
    """The batches, newest first: when, folder, how many, to where, how many still out."""
    from .ui.wording import batch_line  # plain words, no Textual

    records = list(journal.batches())
    if not records:
        return []
    lines = ["batches (newest first):"]
    lines += [f"  {batch_line(record)}" for record in records[:limit]]
    if len(records) > limit:
        lines.append(f"  … and {len(records) - limit} older (simdup-tui --journal shows where)")
    return [*lines, ""]


def _with_demo_gallery(args: argparse.Namespace) -> int:
    """Run on a generated gallery in a temporary folder, removed afterwards."""
    import shutil
    import tempfile
    from pathlib import Path

    from .demo import make_demo_gallery

    if args.directories:
        raise SimdupError("--demo makes its own folder: leave DIR out")
    folder = Path(tempfile.mkdtemp(prefix="simdup-demo-"))
    try:
        folders = check_folders([make_demo_gallery(folder)])
        protected = check_protected(args.protect, folders)
        if args.json or args.list:
            return _headless(args, folders, protected)
        return _run_app(args, folders, protected)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_app(
    args: argparse.Namespace, folders: tuple[Path, ...], protected: tuple[Path, ...]
) -> int:
    """Start the app; the colour system is settled before Textual is first imported."""
    directory = folders[0]
    from .ui.color_mode import color_environment, detect_color_mode

    if args.move_to is not None:
        from .core.plan import check_move_to_folders

        args.move_to = check_move_to_folders(args.move_to, folders, recursive=args.recursive)
    mode = detect_color_mode(args.color)
    os.environ.update(color_environment(mode))  # read by Textual when it is first imported
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise SimdupError("the app needs a terminal; use --json or --list in scripts")
    from .ui.graphics_mode import detect_graphics_mode, drain_answers

    graphics = detect_graphics_mode(args.graphics)  # asks the terminal before Textual reads it
    unread = drain_answers() if args.graphics != "halfblock" else ""
    from .ui.app import run_app
    from .ui.config import AppConfig

    config = AppConfig(
        directory=Path(directory),
        directories=folders,
        keep_order=args.keep,
        protected=protected,
        threshold=args.threshold,
        recursive=args.recursive,
        hidden=args.hidden,
        color_mode=mode,
        graphics=graphics,
        unread_keys=unread,
        **_app_options(args),
    )
    return run_app(config)


def _app_options(args: argparse.Namespace) -> dict[str, object]:
    """Options other issues add (cache, destination), passed on when present."""
    options: dict[str, object] = {}
    if getattr(args, "no_cache", False):
        options["use_cache"] = False
    if getattr(args, "move_to", None) is not None:
        options["move_to"] = args.move_to
    if getattr(args, "fresh", False):
        options["fresh"] = True
    if getattr(args, "strict", False):
        options["strict"] = True
    if not getattr(args, "grey", True):
        options["grey"] = False
    return options


if __name__ == "__main__":
    sys.exit(main())
