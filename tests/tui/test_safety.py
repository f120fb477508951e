"""Segment text is data: markup, escape sequences, control and bidi characters show literally."""

from __future__ import annotations

from tests.tui.conftest import make_app, screen_text, wait_for_text, wait_on_disk, wait_until

from relecture.textsafe import visible, visible_line

HAZARDS = [
    "[b]gras[/b] et [/] fin [i]",
    "[link=https://exemple.fr]lien[/link] et [red]rouge",
    "[@click=app.quit]quitter[/] puis [@click=app.bell]x",
    "\x1b[31mrouge\x1b[0m \x1b]0;titre\x07 \x1b[2J",
    "nul \x00 bip \x07 retour \x08 suppr \x7f csi \x9b fin",
    "עברית \u200f marque \u202e renversé \u202c fin",
    "e\u0301\u0301\u0301 combinants \u0300 en tête",
    "x" * 3000,
    "ligne\nsuite\ttab\r\nfin",
    "{}",
]


def test_visible_keeps_offsets_and_shows_escapes() -> None:
    for value in HAZARDS:
        shown = visible(value)
        assert len(shown) == len(value)
        assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
        assert "\u202e" not in shown and "\u200f" not in shown
    assert visible("\x1b[31m") == "␛[31m"
    assert visible_line("a\nb\tc") == "a⏎b⇥c"


async def test_hazardous_segments_show_literally_and_never_crash(review_file) -> None:
    path = review_file(targets=HAZARDS)
    app = make_app(path, theme=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        text = screen_text(app)
        assert "[b]gras[/b] et [/] fin [i]" in text
        assert app.theme == "textual-dark"
        await pilot.press("j")
        await wait_until(pilot, lambda: "[link=https://exemple.fr]lien[/link]" in screen_text(app))
        await pilot.press("j")
        await wait_until(pilot, lambda: "[@click=app.quit]quitter[/]" in screen_text(app))
        view = app.screen.query_one("#reading-view")
        await pilot.click(view, offset=(2, view.first_line("target") + 1))  # "[@click=app.quit]" is text
        await wait_until(pilot, lambda: app.screen.query_one("#span-selector").display, "the click selects")
        assert app.is_running
        await pilot.press("escape", "j")
        await wait_for_text(pilot, app, "␛[31mrouge␛[0m ␛]0;titre␇ ␛[2J")
        await pilot.press("j")
        await wait_until(pilot, lambda: "nul ␀ bip ␇ retour ␈ suppr ␡ csi ⌧ fin" in screen_text(app))
        await pilot.press("j")
        await wait_until(pilot, lambda: "◂ marque ◂ renversé ◇ fin" in screen_text(app))
        await pilot.press(*"jjjj")
        text = await wait_for_text(pilot, app, "suite⇥tab␍")
        assert "ligne" in text
        await pilot.press("slash", *"[/]", "enter")  # plain search for markup-looking text
        await wait_for_text(pilot, app, "2 of 10 match")
        await pilot.press("escape", "g", "j", "j")
        # Annotate the markup itself: the modal shows it literally and the span is exact.
        await pilot.press("v", *["shift+right"] * 17, "a")
        await wait_for_text(pilot, app, "«[@click=app.quit]»")
        await pilot.press(*"markup", "enter")
        await pilot.press("j", "v", *["shift+right"] * 5, "a", *"encoding", "enter")
        await pilot.press("G", "e", "end", *" [b]ok", "enter")
        await wait_for_text(pilot, app, "[b]ok")
        doc = await wait_on_disk(pilot, path, lambda d: d.segments[9].post_edit is not None)
        assert app.is_running
    assert doc.segments[2].annotations[0].text == "[@click=app.quit]"
    assert doc.segments[3].annotations[0].text == "\x1b[31m"
    assert doc.segments[9].post_edit == "{} [b]ok"


async def test_hazards_in_notes_flags_and_the_title(review_file) -> None:
    from relecture.model import Flag
    from relecture.store import ReviewStore

    path = review_file(targets=["[b]un[/b]", "deux"])
    store = ReviewStore.open(path)
    doc = store.doc
    doc.title = "[@click=app.quit]titre\x1b[2J"
    doc.segments[0].note = "[red]note[/red]"
    doc.segments[0].flags = [Flag("x.y", "markup", "minor", "Other", "other", "target", 0, 3, "[b]",
                                  "message [b]fort[/b]", "[@click=app.bell]")]
    store.save()
    store.close()
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        text = await wait_for_text(pilot, app, "[@click=app.quit]titre␛[2J")
        assert "[red]note[/red]" in text
        assert "message [b]fort[/b]" in text
        assert "→ [@click=app.bell]" in text
        await pilot.click("#side")
        await wait_until(pilot, lambda: app.is_running, "app.is_running")
