"""Target language: a segment in the wrong language, or letters of another script inside it.

langdetect costs milliseconds a sentence, far too slow for whole corpora, and is unreliable on
short text. So identification is layered, cheapest first:

1. script (``relecture.scripts``: the scripts of every language, after CLDR): a segment written
   mostly in letters of another script than its language's is in the wrong language, no
   statistics needed; a few such letters are mixed scripts;
2. function words (``data/<lang>/language.toml``): the set of distinct frequent grammatical words
   of each language found in the segment; clear evidence for the target language ends the check,
   clear evidence for another language flags it;
3. only the uncertain remainder (few function words, mixed evidence) goes to langdetect, seeded,
   with a per-text cache (a corpus repeats itself), and only when langdetect has a profile of
   the target language and the segment is long enough for statistics (a short UI string,
   "Booleano (Verdadero o Falso)", reads as Portuguese as well as Spanish).

Code (placeholders, tags, URLs: ``relecture.checks.code``) is masked first: ``%(from)s`` is not
an English word.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from relecture.checks.base import WORD_RE, CheckInfo, Context, Family, Finding, SegmentView
from relecture.checks.code import code_spans, masked
from relecture.checks.langdata import base_lang, word_set
from relecture.gated import ScriptPattern
from relecture.langid import langdetect_languages
from relecture.scripts import foreign_pattern, language_scripts
from relecture.scripts import script_name as _script_name

FAMILY = "language"

# The [checks] settings this family reads (any other key there is an error).
SETTINGS = ("language_min_letters", "language_min_words", "language_min_probability")

INFOS = [
    CheckInfo(
        id="language.wrong",
        family=FAMILY,
        category="Accuracy/Untranslated",
        severity="major",
        description="Segment not in the target language",
        explanation=(
            "This segment reads as another language than the document's target language: it was "
            "left untranslated, or the model switched language. Translate it, unless it is a "
            "quotation or a title meant to stay in the original."
        ),
    ),
    CheckInfo(
        id="language.mixed-script",
        family=FAMILY,
        category="Accuracy/Source language fragment",
        severity="minor",  # a name, a symbol or a unit is written in its own script too
        description="Characters of another script inside the segment (CJK, Cyrillic… in French)",
        explanation=(
            "Letters or punctuation of another writing system appear in the segment, typically "
            "source words the model failed to translate (Chinese characters, Cyrillic), or "
            "full-width punctuation copied from a Chinese source. Translate or transliterate them."
        ),
    ),
]

LANGUAGE_NAMES = {
    "fr": "French", "en": "English", "es": "Spanish", "de": "German", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
    "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "he": "Hebrew", "el": "Greek",
    "hi": "Hindi", "th": "Thai", "pl": "Polish", "sv": "Swedish", "da": "Danish",
    "no": "Norwegian", "fi": "Finnish", "tr": "Turkish", "ca": "Catalan", "ro": "Romanian",
    "cs": "Czech", "hu": "Hungarian", "vi": "Vietnamese", "id": "Indonesian",
}

# Scripts written without spaces between words: a run of them can be a whole sentence.
_GLUED_SCRIPT = ScriptPattern.of_class("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff")


def script_name(text: str) -> str:
    return _script_name(text)


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "?")


@lru_cache(maxsize=65536)
def langdetect_best(text: str, target: str | None = None, min_prob: float | None = None) -> tuple[str, float] | None:
    """langdetect's best guess (seeded, cached by text): (base language code, probability).
    With ``target`` and ``min_prob``, None as soon as no language but ``target`` can reach
    ``min_prob``: langdetect stops after its first trials (a seventh of the time) on a text it
    reads as the target's, as most it is asked about are, and nothing would be flagged."""
    from langdetect.lang_detect_exception import LangDetectException

    from relecture.langprofiles import detect_langs

    among = _other_languages(target) if target is not None and min_prob is not None else ()
    try:
        guesses = detect_langs(text, min_prob, among)
    except LangDetectException:
        return None
    if not guesses:
        return None
    best = guesses[0]
    return base_lang(best.lang) or best.lang, best.prob


@lru_cache(maxsize=8)
def _other_languages(target: str) -> frozenset[str]:
    """langdetect's languages whose base language is not ``target`` (zh-cn and zh-tw are zh)."""
    from relecture.langprofiles import profiles

    return frozenset(lang for lang in profiles().langlist if (base_lang(lang) or lang) != target)


class LanguageEvidence:
    """Function-word evidence for every language that has data; shared by the engine's guess."""

    def __init__(self, ctx: Context) -> None:
        self.sets: dict[str, frozenset[str]] = {}
        for lang in ctx.all_languages():
            words = word_set(ctx.data_keys(lang, "function_words"))
            if words:
                self.sets[lang] = words

    def counts(self, words: list[str]) -> dict[str, int]:
        distinct = set(words)
        return {lang: len(distinct & fw) for lang, fw in self.sets.items()}

    def guess(self, words: list[str]) -> str | None:
        counts = self.counts(words)
        if not counts:
            return None
        best = max(counts, key=lambda k: counts[k])
        ranked = sorted(counts.values(), reverse=True)
        if ranked[0] >= 3 and (len(ranked) < 2 or ranked[0] >= 2 * ranked[1]):
            return best
        return None


