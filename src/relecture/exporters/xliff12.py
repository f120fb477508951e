"""XLIFF 1.2 (and its Trados SDLXLIFF and memoQ MQXLIFF flavours) through translate-toolkit's
``xlifffile``: a review delivered back into the file it came from (``patch``), or any review as
a new XLIFF 1.2 file (``render``; PO plural entries as translate-toolkit's gettext plural groups).

Back into the file, per changed segment (see ``exporters.original``): the target (the
``<mrk mtype="seg">`` of a Trados segment) gets the post-edit with its inline codes as the
file's own elements; the status goes back as

  ==========  =======================================  ==========================
  review      XLIFF 1.2 ``<target state>``              Trados ``sdl:seg conf``
  ==========  =======================================  ==========================
  approved    ``signed-off`` and ``approved="yes"``      ``ApprovedSignOff``
  needs-work  ``needs-review-translation``               ``RejectedTranslation``
  rejected    ``needs-translation``                      ``RejectedSignOff``
  todo        unchanged (``translated`` if post-edited)  unchanged (``Translated``)
  ==========  =======================================  ==========================

and the reviewer's note and annotations become a ``<note from="relecture">`` (a Trados comment in
``<cmt-defs>`` around the segment's text for SDLXLIFF).
"""

from __future__ import annotations

import uuid
from collections import Counter
from copy import deepcopy
from typing import Any, BinaryIO

from lxml import etree

from relecture.errors import InputError
from relecture.exporters import ExportOptions
from relecture.exporters.original import Original, comment_lines
from relecture.model import ReviewDocument, Segment

STATE_12 = {"approved": "signed-off", "needs-work": "needs-review-translation", "rejected": "needs-translation"}
SDL_CONF = {"approved": "ApprovedSignOff", "needs-work": "RejectedTranslation", "rejected": "RejectedSignOff"}
MQ_STATUS_BACK = {"approved": "Proofread", "needs-work": "Rejected", "rejected": "Rejected"}


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(render(doc, options))


def write_sdlxliff(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    if doc.imported_from.get("format") != "sdlxliff":
        raise InputError(
            None,
            "--to sdlxliff writes back a Trados file and this review was not imported from one "
            f"(it came from {doc.imported_from.get('format') or 'another format'}); use --to xliff12",
        )
    from relecture.exporters import original

    stream.write(original.render(doc, options))


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> bytes:
    opts = options or ExportOptions()
    if doc.imported_from.get("format") in ("xliff", "sdlxliff") and doc.meta.get("xliff_version") == "1.2":
        from relecture.exporters import original

        return original.render(doc, opts)
    return _new_file(doc)


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}" if ns else name


