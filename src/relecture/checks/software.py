"""Software strings: what a program reads in a translated string besides its words.

- Accelerators (keyboard mnemonics): ``_Delete`` (GTK), ``&Open`` (Qt, Windows, Mozilla),
  ``~Save`` (LibreOffice). The markers looked for depend on the file: PO ``_ & ~``, XLIFF and TMX
  ``&``, nothing in prose formats; ``[checks] accelerators = "&"`` sets them ("" turns the check
  off). The CJK form ``打开(&O)`` counts.
- Line breaks and tabs, as characters or as the escapes ``\\n``/``\\t``, added or dropped,
  including a trailing line break (a program often joins strings on it).
- Format strings, when the file says the string is one (PO ``#, c-format``, ``python-format``,
  ``python-brace-format``): a lone ``%`` the program would read as a directive (French "50 % de"
  in a c-format string is the directive ``% d``), printf arguments reordered without
  ``%1$s`` positions, an unbalanced brace. A placeholder missing altogether is
  ``mismatch.placeholder``'s finding, not repeated here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView

FAMILY = "software"

# The [checks] settings this family reads (any other key there is an error).
SETTINGS = ("accelerators",)

INFOS = [
    CheckInfo(
        id="software.accelerator",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="major",
        description="Keyboard accelerator (_Delete, &Open, ~Save, 打开(&O)) missing, added or doubled",
        explanation=(
            "The marker before a letter makes it the menu or button's keyboard shortcut. A "
            "target without it loses the shortcut; two markers make it ambiguous. Put one marker "
            "before a letter of the translation (or the CJK form “(&O)” at the end)."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="software.line-break",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="minor",
        description="Line breaks or tabs (\\n, \\t) added or dropped, including a final one",
        explanation=(
            "A program lays out or joins its strings on their line breaks and tabs: the target "
            "must have the source's (a final line break above all). Add or remove them to match "
            "unless the layout of this language needs otherwise."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="software.format",
        family=FAMILY,
        category="Design and markup/Markup tag",
        severity="major",
        description="Format string broken: lone % (50 % de → “% d”), printf arguments reordered, unbalanced { }",
        explanation=(
            "The file marks this string as a format string (c-format, python-format, "
            "python-brace-format): the program reads every % (or brace) in it. Write a percent "
            "sign as %%, a brace as {{ or }}, and give reordered printf arguments their "
            "positions (%1$s, %2$d)."
        ),
        needs_source=True,
    ),
]

# Default accelerator markers per imported format (prose formats have none).
DEFAULT_MARKERS = {"po": "_&~", "xliff": "&", "tmx": "&"}
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);")
_URL = re.compile(r"\S+://\S+|www\.\S+|\S+@\S+\.\w+")
_PRINTF = re.compile(
    r"%(?:(?P<pos>\d+)\$)?(?P<flags>[-+ #0']*)(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t|I64|I32)?(?P<conv>[diouxXeEfFgGaAcspn%@])"
)
_PYTHON = re.compile(r"%(?:\((?P<name>[^()]*)\))?(?P<flags>[-+ #0]*)(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<conv>[diouxXeEfFgGcrsa%])")
_BRACES = re.compile(r"\{\{|\}\}|\{[^{}]*\}|[{}]")


def _markers(ctx: Context) -> str:
    configured = ctx.settings.get("accelerators")
    if isinstance(configured, str):
        return configured
    return DEFAULT_MARKERS.get(ctx.file_format or "", "")


def _accelerators(text: str, marker: str) -> list[tuple[int, int]]:
    """Spans of ``marker`` + letter or digit that read as a mnemonic."""
    if marker not in text:
        return []
    out: list[tuple[int, int]] = []
    blocked = [m.span() for m in _URL.finditer(text)] if "/" in text or "@" in text else []
    if marker == "&":
        blocked += [m.span() for m in _ENTITY.finditer(text)]
    i = text.find(marker)
    while i >= 0:
        nxt = text[i + 1 : i + 2]
        prev = text[i - 1 : i]
        if nxt == marker:  # "&&", "__": an escaped marker
            i = text.find(marker, i + 2)
            continue
        ok = nxt.isalnum() and not any(s <= i < e for s, e in blocked)
        if ok and marker == "_" and (prev.isalnum() or prev == "_"):
            ok = False  # field_name: an identifier, not a mnemonic
        if ok and marker in "&~" and prev.isalnum() and nxt.isalnum() and not nxt.isupper():
            ok = False  # "R&D", "a~b": a mnemonic inside a word is written before its capital or after a space
        if ok:
            out.append((i, i + 2))
        i = text.find(marker, i + 1)
    return out


def _breaks(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for what in ("\n", "\t", "\\n", "\\t"):
        n = text.count(what)
        if n:
            counts[what] = n
    return counts


_NAMES = {"\n": "line break", "\t": "tab", "\\n": "\\n escape", "\\t": "\\t escape"}


def _format_findings(source: str, target: str, flags: tuple[str, ...]) -> Iterator[Finding]:
    if "c-format" in flags or "objc-format" in flags:
        regex = _PRINTF
    elif "python-format" in flags:
        regex = _PYTHON
    else:
        regex = None
    if regex is not None and "%" in target:
        s_dirs = [m for m in regex.finditer(source) if m.group("conv") != "%"]
        t_dirs = [m for m in regex.finditer(target) if m.group("conv") != "%"]
        covered = [m.span() for m in regex.finditer(target)]
        for i, ch in enumerate(target):
            if ch == "%" and not any(s <= i < e for s, e in covered):
                yield (
                    "software.format", "target", i, i + 1,
                    "Lone “%” in a format string: write “%%” for a percent sign", "%%",
                )
        s_spaced = sum(1 for m in s_dirs if " " in m.group("flags"))
        for m in t_dirs:
            if " " in m.group("flags") and s_spaced == 0:
                yield (
                    "software.format", "target", m.start(), m.end(),
                    f"“{m.group()}” is read as a directive in a format string: write “%%” for a percent sign",
                    None,
                )
        if regex is _PRINTF:
            s_seq = [m.group("conv") for m in s_dirs if not m.group("pos")]
            t_seq = [m.group("conv") for m in t_dirs if not m.group("pos") and " " not in m.group("flags")]
            if s_seq != t_seq and sorted(s_seq) == sorted(t_seq) and len(s_seq) > 1:
                first = next(m for m in t_dirs if not m.group("pos"))
                yield (
                    "software.format", "target", first.start(), first.end(),
                    "printf arguments in another order than the source's: number them (%1$s, %2$d)",
                    None,
                )
    if "python-brace-format" in flags and ("{" in target or "}" in target):
        for m in _BRACES.finditer(target):
            if m.group() in ("{", "}"):
                yield (
                    "software.format", "target", m.start(), m.end(),
                    f"Unbalanced “{m.group()}” in a brace format string: write “{m.group() * 2}”",
                    m.group() * 2,
                )


def build(ctx: Context) -> Family:
    family = Family()
    on = ctx.on
    markers = _markers(ctx) if on("software.accelerator") else ""
    breaks_on = on("software.line-break") and ctx.file_format not in (None, "text", "mqm")
    format_on = on("software.format")

    def software(view: SegmentView) -> Iterator[Finding]:
        source = view.source
        target = view.target
        if not source or not target:
            return
        for marker in markers:
            if marker not in source and marker not in target:
                continue
            s_acc = _accelerators(source, marker)
            t_acc = _accelerators(target, marker)
            if len(s_acc) == len(t_acc) or len(s_acc) > 1:
                continue  # several in the source: not a mnemonic (a shortcut list, markup)
            if s_acc and not t_acc:
                start, end = s_acc[0]
                yield (
                    "software.accelerator", "source", start, end,
                    f"Accelerator “{source[start:end]}” of the source has no “{marker}” in the target", None,
                )
            elif t_acc and not s_acc:
                start, end = t_acc[0]
                yield (
                    "software.accelerator", "target", start, end,
                    f"Accelerator “{target[start:end]}” in the target, none in the source", "",
                )
            else:
                start, end = t_acc[1]
                yield (
                    "software.accelerator", "target", start, end,
                    f"{len(t_acc)} accelerators “{marker}” in the target, one in the source", None,
                )
        if breaks_on and ("\n" in source or "\n" in target or "\t" in source or "\t" in target or "\\" in source or "\\" in target):
            s_count, t_count = _breaks(source), _breaks(target)
            if s_count != t_count:
                for what in sorted(set(s_count) | set(t_count)):
                    if s_count[what] != t_count[what]:
                        yield (
                            "software.line-break", "target", 0, len(target),
                            f"{_NAMES[what]}: {s_count[what]} in the source, {t_count[what]} in the target", None,
                        )
            elif source.endswith("\n") != target.endswith("\n"):
                yield (
                    "software.line-break", "target", 0, len(target),
                    "The source ends with a line break and the target does not" if source.endswith("\n")
                    else "The target ends with a line break and the source does not",
                    None,
                )
        if format_on and view.flags:
            yield from _format_findings(source, target, view.flags)

    family.segment_fns.append(software)
    return family
