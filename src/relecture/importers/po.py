"""Gettext PO files through translate-toolkit's ``translate.storage.po.pofile``.

PO is not XML: no entity risk. Kept from each entry (the header and obsolete ``#~`` entries are
skipped): msgid as the source, msgstr as the target, translator (``#``) and developer (``#.``)
comments as the segment note (also apart in meta), msgctxt, ``#:`` locations and ``#,`` flags
(``c-format``, ``python-format``...; ``meta["flags"]``) in meta, the
previous msgid of a fuzzy entry (``#| msgid``) in ``meta["previous_msgid"]``, the target
language from the header's ``Language:``; the source language is English (gettext's convention
for msgids) unless ``--source-lang`` says otherwise.

Plural entries: every form is its own segment, ``N[0]``, ``N[1]``... (msgid is the source of
form 0, msgid_plural of the others), labelled from the header's Plural-Forms (``n=2, 3, 4…
(form 1 of 3)``, evaluated with the standard library's ``gettext.c2py``); a form the header asks
for and the entry lacks is an empty segment, so the reviewer sees it and the plurals checks
flag it.

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
from relecture.model import ReviewDocument, Segment, Status
from relecture.textio import read_bytes


def plural_forms(store: Any, path: Path) -> tuple[int, list[str], list[bool]]:
    """``nplurals`` of the header's Plural-Forms, a label per form (the numbers it is used for,
    e.g. ``n=1, 21, 31… (form 0 of 3)``) and whether a form is used for one number only (it may
    say "a minute" without the count); (0, [], gettext's default ``n != 1``) without a usable
    header."""
    import gettext

    default_single = [True, False]  # gettext without Plural-Forms: plural=(n != 1)
    header = store.parseheader() if hasattr(store, "parseheader") else {}
    value = str(header.get("Plural-Forms", "") or "")
    count = re.search(r"nplurals\s*=\s*(\d+)", value)
    expression = re.search(r"plural\s*=\s*([^;]+)", value)
    if not count:
        return 0, [], default_single
    nplurals = int(count.group(1))
    if not 0 < nplurals <= 16:
        return 0, [], default_single
    samples: list[list[int]] = [[] for _ in range(nplurals)]
    if expression:
        try:
            chooser = gettext.c2py(expression.group(1).strip())
            for n in range(0, 1001):
                form = chooser(n)
                if 0 <= form < nplurals and len(samples[form]) < 4:
                    samples[form].append(n)
        except (ValueError, SyntaxError, RecursionError, ZeroDivisionError):
            samples = [[] for _ in range(nplurals)]
    labels = []
    for index, numbers in enumerate(samples):
        shown = ", ".join(map(str, numbers[:3])) + ("…" if len(numbers) > 3 else "")
        labels.append(f"n={shown} (form {index} of {nplurals})" if numbers else f"form {index} of {nplurals}")
    return nplurals, labels, [len(numbers) == 1 for numbers in samples]


def _previous_msgid(unit: Any) -> str:
    """The msgid a fuzzy entry was translated from (``#| msgid``), for the reviewer's diff."""
    with_prev = getattr(unit, "prev_source", None)
    if with_prev is not None:
        text = str(with_prev)
        if text:
            return text
    return ""
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
    nplurals, labels, single = plural_forms(store, path)
    entry = 0
    for unit in store.units:
        if unit.isheader() or unit.isobsolete():
            continue
        entry += 1
        meta: dict[str, Any] = {"po_id": str(unit.getid()), "po_entry": entry}
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
            previous = _previous_msgid(unit)
            if previous:
                meta["previous_msgid"] = previous
        note = "\n".join(n for n in (translator, developer) if n)
        status: Status = "needs-work" if fuzzy else "todo"
        if not unit.hasplural():
            segments.append(Segment(
                id=str(entry), source=str(unit.source or ""), target=str(unit.target or ""),
                paragraph=len(segments), status=status, note=note, space_after="\n",
                source_space_after="\n", meta=meta,
            ))
            continue
        # Every plural form is its own segment: msgid for form 0, msgid_plural for the others.
        sources = [str(s) for s in unit.source.strings]
        targets = [str(t) for t in unit.target.strings] if unit.target else []
        meta["plural_forms"] = len(targets)
        if nplurals:
            meta["nplurals"] = nplurals
        for index in range(max(len(targets), nplurals or 0, 1)):
            form = dict(meta)
            form["plural_index"] = index
            form["plural_label"] = labels[index] if index < len(labels) else f"form {index}"
            if index < len(single) and single[index]:
                form["plural_single"] = True  # used for one number only: may leave the count out
            segments.append(Segment(
                id=f"{entry}[{index}]",
                source=sources[0] if index == 0 or len(sources) < 2 else sources[1],
                target=targets[index] if index < len(targets) else "",
                paragraph=len(segments), status=status, note=note, space_after="\n",
                source_space_after="\n", meta=form,
            ))
    header = new_document_header(path, "po", raw, options.title)
    return ReviewDocument(
        id=str(header["id"]),
        title=str(header["title"]),
        segments=segments,
        # gettext's convention: msgids are English unless the header says otherwise.
        source_lang=options.source_lang or store.getsourcelanguage() or "en",
        target_lang=options.target_lang or store.gettargetlanguage() or None,
        imported_from=dict(header["imported_from"]),  # type: ignore[call-overload]
        relecture_version=str(header["relecture_version"]),
        created=str(header["created"]),
    )
