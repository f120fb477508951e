"""Turning documents into review documents.

Each format has a module with ``read(path: Path, options: ImportOptions) -> ReviewDocument``.
Modules load lazily (the registry maps a format name to ``module:function``) so a CLI call only
pays for the parser it uses.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from relecture import __version__
from relecture.errors import InputError
from relecture.model import ReviewDocument, storable_problem

READERS: dict[str, str] = {
    "text": "relecture.importers.text:read",
    "tsv": "relecture.importers.tabular:read_tsv",
    "csv": "relecture.importers.tabular:read_csv",
    "jsonl": "relecture.importers.jsonl:read",
    "mqm": "relecture.importers.mqm_tsv:read",
    "xliff": "relecture.importers.xliff:read",
    "po": "relecture.importers.po:read",
    "tmx": "relecture.importers.tmx:read",
}

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".xlf2": "xliff",
    ".sdlxliff": "xliff",  # Trados: XLIFF 1.2 with SDL extensions (read by content)
    ".mqxliff": "xliff",  # memoQ: XLIFF 1.2 with memoQ extensions
    ".poxliff": "xliff",  # translate-toolkit's PO-flavoured XLIFF 1.2
    ".mxliff": "xliff",  # Phrase (Memsource): XLIFF 1.2
    ".po": "po",
    ".pot": "po",
    ".tmx": "tmx",
}

# Header columns that mark a WMT / Marot MQM annotation file among TSVs.
MQM_COLUMNS = {"system", "doc", "seg_id", "rater", "category", "severity"}


@dataclass
class ImportOptions:
    source_path: Path | None = None
    source_lang: str | None = None
    target_lang: str | None = None
    segment: str = "sentence"  # sentence | paragraph
    columns: dict[str, str] = field(default_factory=dict)  # role (id/source/target) -> column
    title: str | None = None


def detect_format(path: Path) -> str:
    """The format of ``path`` from its extension (and, for TSV, its header)."""
    suffix = path.suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt == "tsv":
        try:
            with path.open("rb") as handle:
                header = handle.readline().decode("utf-8-sig", "replace")
        except OSError:
            return fmt
        if {c.strip().lower() for c in header.split("\t")} >= MQM_COLUMNS:
            return "mqm"
        # Marot files name the id columns docSegId/globalSegId (interchange helper's addition).
        if {c.strip().lower() for c in header.split("\t")} >= MQM_COLUMNS - {"seg_id"} | {"docsegid"}:
            return "mqm"
    if fmt is None:
        return _format_by_content(path)
    return fmt


# Root elements of XML formats relecture does not read, with what to do instead.
_OTHER_XML = {
    "TS": "a Qt Linguist file (convert it with translate-toolkit's ts2po)",
    "root": "a .NET .resx file (convert it with translate-toolkit's resx2po)",
    "resources": "an Android strings.xml file (convert it with translate-toolkit's android2po)",
    "martif": "a TBX termbase (give it to --glossary)",
    "tbx": "a TBX termbase (give it to --glossary)",
}
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_PO_LINE = re.compile(rb"^(?:msgctxt|msgid)\s+\"", re.MULTILINE)


def _format_by_content(path: Path) -> str:
    """The format of a file whose extension says nothing: XML by its root element (XLIFF, TMX;
    any other XML is refused by name, never read as lines of text), PO by its entries, JSON
    lines by their first line, else plain text."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return "text"  # the reader reports the error with the file's name
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "replace").lstrip("\ufeff").lstrip().encode("utf-8")
    if text.startswith(b"<"):
        body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", b"", text, flags=re.DOTALL)
        match = _ROOT.search(body)
        root = match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1] if match else ""
        if root == "xliff":
            return "xliff"
        if root == "tmx":
            return "tmx"
        what = _OTHER_XML.get(root, "not a format relecture reads (XLIFF, TMX)")
        raise InputError(
            path,
            f"XML with root element <{root or '?'}>: {what}; give --format to read it as one "
            "of relecture's formats",
            "line 1",
        )
    if _PO_LINE.search(head):
        return "po"
    first = text.split(b"\n", 1)[0].strip()
    if first.startswith(b"{") and first.endswith(b"}"):
        return "jsonl"
    return "text"


def reader_for(fmt: str) -> Callable[[Path, ImportOptions], ReviewDocument]:
    target = READERS.get(fmt)
    if target is None:
        raise InputError(None, f"unknown format {fmt!r}; known: {', '.join(sorted(READERS))}")
    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)


def import_document(
    path: str | Path, options: ImportOptions | None = None, fmt: str | None = None, allow_empty: bool = False
) -> ReviewDocument:
    """Read any supported file into a new review document (nothing is written).

    A well-formed file with no units (an XLIFF without ``<unit>``, a header-only PO) is refused
    unless ``allow_empty``: checking it is fine (0 segments), reviewing it is not."""
    p = Path(path)
    opts = options or ImportOptions()
    if not p.exists():
        raise InputError(p, "no such file")
    if p.is_dir():
        raise InputError(p, "is a directory")
    chosen = fmt or detect_format(p)
    doc = reader_for(chosen)(p, opts)
    if not doc.segments and not allow_empty:
        raise InputError(p, "no segments found")
    problem = storable_problem(doc)
    if problem is not None:
        # Refused here, naming the input, rather than when the review file is saved or reopened.
        raise InputError(p, f"{problem[0]} (at {problem[1]} of the review document)")
    return doc


def new_document_header(path: Path, fmt: str, raw: bytes, title: str | None = None) -> dict[str, object]:
    """Header fields every importer fills the same way."""
    from relecture.clock import now_iso

    digest = hashlib.sha256(raw).hexdigest()
    stem = path.name.split(".")[0] or path.name
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "document"
    return {
        "id": f"{slug}-{digest[:12]}",
        "title": title or path.name,
        "imported_from": {"path": str(path), "format": fmt, "sha256": digest},
        "relecture_version": __version__,
        "created": now_iso(),
    }
