"""``relecture score``: MQM, ESA and sacrebleu metrics of one or more reviews."""

from __future__ import annotations

import dataclasses
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from relecture.commands._inputs import load_document
from relecture.commands._stdout import warn
from relecture.config import load_config
from relecture.metrics import MetricSet, post_edit_metrics, read_reference, reference_metrics
from relecture.model import SEVERITIES, ReviewDocument, Segment
from relecture.scoring import (
    GROUPINGS,
    CategoryScore,
    GroupScore,
    ScoreReport,
    ScoringSettings,
    score_documents,
    segment_document,
    segment_system,
    settings_from_config,
)
from relecture.textsafe import visible_line


@click.command("score")
@click.argument("reviews", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--by",
    "by",
    type=click.Choice(GROUPINGS),
    default=None,
    help="Group rows by document, system, rater or category "
    "(default: system when the inputs name systems, else document).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--reference",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Reference translations: one line per segment, or TSV (id, reference) / JSONL with ids.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="TOML settings file (table [scoring]).",
)
@click.option(
    "--fail-below",
    "fail_below",
    type=float,
    default=None,
    metavar="N",
    help="LQA gate for CI: exit 1 unless the verdict is PASS with threshold N, in the unit of "
    "[scoring] pass_unit (quality score by default).",
)
def score_command(
    reviews: tuple[Path, ...],
    by: str | None,
    fmt: str,
    reference: Path | None,
    config_path: Path | None,
    fail_below: float | None,
) -> None:
    """Score reviews: MQM (WMT weights), ESA, HTER/chrF/BLEU of post-edits, and against a
    reference. REVIEW is a review file or any importable file (e.g. a WMT MQM TSV)."""
    settings = settings_from_config(load_config(reviews[0], config_path))
    if fail_below is not None:
        settings = dataclasses.replace(settings, pass_threshold=fail_below)
    docs = [load_document(p) for p in reviews]
    if by is None:
        by = "system" if any("system" in s.meta for d in docs for s in d.segments) else "document"
    report = score_documents(docs, by=by, settings=settings)
    segments = [s for d in docs for s in d.segments]
    # Reference of each segment, keyed by object identity: ids may repeat across input files.
    refs: dict[int, str | None] | None = None
    if reference is not None:
        ref = read_reference(reference)
        ids = [s.id for s in segments]
        ref.check_fits(ids)
        stray = ref.unmatched(ids)
        if stray:
            # Most likely a reference for another version of the document: say so, do not guess.
            shown = ", ".join(repr(i) for i in stray[:3]) + (", ..." if len(stray) > 3 else "")
            warn(f"{reference}: {len(stray)} id(s) match no segment ({shown}); left out")
        refs = {id(s): r for s, r in zip(segments, ref.align(segments), strict=True)}
    target_lang = next((d.target_lang for d in docs if d.target_lang), None)
    total_metrics = _metrics(segments, refs, target_lang)
    group_metrics: dict[str, dict[str, MetricSet | None]] = {}
    if by in ("document", "system"):
        grouped: dict[str, list[Segment]] = {}
        for doc in docs:
            for seg in doc.segments:
                key = segment_system(seg) if by == "system" else segment_document(seg, doc)
                grouped.setdefault(key, []).append(seg)
        if len(grouped) > 1:
            group_metrics = {k: _metrics(v, refs, target_lang) for k, v in grouped.items()}
    if fmt == "json":
        click.echo(_json(reviews, report, total_metrics, group_metrics), nl=False)
    else:
        click.echo(_text(docs, report, total_metrics, group_metrics), nl=False)
    verdict = report.total.verdict(settings)
    if fail_below is not None and verdict is not None and verdict.passed is not True:
        sys.exit(1)


def _metrics(
    segments: Sequence[Segment], refs: dict[int, str | None] | None, target_lang: str | None
) -> dict[str, MetricSet | None]:
    """Post-edit metrics, and reference metrics when a reference was given."""
    out: dict[str, MetricSet | None] = {"post_edit": post_edit_metrics(segments, target_lang)}
    if refs is not None:
        aligned = [refs[id(s)] for s in segments]
        out["reference"] = reference_metrics(segments, aligned, target_lang)
    return out


def _metrics_dict(metrics: dict[str, MetricSet | None]) -> dict[str, Any]:
    return {k: (v.to_dict() if v is not None else None) for k, v in metrics.items()}


