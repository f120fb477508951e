"""The target language: a segment in another language or script, the document's language guessed."""

from __future__ import annotations

from tests.checks.helpers import doc_of, texts

from relecture.checks import run_checks
from relecture.checks.language import langdetect_best


def test_english_left_in_a_french_document() -> None:
    doc = doc_of(
        "Le marché a progressé de 9,8 % en 2023, selon le rapport.",
        "The update will be available to all customers next week.",
        "Les critiques estiment que le prix est trop élevé pour les étudiants.",
        "El presidente dijo que la empresa lanzará su nuevo modelo el próximo mes.",
    )
    results = run_checks(doc, only="language.wrong")
    assert sorted(results) == ["2", "4"]
    assert "English" in results["2"][0].message and "Spanish" in results["4"][0].message
    assert results["2"][0].start == 0 and results["2"][0].end == len(doc.segments[1].target)


def test_short_titles_names_and_numbers_are_not_judged() -> None:
    doc = doc_of("Zhipu AI, Baidu et Tencent", "GPT-4o mini", "Kuaishou Keling", "2023 : 9,8 %", "OK")
    assert run_checks(doc, only="language") == {}


def test_french_sentences_of_the_corpus_style_pass_the_fast_path() -> None:
    doc = doc_of(
        "Attentes réduites, comment OpenAI peut-il sauver la situation",
        "Ces activités ont entraîné un retard dans le lancement de Sora.",
        "Postface : Le multimodal peut-il devenir une nouvelle opportunité de dépassement ?",
    )
    assert run_checks(doc, only="language.wrong") == {}


def test_uncertain_segment_goes_to_langdetect_seeded_and_cached() -> None:
    sentence = "Kestrel Labs Nordwind Helios: robust multilingual pipeline benchmark results"
    first = langdetect_best(sentence)
    assert first is not None and langdetect_best(sentence) == first
    assert langdetect_best.cache_info().hits >= 1


def test_segment_in_another_script() -> None:
    doc = doc_of("大模型之家认为，对于OpenAI来说，持续创新意味着不断探索人工智能的新领域。")
    results = run_checks(doc, only="language")
    assert [f.check for f in results["1"]] == ["language.wrong"]
    assert "Chinese" in results["1"][0].message


def test_mixed_scripts_inside_a_french_segment() -> None:
    doc = doc_of(
        "Le lancement de GPT-5 ne devrait pas être une simple mise à niveau（升级）de la génération précédente.",
        "Le mot « мир » signifie paix.",
        "L'angle α vaut π/2 et la constante Ω est connue.",
    )
    got = texts(doc, "language.mixed-script")
    assert got == [("1", "language.mixed-script", "（升级）"), ("2", "language.mixed-script", "мир")]


def test_unknown_target_language_is_guessed_from_the_document() -> None:
    doc = doc_of(
        "Le marché a progressé de 9,8 % en 2023, selon le rapport publié par le ministère.",
        "Les ingénieurs ont corrigé le problème et publié une explication détaillée.",
        "The update will be available to all customers next week.",
        lang=None,
    )
    assert sorted(run_checks(doc, only="language.wrong")) == ["3"]


def test_target_words_outnumbering_every_other_languages_shared_words_end_the_check() -> None:
    # No other language counts more function words than the segment shares with them all: two
    # French ones at least and no fewer than those shared settle it without counting. At the
    # edge: 2 French, 2 shared (les, la); 3 French, 1 shared (le); one past it, a Spanish
    # sentence (3 French, 4 shared: el, la, que, su) is still counted and flagged.
    doc = doc_of(
        "Les entreprises chinoises investissent massivement la recherche fondamentale.",
        "Le rapport mentionne plusieurs innovations technologiques majeures dans cette région.",
        "El presidente dijo que la empresa lanzará su nuevo modelo el próximo mes.",
    )
    results = run_checks(doc, only="language.wrong")
    assert sorted(results) == ["3"]
    assert "Spanish" in results["3"][0].message
