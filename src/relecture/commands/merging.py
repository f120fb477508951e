"""``relecture merge`` and ``relecture merge-driver``: thin click layers over ``relecture.merging``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from relecture.atomicio import atomic_write_text
from relecture.commands._inputs import load_document
from relecture.config import load_config
from relecture.errors import RelectureError
from relecture.identity import resolve_reviewer
from relecture.layers import document_reviewers
from relecture.merging import MergeInput, merge
from relecture.store import ReviewStore, load_review


@click.command("merge")
@click.argument("reviews", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Review file to write (refused if it exists, unless --force).")
@click.option("--force", is_flag=True, help="Replace an existing OUTPUT (the old one is kept as .bak).")
@click.option("--reviewer", default=None, help="Whose work unnamed work is when a file names no one reviewer.")
def merge_command(reviews: tuple[Path, ...], output: Path, force: bool, reviewer: str | None) -> None:
    """Merge reviews of the same document (same segments, by id and text) into OUTPUT: every
    reviewer's layer kept, identical annotations once, differing statuses, post-edits, notes and
    ESA scores kept as conflicts to settle in `relecture review`."""
    if len(reviews) < 2:
        raise click.UsageError("give two review files or more")
    inputs = [MergeInput(load_document(p), str(p)) for p in reviews]
    fallback = resolve_reviewer(reviewer, load_config(output))
    result = merge(inputs, fallback=fallback)
    ReviewStore.create(output, result.doc, force=force).close()
    reviewers = document_reviewers(result.doc)
    click.echo(
        f"{output}: {len(reviews)} reviews merged, {len(reviewers)} reviewer(s) ({', '.join(reviewers)}), "
        f"{result.conflicts} conflict(s) to settle"
    )


@click.command("merge-driver")
@click.argument("base", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("ours", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("theirs", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("path", required=False)
def merge_driver_command(base: Path, ours: Path, theirs: Path, path: str | None) -> None:
    """Git merge driver for review files (%O %A %B [%P]): a three-way merge written over OURS.

    Exit 0 when merged (conflicting decisions are kept in the file, to settle in relecture);
    exit 1, leaving OURS untouched, when the files cannot be merged (git then reports a conflict).
    """
    name = path or str(ours)
    try:
        result = merge(
            [MergeInput(load_review(ours), f"{name} (ours)"), MergeInput(load_review(theirs), f"{name} (theirs)")],
            base=MergeInput(load_review(base), f"{name} (base)"),
            fallback=resolve_reviewer(None, load_config(Path(name))),
        )
        atomic_write_text(ours, result.doc.to_json())
    except (RelectureError, OSError) as exc:
        click.echo(f"relecture merge-driver: {name}: {exc}", err=True)
        sys.exit(1)
    if result.conflicts:
        click.echo(f"relecture merge-driver: {name}: {result.conflicts} conflict(s) to settle in relecture review",
                   err=True)
