"""A day of real review (issue 14): the side panel follows the current item, post-edits are
checked, fixes are applied in one key, one id scheme, the session is remembered, the screen fits
80x24, both themes stay readable, and the small things. At 120x40 and 80x24 where size matters."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from tests.tui.conftest import (
    build_document,
    date_flag,
    make_app,
    on_disk,
    screen_text,
    wait_for_text,
    wait_until,
)

from relecture.model import Flag, ReviewDocument, Segment
from relecture.store import ReviewStore, journal_path
from relecture.tui.render import SEARCH_STYLE, SEVERITY_FG, SEVERITY_FG_LIGHT, SEVERITY_STYLE

SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]
THEMES = ["textual-dark", "textual-light"]


def _flag(i: int, severity: str = "minor", suggestion: str | None = None) -> Flag:
    return Flag(
        check=f"typography.rule-{i}", family="typography", severity=severity, category="Fluency/Punctuation",
        its_type="typographical", side="target", start=i, end=i + 1, text="x", message=f"Problem number {i}",
        suggestion=suggestion,
    )


def _many_flags_file(tmp_path: Path, count: int = 9) -> Path:
    """Segment 2 carries ``count`` flags, as the issue's segment 35 does."""
    doc = build_document()
    seg = doc.segments[1]
    seg.flags = [_flag(i) for i in range(count)]
    for f in seg.flags:
        f.text = seg.target[f.start:f.end]
    path = tmp_path / "many.txt.review.json"
    ReviewStore.create(path, doc).close()
    return path


def _side_text(app) -> str:  # type: ignore[no-untyped-def]
    """The side panel's rows as they are on screen now."""
    region = app.screen.query_one("#side").region
    strips = list(app.screen._compositor.render_strips())[region.y: region.y + region.height]
    return "\n".join(strip.crop(region.x, region.x + region.width).text for strip in strips)  # cells, not characters


