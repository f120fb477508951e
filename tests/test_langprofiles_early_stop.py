"""langdetect's trials stopped early never hide a language that would reach the probability asked."""

from __future__ import annotations

import pytest

from relecture.langprofiles import detect_langs, profiles

TEXTS = [
    "L'usine de Genève produit 120 unités chaque jour.",
    "Independent tests showed that the battery lasts 10 hours.",
    "The service now supports 13 languages, including Portuguese and Polish.",
    "Le chat est sur la table et il regarde les oiseaux qui passent dans le ciel.",
    "El gobierno anunció nuevas medidas para reducir la inflación.",
    "Booleano (Verdadero o Falso)",
    "Kestrel Labs Nordwind Helios: robust multilingual pipeline benchmark results",
    "这部短片是用人工智能制作的，引起了广泛讨论。",
    "De vergadering is uitgesteld tot volgende week dinsdag.",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("target", ["fr", "en", "es", "zh-cn"])
@pytest.mark.parametrize("at_least", [0.5, 0.9, 0.99])
def test_an_early_stop_only_when_no_other_language_can_reach_the_probability(
    text: str, target: str, at_least: float
) -> None:
    full = [(g.lang, g.prob) for g in detect_langs(text)]
    among = frozenset(lang for lang in profiles().langlist if lang != target)
    stopped = [(g.lang, g.prob) for g in detect_langs(text, at_least, among)]
    if stopped:
        assert stopped == full
    else:
        assert all(prob < at_least for lang, prob in full if lang in among)
