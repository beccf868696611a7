"""The cyclic garbage collector, paused while a run builds its data.

A run allocates millions of objects (syntax trees, summaries, findings) and
keeps most of them to the end. CPython's collector starts a collection every
700 net allocations of container objects and, every so often, walks every
object the run still holds: on Django that was a quarter of a cold run's CPU
time (``bench/profile_cold.py``), and it freed almost nothing. What a run
builds is plain data: a syntax tree, a summary and a finding hold no
reference cycles, so reference counting frees them when they are dropped.
What cyclic garbage a run does make (a few structures of the run as a whole)
is collected after the pause, when the collector runs again.

Measured in ``bench/README.md``: the same findings, byte for byte, and the
same peak memory.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(*, freeze: bool = False) -> Iterator[None]:
    """No cyclic collection inside; a pause inside another changes nothing.

    ``freeze``: when the pause ends, move every object alive to the
    collector's permanent generation (:func:`gc.freeze`), so that the
    collector never walks them again. For a process that ends soon after (the
    command line): its run's data is never freed before the exit anyway, and
    walking it once more would only cost time. Never for a library call, whose
    caller's process lives on.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.enable()
