"""TMX 1.4 translation memories through translate-toolkit's ``translate.storage.tmx.tmxfile``.

The raw bytes pass ``xmlsafety.check`` first (entity declarations refused; a plain
``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is fine and never loaded). Languages: the source from the
header's ``srclang`` (or ``--source-lang``), the target from ``--target-lang`` or else the
first ``<tuv xml:lang>`` that is not the source language. Each ``<tu>`` becomes a segment:
``tuid`` as its id (else its position), ``<note>`` elements as the segment note, ``<prop>``
elements and the tu's other attributes in meta. A memory holds validated translations, but
importing it is asking for a review, so every segment starts ``todo``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from relecture.errors import InputError
from relecture.importers import ImportOptions, new_document_header
from relecture.importers.xmlsafety import check, local_name
from relecture.inline import CodeTable, flatten
from relecture.model import ReviewDocument, Segment
from relecture.textio import read_bytes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read(path: Path, options: ImportOptions) -> ReviewDocument:
    from translate.storage.tmx import tmxfile

    raw = read_bytes(path)
    root = check(raw, path)
    if local_name(root.tag) != "tmx":
        raise InputError(path, f"not a TMX file (root element is <{local_name(root.tag)}>)", "line 1")
    try:
        store = tmxfile.parsestring(raw, sourcelanguage=options.source_lang)
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"not well-formed XML ({exc.msg})", f"line {exc.lineno}") from None
    except (ValueError, AssertionError, AttributeError, TypeError, StopIteration) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"cannot read TMX: {reason}") from None
    source_lang = options.source_lang or store.sourcelanguage
    if not source_lang:
        raise InputError(path, "the TMX header names no srclang; give --source-lang")
    target_lang = options.target_lang or _other_language(store.units, source_lang)
    segments: list[Segment] = []
    seen: set[str] = set()
    for unit in store.units:
        elem = unit.xmlelement
        table = CodeTable()
        source = _seg_text(unit, source_lang, table, first=True)
        target = _seg_text(unit, target_lang, table) if target_lang else ""
        meta: dict[str, Any] = {k: v for k, v in elem.attrib.items() if isinstance(k, str) and "}" not in k}
        props = {
            p.get("type", ""): p.text or ""
            for p in elem.iterchildren(unit.namespaced("prop"))
        }
        if props:
            meta["props"] = props
        ident = str(elem.get("tuid") or len(segments) + 1)
        base, n = ident, 1
        while ident in seen:
            n += 1
            ident = f"{base}#{n}"
        seen.add(ident)
        segments.append(
            Segment(
                id=ident,
                source=source,
                target=target,
                paragraph=len(segments),
                note=unit.getnotes(),
                space_after="\n",
                source_space_after="\n",
                meta=meta,
                codes=table.codes,
            )
        )
    header = new_document_header(path, "tmx", raw, options.title)
    return ReviewDocument(
        id=str(header["id"]),
        title=str(header["title"]),
        segments=segments,
        source_lang=source_lang,
        target_lang=target_lang,
        imported_from=dict(header["imported_from"]),  # type: ignore[call-overload]
        relecture_version=str(header["relecture_version"]),
        created=str(header["created"]),
    )


def _seg_text(unit: Any, lang: str, table: CodeTable, first: bool = False) -> str:
    """The ``<seg>`` of ``lang``'s ``<tuv>``, inline codes (bpt, ept, ph, it, hi, ut) as code characters."""
    nodes = unit.getlanguageNodes()
    wanted = lang.lower()
    chosen = next(((n for n in nodes if (n.get(XML_LANG) or n.get("lang") or "").lower() == wanted)), None)
    if chosen is None and first and nodes:
        chosen = nodes[0]
    if chosen is None:
        return ""
    seg = next((c for c in chosen if local_name(c.tag) == "seg" if isinstance(c.tag, str)), None)
    return flatten(seg, table) if seg is not None else ""


def _other_language(units: list[Any], source_lang: str) -> str | None:
    wanted = source_lang.lower()
    for unit in units:
        for node in unit.getlanguageNodes():
            lang = node.get(XML_LANG) or node.get("lang")
            if lang and lang.lower() != wanted:
                return str(lang)
    return None
