"""Reading corpus files piece by piece: the records of a TSV, CSV or JSONL file from any byte
offset, with their byte offsets and line numbers, as the in-memory importers read them (the
same record rules: ``importers.tabular``, ``importers.jsonl``), and the rows of a Parquet row
group. The planner reads whole files with these to cut them into partitions; a worker reads its
partition's byte range with the same code, so both see the same records."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from relecture.errors import InputError
from relecture.importers import ImportOptions
from relecture.importers.jsonl import parse_line
from relecture.importers.tabular import _records, _tsv_records, header_columns

# Records are parsed in windows of this many lines, with a lookahead past the window so that a
# record's parse sees the lines after it as the whole-file parse does; a record reaching the end
# of the window doubles the lookahead (a quoted cell of many lines).
WINDOW = 4000  # lines held at once (the planner reads whole files with it)
LOOKAHEAD = 200


@dataclass
class Row:
    """One segment of a corpus file: what the in-memory importer makes a ``Segment`` of."""

    seg_id: str
    target: str
    source: str | None
    line: int
    first_line: int  # where its record starts (``line`` is where it ends, as the importer says)
    start: int  # byte offset of its record
    end: int  # byte offset after its record
    meta: dict[str, Any] = field(default_factory=dict)


def _lines(handle: IO[bytes], path: str, offset: int, line: int) -> Iterator[tuple[str, int, int]]:
    """(text line, byte offset, byte length) from ``offset``, split where
    ``io.StringIO(newline="")`` splits (CR, LF, CRLF); decoding errors name the line."""
    position = offset
    number = line
    for raw in handle:
        if position == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw, position = raw[3:], 3
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
                f"line {number}",
            ) from None
        if "\x00" in text:
            raise InputError(path, "NUL character: binary file, not text", f"line {number}")
        if "\r" in text[:-2]:
            for piece in io.StringIO(text, newline="").readlines():
                size = len(piece.encode("utf-8"))
                yield piece, position, size
                position += size
                number += 1
        else:
            yield text, position, len(raw)
            position += len(raw)
            number += 1


def tabular_records(
    handle: IO[bytes], path: str, fmt: str, offset: int = 0, line: int = 1, header: str | None = None,
) -> Iterator[tuple[list[str], int, int, int, int]]:
    """(cells, start byte, end byte, first line, last line) of each record from ``offset``. At the file's
    start the first record is the header; elsewhere ``header`` (its text) is given."""
    parse = _tsv_records if fmt in ("tsv", "mqm") else _records
    delimiter = "\t" if fmt in ("tsv", "mqm") else ","
    csv.field_size_limit(1 << 30)
    source = _lines(handle, path, offset, line)
    lines: list[str] = []
    starts: list[int] = []
    eof = False
    end_offset = offset
    lookahead = LOOKAHEAD
    first_line = line  # line number of lines[0]
    prefix = header or ""
    prefix_lines = len(io.StringIO(prefix, newline="").readlines())
    while True:
        while not eof and len(lines) < WINDOW + lookahead:
            try:
                text, start, size = next(source)
            except StopIteration:
                eof = True
                break
            lines.append(text)
            starts.append(start)
            end_offset = start + size
        if not lines:
            return
        where = [0]
        parsed: list[tuple[list[str], int, int]] = []  # cells, first body line, end body line
        previous = 0
        try:
            for record in parse(prefix + "".join(lines), delimiter, where):
                last = where[0] - prefix_lines
                if last <= 0:
                    previous = 0
                    continue  # the header given in front
                parsed.append((record, previous, last))
                previous = last
                if not eof and previous >= WINDOW:
                    break
        except csv.Error as exc:
            raise InputError(path, f"malformed {fmt.upper()}: {exc}", f"line {first_line + where[0] - prefix_lines - 1}") from None
        if not eof and parsed and parsed[-1][2] >= len(lines):
            lookahead *= 2  # a record reaching the window's end: read further and parse again
            continue
        lookahead = LOOKAHEAD
        taken = 0
        for record, first, last in parsed:
            if not eof and first >= WINDOW:
                break
            start = starts[first]
            end = starts[last] if last < len(starts) else end_offset
            yield record, start, end, first_line + first, first_line + last - 1
            taken = last
        if (eof and taken >= len(lines)) or not parsed:
            return
        if header is None:
            # The header is the file's first record: given in front of every later window.
            header = "".join(lines[: parsed[0][2]])
            prefix, prefix_lines = header, parsed[0][2]
        del lines[:taken], starts[:taken]
        first_line += taken


class TabularRows:
    """The rows of a TSV or CSV file as ``importers.tabular`` makes segments of them."""

    def __init__(self, path: str, header_cells: list[str], options: ImportOptions) -> None:
        self.path = path
        self.index = header_columns(path, header_cells, options)
        self.width = len(header_cells)
        self.id_column = self.index.get("id")
        self.source_column = self.index.get("source")
        self.target_column = self.index["target"]

    def row(self, cells: list[str], start: int, end: int, first: int, line: int, count: int) -> Row | None:
        """The segment of a record (``count`` segments before it in the file), or None for a blank row."""
        if len(cells) != self.width or not cells[self.target_column].strip():
            if not any(cell.strip() for cell in cells):
                return None
            if len(cells) != self.width:
                raise InputError(self.path, f"row has {len(cells)} fields, the header has {self.width}", f"line {line}")
        seg_id = cells[self.id_column].strip() if self.id_column is not None else str(count + 1)
        if not seg_id:
            raise InputError(self.path, "empty id", f"line {line}")
        source = cells[self.source_column] if self.source_column is not None else None
        return Row(seg_id, cells[self.target_column], source, line, first, start, end)


def tabular_rows(
    handle: IO[bytes], path: str, fmt: str, options: ImportOptions, offset: int = 0, line: int = 1,
    header: str | None = None, count: int = 0,
) -> Iterator[Row]:
    records = tabular_records(handle, path, fmt, offset, line, header)
    if header is None:
        try:
            cells = next(records)[0]
        except StopIteration:
            raise InputError(path, "no header row", "line 1") from None
    else:
        cells = next(_tsv_records(header, "\t", [0])) if fmt in ("tsv", "mqm") else next(csv.reader([header]))
    rows = TabularRows(path, cells, options)
    for cells, start, end, first, last in records:
        row = rows.row(cells, start, end, first, last, count)
        if row is not None:
            count += 1
            yield row


def jsonl_rows(
    handle: IO[bytes], path: str, options: ImportOptions, offset: int = 0, line: int = 1, count: int = 0,
) -> Iterator[Row]:
    keys = (options.columns.get("id", "id"), options.columns.get("source", "source"), options.columns.get("target", "target"))
    position, number = offset, line
    for raw in handle:
        start = position
        position += len(raw)
        if start == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if raw.strip():
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", f"line {number}") from None
            seg_id, target, source, meta = parse_line(path, text, number, keys, count + 1)
            count += 1
            yield Row(seg_id, target, source, number, number, start, position, meta)
        number += 1


def parquet_rows(handle: IO[bytes], path: str, options: ImportOptions, group: int, count: int = 0) -> Iterator[Row]:
    """The rows of row group ``group`` of a Parquet file, ``count`` rows before it."""
    import pyarrow.parquet as pq  # the `parquet` extra

    reader = pq.ParquetFile(handle)
    names = reader.schema_arrow.names
    index = header_columns(path, names, options)
    roles = [role for role in ("id", "source", "target") if role in index]
    table = reader.read_row_group(group, columns=[names[index[r]] for r in roles]).to_pydict()
    column = {role: table[names[index[role]]] for role in roles}
    ids, sources, targets = column.get("id"), column.get("source"), column["target"]
    for i, target in enumerate(targets):
        count += 1
        if not isinstance(target, str):
            raise InputError(path, f"missing or non-text {names[index['target']]!r}", f"row {count}")
        source = sources[i] if sources is not None else None
        seg_id = str(ids[i]) if ids is not None and ids[i] is not None else str(count)
        yield Row(seg_id, target, source if isinstance(source, str) else None, count, count, group, group)


def parquet_groups(handle: IO[bytes]) -> list[int]:
    """Rows per row group of a Parquet file."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(handle).metadata
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
