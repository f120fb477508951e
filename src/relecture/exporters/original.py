"""Delivery: the reviewed document written back in the format it came in (``--to original``).

The original file is read again (from the path recorded at import, else beside the review file)
and must be the one imported (same SHA-256). Segments the review changed are patched in it,
through the same translate-toolkit storage class and the same walk the importer used, so every
other byte-level detail (headers, skeletons, untranslatable units, tool extensions) is the
file's own:

- a post-edit becomes the new target, its inline codes written back as the format's elements;
- the status is mapped back (PO: approved clears ``fuzzy``, needs-work/rejected set it;
  XLIFF 1.2: ``state``/``approved``; Trados: the confirmation level; XLIFF 2: ``state``);
- the reviewer's note and annotations become the format's comments.

With no change at all the output is the input, byte for byte; otherwise translate-toolkit and
lxml serialise the tree (unit for unit the same, apart from what the review changed). Locked
segments (Trados, memoQ) are never changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from relecture.errors import InputError
from relecture.exporters import ExportOptions
from relecture.model import Annotation, ReviewDocument, Segment, show_codes

# The importer's format name -> the module:function that patches such a file.
PATCHERS: dict[str, str] = {
    "po": "relecture.exporters.po:patch",
    "xliff": "relecture.exporters.xliff12:patch",
    "sdlxliff": "relecture.exporters.xliff12:patch",
    "tmx": "relecture.exporters.tmx:patch",
}


@dataclass
class Original:
    """The imported file again, and the review's segments paired with a fresh import of it."""

    path: Path
    raw: bytes
    fmt: str
    before: list[Segment]  # the file's segments as imported, in the review's order
    changed: list[bool]  # per review segment: something to write back


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(render(doc, options))


def refuse_over_original(doc: ReviewDocument, out: Path) -> None:
    """A delivery never replaces the file it was made from: it is the reference of the review."""
    recorded = Path(str(doc.imported_from.get("path") or ""))
    if recorded.name and recorded.exists() and out.exists() and out.resolve() == recorded.resolve():
        raise InputError(out, "is the file the review was imported from; choose another output with -o")


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> bytes:
    import importlib

    opts = options or ExportOptions()
    fmt = str(doc.imported_from.get("format") or "")
    if fmt == "xliff" and str(doc.imported_from.get("xliff_version") or doc.meta.get("xliff_version", "")).startswith("2"):
        target = "relecture.exporters.xliff:patch"
    else:
        target = PATCHERS.get(fmt, "")
    if not target:
        raise InputError(
            None,
            f"--to original writes back PO, XLIFF, SDLXLIFF and TMX files; this review came from "
            f"{fmt or 'an unknown format'} (export it with --to json, xliff, tmx...)",
        )
    original = load_original(doc, opts, fmt)
    if not any(original.changed):
        return original.raw  # nothing reviewed changed the file: it goes back as it came
    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)(doc, original, opts)


def load_original(doc: ReviewDocument, options: ExportOptions, fmt: str) -> Original:
    recorded = Path(str(doc.imported_from.get("path") or ""))
    review = options.review_path
    candidates = [recorded]
    if isinstance(review, Path | str) and recorded.name:
        candidates.append(Path(review).parent / recorded.name)
    path = next((p for p in candidates if recorded.name and p.is_file()), None)
    if path is None:
        raise InputError(
            recorded or None,
            "the original file is not there any more; delivery patches it (put it back beside the review file)",
        )
    raw = path.read_bytes()
    digest = str(doc.imported_from.get("sha256") or "")
    if digest and hashlib.sha256(raw).hexdigest() != digest:
        raise InputError(path, "changed since it was imported; delivery would patch another file than the one reviewed")
    from relecture.importers import import_document

    fresh = import_document(path, fmt="xliff" if fmt == "sdlxliff" else fmt, allow_empty=True)
    if [s.id for s in fresh.segments] != [s.id for s in doc.segments]:
        raise InputError(path, "its segments are not the review's (imported with other options?)")
    changed = [differs(seg, before) for seg, before in zip(doc.segments, fresh.segments, strict=True)]
    return Original(path=path, raw=raw, fmt=fmt, before=fresh.segments, changed=changed)


def differs(seg: Segment, before: Segment) -> bool:
    """Whether the review changed what the file holds for this segment."""
    if seg.meta.get("locked"):
        return False
    return (
        seg.final_target != before.target
        or seg.status != before.status
        or seg.note != before.note
        or bool(seg.annotations)
    )


def comment_lines(seg: Segment, before_note: str) -> list[str]:
    """The reviewer's words for the file's comments: the note when it changed, and one line
    per annotation."""
    return [text for text, _ in comment_items(seg, before_note)]


def comment_items(seg: Segment, before_note: str) -> list[tuple[str, Annotation | None]]:
    """``comment_lines``, each with the annotation it says (None for the note)."""
    items: list[tuple[str, Annotation | None]] = []
    if seg.note and seg.note != before_note:
        items.append((seg.note, None))
    for a in seg.annotations:
        # Codes as their tokens ({1}): a comment is text, never the review's code characters.
        line = f"relecture: {a.severity} {a.category}: «{show_codes(a.text, seg.codes)}»"
        if a.comment:
            line += f" — {a.comment}"
        if a.correction:
            line += f" → «{show_codes(a.correction, seg.codes)}»"
        if a.author:
            line += f" ({a.author})"
        items.append((line, a))
    return items
