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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView
from relecture.errors import InputError
from relecture.model import SEVERITIES
from relecture.typology import is_known

FAMILY = "custom"
INFOS: list[CheckInfo] = []  # rules come from the configuration


@dataclass
class Rule:
    info: CheckInfo
    regex: re.Pattern[str]
    side: str
    message: str
    suggestion: str | None


def parse_rules(raw: Any, config_path: object = None) -> list[Rule]:
    """Validate ``[[checks.rules]]``; errors name the config file and the rule."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError(config_path, "[[checks.rules]] must be an array of tables", "checks.rules")
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
        flags = re.IGNORECASE if item.get("ignore_case", True) else 0
        try:
            regex = re.compile(pattern, flags)
        except re.error as exc:
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
        rules.append(Rule(info, regex, side, message, suggestion if isinstance(suggestion, str) else None))
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
            for m in rule.regex.finditer(text):
                if m.end() > m.start():
                    yield (rule.info.id, rule.side, m.start(), m.end(), rule.message, rule.suggestion)

    family.segment_fns.append(custom)
    return family
