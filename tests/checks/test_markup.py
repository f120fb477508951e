"""Markdown left in prose: headings, emphasis, code and bullets the source does not have."""

from __future__ import annotations

from tests.checks.helpers import doc_of, only_check, texts


def test_heading_marker_mid_sentence_and_at_sentence_start_inside_a_paragraph() -> None:
    doc = doc_of(
        "De plus, ### « Sanxingdui » a obtenu des résultats remarquables.",
        "### Depuis son lancement, le court-métrage est devenu viral.",
        paragraphs=[0, 0],
    )
    found = texts(doc, "markup")
    assert [(s, c, t.strip()) for s, c, t in found] == [("1", "markup.heading", "###"), ("2", "markup.heading", "###")]


def test_markdown_title_line_is_accepted_in_a_target_only_document() -> None:
    doc = doc_of("## Résultats du trimestre", "Le chiffre d'affaires a progressé de 3 %.", paragraphs=[0, 1])
    assert texts(doc, "markup") == []


def test_heading_marker_at_line_start_needs_one_in_the_source() -> None:
    with_source = doc_of("## Résultats", "## Résultats", sources=["## Results", "Results"])
    assert [s for s, _, _ in texts(with_source, "markup")] == ["2"]


def test_hashtags_and_issue_numbers_are_not_headings() -> None:
    doc = doc_of("Le sujet #IA est en tête des tendances, voir le ticket #4521.")
    assert texts(doc, "markup") == []


def test_bold_code_and_bullets() -> None:
    doc = doc_of(
        "Le service est **gratuit** pour les étudiants.",
        "Lancez `relecture check` dans le terminal.",
        "Points clés :\n- prix en baisse\n- plus de langues",
        sources=["The service is free for students.", "Run relecture check in the terminal.", "Key points: lower prices and more languages."],
    )
    found = texts(doc, "markup")
    assert ("1", "markup.emphasis", "**gratuit**") in found
    assert ("2", "markup.code", "`relecture check`") in found
    assert [c for s, c, _ in found if s == "3"] == ["markup.list", "markup.list"]
    emphasis = only_check(doc, "markup.emphasis")[0]
    assert emphasis.suggestion == "gratuit"


def test_bold_in_the_source_is_the_documents_own_markup() -> None:
    doc = doc_of("Le service est **gratuit**.", sources=["The service is **free**."])
    assert texts(doc, "markup") == []
