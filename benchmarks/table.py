"""The README's performance table, made from the benchmarks' own output (one table, one source).

Every benchmark ends with lines `RESULT | what | target | measured | command`. This script runs
them one after another (or reads their saved output with --from), keeps those lines in order and
prints the table; --write puts it into README.md between its bench-table markers.

    python benchmarks/table.py [--quick] [--save DIR | --from DIR] [--write]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BENCHMARKS = [
    "bench_scan.py",
    "bench_cache.py",
    "bench_pairs.py",
    "bench_memory.py",
    "bench_ui_scan.py",
    "bench_uniform.py",
    "bench_delete.py",
    "bench_big_photos.py",
    "bench_accuracy.py",
    "bench_keys.py",
    "bench_marking.py",
    "bench_threshold.py",
    "bench_compare.py",
]
"""In the order of the table; each prints its rows as RESULT lines."""
START, END = "<!-- bench-table -->", "<!-- /bench-table -->"
HEADER = "| what | target | measured | command |\n| --- | --- | --- | --- |"


def result_rows(output: str) -> list[str]:
    """The table rows in one benchmark's output."""
    rows = []
    for line in output.splitlines():
        if line.startswith("RESULT |"):
            rows.append("|" + line[len("RESULT |") :].rstrip() + " |")
    return rows


def outputs(args: argparse.Namespace) -> list[str]:
    texts = []
    for name in BENCHMARKS:
        if args.source is not None:
            saved = args.source / f"{Path(name).stem}.txt"
            texts.append(saved.read_text() if saved.exists() else "")
            continue
        command = [sys.executable, str(HERE / name), *(["--quick"] if args.quick else [])]
        print(f"running {' '.join(command[1:])}", file=sys.stderr)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
        texts.append(done.stdout)
        if args.save is not None:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{Path(name).stem}.txt").write_text(done.stdout)
    return texts


def write_table(readme: Path, table: str) -> None:
    text = readme.read_text()
    before, start, rest = text.partition(START)
    _, end, after = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{readme} has no {START} ... {END} markers")
    readme.write_text(f"{before}{START}\n{table}\n{END}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="run each benchmark with --quick")
    parser.add_argument("--save", type=Path, help="keep each benchmark's output in this folder")
    parser.add_argument("--from", dest="source", type=Path, help="read saved outputs instead")
    parser.add_argument("--write", action="store_true", help="put the table into README.md")
    args = parser.parse_args()
    rows = [row for text in outputs(args) for row in result_rows(text)]
    table = "\n".join([HEADER, *rows])
    print(table)
    if args.write:
        write_table(HERE.parent / "README.md", table)


if __name__ == "__main__":
    main()
