"""User rules from the configuration: a regular expression and what to say when it matches.

    [[checks.rules]]
    id = "no-contractions"            # becomes custom.no-contractions
    pattern = "\\b(?:c'est-à-dire|càd)\\b"
    side = "target"                   # target (default) or source
    message = "Write « c'est-à-dire » in full"
    severity = "minor"                # minor (default), major, critical, neutral
    category = "Style/Organization style"
    ignore_case = true                # default true
    explanation = "House style: no abbreviations."

Paired rules: a source pattern and the target text it requires, with back-references
(``\\1``, ``\\g<name>``) to what the source matched; the target side is a regular expression
in which each back-reference stands for the matched text, literally. The source match is flagged
when the target has no match.

    [[checks.pairs]]
    id = "gigabytes"                  # becomes custom.gigabytes
    source = "(\\d+) ?GB\\b"
    target = "\\1\\s?Go\\b"
    message = "GB is written Go in French"

Rules stay bounded: patterns of at most 500 characters, 20 source matches per segment, and
every pattern (both sides of a pair) searched within a time budget (``relecture.patterns``): a
rule over budget is named once on stderr and skipped, the run goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView
from relecture.errors import InputError
from relecture.model import SEVERITIES
from relecture.patterns import BadPattern, Pattern
from relecture.typology import is_known

FAMILY = "custom"
INFOS: list[CheckInfo] = []  # rules come from the configuration

MAX_PATTERN = 500
MAX_MATCHES = 20
_BACKREF = re.compile(r"\\(?:(\d+)|g<(\w+)>)")


@dataclass
class Rule:
    info: CheckInfo
    regex: Pattern
    side: str
    message: str
    suggestion: str | None
    # Paired rules: the target template (back-references in it) and its compiled forms.
    target: str | None = None
    flags: int = 0
    _compiled: dict[str, Pattern] | None = None
    where: str = ""  # the rule's file and place, for the warning of a pattern over budget
    gave_up: bool = False  # a target pattern went over budget: the pair is skipped from then on

    def required(self, m: Any) -> Pattern:
        """The target pattern for one source match (back-references replaced by its text)."""
        assert self.target is not None
        body = _BACKREF.sub(lambda b: re.escape(m.group(int(b.group(1)) if b.group(1) else b.group(2)) or ""), self.target)
        cache = self._compiled if self._compiled is not None else {}
        self._compiled = cache
        compiled = cache.get(body)
        if compiled is None:
            if len(cache) > 1024:
                cache.clear()
            compiled = cache[body] = Pattern(body, self.flags, f"{self.where}.target ({self.info.id})")
        return compiled


# What each kind of rule is called, where its patterns are, and its default category and message.
_KINDS: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "rules": ("a rule", ("pattern",), "Style", "Matches rule {id}"),
    "pairs": ("a paired rule", ("source", "target"), "Accuracy/Mistranslation", "The target lacks what rule {id} requires"),
}


def parse_rules(raw: Any, config_path: str | Path | None = None) -> list[Rule]:
    """Validate ``[[checks.rules]]``; errors name the config file and the rule."""
    return _parse("rules", raw, config_path, frozenset())


def parse_pairs(raw: Any, config_path: str | Path | None = None, taken: frozenset[str] = frozenset()) -> list[Rule]:
    """Validate ``[[checks.pairs]]`` (source pattern -> required target); ids share ``custom.``."""
    return _parse("pairs", raw, config_path, taken)


def _parse(kind: str, raw: Any, config_path: str | Path | None, taken: frozenset[str]) -> list[Rule]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError(config_path, f"[[checks.{kind}]] must be an array of tables", f"checks.{kind}")
    rules: list[Rule] = []
    seen = set(taken)
    for i, item in enumerate(raw):
        where = f"checks.{kind}[{i}]"
        if not isinstance(item, dict):
            raise InputError(config_path, f"{_KINDS[kind][0]} must be a table", where)
        rule = _rule(kind, item, config_path, where)
        if rule.info.id in seen:
            raise InputError(config_path, f"duplicate rule id {rule.info.id!r}", f"{where}.id")
        seen.add(rule.info.id)
        rules.append(rule)
    return rules


def _rule(kind: str, item: dict[str, Any], config_path: str | Path | None, where: str) -> Rule:
    what, keys, default_category, default_message = _KINDS[kind]
    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not re.fullmatch(r"[A-Za-z0-9][\w.-]*", rule_id):
        raise InputError(config_path, "a rule needs an id (letters, digits, . - _)", f"{where}.id")
    full_id = rule_id if rule_id.startswith("custom.") else f"custom.{rule_id}"
    flags = re.IGNORECASE if item.get("ignore_case", True) else 0
    patterns: dict[str, str] = {}
    for key in keys:
        value = item.get(key)
        if not isinstance(value, str) or not value:
            raise InputError(config_path, f"{what} needs a {key} pattern (a regular expression)", f"{where}.{key}")
        if len(value) > MAX_PATTERN:
            raise InputError(config_path, f"pattern longer than {MAX_PATTERN} characters", f"{where}.{key}")
        patterns[key] = value
    place = f"{config_path}: {where}" if config_path else where
    first = keys[0]
    try:
        compiled = Pattern(patterns[first], flags, f"{place}.{first} ({full_id})")
        if kind == "pairs":
            for ref in _BACKREF.finditer(patterns["target"]):
                number, name = ref.group(1), ref.group(2)
                if (number and int(number) > compiled.groups) or (name and name not in compiled.groupindex):
                    raise InputError(config_path, f"{ref.group()} names no group of the source pattern", f"{where}.target")
            first = "target"
            Pattern(_BACKREF.sub("x", patterns["target"]), flags)
    except BadPattern as exc:
        raise InputError(config_path, f"bad regular expression: {exc}", f"{where}.{first}") from None
    side = item.get("side", "target") if kind == "rules" else "source"
    if side not in ("target", "source"):
        raise InputError(config_path, "side must be 'target' or 'source'", f"{where}.side")
    severity = item.get("severity", "minor")
    if severity not in SEVERITIES:
        raise InputError(config_path, f"severity must be one of {', '.join(SEVERITIES)}", f"{where}.severity")
    category = item.get("category", default_category)
    if not isinstance(category, str) or not is_known(category):
        raise InputError(config_path, f"unknown MQM category {category!r}", f"{where}.category")
    message = item.get("message") or default_message.format(id=rule_id)
    if not isinstance(message, str):
        raise InputError(config_path, "message must be text", f"{where}.message")
    suggestion = item.get("suggestion") if kind == "rules" else None
    info = CheckInfo(
        id=full_id,
        family=FAMILY,
        category=category,
        severity=severity,
        description=message,
        explanation=str(item.get("explanation") or f"Project rule from the configuration: {message}"),
        needs_source=side == "source",
        custom=True,
    )
    return Rule(
        info, compiled, side, message, suggestion if isinstance(suggestion, str) else None,
        patterns.get("target") if kind == "pairs" else None, flags, where=place,
    )


def build(ctx: Context) -> Family:
    family = Family()
    rules: list[Rule] = [r for r in ctx.custom_rules if r.info.id in ctx.enabled]
    if not rules:
        return family

    def custom(view: SegmentView) -> Iterator[Finding]:
        for rule in rules:
            text = view.target if rule.side == "target" else view.source
            if not text:
                continue
            if rule.target is not None:
                for count, m in enumerate(rule.regex.finditer(text)):
                    if count >= MAX_MATCHES or rule.gave_up:
                        break
                    if m.end() == m.start():
                        continue
                    required = rule.required(m)
                    if required.search(view.target) is None:
                        if required.dead:  # no verdict from a pattern that gave up
                            rule.gave_up = True
                            break
                        yield (rule.info.id, "source", m.start(), m.end(), rule.message, None)
                continue
            for m in rule.regex.finditer(text):
                if m.end() > m.start():
                    yield (rule.info.id, rule.side, m.start(), m.end(), rule.message, rule.suggestion)

    family.segment_fns.append(custom)
    return family
