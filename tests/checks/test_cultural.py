"""What a machine cannot judge but must point at: humour, relative dates, idioms, literal names;
plus configuration: disabling, severities, custom rules, extra language data."""

from __future__ import annotations

from pathlib import Path

import pytest

from relecture.checks import CHECKS, check_info, run_checks
from relecture.config import load_config
from relecture.errors import InputError
from relecture.model import ReviewDocument, Segment


def doc_of(*targets: str, lang: str = "fr", sources: list[str] | None = None) -> ReviewDocument:
    segments = [
        Segment(id=str(i + 1), target=t, source=sources[i] if sources else None, paragraph=i)
        for i, t in enumerate(targets)
    ]
    return ReviewDocument(id="t", title="t", segments=segments, target_lang=lang, source_lang="en" if sources else None)


def texts(doc: ReviewDocument, only: str, config: object = None) -> list[tuple[str, str, str]]:
    return [(k, f.check, f.text) for k, fl in run_checks(doc, config=config, only=only).items() for f in fl]  # type: ignore[arg-type]


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


def test_source_idioms_are_pointed_at_on_the_source_side() -> None:
    doc = doc_of("Ce n'est que le début.", sources=["This is only the tip of the iceberg."])
    flag = run_checks(doc, only="idiom.source")["1"][0]  # the idiom family reads [[source_idiom]]
    assert (flag.side, flag.text) == ("source", "tip of the iceberg")
    assert "1" not in run_checks(doc, only="cultural.idiom")  # and only it: one flag, not two


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


# --- configuration --------------------------------------------------------------------------------


def config_file(tmp_path: Path, text: str) -> object:
    path = tmp_path / "relecture.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(None, path)


def test_disable_a_check_and_a_family(tmp_path: Path) -> None:
    config = config_file(tmp_path, '[checks]\ndisable = ["typography", "cultural.relative-date"]\nenable = ["typography.dash"]\n')
    doc = doc_of('Il a dit "oui" récemment - enfin.')
    checks = {f.check for fl in run_checks(doc, config=config).values() for f in fl}  # type: ignore[arg-type]
    assert "typography.dash" in checks
    assert not {"typography.straight-quotes", "cultural.relative-date"} & checks


def test_change_a_severity(tmp_path: Path) -> None:
    config = config_file(tmp_path, '[checks.severity]\n"cultural.relative-date" = "major"\ntypography = "neutral"\n')
    doc = doc_of("Il a parlé récemment ; enfin.")
    flags = {f.check: f.severity for fl in run_checks(doc, config=config).values() for f in fl}  # type: ignore[arg-type]
    assert flags == {"cultural.relative-date": "major", "typography.fr-nbsp": "neutral"}


def test_custom_regex_rule(tmp_path: Path) -> None:
    config = config_file(
        tmp_path,
        """
[[checks.rules]]
id = "no-abbreviations"
pattern = "\\\\bcàd\\\\b"
message = "Write « c'est-à-dire » in full"
severity = "major"
category = "Style/Organization style"
suggestion = "c'est-à-dire"
""",
    )
    doc = doc_of("Le service est gratuit, càd sans abonnement.", "Rien à signaler.")
    results = run_checks(doc, config=config)  # type: ignore[arg-type]
    flag = next(f for f in results["1"] if f.family == "custom")
    assert (flag.check, flag.text, flag.severity, flag.category, flag.suggestion) == (
        "custom.no-abbreviations", "càd", "major", "Style/Organization style", "c'est-à-dire",
    )
    assert check_info("custom.no-abbreviations", config).explanation  # type: ignore[arg-type]
    assert run_checks(doc, config=config, skip="custom") == {}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[checks.rules]]\nid = "x"\npattern = "("\n', "bad regular expression"),
        ('[[checks.rules]]\nid = "x"\npattern = "a"\nseverity = "huge"\n', "severity"),
        ('[[checks.rules]]\nid = "x"\npattern = "a"\ncategory = "Nonsense/Thing"\n', "unknown MQM category"),
        ('[checks]\ndisable = ["llm.nope"]\n', "unknown check"),
        ('[checks.severity]\n"llm.preamble" = "huge"\n', "severity must be one of"),
    ],
)
def test_bad_configuration_names_the_file_and_the_place(tmp_path: Path, toml: str, message: str) -> None:
    config = config_file(tmp_path, toml)
    with pytest.raises(InputError) as err:
        run_checks(doc_of("Bonjour."), config=config)  # type: ignore[arg-type]
    assert message in str(err.value) and "relecture.toml" in str(err.value)


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


def test_every_check_has_metadata_the_ui_can_show() -> None:
    for check_id, info in CHECKS.items():
        assert check_info(check_id) is info
        assert info.id.startswith(info.family + ".")
        assert info.severity in ("minor", "major", "critical")
        assert info.description and len(info.explanation) > 60
        assert info.its_type
    with pytest.raises(KeyError):
        check_info("llm.unknown")
    assert check_info("custom.gone").family == "custom"


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
