"""The registry of check families and their checks, and the selection of checks by id, family or glob."""

from __future__ import annotations

import fnmatch
import importlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from relecture.checks.base import CheckInfo
from relecture.checks.settings import CheckSettings
from relecture.config import Config
from relecture.errors import InputError

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

MODULES: dict[str, ModuleType] = {name: importlib.import_module(f"relecture.checks.{name}") for name in FAMILIES}

CHECKS: dict[str, CheckInfo] = {
    info.id: info for name in FAMILIES for info in MODULES[name].INFOS
}


def reads_neighbours(family: str) -> bool:
    """Whether a family's segment checks look at the segments around one (``CheckInfo.
    reads_neighbours``): their findings cannot be cached by the segment's own texts."""
    return any(info.reads_neighbours for info in MODULES[family].INFOS)


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


def select_checks(patterns: Iterable[str], known: Iterable[str], where: str = "", path: str | Path | None = None) -> set[str]:
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



def split_ids(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p for p in value.replace(" ", ",").split(",") if p]
    return [p for item in value for p in split_ids(item)]
