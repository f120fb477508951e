"""Each reviewing key, through the real app: what the screen shows and what is on disk."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import (
    make_app,
    on_disk,
    screen_text,
    wait_for_no_text,
    wait_for_text,
    wait_on_disk,
    wait_until,
)

from relecture.store import journal_path, load_review, lock_path

SIZE = (120, 40)


def current(app) -> int:  # type: ignore[no-untyped-def]
    return app.review_screen.current_index


async def test_opening_shows_header_list_pane_and_side_panel(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        text = await wait_for_text(pilot, app, "llm.preamble")
        assert "Courts-métrages (test)" in text
        assert "zh→fr" in text
        assert "0/8 reviewed" in text
        assert "● saved" in text
        assert "8 segments" in text
        assert "Source (zh)" in text and "Target (fr)" in text
        assert "llm.preamble" in text  # the side panel lists the first segment's flag
        assert "Preamble left by the model" in text
        assert "\ns1 ·●" in text  # id, status mark, severity dot


async def test_navigation_keys(review_file) -> None:
    app = make_app(review_file(count=120))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "j", "down")
        await wait_until(pilot, lambda: current(app) == 3, "current(app) == 3")
        await pilot.press("k", "up")
        await wait_until(pilot, lambda: current(app) == 1, "current(app) == 1")
        await pilot.press("G")
        await wait_until(pilot, lambda: current(app) == 119, "current(app) == 119")
        assert "segment s120" in screen_text(app)
        await pilot.press("g")
        await wait_until(pilot, lambda: current(app) == 0, "current(app) == 0")
        await pilot.press("pagedown")
        page = current(app)
        assert page > 20
        await pilot.press("pageup")
        await wait_until(pilot, lambda: current(app) == 0, "current(app) == 0")
        await pilot.press("end", "home")
        await wait_until(pilot, lambda: current(app) == 0, "current(app) == 0")


async def test_next_flag_skips_reviewed_segments_and_wraps(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: current(app) == 3, "current(app) == 3")  # the relative date
        assert "cultural.relative-date" in screen_text(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: current(app) == 0, "current(app) == 0")  # wraps to the preamble
        await pilot.press("space")  # approve segment 1: no longer a "to review" flag
        await pilot.press("N")
        await wait_until(pilot, lambda: current(app) == 3, "current(app) == 3")
        await pilot.press("n")
        await wait_until(pilot, lambda: current(app) == 3, "current(app) == 3")  # the only one left
        await pilot.press("space")
        await pilot.press("n")
        await wait_for_text(pilot, app, "No open flag left")


async def test_jump_to_segment_by_number_and_id(review_file) -> None:
    app = make_app(review_file(count=50))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("colon", *"37", "enter")
        await wait_until(pilot, lambda: current(app) == 36, "current(app) == 36")
        await pilot.press("colon", *"s12", "enter")
        await wait_until(pilot, lambda: current(app) == 11, "current(app) == 11")
        await pilot.press("colon", *"999", "enter")
        await wait_for_text(pilot, app, "No segment '999'")
        await pilot.press("escape")
        await wait_until(pilot, lambda: current(app) == 11, "current(app) == 11")


async def test_annotate_whole_segment_with_search_severity_comment_correction(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "a")
        await wait_until(pilot, lambda: "Annotate: target 0-72" in screen_text(app))
        await pilot.press(*"mistrans")
        await wait_for_text(pilot, app, "Category: Accuracy/Mistranslation")
        await pilot.press("2")  # major, typed in the search field
        await pilot.press("tab", *"sens faux", "tab", *"nouveau", "enter")  # tab: search -> comment
        await wait_for_text(pilot, app, "Annotations (1)")
        await wait_for_text(pilot, app, "major Accuracy/Mistranslation")
    seg = on_disk(path).segments[1]
    [ann] = seg.annotations
    assert (ann.side, ann.start, ann.end) == ("target", 0, len(seg.target))
    assert (ann.category, ann.severity) == ("Accuracy/Mistranslation", "major")
    assert (ann.comment, ann.correction, ann.author, ann.origin) == ("sens faux", "nouveau", "tester", "manual")
    assert ann.text == seg.target


async def test_annotate_severity_keys_and_escape_cancels(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "a", *"gramm", "3")
        await wait_for_text(pilot, app, "Category: Fluency/Grammar")
        await pilot.press("escape")
        await wait_for_text(pilot, app, "Annotations (0)")
        for count, (key, severity) in enumerate((("1", "minor"), ("0", "neutral"), ("3", "critical")), 1):
            await pilot.press("a", *"spelling", key, "enter")
            doc = await wait_on_disk(pilot, path, lambda d, n=count: len(d.segments[1].annotations) == n)
            assert doc.segments[1].annotations[-1].severity == severity
    assert len(on_disk(path).segments[1].annotations) == 3


async def test_other_category_needs_a_comment(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "a", *"other", "enter")
        await wait_for_text(pilot, app, "needs a comment")
        await pilot.press(*"ton trop familier", "enter")
        await wait_on_disk(pilot, path, lambda d: d.segments[1].annotations)
    [ann] = on_disk(path).segments[1].annotations
    assert (ann.category, ann.comment) == ("Other", "ton trop familier")


async def test_enter_on_flag_prefills_and_turns_it_into_an_annotation(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("enter")
        text = await wait_for_text(pilot, app, "Confirm flag llm.preamble")
        assert "Category: Accuracy/Addition" in text
        await pilot.press("enter")
        await wait_for_text(pilot, app, "confirmed → annotation 1")
        await wait_until(pilot, lambda: "1 confirmed" in screen_text(app), "\"1 confirmed\" in screen_text(app)")
        # Annotation and dismissal are one journal line: a crash keeps both or neither.
        [line] = journal_path(path).read_bytes().splitlines()
        assert '"put_annotation"' in line.decode() and '"dismiss"' in line.decode()
    seg = on_disk(path).segments[0]
    [ann] = seg.annotations
    assert (ann.category, ann.severity, ann.start, ann.end) == ("Accuracy/Addition", "major", 0, 33)
    assert ann.origin == "flag:llm.preamble"
    assert ann.comment == "Preamble left by the model"
    assert seg.dismissed == [seg.flags[0].key]


async def test_a_on_a_flag_uses_its_span(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n", "a")
        text = await wait_for_text(pilot, app, "target 0-15")
        assert "Category: Locale convention/Date" in text
        await pilot.press("enter")
        await wait_on_disk(pilot, path, lambda d: d.segments[3].annotations)
    [ann] = on_disk(path).segments[3].annotations
    assert (ann.start, ann.end, ann.text, ann.correction) == (0, 15, "Le 9 de ce mois", "le 9 juillet 2024")


async def test_span_from_keyboard_selection_in_the_reading_pane(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "j", "v")
        await pilot.press("right", "right", "right", "right", "right", "right")
        await pilot.press(*["shift+right"] * 3)  # "que"
        await pilot.press("a")
        await wait_for_text(pilot, app, "target 6-9")
        await pilot.press(*"grammar", "1", "enter")
        await wait_on_disk(pilot, path, lambda d: d.segments[2].annotations)
    [ann] = on_disk(path).segments[2].annotations
    assert (ann.start, ann.end, ann.text, ann.category) == (6, 9, "que", "Fluency/Grammar")


async def test_span_on_the_source_side(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "V", "shift+right", "shift+right", "a", *"omission", "enter")
        await wait_on_disk(pilot, path, lambda d: d.segments[1].annotations)
    [ann] = on_disk(path).segments[1].annotations
    assert (ann.side, ann.start, ann.end, ann.text) == ("source", 0, 2, "小米")


async def test_mouse_drag_selects_a_span(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "j")
        view = app.screen.query_one("#reading-view")
        await pilot.click(view, offset=(3, view.first_line("target") + 1))  # a click on the text
        selector = app.screen.query_one("#span-selector")
        # Shown is not yet laid out: the press must land on the selector, not where it will be.
        await wait_until(
            pilot,
            lambda: selector.display and app.screen.get_widget_at(selector.region.x + 2, selector.region.y + 1)[0] is selector,
            "the span selector is under the pointer",
        )
        # Shown and focused with its text loaded and laid out: a press before that maps the
        # pointer to a location in the previous (empty) layout.
        await wait_until(
            pilot,
            lambda: app.focused is selector and selector.text.startswith("Alors") and selector.size.width > 10,
            "the span selector holds the focus and the segment's text",
        )
        await pilot.mouse_down(selector, offset=(2, 1))
        await pilot.hover(selector, offset=(7, 1))
        await pilot.mouse_up(selector, offset=(7, 1))
        await wait_until(pilot, lambda: selector.span == (0, 5), "the dragged span is selected")
        await pilot.press("a", *"style", "enter")
        await wait_on_disk(pilot, path, lambda d: d.segments[2].annotations)
    [ann] = on_disk(path).segments[2].annotations
    assert (ann.start, ann.end, ann.text) == (0, 5, "Alors")


async def test_dismiss_and_restore_a_flag(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("x")
        await wait_for_text(pilot, app, "(0 open, 1 dismissed)")
        assert on_disk(path).segments[0].dismissed == ["llm.preamble|target|Voici la traduction en français :"]
        assert app.session.flagged[0] == 0
        await pilot.press("x")
        await wait_for_text(pilot, app, "(1 open, 0 dismissed)")
    assert on_disk(path).segments[0].dismissed == []


async def test_post_edit_keeps_the_original_and_shows_the_difference(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "j", "j", "e")
        await wait_for_text(pilot, app, "Original translation (kept)")
        await pilot.press("home", *["shift+right"] * 15, *"Le 9 juillet 2024")
        await wait_for_text(pilot, app, "Le 9 juillet 2024")
        await pilot.press("enter")
        text = await wait_for_text(pilot, app, "Post-edit (difference from the translation)")
        assert "✎" in text
    seg = on_disk(path).segments[3]
    assert seg.target == "Le 9 de ce mois, OpenAI a cessé de fournir ses services."
    assert seg.post_edit == "Le 9 juillet 2024, OpenAI a cessé de fournir ses services."


async def test_post_edit_restore_original_removes_it(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("e", "end", *" !", "enter")
        doc = await wait_on_disk(pilot, path, lambda d: d.segments[0].post_edit is not None)
        assert doc.segments[0].post_edit == "Voici la traduction en français : !"
        await pilot.press("e", "ctrl+r", "enter")
        await wait_on_disk(pilot, path, lambda d: d.segments[0].post_edit is None)
    assert on_disk(path).segments[0].post_edit is None


async def test_space_approves_and_moves_s_cycles_status(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space", "space")
        await wait_for_text(pilot, app, "2/8 reviewed (25%)")
        assert current(app) == 2
        await pilot.press("s")
        await wait_for_text(pilot, app, "Segment s3: approved")
        await pilot.press("s", "s")
        await wait_for_text(pilot, app, "\ns3 ✗")
        await pilot.press("s")
        await wait_on_disk(pilot, path, lambda d: d.segments[2].status == "todo")
    statuses = [s.status for s in on_disk(path).segments]
    assert statuses[:3] == ["approved", "approved", "todo"]
    assert load_review(path).segments[0].status == "todo"  # only in the journal until saved


async def test_segment_note_and_document_note(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "m", *"vérifier le nom", "enter")
        await wait_for_text(pilot, app, "vérifier le nom")
        await pilot.press("M", *"relu jusqu'au 3", "ctrl+n", *"deuxième ligne", "enter")
        await wait_for_text(pilot, app, "relu jusqu'au 3")
        await pilot.press("m", "escape")
        await wait_until(pilot, lambda: app.screen is app.review_screen, "the note dialog closed")
    doc = on_disk(path)
    assert doc.segments[1].note == "vérifier le nom"
    assert doc.note == "relu jusqu'au 3\ndeuxième ligne"


async def test_search_plain_and_regex_then_escape_clears(review_file) -> None:
    app = make_app(review_file())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"courts-métrages", "enter")
        await wait_for_text(pilot, app, "2 of 8 match")
        assert current(app) == 1
        await pilot.press("j")
        await wait_until(pilot, lambda: current(app) == 2, "current(app) == 2")
        await pilot.press("j")
        await wait_until(pilot, lambda: current(app) == 2, "current(app) == 2")  # the view holds only the matches
        await pilot.press("escape")
        await wait_for_text(pilot, app, "8 segments")
        assert current(app) == 2  # clearing keeps the reviewer where they were
        await pilot.press("slash", *r"^(Le|Les) ", "tab", "space", "enter")  # replaces the pattern
        await wait_for_text(pilot, app, "4 of 8 match")
        await pilot.press("slash", *r"(unclosed", "enter")  # the regex box stays ticked
        await wait_for_text(pilot, app, "Not a valid regular expression")
        await pilot.press("tab", "space", "enter")  # as plain text: no segment matches
        await wait_for_text(pilot, app, "No segment matches")
        await wait_until(pilot, lambda: "0 of 8 match" in screen_text(app), "\"0 of 8 match\" in screen_text(app)")


async def test_search_matches_the_source_too(review_file) -> None:
    app = make_app(review_file())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"OpenAI", "enter")
        await wait_for_text(pilot, app, "1 of 8 match")
        await pilot.press("escape", "slash", *"短剧", "enter")
        await wait_for_text(pilot, app, "2 of 8 match")


async def test_filter_by_status_severity_family_and_annotated(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space")  # approve segment 1
        await pilot.press("f", "space", "enter")  # status: todo (first item)
        text = await wait_for_text(pilot, app, "7 of 8 match")
        assert "status todo" in text
        await pilot.press("f", "ctrl+d", "tab", "down", "down", "space", "enter")  # severity: minor
        await wait_for_text(pilot, app, "1 of 8 match")
        assert current(app) == 3
        await pilot.press("f", "ctrl+d", "tab", "tab", "space", "enter")  # family: cultural
        text = await wait_for_text(pilot, app, "check cultural")
        assert "1 of 8 match" in text
        await pilot.press("escape")
        await pilot.press("f", "ctrl+d", "tab", "tab", "tab", "down", "enter")  # not annotated... radio
        await wait_until(pilot, lambda: app.screen is app.review_screen, "the filter dialog closed")
        await pilot.press("escape")
        await wait_for_text(pilot, app, "8 segments")


async def test_filter_annotated(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "a", *"style", "enter")
        await wait_for_text(pilot, app, "Annotations (1)")
        await pilot.press("f", "tab", "tab", "tab")
        await pilot.press("down", "space", "enter")  # "annotated"
        text = await wait_for_text(pilot, app, "1 of 8 match")
        assert "annotated" in text
        assert current(app) == 1


async def test_undo_and_redo_every_kind_of_change(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("x")  # dismissal
        await pilot.press("j", "a", *"style", "enter")  # annotation
        await pilot.press("m", *"note", "enter")  # note
        await pilot.press("e", "end", *" !", "enter")  # post-edit
        await pilot.press("s")  # status
        doc = await wait_on_disk(pilot, path, lambda d: d.segments[1].status == "approved")
        seg0, seg1 = doc.segments[:2]
        assert seg0.dismissed and seg1.annotations and seg1.note and seg1.post_edit
        await pilot.press("u")
        await wait_on_disk(pilot, path, lambda d: d.segments[1].status == "todo")
        await pilot.press("u")
        await wait_on_disk(pilot, path, lambda d: d.segments[1].post_edit is None)
        await pilot.press("ctrl+z")
        await wait_on_disk(pilot, path, lambda d: d.segments[1].note == "")
        await pilot.press("u")
        await wait_on_disk(pilot, path, lambda d: d.segments[1].annotations == [])
        await pilot.press("u")
        await wait_on_disk(pilot, path, lambda d: d.segments[0].dismissed == [])
        assert current(app) == 0  # undo goes back to the segment it changed
        await pilot.press("u")
        await wait_for_text(pilot, app, "Nothing to undo")
        for _ in range(5):
            await pilot.press("ctrl+y")
        await wait_for_text(pilot, app, "Redone: status approved on segment s2")
    seg0, seg1 = on_disk(path).segments[:2]
    assert seg0.dismissed and len(seg1.annotations) == 1 and seg1.note == "note"
    assert seg1.post_edit and seg1.post_edit.endswith(" !") and seg1.status == "approved"


async def test_toggle_source_pane(review_file) -> None:
    app = make_app(review_file())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_text(pilot, app, "Source (zh)")
        await pilot.press("t")
        await wait_for_no_text(pilot, app, "Source (zh)")
        await pilot.press("t")
        await wait_for_text(pilot, app, "Source (zh)")


async def test_read_only_refuses_changes_and_says_so(review_file) -> None:
    path = review_file()
    before = path.read_bytes()
    app = make_app(path, readonly=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert "READ-ONLY" in screen_text(app)
        await pilot.press("space", "x", "s", "a", "e", "m", "u")
        await wait_for_text(pilot, app, "Opened read-only")
        assert current(app) == 0
        await pilot.press("j", "n")  # reading still works
        await wait_until(pilot, lambda: current(app) == 3, "j and n moved in read-only mode")
        await pilot.press("q")
    await wait_until(pilot, lambda: path.read_bytes() == before, "path.read_bytes() == before")
    assert not journal_path(path).exists()


async def test_q_quits_saves_and_releases_the_lock(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space")
        await wait_until(pilot, lambda: journal_path(path).exists(), "journal_path(path).exists()")
        await wait_until(pilot, lambda: "journal 1" in screen_text(app), "\"journal 1\" in screen_text(app)")
        await pilot.press("q")
        await wait_until(pilot, lambda: not lock_path(path).exists(), "q released the lock")
    assert app.return_code == 0 or app.return_code is None
    assert not journal_path(path).exists()
    assert not lock_path(path).exists()
    assert load_review(path).segments[0].status == "approved"


async def test_every_change_is_journaled_before_the_next_key(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space")
        lines = journal_path(path).read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 and '"set_status"' in lines[0]
        await pilot.press("s")
        await wait_until(pilot, lambda: len(journal_path(path).read_text(encoding="utf-8").splitlines()) == 2)


async def test_autosave_folds_the_journal_into_the_file(review_file, monkeypatch) -> None:
    import relecture.tui.app as app_module

    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY", 0.05)
    path = review_file()
    app = make_app(path, autosave=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space")
        await wait_until(pilot, lambda: not journal_path(path).exists(), "the autosave folded the journal in")
        assert load_review(path).segments[0].status == "approved"
        await wait_for_text(pilot, app, "● saved")


def test_help_lists_every_binding() -> None:
    from relecture.tui.app import help_groups
    from relecture.tui.screen import ReviewScreen

    ids = {b.id for _, group in help_groups() for b in group}
    for binding in ReviewScreen.BINDINGS:
        assert binding.id, f"binding {binding.key} has no id"
        assert binding.description
        assert binding.id in ids


async def test_help_screen_shows_keys_and_closes(review_file) -> None:
    app = make_app(review_file())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("question_mark")
        text = await wait_for_text(pilot, app, "approve_next")
        assert "Approve+next" in text
        await pilot.press("end")
        await wait_for_text(pilot, app, "confirm.yes")
        await pilot.press("escape")
        await wait_for_no_text(pilot, app, "confirm.yes")


async def test_command_palette_runs_actions_and_jumps(review_file) -> None:
    path = review_file(count=30)
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+p", *"17")
        await wait_for_text(pilot, app, "Go to segment s17")  # a position; the segment named by its id
        await pilot.press("enter")
        await wait_until(pilot, lambda: current(app) == 16, "the palette jumped to segment 17")
        await pilot.press("ctrl+p", *"approve+next")
        await wait_for_text(pilot, app, "Approve+next")
        await pilot.press("enter")
        await wait_until(pilot, lambda: current(app) == 17, "approve+next moved on")
        await pilot.press("ctrl+p", *"toggle source")
        await wait_for_text(pilot, app, "Toggle source pane")
        await pilot.press("enter")
        await wait_for_no_text(pilot, app, "Source (zh)")
    assert on_disk(path).segments[16].status == "approved"


async def test_export_from_the_workbench(review_file, tmp_path: Path) -> None:
    path = review_file()
    app = make_app(path)
    out = tmp_path / "out.json"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space", "ctrl+e")
        await wait_until(pilot, lambda: app.screen.query("#export-path"), "the export dialog opened")
        app.screen.query_one("#export-path").value = str(out)  # as pasted: Pilot types a long path slowly
        await pilot.press("enter")
        await wait_for_text(pilot, app, "Exported json")
    assert out.exists()
    assert '"approved"' in out.read_text(encoding="utf-8")


async def test_rerun_checks_flags_and_undo(review_file) -> None:
    path = review_file(targets=["Voici la traduction en français :", "Une phrase correcte."])
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert "0 flagged to review" in screen_text(app)
        await pilot.press("ctrl+r", "y")  # in one burst, as a paste or a laggy link sends them
        await wait_for_text(pilot, app, "Checks done")
        flags = on_disk(path).segments[0].flags
        assert any(f.check == "llm.preamble" for f in flags)
        await pilot.press("u")
        await wait_on_disk(pilot, path, lambda d: d.segments[0].flags == [], "undo removed the new flags")


async def test_esa_score_key_sets_checks_and_clears(review_file) -> None:
    path = review_file()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("r", *"150", "enter")
        await wait_for_text(pilot, app, "A whole number from 0 to 100")
        await pilot.press(*["backspace"] * 3, *"85", "enter")
        await wait_for_text(pilot, app, "ESA 85")
        assert on_disk(path).segments[0].esa == 85
        await pilot.press("u")
        await wait_on_disk(pilot, path, lambda d: d.segments[0].esa is None)
        await pilot.press("j", "r", *"40", "enter")
        await wait_for_text(pilot, app, "ESA 40")
        await pilot.press("r", *["backspace"] * 2, "enter")
        await wait_for_no_text(pilot, app, "ESA 40")
    assert on_disk(path).segments[1].esa is None


async def test_worst_chrf_first_from_the_palette(review_file) -> None:
    from relecture import changes
    from relecture.store import ReviewStore

    path = review_file(bilingual=False, targets=[
        "Le chat dort sur le canapé du salon.",
        "Les enfants jouent dans le jardin fleuri.",
        "Il pleut depuis trois jours sans arrêt.",
        "Nous partirons demain matin très tôt.",
    ])
    with ReviewStore.open(path) as store:
        # Segment 2 barely edited, segment 4 rewritten, segment 1 approved as is, 3 untouched.
        store.apply(changes.set_post_edit("s2", "Les enfants jouent dans le jardin fleuri !"))
        store.apply(changes.set_post_edit("s4", "Départ prévu à l'aube, demain."))
        store.apply(changes.set_status("s1", "approved"))
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+p", *"worst chrF")
        await wait_for_text(pilot, app, "worst chrF")
        await pilot.press("enter")
        text = await wait_for_text(pilot, app, "lowest chrF")
        assert "3 segments, lowest chrF (most edited) first." in text
        session = app.review_screen.session
        assert [session.segments[i].id for i in session.view] == ["s4", "s2", "s1"]
        assert current(app) == 3  # the list starts on the worst: segment 4
        await pilot.press("j")
        await wait_until(pilot, lambda: current(app) == 1, "current(app) == 1")
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(session.view) == 4, "escape cleared the order")


async def test_moving_between_segments_repaints_without_a_new_layout(review_file, monkeypatch) -> None:
    """The per-key latency budget (bench/ui.py) holds only if a move repaints the lines that
    changed: a layout pass repaints the whole screen. Segments of different lengths, notes and
    flags change the panes' content, never their size."""
    from textual.screen import Screen

    path = review_file(count=40)
    app = make_app(path)
    layouts: list[str] = []
    original = Screen._refresh_layout

    def counting(self, size=None, scroll=False):  # type: ignore[no-untyped-def]
        if type(self).__name__ == "ReviewScreen":  # the default screen under it may settle late
            layouts.append(type(self).__name__)
        return original(self, size, scroll)

    async with app.run_test(size=SIZE) as pilot:
        await wait_for_text(pilot, app, "40 segments")
        # The first paint can come before the layout a late mount asks for (seen under load):
        # that one is the start-up's, not a move's. Textual has no public "layout pending".
        screen = app.review_screen
        await wait_until(pilot, lambda: not (screen._layout_required or screen._scroll_required),
                         "the start-up's layouts done")
        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        for key in ["j", "j", "j", "j", "k", "j", "j"]:
            await pilot.press(key)
        await wait_for_text(pilot, app, "segment s6")
        assert current(app) == 5
        assert layouts == []


