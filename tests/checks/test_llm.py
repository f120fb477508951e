"""LLM artifacts: preambles, closing remarks, translator notes, refusals and truncation, on
realistic sentences."""

from __future__ import annotations

from tests.checks.helpers import doc_of, only_check

from relecture.checks import run_checks

# --- llm.preamble --------------------------------------------------------------------------------


def test_french_preamble_alone_and_inline_is_flagged() -> None:
    doc = doc_of(
        "Voici la traduction en français :",
        "Bien sûr ! Voici la traduction du texte : Le marché a progressé de 3 % en 2023.",
    )
    found = only_check(doc, "llm.preamble")
    assert [f.text for f in found] == ["Voici la traduction en français :", "Bien sûr ! Voici la traduction du texte :"]
    assert found[0].severity == "major" and found[0].category == "Accuracy/Addition"
    assert found[0].suggestion == ""  # delete


def test_english_preamble_in_a_french_target_is_flagged() -> None:
    found = only_check(doc_of("Here is the translation:\nLe marché a progressé."), "llm.preamble")
    assert [f.text for f in found] == ["Here is the translation:"]


def test_preamble_present_in_the_source_is_not_flagged() -> None:
    doc = doc_of("Voici la traduction : bonjour.", sources=["Here is the translation: hello."])
    assert only_check(doc, "llm.preamble") == []


def test_sentences_starting_with_voici_are_not_preambles() -> None:
    doc = doc_of("Voici les résultats du troisième trimestre.", "Bien sûr, le marché reste fragile.")
    assert only_check(doc, "llm.preamble") == []


# --- closing, notes, refusals --------------------------------------------------------------------


def test_closing_remark_is_flagged() -> None:
    doc = doc_of("Le contrat court jusqu'en 2027. J'espère que cela vous aide !")
    found = only_check(doc, "llm.closing")
    assert [f.text for f in found] == ["J'espère que cela vous aide"]


def test_closing_with_typographic_apostrophe_and_english_form() -> None:
    doc = doc_of("Le service est gratuit. N’hésitez pas à me demander d’autres précisions.", "Voilà. Let me know if you need changes.")
    assert {f.text for f in only_check(doc, "llm.closing")} == {"N’hésitez pas à me demander", "Let me know if"}


def test_translator_notes_are_flagged_unless_the_source_has_them() -> None:
    doc = doc_of(
        "Le Sénat a voté la loi (N.d.T. : équivalent du Bundesrat).",
        "Note : le terme original est ambigu.",
        "Note : le service sera interrompu dimanche.",
        sources=["The Senate passed the bill.", "The meeting was short.", "Note: the service will stop on Sunday."],
    )
    found = {(f.text) for fl in run_checks(doc, only="llm.translator-note").values() for f in fl}
    assert found == {"(N.d.T. : équivalent du Bundesrat)", "Note :"}
    assert "3" not in run_checks(doc, only="llm.translator-note")


def test_refusals_and_self_reference_are_critical() -> None:
    doc = doc_of(
        "Je suis désolé, mais je ne peux pas traduire ce contenu.",
        "En tant que modèle de langage, je n'ai pas d'opinion.",
        "As an AI language model, I cannot do that.",
        "Il est désolé de ne pas pouvoir venir.",
    )
    results = run_checks(doc, only="llm.refusal")
    assert sorted(results) == ["1", "2", "3"]
    assert all(f.severity == "critical" for fl in results.values() for f in fl)


# --- truncation ------------------------------------------------------------------------------------


def test_target_stopping_mid_sentence_against_a_finished_source() -> None:
    doc = doc_of(
        "Les ingénieurs ont corrigé le problème et publié une explication",
        "Les ingénieurs ont corrigé le problème et publié une explication détaillée.",
        sources=["The engineers fixed the problem and published a detailed explanation."] * 2,
    )
    results = run_checks(doc, only="llm.truncated")
    assert list(results) == ["1"]
    assert results["1"][0].text == "explication"


def test_target_only_paragraph_ending_on_an_article_or_comma() -> None:
    doc = doc_of(
        "L'usine de Munich produit chaque jour des milliers de",
        "Le conseil a approuvé le budget de la formation,",
        "Attentes réduites, comment OpenAI peut-il sauver la situation",
        "Le contrat court jusqu'en 2027.",
    )
    assert sorted(run_checks(doc, only="llm.truncated")) == ["1", "2"]
