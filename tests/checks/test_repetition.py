"""Repetition: a sentence or a run of words said twice, a segment repeating the one before."""

from __future__ import annotations

from tests.checks.helpers import doc_of, only_check

from relecture.checks import run_checks


def test_sentence_repeated_back_to_back_in_a_segment() -> None:
    doc = doc_of("Le modèle a été entraîné sur des documents publics. Le modèle a été entraîné sur des documents publics.")
    found = only_check(doc, "repetition.sentence")
    assert len(found) == 1 and found[0].start > 0
    assert found[0].text == "Le modèle a été entraîné sur des documents publics."


def test_two_sentences_repeated_as_a_block() -> None:
    text = "Le contrat court jusqu'en 2027. De plus, la panne a touché dix pays."
    found = only_check(doc_of(text + " " + text), "repetition.sentence")
    assert [f.text for f in found] == [text]
    assert "2 sentences" in found[0].message


def test_segment_repeating_the_previous_one_when_sources_differ() -> None:
    doc = doc_of(
        "La mise à jour sera disponible pour tous les clients.",
        "La mise à jour sera disponible pour tous les clients.",
        sources=["The update will be available to all customers.", "The outage affected customers in ten countries."],
    )
    assert list(run_checks(doc, only="repetition.sentence")) == ["2"]


def test_repeated_source_segments_may_repeat_their_translation() -> None:
    doc = doc_of("Merci de votre visite.", "Merci de votre visite.", sources=["Thank you for visiting.", "Thank you for visiting."])
    assert run_checks(doc, only="repetition") == {}


def test_repeated_run_of_words() -> None:
    doc = doc_of("Le groupe a publié ses résultats dans une revue dans une revue à comité de lecture sérieuse.")
    found = only_check(doc, "repetition.ngram")
    assert [f.text.strip() for f in found] == ["dans une revue"]
    assert found[0].suggestion == ""
    doc = doc_of("Le groupe de recherche a publié ses résultats le groupe de recherche a publié ses résultats hier.")
    found = only_check(doc, "repetition.ngram")
    assert [f.text.strip() for f in found] == ["le groupe de recherche a publié ses résultats"]


def test_no_repetition_flag_on_ordinary_french_with_recurring_function_words() -> None:
    doc = doc_of(
        "Nous nous sommes vus de loin, de très loin.",
        "De l'optimisation des algorithmes au traitement des données, du développement des habitudes "
        "des utilisateurs à l'amélioration de l'acceptation du marché, chaque étape nécessite du temps."
    )
    assert run_checks(doc, only="repetition") == {}


def test_repeated_segments_get_the_same_flags_and_context_checks_still_run() -> None:
    """Repeated segments are checked once; checks that look at the neighbour still run each time."""
    text = "Le ministre a dit : \"oui, sans doute\"."
    doc = doc_of("Premier paragraphe ici.", text, text, "Autre chose ici.", text, paragraphs=[0, 1, 2, 3, 4])
    results = run_checks(doc)
    per_segment = {sid: sorted(f.check for f in fl) for sid, fl in results.items()}
    ids = [s.id for s in doc.segments]
    # Typography is found on every copy, the back-to-back repeat only where the previous one is equal.
    for sid in (ids[1], ids[2], ids[4]):
        assert "typography.straight-quotes" in per_segment[sid]
    assert "repetition.sentence" in per_segment[ids[2]]
    assert "repetition.sentence" not in per_segment[ids[1]]
    assert "repetition.sentence" not in per_segment[ids[4]]
