"""Writing review documents out in the formats translation teams use.

Each format has a module with ``write(doc: ReviewDocument, out: Path, options: ExportOptions)``
that writes through ``relecture.atomicio`` (never a partial file). Modules load lazily.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relecture.errors import InputError
from relecture.model import ReviewDocument

WRITERS: dict[str, str] = {
    "json": "relecture.exporters.json_export:write",
    "jsonl": "relecture.exporters.jsonl_export:write",
    "csv": "relecture.exporters.csv_export:write",
    "mqm": "relecture.exporters.mqm_tsv:write",
    "xliff": "relecture.exporters.xliff:write",
    "tmx": "relecture.exporters.tmx:write",
    "original": "relecture.exporters.original:write",
    "po": "relecture.exporters.po:write",
    "xliff12": "relecture.exporters.xliff12:write",
    "sdlxliff": "relecture.exporters.xliff12:write_sdlxliff",
    "html": "relecture.exporters.html_report:write",
    "markdown": "relecture.exporters.markdown_report:write",
}

SUFFIXES: dict[str, str] = {
    "json": ".json",
    "jsonl": ".jsonl",
    "csv": ".csv",
    "mqm": ".tsv",
    "xliff": ".xlf",
    "tmx": ".tmx",
    "original": "",  # the imported file's own suffix
    "po": ".po",
    "xliff12": ".xlf",
    "sdlxliff": ".sdlxliff",
    "html": ".html",
    "markdown": ".md",
}


def default_export_path(review: Path, fmt: str) -> Path:
    """Where an export goes by default: ``doc.fr.txt.review.json`` -> ``doc.fr.txt.html``,
    ``data.tsv`` -> ``data.xlf``; never the review file itself (``x.json`` -> ``x.export.json``)."""
    name = review.name
    base = name[: -len(".review.json")] if name.endswith(".review.json") else review.stem
    suffix = SUFFIXES[fmt] or Path(base).suffix
    if fmt in DELIVERY and base.lower().endswith(suffix.lower()):
        # A delivered file sits beside the original, never over it: app.po -> app.reviewed.po
        return review.with_name(base[: len(base) - len(suffix)] + ".reviewed" + suffix)
    path = review.with_name(base + SUFFIXES[fmt])
    return review.with_name(base + ".export" + SUFFIXES[fmt]) if path == review else path


# Formats that deliver the document back into its own file format (patched from the original).
DELIVERY = frozenset({"original", "po", "xliff12", "sdlxliff"})


@dataclass
class ExportOptions:
    bom: bool = False  # CSV: UTF-8 BOM so spreadsheet programs detect the encoding
    # XLIFF state for approved segments: reviewed | final; None keeps the imported one (else reviewed)
    approved_state: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # format-specific extras
    # The file the export derives from (the review file): the export is never more readable.
    like: Path | None = None


def writer_for(fmt: str) -> Callable[[ReviewDocument, Path, ExportOptions], None]:
    target = WRITERS.get(fmt)
    if target is None:
        raise InputError(None, f"unknown export format {fmt!r}; known: {', '.join(sorted(WRITERS))}")
    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)


def export_document(
    doc: ReviewDocument, fmt: str, out: str | Path, options: ExportOptions | None = None,
    like: str | Path | None = None,
) -> Path:
    """Write ``doc`` as ``fmt`` to ``out``; ``like`` (else ``options.like``) bounds its mode."""
    path = Path(out)
    options = options or ExportOptions()
    if like is not None:
        options.like = Path(like)
    writer_for(fmt)(doc, path, options)
    return path
