"""Spelling: misspelt words with a suggestion, names and code never flagged, post-edits spelt apart, word lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.checks.helpers import software_doc, write_po

from relecture.checks import run_checks
from relecture.cli import main
from relecture.config import Config


def test_post_edits_are_spelt_apart_with_offsets_into_the_post_edit() -> None:
    from relecture.checks.spelling import post_edit_errors

    doc = software_doc([("The source.", "La traduction."), ("The source.", "La traduction.")], "en", "fr", fmt="text")
    doc.segments[0].post_edit = "La tradcution est finie."
    doc.segments[1].post_edit = "La traduction est finie."
    assert post_edit_errors(doc) == {"1": [(3, 13, "tradcution", "traduction")]}


@pytest.mark.parametrize(
    ("lang", "wrong", "right", "suggestion"),
    [
        ("fr", "La tradcution est bonne.", "La traduction est bonne, qu'il dit aujourd'hui.", "traduction"),
        ("en", "The translaton is good.", "The translation isn't bad.", "translation"),
        ("de", "Die Übersetzung ist mindestends gut.", "Die Übersetzung ist mindestens gut.", "mindestens"),
        ("it", "La traduzone è buona.", "La traduzione è buona.", "traduzione"),
        ("pt", "A traduçao é boa.", "A tradução é boa.", "tradução"),
        ("nl", "De vertalnig is goed.", "De vertaling is goed.", "vertaling"),
    ],
)
def test_misspelt_words_are_flagged_with_a_suggestion(lang: str, wrong: str, right: str, suggestion: str) -> None:
    doc = software_doc([("The source.", wrong), ("The source.", right)], "en", lang, fmt="text")
    results = run_checks(doc, only="spelling")
    assert list(results) == ["1"]
    (flag,) = results["1"]
    assert (flag.severity, flag.category, flag.suggestion) == ("minor", "Fluency/Spelling", suggestion)


def test_names_code_source_words_and_personal_words_are_never_flagged(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# project words\nkubectlage\n", encoding="utf-8")
    config = tmp_path / "relecture.toml"
    config.write_text('[checks]\nwords = ["traducteurz"]\nwords_file = "words.txt"\n', encoding="utf-8")
    from relecture.config import load_config

    doc = software_doc(
        [
            ("Run it.", "Lancez Kubernetz avec NASAX et https://exemple.fr/tradcution ou `tradcution` ou foo_tradcution."),
            ("The zorblax module.", "Le module zorblax."),  # a word of the source
            ("Ask the translator.", "Demandez au traducteurz, puis kubectlage."),
        ],
        "en", "fr", fmt="text",
    )
    assert run_checks(doc, load_config(explicit=config), only="spelling") == {}


def test_spanish_needs_hunspell_because_its_shipped_list_lacks_common_words() -> None:
    doc = software_doc([("It is here.", "Está aquí y hay más."), ("It is here.", "La tradcción está aquí.")], "en", "es", fmt="text")
    assert run_checks(doc, only="spelling") == {}  # no system dictionary here: no judgement rather than noise


def test_hunspell_dictionary_confirms_words_the_list_lacks(tmp_path: Path) -> None:
    # spylls is optional (it installs a top-level "tests" package that would shadow this one).
    pytest.importorskip("spylls.hunspell", reason="spylls is not installed: Hunspell confirmation is optional")
    (tmp_path / "fr_TEST.aff").write_text("SET UTF-8\n", encoding="utf-8")
    (tmp_path / "fr_TEST.dic").write_text("1\ntradcution\n", encoding="utf-8")
    config = Config(data={"checks": {"hunspell": str(tmp_path / "fr_TEST")}})
    doc = software_doc([("The source.", "La tradcution est bonne.")], "en", "fr", fmt="text")
    assert run_checks(doc, config, only="spelling") == {}
    assert list(run_checks(doc, only="spelling")) == ["1"]


def test_a_bad_word_list_is_one_line_naming_the_place(tmp_path: Path) -> None:
    po = write_po(tmp_path / "a.po", 'msgid "Open"\nmsgstr "Ouvrir"\n')
    config = tmp_path / "relecture.toml"
    config.write_text('[checks]\nwords = "tokeniseur"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(po), "--config", str(config)])
    assert result.exit_code == 2
    assert "checks.words" in result.output and "Traceback" not in result.output
    config.write_text('[checks]\nwords_file = "missing.txt"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(po), "--config", str(config)])
    assert result.exit_code == 2
    assert "missing.txt" in result.output and "Traceback" not in result.output


def test_a_text_is_judged_alike_whatever_was_checked_before_it() -> None:
    """Two workers see the texts in other orders: a text's flags may not depend on them. Three
    unknown words of seven (``x1``, ``b2`` harmless, ``tradcution`` misspelt) read as another
    language, whether or not earlier texts had already judged ``x1`` and ``b2`` harmless."""
    from relecture.checks.spelling import Speller, errors

    text = "La tradcution x1 b2 est très bonne."
    fresh = list(errors(text, Speller("fr", frozenset(), None)))
    primed = Speller("fr", frozenset(), None)
    list(errors("Le code x1 est dans le fichier b2 de la page.", primed))
    assert {"x1", "b2"} <= primed.harmless
    assert list(errors(text, primed)) == fresh == []
    # the same misspelling among enough known words is flagged, in either order
    flagged = list(errors("La tradcution est très bonne pour le livre.", primed))
    assert [w for _, _, w, _ in flagged] == ["tradcution"]
