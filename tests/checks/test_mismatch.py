"""Source against target: copies, numbers, links, placeholders, tags and brackets."""

from __future__ import annotations

import pytest
from tests.checks.helpers import bilingual, found, pairs_doc

from relecture.checks import run_checks


def test_untranslated_target_is_flagged_but_names_are_not() -> None:
    doc = bilingual(
        ("The update will be available next week.", "The update will be available next week."),
        ("Bona Film Group", "Bona Film Group"),
        ("OK", "OK"),
        ("The update will be available next week.", "La mise à jour sera disponible la semaine prochaine."),
    )
    assert found(doc, "mismatch.identical") == [("1", "target", "The update will be available next week.")]


def test_empty_target() -> None:
    doc = bilingual(("The contract runs until 2027.", ""), ("Hello.", "Bonjour."))
    assert found(doc, "mismatch.empty") == [("1", "source", "The contract runs until 2027.")]


def test_long_source_passage_copied_into_the_target() -> None:
    doc = bilingual(
        (
            "The company said the model was trained on a large collection of public documents.",
            "L'entreprise a indiqué que the model was trained on a large collection of public documents.",
        ),
        ("Anna Berg joined Vantage AI Research Labs Europe.", "Anna Berg a rejoint Vantage AI Research Labs Europe."),
    )
    assert found(doc, "mismatch.copied-source") == [
        ("1", "target", "the model was trained on a large collection of public documents")
    ]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("The market grew by 3.2 percent.", "Le marché a progressé de 3,2 %."),
        ("It sold 10,000 units.", "Il a vendu 10 000 unités."),
        ("It sold 10,000 units.", "Il a vendu 10\u202f000 unités."),
        ("More than 10 million views.", "Plus de 10 millions de vues."),
        ("Revenue rose 50%.", "Le chiffre d'affaires a augmenté de 50 %."),
        ("Two engineers and 3 designers.", "2 ingénieurs et trois designers."),
        ("It opened in 2019 and closed in 2021.", "Fermé en 2021, il avait ouvert en 2019."),
        ("See https://example.com/v2/page for version 2.", "Voir https://example.com/v2/page pour la version 2."),
    ],
)
def test_numbers_in_locale_formats_and_words_match(source: str, target: str) -> None:
    assert found(bilingual((source, target)), "mismatch.number") == []


def test_changed_missing_and_added_numbers() -> None:
    doc = bilingual(
        ("The factory produces 480 units every day.", "L'usine produit 481 unités chaque jour."),
        ("The outage lasted 12 hours in 5 countries.", "La panne a duré plusieurs heures dans 5 pays."),
    )
    # Target flags come first in a segment, then source flags.
    assert found(doc, "mismatch.number") == [
        ("1", "target", "481"),
        ("1", "source", "480"),
        ("2", "source", "12"),
    ]
    flag = run_checks(doc, only="mismatch.number")["1"][0]
    assert flag.severity == "major" and flag.category == "Locale convention/Number"


def test_urls_and_emails() -> None:
    doc = bilingual(
        ("Details: https://example.com/news.", "Détails : voir le site."),
        ("Write to press@example.com.", "Écrivez à presse@example.com."),
        ("Read https://example.com/a.", "Lisez https://example.com/a."),
    )
    assert found(doc, "mismatch.url") == [("1", "source", "https://example.com/news")]
    assert found(doc, "mismatch.email") == [
        ("2", "target", "presse@example.com"),
        ("2", "source", "press@example.com"),
    ]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("Hello {name}, you have %d messages.", "Bonjour {name}, vous avez %d messages.", []),
        ("Hello {name}!", "Bonjour {nom} !", [("target", "{nom}"), ("source", "{name}")]),
        ("Saved %(count)d files to %s.", "%s : %(count)d fichiers enregistrés.", []),
        ("Welcome {{user}}", "Bienvenue", [("source", "{{user}}")]),
        ("Price: 50%", "Prix : 50 %", []),
    ],
)
def test_placeholders(source: str, target: str, expected: list[tuple[str, str]]) -> None:
    assert [(side, text) for _, side, text in found(bilingual((source, target)), "mismatch.placeholder")] == expected


