"""LLM artifacts, Markdown left in prose, repetition and truncation, on realistic sentences."""

from __future__ import annotations

from relecture.checks import run_checks
from relecture.model import Flag, ReviewDocument, Segment


def doc_of(*targets: str, sources: list[str] | None = None, lang: str = "fr", paragraphs: list[int] | None = None) -> ReviewDocument:
    segments = [
        Segment(
            id=str(i + 1),
            target=t,
            source=sources[i] if sources else None,
            paragraph=paragraphs[i] if paragraphs else i,
        )
        for i, t in enumerate(targets)
    ]
    return ReviewDocument(
        id="t", title="t", segments=segments, target_lang=lang, source_lang="en" if sources else None
    )


def flags(doc: ReviewDocument, family: str) -> list[tuple[str, str, str]]:
    """(segment id, check, flagged text) for one family's flags."""
    results = run_checks(doc, only=family)
    return [(seg_id, f.check, f.text) for seg_id, fl in results.items() for f in fl]


def only_check(doc: ReviewDocument, check: str) -> list[Flag]:
    return [f for fl in run_checks(doc, only=check).values() for f in fl]


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


# --- markup ------------------------------------------------------------------------------------


def test_heading_marker_mid_sentence_and_at_sentence_start_inside_a_paragraph() -> None:
    doc = doc_of(
        "De plus, ### « Sanxingdui » a obtenu des résultats remarquables.",
        "### Depuis son lancement, le court-métrage est devenu viral.",
        paragraphs=[0, 0],
    )
    found = flags(doc, "markup")
    assert [(s, c, t.strip()) for s, c, t in found] == [("1", "markup.heading", "###"), ("2", "markup.heading", "###")]


def test_markdown_title_line_is_accepted_in_a_target_only_document() -> None:
    doc = doc_of("## Résultats du trimestre", "Le chiffre d'affaires a progressé de 3 %.", paragraphs=[0, 1])
    assert flags(doc, "markup") == []


def test_heading_marker_at_line_start_needs_one_in_the_source() -> None:
    with_source = doc_of("## Résultats", "## Résultats", sources=["## Results", "Results"])
    assert [s for s, _, _ in flags(with_source, "markup")] == ["2"]


def test_hashtags_and_issue_numbers_are_not_headings() -> None:
    doc = doc_of("Le sujet #IA est en tête des tendances, voir le ticket #4521.")
    assert flags(doc, "markup") == []


def test_bold_code_and_bullets() -> None:
    doc = doc_of(
        "Le service est **gratuit** pour les étudiants.",
        "Lancez `relecture check` dans le terminal.",
        "Points clés :\n- prix en baisse\n- plus de langues",
        sources=["The service is free for students.", "Run relecture check in the terminal.", "Key points: lower prices and more languages."],
    )
    found = flags(doc, "markup")
    assert ("1", "markup.emphasis", "**gratuit**") in found
    assert ("2", "markup.code", "`relecture check`") in found
    assert [c for s, c, _ in found if s == "3"] == ["markup.list", "markup.list"]
    emphasis = only_check(doc, "markup.emphasis")[0]
    assert emphasis.suggestion == "gratuit"


def test_bold_in_the_source_is_the_documents_own_markup() -> None:
    doc = doc_of("Le service est **gratuit**.", sources=["The service is **free**."])
    assert flags(doc, "markup") == []


# --- repetition -------------------------------------------------------------------------------------


def test_sentence_repeated_back_to_back_in_a_segment() -> None:
    doc = doc_of("Le modèle a été entraîné sur des documents publics. Le modèle a été entraîné sur des documents publics.")
    found = only_check(doc, "repetition.sentence")
    assert len(found) == 1 and found[0].start > 0
    assert found[0].text == "Le modèle a été entraîné sur des documents publics."


def test_two_sentences_repeated_as_a_block() -> None:
    text = "Le contrat court jusqu'en 2027. De plus, la panne a touché dix pays."
    found = only_check(doc_of(text + " " + text), "repetition.sentence")
    assert [f.text for f in found] == [text]
    assert "2 sentences" in found[0].message


def test_segment_repeating_the_previous_one_when_sources_differ() -> None:
    doc = doc_of(
        "La mise à jour sera disponible pour tous les clients.",
        "La mise à jour sera disponible pour tous les clients.",
        sources=["The update will be available to all customers.", "The outage affected customers in ten countries."],
    )
    assert list(run_checks(doc, only="repetition.sentence")) == ["2"]


def test_repeated_source_segments_may_repeat_their_translation() -> None:
    doc = doc_of("Merci de votre visite.", "Merci de votre visite.", sources=["Thank you for visiting.", "Thank you for visiting."])
    assert run_checks(doc, only="repetition") == {}


def test_repeated_run_of_words() -> None:
    doc = doc_of("Le groupe a publié ses résultats dans une revue dans une revue à comité de lecture sérieuse.")
    found = only_check(doc, "repetition.ngram")
    assert [f.text.strip() for f in found] == ["dans une revue"]
    assert found[0].suggestion == ""
    doc = doc_of("Le groupe de recherche a publié ses résultats le groupe de recherche a publié ses résultats hier.")
    found = only_check(doc, "repetition.ngram")
    assert [f.text.strip() for f in found] == ["le groupe de recherche a publié ses résultats"]


def test_no_repetition_flag_on_ordinary_french_with_recurring_function_words() -> None:
    doc = doc_of(
        "Nous nous sommes vus de loin, de très loin.",
        "De l'optimisation des algorithmes au traitement des données, du développement des habitudes "
        "des utilisateurs à l'amélioration de l'acceptation du marché, chaque étape nécessite du temps."
    )
    assert run_checks(doc, only="repetition") == {}


def test_repeated_segments_get_the_same_flags_and_context_checks_still_run() -> None:
    """Repeated segments are checked once; checks that look at the neighbour still run each time."""
    text = "Le ministre a dit : \"oui, sans doute\"."
    doc = doc_of("Premier paragraphe ici.", text, text, "Autre chose ici.", text, paragraphs=[0, 1, 2, 3, 4])
    results = run_checks(doc)
    per_segment = {sid: sorted(f.check for f in fl) for sid, fl in results.items()}
    ids = [s.id for s in doc.segments]
    # Typography is found on every copy, the back-to-back repeat only where the previous one is equal.
    for sid in (ids[1], ids[2], ids[4]):
        assert "typography.straight-quotes" in per_segment[sid]
    assert "repetition.sentence" in per_segment[ids[2]]
    assert "repetition.sentence" not in per_segment[ids[1]]
    assert "repetition.sentence" not in per_segment[ids[4]]
