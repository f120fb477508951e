"""Agreement between the reviewers of one document, measured as WMT and the ESA paper do.

For every pair of reviewers, on the segments both rated (and overall, pooling every pair's
observations; a pair's two raters are taken in name order):

- **Segment scores**: Kendall's tau (variant c, which handles the many ties of MQM scores) and
  Pearson's r between the two reviewers' MQM scores of a segment (``scoring``: each rater's sum
  of error weights), and between their ESA scores (each reviewer's layer) where both gave one.
- **Error spans** (annotations of severity minor, major or critical with a span; a zero-width
  span, such as an omission's insertion point, counts as the one character after it):
  the share of one reviewer's spans overlapped by a span of the other's on the same side (any;
  of the same severity; of the same category), each way and pooled; and character-level span
  precision, recall and F1 of the first reviewer against the second, a character both marked
  counting 1 when the two spans covering it agree on severity and 0.5 when they do not (partial
  overlap gets partial credit, as in WMT's error span detection scoring).
- **"This segment has an error"**: the share of segments on which both say yes or both say no,
  for any error and for a major (or critical) one.

Confidence intervals: percentile bootstrap over segments (``scipy.stats.bootstrap``, seeded, so
the same file gives the same figures); a segment is resampled with all the pairs it holds.
Statistics come from scipy (``kendalltau``, ``pearsonr``, ``bootstrap``), not written here.
"""

from __future__ import annotations

import dataclasses
import itertools
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from relecture.layers import ERROR_SEVERITIES, MAJOR_SEVERITIES, ErrorSpan, error_spans
from relecture.model import Annotation, ReviewDocument, Segment
from relecture.scoring import ScoringSettings, score_segment, segment_raters

DEFAULT_RESAMPLES = 1000
CONFIDENCE = 0.95

# Count columns summed over segments (one row per segment of a group).
_COUNTS = (
    "a_spans", "a_any", "a_severity", "a_category",
    "b_spans", "b_any", "b_severity", "b_category",
    "credit", "a_chars", "b_chars",
    "agree_any", "agree_major", "pairs",
)
_C = {name: i for i, name in enumerate(_COUNTS)}
# The statistics of a group, in the order the bootstrap returns them.
STATISTICS = (
    "mqm_tau", "mqm_pearson", "esa_tau", "esa_pearson",
    "overlap_any", "overlap_severity", "overlap_category",
    "a_by_b_any", "a_by_b_severity", "a_by_b_category",
    "b_by_a_any", "b_by_a_severity", "b_by_a_category",
    "precision", "recall", "f1",
    "has_error_any", "has_error_major",
)


def _pair_counts(a_ann: list[Annotation], b_ann: list[Annotation]) -> np.ndarray:
    """One segment's counts for reviewers a and b (their annotations on it)."""
    row = np.zeros(len(_COUNTS))
    a_spans, b_spans = error_spans(a_ann), error_spans(b_ann)
    for mine, theirs, prefix in ((a_spans, b_spans, "a"), (b_spans, a_spans, "b")):
        row[_C[f"{prefix}_spans"]] = len(mine)
        for span in mine:
            hits = [o for o in theirs if span.overlaps(o)]
            row[_C[f"{prefix}_any"]] += bool(hits)
            row[_C[f"{prefix}_severity"]] += any(o.severity == span.severity for o in hits)
            row[_C[f"{prefix}_category"]] += any(o.category == span.category for o in hits)
    a_chars = _chars(a_spans)
    b_chars = _chars(b_spans)
    row[_C["a_chars"]] = len(a_chars)
    row[_C["b_chars"]] = len(b_chars)
    for key in a_chars.keys() & b_chars.keys():
        row[_C["credit"]] += 1.0 if a_chars[key] & b_chars[key] else 0.5
    a_sev = {a.severity for a in a_ann}
    b_sev = {b.severity for b in b_ann}
    row[_C["agree_any"]] = bool(a_sev & ERROR_SEVERITIES) == bool(b_sev & ERROR_SEVERITIES)
    row[_C["agree_major"]] = bool(a_sev & MAJOR_SEVERITIES) == bool(b_sev & MAJOR_SEVERITIES)
    row[_C["pairs"]] = 1
    return row


