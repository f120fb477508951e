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