def build(ctx: Context) -> Family:
    family = Family()
    wrong_on = ctx.on("language.wrong")
    mixed_on = ctx.on("language.mixed-script")
    target = ctx.target_lang
    if target is None or not (wrong_on or mixed_on):
        return family
    scripts = language_scripts(target)
    foreign = foreign_pattern(scripts)
    evidence = LanguageEvidence(ctx)
    # One-letter words ("s" of "how-to's", "t" of "don't") are evidence for nothing.
    sets = {lang: frozenset(w for w in fw if len(w) > 1) for lang, fw in evidence.sets.items()}
    target_words = sets.get(target, frozenset())
    others = [(lang, fw) for lang, fw in sets.items() if lang != target]
    # Which other languages each function word belongs to: a segment's counts for all of them
    # from its few function words, instead of one set intersection per language.
    langs_of: dict[str, list[int]] = {}
    for i, (_, fw) in enumerate(others):
        for w in fw:
            langs_of.setdefault(w, []).append(i)
    other_words = frozenset(langs_of)
    other_names = [lang for lang, _ in others]
    # Statistics need text: below this many letters (code masked) langdetect is not asked.
    min_letters = int(ctx.settings.get("language_min_letters", 40))
    min_words = int(ctx.settings.get("language_min_words", 6))
    min_prob = float(ctx.settings.get("language_min_probability", 0.9))
    detectable = target in langdetect_languages()
    source_lang = ctx.source_lang
    # What every segment would test again: no word check at all, a source in the target language.
    words_off = not wrong_on or not target_words
    same_lang = source_lang == target

    def language(view: SegmentView) -> Iterator[Finding]:
        text = view.target
        has_code = bool(code_spans(text))
        prose = masked(text) if has_code else text
        # A search first: nearly every text holds no foreign letter, and it costs half the list.
        if foreign is not None and not text.isascii() and foreign.search(prose) is not None:
            runs = list(foreign.finditer(prose))
            if runs:
                n_foreign = sum(len(m.group()) for m in runs)
                letters = sum(1 for ch in prose if ch.isalpha()) or 1
                # One word of another script is a name (an endonym: Русский, 日本語), not a
                # translation in another language: that takes two words, or a sentence of a
                # script written without spaces.
                sentence = len(runs) > 1 or len(runs[0].group().split()) > 1 or (
                    n_foreign >= 8 and _GLUED_SCRIPT.match(runs[0].group()) is not None
                )
                if n_foreign * 2 > letters and wrong_on and sentence:
                    yield (
                        "language.wrong", "target", 0, len(text),
                        f"Written in {script_name(prose)}, not {language_name(target)}", None,
                    )
                    return
                if mixed_on:
                    for m in runs:
                        run = m.group()
                        name = script_name(run)
                        if len(run) < 2 and name == "Greek":
                            continue  # a single Greek letter is a symbol (α, π, Ω)
                        if view.source is not None and run in view.source and name == "CJK punctuation":
                            continue
                        yield (
                            "language.mixed-script", "target", m.start(), m.end(),
                            f"{name} characters “{run}” in a {language_name(target)} segment", None,
                        )
        if words_off or (same_lang and view.source is not None):
            return
        words = WORD_RE.findall(prose.lower()) if has_code else view.words
        if len(words) < 3:
            return
        distinct = set(words) if has_code else view.distinct
        t = len(distinct & target_words)
        if t >= 4 and t * 4 >= len(distinct):
            return  # plenty of the target language's function words: no need to compare
        best_lang, best = None, 0
        shared = other_words.intersection(distinct)
        if t >= 2 and t >= len(shared):
            return  # clearly the target language: no other language counts more than ``shared``
        if shared:
            counts = [0] * len(other_names)
            for w in shared:
                for i in langs_of[w]:
                    counts[i] += 1
            best = max(counts)
            best_lang = other_names[counts.index(best)]  # the first with the most, as before
        if t >= 2 and t >= best:
            return  # clearly the target language
        if best >= 3 and t * 3 <= best:
            yield (
                "language.wrong", "target", 0, len(text),
                f"Reads as {language_name(best_lang)}, not {language_name(target)} "
                f"({best} {language_name(best_lang)} function words, {t} {language_name(target)})",
                None,
            )
            return
        if not detectable or len(words) < min_words or (t >= 3 and best <= t):
            return
        if sum(len(w) for w in words) < min_letters:
            return
        guess = langdetect_best(" ".join(prose.split()), target, min_prob)
        if guess is None:
            return
        lang, prob = guess
        if lang != target and prob >= min_prob and (t <= 1 or lang == best_lang):
            yield (
                "language.wrong", "target", 0, len(text),
                f"Reads as {language_name(lang)} (p={prob:.2f}), not {language_name(target)}", None,
            )

    family.segment_fns.append(language)
    if wrong_on and detectable and target_words:
        family.prepare_fns.append(_load_profiles)
    return family


def _load_profiles(texts: int) -> None:
    """langdetect's profiles (~0.4 s), loaded before the workers fork rather than by each worker
    at its first uncertain segment: a large document nearly always has such a segment."""
    from relecture.langprofiles import profiles

    profiles()
