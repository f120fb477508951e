"""The workbench's actions are declared once (tui/actions.py): bindings, palette, help, key bar and
guards come from that table; and a re-run of the checks is cancelled by quitting."""

from __future__ import annotations

import asyncio
import threading

from tests.tui.conftest import make_app, on_disk, wait_for_text, wait_until

from relecture.store import journal_path
from relecture.tui.actions import ACTIONS, ANYWHERE, BY_METHOD, REVIEWING, dialog_keys

SIZE = (120, 40)


def test_every_binding_comes_from_the_table() -> None:
    from relecture.tui.screen import ReviewScreen

    rows = {spec.id: spec for spec in ACTIONS}
    assert len(rows) == len(ACTIONS), "two rows share an id"
    bound = [b for b in ReviewScreen.BINDINGS]
    assert [b.id for b in bound] == [s.id for s in ACTIONS if s.group == REVIEWING and s.keys]
    for binding in bound:
        spec = rows[binding.id]
        assert (binding.key, binding.action, binding.description) == (spec.keys, spec.action, spec.label)
        assert binding.show == (spec.footer is not None)


def test_every_help_line_comes_from_the_table() -> None:
    from relecture.tui.app import help_groups

    groups = dict(help_groups())
    for group in (REVIEWING, ANYWHERE):
        lines = [(b.id, b.key, b.description) for b in groups[group]]
        assert lines == [(s.id, s.keys, s.label) for s in ACTIONS if s.group == group and s.keys]


def test_every_guarded_action_runs_through_its_row() -> None:
    """A row's rules (read-only, loading, a job running) are enforced by the method it names."""
    from relecture.tui.app import ReviewApp
    from relecture.tui.screen import ReviewScreen

    for spec in ACTIONS:
        if spec.group != REVIEWING:
            continue
        owner = ReviewApp if spec.action.startswith("app.") else ReviewScreen
        method = getattr(owner, f"action_{spec.method}", None)
        assert method is not None, f"{spec.id}: no action_{spec.method}"
        if spec.changes or spec.whole_document or spec.idle:
            assert getattr(method, "guarded_by", None) is BY_METHOD[spec.method], f"{spec.id} is not guarded"
    assert {"a", "colon", "slash", "ctrl+r", "ctrl+e", "question_mark"} <= dialog_keys()
    assert "j" not in dialog_keys()


async def test_the_palette_lists_each_action_once(review_file) -> None:
    from relecture.exporters import WRITERS
    from relecture.tui.commands import ReviewCommands

    app = make_app(review_file())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.review_screen.is_mounted, "the review screen is up")
        titles = [title for title, _, _ in ReviewCommands(app.screen)._commands()]
    assert len(titles) == len(set(titles)), f"listed twice: {sorted(t for t in titles if titles.count(t) > 1)}"
    expected = [s.palette_title for s in ACTIONS if s.palette_title is not None]
    assert [t for t in titles if not t.startswith("Export as ")] == expected
    assert [t for t in titles if t.startswith("Export as ")] == [f"Export as {fmt}" for fmt in WRITERS]


async def test_read_only_key_bar_hides_what_changes_the_document(review_file) -> None:
    app = make_app(review_file(), readonly=True)
    async with app.run_test(size=(200, 40), notifications=True) as pilot:
        text = await wait_for_text(pilot, app, "Next flag")
        bar = text.splitlines()[-1]
        for spec in ACTIONS:
            if spec.footer is not None and spec.changes:
                assert spec.label not in bar, f"{spec.label} shown read-only"
        await pilot.press("space")
        await wait_for_text(pilot, app, "Opened read-only")


async def test_quitting_during_a_rerun_cancels_it(review_file, monkeypatch) -> None:
    """q while the checks run: the app ends at once, the run's flags never reach the file."""
    from relecture.checks import Checker

    started, release = threading.Event(), threading.Event()
    real_run = Checker.run

    def slow_run(self, doc, workers=None):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(60)  # a long run: longer than the test waits for the app to end
        return real_run(self, doc, workers)

    monkeypatch.setattr(Checker, "run", slow_run)
    path = review_file(targets=["Voici la traduction en français :", "Une phrase correcte."])

    async def session() -> None:
        app = make_app(path)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.press("ctrl+r", "y")
            await wait_until(pilot, started.is_set, "the re-run started")
            assert app.review_screen.busy == "re-running checks"
            await pilot.press("q")
            await wait_until(pilot, lambda: not app.is_running, "the app quit")

    try:
        await asyncio.wait_for(session(), timeout=30)  # a bound for a hang, not a pause
        assert not journal_path(path).exists(), "the journal was folded in on quitting"
        assert on_disk(path).segments[0].flags == []
    finally:
        release.set()
    # The run ends after the app: its flags are dropped, not written behind the reviewer's back.
    for thread in threading.enumerate():
        if thread.name == "relecture-checks":
            await asyncio.to_thread(thread.join, 30)
    assert on_disk(path).segments[0].flags == []
    assert not journal_path(path).exists()
