"""The reports printed without the app: --json for scripts, --list for people."""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .core.cluster import Cluster, Member
from .core.duplicates import Duplicates
from .core.humanize import (
    format_bytes,
    format_difference,
    format_threshold,
    format_to_free,
    plural,
    printable,
)
from .core.keeper import DEFAULT_ORDER
from .core.scan import ScanResult, display_name, relative_in
from .core.walk import has_subfolders


def with_bytes(key: str, text: str) -> dict[str, str]:
    """{key: text}, plus {key_bytes: base64 of the raw bytes} when the name is not valid UTF-8
    (JSON strings cannot hold such bytes; a script decodes the base64 to reach the file)."""
    entry = {key: text}
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        entry[f"{key}_bytes"] = base64.b64encode(os.fsencode(text)).decode("ascii")
    return entry


def _relative_paths(result: ScanResult) -> Callable[[Path], str]:
    """A path → relative-name function that makes each name once (reports stay linear)."""
    made: dict[Path, str] = {}
    folders = result.folders

    def rel(path: Path) -> str:
        name = made.get(path)
        if name is None:
            name = made[path] = relative_in(path, folders)
        return name

    return rel


def _folder_index(result: ScanResult) -> Callable[[Path], int]:
    folders = result.folders
    if len(folders) == 1:
        return lambda path: 0
    texts = [str(folder).rstrip("/") + "/" for folder in folders]

    def index(path: Path) -> int:
        text = str(path)
        best, length = 0, -1
        for number, prefix in enumerate(texts):
            if text.startswith(prefix) and len(prefix) > length:
                best, length = number, len(prefix)
        return best

    return index


def json_report(
    result: ScanResult, duplicates: Duplicates, *, pairs: bool = True
) -> dict[str, Any]:
    """The --json document (fields in the README): paths relative to the folder each photo
    came from; the pair list only when `pairs` is true."""
    rel = _relative_paths(result)
    folder_of = _folder_index(result)

    def entry(member: Member, keeper: bool = False) -> dict[str, Any]:
        summary = member.summary
        item: dict[str, Any] = {
            **with_bytes("path", rel(summary.path)),
            "difference": member.difference,
            "width": summary.width,
            "height": summary.height,
            "size": summary.size,
            "identical": member.identical,
            "looks_different": member.looks_different,
            "grey_copy": member.grey_copy,
            "frees": member.frees,
            "by_hand": not (keeper or member.suggested or member.protected),
        }
        if member.names.is_link:
            item["link"] = True
        if member.names.links > 1:
            item["hard_links"] = member.names.links
        if len(result.folders) > 1:
            item["folder"] = folder_of(summary.path)
        if member.names.other_names:
            item["other_names"] = [rel(name) for name in member.names.other_names]
        if member.protected:
            item["protected"] = True
        return item

    report: dict[str, Any] = {
        **with_bytes("directory", str(result.root)),
        "directories": [str(folder) for folder in result.folders],
        "threshold": duplicates.threshold,
        "strict": duplicates.strict,
        "grey": duplicates.grey,
        "keep": list(duplicates.rules.order),
        "protected": [str(path) for path in duplicates.rules.protected],
        "photos": len(result.summaries),
        "pair_count": duplicates.pair_count,
        "reclaimable": sum(cluster.reclaimable for cluster in duplicates.clusters),
        "reclaimable_by_hand": sum(cluster.by_hand for cluster in duplicates.clusters),
        "clusters": [
            {
                **with_bytes("keeper", rel(cluster.keeper.path)),
                "why": cluster.why,
                "reclaimable": cluster.reclaimable,
                "reclaimable_by_hand": cluster.by_hand,
                "files": [
                    entry(member, keeper=index == 0) for index, member in enumerate(cluster.members)
                ],
            }
            for cluster in duplicates.clusters
        ],
    }
    if pairs:
        report["pairs"] = [
            {
                **with_bytes("a", rel(pair.first.path)),
                **with_bytes("b", rel(pair.second.path)),
                "difference": pair.difference,
                **({"grey_copy": True} if pair.grey_copy else {}),
            }
            for pair in duplicates.pairs
        ]
        report["rejected_pairs"] = [
            {"a": rel(pair.first.path), "b": rel(pair.second.path), "difference": pair.difference}
            for pair in duplicates.rejected_pairs
        ]
    report["errors"] = [
        {**with_bytes("path", rel(error.path)), "reason": error.reason} for error in result.errors
    ]
    return report


def json_text(result: ScanResult, duplicates: Duplicates, *, pairs: bool = True) -> str:
    """The document with one line per field, cluster, pair and error: readable, diffable, and
    encoded by json's C encoder (indent=2 falls back to Python: ten times slower)."""
    # ensure_ascii keeps the output valid UTF-8 JSON even for names that are not valid UTF-8.
    report = json_report(result, duplicates, pairs=pairs)
    lines = []
    for key, value in report.items():
        name = json.dumps(key)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items = ",\n".join(f"    {json.dumps(item, ensure_ascii=True)}" for item in value)
            lines.append(f"  {name}: [\n{items}\n  ]")
        else:
            lines.append(f"  {name}: {json.dumps(value, ensure_ascii=True)}")
    return "{\n" + ",\n".join(lines) + "\n}"


