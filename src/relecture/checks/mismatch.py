"""Source against target: what must survive translation unchanged, and what must not be copied.

Numbers are read by ``relecture.numbers`` (locale formats, digits of every script, numbers glued
to CJK characters, 万/亿 and "million", number words, month names, Chinese numerals), in the
text with its code masked (``relecture.checks.code``). An empty target is progress, not an error
(gettext's untranslated entry): ``mismatch.empty`` is off unless enabled, and ``relecture check``
and ``relecture info`` count untranslated segments apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from relecture.checks import dates
from relecture.checks.base import WORD_RE, CheckInfo, Context, Family, Finding, SegmentView
from relecture.checks.code import EMAIL, PLACEHOLDER, TAG, URL, code_spans, masked, placeholder_hint
from relecture.checks.langdata import base_lang, word_set
from relecture.numbers import Number, NumberReader, ascii_digits, unmatched

FAMILY = "mismatch"

# The [checks] settings this family reads (any other key there is an error).
SETTINGS = ("copied_source_min_words",)

INFOS = [
    CheckInfo(
        id="mismatch.empty",
        family=FAMILY,
        category="Accuracy/Omission",
        severity="major",
        description="Empty target for a non-empty source (off by default: untranslated segments are counted apart)",
        explanation=(
            "The segment has no translation at all. In a catalogue an empty entry is work still "
            "to do, which `relecture check` and `relecture info` count as untranslated; enable "
            "this check (`--only mismatch.empty`, or [checks] enable) to have each one flagged."
        ),
        needs_source=True,
        default_on=False,
    ),
    CheckInfo(
        id="mismatch.identical",
        family=FAMILY,
        category="Accuracy/Untranslated",
        severity="minor",  # often meant (a term, a code); language.wrong judges the language
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
        id="mismatch.number-added",
        family=FAMILY,
        category="Accuracy/Addition",
        severity="minor",
        description="Small number (one or two digits) in the target only, every number of the source kept",
        explanation=(
            "The target states a small number the source does not, while every number of the "
            "source is there: usually a translator's precision (\"2-byte integer\", \"Thứ 2\" "
            "for Monday), sometimes an invented figure. Check it against the source. (An added "
            "year or amount is mismatch.number.)"
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
        description="Placeholder ({name}, %s, %(x)d, {{x}}, ${x}, %{x}) missing, added or changed",
        explanation=(
            "Placeholders are filled in by software at run time. A missing, renamed or extra "
            "placeholder breaks the program or shows wrong data: the target must have exactly "
            "the source's placeholders (their order may change)."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.placeholder-count",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="minor",
        description="Named placeholder used a different number of times than in the source",
        explanation=(
            "A named placeholder (%(name)s, {name}) of the source appears more or fewer times in "
            "the target. The program still runs (each name is filled in wherever it appears), and "
            "a translator may repeat a name on purpose; but a copy left behind by an edit shows "
            "the value twice. Check each occurrence is meant."
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
        id="mismatch.tag-added",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="minor",
        description="Formatting tags (a whole <i>…</i> pair) the source does not have",
        explanation=(
            "The target adds a complete pair of inline tags: the markup stays valid, the "
            "formatting differs from the source. Check the emphasis is wanted."
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
    *dates.INFOS,
]

_TAG_NAME = re.compile(r"</?([A-Za-z][\w:.-]*)")
# Digit runs, and "" at the end: findall skips the letters between runs in one possessive step
# (twice as fast as ``\d+``, which is retried at every position).
_DIGIT_RUNS = re.compile(r"\D*+(\d*)")
_BRACKET_GROUP = re.compile(r"[(\[（【][^()\[\]（）【】]*[)\]）】]")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]"})
_IDENT_WORD = re.compile(r"[^\W\d_]{2,}")
# HTML's inline formatting elements: a whole pair added changes the look, not the structure.
_FORMATTING = frozenset(["b", "i", "em", "strong", "u", "s", "small", "mark", "sup", "sub", "code", "kbd", "var", "cite", "q", "abbr", "span"])
# Placeholders whose count is their meaning: positional ones take the arguments in order.
_NAMED = re.compile(r"%\(|\{\{|\$\{|%\{|\{[^\W\d]")
# A path segment naming a language: documentation sites put it in their URLs (/en/, /pt-br/).
_LANG_SEGMENT = re.compile(r"/([a-z]{2,3})(?:[-_][a-z]{2,4})?(?=/)", re.IGNORECASE)


# Latin-1 has no digits but 0-9: in a text of those characters (the 1-byte strings, encoded by a
# copy) one bytes translation blanks every other character, four times faster than the regex.
_DIGITS_ONLY = bytes(c if 0x30 <= c <= 0x39 else 0x20 for c in range(256))


def _digit_runs(text: str) -> list[str]:
    return [run for run in _DIGIT_RUNS.findall(text) if run]


# A digit that is not ASCII (Arabic-Indic, Devanagari, fullwidth): ASCII characters, most of
# a text, are settled by the class's first range, before the Unicode category is looked up.
_NON_ASCII_DIGIT = re.compile(r"[^\x00-\x7f\D]")


def _digit_key(text: str) -> list[bytes]:
    """The digit runs of ``text``, UTF-8 encoded: equal for two texts when their runs are."""
    try:
        return text.encode("latin-1").translate(_DIGITS_ONLY).split()
    except UnicodeEncodeError:
        pass
    # French puts a narrow no-break space before "%", ";", "!", "?": that character (no digit)
    # made a space, such a text is Latin-1 again. A non-digit for a non-digit keeps the runs.
    if "\u202f" in text:
        try:
            return text.replace("\u202f", " ").encode("latin-1").translate(_DIGITS_ONLY).split()
        except UnicodeEncodeError:
            pass
    # Beyond Latin-1 with ASCII digits only: the same translation of the UTF-8 bytes, whose
    # multi-byte sequences hold no ASCII digit.
    if _NON_ASCII_DIGIT.search(text) is None:
        return text.encode().translate(_DIGITS_ONLY).split()
    return [run.encode() for run in _digit_runs(text)]


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


def _looks_like_a_name(text: str) -> bool:
    """Identical text that needs no translation: names, codes, numbers, one-word labels (the
    words of placeholders, tags and URLs are no words)."""
    words = _IDENT_WORD.findall(masked(text))
    if len(words) < 2:
        return True
    return all(w[0].isupper() or w.isupper() for w in words)


def _url_key(url: str, langs: frozenset[str]) -> str:
    """A URL as compared: a path segment naming the source or target language is any language
    (a localised documentation link, /en/ -> /fr/, is the same link)."""
    url = url.rstrip("/")
    if not langs or "/" not in url:
        return url
    return _LANG_SEGMENT.sub(lambda m: "/{lang}" if m.group(1).lower() in langs else m.group(), url)


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


def _tags(source: str, target: str) -> Iterator[Finding]:
    """Tags missing or unpaired break the markup (major); a whole added pair is formatting."""
    s_items = [(_tag_key(m.group()), m.start(), m.end()) for m in TAG.finditer(source)]
    t_items = [(_tag_key(m.group()), m.start(), m.end()) for m in TAG.finditer(target)]
    extra = Counter(k for k, _, _ in t_items) - Counter(k for k, _, _ in s_items)
    paired = {
        k for k in extra
        if k[1:-1] in _FORMATTING and extra.get("</" + k[1:], 0) == extra[k]
    }
    paired |= {"</" + k[1:] for k in paired}
    for finding in _multiset_diff("mismatch.tag", "Tag", s_items, t_items, source, target):
        key = _tag_key(target[finding[2]:finding[3]]) if finding[1] == "target" else ""
        if key in paired:
            yield ("mismatch.tag-added", *finding[1:])
        else:
            yield finding


def _placeholders(
    source: str, target: str, on_missing: bool, on_count: bool, plural: bool = False,
    s_hint: bool = True, t_hint: bool = True,
) -> Iterator[Finding]:
    """A placeholder missing, added or renamed is critical; a named one of the source used more
    or fewer times (never absent) only changes how often its value shows: minor. ``s_hint``,
    ``t_hint``: ``placeholder_hint`` of each side, when known (a side without it has none)."""
    s_found = PLACEHOLDER.findall(source) if s_hint else []
    t_found = PLACEHOLDER.findall(target) if t_hint else []
    if s_found == t_found:
        return  # the same placeholders in the same order, or none at all ("40 %.")
    s_items = [(m.group(), m.start(), m.end()) for m in PLACEHOLDER.finditer(source)] if s_found else []
    t_items = [(m.group(), m.start(), m.end()) for m in PLACEHOLDER.finditer(target)] if t_found else []
    s_count = Counter(k for k, _, _ in s_items)
    t_count = Counter(k for k, _, _ in t_items)
    if s_count == t_count:
        return
    repeated = {k for k in s_count.keys() & t_count.keys() if _NAMED.match(k)}
    if plural:  # only what the target has and the source lacks
        s_items = [i for i in s_items if i[0] in t_count]
        repeated = set()
    if on_missing:
        yield from _multiset_diff(
            "mismatch.placeholder", "Placeholder",
            [i for i in s_items if i[0] not in repeated], [i for i in t_items if i[0] not in repeated],
            source, target,
        )
    if on_count:
        for key in sorted(repeated):
            if s_count[key] != t_count[key]:
                start, end = next((s, e) for k, s, e in t_items if k == key)
                yield (
                    "mismatch.placeholder-count", "target", start, end,
                    f"“{key}” appears {t_count[key]} time(s) in the target, {s_count[key]} in the source", None,
                )


def build(ctx: Context) -> Family:
    family = Family()
    on = ctx.on
    target_reader = NumberReader(ctx.data(ctx.target_lang))
    source_reader = NumberReader(ctx.data(ctx.source_lang))
    on_dates = on("mismatch.date", "mismatch.date-order")
    source_dates = dates.forms_of(ctx.data(ctx.source_lang), ctx.source_lang or "",
                                  lambda: ctx.data_where(ctx.source_lang, "date_patterns"))
    target_dates = dates.forms_of(ctx.data(ctx.target_lang), ctx.target_lang or "",
                                  lambda: ctx.data_where(ctx.target_lang, "date_patterns"))
    copy_min = int(ctx.settings.get("copied_source_min_words", 6))
    same_language = bool(ctx.source_lang) and ctx.source_lang == ctx.target_lang
    # Function words of the source language that the target language does not share.
    source_only: frozenset[str] = frozenset()
    if ctx.source_lang and ctx.source_lang != ctx.target_lang:
        source_only = word_set(ctx.data(ctx.source_lang)) - word_set(ctx.data(ctx.target_lang))
    url_langs = frozenset(filter(None, (base_lang(ctx.source_lang), base_lang(ctx.target_lang))))

    on_empty, on_identical, on_copied = on("mismatch.empty"), on("mismatch.identical"), on("mismatch.copied-source")
    on_url, on_email, on_placeholder = on("mismatch.url"), on("mismatch.email"), on("mismatch.placeholder")
    on_count = on("mismatch.placeholder-count")
    on_tag, on_number, on_brackets = on("mismatch.tag", "mismatch.tag-added"), on("mismatch.number", "mismatch.number-added"), on("mismatch.brackets")

    source_cardinals, target_cardinals = source_reader.cardinal_words, target_reader.cardinal_words
    compare_words = bool(source_cardinals and target_cardinals)

    def mismatch(view: SegmentView) -> list[Finding] | tuple[()]:
        # A function, not a generator: most segments have no finding, and an empty tuple
        # costs less than a generator made, run and finished for each.
        source = view.source
        if source is None or not source or source.isspace():  # isspace: no copy
            return ()
        target = view.target
        if not target or target.isspace():
            if on_empty:
                return [("mismatch.empty", "source", 0, len(source), "No translation for this source", None)]
            return ()
        if abs(len(source) - len(target)) <= 16 and _same_text(source, target):
            # en_GB from en: a copy is the translation. Otherwise, unless it is a name.
            if on_identical and not same_language and not _looks_like_a_name(target):
                return [("mismatch.identical", "target", 0, len(target), "Target is the source, untranslated", None)]
            return ()  # every other comparison is moot
        out: list[Finding] = []
        if on_copied and not same_language and _may_copy(view, copy_min, source_only):
            out.extend(_copied(view, copy_min, source_only))
        # The hints test one character before a longer string (memchr's speed, see code_spans).
        if on_url and ((":" in source and "://" in source) or (":" in target and "://" in target)
                       or ("w" in source and "www." in source) or ("w" in target and "www." in target)):
            out.extend(_multiset_diff(
                "mismatch.url", "URL",
                [(_url_key(m.group(), url_langs), m.start(), m.end()) for m in URL.finditer(source)],
                [(_url_key(m.group(), url_langs), m.start(), m.end()) for m in URL.finditer(target)],
                source, target,
            ))
        if on_email and ("@" in source or "@" in target):
            out.extend(_multiset_diff(
                "mismatch.email", "E-mail address",
                [(m.group().lower(), m.start(), m.end()) for m in EMAIL.finditer(source)],
                [(m.group().lower(), m.start(), m.end()) for m in EMAIL.finditer(target)],
                source, target,
            ))
        if on_placeholder or on_count:
            # A side without the hint has no placeholder: French's "50 %," has the hint only
            # in the target, whose placeholders alone are looked for.
            s_hint, t_hint = placeholder_hint(source), placeholder_hint(target)
            if s_hint or t_hint:
                # A plural form used for one number only may leave the count out ("שנה", one
                # year, for "%(num)d year"); "21 хвилина" needs its number.
                plural = view.index in ctx.plurals
                out.extend(_placeholders(source, target, on_placeholder, on_count, plural, s_hint, t_hint))
        if on_tag and ("<" in source or "<" in target):
            out.extend(_tags(source, target))
        if on_dates or on_number:
            # A date is compared as a date (checks/dates.py); its digits are then no numbers.
            # The digit runs also settle, most times, whether either side may hold a date.
            runs = (_digit_key(source), _digit_key(target)) if on_number else None
            found, spans = dates.compare(view, source_dates, target_dates, runs)
            out += found
            if runs is not None:
                s_text, t_text, (s_digits, t_digits) = source, target, runs
                if spans:
                    s_text, t_text = dates.blank(source, spans, 0), dates.blank(target, spans, 1)
                    s_digits, t_digits = _digit_key(s_text), _digit_key(t_text)
                if s_digits != t_digits:  # else the same digits in the same order: nothing can be missing
                    out.extend(_number_findings(
                        s_text, t_text, bool(s_digits), bool(t_digits), source_reader, target_reader, on_brackets
                    ))
        if on_number and compare_words:
            # Numbers in words on both sides ("three weeks" -> "vier Wochen"): one set
            # intersection a side, the target's first (number words are rare in prose).
            t_words = target_cardinals.intersection(view.distinct)
            if t_words:
                s_words = source_cardinals.intersection(view.source_words)
                if s_words:
                    out.extend(_word_numbers(source, target, s_words, source_reader, target_reader))
        if on_brackets and (_has_bracket(source) or _has_bracket(target)):
            out.extend(_brackets(source, target))
        return out

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


def _may_copy(view: SegmentView, min_words: int, source_only: frozenset[str]) -> bool:
    """Whether the target can hold a copied run at all: tested before ``_copied``'s generator
    is made, which most targets never need."""
    t_words = view.words
    if len(t_words) < min_words:
        return False
    if source_only:
        # A copied run of source prose carries the source language's grammatical words
        # ("the", "of", "and"); without two of them there is nothing to look for. One set
        # intersection, before splitting the source into words.
        return len(source_only.intersection(t_words)) >= 2
    source_lower = view.source_lower
    return sum(1 for w in t_words if len(w) > 2 and w in source_lower) >= min(3, min_words)


def _copied(view: SegmentView, min_words: int, source_only: frozenset[str]) -> Iterator[Finding]:
    """The copied run of a target that passed ``_may_copy``."""
    t_words = view.words
    s_words = view.source_words
    if len(s_words) < min_words:
        return
    if len(set(s_words).intersection(t_words)) < min_words:
        return  # not even enough shared words for one copied run
    target = view.target
    # Tags, attributes, URLs and placeholders are copied on purpose: only prose counts.
    text = masked(target) if code_spans(target) else target
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
    t_words = [text[s:e].lower() for s, e in spans]
    source = view.source or ""
    s_words = WORD_RE.findall(masked(source).lower()) if code_spans(source) else s_words
    if len(t_words) < min_words or len(s_words) < min_words:
        return
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
    start, end = spans[start_word][0], spans[end_word - 1][1]
    copied = target[start:end]
    if _looks_like_a_name(copied):
        return
    yield ("mismatch.copied-source", "target", start, end, f"“{copied}” is copied from the source", None)


def _dropped_asides(source: str, target: str) -> list[tuple[int, int]]:
    """Spans of the source's bracketed parts when the target has fewer of them."""
    if not (_has_bracket(source) and len(_groups(source)) > len(_groups(target))):
        return []
    return [m.span() for m in _groups(source)]