def patch(doc: ReviewDocument, original: Original, options: ExportOptions) -> bytes:
    from translate.storage.xliff import xlifffile

    from relecture.importers.xliff import NS_MQ, NS_SDL, flavour_of, walk_12
    from relecture.inline import fill

    store = xlifffile.parsestring(original.raw)
    root = store.document.getroot()
    ns = etree.QName(root).namespace or ""
    flavour = flavour_of(root)
    walked = list(walk_12(store))
    per_unit = Counter(id(unit_elem) for _, unit_elem, _ in walked)
    for position, (seg, (fresh, unit_elem, target)) in enumerate(zip(doc.segments, walked, strict=True)):
        if not original.changed[position]:
            continue
        mid = fresh.meta.get("xliff_mid", "")
        before = original.before[position]
        if seg.final_target != before.target:
            if target is None:
                target = _make_target(unit_elem, ns, mid)
            fill(target, seg.final_target, seg.codes)
        target_elem = unit_elem.find(_q(ns, "target"))
        if flavour == "sdl" and mid:
            definition = next((d for d in unit_elem.iter(f"{{{NS_SDL}}}seg") if d.get("id") == mid), None)
            if definition is None:
                defs = unit_elem.find(f"{{{NS_SDL}}}seg-defs")
                if defs is None:
                    defs = etree.SubElement(unit_elem, f"{{{NS_SDL}}}seg-defs")
                definition = etree.SubElement(defs, f"{{{NS_SDL}}}seg", id=mid)
            conf = SDL_CONF.get(seg.status) or ("Translated" if seg.post_edit is not None else None)
            if conf and (seg.status != before.status or seg.post_edit is not None):
                definition.set("conf", conf)
        elif target_elem is not None and per_unit[id(unit_elem)] == 1:
            # A unit's state covers all its segments: set only when the unit is this segment.
            state = STATE_12.get(seg.status) or ("translated" if seg.post_edit is not None else None)
            if state and (seg.status != before.status or seg.post_edit is not None):
                target_elem.set("state", state)
            if seg.status == "approved":
                unit_elem.set("approved", "yes")
            elif unit_elem.get("approved") == "yes":
                unit_elem.set("approved", "no")
            if flavour == "memoq" and seg.status in MQ_STATUS_BACK:
                unit_elem.set(f"{{{NS_MQ}}}status", MQ_STATUS_BACK[seg.status])
        lines = comment_lines(seg, before.note)
        if lines:
            if flavour == "sdl" and target is not None:
                _sdl_comment(root, target, "\n".join(lines), seg)
            else:
                note = etree.Element(_q(ns, "note"), {"from": "relecture"})
                note.text = "\n".join(lines)
                anchor = target_elem if target_elem is not None else unit_elem.find(_q(ns, "source"))
                anchor.addnext(note)
    etree.cleanup_namespaces(root)
    return etree.tostring(
        store.document, xml_declaration=True, encoding=store.document.docinfo.encoding or "UTF-8"
    )


def _make_target(unit_elem: Any, ns: str, mid: str) -> Any:
    """The target to write into: the unit's ``<target>`` (made from ``<seg-source>`` or placed
    after ``<source>`` when missing) or, for a Trados segment, its ``<mrk mtype="seg">`` in it."""
    target = unit_elem.find(_q(ns, "target"))
    seg_source = unit_elem.find(_q(ns, "seg-source"))
    if target is None:
        if mid and seg_source is not None:
            target = deepcopy(seg_source)
            target.tag = _q(ns, "target")
            target.tail = None
            for mrk in target.iter(_q(ns, "mrk")):
                if mrk.get("mtype") == "seg":
                    for child in list(mrk):
                        mrk.remove(child)
                    mrk.text = None
            seg_source.addnext(target)
        else:
            target = etree.Element(_q(ns, "target"))
            (seg_source if seg_source is not None else unit_elem.find(_q(ns, "source"))).addnext(target)
    if not mid:
        return target
    for mrk in target.iter(_q(ns, "mrk")):
        if mrk.get("mtype") == "seg" and mrk.get("mid") == mid:
            return mrk
    return etree.SubElement(target, _q(ns, "mrk"), mtype="seg", mid=mid)


def _sdl_comment(root: Any, target: Any, text: str, seg: Segment) -> None:
    """A Trados comment: a ``<cmt-def>`` in ``<doc-info>`` and an ``x-sdl-comment`` marker
    around the segment's text."""
    from relecture.importers.xliff import NS_SDL
    from relecture.store import now_iso

    info = root.find(f"{{{NS_SDL}}}doc-info")
    if info is None:
        info = etree.Element(f"{{{NS_SDL}}}doc-info")
        root.insert(0, info)
    defs = info.find(f"{{{NS_SDL}}}cmt-defs")
    if defs is None:
        defs = etree.SubElement(info, f"{{{NS_SDL}}}cmt-defs")
    ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"relecture:{seg.id}:{text}"))
    definition = etree.SubElement(defs, f"{{{NS_SDL}}}cmt-def", id=ident)
    comments = etree.SubElement(definition, f"{{{NS_SDL}}}Comments")
    author = next((a.author for a in seg.annotations if a.author), "") or "relecture"
    comment = etree.SubElement(
        comments, f"{{{NS_SDL}}}Comment", severity="Medium", user=author, date=now_iso(), version="1.0"
    )
    comment.text = text
    ns = etree.QName(target).namespace or ""
    marker = etree.Element(_q(ns, "mrk"), mtype="x-sdl-comment")
    marker.set(f"{{{NS_SDL}}}cid", ident)
    marker.text, target.text = target.text, None
    for child in list(target):
        marker.append(child)
    target.append(marker)


