"""CAT files in the workbench: inline codes as compact tokens, codes kept through post-editing,
locked segments read-only, the file's context in the side panel."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import make_app, on_disk, wait_for_text, wait_on_disk

from relecture.importers import import_document
from relecture.store import ReviewStore

DATA = Path(__file__).resolve().parents[1] / "data" / "cat"
SIZE = (200, 50)  # wide enough that the side panel does not wrap the context lines


def review_of(tmp_path: Path, source: Path) -> Path:
    path = tmp_path / (source.name + ".review.json")
    ReviewStore.create(path, import_document(source)).close()
    return path


async def test_codes_show_as_tokens_and_context_in_the_side_panel(tmp_path: Path) -> None:
    path = review_of(tmp_path, DATA / "review.sdlxliff")
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        text = await wait_for_text(pilot, app, "Trados")
        assert "  Translated" in text
        assert "anna, Medium: Check the brand" in text  # the Trados comment, as the note
        await pilot.press("j")
        text = await wait_for_text(pilot, app, "Appuyez sur {7/}Démarrer.")
        assert "Press {7/}Start." in text
        assert "\U000f0000" not in text and "<x" not in text and "xmlns" not in text
        await pilot.press("j")
        await wait_for_text(pilot, app, "locked (read-only)")


async def test_a_locked_segment_keeps_its_translation_and_status(tmp_path: Path) -> None:
    path = review_of(tmp_path, DATA / "review.sdlxliff")
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "j")
        await wait_for_text(pilot, app, "locked (read-only)")
        await pilot.press("s")
        await wait_for_text(pilot, app, "is locked in its CAT file")
        await pilot.press("m", *"ok", "enter")  # a note on it is still welcome
        await wait_on_disk(pilot, path, lambda doc: doc.segments[2].note == "ok")
    seg = on_disk(path).segments[2]
    assert seg.status == "approved" and seg.post_edit is None


async def test_post_edit_keeps_codes_and_warns_before_losing_one(tmp_path: Path) -> None:
    path = review_of(tmp_path, DATA / "review.sdlxliff")
    target = on_disk(path).segments[1].target
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "e")
        await wait_for_text(pilot, app, "Appuyez sur ⟪7/⟫Démarrer.")
        await pilot.press("end", *" !", "enter")
        await wait_on_disk(pilot, path, lambda doc: doc.segments[1].post_edit == target + " !")
        # Now a version without the code: refused once, with a message; saved on the second enter.
        await pilot.press("e", "end", "shift+home", *"Appuyez sur Démarrer.", "enter")
        await wait_for_text(pilot, app, "loses the code {7/}")
        assert on_disk(path).segments[1].post_edit == target + " !"
        await pilot.press("enter")
        await wait_on_disk(pilot, path, lambda doc: doc.segments[1].post_edit == "Appuyez sur Démarrer.")


async def test_plural_form_and_previous_msgid_in_the_context(tmp_path: Path) -> None:
    po = tmp_path / "uk.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: uk\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        '#. Shown in the toolbar\n#: ui/main.py:12\n#, fuzzy\n#| msgid "Open a file"\nmsgctxt "toolbar"\n'
        'msgid "Open the file"\nmsgstr "Відкрити файл"\n\n'
        'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d файл"\nmsgstr[1] "%d файли"\nmsgstr[2] "%d файлів"\n',
        encoding="utf-8",
    )
    path = review_of(tmp_path, po)
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        text = await wait_for_text(pilot, app, "Context (msgctxt)")
        assert "  toolbar" in text and "Previous source (fuzzy)" in text and "  ui/main.py:12" in text
        assert "Developer comment" in text and "  Shown in the toolbar" in text
        await pilot.press("j", "j")
        text = await wait_for_text(pilot, app, "n=2, 3, 4… (form 1 of 3)")
        assert "Plural form" in text
        assert "%d файли" in text


def test_a_flagged_code_keeps_its_highlight_as_a_token() -> None:
    from relecture.model import Code, Flag
    from relecture.tui.render import SEVERITY_STYLE, segment_text

    codes = [Code(id="1", kind="opening", element="g", markup='<g id="1"/>', pair=1),
             Code(id="1", kind="closing", element="g", pair=0)]
    value = "Cliquez \U000f0000ici\U000f0001."
    flag = Flag(check="codes.whitespace", family="codes", severity="critical", category="x", its_type="markup",
                side="target", start=8, end=9, text="\U000f0000", message="m")
    text = segment_text(value, "target", [flag], codes=codes)
    assert text.plain == "Cliquez {1}ici{/1}."
    styled = [(span.start, span.end) for span in text.spans if span.style == SEVERITY_STYLE["critical"]]
    assert styled == [(8, 11)]  # the whole token, nothing else


def test_alt_trans_proposals_are_in_the_context() -> None:
    from tests.conftest import shared_data

    from relecture.tui.context_panel import context_blocks

    doc = import_document(shared_data("okapi-xliff", "Manual-12-AltTrans.xlf"))
    seg = next(s for s in doc.segments if s.meta.get("alt_trans"))
    shown = "\n".join(block.plain for block in context_blocks(seg))
    assert "Proposal" in shown and seg.meta["alt_trans"][0]["target"] in shown
