"""Answered, not translated: a source question or instruction whose target is a statement.

An LLM asked to translate "你认为Sora什么时候会正式发布？" may answer it ("Sora devrait être
officiellement lancé à la fin de l'année."); asked to translate "Summarize this article", it may
summarize. The source asks, the target does not:

- a question is a sentence with a question mark of any script relecture segments (``?`` ``？``
  ``؟`` Arabic and Urdu, ``;`` and ``;`` Greek, ``՞`` Armenian, ``፧`` Ethiopic, Spanish ``¿``) or,
  in Japanese, a sentence ending in the particle か; languages that mark questions with particles
  only (Thai, Burmese, Khmer, Lao) are not judged as targets;
- an instruction starts with one of the language's ``instruction_cues`` (``data/<lang>/
  question.toml``: imperatives, "please", "can you"), judged only when both languages have cues.

The reverse, a target question for a source statement, is flagged too (an LLM that asks back
"Voulez-vous que je traduise… ?"). URLs are masked first (``?page=2`` is no question).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from relecture.checks.base import CheckInfo, Context, Family, Finding, LiteralGate, SegmentView
from relecture.checks.langdata import str_list
from relecture.checks.matcher import LazyPattern, lazy_pattern, valid_pattern

FAMILY = "question"

INFOS = [
    CheckInfo(
        id="question.answered",
        family=FAMILY,
        category="Accuracy/Mistranslation",
        severity="minor",
        description="Source question or instruction whose target is a statement (answered, not translated?)",
        explanation=(
            "The source asks a question or gives an instruction, and the target neither asks nor "
            "instructs: the translation may answer the question or carry out the instruction "
            "instead of translating it, as LLMs do. Translate the question as a question."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="question.added",
        family=FAMILY,
        category="Accuracy/Addition",
        severity="minor",
        description="Target question for a source that asks nothing",
        explanation=(
            "The target asks a question the source does not ask: a rhetorical question added, or "
            "an LLM asking back (\"Voulez-vous que je traduise aussi… ?\"). Check it is in the source."
        ),
        needs_source=True,
    ),
]

QUESTION_MARKS = "?\uff1f\u061f\u055e\u1367\u2e2e\u00bf\u037e"  # ? ？ ؟ ՞ ፧ ⸮ ¿ and the Greek ;
_GREEK = ";"  # the Greek question mark is the semicolon in everyday typing
# Targets in these languages mark questions with particles, not punctuation.
UNMARKED = frozenset({"th", "my", "km", "lo", "bo"})
_URL = re.compile(r"\S+://\S+|www\.\S+")
_SENTENCE_END = re.compile(r"[.!?。！？؟\n]+\s*")
_JA_QUESTION = re.compile(r"か(?:[。！」』]|$)")


def _marks(lang: str | None) -> re.Pattern[str]:
    return re.compile("[" + re.escape(QUESTION_MARKS + (_GREEK if lang == "el" else "")) + "]")


def _holds_mark(text: str, lang: str | None) -> bool:
    """Whether ``text`` holds one of QUESTION_MARKS (and, in Greek, ``;``): the test of one
    character runs at memchr's speed, or at once for a character wider than all of the text's,
    where the class's search reads every character (eight tests cost a third of that search)."""
    return (
        "?" in text or "\u00bf" in text or "\uff1f" in text or "\u061f" in text or "\u055e" in text
        or "\u1367" in text or "\u2e2e" in text or "\u037e" in text or (lang == "el" and _GREEK in text)
    )


def _asks(text: str, lang: str | None, marks: re.Pattern[str]) -> int:
    """Position of the first question mark of ``text`` (-1 if none)."""
    if lang != "el" and text.isascii():
        pos = text.find("?")  # the one ASCII mark: a scan in C, twice as fast as the class's
    elif _holds_mark(text, lang):
        m = marks.search(text)
        pos = -1 if m is None else m.start()
    else:
        pos = -1
    if pos >= 0 and ("://" in text or "www." in text):
        m = marks.search(_URL.sub(lambda u: " " * len(u.group()), text))
        pos = -1 if m is None else m.start()
    if pos >= 0:
        return pos
    if lang == "ja":
        found = _JA_QUESTION.search(text)
        if found:
            return found.start()
    return -1


def _cues(ctx: Context, lang: str | None) -> LazyPattern | None:
    patterns = str_list(ctx.data(lang), "instruction_cues", f"{lang} instruction_cues") if lang else []
    if not patterns:
        return None
    body = r"\W{0,3}(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"
    # Compiled at the first source that holds a cue's literal (a bad pattern is refused now).
    valid_pattern(body, f"language data {lang}: instruction_cues", re.IGNORECASE)
    return lazy_pattern(body, re.IGNORECASE, lambda: ctx.data_where(lang, "instruction_cues"))


def build(ctx: Context) -> Family:
    family = Family()
    on_answered, on_added = ctx.on("question.answered"), ctx.on("question.added")
    if not (on_answered or on_added):
        return family
    s_lang, t_lang = ctx.source_lang, ctx.target_lang
    if t_lang in UNMARKED:
        return family
    s_marks, t_marks = _marks(s_lang), _marks(t_lang)
    s_cues, t_cues = _cues(ctx, s_lang), _cues(ctx, t_lang)
    instructions = s_cues is not None and t_cues is not None and s_lang != t_lang
    # A source holding none of the cues' literals is no instruction: the regex is not run.
    s_gate = LiteralGate(
        str_list(ctx.data(s_lang), "instruction_cues", f"{s_lang} instruction_cues") if s_lang else [], re.IGNORECASE
    )

    def question(view: SegmentView) -> Iterator[Finding]:
        source = view.source
        target = view.target
        if not source or not target or target.isspace():
            return
        s_pos = _asks(source, s_lang, s_marks)
        t_pos = _asks(target, t_lang, t_marks)
        if s_pos >= 0 and t_pos < 0:
            if on_answered:
                start = _sentence_start(source, s_pos)
                yield (
                    "question.answered", "source", start, s_pos + 1,
                    f"The source asks “{source[start:s_pos + 1].strip()}” and the target asks nothing: "
                    "answered instead of translated?",
                    None,
                )
            return
        if s_pos < 0 and t_pos >= 0:
            if on_added and not (
                s_cues is not None and s_gate.open(view.source_lower) and s_cues.match(source)
            ) and not _unpunctuated(source):
                start = _sentence_start(target, t_pos)
                yield (
                    "question.added", "target", start, t_pos + 1,
                    f"The target asks “{target[start:t_pos + 1].strip()}” and the source asks nothing",
                    None,
                )
            return
        if instructions and on_answered and s_pos < 0 and t_pos < 0 and s_gate.open(view.source_lower):
            m = s_cues.match(source)  # type: ignore[union-attr]
            if m and len(source) >= 10 and not t_cues.match(target):  # type: ignore[union-attr]
                yield (
                    "question.answered", "source", 0, len(source),
                    f"The source is an instruction (“{m.group().strip()}…”) and the target is not: "
                    "carried out instead of translated?",
                    None,
                )

    family.segment_fns.append(question)
    return family


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (after the previous end of sentence)."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    return start


def _unpunctuated(source: str) -> bool:
    """Only a source with final punctuation is known to state (a label "Delete" may be
    rendered "Supprimer ?" in a confirmation)."""
    return source.rstrip()[-1:] not in ".!。！:：;；…»”\")"
