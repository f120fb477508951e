"""Text typed in a dialog is never thrown away without asking: escape, ctrl+q and a failed write
keep it (or ask first); a flag confirmed into an annotation comes back when it is deleted."""

from __future__ import annotations

import errno

import pytest

from relecture.model import Annotation

from .conftest import make_app, on_disk, screen_text, wait_for_text, wait_on_disk, wait_until
from .test_typing_ahead import chars, type_ahead

SIZE = (120, 40)
ASK = "Discard the text you typed?"

# key that opens the dialog, keys that type into it, what is on disk once it is saved
DIALOGS = {
    "note": ("m", [*"à revoir"], lambda seg: seg.note == "à revoir"),
    "post-edit": ("e", ["end", *" !"], lambda seg: seg.post_edit is not None and seg.post_edit.endswith(" !")),
    "annotation comment": ("a", [*"style", "tab", *"trop long"], lambda seg: bool(seg.annotations)),
    "ESA score": ("r", [*"70"], lambda seg: seg.esa == 70),
}


def dialog_open(app) -> bool:  # type: ignore[no-untyped-def]
    return app.screen is not app.review_screen


@pytest.mark.asyncio
@pytest.mark.parametrize("name", list(DIALOGS))
async def test_escape_with_typed_text_asks_before_discarding(review_file, name: str) -> None:
    opener, typed, saved = DIALOGS[name]
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", opener)
        await wait_until(pilot, lambda: dialog_open(app), "the dialog opened")
        dialog = app.screen
        await pilot.press(*typed)
        await wait_until(pilot, dialog.has_typed_text, "the text is typed")
        await pilot.press("escape")
        await wait_for_text(pilot, app, ASK)
        await pilot.press("n")  # back to the text: nothing lost
        await wait_until(pilot, lambda: app.screen is dialog, "back in the dialog")
        assert dialog.has_typed_text()
        await pilot.press("escape")
        await wait_for_text(pilot, app, ASK)
        await pilot.press("enter")  # the key that saved a moment ago never discards
        await wait_until(pilot, lambda: app.screen is dialog, "back in the dialog after enter")
        assert dialog.has_typed_text()
        await pilot.press("escape")
        await wait_for_text(pilot, app, ASK)
        await pilot.press("y")  # discard, as asked
        await wait_until(pilot, lambda: app.screen is app.review_screen, "the dialog closed")
        assert not saved(on_disk(path).segments[1])
        # Nothing typed: escape closes at once, without a question.
        await pilot.press(opener)
        await wait_until(pilot, lambda: dialog_open(app), "the dialog opened again")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.review_screen, "escape closed it")
        assert ASK not in screen_text(app)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", list(DIALOGS))
async def test_a_failed_write_keeps_the_dialog_and_its_text(review_file, monkeypatch, name: str) -> None:
    """A full disk: the change is refused (the message says so) and the dialog stays open with
    the text; once there is room again, enter saves it."""
    opener, typed, saved = DIALOGS[name]
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        store = app.store
        real_append = store._append_journal

        def disk_full(changes):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(store, "_append_journal", disk_full)
        await pilot.press("j", opener, *typed, "enter")
        await wait_for_text(pilot, app, "No space left on device")
        assert dialog_open(app) and app.screen.has_typed_text()
        assert not saved(on_disk(path).segments[1])
        monkeypatch.setattr(store, "_append_journal", real_append)
        await pilot.press("enter")
        await wait_on_disk(pilot, path, lambda d: saved(d.segments[1]), "saved once the disk had room")
        await wait_until(pilot, lambda: app.screen is app.review_screen, "the dialog closed")


@pytest.mark.asyncio
async def test_ctrl_q_with_typed_text_asks_first(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "m", *"une note")
        await wait_until(pilot, lambda: dialog_open(app) and app.screen.has_typed_text(), "the note is typed")
        dialog = app.screen
        await pilot.press("ctrl+q")
        await wait_for_text(pilot, app, "Quit and discard the text you typed?")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is dialog, "back in the note")
        assert app.is_running
        await pilot.press("enter")  # the note is kept after all
        await wait_on_disk(pilot, path, lambda d: d.segments[1].note == "une note")
        await pilot.press("m", *" de plus")
        await wait_until(pilot, lambda: dialog_open(app) and app.screen.has_typed_text(), "more typed")
        await pilot.press("ctrl+q", "y")
        await wait_until(pilot, lambda: not app.is_running, "the app quit")
    assert on_disk(path).segments[1].note == "une note"


@pytest.mark.asyncio
async def test_ctrl_n_in_a_burst_keeps_its_line_break(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_text(pilot, app, "8 segments")
        type_ahead(app, ["M", *chars("première"), "ctrl+n", *chars("deuxième"), "enter"])
        doc = await wait_on_disk(pilot, path, lambda d: d.note, "the document note is saved")
    assert doc.note == "première\ndeuxième"


@pytest.mark.asyncio
async def test_deleting_an_annotation_made_from_a_flag_reopens_the_flag(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("enter")  # confirm the preamble flag...
        await wait_for_text(pilot, app, "Confirm flag llm.preamble")
        await pilot.press("enter")  # ...into an annotation; the flag is dismissed
        doc = await wait_on_disk(pilot, path, lambda d: d.segments[0].annotations)
        assert doc.segments[0].dismissed == [doc.segments[0].flags[0].key]
        # The new annotation is current at once (issue 14: it is what a, enter and d act on).
        await wait_until(pilot, lambda: isinstance(app.review_screen.current_item, Annotation), "on the annotation")
        await pilot.press("d")
        doc = await wait_on_disk(pilot, path, lambda d: not d.segments[0].annotations)
        assert doc.segments[0].dismissed == []  # open again: n finds it
        await wait_for_text(pilot, app, "flag llm.preamble is open again")
        assert app.session.flagged[0] == 1
        await pilot.press("u")  # one undo step brings both back
        doc = await wait_on_disk(pilot, path, lambda d: d.segments[0].annotations)
        assert doc.segments[0].dismissed == [doc.segments[0].flags[0].key]
