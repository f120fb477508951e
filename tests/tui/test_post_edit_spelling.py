"""A misspelt word typed in a post-edit is told once the post-edit is on disk."""

from __future__ import annotations

from tests.tui.conftest import make_app, on_disk, wait_for_text

SIZE = (120, 40)


async def test_a_misspelt_post_edit_word_is_told_with_a_suggestion(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "j", "j", "e", "end", *" La tradcution est finie.", "enter")
        await wait_for_text(pilot, app, "Spelling in the post-edit", timeout=15.0)
        text = await wait_for_text(pilot, app, "“traduction”?", timeout=15.0)
        assert "“tradcution”" in text
    assert on_disk(path).segments[3].post_edit.endswith("La tradcution est finie.")
