"""``relecture check CORPUS... --out FLAGS``: the corpus engine (``relecture.corpus``) behind the
check command: flags go to FLAGS, a summary to stdout, the exit code as for ``check``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from relecture.config import Config
from relecture.errors import RelectureError
from relecture.model import SEVERITIES, SEVERITY_RANK
from relecture.textsafe import visible_line


def stream_command(
    ctx: click.Context, paths: tuple[Path, ...], out: str, config: Config, glossary: Path | None, only: str | None,
    skip: str | None, options: Any, input_format: str | None, executor: str, scheduler: str | None,
    workers: int | None, work_dir: str | None, threshold: str, echo: Callable[[str], None],
) -> None:
    from relecture.corpus.run import stream_check

    try:
        summary = stream_check(
            [str(p) for p in paths], out, config, str(glossary) if glossary else None, only, skip, options,
            input_format, executor, scheduler, workers, work_dir,
        )
    except KeyboardInterrupt:
        click.echo(
            visible_line(f"relecture: interrupted; the finished partitions are kept in {work_dir or out + '.parts'}: "
                         "run the same command again to resume"), err=True,
        )
        ctx.exit(130)
    except RelectureError as exc:
        if ctx.obj and ctx.obj.get("debug"):
            raise
        click.echo(f"relecture: {exc}", err=True)
        ctx.exit(2)
    totals = summary.totals
    total = sum(totals.values())
    parts = ", ".join(f"{totals[s]} {s}" for s in reversed(SEVERITIES) if totals.get(s))
    flagged = summary.segments_flagged
    resumed = f", {summary.resumed} resumed" if summary.resumed else ""
    echo(visible_line(
        f"{total} flag{'s' if total != 1 else ''} in {flagged} segment{'s' if flagged != 1 else ''}"
        f"{f' ({parts})' if parts else ''} of {summary.segments} in {summary.files} file"
        f"{'s' if summary.files != 1 else ''} ({summary.partitions} partitions{resumed}): {out}"
    ))
    if summary.untranslated:
        echo(f"{summary.untranslated} of {summary.segments} segments untranslated (status, not flags).")
    failing = threshold != "none" and any(
        n and SEVERITY_RANK[s] >= SEVERITY_RANK[threshold] for s, n in totals.items()
    )
    ctx.exit(1 if failing else 0)
