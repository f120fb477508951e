"""LLM output artifacts: what a chat model says around a translation, and cut-off output.

Patterns come from ``data/<lang>/llm.toml`` of the target language, the source language and
English (a French translation of a Chinese text may carry an English preamble or a Chinese
refusal), so a user adds a form by editing data, not code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from relecture.checks.base import (
    CheckInfo,
    Context,
    Family,
    Finding,
    LiteralGate,
    Matcher,
    SegmentView,
    relax_apostrophes,
)
from relecture.checks.langdata import str_list, word_set
from relecture.checks.matcher import _case_trap, lazy_pattern
from relecture.scripts import language_scripts

FAMILY = "llm"

# The [checks] settings this family reads (any other key there is an error).
SETTINGS = ("truncated_min_words",)

INFOS = [
    CheckInfo(
        id="llm.preamble",
        family=FAMILY,
        category="Accuracy/Addition",
        severity="major",
        description="Preamble added by the model (\"Voici la traduction en français :\", \"Here is the translation:\")",
        explanation=(
            "The text starts with a sentence the model addressed to whoever asked for the "
            "translation, not part of the source. Check that the source has no such sentence and "
            "delete it: published as is, it tells readers the text is raw machine output."
        ),
        fix="delete the preamble",
    ),
    CheckInfo(
        id="llm.closing",
        family=FAMILY,
        category="Accuracy/Addition",
        severity="major",
        description="Closing remark of a chat (\"J'espère que cela vous aide\", \"Let me know if…\")",
        explanation=(
            "The model ended with a remark to its user (offer of help, wish, question). It is not "
            "in the source; delete it after checking that the source does not say it."
        ),
        fix="delete the remark",
    ),
    CheckInfo(
        id="llm.translator-note",
        family=FAMILY,
        category="Accuracy/Addition",
        severity="major",
        description="Translator's note the source does not have (\"Note : …\", \"(N.d.T. …)\")",
        explanation=(
            "The model added a note about its own translation choices. Such notes may be useful "
            "to you but rarely belong in the published text: decide whether the information "
            "should be kept (rewritten as text, or as a proper footnote) or removed."
        ),
    ),
    CheckInfo(
        id="llm.refusal",
        family=FAMILY,
        category="Accuracy/Mistranslation",
        severity="critical",
        description="Refusal, apology or self-reference of the model (\"Je suis désolé, mais je ne peux pas…\", \"As an AI language model\")",
        explanation=(
            "Instead of translating, the model refused, apologised or talked about itself. The "
            "segment has no translation of its source: it must be translated again."
        ),
    ),
    CheckInfo(
        id="llm.truncated",
        family=FAMILY,
        category="Accuracy/Omission",
        severity="minor",  # a heuristic: translators drop final stops too
        description="Target stops mid-sentence (output cut off)",
        explanation=(
            "The segment ends where a sentence cannot end (on a comma, an article or a "
            "preposition, or without the final punctuation the source has). Models stop at their "
            "output limit: compare with the source and restore the missing end."
        ),
    ),
]

# Where a finished sentence ends: terminal punctuation of every script (Chinese and Japanese
# full stops, the danda of Hindi, Bengali and Punjabi, the Urdu and Armenian full stops, Arabic
# question mark, Ethiopic, Myanmar and Khmer stops), possibly followed by closing quotes or
# brackets.
_FINAL = frozenset(".!?…。！？｡।॥۔؟։።፧။៕។")
# Scripts whose sentences, and UI strings above all, need no final stop: a Chinese label without
# 。 or a Thai sentence (Thai has no full stop) is finished. Only a dangling comma is a cue there.
_NO_FINAL_STOP = frozenset({"Chinese (Han)", "Japanese kana", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan"})
_DANGLING_MARKS = frozenset(",;，、；")
_CLOSERS = "\"'»”’)]）」』“‘«"  # “ ‘ close German „…“ ‚…‘; « closes German »…«
_SETTLED_END = _FINAL | frozenset(_CLOSERS)  # a target ending on one is not cut off


def _compile_preamble(patterns: list[str], where: Callable[[], str]) -> Any:
    """One regex, tried with ``match`` at the start of the text and of each line only; compiled
    when a text first holds one of its literals (most documents have no preamble), at once when
    it could fail."""
    items = [relax_apostrophes(p) for p in patterns if p]
    if not items:
        return None
    body = "|".join(f"(?:{p})" for p in sorted(set(items), key=len, reverse=True))
    return lazy_pattern(rf"[ \t]*(?:{body})", re.IGNORECASE | re.MULTILINE, where)


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _FINAL


def _answer_languages(ctx: Context) -> list[str]:
    """The languages a model's remarks come in: the target's, the source's, English (the usual
    language of prompts), and any the user gave data for. Trying every language's patterns on
    every segment would cost more than all the other checks, for phrases no model writes there."""
    langs = {"en", ctx.target_lang, ctx.source_lang, *ctx.inline_data}
    for folder in ctx.extra_dirs:
        if folder.is_dir():
            langs.update(p.name for p in folder.iterdir() if p.is_dir())
    return sorted(lang for lang in langs if lang)


def build(ctx: Context) -> Family:
    family = Family()
    lists: dict[str, list[str]] = {"preamble": [], "closing": [], "translator_note": [], "refusal": []}
    for lang in _answer_languages(ctx):
        data = ctx.data(lang)
        for key in lists:
            lists[key].extend(str_list(data, key, f"{lang}/llm.toml {key}"))
    langs = _answer_languages(ctx)
    preamble = (
        _compile_preamble(lists["preamble"], lambda: ctx.data_where(langs, "preamble")) if ctx.on("llm.preamble") else None
    )
    # Most texts hold none of the preambles' literals: the regex (a long alternation, run with
    # its time budget) is not tried on them.
    scan = ctx.scan  # the target's literals are found in the pass shared with other families
    preamble_gate = LiteralGate(
        [relax_apostrophes(p) for p in lists["preamble"] if p], re.IGNORECASE | re.MULTILINE,
        shared=scan if preamble is not None else None,
    )
    # Closing remarks, notes and refusals: one matcher, the payload names the check.
    keys = {"llm.closing": "closing", "llm.translator-note": "translator_note", "llm.refusal": "refusal"}
    key_of = {relax_apostrophes(p): key for key in keys.values() for p in lists[key]}
    said = Matcher(
        [
            (relax_apostrophes(p), check_id)
            for check_id, key in (
                ("llm.closing", "closing"),
                ("llm.translator-note", "translator_note"),
                ("llm.refusal", "refusal"),
            )
            if ctx.on(check_id)
            for p in lists[key]
        ],
        re.IGNORECASE | re.MULTILINE,
        where=lambda pattern: ctx.data_where(langs, key_of.get(pattern, "")),
        shared=scan,
    )
    what = {
        "llm.closing": "a closing remark of a chat, not a translation",
        "llm.translator-note": "a note about the translation, not in the source",
        "llm.refusal": "the model refusing or speaking about itself",
    }

    gate_slot, said_slot = preamble_gate.slot, said.slot
    # Whether a text without a case trap in which the shared scan found none of the slot's
    # literals is settled: the gate shut (LiteralGate.open_in), no candidate for the matcher
    # (Matcher._candidates), no preamble to look for.
    gate_scanned = preamble is None or gate_slot >= 0
    said_scanned = said_slot >= 0 and not said.always

    def artifacts(view: SegmentView) -> Iterator[Finding]:
        hits = view.hits(scan)
        lower = view.lower
        trap = _case_trap(lower)
        # The common clean segment (none of the literals, no case trap): the gate is shut and the
        # matcher has no candidate; settled here without calling either.
        if not trap and said_scanned and gate_scanned and said_slot not in hits and gate_slot not in hits:
            return
        text = view.target
        source = view.source
        # A slot the scan did not fill shuts the gate unless the text has a case trap (open_in).
        if (
            preamble is not None
            and (gate_slot < 0 or trap or gate_slot in hits)
            and preamble_gate.open_in(hits, lower)
        ):
            starts = [0]
            if "\n" in text:
                starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
            for pos in starts:
                m = preamble.match(text, pos)
                if m is None:
                    continue
                start = m.start() + (len(m.group()) - len(m.group().lstrip()))
                if source is not None and preamble.match(source.lstrip()):
                    continue  # the source itself opens that way
                yield (
                    "llm.preamble", "target", start, m.end(),
                    f"“{text[start:m.end()].strip()}” is the model talking to its user, not a translation",
                    "",
                )
        if not said:
            return
        reported: set[str] = set()
        # No word keys (see cultural): the matcher's substring scan settles its candidates.
        if not trap and said_scanned and said_slot not in hits:
            return  # no candidate (as above)
        for m, check_id in said.find(text, lower, hits=hits):
            if check_id in reported:
                continue
            reported.add(check_id)
            if source is not None and any(
                c == check_id for _, c in said.find(source, view.source_lower)
            ):
                continue  # the source says it too: part of the text
            yield (check_id, "target", m.start(), m.end(), f"“{m.group()}”: {what[check_id]}", None)

    family.segment_fns.append(artifacts)

    if ctx.on("llm.truncated"):
        no_final_stop = bool(language_scripts(ctx.target_lang) & _NO_FINAL_STOP)
        min_words = int(ctx.settings.get("truncated_min_words", 8))
        dangling: set[str] = set()
        for lang in {ctx.target_lang or "en", "en"}:
            dangling |= word_set(ctx.data(lang), "dangling_words")

        def truncated(view: SegmentView) -> Iterator[Finding]:
            target = view.target
            # Most segments end on a stop or a closer (no space to strip first): settled at once.
            if target[-1:] in _SETTLED_END:
                return
            text = target.rstrip()
            if len(text) < 20:
                return
            last = text[-1]
            if last in _SETTLED_END:
                return
            source = view.source
            if source is not None:
                if not _ends_sentence(source):
                    return
                if no_final_stop and last not in _DANGLING_MARKS:
                    return
                words = view.words
                dangles = last in _DANGLING_MARKS or (bool(words) and words[-1] in dangling and last.isalpha())
                # A short UI string without its final stop is a style choice; a cut shows in a
                # sentence, or on a word or mark no sentence ends on.
                if len(words) < min_words and not dangles:
                    return
                reason = "the source ends its sentence, the target stops"
            else:
                if not view.para_end:
                    return
                words = view.words
                if not (last in ",;" or (words and words[-1] in dangling and last.isalpha())):
                    return
                reason = "the paragraph ends on a word or mark no sentence ends on"
            cut = max(text.rfind(" ", 0, len(text) - 1), 0)
            start = cut + 1 if cut else 0
            yield ("llm.truncated", "target", start, len(text), f"Cut off? {reason}: “…{text[start:]}”", None)

        family.segment_fns.append(truncated)
    return family
