"""``relecture check`` (run the checks, for people and for CI) and ``relecture checks`` (list them).

Exit codes, like linters: 0 when no open flag reaches ``--fail-on`` (by default nothing fails),
1 when one does, 2 for usage or input errors.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from relecture.checks import (
    CHECKS,
    Checker,
    CheckSettings,
    apply_flags,
    apply_post_edit_flags,
    select_checks,
)
from relecture.commands._stdout import silence_stdout, warn
from relecture.commands.importing import import_options
from relecture.config import Config, load_config
from relecture.corpus.output import ON_POST_EDIT, ON_TRANSLATION
from relecture.corpus.output import flag_line as _jsonl_line
from relecture.corpus.output import json_str as _json_str
from relecture.errors import InputError, RelectureError
from relecture.gcpause import gc_paused, settle
from relecture.importers import READERS, detect_format, import_document, reader_for
from relecture.model import SEVERITIES, SEVERITY_RANK, Code, Flag, ReviewDocument, show_codes
from relecture.patterns import take_warnings
from relecture.store import ReviewStore, is_review_file
from relecture.textsafe import visible_line

SEVERITY_STYLE: dict[str, dict[str, Any]] = {
    "critical": {"fg": "bright_white", "bg": "red", "bold": True},
    "major": {"fg": "red", "bold": True},
    "minor": {"fg": "yellow"},
    "neutral": {"fg": "cyan"},
}
CONTEXT = 40


def _color_choice(color: bool | None) -> bool:
    """--color/--no-color, else colour on a terminal only, never with NO_COLOR set."""
    if color is not None:
        return color
    if os.environ.get("NO_COLOR"):
        return False
    return not click.utils.should_strip_ansi(click.get_text_stream("stdout"))  # type: ignore[operator]


# Text from data shown on a terminal (segment text, ids, file names, messages quoting them): line
# breaks, controls and bidi marks as visible signs, so an escape sequence in the data (an OSC 52
# in a vendor's id column) never drives the terminal. JSON and JSONL outputs stay exact.
_visible = visible_line


def _context_line(text: str, flag: Flag, color: bool, codes: list[Code] | None = None) -> str:
    start, end = flag.start, flag.end
    left = max(0, start - CONTEXT)
    right = min(len(text), end + CONTEXT)
    codes = codes or []  # inline codes show as their compact token ({1}, {/1})
    before = ("…" if left else "") + _visible(show_codes(text[left:start], codes))
    span = _visible(show_codes(text[start:end], codes)) or "∅"
    after = _visible(show_codes(text[end:right], codes)) + ("…" if right < len(text) else "")
    marked = click.style(span, reverse=True, bold=True) if color else f"⟦{span}⟧"
    return f"    {before}{marked}{after}"


def _validate_ids(value: str | None, option: str, config: Config) -> str | None:
    if not value:
        return value
    known = list(CHECKS) + [r.info.id for r in CheckSettings.from_config(config).rules]
    try:
        select_checks([p for p in value.replace(" ", ",").split(",") if p], known)
    except InputError as exc:
        raise click.BadParameter(exc.message, param_hint=option) from None
    return value




def _open_flags(
    doc: ReviewDocument, results: dict[str, list[Flag]], post_edits: dict[str, list[Flag]]
) -> list[tuple[str, Flag, str, str]]:
    """(segment id, flag, the flagged side's text, what it is on: translation or post-edit) for
    flags not dismissed, in document order; a segment's post-edit flags follow its own."""
    out: list[tuple[str, Flag, str, str]] = []
    for seg in doc.segments:
        flags = results.get(seg.id)
        if flags:
            if not seg.dismissed:  # the usual case: no key to compute
                out += [(seg.id, flag, seg.text(flag.side), ON_TRANSLATION) for flag in flags]
            else:
                dismissed = set(seg.dismissed)
                out += [(seg.id, flag, seg.text(flag.side), ON_TRANSLATION)
                        for flag in flags if flag.key not in dismissed]
        edited = post_edits.get(seg.id) if seg.post_edit is not None else None
        if edited:
            out += [
                (seg.id, flag, (seg.post_edit or "") if flag.side == "target" else (seg.source or ""), ON_POST_EDIT)
                for flag in edited if not seg.post_edit_flag_dismissed(flag)
            ]
    return out


class _StdoutEcho:
    """click.echo to stdout that stops quietly when the reader goes away (a pipe into ``head``):
    the checks still finish, and the exit code still says whether a flag reached --fail-on."""

    def __init__(self) -> None:
        self.closed = False

    def __call__(self, message: str, color: bool | None = None) -> None:
        if self.closed:
            return
        try:
            click.echo(message, color=color)
            sys.stdout.flush()
        except BrokenPipeError:
            self.closed = True
            silence_stdout()
        except OSError as exc:
            # A full disk or a closed terminal: the report is lost, which is not "a flag failed".
            self.closed = True
            silence_stdout()
            raise InputError("<stdout>", f"cannot write the report: {exc.strerror or exc}") from None


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source", "source", type=click.Path(path_type=Path, dir_okay=False),
              help="Source-language file, paragraph-aligned with a plain-text PATH (one PATH only).")
