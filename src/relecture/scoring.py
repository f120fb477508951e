"""MQM and ESA scores of reviewed documents, computed the way published evaluations do.

Definitions (defaults reproduce the WMT tables of google/wmt-mqm-human-evaluation):

- **Error weight**: by severity (neutral 0, minor 1, major 5, critical 25), except
  ``Non-translation!`` (25 at any severity: Anthea forces it to Major) and the per-category
  overrides (``Fluency/Punctuation`` minor = 0.1). Errors of the ``Source issue`` dimension count
  at normal weight unless ``count_source_issues = false`` (the Marot viewer's choice). Open
  automatic flags never count: only annotations (a reviewer's or an imported rater's) do.
- **Raters of a segment**: the distinct ``Annotation.author`` values on it, the raters listed in
  ``segment.meta["raters"]`` (who rated it, clean or not, as the MQM TSV importer records them)
  and the reviewers whose own layer approved it (a clean rating when they marked nothing). Work
  without a name (an empty author, an approval from before names were recorded) is the local
  reviewer's: the identity of ``relecture.identity`` (``reviewer`` in the config, else the login
  name), the same name the workbench writes, so one person is one rater.
- **Unrated segments** (no rater, and not approved) are excluded from every mean and from word
  counts: an unreviewed segment is not a perfect one, and neither is one marked needs-work or
  rejected without saying what is wrong. Reports show rated/total.
- **Segment score**: for each rater, the sum of that rater's error weights; then the mean over the
  segment's raters. Lower is better; 0 is a clean segment.
- **Group score** (document, system, all): the mean of segment scores over its rated segments.
  Grouped by rater: the mean of that rater's own segment scores over the segments they rated.
  Grouped by category: each category's share of the overall score (the shares sum to it).
- **Per-word forms** (MQM 2.0 names): the absolute penalty total is the sum of segment scores;
  ``penalty per N words`` = total x N / evaluation word count (N = ``reference_word_count``,
  default 1000) and the **quality score** = 100 - 100 x total / word count (MQM 2.0 "Overall
  Quality Score" with a maximum of 100; it can be negative when errors outnumber words). Words are
  counted on the target side by default (``word_count_side``); CJK characters count one each.
- **ESA**: the mean of ``Segment.esa`` (0-100) over the segments that have one; ``None`` if none.
- **LQA verdict** (as Phrase and ContentQuo give one): with ``pass_threshold``, PASS when the
  quality score is at least the threshold (``pass_unit = "quality"``) or when the penalty per
  ``reference_word_count`` words is at most it (``pass_unit = "penalty"``); no verdict when
  nothing is rated.

Settings come from the ``[scoring]`` table of ``relecture.toml``::

    [scoring]
    neutral = 0
    minor = 1
    major = 5
    critical = 25
    non_translation = 25
    count_source_issues = true
    reference_word_count = 1000
    word_count_side = "target"      # or "source"
    pass_threshold = 95             # LQA verdict, in pass_unit
    pass_unit = "quality"           # or "penalty" (per reference_word_count words)

    [scoring.categories]            # category (or whole dimension) -> severity -> weight
    "Fluency/Punctuation" = { minor = 0.1 }
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from relecture.config import Config
from relecture.errors import InputError
from relecture.identity import login_name, resolve_reviewer
from relecture.model import SEVERITIES, ReviewDocument, Segment
from relecture.typology import NON_TRANSLATION, SOURCE_ISSUE_DIMENSIONS, split_category

GROUPINGS: tuple[str, ...] = ("document", "system", "rater", "category")
DEFAULT_SEVERITY_WEIGHTS: dict[str, float] = {
    "neutral": 0.0,
    "minor": 1.0,
    "major": 5.0,
    "critical": 25.0,
}
DEFAULT_CATEGORY_WEIGHTS: dict[str, dict[str, float]] = {"Fluency/Punctuation": {"minor": 0.1}}
NO_SYSTEM = "(none)"
PASS_UNITS: tuple[str, ...] = ("quality", "penalty")


@dataclass(frozen=True)
class ScoringSettings:
    severity_weights: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_SEVERITY_WEIGHTS)
    )
    # (dimension, subtype) -> severity -> weight; subtype "" covers the whole dimension.
    category_weights: dict[tuple[str, str], dict[str, float]] = field(
        default_factory=lambda: {
            split_category(k): dict(v) for k, v in DEFAULT_CATEGORY_WEIGHTS.items()
        }
    )
    non_translation: float = 25.0
    count_source_issues: bool = True
    reference_word_count: int = 1000
    word_count_side: str = "target"
    local_rater: str = field(default_factory=login_name)
    pass_threshold: float | None = None
    pass_unit: str = "quality"

    def weight(self, category: str, severity: str) -> float:
        dimension, subtype = split_category(category)
        if dimension in SOURCE_ISSUE_DIMENSIONS and not self.count_source_issues:
            return 0.0
        if dimension == NON_TRANSLATION:
            return self.non_translation
        for key in ((dimension, subtype), (dimension, "")):
            override = self.category_weights.get(key)
            if override is not None and severity in override:
                return override[severity]
        return self.severity_weights.get(severity, 0.0)

    def describe(self) -> dict[str, Any]:
        """The settings as stable JSON (printed with every score so a number can be reproduced)."""
        return {
            "severity_weights": {s: self.severity_weights.get(s, 0.0) for s in SEVERITIES},
            "category_weights": {
                (f"{d}/{s}" if s else d): dict(sorted(w.items()))
                for (d, s), w in sorted(self.category_weights.items())
            },
            "non_translation": self.non_translation,
            "count_source_issues": self.count_source_issues,
            "reference_word_count": self.reference_word_count,
            "word_count_side": self.word_count_side,
            "pass_threshold": self.pass_threshold,
            "pass_unit": self.pass_unit,
        }

    def verdict(self, penalty: float, words: int, rated: int) -> Verdict | None:
        """PASS/FAIL of a total ``penalty`` over ``words`` words of ``rated`` segments."""
        if self.pass_threshold is None:
            return None
        if not rated or not words:
            return Verdict(None, None, self.pass_threshold, self.pass_unit)
        if self.pass_unit == "quality":
            value = 100.0 - 100.0 * penalty / words
            passed = value >= self.pass_threshold
        else:
            value = penalty * self.reference_word_count / words
            passed = value <= self.pass_threshold
        return Verdict(passed, value, self.pass_threshold, self.pass_unit)


@dataclass(frozen=True)
class Verdict:
    """An LQA pass/fail verdict; ``passed`` is None when nothing is rated."""

    passed: bool | None
    value: float | None
    threshold: float
    unit: str

    @property
    def label(self) -> str:
        return "NO VERDICT" if self.passed is None else ("PASS" if self.passed else "FAIL")

    def describe(self, reference_word_count: int = 1000) -> str:
        if self.value is None:
            return f"{self.label} (nothing rated)"
        if self.unit == "quality":
            sign = ">=" if self.passed else "<"
            return f"{self.label}: quality {self.value:.2f} {sign} {self.threshold:g}"
        sign = "<=" if self.passed else ">"
        return f"{self.label}: penalty per {reference_word_count} words {self.value:.2f} {sign} {self.threshold:g}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.label,
            "value": _round(self.value),
            "threshold": self.threshold,
            "unit": self.unit,
        }


def settings_from_config(config: Config | None) -> ScoringSettings:
    """Read ``[scoring]``; every bad value is an InputError naming the key."""
    if config is None:
        return ScoringSettings()
    table = config.table("scoring")
    where = config.path

    def number(key: str, value: Any) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise InputError(where, "must be a number", f"scoring.{key}")
        if value < 0:
            raise InputError(where, "must not be negative", f"scoring.{key}")
        return float(value)

    known = {
        *SEVERITIES,
        "non_translation",
        "count_source_issues",
        "reference_word_count",
        "word_count_side",
        "pass_threshold",
        "pass_unit",
        "categories",
    }
    for key in table:
        if key not in known:
            raise InputError(
                where, f"unknown setting; known: {', '.join(sorted(known))}", f"scoring.{key}"
            )
    severity_weights = dict(DEFAULT_SEVERITY_WEIGHTS)
    for severity in SEVERITIES:
        if severity in table:
            severity_weights[severity] = number(severity, table[severity])
    category_weights = {split_category(k): dict(v) for k, v in DEFAULT_CATEGORY_WEIGHTS.items()}
    categories = table.get("categories", {})
    if not isinstance(categories, dict):
        raise InputError(
            where, "must be a table of category = { severity = weight }", "scoring.categories"
        )
    for category, weights in categories.items():
        place = f"scoring.categories.{category}"
        if not isinstance(weights, dict):
            raise InputError(where, "must be a table like { minor = 0.1 }", place)
        parsed: dict[str, float] = {}
        for severity, value in weights.items():
            if severity not in SEVERITIES:
                raise InputError(
                    where, f"{severity!r} is not one of {', '.join(SEVERITIES)}", place
                )
            parsed[severity] = number(f"categories.{category}.{severity}", value)
        # A configured category replaces the default override for it entirely.
        category_weights[split_category(category)] = parsed
    count_source = table.get("count_source_issues", True)
    if not isinstance(count_source, bool):
        raise InputError(where, "must be true or false", "scoring.count_source_issues")
    rwc = table.get("reference_word_count", 1000)
    if isinstance(rwc, bool) or not isinstance(rwc, int) or rwc <= 0:
        raise InputError(where, "must be a positive integer", "scoring.reference_word_count")
    side = table.get("word_count_side", "target")
    if side not in ("source", "target"):
        raise InputError(where, "must be 'source' or 'target'", "scoring.word_count_side")
    threshold = table.get("pass_threshold")
    if threshold is not None:
        threshold = number("pass_threshold", threshold)
    unit = table.get("pass_unit", "quality")
    if unit not in PASS_UNITS:
        raise InputError(
            where, "must be 'quality' (MQM 2.0 quality score) or 'penalty' (per reference_word_count words)",
            "scoring.pass_unit",
        )
    return ScoringSettings(
        pass_threshold=threshold,
        pass_unit=unit,
        severity_weights=severity_weights,
        category_weights=category_weights,
        non_translation=number("non_translation", table.get("non_translation", 25.0)),
        count_source_issues=count_source,
        reference_word_count=rwc,
        word_count_side=side,
        local_rater=resolve_reviewer(None, config),
    )


# --- one segment --------------------------------------------------------------------------------

_CJK = (
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
    r"\U00020000-\U0002fa1f"
)
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def word_count(text: str) -> int:
    """Words for per-word normalisation: runs of letters/digits; each CJK character is one."""
    return len(_WORD.findall(text))


@dataclass
class SegmentScore:
    """One segment's MQM result. ``by_rater`` is empty for an unrated segment."""

    by_rater: dict[str, float]
    # rater -> severity -> number of errors that rater marked
    rater_errors: dict[str, dict[str, int]]
    # category -> per-severity error counts and the category's share of this segment's score
    categories: dict[str, tuple[dict[str, int], float]]
    words: int

    @property
    def rated(self) -> bool:
        return bool(self.by_rater)

    @property
    def score(self) -> float | None:
        if not self.by_rater:
            return None
        return sum(self.by_rater.values()) / len(self.by_rater)


