"""langdetect's detector over a sparse copy of its 55 profiles.

langdetect keeps, for each of its 87,598 n-grams, a list of 55 probabilities (one per language)
of which two on average are not zero: 64 MB a process, counted again in every worker of a corpus
run. Here each n-gram holds only its non-zero (language index, probability) pairs, read from the
same profile files in the same order, and langdetect's own ``Detector`` runs over them with its
update step replaced: the same arithmetic on each language's probability (``p * (weight +
0.0)`` is ``p * weight``), so the same seeded guesses, bit for bit. A caller that only wants to
know whether some language reaches a probability (the language check: "not French, p >= 0.9")
can have the seven trials stop once the ones left cannot get any there (most texts it asks
about are in the target language: one trial settles them).

Loading keeps each profile's n-gram counts as read and builds an n-gram's row at its first use:
a run meets a few thousand of the 87,598 n-grams, and the loading, done before the workers
fork, costs the parent a quarter of the time (the files' JSON, no more).
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from functools import lru_cache
from itertools import chain
from operator import mul
from types import SimpleNamespace
from typing import Any, cast

from relecture.packagedata import package_file

SEED = 0
# An n-gram of more than this many languages (the letters, the common pairs: those a text is
# made of) keeps every language's probability, as langdetect does: the sparse loop would be
# slower there, and they are few (an odd length tells them apart from the pairs).
DENSE_FROM = 8
# Rounding slack in the early stop's bound (the sums of seven probabilities err by ~1e-16).
_SLACK = 1e-9


class Profiles:
    """What langdetect's ``DetectorFactory`` gives its detectors: the languages in load order,
    the seed, and n-gram -> flat (index, probability, index, probability, ...) tuple (built at
    the n-gram's first use, from each profile's count of it)."""

    def __init__(self, langlist: list[str], freqs: list[dict[str, int]], n_words: list[list[int]]) -> None:
        self.langlist = langlist
        self.seed = SEED
        self._freqs = freqs
        self._n_words = n_words
        # The n-grams asked about so far: row, or None for one of no profile.
        self.rows: dict[str, tuple[Any, ...] | None] = {}

    def row(self, word: str) -> tuple[Any, ...] | None:
        """The row of an n-gram (None if no profile has it), as langdetect's ``add_profile``
        fills it: the profiles in load order, an n-gram of one to three characters weighted by
        its frequency over that length's count (a longer one is in the map with no probability)."""
        try:
            return self.rows[word]
        except KeyError:
            pass
        known = False
        entry: list[Any] = []
        for index, freq in enumerate(self._freqs):
            count = freq.get(word)
            if count is not None:
                known = True
                if 1 <= len(word) <= 3:
                    entry += (index, 1.0 * count / self._n_words[index][len(word) - 1])
        row: tuple[Any, ...] | None = None
        if len(entry) > DENSE_FROM * 2:  # every language's probability, as langdetect holds it
            dense = [0.0] * len(self.langlist)
            for k in range(0, len(entry), 2):
                dense[entry[k]] = entry[k + 1]
            row = tuple(dense)
        elif known:
            row = tuple(entry)
        self.rows[word] = row
        return row

    @property
    def word_lang_prob_map(self) -> dict[str, tuple[Any, ...]]:
        """Every n-gram's row (for inspection: the detector builds only those it meets)."""
        return {word: cast(tuple[Any, ...], self.row(word)) for word in chain.from_iterable(self._freqs)}


@lru_cache(maxsize=1)
def profiles() -> Profiles:
    """langdetect's profiles, loaded as its ``DetectorFactory.load_profile`` loads them: the
    files in directory order (which fixes each language's index), dot-files skipped."""
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    folder = package_file("langdetect", "profiles")
    if folder is None or not folder.is_dir():
        raise LangDetectException(ErrorCode.NeedLoadProfileError, f"Not found profile: {folder}")
    langlist: list[str] = []
    freqs: list[dict[str, int]] = []
    n_words: list[list[int]] = []
    for name in os.listdir(folder):
        path = folder / name
        if name.startswith(".") or not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        langlist.append(data["name"])
        freqs.append(data["freq"])
        n_words.append(data["n_words"])
    return Profiles(langlist, freqs, n_words)


