"""The tasks a worker runs, each on its own partition or bucket, each ending with its marker:

- ``check_partition`` (map): read the partition, run the segment checks and write their flags,
  and write what the document-wide checks need: consistency records to hashed buckets (by source
  text for ``consistency.target``, by target text for ``consistency.source``) and the length
  model's samples;
- ``reduce_bucket``: one bucket's consistency groups, as ``checks.consistency`` forms them;
- ``judge_partition``: the partition read again, each segment judged by the length model fitted
  on the whole corpus (``checks.length.Fit``).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import marshal
import os
import struct
import zlib
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, cast

from relecture.checks.base import Context
from relecture.checks.consistency import _key as consistency_key
from relecture.config import Config
from relecture.corpus import workdir
from relecture.corpus.output import flag_line, json_str
from relecture.corpus.partitions import Partition
from relecture.corpus.readers import Row, jsonl_rows, parquet_rows, tabular_rows
from relecture.gcpause import gc_paused
from relecture.importers import ImportOptions
from relecture.model import Flag, ReviewDocument, Segment, Severity

DOCUMENT_CHECKS = ("consistency.target", "consistency.source", "length.short", "length.long")
CONTEXT_ID = "\x00context"  # the segment before a partition, checked only as context


@dataclass(frozen=True)
class Job:
    """What every task of one run shares (pickled to the workers)."""

    work: str
    config: Config
    glossary: str | None
    only: str | None
    skip: str | None
    options: ImportOptions
    target_lang: str | None
    source_lang: str | None
    buckets: int
    # The enabled document-wide checks: check id -> (family, severity, category, ITS type).
    infos: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    key: str = ""  # the run's fingerprint: a worker's compiled checks are reused across its tasks

    def context(self) -> Context:
        return Context(enabled=frozenset(self.infos), target_lang=self.target_lang, source_lang=self.source_lang,
                       settings=self.settings)

    def flag(self, check: str, text: str, message: str, suggestion: str | None) -> Flag:
        family, severity, category, its_type = self.infos[check]
        return Flag(check=check, family=family, severity=cast(Severity, severity), category=category, its_type=its_type,
                    side="target", start=0, end=len(text), text=text, message=message, suggestion=suggestion)


def peak_kb() -> int:
    """This process's peak resident memory (VmHWM), in kB."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _scope(meta: dict[str, Any]) -> str:
    system = meta.get("system") if meta else None
    return system if isinstance(system, str) else ""


def _rows(job: Job, part: Partition) -> Iterator[Row | Segment]:
    """The partition's segments (the one before it first, when it has one)."""
    if part.whole:
        from relecture.importers import import_document

        doc = import_document(part.url, job.options, part.fmt, allow_empty=True)
        yield from doc.segments
        return
    with workdir.open_read(part.url) as handle:
        if part.fmt == "parquet":
            if part.group > 0:
                *_, last = parquet_rows(handle, part.url, job.options, part.group - 1, part.count - 0)
                yield dataclasses.replace(last, start=-1)
            yield from parquet_rows(handle, part.url, job.options, part.group, part.count)
            return
        handle.seek(part.start)
        if part.fmt == "jsonl":
            rows = jsonl_rows(handle, part.url, job.options, part.start, part.line, part.count)
        else:
            rows = tabular_rows(handle, part.url, part.fmt, job.options, part.start, part.line,
                                part.header if part.start else None, part.count)
        for row in rows:
            if part.stop >= 0 and row.start >= part.stop:
                return
            yield row


def _segments(job: Job, part: Partition, lines: list[int] | None = None) -> tuple[Segment | None, list[Segment]]:
    """(the segment before the partition, the partition's segments); ``lines`` gets each
    segment's line (rows of TSV, CSV, JSONL and Parquet files)."""
    context: Segment | None = None
    out: list[Segment] = []
    has_context = part.context >= 0 or part.group > 0
    for i, item in enumerate(_rows(job, part)):
        if isinstance(item, Segment):
            seg = item
        else:
            seg = Segment(id=item.seg_id, target=item.target, source=item.source, paragraph=i, kind="sentence",
                          meta=item.meta)
        if has_context and i == 0:
            context = dataclasses.replace(seg, id=CONTEXT_ID)
        else:
            out.append(seg)
            if lines is not None and not isinstance(item, Segment):
                lines.append(item.line)
    return context, out


