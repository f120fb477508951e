"""Language identification for whole documents (import time).

langdetect is random unless seeded; we seed it once so the same file always gets the same
language. Per-segment identification on large corpora lives in the checks (with a fast path).
"""

from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 4000


@lru_cache(maxsize=1)
def _factory_ready() -> bool:
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0
    return True


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (``zh-cn`` becomes ``zh``), None if unsure."""
    from langdetect import LangDetectException, detect_langs

    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    _factory_ready()
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None
    if best.prob < 0.5:
        return None
    return best.lang.split("-")[0]
