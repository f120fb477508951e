"""Automatic checks: the registry of every check and the engine that runs them on a document.

Public API (used by ``relecture check`` and by the review UI):

- ``CHECKS``: ``{check id: CheckInfo}`` for the built-in checks, in family order;
- ``check_info(check_id, config=None) -> CheckInfo`` (custom rules need their config);
- ``run_checks(doc, config=None, glossary=None, only=None, skip=None) -> {segment id: [Flag]}``;
- ``apply_flags(doc, results)`` / ``flag_changes(doc, results)``: put the results on the document
  (directly, or as journaled ``set_flags`` changes); dismissals (``Segment.dismissed``, flag keys)
  are left alone, so a dismissed flag found again stays dismissed.

A flag's ``suggestion``, when not None, is replacement text for the flagged span ("" = delete).
``run`` checks ``Segment.target`` (the translation as imported); ``run_post_edits`` checks the
post-edits (the final text) into ``Segment.post_edit_flags``, so flag offsets always index the
text they were computed on and the two kinds of flags never mix.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import gc
import importlib
import os
import signal
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relecture.changes import Change, set_flags
from relecture.checks.base import CheckInfo, Context, DocumentFn, Finding, SegmentFn, SegmentView
from relecture.checks.langdata import base_lang
from relecture.checks.patterns import keep_warnings, take_warnings
from relecture.config import Config
from relecture.errors import InputError
from relecture.model import SEVERITIES, Flag, ReviewDocument, Segment

FAMILIES: tuple[str, ...] = (
    "llm",
    "markup",
    "repetition",
    "mismatch",
    "length",
    "glossary",
    "consistency",
    "question",
    "language",
    "typography",
    "cultural",
    "codes",
    "plurals",
    "idiom",
    "spelling",
    "software",
    "custom",
)

# Families whose segment checks also look at the previous segment (not cacheable by text).
CONTEXT_FAMILIES = frozenset({"repetition"})

_MODULES = {name: importlib.import_module(f"relecture.checks.{name}") for name in FAMILIES}

CHECKS: dict[str, CheckInfo] = {
    info.id: info for name in FAMILIES for info in _MODULES[name].INFOS
}

# Above this many segments the checks run in several processes (fork): the per-process start
# cost is amortised and both cores of a CI machine are used.
PARALLEL_THRESHOLD = 4000

__all__ = [
    "CHECKS",
    "FAMILIES",
    "CheckInfo",
    "CheckSettings",
    "Checker",
    "apply_flags",
    "apply_post_edit_flags",
    "check_info",
    "flag_changes",
    "run_checks",
    "select_checks",
]


def check_info(check_id: str, config: Config | None = None) -> CheckInfo:
    """The description of a check id, including custom rules (looked up in ``config``).

    A ``custom.*`` id whose rule is gone from the configuration (flags kept in a review file)
    gets a generic description rather than an error. KeyError for any other unknown id.
    """
    if check_id in CHECKS:
        return CHECKS[check_id]
    from relecture.checks.length import RENAMED

    if check_id in RENAMED:  # flags stored under a superseded id
        return CHECKS[RENAMED[check_id]]
    if config is not None:
        for rule in CheckSettings.from_config(config).rules:
            if rule.info.id == check_id:
                return rule.info
    if check_id.startswith("custom."):
        return CheckInfo(
            id=check_id,
            family="custom",
            category="Other",
            severity="minor",
            description="Project rule (not in the current configuration)",
            explanation="A rule from the project's configuration flagged this text; its definition is not loaded.",
            custom=True,
        )
    raise KeyError(check_id)


def select_checks(patterns: Iterable[str], known: Iterable[str], where: str = "", path: object = None) -> set[str]:
    """Expand ids, family names and globs (``typography``, ``typography.*``, ``llm.preamble``)."""
    known_list = list(known)
    families = {k.split(".", 1)[0] for k in known_list}
    out: set[str] = set()
    for raw in patterns:
        pattern = raw.strip()
        if not pattern:
            continue
        if pattern in families:
            matched = [k for k in known_list if k.split(".", 1)[0] == pattern]
        else:
            matched = [k for k in known_list if fnmatch.fnmatchcase(k, pattern)]
        if not matched:
            if pattern in ("custom", "custom.*"):
                continue  # no custom rule configured: nothing to select
            raise InputError(path, f"unknown check {pattern!r} (see `relecture checks`)", where or None)
        out.update(matched)
    return out


def _split_ids(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p for p in value.replace(" ", ",").split(",") if p]
    return [p for item in value for p in _split_ids(item)]


@dataclass
class CheckSettings:
    """The ``[checks]`` table of the configuration, validated."""

    path: Path | None = None
    disable: list[str] = field(default_factory=list)
    enable: list[str] = field(default_factory=list)
    only: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    glossary: Path | None = None
    data_dirs: list[Path] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    rules: list[Any] = field(default_factory=list)
    target_lang: str | None = None
    source_lang: str | None = None
    fail_on: str | None = None
    words: frozenset[str] = frozenset()
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Config | None) -> CheckSettings:

        if config is None:
            return cls()
        table = config.table("checks")
        path = config.path

        def id_list(key: str) -> list[str]:
            value = table.get(key, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(path, "expected a list of check ids", f"checks.{key}")
            return value

        severity = table.get("severity", {})
        if not isinstance(severity, dict):
            raise InputError(path, "[checks.severity] must be a table of check = severity", "checks.severity")
        for key, value in severity.items():
            if value not in SEVERITIES:
                raise InputError(path, f"severity must be one of {', '.join(SEVERITIES)}", f"checks.severity.{key}")
        data_dirs = table.get("data_dirs", [])
        if isinstance(data_dirs, str):
            data_dirs = [data_dirs]
        if not isinstance(data_dirs, list) or not all(isinstance(d, str) for d in data_dirs):
            raise InputError(path, "expected a list of folders", "checks.data_dirs")
        data = table.get("data", {})
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise InputError(path, "[checks.data.<lang>] must be tables", "checks.data")
        glossary = table.get("glossary")
        if glossary is not None and not isinstance(glossary, str):
            raise InputError(path, "expected a file name", "checks.glossary")
        fail_on = table.get("fail_on")
        if fail_on is not None and fail_on not in ("minor", "major", "critical", "none"):
            raise InputError(path, "fail_on must be minor, major, critical or none", "checks.fail_on")
        for key in ("target_lang", "source_lang"):
            if table.get(key) is not None and not isinstance(table.get(key), str):
                raise InputError(path, "expected a language code", f"checks.{key}")
        return cls(
            path=path,
            disable=id_list("disable"),
            enable=id_list("enable"),
            only=id_list("only"),
            severity=dict(severity),
            glossary=config.resolve(glossary, "checks.glossary") if glossary else None,
            data_dirs=[config.resolve(d, f"checks.data_dirs[{i}]") for i, d in enumerate(data_dirs)],
            data={base_lang(k) or k: v for k, v in data.items()},
            rules=_rules(table, path),
            target_lang=base_lang(table.get("target_lang")),
            source_lang=base_lang(table.get("source_lang")),
            fail_on=fail_on,
            words=_personal_words(table, config),
            raw=table,
        )


def _rules(table: dict[str, Any], path: Path | None) -> list[Any]:
    from relecture.checks.custom import parse_pairs, parse_rules

    rules = parse_rules(table.get("rules"), path)
    return rules + parse_pairs(table.get("pairs"), path, frozenset(r.info.id for r in rules))


def _personal_words(table: dict[str, Any], config: Config) -> frozenset[str]:
    """``[checks] words = [...]`` and the lines of ``words_file`` (``#`` starts a comment)."""
    words = table.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise InputError(config.path, "expected a list of words", "checks.words")
    out = [w.strip() for w in words]
    name = table.get("words_file")
    if name is not None:
        if not isinstance(name, str):
            raise InputError(config.path, "expected a file name", "checks.words_file")
        from relecture.textio import decode, read_bytes

        path = config.resolve(name)
        raw = read_bytes(path)
        if raw.strip():  # an empty list is fine
            out += [line.split("#", 1)[0].strip() for line in decode(raw, path).splitlines()]
    return frozenset(w for w in out if w)


def _guess_lang(texts: Iterable[str]) -> str | None:
    from relecture.langid import detect_language

    sample: list[str] = []
    size = 0
    for text in texts:
        if text:
            sample.append(text)
            size += len(text)
            if size > 4000:
                break
    return base_lang(detect_language(" ".join(sample))) if sample else None


def _scopes(doc: ReviewDocument) -> list[str]:
    """Each segment's system when the file holds several systems' translations (MQM data), so
    that fourteen systems translating one source are not "inconsistent" with each other."""
    systems = [seg.meta.get("system") for seg in doc.segments]
    if not any(isinstance(system, str) and system for system in systems):
        return []
    return [system if isinstance(system, str) else "" for system in systems]


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
        if prev is None:
            append(SegmentView(i, seg.id, seg.target, seg.source, True, para_end, None, None, _flags(seg.meta)))
        else:
            append(
                SegmentView(
                    i, seg.id, seg.target, seg.source, prev.paragraph != para, para_end, prev.target, prev.source,
                    _flags(seg.meta),
                )
            )
        prev = seg
        if seg.codes or "plural_index" in seg.meta:  # for the codes and plurals families
            views[-1].codes = seg.codes
            views[-1].plural = _plural_of(seg.meta)
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
            named = set(_split_ids(only))
            enabled = (enabled | (off & named)) & select_checks(named, known, "--only")
        if skip:
            enabled -= select_checks(_split_ids(skip), known, "--skip")
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
            or _guess_lang(s.target for s in segments)
        )
        bilingual = any(s.source is not None for s in segments)
        self.source_lang = (
            base_lang(source_lang)
            or base_lang(doc.source_lang if doc else None)
            or settings.source_lang
            or (_guess_lang(s.source or "" for s in segments) if bilingual else None)
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
        for name in FAMILIES:
            family = _MODULES[name].build(self.ctx)
            (self.context_fns if name in CONTEXT_FAMILIES else self.segment_fns).extend(family.segment_fns)
            self.document_fns.extend(family.document_fns)

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
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run(doc, workers)
        finally:
            if gc_was_enabled:
                gc.enable()

    def _run(self, doc: ReviewDocument, workers: int | None) -> dict[str, list[Flag]]:
        views = _views(doc)
        self.ctx.scopes = _scopes(doc)
        self.ctx.plurals = frozenset(i for i, seg in enumerate(doc.segments) if seg.meta.get("plural_single"))
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
            del firsts
            own, context, document_results = self._parallel(views, first, count)
            found_by_first = dict(own)
            for index, origin in enumerate(first):
                found = found_by_first.get(origin)
                if found is not None:
                    per_index[index] = list(found)
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
                    severity=self.severity[check],
                    category=info.category,
                    its_type=info.its_type,
                    side=side,
                    start=start,
                    end=end,
                    text=text[start:end],
                    message=message,
                    suggestion=suggestion,
                )
            )
        flags.sort(key=lambda f: (f.side != "target", f.start, f.end, f.check))
        return flags

    def _parallel(
        self, views: list[SegmentView], first: list[int], count: int
    ) -> tuple[
        list[tuple[int, list[Finding]]], list[tuple[int, list[Finding]]], list[tuple[int, list[Finding]]]
    ]:
        """Segment checks in ``count`` forked workers (they inherit the compiled checks and the
        segments, nothing is pickled but the findings); document checks meanwhile in this one."""
        import multiprocessing

        global _STATE
        # Small chunks, taken in turn: the worker that drew the slow ones does not finish alone.
        chunk = max(500, len(views) // (count * 8) + 1)
        bounds = [(i, min(i + chunk, len(views))) for i in range(0, len(views), chunk)]
        _STATE = (self, views, first)
        try:
            # Workers leave ctrl+c to this process, which stops them (no traceback from each).
            with multiprocessing.get_context("fork").Pool(count, _ignore_sigint) as pool:
                pending = pool.map_async(_work, bounds, chunksize=1)
                document_results = self._document_findings(views)
                parts = pending.get()
        finally:
            _STATE = None
        own = [item for part, _, _ in parts for item in part]
        context = [item for _, part, _ in parts for item in part]
        keep_warnings([warning for _, _, warnings in parts for warning in warnings])
        return own, context, document_results


_STATE: tuple[Checker, list[SegmentView], list[int]] | None = None


def _work(
    bounds: tuple[int, int],
) -> tuple[list[tuple[int, list[Finding]]], list[tuple[int, list[Finding]]], list[str]]:
    assert _STATE is not None  # set by the parent before forking
    checker, views, first = _STATE
    # The patterns that gave up in this worker go back with its findings (named once, there).
    return (*checker._chunk_findings(views[bounds[0] : bounds[1]], first), take_warnings())


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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


def apply_flags(doc: ReviewDocument, results: dict[str, list[Flag]], ran: Iterable[str] | None = None) -> int:
    """Replace every segment's flags with ``results`` (in place); returns how many changed.

    With ``ran`` (the checks of a partial run, ``--only``/``--skip``), only those checks' flags
    are replaced and the others' stay. Dismissals are kept as they are: they are keys, so a flag
    found again stays dismissed.
    """
    replaced = None if ran is None else frozenset(ran)
    changed = 0
    for seg in doc.segments:
        new = results.get(seg.id, [])
        if replaced is not None:
            kept = [f for f in seg.flags if f.check not in replaced]
            if kept:
                new = sorted(kept + new, key=lambda f: (f.side, f.start, f.end))
        if new != seg.flags:
            seg.flags = list(new)
            changed += 1
    return changed


def apply_post_edit_flags(doc: ReviewDocument, results: dict[str, list[Flag]]) -> int:
    """Put ``Checker.run_post_edits`` results on ``doc``; a segment without a post-edit has none.
    Returns how many segments' post-edit flags changed."""
    changed = 0
    for seg in doc.segments:
        new = results.get(seg.id, []) if seg.post_edit is not None else []
        if new != seg.post_edit_flags:
            seg.post_edit_flags = list(new)
            changed += 1
    return changed


def flag_changes(doc: ReviewDocument, results: dict[str, list[Flag]]) -> list[Change]:
    """The ``set_flags`` changes that bring ``doc`` to ``results`` (for ReviewStore.apply)."""
    return [
        set_flags(seg.id, results.get(seg.id, []))
        for seg in doc.segments
        if results.get(seg.id, []) != seg.flags
    ]