_CHECKER: tuple[str, Any] | None = None
# The modules whose document checks the map/reduce gives corpus-wide: a partition skips them.
_REDUCED = ("relecture.checks.consistency", "relecture.checks.length")
# Findings cached by text, kept across a worker's partitions (repeats cross partitions) up to
# this many texts, then started afresh: the cache holds the texts it is keyed by.
SEEN_LIMIT = 30000
# A worker whose resident memory passes this after a task drops its compiled checks and their
# caches (rebuilt, 0.2 s, on the next partition): memory stays flat however long the corpus.
_LIBC: Any = None  # glibc, once loaded (False: none)
# The heap does not shrink back under the budget after a drop (fragmented arenas, the data the
# checks load once): dropped again only once regrown by this much, not after every task (each
# drop recompiles the checks, 0.2 s, and fragments the heap further).
REGROWTH_KB = 32 * 1024
_FLOOR_KB = 0  # the resident memory right after the last drop
_MAPPED = False  # this worker ran a map task since its checks were last dropped
WORKER_BUDGET_KB = int(os.environ.get("RELECTURE_WORKER_BUDGET_MB") or 190) * 1024


def prime_checker(job: Job, fmt: str, checker: Any) -> None:
    """Make ``checker`` (compiled by the parent for ``job``'s files of format ``fmt``) the one
    the local workers it forks next use: each then starts checking at once instead of compiling
    its own (0.2-0.3 CPU-s), a worker replaced after its tasks too."""
    global _CHECKER
    checker.document_fns = [fn for fn in checker.document_fns if fn.__module__ not in _REDUCED]
    _CHECKER = (f"{job.key}\x00{fmt}", checker)


def _checker(job: Job, fmt: str) -> Any:
    """The checks, compiled once per worker process, without the document checks the
    map/reduce gives (consistency and the length model: their findings on a partition would be
    dropped)."""
    global _CHECKER
    from relecture.checks import Checker

    key = f"{job.key}\x00{fmt}"
    if _CHECKER is None or _CHECKER[0] != key:
        header = ReviewDocument(id="corpus", title="corpus", segments=[], target_lang=job.target_lang,
                                source_lang=job.source_lang, imported_from={"format": fmt})
        checker = Checker(header, job.config, job.glossary, job.only, job.skip)
        checker.document_fns = [fn for fn in checker.document_fns if fn.__module__ not in _REDUCED]
        _CHECKER = (key, checker)
    checker = _CHECKER[1]
    if len(checker._seen) > SEEN_LIMIT:
        checker._seen.clear()
    return checker


def _bucket_file(records: dict[int, list[tuple[Any, ...]]], buckets: int) -> bytes:
    """A partition's consistency and id records in one file: an index of (offset, length) per
    bucket, then each bucket's records (marshal: a reduce reads only its bucket's slice)."""
    index = bytearray(16 * buckets)
    blobs: list[bytes] = []
    at = len(index)
    for bucket in sorted(records):
        blob = marshal.dumps(records[bucket])
        struct.pack_into("<qq", index, 16 * bucket, at, len(blob))
        blobs.append(blob)
        at += len(blob)
    return bytes(index) + b"".join(blobs)


def _bucket_records(path: str, bucket: int) -> list[tuple[Any, ...]]:
    with workdir.open_read(path) as handle:
        handle.seek(16 * bucket)
        at, length = struct.unpack("<qq", handle.read(16))
        if not length:
            return []
        handle.seek(at)
        return cast(list[tuple[Any, ...]], marshal.loads(handle.read(length)))


def check_partition(job: Job, part: Partition) -> dict[str, Any]:
    global _FLOOR_KB, _MAPPED
    _MAPPED = True
    with gc_paused():  # millions of small acyclic objects: collections would rescan the checks'
        marker = _check_partition(job, part)
    if _resident_kb() > max(WORKER_BUDGET_KB, _FLOOR_KB + REGROWTH_KB):
        _drop_caches()
        _FLOOR_KB = _resident_kb()
    return marker


def _leave_map() -> None:
    """Before a worker's first reduce or judge task: drop the checks and the caches its map
    tasks filled (the reduce and the judge use neither), so that a bucket's records do not come
    on top of them (a worker's peak at 10M was 50 map tasks' caches plus a reduce)."""
    global _FLOOR_KB, _MAPPED
    if _MAPPED:
        _MAPPED = False
        _drop_caches()
        _FLOOR_KB = _resident_kb()


