"""Dates compared as dates, for ``mismatch``: ``03/04/2025``, ``3. April 2025``, ``2025年4月3日``
and ``3 avril 2025`` are one date, not three numbers.

Numeric forms (``03/04/2025``, ``3.4.2025``, ``2025-04-03``) are read here; written forms, month
names and the day/month orders a language uses come from ``data/<lang>/dates.toml``
(``month_names``, ``date_patterns``, ``date_order``). A numeric date whose day and month can be
swapped (both at most 12) has two readings: when it pairs with the other side through a reading
its language does not use, the dates differ; through a reading it uses among others (English
writes both 04/03 and 03/04), it is a cue for the reviewer, not a mismatch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from relecture.checks.base import CheckInfo, Finding, SegmentView
from relecture.checks.matcher import LazyPattern, lazy_pattern, valid_pattern
from relecture.errors import InputError

INFOS = [
    CheckInfo(
        id="mismatch.date",
        family="mismatch",
        category="Accuracy/Mistranslation",
        severity="major",
        description="Date changed between source and target (compared as dates: 03/04/2025 = 3. April 2025 = 2025年4月3日)",
        explanation=(
            "The target's date is not the source's. Dates are read in both forms (numeric, "
            "written with the language's month names) and compared as dates, so a correct "
            "localisation passes: what remains is a wrong day, month or year, or a numeric date "
            "read in an order the language does not use (04.03.2025 is 4 March in German)."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="mismatch.date-order",
        family="mismatch",
        category="Locale convention/Date",
        severity="minor",
        description="Numeric date whose day/month order is ambiguous (03/04/2025: 3 April or March 4?)",
        explanation=(
            "The numeric date reads two ways and its language writes both orders (English: "
            "US month/day, British day/month). The target chose one reading; check which one the "
            "source means (its country, other dates in the document)."
        ),
        needs_source=True,
    ),
]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip

# d.m.y, d/m/y, m/d/y, d-m-y with a two- or four-digit year; y-m-d, y/m/d, y.m.d.
_NUMERIC = re.compile(
    r"(?<![\w.,/-])(?:(?P<y1>\d{4})(?P<s1>[-/.])(?P<a1>\d{1,2})(?P=s1)(?P<b1>\d{1,2})"
    r"|(?P<a2>\d{1,2})(?P<s2>[-/.])(?P<b2>\d{1,2})(?P=s2)(?P<y2>\d{4}|\d{2}))(?![\w/-]|[.,]\d)"
)
# What every date form has: a four-digit year, or digits separated by . / - (a numeric date).
# ASCII digits and one leading digit: three times faster than \d{4}|... on every segment.
_DATEISH = re.compile(r"[0-9](?:[0-9]{3}|[./-][0-9]{1,2}[./-][0-9])")
# Whether a numeric date may be there (\d[./-]\d{1,2}[./-]\d), found from its first separator:
# a scan for . / - runs faster than one testing \d's Unicode category at every character, and
# a scan for one literal (a pattern per separator) twice as fast as one for a class of three.
_HINT_DOT, _HINT_SLASH, _HINT_DASH = (re.compile(rf"\{sep}(?<=\d\{sep})\d{{1,2}}[./-]\d") for sep in "./-")
_WORDS = re.compile(r"\w+")
_ORDERS = frozenset({"dmy", "mdy", "ymd"})


@dataclass(frozen=True)
class Date:
    """A date found in a text; ``readings`` are (year, month, day) with the order each uses."""

    start: int
    end: int
    readings: tuple[tuple[int, int, int, str], ...]  # (year, month, day, "dmy"/"mdy"/"ymd"/"")

    @property
    def ambiguous(self) -> bool:
        return len({r[:3] for r in self.readings}) > 1


@dataclass(frozen=True)
class DateForms:
    """One language's date knowledge: written patterns (compiled; with whether they need a month
    name) and the orders it writes."""

    written: tuple[tuple[LazyPattern, bool], ...]
    month_of: dict[str, int]
    orders: tuple[str, ...]
    month_words: frozenset[str]
    # Whether every written pattern needs a month name: then a text without one, and without
    # the three digit runs of a numeric date, has no date.
    month_only: bool = False

    def find(self, text: str, words: list[str] | None = None) -> list[Date]:
        """The dates of ``text``; ``words``: its lower-cased words, when already at hand (a
        pattern with a month name runs only when one of them is a month's)."""
        if _DATEISH.search(text) is None:
            return []  # no year nor numeric date: most sentences, even with numbers
        return self._find(text, words)

    def _find(self, text: str, words: list[str] | None, runs: list[bytes] | None = None) -> list[Date]:
        """``find`` in a text known to hold a year or a numeric date's digits; ``runs``: its
        digit runs, when at hand (see ``_dateish``)."""
        found: list[Date] = []
        taken: list[tuple[int, int]] = []
        has_month: bool | None = None
        for regex, needs_month in self.written:
            if needs_month:
                if has_month is None:
                    has_month = not self.month_words.isdisjoint(words if words is not None else _WORDS.findall(text.lower()))
                if not has_month:
                    continue
            for m in regex.finditer(text):
                date = self._written(m)
                if date is not None and not any(s < date.end and date.start < e for s, e in taken):
                    found.append(date)
                    taken.append((date.start, date.end))
        # A numeric date has three digit runs.
        if (runs is None or len(runs) >= 3) and _numeric_hint(text):
            for m in _NUMERIC.finditer(text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                date = _numeric(m)
                if date is not None:
                    found.append(date)
        found.sort(key=lambda d: d.start)
        return found

    def _written(self, m: re.Match[str]) -> Date | None:
        groups = m.groupdict()
        name = groups.get("month")
        month = self.month_of.get(_fold(name)) if name else _int(groups.get("mn"))
        day = _int((groups.get("d") or "").rstrip(".ºª") or None) if groups.get("d") else 1
        year = _int(groups.get("y"))
        if not month or not 1 <= month <= 12 or day is None or not 1 <= day <= 31 or year is None:
            return None
        return Date(m.start(), m.end(), ((year, month, day, ""),))


def _numeric_hint(text: str) -> bool:
    """Whether ``text`` has digits, a separator, one or two digits, a separator and a digit."""
    return (
        ("." in text and _HINT_DOT.search(text) is not None)
        or ("/" in text and _HINT_SLASH.search(text) is not None)
        or ("-" in text and _HINT_DASH.search(text) is not None)
    )


def _fold(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


def _int(value: str | None) -> int | None:
    if not value:
        return None
    value = value.lower()
    if value in ("1er", "1º", "1ª", "1o"):
        return 1
    return int(value) if value.isdigit() else None


def _year(value: str) -> int:
    year = int(value)
    return year + 2000 if len(value) == 2 and year < 70 else year + 1900 if len(value) == 2 else year


def _numeric(m: re.Match[str]) -> Date | None:
    if m.group("y1"):
        year, month, day = int(m.group("y1")), int(m.group("a1")), int(m.group("b1"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return Date(m.start(), m.end(), ((year, month, day, "ymd"),))
        return None
    a, b, raw_year = int(m.group("a2")), int(m.group("b2")), m.group("y2")
    if len(raw_year) == 2 and (m.group("s2") == "-" or (m.group("s2") == "." and (len(m.group("a2")) < 2 or len(m.group("b2")) < 2))):
        return None  # 12-05-19, 1.10.12: a code, a range or a version more often than a date
    year = _year(raw_year)
    readings = []
    if 1 <= b <= 12 and 1 <= a <= 31:
        readings.append((year, b, a, "dmy"))
    if 1 <= a <= 12 and 1 <= b <= 31 and a != b:
        readings.append((year, a, b, "mdy"))
    return Date(m.start(), m.end(), tuple(readings)) if readings else None


def _str_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(None, f"{where}: expected a list of strings")
    return value


def month_forms(data: dict[str, Any], lang: str = "") -> list[list[str]]:
    """The 12 lists of a language's month names (``month_names``: full, genitive, abbreviated
    forms of January first), lower-cased; ``[]`` when the language has none."""
    raw = data.get("month_names", [])
    if not raw:
        return []
    if not isinstance(raw, list) or len(raw) != 12:
        raise InputError(None, f"language data {lang}: month_names must list the 12 months (January first)")
    return [[_fold(f) for f in _str_list(forms, f"language data {lang}: month_names")] for forms in raw]


def months_alternation(data: dict[str, Any], lang: str = "") -> str:
    """Every month form of the language as one regex alternation (longest first), or ""."""
    forms = {f for month in month_forms(data, lang) for f in month}
    forms.update(_fold(f) for f in _str_list(data.get("months", []), f"language data {lang}: months"))
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True))


def forms_of(data: dict[str, Any], lang: str = "", where: Callable[[], str] | None = None) -> DateForms:
    """The date forms of one language's data (cached by content); ``where`` names the files of
    its ``date_patterns`` should one go over its time budget."""
    months = month_forms(data, lang)
    patterns = tuple(_str_list(data.get("date_patterns", []), f"language data {lang}: date_patterns"))
    orders = tuple(_str_list(data.get("date_order", ["dmy", "mdy"]), f"language data {lang}: date_order"))
    bad = [o for o in orders if o not in _ORDERS]
    if bad:
        raise InputError(None, f"language data {lang}: date_order {bad[0]!r} is not dmy, mdy or ymd")
    forms = _compiled(lang, tuple(tuple(m) for m in months), patterns, orders)
    if where is not None:
        for compiled, _ in forms.written:  # the cache's patterns: named by their latest user
            compiled.where = where
    return forms


@lru_cache(maxsize=64)
def _compiled(
    lang: str, months: tuple[tuple[str, ...], ...], patterns: tuple[str, ...], orders: tuple[str, ...]
) -> DateForms:
    month_of = {form: i + 1 for i, forms in enumerate(months) for form in forms}
    names = "|".join(
        re.escape(f).replace(r"\ ", r"\s+") for f in sorted(month_of, key=len, reverse=True)
    )
    written: list[tuple[LazyPattern, bool]] = []
    for pattern in patterns:
        if "{month}" in pattern and not names:
            continue
        body = pattern.replace("{month}", f"(?P<month>{names})")
        # Compiled at the first text with a date's digits (a bad pattern is refused now).
        where = f"language data {lang}: date_patterns"
        written.append((lazy_pattern(valid_pattern(body, where, re.IGNORECASE), re.IGNORECASE, where), "{month}" in pattern))
    # A month form's words (forms of several words need their first word in the text).
    month_words = frozenset(form.split()[0] for form in month_of)
    return DateForms(tuple(written), month_of, orders, month_words, all(needs for _, needs in written))


def _spell(reading: tuple[int, int, int, str]) -> str:
    year, month, day, _ = reading
    return f"{day} {MONTHS[month - 1]} {year}"


def _pair(s: Date, t: Date, s_orders: tuple[str, ...], t_orders: tuple[str, ...]) -> tuple[int, int, int, str, str] | None:
    """The reading the two dates share, preferring orders each language uses: (y, m, d, source
    order, target order), or None."""
    best: tuple[int, tuple[int, int, int, str, str]] | None = None
    for sr in s.readings:
        for tr in t.readings:
            if sr[:3] != tr[:3]:
                continue
            cost = (sr[3] not in s_orders and sr[3] != "") + (tr[3] not in t_orders and tr[3] != "")
            if best is None or cost < best[0]:
                best = (cost, (*sr[:3], sr[3], tr[3]))
    return best[1] if best else None


def _dateish(text: str, runs: list[bytes] | None) -> bool:
    """``_DATEISH.search(text) is not None``, settled without the search by the text's digit
    runs when they can: a run of four ASCII digits is a year; fewer than three runs, none of four
    characters (a UTF-8 encoded digit has more bytes), hold neither a year nor a numeric date."""
    if runs is not None:
        n = len(runs)
        if n < 3 and (not n or (len(runs[0]) < 4 and (n == 1 or len(runs[1]) < 4))):
            return False
        for run in runs:  # a loop, not max(map(len, ...)): the year comes early
            if len(run) >= 4:
                if b"".join(runs).isdigit():  # ASCII digits only
                    return True
                break
    return _DATEISH.search(text) is not None


def compare(
    view: SegmentView, source_forms: DateForms, target_forms: DateForms,
    runs: tuple[list[bytes], list[bytes]] | None = None,
) -> tuple[list[Finding], list[tuple[int, int, int, int]]]:
    """Date findings for one segment, and the spans (side 0/1, start, end, 0) of the dates
    compared, whose digits the number check must not count again. ``runs``: the digit runs of
    the source and the target (ASCII digits as they are, others UTF-8 encoded), when at hand."""
    source, target = view.source or "", view.target
    s_runs, t_runs = runs if runs is not None else (None, None)
    # No month name in the target: only a numeric date can be there, which needs three digit
    # runs and the hint. Settles most targets before ``_dateish``'s tests and ``_find``.
    if (
        t_runs is not None and target_forms.month_only and target_forms.month_words.isdisjoint(view.words)
        and (len(t_runs) < 3 or not _numeric_hint(target))
    ):
        return [], []
    if not _dateish(source, s_runs) or not _dateish(target, t_runs):
        return [], []
    # The target first: its words are at hand (every family reads them), the source's are not.
    t_dates = target_forms._find(target, view.words, t_runs)
    if not t_dates:
        return [], []
    s_dates = source_forms._find(source, view.source_words, s_runs)
    if not s_dates:
        return [], []
    findings: list[Finding] = []
    spans: list[tuple[int, int, int, int]] = []
    left = list(t_dates)
    unpaired: list[Date] = []
    for s in s_dates:
        match = None
        for t in left:
            shared = _pair(s, t, source_forms.orders, target_forms.orders)
            if shared is not None:
                match = (t, shared)
                break
        if match is None:
            unpaired.append(s)
            continue
        t, (year, month, day, s_order, t_order) = match
        left.remove(t)
        spans += [(0, s.start, s.end, 0), (1, t.start, t.end, 0)]
        for date, order, orders, side, text, other_date, other_orders in (
            (s, s_order, source_forms.orders, "source", source, t, target_forms.orders),
            (t, t_order, target_forms.orders, "target", target, s, source_forms.orders),
        ):
            if not date.ambiguous:
                continue
            other = _spell(next(r for r in date.readings if r[3] != order))
            shown = text[date.start : date.end]
            said = _spell((year, month, day, ""))
            if order not in orders:
                # The pairing needs an order this side's language does not write: the target
                # is wrong, whichever side holds the numeric date.
                findings.append((
                    "mismatch.date", "target", t.start, t.end,
                    f"The source's “{shown}” is {other} in its language's day/month order; the target says {said}"
                    if side == "source"
                    else f"“{shown}” is {other} in the target language's day/month order; the source says {said}",
                    None,
                ))
            elif (
                len(orders) > 1
                and (not other_date.ambiguous or len(other_orders) == 1)
                and source[s.start : s.end] != target[t.start : t.end]
            ):
                # The other side settled on one reading of a date this side's language writes
                # both ways (a date copied as it is settles nothing): a human must know which.
                findings.append((
                    "mismatch.date-order", side, date.start, date.end,
                    f"“{shown}” was read as {said}; in the other day/month order it is {other}: which one is meant?",
                    None,
                ))
    # Dates left on both sides, in order: the same date changed.
    for s, t in zip(unpaired, left, strict=False):
        readings = " or ".join(dict.fromkeys(_spell(r) for r in s.readings))
        findings.append((
            "mismatch.date", "target", t.start, t.end,
            f"Date “{target[t.start:t.end]}” is not the source's “{source[s.start:s.end]}” ({readings})",
            None,
        ))
        spans += [(0, s.start, s.end, 0), (1, t.start, t.end, 0)]
    return findings, spans


def blank(text: str, spans: list[tuple[int, int, int, int]], side: int) -> str:
    """``text`` with the dates of ``side`` (0 source, 1 target) replaced by spaces (offsets kept)."""
    for s_side, start, end, _ in spans:
        if s_side == side:
            text = text[:start] + " " * (end - start) + text[end:]
    return text
