"""langdetect's detector over a sparse copy of its 55 profiles.

langdetect keeps, for each of its 87,598 n-grams, a list of 55 probabilities (one per language)
of which two on average are not zero: 64 MB a process, counted again in every worker of a corpus
run. Here each n-gram holds only its non-zero (language index, probability) pairs (17 MB), read
from the same profile files in the same order, and langdetect's own ``Detector`` runs over them
with one method replaced: the same arithmetic on each language's probability (``p * (weight +
0.0)`` is ``p * weight``), so the same seeded guesses, bit for bit.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from operator import mul
from typing import Any, cast

from relecture.packagedata import package_file

SEED = 0
# An n-gram of more than this many languages (the letters, the common pairs: those a text is
# made of) keeps every language's probability, as langdetect does: the sparse loop would be
# slower there, and they are few (an odd length tells them apart from the pairs).
DENSE_FROM = 8


class Profiles:
    """What langdetect's ``DetectorFactory`` gives its detectors: the languages in load order,
    the seed, and n-gram -> flat (index, probability, index, probability, ...) tuple."""

    def __init__(self, langlist: list[str], word_lang_prob_map: dict[str, tuple[Any, ...]]) -> None:
        self.langlist = langlist
        self.word_lang_prob_map = word_lang_prob_map
        self.seed = SEED


@lru_cache(maxsize=1)
def profiles() -> Profiles:
    """langdetect's profiles, loaded as its ``DetectorFactory.load_profile`` loads them: the
    files in directory order (which fixes each language's index), dot-files skipped, each
    n-gram of one to three characters weighted by its frequency over that length's count."""
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    folder = package_file("langdetect", "profiles")
    if folder is None or not folder.is_dir():
        raise LangDetectException(ErrorCode.NeedLoadProfileError, f"Not found profile: {folder}")
    langlist: list[str] = []
    pairs: dict[str, list[Any]] = {}
    for name in os.listdir(folder):
        path = folder / name
        if name.startswith(".") or not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        index = len(langlist)
        langlist.append(data["name"])
        n_words = data["n_words"]
        for word, count in data["freq"].items():
            entry = pairs.setdefault(word, [])
            if 1 <= len(word) <= 3:
                entry += (index, 1.0 * count / n_words[len(word) - 1])
    n = len(langlist)
    rows = cast(dict[str, tuple[Any, ...]], pairs)  # each list replaced in place: no second map
    for word, entry in pairs.items():
        if len(entry) > DENSE_FROM * 2:  # every language's probability, as langdetect holds it
            dense = [0.0] * n
            for k in range(0, len(entry), 2):
                dense[entry[k]] = entry[k + 1]
            rows[word] = tuple(dense)
        else:
            rows[word] = tuple(entry)
    return Profiles(langlist, rows)


@lru_cache(maxsize=1)
def _detector_class() -> type:
    from langdetect.detector import Detector

    class SparseDetector(Detector):
        def _update_lang_prob(self, prob: list[float], word: str | None, alpha: float) -> bool:
            if word is None or word not in self.word_lang_prob_map:
                return False
            weight = alpha / self.BASE_FREQ
            row = self.word_lang_prob_map[word]
            if len(row) == len(prob):  # dense: an n-gram of most languages
                for i in range(len(prob)):
                    prob[i] *= weight + row[i]
                return True
            factors = [weight] * len(prob)
            for k in range(0, len(row), 2):
                factors[row[k]] = weight + row[k + 1]
            prob[:] = map(mul, prob, factors)
            return True

    return SparseDetector


def detect_langs(text: str) -> list[Any]:
    """langdetect's ``detect_langs(text)``: its ``Language`` guesses, best first (raises its
    ``LangDetectException`` on a text without features)."""
    detector = _detector_class()(profiles())
    detector.append(text)
    return list(detector.get_probabilities())