def _json(
    reviews: Sequence[Path],
    report: ScoreReport,
    total_metrics: dict[str, MetricSet | None],
    group_metrics: dict[str, dict[str, MetricSet | None]],
) -> str:
    data = report.to_dict()
    data = {"inputs": [str(p) for p in reviews], **data}
    data["total"]["metrics"] = _metrics_dict(total_metrics)
    for group in data["groups"]:
        if group["key"] in group_metrics:
            group["metrics"] = _metrics_dict(group_metrics[group["key"]])
    return json.dumps(_finite(data), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _finite(value: Any) -> Any:
    """JSON has no Infinity or NaN (huge weights overflow a sum): such a number is null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


# --- text ---------------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _cell(text: str) -> str:
    # Keys come from data (system names, categories): one line per row, controls as signs.
    return visible_line(" ".join(text.split())) or "(empty)"


def _table(header: list[str], rows: list[list[str]], aligns: str = "") -> list[str]:
    """Aligned plain-text columns; ``aligns`` has one l/r per column (default: l then r...)."""
    aligns = aligns or "l" + "r" * (len(header) - 1)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(row, widths, aligns, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


def _weights_note(settings: ScoringSettings) -> str:
    sev = ", ".join(f"{s} {settings.severity_weights.get(s, 0):g}" for s in reversed(SEVERITIES))
    extra = [f"non-translation {settings.non_translation:g}"]
    for (dim, sub), weights in sorted(settings.category_weights.items()):
        name = f"{dim}/{sub}" if sub else dim
        extra += [f"{s} {name} {w:g}" for s, w in weights.items()]
    if not settings.count_source_issues:
        extra.append("source issues not counted")
    return f"weights: {sev}; " + ", ".join(extra)


def _text(
    docs: Sequence[ReviewDocument],
    report: ScoreReport,
    total_metrics: dict[str, MetricSet | None],
    group_metrics: dict[str, dict[str, MetricSet | None]],
) -> str:
    settings = report.settings
    n = settings.reference_word_count
    total = report.total
    lines = [
        f"MQM by {report.by} (mean penalty per rated segment; lower is better)",
        _weights_note(settings),
        "",
    ]
    if report.by == "category":
        header = ["category", *reversed(SEVERITIES), "penalty", "MQM share"]
        rows = []
        for cat in report.groups:
            assert isinstance(cat, CategoryScore)
            rows.append(
                [_cell(cat.key)]
                + [str(cat.errors.get(s, 0)) for s in reversed(SEVERITIES)]
                + [f"{cat.penalty:g}", _fmt(cat.mqm)]
            )
        rows.append(
            ["all"]
            + [str(total.errors.get(s, 0)) for s in reversed(SEVERITIES)]
            + [f"{total.penalty:g}", _fmt(total.mqm)]
        )
        lines += _table(header, rows)
    else:
        header = [
            report.by,
            "segments",
            "rated",
            *reversed(SEVERITIES),
            "MQM",
            f"per {n} words",
            "quality",
            "ESA",
        ]
        rows = [_group_row(g, n) for g in report.groups if isinstance(g, GroupScore)]
        if report.by != "rater" or len(rows) != 1:
            rows.append(_group_row(total, n))
        lines += _table(header, rows)
    lines += [
        "",
        f"Rated {total.rated} of {total.segments} segments (unrated segments are left out). "
        f"quality = 100 - penalty per 100 words (MQM 2.0); words counted on the "
        f"{settings.word_count_side} side.",
    ]
    progress = ", ".join(f"{k} {v}" for k, v in sorted(total.statuses.items()))
    lines.append(f"Review status: {progress}.")
    verdict = total.verdict(settings)
    if verdict is not None:
        lines.append(f"LQA verdict: {verdict.describe(n)}.")
    lines += _metrics_text("all", total_metrics)
    for key, metrics in group_metrics.items():
        lines += _metrics_text(_cell(key), metrics)
    return "\n".join(lines) + "\n"


def _group_row(group: GroupScore, n: int) -> list[str]:
    return [
        _cell(group.key),
        str(group.segments),
        str(group.rated),
        *(str(group.errors.get(s, 0)) for s in reversed(SEVERITIES)),
        _fmt(group.mqm),
        _fmt(group.penalty_per_words(n), 2),
        _fmt(group.quality_score, 2),
        _fmt(group.esa, 1),
    ]


def _metrics_text(label: str, metrics: dict[str, MetricSet | None]) -> list[str]:
    lines: list[str] = []
    titles = {"post_edit": "Post-edit metrics", "reference": "Reference metrics"}
    names = {"post_edit": "HTER", "reference": "TER"}
    for kind, result in metrics.items():
        if result is None:
            if kind == "reference":
                lines += ["", f"{titles[kind]} ({label}): no segment has a reference."]
            continue
        lines += [
            "",
            f"{titles[kind]} ({label}): {result.segments} segments, {result.edited} differ",
        ]
        rows = [
            [names[kind], f"{result.ter.score:.2f}", result.ter.signature],
            ["chrF", f"{result.chrf.score:.2f}", result.chrf.signature],
            ["BLEU", f"{result.bleu.score:.2f}", result.bleu.signature],
        ]
        lines += ["  " + line for line in _table(["metric", "score", "signature"], rows, aligns="lrl")]
    return lines