# --- 1. the side panel follows the current item --------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_every_bracket_press_leaves_the_current_item_on_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(_many_flags_file(tmp_path))
    async with app.run_test(size=size) as pilot:
        await pilot.press("j")
        for step in range(12):  # through all nine flags and round again
            await pilot.press("right_square_bracket")
            number = (step + 1) % 9
            await wait_until(pilot, lambda: "▶" in _side_text(app))
            assert f"Problem number {number}" in _side_text(app)
        for _ in range(4):
            await pilot.press("left_square_bracket")
            await wait_until(pilot, lambda: "▶" in _side_text(app))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_a_confirmed_flag_reads_confirmed_and_its_annotation_is_current_and_in_view(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    path = _many_flags_file(tmp_path)
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("j", "right_square_bracket", "right_square_bracket", "enter")
        await wait_until(pilot, lambda: "Confirm flag" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "▶ 1." in _side_text(app))  # annotation 1 is current, on screen
        await pilot.press("c")  # compact: the confirmed flag is one line
        await wait_until(pilot, lambda: "✓ minor typography.rule-2" in app.screen.query_one("#side").text)
        await pilot.press("c")
    seg = on_disk(path).segments[1]
    [ann] = seg.annotations
    assert ann.meta == {"flag": seg.flags[2].key} and seg.flags[2].key in seg.dismissed
    app = make_app(path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.review_screen.current_index == 1)  # where the session ended
        await pilot.press("right_square_bracket", "right_square_bracket")
        await wait_until(pilot, lambda: "confirmed → annotation 1" in screen_text(app))
        await wait_until(pilot, lambda: "1 confirmed" in screen_text(app), "\"1 confirmed\" in screen_text(app)")


async def test_compact_mode_is_one_line_per_item_and_is_remembered(tmp_path: Path) -> None:
    path = _many_flags_file(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "c")
        await wait_until(pilot, lambda: app.review_screen.compact)
        text = _side_text(app)
        # The current flag (without its long explanation) and the next ones a line each, in the
        # eight rows the panel has at 80x24.
        assert all(f"· minor typography.rule-{i} Problem number {i}" in text for i in (1, 2, 3)), text
        assert "▶ minor typography.rule-0" in text and "Problem number 0" in text
        await pilot.press("q")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.review_screen.compact and "· minor typography.rule-3" in screen_text(app))
        assert app.review_screen.current_index == 1  # and the position too


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_a_saved_note_is_in_view_and_confirmed(tmp_path: Path, size: tuple[int, int]) -> None:
    path = _many_flags_file(tmp_path)
    app = make_app(path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("j", "m", *"voir la source", "enter")
        await wait_until(pilot, lambda: "voir la source" in _side_text(app))
        await wait_for_text(pilot, app, "Note saved on segment s2")
    assert on_disk(path).segments[1].note == "voir la source"


# --- 2. post-edits are checked ------------------------------------------------------------------
async def test_a_saved_post_edit_is_checked_at_once_and_undone_with_its_flags(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    app = make_app(path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("j", "e", "f7", "backspace", *"Il", "space", "a", "space", *"dit:", "space",
                          "quotation_mark", *"oui", "quotation_mark", *"...", "enter")
        await wait_until(pilot, lambda: "Flags on the post-edit (" in screen_text(app))
        text = screen_text(app)
        assert "Flags on the post-edit (0 open)" not in text
        await wait_for_text(pilot, app, "the checks flag")
        # One journal line: the post-edit and its flags (a crash keeps both or neither).
        [line] = journal_path(path).read_text(encoding="utf-8").splitlines()
        ops = [c["op"] for c in json.loads(line)["changes"]] if "changes" in json.loads(line) else [line]
        assert "set_post_edit_flags" in str(ops)
        seg = on_disk(path).segments[1]
        assert {f.check for f in seg.post_edit_flags} >= {"typography.straight-quotes"}
        assert seg.flags == []  # the translation's own flags are apart
        await pilot.press("u")
        await wait_until(pilot, lambda: on_disk(path).segments[1].post_edit is None)
    assert on_disk(path).segments[1].post_edit_flags == []


async def test_rerunning_the_checks_checks_the_post_edits_and_n_visits_them(tmp_path: Path) -> None:
    doc = build_document()
    doc.segments[5].post_edit = 'Sora est devenu "le centre" du monde...'  # unchecked so far
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, doc).close()
    app = make_app(path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("ctrl+r", "y")
        await wait_for_text(pilot, app, "Checks done")
        seg = on_disk(path).segments[5]
        assert seg.post_edit_flags and not seg.flags  # its only flags are on the post-edit
        await pilot.press("colon", *"s5", "enter")
        await wait_until(pilot, lambda: app.review_screen.current_index == 4)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.review_screen.current_index == 5)
        await wait_until(pilot, lambda: "Flags on the post-edit (" in screen_text(app))


# --- 3. fixes applied in one key; non-breaking spaces seen and typed --------------------------------
async def test_a_flags_suggestion_is_applied_to_the_post_edit_in_one_key_and_undone(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    app = make_app(path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("n")  # segment 4: "Le 9 de ce mois" -> "le 9 juillet 2024"
        await wait_until(pilot, lambda: app.review_screen.current_index == 3)
        await wait_until(pilot, lambda: "A  Apply fix" in screen_text(app), "\"A  Apply fix\" in screen_text(app)")
        await pilot.press("A")
        await wait_until(pilot, lambda: on_disk(path).segments[3].post_edit is not None)
        assert on_disk(path).segments[3].post_edit == "le 9 juillet 2024, OpenAI a cessé de fournir ses services."
        await pilot.press("u")
        await wait_until(pilot, lambda: on_disk(path).segments[3].post_edit is None)


async def test_an_annotations_correction_is_applied_where_the_post_edit_still_has_the_span(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    app = make_app(path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("n", "enter")  # confirm the date flag: its suggestion is the correction
        await wait_until(pilot, lambda: "Confirm flag" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "▶ 1." in screen_text(app))
        # A post-edit elsewhere in the segment first: the span is found where it now is.
        await pilot.press("e", "end", "space", *"Vraiment", "enter")
        await wait_until(pilot, lambda: (on_disk(path).segments[3].post_edit or "").endswith("Vraiment"))
        # The checks flag the post-edit (the relative date is still in it): that flag is current
        # now; back to the annotation, then apply its correction.
        for _ in range(6):
            if "▶ 1." in screen_text(app):
                break
            await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: "▶ 1." in screen_text(app))
        await pilot.press("A")
        await wait_until(pilot, lambda: (on_disk(path).segments[3].post_edit or "").startswith("le 9 juillet"))
        assert on_disk(path).segments[3].post_edit.endswith("services. Vraiment")


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_the_post_edit_dialog_types_and_shows_non_breaking_spaces(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("j", "e", "f7", "backspace", *"Quoi", "ctrl+b", "question_mark", "space", "ctrl+t",
                          *"100", "ctrl+b", "percent_sign")
        await wait_until(pilot, lambda: "Quoi⍽? ·100⍽%" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_disk(path).segments[1].post_edit is not None)
    assert on_disk(path).segments[1].post_edit == "Quoi\u00a0? \u202f100\u00a0%"


async def test_a_suggested_non_breaking_space_is_shown_as_a_sign(tmp_path: Path) -> None:
    doc = build_document()
    seg = doc.segments[1]
    seg.target = "Il a dit : oui."
    seg.flags = [Flag("typography.fr-nbsp", "typography", "minor", "Fluency/Punctuation", "typographical",
                      "target", 8, 10, " :", "Ordinary space before “:”", "\u00a0:")]
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, doc).close()
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")
        await wait_until(pilot, lambda: "→ ⍽:" in screen_text(app))
        await pilot.press("A")
        await wait_until(pilot, lambda: on_disk(path).segments[1].post_edit == "Il a dit\u00a0: oui.")
        await wait_until(pilot, lambda: "⍽: oui" in screen_text(app))  # the post-edit's difference


# --- 6. one id scheme ---------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_the_documents_own_ids_everywhere_and_colon_takes_any_of_them(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    doc = ReviewDocument(id="d", title="tsv", source_lang="en", target_lang="fr", segments=[
        Segment(id=f"p{i + 3}", target=f"Phrase numéro {i}.", source=f"Sentence {i}.", paragraph=i)
        for i in range(6)
    ])
    doc.segments[4].flags = [date_flag()]
    path = tmp_path / "pairs.tsv.review.json"
    ReviewStore.create(path, doc).close()
    app = make_app(path)
    async with app.run_test(size=size, notifications=True) as pilot:
        text = screen_text(app)
        assert "\np3 " in text and "\np8 " in text and "segment p3" in text
        await pilot.press("colon", *"p6", "enter")
        await wait_until(pilot, lambda: app.review_screen.current_index == 3)
        await wait_until(pilot, lambda: "segment p6" in screen_text(app), "\"segment p6\" in screen_text(app)")
        await pilot.press("colon", *"#2", "enter")  # a position
        await wait_until(pilot, lambda: app.review_screen.current_index == 1)
        await pilot.press("s")
        await wait_for_text(pilot, app, "Segment p4: approved")


# --- 7. the session is remembered --------------------------------------------------------------
async def test_position_theme_source_pane_and_export_are_remembered(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    exports = tmp_path / "livrables"
    exports.mkdir()
    app = make_app(path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("j", "j", "j", "j", "t")
        app.theme = "textual-light"
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: "Export the review" in screen_text(app))
        await pilot.press("down", "down")  # csv
        field = app.screen.query_one("#export-path")
        field.value = str(exports / "rapport.csv")
        await pilot.press("enter")
        await wait_for_text(pilot, app, "Exported")
        await pilot.press("q")
    await wait_until(pilot, lambda: (exports / "rapport.csv").is_file(), "(exports / \"rapport.csv\").is_file()")
    app = make_app(path, theme=None)
    app.theme = app.remembered.theme or "textual-dark"
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.review_screen.current_index == 4)
        assert app.theme == "textual-light" and not app.review_screen.show_source
        await wait_until(pilot, lambda: "Source (zh)" not in screen_text(app))
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: "Export the review" in screen_text(app))
        assert app.screen.query_one("#export-path").value == str(exports / "doc.txt.csv")


def test_quitting_says_where_the_review_file_is(tmp_path: Path) -> None:
    from tests.tui.test_review_e2e import Terminal, review_env

    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    term = Terminal([sys.executable, "-m", "relecture", "review", str(path)], review_env(tmp_path))
    try:
        term.wait_output(b"reviewed")
        term.send("q")
        term.proc.wait(timeout=20)
        deadline = time.monotonic() + 5
        while b"review saved" not in term.output and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        if term.proc.poll() is None:
            term.kill()
        else:
            os.close(term.master)
    assert f"review saved: {path}".encode() in bytes(term.output).replace(b"\r\n", b"\n")


# --- 8. fit at 80x24 ------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_the_key_bar_keeps_help_and_the_useful_keys(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        bar = screen_text(app).split("\n")[-1]
        assert bar.startswith(" ?  Keys") and "n  Next flag" in bar and "x  Dismiss" in bar
        assert bar.rstrip().endswith(tuple("abcdefghijklmnopqrstuvwxyz+")), f"a key cut in half: {bar!r}"


async def test_read_only_hides_edit_keys_and_says_so_once(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    app = make_app(path, readonly=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        bar = screen_text(app).split("\n")[-1]
        assert "Annotate" not in bar and "Dismiss" not in bar and "Post-edit" not in bar
        assert "?  Keys" in bar and "Next flag" in bar
        await pilot.press("space", "x", "s", "a", "e", "m", "u", "space")
        await wait_for_text(pilot, app, "Opened read-only")
        assert len(app._notifications) == 1


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_the_selection_hint_covers_nothing(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    app = make_app(path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("v")
        await wait_until(pilot, lambda: "select the target span" in screen_text(app))
        assert not app._notifications  # no toast over the text being selected
        selector = app.screen.query_one("#span-selector")
        assert "Voici la traduction" in screen_text(app).split("\n")[selector.region.y + 1]


# --- 9. colour and contrast -------------------------------------------------------------------
def test_search_hits_have_a_colour_no_severity_has() -> None:
    colours = {s.bgcolor for s in SEVERITY_STYLE.values()} | {s.color for s in SEVERITY_FG.values()}
    colours |= {s.color for s in SEVERITY_FG_LIGHT.values()}
    assert SEARCH_STYLE.bgcolor not in colours


def _contrast(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    def lum(c: tuple[int, int, int]) -> float:
        parts = [v / 255 for v in c]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


SCROLLBAR = " ▁▂▃▄▅▆▇█▉▊▋▌▍▎▏"  # scrollbar glyphs: not text


def _low_contrast(app, minimum: float) -> list[str]:  # type: ignore[no-untyped-def]
    bad = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for seg in strip:
            style = seg.style
            if not seg.text.strip(SCROLLBAR) or style is None or style.color is None or style.bgcolor is None:
                continue
            fg, bg = style.color.get_truecolor(), style.bgcolor.get_truecolor()
            ratio = _contrast(tuple(fg), tuple(bg))
            if ratio < minimum:
                bad.append(f"row {y}: {seg.text.strip()[:30]!r} {fg.hex} on {bg.hex} = {ratio:.2f}")
    return bad


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_every_text_is_readable_in_both_themes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str, size: tuple[int, int]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    doc = build_document()
    doc.segments[2].status = "approved"
    doc.segments[5].status = "needs-work"
    doc.segments[4].status = "rejected"
    doc.segments[6].post_edit = "Les entreprises chinoises ont réagi de façon très positive..."
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, doc).close()
    app = make_app(path, theme=theme)
    async with app.run_test(size=size) as pilot:
        for keys in ([], ["n"], ["j", "j", "j"], ["c", "k"]):
            await pilot.press(*keys)
            await pilot.pause()
            bad = _low_contrast(app, 4.5)
            assert not bad, f"{theme} after {keys}: " + "; ".join(bad[:8])


# --- 10. small things ----------------------------------------------------------------------------
async def test_clearing_a_search_that_matched_nothing_keeps_the_position(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    app = make_app(path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("j", "j", "j", "j", "j", "slash", *"zzzz", "enter")
        await wait_until(pilot, lambda: app.review_screen.current_index is None)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.review_screen.current_index == 5)


async def test_approving_with_a_major_flag_asks_once(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    app = make_app(path, confirm_approve=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await wait_until(pilot, lambda: "open major or critical" in screen_text(app))
        await pilot.press("n")
        await wait_until(pilot, lambda: "open major or critical" not in screen_text(app))
        assert on_disk(path).segments[0].status == "todo" and app.review_screen.current_index == 0
        await pilot.press("space")
        await wait_until(pilot, lambda: "open major or critical" in screen_text(app))
        await pilot.press("y")
        await wait_until(pilot, lambda: app.review_screen.current_index == 1)
        assert on_disk(path).segments[0].status == "approved"
        await pilot.press("space")  # no major flag here: no question
        await wait_until(pilot, lambda: app.review_screen.current_index == 2)


async def test_the_approval_question_can_be_turned_off(tmp_path: Path) -> None:
    from relecture.config import Config

    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, build_document()).close()
    store = ReviewStore.open(path)
    from relecture.tui.app import ReviewApp

    app = ReviewApp(store, config=Config(data={"review": {"confirm_approve": False}}), reviewer="t",
                    autosave=False, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await wait_until(pilot, lambda: app.review_screen.current_index == 1)
        assert on_disk(path).segments[0].status == "approved"
        await pilot.press("q")


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_a_long_previous_paragraph_never_pushes_the_current_one_away(tmp_path: Path, size: tuple[int, int]) -> None:
    long = " ".join(["Un paragraphe très long qui occupe bien plus que tout l'écran."] * 40)
    doc = build_document(targets=[long, "Le paragraphe courant, celui qu'on relit."])
    for seg in doc.segments:
        seg.kind = "paragraph"
    path = tmp_path / "doc.txt.review.json"
    ReviewStore.create(path, doc).close()
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("j")
        await wait_until(pilot, lambda: "celui qu'on relit" in screen_text(app))
        await wait_until(pilot, lambda: "Target (fr)" in screen_text(app), "\"Target (fr)\" in screen_text(app)")


def test_make_review_shows_the_first_installs_progress() -> None:
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    install = next(line for line in makefile.splitlines() if "pip install" in line)
    assert "--quiet" not in install
    assert "echo" in makefile.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
