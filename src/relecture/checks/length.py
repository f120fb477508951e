"""Omission and addition by length: a target much shorter or longer than its source should be.

Length is counted in units fair to every script: a letter or digit of an alphabet is one unit, a
Han character, a kana or a Hangul syllable weighs what it carries (``data/length.toml``: about 3
English letters for a Han character), so "90 Chinese characters" and "15 French words" are
comparable. The expected log ratio of a language pair and its spread come from two places:

- defaults learnt from real bilingual data (``bench/length_fit.py``: WMT MQM English-German,
  Django's catalogues in 98 languages), shipped in ``data/length.toml``: per-language verbosity
  relative to English, and a spread that narrows with length (short strings vary more);
- the document itself: the median log ratio of its segments and the spread of their standardised
  residuals (median and MAD, robust to the outliers being looked for), shrunk towards the
  defaults when the document is small.

Sentence and clause counts add evidence where both languages mark sentences with punctuation: a
target with fewer sentences than its source needs less length shortfall to be flagged. Segments
whose source has fewer than ``length_min_units`` units are not judged (UI labels vary too much).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView
from relecture.gated import ScriptPattern

FAMILY = "length"

# The [checks] settings this family reads (any other key there is an error).
SETTINGS = ("length_min_units", "length_prior_segments", "length_threshold")

INFOS = [
    CheckInfo(
        id="length.short",
        family=FAMILY,
        category="Accuracy/Omission",
        severity="minor",
        description="Target much shorter than its source should give (script-fair length model: data and this document)",
        explanation=(
            "For this language pair and this document, a target of this length is unusually short "
            "for its source: a clause or a sentence may be missing. Read the source clause by "
            "clause against the target. The message gives the expected and the actual length."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="length.long",
        family=FAMILY,
        category="Accuracy/Addition",
        severity="minor",
        description="Target much longer than its source should give (an added sentence, an explanation)",
        explanation=(
            "For this language pair and this document, the target is unusually long for its "
            "source: the model may have added an explanation, a note or a sentence that is not in "
            "the source. Check that everything in the target is in the source."
        ),
        needs_source=True,
    ),
]

# Legacy ids (the mismatch family's document-ratio outliers, superseded by this model).
RENAMED = {"mismatch.too-short": "length.short", "mismatch.too-long": "length.long"}

def median(values: Iterable[float]) -> float:
    """``statistics.median`` of a non-empty sequence, the same float: that module (with
    ``random``, which it imports) is a few milliseconds of a small file's check."""
    data = sorted(values)
    n = len(data)
    if n % 2:
        return data[n // 2]
    return (data[n // 2 - 1] + data[n // 2]) / 2


DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "length.toml"
_WIDE = ScriptPattern(r"[\u3040-\u30ff]+|[\u3400-\u9fff\uf900-\ufaff]+|[\uac00-\ud7af]+", r"\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af")
# End of sentence: punctuation then space, end, or (CJK) anything.
_SENTENCE = re.compile(r"[.!?;؟।။።][\"'»”’)\]]*(?=\s|$)|[。！？；]")
_CLAUSE = re.compile(r"[,:，：、;；](?=\s|[^\d])")
_WIDE_LANGS = frozenset({"zh", "ja", "ko", "yue", "wuu", "lzh"})
# Languages that do not end sentences with punctuation (or not reliably).
_NO_SENTENCE_MARKS = frozenset({"th", "lo", "km", "bo"})


@lru_cache(maxsize=1)
def defaults() -> dict[str, Any]:
    """The fitted defaults (``data/length.toml``)."""
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


class Model:
    """Units of a text, and the expected log ratio and spread for one language pair."""

    def __init__(self, source_lang: str | None, target_lang: str | None, data: dict[str, Any] | None = None) -> None:
        data = data if data is not None else defaults()
        weights = data.get("script_weights", {})
        self.kana = float(weights.get("kana", 1.0))
        self.han = float(weights.get("han", 1.0))
        self.hangul = float(weights.get("hangul", 1.0))
        verbosity = data.get("verbosity", {})
        pairs = data.get("pairs", {})
        pair = pairs.get(f"{source_lang}-{target_lang}")
        if isinstance(pair, dict) and "center" in pair:
            self.center = float(pair["center"])
            self.fitted = "pair"
        else:
            # Verbosity is log(units of the language / units of English); unknown languages 0.
            self.center = float(verbosity.get(target_lang or "", 0.0)) - float(verbosity.get(source_lang or "", 0.0))
            self.fitted = "languages" if (target_lang in verbosity and source_lang in verbosity) else "none"
        spread = data.get("spread", {})
        self.sigma0 = float(spread.get("sigma0", 0.12))
        self.k = float(spread.get("k", 2.0))
        threshold = data.get("threshold", {})
        self.threshold = float(threshold.get("z", 3.0))
        self.sentence_weight = float(threshold.get("sentence", 1.0))

    def units(self, text: str) -> float:
        # Characters less spaces: punctuation is a few per sentence on both sides alike, and
        # counting it costs nothing where removing it costs a regex pass over every text.
        n = len(text) - text.count(" ")
        if text.isascii():
            return float(n)
        extra = 0.0
        for m in _WIDE.finditer(text):
            first = m.group()[0]
            weight = self.kana if first <= "\u30ff" else self.hangul if first >= "\uac00" else self.han
            extra += (weight - 1.0) * (m.end() - m.start())
        return n + extra

    def sigma(self, source_units: float) -> float:
        """The spread of the log ratio for a source of this length (short texts vary more)."""
        return math.sqrt(self.sigma0 * self.sigma0 + self.k / max(source_units, 1.0))


def sentences(text: str) -> int:
    """The sentences of ``text``, counted by punctuation."""
    stripped = text.strip()
    if not stripped:
        return 0
    n = len(_SENTENCE.findall(stripped))
    if stripped[-1] not in ".!?;؟।။።。！？；\"'»”’)]":
        n += 1  # the last sentence without its final stop
    return max(n, 1)


def clauses(text: str, n_sentences: int) -> int:
    """The clauses of ``text`` of ``n_sentences`` sentences: only a finding's message needs them."""
    return n_sentences + len(_CLAUSE.findall(text.strip()))


def build(ctx: Context) -> Family:
    family = Family()
    if ctx.on("length.short", "length.long"):
        family.document_fns.append(lambda views: _outliers(ctx, views))
    return family


def _outliers(ctx: Context, views: list[SegmentView]) -> dict[int, list[Finding]]:
    fit = Fit(ctx)
    samples: list[tuple[int, float, float, float]] = []  # index, source units, target units, log ratio
    append = samples.append
    if fit.wide:
        sample = fit.sample
        for v in views:
            found = sample(v.source, v.target)
            if found is not None:
                append((v.index, *found))
    else:
        # Fit.sample inlined (the same floats): a call per segment is most of the cost here.
        min_units, log = fit.min_units, math.log
        for v in views:
            source, target = v.source, v.target
            if source is None or not target or len(source) < 8:
                continue
            s_units = len(source) - source.count(" ")
            if s_units < min_units:
                continue
            t_units = len(target) - target.count(" ")
            append((v.index, s_units, t_units, log((t_units + 1.0) / (s_units + 1.0))))
    if not samples:
        return {}
    n = len(samples)
    center = fit.center(n, median([r for _, _, _, r in samples]))  # no list per sample, as *_ makes
    if center is None:
        return {}
    # Fit.z inlined (the same floats).
    sigma0_2, k, sqrt = fit.sigma0_2, fit.k, math.sqrt
    z = [(r - center) / sqrt(sigma0_2 + k / (su if su > 1.0 else 1.0)) for _, su, _, r in samples]
    scale = fit.scale(n, median(map(abs, z)))
    out: dict[int, list[Finding]] = {}
    cut = fit.cut(scale)  # judge's first test, here: most segments are well inside it
    # The judgement depends on the two texts only (the units, z and sentences follow from them):
    # a segment repeated (a third of those judged in a corpus) is judged once.
    judged: dict[tuple[str, str], Finding | None] = {}
    for (index, su, tu, _), zi in zip(samples, z, strict=True):
        if -cut < zi < cut:
            continue
        view = views[index]
        key = (view.source or "", view.target)
        if key in judged:
            finding = judged[key]
        else:
            finding = judged[key] = fit.judge(center, scale, su, tu, zi, key[0], key[1])
        if finding is not None:
            out[index] = [finding]
    return out


class Fit:
    """The length model of one run, in the steps a corpus too large for memory runs apart (map:
    ``sample`` each segment; reduce: ``center`` and ``scale`` from the medians; then ``judge``
    each segment again), so the in-memory and the streaming run compute the same floats."""

    def __init__(self, ctx: Context) -> None:
        self.model = model = Model(ctx.source_lang, ctx.target_lang)
        self.min_units = float(ctx.settings.get("length_min_units", 20))
        self.prior = float(ctx.settings.get("length_prior_segments", 20))
        self.threshold = float(ctx.settings.get("length_threshold", model.threshold))
        # Wide scripts are weighed when a language of the pair writes one (or is unknown); a Han
        # name inside French prose is too rare to pay a scan of every text for.
        self.wide = bool({ctx.source_lang, ctx.target_lang} & _WIDE_LANGS) or None in (ctx.source_lang, ctx.target_lang)
        self.split = ctx.source_lang not in _NO_SENTENCE_MARKS and ctx.target_lang not in _NO_SENTENCE_MARKS
        self.on_short, self.on_long = ctx.on("length.short"), ctx.on("length.long")
        self.sigma0_2, self.k = model.sigma0 * model.sigma0, model.k

    def sample(self, source: str | None, target: str) -> tuple[float, float, float] | None:
        """(source units, target units, log ratio) of a segment the model judges, else None."""
        if source is None or not target or len(source) < 8:
            return None
        su = self.model.units(source) if self.wide else len(source) - source.count(" ")
        if su < self.min_units:
            return None
        tu = self.model.units(target) if self.wide else len(target) - target.count(" ")
        return su, tu, math.log((tu + 1.0) / (su + 1.0))

    def center(self, n: int, doc_center: float) -> float | None:
        """The document's center (the median log ratio of its ``n`` samples) shrunk towards the
        data's when it is small; None when there is no judgement to make."""
        if self.model.fitted == "none" and n < self.prior:
            return None  # no data for this pair and too few segments to learn it: no judgement
        return (n * doc_center + self.prior * self.model.center) / (n + self.prior)

    def z(self, center: float, su: float, r: float) -> float:
        return (r - center) / math.sqrt(self.sigma0_2 + self.k / (su if su > 1.0 else 1.0))

    def scale(self, n: int, median_abs_z: float) -> float:
        doc_scale = 1.4826 * median_abs_z
        return (n * min(max(doc_scale, 0.75), 2.5) + self.prior) / (n + self.prior)

    def cut(self, scale: float) -> float:
        """Below this |z|, not even two sentences' worth of evidence could make an outlier."""
        return (self.threshold - 2 * self.model.sentence_weight) * scale

    def judge(
        self, center: float, scale: float, su: float, tu: float, zi: float, source: str, target: str
    ) -> Finding | None:
        model, threshold = self.model, self.threshold
        cut = self.cut(scale)
        if -cut < zi < cut:
            return None
        score = zi / scale
        s_sent = t_sent = 0
        if self.split:
            s_sent = t_sent = -1
            weight = model.sentence_weight
            if weight >= 0 and -threshold < score < threshold:
                # Only sentences can make it an outlier: those of the side that must have more
                # (the source of a short target), against the fewest the other side can have.
                if score < 0:
                    s_sent = sentences(source)
                    most = s_sent - (1 if target.strip() else 0)
                    if most <= 0 or score - weight * min(most, 2) > -threshold:
                        return None
                else:
                    t_sent = sentences(target)
                    most = t_sent - (1 if source.strip() else 0)
                    if most <= 0 or score + weight * min(most, 2) < threshold:
                        return None
            if s_sent < 0:
                s_sent = sentences(source)
            if t_sent < 0:
                t_sent = sentences(target)
            diff = s_sent - t_sent
            if diff and (diff > 0) == (score < 0):
                score -= model.sentence_weight * min(abs(diff), 2) * (1 if diff > 0 else -1)
        if -threshold < score < threshold:
            return None
        if not (self.on_short if score < 0 else self.on_long):
            return None
        structure = ""
        if self.split:
            structure = (
                f"; {s_sent} sentence(s), {clauses(source, s_sent)} clause(s) in the source, "
                f"{t_sent} and {clauses(target, t_sent)} in the target"
            )
        check = "length.short" if score < 0 else "length.long"
        expected = (su + 1.0) * math.exp(center) - 1.0
        band = model.sigma(su) * scale * threshold
        low, high = (su + 1.0) * math.exp(center - band) - 1.0, (su + 1.0) * math.exp(center + band) - 1.0
        what = "short" if score < 0 else "long"
        return (
            check, "target", 0, len(target),
            f"Target unusually {what}: {tu:.0f} length units for a source of {su:.0f}; expected about "
            f"{expected:.0f} ({low:.0f}–{high:.0f}){structure}",
            None,
        )