def segment_raters(seg: Segment, settings: ScoringSettings) -> list[str]:
    """Who rated ``seg``, in first-seen order (see the module docstring)."""
    raters: dict[str, None] = {}
    listed = seg.meta.get("raters")
    if isinstance(listed, list):
        for name in listed:
            if isinstance(name, str):
                raters[name or settings.local_rater] = None
    for annotation in seg.annotations:
        raters[annotation.author or settings.local_rater] = None
    for name, layer in seg.layers.items():
        if layer.status == "approved":
            raters[name] = None
    if not raters and seg.status == "approved":
        raters[settings.local_rater] = None
    return list(raters)


def score_segment(seg: Segment, settings: ScoringSettings | None = None) -> SegmentScore:
    settings = settings or ScoringSettings()
    raters = segment_raters(seg, settings)
    by_rater = dict.fromkeys(raters, 0.0)
    rater_errors: dict[str, dict[str, int]] = {r: {} for r in raters}
    categories: dict[str, tuple[dict[str, int], float]] = {}
    share = 1.0 / len(raters) if raters else 0.0
    for annotation in seg.annotations:
        weight = settings.weight(annotation.category, annotation.severity)
        rater = annotation.author or settings.local_rater
        by_rater[rater] += weight
        rater_errors[rater][annotation.severity] = (
            rater_errors[rater].get(annotation.severity, 0) + 1
        )
        counts, penalty = categories.get(annotation.category, ({}, 0.0))
        counts[annotation.severity] = counts.get(annotation.severity, 0) + 1
        categories[annotation.category] = (counts, penalty + weight * share)
    return SegmentScore(
        by_rater=by_rater,
        rater_errors=rater_errors,
        categories=categories,
        words=word_count(segment_words_text(seg, settings)),
    )


