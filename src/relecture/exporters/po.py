"""Gettext PO through translate-toolkit's ``pofile``: a PO review delivered back into its own
catalogue (``patch``), or any review written as a new catalogue (``render``).

Back into the catalogue: each entry's segments (one per plural form, ``N`` or ``N[i]``) give its
msgstr / msgstr[i]; approved clears ``#, fuzzy`` (and the ``#|`` previous msgid that goes with
it), needs-work and rejected set it, todo leaves it as it was; the reviewer's note and
annotations become translator comments (``#``). Everything else (header, obsolete entries,
locations, flags, developer comments) is the catalogue's own.

A new catalogue from another format: one entry per segment, ``msgctxt`` and locations from the
segment's meta when it has them, plural entries regrouped from their forms, the note as a
translator comment, fuzzy for segments not approved.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from relecture.errors import InputError
from relecture.exporters import ExportOptions
from relecture.exporters.original import Original, comment_lines
from relecture.model import ReviewDocument, Segment, show_codes


def write(doc: ReviewDocument, stream: BinaryIO, options: ExportOptions) -> None:
    stream.write(render(doc, options))


def render(doc: ReviewDocument, options: ExportOptions | None = None) -> bytes:
    opts = options or ExportOptions()
    if doc.imported_from.get("format") == "po":
        from relecture.exporters import original

        return original.render(doc, opts)
    return _new_catalogue(doc)


def _entries(doc: ReviewDocument) -> dict[int, list[tuple[int, Segment]]]:
    """Review segments (with their position) by PO entry number."""
    out: dict[int, list[tuple[int, Segment]]] = {}
    for position, seg in enumerate(doc.segments):
        entry = seg.meta.get("po_entry")
        if isinstance(entry, int):
            out.setdefault(entry, []).append((position, seg))
    return out


def patch(doc: ReviewDocument, original: Original, options: ExportOptions) -> bytes:
    from translate.misc.multistring import multistring
    from translate.storage.po import pofile

    store = pofile.parsestring(original.raw)
    by_entry = _entries(doc)
    entry = 0
    for unit in store.units:
        if unit.isheader() or unit.isobsolete():
            continue
        entry += 1
        forms = by_entry.get(entry, [])
        if not any(original.changed[position] for position, _ in forms):
            continue
        segs = [seg for _, seg in sorted(forms, key=lambda f: f[1].meta.get("plural_index", 0))]
        if unit.hasplural():
            count = max(int(segs[0].meta.get("plural_forms", 0)), max(
                (i + 1 for i, s in enumerate(segs) if s.final_target), default=0
            ))
            unit.target = multistring([s.final_target for s in segs[:count]])
        else:
            unit.target = segs[0].final_target
        first = segs[0]
        if first.status == "approved":
            unit.markfuzzy(False)
            if unit.has_previous():
                unit.clear_previous()  # the #| lines belong to the fuzzy state
        elif first.status in ("needs-work", "rejected"):
            unit.markfuzzy(True)
        before = original.before[forms[0][0]]
        developer = unit.getnotes("developer")
        translator = unit.getnotes("translator")
        if first.note != before.note:
            translator = _without_developer(first.note, developer)
        remarks = [line for seg in segs for line in comment_lines(seg, seg.note)]  # annotations only
        text = "\n".join(dict.fromkeys(line for line in [translator, *remarks] if line))
        if text != unit.getnotes("translator"):
            unit.removenotes(origin="translator")
            if text:
                unit.addnote(text, origin="translator")
    return bytes(store)


def _without_developer(note: str, developer: str) -> str:
    """A segment's note is translator + developer comments joined (see the importer); the
    developer part stays where it is (``#.``)."""
    if developer and note.endswith("\n" + developer):
        return note[: -len(developer) - 1]
    if developer and note == developer:
        return ""
    return note


def entry_groups(doc: ReviewDocument) -> list[list[Segment]]:
    """The segments of each entry of a new catalogue, in order: the forms of a PO plural entry
    (same ``po_entry``) together, every other segment alone (XLIFF 1.2 groups them the same)."""
    grouped: dict[Any, list[Segment]] = {}
    for seg in doc.segments:
        key = ("entry", seg.meta["po_entry"]) if "plural_index" in seg.meta and "po_entry" in seg.meta else ("seg", seg.id)
        grouped.setdefault(key, []).append(seg)
    return list(grouped.values())  # dicts keep the order of first appearance


def _new_catalogue(doc: ReviewDocument) -> bytes:
    from translate.misc.multistring import multistring
    from translate.storage.po import pofile, pounit

    if not doc.bilingual:  # every msgid would be "": gettext cannot read such a catalogue back
        raise InputError(None, "a PO catalogue needs source texts (msgid) and this review has none (target-only document)")
    store = pofile()
    store.updateheader(add=True, Language=doc.target_lang or "", Content_Type="text/plain; charset=UTF-8")
    for segs in entry_groups(doc):
        first = segs[0]
        codes = first.codes
        if len(segs) > 1 or "plural_index" in first.meta:
            sources = [show_codes(first.source or "", codes)]
            if len(segs) > 1:
                sources.append(show_codes(segs[1].source or "", segs[1].codes))
            unit = pounit(multistring(sources))
            unit.target = multistring([show_codes(s.final_target, s.codes) for s in segs])
        else:
            unit = pounit(show_codes(first.source or "", codes))
            unit.target = show_codes(first.final_target, codes)
        context = first.meta.get("msgctxt") or first.meta.get("resname")
        if isinstance(context, str) and context:
            unit.setcontext(context)
        for location in first.meta.get("locations") or []:
            if isinstance(location, str):
                unit.addlocation(location)
        if first.note:
            unit.addnote(first.note, origin="translator")
        if first.status != "approved" and first.final_target:
            unit.markfuzzy(True)
        store.addunit(unit)
    return bytes(store)
