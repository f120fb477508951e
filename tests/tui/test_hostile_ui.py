"""Hostile terminals and files in the workbench (issue 15): SIGTERM, the export dialog's
output, a review file changed from outside during a session."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from tests.tui.conftest import build_document, make_app, screen_text, wait_for_text, wait_until
from tests.tui.test_review_e2e import Terminal, review_env, wait_file

from relecture.store import ReviewStore, backup_path, conflict_path, journal_path, lock_path

SIZE = (120, 40)


def test_sigterm_restores_the_terminal_and_saves(tmp_path: Path) -> None:
    path = tmp_path / "doc.review.json"
    ReviewStore.create(path, build_document()).close()
    # Segment 1 has a major flag: approving it without the question.
    (tmp_path / "relecture.toml").write_text("[review]\nconfirm_approve = false\n", encoding="utf-8")
    term = Terminal([sys.executable, "-m", "relecture", "review", str(path)], review_env(tmp_path))
    try:
        term.wait_output(b"Approve+next")  # the review screen is up and takes keys
        term.send(" ")  # approve segment 1
        wait_file(journal_path(path), '"set_status"')
        entered = len(term.output)
        os.kill(term.proc.pid, signal.SIGTERM)
        term.proc.wait(timeout=30)
    finally:
        term.kill()
    assert term.proc.returncode == 143, bytes(term.output[-500:])  # handled, not killed by it
    after = bytes(term.output[entered:])
    assert b"\x1b[?1049l" in after  # left the alternate screen
    assert b"\x1b[?1000l" in after or b"\x1b[?1003l" in after  # mouse tracking off
    assert not journal_path(path).exists() and not lock_path(path).exists()
    assert '"status": "approved"' in path.read_text(encoding="utf-8")


async def test_export_dialog_refuses_the_journal_lock_and_backup(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space")  # a journal now exists: overwriting it would lose the change
        before = journal_path(path).read_bytes()
        for side in (journal_path(path), lock_path(path), backup_path(path)):
            await pilot.press("ctrl+e")
            field = await wait_until(pilot, lambda: app.screen.query("#export-path"), "the export dialog opened")
            field.first().value = str(side)  # as pasted: typing a long path key by key is slow in Pilot
            await pilot.press("enter")
            text = await wait_for_text(pilot, app, f"is the review's {side.name.rsplit('.', 1)[-1]} file")
            assert "choose another name" in text
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is app.review_screen, "the dialog closed")
        assert journal_path(path).read_bytes() == before
        assert json.loads(lock_path(path).read_text())["pid"] == os.getpid()


async def test_review_file_changed_from_outside_is_not_overwritten(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space")
        theirs = json.loads(path.read_text(encoding="utf-8"))
        theirs["note"] = "edited in another program"
        path.write_text(json.dumps(theirs, ensure_ascii=False), encoding="utf-8")
        app.save_now()
        await wait_for_text(pilot, app, "keep one")
        assert "READ-ONLY" in screen_text(app)
    assert json.loads(path.read_text(encoding="utf-8"))["note"] == "edited in another program"
    assert json.loads(conflict_path(path).read_text(encoding="utf-8"))["segments"][0]["status"] == "approved"


async def test_ten_megabyte_note_shows_at_once_as_a_preview(tmp_path: Path) -> None:
    doc = build_document()
    doc.segments[0].note = "Une très longue note. " * 480_000  # 10 MB
    path = tmp_path / "doc.review.json"
    ReviewStore.create(path, doc).close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        text = await wait_for_text(pilot, app, "characters; m shows it all")
        assert "the first 4,000 of 10,560,000" in text and "Une très longue note." in text
        await pilot.press("j", "k")  # moving around re-renders the panel: still at once
        await wait_for_text(pilot, app, "characters; m shows it all")
