"""Keys typed faster than the screen draws (a paste, a fast typist, a script driving tmux) are
all in the dialog's text before enter saves it: nothing typed is lost or cut short."""

from __future__ import annotations

import pytest
from textual import events

from .conftest import make_app, on_disk

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
        await pilot.pause()
        type_ahead(app, [*([opener] if same_burst else []), *chars(text), "enter"])
        await pilot.pause(0.5)
        await pilot.pause()
        assert app.screen is app.review_screen  # the dialog closed with enter
    seg = on_disk(path).segments[1]
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
        await pilot.pause()
        # The category search, typed ahead: cut short ("mis"), it would choose another category.
        type_ahead(app, [*chars("mistranslation"), "enter"])
        await pilot.pause(0.3)
        await pilot.pause()
    [ann] = on_disk(path).segments[1].annotations
    assert ann.category == "Accuracy/Mistranslation"


@pytest.mark.asyncio
async def test_a_search_typed_ahead_uses_the_whole_pattern(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        type_ahead(app, [*chars("Sora est devenu"), "enter"])
        await pilot.pause(0.3)
        await pilot.pause()
        assert app.session.search is not None and app.session.search.pattern == "Sora est devenu"
        assert list(app.session.view) == [5]
