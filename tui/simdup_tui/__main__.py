"""The simdup-tui command: the app by default, --json/--list headless reports."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .core.duplicates import DEFAULT_THRESHOLD, find_duplicates, parse_threshold
from .core.errors import SimdupError
from .core.scan import check_directory, scan

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


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog=PROG,
        description="Find near-duplicate photos in DIR and clean them up from the keyboard.",
        epilog="Two photos are near-duplicates when the mean per-channel difference of their "
        "16x16 summaries is below the threshold.",
    )
    parser.add_argument("directory", nargs="?", metavar="DIR", help="folder of photos to scan")
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
        "-r", "--recursive", action="store_true", help="also scan subfolders"
    )
    parser.add_argument(
        "--hidden",
        action="store_true",
        help="include hidden files and folders (and NAS folders such as @eaDir)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json", action="store_true", help="print the clusters as JSON and exit (read-only)"
    )
    output.add_argument(
        "--list", action="store_true", help="print a plain report and exit (read-only)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.directory is None:
            parser.error("a folder to scan is needed: simdup-tui DIR")
        directory = check_directory(args.directory)
        if args.json or args.list:
            return _headless(args, directory)
        return _run_app(args, directory)
    except SimdupError as error:
        print(f"{PROG}: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _headless(args: argparse.Namespace, directory: os.PathLike[str]) -> int:
    from .headless import json_text, list_text

    result = scan(directory, recursive=args.recursive, hidden=args.hidden)
    duplicates = find_duplicates(result.summaries, args.threshold)
    text = json_text(result, duplicates) if args.json else list_text(result, duplicates)
    if isinstance(sys.stdout, __import__("io").TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `simdup-tui DIR --list | head` is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _run_app(args: argparse.Namespace, directory: os.PathLike[str]) -> int:
    print(f"{PROG}: the interactive app is not built yet; use --json or --list", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
