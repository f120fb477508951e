"""``relecture review``: what it opens, imports, checks and where it keeps the review file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from relecture.cli import main
from relecture.commands.reviewing import bundled_corpus, data_dir, resolve
from relecture.config import Config
from relecture.store import ReviewStore, load_review, review_path_for

REPO = Path(__file__).resolve().parents[2]


def test_review_module_does_not_import_textual() -> None:
    code = (
        "import sys, relecture.commands.reviewing, relecture.cli\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_a_text_file_is_imported_checked_and_written_beside_it(tmp_path: Path) -> None:
    doc = tmp_path / "article.fr.txt"
    doc.write_text("Voici la traduction en français :\nLe 9 de ce mois, OpenAI a cessé ses services.\n",
                   encoding="utf-8")
    opened = resolve(doc, None, Config(), None, read_only=False, interactive=False)
    try:
        assert opened.store.path == review_path_for(doc)
        assert not opened.store.readonly
        assert any("checks flagged" in m for m in opened.messages)
    finally:
        opened.store.close()
    saved = load_review(review_path_for(doc))
    checks = {f.check for s in saved.segments for f in s.flags}
    assert "llm.preamble" in checks


def test_an_existing_review_file_is_opened_not_reimported(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Une phrase.\n", encoding="utf-8")
    first = resolve(doc, None, Config(), None, read_only=False, interactive=False)
    first.store.apply({"op": "set_status", "segment": first.store.doc.segments[0].id, "value": "approved"})
    first.store.close()
    again = resolve(doc, None, Config(), None, read_only=False, interactive=False)
    try:
        assert again.store.doc.segments[0].status == "approved"
        assert "reviewing the existing" in again.messages[0]
    finally:
        again.store.close()
    direct = resolve(review_path_for(doc), None, Config(), None, read_only=True, interactive=False)
    assert direct.store.readonly and direct.store.doc.segments[0].status == "approved"


def test_no_path_opens_the_bundled_corpus_in_the_data_folder(tmp_path: Path) -> None:
    folder = data_dir()
    assert str(folder) == os.environ["RELECTURE_DATA_DIR"]  # tests never touch the real home
    opened = resolve(None, None, Config(), None, read_only=False, interactive=False)
    try:
        assert opened.store.path == folder / "courts-metrages-ia.fr.txt.review.json"
        assert len(opened.store.doc.segments) > 40
        assert any(s.flags for s in opened.store.doc.segments)
    finally:
        opened.store.close()
    assert not review_path_for(bundled_corpus()).exists()  # nothing written in the repository


def test_locked_file_non_interactive_says_so_and_names_the_flag(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Une phrase.\n", encoding="utf-8")
    resolve(doc, None, Config(), None, read_only=False, interactive=False).store.close()
    holder = ReviewStore.open(review_path_for(doc))
    try:
        result = CliRunner().invoke(main, ["review", str(doc)])
        assert result.exit_code == 2
        assert "already open for writing" in result.output
        assert "--read-only" in result.output
        # Read-only opening works while the other session holds it.
        opened = resolve(doc, None, Config(), None, read_only=True, interactive=False)
        assert opened.store.readonly
    finally:
        holder.close()


def test_bad_paths_are_one_line_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["review", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "missing.txt: no such file" in result.output
    broken = tmp_path / "b.review.json"
    broken.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["review", str(broken)])
    assert result.exit_code == 2
    assert "b.review.json:1:2: malformed JSON" in result.output
    assert "Traceback" not in result.output


def test_reopening_a_document_that_changed_since_import_says_so(tmp_path: Path) -> None:
    doc = tmp_path / "chg.txt"
    doc.write_text("Bonjour le monde.\n", encoding="utf-8")
    resolve(doc, None, Config(), None, read_only=False, interactive=False).store.close()
    unchanged = resolve(doc, None, Config(), None, read_only=False, interactive=False)
    unchanged.store.close()
    assert not any("has changed since it was imported" in m for m in unchanged.messages)
    doc.write_text("Au revoir le monde.\n", encoding="utf-8")
    opened = resolve(doc, None, Config(), None, read_only=False, interactive=False)
    try:
        assert opened.store.doc.segments[0].target == "Bonjour le monde."  # the review as it was
        assert any(f"{doc} has changed since it was imported" in m and "--force" in m for m in opened.messages)
    finally:
        opened.store.close()


def test_languages_can_be_given_for_the_import(tmp_path: Path) -> None:
    data = tmp_path / "pairs.jsonl"
    data.write_text('{"id": "1", "source": "Hi.", "target": "Salut."}\n', encoding="utf-8")
    opened = resolve(data, None, Config(), None, read_only=False, interactive=False, languages=("en-GB", "fr-CA"))
    try:
        assert (opened.store.doc.source_lang, opened.store.doc.target_lang) == ("en-GB", "fr-CA")
    finally:
        opened.store.close()
    assert load_review(review_path_for(data)).target_lang == "fr-CA"
