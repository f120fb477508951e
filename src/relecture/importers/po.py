"""Gettext PO files through translate-toolkit's ``translate.storage.po.pofile``.

PO is not XML: no entity risk. Kept from each entry (the header and obsolete ``#~`` entries are
skipped): msgid as the source, msgstr as the target (plural entries: the first forms, with all
forms in ``meta["plural_sources"]``/``meta["plural_targets"]``), translator (``#``) and
developer (``#.``) comments as the segment note (also apart in meta), msgctxt, ``#:``
locations and ``#,`` flags (``c-format``, ``python-format``...; ``meta["flags"]``) in meta, the target language from the header's ``Language:``.

Status: ``#, fuzzy`` -> needs-work (a translator flagged it as unsure); everything else -> todo.
Segment ids are the entries' positions (1, 2, ...): msgctxt + msgid identify an entry in
gettext but make unwieldy ids; translate-toolkit's id is kept in ``meta["po_id"]``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from relecture.errors import InputError
from relecture.importers import ImportOptions, new_document_header
from relecture.model import ReviewDocument, Segment
from relecture.textio import read_bytes


def _flags(typecomments: list[str]) -> list[str]:
    """``#, fuzzy, c-format`` lines -> ["c-format"] (fuzzy is the status)."""
    out = [f.strip() for line in typecomments for f in line.lstrip("#,").split(",")]
    return [f for f in dict.fromkeys(out) if f and f != "fuzzy"]


def read(path: Path, options: ImportOptions) -> ReviewDocument:
    from translate.storage.po import pofile

    raw = read_bytes(path)
    if not raw.strip():
        raise InputError(path, "empty file")
    try:
        store = pofile.parsestring(raw)
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"cannot decode the PO file (byte 0x{exc.object[exc.start]:02x} is not {exc.encoding}); "
            "convert it to UTF-8 (msgconv --to-code=UTF-8)",
        ) from None
    except ValueError as exc:  # PoParseError, bad charset
        message = str(exc).splitlines()[0] if str(exc) else "syntax error"
        match = re.search(r" on line (\d+)", message)
        place = f"line {match.group(1)}" if match else None
        if match:
            message = message[: match.start()]
        raise InputError(path, f"not a valid PO file: {message}", place) from None
    except LookupError as exc:  # unknown charset in the header
        raise InputError(path, f"cannot decode the PO file ({exc})") from None
    segments: list[Segment] = []
    for unit in store.units:
        if unit.isheader() or unit.isobsolete():
            continue
        meta: dict[str, Any] = {"po_id": str(unit.getid())}
        if unit.hasplural():
            sources = [str(s) for s in unit.source.strings]
            targets = [str(t) for t in unit.target.strings] if unit.target else []
            meta["plural_sources"] = sources
            meta["plural_targets"] = targets
            source, target = sources[0], targets[0] if targets else ""
        else:
            source = str(unit.source or "")
            target = str(unit.target or "")
        context = unit.getcontext()
        if context:
            meta["msgctxt"] = context
        locations = unit.getlocations()
        if locations:
            meta["locations"] = locations
        translator = unit.getnotes("translator")
        developer = unit.getnotes("developer")
        if translator:
            meta["translator_comments"] = translator
        if developer:
            meta["developer_comments"] = developer
        flags = _flags(unit.typecomments)
        if flags:
            meta["flags"] = flags  # c-format, python-format...: what the software checks read
        fuzzy = unit.isfuzzy()
        if fuzzy:
            meta["fuzzy"] = True
        segments.append(
            Segment(
                id=str(len(segments) + 1),
                source=source,
                target=target,
                paragraph=len(segments),
                status="needs-work" if fuzzy else "todo",
                note="\n".join(n for n in (translator, developer) if n),
                space_after="\n",
                source_space_after="\n",
                meta=meta,
            )
        )
    header = new_document_header(path, "po", raw, options.title)
    return ReviewDocument(
        id=str(header["id"]),
        title=str(header["title"]),
        segments=segments,
        source_lang=options.source_lang or store.getsourcelanguage() or None,
        target_lang=options.target_lang or store.gettargetlanguage() or None,
        imported_from=dict(header["imported_from"]),  # type: ignore[call-overload]
        relecture_version=str(header["relecture_version"]),
        created=str(header["created"]),
    )