def _write_codes_12(unit: Any, seg: Segment) -> None:
    """A segment's codes (from XLIFF 2 or TMX: an XLIFF 1.2 review is patched, never rebuilt) as
    ``<x/>``, ``<bx/>``, ``<ex/>`` paired by ``rid``, with their display text as ``equiv-text``."""
    from relecture.inline import fill
    from relecture.model import Code

    ns = etree.QName(unit.xmlelement).namespace  # translate-toolkit builds in 1.1, renamed at the end
    codes = []
    for index, code in enumerate(seg.codes):
        if code.element == "char":
            codes.append(code)
            continue
        name = {"opening": "bx", "closing": "ex"}.get(code.kind, "x")
        element = etree.Element(f"{{{ns}}}{name}", nsmap={None: ns}, id=str(index + 1))
        if name != "x":
            element.set("rid", str((code.pair if code.kind == "closing" and code.pair is not None else index) + 1))
        if code.display:
            element.set("equiv-text", code.display)
        codes.append(Code(id=code.id, kind=code.kind, element=name, markup=etree.tostring(element, encoding="unicode")))
    for name, text in (("source", seg.source or ""), ("target", seg.final_target)):
        elem = unit.xmlelement.find(f"{{{ns}}}{name}")
        if elem is not None:
            fill(elem, text, codes)


def _new_file(doc: ReviewDocument) -> bytes:
    """A new XLIFF 1.2 file (translate-toolkit's ``PoXliffFile``: gettext plural entries become
    ``<group restype="x-gettext-plurals">``). A review from a format without XLIFF 1.2 codes
    (PO, text) has none; codes of other formats are written as their tokens (``{1}``)."""
    from translate.misc.multistring import multistring
    from translate.storage.poxliff import PoXliffFile

    from relecture.model import show_codes

    store = PoXliffFile(sourcelanguage=doc.source_lang or "und", targetlanguage=doc.target_lang or "")
    groups: dict[Any, list[Segment]] = {}
    order: list[Any] = []
    for seg in doc.segments:
        key = ("entry", seg.meta["po_entry"]) if "plural_index" in seg.meta and "po_entry" in seg.meta else ("seg", seg.id)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(seg)
    for key in order:
        segs = groups[key]
        first = segs[0]
        if "plural_index" in first.meta:
            sources = [first.source or ""] + ([segs[1].source or ""] if len(segs) > 1 else [])
            unit = store.addsourceunit(multistring([show_codes(s, first.codes) for s in sources]))
            unit.settarget(multistring([show_codes(s.final_target, s.codes) for s in segs]))
        else:
            unit = store.addsourceunit(show_codes(first.source or "", first.codes))
            unit.settarget(show_codes(first.final_target, first.codes))
            if first.codes:
                _write_codes_12(unit, first)
        unit.setid(str(first.meta["po_entry"]) if "plural_index" in first.meta and "po_entry" in first.meta else first.id)
        context = first.meta.get("msgctxt")
        if isinstance(context, str) and context:
            unit.createcontextgroup("po-entry", [("x-po-msgctxt", context)], purpose="information")
        if first.note:
            unit.addnote(first.note, origin="translator")
        if first.status == "approved":
            unit.markapproved(True)
        elif first.status in ("needs-work", "rejected") and first.final_target:
            unit.markfuzzy(True)
    for file_elem in store.document.getroot().iter("{*}file"):
        file_elem.set("original", doc.title or doc.id)  # translate-toolkit's default is "NoName"
    # translate-toolkit writes the 1.1 namespace; the content is the same in 1.2.
    return bytes(store).replace(
        b'xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"',
        b'xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"', 1,
    )
