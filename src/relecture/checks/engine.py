"""The engine: compiles the enabled checks for a document and runs them on its segments.

``Checker(doc, config).run(doc)`` -> ``{segment id: [Flag]}``; ``run_post_edits`` checks the
post-edits. Segment checks are cached by the segment's own texts (corpora repeat segments),
except those of families that read neighbouring segments (``CheckInfo.reads_neighbours``),
which the engine verifies: a family that reads them undeclared is a programming error.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from relecture.checks.base import CheckInfo, Context, DocumentFn, Finding, SegmentFn, SegmentView
from relecture.checks.langdata import base_lang
from relecture.checks.langguess import guess_lang
from relecture.checks.registry import CHECKS, FAMILIES, MODULES, reads_neighbours, select_checks, split_ids
from relecture.checks.results import flag_order
from relecture.checks.settings import CheckSettings
from relecture.config import Config
from relecture.gcpause import gc_paused
from relecture.model import Flag, ReviewDocument, Segment, Severity, Side, holds
from relecture.patterns import keep_warnings, take_warnings

# Above this many segments the checks run in several processes (fork): the per-process start
# cost is amortised and both cores of a CI machine are used.
PARALLEL_THRESHOLD = 4000

def _scopes(doc: ReviewDocument) -> list[str]:
    """Each segment's system when the file holds several systems' translations (MQM data), so
    that fourteen systems translating one source are not "inconsistent" with each other."""
    # holds: reading an empty container makes its stand-in (a segment's worth of garbage).
    systems = [seg.meta.get("system") if holds(seg, "meta") else None for seg in doc.segments]
    if not any(isinstance(system, str) and system for system in systems):
        return []
    return [system if isinstance(system, str) else "" for system in systems]


_NO_META: dict[str, Any] = {}


def _flags(meta: dict[str, Any]) -> tuple[str, ...]:
    flags = meta.get("flags") if meta else None
    return tuple(flags) if isinstance(flags, list) else ()


def _views(doc: ReviewDocument, final: bool = False) -> list[SegmentView]:
    """One view per segment, of the translation as imported or (``final``) of the final text."""
    segments = doc.segments
    if final:
        segments = [
            seg if seg.post_edit is None else dataclasses.replace(seg, target=seg.post_edit) for seg in segments
        ]
    views: list[SegmentView] = []
    append = views.append
    paragraphs = [seg.paragraph for seg in segments]
    last = len(segments) - 1
    prev = None
    for i, seg in enumerate(segments):
        para = paragraphs[i]
        para_end = i == last or paragraphs[i + 1] != para
        # Most segments have no meta and no codes: ``holds`` reads them without the stand-ins.
        meta = seg.meta if holds(seg, "meta") else _NO_META
        if prev is None:
            append(SegmentView(i, seg.id, seg.target, seg.source, True, para_end, None, None, _flags(meta)))
        else:
            append(
                SegmentView(
                    i, seg.id, seg.target, seg.source, prev.paragraph != para, para_end, prev.target, prev.source,
                    _flags(meta),
                )
            )
        prev = seg
        codes = holds(seg, "codes")
        if codes or "plural_index" in meta:  # for the codes and plurals families
            views[-1].codes = seg.codes
            views[-1].plural = _plural_of(meta)
    return views


def _plural_of(meta: dict[str, Any]) -> tuple[int, int, int] | None:
    try:
        return (int(meta["plural_index"]), int(meta.get("nplurals", 0)), int(meta.get("plural_forms", 0)))
    except (KeyError, TypeError, ValueError):
        return None


def _final_view(segments: Sequence[Segment], i: int) -> SegmentView:
    """Segment ``i`` as it now reads (its post-edit), beside the previous one as it now reads."""
    seg = segments[i]
    last = len(segments) - 1
    para_end = i == last or segments[i + 1].paragraph != seg.paragraph
    prev = segments[i - 1] if i else None
    view = SegmentView(
        i, seg.id, seg.final_target, seg.source, prev is None or prev.paragraph != seg.paragraph, para_end,
        prev.final_target if prev else None, prev.source if prev else None, _flags(seg.meta),
    )
    if seg.codes or "plural_index" in seg.meta:
        view.codes = seg.codes
        view.plural = _plural_of(seg.meta)
    return view


class Checker:
    """The checks compiled for one document and configuration; reusable across documents of the
    same languages (with a glossary: of the same source text, as its terms are those it holds)."""

    def __init__(
        self,
        doc: ReviewDocument | None = None,
        config: Config | None = None,
        glossary: str | Path | None = None,
        only: str | Sequence[str] | None = None,
        skip: str | Sequence[str] | None = None,
        target_lang: str | None = None,
        source_lang: str | None = None,
    ) -> None:
        from relecture.checks.glossary import load_glossary

        settings = CheckSettings.from_config(config)
        self.settings = settings
        self.infos: dict[str, CheckInfo] = dict(CHECKS)
        for rule in settings.rules:
            self.infos[rule.info.id] = rule.info
        known = list(self.infos)
        enabled = {k for k in known if self.infos[k].default_on}
        if settings.only:
            enabled &= select_checks(settings.only, known, "checks.only", settings.path)
        enabled -= select_checks(settings.disable, known, "checks.disable", settings.path)
        # A check that is off by default runs only when named by its id (enable, --only).
        off = {k for k in known if not self.infos[k].default_on}
        enabled |= select_checks(settings.enable, known, "checks.enable", settings.path) - (off - set(settings.enable))
        if only:
            named = set(split_ids(only))
            enabled = (enabled | (off & named)) & select_checks(named, known, "--only")
        if skip:
            enabled -= select_checks(split_ids(skip), known, "--skip")
        self.enabled = frozenset(enabled)
        self.severity: dict[str, str] = {k: info.severity for k, info in self.infos.items()}
        for pattern, value in settings.severity.items():
            for check_id in select_checks([pattern], known, f"checks.severity.{pattern}", settings.path):
                self.severity[check_id] = value

        segments = doc.segments if doc is not None else []
        self.target_lang = (
            base_lang(target_lang)
            or base_lang(doc.target_lang if doc else None)
            or settings.target_lang
            or guess_lang(s.target for s in segments)
        )
        bilingual = any(s.source is not None for s in segments)
        self.source_lang = (
            base_lang(source_lang)
            or base_lang(doc.source_lang if doc else None)
            or settings.source_lang
            or (guess_lang(s.source or "" for s in segments) if bilingual else None)
        )
        glossary_path = Path(glossary) if glossary is not None else settings.glossary
        # Only the glossary terms this document's source can hold (see load_glossary).
        sources = "\n".join(s.source for s in segments if s.source) if doc is not None else None
        loaded = load_glossary(glossary_path, self.source_lang, self.target_lang, sources) if glossary_path else None
        self.ctx = Context(
            enabled=self.enabled,
            target_lang=self.target_lang,
            source_lang=self.source_lang,
            settings=settings.raw,
            extra_dirs=tuple(settings.data_dirs),
            inline_data=settings.data,
            glossary=loaded,
            custom_rules=settings.rules,
            words=settings.words,
            file_format=str(doc.imported_from.get("format") or "") or None if doc is not None else None,
            config_path=settings.path,
        )
        self._seen: dict[tuple[str, str | None, bool, bool, tuple[str, ...]], list[Finding]] = {}
        self.segment_fns: list[SegmentFn] = []
        self.context_fns: list[SegmentFn] = []
        self.document_fns: list[DocumentFn] = []
        self.prepare_fns: list[Callable[[int], None]] = []
        for name in FAMILIES:
            family = MODULES[name].build(self.ctx)
            (self.context_fns if reads_neighbours(name) else self.segment_fns).extend(family.segment_fns)
            self.document_fns.extend(family.document_fns)
            self.prepare_fns.extend(family.prepare_fns)

    # --- running -------------------------------------------------------------------------------
    def segment_findings(self, views: Sequence[SegmentView]) -> list[tuple[int, list[Finding]]]:
        out: list[tuple[int, list[Finding]]] = []
        enabled = self.enabled
        fns = self.segment_fns
        context_fns = self.context_fns
        # Translation memories and software strings repeat whole segments; their findings
        # depend only on the texts and the paragraph position, so each is checked once.
        seen = self._seen  # kept across calls
        for view in views:
            key = (view.target, view.source, view.para_start, view.para_end, view.flags)
            found = seen.get(key)
            if found is None:
                found = [f for fn in fns for f in fn(view) if f[0] in enabled]
                if view.neighbours_read:
                    _undeclared_neighbours(fns, view)
                seen[key] = found
            if context_fns:
                found = found + [f for fn in context_fns for f in fn(view) if f[0] in enabled]
            if found:
                out.append((view.index, found))
            view.release()  # word lists and keys of 100,000 segments would fill memory
        return out

    def _chunk_findings(
        self, views: Sequence[SegmentView], first: Sequence[int]
    ) -> tuple[list[tuple[int, list[Finding]]], list[tuple[int, list[Finding]]]]:
        """A worker's share: segment checks on the views that are the first of their kind
        (``first[i] == i``; the parent copies their findings to the repeats) and context checks
        on every view. Returns (segment findings, context findings), non-empty ones only."""
        own: list[tuple[int, list[Finding]]] = []
        context: list[tuple[int, list[Finding]]] = []
        enabled = self.enabled
        fns = self.segment_fns
        context_fns = self.context_fns
        for view in views:
            index = view.index
            if first[index] == index:
                found = [f for fn in fns for f in fn(view) if f[0] in enabled]
                if view.neighbours_read:
                    _undeclared_neighbours(fns, view)
                if found:
                    own.append((index, found))
            if context_fns:
                found = [f for fn in context_fns for f in fn(view) if f[0] in enabled]
                if found:
                    context.append((index, found))
            view.release()
        return own, context

    def run(self, doc: ReviewDocument, workers: int | None = None) -> dict[str, list[Flag]]:
        # The run allocates many small objects and no reference cycles; a garbage collection
        # pass over a 100,000-segment document costs more than the checks themselves.
        with gc_paused():
            return self._run(doc, workers)

    def _run(self, doc: ReviewDocument, workers: int | None) -> dict[str, list[Flag]]:
        views = _views(doc)
        self.ctx.scopes = _scopes(doc)
        self.ctx.plurals = frozenset(
            i for i, seg in enumerate(doc.segments) if holds(seg, "meta") and seg.meta.get("plural_single")
        )
        per_index: dict[int, list[Finding]] = {}
        count = _worker_count(len(views), workers)
        if count <= 1:
            for index, found in self.segment_findings(views):
                per_index[index] = list(found)  # the cache's list is shared by repeats
            document_results = self._document_findings(views)
        else:
            # Repeated segments are checked once, by whichever worker meets the first one.
            firsts: dict[tuple[str, str | None, bool, bool, tuple[str, ...]], int] = {}
            first = [
                firsts.setdefault((v.target, v.source, v.para_start, v.para_end, v.flags), v.index) for v in views
            ]
            for prepare in self.prepare_fns:
                prepare(len(firsts) // count + 1)
            del firsts
            own, context, document_results = self._parallel(views, first, count)
            found_by_first = dict(own)
            for index, origin in enumerate(first):
                copied = found_by_first.get(origin)
                if copied is not None:
                    per_index[index] = list(copied)
            for index, found in context:
                per_index.setdefault(index, []).extend(found)
        for index, found in document_results:
            per_index.setdefault(index, []).extend(found)
        results: dict[str, list[Flag]] = {}
        segments = doc.segments
        for index in sorted(per_index):
            seg = segments[index]
            flags = self._flags(seg.target, seg.source, per_index[index])
            if flags:
                results[seg.id] = flags
        return results

    def run_post_edits(
        self, doc: ReviewDocument, indexes: Sequence[int] | None = None, whole: bool = True
    ) -> dict[str, list[Flag]]:
        """Flags on the post-edits of ``doc`` (of segments ``indexes``, default all post-edited):
        ``{segment id: flags}``, every post-edited segment present (``[]``: clean). The document
        is seen as it now reads (the post-edit in place of each translation it replaces).
        ``whole=False`` runs the segment checks only: what the workbench does on each save
        (document checks, such as consistency, read every segment)."""
        segments = doc.segments
        wanted = [i for i in (range(len(segments)) if indexes is None else indexes)
                  if segments[i].post_edit is not None]
        if not wanted:
            return {}
        per_index: dict[int, list[Finding]] = {i: [] for i in wanted}
        if whole:
            views = _views(doc, final=True)
            self.ctx.scopes = _scopes(doc)
            chosen = [views[i] for i in wanted]
        else:  # a few segments: their views alone (a whole document's would cost ~1 s at 100k)
            views = []
            chosen = [_final_view(segments, i) for i in wanted]
        for index, found in self.segment_findings(chosen):
            per_index[index].extend(found)
        if whole:
            for index, found in self._document_findings(views):
                if index in per_index:
                    per_index[index].extend(found)
        return {
            segments[i].id: self._flags(segments[i].post_edit or "", segments[i].source, found)
            for i, found in per_index.items()
        }

    def _document_findings(self, views: list[SegmentView]) -> list[tuple[int, list[Finding]]]:
        out: list[tuple[int, list[Finding]]] = []
        for fn in self.document_fns:
            for index, found in fn(views).items():
                out.append((index, [f for f in found if f[0] in self.enabled]))
        return out

    def _flags(self, target: str, source: str | None, findings: list[Finding]) -> list[Flag]:
        seen: set[tuple[str, str, int, int]] = set()
        flags: list[Flag] = []
        for check, side, start, end, message, suggestion in findings:
            key = (check, side, start, end)
            if key in seen:
                continue
            seen.add(key)
            text = target if side == "target" else (source or "")
            info = self.infos[check]
            flags.append(
                Flag(
                    check=check,
                    family=info.family,
                    severity=cast(Severity, self.severity[check]),
                    category=info.category,
                    its_type=info.its_type,
                    side=cast(Side, side),
                    start=start,
                    end=end,
                    text=text[start:end],
                    message=message,
                    suggestion=suggestion,
                )
            )
        flags.sort(key=flag_order)
        return flags

    def _parallel(
        self, views: list[SegmentView], first: list[int], count: int
    ) -> tuple[
        list[tuple[int, list[Finding]]], list[tuple[int, list[Finding]]], list[tuple[int, list[Finding]]]
    ]:
        """Segment checks in ``count`` forked workers (they inherit the compiled checks and the
        segments, nothing is pickled but the findings); document checks meanwhile in this one."""
        import multiprocessing

        # Small chunks, taken in turn: the worker that drew the slow ones does not finish alone.
        chunk = max(500, len(views) // (count * 8) + 1)
        bounds = [(i, min(i + chunk, len(views))) for i in range(0, len(views), chunk)]
        fork = multiprocessing.get_context("fork")
        tasks, answers = fork.SimpleQueue(), fork.SimpleQueue()
        for item in [*bounds, *[None] * count]:  # None: no more work
            tasks.put(item)
        # Forked, the workers inherit this checker and the views as they are: no global needed.
        workers = [
            fork.Process(target=self._serve, args=(views, first, tasks, answers), daemon=True)
            for _ in range(count)
        ]
        for worker in workers:
            worker.start()
        done = False
        try:
            document_results = self._document_findings(views)
            parts = []
            for _ in bounds:
                answer = answers.get()
                if isinstance(answer, BaseException):
                    raise answer
                parts.append(answer)
            done = True
        finally:
            for worker in workers:
                if not done:  # an error or an interrupt: the other chunks are not wanted
                    worker.kill()
                worker.join()
        own = [item for part, _, _ in parts for item in part]
        context = [item for _, part, _ in parts for item in part]
        keep_warnings([warning for _, _, warnings in parts for warning in warnings])
        return own, context, document_results

    def _serve(self, views: list[SegmentView], first: list[int], tasks: Any, answers: Any) -> None:
        """A worker's loop: chunks of views until told to stop; an error is sent, not raised.
        Ctrl+c is left to the parent, which stops the workers (no traceback from each); the
        patterns that gave up here go back with the findings (named once, by the parent)."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        while (bounds := tasks.get()) is not None:
            try:
                answers.put((*self._chunk_findings(views[bounds[0] : bounds[1]], first), take_warnings()))
            except BaseException as exc:  # the parent raises it
                answers.put(exc)
                return


