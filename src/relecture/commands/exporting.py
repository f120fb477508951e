"""``relecture export``: write a review in another format.

The output is written atomically (a temporary file renamed over OUT), so OUT is either the old
file or the complete new one. An existing OUT is replaced, as exports normally are; the one
refusal is an OUT that is the REVIEW file itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from relecture.commands._inputs import load_document
from relecture.commands._stdout import silence_stdout
from relecture.config import load_config
from relecture.errors import InputError, RelectureError
from relecture.exporters import (
    WRITERS,
    ExportOptions,
    default_export_path,
    export_document,
    export_options,
    export_to_stream,
)
from relecture.layers import attributed
from relecture.model import ReviewDocument
from relecture.store import export_refusal
from relecture.textsafe import visible_line


@click.command("export")
@click.argument("review", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--to", "fmt", type=click.Choice(sorted(WRITERS)), required=True, help="Output format."
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Output file (default: REVIEW without .review.json, with the format's suffix).",
)
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 BOM (for Excel).")
@click.option(
    "--no-formula-guard",
    is_flag=True,
    help="CSV: do not prefix cells starting with = + - @ with an apostrophe.",
)
@click.option(
    "--approved-state",
    type=click.Choice(["reviewed", "final"]),
    default=None,
    help="XLIFF: state written for approved segments (default: the state the file was imported with, else reviewed).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="TOML settings file (reports use its [scoring] table).",
)
def export_command(
    review: Path,
    fmt: str,
    output: Path | None,
    bom: bool,
    no_formula_guard: bool,
    approved_state: str | None,
    config_path: Path | None,
) -> None:
    """Export REVIEW (a review file, or any importable file) to json, jsonl, csv, mqm (TSV),
    xliff (2.1), tmx, html or markdown; or deliver it in its own format: original (the file it
    was imported from, patched), po, xliff12, sdlxliff."""
    to_stdout = output is not None and str(output) == "-"
    out = output if output is not None else default_export_path(review, fmt)
    if not to_stdout:
        if out.exists() and review.exists() and out.resolve() == review.resolve():
            raise InputError(out, "is the input file; choose another output with -o")
        refused = export_refusal(review, out)
        if refused:
            raise InputError(out, f"{refused}; choose another output with -o")
        if out.is_dir():
            raise InputError(out, "is a directory; -o needs a file name")
    options = export_options(
        review, load_config(review, config_path),
        bom=bom, formula_guard=not no_formula_guard, approved_state=approved_state,
    )
    # Unnamed work credited to the reviewer, as `score` credits it: one identity.
    doc = attributed(load_document(review), options.scoring_settings().local_rater)
    try:
        if to_stdout:
            _export_to_stdout(doc, fmt, options)
        else:
            export_document(doc, fmt, out, options)
    except OSError as exc:
        raise RelectureError(
            f"{out}: cannot write ({exc.strerror or exc}); nothing was written"
        ) from None
    except InputError as exc:
        if exc.path is not None:
            raise
        # The review does not fit the format: name the review, say nothing was written.
        raise InputError(review, f"{exc.message}; nothing was written", exc.place) from None
    where = "standard output" if to_stdout else str(out)
    click.echo(visible_line(f"Wrote {where} ({fmt}, {len(doc.segments)} segments)"), err=True)


def _export_to_stdout(doc: ReviewDocument, fmt: str, options: ExportOptions) -> None:
    """``-o -``: the export goes to standard output; a write that fails is an error, never a
    silent success."""
    try:
        export_to_stream(doc, fmt, sys.stdout.buffer, options)
        sys.stdout.buffer.flush()
    except OSError as exc:
        silence_stdout()
        raise InputError("<stdout>", f"cannot write the export: {exc.strerror or exc}") from None