def segment_words_text(seg: Segment, settings: ScoringSettings) -> str:
    """The side whose words normalise the score (``word_count_side``)."""
    if settings.word_count_side == "source" and seg.source is not None:
        return seg.source
    return seg.target


def segment_mqm(seg: Segment, settings: ScoringSettings | None = None) -> float | None:
    """``score_segment(seg).score`` without the per-category and word-count bookkeeping: what a
    running total needs after each change."""
    settings = settings or ScoringSettings()
    raters = segment_raters(seg, settings)
    if not raters:
        return None
    return sum(settings.weight(a.category, a.severity) for a in seg.annotations) / len(raters)


# --- aggregates ---------------------------------------------------------------------------------


@dataclass
class GroupScore:
    key: str
    segments: int = 0
    rated: int = 0
    raters: set[str] = field(default_factory=set)
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    penalty: float = 0.0  # sum of segment scores (MQM 2.0 absolute penalty total)
    words: int = 0  # words of the rated segments
    esa_sum: int = 0
    esa_count: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def mqm(self) -> float | None:
        return self.penalty / self.rated if self.rated else None

    @property
    def esa(self) -> float | None:
        return self.esa_sum / self.esa_count if self.esa_count else None

    def penalty_per_words(self, n: int) -> float | None:
        return self.penalty * n / self.words if self.rated and self.words else None

    @property
    def quality_score(self) -> float | None:
        return 100.0 - 100.0 * self.penalty / self.words if self.rated and self.words else None

    def verdict(self, settings: ScoringSettings) -> Verdict | None:
        return settings.verdict(self.penalty, self.words, self.rated)

    def to_dict(self, settings: ScoringSettings) -> dict[str, Any]:
        n = settings.reference_word_count
        verdict = self.verdict(settings)
        return {
            "key": self.key,
            "segments": self.segments,
            "rated": self.rated,
            "raters": len(self.raters),
            "errors": dict(self.errors),
            "mqm": _round(self.mqm),
            "penalty_total": _round(self.penalty),
            "words": self.words,
            f"penalty_per_{n}_words": _round(self.penalty_per_words(n)),
            "quality_score": _round(self.quality_score),
            "esa": _round(self.esa),
            "esa_segments": self.esa_count,
            "statuses": dict(sorted(self.statuses.items())),
            **({"verdict": verdict.to_dict()} if verdict is not None else {}),
        }


