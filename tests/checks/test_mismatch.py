"""Source against target: copies, numbers, links, placeholders, tags, brackets, lengths,
glossary terms and consistency."""

from __future__ import annotations

from pathlib import Path

import pytest

from relecture.checks import run_checks
from relecture.errors import InputError
from relecture.model import ReviewDocument, Segment


def bilingual(*pairs: tuple[str, str]) -> ReviewDocument:
    segments = [Segment(id=str(i + 1), source=s, target=t, paragraph=i) for i, (s, t) in enumerate(pairs)]
    return ReviewDocument(id="t", title="t", segments=segments, source_lang="en", target_lang="fr")


def found(doc: ReviewDocument, only: str, glossary: Path | None = None) -> list[tuple[str, str, str]]:
    """(segment, side, text) of the flags of ``only``."""
    results = run_checks(doc, only=only, glossary=glossary)
    return [(seg_id, f.side, f.text) for seg_id, fl in results.items() for f in fl]


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


# --- glossary ----------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_glossary_missing_and_forbidden_terms(tmp_path: Path) -> None:
    glossary = write(
        tmp_path / "glossary.csv",
        "source,target,forbidden,note\n"
        "dashboard,tableau de bord,,\n"
        "settings page,page des paramètres|page de réglages,,\n"
        ",panneau de contrôle,yes,old UI name\n",
    )
    doc = bilingual(
        ("Open the dashboard.", "Ouvrez le panneau de contrôle."),
        ("Open the dashboards.", "Ouvrez les tableaux de bord."),
        ("Go to the Settings page.", "Allez à la page de réglages."),
        ("Go to the settings page.", "Allez aux paramètres."),
    )
    results = run_checks(doc, only="glossary", glossary=glossary)
    got = [(k, f.check, f.side, f.text) for k, fl in results.items() for f in fl]
    assert got == [
        ("1", "glossary.forbidden-term", "target", "panneau de contrôle"),
        ("1", "glossary.missing-term", "source", "dashboard"),
        ("4", "glossary.missing-term", "source", "settings page"),
    ]
    forbidden = results["1"][0]
    assert "old UI name" in forbidden.message
    assert results["1"][1].suggestion == "tableau de bord"


def test_tsv_glossary(tmp_path: Path) -> None:
    glossary = write(tmp_path / "terms.tsv", "source\ttarget\nlarge language model\tgrand modèle de langage\n")
    doc = bilingual(("A large language model wrote it.", "Un gros modèle l'a écrit."))
    assert found(doc, "glossary", glossary) == [("1", "source", "large language model")]


def test_tbx_glossary_with_deprecated_term(tmp_path: Path) -> None:
    glossary = write(
        tmp_path / "terms.tbx",
        """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
 <termEntry id="1">
  <langSet xml:lang="en"><tig><term>release notes</term></tig></langSet>
  <langSet xml:lang="fr">
   <tig><term>notes de version</term></tig>
   <tig><term>notes de livraison</term><termNote type="administrativeStatus">deprecatedTerm-admn</termNote></tig>
  </langSet>
 </termEntry>
</body></text></martif>""",
    )
    doc = bilingual(
        ("Read the release notes.", "Lisez les notes de livraison."),
        ("Read the release notes.", "Lisez les notes de version."),
    )
    got = found(doc, "glossary", glossary)
    assert got == [("1", "target", "notes de livraison"), ("1", "source", "release notes")]


def test_glossary_without_source_and_target_columns_is_refused(tmp_path: Path) -> None:
    glossary = write(tmp_path / "bad.csv", "english,french\nfoo,bar\n")
    with pytest.raises(InputError) as err:
        run_checks(bilingual(("foo", "bar")), glossary=glossary)
    assert "bad.csv" in str(err.value) and "line 1" in str(err.value)


# --- consistency ---------------------------------------------------------------------------------


def test_same_source_translated_differently() -> None:
    doc = bilingual(
        ("The update will be available next week.", "La mise à jour sera disponible la semaine prochaine."),
        ("The outage affected customers.", "La panne a touché des clients."),
        ("The update will be available next week.", "La mise à jour sera disponible la semaine prochaine."),
        ("The update will be available next week.", "Le correctif arrivera dans sept jours."),
        ("Yes.", "Oui."),
        ("Yes.", "Si."),
    )
    results = run_checks(doc, only="consistency")
    assert list(results) == ["4"]
    assert "segment 1" in results["4"][0].message
    assert results["4"][0].suggestion == "La mise à jour sera disponible la semaine prochaine."
