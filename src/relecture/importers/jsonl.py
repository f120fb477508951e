"""JSON Lines: one ``{"id", "source", "target"}`` object per line (``source``/``id`` optional,
any other keys kept in the segment's ``meta``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from relecture.errors import InputError
from relecture.importers import ImportOptions, new_document_header
from relecture.langid import detect_language
from relecture.model import ReviewDocument, Segment, check_nesting, find_lone_surrogate
from relecture.textio import decode, read_bytes


def read(path: Path, options: ImportOptions) -> ReviewDocument:
    raw = read_bytes(path)
    text = decode(raw, path)
    id_key = options.columns.get("id", "id")
    source_key = options.columns.get("source", "source")
    target_key = options.columns.get("target", "target")
    segments: list[Segment] = []
    seen: dict[str, int] = {}
    # Only "\n" ends a line: str.splitlines() would also cut at U+2028, U+0085 and other
    # characters that JSON strings may hold unescaped.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        parsed = parse_line(path, line, number, (id_key, source_key, target_key), len(segments) + 1)
        seg_id, target, source, meta = parsed
        if seg_id in seen:
            raise InputError(path, f"duplicate id {seg_id!r} (first on line {seen[seg_id]})", f"line {number}")
        seen[seg_id] = number
        segments.append(
            Segment(
                id=seg_id,
                paragraph=len(segments),
                kind="sentence",
                target=target,
                source=source,
                space_after="\n",
                source_space_after="\n" if source is not None else "",
                meta=meta,
            )
        )
    has_source = any(s.source is not None for s in segments)
    return ReviewDocument(
        segments=segments,
        source_lang=options.source_lang
        or (detect_language(" ".join(s.source or "" for s in segments[:200])) if has_source else None),
        target_lang=options.target_lang or detect_language(" ".join(s.target for s in segments[:200])),
        **new_document_header(path, "jsonl", raw, options.title),  # type: ignore[arg-type]
    )


def parse_line(
    path: Path | str, line: str, number: int, keys: tuple[str, str, str], default_id: int
) -> tuple[str, str, str | None, dict[str, Any]]:
    """(id, target, source, other keys) of one non-blank line; errors name the line."""
    id_key, source_key, target_key = keys
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"malformed JSON: {exc.msg}", f"line {number}:{exc.colno}") from None
    except RecursionError:
        raise InputError(path, "malformed JSON: nested too deeply", f"line {number}") from None
    except ValueError:  # an integer of more than 4300 digits
        raise InputError(path, "malformed JSON: a number is too long", f"line {number}") from None
    if not isinstance(obj, dict):
        raise InputError(path, "expected a JSON object", f"line {number}")
    if "\\u" in line:
        where = find_lone_surrogate(obj, "$")
        if where is not None:
            raise InputError(
                path, f"lone surrogate escape (\\udXXX) at {where}: not Unicode", f"line {number}"
            )
    target = obj.get(target_key)
    if not isinstance(target, str):
        raise InputError(path, f"missing or non-text {target_key!r}", f"line {number}")
    source = obj.get(source_key)
    if source is not None and not isinstance(source, str):
        raise InputError(path, f"non-text {source_key!r}", f"line {number}")
    raw_id = obj.get(id_key, default_id)
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        raise InputError(path, f"{id_key!r} must be text or a number", f"line {number}")
    seg_id = str(raw_id)
    meta = {k: v for k, v in obj.items() if k not in (id_key, source_key, target_key)}
    try:
        check_nesting(meta, "$")
    except InputError as exc:
        raise InputError(path, f"{exc.message} at {exc.place}", f"line {number}") from None
    return seg_id, target, source, meta
