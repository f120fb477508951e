"""What a machine cannot judge but must point at: humour, relative dates, dates without a year,
idioms and literal names; extra cue words and data folders for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.checks.helpers import config_file, doc_of, texts

from relecture.checks import run_checks


def test_humour_cue_words() -> None:
    doc = doc_of(
        "Certains internautes plaisantant sur les réseaux sociaux ont relancé le débat.",
        "Ce jeu de mots est intraduisible, dit-il avec ironie.",
        "Le plaisir de lire reste intact.",
    )
    got = texts(doc, "cultural.humour")
    assert got == [
        ("1", "cultural.humour", "plaisantant"),
        ("2", "cultural.humour", "jeu de mots"),
        ("2", "cultural.humour", "ironie"),
    ]


def test_quoted_question_answered_in_the_same_breath() -> None:
    doc = doc_of(
        'Certains internautes plaisantant : "GPT-3.5 est au chômage, GPT-5 est-il loin ? Altman : Oui, il l\'est !"',
        "Le service est-il gratuit ? Oui, pour les étudiants.",
        "« Est-ce la fin ? Non, c'est le début ! », a-t-il lancé.",
    )
    got = texts(doc, "cultural.quip")
    assert got == [
        ("1", "cultural.quip", "GPT-5 est-il loin ? Altman : Oui, il l'est !"),
        ("3", "cultural.quip", "Est-ce la fin ? Non, c'est le début !"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OpenAI a cessé ses services le 9 de ce mois.", "le 9 de ce mois"),
        ("La décision a été annoncée mardi dernier.", "mardi dernier"),
        ("Le produit sortira le mois prochain.", "le mois prochain"),
        ("Lei Jun a également déclaré récemment que le marché change.", "récemment"),
        ("Il y a trois jours, la panne a touché l'Europe.", "Il y a trois jours"),
        ("Aujourd’hui, le service reprend.", "Aujourd’hui"),
    ],
)
def test_relative_dates(text: str, expected: str) -> None:
    assert [t for _, _, t in texts(doc_of(text), "cultural.relative-date")] == [expected]


def test_absolute_dates_are_not_relative() -> None:
    doc = doc_of("Le 9 juillet 2024, OpenAI a cessé ses services.", "Le contrat court jusqu'en 2027.", "Il hiérarchise les demandes.")
    assert texts(doc, "cultural.relative-date") == []


def test_day_and_month_without_year() -> None:
    doc = doc_of(
        "Depuis son lancement le 13 juillet, le court-métrage est devenu viral.",
        "Depuis son lancement le 13 juillet 2024, le court-métrage est devenu viral.",
        "Le 1er mai, 2 000 personnes ont défilé.",
    )
    got = texts(doc, "cultural.date-without-year")
    assert got == [("1", "cultural.date-without-year", "le 13 juillet"), ("3", "cultural.date-without-year", "Le 1er mai")]


def test_english_dates_without_year() -> None:
    doc = doc_of("The service stopped on July 9, and resumed on 12 August 2024.", "It may rain.", lang="en")
    assert [t for _, _, t in texts(doc, "cultural.date-without-year")] == ["July 9"]


def test_idioms_from_the_lexicon_with_the_note() -> None:
    doc = doc_of(
        "Il est facile de conquérir, difficile de garder ; GPT-5 en crise.",
        "Ce n’est que la pointe de l’iceberg du développement.",
        "Ce n'est que la partie émergée de l'iceberg.",
    )
    results = run_checks(doc, only="cultural.idiom")
    assert [f.text for f in results["1"]] == ["Il est facile de conquérir, difficile de garder"]
    assert "打江山易" in results["1"][0].message
    assert [f.text for f in results["2"]] == ["la pointe de l’iceberg"]
    assert "3" not in results


def test_literal_names_from_the_lexicon_and_the_capitalisation_heuristic() -> None:
    doc = doc_of(
        "La Maison des Grands Modèles estime que l'innovation est la clé.",
        "Le Journal des Petites Entreprises Rurales a publié une enquête.",
        "Jiang Defu, PDG de Bona Film Group, a déclaré que la Banque de France suivait le dossier.",
    )
    got = texts(doc, "cultural.literal-name")
    assert got == [
        ("1", "cultural.literal-name", "La Maison des Grands Modèles"),
        ("2", "cultural.literal-name", "Le Journal des Petites Entreprises Rurales"),
    ]


# --- extra language data --------------------------------------------------------------------------


def test_extra_cue_words_and_idioms_inline(tmp_path: Path) -> None:
    config = config_file(
        tmp_path,
        """
[checks.data.fr]
humour_cues = ["rigolard\\\\w*", "pince-sans-rire"]
relative_dates = ["naguère"]
idiom = [{ text = "prendre le taureau par les cornes", note = "check the source image" }]
""",
    )
    doc = doc_of("Le ministre, rigolard, a parlé naguère de prendre le taureau par les cornes.")
    got = {(f.check, f.text) for fl in run_checks(doc, config=config, only="cultural").values() for f in fl}  # type: ignore[arg-type]
    assert got == {
        ("cultural.humour", "rigolard"),
        ("cultural.relative-date", "naguère"),
        ("cultural.idiom", "prendre le taureau par les cornes"),
    }


def test_extra_data_folder(tmp_path: Path) -> None:
    (tmp_path / "data" / "fr").mkdir(parents=True)
    (tmp_path / "data" / "fr" / "maison.toml").write_text(
        '[[name]]\ntext = "Le Palais des Nuages"\nnote = "official name: Yungong"\n', encoding="utf-8"
    )
    config = config_file(tmp_path, '[checks]\ndata_dirs = ["data"]\n')
    results = run_checks(doc_of("Le Palais des Nuages ouvre demain."), config=config, only="cultural.literal-name")  # type: ignore[arg-type]
    assert [f.message for f in results["1"]] == ["“Le Palais des Nuages” looks like a name translated word for word: official name: Yungong"]


def test_letters_that_case_insensitive_matching_equates_do_not_hide_a_cue() -> None:
    # "ſ" (long s) matches "s" and "ı" (dotless i) matches "i" in a case-insensitive pattern,
    # though str.lower keeps them apart: the substring pre-filter must not drop these matches.
    doc = doc_of(
        "Le service fonctionne depuiſ peu dans la région.",
        "Le service fonctionne depuıs peu dans la région.",
        "Le service fonctionne depuis peu dans la région.",
    )
    assert texts(doc, "cultural.relative-date") == [
        ("1", "cultural.relative-date", "depuiſ peu"),
        ("2", "cultural.relative-date", "depuıs peu"),
        ("3", "cultural.relative-date", "depuis peu"),
    ]
