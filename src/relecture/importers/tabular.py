"""TSV and CSV files with a header row: ``id``, ``source``, ``target`` (other names mapped with
``--columns id=ID,source=en,target=fr``). One row is one segment; ``source`` and ``id`` are
optional columns.

TSV cells are taken literally, as the IANA text/tab-separated-values format defines them and as
MT and WMT files are written: a translation that starts with a quotation mark (``"Bonjour"
dit-il``) keeps it, and the straight-quote checks see it. Only a cell quoted the way
spreadsheets quote one, wholly enclosed and holding what forced the quotes (a tab, a line break,
or a doubled quote), is unquoted: ``"Je pars."`` and ``""`` are taken as written. CSV follows RFC 4180: quoted fields may hold commas, quotes and line breaks."""

from __future__ import annotations

import csv
import itertools
import re
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


# A line and its end (\r\n, \r or \n), or a last line without one. StringIO splits the same
# way, but copies the text into 4 bytes a character first: 1 GB for a million rows.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
# str.splitlines breaks at \n, \r and \r\n as _LINE does, and also at these: without any of them
# in the text it splits exactly as _LINE, 3x faster.
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their ends, as ``StringIO(text, newline="").readlines()``."""
    if any(mark in text for mark in _OTHER_BREAKS):
        return _LINE.findall(text)
    return text.splitlines(keepends=True)


def _tsv_records(text: str, delimiter: str, where: list[int]) -> Iterator[list[str]]:
    """TSV records: cells are literal, except a cell written the way spreadsheets quote one,
    wholly enclosed in double quotes, holding a tab, a line break or a doubled quote
    (``"Deux\nlignes"``, ``"dit ""oui"" !"``), which may span lines. ``"Bonjour" dit-il`` is not enclosed (text follows the closing quote), so it is
    taken as written, quotes included. ``where[0]`` is kept at the last line read."""
    lines = split_lines(text)
    del text  # the lines are a copy; a million rows are a few hundred MB each way
    total = len(lines)
    index = 0
    width = 0  # the header's
    while index < total:
        first = index
        line = lines[index]
        index += 1
        where[0] = index
        if '"' not in line:
            line = line.rstrip("\r\n")
            record = line.split(delimiter) if line else []
        else:
            record, used = _quoted_record(lines, index - 1, delimiter)
            if width and _fits(line, delimiter, width) and (
                len(record) != width or (used > 1 and (index >= total or _fits(lines[index], delimiter, width)))
            ):
                # Read as written, this line is a whole record (and so is the next): quotes
                # that only seemed to enclose cells, or to open one spanning lines.
                line = line.rstrip("\r\n")
                record = line.split(delimiter)
            else:
                index += used - 1
                where[0] = index
        if not width:
            width = len(record)
        for done in range(first, index):  # never read again: the segments hold their cells
            lines[done] = ""
        yield record


def _fits(line: str, delimiter: str, width: int) -> bool:
    return line.rstrip("\r\n").count(delimiter) + 1 == width


def _quoted_record(lines: list[str], first: int, delimiter: str) -> tuple[list[str], int]:
    """The record starting at ``lines[first]`` and how many lines it takes."""
    text = lines[first]
    used = 1
    fields: list[str] = []
    pos = 0
    while True:
        if text.startswith('"', pos):
            value, end, extra = _enclosed(lines, first + used, text, pos + 1, delimiter)
            if value is not None:
                text = text if not extra else text + "".join(lines[first + used : first + used + extra])
                used += extra
                fields.append(value)
                pos = end
                if pos >= len(text) or text[pos] in "\r\n":
                    return fields, used
                pos += 1  # the delimiter
                continue
        # A literal cell: up to the next delimiter on this line.
        stop = len(text)
        for mark in (delimiter, "\r", "\n"):
            found = text.find(mark, pos)
            if found >= 0:
                stop = min(stop, found)
        fields.append(text[pos:stop])
        if stop >= len(text) or text[stop] != delimiter:
            return (fields if fields != [""] else []), used
        pos = stop + 1


def _enclosed(
    lines: list[str], following: int, text: str, start: int, delimiter: str
) -> tuple[str | None, int, int]:
    """The value of a quoted cell whose opening quote is before ``start`` in ``text`` (which
    continues, if needed, with ``lines[following:]``): (value, end offset after the closing quote,
    lines added), or (None, 0, 0) when it is not a wholly enclosed cell."""
    extra = 0
    pos = start
    while True:
        quote = text.find('"', pos)
        while quote < 0:
            if following + extra >= len(lines):
                return None, 0, 0  # never closed: a literal quote, not a quoted cell
            text += lines[following + extra]
            extra += 1
            quote = text.find('"', pos)
        if text.startswith('""', quote):
            pos = quote + 2
            continue
        after = text[quote + 1 : quote + 2]
        if after not in ("", delimiter, "\r", "\n"):
            return None, 0, 0  # text follows the closing quote: the quotes are part of the text
        inner = text[start:quote]
        if not any(mark in inner for mark in (delimiter, "\n", "\r", '""')):
            # Spreadsheets quote a cell only when it must be (it holds a delimiter, a line break
            # or a quote): "Je pars." or "" is a translation in quotes, taken as written.
            return None, 0, 0
        return inner.replace('""', '"'), quote + 1, extra


def _records(text: str, delimiter: str, where: list[int]) -> Iterator[list[str]]:
    """What ``csv.reader`` yields, faster: a line without a quote character is split directly
    (csv reads it the same way); a record whose first line has one is read by csv, which takes
    as many lines as it needs (quoted fields may hold line breaks). ``where[0]`` is kept at the
    number of the last line read, as ``csv.reader.line_num``.

    The lines are split as the TSV reader splits them (where csv splits, without StringIO's copy
    at 4 bytes a character) and each is released once read: the segments hold their cells, and
    a million rows are not also kept as lines until the end."""
    lines = split_lines(text)
    del text  # the lines are a copy
    feed = _handed_out(lines)
    number = 0
    for line in feed:
        number += 1
        if '"' in line:
            reader = csv.reader(itertools.chain((line,), feed), delimiter=delimiter)
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


def _handed_out(lines: list[str]) -> Iterator[str]:
    """Each of ``lines`` in turn, its place in the list emptied as it is handed out."""
    for index, line in enumerate(lines):
        lines[index] = ""
        yield line


def header_columns(path: Path | str, header: list[str], options: ImportOptions) -> dict[str, int]:
    """Column of each role (``id``, ``source``, ``target``) in a header row; the target's is required."""
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
    return index