def _chars(spans: list[ErrorSpan]) -> dict[tuple[str, int], set[str]]:
    """Each marked character (side, position) -> the severities of the spans covering it."""
    out: dict[tuple[str, int], set[str]] = {}
    for span in spans:
        for pos in range(span.start, span.end):
            out.setdefault((span.side, pos), set()).add(span.severity)
    return out


@dataclass
class _Group:
    """The observations of one pair (or of all pairs pooled), segment by segment."""

    segments: int = 0
    counts: list[np.ndarray] = field(default_factory=list)  # one row per segment
    mqm: list[list[tuple[float, float]]] = field(default_factory=list)  # per segment
    esa: list[list[tuple[float, float]]] = field(default_factory=list)

    def add(self, counts: np.ndarray, mqm: list[tuple[float, float]], esa: list[tuple[float, float]]) -> None:
        self.segments += 1
        self.counts.append(counts)
        self.mqm.append(mqm)
        self.esa.append(esa)


class _Observations:
    """A group's per-segment observations as arrays, so a bootstrap resample is a gather."""

    def __init__(self, group: _Group) -> None:
        self.counts = np.array(group.counts) if group.counts else np.zeros((0, len(_COUNTS)))
        self.mqm = _Ragged(group.mqm)
        self.esa = _Ragged(group.esa)

    def statistics(self, positions: np.ndarray) -> np.ndarray:
        c = self.counts[positions].sum(axis=0)
        mx, my = self.mqm.take(positions)
        ex, ey = self.esa.take(positions)
        a_n, b_n = c[_C["a_spans"]], c[_C["b_spans"]]
        return np.array([
            _tau(mx, my), _pearson(mx, my), _tau(ex, ey), _pearson(ex, ey),
            _ratio(c[_C["a_any"]] + c[_C["b_any"]], a_n + b_n),
            _ratio(c[_C["a_severity"]] + c[_C["b_severity"]], a_n + b_n),
            _ratio(c[_C["a_category"]] + c[_C["b_category"]], a_n + b_n),
            _ratio(c[_C["a_any"]], a_n), _ratio(c[_C["a_severity"]], a_n), _ratio(c[_C["a_category"]], a_n),
            _ratio(c[_C["b_any"]], b_n), _ratio(c[_C["b_severity"]], b_n), _ratio(c[_C["b_category"]], b_n),
            _ratio(c[_C["credit"]], c[_C["a_chars"]]),
            _ratio(c[_C["credit"]], c[_C["b_chars"]]),
            _ratio(2 * c[_C["credit"]], c[_C["a_chars"]] + c[_C["b_chars"]]),
            _ratio(c[_C["agree_any"]], c[_C["pairs"]]),
            _ratio(c[_C["agree_major"]], c[_C["pairs"]]),
        ])

    def sizes(self) -> dict[str, int]:
        c = self.counts.sum(axis=0) if len(self.counts) else np.zeros(len(_COUNTS))
        return {
            "mqm_pairs": self.mqm.total,
            "esa_pairs": self.esa.total,
            "a_spans": int(c[_C["a_spans"]]),
            "b_spans": int(c[_C["b_spans"]]),
        }


