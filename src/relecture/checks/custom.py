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

Rules stay bounded: patterns of at most 500 characters, 20 source matches per segment.

Patterns come from a file the user may not have written, and a regular expression can take
exponential time (``(a|aa)+$`` on forty letters). Rules run on the ``regex`` package, which
defuses many such patterns outright and stops any match after a time budget per segment: a
rule over budget ends the run with a one-line error naming the rule, rather than a hang that
neither ``q`` nor ctrl+c could end (Python's ``re`` holds the interpreter until it is done).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from relecture import patterns as bounded
from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView
from relecture.errors import InputError
from relecture.model import SEVERITIES
from relecture.typology import is_known

FAMILY = "custom"
INFOS: list[CheckInfo] = []  # rules come from the configuration
# Seconds one rule may spend on one segment; an ordinary pattern needs microseconds.
RULE_BUDGET = 0.25


@dataclass
class Rule:
    info: CheckInfo
    regex: Any  # regex.Pattern (the regex package's, for its timeout)
    side: str
    message: str
    suggestion: str | None
    # Paired rules: the target template (back-references in it) and its compiled forms.
    target: str | None = None
    flags: int = 0
    _compiled: dict[str, Any] | None = None  # regex.Pattern by target body
    config_path: object = None
    where: str = ""

    def required(self, m: Any) -> Any:
        """The target regex for one source match (back-references replaced by its text)."""
        assert self.target is not None
        body = _BACKREF.sub(lambda b: re.escape(m.group(int(b.group(1)) if b.group(1) else b.group(2)) or ""), self.target)
        cache = self._compiled if self._compiled is not None else {}
        self._compiled = cache
        regex = cache.get(body)
        if regex is None:
            if len(cache) > 1024:
                cache.clear()
            compiled = cache[body] = bounded.compile_pattern(body, self.flags)
            return compiled
        return regex

    def finditer(self, text: str, segment: str) -> Iterator[Any]:
        try:
            # concurrent: the interpreter (the UI's event loop, a ctrl+c) runs meanwhile.
            yield from bounded.finditer(self.regex, text, RULE_BUDGET)
        except TimeoutError:
            raise self._over_budget(segment, "source" if self.target is not None else "pattern") from None

    def target_holds(self, m: Any, target: str, segment: str) -> bool:
        """Whether ``target`` has what a paired rule requires for the source match ``m``."""
        try:
            return bounded.search(self.required(m), target, RULE_BUDGET)
        except TimeoutError:
            raise self._over_budget(segment, "target") from None

    def _over_budget(self, segment: str, key: str) -> InputError:
        return InputError(
            self.config_path,
            f"rule {self.info.id} gave up after {RULE_BUDGET:g} s on segment {segment}: the pattern "
            "backtracks too much (nested repeats such as (a|aa)+); simplify it",
            f"{self.where}.{key}",
        )


MAX_PATTERN = 500
MAX_MATCHES = 20
_BACKREF = re.compile(r"\\(?:(\d+)|g<(\w+)>)")


def parse_rules(raw: Any, config_path: object = None) -> list[Rule]:
    """Validate ``[[checks.rules]]``; errors name the config file and the rule."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError(config_path, "[[checks.rules]] must be an array of tables", "checks.rules")
    import regex  # only with rules: its import is a sixth of a small file's check

    rules: list[Rule] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"checks.rules[{i}]"
        if not isinstance(item, dict):
            raise InputError(config_path, "a rule must be a table", where)
        rule_id = item.get("id")
        pattern = item.get("pattern")
        if not isinstance(rule_id, str) or not re.fullmatch(r"[A-Za-z0-9][\w.-]*", rule_id):
            raise InputError(config_path, "a rule needs an id (letters, digits, . - _)", f"{where}.id")
        full_id = rule_id if rule_id.startswith("custom.") else f"custom.{rule_id}"
        if full_id in seen:
            raise InputError(config_path, f"duplicate rule id {full_id!r}", f"{where}.id")
        seen.add(full_id)
        if not isinstance(pattern, str) or not pattern:
            raise InputError(config_path, "a rule needs a pattern (a regular expression)", f"{where}.pattern")
        flags = regex.IGNORECASE if item.get("ignore_case", True) else 0
        try:
            compiled = bounded.compile_pattern(pattern, flags)
        except bounded.PATTERN_ERRORS as exc:
            raise InputError(config_path, f"bad regular expression: {exc}", f"{where}.pattern") from None
        side = item.get("side", "target")
        if side not in ("target", "source"):
            raise InputError(config_path, "side must be 'target' or 'source'", f"{where}.side")
        severity = item.get("severity", "minor")
        if severity not in SEVERITIES:
            raise InputError(config_path, f"severity must be one of {', '.join(SEVERITIES)}", f"{where}.severity")
        category = item.get("category", "Style")
        if not isinstance(category, str) or not is_known(category):
            raise InputError(config_path, f"unknown MQM category {category!r}", f"{where}.category")
        message = item.get("message") or f"Matches rule {rule_id}"
        if not isinstance(message, str):
            raise InputError(config_path, "message must be text", f"{where}.message")
        suggestion = item.get("suggestion")
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
        rules.append(Rule(
            info, compiled, side, message, suggestion if isinstance(suggestion, str) else None,
            config_path=config_path, where=where,
        ))
    return rules


def parse_pairs(raw: Any, config_path: object = None, taken: frozenset[str] = frozenset()) -> list[Rule]:
    """Validate ``[[checks.pairs]]`` (source pattern -> required target); ids share ``custom.``."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError(config_path, "[[checks.pairs]] must be an array of tables", "checks.pairs")

    rules: list[Rule] = []
    seen = set(taken)
    for i, item in enumerate(raw):
        where = f"checks.pairs[{i}]"
        if not isinstance(item, dict):
            raise InputError(config_path, "a paired rule must be a table", where)
        rule_id = item.get("id")
        if not isinstance(rule_id, str) or not re.fullmatch(r"[A-Za-z0-9][\w.-]*", rule_id):
            raise InputError(config_path, "a rule needs an id (letters, digits, . - _)", f"{where}.id")
        full_id = rule_id if rule_id.startswith("custom.") else f"custom.{rule_id}"
        if full_id in seen:
            raise InputError(config_path, f"duplicate rule id {full_id!r}", f"{where}.id")
        seen.add(full_id)
        flags = re.IGNORECASE if item.get("ignore_case", True) else 0
        patterns: dict[str, str] = {}
        for key in ("source", "target"):
            value = item.get(key)
            if not isinstance(value, str) or not value:
                raise InputError(config_path, f"a paired rule needs a {key} pattern", f"{where}.{key}")
            if len(value) > MAX_PATTERN:
                raise InputError(config_path, f"pattern longer than {MAX_PATTERN} characters", f"{where}.{key}")
            patterns[key] = value
        try:
            source = bounded.compile_pattern(patterns["source"], flags)  # for its time budget
        except bounded.PATTERN_ERRORS as exc:
            raise InputError(config_path, f"bad regular expression: {exc}", f"{where}.source") from None
        for ref in _BACKREF.finditer(patterns["target"]):
            number, name = ref.group(1), ref.group(2)
            if (number and int(number) > source.groups) or (name and name not in source.groupindex):
                raise InputError(config_path, f"{ref.group()} names no group of the source pattern", f"{where}.target")
        try:
            re.compile(_BACKREF.sub("x", patterns["target"]), flags)
        except re.error as exc:
            raise InputError(config_path, f"bad regular expression: {exc}", f"{where}.target") from None
        severity = item.get("severity", "minor")
        if severity not in SEVERITIES:
            raise InputError(config_path, f"severity must be one of {', '.join(SEVERITIES)}", f"{where}.severity")
        category = item.get("category", "Accuracy/Mistranslation")
        if not isinstance(category, str) or not is_known(category):
            raise InputError(config_path, f"unknown MQM category {category!r}", f"{where}.category")
        message = item.get("message") or f"The target lacks what rule {rule_id} requires"
        if not isinstance(message, str):
            raise InputError(config_path, "message must be text", f"{where}.message")
        info = CheckInfo(
            id=full_id,
            family=FAMILY,
            category=category,
            severity=severity,
            description=message,
            explanation=str(item.get("explanation") or f"Project rule from the configuration: {message}"),
            needs_source=True,
            custom=True,
        )
        rules.append(Rule(
            info, source, "source", message, None, patterns["target"], flags, config_path=config_path, where=where
        ))
    return rules


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
                for count, m in enumerate(rule.finditer(text, view.id)):
                    if count >= MAX_MATCHES:
                        break
                    if m.end() > m.start() and not rule.target_holds(m, view.target, view.id):
                        yield (rule.info.id, "source", m.start(), m.end(), rule.message, None)
                continue
            for m in rule.finditer(text, view.id):
                if m.end() > m.start():
                    yield (rule.info.id, rule.side, m.start(), m.end(), rule.message, rule.suggestion)

    family.segment_fns.append(custom)
    return family
