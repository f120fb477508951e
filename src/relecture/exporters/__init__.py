"""Writing review documents out in the formats translation teams use.

Each format has a module with ``write(doc: ReviewDocument, stream: BinaryIO, options:
ExportOptions)`` that writes the export to a binary stream; ``export_document`` gives it a
temporary file renamed over OUT (``relecture.atomicio``: never a partial file) and
``export_to_stream`` standard output. Options come from ``exporters.options.export_options``,
for the CLI and the workbench alike. Modules load lazily.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from relecture.errors import InputError
from relecture.exporters.options import ExportOptions, export_options
from relecture.model import ReviewDocument

__all__ = ["DELIVERY", "SUFFIXES", "WRITERS", "ExportOptions", "export_document", "export_options", "export_to_stream"]

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


Writer = Callable[[ReviewDocument, BinaryIO, ExportOptions], None]


def writer_for(fmt: str) -> Writer:
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
    from relecture.atomicio import atomic_writer

    path = Path(out)
    options = options or ExportOptions()
    if like is not None:
        options.like = Path(like)
    write = writer_for(fmt)
    if fmt in DELIVERY:
        from relecture.exporters.original import refuse_over_original

        refuse_over_original(doc, path)
    with atomic_writer(path, like=options.like) as stream:
        write(doc, stream, options)
    return path


def export_to_stream(doc: ReviewDocument, fmt: str, stream: BinaryIO, options: ExportOptions | None = None) -> None:
    """Write ``doc`` as ``fmt`` to an open binary stream (standard output)."""
    writer_for(fmt)(doc, stream, options or ExportOptions())
