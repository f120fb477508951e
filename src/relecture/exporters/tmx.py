"""TMX 1.4 of the approved segments, through translate-toolkit's ``tmxfile``.

A translation memory must hold only what a reviewer validated: segments with status
``approved``, with the post-edit when there is one. Both languages are required by TMX
(``xml:lang`` on every ``<tuv>``); they come from the review (or ``ExportOptions.source_lang`` /
``target_lang``). Each ``<tu>`` carries the segment id as ``tuid`` and the segment
note as a ``<note>``. TMX has no escape for characters XML 1.0 cannot hold (control
characters): each is written as a visible sign (ESC as ␛), never dropped.
"""

from __future__ import annotations

import io
import re
from typing import Any, BinaryIO

from relecture.errors import InputError
from relecture.exporters import ExportOptions
from relecture.exporters.original import comment_lines
from relecture.model import ReviewDocument
from relecture.textsafe import xml_safe


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(render(doc, options))


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> bytes:
    from translate.storage.tmx import tmxfile

    opts = options or ExportOptions()
    source_lang = str(opts.source_lang or doc.source_lang or "")
    target_lang = str(opts.target_lang or doc.target_lang or "")
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
    source_lang, target_lang = xml_safe(source_lang), xml_safe(target_lang)
    store = tmxfile(sourcelanguage=source_lang, targetlanguage=target_lang)
    store.addheader()
    for seg in doc.segments:
        if seg.status != "approved" or seg.source is None:
            continue
        store.addtranslation(
            xml_safe(seg.source), source_lang, xml_safe(seg.final_target), target_lang,
            comment=xml_safe(seg.note) or None,
        )
        unit = store.units[-1]
        unit.xmlelement.set("tuid", xml_safe(seg.id))
        if seg.codes:
            _write_codes(unit, seg)
        _props(unit, seg)
    buffer = io.BytesIO()
    store.serialize(buffer)
    return buffer.getvalue()


def _props(unit: Any, seg: Any) -> None:
    """What identifies a PO entry or plural form, as ``<prop>`` (before the variants)."""
    from lxml import etree

    values = [
        ("x-context", seg.meta.get("msgctxt")),
        ("x-plural-form", seg.meta.get("plural_label")),
        ("x-resname", seg.meta.get("resname")),
    ]
    for offset, (kind, value) in enumerate((k, v) for k, v in values if isinstance(v, str) and v):
        prop = etree.Element(unit.namespaced("prop"), type=kind)
        prop.text = value
        unit.xmlelement.insert(offset, prop)


def _write_codes(unit: Any, seg: Any) -> None:
    """The segment's inline codes as TMX elements: TMX's own (from a TMX import) as they were,
    any other format's as ``<bpt>``/``<ept>``/``<ph>`` holding the original markup as native
    code, paired by ``i``."""
    from relecture.inline import fill
    from relecture.model import Code

    codes = []
    for index, code in enumerate(seg.codes):
        if code.element in ("bpt", "ept", "ph", "it", "hi", "ut", "char"):
            codes.append(code)
            continue
        name = {"opening": "bpt", "closing": "ept"}.get(code.kind, "ph")
        native = re.sub(r' xmlns(?::[\w.-]+)?="[^"]*"', "", code.markup) or code.display or code.label
        if code.kind == "closing" and not code.markup and code.pair is not None:
            opening = seg.codes[code.pair]
            native = f"</{opening.element}>"
        pair = code.pair if code.kind == "closing" and code.pair is not None else index
        number = f' i="{pair + 1}"' if name != "ph" else f' x="{index + 1}"'
        codes.append(Code(id=code.id, kind=code.kind, element=name, markup=f"<{name}{number}>{_escape(native)}</{name}>"))
    for node, text in zip(unit.getlanguageNodes(), (seg.source or "", seg.final_target), strict=False):
        seg_elem = next((c for c in node if isinstance(c.tag, str) and c.tag.endswith("seg")), None)
        if seg_elem is not None:
            fill(seg_elem, text, codes)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def patch(doc: ReviewDocument, original: Any, options: ExportOptions) -> bytes:
    """The imported TMX with the review's changes (see ``exporters.original``): the post-edit as
    the target ``<seg>`` (codes as the file's own ``bpt``/``ept``/``ph``/``it``), the note and
    annotations as a ``<note>`` of the ``<tu>``. TMX has no status: approval changes nothing."""
    from lxml import etree
    from translate.storage.tmx import tmxfile

    from relecture.importers.tmx import XML_LANG
    from relecture.inline import fill

    store = tmxfile.parsestring(original.raw, sourcelanguage=doc.source_lang)
    target_lang = (doc.target_lang or "").lower()
    for position, (seg, unit) in enumerate(zip(doc.segments, store.units, strict=True)):
        if not original.changed[position]:
            continue
        before = original.before[position]
        elem = unit.xmlelement
        if seg.final_target != before.target:
            tuv = next(
                (n for n in unit.getlanguageNodes() if (n.get(XML_LANG) or n.get("lang") or "").lower() == target_lang),
                None,
            )
            if tuv is None:
                tuv = etree.SubElement(elem, unit.namespaced("tuv"))
                tuv.set(XML_LANG, doc.target_lang or "")
            seg_elem = next((c for c in tuv if isinstance(c.tag, str) and c.tag.endswith("seg")), None)
            if seg_elem is None:
                seg_elem = etree.SubElement(tuv, unit.namespaced("seg"))
            fill(seg_elem, seg.final_target, seg.codes)
        lines = comment_lines(seg, before.note)
        if lines:
            note = etree.Element(unit.namespaced("note"))
            note.text = "\n".join(lines)
            elem.insert(0, note)  # TMX wants notes and props before the variants
    return etree.tostring(store.document, xml_declaration=True, encoding="UTF-8")
