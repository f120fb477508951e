"""The ``[checks]`` table of the configuration, validated (an unknown key is an error, as in
``[scoring]``: a misspelt setting would otherwise be silently ignored)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relecture.checks.langdata import base_lang
from relecture.config import Config
from relecture.errors import InputError
from relecture.model import SEVERITIES

# The keys this module reads; the families declare theirs (``SETTINGS`` in their module).
ENGINE_KEYS = (
    "data",
    "data_dirs",
    "disable",
    "enable",
    "fail_on",
    "glossary",
    "only",
    "pairs",
    "rules",
    "severity",
    "source_lang",
    "target_lang",
    "words",
    "words_file",
)


def known_keys() -> frozenset[str]:
    """Every key ``[checks]`` may hold: the engine's and each family's ``SETTINGS``."""
    from relecture.checks.registry import MODULES

    return frozenset(ENGINE_KEYS).union(*(getattr(m, "SETTINGS", ()) for m in MODULES.values()))


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
        known = known_keys()
        for key in table:
            if key not in known:
                raise InputError(path, f"unknown setting; known: {', '.join(sorted(known))}", f"checks.{key}")

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
