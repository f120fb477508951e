"""relecture's langdetect detector over compact profiles guesses as langdetect itself does."""

from __future__ import annotations

import pytest
from langdetect import DetectorFactory
from langdetect import detect_langs as langdetect_detect_langs
from langdetect.lang_detect_exception import LangDetectException

from relecture.langprofiles import detect_langs, profiles

TEXTS = [
    "Le chat est sur la table et il regarde les oiseaux qui passent dans le ciel.",
    "The committee will publish its findings before the end of the year.",
    "Der schnelle braune Fuchs springt über den faulen Hund.",
    "El gobierno anunció nuevas medidas para reducir la inflación.",
    "Il sindaco ha inaugurato la nuova biblioteca comunale ieri mattina.",
    "O relatório foi entregue ao conselho na semana passada.",
    "De vergadering is uitgesteld tot volgende week dinsdag.",
    "Правительство объявило о новых мерах поддержки.",
    "这部短片是用人工智能制作的，引起了广泛讨论。",
    "この映画は人工知能で作られました。",
    "Booleano (Verdadero o Falso)",
    "OK",
    "Ελληνικά κείμενα εδώ και εκεί",
    "Sora 2.0 — 12 %",
]


def _guesses(fn: object, text: str) -> object:
    try:
        return [(g.lang, g.prob) for g in fn(text)]  # type: ignore[operator]
    except LangDetectException as exc:
        return ("no features", exc.code)


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_guesses_bit_for_bit_as_langdetect(text: str) -> None:
    DetectorFactory.seed = 0  # langdetect's own, seeded as relecture seeds its copy
    assert _guesses(detect_langs, text) == _guesses(langdetect_detect_langs, text)


def test_a_text_without_features_raises_langdetects_error() -> None:
    with pytest.raises(LangDetectException):
        detect_langs("12345 !!!")


def test_the_profiles_hold_a_fraction_of_langdetects_probabilities() -> None:
    loaded = profiles()
    assert len(loaded.langlist) == 55
    stored = sum(len(row) for row in loaded.word_lang_prob_map.values())
    # langdetect holds one probability per language for each of its n-grams.
    assert stored < len(loaded.word_lang_prob_map) * len(loaded.langlist) / 4
