"""XLIFF 1.2 (and its Trados SDLXLIFF and memoQ MQXLIFF flavours) through translate-toolkit's
``xlifffile``: a review delivered back into the file it came from (``patch``), or any review as
a new XLIFF 1.2 file (``render``; PO plural entries as translate-toolkit's gettext plural groups).

Back into the file, per changed segment (see ``exporters.original``): the target (the
``<mrk mtype="seg">`` of a Trados segment) gets the post-edit with its inline codes as the
file's own elements; the status goes back as

  ==========  =======================================  ==========================  ==============================
  review      XLIFF 1.2 ``<target state>``              Trados ``sdl:seg conf``     memoQ ``mq:status``
  ==========  =======================================  ==========================  ==============================
  approved    ``signed-off`` and ``approved="yes"``      ``ApprovedSignOff``         ``Reviewer1Confirmed`` (kept
                                                                                   ``Proofread``; ``final``: it)
  needs-work  ``needs-review-translation``               ``RejectedTranslation``     ``Rejected``
  rejected    ``needs-translation``                      ``RejectedSignOff``         ``Rejected``
  todo        unchanged (``translated`` if post-edited)  unchanged (``Translated``)  unchanged (``PartiallyEdited``
                                                                                   if post-edited)
  ==========  =======================================  ==========================  ==============================

and the reviewer's note and annotations become a ``<note from="relecture">`` (a Trados comment in
``<cmt-defs>`` around the segment's text for SDLXLIFF).
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from copy import deepcopy
from typing import Any, BinaryIO

from lxml import etree

from relecture.errors import InputError
from relecture.exporters import ExportOptions
from relecture.exporters.original import Original, comment_items, comment_lines
from relecture.model import Annotation, ReviewDocument, Segment, has_codes
from relecture.textsafe import xml_safe

STATE_12 = {"approved": "signed-off", "needs-work": "needs-review-translation", "rejected": "needs-translation"}
SDL_CONF = {"approved": "ApprovedSignOff", "needs-work": "RejectedTranslation", "rejected": "RejectedSignOff"}
# Back to memoQ (statuses: see importers.xliff.MQ_STATUSES): relecture's reviewer confirms as
# memoQ's reviewer 1 (``--approved-state final``: as reviewer 2, ``Proofread``; a segment the file
# already had confirmed by a reviewer keeps its level); needs-work and rejected are memoQ's
# ``Rejected``; a post-edit not approved is edited but unconfirmed, ``PartiallyEdited``.
MQ_APPROVED = {"reviewed": "Reviewer1Confirmed", "final": "Proofread"}
MQ_STATUS_BACK = {"needs-work": "Rejected", "rejected": "Rejected"}


def mq_status_back(seg: Segment, imported: str, approved_state: str | None) -> str | None:
    """The ``mq:status`` to write for ``seg`` (None: leave the file's)."""
    if seg.status == "approved":
        if approved_state in MQ_APPROVED:
            return MQ_APPROVED[approved_state]
        return imported if imported.lower() in ("reviewer1confirmed", "proofread") else "Reviewer1Confirmed"
    if seg.status in MQ_STATUS_BACK:
        return MQ_STATUS_BACK[seg.status]
    return "PartiallyEdited" if seg.post_edit is not None else None


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
            ranges = _comment_ranges(target) if flavour == "sdl" else []
            fill(target, seg.final_target, seg.codes)
            for marker, text in ranges:  # the file's own Trados comments, anchored again
                _anchor(target, marker, text)
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
            mq_status = mq_status_back(seg, unit_elem.get(f"{{{NS_MQ}}}status", ""), options.approved_state)
            if flavour == "memoq" and mq_status and (seg.status != before.status or seg.post_edit is not None):
                unit_elem.set(f"{{{NS_MQ}}}status", mq_status)
        lines = comment_lines(seg, before.note)
        if lines:
            if flavour == "sdl" and target is not None:
                unchanged = seg.post_edit is None  # annotations' spans are still the file's text
                # Spans first: a whole-segment marker would hide the text they are found in.
                items = sorted(comment_items(seg, before.note), key=lambda item: item[1] is None)
                for text, annotation in items:
                    _sdl_comment(root, target, text, seg, annotation, unchanged)
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


# Trados comment severities (Low is "for information"), for an annotation's MQM severity.
SDL_SEVERITY = {"neutral": "Low", "minor": "Low", "major": "Medium", "critical": "High"}


def _sdl_comment(
    root: Any, target: Any, text: str, seg: Segment, annotation: Annotation | None, in_place: bool,
) -> None:
    """One Trados comment (kept apart from the others, as Trados shows them): a ``<cmt-def>``
    in ``<doc-info>`` and an ``x-sdl-comment`` marker around what it speaks of: an annotation's
    span where the file's text still has it (``in_place``), else the segment's whole text."""
    from relecture.clock import now_iso
    from relecture.importers.xliff import NS_SDL

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
    author = (annotation.author if annotation is not None else "") or next(
        (a.author for a in seg.annotations if a.author), ""
    ) or "relecture"
    severity = SDL_SEVERITY.get(annotation.severity, "Medium") if annotation is not None else "Medium"
    comment = etree.SubElement(
        comments, f"{{{NS_SDL}}}Comment", severity=severity, user=author, date=now_iso(), version="1.0"
    )
    comment.text = text
    ns = etree.QName(target).namespace or ""
    marker = etree.Element(_q(ns, "mrk"), mtype="x-sdl-comment")
    marker.set(f"{{{NS_SDL}}}cid", ident)
    span = annotation.text if annotation is not None and annotation.side == "target" and in_place else ""
    _anchor(target, marker, span)


def _comment_ranges(target: Any) -> list[tuple[Any, str]]:
    """The Trados comment markers in ``target`` (empty copies) with the text they cover."""
    out = []
    for mrk in target.iter("{*}mrk"):
        if mrk.get("mtype") == "x-sdl-comment":
            empty = etree.Element(mrk.tag, dict(mrk.attrib), nsmap=mrk.nsmap)
            out.append((empty, "".join(mrk.itertext())))
    return out


def _anchor(target: Any, marker: Any, text: str) -> None:
    """Put ``marker`` around ``text`` where it stands whole in one run of ``target``'s text,
    else around all of ``target``'s content."""
    if text and not has_codes(text):
        if target.text and text in target.text:
            before, _, after = target.text.partition(text)
            target.text, marker.text, marker.tail = before, text, after
            target.insert(0, marker)
            return
        for index, child in enumerate(target):
            if child.tail and text in child.tail:
                before, _, after = child.tail.partition(text)
                child.tail, marker.text, marker.tail = before, text, after
                target.insert(index + 1, marker)
                return
    marker.text, target.text = target.text, None
    for child in list(target):
        marker.append(child)
    target.append(marker)


def _write_codes_12(unit: Any, seg: Segment) -> None:
    """A segment's codes (from XLIFF 2 or TMX: an XLIFF 1.2 review is patched, never rebuilt) as
    XLIFF 1.2 elements with their own ids: a code whose native data the review kept (XLIFF 2
    ``<originalData>``) as ``<ph>``, ``<bpt>``, ``<ept>`` holding it, others as ``<x/>``,
    ``<bx/>``, ``<ex/>`` paired by ``rid``; display text as ``equiv-text``."""
    from relecture.inline import fill
    from relecture.model import Code

    ns = etree.QName(unit.xmlelement).namespace  # translate-toolkit builds in 1.1, renamed at the end
    ids = _ids_12(seg.codes)
    data = _native_data(seg)
    codes = []
    for index, code in enumerate(seg.codes):
        if code.element == "char":
            codes.append(code)
            continue
        ident = ids[index]
        native = data.get(_data_ref(seg, index) or "")
        if native is not None:
            name = {"opening": "bpt", "closing": "ept"}.get(code.kind, "ph")
            element = etree.Element(f"{{{ns}}}{name}", nsmap={None: ns}, id=ident)
            element.text = native
        else:
            name = {"opening": "bx", "closing": "ex"}.get(code.kind, "x")
            element = etree.Element(f"{{{ns}}}{name}", nsmap={None: ns}, id=ident)
            if name != "x":
                element.set("rid", ident)
        if code.display and name in ("x", "bx", "ex", "ph"):
            element.set("equiv-text", code.display)
        codes.append(Code(id=code.id, kind=code.kind, element=name, markup=etree.tostring(element, encoding="unicode")))
    for name, text in (("source", seg.source or ""), ("target", seg.final_target)):
        elem = unit.xmlelement.find(f"{{{ns}}}{name}")
        if elem is not None:
            fill(elem, xml_safe(text), codes)


def _ids_12(codes: list[Any]) -> list[str]:
    """Each code's XLIFF 1.2 id: its own (XLIFF 2 ``id``, TMX ``i``/``x``) where no other code
    of the segment has it (the two codes of a pair share theirs, as ``<bpt>``/``<ept>`` do),
    else its position."""
    owners: dict[str, set[int]] = {}
    for index, code in enumerate(codes):
        if code.element != "char" and code.id:
            group = min(index, code.pair) if code.pair is not None else index
            owners.setdefault(code.id, set()).add(group)
    kept = {ident for ident, groups in owners.items() if len(groups) == 1}
    out: list[str] = []
    for index, code in enumerate(codes):
        if code.id in kept:
            out.append(code.id)
            continue
        group = min(index, code.pair) if code.pair is not None else index
        fallback = str(group + 1)
        while fallback in kept:
            fallback += "_"
        out.append(fallback)
    return out


def _native_data(seg: Segment) -> dict[str, str]:
    """XLIFF 2 ``<data>`` contents the importer kept, by id (their ``<cp>`` decoded)."""
    kept = seg.meta.get("xliff_data")
    out: dict[str, str] = {}
    if isinstance(kept, dict):
        for ident, markup in kept.items():
            if isinstance(ident, str) and isinstance(markup, str):
                try:
                    elem = etree.fromstring(markup, etree.XMLParser(resolve_entities=False, no_network=True))
                except etree.XMLSyntaxError:
                    continue
                out[ident] = "".join(
                    [elem.text or ""] + [
                        (chr(int(c.get("hex", "0"), 16)) if etree.QName(c).localname == "cp" else "") + (c.tail or "")
                        for c in elem if isinstance(c.tag, str)
                    ]
                )
    return out


def _data_ref(seg: Segment, index: int) -> str | None:
    """The XLIFF 2 data id of code ``index``: ``dataRef`` of a ``ph``/``sc``/``ec``, or for the two
    codes of a ``<pc>`` its start tag's ``dataRefStart`` / ``dataRefEnd``."""
    code = seg.codes[index]
    if code.element == "pc":
        opening = code if code.kind == "opening" or code.pair is None else seg.codes[code.pair]
        attribute = "dataRefStart" if code.kind == "opening" else "dataRefEnd"
    else:
        opening, attribute = code, "dataRef"
    match = re.search(rf'\b{attribute}="([^"]+)"', opening.markup)
    return match.group(1) if match else None


def _new_file(doc: ReviewDocument) -> bytes:
    """A new XLIFF 1.2 file (translate-toolkit's ``PoXliffFile``: gettext plural entries become
    ``<group restype="x-gettext-plurals">``). A review from a format without XLIFF 1.2 codes
    (PO, text) has none; codes of other formats are written as their tokens (``{1}``)."""
    from translate.misc.multistring import multistring
    from translate.storage.poxliff import PoXliffFile

    from relecture.exporters.po import entry_groups
    from relecture.model import show_codes as shown
    def show_codes(text: str, codes: list[Any]) -> str:  # XLIFF 1.2 has no <cp>: controls as signs
        return xml_safe(shown(text, codes))

    store: Any = PoXliffFile(sourcelanguage=doc.source_lang or "und", targetlanguage=doc.target_lang or "")
    for segs in entry_groups(doc):
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
        entry = first.meta["po_entry"] if "plural_index" in first.meta and "po_entry" in first.meta else first.id
        unit.setid(xml_safe(str(entry)))
        context = first.meta.get("msgctxt")
        if isinstance(context, str) and context:
            unit.createcontextgroup("po-entry", [("x-po-msgctxt", xml_safe(context))], purpose="information")
        if first.note:
            unit.addnote(xml_safe(first.note), origin="translator")
        if first.status == "approved":
            unit.markapproved(True)
        elif first.status in ("needs-work", "rejected") and first.final_target:
            unit.markfuzzy(True)
    for file_elem in store.document.getroot().iter("{*}file"):
        file_elem.set("original", xml_safe(doc.title or doc.id))  # translate-toolkit's default is "NoName"
    # translate-toolkit writes the 1.1 namespace; the content is the same in 1.2.
    return bytes(store).replace(
        b'xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"',
        b'xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"', 1,
    )
