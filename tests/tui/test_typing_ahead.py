"""Keys typed faster than the screen draws (a paste, a fast typist, a script driving tmux) are
all in the dialog's text before enter saves it: nothing typed is lost or cut short."""

from __future__ import annotations

import pytest
from textual import events

from .conftest import make_app, wait_for_text, wait_on_disk, wait_until

SIZE = (120, 40)


def type_ahead(app, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Queue every key at once, as a terminal delivers a burst of input, without waiting for
    the app to handle one before the next arrives."""
    for key in keys:
        character = key if len(key) == 1 else {"space": " "}.get(key)
        app.post_message(events.Key(key, character))


def chars(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


@pytest.mark.asyncio
@pytest.mark.parametrize("opener", ["m", "e"])
@pytest.mark.parametrize("same_burst", [False, True], ids=["dialog-open", "same-burst"])
async def test_text_typed_ahead_is_saved_whole(review_file, opener: str, same_burst: bool) -> None:
    """Note (m) and post-edit (e): text and enter sent in one burst, once the dialog is open or
    together with the key that opens it (the dialog is not up yet when the text arrives)."""
    path = review_file()
    app = make_app(path)
    text = " tapé d'un seul coup, abcdefghijklmnopqrstuvwxyz"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        if not same_burst:
            await pilot.press(opener)
            await wait_until(pilot, lambda: app.screen is not app.review_screen, "the dialog opened")
        type_ahead(app, [*([opener] if same_burst else []), *chars(text), "enter"])
        field = "note" if opener == "m" else "post_edit"
        doc = await wait_on_disk(pilot, path, lambda d: getattr(d.segments[1], field), "the text was saved")
        assert app.screen is app.review_screen  # the dialog closed with enter
    seg = doc.segments[1]
    if opener == "m":
        assert seg.note == text  # exactly what was typed
    else:
        assert seg.post_edit == seg.target + text


@pytest.mark.asyncio
async def test_an_annotation_category_search_typed_ahead_is_used_whole(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "a")
        await wait_until(pilot, lambda: app.screen is not app.review_screen, "the dialog opened")
        # The category search, typed ahead: cut short ("mis"), it would choose another category.
        type_ahead(app, [*chars("mistranslation"), "enter"])
        doc = await wait_on_disk(pilot, path, lambda d: d.segments[1].annotations, "the annotation was saved")
    [ann] = doc.segments[1].annotations
    assert ann.category == "Accuracy/Mistranslation"


@pytest.mark.asyncio
async def test_a_search_typed_ahead_uses_the_whole_pattern(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await wait_until(pilot, lambda: app.screen is not app.review_screen, "the dialog opened")
        type_ahead(app, [*chars("Sora est devenu"), "enter"])
        await wait_until(pilot, lambda: app.session.search is not None, "the search ran")
        assert app.session.search.pattern == "Sora est devenu"
        assert list(app.session.view) == [5]


@pytest.mark.asyncio
async def test_a_refused_dialog_key_holds_nothing(review_file) -> None:
    """Read-only: "a", "e", "m" open nothing, so the keys behind them are not held: "j n" sent
    in the same burst move at once, and no timer keeps polling for a dialog."""
    path = review_file()
    app = make_app(path, readonly=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_text(pilot, app, "READ-ONLY")
        type_ahead(app, ["a", "e", "m", "j", "n"])
        await wait_until(pilot, lambda: app.review_screen.current_index == 3, "j then n moved to segment 4")
        assert not app.key_gate.holding
        assert app.screen is app.review_screen
        await wait_for_text(pilot, app, "Opened read-only")


@pytest.mark.asyncio
async def test_a_confirm_dialog_takes_the_key_sent_with_the_one_that_opened_it(review_file) -> None:
    """ctrl+r and y in one burst: the confirm dialog (no text field) gets the y, the checks run."""
    path = review_file(targets=["Voici la traduction en français :", "Une phrase correcte."])
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_text(pilot, app, "0 flagged to review")
        type_ahead(app, ["ctrl+r", "y"])
        doc = await wait_on_disk(pilot, path, lambda d: d.segments[0].flags, "the checks ran")
        assert any(f.check == "llm.preamble" for f in doc.segments[0].flags)
        assert app.screen is app.review_screen and not app.key_gate.holding


@pytest.mark.asyncio
async def test_keys_behind_the_palette_key_reach_the_palette(review_file) -> None:
    path = review_file(count=30)
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_text(pilot, app, "30 segments")
        type_ahead(app, ["ctrl+p", *"17"])
        await wait_for_text(pilot, app, "Go to segment s17")  # position 17, named by its id
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.review_screen.current_index == 16, "the palette jumped")
