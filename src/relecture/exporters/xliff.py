"""XLIFF 2.1 with ITS 2.0 Localization Quality Issues.

XLIFF 2.1 keeps the 2.0 core namespace (``urn:oasis:names:tc:xliff:document:2.0``) and only
changes ``version="2.1"``; the OASIS 2.0 core schema leaves ``version`` free, so the output
validates against it as is. ITS attributes and elements are in the ITS namespace, which the core
schema admits on ``<mrk>`` and ``<unit>`` as extensions (processContents="lax").

Mapping:

- one ``<unit>`` with one ``<segment>`` per review segment; unit ids are the segment ids when
  they are XML NMTOKENs, else ``u<n>`` (the original id is kept in the relecture metadata);
- ``state`` from the review status: approved -> ``reviewed`` or ``final`` (``ExportOptions.
  approved_state``, else the imported state, else ``reviewed``); otherwise ``translated`` (a
  segment with a translation, machine or post-edited; an untouched one keeps its imported
  ``initial``/``translated``), ``initial`` for an empty target; needs-work and rejected add
  ``subState="relecture:needs-work"`` / ``"relecture:rejected"``;
- ``<target>`` = the post-edit when there is one; the original machine translation, status,
  ESA score and segment id go to ``<mda:metadata><mda:metaGroup category="relecture">`` so the
  file re-imports into the same review;
- notes: the segment note as ``<note category="relecture:note">``, and one readable note per
  issue (``category="relecture:issue"``, ``appliesTo`` its side) for tools that ignore ITS;
- every annotation and open flag as an ITS Localization Quality Issue: type (its_type of the
  category), comment, severity 0-100 (neutral 0, minor 25, major 70, critical 100). An issue
  whose span overlaps no other is an inline ``<mrk type="its:generic" its:locQualityIssue...>``
  around the span; overlapping issues share one ``<mrk>`` over their union that points with
  ``its:locQualityIssuesRef="#its=ID"`` to an ``<its:locQualityIssues xml:id="ID">`` block in the
  unit. Target issues of a post-edited segment refer to the original translation, which is not
  the written target: they go to a block referenced from a ``<mrk>`` over the whole target.
  Open flags found on the post-edit (which is the written target) are inline ``<mrk>`` issues
  in it (inside that whole-target ``<mrk>`` when there is one), marked ``rl:kind="post-edit-flag"``,
  and their readable notes start "On the post-edit:".
  ``rl:`` attributes (namespace ``urn:x-relecture:review:1``) keep relecture's category, author,
  id and exact code-point offsets. XLIFF tools that count UTF-16 code units see the same spans
  (the ``<mrk>`` elements), only ``rl:start``/``rl:end`` are code points.

Characters XML 1.0 cannot hold (control characters) are written as ``<cp hex="…"/>`` in
source and target; attributes and notes cannot hold ``<cp>``, so there each is a visible sign
(ESC as ␛), and metadata values are JSON-escaped. The tree is built with lxml's element API, so
text is always escaped.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any, BinaryIO

from lxml import etree

from relecture.exporters import ExportOptions
from relecture.importers.xliff import (
    ISSUE_NOTE,
    JSON_SUFFIX,
    META_GROUP,
    NOTE_CATEGORY,
    NS_ITS,
    NS_MDA,
    NS_RL,
    NS_XLIFF2,
    NS_XML,
    SUBSTATE_PREFIX,
)
from relecture.model import Annotation, Flag, ReviewDocument, Segment, code_index, show_codes
from relecture.textsafe import xml_safe
from relecture.typology import ITS_SEVERITY, its_type

NSMAP = {None: NS_XLIFF2, "its": NS_ITS, "mda": NS_MDA, "rl": NS_RL}
_NMTOKEN = re.compile(r"^[\w.\-:\u00b7\u0300-\u036f\u203f-\u2040]+$")
# Characters XML 1.0 forbids in text (everything else, including astral planes, is fine).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
APPROVED_STATES = ("reviewed", "final")


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(render(doc, options))


def _x(name: str) -> str:
    return f"{{{NS_XLIFF2}}}{name}"


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> bytes:
    opts = options or ExportOptions()
    approved_state = opts.approved_state if opts.approved_state in APPROVED_STATES else None
    root = etree.Element(_x("xliff"), nsmap=NSMAP)
    root.set("version", "2.1")
    root.set("srcLang", xml_safe(doc.source_lang or "und"))  # never the target language: that would be a lie
    if doc.target_lang:
        root.set("trgLang", xml_safe(doc.target_lang))
    root.set(f"{{{NS_ITS}}}version", "2.0")
    file_elem = etree.SubElement(root, _x("file"), id="f1")
    file_elem.set("original", xml_safe(doc.title or doc.id))
    # Segment text is exact: leading/trailing and repeated spaces are content.
    file_elem.set(f"{{{NS_XML}}}space", "preserve")
    if doc.note:
        notes = etree.SubElement(file_elem, _x("notes"))
        _set_text(etree.SubElement(notes, _x("note"), category=NOTE_CATEGORY), doc.note)
    used: set[str] = set()
    for number, seg in enumerate(doc.segments, start=1):
        _unit(file_elem, seg, number, used, approved_state)
    if not doc.segments:
        # The schema needs a unit in a file; an empty review still gives a valid file.
        unit = etree.SubElement(file_elem, _x("unit"), id="empty")
        segment = etree.SubElement(unit, _x("segment"))
        etree.SubElement(segment, _x("source"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False) + b"\n"


def _unit_id(seg: Segment, number: int, used: set[str]) -> str:
    ident = seg.id if _NMTOKEN.match(seg.id) and seg.id not in used else f"u{number}"
    while ident in used:
        ident = f"{ident}_"
    used.add(ident)
    return ident


def _unit(file_elem: Any, seg: Segment, number: int, used: set[str], approved_state: str | None) -> None:
    unit_id = _unit_id(seg, number, used)
    unit = etree.SubElement(file_elem, _x("unit"), id=unit_id)

    # relecture metadata first: the schema wants extensions before <notes> and segments.
    meta = etree.SubElement(unit, f"{{{NS_MDA}}}metadata")
    group = etree.SubElement(meta, f"{{{NS_MDA}}}metaGroup", category=META_GROUP)
    values: list[tuple[str, str]] = [
        ("segment-id", seg.id),
        ("status", seg.status),
        ("paragraph", str(seg.paragraph)),
        ("kind", seg.kind),
    ]
    if seg.post_edit is not None:
        values.append(("machine-translation", seg.target))
    if seg.esa is not None:
        values.append(("esa", str(seg.esa)))
    if seg.source is None:
        values.append(("source-missing", "yes"))
    if seg.meta:
        # Everything else an import kept (MQM system, document, raters; PO context...), so a
        # review exported to XLIFF and imported again is the same review.
        values.append(("segment-meta", json.dumps(seg.meta, ensure_ascii=False, sort_keys=True)))
    for kind, value in values:
        if _INVALID_XML.search(value):
            # <mda:meta> cannot hold <cp>: JSON escapes control characters (\u0007...).
            kind, value = f"{kind}{JSON_SUFFIX}", json.dumps(value)
        _set_text(etree.SubElement(group, f"{{{NS_MDA}}}meta", type=kind), value)

    blocks: list[Any] = []  # <its:locQualityIssues>, inserted before <notes>
    issue_notes: list[tuple[str, str]] = []
    mrk_counter = [0]
    segment = etree.Element(_x("segment"))
    segment.set("state", _state(seg, approved_state))
    imported_substate = seg.meta.get("xliff_substate")
    if seg.status in ("needs-work", "rejected"):
        segment.set("subState", f"{SUBSTATE_PREFIX}{seg.status}")
    elif (
        isinstance(imported_substate, str) and imported_substate
        and not imported_substate.startswith(SUBSTATE_PREFIX)
        and segment.get("state") == seg.meta.get("xliff_state")
    ):
        segment.set("subState", imported_substate)  # another tool's, and its state is unchanged
    source_elem = etree.SubElement(segment, _x("source"))
    issues_by_side = _issues(seg)
    prefix = f"lqi{number}-"
    codes = _Codes(seg)
    _fill(source_elem, seg.source or "", issues_by_side["source"], False, prefix, blocks, mrk_counter, codes)
    target_elem = etree.SubElement(segment, _x("target"))
    on_translation, on_post_edit = issues_by_side["target"], issues_by_side["post-edit"]
    if seg.post_edit is not None and on_translation:
        _fill(
            target_elem, seg.final_target, on_translation, True,
            prefix, blocks, mrk_counter, codes.for_side(), inner=on_post_edit,
        )
    else:
        _fill(
            target_elem, seg.final_target, on_translation + on_post_edit, False,
            prefix, blocks, mrk_counter, codes.for_side(),
        )
    for side in ("source", "target", "post-edit"):
        for issue in issues_by_side[side]:
            issue_notes.append(("target" if side == "post-edit" else side, issue.note_text(seg)))

    for block in blocks:
        unit.append(block)
    if seg.note or issue_notes:
        notes = etree.SubElement(unit, _x("notes"))
        if seg.note:
            _set_text(etree.SubElement(notes, _x("note"), category=NOTE_CATEGORY), seg.note)
        for side, text in issue_notes:
            note = etree.SubElement(notes, _x("note"), category=ISSUE_NOTE, appliesTo=side)
            _set_text(note, text)
    if codes.data_used:  # the native codes the written codes point to (dataRef), after <notes>
        holder = etree.SubElement(unit, _x("originalData"))
        for ident in sorted(codes.data_used):
            holder.append(codes.data[ident])
    unit.append(segment)


def _state(seg: Segment, approved_state: str | None) -> str:
    """XLIFF 2 ``state``: approved -> ``reviewed``/``final`` (the option, else the state the
    file came with, else ``reviewed``); otherwise ``translated`` when there is a translation (a
    machine translation is one), ``initial`` when the target is empty. An untouched segment
    keeps the state it was imported with, so a CAT tool gets back what it sent."""
    imported = seg.meta.get("xliff_state")
    if seg.status == "approved":
        if approved_state:
            return approved_state
        return imported if imported in APPROVED_STATES else "reviewed"
    if seg.post_edit is not None:
        return "translated"
    if seg.status == "todo" and imported in ("initial", "translated"):
        return str(imported)
    return "translated" if seg.target.strip() else "initial"


class _Issue:
    """An annotation or an open flag, as an ITS Localization Quality Issue."""

    def __init__(self, item: Annotation | Flag, on_post_edit: bool = False) -> None:
        self.item = item
        self.start = item.start
        self.end = item.end
        self.on_post_edit = on_post_edit

    def attributes(self) -> list[tuple[str, str, str]]:
        """(namespace, name, value) triples; ITS names without namespace for standoff use."""
        item = self.item
        attrs: list[tuple[str, str, str]] = []
        if isinstance(item, Annotation):
            attrs.append((NS_ITS, "locQualityIssueType", its_type(item.category)))
            if item.comment:
                attrs.append((NS_ITS, "locQualityIssueComment", item.comment))
            attrs.append((NS_ITS, "locQualityIssueSeverity", str(ITS_SEVERITY[item.severity])))
            attrs += [
                (NS_RL, "kind", "annotation"),
                (NS_RL, "id", item.id),
                (NS_RL, "category", item.category),
            ]
            for name in ("author", "time", "correction", "origin"):
                value = getattr(item, name)
                if value:
                    attrs.append((NS_RL, name, value))
        else:
            attrs.append((NS_ITS, "locQualityIssueType", item.its_type or its_type(item.category)))
            attrs.append((NS_ITS, "locQualityIssueComment", item.message or item.check))
            attrs.append((NS_ITS, "locQualityIssueSeverity", str(ITS_SEVERITY[item.severity])))
            attrs += [
                (NS_RL, "kind", "post-edit-flag" if self.on_post_edit else "flag"),
                (NS_RL, "check", item.check),
                (NS_RL, "family", item.family),
                (NS_RL, "category", item.category),
            ]
            if item.suggestion is not None:
                attrs.append((NS_RL, "suggestion", item.suggestion))
        attrs += [(NS_RL, "start", str(self.start)), (NS_RL, "end", str(self.end))]
        return [(ns, name, xml_safe(value)) for ns, name, value in attrs]

    def note_text(self, seg: Segment) -> str:
        """The issue for people (codes as tokens, as the reports show them)."""
        item = self.item

        def shown(value: str) -> str:
            return show_codes(value, seg.codes)

        if isinstance(item, Annotation):
            text = f"{item.severity.capitalize()} {item.category}: «{shown(item.text)}»"
            if item.comment:
                text += f" — {item.comment}"
            if item.correction:
                text += f" → «{shown(item.correction)}»"
            if item.author:
                text += f" ({item.author})"
            return text
        text = f"{item.severity.capitalize()} {item.category} [{item.check}]: «{shown(item.text)}» — {item.message}"
        if item.suggestion:
            text += f" → «{shown(item.suggestion)}»"
        return ("On the post-edit: " + text) if self.on_post_edit else text


def _issues(seg: Segment) -> dict[str, list[_Issue]]:
    """Issues by where their offsets point: source, target (the translation) and post-edit."""
    out: dict[str, list[_Issue]] = {"source": [], "target": [], "post-edit": []}
    marked: list[Annotation | Flag] = [*seg.annotations, *seg.open_flags]
    items: list[tuple[Annotation | Flag, str, bool]] = [(item, item.side, False) for item in marked]
    items += [(f, "post-edit", True) for f in seg.open_post_edit_flags if f.side == "target"]
    for item, where, on_post_edit in items:
        if where not in out:
            continue
        length = len(seg.post_edit or "") if on_post_edit else len(seg.text(item.side))
        issue = _Issue(item, on_post_edit)
        issue.start = min(max(item.start, 0), length)
        issue.end = min(max(item.end, issue.start), length)
        out[where].append(issue)
    return out


def _clusters(issues: list[_Issue]) -> list[tuple[int, int, list[_Issue]]]:
    """Group issues whose spans overlap (or coincide) into disjoint, ordered clusters."""
    clusters: list[tuple[int, int, list[_Issue]]] = []
    for issue in sorted(issues, key=lambda i: (i.start, -i.end)):
        if clusters:
            start, end, members = clusters[-1]
            if issue.start < end or issue.start == start:
                clusters[-1] = (start, max(end, issue.end), [*members, issue])
                continue
        clusters.append((issue.start, issue.end, [issue]))
    return clusters


def _fill(
    elem: Any, text: str, issues: list[_Issue], standoff_all: bool, block_prefix: str,
    blocks: list[Any], counter: list[int], codes: _Codes | None = None,
    inner: list[_Issue] | None = None,
) -> None:
    """Write ``text`` into ``elem`` with a <mrk> per cluster of issues (and inline codes as
    ``<ph>``/``<sc>``/``<ec>``); with ``standoff_all``, one <mrk> over the whole text refers
    to them, and ``inner`` issues (on that same text) are <mrk>s inside it."""
    append = _append_text
    if codes is not None and codes.codes:
        codes.start(text)
        append = codes.append
    if not issues:
        append(elem, text)
        return
    clusters = [(0, len(text), issues)] if standoff_all else _clusters(issues)
    pos = 0
    for start, end, members in clusters:
        append(elem, text[pos:start])
        counter[0] += 1
        mrk = etree.SubElement(elem, _x("mrk"), id=f"m{counter[0]}", type="its:generic")
        if len(members) == 1 and not standoff_all:
            for ns, name, value in members[0].attributes():
                mrk.set(f"{{{ns}}}{name}", value)
        else:
            block_id = f"{block_prefix}{counter[0]}"  # xml:id: unique in the whole file
            block = etree.Element(f"{{{NS_ITS}}}locQualityIssues")
            block.set(f"{{{NS_XML}}}id", block_id)
            for member in members:
                issue_elem = etree.SubElement(block, f"{{{NS_ITS}}}locQualityIssue")
                for ns, name, value in member.attributes():
                    # In a standoff record the ITS attributes carry no prefix.
                    issue_elem.set(name if ns == NS_ITS else f"{{{ns}}}{name}", value)
            blocks.append(block)
            mrk.set(f"{{{NS_ITS}}}locQualityIssuesRef", f"#its={block_id}")
        if standoff_all and inner:
            _fill(mrk, text, inner, False, block_prefix, blocks, counter, codes)
        else:
            append(mrk, text[start:end])
        pos = end
    append(elem, text[pos:])


class _Codes:
    """Inline codes of one segment written as XLIFF 2 elements: codes that came from XLIFF 2
    (``ph``, ``sc``, ``ec``) as they were; every other code (XLIFF 1.2, TMX, a ``<pc>`` whose
    content may straddle an issue's ``<mrk>``) as an empty ``<ph>``, ``<sc>`` or ``<ec>``, with
    its display text and, in ``rl:`` attributes, its original element and markup, so a
    re-import gives back the same code."""

    def __init__(self, seg: Segment) -> None:
        self.codes = seg.codes
        self.ids: dict[int, str] = {}
        self.paired: set[int] = set()
        self.data = _original_data(seg)  # data id -> <data> element (from the imported file)
        self.data_used: set[str] = set()

    def for_side(self) -> _Codes:
        other = _Codes.__new__(_Codes)
        other.codes, other.ids, other.paired = self.codes, self.ids, set()
        other.data, other.data_used = self.data, self.data_used
        return other

    def _data_ref(self, elem: Any, name: str, value: str | None) -> None:
        """Point ``elem`` at the native code ``value`` when the review has it; a reference to
        data the review lacks is dropped, never left dangling."""
        if value and value in self.data:
            elem.set(name, value)
            self.data_used.add(value)
        elif name in elem.attrib:
            del elem.attrib[name]

    def start(self, text: str) -> None:
        """Note which paired codes are complete in ``text`` (others are written isolated)."""
        present = {code_index(c) for c in text if code_index(c) is not None}
        self.paired = {
            i for i in present
            if i is not None and i < len(self.codes) and self.codes[i].pair in present
        }

    def _id(self, index: int) -> str:
        ident = self.ids.get(index)
        if ident is None:
            code = self.codes[index]
            if code.kind == "closing" and code.pair is not None and code.pair in self.ids:
                ident = self.ids[code.pair]
            else:
                ident = code.id if _NMTOKEN.match(code.id or "") and code.id not in self.ids.values() else f"c{index + 1}"
            self.ids[index] = ident
        return ident

    def append(self, elem: Any, text: str) -> None:
        run: list[str] = []
        for char in text:
            index = code_index(char)
            if index is None or index >= len(self.codes):
                run.append(char)
                continue
            _append_text(elem, "".join(run))
            run = []
            self._element(elem, index)
        _append_text(elem, "".join(run))

    def _element(self, parent: Any, index: int) -> None:
        code = self.codes[index]
        if code.element == "char":
            _append_text(parent, code.markup)
            return
        name = {"opening": "sc", "closing": "ec"}.get(code.kind, "ph")
        native = code.element in ("ph", "sc", "ec") and NS_XLIFF2 in code.markup
        if native:
            try:
                elem = etree.fromstring(code.markup, _SAFE)
            except etree.XMLSyntaxError:
                pass
            else:
                self._data_ref(elem, "dataRef", elem.get("dataRef"))
                parent.append(elem)
                return
        child = etree.SubElement(parent, _x(name))
        if code.element == "pc":  # a <pc>'s native codes: dataRefStart / dataRefEnd of its start tag
            opening = code if code.kind == "opening" else self.codes[code.pair] if code.pair is not None and code.pair < len(self.codes) else code
            with contextlib.suppress(etree.XMLSyntaxError, ValueError):
                start_tag = etree.fromstring(opening.markup, _SAFE) if opening.markup else None
                if start_tag is not None:
                    which = "dataRefStart" if code.kind == "opening" else "dataRefEnd"
                    self._data_ref(child, "dataRef", start_tag.get(which))
        ident = self._id(index)
        if name == "ec":
            if index in self.paired:
                child.set("startRef", ident)
            else:
                child.set("id", ident)
                child.set("isolated", "yes")
        else:
            child.set("id", ident)
            if name == "sc" and index not in self.paired:
                child.set("isolated", "yes")
        if code.display:
            child.set("disp", _INVALID_XML.sub("\ufffd", code.display))
        child.set(f"{{{NS_RL}}}element", code.element)
        child.set(f"{{{NS_RL}}}id", code.id)
        if code.markup:
            child.set(f"{{{NS_RL}}}markup", _INVALID_XML.sub("\ufffd", code.markup))
        if code.fixed:
            child.set("canReorder", "no")


_SAFE = etree.XMLParser(resolve_entities=False, no_network=True)  # markup from a review file


def _original_data(seg: Segment) -> dict[str, Any]:
    """The ``<data>`` elements the importer kept for the segment's codes (``meta["xliff_data"]``)."""
    kept = seg.meta.get("xliff_data")
    out: dict[str, Any] = {}
    if not isinstance(kept, dict):
        return out
    for ident, markup in kept.items():
        if not isinstance(ident, str) or not isinstance(markup, str) or not _NMTOKEN.match(ident):
            continue
        with contextlib.suppress(etree.XMLSyntaxError, ValueError):
            elem = etree.fromstring(markup, _SAFE)
            if elem.tag == _x("data"):
                elem.set("id", ident)
                out[ident] = elem
    return out


def _append_text(elem: Any, text: str) -> None:
    """Append ``text`` after ``elem``'s last child (or as its text), with <cp> for characters
    XML cannot carry."""
    if not text:
        return
    pieces = _INVALID_XML.split(text)
    bad = _INVALID_XML.findall(text)
    for i, piece in enumerate(pieces):
        _append_plain(elem, piece)
        if i < len(bad):
            etree.SubElement(elem, _x("cp"), hex=f"{ord(bad[i]):04X}")


def _append_plain(elem: Any, text: str) -> None:
    if not text:
        return
    if len(elem):
        last = elem[-1]
        last.tail = (last.tail or "") + text
    else:
        elem.text = (elem.text or "") + text


def _set_text(elem: Any, text: str) -> None:
    # Notes cannot hold <cp>: control characters there become visible signs.
    elem.text = xml_safe(text)


# --- delivery: an XLIFF 2 review back into its own file ----------------------------------------

STATE_2 = {"approved": "reviewed"}


def patch(doc: ReviewDocument, original: Any, options: ExportOptions) -> bytes:
    """The imported XLIFF 2 file with the review's changes (see ``exporters.original``): the
    post-edit as the target (codes as the file's own ``ph``/``pc``/``sc``/``ec``), the state
    (approved -> ``reviewed`` or ``--approved-state``; a post-edit -> ``translated``;
    needs-work/rejected -> ``subState="relecture:..."``), the note as a unit ``<note>``."""
    from translate.storage.xliff2 import Xliff2File

    from relecture.importers.xliff import segments_2
    from relecture.inline import fill

    store = Xliff2File.parsestring(original.raw)
    ns = store.namespace or NS_XLIFF2
    approved = options.approved_state if options.approved_state in APPROVED_STATES else "reviewed"
    seg_elems = segments_2(store)
    for position, (seg, seg_elem) in enumerate(zip(doc.segments, seg_elems, strict=True)):
        if not original.changed[position]:
            continue
        before = original.before[position]
        if seg.final_target != before.target:
            target = seg_elem.find(f"{{{ns}}}target")
            if target is None:
                target = etree.Element(f"{{{ns}}}target")
                seg_elem.find(f"{{{ns}}}source").addnext(target)
            fill(target, seg.final_target, seg.codes)
        if seg.status != before.status or seg.post_edit is not None:
            if seg.status == "approved":
                seg_elem.set("state", approved)
            elif seg.post_edit is not None:
                seg_elem.set("state", "translated")
            if seg.status in ("needs-work", "rejected"):
                seg_elem.set("subState", f"{SUBSTATE_PREFIX}{seg.status}")
            elif str(seg_elem.get("subState", "")).startswith(SUBSTATE_PREFIX):
                del seg_elem.attrib["subState"]
        from relecture.exporters.original import comment_lines

        lines = comment_lines(seg, before.note)
        if lines:
            unit = seg_elem.getparent()
            notes = unit.find(f"{{{ns}}}notes")
            if notes is None:
                notes = etree.Element(f"{{{ns}}}notes")
                # <notes> goes after extension elements, before <originalData> and segments.
                first = next(
                    (c for c in unit if isinstance(c.tag, str) and c.tag in
                     (f"{{{ns}}}originalData", f"{{{ns}}}segment", f"{{{ns}}}ignorable")), None,
                )
                if first is not None:
                    first.addprevious(notes)
                else:
                    unit.append(notes)
            note = etree.SubElement(notes, f"{{{ns}}}note", category=NOTE_CATEGORY)
            _set_text(note, "\n".join(lines))
    etree.cleanup_namespaces(store.document.getroot())
    return etree.tostring(
        store.document, xml_declaration=True, encoding=store.document.docinfo.encoding or "UTF-8"
    )