@dataclass
class CategoryScore:
    key: str
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    penalty: float = 0.0
    rated: int = 0  # rated segments of the whole selection (the denominator of the share)

    @property
    def mqm(self) -> float | None:
        return self.penalty / self.rated if self.rated else None

    def to_dict(self, settings: ScoringSettings) -> dict[str, Any]:
        return {
            "key": self.key,
            "errors": dict(self.errors),
            "penalty_total": _round(self.penalty),
            "mqm": _round(self.mqm),
        }


def _round(value: float | None) -> float | None:
    # Six decimals hide float noise (1.0560000000000003) so JSON output is stable.
    return None if value is None else round(value, 6)


def segment_system(seg: Segment) -> str:
    value = seg.meta.get("system")
    return value if isinstance(value, str) and value else NO_SYSTEM


def segment_document(seg: Segment, doc: ReviewDocument) -> str:
    value = seg.meta.get("doc")
    return value if isinstance(value, str) and value else doc.id


def _add(
    group: GroupScore, seg: Segment, result: SegmentScore, only_rater: str | None = None
) -> None:
    group.segments += 1
    group.statuses[seg.status] = group.statuses.get(seg.status, 0) + 1
    if seg.esa is not None:
        group.esa_sum += seg.esa
        group.esa_count += 1
    if not result.rated:
        return
    if only_rater is not None:
        group.rated += 1
        group.raters.add(only_rater)
        group.penalty += result.by_rater[only_rater]
        group.words += result.words
        for severity, count in result.rater_errors[only_rater].items():
            group.errors[severity] = group.errors.get(severity, 0) + count
        return
    group.rated += 1
    group.raters.update(result.by_rater)
    group.penalty += result.score or 0.0
    group.words += result.words
    for counts in result.rater_errors.values():
        for severity, count in counts.items():
            group.errors[severity] = group.errors.get(severity, 0) + count


@dataclass
class ScoreReport:
    by: str
    settings: ScoringSettings
    groups: list[GroupScore] | list[CategoryScore]
    total: GroupScore

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "settings": self.settings.describe(),
            "total": self.total.to_dict(self.settings),
            "groups": [g.to_dict(self.settings) for g in self.groups],
        }


