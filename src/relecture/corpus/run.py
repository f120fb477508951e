"""``relecture check CORPUS --out FLAGS``: plan the partitions, run the map tasks as they are
planned (their flags go to FLAGS as each finishes), then the reduce of the document-wide checks,
resuming whatever a previous run of the same inputs left finished."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import queue
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from relecture import __version__
from relecture.config import Config
from relecture.corpus import workdir
from relecture.corpus.partitions import Partition, files_of, plan
from relecture.corpus.progress import Progress
from relecture.corpus.tasks import (
    DOCUMENT_CHECKS,
    Job,
    _rows,
    check_partition,
    judge_partition,
    peak_kb,
    prime_checker,
    reduce_bucket,
)
from relecture.errors import InputError
from relecture.importers import ImportOptions
from relecture.model import ReviewDocument

RUN_FILE = "run.json"
# The work folder's layout: a folder another layout left is started afresh, not resumed.
WORK_FORMAT = 2


@dataclass
class Summary:
    files: int = 0
    partitions: int = 0
    resumed: int = 0  # partitions a previous run had finished
    segments: int = 0
    untranslated: int = 0
    totals: Counter[str] = field(default_factory=Counter)
    segments_flagged: int = 0
    peak_kb: dict[int, int] = field(default_factory=dict)  # process id -> its peak memory

    def memory(self, result: dict[str, Any]) -> None:
        pid = int(result.get("pid", 0))
        self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), int(result.get("peak_kb", 0)))


class _Out:
    """The flags file, written as results come: JSON lines, or Parquet row groups."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.parquet = path.lower().endswith((".parquet", ".pq"))
        self._writer: Any = None
        self._handle: IO[bytes] | None = None
        if not self.parquet:
            try:
                self._handle = open(path, "wb")  # noqa: SIM115 (closed by close())
            except OSError as exc:
                raise InputError(path, f"cannot write the flags: {exc.strerror or exc}") from None

    def add(self, data: bytes) -> None:
        if not data:
            return
        if self._handle is not None:
            self._handle.write(data)
            self._handle.flush()
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        from relecture.corpus.output import FIELDS

        records = [json.loads(line) for line in data.decode("utf-8").splitlines()]
        table = pa.table({name: [r[name] for r in records] for name in FIELDS})
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema)
        self._writer.write_table(table)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        elif self._writer is not None:
            self._writer.close()
        elif self.parquet:
            import pyarrow as pa
            import pyarrow.parquet as pq

            from relecture.corpus.output import FIELDS

            pq.write_table(pa.table({name: pa.array([], pa.string() if name not in ("start", "end") else pa.int64())
                                     for name in FIELDS}), self.path)


def _languages(files: list[tuple[str, str]], options: ImportOptions, config: Config) -> tuple[str | None, str | None]:
    """The languages, as the in-memory run finds them: given, else detected on the first 200
    segments of the first file (as its importer does), else the configuration's."""
    from relecture.checks import CheckSettings
    from relecture.checks.langdata import base_lang
    from relecture.langid import detect_language

    settings = CheckSettings.from_config(config)
    if options.target_lang and options.source_lang:
        return base_lang(options.target_lang) or settings.target_lang, base_lang(options.source_lang) or settings.source_lang
    url, fmt = files[0]
    stub = Job("", config, None, None, None, options, None, None, 1)
    first = list(itertools.islice(_rows(stub, Partition(0, url, fmt, group=0 if fmt == "parquet" else -1,
                                                       whole=fmt == "mqm")), 200))
    target = options.target_lang or detect_language(" ".join(s.target for s in first))
    has_source = any(s.source is not None for s in first)
    source = options.source_lang or (detect_language(" ".join(s.source or "" for s in first)) if has_source else None)
    return base_lang(target) or settings.target_lang, base_lang(source) or settings.source_lang


def _fingerprint(files: list[tuple[str, str]], job: Job) -> str:
    stamp = []
    for url, fmt in files:
        mtime = os.path.getmtime(url) if not workdir.is_url(url) else 0
        stamp.append([url, fmt, workdir.size(url), mtime])
    config = job.config.data if job.config else {}
    what = [__version__, WORK_FORMAT, stamp, asdict(job.options), config, job.glossary, job.only, job.skip, job.target_lang,
            job.source_lang, job.buckets]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