def empty_text(
    result: ScanResult, threshold: float, *, recursive: bool = False, recorded: int = 0
) -> str:
    """What --list says when it found no near-duplicates (and --json on stderr when it found no
    photo): the words the app uses, with options instead of keys. `recorded`: close pairs
    left out because they are recorded as not duplicates."""
    from .ui import wording  # plain words, no Textual

    photos = len(result.summaries)
    errors = len(result.errors)
    if photos == 0:
        return wording.no_photos_text(
            [printable(str(folder), exact=True) for folder in result.folders],
            recursive=recursive,
            subfolders=not recursive and any(map(has_subfolders, result.folders)),
            unreadable=f" ({plural(errors, 'file')} could not be read: see below)"
            if errors
            else "",
        )
    if photos == 1:
        return wording.no_duplicates_text(photos, threshold)
    return (
        f"No near-duplicates found{wording.recorded_note(recorded)}. "
        f"{wording.higher_threshold_option(threshold)}"
    )


def list_text(result: ScanResult, duplicates: Duplicates, *, recursive: bool = False) -> str:
    """A plain report in the tutorial's spirit: the pairs, then clusters with the keeper marked
    and why it is kept. `recursive`: whether subfolders were scanned (said when none was)."""
    made: dict[Path, str] = {}
    roots = result.folders

    def rel(path: Path) -> str:  # names may hold escape codes or newlines: never print them raw
        name = made.get(path)
        if name is None:
            name = made[path] = printable(display_name(path, roots), exact=True)
        return name

    if len(roots) > 1:
        folders = ", ".join(
            f"{number}: {printable(str(folder), exact=True)}"
            for number, folder in enumerate(roots, 1)
        )
        where = f"{len(roots)} folders ({folders})"
    else:
        where = printable(str(roots[0]), exact=True)
    lines = [
        f"Scanned {plural(len(result.summaries), 'photo')} in {where} "
        f"at threshold {format_threshold(duplicates.threshold)}"
        f"{' with the strict check' if duplicates.strict else ''}"
        f"{' without the grey-copy match' if not duplicates.grey else ''}."
    ]
    if tuple(duplicates.rules.order) != DEFAULT_ORDER:
        lines.append(f"Keeper rules: {','.join(duplicates.rules.order)}.")
    if not duplicates.clusters and not duplicates.pair_count:
        recorded = duplicates.recorded_count
        lines.append(
            empty_text(result, duplicates.threshold, recursive=recursive, recorded=recorded)
        )
    else:
        lines.append("Near-duplicates found:")
        for pair in duplicates.pairs:
            lines.append(
                f"('{rel(pair.first.path)}', '{rel(pair.second.path)}')  "
                f"{format_difference(pair.difference)}"
                f"{'  on brightness (one is greyscale)' if pair.grey_copy else ''}"
            )
        lines.append("")
        lines.extend(_cluster_lines(duplicates.clusters, rel))
    rejected = len(duplicates.rejected_pairs) if duplicates.strict else 0
    if rejected:
        lines.append("")
        lines.append(f"Left out by the strict check: {plural(rejected, 'pair')}.")
    if result.errors:
        lines.append("")
        lines.append(f"{could_not_read(result)}:")
        lines.extend(f"  {rel(error.path)}: {error.reason}" for error in result.errors)
    return "\n".join(lines)


def could_not_read(result: ScanResult) -> str:
    """ "Could not read 3 files": the head of --list's list of unreadable files."""
    return f"Could not read {plural(len(result.errors), 'file')}"


def nothing_read_text(result: ScanResult) -> str | None:
    """Photo files were found but none could be read (exit status 1 for --list and --json, so
    a script never takes it for "no duplicates"): how many and why, each reason counted once;
    None when a photo was read or nothing was found."""
    if result.summaries or not result.errors:
        return None
    reasons = Counter(error.reason for error in result.errors)
    why = ", ".join(f"{reason} ({count})" for reason, count in reasons.most_common())
    return f"no photo could be read. {could_not_read(result)}: {why}."


def _cluster_lines(clusters: Sequence[Cluster], rel: Callable[[Path], str]) -> list[str]:
    total = sum(cluster.reclaimable for cluster in clusters)
    by_hand = sum(cluster.by_hand for cluster in clusters)
    lines = [f"{plural(len(clusters), 'cluster')}, {format_to_free(total, by_hand)} (* = keeper):"]
    for number, cluster in enumerate(clusters, start=1):
        lines.append(
            f"{number}. {plural(len(cluster), 'photo')}, "
            f"{format_to_free(cluster.reclaimable, cluster.by_hand)}"
        )
        for index, member in enumerate(cluster.members):
            summary = member.summary
            sign = "*" if index == 0 else " "
            if index == 0:
                diff = f"keeper ({cluster.why})" if cluster.why else "keeper"
            else:
                diff = format_difference(member.difference)
            notes = "".join(f"  {note}" for note in member.notes(rel))
            if member.looks_different:  # the strict check (the app's preview says why)
                notes += "  (looks different up close)"
            lines.append(
                f"   {sign} {rel(summary.path)}  {summary.width}x{summary.height}  "
                f"{format_bytes(summary.size)}  {diff}{notes}"
            )
    return lines
