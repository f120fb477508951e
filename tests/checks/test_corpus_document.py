"""The corpus document: everything the issue lists is flagged, and clean paragraphs get no flag
outside typography."""

from __future__ import annotations

import pytest

from conftest import CORPUS
from relecture.checks import run_checks
from relecture.model import Flag, ReviewDocument, Segment


def paragraph_document(segment: str) -> ReviewDocument:
    """The corpus as paragraphs (one segment a line), independent of sentence splitting."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    segments = [Segment(id=str(i + 1), target=line, paragraph=i, kind="paragraph") for i, line in enumerate(lines) if line.strip()]
    return ReviewDocument(id="corpus", title="corpus", segments=segments, target_lang="fr")


def sentence_document() -> ReviewDocument:
    from relecture.importers import import_document

    return import_document(CORPUS)


def all_flags(doc: ReviewDocument) -> list[tuple[str, Flag]]:
    return [(seg_id, f) for seg_id, fl in run_checks(doc).items() for f in fl]


# (check, exact flagged text) pairs that must be found, each one.
MUST_FLAG = [
    ("llm.preamble", "Voici la traduction en français :"),
    ("cultural.humour", "plaisantant"),
    ("cultural.quip", "GPT-5 est-il loin ? Altman : Oui, il l'est !"),
    ("cultural.relative-date", "le 9 de ce mois"),
    ("cultural.relative-date", "récemment"),
    ("cultural.date-without-year", "le 13 juillet"),
    ("cultural.idiom", "Il est facile de conquérir, difficile de garder"),
    ("cultural.idiom", "la pointe de l'iceberg"),
    ("cultural.literal-name", "La Maison des Grands Modèles"),
    ("cultural.literal-name", "Le Miroir Magique des Montagnes et des Mers"),
    ("typography.straight-quotes", '"timing parfait"'),
    ("typography.straight-quotes", '"concept divin"'),
    ("typography.straight-quotes", '"GPT-3.5 est au chômage, GPT-5 est-il loin ? Altman : Oui, il l\'est !"'),
    ("typography.fr-nbsp", " :"),
    ("typography.fr-nbsp", " ;"),
    ("typography.fr-nbsp", " ?"),
    ("typography.fr-nbsp", " !"),
    ("typography.dash", " - "),
]


@pytest.mark.parametrize("build", [paragraph_document, sentence_document], ids=["paragraphs", "sentences"])
def test_everything_the_issue_lists_is_flagged(build) -> None:  # type: ignore[no-untyped-def]
    doc = build("sentence") if build is paragraph_document else build()
    found = {(f.check, f.text) for _, f in all_flags(doc)}
    missing = [item for item in MUST_FLAG if item not in found]
    assert not missing, f"not flagged: {missing}"
    # The three stray ### each get their own flag.
    headings = [(seg_id, f) for seg_id, f in all_flags(doc) if f.check == "markup.heading"]
    assert len(headings) == 3 and all(f.text.strip() == "###" for _, f in headings)
    # The hyphen flagged is the one before "Sora".
    dash = next(f for seg_id, f in all_flags(doc) if f.check == "typography.dash")
    target = next(s.target for s in doc.segments if dash in run_checks(doc).get(s.id, []))
    assert target[dash.end :].startswith("Sora")


def test_preamble_is_the_documents_first_flag_and_major() -> None:
    doc = paragraph_document("sentence")
    first_seg, first = all_flags(doc)[0]
    assert (first_seg, first.check, first.severity) == ("1", "llm.preamble", "major")


CLEAN_PARAGRAPHS = [
    "Le succès de ces œuvres",
    "En tant que nouveau grand modèle",
    "Dès sa sortie, Sora est rapidement devenu",
    "Au début de son lancement",
    "En même temps, OpenAI a permis",
    "Au fil du temps, l'application concrète",
    "Le dilemme de Sora",
    "Cependant, la concurrence et les changements",
    "Dans ce qu'on appelle",
    "Pour la majorité des utilisateurs",
    "À l'époque, Sora",
    "En comparaison, l'attrait",
]


def test_clean_paragraphs_get_no_flag_outside_typography() -> None:
    doc = paragraph_document("sentence")
    results = run_checks(doc)
    for start in CLEAN_PARAGRAPHS:
        seg = next(s for s in doc.segments if s.target.startswith(start))
        other = [f"{f.check}: {f.text}" for f in results.get(seg.id, []) if f.family != "typography"]
        assert other == [], f"false alarm in paragraph {seg.id}: {other}"


def test_whole_corpus_has_few_non_typography_flags() -> None:
    """Every non-typography flag is one the issue asks for or a listed calque: no noise."""
    doc = paragraph_document("sentence")
    non_typo = sorted((f.check, f.text) for _, f in all_flags(doc) if f.family != "typography")
    assert len(non_typo) <= 24, non_typo
    assert {c for c, _ in non_typo} <= {
        "llm.preamble", "markup.heading", "cultural.humour", "cultural.quip", "cultural.relative-date",
        "cultural.date-without-year", "cultural.idiom", "cultural.literal-name",
    }
