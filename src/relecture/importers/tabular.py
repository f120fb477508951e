"""TSV and CSV files with a header row: ``id``, ``source``, ``target`` (other names mapped with
``--columns id=ID,source=en,target=fr``). One row is one segment; ``source`` and ``id`` are
optional columns.

TSV cells are taken literally, as the IANA text/tab-separated-values format defines them (no
quoting: a cell holds no tab or line break) and as MT and WMT files are written: a translation
that starts with a quotation mark (``"Bonjour" dit-il``) keeps it, and the straight-quote checks
see it. CSV follows RFC 4180: quoted fields may hold commas, quotes and line breaks."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
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


def _literal_records(text: str, delimiter: str, where: list[int]) -> Iterator[list[str]]:
    """One record per line, cells split at the delimiter, nothing unquoted (TSV)."""
    for number, line in enumerate(io.StringIO(text, newline="").readlines(), start=1):
        where[0] = number
        line = line.rstrip("\r\n")
        yield line.split(delimiter) if line else []


def _records(text: str, delimiter: str, where: list[int]) -> Iterator[list[str]]:
    """What ``csv.reader`` yields, faster: a line without a quote character is split directly
    (csv reads it the same way); a record whose first line has one is read by csv, which takes
    as many lines as it needs (quoted fields may hold line breaks). ``where[0]`` is kept at the
    number of the last line read, as ``csv.reader.line_num``."""
    lines = iter(io.StringIO(text, newline="").readlines())  # split where csv splits
    number = 0
    for line in lines:
        number += 1
        if '"' in line:
            reader = csv.reader(itertools.chain((line,), lines), delimiter=delimiter)
            try:
                row = next(reader)
            finally:
                number += reader.line_num - 1
                where[0] = number
            yield row
            continue
        where[0] = number
        line = line.rstrip("\r\n")
        yield line.split(delimiter) if line else []


def _read(path: Path, options: ImportOptions, delimiter: str, fmt: str) -> ReviewDocument:
    raw = read_bytes(path)
    text = decode(raw, path)
    csv.field_size_limit(1 << 30)  # a segment may legitimately be long; the file is in memory
    where = [0]
    reader = (_literal_records if fmt == "tsv" else _records)(text, delimiter, where)
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
    width = len(names)
    id_column = index.get("id")
    source_column = index.get("source")
    target_column = index["target"]
    try:
        for row in reader:
            line = where[0]
            if len(row) != width or not row[target_column].strip():
                # The usual row has its fields and a target; anything else is looked at closely.
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != width:
                    raise InputError(path, f"row has {len(row)} fields, the header has {width}", f"line {line}")
            seg_id = row[id_column].strip() if id_column is not None else str(len(segments) + 1)
            if not seg_id:
                raise InputError(path, "empty id", f"line {line}")
            if seg_id in seen:
                raise InputError(path, f"duplicate id {seg_id!r} (first on line {seen[seg_id]})", f"line {line}")
            seen[seg_id] = line
            source = row[source_column] if source_column is not None else None
            segments.append(
                Segment(
                    id=seg_id,
                    paragraph=len(segments),
                    kind="sentence",
                    target=row[target_column],
                    source=source,
                    space_after="\n",
                    source_space_after="\n" if source is not None else "",
                )
            )
    except csv.Error as exc:
        raise InputError(path, f"malformed {fmt.upper()}: {exc}", f"line {where[0]}") from None
    sample = " ".join(s.target for s in segments[:200])
    sources = " ".join(s.source or "" for s in segments[:200])
    return ReviewDocument(
        segments=segments,
        source_lang=options.source_lang or (detect_language(sources) if "source" in index else None),
        target_lang=options.target_lang or detect_language(sample),
        **new_document_header(path, fmt, raw, options.title),  # type: ignore[arg-type]
    )
