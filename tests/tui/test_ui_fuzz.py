"""Segment text is data, fuzzed (issue 6, "Bad input": the UI's rendering with Pilot).

Random Unicode with markup look-alikes, ANSI escape sequences, C0/C1 controls, NUL, bidi marks
and overrides, combining marks, emoji sequences, wide characters, very long unbroken strings,
tabs and carriage returns goes into the target, source, notes, flags (check id, family,
category, message, suggestion) and annotations (category, comment, correction, author, origin).
The workbench opens it at 80x24 and 120x40, moves through the segments and opens its dialogs:
nothing crashes, no injected action runs, markup-like text shows literally, and no raw control
or bidi character ever reaches the screen. Lone surrogates cannot come from a decoded file
(the loader refuses them; tests/test_fuzz_inputs.py proves it), so they are not generated here.
"""

from __future__ import annotations

import asyncio
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.tui.conftest import make_app, on_disk, screen_text, wait_for_text, wait_until

from conftest import depth
from relecture.model import SEVERITIES, Annotation, Flag, ReviewDocument, Segment
from relecture.store import ReviewStore

# Rich/Textual markup that would restyle the screen or run an action if it were parsed.
MARKUP = [
    "[b]", "[/]", "[/b]", "[i]", "[u]", "[link=x]", "[@click=app.quit]", "[@click=app.bell]",
    "[red]", "[red on blue]", "[reverse]", "[blink]", "\\[b]", "[$accent]", "[on $error]",
]
HAZARDS = [
    "\x1b[31m", "\x1b[2J", "\x1b[?1049h", "\x1b]0;titre\x07", "\x1b]8;;http://x\x1b\\lien\x1b]8;;\x1b\\",
    "\x1bP+q\x1b\\", "\x9b2J", "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x7f", "\x85", "\x9d",
    "\t", "\r", "\r\n", "\n", "\u2028", "\u2029",
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
    "\u2068", "\u2069", "\u061c", "\u200b", "\u2060", "\ufeff", "\u00ad",
    "e\u0301\u0301\u0301", "\u0301", "\u20dd", "a\u0338\u0336\u0335",
    "👩\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "🇫🇷", "👍🏽", "漢字かな", "ｶﾀｶﾅ", "한국어",
    "עברית", "العربية", "กิ๊", "﷽", "x" * 3000, "🙂" * 300, "「" * 200,
    "{}", "{0}", "%s", "\\", "[", "]", "\U0010fffd", "\ue000",
]
# Characters a terminal interprets or that reorder what follows: never on screen raw.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

pytestmark = pytest.mark.slow  # hypothesis through the whole app


