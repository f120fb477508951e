"""Typography of the target: language rules from ``data/<lang>/typography.toml`` (French spaces,
guillemets, ellipsis, dashes, the language's pairs of quotation marks, Spanish ¿ and ¡, Chinese
and Japanese full-width punctuation and unspaced text) and language-independent ones (white
space, repeated words, unbalanced brackets and quotes)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator

from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView
from relecture.checks.code import code_spans, in_code, masked
from relecture.checks.langdata import str_list
from relecture.gated import ScriptPattern

FAMILY = "typography"
NBSP = "\u00a0"
NNBSP = "\u202f"

INFOS = [
    CheckInfo(
        id="typography.fr-nbsp",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="French: no non-breaking space before : ; ! ?",
        explanation=(
            "French puts a non-breaking space before the colon (U+00A0) and a narrow non-breaking "
            "space before ; ! ? (U+202F, or U+00A0). Without it, or with an ordinary space, the "
            "mark is glued to the word or can wrap alone to the next line."
        ),
        fix="insert a non-breaking space before the mark",
    ),
    CheckInfo(
        id="typography.fr-guillemets",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="French: no non-breaking space inside « »",
        explanation=(
            "French guillemets take a non-breaking space inside: « texte ». An ordinary space "
            "lets the guillemet wrap alone to another line; no space at all is a typo."
        ),
    ),
    CheckInfo(
        id="typography.straight-quotes",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="Straight double quotes \"…\" instead of the language's quotation marks (« … » in French, „…“ in German, “…” in Chinese)",
        explanation=(
            "Typewriter quotes are not used in edited text of this language: quotations and "
            "titles take its own marks (« guillemets » with non-breaking spaces in French, "
            "„…“ in German, 「…」 in Japanese). LLMs copy the straight quotes of their training "
            "data; replace them."
        ),
        fix="« … »",
    ),
    CheckInfo(
        id="typography.quotes",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="Quotation marks of another language (“…” in German, „…“ in Polish, «…» in Chinese)",
        explanation=(
            "Each language pairs its quotation marks its own way: German „…“ or »…« (Swiss "
            "«…»), Polish „…”, Russian «…» and „…“, Chinese “…” or 「…」, Japanese 「…」. An LLM "
            "often keeps the English “…” of its training data. Use the target language's pair."
        ),
    ),
    CheckInfo(
        id="typography.inverted-marks",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="Spanish: question or exclamation without its opening ¿ or ¡",
        explanation=(
            "Spanish opens a question with ¿ and an exclamation with ¡, where the question or "
            "exclamation starts (which may be mid-sentence: «Si no vienes, ¿qué hago?»). "
            "Machine output often drops the opening mark."
        ),
    ),
    CheckInfo(
        id="typography.fullwidth",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="Chinese/Japanese: half-width punctuation (, . ? ! : ;) after a CJK character",
        explanation=(
            "Chinese and Japanese text takes full-width punctuation (，。？！：； in Chinese, "
            "、。 in Japanese). An ASCII comma or period after a Chinese character is a "
            "machine-translation or copy-paste artefact."
        ),
    ),
    CheckInfo(
        id="typography.cjk-space",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="Chinese/Japanese: space between two CJK characters",
        explanation=(
            "Chinese and Japanese write no space between words. A space between two Chinese "
            "characters or kana is left over from a word-by-word rendering or from a line "
            "break joined badly; delete it."
        ),
        fix="",
    ),
    CheckInfo(
        id="typography.dash",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="Hyphen used as a dash (word - word)",
        explanation=(
            "A hyphen between spaces stands in for a dash. Use an en dash (–) or, in French, an "
            "em dash (—) for an aside or an apposition, as in « l'ancien concept divin — Sora »."
        ),
        fix="–",
    ),
    CheckInfo(
        id="typography.ellipsis",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="Three dots ... instead of the ellipsis character …",
        explanation="French typography uses the single ellipsis character (…), which does not break across lines.",
        fix="…",
    ),
    CheckInfo(
        id="typography.whitespace",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="Double space, space before a comma or period, missing space after a comma, stray leading/trailing space",
        explanation=(
            "Stray white space is invisible in most editors but shows in print and breaks "
            "matching against translation memories. Remove it (or add the missing space)."
        ),
    ),
    CheckInfo(
        id="typography.repeated-word",
        family=FAMILY,
        category="Fluency/Grammar",
        severity="minor",
        description="Same word twice in a row (\"le le\"), except legitimate pairs (\"nous nous\")",
        explanation=(
            "A word is repeated back to back. Legitimate pairs of the language (\"nous nous\", "
            "\"vous vous\", \"had had\") are ignored; add your own to "
            "[checks.data.<lang>.repeated_word] ok = [...]."
        ),
        fix="delete the repeated word",
    ),
    CheckInfo(
        id="typography.unbalanced",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="Unbalanced brackets or quotation marks",
        explanation=(
            "An opening bracket or quotation mark has no closing one, or the reverse. Often a "
            "sign that part of the sentence was lost or split across segments: check the source."
        ),
    ),
]

# A run of marks not after a (narrow) no-break space: French texts put one before most of theirs.
# (The look-behind after the first mark: a pattern that opens on a class is scanned for fast.)
_MARKS = re.compile(r"[;:!?](?<![\u00a0\u202f;:!?][;:!?])[;:!?]*")
_CLOSING_BEFORE_MARK = frozenset("»\")]’'%…_")
_GUILLEMET_OPEN = re.compile(r"«(?P<space>[ \t]*)(?=\S)")
_GUILLEMET_CLOSE = re.compile(r"(?<=\S)(?P<space>[ \t]*)»")
_STRAIGHT_PAIR = re.compile(r"\"([^\"\n]*)\"")
_DASH = re.compile(r"(?<=\S) - (?=\S)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_SPACE_BEFORE = re.compile(r"(?<=\w)[ \u00a0]+(?=[,.](?!\d|\.))")
_SPACED_PAIR = re.compile(r" [ ,.]")  # what "  ", " ," and " ." share: a space and one of three
_NO_SPACE_AFTER_COMMA = re.compile(r",(?=[^\W\d_])")
# Word characters with the combining marks of Indic and South-East Asian scripts: "ठीक कर" is
# two words, not "क" twice.
_W = r"[\w\u0300-\u036f\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"
_MARKED = ScriptPattern.of_class("\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff")
# Possessive: a word and the white space after it never give back a character (\s is no _W).
_REPEATED = re.compile(rf"(?<!{_W})({_W}++)(\s++)(\1)(?!{_W})", re.IGNORECASE)
_ENUMERATION = re.compile(r"(?:^|(?<=\s))[a-zA-Z0-9]{1,2}\)")
_PAIRS = {")": "(", "]": "[", "）": "（", "】": "【", "」": "「", "』": "『"}
_OPENERS = "([（【「『"
_BRACKETS_AND_QUOTES = "()[]«»“”„（）【】「」『』"
_BRACKET_OR_QUOTE = re.compile(f"[{re.escape(_BRACKETS_AND_QUOTES)}]")
_BRACKET = re.compile("[" + re.escape(_OPENERS + "".join(_PAIRS)) + "]")


def _signs() -> Callable[[str], re.Match[str] | None]:
    """``search`` for a bracket or quotation mark (_BRACKETS_AND_QUOTES: the language's marks
    are among them) or a character from U+0900 on outside the punctuation and symbols of Latin
    texts (U+2000-U+22FF; _MARKED's scripts are beyond): one scan of a text tells whether those
    three tests can find anything (most texts hold none of these)."""
    cuts = sorted(map(ord, _BRACKETS_AND_QUOTES))
    plain: list[tuple[int, int]] = []
    for low, high in ((0x0000, 0x08FF), (0x2000, 0x22FF)):
        for cut in (c for c in cuts if low <= c <= high):
            if low < cut:
                plain.append((low, cut - 1))
            low = cut + 1
        if low <= high:
            plain.append((low, high))
    return re.compile("[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in plain) + "]").search


_SIGNS = _signs()


def build(ctx: Context) -> Family:
    family = Family()
    data = ctx.data(ctx.target_lang)
    nbsp_marks = str(data.get("nbsp_before", "")) if ctx.on("typography.fr-nbsp") else ""
    guillemets = bool(data.get("guillemets")) and ctx.on("typography.fr-guillemets")
    straight = bool(data.get("straight_quotes")) and ctx.on("typography.straight-quotes")
    dash = bool(data.get("dash")) and ctx.on("typography.dash")
    ellipsis = bool(data.get("ellipsis")) and ctx.on("typography.ellipsis")
    whitespace = ctx.on("typography.whitespace")
    repeated = ctx.on("typography.repeated-word")
    unbalanced = ctx.on("typography.unbalanced")
    repeat_ok: set[str] = set()
    table = ctx.data(ctx.target_lang).get("repeated_word", {})
    if isinstance(table, dict):
        repeat_ok = {" ".join(p.lower().split()) for p in str_list(table, "ok", "repeated_word.ok")}
    quote_open = str(data.get("quote_open", "«" + NBSP))
    quote_close = str(data.get("quote_close", NBSP + "»"))
    dash_fix = str(data.get("dash_fix", " – "))
    # The language's own pairs of quotation marks (opening + closing character).
    quote_pairs = (
        frozenset(p for p in str_list(data, "quotes", f"{ctx.target_lang}/typography.toml quotes") if len(p) == 2)
        if ctx.on("typography.quotes")
        else frozenset()
    )
    first_pair = next(iter(str_list(data, "quotes")), "") if quote_pairs else ""
    inverted = bool(data.get("inverted_marks")) and ctx.on("typography.inverted-marks")
    fullwidth_table = data.get("fullwidth", {}) if ctx.on("typography.fullwidth") else {}
    fullwidth = {str(k): str(v) for k, v in fullwidth_table.items()} if isinstance(fullwidth_table, dict) else {}
    fullwidth_re = (
        # In a CJK context only: the mark is followed by a CJK character (after spaces or not),
        # a closing bracket or quote, or the end; before Latin text or a placeholder, a
        # half-width mark is a tolerated style of mixed text.
        re.compile(rf"(?<={_CJK})([{re.escape(''.join(fullwidth))}])(?=\s*(?:{_CJK}|$)|[)）」』”’\]])")
        if fullwidth
        else None
    )
    cjk_space = bool(data.get("no_spaces")) and ctx.on("typography.cjk-space")

    # The language's marks that a text without _SIGNS may hold.
    marks_always = inverted or fullwidth_re is not None or cjk_space
    read_signs = repeated or unbalanced or bool(quote_pairs)  # the tests _SIGNS settles

    def typography(view: SegmentView) -> list[Finding]:
        # A list, not a generator: most texts get no finding, and a chain of three generators
        # costs as much as several of the tests.
        found: list[Finding] = []
        # Code follows no typography: placeholders, tags, URLs, format patterns ([[HH:]MM:]ss),
        # header literals (Referrer-Policy: no-referrer), option lists (oui,non,peut-être).
        text = view.target
        signs = read_signs and _SIGNS(text) is not None
        if not code_spans(text):
            rules(view, text, text, signs, found)
        else:
            rules(view, text, masked(text, "_"), signs, found)
            found = [finding for finding in found if not in_code(text, finding[2], finding[3])]
        # The language's marks, on the whole text (code or not).
        if marks_always or (signs and quote_pairs):
            _language_marks(view, signs, quote_pairs, first_pair, inverted, fullwidth_re, fullwidth, cjk_space, found)
        return found

    def rules(view: SegmentView, text: str, code: str, signs: bool, found: list[Finding]) -> None:
        """Appends the findings on ``text`` to ``found``; ``code`` is the text with its code
        masked; ``signs``: the text holds one of _SIGNS."""
        # _MARKS's four marks (a memchr each), then one not after a no-break space: the only
        # texts _nbsp can flag.
        if nbsp_marks and (":" in text or ";" in text or "!" in text or "?" in text) and _unspaced_mark(text, nbsp_marks):
            found.extend(_nbsp(text, nbsp_marks))
        if guillemets and ("«" in text or "»" in text):
            # The patterns cannot match across a (narrow) non-breaking space: every match is a flag.
            for m in _GUILLEMET_OPEN.finditer(text):
                found.append((
                    "typography.fr-guillemets", "target", m.start(), m.end(),
                    "“«” needs a non-breaking space after it", "«" + NBSP,
                ))
            # From the spaces before the first "»": the pattern, opening on a look-behind, is
            # tried at every position it is given (the look-behind still sees the character before).
            close = text.find("»")
            while close > 0 and text[close - 1] in " \t":
                close -= 1
            for m in _GUILLEMET_CLOSE.finditer(text, close) if close >= 0 else ():
                found.append((
                    "typography.fr-guillemets", "target", m.start(), m.end(),
                    "“»” needs a non-breaking space before it", NBSP + "»",
                ))
        if '"' in code and (straight or unbalanced):
            paired_end = 0
            for m in _STRAIGHT_PAIR.finditer(code):
                paired_end = m.end()
                if straight:
                    inner = text[m.start(1) : m.end(1)]
                    if view.source is not None and f'"{inner}"' in view.source:
                        continue  # the source quotes the same text the same way (code, a literal)
                    found.append((
                        "typography.straight-quotes", "target", m.start(), m.end(),
                        f"Straight quotes around “{inner}”", quote_open + inner.strip() + quote_close,
                    ))
            if unbalanced and code.count('"') % 2:
                lone = code.find('"', paired_end)
                if lone >= 0:
                    found.append(("typography.unbalanced", "target", lone, lone + 1, "Straight quote “\"” without its pair", None))
        if dash and "-" in text and " - " in text:  # the hyphen alone: a memchr
            for m in _DASH.finditer(text):
                before, after = text[m.start() - 1], text[m.end()]
                if before.isdigit() and after.isdigit():
                    continue  # a minus sign
                if _PLACEHOLDER_END.search(text, 0, m.start()) or _PLACEHOLDER_START.match(text, m.end()):
                    continue  # a separator between the values of a template ("%(a)s - %(b)s")
                found.append((
                    "typography.dash", "target", m.start(), m.end(),
                    f"Hyphen used as a dash: “{_around(text, m.start(), m.end())}”", dash_fix,
                ))
        if ellipsis and "..." in text:
            for m in _ELLIPSIS.finditer(text):
                found.append(("typography.ellipsis", "target", m.start(), m.end(), "Three dots instead of “…”", "…"))
        if whitespace:
            _whitespace(text, view.source, found)
        if repeated:
            words = view.words
            # Any word twice (not only back to back): \w splits Indic words at their vowel signs.
            if any(map(operator.eq, words, words[1:])) or (signs and _MARKED.search(text)):
                for m in _REPEATED.finditer(code):
                    pair = f"{m.group(1).lower()} {m.group(3).lower()}"
                    if pair in repeat_ok or m.group(1).isdigit() or "\n" in m.group(2):
                        continue
                    found.append((
                        "typography.repeated-word", "target", m.start(), m.end(),
                        f"“{m.group(1)}” twice in a row", m.group(1),
                    ))
        if unbalanced and signs:
            first = _BRACKET_OR_QUOTE.search(code)
            if first is not None:
                found.extend(_unbalanced(code, first.start()))

    family.segment_fns.append(typography)
    return family


_PLACEHOLDER_END = re.compile(r"(?:%\([^()\s]*\)[a-z]|%[sd]|\{[^{}\s]*\})$")
_PLACEHOLDER_START = re.compile(r"%\(|%[sd]|\{[\w.]*\}")
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = f"[{_CJK_CHARS}]"
_QUOTE_CHAR = re.compile("[„“”«»「『]")
# An opening mark, the quoted text (no other quotation mark, one line), a closing mark.
# (Possessive: the quoted text cannot hold a closing mark, so the first mark after it is the one.)
_QUOTE_PAIR = re.compile(r"([„“”«»「『])([^„“”«»「」『』\n]{1,300}+)([“”«»」』])")
_CJK_SPACE = ScriptPattern(rf"(?<={_CJK})[ \u00a0]+(?={_CJK})", _CJK_CHARS)
_INVERTED = {"?": "¿", "!": "¡"}
_CLOSERS = "\"'»”’)]"


def _language_marks(
    view: SegmentView,
    signs: bool,
    quote_pairs: frozenset[str],
    first_pair: str,
    inverted: bool,
    fullwidth_re: re.Pattern[str] | None,
    fullwidth: dict[str, str],
    cjk_space: bool,
    found: list[Finding],
) -> None:
    """Appends the findings on the target language's own marks to ``found``: its pairs of
    quotation marks, Spanish ¿ and ¡, full-width punctuation and no spaces in Chinese and
    Japanese. ``signs``: as in ``rules``."""
    text = view.target
    first = _QUOTE_CHAR.search(text) if quote_pairs and signs else None
    if first is not None:
        # From the first mark: a pair opens with one (the pattern has no look-behind).
        for m in _QUOTE_PAIR.finditer(text, first.start()):
            pair = m.group(1) + m.group(3)
            if pair not in quote_pairs:
                found.append((
                    "typography.quotes", "target", m.start(), m.end(),
                    f"{pair[0]}…{pair[1]} are not this language's quotation marks (it writes {first_pair[0]}…{first_pair[1]})",
                    first_pair[0] + m.group(2) + first_pair[1],
                ))
    if inverted and ("?" in text or "!" in text):
        found.extend(_inverted(text))
    if fullwidth_re is not None:
        for m in fullwidth_re.finditer(text):
            mark = m.group(1)
            if m.end() < len(text) and not text[m.end()].isspace() and _separates(view.source, mark):
                continue  # "是,否,也许" for "yes,no,maybe": a separator software splits on
            found.append((
                "typography.fullwidth", "target", m.start(), m.end(),
                f"Half-width “{mark}” after a CJK character: use “{fullwidth[mark]}”", fullwidth[mark],
            ))
    if cjk_space and (" " in text or "\u00a0" in text):
        for m in _CJK_SPACE.finditer(text):
            found.append(("typography.cjk-space", "target", m.start(), m.end(), "Space between two CJK characters", ""))


def _separates(source: str | None, mark: str) -> bool:
    """Whether the source uses ``mark`` glued to the next character, as a separator of data
    rather than as punctuation of prose."""
    if not source or mark not in source:
        return False
    pos = source.find(mark)
    while pos >= 0:
        if pos + 1 < len(source) and not source[pos + 1].isspace():
            return True
        pos = source.find(mark, pos + 1)
    return False


def _inverted(text: str) -> Iterator[Finding]:
    """Closing ? and ! without the opening ¿ and ¡ since the sentence began."""
    opened = {"?": 0, "!": 0}
    for i, ch in enumerate(text):
        if ch in "¿¡":
            opened["?" if ch == "¿" else "!"] += 1
        elif ch in "?!":
            if opened[ch]:
                opened[ch] -= 1
                continue
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if not (before.isalnum() or before in _CLOSERS) or (after and (after.isalnum() or after in "=&/")):
                continue  # ?! pairs, (?) and (!) of doubt, a list of marks, query strings, code
            start = i
            while start and text[start - 1] not in ".?!…\n:;" and not (
                text[start - 1] in "\"«“" and start >= 2 and text[start - 2] in " \n"
            ):
                start -= 1
            while start < i and text[start].isspace():
                start += 1
            yield (
                "typography.inverted-marks", "target", start, i + 1,
                f"“{ch}” without its opening “{_INVERTED[ch]}”", _INVERTED[ch] + text[start : i + 1],
            )
        elif ch == "\n" or (ch == "." and (i + 1 == len(text) or text[i + 1].isspace())):
            opened = {"?": 0, "!": 0}


def _around(text: str, start: int, end: int) -> str:
    """The span with the word on each side of it."""
    left = text.rfind(" ", 0, max(0, start - 1)) + 1
    right = text.find(" ", end + 1)
    return text[left : right if right >= 0 else len(text)]


_SHORTCODE_BEFORE = re.compile(r"(?:^|(?<=\s)):[a-z0-9_+-]+$")


# What a mark may follow without a flag: _MARKS's look-behind.
_NBSP_OR_MARK = "\u00a0\u202f;:!?"


def _unspaced_mark(text: str, marks: str) -> bool:
    """Whether one of ``marks`` is where _MARKS finds a run (at the start or after anything but
    a (narrow) no-break space or a mark): the only texts _nbsp can flag. A test and a find per
    mark cost half of the regex's scan of every character (most texts hold none of the marks
    or have them all after a no-break space)."""
    for mark in marks:
        if mark in text:
            pos = text.find(mark)
            while pos >= 0:
                if not pos or text[pos - 1] not in _NBSP_OR_MARK:
                    return True
                pos = text.find(mark, pos + 1)
    return False


def _nbsp(text: str, marks: str) -> Iterator[Finding]:
    for m in _MARKS.finditer(text):
        mark = m.group()
        first = mark[0]
        if first not in marks:
            continue
        pos = m.start()
        if not pos:
            continue
        before = text[pos - 1]
        after = text[m.end() : m.end() + 2]
        if first == ":" and (after.startswith("//") or after[:1].isalnum() or after[:1] == "_"):
            # Not a punctuation colon (one is followed by a space): URL scheme, time (10:30),
            # ratio (16:9), cell range (A1:A2), shortcode (:smile:), key:value.
            continue
        if first == ":" and _SHORTCODE_BEFORE.search(text, max(0, pos - 40), pos):
            continue  # the closing colon of an emoji shortcode (:smile:)
        if first in ":;" and after and after[0] in ")(-DPp" and not after[1:2].isalnum():
            continue  # emoticon
        want = (NBSP if first == ":" else NNBSP) + first
        if before in " \t":
            start = pos - 1
            while start and text[start - 1] in " \t":
                start -= 1
            if not start or text[start - 1] == "\n":
                continue  # the mark opens a line
            yield ("typography.fr-nbsp", "target", start, pos + 1, f"Ordinary space before “{first}”: use a non-breaking space", want)
        elif before.isalnum() or before in _CLOSING_BEFORE_MARK:
            yield ("typography.fr-nbsp", "target", pos, pos + 1, f"No space before “{first}”: French puts a non-breaking space there", want)


def _whitespace(text: str, source: str | None, found: list[Finding]) -> None:
    """Appends the white-space findings on ``text`` to ``found``."""
    # Each pair below is a scan of the text: those with a no-break space only when it has one.
    nbsp = NBSP in text
    # One scan for the three pairs with an ordinary space first (next to no text holds one).
    spaced = _SPACED_PAIR.search(text) is not None
    if (spaced and "  " in text) or (nbsp and ("\u00a0 " in text or " \u00a0" in text)):
        for m in _DOUBLE_SPACE.finditer(text):
            if source is not None and m.group() in source:
                continue
            found.append(("typography.whitespace", "target", m.start(), m.end(), "Double space", " "))
    if (spaced and (" ," in text or " ." in text)) or (nbsp and ("\u00a0," in text or "\u00a0." in text)):
        for m in _SPACE_BEFORE.finditer(text):
            mark = text[m.end()]
            found.append(("typography.whitespace", "target", m.start(), m.end() + 1, f"Space before “{mark}”", mark))
    # search first: most texts hold a comma, next to none one before a letter (a finditer costs more).
    if "," in text and _NO_SPACE_AFTER_COMMA.search(text):
        for m in _NO_SPACE_AFTER_COMMA.finditer(text):
            if not m.start() or not text[m.start() - 1].isalpha():
                continue
            found.append(("typography.whitespace", "target", m.start(), m.end(), "No space after the comma", ", "))
    # One strip for both ends (it copies nothing when there is nothing to strip).
    if source is not None and len(text.strip()) != len(text):
        lead = len(text) - len(text.lstrip()) if text[0].isspace() else 0
        if lead and len(source) - len(source.lstrip()) != lead:
            found.append(("typography.whitespace", "target", 0, lead, "Leading white space the source does not have", ""))
        trail = len(text) - len(text.rstrip()) if text[-1].isspace() else 0
        if trail and len(source) - len(source.rstrip()) != trail:
            found.append(("typography.whitespace", "target", len(text) - trail, len(text), "Trailing white space the source does not have", ""))


_QUOTES = (("«", "»"), ("“", "”"))
_LOW_NINE_QUOTES = (("«", "»"), ("„", "“”"))


def _unbalanced(text: str, first: int) -> Iterator[Finding]:
    """``first``: the position of the first bracket or quotation mark."""
    stack: list[int] = []
    enumerations = {m.end() - 1 for m in _ENUMERATION.finditer(text)} if ")" in text else set()
    # The brackets only, not every character: most texts that get here hold quotation marks only.
    for m in _BRACKET.finditer(text, first):
        i, ch = m.start(), m.group()
        if ch in _OPENERS:
            stack.append(i)
        elif i in enumerations:
            continue
        elif stack and text[stack[-1]] == _PAIRS[ch]:
            stack.pop()
        else:
            yield ("typography.unbalanced", "target", i, i + 1, f"“{ch}” closes nothing", None)
    for i in stack:
        yield ("typography.unbalanced", "target", i, i + 1, f"“{text[i]}” is never closed", None)
    # „…“ (German, Czech…) and „…” (Polish, Hungarian…) close with the quote that opens English
    # text: with a low-9 quote in the text, “ and ” both close it.
    quotes = _LOW_NINE_QUOTES if "„" in text else _QUOTES
    for opening, closings in quotes:
        if text.count(opening) != sum(map(text.count, closings)):
            depth = 0
            for i, ch in enumerate(text):
                if ch == opening:
                    depth += 1
                elif ch in closings:
                    if depth == 0:
                        yield ("typography.unbalanced", "target", i, i + 1, f"“{ch}” closes nothing", None)
                    else:
                        depth -= 1
            if depth > 0:
                i = text.rfind(opening)
                yield ("typography.unbalanced", "target", i, i + 1, f"“{opening}” is never closed", None)
