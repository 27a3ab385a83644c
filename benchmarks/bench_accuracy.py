"""Accuracy on a labelled corpus, with and without --strict, and the cold-scan time of both.

Builds accuracy_corpus.py's generated corpus (copies that must match, look-alikes that must
not) in a temporary folder, scans it cold (no cache) and prints precision, recall and F1 per
kind at the default threshold, without and with the strict check.

    python benchmarks/bench_accuracy.py [--scenes 24] [--quick]

Goals (issue 10): with --strict, F1 >= 0.95 with nearly every distractor rejected; a cold scan
with --strict at most 20% slower than without.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from accuracy_corpus import DISTRACTOR_KINDS, MATCH_KINDS, Labels, make_accuracy_corpus

from simdup_tui.core import summary as summary_module
from simdup_tui.core.duplicates import DEFAULT_THRESHOLD, Duplicates, find_duplicates
from simdup_tui.core.scan import scan


@contextmanager
def no_detail() -> Iterator[None]:
    """Scan as before the strict check: no detail of low-contrast pictures computed."""
    original = summary_module.describe_detail
    summary_module.describe_detail = lambda rgb: b""
    try:
        yield
    finally:
        summary_module.describe_detail = original


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(labels: Labels, duplicates: Duplicates) -> dict[str, tuple[float, float, float, int]]:
    """kind -> (precision, recall, F1, false pairs); "all" for the whole corpus."""
    found = {frozenset((p.first.path.name, p.second.path.name)) for p in duplicates.pairs}
    same = {pair for pair in found if len({labels.group[name] for name in pair}) == 1}
    scores = {}
    for kind in (*MATCH_KINDS, *DISTRACTOR_KINDS):
        files = {name for name, k in labels.kind.items() if k == kind}
        reported = {pair for pair in found if pair & files}
        false = reported - same
        expected = {frozenset((name, labels.reference[name])) for name in files
                    if name in labels.reference}  # fmt: skip
        precision = (len(reported) - len(false)) / len(reported) if reported else 1.0
        recall = len(expected & found) / len(expected) if expected else float("nan")
        scores[kind] = (precision, recall, f1(precision, recall), len(false))
    members: dict[str, list[str]] = {}
    for name, group in labels.group.items():
        members.setdefault(group, []).append(name)
    truth = {frozenset(pair) for names in members.values() for pair in combinations(names, 2)}
    precision = len(same) / len(found) if found else 1.0
    recall = len(same) / len(truth)
    scores["all"] = (precision, recall, f1(precision, recall), len(found - same))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=24)
    parser.add_argument("--quick", action="store_true", help="6 scenes")
    args = parser.parse_args()
    if args.quick:
        args.scenes = 6
    folder = Path(tempfile.mkdtemp(prefix="simdup-bench-accuracy-"))
    try:
        start = time.perf_counter()
        labels = make_accuracy_corpus(folder, args.scenes)
        written = time.perf_counter() - start
        print(f"corpus: {len(labels.kind)} files from {args.scenes} scenes ({written:.0f} s)")
        scan_times, cluster_times = [], {False: [], True: []}
        bare_times = []
        results: dict[bool, Duplicates] = {}
        for _ in range(3):  # cold every time (no cache); best of 3, taking turns
            start = time.perf_counter()
            with no_detail():
                scan(folder)
            bare_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = scan(folder)
            scan_times.append(time.perf_counter() - start)
            for strict in (False, True):  # the same summaries: --strict reads no file
                start = time.perf_counter()
                results[strict] = find_duplicates(result.summaries, DEFAULT_THRESHOLD,
                                                  strict=strict)  # fmt: skip
                cluster_times[strict].append(time.perf_counter() - start)
        plain, strict = (score(labels, results[flag]) for flag in (False, True))
        tutorial = score(labels, find_duplicates(result.summaries, DEFAULT_THRESHOLD,
                                                 strict=True, grey=False))  # fmt: skip
        distractor_files = {n for n, k in labels.kind.items() if k in DISTRACTOR_KINDS}
        print(f"\nthreshold {DEFAULT_THRESHOLD}; P/R/F1 per kind (false = pairs that should "
              "not be there)")  # fmt: skip
        print(f"{'kind':16s} {'16x16 only':>26s}   {'with --strict':>26s}")
        for kind in (*MATCH_KINDS, *DISTRACTOR_KINDS, "all"):
            cells = []
            for table in (plain, strict):
                precision, recall, f, false = table[kind]
                if kind in DISTRACTOR_KINDS:
                    cells.append(f"{false:4d} false pairs" + " " * 12)
                else:
                    cells.append(f"{precision:.3f} {recall:.3f} {f:.3f} {false:4d}f")
            print(f"{kind:16s} {cells[0]:>26s}   {cells[1]:>26s}")
        plain_false = sum(plain[k][3] for k in DISTRACTOR_KINDS)
        strict_false = sum(strict[k][3] for k in DISTRACTOR_KINDS)
        rejected = 1 - strict_false / plain_false if plain_false else 1.0
        print(f"\ndistractor pairs found by the 16x16 test: {plain_false}; left by --strict: "
              f"{strict_false} ({rejected:.1%} rejected) among {len(distractor_files)} "
              "distractor files")  # fmt: skip
        found = {frozenset((p.first.path.name, p.second.path.name)) for p in results[False].pairs}
        kept = {frozenset((p.first.path.name, p.second.path.name)) for p in results[True].pairs}
        true = {pair for pair in found if len({labels.group[name] for name in pair}) == 1}
        own_p = len(kept & true) / len(kept) if kept else 1.0
        own_r = len(kept & true) / len(true) if true else 1.0
        print(f"the strict check alone, on the {len(found)} pairs the 16x16 test found: "
              f"precision {own_p:.3f}, recall {own_r:.3f}, F1 {f1(own_p, own_r):.3f}")  # fmt: skip
        scanned, bare = min(scan_times), min(bare_times)
        best = {flag: scanned + min(values) for flag, values in cluster_times.items()}
        print(f"with --strict --no-grey (greyscale compared per channel): greyscale recall "
              f"{tutorial['greyscale'][1]:.3f}, F1 {tutorial['all'][2]:.3f}; with the grey-copy "
              f"match: {strict['greyscale'][1]:.3f}, {strict['all'][2]:.3f}")  # fmt: skip
        print(f"cold scan {scanned:.2f} s, the same with or without --strict (no extra decode); "
              f"{bare:.2f} s without the detail of low-contrast pictures "
              f"({scanned / bare:.3f}x)")  # fmt: skip
        print(f"clusters {min(cluster_times[False]) * 1000:.1f} ms without, "
              f"{min(cluster_times[True]) * 1000:.1f} ms with --strict")  # fmt: skip
        print(f"cold scan + clusters: {best[False]:.2f} s without, {best[True]:.2f} s with "
              f"--strict ({best[True] / best[False]:.3f}x; against a scan without the detail "
              f"{best[True] / (bare + min(cluster_times[False])):.3f}x; goal <= 1.20x), "
              "best of 3")  # fmt: skip
        print_results(labels, results, best[True] / best[False],
                      best[True] / (bare + min(cluster_times[False])),
                      no_grey=tutorial)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def print_results(
    labels: Labels,
    results: dict[bool, Duplicates],
    slower: float,
    slower_than_bare: float,
    no_grey: dict[str, tuple[float, float, float, int]] | None = None,
) -> None:
    """The README table's rows (benchmarks/table.py): F1, distractors, time with --strict;
    `no_grey`: the scores with --strict --no-grey, for the greyscale copies' recall without
    the grey-copy match."""
    plain, strict = (score(labels, results[flag]) for flag in (False, True))
    weak = [f"{kind} (F1 {strict[kind][2]:.3f}, recall {strict[kind][1]:.2f})"
            for kind in MATCH_KINDS if strict[kind][2] < 1]  # fmt: skip
    found = {frozenset((p.first.path.name, p.second.path.name)) for p in results[False].pairs}
    kept = {frozenset((p.first.path.name, p.second.path.name)) for p in results[True].pairs}
    true = {pair for pair in found if len({labels.group[name] for name in pair}) == 1}
    own_p = len(kept & true) / len(kept) if kept else 1.0
    own_r = len(kept & true) / len(true) if true else 1.0
    kinds = f"every kind at 1.000 but {', '.join(weak)}" if weak else "every kind at 1.000"
    if no_grey is not None:
        kinds += f"; greyscale recall with `--no-grey`: {no_grey['greyscale'][1]:.2f}"
    print(
        f"RESULT | labelled corpus ({len(labels.kind):,} files), `--strict`: F1 | at least 0.95 | "
        f"**{strict['all'][2]:.3f}** overall (16x16 only: {plain['all'][2]:.3f}): {kinds}; the "
        f"strict check on the {len(found):,} pairs found: **F1 {f1(own_p, own_r):.3f}** | "
        "`python benchmarks/bench_accuracy.py`"
    )
    before = sum(plain[kind][3] for kind in DISTRACTOR_KINDS)
    left = sum(strict[kind][3] for kind in DISTRACTOR_KINDS)
    clean = [kind for kind in DISTRACTOR_KINDS if plain[kind][3] and not strict[kind][3]]
    print(
        f"RESULT | distractors rejected by `--strict` | nearly all | "
        f"**{1 - left / before if before else 1:.1%}** ({before - left:,} of {before:,} false "
        f"pairs; every one of {', '.join(clean) or 'no kind'}) | "
        "`python benchmarks/bench_accuracy.py`"
    )
    print(
        f"RESULT | cold scan + clusters with `--strict` | at most 1.20x | **{slower:.2f}x** "
        f"without `--strict`; **{slower_than_bare:.2f}x** against a scan from before the strict "
        "check (the detail of low-contrast pictures) | `python benchmarks/bench_accuracy.py`"
    )


if __name__ == "__main__":
    main()