def _resident_kb() -> int:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _drop_caches() -> None:
    """The checks' caches by text (findings, repetition memo, language guesses, code spans)."""
    global _CHECKER
    from relecture.checks.code import code_spans
    from relecture.checks.language import langdetect_best

    _CHECKER = None
    langdetect_best.cache_clear()
    code_spans.cache_clear()
    gc.collect()  # the checks' own cycles, before the heap is given back
    _trim()


def _trim() -> None:
    """Give the heap's free pages back to the system (glibc's ``malloc_trim``): freed memory
    otherwise stays resident, and a worker past its budget once would stay past it, dropping its
    caches after every task."""
    global _LIBC
    if _LIBC is None:
        import ctypes
        import ctypes.util

        try:
            _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _LIBC.malloc_trim  # noqa: B018 (musl, macOS: none)
        except (OSError, AttributeError):
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


def _check_partition(job: Job, part: Partition) -> dict[str, Any]:
    work = job.work
    lines_of: list[int] = []
    context, segments = _segments(job, part, lines_of)
    file_json = json_str(part.url)
    lines: list[str] = []
    totals: Counter[str] = Counter()
    flagged: list[int] = []
    untranslated = 0
    if segments:
        checker = _checker(job, part.fmt)
        doc = ReviewDocument(id="corpus", title="corpus", segments=[context, *segments] if context else segments,
                             target_lang=job.target_lang, source_lang=job.source_lang,
                             imported_from={"format": part.fmt})
        results = checker.run(doc, workers=1)
        del doc
        for i, seg in enumerate(segments):
            untranslated += seg.untranslated
            flags = results.get(seg.id)
            if flags:
                flagged.append(i)
                for flag in flags:
                    totals[flag.severity] += 1
                    lines.append(flag_line(file_json, seg.id, flag))
        del results
    # The map of the document-wide checks.
    on = job.infos
    records: dict[int, list[tuple[Any, ...]]] = {}
    min_words = int(job.settings.get("consistency_min_words", 3))
    fit = None
    samples = array("d")
    if "length.short" in on or "length.long" in on:
        from relecture.checks.length import Fit

        fit = Fit(job.context())
    url, number, buckets, crc32 = part.url, part.number, job.buckets, zlib.crc32
    target_on, source_on = "consistency.target" in on, "consistency.source" in on
    for i, seg in enumerate(segments):
        if lines_of:  # ids are unique in a file: checked by bucket too (an imported file was whole)
            key = f"{url}\x1f{seg.id}"
            bucket = crc32(key.encode("utf-8", "surrogatepass")) % buckets
            records.setdefault(bucket, []).append(("i", key, number, i, lines_of[i]))
        source, target = seg.source, seg.target
        if source is None:
            continue
        scope = _scope(seg.meta)
        if target_on and len(source) >= 12 and target.strip():
            key = f"{scope}\x1f{consistency_key(source)}"
            bucket = crc32(key.encode("utf-8", "surrogatepass")) % buckets
            records.setdefault(bucket, []).append(("t", key, number, i, url, seg.id, target, len(source.split())))
        if source_on and len(target) >= 12 and target.count(" ") >= min_words - 1:
            key = f"{scope}\x1f{target}"
            entry = seg.id.rpartition("[")[0] if "plural_index" in seg.meta else seg.id
            bucket = crc32(key.encode("utf-8", "surrogatepass")) % buckets
            records.setdefault(bucket, []).append(("s", key, number, i, url, seg.id, source, entry))
        if fit is not None:
            found = fit.sample(source, target)
            if found is not None:
                samples.extend((i, found[0], found[1], found[2]))  # what the judge needs, unread
    name = part.name
    workdir.write_bytes(workdir.join(work, f"{name}.buckets"), _bucket_file(records, buckets))
    del records
    if fit is not None:
        workdir.write_bytes(workdir.join(work, f"{name}.length"), samples.tobytes())
    workdir.write_bytes(workdir.join(work, f"{name}.flags.jsonl"), "".join(line + "\n" for line in lines).encode("utf-8"))
    marker = {"segments": len(segments), "untranslated": untranslated, "totals": dict(totals), "flagged": flagged,
              "pid": os.getpid(), "peak_kb": peak_kb()}
    workdir.write_bytes(workdir.join(work, f"{name}.done"), json.dumps(marker).encode("utf-8"))
    return marker


