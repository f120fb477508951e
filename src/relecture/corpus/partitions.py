"""Cutting a corpus into partitions: the files of the PATHs (a folder is its shards, sorted), and
each large file into byte ranges at record boundaries (found by reading it once with the
importers' record rules), Parquet files into row groups. A partition says everything its worker
needs to read it alone: where, from which line, after how many segments of its file (ids by
row number), and where the segment before it is (the repetition check looks at the previous
segment)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from relecture.corpus import CORPUS_FORMATS, workdir
from relecture.corpus.readers import jsonl_rows, parquet_groups, tabular_rows
from relecture.errors import InputError
from relecture.importers import EXTENSIONS, ImportOptions, detect_format

# A file smaller than this is one partition, not read in advance.
WHOLE_FILE_BYTES = 4 << 20
FIRST_SEGMENTS = 2000  # the corpus's first partition: its flags come at once
# Segments a partition (RELECTURE_PARTITION_SEGMENTS: smaller ones resume finer).
SEGMENTS = int(os.environ.get("RELECTURE_PARTITION_SEGMENTS") or 10000)


@dataclass(frozen=True)
class Partition:
    number: int  # its place in the corpus: the order of its segments
    url: str
    fmt: str
    start: int = 0  # byte offset of its first record
    stop: int = -1  # byte offset after its last record (-1: the end of the file)
    header: str | None = None  # the file's header record, for a partition not at the file's start
    line: int = 1  # line number at ``start`` (at ``context`` when there is one)
    count: int = 0  # segments of the file before ``start`` (before ``context`` when there is one)
    context: int = -1  # byte offset of the previous segment's record (-1: none)
    group: int = -1  # Parquet row group
    whole: bool = False  # read by the in-memory importer (MQM, UTF-16)

    @property
    def name(self) -> str:
        return f"p{self.number:06d}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def corpus_format(path: str, input_format: str | None) -> str | None:
    """The corpus format of a file, or None when it is not one (review files, XLIFF, text)."""
    if input_format:
        return input_format if input_format in CORPUS_FORMATS else None
    lowered = path.lower()
    if lowered.endswith(".parquet") or lowered.endswith(".pq"):
        return "parquet"
    if workdir.is_url(path):
        fmt = EXTENSIONS.get("." + lowered.rsplit(".", 1)[-1])
        if fmt == "tsv":
            with workdir.open_read(path) as handle:
                first = handle.readline().decode("utf-8-sig", "replace").lower().split("\t")
            if {"system", "doc", "rater", "category", "severity"} <= {c.strip() for c in first}:
                return "mqm"
    else:
        fmt = detect_format(Path(path)) if EXTENSIONS.get(Path(path).suffix.lower()) else None
    return fmt if fmt in CORPUS_FORMATS else None


def files_of(paths: Iterable[str], input_format: str | None) -> list[tuple[str, str]]:
    """(file, format) of every corpus file the PATHs name: a folder gives its corpus files
    (recursively, sorted); a file that is not a corpus format is refused naming it."""
    out: list[tuple[str, str]] = []
    for path in paths:
        if workdir.is_url(path):
            names = [path]
            if not path.rsplit("/", 1)[-1].count("."):
                names = [workdir.join(path, n) for n in workdir.listdir(path)]
        elif Path(path).is_dir():
            names = sorted(str(p) for p in Path(path).rglob("*") if p.is_file() and not p.name.startswith("."))
            names = [n for n in names if corpus_format(n, input_format)]
            if not names:
                raise InputError(path, "no TSV, CSV, JSONL, Parquet or MQM file in this folder")
        else:
            if not Path(path).exists():
                raise InputError(path, "no such file")
            names = [path]
        for name in names:
            fmt = corpus_format(name, input_format)
            if fmt is None:
                raise InputError(name, "--out streams corpus files (TSV, CSV, JSONL, Parquet, MQM TSV); check this one without --out")
            out.append((name, fmt))
    return out


def plan(files: list[tuple[str, str]], options: ImportOptions) -> Iterator[Partition]:
    """The partitions of the corpus, in order, as they are found (the first ones at once)."""
    number = 0
    for url, fmt in files:
        for part in _file_partitions(url, fmt, options, number):
            yield part
            number = part.number + 1


def _file_partitions(url: str, fmt: str, options: ImportOptions, number: int) -> Iterator[Partition]:
    if fmt == "parquet":
        with workdir.open_read(url) as handle:
            groups = parquet_groups(handle)
        total, size = max(sum(groups), 1), workdir.size(url)
        count = 0
        for i, rows in enumerate(groups):
            # Byte offsets in proportion to the rows: the progress line's measure, not read.
            yield Partition(number + i, url, fmt, size * count // total, size * (count + rows) // total, group=i,
                            count=count)
            count += rows
        return
    with workdir.open_read(url) as handle:
        head = handle.read(4)
    if fmt == "mqm" or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield Partition(number, url, fmt, whole=True)
        return
    if workdir.size(url) <= WHOLE_FILE_BYTES and number > 0:
        yield Partition(number, url, fmt)
        return
    yield from _ranges(url, fmt, options, number)


def _ranges(url: str, fmt: str, options: ImportOptions, number: int) -> Iterator[Partition]:
    """A large file's partitions: byte ranges of SEGMENTS records (the corpus's first, fewer)."""
    size = min(FIRST_SEGMENTS, SEGMENTS) if number == 0 else SEGMENTS
    with workdir.open_read(url) as handle:
        rows = jsonl_rows(handle, url, options) if fmt == "jsonl" else tabular_rows(handle, url, fmt, options)
        header: str | None = None
        begin = None  # the first row of the partition being gathered
        before = None  # the row before it
        last = None
        count = in_part = 0
        first_count = 0
        for row in rows:
            if begin is None:
                begin, first_count = row, count
                if header is None and fmt != "jsonl" and row.start > 0:
                    with workdir.open_read(url) as again:
                        header = again.read(row.start).decode("utf-8-sig")
            last = row
            count += 1  # noqa: SIM113 (carried across partitions)
            in_part += 1
            if in_part == size:
                yield _range(number, url, fmt, header, begin, before, last.end, first_count)
                number, size, in_part, before, begin = number + 1, SEGMENTS, 0, last, None
        if begin is not None:
            yield _range(number, url, fmt, header, begin, before, -1, first_count)


def _range(number: int, url: str, fmt: str, header: str | None, begin, before, stop: int, count: int) -> Partition:  # type: ignore[no-untyped-def]
    if before is not None:
        return Partition(number, url, fmt, before.start, stop, header, before.first_line, count - 1, before.start)
    return Partition(number, url, fmt, 0 if count == 0 else begin.start, stop, header if begin.start else None,
                     1 if count == 0 else begin.first_line, count)
