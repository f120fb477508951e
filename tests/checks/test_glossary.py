"""Glossary terms: missing and forbidden terms from CSV, TSV and TBX glossaries, CJK terms inside text."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.checks.helpers import bilingual, found, pairs_doc, side_flags, write

from relecture.checks import run_checks
from relecture.errors import InputError


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


def test_glossary_terms_match_inside_chinese_text_and_inflected_targets_pass(tmp_path: Path) -> None:
    glossary = tmp_path / "terms.csv"
    glossary.write_text("source,target\n大模型,grand modèle de langage\nsmart contract,Smart Contract\n", encoding="utf-8")
    doc = pairs_doc(
        [
            ("国内大模型的发展很快。", "Les gros modèles chinois progressent vite."),
            ("国内大模型的发展很快。", "Les grands modèles de langage chinois progressent vite."),
            ("国内大模型的发展很快。", "Le grand modèle de langage chinois progresse vite."),
        ],
        "zh", "fr",
    )
    assert side_flags(doc, "glossary", glossary=glossary) == [("1", "glossary.missing-term", "source", "大模型")]
    de = pairs_doc([("Every smart contract is audited.", "Alle Smart Contracts werden geprüft.")], "en", "de")
    assert side_flags(de, "glossary", glossary=glossary) == []  # a plural on a German target


def test_large_glossaries_find_cjk_terms_too(tmp_path: Path) -> None:
    rows = [f"term{i},terme{i}" for i in range(100)] + ["大模型,grand modèle de langage"]
    glossary = tmp_path / "big.csv"
    glossary.write_text("source,target\n" + "\n".join(rows) + "\n", encoding="utf-8")
    doc = pairs_doc([("国内大模型的发展很快。", "Les gros modèles chinois progressent vite.")], "zh", "fr")
    assert side_flags(doc, "glossary", glossary=glossary) == [("1", "glossary.missing-term", "source", "大模型")]


def test_glossary_targets_in_chinese_match_without_word_boundaries(tmp_path: Path) -> None:
    glossary = tmp_path / "terms.csv"
    glossary.write_text("source,target\nlarge model,大模型\n", encoding="utf-8")
    doc = pairs_doc(
        [("The large model is fast.", "这个大模型很快。"), ("The large model is fast.", "这个模型很快。")], "en", "zh"
    )
    assert side_flags(doc, "glossary", glossary=glossary) == [("2", "glossary.missing-term", "source", "large model")]


def test_the_lowercase_text_serves_the_index_only_where_it_is_the_fold() -> None:
    from relecture.checks.glossary import _FOLDS_APART, TermIndex, _fold

    # Every character whose case folding is not its lowercase sends the text to _fold.
    apart = [c for c in map(chr, range(0x110000)) if c.casefold() != c.lower()] + ["\u0130", "\u03a3"]
    assert all(_FOLDS_APART(c) for c in apart)
    # At the edge, texts with and without them find the same terms (the regex has the last word:
    # it does not take ß for ss).
    index = TermIndex([("strasse", "a"), ("istanbul", "b"), ("οδος", "c"), ("fix", "d"), ("élan", "e")])
    found = []
    for text in ("Die Straße", "İstanbul", "ΟΔΟΣ", "ﬁx it", "Un élan, la strasse", "Ǆ élan", "ſtrasse"):
        assert _fold(text) == text.lower() or _FOLDS_APART(text)
        given = [(m.span(), p) for m, p in index.find(text, text.lower())]
        assert given == [(m.span(), p) for m, p in index.find(text)]
        found += [p for _, p in given]
    assert sorted(found) == ["a", "a", "b", "c", "e", "e"]
