"""Work after the keys waits for a pause: the checks are compiled once the reviewer stops
pressing keys (a thread building them takes the interpreter from the keys), and what they
build is then kept out of the garbage collector's full passes."""

from __future__ import annotations

import gc
import time

import pytest
from tests.tui.conftest import make_app, wait_until

from relecture.tui import app as app_module


async def test_checks_are_compiled_in_a_pause_not_between_keys(  # type: ignore[no-untyped-def]
    review_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "CHECKER_DELAY", 0.2)
    app = make_app(review_file())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app._checker is not None, "the checks compiled after the start")
        await app.workers.wait_for_complete()
        await pilot.press("j")
        app._checker = None  # as before its first build
        app._last_key = time.monotonic()  # a key just now
        app._prepare_checker()
        assert app._checker is None  # not while the keys come
        assert not [w for w in app.workers if w.group == "checker"]  # nor being built
        frozen = gc.get_freeze_count()
        await wait_until(pilot, lambda: app._checker is not None, "the checks compiled in the pause")
        await wait_until(pilot, lambda: gc.get_freeze_count() > frozen, "the compiled checks frozen")
        # A post-edit check needs them at any time: there they are.
        assert app.checker() is app._checker


async def test_a_pause_after_keys_settles_the_heap_and_the_collector_is_put_back(  # type: ignore[no-untyped-def]
    review_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "SETTLE_DELAY", 0.1)
    before = gc.get_threshold()
    app = make_app(review_file())
    async with app.run_test(size=(120, 40)) as pilot:
        assert gc.get_threshold()[0] == app_module.GC_YOUNG
        frozen = gc.get_freeze_count()
        await pilot.press("j", "j")
        assert app._settle_timer is not None  # armed by the keys
        await wait_until(pilot, lambda: app._settle_timer is None, "the heap settled in the pause")
        assert gc.get_freeze_count() > frozen
    assert gc.get_threshold() == before


async def test_a_burst_of_keys_leaves_the_middle_and_full_collections_to_the_pause(  # type: ignore[no-untyped-def]
    review_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held or typed ahead, keys run only young collections: a middle one walks every render
    strip the keys kept (tens of ms at 1,000,000 segments, a frame or two late) and waits for
    the pause that settles the heap, or for GC_MIDDLE young collections if there is none.
    Counted in collections, not time."""
    monkeypatch.setattr(app_module, "SETTLE_DELAY", 0.1)
    app = make_app(review_file(count=400))
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        monkeypatch.setattr(app_module, "SETTLE_DELAY", 3600.0)  # no pause settles during the burst
        gc.collect(1)  # the middle generation's count starts from nought, as after a pause
        gc.callbacks.append(count)
        try:
            for _ in range(40):
                await pilot.press("j")
            assert app.review_screen.current_index == 40
            young = collections.count(0)
            assert young >= 10  # the keys did allocate: Python's default would have run middle ones
            assert young < app_module.GC_MIDDLE
            assert [g for g in collections if g > 0] == []
        finally:
            gc.callbacks.remove(count)
