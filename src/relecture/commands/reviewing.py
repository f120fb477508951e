"""``relecture review``: open (importing and checking first when needed) and run the workbench.

The domain core never imports Textual: ``relecture.tui`` is imported inside the command only.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

import relecture
from relecture.commands._stdout import warn
from relecture.config import Config, load_config
from relecture.errors import InputError, LockedError
from relecture.identity import resolve_reviewer
from relecture.store import REVIEW_SUFFIX, ReviewStore, is_review_file, review_path_for
from relecture.textsafe import visible_line

CORPUS_NAME = "courts-metrages-ia.fr.txt"
DATA_DIR_ENV = "RELECTURE_DATA_DIR"


def data_dir() -> Path:
    """Where relecture keeps its own review files (the bundled corpus's): never the repository."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("relecture"))


def bundled_corpus() -> Path:
    """The first document, shipped in the repository's ``corpus/`` folder."""
    path = Path(relecture.__file__).resolve().parents[2] / "corpus" / CORPUS_NAME
    if not path.is_file():
        raise InputError(path, "the bundled corpus document is missing (run from a source checkout, or give a PATH)")
    return path


def say_phase(text: str) -> None:
    """What the command is doing before the workbench can draw, on a terminal's stderr: a big
    document takes minutes to import and check, and a blank terminal looks hung. One line,
    rewritten in place; nothing when stderr is a pipe or a log."""
    stream = sys.stderr
    if stream.isatty():
        stream.write(f"\r\x1b[2Krelecture: {text}")
        stream.flush()


@dataclass
class Opened:
    store: ReviewStore
    messages: list[str] = field(default_factory=list)


def import_and_check(
    document: Path,
    review: Path,
    source: Path | None,
    config: Config,
    glossary: Path | None,
    languages: tuple[str | None, str | None] = (None, None),
) -> Opened:
    """Import ``document``, run the checks, write ``review`` and open it for writing."""
    from relecture.importers import ImportOptions, import_document

    size = document.stat().st_size
    say_phase(f"importing {visible_line(str(document))} ({size / 1e6:,.1f} MB)…")
    doc = import_document(
        document, ImportOptions(source_path=source, source_lang=languages[0], target_lang=languages[1])
    )
    messages: list[str] = []
    try:
        from relecture.checks import apply_flags, run_checks
    except ImportError:  # checks not installed in this build: review without flags
        messages.append("checks are unavailable; the document was imported without flags")
    else:
        from relecture.patterns import take_warnings

        say_phase(f"checking {len(doc.segments):,} segments…")
        results = run_checks(doc, config=config, glossary=glossary)
        messages += take_warnings()  # a pattern that went over its time budget, skipped
        apply_flags(doc, results)
        flagged = sum(1 for s in doc.segments if s.flags)
        messages.append(f"imported {len(doc.segments)} segments from {document}; checks flagged {flagged}")
    say_phase(f"writing {visible_line(str(review))}…")
    store = ReviewStore.create(review, doc, like=document)
    say_phase("opening the workbench…")
    return Opened(store, messages)


def open_review(review: Path, read_only: bool, interactive: bool) -> Opened:
    """Open a review file; when another process holds it, offer read-only (or explain the flag)."""
    try:
        store = ReviewStore.open(review, readonly=read_only, progressive=True)
    except LockedError as exc:
        if not interactive:
            raise LockedError(exc.path, f"{exc.holder} (use --read-only to look at it)") from None
        warn(str(exc))
        if not click.confirm("Open it read-only?", default=True, err=True):
            raise
        store = ReviewStore.open(review, readonly=True, progressive=True)
    return Opened(store, list(store.warnings))


def resolve(
    path: Path | None,
    source: Path | None,
    config: Config,
    glossary: Path | None,
    read_only: bool,
    interactive: bool,
    languages: tuple[str | None, str | None] = (None, None),
) -> Opened:
    """The store to review: PATH itself, its existing review file, or a fresh import of it
    (``languages``: source and target codes for that import; detected when None)."""
    if path is None:
        corpus = bundled_corpus()
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        review = folder / (corpus.name + REVIEW_SUFFIX)
        if review.exists():
            return open_review(review, read_only, interactive)
        if read_only:
            raise InputError(review, "no review file yet; run `relecture review` once without --read-only")
        return import_and_check(corpus, review, None, config, glossary)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory")
    if is_review_file(path):
        return open_review(path, read_only, interactive)
    review = review_path_for(path)
    if review.exists():
        opened = open_review(review, read_only, interactive)
        opened.messages.insert(0, f"reviewing the existing {review} (delete it or use `relecture import --force` to start over)")
        if changed_since_import(path, opened.store.doc.imported_from):
            opened.messages.insert(0, (
                f"{path} has changed since it was imported: the review shows the text as it was then; "
                f"`relecture import --force {path}` imports it again (the old review is kept as .bak)"
            ))
        return opened
    if read_only:
        raise InputError(path, "not imported yet; run `relecture review` on it once without --read-only")
    return import_and_check(path, review, source, config, glossary, languages)


def changed_since_import(document: Path, imported_from: dict[str, object]) -> bool:
    """The document's bytes differ from those the review was made from (its recorded sha256)."""
    recorded = imported_from.get("sha256")
    if not isinstance(recorded, str) or not recorded:
        return False
    import hashlib

    try:
        with document.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return False
    return digest != recorded


@click.command("review")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--source", type=click.Path(path_type=Path, dir_okay=False),
              help="Source-language file, paragraph-aligned with a plain-text PATH.")
@click.option("--glossary", type=click.Path(path_type=Path, dir_okay=False),
              help="Glossary (CSV/TSV) for the terminology checks.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Settings file (default: relecture.toml beside the document, or $RELECTURE_CONFIG).")
@click.option("--read-only", "read_only", is_flag=True,
              help="Look without changing anything (also works while another session holds the file).")
@click.option("--source-lang", help="Source language code when PATH is imported (detected when omitted).")
@click.option("--target-lang", help="Target language code when PATH is imported (detected when omitted).")
@click.option("--reviewer", default=None,
              help="Your name on every change (default: `reviewer` in relecture.toml, else your login name).")
def review_command(
    path: Path | None,
    source: Path | None,
    glossary: Path | None,
    config_path: Path | None,
    read_only: bool,
    source_lang: str | None,
    target_lang: str | None,
    reviewer: str | None,
) -> None:
    """Review PATH in the terminal: read, annotate (MQM), post-edit, approve.

    PATH is a review file, or a text/TSV/CSV/JSONL/XLIFF/PO/TMX file that is imported and checked
    first (its review file is written beside it). With no PATH, the bundled example document
    opens, its review file kept in your data folder. Every change is on disk at once.
    """
    config = load_config(path, config_path)
    name = resolve_reviewer(reviewer, config)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    opened = resolve(path, source, config, glossary, read_only, interactive, (source_lang, target_lang))
    store = opened.store
    try:
        from relecture.tui.app import ReviewApp

        app = ReviewApp(store, config=config, glossary=glossary, warnings=opened.messages, reviewer=name)
        app.run()
        if app.load_error is not None:
            raise app.load_error
        if app.save_deferred:
            warn(f"saving {store.path} (your changes are safe in its journal)…")
        return_code = app.return_code or 0
    finally:
        store.close()
    if return_code:
        sys.exit(return_code)  # the terminal went away (1)
    for message in opened.messages:
        warn(message)
    # Where the work is: the bundled document's review file lives in a folder nobody would guess.
    verb = "opened read-only" if store.readonly else "saved"
    warn(f"review {verb}: {store.path}")
