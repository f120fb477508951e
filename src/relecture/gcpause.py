"""Pausing the cyclic garbage collector while a large acyclic structure is built or walked."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (nested pauses are fine: the outermost resumes it).

    Reading a review file or checking a corpus allocates millions of objects and no cycles;
    each allocation burst triggers collections that rescan everything built so far
    (100,000 segments: 2.0 s -> 1.1 s to read without them).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