def _groups(text: str) -> list[re.Match[str]]:
    # The parentheses of %(name)s and the brackets of [[HH:]MM:]ss are code, not asides.
    text = masked(text, "_") if code_spans(text) else text
    return list(_BRACKET_GROUP.finditer(text.translate(_FULLWIDTH)))


def _glued_digits(text: str, numbers: list[Number]) -> set[str]:
    """Digit runs of ``text`` that are no number of it: inside a word (IPv4, mp3)."""
    text = ascii_digits(text)
    pos = 0
    rest: list[str] = []
    for number in numbers:
        rest.append(text[pos : number.start])
        pos = number.end
    rest.append(text[pos:])
    return {run.lstrip("0") or "0" for run in _digit_runs(" ".join(rest))}


def _number_findings(
    source: str, target: str, s_digits: bool, t_digits: bool,
    source_reader: NumberReader, target_reader: NumberReader, asides: bool = False,
) -> Iterator[Finding]:
    """The numbers of two texts whose digits differ (``s_digits``: whether the source has any)."""
    # Digits inside code (placeholders, URLs, tags, format patterns) are no quantities.
    s_items = source_reader.find(masked(source)) if s_digits else []
    t_items = target_reader.find(masked(target)) if t_digits else []
    missing, extra = unmatched(s_items, t_items)
    # Digits the other side has inside a word are the same number (IPv4 -> आइ.पी.भी४).
    if missing:
        t_glued = _glued_digits(target, t_items)
        missing = [n for n in missing if n.keys[0] not in t_glued]
    if extra:
        s_glued = _glued_digits(source, s_items)
        extra = [n for n in extra if n.keys[0] not in s_glued]
    if missing and asides:
        # A number inside an aside the target dropped whole: mismatch.brackets reports the aside.
        dropped = _dropped_asides(source, target)
        missing = [n for n in missing if not any(s <= n.start and n.end <= e for s, e in dropped)]
    for number in missing:
        # A number the target writes in words (or as a month name, a Chinese numeral).
        if any(target_reader.says(target, key) for key in number.keys):
            continue
        yield (
            "mismatch.number", "source", number.start, number.end,
            f"Number “{source[number.start:number.end]}” of the source is not in the target", None,
        )
    replaced: dict[str, str] | None = None  # what the source says in words and the target lacks
    for number in extra:
        if any(source_reader.says(source, key) for key in number.keys):
            continue
        if replaced is None:
            t_values = _digit_values(target) | set(_spoken(target, target_reader))
            replaced = {v: w for v, w in _spoken(source, source_reader).items() if v not in t_values}
        # A small number only added (none changed or dropped) is often a translator's precision
        # ("2-byte integer", "Thứ 2" for Monday); an added year or amount is an invented figure,
        # and a number for another the source says in words ("three weeks" -> "4 Wochen") a change.
        added = "mismatch.number-added" if not missing and len(number.keys[0]) <= 2 and not replaced else "mismatch.number"
        said = f", which says “{next(iter(replaced.values()))}”" if replaced else ""
        yield (
            added, "target", number.start, number.end,
            f"Number “{target[number.start:number.end]}” is not in the source{said}", None,
        )


