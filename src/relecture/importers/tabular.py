"""TSV and CSV files with a header row: ``id``, ``source``, ``target`` (other names mapped with
``--columns id=ID,source=en,target=fr``). One row is one segment; ``source`` and ``id`` are
optional columns. Fields may hold quoted line breaks (standard CSV quoting)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from relecture.errors import InputError
from relecture.importers import ImportOptions, new_document_header
from relecture.langid import detect_language
from relecture.model import ReviewDocument, Segment
from relecture.textio import decode, read_bytes

ROLES = ("id", "source", "target")


def read_tsv(path: Path, options: ImportOptions) -> ReviewDocument:
    return _read(path, options, "\t", "tsv")


def read_csv(path: Path, options: ImportOptions) -> ReviewDocument:
    return _read(path, options, ",", "csv")


def _read(path: Path, options: ImportOptions, delimiter: str, fmt: str) -> ReviewDocument:
    raw = read_bytes(path)
    text = decode(raw, path)
    csv.field_size_limit(1 << 30)  # a segment may legitimately be long; the file is in memory
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, "no header row", "line 1") from None
    except csv.Error as exc:
        raise InputError(path, f"malformed {fmt.upper()}: {exc}", "line 1") from None
    names = [h.strip() for h in header]
    lowered = [n.lower() for n in names]
    wanted = {role: options.columns.get(role, role) for role in ROLES}
    index: dict[str, int] = {}
    for role, column in wanted.items():
        if column in names:
            index[role] = names.index(column)
        elif column.lower() in lowered:
            index[role] = lowered.index(column.lower())
    if "target" not in index:
        raise InputError(
            path,
            f"no {wanted['target']!r} column in the header (columns: {', '.join(names)}); "
            "name it with --columns target=NAME",
            "line 1",
        )
    segments: list[Segment] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                raise InputError(path, f"row has {len(row)} fields, the header has {len(names)}", f"line {line}")
            seg_id = row[index["id"]].strip() if "id" in index else str(len(segments) + 1)
            if not seg_id:
                raise InputError(path, "empty id", f"line {line}")
            if seg_id in seen:
                raise InputError(path, f"duplicate id {seg_id!r} (first on line {seen[seg_id]})", f"line {line}")
            seen[seg_id] = line
            source = row[index["source"]] if "source" in index else None
            segments.append(
                Segment(
                    id=seg_id,
                    paragraph=len(segments),
                    kind="sentence",
                    target=row[index["target"]],
                    source=source,
                    space_after="\n",
                    source_space_after="\n" if source is not None else "",
                )
            )
    except csv.Error as exc:
        raise InputError(path, f"malformed {fmt.upper()}: {exc}", f"line {reader.line_num}") from None
    sample = " ".join(s.target for s in segments[:200])
    sources = " ".join(s.source or "" for s in segments[:200])
    return ReviewDocument(
        segments=segments,
        source_lang=options.source_lang or (detect_language(sources) if "source" in index else None),
        target_lang=options.target_lang or detect_language(sample),
        **new_document_header(path, fmt, raw, options.title),  # type: ignore[arg-type]
    )