class _SourceGroup:
    """What ``consistency.target`` needs of one source's occurrences, without holding them."""

    __slots__ = ("first", "members", "translations")

    def __init__(self, record: tuple[Any, ...]) -> None:
        self.first = record  # the first occurrence in corpus order: its source's word count counts
        self.members = 0
        # hash of the translation's key -> [occurrences, (partition, row) of the first, its record]
        self.translations: dict[int, list[Any]] = {}

    def add(self, record: tuple[Any, ...]) -> None:
        at = (record[2], record[3])
        if at < (self.first[2], self.first[3]):
            self.first = record
        self.members += 1
        key = hash(consistency_key(record[6]))
        seen = self.translations.get(key)
        if seen is None:
            self.translations[key] = [1, at, record]
        else:
            seen[0] += 1
            if at < seen[1]:
                seen[1], seen[2] = at, record

    def usual(self) -> tuple[int, tuple[Any, ...]]:
        """The most frequent translation (the first in corpus order of those as frequent, as
        ``Counter.most_common`` over the members in order gives it): (its hash, its first record)."""
        key, (_, _, record) = min(self.translations.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
        return key, record


def reduce_bucket(job: Job, bucket: int, names: list[str]) -> dict[str, Any]:
    _leave_map()
    with gc_paused():
        return _reduce_bucket(job, bucket, names)


def _reduce_bucket(job: Job, bucket: int, names: list[str]) -> dict[str, Any]:
    """The consistency flags of one bucket: ``checks.consistency``'s groups, in corpus order.
    ``names``: the partitions, whose bucket files hold a slice for each bucket."""
    paths = [workdir.join(job.work, f"{name}.buckets") for name in names]

    # Two passes: find the keys that recur, then keep their records. Most segments of a corpus
    # are unique: the reduce holds only the groups that can flag, one slice at a time. The keys
    # are counted by hash (8 bytes each, not their texts: 30,000 segments a bucket at 10M); a
    # collision only keeps a record whose group of one then flags nothing.
    hashes = array("q")
    for path in paths:
        hashes.extend(hash((r[0], r[1])) for r in _bucket_records(path, bucket))
    ordered = sorted(hashes)
    del hashes
    recurring = {a for a, b in pairwise(ordered) if a == b}
    del ordered
    # The groups are formed in streamed passes too: a key of a generated or boilerplate corpus
    # recurs tens of thousands of times, and holding its records took a worker 77 -> 235 MB at
    # 10M. A group holds its first record and, per translation (by hash of its key), a count,
    # where it first comes and its first record; the members are read again to be flagged.
    sources: dict[str, _SourceGroup] = {}
    targets: dict[str, tuple[Any, ...]] = {}  # target text -> its first record in corpus order
    ids: dict[str, list[tuple[Any, ...]]] = {}
    for path in paths:
        for record in _bucket_records(path, bucket):
            if hash((record[0], record[1])) not in recurring:
                continue
            kind = record[0]
            if kind == "t":
                group = sources.get(record[1])
                if group is None:
                    group = sources[record[1]] = _SourceGroup(record)
                group.add(record)
            elif kind == "s":
                first = targets.get(record[1])
                if first is None or (record[2], record[3]) < (first[2], first[3]):
                    targets[record[1]] = record
            else:
                ids.setdefault(record[1], []).append(record)
    # The first duplicate id of the bucket, in corpus order: (file, id, first line, line).
    duplicate: list[Any] | None = None
    for key, same in ids.items():
        if len(same) > 1:
            same.sort(key=lambda r: (r[2], r[3]))
            url, seg_id = key.split("\x1f", 1)
            found = [same[1][2], same[1][3], url, seg_id, same[0][4], same[1][4]]
            duplicate = found if duplicate is None or found < duplicate else duplicate
    del ids
    min_words = int(job.settings.get("consistency_min_words", 3))
    # The groups that flag: source key -> (its rank, the usual translation's hash, its record).
    usual: dict[str, tuple[int, int, tuple[Any, ...]]] = {}
    for rank, (key, group) in enumerate(sources.items()):
        if group.members >= 2 and group.first[7] >= min_words and len(group.translations) >= 2:
            usual[key] = (rank, *group.usual())
    counts = {key: (sources[key].members, len(sources[key].translations)) for key in usual}
    del sources
    firsts = {key: (rank, first) for rank, (key, first) in enumerate(targets.items())}
    first_keys = {key: hash(consistency_key(first[6] or "")) for key, (_, first) in firsts.items()}
    del targets
    found_flags: list[tuple[int, int, int, int, tuple[Any, ...], Flag]] = []  # (side, rank, part, row, …)

    def named(record: tuple[Any, ...], other: tuple[Any, ...]) -> str:
        return other[5] if other[4] == record[4] else f"{other[4]}:{other[5]}"

    if usual or firsts:
        for path in paths:
            for r in _bucket_records(path, bucket):
                kind = r[0]
                if kind == "t":
                    wanted = usual.get(r[1])
                    if wanted is None:
                        continue
                    rank, usual_hash, reference = wanted
                    if hash(consistency_key(r[6])) == usual_hash:
                        continue
                    members, translations = counts[r[1]]
                    found_flags.append((0, rank, r[2], r[3], r, job.flag(
                        "consistency.target", r[6],
                        f"Same source as segment {named(r, reference)}, translated there as “{reference[6]}” "
                        f"({members} occurrences, {translations} translations)",
                        reference[6],
                    )))
                elif kind == "s":
                    entry = firsts.get(r[1])
                    if entry is None:
                        continue
                    rank, first = entry
                    if r[7] == first[7] or hash(consistency_key(r[6] or "")) == first_keys[r[1]]:
                        continue  # the forms of one plural entry: msgid and msgid_plural differ by design
                    target = r[1].split("\x1f", 1)[1]
                    found_flags.append((1, rank, r[2], r[3], r, job.flag(
                        "consistency.source", target,
                        f"Same translation as segment {named(r, first)}, whose source differs: “{first[6]}”", None)))
    found_flags.sort(key=lambda f: f[:4])  # the groups in the order they formed, each in corpus order
    lines: list[str] = []
    totals: Counter[str] = Counter()
    flagged: list[list[int]] = []
    for _, _, number, row, r, flag in found_flags:
        lines.append(flag_line(json_str(r[4]), r[5], flag))
        totals[flag.severity] += 1
        flagged.append([number, row])
    name = f"r{bucket:04d}"
    workdir.write_bytes(workdir.join(job.work, f"{name}.flags.jsonl"), "".join(x + "\n" for x in lines).encode("utf-8"))
    marker = {"totals": dict(totals), "flagged": flagged, "pid": os.getpid(), "peak_kb": peak_kb(),
              "duplicate": duplicate[2:] if duplicate else None}
    workdir.write_bytes(workdir.join(job.work, f"{name}.done"), json.dumps(marker).encode("utf-8"))
    return marker


def judge_partition(job: Job, part: Partition, center: float, scale: float) -> dict[str, Any]:
    _leave_map()
    with gc_paused():
        return _judge_partition(job, part, center, scale)


def _judge_partition(job: Job, part: Partition, center: float, scale: float) -> dict[str, Any]:
    """The length flags of one partition, by the model fitted on the whole corpus: its samples
    (the map's) judged first, the partition read again only for the outliers' texts."""
    from relecture.checks.length import Fit

    fit = Fit(job.context())
    cut = fit.cut(scale)
    samples = array("d")
    samples.frombytes(workdir.read_bytes(workdir.join(job.work, f"{part.name}.length")))
    outliers: dict[int, tuple[float, float, float]] = {}
    for at in range(0, len(samples), 4):
        su, r = samples[at + 1], samples[at + 3]
        zi = fit.z(center, su, r)
        if not -cut < zi < cut:
            outliers[int(samples[at])] = (su, samples[at + 2], zi)
    lines: list[str] = []
    totals: Counter[str] = Counter()
    flagged: list[list[int]] = []
    file_json = json_str(part.url)
    if outliers:
        last = max(outliers)
        skip = part.context >= 0 or part.group > 0  # the segment before the partition
        for i, item in enumerate(_rows(job, part), -1 if skip else 0):
            if i > last:
                break
            if i not in outliers:
                continue
            seg_id, source, target = (item.id, item.source, item.target) if isinstance(item, Segment) else (
                item.seg_id, item.source, item.target)
            su, tu, zi = outliers[i]
            finding = fit.judge(center, scale, su, tu, zi, source or "", target)
            if finding is not None:
                check, _, _, _, message, suggestion = finding
                flag = job.flag(check, target, message, suggestion)
                lines.append(flag_line(file_json, seg_id, flag))
                totals[flag.severity] += 1
                flagged.append([part.number, i])
    name = f"j{part.number:06d}"
    workdir.write_bytes(workdir.join(job.work, f"{name}.flags.jsonl"), "".join(x + "\n" for x in lines).encode("utf-8"))
    marker = {"totals": dict(totals), "flagged": flagged, "pid": os.getpid(), "peak_kb": peak_kb()}
    workdir.write_bytes(workdir.join(job.work, f"{name}.done"), json.dumps(marker).encode("utf-8"))
    return marker