def _read(path: Path, options: ImportOptions, delimiter: str, fmt: str) -> ReviewDocument:
    raw = read_bytes(path)
    text = decode(raw, path)
    fields = new_document_header(path, fmt, raw, options.title)
    del raw  # neither the bytes nor (for TSV, once split in lines) the text are needed any more
    csv.field_size_limit(1 << 30)  # a segment may legitimately be long; the file is in memory
    where = [0]
    reader = (_tsv_records if fmt == "tsv" else _records)(text, delimiter, where)
    del text
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, "no header row", "line 1") from None
    except csv.Error as exc:
        raise InputError(path, f"malformed {fmt.upper()}: {exc}", "line 1") from None
    index = header_columns(path, header, options)
    names = [h.strip() for h in header]
    segments: list[Segment] = []
    seen: dict[str, int] = {}
    width = len(names)
    id_column = index.get("id")
    source_column = index.get("source")
    target_column = index["target"]
    append = segments.append
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
            # Positional (id, target, source, paragraph, kind, space_after, source_space_after):
            # keywords cost a tenth of the row's time at 100,000 rows.
            append(Segment(seg_id, row[target_column], source, len(segments), "sentence", "\n",
                           "\n" if source is not None else ""))
    except csv.Error as exc:
        raise InputError(path, f"malformed {fmt.upper()}: {exc}", f"line {where[0]}") from None
    sample = " ".join(s.target for s in segments[:200])
    sources = " ".join(s.source or "" for s in segments[:200])
    return ReviewDocument(
        segments=segments,
        source_lang=options.source_lang or (detect_language(sources) if "source" in index else None),
        target_lang=options.target_lang or detect_language(sample),
        **fields,  # type: ignore[arg-type]
    )
