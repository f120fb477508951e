"""The review document as JSON: exactly the review file's stable form (``model.dumps``), so the
export loads back with ``relecture.store.load_review`` and diffs cleanly with the review file."""

from __future__ import annotations

from typing import BinaryIO

from relecture.exporters import ExportOptions
from relecture.model import ReviewDocument


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(doc.to_json().encode("utf-8"))
