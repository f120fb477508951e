"""``relecture import`` and ``relecture info``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from relecture.commands._stdout import warn
from relecture.errors import InputError
from relecture.identity import resolve_reviewer
from relecture.importers import READERS, ImportOptions, import_document
from relecture.layers import attribute_unnamed, document_reviewers
from relecture.model import STATUSES, ReviewDocument
from relecture.store import ReviewStore, review_path_for
from relecture.textsafe import visible_line


def parse_columns(value: str | None) -> dict[str, str]:
    """``id=ID,source=en,target=fr`` -> mapping of role to column name."""
    if not value:
        return {}
    mapping: dict[str, str] = {}
    for part in value.split(","):
        role, sep, column = part.partition("=")
        role = role.strip()
        if not sep or role not in ("id", "source", "target") or not column.strip():
            raise click.BadParameter(f"{part!r}: expected ROLE=COLUMN with ROLE id, source or target")
        mapping[role] = column.strip()
    return mapping


def import_options(
    source: Path | None,
    source_lang: str | None,
    target_lang: str | None,
    segment: str,
    columns: str | None = None,
) -> ImportOptions:
    return ImportOptions(
        source_path=source,
        source_lang=source_lang,
        target_lang=target_lang,
        segment=segment,
        columns=parse_columns(columns),
    )


source_option = click.option(
    "--source", "source", type=click.Path(path_type=Path, dir_okay=False),
    help="Source-language file, paragraph-aligned with a plain-text FILE.",
)


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@source_option
@click.option("--format", "fmt", type=click.Choice(sorted(READERS)), help="Input format (default: from the extension).")
@click.option("--source-lang", help="Source language code (e.g. zh, en).")
@click.option("--target-lang", help="Target language code (detected when omitted).")
@click.option("--segment", type=click.Choice(["sentence", "paragraph"]), default="sentence", show_default=True)
@click.option("--columns", help="TSV/CSV/JSONL column names: id=ID,source=SRC,target=TGT.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Review file to write (default: FILE.review.json).")
@click.option("--force", is_flag=True, help="Replace an existing review file (the old one is kept as .bak).")
@click.option("--reviewer", default=None,
              help="Record the file's own statuses, notes, post-edits and unnamed annotations as NAME's.")
def import_command(
    file: Path,
    source: Path | None,
    fmt: str | None,
    source_lang: str | None,
    target_lang: str | None,
    segment: str,
    columns: str | None,
    output: Path | None,
    force: bool,
    reviewer: str | None,
) -> None:
    """Import FILE (text, TSV, CSV, JSONL, MQM TSV, XLIFF, PO, TMX) into a review file."""
    out = output or review_path_for(file)
    if out.exists() and not force:
        raise InputError(out, "review file exists already; use --force to replace it (a .bak is kept)")
    doc = import_document(file, import_options(source, source_lang, target_lang, segment, columns), fmt, allow_empty=True)
    if not doc.segments:
        # A valid file with nothing to translate (an XLIFF without units, a header-only PO).
        click.echo(visible_line(f"{file}: no segments; nothing to review, no review file written"))
        return
    if reviewer is not None:
        attribute_unnamed(doc, resolve_reviewer(reviewer))
    store = ReviewStore.create(out, doc, force=force, like=file)
    store.close()
    for warning in store.warnings:  # unsaved changes of the replaced file folded into its .bak
        warn(warning)
    click.echo(visible_line(f"{out}: {len(doc.segments)} segments ({doc.source_lang or '-'} -> {doc.target_lang or '-'})"))


def describe(doc: ReviewDocument) -> list[tuple[str, str]]:
    statuses: Counter[str] = Counter(s.status for s in doc.segments)
    kinds = Counter(s.kind for s in doc.segments)
    target_words = sum(len(s.target.split()) for s in doc.segments)
    source_words = sum(len((s.source or "").split()) for s in doc.segments)
    annotations = sum(len(s.annotations) for s in doc.segments)
    open_flags = sum(len(s.open_flags) for s in doc.segments)
    rows = [
        ("title", doc.title),
        ("id", doc.id),
        ("languages", f"{doc.source_lang or '-'} -> {doc.target_lang or '-'}"),
        ("segments", f"{len(doc.segments)} (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ")"),
        ("words", f"target {target_words}" + (f", source {source_words}" if doc.bilingual else "")),
        ("status", ", ".join(f"{s} {statuses.get(s, 0)}" for s in STATUSES)),
        ("untranslated", str(sum(1 for s in doc.segments if s.untranslated))),
        ("annotations", str(annotations)),
        ("open flags", str(open_flags)),
        ("post-edited", str(sum(1 for s in doc.segments if s.post_edit is not None))),
        ("reviewers", ", ".join(document_reviewers(doc)) or "-"),
        ("conflicts", f"{sum(1 for s in doc.segments if s.conflicts)} segment(s) to settle"),
        ("imported from", str(doc.imported_from.get("path", "-"))),
    ]
    return rows


@click.command("info")
@click.argument("review", type=click.Path(path_type=Path))
def info_command(review: Path) -> None:
    """Summarise a review file: segments, words, languages, status counts."""
    # Read-only opening replays unsaved journaled work without taking the writer's lock.
    store = ReviewStore.open(review, readonly=True)
    for warning in store.warnings:
        warn(warning)
    doc = store.doc
    width = max(len(k) for k, _ in describe(doc))
    for key, value in describe(doc):
        click.echo(f"{key:<{width}}  {visible_line(value)}")  # title, ids, paths: data