def _digit_values(text: str) -> set[str]:
    return {run.lstrip("0") or "0" for run in _digit_runs(ascii_digits(text))}


def _spoken(text: str, reader: NumberReader) -> dict[str, str]:
    """value -> the first cardinal word of ``text`` saying it, but before a unit a translation
    converts ("eight-foot robot")."""
    out: dict[str, str] = {}
    words = WORD_RE.findall(text.lower())
    for i, word in enumerate(words):
        value = reader.cardinals.get(word)
        if value is not None and (i + 1 == len(words) or words[i + 1] not in reader.units):
            out.setdefault(value, word)
    return out


def _word_numbers(
    source: str, target: str, s_words: frozenset[str], source_reader: NumberReader, target_reader: NumberReader,
) -> Iterator[Finding]:
    """A number the source says in words that the target says as another number in words: a
    substitution, not a rewording (each side's digits count as said)."""
    said = _spoken(source, source_reader)
    instead = _spoken(target, target_reader)
    missing = set(said) - set(instead) - _digit_values(target)
    added = set(instead) - {source_reader.cardinals[w] for w in s_words} - _digit_values(source)
    if not missing or not added:
        return
    for value in sorted(missing, key=int):
        m = re.search(rf"(?<!\w){re.escape(said[value])}(?!\w)", source, re.IGNORECASE)
        if m is None:
            continue
        other = ", ".join(f"“{instead[v]}”" for v in sorted(added, key=int))
        yield (
            "mismatch.number", "source", m.start(), m.end(),
            f"Number “{m.group()}” ({value}) of the source is not in the target, which says {other}", None,
        )


