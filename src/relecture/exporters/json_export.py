"""The review document as JSON: exactly the review file's stable form (``model.dumps``), so the
export loads back with ``relecture.store.load_review`` and diffs cleanly with the review file."""

from __future__ import annotations

from pathlib import Path

from relecture.atomicio import atomic_write_text
from relecture.exporters import ExportOptions
from relecture.model import ReviewDocument


def write(doc: ReviewDocument, out: Path, options: ExportOptions) -> None:
    atomic_write_text(out, doc.to_json(), like=options.like)
