"""XLIFF 1.2 and 2.x (2.0, 2.1) through translate-toolkit's storage classes.

translate-toolkit does the parsing and the walking: ``translate.storage.xliff.xlifffile`` (1.2)
and ``translate.storage.xliff2.Xliff2File`` (2.x) give the units, their ids, notes, languages and
the XML element of each segment. Before that, the raw bytes pass ``xmlsafety.check`` (entity
declarations refused, nothing external loaded).

Kept from each unit / segment:

- id: translate-toolkit's id (1.2: ``original`` of the file + ``\\x04`` + trans-unit id; 2.x:
  ``unit`` or ``unit::segment`` when a unit has several segments), made unique across files;
- source and target text, from the elements themselves (``relecture.inline``): every inline
  code (1.2 ``x bx ex g bpt ept ph it mrk``; 2.x ``ph pc sc ec``) is one code character with its
  markup in ``segment.codes``, ``<cp hex>`` decoded (translate-toolkit drops it), 2.x ``<mrk>``
  content kept as text (those marks carry ITS issues, below);
- 1.2 ``<seg-source>`` with ``<mrk mtype="seg">`` (Trados, Okapi): one segment per mrk, the target
  mrk of the same ``mid`` as its target; Trados (``sdl:seg`` confirmation level, lock, comments)
  and memoQ (``mq:status``, ``mq:locked``) extensions read from the same tree, see ``walk_12``;
- ``translate="no"`` units are left out (they stay in the file for delivery), ``<alt-trans>``
  proposals and a PO entry's msgctxt (po2xliff's context group) kept in meta;
- notes: the unit's notes, after its groups' (1.2: translator and developer notes), joined into
  ``segment.note``;
  file-level notes (2.x) into the document note;
- state: ``segment.meta["xliff_state"]`` (and ``xliff_substate``), mapped to a review status:

  ====================================  ===========================================
  XLIFF                                 relecture status
  ====================================  ===========================================
  2.x ``subState="relecture:<status>"``  that status (what relecture's export writes)
  2.x ``reviewed``, ``final``            approved
  2.x ``initial``, ``translated``        todo
  1.2 ``approved="yes"``, ``final``,     approved
  ``signed-off``
  1.2 ``needs-translation``,             needs-work
  ``needs-l10n``, ``needs-adaptation``
  1.2 anything else (``new``,            todo (a reviewer still has to look)
  ``translated``, ``needs-review-*``)
  ====================================  ===========================================

- ITS 2.0 Localization Quality Issues in 2.x (``<mrk its:locQualityIssue*>`` inline or
  ``its:locQualityIssuesRef`` to a ``<its:locQualityIssues>`` block): annotations with the ITS
  type mapped to an MQM category and the 0-100 severity mapped back with
  ``typology.severity_from_its``; the ``rl:`` attributes relecture's exporter adds restore the
  exact category, author and span. Offsets are code points, like the rest of relecture; XLIFF
  tools that count UTF-16 code units differ only beyond the Basic Multilingual Plane.
- relecture's own ``<mda:metaGroup category="relecture">`` (written by its exporter): the
  original machine translation (the XLIFF target then becomes the post-edit), status, ESA score
  and segment id, so an exported review re-imports whole.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from lxml import etree

from relecture.errors import InputError
from relecture.importers import ImportOptions, new_document_header
from relecture.importers.xmlsafety import check, local_name, namespace
from relecture.inline import CodeTable
from relecture.model import (
    KINDS,
    STATUSES,
    Annotation,
    Flag,
    Kind,
    ReviewDocument,
    Segment,
    Severity,
    Side,
    Status,
)
from relecture.textio import read_bytes
from relecture.typology import ITS_TYPES, all_categories, its_type, severity_from_its

NS_XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
NS_XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_ITS = "http://www.w3.org/2005/11/its"
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
NS_XML = "http://www.w3.org/XML/1998/namespace"
# relecture's extension attributes on ITS issues (exact category, author, span...).
NS_RL = "urn:x-relecture:review:1"
SUBSTATE_PREFIX = "relecture:"
META_GROUP = "relecture"
ISSUE_NOTE = "relecture:issue"  # notes the exporter writes for people; the ITS data is canonical
NOTE_CATEGORY = "relecture:note"
JSON_SUFFIX = "-json"  # metadata value JSON-encoded (it held characters XML cannot carry)

APPROVED_12 = {"final", "signed-off"}
NEEDS_WORK_12 = {"needs-translation", "needs-l10n", "needs-adaptation"}

_CATEGORY_FOR_ITS: dict[str, str] = {}
# Subtypes first: "mistranslation" reads back as Accuracy/Mistranslation, not bare Accuracy.
for _category in sorted(all_categories(), key=lambda c: "/" not in c):
    _CATEGORY_FOR_ITS.setdefault(its_type(_category), _category)


def category_for_its(value: str) -> str:
    """The MQM category relecture shows for an ITS issue type (``mistranslation`` ->
    ``Accuracy/Mistranslation``); unknown types stay visible as ``Other``."""
    return _CATEGORY_FOR_ITS.get(value, "Other")


def read(path: Path, options: ImportOptions) -> ReviewDocument:
    raw = read_bytes(path)
    root = check(raw, path)
    if local_name(root.tag) != "xliff":
        raise InputError(path, f"not an XLIFF file (root element is <{local_name(root.tag)}>)", "line 1")
    version = root.get("version", "")
    ns = namespace(root.tag)
    is_v2 = version.startswith("2.") or (not version and ns == NS_XLIFF2)
    header = new_document_header(path, "xliff", raw, options.title)
    cast(dict[str, Any], header["imported_from"])["xliff_version"] = "2" if is_v2 else "1.2"
    if is_v2:
        return _read_v2(path, raw, header, options)
    return _read_v12(path, raw, header, options)


def _parse_store(path: Path, raw: bytes, cls: Any) -> Any:
    try:
        return cls.parsestring(raw)
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"not well-formed XML ({exc.msg})", f"line {exc.lineno}") from None
    except (ValueError, AssertionError, AttributeError, TypeError) as exc:
        # translate-toolkit signals structural problems with these; one line, no traceback.
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"cannot read XLIFF: {reason}") from None


def _document(
    header: dict[str, Any], segments: list[Segment], src: str | None, trg: str | None,
    options: ImportOptions, note: str = "", meta: dict[str, Any] | None = None,
) -> ReviewDocument:
    return ReviewDocument(
        id=str(header["id"]),
        title=str(header["title"]),
        segments=segments,
        source_lang=options.source_lang or src or None,
        target_lang=options.target_lang or trg or None,
        imported_from=dict(header["imported_from"]),
        relecture_version=str(header["relecture_version"]),
        created=str(header["created"]),
        note=note,
        meta=meta or {},
    )


def _unique(ident: str, seen: set[str], prefix: str) -> str:
    candidate = ident or "unit"
    if candidate in seen and prefix:
        candidate = f"{prefix}/{candidate}"
    base, n = candidate, 1
    while candidate in seen:
        n += 1
        candidate = f"{base}#{n}"
    seen.add(candidate)
    return candidate


# --- XLIFF 1.2 -----------------------------------------------------------------------------------


def _read_v12(path: Path, raw: bytes, header: dict[str, Any], options: ImportOptions) -> ReviewDocument:
    from translate.storage.xliff import xlifffile

    store = _parse_store(path, raw, xlifffile)
    root = store.document.getroot()
    flavour = flavour_of(root)
    if flavour == "sdl":
        header["imported_from"]["format"] = "sdlxliff"
    segments = [seg for seg, _, _ in walk_12(store)]
    skipped = sum(
        1 for unit in store.units
        if local_name(unit.xmlelement.tag) == "trans-unit" and unit.xmlelement.get("translate") == "no"
    )
    meta: dict[str, Any] = {"xliff_version": "1.2"}
    if flavour:
        meta["xliff_flavour"] = flavour
    if skipped:
        meta["untranslatable_units"] = skipped
    return _document(
        header, segments, store.getsourcelanguage(), store.gettargetlanguage(), options, meta=meta,
    )


def walk_12(store: Any) -> Iterator[tuple[Segment, Any, Any]]:
    """The review segments of an XLIFF 1.2 store in document order, each with its trans-unit
    and its target element (the ``<mrk mtype="seg">`` of a Trados segment; None when absent).
    The importer and the delivery exporter share it, so both see the same segments."""
    root = store.document.getroot()
    ns = namespace(root.tag)  # XLIFF 1.0 files may have none
    flavour = flavour_of(root)
    comments = _sdl_comments(root) if flavour == "sdl" else {}
    files = list(root.iterchildren(_q(ns, "file")))
    seen: set[str] = set()
    groups: dict[int, int] = {}  # plural group -> its number (po_entry of its forms)
    paragraph = 0
    for unit in store.units:
        elem = unit.xmlelement
        if local_name(elem.tag) != "trans-unit" or elem.get("translate") == "no":
            continue  # translate="no": kept in the file for delivery, not offered for review
        file_elem = next(elem.iterancestors(_q(ns, "file")), None)
        file_index = files.index(file_elem) if file_elem is not None and file_elem in files else 0
        group = elem.getparent()
        plural: tuple[int, int] | None = None
        if group is not None and group.get("restype") == "x-gettext-plurals":
            # A gettext plural entry as po2xliff writes it: one trans-unit per form.
            forms = [u for u in group if isinstance(u.tag, str) and local_name(u.tag) == "trans-unit"]
            if groups.setdefault(id(group), len(groups) + 1) and elem in forms:
                plural = (forms.index(elem), len(forms))
        for seg, target in _segments_12(elem, ns, flavour, comments, unit):
            seg.meta["xliff_file_index"] = file_index
            if plural is not None:
                seg.meta.update(
                    po_entry=groups[id(group)], plural_index=plural[0], plural_forms=plural[1],
                    plural_label=f"form {plural[0]} of {plural[1]}",
                )
            seg.id = _unique(seg.id, seen, "")
            seg.paragraph = paragraph
            paragraph += 1
            yield seg, elem, target


NS_SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
NS_MQ = "MQXliff"
# Trados confirmation levels and memoQ statuses, as review statuses.
SDL_STATUS = {
    "ApprovedSignOff": "approved", "ApprovedTranslation": "approved",
    "RejectedTranslation": "needs-work", "RejectedSignOff": "rejected",
}
# memoQ's row statuses, as memoQ's own MQXLIFF library declares them (memoQ/mqxliff-js,
# ``TUStatus``): NotStarted, PreTranslated, PartiallyEdited, ManuallyConfirmed (the translator
# confirmed), Reviewer1Confirmed, Proofread (confirmed by reviewer 2), AssembledFromFragments,
# MachineTranslated, Rejected. Confirmed by a reviewer is approved; Rejected needs work; the
# translator's states are still to review. Read case-blind (files say "Pretranslated").
MQ_STATUSES = (
    "NotStarted", "PreTranslated", "PartiallyEdited", "ManuallyConfirmed", "Reviewer1Confirmed",
    "AssembledFromFragments", "Proofread", "MachineTranslated", "Rejected",
)
MQ_STATUS = {
    name.lower(): "approved" if name in ("Reviewer1Confirmed", "Proofread") else "needs-work" if name == "Rejected" else "todo"
    for name in MQ_STATUSES
}


def flavour_of(root: Any) -> str:
    """``sdl`` (Trados SDLXLIFF), ``memoq`` (memoQ MQXLIFF) or ``""`` for plain XLIFF 1.2."""
    namespaces = set(root.nsmap.values()) if hasattr(root, "nsmap") else set()
    if NS_SDL in namespaces:
        return "sdl"
    if NS_MQ in namespaces:
        return "memoq"
    return ""


def _sdl_comments(root: Any) -> dict[str, list[str]]:
    """Trados comments by id (``<cmt-def>`` in ``<doc-info>``): "user (severity): text"."""
    out: dict[str, list[str]] = {}
    for definition in root.iter(f"{{{NS_SDL}}}cmt-def"):
        texts = []
        for comment in definition.iter(f"{{{NS_SDL}}}Comment"):
            who = comment.get("user") or ""
            severity = comment.get("severity") or ""
            label = ", ".join(p for p in (who, severity) if p)
            texts.append(f"{label}: {comment.text or ''}" if label else (comment.text or ""))
        out[definition.get("id", "")] = texts
    return out


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}" if ns else name


def _seg_mrks(elem: Any, ns: str) -> dict[str, Any]:
    return {m.get("mid", ""): m for m in elem.iter(_q(ns, "mrk")) if m.get("mtype") == "seg"}


def _segments_12(
    elem: Any, ns: str, flavour: str, comments: dict[str, list[str]], unit: Any
) -> list[tuple[Segment, Any]]:
    """One segment per ``<mrk mtype="seg">`` of ``<seg-source>`` (Trados, Okapi), else one for the unit."""
    from relecture.inline import CodeTable, flatten

    unit_id = elem.get("id", "")
    source_elem = elem.find(_q(ns, "source"))
    seg_source = elem.find(_q(ns, "seg-source"))
    target_elem = elem.find(_q(ns, "target"))
    state = target_elem.get("state", "") if target_elem is not None else ""
    base_meta: dict[str, Any] = {"xliff_id": unit_id}
    if state:
        base_meta["xliff_state"] = state
    if elem.get("approved"):
        base_meta["xliff_approved"] = elem.get("approved")
    if elem.get("resname"):
        base_meta["resname"] = elem.get("resname")
    locations = unit.getlocations()
    if locations:
        base_meta["locations"] = locations
    for context in elem.iter(_q(ns, "context")):
        if context.get("context-type") == "x-po-msgctxt" and context.text:
            base_meta["msgctxt"] = context.text  # a PO entry's msgctxt, as po2xliff writes it
            break
    alt = _alt_trans(elem, ns)
    if alt:
        base_meta["alt_trans"] = alt
    note = unit.getnotes()
    pieces: list[tuple[str, Any, Any]] = []  # (mid, source element, target element)
    source_mrks = _seg_mrks(seg_source, ns) if seg_source is not None else {}
    if source_mrks:
        target_mrks = _seg_mrks(target_elem, ns) if target_elem is not None else {}
        pieces = [(mid, m, target_mrks.get(mid)) for mid, m in source_mrks.items()]
    else:
        pieces = [("", source_elem, target_elem)]
    skip = frozenset({"seg", "x-sdl-comment"})
    sdl_segs = {d.get("id", ""): d for d in elem.iter(f"{{{NS_SDL}}}seg")} if flavour == "sdl" else {}
    out: list[tuple[Segment, Any]] = []
    for mid, src, trg in pieces:
        table = CodeTable()
        source = flatten(src, table, skip) if src is not None else ""
        target = flatten(trg, table, skip) if trg is not None else ""
        if _xml_space(src if src is not None else elem) != "preserve":
            source = _normalize(source, [])[0]
            target = _normalize(target, [])[0]
        meta = dict(base_meta)
        if mid:
            meta["xliff_mid"] = mid
        seg_note = note
        status = _status_12(elem, state)
        if flavour == "sdl":
            definition = sdl_segs.get(mid)
            if definition is not None:
                conf = definition.get("conf", "")
                if conf:
                    meta["sdl_conf"] = conf
                status = SDL_STATUS.get(conf, "todo")
                if definition.get("locked") == "true":
                    meta["locked"] = True
                if definition.get("origin"):
                    meta["sdl_origin"] = definition.get("origin")
            ids = [m.get(f"{{{NS_SDL}}}cid", "") for m in (trg.iter() if trg is not None else [])
                   if m.get("mtype") == "x-sdl-comment"]
            texts = [t for cid in ids for t in comments.get(cid, [])]
            if texts:
                meta["sdl_comments"] = texts
                seg_note = "\n".join([seg_note, *texts] if seg_note else texts)
        elif flavour == "memoq":
            mq_status = elem.get(f"{{{NS_MQ}}}status", "")
            if mq_status:
                meta["mq_status"] = mq_status
                status = MQ_STATUS.get(mq_status.lower(), "todo")
            if elem.get(f"{{{NS_MQ}}}locked") == "locked":
                meta["locked"] = True
        unit_ident = str(unit.getid()).replace("\x04", ":") or unit_id
        ident = mid if flavour == "sdl" and mid else (f"{unit_ident}:{mid}" if mid and len(pieces) > 1 else unit_ident)
        seg = Segment(
            id=ident,
            source=source, target=target, status=cast(Status, status), note=seg_note,
            space_after="\n", source_space_after="\n", meta=meta, codes=table.codes,
        )
        out.append((seg, trg))
    return out


def _status_12(elem: Any, state: str) -> str:
    if elem.get("approved", "") == "yes" or state in APPROVED_12:
        return "approved"
    if state in NEEDS_WORK_12:
        return "needs-work"
    return "todo"


def _alt_trans(elem: Any, ns: str) -> list[dict[str, str]]:
    """``<alt-trans>`` TM/MT proposals, as readable text (codes as tokens) for the side panel."""
    from relecture.inline import CodeTable, flatten
    from relecture.model import show_codes

    out = []
    for alt in elem.iterchildren(_q(ns, "alt-trans")):
        target = alt.find(_q(ns, "target"))
        if target is None:
            continue
        table = CodeTable()
        text = _normalize(flatten(target, table), [])[0]
        entry = {"target": show_codes(text, table.codes)}
        for name in ("origin", "match-quality", "alttranstype"):
            if alt.get(name):
                entry[name] = alt.get(name)
        out.append(entry)
    return out


# --- XLIFF 2.x -----------------------------------------------------------------------------------


def _read_v2(path: Path, raw: bytes, header: dict[str, Any], options: ImportOptions) -> ReviewDocument:
    from translate.storage.xliff2 import Xliff2File

    store = _parse_store(path, raw, Xliff2File)
    root = store.document.getroot()
    ns = store.namespace or NS_XLIFF2
    segments: list[Segment] = []
    seen: set[str] = set()
    file_ids = [f.get("id", "") for f in root.iterchildren(f"{{{ns}}}file")]
    skipped: set[int] = set()  # translate="no" units
    for unit in store.units:
        seg_elem = unit.xmlelement
        unit_elem = seg_elem.getparent()
        if unit_elem is None:
            continue
        if not translatable_2(unit_elem):
            skipped.add(id(unit_elem))  # kept in the file for delivery, not offered for review or checked
            continue
        file_elem = next(unit_elem.iterancestors(f"{{{ns}}}file"), None)
        file_id = file_elem.get("id", "") if file_elem is not None else ""
        src_elem = seg_elem.find(f"{{{ns}}}source")
        trg_elem = seg_elem.find(f"{{{ns}}}target")
        table = CodeTable()
        source, source_marks = _flatten(src_elem, ns, table) if src_elem is not None else ("", [])
        target, target_marks = _flatten(trg_elem, ns, table) if trg_elem is not None else ("", [])
        state = seg_elem.get("state", "")
        substate = seg_elem.get("subState", "")
        status = "approved" if state in {"reviewed", "final"} else "todo"
        if substate.startswith(SUBSTATE_PREFIX) and substate[len(SUBSTATE_PREFIX):] in STATUSES:
            status = substate[len(SUBSTATE_PREFIX):]
        meta: dict[str, Any] = {"xliff_unit": unit_elem.get("id", "")}
        if seg_elem.get("id"):
            meta["xliff_segment"] = seg_elem.get("id")
        if len(file_ids) > 1:
            meta["xliff_file"] = file_id
        if state:
            meta["xliff_state"] = state
        if substate:
            meta["xliff_substate"] = substate
        data = _original_data(unit_elem, ns, table)
        if data:
            meta["xliff_data"] = data
        rl = _relecture_meta(unit_elem)
        ident = rl.get("segment-id") or str(unit.getid() or unit_elem.get("id", ""))
        seg = Segment(
            id=_unique(ident, seen, file_id if len(file_ids) > 1 else ""),
            source=None if rl.get("source-missing") == "yes" else source,
            target=target,
            paragraph=len(segments),
            status=cast(Status, rl["status"] if rl.get("status") in STATUSES else status),
            note=_unit_notes(unit_elem, ns),
            space_after="\n",
            source_space_after="\n",
            meta=meta,
            codes=table.codes,
        )
        if "segment-meta" in rl:  # relecture's own export: the review's segment meta, whole
            with contextlib.suppress(ValueError):
                decoded = json.loads(rl["segment-meta"])
                if isinstance(decoded, dict):
                    seg.meta = decoded
        if "machine-translation" in rl:
            seg.target = rl["machine-translation"]
            seg.post_edit = target if target != seg.target else None
        if rl.get("paragraph", "").isdigit():
            seg.paragraph = int(rl["paragraph"])
        if rl.get("kind") in KINDS:
            seg.kind = cast(Kind, rl["kind"])
        if rl.get("esa", "").isdigit() and 0 <= int(rl["esa"]) <= 100:
            seg.esa = int(rl["esa"])
        _read_issues(seg, unit_elem, "source", source_marks)
        _read_issues(seg, unit_elem, "target", target_marks)
        segments.append(seg)
    file_notes = []
    for file_elem in root.iterchildren(f"{{{ns}}}file"):
        notes = file_elem.find(f"{{{ns}}}notes")
        if notes is not None:
            file_notes += [n.text or "" for n in notes.iterchildren(f"{{{ns}}}note") if n.text]
    meta = {"xliff_version": root.get("version", "2.0")}
    if skipped:
        meta["untranslatable_units"] = len(skipped)
    return _document(
        header, segments, store.getsourcelanguage(), store.gettargetlanguage(), options,
        note="\n".join(file_notes), meta=meta,
    )


_DATA_REF = re.compile(r'\bdataRef(?:Start|End)?="([^"]+)"')


def _original_data(unit_elem: Any, ns: str, table: CodeTable) -> dict[str, str]:
    """The ``<data>`` elements of the unit's ``<originalData>`` that the segment's codes point
    to (``dataRef``, ``dataRefStart``, ``dataRefEnd``), whole (their ``<cp>`` and ``dir`` kept),
    by id: the native code an export writes back beside the code."""
    from relecture.inline import element_markup

    wanted = {ref for code in table.codes for ref in _DATA_REF.findall(code.markup)}
    holder = unit_elem.find(f"{{{ns}}}originalData") if wanted else None
    if holder is None:
        return {}
    return {
        d.get("id", ""): element_markup(d)
        for d in holder.iterchildren(f"{{{ns}}}data") if d.get("id") in wanted
    }


def segments_2(store: Any) -> list[Any]:
    """The reviewable ``<segment>`` elements of an XLIFF 2 store, in document order: the ones
    the importer makes segments of (the delivery exporter walks the same list)."""
    return [
        u.xmlelement for u in store.units
        if u.xmlelement.getparent() is not None and translatable_2(u.xmlelement.getparent())
    ]


def translatable_2(unit_elem: Any) -> bool:
    """XLIFF 2 ``translate``: the nearest unit, group or file that says decides (default yes)."""
    node = unit_elem
    while node is not None:
        value = node.get("translate") if isinstance(node.tag, str) else None
        if value in ("yes", "no"):
            return value == "yes"
        node = node.getparent()
    return True




Mark = tuple[Any, int, int]  # (mrk element, start, end) in the flattened text


def _flatten(elem: Any, ns: str, table: CodeTable | None = None) -> tuple[str, list[Mark]]:
    """Text of a <source>/<target>, a code character for each ``ph``/``pc``/``sc``/``ec`` (into
    ``table``), and where each <mrk> starts and ends in it."""
    from relecture.inline import flatten_code, literal

    table = table if table is not None else CodeTable()
    table.open_stack = []
    parts: list[str] = []
    marks: list[Mark] = []
    length = 0

    def walk(node: Any) -> None:
        nonlocal length
        if node.text:
            parts.append(literal(node.text, table))
            length += len(node.text)
        for child in node:
            if not isinstance(child.tag, str):  # comments, processing instructions
                pass
            else:
                name = local_name(child.tag)
                if name == "cp":
                    with contextlib.suppress(ValueError, TypeError):
                        ch = chr(int(child.get("hex", ""), 16))
                        parts.append(ch)
                        length += 1
                elif name == "mrk":
                    start = length
                    walk(child)
                    marks.append((child, start, length))
                elif name == "pc":
                    opening, closing = flatten_code(child, table, wrapping=True)
                    parts.append(opening)
                    length += 1
                    walk(child)
                    parts.append(closing)
                    length += 1
                elif name in {"ph", "sc", "ec"}:
                    parts.append(flatten_code(child, table)[0])
                    length += 1
                # sm, em: annotation markers, no text
            if child.tail:
                parts.append(literal(child.tail, table))
                length += len(child.tail)

    walk(elem)
    text = "".join(parts)
    if _xml_space(elem) == "preserve":
        return text, marks
    return _normalize(text, marks)


def _xml_space(elem: Any) -> str:
    node = elem
    while node is not None:
        value = node.get(f"{{{NS_XML}}}space")
        if value:
            return value
        node = node.getparent()
    return "default"


def _normalize(text: str, marks: list[Mark]) -> tuple[str, list[Mark]]:
    """xml:space="default": white-space runs are layout of the XML file, not text; collapse
    them to one space and trim the ends (as translate-toolkit does), moving marks along."""
    out: list[str] = []
    new_index = [0] * (len(text) + 1)
    pending_space = False
    for i, ch in enumerate(text):
        if ch in " \t\n\r":
            pending_space = bool(out)
            new_index[i] = len(out)
            continue
        if pending_space:
            out.append(" ")
            pending_space = False
        new_index[i] = len(out)
        out.append(ch)
    new_index[len(text)] = len(out)
    moved = [(m, new_index[s], max(new_index[s], new_index[e])) for m, s, e in marks]
    return "".join(out), moved


def _unit_notes(unit_elem: Any, ns: str) -> str:
    """The unit's notes, after those of the groups around it (outermost first): a note on a
    group speaks about each unit in it."""
    owners = [*reversed(list(unit_elem.iterancestors(f"{{{ns}}}group"))), unit_elem]
    texts: list[str] = []
    for owner in owners:
        notes = owner.find(f"{{{ns}}}notes")
        if notes is None:
            continue
        texts += [
            n.text or ""
            for n in notes.iterchildren(f"{{{ns}}}note")
            if n.get("category") != ISSUE_NOTE and n.text
        ]
    return "\n".join(texts)


def _relecture_meta(unit_elem: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for group in unit_elem.iterchildren(f"{{{NS_MDA}}}metadata"):
        for meta_group in group.iterchildren(f"{{{NS_MDA}}}metaGroup"):
            if meta_group.get("category") != META_GROUP:
                continue
            for meta in meta_group.iterchildren(f"{{{NS_MDA}}}meta"):
                kind, value = meta.get("type", ""), meta.text or ""
                if kind.endswith(JSON_SUFFIX):
                    try:
                        decoded = json.loads(value)
                    except ValueError:
                        continue
                    if isinstance(decoded, str):
                        out[kind[: -len(JSON_SUFFIX)]] = decoded
                    continue
                out[kind] = value
    return out


def _its(elem: Any, name: str, standoff: bool) -> str | None:
    # Inline, ITS attributes are namespaced (its:locQualityIssueType); in a standoff
    # <its:locQualityIssue> they are plain (locQualityIssueType).
    return elem.get(name) if standoff else elem.get(f"{{{NS_ITS}}}{name}")


def _read_issues(seg: Segment, unit_elem: Any, side: str, marks: list[Mark]) -> None:
    text = seg.text(side)
    for mrk, start, end in marks:
        ref = mrk.get(f"{{{NS_ITS}}}locQualityIssuesRef")
        if ref:
            block = _find_block(unit_elem, ref)
            if block is None:
                continue
            for issue in block.iterchildren(f"{{{NS_ITS}}}locQualityIssue"):
                _add_issue(seg, issue, True, side, start, end, text)
        elif _its(mrk, "locQualityIssueType", False) or _its(mrk, "locQualityIssueComment", False):
            _add_issue(seg, mrk, False, side, start, end, text)


def _find_block(unit_elem: Any, ref: str) -> Any:
    ident = ref.split("#", 1)[-1]
    if ident.startswith("its="):
        ident = ident[4:]
    for block in unit_elem.iter(f"{{{NS_ITS}}}locQualityIssues"):
        if block.get(f"{{{NS_XML}}}id") == ident:
            return block
    return None


def _add_issue(
    seg: Segment, elem: Any, standoff: bool, side: str, start: int, end: int, text: str
) -> None:
    if (_its(elem, "locQualityIssueEnabled", standoff) or "yes") == "no":
        return
    issue_type = _its(elem, "locQualityIssueType", standoff) or ""
    comment = _its(elem, "locQualityIssueComment", standoff) or ""
    raw_severity = _its(elem, "locQualityIssueSeverity", standoff)
    severity = "minor"
    if raw_severity:
        with contextlib.suppress(ValueError):
            value = float(raw_severity)
            if 0 <= value <= 100:
                severity = severity_from_its(value)

    def rl(name: str) -> str | None:
        return elem.get(f"{{{NS_RL}}}{name}")

    on_post_edit = rl("kind") == "post-edit-flag"  # relecture's flag found on the post-edit
    if on_post_edit and seg.post_edit is not None:
        text = seg.post_edit  # the written target: the mrk's own span is the flag's
    # relecture's own exact span (for a post-edited target, it points into the original MT).
    with contextlib.suppress(TypeError, ValueError):
        s, e = int(rl("start") or ""), int(rl("end") or "")
        if 0 <= s <= e <= len(text):
            start, end = s, e
    start, end = min(start, len(text)), min(end, len(text))
    if rl("kind") in ("flag", "post-edit-flag"):
        (seg.post_edit_flags if on_post_edit and seg.post_edit is not None else seg.flags).append(
            Flag(
                check=rl("check") or "imported",
                family=rl("family") or "imported",
                severity=cast(Severity, severity),
                category=rl("category") or category_for_its(issue_type),
                its_type=issue_type if issue_type in ITS_TYPES else "other",
                side=cast(Side, side),
                start=start,
                end=end,
                text=text[start:end],
                message=comment,
                suggestion=rl("suggestion"),
            )
        )
        return
    number = sum(1 for a in seg.annotations if a.origin == "import:xliff") + 1
    seg.annotations.append(
        Annotation(
            id=rl("id") or f"lqi{number}",
            side=cast(Side, side),
            start=start,
            end=end,
            category=rl("category") or category_for_its(issue_type),
            severity=cast(Severity, severity),
            text=text[start:end],
            comment=comment,
            correction=rl("correction") or "",
            author=rl("author") or "",
            time=rl("time") or "",
            origin=rl("origin") or "import:xliff",
            meta={"its_type": issue_type} if issue_type and not rl("category") else {},
        )
    )