def score_documents(
    docs: Iterable[ReviewDocument], by: str = "document", settings: ScoringSettings | None = None
) -> ScoreReport:
    """Scores of all segments of ``docs`` grouped ``by`` document, system, rater or category.

    Groups come in first-seen order (the order of the documents and segments), categories in
    descending order of their share of the score.
    """
    if by not in GROUPINGS:
        raise InputError(None, f"unknown grouping {by!r}; known: {', '.join(GROUPINGS)}")
    settings = settings or ScoringSettings()
    total = GroupScore(key="all")
    groups: dict[str, GroupScore] = {}
    categories: dict[str, CategoryScore] = {}
    for doc in docs:
        for seg in doc.segments:
            result = score_segment(seg, settings)
            _add(total, seg, result)
            if by == "category":
                for category, (counts, penalty) in result.categories.items():
                    cat = categories.setdefault(category, CategoryScore(key=category))
                    cat.penalty += penalty
                    for severity, count in counts.items():
                        cat.errors[severity] = cat.errors.get(severity, 0) + count
            elif by == "rater":
                for rater in result.by_rater:
                    group = groups.setdefault(rater, GroupScore(key=rater))
                    _add(group, seg, result, only_rater=rater)
            else:
                key = segment_system(seg) if by == "system" else segment_document(seg, doc)
                _add(groups.setdefault(key, GroupScore(key=key)), seg, result)
    if by == "category":
        for cat in categories.values():
            cat.rated = total.rated
        ordered = sorted(categories.values(), key=lambda c: (-c.penalty, c.key))
        return ScoreReport(by=by, settings=settings, groups=ordered, total=total)
    return ScoreReport(by=by, settings=settings, groups=list(groups.values()), total=total)


def document_mqm(doc: ReviewDocument, settings: ScoringSettings | None = None) -> float | None:
    """The document's MQM score (mean over rated segments; None when nothing is rated)."""
    settings = settings or ScoringSettings()
    total = 0.0
    rated = 0
    for seg in doc.segments:
        score = segment_mqm(seg, settings)
        if score is not None:
            total += score
            rated += 1
    return total / rated if rated else None


def document_esa(doc: ReviewDocument) -> float | None:
    values = [s.esa for s in doc.segments if s.esa is not None]
    return sum(values) / len(values) if values else None


class ScoreTally:
    """A running document score for an editor: O(1) to update after a change to one segment.

    Build it once (one pass over the document), then call ``update(segment_id)`` after every
    change to that segment; ``mqm``, ``esa`` and ``rated`` are then current.
    """

    def __init__(self, doc: ReviewDocument, settings: ScoringSettings | None = None, *, count: bool = True) -> None:
        """``count=False``: nothing counted yet; ``add`` the segments as a progressive open reads them."""
        self.doc = doc
        self.settings = settings or ScoringSettings()
        # Only rated segments and segments with an ESA score have an entry: at 1,000,000 segments
        # two dicts holding every id (mostly None) cost ~80 MB.
        self._scores: dict[str, float] = {}
        self._esa: dict[str, int] = {}
        self._words: dict[str, int] = {}  # words of rated segments, for the verdict
        self._word_total = 0
        self._penalty = 0.0
        self._rated = 0
        self._esa_sum = 0
        self._esa_count = 0
        if count:
            self.add(doc.segments)

    def add(self, segments: Iterable[Segment]) -> None:
        """Count segments not counted yet (each once: a segment already in is ``update``d)."""
        for seg in segments:
            self._put(seg)

    def _put(self, seg: Segment) -> None:
        score = segment_mqm(seg, self.settings)
        if score is not None:
            self._scores[seg.id] = score
            self._penalty += score
            self._rated += 1
            if self.settings.pass_threshold is not None:
                words = word_count(segment_words_text(seg, self.settings))
                self._words[seg.id] = words
                self._word_total += words
        if seg.esa is not None:
            self._esa[seg.id] = seg.esa
            self._esa_sum += seg.esa
            self._esa_count += 1

    def _drop(self, segment_id: str) -> None:
        score = self._scores.pop(segment_id, None)
        esa = self._esa.pop(segment_id, None)
        if score is not None:
            self._penalty -= score
            self._rated -= 1
            self._word_total -= self._words.pop(segment_id, 0)
        if esa is not None:
            self._esa_sum -= esa
            self._esa_count -= 1

    def update(self, segment_id: str) -> None:
        self._drop(segment_id)
        self._put(self.doc.segment(segment_id))
        if self._rated == 0:
            self._penalty = 0.0  # no float residue once nothing is rated

    def segment_score(self, segment_id: str) -> float | None:
        return self._scores.get(segment_id)

    @property
    def rated(self) -> int:
        return self._rated

    @property
    def mqm(self) -> float | None:
        return self._penalty / self._rated if self._rated else None

    @property
    def esa(self) -> float | None:
        return self._esa_sum / self._esa_count if self._esa_count else None

    @property
    def verdict(self) -> Verdict | None:
        return self.settings.verdict(self._penalty, self._word_total, self._rated)
