"""``relecture agree``: agreement between the reviewers of one review (``relecture.agreement``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from relecture.agreement import DEFAULT_RESAMPLES, AgreementReport, GroupAgreement, agreement
from relecture.commands._inputs import load_document
from relecture.config import load_config
from relecture.errors import InputError
from relecture.scoring import settings_from_config


@click.command("agree")
@click.argument("review", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--resamples", type=click.IntRange(min=0), default=DEFAULT_RESAMPLES, show_default=True,
              help="Bootstrap resamples over segments for the confidence intervals (0: none).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="TOML settings file (its [scoring] weights give the MQM segment scores).")
def agree_command(review: Path, fmt: str, resamples: int, config_path: Path | None) -> None:
    """Agreement between REVIEW's reviewers, per pair and overall: Kendall's tau (c) and Pearson
    on MQM and ESA segment scores, error-span overlap and F1, "has an error" agreement, with
    bootstrap 95% confidence intervals over segments. REVIEW is a review file or any importable
    file with several raters (e.g. a WMT MQM TSV)."""
    settings = settings_from_config(load_config(review, config_path))
    doc = load_document(review)
    report = agreement(doc, settings, resamples=resamples)
    if report.segments == 0:
        raise InputError(review, "no segment has two reviewers: nothing to compare")
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(_text(report), nl=False)


def _figure(group: GroupAgreement, name: str, digits: int = 3) -> str:
    value = group.values.get(name)
    if value is None:
        return "-"
    interval = group.intervals.get(name)
    text = f"{value:.{digits}f}"
    return text + (f" [{interval[0]:.{digits}f}, {interval[1]:.{digits}f}]" if interval else "")


def _cell(text: str) -> str:
    return " ".join(text.split()) or "(empty)"


ROWS = (
    ("MQM Kendall tau-c", "mqm_tau"),
    ("MQM Pearson r", "mqm_pearson"),
    ("ESA Kendall tau-c", "esa_tau"),
    ("ESA Pearson r", "esa_pearson"),
    ("spans overlapped (any)", "overlap_any"),
    ("spans overlapped (same severity)", "overlap_severity"),
    ("spans overlapped (same category)", "overlap_category"),
    ("span precision (A vs B)", "precision"),
    ("span recall (A vs B)", "recall"),
    ("span F1", "f1"),
    ("agree: segment has an error", "has_error_any"),
    ("agree: segment has a major error", "has_error_major"),
)


def _text(report: AgreementReport) -> str:
    ci = f"{report.confidence:.0%} bootstrap CI over segments, {report.resamples} resamples"
    lines = [
        f"Agreement of {len(report.reviewers)} reviewers on {report.segments} segments rated by two or more "
        f"({ci if report.resamples else 'no confidence intervals'})",
        "",
        "overall (every pair's observations pooled; A = the first name of each pair):",
    ]
    o = report.overall
    lines.append(f"  {o.sizes['mqm_pairs']} MQM score pairs, {o.sizes['esa_pairs']} ESA score pairs, "
                 f"{o.sizes['a_spans'] + o.sizes['b_spans']} error spans compared (once per pair they are in)")
    width = max(len(label) for label, _ in ROWS)
    for label, name in ROWS:
        lines.append(f"  {label.ljust(width)}  {_figure(o, name)}")
    lines += ["", "per pair:"]
    header = ["A", "B", "segments", "MQM tau-c", "MQM r", "ESA tau-c", "overlap", "span F1", "has error", "major"]
    rows = [header]
    for p in report.pairs:
        rows.append([
            _cell(p.a or ""), _cell(p.b or ""), str(p.segments),
            _figure(p, "mqm_tau"), _figure(p, "mqm_pearson"), _figure(p, "esa_tau"),
            _figure(p, "overlap_any"), _figure(p, "f1"), _figure(p, "has_error_any"), _figure(p, "has_error_major"),
        ])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"