def _is_gloss(group: str, source_lower: str) -> bool:
    """A parenthesis a translator adds to gloss a word: one word, or words of the source
    ("Portugais (Brésil)", "URL (نشانی)", "(False)")."""
    words = _IDENT_WORD.findall(group)
    return len(words) <= 1 or all(w.lower() in source_lower for w in words)


def _brackets(source: str, target: str) -> Iterator[Finding]:
    s_groups = _groups(source)
    t_groups = _groups(target)
    if len(s_groups) == len(t_groups):
        return
    if len(s_groups) > len(t_groups):
        m = s_groups[len(t_groups)]
        yield (
            "mismatch.brackets", "source", m.start(), m.end(),
            f"The source has {len(s_groups)} bracketed part(s), the target {len(t_groups)}: is “{source[m.start():m.end()]}” translated?",
            None,
        )
        return
    source_lower = source.lower()
    added = [m for m in t_groups if not _is_gloss(m.group()[1:-1], source_lower)]
    if len(t_groups) - len(s_groups) > len(t_groups) - len(added):
        m = added[0] if added else t_groups[len(s_groups)]
        yield (
            "mismatch.brackets", "target", m.start(), m.end(),
            f"The target has {len(t_groups)} bracketed part(s), the source {len(s_groups)}: is “{target[m.start():m.end()]}” in the source?",
            None,
        )
