"""Writing systems: the script of a character and the scripts a language is written in.

The data is ``data/scripts.toml`` (languages per script after CLDR, Unicode blocks per script,
and the marks several scripts share, such as the danda of Bengali and Hindi). A language it does
not list is written in Latin; Latin letters are foreign to no language (names, products, code).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from relecture.checks.langdata import base_lang
from relecture.gated import ScriptPattern

_DATA = Path(__file__).resolve().parent / "data" / "scripts.toml"
LATIN = "Latin"


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, frozenset[str]], list[tuple[str, str]], dict[str, frozenset[str]]]:
    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    by_lang: dict[str, set[str]] = {}
    for script, langs in data["languages"].items():
        for lang in langs:
            by_lang.setdefault(lang, set()).add(script)
    ranges = [(script, "".join(parts)) for script, parts in data["ranges"].items()]
    shared = {ch: frozenset(scripts) for chars, scripts in data["shared"].items() for ch in chars}
    return {k: frozenset(v) for k, v in by_lang.items()}, ranges, shared


def language_scripts(lang: str | None) -> frozenset[str]:
    """The scripts ``lang`` (any tag: ``sr-Latn``, ``zh_Hans``) is written in."""
    code = base_lang(lang)
    scripts = _table()[0].get(code or "")
    if scripts is None:
        return frozenset({LATIN})
    if lang and re.search(r"(?i)[-_@]lat", lang):  # sr_Latn, sr@latin, uz-Latn
        return scripts | {LATIN}
    return scripts


def script_ranges() -> list[tuple[str, str]]:
    """(script, regex character ranges) for every non-Latin script, in data order."""
    return _table()[1]


def shared_marks() -> dict[str, frozenset[str]]:
    """Characters several scripts use, with those scripts."""
    return _table()[2]


@lru_cache(maxsize=64)
def foreign_pattern(scripts: frozenset[str]) -> ScriptPattern | None:
    """Runs of letters of scripts other than ``scripts`` (and Latin), white space and digits
    inside a run included; None when every script is the language's own."""
    own = set(scripts)
    parts = [r for name, r in script_ranges() if name not in own]
    if not parts:
        return None
    marks = [ch for ch, users in shared_marks().items() if users & own]
    chars = "".join(parts)
    body = f"[{chars}]"
    if marks:
        body = f"(?![{''.join(marks)}]){body}"
    return ScriptPattern(f"{body}+(?:[\\s\\d]*{body}+)*", chars)


def script_name(text: str) -> str:
    """The script of the first non-Latin letter of ``text`` (its run's name in messages)."""
    for name, ranges in script_ranges():
        if re.search(f"[{ranges}]", text):
            return name
    return "another script"