class _Ragged:
    """Per-segment lists of (x, y) observations, gathered for any multiset of segments."""

    def __init__(self, rows: list[list[tuple[float, float]]]) -> None:
        self.lengths = np.array([len(r) for r in rows], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64) if rows else self.lengths
        flat = [xy for r in rows for xy in r]
        self.x = np.array([p[0] for p in flat], dtype=float)
        self.y = np.array([p[1] for p in flat], dtype=float)
        self.total = len(flat)

    def take(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.total:
            return self.x, self.y
        lengths = self.lengths[positions]
        count = int(lengths.sum())
        offsets = np.repeat(self.starts[positions] - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        index = offsets + np.arange(count)
        return self.x[index], self.y[index]


def _ratio(part: float, whole: float) -> float:
    return float(part / whole) if whole else float("nan")


def _varied(x: np.ndarray, y: np.ndarray) -> bool:
    return len(x) >= 2 and bool(np.ptp(x) > 0) and bool(np.ptp(y) > 0)


def _tau(x: np.ndarray, y: np.ndarray) -> float:
    return float(stats.kendalltau(x, y, variant="c").statistic) if _varied(x, y) else float("nan")


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(stats.pearsonr(x, y).statistic) if _varied(x, y) else float("nan")


@dataclass
class GroupAgreement:
    """The figures of one pair of reviewers (``a``, ``b``) or of all pairs (``a`` = ``b`` = None)."""

    a: str | None
    b: str | None
    segments: int
    sizes: dict[str, int]
    values: dict[str, float | None]
    intervals: dict[str, tuple[float, float] | None]

    def figure(self, name: str) -> dict[str, float | None]:
        low_high = self.intervals.get(name)
        return {
            "value": self.values.get(name),
            "low": None if low_high is None else low_high[0],
            "high": None if low_high is None else low_high[1],
        }

    def to_dict(self) -> dict[str, Any]:
        f = self.figure
        data: dict[str, Any] = {}
        if self.a is not None:
            data.update({"a": self.a, "b": self.b})
        data.update({
            "segments": self.segments,
            "mqm": {"pairs": self.sizes["mqm_pairs"], "kendall_tau_c": f("mqm_tau"), "pearson": f("mqm_pearson")},
            "esa": {"pairs": self.sizes["esa_pairs"], "kendall_tau_c": f("esa_tau"), "pearson": f("esa_pearson")},
            "spans": {
                "a_spans": self.sizes["a_spans"],
                "b_spans": self.sizes["b_spans"],
                "overlapped": {"any": f("overlap_any"), "same_severity": f("overlap_severity"),
                               "same_category": f("overlap_category")},
                "a_overlapped_by_b": {"any": f("a_by_b_any"), "same_severity": f("a_by_b_severity"),
                                      "same_category": f("a_by_b_category")},
                "b_overlapped_by_a": {"any": f("b_by_a_any"), "same_severity": f("b_by_a_severity"),
                                      "same_category": f("b_by_a_category")},
                "precision": f("precision"), "recall": f("recall"), "f1": f("f1"),
            },
            "has_error": {"any": f("has_error_any"), "major": f("has_error_major")},
        })
        return data


@dataclass
class AgreementReport:
    reviewers: list[str]
    segments: int  # segments with at least two raters
    resamples: int
    confidence: float
    overall: GroupAgreement
    pairs: list[GroupAgreement]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reviewers": self.reviewers,
            "segments": self.segments,
            "bootstrap": {"resamples": self.resamples, "confidence": self.confidence, "method": "percentile",
                          "unit": "segment"},
            "overall": self.overall.to_dict(),
            "pairs": [p.to_dict() for p in self.pairs],
        }


def _esa(seg: Segment, reviewer: str) -> int | None:
    layer = seg.layers.get(reviewer)
    return None if layer is None else layer.esa


def agreement(
    doc: ReviewDocument,
    settings: ScoringSettings | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = 0,
) -> AgreementReport:
    """Agreement of every pair of reviewers of ``doc`` and overall (see the module docstring)."""
    settings = settings or ScoringSettings()
    overall = _Group()
    pairs: dict[tuple[str, str], _Group] = {}
    reviewers: set[str] = set()
    for seg in doc.segments:
        raters = segment_raters(seg, settings)
        esa_raters = [r for r in seg.layers if seg.layers[r].esa is not None]
        names = sorted(set(raters) | set(esa_raters))
        if len(names) < 2:
            continue
        reviewers.update(names)
        scores = score_segment(seg, settings).by_rater
        by_author: dict[str, list[Annotation]] = {}
        for ann in seg.annotations:
            by_author.setdefault(ann.author or settings.local_rater, []).append(ann)
        seg_counts = np.zeros(len(_COUNTS))
        seg_mqm: list[tuple[float, float]] = []
        seg_esa: list[tuple[float, float]] = []
        for a, b in itertools.combinations(names, 2):
            mqm = [(scores[a], scores[b])] if a in scores and b in scores else []
            ea, eb = _esa(seg, a), _esa(seg, b)
            esa = [(float(ea), float(eb))] if ea is not None and eb is not None else []
            counts = (
                _pair_counts(by_author.get(a, []), by_author.get(b, []))
                if a in scores and b in scores else np.zeros(len(_COUNTS))
            )
            pairs.setdefault((a, b), _Group()).add(counts, mqm, esa)
            seg_counts += counts
            seg_mqm += mqm
            seg_esa += esa
        overall.add(seg_counts, seg_mqm, seg_esa)
    results = [
        _measure(group, a, b, resamples, confidence, seed) for (a, b), group in sorted(pairs.items())
    ]
    if len(results) == 1:  # two reviewers: overall is their pair (the same observations)
        whole = dataclasses.replace(results[0], a=None, b=None)
    else:
        whole = _measure(overall, None, None, resamples, confidence, seed)
    return AgreementReport(
        reviewers=sorted(reviewers),
        segments=overall.segments,
        resamples=resamples,
        confidence=confidence,
        overall=whole,
        pairs=results,
    )


def _measure(
    group: _Group, a: str | None, b: str | None, resamples: int, confidence: float, seed: int
) -> GroupAgreement:
    obs = _Observations(group)
    everything = np.arange(group.segments)
    point = obs.statistics(everything) if group.segments else np.full(len(STATISTICS), np.nan)
    values = {name: _clean(v) for name, v in zip(STATISTICS, point, strict=True)}
    intervals: dict[str, tuple[float, float] | None] = dict.fromkeys(STATISTICS)
    if resamples and group.segments >= 2:
        intervals = _bootstrap(obs.statistics, group.segments, resamples, confidence, seed)
    return GroupAgreement(a, b, group.segments, obs.sizes(), values, intervals)


def _bootstrap(
    statistic: Callable[[np.ndarray], np.ndarray], n: int, resamples: int, confidence: float, seed: int
) -> dict[str, tuple[float, float] | None]:
    def resampled(positions: np.ndarray) -> np.ndarray:
        return statistic(positions.astype(np.int64))

    with warnings.catch_warnings():
        # A resample can be constant (no spans, one score): its statistic is NaN (see below).
        warnings.simplefilter("ignore")
        result = stats.bootstrap(
            (np.arange(n),), resampled, vectorized=False, n_resamples=resamples,
            confidence_level=confidence, method="percentile", rng=np.random.default_rng(seed),
        )
    low, high = np.atleast_1d(result.confidence_interval.low), np.atleast_1d(result.confidence_interval.high)
    distribution = np.atleast_2d(result.bootstrap_distribution)
    alpha = (1 - confidence) / 2
    out: dict[str, tuple[float, float] | None] = {}
    for i, name in enumerate(STATISTICS):
        lo, hi = low[i], high[i]
        if np.isnan(lo) or np.isnan(hi):
            # scipy's interval is NaN as soon as one resample is: the percentile interval of
            # the resamples where the statistic exists, when most of them have one.
            finite = distribution[i][np.isfinite(distribution[i])]
            if len(finite) < resamples / 2:
                out[name] = None
                continue
            lo, hi = np.percentile(finite, [100 * alpha, 100 * (1 - alpha)])
        out[name] = (round(float(lo), 6), round(float(hi), 6))
    return out


def _clean(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 6)