def forbidden(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in BIDI_CONTROLS


piece = st.one_of(
    st.sampled_from(MARKUP + HAZARDS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
)
fuzz = st.lists(piece, max_size=6).map("".join)


@st.composite
def documents(draw: st.DrawFn) -> tuple[ReviewDocument, list[str]]:
    """Three segments whose every free-text field is fuzzed; each starts with a known marker
    (markup-like, so showing it literally is the point) that the screen must show as is."""
    bilingual = draw(st.booleans())
    segments: list[Segment] = []
    markers: list[str] = []
    for i in range(3):
        marker = draw(st.sampled_from(MARKUP)) + str(i + 1)
        markers.append(marker)
        target = f"{marker} {draw(fuzz)}"
        seg = Segment(id=f"s{i + 1}", target=target, source=draw(fuzz) if bilingual else None, paragraph=i)
        seg.note = f"[b]N{i + 1} {draw(fuzz)}"
        end = len(marker)
        seg.flags = [Flag(
            check="x." + draw(fuzz), family=draw(fuzz) or "fam", severity=draw(st.sampled_from(SEVERITIES)),
            category=draw(fuzz), its_type="other", side="target", start=0, end=end, text=target[:end],
            message=f"[i]M{i + 1} {draw(fuzz)}", suggestion=draw(fuzz),
        )]
        seg.annotations = [Annotation(
            id=f"a{i + 1}", side="target", start=0, end=end, text=target[:end],
            category=f"[u]C{i + 1} {draw(fuzz)}", severity=draw(st.sampled_from(SEVERITIES)),
            comment=draw(fuzz), correction=draw(fuzz), author=draw(fuzz), time="2024-07-09T10:00:00Z",
            origin="import:" + draw(fuzz),
        )]
        segments.append(seg)
    doc = ReviewDocument(
        id="fuzz", title=draw(fuzz), segments=segments, source_lang="zh" if bilingual else None,
        target_lang="fr", note=draw(fuzz),
    )
    return doc, markers


def assert_clean(app, where: str) -> str:  # type: ignore[no-untyped-def]
    """What the terminal receives, row by row (a raw line feed inside a row counts too)."""
    rows = screen_text(app).split("\n")
    raw = sorted({f"U+{ord(c):04X}" for row in rows for c in row if forbidden(c)})
    text = "\n".join(rows)
    assert not raw, f"{where}: raw control/bidi characters on screen: {raw}\n{text}"
    return text


def assert_clean_view(app, selector: str, needles: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Every rendered line of a scrolling view (on screen or one scroll away)."""
    text = app.screen.query_one(selector).text
    raw = sorted({f"U+{ord(c):04X}" for c in text if c != "\n" and forbidden(c)})  # rows end with \n
    assert not raw, f"{selector}: raw control/bidi characters rendered: {raw}"
    for needle in needles:
        assert needle in text, f"{selector}: {needle!r} not shown literally:\n{text[:3000]}"


DIALOGS = ["annotation", "note", "post-edit", "selection", "filter"]


async def exercise(doc: ReviewDocument, markers: list[str], size: tuple[int, int], dialog: str) -> None:
    from relecture.tui.modals.annotate import AnnotateModal
    from relecture.tui.screen import ReviewScreen

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.txt.review.json"
        ReviewStore.create(path, doc).close()
        app = make_app(path)
        async with app.run_test(size=size, notifications=True) as pilot:
            await wait_until(pilot, lambda: markers[0] in screen_text(app), "the first frame")
            text = assert_clean(app, "first frame")
            for marker in markers:  # the list rows start with the markers, literally (as far as
                # a 26-column list shows them after the segment's id; the reading pane shows all)
                assert marker[:14] in text, f"list row lacks {marker[:14]!r}:\n{text}"
            for i, marker in enumerate(markers):
                if i:
                    await pilot.press("j")
                assert_clean(app, f"segment {i + 1}")
                assert_clean_view(app, "#reading-view", [marker])
                assert_clean_view(app, "#side", [f"[b]N{i + 1}", f"[i]M{i + 1}", f"[u]C{i + 1}"])
            await pilot.press("x")  # dismiss: the message quotes the check id
            assert_clean(app, "dismiss message")
            # One dialog per example (each costs a few hundred milliseconds), drawn by hypothesis.
            keys = {"annotation": ("right_square_bracket", "enter"), "note": ("m",), "post-edit": ("e",),
                    "selection": ("v",), "filter": ("f",)}[dialog]
            await pilot.press(*keys)
            if dialog == "annotation":
                await wait_until(pilot, lambda: isinstance(app.screen, AnnotateModal), "the dialog opened")
                await wait_for_text(pilot, app, "Category: [u]C3")
            elif dialog != "selection":
                await wait_until(pilot, lambda: app.screen is not app.review_screen, "the dialog opened")
            assert_clean(app, f"{dialog} dialog")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is app.review_screen, "escape closed the dialog")
            await pilot.click("#side")
            assert_clean(app, "after the dialog")
            # Nothing injected ran: still running, same theme, back on the review screen alone.
            assert app.is_running
            assert app.theme == "textual-dark"
            assert isinstance(app.screen, ReviewScreen) and len(app.screen_stack) == 2


# Each example runs the whole app (about a second): no shrinking phase, which would take
# minutes; a failure still prints its example and the raw characters found, and replays from the
# example database. One test per terminal size keeps each under 20 s (and lets xdist split them).
FUZZ_UI = settings(
    max_examples=depth(6), deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ_UI
@given(case=documents(), dialog=st.sampled_from(DIALOGS))
def test_fuzzed_text_at_80x24_shows_literally_and_never_reaches_the_terminal_raw(
    case: tuple[ReviewDocument, list[str]], dialog: str
) -> None:
    asyncio.run(exercise(*case, (80, 24), dialog))


@FUZZ_UI
@given(case=documents(), dialog=st.sampled_from(DIALOGS))
def test_fuzzed_text_at_120x40_shows_literally_and_never_reaches_the_terminal_raw(
    case: tuple[ReviewDocument, list[str]], dialog: str
) -> None:
    asyncio.run(exercise(*case, (120, 40), dialog))


# --- regressions found by the fuzzing: data drawn raw by the side panel, dialogs and messages ---
ESC_RTL = "a\x1b[2Jb\u202ec\x00d\ne"
SHOWN = "a␛[2Jb◂c␀d"  # what precedes the line break (a one-line field shows it as ⏎)


def _hazard_document(path: Path) -> None:
    doc = ReviewDocument(
        id="d", title="t", target_lang="fr",
        segments=[Segment(id="s1", target="cible " + ESC_RTL, source=None, paragraph=0)],
    )
    seg = doc.segments[0]
    seg.note = "note " + ESC_RTL
    seg.flags = [Flag(check="chk" + ESC_RTL, family="fam" + ESC_RTL, severity="minor", category="cat" + ESC_RTL,
                      its_type="other", side="target", start=0, end=5, text="cible", message="m", suggestion="")]
    seg.annotations = [Annotation(id="a1", side="target", start=0, end=5, text="cible", category="acat" + ESC_RTL,
                                  severity="major", comment="com" + ESC_RTL, correction="cor" + ESC_RTL,
                                  author="au" + ESC_RTL, origin="import:" + ESC_RTL)]
    ReviewStore.create(path, doc).close()


async def test_side_panel_and_messages_show_imported_ids_visibly(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    _hazard_document(path)
    app = make_app(path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_text(pilot, app, "chk" + SHOWN)
        text = assert_clean(app, "side panel")
        for shown in ("chk" + SHOWN, "cat" + SHOWN, "acat" + SHOWN, "au" + SHOWN, "import:" + SHOWN):
            assert shown in text
        await pilot.press("x")
        await wait_for_text(pilot, app, f"Flag chk{SHOWN}")
        assert_clean(app, "dismiss message")
        await pilot.press("f")
        await wait_for_text(pilot, app, "fam" + SHOWN)
        assert_clean(app, "filter dialog")


async def test_dialogs_show_controls_visibly_and_save_the_text_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "d.review.json"
    _hazard_document(path)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket", "enter")  # the annotation's own dialog
        text = await wait_for_text(pilot, app, "Category: acat" + SHOWN)
        assert "com" + SHOWN in text and "cor" + SHOWN in text
        assert_clean(app, "annotation dialog")
        await pilot.press("tab", "end", "z", "enter")  # the comment field: its text is kept as is
        await pilot.press("m")
        await wait_for_text(pilot, app, "note " + SHOWN)
        assert_clean(app, "note dialog")
        await pilot.press("z", "enter")
        await pilot.press("e")
        await wait_for_text(pilot, app, "Post-edit segment ")
        assert_clean(app, "post-edit dialog")
        await pilot.press("z", "enter")
        await pilot.press("slash")
        await wait_until(pilot, lambda: app.screen.query("#search-input"), "the search dialog opened")
        app.screen.query_one("#search-input").value = "\u202e"  # a pasted bidi override
        await pilot.press("enter")
        await wait_for_text(pilot, app, "1 of 1 match  search “◂”")
        assert_clean(app, "search status")
    seg = on_disk(path).segments[0]
    assert seg.note == "note " + ESC_RTL + "z"  # drawn visibly, saved exactly
    assert seg.post_edit == "cible " + ESC_RTL + "z"
    assert seg.annotations[0].comment == "com" + ESC_RTL + "z"