def test_placeholder_flags_are_critical() -> None:
    flag = run_checks(bilingual(("Hello {name}!", "Bonjour !")), only="mismatch.placeholder")["1"][0]
    assert flag.severity == "critical"


def test_tags() -> None:
    doc = bilingual(
        ("<b>Warning</b>: the file is <i>read-only</i>.", "<b>Attention</b> : le fichier est <i>en lecture seule.</i>"),
        ("Click <a href=\"/help\">here</a>.", "Cliquez <a href=\"/aide\">ici."),
    )
    assert found(doc, "mismatch.tag") == [("2", "source", "</a>")]


def test_bracket_count_differs() -> None:
    doc = bilingual(
        ("The Senate (upper house) voted.", "Le Sénat a voté."),
        ("The Senate voted.", "Le Sénat (chambre haute) a voté."),
        ("It costs (roughly) 5 euros.", "Cela coûte (environ) 5 euros."),
    )
    assert found(doc, "mismatch.brackets") == [("1", "source", "(upper house)"), ("2", "target", "(chambre haute)")]


def test_no_mismatch_flags_on_a_faithful_translation() -> None:
    doc = bilingual(
        ("According to the report, the market grew by 9.8 percent in 2023.",
         "Selon le rapport, le marché a progressé de 9,8 % en 2023."),
        ("More than 1,500 engineers worked on the project for 12 months.",
         "Plus de 1 500 ingénieurs ont travaillé sur le projet pendant 12 mois."),
    )
    assert run_checks(doc, only="mismatch") == {}


@pytest.mark.parametrize(
    ("source_lang", "target_lang", "source", "target", "expected"),
    [
        # One number said in words for another in words: a change, in every language with data.
        ("en", "de", "The trial lasts three weeks.", "Die Testphase dauert vier Wochen.", [("1", "source", "three")]),
        ("en", "fr", "Three of the five servers failed.", "Trois des six serveurs sont tombés.", [("1", "source", "five")]),
        ("en", "es", "We need two volunteers.", "Necesitamos tres voluntarios.", [("1", "source", "two")]),
        ("en", "it", "It takes seven days.", "Ci vogliono otto giorni.", [("1", "source", "seven")]),
        ("fr", "en", "Il faut trois jours.", "It takes four days.", [("1", "source", "trois")]),
        # A number for a number said in words is a change too, not a minor addition.
        ("en", "de", "The trial lasts three weeks.", "Die Testphase dauert 4 Wochen.", [("1", "target", "4")]),
    ],
)
def test_a_number_said_in_words_replaced_by_another(
    source_lang: str, target_lang: str, source: str, target: str, expected: list[tuple[str, str, str]]
) -> None:
    doc = pairs_doc([(source, target)], source_lang, target_lang)
    assert found(doc, "mismatch.number") == expected
    assert {f.severity for fl in run_checks(doc, only="mismatch.number").values() for f in fl} == {"major"}


@pytest.mark.parametrize(
    ("source_lang", "target_lang", "source", "target"),
    [
        ("en", "de", "The trial lasts three weeks.", "Die Testphase dauert drei Wochen."),
        ("en", "de", "The trial lasts three weeks.", "Die Testphase dauert 3 Wochen."),
        ("en", "de", "We hired two engineers and three designers.", "Wir haben drei Designer und zwei Ingenieure eingestellt."),
        # Homographs of number words are no numbers: "Acht geben", "neuf" (new), "sei" (you are).
        ("en", "de", "Watch out for the two traps.", "Geben Sie bei beiden Fallen Acht."),
        ("en", "fr", "Both laptops are as good as new: two bargains.", "Les ordinateurs sont comme neuf : une paire d'affaires."),
        ("en", "it", "You are one of the two winners.", "Sei uno dei vincitori della coppia."),
        # Imperial units are converted, not copied.
        ("en", "de", "They built this eight-foot robot.", "Sie bauten diesen zwei Meter hohen Roboter."),
        ("en", "de", "They built this eight-foot robot.", "Sie bauten diesen 2,5 Meter großen Roboter."),
    ],
)
def test_number_words_rendered_or_converted_are_not_flagged(
    source_lang: str, target_lang: str, source: str, target: str
) -> None:
    doc = pairs_doc([(source, target)], source_lang, target_lang)
    assert found(doc, "mismatch.number") == []
