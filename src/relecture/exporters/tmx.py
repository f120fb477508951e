"""TMX 1.4 of the approved segments, through translate-toolkit's ``tmxfile``.

A translation memory must hold only what a reviewer validated: segments with status
``approved``, with the post-edit when there is one. Both languages are required by TMX
(``xml:lang`` on every ``<tuv>``); they come from the review (or ``settings["source_lang"]`` /
``settings["target_lang"]``). Each ``<tu>`` carries the segment id as ``tuid`` and the segment
note as a ``<note>``.
"""

from __future__ import annotations

import io
from pathlib import Path

from relecture.atomicio import atomic_write_bytes
from relecture.errors import InputError
from relecture.exporters import ExportOptions
from relecture.model import ReviewDocument


def write(doc: ReviewDocument, out: Path, options: ExportOptions) -> None:
    atomic_write_bytes(out, render(doc, options))


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> bytes:
    from translate.storage.tmx import tmxfile

    opts = options or ExportOptions()
    source_lang = str(opts.settings.get("source_lang") or doc.source_lang or "")
    target_lang = str(opts.settings.get("target_lang") or doc.target_lang or "")
    if not doc.bilingual:
        raise InputError(None, "a TMX needs source texts and this review has none (target-only document)")
    if not source_lang or not target_lang:
        raise InputError(
            None,
            "a TMX needs both languages; this review lacks the "
            + ("source" if not source_lang else "target")
            + " language (set it when importing: --source-lang/--target-lang)",
        )
    if source_lang.lower() == target_lang.lower():
        raise InputError(None, f"source and target languages are both {source_lang!r}")
    store = tmxfile(sourcelanguage=source_lang, targetlanguage=target_lang)
    store.addheader()
    for seg in doc.segments:
        if seg.status != "approved" or seg.source is None:
            continue
        store.addtranslation(seg.source, source_lang, seg.final_target, target_lang, comment=seg.note or None)
        unit = store.units[-1]
        unit.xmlelement.set("tuid", seg.id)
    buffer = io.BytesIO()
    store.serialize(buffer)
    return buffer.getvalue()
