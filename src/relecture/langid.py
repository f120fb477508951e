"""Language identification for whole documents (import time).

Most documents announce their language through function words ("le", "des", "the", "of") or
their script, which costs microseconds; langdetect (whose 55 profiles take ~0.5 s to load) is
asked only when that evidence is thin (``relecture.langprofiles``: its detector, seeded, over a
compact copy of its profiles).
"""

from __future__ import annotations

import re
from functools import lru_cache

from relecture.gated import ScriptPattern

SAMPLE_CHARS = 4000
_WORD = re.compile(r"\w+")
_HAN = ScriptPattern.of_class(r"\u4e00-\u9fff")
_KANA = ScriptPattern.of_class(r"\u3040-\u30ff")
_HANGUL = ScriptPattern.of_class(r"\uac00-\ud7af")


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    from relecture.checks.langdata import available_languages, load_language, word_set

    sets = {lang: word_set(load_language(lang)) for lang in available_languages()}
    return {lang: words for lang, words in sets.items() if words}


def guess_from_evidence(sample: str) -> str | None:
    """The language its script or function words make certain, else None."""
    letters = sum(1 for ch in sample if ch.isalpha()) or 1
    if len(_KANA.findall(sample)) * 10 > letters:
        return "ja"
    if len(_HANGUL.findall(sample)) * 3 > letters:
        return "ko"
    if len(_HAN.findall(sample)) * 2 > letters:
        return "zh"
    distinct = {w.lower() for w in _WORD.findall(sample)}
    counts = sorted(
        ((len(distinct & words), lang) for lang, words in _function_words().items()), reverse=True
    )
    if not counts:
        return None
    best, lang = counts[0]
    runner_up = counts[1][0] if len(counts) > 1 else 0
    return lang if best >= 6 and best >= 2 * runner_up else None


@lru_cache(maxsize=1)
def langdetect_languages() -> frozenset[str]:
    """The languages langdetect has a profile of (its verdict on any other is a guess among
    neighbours: Kyrgyz text "is" Russian or Bulgarian)."""
    from relecture.packagedata import package_file

    profiles = package_file("langdetect", "profiles")
    if profiles is None or not profiles.is_dir():
        return frozenset()
    return frozenset(p.name.split("-")[0] for p in profiles.iterdir())


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (``zh-cn`` becomes ``zh``), None if unsure."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    evident = guess_from_evidence(sample)
    if evident is not None:
        return evident
    if sum(1 for ch in sample if ch.isalpha()) < 20:
        return None  # a word or two: langdetect would guess at random (and be believed)
    from langdetect.lang_detect_exception import LangDetectException

    from relecture.langprofiles import detect_langs

    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None
    if best.prob < 0.5:
        return None
    return best.lang.split("-")[0]
