"""Keeper-centred clusters: no chains, every member close to its keeper, identical rows folded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simdup_tui.core.distance import brute_force_pairs, difference, stack
from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.keeper import KeeperRules
from simdup_tui.core.summary import SUMMARY_BYTES, Summary


def flat(name: str, shade: float, **facts: object) -> Summary:
    values: dict[str, object] = dict(width=100, height=100, size=1000, mtime_ns=0)
    values.update(facts)
    pixels = bytes([round(shade)]) * SUMMARY_BYTES
    return Summary(Path("/p") / name, pixels, format="JPEG", **values)  # type: ignore[arg-type]


def test_a_pan_of_thirty_photos_is_not_one_cluster() -> None:
    """Each photo 0.024 from the next: components chain, keeper-centred clusters do not."""
    pan = [flat(f"pan_{n:02}.jpg", 20 + n * 6, width=100 + n) for n in range(30)]
    duplicates = find_duplicates(pan, 0.07)
    assert duplicates.pair_count == 29 + 28  # neighbours, and neighbours but one
    assert len(duplicates.clusters) > 5
    for cluster in duplicates.clusters:
        for member in cluster.members:
            assert difference(cluster.keeper, member.summary) < 0.07
            assert member.difference == difference(cluster.keeper, member.summary)


def test_five_thousand_identical_copies_are_one_row_and_one_cluster() -> None:
    copies = [flat(f"copy_{n:04}.jpg", 120, mtime_ns=n) for n in range(5000)]
    other = flat("other.jpg", 200)
    duplicates = find_duplicates([*copies, other], 0.0001, max_pairs=10)
    [cluster] = duplicates.clusters
    assert len(cluster) == 5000 and cluster.keeper.path.name == "copy_0000.jpg"
    assert all(member.difference == 0.0 for member in cluster.members)
    assert duplicates.pair_count == 5000 * 4999 // 2  # counted, not built


def test_pairs_of_folded_rows_are_every_photo_pair() -> None:
    photos = [flat("a.jpg", 10), flat("b.jpg", 10), flat("c.jpg", 12), flat("d.jpg", 90)]
    pairs = find_duplicates(photos, 0.07).pairs
    names = [(p.first.path.name, p.second.path.name, p.difference) for p in pairs]
    assert names == [
        ("a.jpg", "b.jpg", 0.0),
        ("a.jpg", "c.jpg", 2 / 255),
        ("b.jpg", "c.jpg", 2 / 255),
    ]


def random_summaries(data: st.DataObject) -> list[Summary]:
    """Random or near-duplicate-rich summaries: noisy copies of a few base images."""
    seed = data.draw(st.integers(0, 2**32 - 1))
    count = data.draw(st.integers(2, 60))
    bases = data.draw(st.integers(1, 6))
    noise = data.draw(st.sampled_from([0, 3, 8, 20, 60]))
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, size=(bases, SUMMARY_BYTES))
    summaries = []
    for index in range(count):
        pixels = base[rng.integers(bases)] + rng.integers(-noise, noise + 1, SUMMARY_BYTES)
        if data.draw(st.booleans()) and summaries:  # an exact copy of an earlier one
            pixels = np.frombuffer(summaries[-1].pixels, dtype=np.uint8).astype(np.int64)
        summaries.append(
            Summary(
                Path(f"/p/{index:03}.jpg"),
                np.clip(pixels, 0, 255).astype(np.uint8).tobytes(),
                width=int(rng.integers(1, 4)) * 100,
                height=100,
                format="JPEG",
                size=int(rng.integers(1, 5)) * 1000,
                mtime_ns=int(rng.integers(0, 3)),
                camera="Cam" if rng.random() < 0.3 else "",
            )
        )
    return summaries


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), threshold=st.sampled_from([0.01, 0.03, 0.07, 0.15, 0.3]))
def test_clusters_are_disjoint_deterministic_and_close_to_their_keeper(data, threshold) -> None:
    summaries = random_summaries(data)
    duplicates = find_duplicates(summaries, threshold)
    seen: set[Path] = set()
    for cluster in duplicates.clusters:
        assert len(cluster) >= 2
        for member in cluster.members:
            assert member.summary.path not in seen
            seen.add(member.summary.path)
            assert difference(cluster.keeper, member.summary) < threshold
    # Every photo with a close partner is in some cluster or could not join one; no photo close
    # to a keeper is left out of every cluster.
    keepers = [cluster.keeper for cluster in duplicates.clusters]
    for summary in summaries:
        if summary.path not in seen:
            assert all(difference(keeper, summary) >= threshold for keeper in keepers)
    # The pairs are exactly those brute force finds.
    want = [(i, j) for i, j, _ in brute_force_pairs(stack(summaries), threshold)]
    index = {s.path: n for n, s in enumerate(summaries)}
    assert [(index[p.first.path], index[p.second.path]) for p in duplicates.pairs] == want
    # A chosen keeper (`p`) gets its own cluster of everything within the threshold of it.
    chosen = summaries[data.draw(st.integers(0, len(summaries) - 1))]
    regrouped = duplicates.regroup(KeeperRules(preferred={chosen.path})).clusters
    near = {s.path for s in summaries if s is not chosen and difference(chosen, s) < threshold}
    if near:
        [mine] = [c for c in regrouped if c.keeper is chosen]
        assert {m.summary.path for m in mine.others} == near
    for cluster in regrouped:
        assert all(difference(cluster.keeper, m.summary) < threshold for m in cluster.members)
    # Deterministic: the same input in another order gives the same clusters.
    again = find_duplicates(list(reversed(summaries)), threshold)
    reshuffled = KeeperRules()
    assert _shape(again.clusters) == _shape(duplicates.clusters)
    assert _shape(duplicates.regroup(reshuffled).clusters) == _shape(duplicates.clusters)


def _shape(clusters) -> list[tuple[Path, frozenset[Path]]]:
    return sorted((c.keeper.path, frozenset(m.summary.path for m in c.members)) for c in clusters)


def test_regroups_that_reuse_ranks_match_a_fresh_clustering() -> None:
    """Ranks kept across regroups (p, then o, then back) never leave stale keepers behind."""
    photos = [
        flat(f"p{n:02}.jpg", 20 + n * 5, width=100 + (n * 7) % 11, size=1000 + (n * 13) % 17)
        for n in range(24)
    ]
    duplicates = find_duplicates(photos, 0.07)
    steps = [
        KeeperRules(preferred={photos[3].path}),
        KeeperRules(("size", "pixels"), preferred={photos[3].path}),
        KeeperRules(("size", "pixels"), preferred={photos[8].path}),
        KeeperRules(),
    ]
    for rules in steps:
        duplicates = duplicates.regroup(rules)
        fresh = find_duplicates(photos, 0.07, rules=rules)
        assert [(c.keeper.path, c.why) for c in duplicates.clusters] == [
            (c.keeper.path, c.why) for c in fresh.clusters
        ]
        assert _shape(duplicates.clusters) == _shape(fresh.clusters)
        assert [[m.looks_different for m in c.members] for c in duplicates.clusters] == [
            [m.looks_different for m in c.members] for c in fresh.clusters
        ]  # strict verdicts kept across regroups are those a fresh check gives