async def test_q_on_a_big_document_gives_the_terminal_back_before_saving(review_file, monkeypatch) -> None:
    """Saving 100,000 segments takes seconds: q exits at once and the caller (`relecture review`)
    folds the journal in afterwards. Until then the change is safe in the journal."""
    from relecture.tui import app as app_module

    monkeypatch.setattr(app_module, "AUTOSAVE_MAX_SEGMENTS", 5)
    path = review_file()  # 8 segments: "big" for this test
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "q")
    await wait_until(pilot, lambda: app.save_deferred and app.return_code == 0)
    assert '"set_status"' in journal_path(path).read_text(encoding="utf-8")
    assert on_disk(path).segments[0].status == "approved"  # replayed from the journal
    app.store.close()  # what `relecture review` does after the app has returned
    assert not journal_path(path).exists() and not lock_path(path).exists()
    assert load_review(path).segments[0].status == "approved"


async def test_export_default_file_is_named_as_the_cli_names_it(review_file) -> None:
    """ctrl+e then enter: doc.txt.review.json exports JSON to doc.txt.json (as `relecture
    export` does), never over the review file itself."""
    path = review_file()  # doc.txt.review.json
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space", "ctrl+e")
        await wait_until(pilot, lambda: app.screen.query("#export-path"), "the export dialog opened")
        assert app.screen.query_one("#export-path").value == str(path.with_name("doc.txt.json"))
        await pilot.press("enter")
        await wait_for_text(pilot, app, "Exported json")
    assert '"approved"' in path.with_name("doc.txt.json").read_text(encoding="utf-8")
    assert on_disk(path).segments[0].status == "approved"  # the review itself is intact
