"""Answered, not translated: a question answered or an instruction carried out, questions added."""

from __future__ import annotations

from tests.checks.helpers import pairs_doc, side_flags


def test_a_chinese_question_answered_in_french_is_flagged_and_a_translated_one_is_not() -> None:
    doc = pairs_doc(
        [
            ("你认为Sora什么时候会正式发布？", "Sora devrait être officiellement lancé à la fin de l'année."),
            ("你认为Sora什么时候会正式发布？", "Quand pensez-vous que Sora sera officiellement lancé ?"),
        ],
        "zh", "fr",
    )
    assert side_flags(doc, "question") == [("1", "question.answered", "source", "你认为Sora什么时候会正式发布？")]


def test_questions_in_every_script_count_as_questions() -> None:
    cases = [
        ("en", "es", "Where is the station?", "¿Dónde está la estación?", "La estación está en el centro."),
        ("en", "ar", "Where is the station?", "أين المحطة؟", "المحطة في وسط المدينة."),
        ("en", "el", "Where is the station?", "Πού είναι ο σταθμός;", "Ο σταθμός είναι στο κέντρο."),
        ("en", "ja", "Is it ready?", "準備はできましたか。", "準備はできました。"),
        ("fr", "zh", "Où est la gare ?", "车站在哪里？", "车站在市中心。"),
    ]
    for source_lang, target_lang, source, asked, answered in cases:
        doc = pairs_doc([(source, asked), (source, answered)], source_lang, target_lang)
        assert [(s, c) for s, c, _, _ in side_flags(doc, "question")] == [("2", "question.answered")], target_lang


def test_instructions_carried_out_and_questions_added() -> None:
    doc = pairs_doc(
        [
            ("请总结这篇文章的主要观点。", "L'article montre que les modèles vidéo progressent très vite."),
            ("请总结这篇文章的主要观点。", "Résumez les principaux points de cet article."),
            ("这是一个测试。", "Voulez-vous que je traduise aussi la suite ?"),
            ("删除", "Supprimer ?"),  # a label: no final punctuation, no judgement
            ("访问 https://example.com/?page=2 了解更多。", "Voir https://example.com/?page=2 pour en savoir plus."),
        ],
        "zh", "fr",
    )
    assert [(s, c) for s, c, _, _ in side_flags(doc, "question")] == [("1", "question.answered"), ("3", "question.added")]
