"""Reading the REVIEW argument of ``score`` and ``export``: a review file or any importable file."""

from __future__ import annotations

from pathlib import Path

from relecture.commands._stdout import warn
from relecture.model import ReviewDocument
from relecture.store.paths import is_review_file


def load_document(path: Path) -> ReviewDocument:
    """A snapshot of ``path`` for reading: a review file with any unsaved journaled changes
    replayed (read-only, no lock taken), or any other supported file imported in memory."""
    if is_review_file(path):
        from relecture.store import ReviewStore

        store = ReviewStore.open(path, readonly=True)
        try:
            for warning in store.warnings:
                warn(warning)
            return store.doc
        finally:
            store.close(save=False)
    from relecture.importers import import_document

    return import_document(path)