def _undeclared_neighbours(fns: Sequence[SegmentFn], view: SegmentView) -> None:
    """Name the cached segment check that read the previous segment: its findings would be
    cached by the segment's own texts and copied where the neighbour differs."""
    culprit = next((fn for fn in fns if _reads(fn, view)), None)
    name = getattr(culprit, "__module__", "a check family")
    raise RuntimeError(f"{name} reads neighbouring segments: declare reads_neighbours=True on its CheckInfo")


def _reads(fn: SegmentFn, view: SegmentView) -> bool:
    view.neighbours_read = False
    list(fn(view))
    return view.neighbours_read


def _worker_count(segments: int, requested: int | None) -> int:
    if requested is None:
        env = os.environ.get("RELECTURE_CHECK_WORKERS")
        if env and env.isdigit():
            requested = int(env)
    if requested is not None:
        return max(1, requested)
    if segments < PARALLEL_THRESHOLD:
        return 1
    if threading.current_thread() is not threading.main_thread():
        return 1  # forking a threaded program (the review UI runs checks in a thread) is unsafe
    try:
        import multiprocessing

        multiprocessing.get_context("fork")
    except ValueError:
        return 1  # no fork on this platform: stay in one process
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, 8))


def run_checks(
    doc: ReviewDocument,
    config: Config | None = None,
    glossary: Path | str | None = None,
    only: str | Sequence[str] | None = None,
    skip: str | Sequence[str] | None = None,
    workers: int | None = None,
) -> dict[str, list[Flag]]:
    """Run the enabled checks on ``doc``: ``{segment id: flags}`` (segments without flags absent).

    ``only``/``skip`` take check ids, family names or globs (a list or a comma-separated string).
    Raises InputError for an unknown check id or a bad configuration, glossary or data file.
    """
    return Checker(doc, config, glossary, only, skip).run(doc, workers)
