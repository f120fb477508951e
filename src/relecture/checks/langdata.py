"""Language data for the checks: built-in ``relecture/data/<lang>/*.toml`` merged with the user's.

A user adds words and patterns without code, either with more TOML files
(``[checks] data_dirs = ["my-data"]`` -> ``my-data/fr/*.toml``) or inline in ``relecture.toml``
(``[checks.data.fr] humour_cues = ["rigol\\\\w*"]``). Lists are appended to, tables merged,
strings of words (``function_words``) joined, other values replaced.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from relecture.errors import InputError

BUILTIN_DIR = Path(__file__).resolve().parents[1] / "data"


def base_lang(code: str | None) -> str | None:
    """``fr-FR``, ``fr_CA``, ``FR`` -> ``fr``; ``zh-cn`` -> ``zh``."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].strip().lower() or None


def merge(into: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        old = into.get(key)
        if isinstance(old, list) and isinstance(value, list):
            into[key] = old + value
        elif isinstance(old, dict) and isinstance(value, dict):
            into[key] = merge(dict(old), value)
        elif key == "function_words" and isinstance(old, str) and isinstance(value, str):
            into[key] = old + " " + value
        else:
            into[key] = value
    return into


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(path, "language data is not UTF-8", f"byte {exc.start}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"invalid TOML: {exc}") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None


def _load_dir(folder: Path, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    lang_dir = folder / lang
    if lang_dir.is_dir():
        for path in sorted(lang_dir.glob("*.toml")):
            merge(data, _read_toml(path))
    return data


@lru_cache(maxsize=32)
def _builtin(lang: str) -> dict[str, Any]:
    return _load_dir(BUILTIN_DIR, lang)


def sources(
    langs: Iterable[str | None], key: str, extra_dirs: Iterable[Path], inline: dict[str, Any], config: object
) -> str:
    """The files that set ``key`` in the data of ``langs`` (the user's; the built-in ones when no
    user file does), named for a message about one of its patterns."""
    found: list[str] = []
    for lang in filter(None, langs):
        table = inline.get(lang)
        if isinstance(table, dict) and key in table:
            found.append(f"{config or 'the configuration'}: [checks.data.{lang}] {key}")
        for folder in extra_dirs:
            for path in sorted((Path(folder) / lang).glob("*.toml")):
                try:
                    if key in _read_toml(path):
                        found.append(f"{path}: {key}")
                except InputError:
                    continue
    if not found:
        for lang in filter(None, langs):
            found += [f"{path}: {key}" for path in sorted((BUILTIN_DIR / lang).glob("*.toml")) if key in _read_toml(path)]
    return ", ".join(found) or f"language data: {key}"


def available_languages(extra_dirs: Iterable[Path] = ()) -> list[str]:
    langs = {p.name for p in BUILTIN_DIR.iterdir() if p.is_dir()}
    for folder in extra_dirs:
        if folder.is_dir():
            langs.update(p.name for p in folder.iterdir() if p.is_dir())
    return sorted(langs)


def load_language(
    lang: str, extra_dirs: Iterable[Path] = (), inline: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The merged data of one language (``{}`` for a language nobody described)."""
    data = copy.deepcopy(_builtin(lang))
    for folder in extra_dirs:
        merge(data, _load_dir(folder, lang))
    if inline:
        merge(data, inline)
    return data


@lru_cache(maxsize=256)
def _builtin_key(lang: str, key: str) -> dict[str, Any]:
    """``{key: value}`` of the built-in data of ``lang`` (``{}`` without it), reading only the
    files that name the key: the language check wants the function words of every language, not
    their other eight files. Keys merge independently, so this is the full load's value."""
    data: dict[str, Any] = {}
    lang_dir = BUILTIN_DIR / lang
    if lang_dir.is_dir():
        needle = key.encode("utf-8")
        for path in sorted(lang_dir.glob("*.toml")):
            try:
                if needle not in path.read_bytes():
                    continue
            except OSError:
                pass  # _read_toml says what is wrong
            found = _read_toml(path)
            if key in found:
                merge(data, {key: found[key]})
    return data


def load_language_keys(
    lang: str, keys: Iterable[str], extra_dirs: Iterable[Path] = (), inline: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``load_language(...)`` restricted to ``keys``, reading fewer built-in files."""
    data: dict[str, Any] = {}
    for key in keys:
        merge(data, copy.deepcopy(_builtin_key(lang, key)))
    wanted = set(data) | set(keys)
    for folder in extra_dirs:
        merge(data, {k: v for k, v in _load_dir(folder, lang).items() if k in wanted})
    if inline:
        merge(data, {k: v for k, v in inline.items() if k in wanted})
    return data


def word_set(data: dict[str, Any], key: str = "function_words") -> frozenset[str]:
    value = data.get(key, "")
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return frozenset(str(value).lower().split())


def str_list(data: dict[str, Any], key: str, where: str = "") -> list[str]:
    value = data.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(None, f"{where or key}: expected a list of strings")
    return value


# --- what each language has: the keys the check families read, for `relecture checks --lang` ---

# (check ids, what the data drives, key, how to summarise it). The families read these keys from
# the merged data of the target language (llm: of every language; source idioms and dates: of
# the source language too).
COVERAGE: tuple[tuple[str, str, str, str], ...] = (
    ("llm.preamble", "preambles", "preamble", "patterns"),
    ("llm.closing", "closing remarks", "closing", "patterns"),
    ("llm.translator-note", "translator's notes", "translator_note", "patterns"),
    ("llm.refusal", "refusals, 'as an AI'", "refusal", "patterns"),
    ("llm.truncated", "words no sentence ends on", "dangling_words", "words"),
    ("typography.quotes", "quotation marks", "quotes", "pairs"),
    ("typography.straight-quotes", "straight quotes flagged", "straight_quotes", "flag"),
    ("typography.fr-nbsp", "non-breaking space before", "nbsp_before", "chars"),
    ("typography.fr-guillemets", "spaces inside « »", "guillemets", "flag"),
    ("typography.ellipsis", "ellipsis character", "ellipsis", "flag"),
    ("typography.dash", "hyphen used as a dash", "dash", "flag"),
    ("typography.inverted-marks", "opening ¿ and ¡", "inverted_marks", "flag"),
    ("typography.fullwidth", "full-width punctuation", "fullwidth", "marks"),
    ("typography.cjk-space", "no space between characters", "no_spaces", "flag"),
    ("typography.repeated-word", "legitimate repeated words", "repeated_word", "ok"),
    ("cultural.humour", "humour and wordplay cues", "humour_cues", "patterns"),
    ("cultural.quip", "quip answers", "quip_answers", "answers"),
    ("cultural.relative-date", "relative dates", "relative_dates", "patterns"),
    ("cultural.deixis", "place deixis", "deixis", "patterns"),
    ("cultural.date-without-year", "day and month without year", "day_month", "patterns"),
    ("cultural.idiom", "idioms rendered word for word", "idiom", "entries"),
    ("cultural.literal-name", "names translated word for word", "name", "entries"),
    ("cultural.idiom", "source idioms (this language as source)", "source_idiom", "entries"),
    ("mismatch.date", "month names", "month_names", "months"),
    ("mismatch.date", "written date formats", "date_patterns", "patterns"),
    ("mismatch.date-order", "day/month orders", "date_order", "list"),
    ("mismatch.number", "number words", "number_words", "values"),
    ("language.wrong", "function words", "function_words", "words"),
)


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def describe(data: dict[str, Any], key: str, kind: str) -> str:
    """A short account of one key of a language's data ("" when the language has none)."""
    value = data.get(key)
    if value in (None, "", [], {}, False):
        return ""
    if kind == "flag":
        return "yes"
    if kind == "chars":
        return " ".join(str(value))
    if kind == "words":
        return _count(len(word_set(data, key)), "word")
    if kind == "pairs":
        return " ".join(f"{p[0]}…{p[1]}" for p in str_list(data, key) if len(p) == 2)
    if kind == "list":
        return ", ".join(str_list(data, key))
    if kind == "marks" and isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    if kind == "ok" and isinstance(value, dict):
        return _count(len(str_list(value, "ok")), "pair") if value.get("ok") else ""
    if kind == "values" and isinstance(value, dict):
        return _count(len(value), "value")
    if kind == "months" and isinstance(value, list):
        return _count(sum(len(m) for m in value if isinstance(m, list)), "form")
    if kind == "answers":
        return _count(len(str_list(data, key)), "answer")
    if kind == "entries" and isinstance(value, list):
        return _count(len(value), "entry").replace("entrys", "entries")
    return _count(len(value) if isinstance(value, list) else 1, "pattern")


def coverage(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(check id, what, account) for every key of ``COVERAGE`` the language has."""
    return [(check, what, text) for check, what, key, kind in COVERAGE if (text := describe(data, key, kind))]


# The columns of the coverage table (README, `relecture checks --lang all`): a heading and the
# keys whose presence it reports.
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("LLM phrases", ("preamble", "closing", "translator_note", "refusal")),
    ("relative dates, deixis", ("relative_dates", "deixis")),
    ("dates", ("month_names", "date_patterns", "date_order")),
    ("number words", ("number_words",)),
    ("humour cues", ("humour_cues",)),
    ("typography", ("quotes", "straight_quotes", "nbsp_before", "inverted_marks", "fullwidth", "no_spaces")),
    ("idioms", ("idiom", "source_idiom")),
)


def coverage_cell(data: dict[str, Any], keys: tuple[str, ...]) -> str:
    """One cell of the coverage table: what the language has of ``keys`` ("–" for nothing)."""
    if keys == ("month_names", "date_patterns", "date_order"):
        if not data.get("month_names") and not data.get("date_patterns"):
            return "–"
        return f"{len(data.get('month_names') or [])} months, {describe(data, 'date_order', 'list') or 'dmy, mdy'}"
    if keys[0] == "quotes":
        parts = [describe(data, "quotes", "pairs")]
        parts += [label for key, label in (("straight_quotes", '"…" flagged'), ("nbsp_before", "nbsp"),
                  ("inverted_marks", "¿ ¡"), ("fullwidth", "full-width"), ("no_spaces", "no spaces")) if data.get(key)]
        return ", ".join(p for p in parts if p) or "–"
    if keys == ("idiom", "source_idiom"):
        target, source = len(data.get("idiom") or []), len(data.get("source_idiom") or [])
        parts = ([f"{target} target"] if target else []) + ([f"{source} source"] if source else [])
        return ", ".join(parts) or "–"
    if keys == ("number_words",):
        return describe(data, "number_words", "values").split()[0] if data.get("number_words") else "–"
    total = sum(len(str_list(data, key)) for key in keys if data.get(key))
    return str(total) if total else "–"
