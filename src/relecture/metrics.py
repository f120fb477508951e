"""Automatic metrics with sacrebleu: post-edit distance (HTER) and scores against a reference.

- **Post-edit metrics** compare the translation under review (``Segment.target``) with what the
  reviewer settled on (``Segment.final_target``): HTER is TER of the translation against its
  post-edit; chrF and BLEU are computed the same way round. A segment counts when it has a
  post-edit, or when it was approved without one (a zero-edit post-edit: leaving those out would
  make HTER look worse than the review found). Segments still to do are left out.
- **Reference metrics** compare the translation with a reference file (``read_reference``).

HTER is case-sensitive (a change of case is an edit the reviewer made). BLEU tokenises Chinese with
sacrebleu's ``zh`` tokenizer and Japanese/Korean by character (the ``*-mecab`` tokenizers need
extra packages); TER turns on its Asian support for those languages. Every result carries
sacrebleu's signature so the number can be reproduced.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sacrebleu.metrics import BLEU, CHRF, TER

from relecture.errors import InputError
from relecture.model import ReviewDocument, Segment
from relecture.textio import read_text

_CJK_LANGS = {"zh", "ja", "ko"}


def _lang(code: str | None) -> str:
    return (code or "").replace("_", "-").split("-")[0].lower()


def _bleu_tokenizer(target_lang: str | None) -> str:
    lang = _lang(target_lang)
    if lang == "zh":
        return "zh"
    if lang in ("ja", "ko"):
        return "char"
    return "13a"


@dataclass
class MetricScore:
    name: str
    score: float
    signature: str
    detail: str  # sacrebleu's own one-line rendering (BLEU n-gram precisions, brevity penalty...)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "signature": self.signature,
            "detail": self.detail,
        }


@dataclass
class MetricSet:
    """Corpus-level TER (HTER when against post-edits), chrF and BLEU over ``segments`` pairs."""

    kind: str  # "post_edit" | "reference"
    segments: int
    edited: int  # pairs whose hypothesis differs from its reference
    ter: MetricScore
    chrf: MetricScore
    bleu: MetricScore

    def to_dict(self) -> dict[str, Any]:
        return {
            "segments": self.segments,
            "edited": self.edited,
            "ter": self.ter.to_dict(),
            "chrf": self.chrf.to_dict(),
            "bleu": self.bleu.to_dict(),
        }


class _FastTER(TER):
    """sacrebleu's TER, minus its shift search where the answer is known.

    Segments approved as they stand are identical to their "post-edit": zero edits over the
    reference's length, exactly what the full search returns, but without its quadratic cost
    (which made a 100,000-segment report spend minutes here).
    """

    def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: dict[str, Any]) -> list[float]:
        words = hypothesis.split()
        references = ref_kwargs["ref_words"]
        if len(references) == 1 and words == references[0]:
            return [0, len(words)]
        return super()._compute_segment_statistics(hypothesis, ref_kwargs)


# sacrebleu caches every reference's n-grams before scoring (chrF: ~45 KB a sentence, 0.9 GB for
# 20,000); the corpus score only needs the summed per-sentence statistics, so references are
# cached a chunk at a time (same statistics, same score).
SCORE_CHUNK = 2000


def _corpus_score(metric: Any, hyps: list[str], refs: list[str]) -> Any:
    if len(hyps) <= SCORE_CHUNK:
        return metric.corpus_score(hyps, [refs])
    metric._check_corpus_score_args(hyps, [refs])
    stats: list[Any] = []
    for start in range(0, len(hyps), SCORE_CHUNK):
        end = start + SCORE_CHUNK
        stats.extend(metric._extract_corpus_statistics(hyps[start:end], [refs[start:end]]))
    return metric._aggregate_and_compute(stats)


def corpus_metrics(
    hypotheses: Sequence[str], references: Sequence[str], target_lang: str | None, kind: str
) -> MetricSet | None:
    """TER, chrF and BLEU of ``hypotheses`` against ``references`` (None when there are none)."""
    if not hypotheses:
        return None
    hyps = list(hypotheses)
    refs = [list(references)]
    asian = _lang(target_lang) in _CJK_LANGS
    ter = _FastTER(case_sensitive=True, asian_support=asian)
    chrf = CHRF()
    bleu = BLEU(tokenize=_bleu_tokenizer(target_lang))
    results = []
    for name, metric in (("TER", ter), ("chrF", chrf), ("BLEU", bleu)):
        value = _corpus_score(metric, hyps, refs[0])
        results.append(MetricScore(name, float(value.score), str(metric.get_signature()), str(value)))
    edited = sum(1 for h, r in zip(hyps, references, strict=True) if h != r)
    return MetricSet(kind, len(hyps), edited, *results)


def post_edit_pairs(segments: Iterable[Segment]) -> tuple[list[str], list[str]]:
    """(translations, post-edits) of the segments whose final text the reviewer settled."""
    hyps: list[str] = []
    refs: list[str] = []
    for seg in segments:
        if seg.post_edit is not None or seg.status == "approved":
            hyps.append(seg.target)
            refs.append(seg.final_target)
    return hyps, refs


def post_edit_metrics(segments: Iterable[Segment], target_lang: str | None = None) -> MetricSet | None:
    hyps, refs = post_edit_pairs(segments)
    return corpus_metrics(hyps, refs, target_lang, "post_edit")


def reference_metrics(
    segments: Sequence[Segment],
    references: Sequence[str | None],
    target_lang: str | None = None,
) -> MetricSet | None:
    """Metrics of the translations against ``references`` (aligned with ``segments``; a None
    reference leaves its segment out). ``Reference.align`` gives that list."""
    pairs = [(s.target, r) for s, r in zip(segments, references, strict=True) if r is not None]
    return corpus_metrics([h for h, _ in pairs], [r for _, r in pairs], target_lang, "reference")


def segment_chrf(doc: ReviewDocument, reference: Reference | None = None) -> dict[str, float]:
    """Sentence chrF (0-100) per segment id, for sorting "worst first".

    Against the post-edit (segments with a post-edit or approved, see the module docstring), or
    against ``reference`` when given. Segments with nothing to compare with are absent.
    """
    chrf = CHRF()
    out: dict[str, float] = {}
    for position, seg in enumerate(doc.segments):
        if reference is not None:
            ref = reference.for_segment(seg.id, position)
        elif seg.post_edit is not None or seg.status == "approved":
            ref = seg.final_target
        else:
            ref = None
        if ref is not None:
            out[seg.id] = float(chrf.sentence_score(seg.target, [ref]).score)
    return out


# --- reference files ----------------------------------------------------------------------------


@dataclass
class Reference:
    """Reference translations, aligned by position (plain lines) or keyed by segment id."""

    path: Path
    by_id: dict[str, str] | None = None
    lines: list[str] | None = None

    def for_segment(self, segment_id: str, position: int) -> str | None:
        if self.by_id is not None:
            return self.by_id.get(segment_id)
        assert self.lines is not None
        return self.lines[position] if position < len(self.lines) else None

    def align(self, segments: Sequence[Segment]) -> list[str | None]:
        """The reference of each segment (None where it has none), in order."""
        return [self.for_segment(seg.id, i) for i, seg in enumerate(segments)]

    def unmatched(self, segment_ids: Sequence[str]) -> list[str]:
        """Ids of an id-keyed reference that name no segment of the review (in file order)."""
        if self.by_id is None:
            return []
        known = set(segment_ids)
        return [i for i in self.by_id if i not in known]

    def check_fits(self, segment_ids: Sequence[str]) -> None:
        """A positional reference must have exactly one line per segment; an id-keyed one must
        name at least one of the segments (otherwise the user picked the wrong file)."""
        if self.lines is not None and len(self.lines) != len(segment_ids):
            raise InputError(
                self.path,
                f"has {len(self.lines)} lines but the review has {len(segment_ids)} segments; "
                "an aligned reference needs one line per segment (or use TSV/JSONL with ids)",
            )
        if self.by_id is not None and not any(i in self.by_id for i in segment_ids):
            raise InputError(self.path, "none of its ids matches a segment id of the review")


def read_reference(path: str | Path) -> Reference:
    """Read a reference file.

    - ``.jsonl``: objects with ``id`` and ``reference`` (or ``ref`` / ``target``);
    - ``.tsv``: two columns ``id<TAB>reference`` (a first row ``id<TAB>...`` is a header);
    - anything else: plain UTF-8 text, one reference per line, in segment order.
    """
    p = Path(path)
    text = read_text(p)  # the same decoding rules, and errors, as every imported document
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return Reference(p, by_id=_jsonl_reference(p, text))
    if suffix in (".tsv", ".tab"):
        return Reference(p, by_id=_tsv_reference(p, text))
    # Split on line ends only: str.splitlines would also split on U+2028 and form feeds,
    # which can occur inside a sentence and would shift every later reference.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if text.endswith("\n"):
        lines.pop()
    return Reference(p, lines=lines if text else [])


def _jsonl_reference(p: Path, text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(p, f"malformed JSON: {exc.msg}", f"{number}:{exc.colno}") from None
        if not isinstance(item, dict):
            raise InputError(p, "expected an object", f"line {number}")
        seg_id = item.get("id")
        ref = next((item[k] for k in ("reference", "ref", "target") if k in item), None)
        if not isinstance(seg_id, str | int) or isinstance(seg_id, bool):
            raise InputError(p, "needs an 'id' (string)", f"line {number}")
        if not isinstance(ref, str):
            raise InputError(p, "needs a 'reference' (string)", f"line {number}")
        out[str(seg_id)] = ref
    return out


def _tsv_reference(p: Path, text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, row in enumerate(reader, start=1):
        if not row or not any(c.strip() for c in row):
            continue
        if number == 1 and row[0].strip().lower() == "id":
            continue
        if len(row) < 2:
            raise InputError(p, "expected two columns: id<TAB>reference", f"line {number}")
        out[row[0]] = row[1]
    return out
