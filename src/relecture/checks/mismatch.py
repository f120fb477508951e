"""Source against target: what must survive translation unchanged, and what must not be copied.

Numbers are compared by their digits only, so locale formats match (``3.2`` = ``3,2``,
``10,000`` = ``10 000``, ``10 million`` = ``10 millions``, ``50%`` = ``50 %``), and a number
spelled out in words on the other side (``two`` / ``2``) is accepted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from relecture.checks.base import WORD_RE, CheckInfo, Context, Family, Finding, SegmentView
from relecture.checks.langdata import word_set

FAMILY = "mismatch"

INFOS = [
    CheckInfo(
        id="mismatch.empty",
        family=FAMILY,
        category="Accuracy/Omission",
        severity="major",
        description="Empty target for a non-empty source",
        explanation="The segment has no translation at all. Translate it, or confirm it must stay empty.",
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.identical",
        family=FAMILY,
        category="Accuracy/Untranslated",
        severity="major",
        description="Target identical to the source (not translated)",
        explanation=(
            "The target is a copy of the source. That is right for names, codes and numbers, "
            "wrong for text: check whether this segment had to be translated."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.copied-source",
        family=FAMILY,
        category="Accuracy/Untranslated",
        severity="major",
        description="Long passage of the source copied verbatim into the target",
        explanation=(
            "Six or more consecutive source words appear unchanged in the target: part of the "
            "segment was left untranslated. Translate it unless it is a title or a quotation "
            "that must stay in the original language."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.number",
        family=FAMILY,
        category="Locale convention/Number",
        severity="major",
        description="Number in one side missing from the other (locale formats and number words accepted)",
        explanation=(
            "A number of the source is missing from the target, or the target has a number the "
            "source lacks. Formats are compared by digits (3.2 = 3,2; 10,000 = 10 000) and "
            "spelled-out small numbers are accepted, so what remains is usually a real error: "
            "a wrong figure, a dropped quantity, a date changed."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.url",
        family=FAMILY,
        category="Design and markup/Link/cross-reference",
        severity="major",
        description="URL missing, added or changed",
        explanation=(
            "URLs must be carried over exactly (unless the localized site has its own address). "
            "Check the link was neither dropped nor altered."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.email",
        family=FAMILY,
        category="Design and markup/Link/cross-reference",
        severity="major",
        description="E-mail address missing, added or changed",
        explanation="E-mail addresses must be carried over exactly. Check it was neither dropped nor altered.",
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.placeholder",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="critical",
        description="Placeholder ({name}, %s, %(x)d, {{x}}, ${x}) missing, added or changed",
        explanation=(
            "Placeholders are filled in by software at run time. A missing, renamed or extra "
            "placeholder breaks the program or shows wrong data: the target must have exactly "
            "the source's placeholders (their order may change)."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.tag",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="major",
        description="Inline tag (<b>, </a>, <br/>) missing or added",
        explanation=(
            "The target must carry the source's inline tags, or formatting and links break. "
            "Check every opening tag has its closing tag around the right words."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.brackets",
        family=FAMILY,
        category="Accuracy/Omission",
        severity="minor",
        description="Different number of bracketed parts in source and target",
        explanation=(
            "The source and the target do not have the same number of parenthesised or bracketed "
            "parts. A dropped parenthesis often means a dropped aside; an added one may be a "
            "translator's note. Check the content is all there."
        ),
        needs_source=True,
    ),
]

_URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"'«»“”]*[^\s<>\"'«»“”.,;:!?)\]]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PLACEHOLDER = re.compile(
    r"\{\{\s*[\w.]+\s*\}\}"  # {{x}}
    r"|\$\{\w+\}"  # ${x}
    r"|\{[\w.]*(?::[^{}\s]*)?\}"  # {0} {name} {x:.2f} {}
    r"|%\([\w.]+\)[-+#0]*\d*(?:\.\d+)?[sdifrxXeEgGc]"  # %(x)d
    r"|%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?(?:l{0,2}|h)[sdiufxXoeEgGc@]"  # %s %1$s %.2f %@
)
# Cheap test before the full placeholder regex: "{" (also in "${"), or "%" not followed by a
# space (French writes "50 %", which is no placeholder).
_PERCENT_HINT = re.compile(r"%[^\s%]")
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>")
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:.-]*)")
_NUMBER = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:(?:,|\.|[ \u00a0\u202f])\d{3})+(?![\d])|\d+)(?:[.,]\d+)?(?!\d)"
)
_NON_DIGIT = re.compile(r"\D")
# Digit runs, and "" at the end: findall skips the letters between runs in one possessive step
# (twice as fast as ``\d+``, which is retried at every position).
_DIGIT_RUNS = re.compile(r"\D*+(\d*)")
_SPACES = re.compile(r"\s+")
_BRACKET_GROUP = re.compile(r"[(\[（【][^()\[\]（）【】]*[)\]）】]")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]"})
_IDENT_WORD = re.compile(r"[^\W\d_]{2,}")


def _placeholder_hint(text: str) -> bool:
    return "{" in text or ("%" in text and _PERCENT_HINT.search(text) is not None)


def _digit_runs(text: str) -> list[str]:
    return [run for run in _DIGIT_RUNS.findall(text) if run]


def _has_bracket(text: str) -> bool:
    return "(" in text or "[" in text or "（" in text or "【" in text


def _same_text(source: str, target: str) -> bool:
    """``_norm(source) == _norm(target)``, with a cheap first test: the first words must match
    (case folding maps characters one by one and never makes or removes white space)."""
    a = source.split(None, 1)
    b = target.split(None, 1)
    if a and b and a[0].casefold() != b[0].casefold():
        return False
    return _norm(source) == _norm(target)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _mask(text: str, side: int, spans: list[tuple[int, int, int, int]]) -> str:
    """Blank out URLs, e-mails and placeholders so their digits are not read as numbers."""
    for s_side, start, end, _ in spans:
        if s_side == side:
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def _numbers(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _NUMBER.finditer(text):
        number = m.group()
        digits = (number if number.isdigit() else _NON_DIGIT.sub("", number)).lstrip("0") or "0"
        out.append((digits, m.start(), m.end()))
    return out


def _number_word_regexes(data: dict[str, object]) -> dict[str, re.Pattern[str]]:
    raw = data.get("number_words")
    out: dict[str, re.Pattern[str]] = {}
    if isinstance(raw, dict):
        for value, words in raw.items():
            if isinstance(words, list) and words:
                alternatives = "|".join(re.escape(str(w)) for w in words)
                out[str(value)] = re.compile(rf"(?<!\w)(?:{alternatives})s?(?!\w)", re.IGNORECASE)
    return out


def _looks_like_a_name(text: str) -> bool:
    """Identical text that needs no translation: names, codes, numbers, one-word labels."""
    words = _IDENT_WORD.findall(text)
    if len(words) < 2:
        return True
    return all(w[0].isupper() or w.isupper() for w in words)


def _multiset_diff(
    check_id: str,
    what: str,
    source_items: list[tuple[str, int, int]],
    target_items: list[tuple[str, int, int]],
    source: str,
    target: str,
) -> Iterator[Finding]:
    s_count = Counter(k for k, _, _ in source_items)
    t_count = Counter(k for k, _, _ in target_items)
    if s_count == t_count:
        return
    missing = s_count - t_count
    extra = t_count - s_count
    for key, start, end in source_items:
        if missing.get(key, 0) > 0:
            missing[key] -= 1
            yield (check_id, "source", start, end, f"{what} “{source[start:end]}” of the source is not in the target", None)
    for key, start, end in target_items:
        if extra.get(key, 0) > 0:
            extra[key] -= 1
            yield (check_id, "target", start, end, f"{what} “{target[start:end]}” is not in the source", None)


def build(ctx: Context) -> Family:
    family = Family()
    on = ctx.on
    target_words = _number_word_regexes(ctx.data(ctx.target_lang))
    source_words = _number_word_regexes(ctx.data(ctx.source_lang))
    copy_min = int(ctx.settings.get("copied_source_min_words", 6))
    # Function words of the source language that the target language does not share.
    source_only = frozenset()
    if ctx.source_lang and ctx.source_lang != ctx.target_lang:
        source_only = word_set(ctx.data(ctx.source_lang)) - word_set(ctx.data(ctx.target_lang))

    on_empty, on_identical, on_copied = on("mismatch.empty"), on("mismatch.identical"), on("mismatch.copied-source")
    on_url, on_email, on_placeholder = on("mismatch.url"), on("mismatch.email"), on("mismatch.placeholder")
    on_tag, on_number, on_brackets = on("mismatch.tag"), on("mismatch.number"), on("mismatch.brackets")

    def mismatch(view: SegmentView) -> Iterator[Finding]:
        source = view.source
        if source is None or not source or source.isspace():  # isspace: no copy
            return
        target = view.target
        if not target or target.isspace():
            if on_empty:
                yield ("mismatch.empty", "source", 0, len(source), "No translation for this source", None)
            return
        if on_identical and abs(len(source) - len(target)) <= 16 and _same_text(source, target):
            if not _looks_like_a_name(target):
                yield ("mismatch.identical", "target", 0, len(target), "Target is the source, untranslated", None)
            return  # every other comparison is moot
        if on_copied:
            yield from _copied(view, copy_min, source_only)
        # Spans of URLs, e-mails and placeholders: their digits are not numbers of the text.
        masked: list[tuple[int, int, int, int]] = []  # (side 0/1, start, end)
        if "://" in source or "://" in target or "www." in source or "www." in target:
            s_items = [(m.group().rstrip("/"), m.start(), m.end()) for m in _URL.finditer(source)]
            t_items = [(m.group().rstrip("/"), m.start(), m.end()) for m in _URL.finditer(target)]
            masked += [(0, s, e, 0) for _, s, e in s_items] + [(1, s, e, 0) for _, s, e in t_items]
            if on_url:
                yield from _multiset_diff("mismatch.url", "URL", s_items, t_items, source, target)
        if "@" in source or "@" in target:
            s_items = [(m.group().lower(), m.start(), m.end()) for m in _EMAIL.finditer(source)]
            t_items = [(m.group().lower(), m.start(), m.end()) for m in _EMAIL.finditer(target)]
            masked += [(0, s, e, 0) for _, s, e in s_items] + [(1, s, e, 0) for _, s, e in t_items]
            if on_email:
                yield from _multiset_diff("mismatch.email", "E-mail address", s_items, t_items, source, target)
        if _placeholder_hint(source) or _placeholder_hint(target):
            s_items = [(m.group(), m.start(), m.end()) for m in _PLACEHOLDER.finditer(source)]
            t_items = [(m.group(), m.start(), m.end()) for m in _PLACEHOLDER.finditer(target)]
            masked += [(0, s, e, 0) for _, s, e in s_items] + [(1, s, e, 0) for _, s, e in t_items]
            if on_placeholder:
                yield from _multiset_diff("mismatch.placeholder", "Placeholder", s_items, t_items, source, target)
        if on_tag and ("<" in source or "<" in target):
            yield from _multiset_diff(
                "mismatch.tag", "Tag",
                [(_tag_key(m.group()), m.start(), m.end()) for m in _TAG.finditer(source)],
                [(_tag_key(m.group()), m.start(), m.end()) for m in _TAG.finditer(target)],
                source, target,
            )
        if on_number:
            yield from _number_findings(source, target, masked, source_words, target_words)
        if on_brackets and (_has_bracket(source) or _has_bracket(target)):
            yield from _brackets(source, target)

    family.segment_fns.append(mismatch)
    return family


def _tag_key(tag: str) -> str:
    m = _TAG_NAME.match(tag)
    name = m.group(1).lower() if m else tag
    if tag.startswith("</"):
        return f"</{name}>"
    if tag.endswith("/>"):
        return f"<{name}/>"
    return f"<{name}>"


def _copied(view: SegmentView, min_words: int, source_only: frozenset[str]) -> Iterator[Finding]:
    t_words = view.words
    if len(t_words) < min_words:
        return
    if source_only:
        # A copied run of source prose carries the source language's grammatical words
        # ("the", "of", "and"); without two of them there is nothing to look for. One set
        # intersection, before splitting the source into words.
        if len(source_only.intersection(t_words)) < 2:
            return
    else:
        source_lower = view.source_lower
        if sum(1 for w in t_words if len(w) > 2 and w in source_lower) < min(3, min_words):
            return
    s_words = view.source_words
    if len(s_words) < min_words:
        return
    if len(set(s_words).intersection(t_words)) < min_words:
        return  # not even enough shared words for one copied run
    grams = set(zip(*(s_words[i:] for i in range(min_words)), strict=False))
    start_word = -1
    for i, gram in enumerate(zip(*(t_words[i:] for i in range(min_words)), strict=False)):
        if gram in grams:
            start_word = i
            break
    if start_word < 0:
        return
    end_word = start_word + min_words
    source_text = " ".join(s_words)
    while end_word < len(t_words) and " ".join(t_words[start_word : end_word + 1]) in source_text:
        end_word += 1
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(view.target)]
    if len(spans) != len(t_words):
        return
    start, end = spans[start_word][0], spans[end_word - 1][1]
    copied = view.target[start:end]
    if _looks_like_a_name(copied):
        return
    yield ("mismatch.copied-source", "target", start, end, f"“{copied}” is copied from the source", None)


def _number_findings(
    source: str,
    target: str,
    masked: list[tuple[int, int, int, int]],
    source_words: dict[str, re.Pattern[str]],
    target_words: dict[str, re.Pattern[str]],
) -> Iterator[Finding]:
    s_digits = _digit_runs(source)
    t_digits = _digit_runs(target)
    if s_digits == t_digits:
        return  # the same digits in the same order: nothing can be missing
    has_s, has_t = bool(s_digits), bool(t_digits)
    s_items = _numbers(_mask(source, 0, masked) if masked else source) if has_s else []
    t_items = _numbers(_mask(target, 1, masked) if masked else target) if has_t else []
    s_keys = sorted(k for k, _, _ in s_items)
    t_keys = sorted(k for k, _, _ in t_items)
    if s_keys == t_keys:
        return
    s_count = Counter(s_keys)
    t_count = Counter(t_keys)
    missing = s_count - t_count
    extra = t_count - s_count
    # A number written in words on the other side is the same number.
    for key in list(missing):
        regex = target_words.get(key)
        if regex is not None and regex.search(target):
            del missing[key]
    for key in list(extra):
        regex = source_words.get(key)
        if regex is not None and regex.search(source):
            del extra[key]
    for key, start, end in s_items:
        if missing.get(key, 0) > 0:
            missing[key] -= 1
            yield ("mismatch.number", "source", start, end, f"Number “{source[start:end]}” of the source is not in the target", None)
    for key, start, end in t_items:
        if extra.get(key, 0) > 0:
            extra[key] -= 1
            yield ("mismatch.number", "target", start, end, f"Number “{target[start:end]}” is not in the source", None)


def _brackets(source: str, target: str) -> Iterator[Finding]:
    s_groups = list(_BRACKET_GROUP.finditer(source.translate(_FULLWIDTH)))
    t_groups = list(_BRACKET_GROUP.finditer(target))
    if len(s_groups) == len(t_groups):
        return
    if len(s_groups) > len(t_groups):
        m = s_groups[len(t_groups)]
        yield (
            "mismatch.brackets", "source", m.start(), m.end(),
            f"The source has {len(s_groups)} bracketed part(s), the target {len(t_groups)}: is “{source[m.start():m.end()]}” translated?",
            None,
        )
    else:
        m = t_groups[len(s_groups)]
        yield (
            "mismatch.brackets", "target", m.start(), m.end(),
            f"The target has {len(t_groups)} bracketed part(s), the source {len(s_groups)}: is “{m.group()}” in the source?",
            None,
        )
