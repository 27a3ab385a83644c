"""The reports printed without the app: --json for scripts, --list for people."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from .core.duplicates import Duplicates
from .core.humanize import format_bytes, format_difference, format_threshold, plural, printable
from .core.scan import ScanResult


def with_bytes(key: str, text: str) -> dict[str, str]:
    """{key: text}, plus {key_bytes: base64 of the raw bytes} when the name is not valid UTF-8
    (JSON strings cannot hold such bytes; a script decodes the base64 to reach the file)."""
    entry = {key: text}
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        entry[f"{key}_bytes"] = base64.b64encode(os.fsencode(text)).decode("ascii")
    return entry


def json_report(result: ScanResult, duplicates: Duplicates) -> dict[str, Any]:
    """The --json document: paths relative to the scanned folder."""
    rel = result.relative
    return {
        **with_bytes("directory", str(result.root)),
        "threshold": duplicates.threshold,
        "photos": len(result.summaries),
        "clusters": [
            {
                **with_bytes("keeper", rel(cluster.keeper.path)),
                "reclaimable": cluster.reclaimable,
                "files": [
                    {
                        **with_bytes("path", rel(member.summary.path)),
                        "difference": member.difference,
                        "width": member.summary.width,
                        "height": member.summary.height,
                        "size": member.summary.size,
                    }
                    for member in cluster.members
                ],
            }
            for cluster in duplicates.clusters
        ],
        "pairs": [
            {
                **with_bytes("a", rel(pair.first.path)),
                **with_bytes("b", rel(pair.second.path)),
                "difference": pair.difference,
            }
            for pair in duplicates.pairs
        ],
        "errors": [
            {**with_bytes("path", rel(error.path)), "reason": error.reason}
            for error in result.errors
        ],
    }


def json_text(result: ScanResult, duplicates: Duplicates) -> str:
    # ensure_ascii keeps the output valid UTF-8 JSON even for names that are not valid UTF-8.
    return json.dumps(json_report(result, duplicates), indent=2, ensure_ascii=True)


def list_text(result: ScanResult, duplicates: Duplicates) -> str:
    """A plain report in the tutorial's spirit: the pairs, then clusters with the keeper marked."""

    def rel(path: Path) -> str:  # names may hold escape codes or newlines: never print them raw
        return printable(result.relative(path), exact=True)

    lines = [
        f"Scanned {plural(len(result.summaries), 'photo')} in "
        f"{printable(str(result.root), exact=True)} "
        f"at threshold {format_threshold(duplicates.threshold)}."
    ]
    if not duplicates.pairs:
        lines.append("No near-duplicates found.")
    else:
        lines.append("Near-duplicates found:")
        for pair in duplicates.pairs:
            lines.append(
                f"('{rel(pair.first.path)}', '{rel(pair.second.path)}')  "
                f"{format_difference(pair.difference)}"
            )
        total = sum(cluster.reclaimable for cluster in duplicates.clusters)
        lines.append("")
        lines.append(
            f"{plural(len(duplicates.clusters), 'cluster')}, "
            f"{format_bytes(total)} reclaimable (* = keeper):"
        )
        for number, cluster in enumerate(duplicates.clusters, start=1):
            lines.append(
                f"{number}. {plural(len(cluster), 'photo')}, "
                f"{format_bytes(cluster.reclaimable)} reclaimable"
            )
            for index, member in enumerate(cluster.members):
                summary = member.summary
                sign = "*" if index == 0 else " "
                diff = "keeper" if index == 0 else format_difference(member.difference)
                lines.append(
                    f"   {sign} {rel(summary.path)}  {summary.width}x{summary.height}  "
                    f"{format_bytes(summary.size)}  {diff}"
                )
    if result.errors:
        lines.append("")
        lines.append(f"Could not read {plural(len(result.errors), 'file')}:")
        lines.extend(f"  {rel(error.path)}: {error.reason}" for error in result.errors)
    return "\n".join(lines)
