"""The languages of a document that does not say: guessed from a sample of its texts."""

from __future__ import annotations

from collections.abc import Iterable

from relecture.checks.langdata import base_lang


def guess_lang(texts: Iterable[str]) -> str | None:
    """The base language code of ``texts`` (the first 4,000 characters or so), None if empty."""
    from relecture.langid import detect_language

    sample: list[str] = []
    size = 0
    for text in texts:
        if text:
            sample.append(text)
            size += len(text)
            if size > 4000:
                break
    return base_lang(detect_language(" ".join(sample))) if sample else None
