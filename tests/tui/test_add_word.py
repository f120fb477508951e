""""Add to dictionary" (w on a spelling flag): the word goes into the personal word list the
spelling check reads, its flags leave the whole document as one undoable step, and the checks
run with that list never flag it again."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.tui.conftest import make_app, on_disk, wait_for_text, wait_on_disk, wait_until

from relecture.checks import Checker
from relecture.config import Config, load_config
from relecture.model import ReviewDocument, Segment
from relecture.store import ReviewStore

SIZE = (120, 40)
WORD = "traducton"


def _document() -> ReviewDocument:
    doc = ReviewDocument(id="d", title="t", source_lang="en", target_lang="fr", segments=[
        Segment(id="s1", target="La traducton de ce texte est bonne et claire.", source="The translation is good."),
        Segment(id="s2", target="Une autre version du texte, assez longue.", source="Another version.",
                post_edit="Une autre traducton du texte, assez longue."),
        Segment(id="s3", target="Une phrase sans faute aucune ici.", source="A sentence."),
    ])
    checker = Checker(doc)
    for seg_id, flags in checker.run(doc).items():
        doc.segments[int(seg_id[1:]) - 1].flags = flags
    for seg_id, flags in checker.run_post_edits(doc).items():
        doc.segments[int(seg_id[1:]) - 1].post_edit_flags = flags
    return doc


def _spelt(doc: ReviewDocument) -> list[tuple[str, str]]:
    """(segment, where) of every flag on WORD."""
    return [(seg.id, where) for seg in doc.segments
            for where, flags in (("mt", seg.flags), ("post-edit", seg.post_edit_flags))
            for f in flags if f.check == "spelling.unknown-word" and f.text == WORD]


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "doc.review.json"
    doc = _document()
    assert _spelt(doc) == [("s1", "mt"), ("s2", "post-edit")]  # the real check flags it, both places
    ReviewStore.create(path, doc).close()
    return path


async def _add(pilot, app) -> str:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.review_screen.check_action("add_word", ()), "w applies on the flag")
    await pilot.press("w")
    await wait_for_text(pilot, app, f"Add “{WORD}” to your word list?")
    await pilot.press("y")
    return await wait_for_text(pilot, app, f"“{WORD}” added to your word list")


async def test_without_a_config_the_word_goes_into_a_new_relecture_toml(tmp_path: Path) -> None:
    path = _write(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _add(pilot, app)
        await wait_on_disk(pilot, path, lambda d: _spelt(d) == [], "the word's flags left every segment")
        toml = tmp_path / "relecture.toml"
        assert tomllib.loads(toml.read_text(encoding="utf-8"))["checks"]["words"] == [WORD]
        # The checks compiled from now on read it: a new post-edit with the word is not flagged.
        assert app.check_post_edit(2, f"Une phrase avec {WORD} dedans, assez longue.") == []
        await pilot.press("u")  # the flags come back; the word stays in the list
        await wait_on_disk(pilot, path, lambda d: len(_spelt(d)) == 2, "undo brought the flags back")
    assert WORD in toml.read_text(encoding="utf-8")
    # The spelling check run with that config, as `relecture check` would: the word is right.
    doc = on_disk(path)
    assert not [f for f in Checker(doc, load_config(path)).run(doc).get("s1", []) if f.text == WORD]


async def test_a_configured_words_file_gets_the_word_and_the_config_is_untouched(tmp_path: Path) -> None:
    path = _write(tmp_path)
    toml = tmp_path / "relecture.toml"
    toml.write_text('# team settings\n[checks]\nwords_file = "words.txt"  # ours\n', encoding="utf-8")
    words = tmp_path / "words.txt"
    words.write_text("# terms of the field\nDamoxing", encoding="utf-8")  # no final newline
    app = make_app(path, config=load_config(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _add(pilot, app)
        await wait_on_disk(pilot, path, lambda d: _spelt(d) == [], "the word's flags left every segment")
    assert words.read_text(encoding="utf-8") == f"# terms of the field\nDamoxing\n{WORD}\n"
    assert toml.read_text(encoding="utf-8") == '# team settings\n[checks]\nwords_file = "words.txt"  # ours\n'


async def test_an_existing_config_keeps_its_comments_and_tables(tmp_path: Path) -> None:
    path = _write(tmp_path)
    toml = tmp_path / "relecture.toml"
    toml.write_text('[checks]\ndisable = ["cultural"]  # noisy here\nwords = ["Damoxing"]\n\n'
                    '[review]\nconfirm_approve = false\n', encoding="utf-8")
    app = make_app(path, config=load_config(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _add(pilot, app)
    written = toml.read_text(encoding="utf-8")
    assert "# noisy here" in written
    data = tomllib.loads(written)
    assert data["checks"]["words"] == ["Damoxing", WORD]
    assert data["checks"]["disable"] == ["cultural"] and data["review"] == {"confirm_approve": False}


async def test_w_asks_first_and_no_leaves_everything_as_it_was(tmp_path: Path) -> None:
    path = _write(tmp_path)
    app = make_app(path, config=Config())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: app.review_screen.check_action("add_word", ()), "w applies on the flag")
        await pilot.press("w")
        await wait_for_text(pilot, app, "Add “traducton” to your word list?")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is app.review_screen, "the question closed")
        await pilot.press("G")  # s3: no spelling flag, so w does not apply there
        await wait_until(pilot, lambda: app.review_screen.current_index == 2, "on s3")
        assert not app.review_screen.check_action("add_word", ())
    assert not (tmp_path / "relecture.toml").exists()
    assert len(_spelt(on_disk(path))) == 2