@lru_cache(maxsize=1)
def _detector_class() -> type:
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException
    from langdetect.utils.ngram import NGram

    class SparseDetector(Detector):
        def __init__(self, loaded: Profiles, at_least: float | None, among: Collection[int]) -> None:
            # langdetect's Detector reads the map, the languages and the seed off its factory.
            super().__init__(SimpleNamespace(word_lang_prob_map=loaded.rows, langlist=loaded.langlist, seed=loaded.seed))
            self.row = loaded.row
            self.at_least = at_least
            self.among = among

        def _extract_ngrams(self) -> list[str]:
            # langdetect's, asking the profiles for each n-gram's row (built then) instead of
            # testing a map that holds them all.
            result = []
            ngram = NGram()
            for ch in self.text:
                ngram.add_char(ch)
                if ngram.capitalword:
                    continue
                for n in range(1, NGram.N_GRAM + 1):
                    if len(ngram.grams) < n:
                        break
                    w = ngram.grams[-n:]
                    if w and w != " " and self.row(w) is not None:
                        result.append(w)
            return result

        def _update_lang_prob(self, prob: list[float], word: str | None, alpha: float) -> bool:
            row = None if word is None else self.word_lang_prob_map.get(word)
            if row is None:
                return False
            weight = alpha / self.BASE_FREQ
            if len(row) == len(prob):  # dense: an n-gram of most languages
                for i in range(len(prob)):
                    prob[i] *= weight + row[i]
                return True
            factors = [weight] * len(prob)
            for k in range(0, len(row), 2):
                factors[row[k]] = weight + row[k + 1]
            prob[:] = map(mul, prob, factors)
            return True

        def _detect_block(self) -> None:
            # langdetect's, stopped after a trial once the trials left cannot lift a language of
            # ``among`` to ``at_least`` (each adds at most 1 / n_trial): langprob then stays None.
            self.cleaning_text()
            ngrams = self._extract_ngrams()
            if not ngrams:
                raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
            langprob = [0.0] * len(self.langlist)
            self.random.seed(self.seed)
            for t in range(self.n_trial):
                prob = self._init_probability()
                alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
                i = 0
                while True:
                    self._update_lang_prob(prob, self.random.choice(ngrams), alpha)
                    # Every fifth n-gram: normalised, then converged or out of iterations.
                    limit = self.ITERATION_LIMIT
                    if i % 5 == 0 and (self._normalize_prob(prob) > self.CONV_THRESHOLD or i >= limit):
                        break
                    i += 1
                for j in range(len(langprob)):
                    langprob[j] += prob[j] / self.n_trial
                if self.at_least is not None:
                    left = (self.n_trial - 1 - t) / self.n_trial
                    if all(langprob[j] + left < self.at_least - _SLACK for j in self.among):
                        return
            self.langprob = langprob

        def get_probabilities(self) -> list[Any]:
            if self.langprob is None:
                self._detect_block()
            return [] if self.langprob is None else self._sort_probability(self.langprob)

    return SparseDetector


def detect_langs(text: str, at_least: float | None = None, among: Collection[str] = ()) -> list[Any]:
    """langdetect's ``detect_langs(text)``: its ``Language`` guesses, best first (raises its
    ``LangDetectException`` on a text without features). With ``at_least``: [] instead, as soon
    as no language of ``among`` (langdetect's names) can reach that probability."""
    loaded = profiles()
    indexes = [i for i, lang in enumerate(loaded.langlist) if lang in among]
    detector = _detector_class()(loaded, at_least, indexes)
    detector.append(text)
    return list(detector.get_probabilities())