def _prepare(work: str, fingerprint: str) -> None:
    """Keep a work folder of the same run (resume); start a stale one of relecture's afresh;
    never touch a folder that is not relecture's."""
    run_file = workdir.join(work, RUN_FILE)
    if workdir.exists(run_file):
        if json.loads(workdir.read_bytes(run_file)).get("fingerprint") == fingerprint:
            return
        workdir.remove_tree(work)
    elif workdir.listdir(work):
        raise InputError(work, "this folder exists and is not a relecture work folder; give another --work-dir")
    workdir.makedirs(work)
    workdir.write_bytes(run_file, json.dumps({"fingerprint": fingerprint, "version": __version__}).encode())


def _marker(work: str, name: str) -> dict[str, Any] | None:
    path = workdir.join(work, f"{name}.done")
    return json.loads(workdir.read_bytes(path)) if workdir.exists(path) else None


def _ordered(values: Any) -> Any:
    """float64 -> uint64 keys in the floats' order (the sign bit flips the rest)."""
    import numpy as np

    bits = values.view(np.uint64)
    return np.where(bits >> np.uint64(63), ~bits, bits | np.uint64(1 << 63))


def _kth(chunks: Callable[[], Any], k: int) -> float:
    """The ``k``-th smallest (from 0) of the floats ``chunks()`` yields, array by array, exact,
    in bounded memory: 16 bits of the ordered key at a time, then, once few values share the
    prefix found, those values in memory."""
    import numpy as np

    prefix, shift = 0, 64
    while shift:
        shift -= 16
        histogram = np.zeros(1 << 16, dtype=np.int64)
        for values in chunks():
            keys = _ordered(values)
            if shift < 48:
                keys = keys[(keys >> np.uint64(shift + 16)) == np.uint64(prefix)]
            histogram += np.bincount(((keys >> np.uint64(shift)) & np.uint64(0xFFFF)).astype(np.int64),
                                     minlength=1 << 16)
        cumulative = np.cumsum(histogram)
        digit = int(np.searchsorted(cumulative, k, side="right"))
        k -= int(cumulative[digit - 1]) if digit else 0
        prefix = (prefix << 16) | digit
        # At most 128k values (1 MB) in memory, then: the parent's peak stays flat, where 1M
        # (8 MB, twice while concatenated) grew with the corpus; a further pass costs 0.1 s a
        # million samples.
        if histogram[digit] <= 1 << 17 and shift:
            kept = [values[(_ordered(values) >> np.uint64(shift)) == np.uint64(prefix)] for values in chunks()]
            same = np.concatenate(kept)
            same.partition(k)
            return float(same[k])
    key = np.array([prefix], dtype=np.uint64)
    bits = np.where(key >> np.uint64(63), key & ~np.uint64(1 << 63), ~key)
    return float(bits.view(np.float64)[0])