@click.option("--glossary", type=click.Path(path_type=Path, dir_okay=False),
              help="Glossary: CSV/TSV with source,target[,forbidden,note] columns, or TBX.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Configuration TOML (default: relecture.toml beside the first PATH).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["minor", "major", "critical", "none"]),
              help="Exit 1 when an open flag has this severity or worse (default: none, or [checks] fail_on).")
@click.option("--only", help="Run only these checks: ids, families or globs, comma-separated.")
@click.option("--skip", help="Do not run these checks: ids, families or globs, comma-separated.")
@click.option("--dry-run", is_flag=True, help="On a review file: report, but do not store the flags.")
@click.option("--input-format", type=click.Choice(sorted(READERS)), help="Input format (default: from the extension).")
@click.option("--source-lang", help="Source language code (detected when omitted).")
@click.option("--target-lang", help="Target language code (detected when omitted).")
@click.option("--segment", type=click.Choice(["sentence", "paragraph"]), default="sentence", show_default=True,
              help="Segmentation of plain-text input.")
@click.option("--columns", help="TSV/CSV/JSONL column names: id=ID,source=SRC,target=TGT.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal, unless NO_COLOR).")
@click.option("--out", "out", metavar="FLAGS",
              help="Stream a corpus (TSV, CSV, JSONL, Parquet, MQM TSV files or folders of shards) in bounded "
                   "memory, writing its flags to FLAGS (.jsonl or .parquet).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="With --out: local worker processes, or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="With --executor dask: the scheduler (tcp://HOST:8786); default: a local cluster.")
