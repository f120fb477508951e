"""Typography: French rules (spaces before high punctuation, guillemets, quotes), dashes,
ellipses, white space, repeated words, unbalanced brackets and quotes."""

from __future__ import annotations

import pytest
from tests.checks.helpers import doc_of, texts

from relecture.checks import run_checks

NBSP = "\u00a0"
NNBSP = "\u202f"


# --- French typography ----------------------------------------------------------------------------


def test_missing_and_ordinary_spaces_before_high_punctuation() -> None:
    doc = doc_of(
        "Voici le bilan : le marché progresse ; les prix baissent !",
        "Le marché progresse; est-ce durable?",
        f"Le bilan{NBSP}: le marché progresse{NNBSP}; est-ce durable{NNBSP}?",
        "Rendez-vous à 10:30 sur https://example.com ou par mail :)",
        "La formule =SOMME(A1:A2) en 16:9, bravo :smile: et clé:valeur.",
        "Il a dit:voilà tout.",  # a colon glued to the next word is not a punctuation colon either
    )
    got = texts(doc, "typography.fr-nbsp")
    assert got == [
        ("1", "typography.fr-nbsp", " :"),
        ("1", "typography.fr-nbsp", " ;"),
        ("1", "typography.fr-nbsp", " !"),
        ("2", "typography.fr-nbsp", ";"),
        ("2", "typography.fr-nbsp", "?"),
    ]
    flag = run_checks(doc, only="typography.fr-nbsp")["1"][0]
    assert flag.suggestion == f"{NBSP}:" and flag.category == "Fluency/Punctuation"
    assert run_checks(doc, only="typography.fr-nbsp")["1"][1].suggestion == f"{NNBSP};"


def test_exclamation_and_question_marks_together_need_one_space() -> None:
    assert texts(doc_of(f"Vraiment{NNBSP}?!"), "typography.fr-nbsp") == []


def test_guillemets_need_non_breaking_spaces_inside() -> None:
    doc = doc_of("Il a dit « bonjour » puis «au revoir».", f"Il a dit «{NBSP}bonjour{NBSP}».")
    got = texts(doc, "typography.fr-guillemets")
    assert [(k, t) for k, _, t in got] == [("1", "« "), ("1", " »"), ("1", "«"), ("1", "»")]


def test_straight_quotes_flag_the_quoted_span_with_a_guillemet_suggestion() -> None:
    doc = doc_of('On peut dire que le succès a bénéficié d\'un "timing parfait".')
    flag = run_checks(doc, only="typography.straight-quotes")["1"][0]
    assert flag.text == '"timing parfait"'
    assert flag.suggestion == f"«{NBSP}timing parfait{NBSP}»"


def test_straight_quotes_are_a_french_rule_only() -> None:
    assert run_checks(doc_of('He said "hello".', lang="en"), only="typography.straight-quotes") == {}


def test_straight_quotes_inside_tags_are_markup() -> None:
    assert run_checks(doc_of('Cliquez <a href="/aide">ici</a>.'), only="typography") == {}


def test_hyphen_used_as_dash() -> None:
    doc = doc_of(
        'On ne peut s\'empêcher de se rappeler de l\'ancien "concept divin" - Sora.',
        "Le score est de 10 - 3 et le rendez-vous est pris.",
    )
    got = run_checks(doc, only="typography.dash")
    assert list(got) == ["1"]
    flag = got["1"][0]
    assert flag.text == " - " and doc.segments[0].target[flag.end:].startswith("Sora")
    assert flag.suggestion == " – "


def test_three_dots_in_french() -> None:
    assert texts(doc_of("Et pourtant..."), "typography.ellipsis") == [("1", "typography.ellipsis", "...")]
    assert texts(doc_of("And yet...", lang="en"), "typography.ellipsis") == []


def test_whitespace_problems() -> None:
    doc = doc_of(
        "Le marché  progresse.",
        "Le marché progresse , mais lentement .",
        "Le marché progresse,mais lentement.",
        "Le prix est de 3,5 euros.",
    )
    got = texts(doc, "typography.whitespace")
    assert [(k, t) for k, _, t in got] == [("1", "  "), ("2", " ,"), ("2", " ."), ("3", ",")]


def test_the_search_gates_keep_the_texts_at_their_edge() -> None:
    # A comma only before a space or digit (the search finds nothing), then one before a
    # letter after those; marks only after (narrow) no-break spaces, then one glued after them.
    doc = doc_of(
        "Oui, 3,5 ou 4, voilà.",
        "Oui, 3,5 ou 4, voilà,bref.",
        f"Le bilan{NBSP}: oui{NNBSP}; non{NNBSP}!",
        f"Le bilan{NBSP}: oui{NNBSP}; non!",
    )
    assert [(k, t) for k, _, t in texts(doc, "typography.whitespace")] == [("2", ",")]
    assert texts(doc, "typography.fr-nbsp") == [("4", "typography.fr-nbsp", "!")]


def test_leading_and_trailing_space_only_against_the_source() -> None:
    doc = doc_of("Bonjour. ", " Bonjour.", sources=["Hello. ", "Hello."])
    assert texts(doc, "typography.whitespace") == [("2", "typography.whitespace", " ")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le le marché progresse.", ["Le le"]),
        ("Il a été publié dans la la revue.", ["la la"]),
        ("Nous nous sommes vus et vous vous êtes parlé.", []),
        ("En 2023 2023 exemplaires ont été vendus.", []),
    ],
)
def test_repeated_words(text: str, expected: list[str]) -> None:
    assert [t for _, _, t in texts(doc_of(text), "typography.repeated-word")] == expected


def test_unbalanced_brackets_and_quotes() -> None:
    doc = doc_of(
        "Le Sénat (chambre haute a voté.",
        "Le Sénat a voté) hier.",
        "Il a dit « bonjour et il est parti.",
        'Le "projet a été lancé.',
        "Les options sont : a) rapide, b) lente.",
        "Le Sénat (chambre haute) a voté « oui ».",
    )
    got = texts(doc, "typography.unbalanced")
    assert [(k, t) for k, _, t in got] == [("1", "("), ("2", ")"), ("3", "«"), ("4", '"')]


def test_clean_french_gets_no_typography_flag() -> None:
    doc = doc_of(
        f"Selon le rapport{NBSP}: le marché a progressé de 9,8{NNBSP}% en 2023{NNBSP}; les prix baissent.",
        f"Il a dit «{NBSP}bonjour{NBSP}» — puis il est parti… Vraiment{NNBSP}?",
        "Les courts-métrages IA ont bénéficié d'un moment idéal.",
    )
    assert run_checks(doc, only="typography") == {}


def test_german_relative_pronouns_after_articles_are_not_repeated_words() -> None:
    doc = doc_of(
        "Die Frauen, die die Regeln kennen, kommen morgen.",
        "Das Haus, das das größte ist, steht am Markt.",
        "Wir haben haben das Haus gekauft.",
        lang="de",
    )
    assert texts(doc, "typography.repeated-word") == [("3", "typography.repeated-word", "haben haben")]


def test_german_and_polish_quotes_are_balanced() -> None:
    doc = doc_of(
        "Er fragte: „Kannst du das glauben?“",
        "Powiedział: „To jest prawda” i wyszedł.",
        "Er sagte: „Das ist falsch.",
        lang="de",
    )
    assert texts(doc, "typography.unbalanced") == [("3", "typography.unbalanced", "„")]
    doc = doc_of("Er fragte lange und laut: „Kannst du das wirklich glauben?“", lang="de",
                 sources=["He asked: “Can you really believe it?”"])
    assert texts(doc, "llm.truncated") == []