def _exact_median(chunks: Callable[[], Any], n: int) -> float:
    """``statistics.median`` of ``n`` floats given in chunks: the same float, in bounded memory."""
    if n % 2:
        return _kth(chunks, n // 2)
    return (_kth(chunks, n // 2 - 1) + _kth(chunks, n // 2)) / 2


def stream_check(
    paths: list[str], out: str, config: Config, glossary: str | None, only: str | None, skip: str | None,
    options: ImportOptions, input_format: str | None = None, executor: str = "local",
    scheduler: str | None = None, workers: int | None = None, work_dir: str | None = None,
    on_error: Callable[[str], None] | None = None,
) -> Summary:
    from relecture.checks import Checker

    files = files_of(paths, input_format)
    for url, _ in files:
        if not workdir.is_url(url) and os.path.exists(out) and os.path.samefile(url, out):
            raise InputError(out, "--out names an input file; give another name for the flags")
    target_lang, source_lang = _languages(files, options, config)
    header = ReviewDocument(id="corpus", title="corpus", segments=[], target_lang=target_lang, source_lang=source_lang,
                            imported_from={"format": files[0][1]})
    # Compiled once here: local workers are forked with it; it also says which document-wide
    # checks are on, with their severities.
    checker = Checker(header, config, glossary, only, skip)
    infos = {c: (checker.infos[c].family, checker.severity[c], checker.infos[c].category, checker.infos[c].its_type)
             for c in DOCUMENT_CHECKS if c in checker.enabled}
    total_bytes = sum(workdir.size(url) for url, _ in files)
    # Buckets of about 8 MB of input each: a reduce task counts one bucket's keys.
    buckets = max(1, min(1024, total_bytes // (8 << 20)))
    work = work_dir or f"{out}.parts"
    job = Job(work, config, glossary, only, skip, options, target_lang, source_lang, int(buckets), infos,
              checker.settings.raw)
    fingerprint = _fingerprint(files, job)
    job = Job(**{**job.__dict__, "key": fingerprint})
    _prepare(work, fingerprint)

    if executor == "dask":
        from relecture.corpus.executors import DaskExecutor

        pool: Any = DaskExecutor(scheduler, workers)
    else:
        from relecture.corpus.executors import LocalExecutor

        prime_checker(job, files[0][1], checker)  # the workers are forked with it
        pool = LocalExecutor(workers)
    summary = Summary(files=len(files))
    progress = Progress(total_bytes)
    sink = _Out(out)
    interrupted = False
    try:
        _run(job, files, pool, sink, summary, progress, total_bytes)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        progress.close()
        pool.close(interrupted)
        sink.close()
    summary.memory({"pid": os.getpid(), "peak_kb": peak_kb()})
    workdir.remove_tree(work)
    return summary


def _part_bytes(part: Partition, total: int, sizes: dict[str, int]) -> int:
    if part.stop >= 0:
        return part.stop - part.start
    return sizes[part.url] - part.start


def _run(job: Job, files: list[tuple[str, str]], pool: Any, sink: _Out, summary: Summary, progress: Progress,
         total_bytes: int) -> None:
    work = job.work
    sizes = {url: workdir.size(url) for url, _ in files}
    parts: list[Partition] = []
    pending = 0
    limit = 4 * pool.workers

    def finished(part: Partition, marker: dict[str, Any]) -> None:
        sink.add(workdir.read_bytes(workdir.join(work, f"{part.name}.flags.jsonl")))
        summary.segments += marker["segments"]
        summary.untranslated += marker["untranslated"]
        summary.totals.update(marker["totals"])
        summary.memory(marker)
        progress.advance(marker["segments"], _part_bytes(part, total_bytes, sizes))

    def handle(tag: tuple[str, Any], result: Any, error: BaseException | None) -> None:
        if error is not None:
            raise error
        if tag[0] == "map":
            finished(tag[1], result)
        else:
            summary.memory(result)

    def drain(wait: bool) -> None:
        """Handle finished tasks: those there are, or (``wait``) the next one."""
        nonlocal pending
        while pending:
            try:
                item = pool.results.get(timeout=0.2) if wait else pool.results.get_nowait()
            except queue.Empty:
                if not wait:
                    return
                progress.draw()
                continue
            pending -= 1
            handle(*item)
            if wait:
                return

    def submit(tag: tuple[str, Any], fn: Callable[..., Any], *args: Any) -> None:
        """Submit a task, at most ``limit`` pending: tasks queued in the pool are held by the
        parent, with their arguments (a reduce's list of partitions), and a worker forked while
        they are queued inherits them."""
        nonlocal pending
        pool.submit(tag, fn, *args)
        pending += 1
        drain(False)
        while pending >= limit:
            drain(True)

    for part in plan(files, job.options):
        parts.append(part)
        marker = _marker(work, part.name)
        if marker is not None:
            summary.resumed += 1
            finished(part, marker)
            drain(False)
        else:
            submit(("map", part), check_partition, job, part)
    while pending:
        drain(True)
    summary.partitions = len(parts)
    # The reduce: consistency by bucket, the length model on the whole corpus.
    reduce_tags: list[str] = []
    names = [part.name for part in parts]  # one list, shared by every reduce task's arguments
    # By bucket: duplicate ids (refused, as the importers refuse them) and consistency.
    for bucket in range(job.buckets):
        name = f"r{bucket:04d}"
        if _marker(work, name) is None:
            submit(("reduce", name), reduce_bucket, job, bucket, names)
        reduce_tags.append(name)
    if "length.short" in job.infos or "length.long" in job.infos:
        fit = _fit(job, parts)
        if fit is not None:
            center, scale = fit
            for part in parts:
                name = f"j{part.number:06d}"
                if workdir.exists(workdir.join(work, f"{part.name}.length")) and workdir.size(
                        workdir.join(work, f"{part.name}.length")):
                    if _marker(work, name) is None:
                        submit(("judge", name), judge_partition, job, part, center, scale)
                    reduce_tags.append(name)
    while pending:
        drain(True)
    duplicates = [m["duplicate"] for m in map(lambda n: _marker(work, n) or {}, reduce_tags) if m.get("duplicate")]
    if duplicates:
        url, seg_id, first, line = min(duplicates, key=lambda d: (d[0], d[3]))
        raise InputError(url, f"duplicate id {seg_id!r} (first on line {first})", f"line {line}")
    summary.segments_flagged = _count_flagged(work, parts, reduce_tags, sink, summary)


# The set bits of each byte value.
_POPCOUNT = bytes(bin(i).count("1") for i in range(256))


def _count_flagged(work: str, parts: list[Partition], reduce_tags: list[str], sink: _Out, summary: Summary) -> int:
    """The segments flagged by any check, counted once (the reduce's flags go to ``sink`` on the
    way): one bit per segment of the corpus, 1.25 MB at 10 million segments, where a sorted array
    of the (partition, row) keys of every document-wide flag grew with the flags."""
    import numpy as np

    bits = np.zeros((summary.segments + 7) // 8 + 1, dtype=np.uint8)

    def mark(at: Any) -> None:
        if len(at):
            np.bitwise_or.at(bits, at >> 3, np.left_shift(1, at & 7).astype(np.uint8))

    offsets: dict[int, int] = {}  # partition number -> its first segment's bit
    total = 0
    for part in parts:  # a marker at a time: their lists of rows together take tens of MB
        marker = _marker(work, part.name)
        assert marker is not None
        offsets[part.number] = total
        mark(np.asarray(marker["flagged"], dtype=np.int64) + total)
        total += marker["segments"]
    for name in reduce_tags:
        marker = _marker(work, name)
        assert marker is not None
        sink.add(workdir.read_bytes(workdir.join(work, f"{name}.flags.jsonl")))
        summary.totals.update(marker["totals"])
        mark(np.asarray([offsets[number] + row for number, row in marker["flagged"]], dtype=np.int64))
    table = np.frombuffer(_POPCOUNT, dtype=np.uint8)
    return int(table[bits].sum(dtype=np.int64))


def _fit(job: Job, parts: list[Partition]) -> tuple[float, float] | None:
    """The length model's center and scale on every sample of the corpus (``checks.length.Fit``),
    its medians exact, read from the samples' files a partition at a time."""
    import numpy as np

    from relecture.checks.length import Fit

    fit = Fit(job.context())
    paths = [workdir.join(job.work, f"{part.name}.length") for part in parts]
    paths = [path for path in paths if workdir.exists(path)]

    def samples() -> Iterator[Any]:  # (segment, source units, target units, log ratio) rows
        for path in paths:
            yield np.frombuffer(workdir.read_bytes(path), dtype=np.float64).reshape(-1, 4)

    n = sum(workdir.size(path) // 32 for path in paths)
    if not n:
        return None
    center = fit.center(n, _exact_median(lambda: (rows[:, 3].copy() for rows in samples()), n))
    if center is None:
        return None

    def deviations() -> Iterator[Any]:
        for rows in samples():
            su, r = rows[:, 1], rows[:, 3]
            yield np.abs((r - center) / np.sqrt(fit.sigma0_2 + fit.k / np.where(su > 1.0, su, 1.0)))

    scale = fit.scale(n, _exact_median(deviations, n))
    return center, scale


__all__ = ["Summary", "stream_check"]
