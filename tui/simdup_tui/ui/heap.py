"""When Python's cycle collector runs: once the clusters are on screen, not in the middle of a key.

CPython's full collection walks every tracked object. With the summaries, clusters and tree of a
large library that is hundreds of thousands of objects: measured on the reference machine, 80 ms
with a 4-photo folder and about 500 ms with 20,000 clusters, and it fell wherever allocations
happened to cross the threshold: in the middle of a screen switch (opening the compare view or
the help), or of a key. After the clusters are shown, `settle()` collects once and moves what
survives into the permanent generation (`gc.freeze`), so later collections walk only what was
made since: the screen being opened, never the whole library again.

Frozen objects are still freed by reference counting; only garbage in reference cycles waits,
until the next settle (which unfreezes first) or `release()` when the app ends.

What is made after the freeze (Textual's line caches, pictures drawn, screens opened) builds up
again: measured with four photos, about 3,700 objects an open of the compare view, and a full
collection of 100,000 of them took 30 to 100 ms, again in the middle of opening a screen.
`tidy()` collects and freezes just those, at a moment the app is idle on its main screen.

What a tidy freezes and later becomes garbage in a cycle (a help screen's styles still in
Textual's caches, rows of a tree since rebuilt) is never collected while frozen: help opened 400
times with tidies between grew the traced heap from 13 to 28 MB. So once tidies have frozen
half as much again as the last settle did, the next tidy is a settle (the app is idle).
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def settle() -> float:
    """Collect everything once (frozen objects too), then freeze what survives.

    Returns the seconds it took (the collection of the whole heap: call it where a pause
    goes unnoticed, after a large change has been drawn).
    """
    global _settled
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _settled = gc.get_freeze_count()
    spent = time.perf_counter() - started
    log.debug("heap settled in %.0f ms, %d objects frozen", spent * 1000, gc.get_freeze_count())
    return spent


TIDY_FROM = 20_000
"""Objects made since the last freeze before `tidy` collects them (a walk of ~5 to 20 ms)."""
SETTLE_AFTER = 0.5
"""Objects frozen by tidies since the last settle, as a share of what it froze (at least
TIDY_FROM), before a tidy settles instead: frozen garbage stays within that share."""
_settled = 0
"""Objects frozen by the last settle."""


def tidy(minimum: int = TIDY_FROM, *, may_settle: bool = True) -> bool:
    """When `minimum` objects or more were made since the last freeze (and still live), collect
    them (frozen objects are not walked) and freeze what survives. Call it only while no
    passing screen is open: a dialog frozen open would, once closed, wait for the next settle.

    Once tidies have frozen SETTLE_AFTER as much again as the last settle, it settles instead
    (a walk of the whole heap, frozen garbage freed), unless not `may_settle` (the app is not
    idle: the settle waits for a tidy that may).

    Returns whether it collected. Nothing is frozen before the first settle (tests)."""
    frozen = gc.get_freeze_count()
    if not frozen:
        return False
    if sum(len(gc.get_objects(generation)) for generation in range(3)) < minimum:
        return False
    if may_settle and frozen - _settled > max(minimum, _settled * SETTLE_AFTER):
        settle()
        return True
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    log.debug("heap tidied in %.0f ms", (time.perf_counter() - started) * 1000)
    return True


def release() -> None:
    """Give the frozen objects back to the collector (the app is ending, or a test is)."""
    gc.unfreeze()