@click.option("--workers", type=click.IntRange(min=1), help="With --out: worker processes (default: one per core).")
@click.option("--work-dir", metavar="DIR", help="With --out: where partition results wait (default: FLAGS.parts; shared by a cluster's workers).")
@click.pass_context
def check_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    source: Path | None,
    glossary: Path | None,
    config_path: Path | None,
    fmt: str,
    fail_on: str | None,
    only: str | None,
    skip: str | None,
    dry_run: bool,
    input_format: str | None,
    source_lang: str | None,
    target_lang: str | None,
    segment: str,
    columns: str | None,
    color: bool | None,
    out: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    work_dir: str | None = None,
) -> None:
    """Flag what a reviewer must look at in PATH... (text, TSV, CSV, JSONL, XLIFF, PO, TMX or
    review files). On a review file the flags are stored in it (dismissals, annotations and
    notes are kept) unless --dry-run."""
    echo = _StdoutEcho()  # `relecture check | head` must still exit with the --fail-on verdict
    if source is not None and len(paths) > 1:
        raise click.UsageError("--source pairs with a single PATH")
    config = load_config(paths[0], config_path)
    settings = CheckSettings.from_config(config)
    _validate_ids(only, "--only", config)
    _validate_ids(skip, "--skip", config)
    threshold = fail_on or settings.fail_on or "none"
    use_color = _color_choice(color)
    options = import_options(source, source_lang, target_lang, segment, columns)
    if out is not None or executor != "local":
        if out is None:
            raise click.UsageError("--executor needs --out FLAGS")
        from relecture.commands.streaming import stream_command

        stream_command(ctx, paths, out, config, glossary, only, skip, options, input_format, executor, scheduler,
                       workers, work_dir, threshold, echo)
        return

    totals = dict.fromkeys(SEVERITIES, 0)
    failing = False
    flagged_segments = 0
    untranslated = segments = 0
    report: list[dict[str, Any]] = []
    unreadable = 0
    for number, path in enumerate(paths, 1):
        try:
            # Building the checks allocates much and frees no cycles worth a collection (the
            # document's reading and the checks' run pause the collector too).
            with gc_paused():
                doc, results, post_edits, stored = _check_one(
                    path, config, glossary, only, skip, dry_run, options, input_format
                )
                if number == len(paths):
                    # The last file's document and flags are kept to the end: not rescanned. (Not
                    # before: a file's check leaves ~5,700 objects in cycles, which the collection
                    # after its pause frees; frozen, 98 catalogues in one process took 242 MB, not 142.)
                    settle()
        except RelectureError as exc:
            # Like a linter over many files: say why this one was not checked, check the others,
            # and exit 2 at the end.
            if ctx.obj and ctx.obj.get("debug"):
                raise
            warn(str(exc))
            unreadable += 1
            continue
        finally:
            for warning in take_warnings():  # a pattern over its time budget, skipped: named once
                warn(warning)
        open_flags = _open_flags(doc, results, post_edits)
        # Progress, not a flag: an empty translation is work still to do.
        file_untranslated = sum(1 for seg in doc.segments if seg.untranslated)
        untranslated += file_untranslated
        segments += len(doc.segments)
        flagged_segments += len({seg_id for seg_id, _, _, _ in open_flags})
        for _, flag, _, _ in open_flags:
            totals[flag.severity] += 1
            if threshold != "none" and SEVERITY_RANK[flag.severity] >= SEVERITY_RANK[threshold]:
                failing = True
        name = str(path)
        if fmt == "jsonl":
            if open_flags:
                file_json = _json_str(name)
                echo("\n".join([_jsonl_line(file_json, seg_id, flag, on) for seg_id, flag, _, on in open_flags]))
        elif fmt == "json":
            report.append(
                {
                    "file": name,
                    "segments": len(doc.segments),
                    "untranslated": file_untranslated,
                    "target_lang": doc.target_lang,
                    "source_lang": doc.source_lang,
                    "stored": stored,
                    "flags": [
                        {"segment": seg_id, **flag.to_dict(), "on": on} for seg_id, flag, _, on in open_flags
                    ],
                }
            )
        else:
            codes_of = {seg.id: seg.codes for seg in doc.segments if seg.codes} if open_flags else {}
            for seg_id, flag, text, on in open_flags:
                severity = click.style(f"{flag.severity:<8}", **SEVERITY_STYLE[flag.severity])
                where = _visible(f"{name}:{seg_id}")
                side = "source: " if flag.side == "source" else ""
                if on == ON_POST_EDIT:
                    side = "post-edit: " + side
                echo(
                    f"{click.style(where, bold=True)} {severity} {click.style(_visible(flag.check), fg='blue')} "
                    f"{side}{_visible(flag.message)}",
                    color=use_color,
                )
                echo(_context_line(text, flag, use_color, codes_of.get(seg_id)), color=use_color)
            if stored:
                echo(_visible(f"{name}: flags stored"), color=use_color)
    total = sum(totals.values())
    if fmt == "json":
        echo(
            json.dumps(
                {
                    "files": report,
                    "summary": {
                        "flags": total, "segments_flagged": flagged_segments, **totals, "untranslated": untranslated,
                    },
                    "fail_on": threshold,
                    "failed": failing,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    elif fmt == "text":
        if total:
            parts = ", ".join(f"{totals[s]} {s}" for s in reversed(SEVERITIES) if totals[s])
            echo(
                f"{total} flag{'s' if total != 1 else ''} in {flagged_segments} segment"
                f"{'s' if flagged_segments != 1 else ''} ({parts})",
                color=use_color,
            )
        elif unreadable < len(paths):
            echo("No flags.", color=use_color)
        if untranslated:
            echo(f"{untranslated} of {segments} segments untranslated (status, not flags).", color=use_color)
    if unreadable:
        if len(paths) > 1:
            click.echo(
                f"relecture: {unreadable} of {len(paths)} files could not be checked", err=True
            )
        ctx.exit(2)
    ctx.exit(1 if failing else 0)


# Readers whose documents are always storable: their text comes from a strict decoder (no lone
# surrogates) and they build no free-form objects, so ``storable_problem`` cannot object.
_STORABLE_FORMATS = frozenset({"tsv", "csv"})


def _import_for_check(path: Path, options: Any, input_format: str | None) -> ReviewDocument:
    """``import_document`` for a document that is checked and never stored: the storability
    scan (a tenth of a second at 100,000 segments) is skipped for readers that cannot fail it."""
    fmt = (input_format or detect_format(path)) if path.is_file() else None
    if fmt not in _STORABLE_FORMATS:
        return import_document(path, options, input_format, allow_empty=True)
    return reader_for(fmt)(path, options)


def _check_one(
    path: Path,
    config: Config,
    glossary: Path | None,
    only: str | None,
    skip: str | None,
    dry_run: bool,
    options: Any,
    input_format: str | None,
) -> tuple[ReviewDocument, dict[str, list[Flag]], dict[str, list[Flag]], bool]:
    """Check one file: (document, flags on the translations, flags on the post-edits, stored).
    A review file gets both kinds of flags stored unless ``dry_run``."""
    if not is_review_file(path):
        with gc_paused():  # a large document: many objects, no cycles
            doc = _import_for_check(path, options, input_format)
        checker = Checker(doc, config, glossary, only, skip)
        return doc, checker.run(doc), checker.run_post_edits(doc), False
    if dry_run:
        # As export and score read it: with the unsaved changes of its journal (read-only).
        with gc_paused():  # a large document: many objects, no cycles
            reader = ReviewStore.open(path, readonly=True)
        for warning in reader.warnings:
            warn(warning)
        reader.close(save=False)
        doc = reader.doc
        checker = Checker(doc, config, glossary, only, skip)
        return doc, checker.run(doc), checker.run_post_edits(doc), False
    store = ReviewStore.open(path)
    for warning in store.warnings:  # a recovered lock or journal: say so, on stderr
        warn(warning)
    try:
        checker = Checker(store.doc, config, glossary, only, skip)
        results = checker.run(store.doc)
        post_edits = checker.run_post_edits(store.doc)
        # One atomic save rather than one journaled change per segment: a corpus may have
        # 100,000 segments, and the save keeps the previous file as .bak. A partial run
        # (--only/--skip) replaces only its own checks' flags.
        changed = apply_flags(store.doc, results, checker.enabled if (only or skip) else None)
        if not (only or skip):  # post-edit flags are few: a partial run leaves them as they are
            changed += apply_post_edit_flags(store.doc, post_edits)
        if changed:
            store.save()
        store.close()
    except BaseException:
        store.close(save=False)
        raise
    return store.doc, results, post_edits, bool(changed)


@click.command("checks")
@click.argument("ids", nargs=-1)
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Configuration TOML: shows its custom rules and severity changes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", "lang", metavar="L|all",
              help="What language L has for each check (its data files, with the config's data), or a table of every language.")
def checks_command(ids: tuple[str, ...], config_path: Path | None, fmt: str, lang: str | None) -> None:
    """List every check (id, family, category, severity, description); with IDS, explain them."""
    config = load_config(None, config_path)
    settings = CheckSettings.from_config(config)
    if lang:
        _language_coverage(lang, settings, fmt)
        return
    infos = list(CHECKS.values()) + [r.info for r in settings.rules]
    severity = {i.id: i.severity for i in infos}
    known = [i.id for i in infos]
    for pattern, value in settings.severity.items():
        for check_id in select_checks([pattern], known, f"checks.severity.{pattern}", settings.path):
            severity[check_id] = value
    off = {i.id for i in infos if not i.default_on} - set(settings.enable)
    disabled = (select_checks(settings.disable, known, "checks.disable", settings.path) | off) - (
        select_checks(settings.enable, known, "checks.enable", settings.path) - off
    )
    if ids:
        try:
            chosen = select_checks(ids, known)
        except InputError as exc:
            raise click.BadParameter(exc.message, param_hint="IDS") from None
        infos = [i for i in infos if i.id in chosen]
    if fmt == "json":
        rows = []
        for info in infos:
            row = info.to_dict()
            row["severity"] = severity[info.id]
            row["enabled"] = info.id not in disabled
            rows.append(row)
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if ids:
        for info in infos:
            click.echo(_visible(f"{info.id}  ({info.family}, {severity[info.id]}{', disabled' if info.id in disabled else ''})"))
            click.echo(_visible(f"  category:    {info.category} (ITS {info.its_type})"))
            click.echo(_visible(f"  checks:      {info.description}"))
            click.echo(_visible(f"  needs source: {'yes' if info.needs_source else 'no'}"))
            click.echo(_visible(f"  why:         {info.explanation}"))
            if info.fix:
                click.echo(_visible(f"  fix:         {info.fix}"))
            click.echo("")
        return
    width = max(len(i.id) for i in infos) if infos else 10
    cat_width = max(len(i.category) for i in infos) if infos else 10
    fam_width = max(len(i.family) for i in infos) if infos else 6
    click.echo(f"{'ID':<{width}}  {'FAMILY':<{fam_width}}  {'SEVERITY':<8}  {'CATEGORY':<{cat_width}}  DESCRIPTION")
    for info in infos:
        mark = " (disabled)" if info.id in disabled else ""
        click.echo(_visible(
            f"{info.id:<{width}}  {info.family:<{fam_width}}  {severity[info.id]:<8}  "
            f"{info.category:<{cat_width}}  {info.description}{mark}"
        ))
    click.echo(f"\n{len(infos)} checks. `relecture checks ID` explains one; configure them in relecture.toml [checks].")


def _language_coverage(lang: str, settings: CheckSettings, fmt: str) -> None:
    """``relecture checks --lang L``: the data each check has in language L, or (``all``) the
    coverage table of every language."""
    from relecture.checks.langdata import (
        BUILTIN_DIR,
        COLUMNS,
        COVERAGE,
        available_languages,
        base_lang,
        coverage,
        coverage_cell,
        load_language,
    )
    from relecture.checks.language import language_name

    def data_of(code: str) -> dict[str, Any]:
        inline = settings.data.get(code)
        return load_language(code, settings.data_dirs, inline if isinstance(inline, dict) else None)

    if lang == "all":
        langs = sorted(set(available_languages(settings.data_dirs)) | set(settings.data))
        if fmt == "json":
            table = {code: {head: coverage_cell(data_of(code), keys) for head, keys in COLUMNS} for code in langs}
            click.echo(json.dumps(table, ensure_ascii=False, indent=1))
            return
        click.echo("| language | " + " | ".join(head for head, _ in COLUMNS) + " |")
        click.echo("|" + " --- |" * (len(COLUMNS) + 1))
        for code in langs:
            data = data_of(code)
            cells = [coverage_cell(data, keys) for _, keys in COLUMNS]
            click.echo(f"| {language_name(code)} (`{code}`) | " + " | ".join(cells) + " |")
        return
    code = base_lang(lang) or lang
    rows = coverage(data_of(code))
    if fmt == "json":
        click.echo(json.dumps([{"check": c, "data": w, "has": h} for c, w, h in rows], ensure_ascii=False, indent=1))
        return
    files = sorted(p.name for p in (BUILTIN_DIR / code).glob("*.toml"))
    click.echo(f"{language_name(code)} ({code}): built-in data {', '.join(files) if files else 'none'}")
    if not rows:
        click.echo("No language data: only the language-independent checks apply (see `relecture checks`).")
        return
    width = max(len(c) for c, _, _ in rows)
    what_width = max(len(w) for _, w, _ in rows)
    for check, what, has in rows:
        click.echo(f"  {check:<{width}}  {what:<{what_width}}  {has}")
    missing = sorted({c for c, _, _, _ in COVERAGE if c not in {r[0] for r in rows}})
    if missing:
        click.echo(f"No data for: {', '.join(missing)}")
    click.echo(
        "The llm patterns of the target, the source and English are tried on every target. Add words and patterns in "
        f"relecture.toml [checks.data.{code}] or with [checks] data_dirs ({code}/*.toml)."
    )


__all__ = ["check_command", "checks_command"]
