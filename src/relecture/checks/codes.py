"""Inline codes (XLIFF/TMX tags): the target must carry the source's codes, paired and in place.

A code is one character of the segment's texts (see ``relecture.model.CODE_BASE``); source and
target share one table, so a code is recognised on both sides by its kind and id. A missing code
breaks the merge back into the CAT tool or the document's formatting: critical. Order is checked
only for codes the format forbids to move (XLIFF 2 ``canReorder="no"``): elsewhere translators
may reorder codes with the words around them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView
from relecture.model import CODE_RE, code_index

FAMILY = "codes"
CATEGORY = "Design and markup/Markup tag"

INFOS = [
    CheckInfo(
        id="codes.missing",
        family=FAMILY,
        category=CATEGORY,
        severity="critical",
        description="Inline code of the source missing from the target",
        explanation=(
            "The source carries a formatting or placeholder code (a tag of the file format) that "
            "the target lacks. The translated file then loses the bold, the link or the variable, "
            "or the CAT tool refuses to merge it. Put the code back around or beside the words it "
            "belongs to."
        ),
        needs_source=True,
        fix="insert the code in the target",
    ),
    CheckInfo(
        id="codes.extra",
        family=FAMILY,
        category=CATEGORY,
        severity="major",
        description="Inline code in the target that the source does not have",
        explanation="The target holds a code the source has not: remove it unless the format allows adding it.",
        needs_source=True,
        fix="delete the code",
    ),
    CheckInfo(
        id="codes.duplicated",
        family=FAMILY,
        category=CATEGORY,
        severity="major",
        description="Inline code repeated in the target more often than in the source",
        explanation="A code appears more times in the target than in the source; a copy must go.",
        needs_source=True,
        fix="delete the copy",
    ),
    CheckInfo(
        id="codes.reordered",
        family=FAMILY,
        category=CATEGORY,
        severity="major",
        description="Codes the format forbids to move are in another order than in the source",
        explanation=(
            "The file marks these codes as not reorderable (canReorder=\"no\"): their order in "
            "the target must be the source's."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="codes.unbalanced",
        family=FAMILY,
        category=CATEGORY,
        severity="major",
        description="Paired code closed before it is opened, or opened and never closed",
        explanation=(
            "An opening code (bold on, a link start) and its closing code are paired in the "
            "source; in the target the closing one comes first or one of them is alone, which "
            "breaks the document's structure."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="codes.whitespace",
        family=FAMILY,
        category="Fluency/Punctuation",
        severity="minor",
        description="White space around an inline code differs from the source",
        explanation=(
            "The source has a space on one side of a code and the target not (or the reverse): "
            "words glued to a formatted span, or a stray space inside it."
        ),
        needs_source=True,
    ),
]

# Writing systems without spaces between words: space around codes means nothing there.
_NO_SPACES = frozenset({"zh", "ja", "th", "lo", "km", "my"})


def _identity(codes: list[Any], index: int) -> tuple[str, str]:
    code = codes[index]
    # The same code may be written with other attributes on the two sides (a ctype added):
    # kind and id identify it; a code without id is its markup.
    return (code.kind, code.id or code.markup)


_XLIFF2_CODES = frozenset({"pc", "ph", "sc", "ec"})
_XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2"


def _deletable(codes: list[Any], index: int) -> bool:
    """XLIFF 2 lets a translator drop a code unless it says canDelete="no" (the default is yes)."""
    code = codes[index]
    if code.kind == "closing" and not code.markup and code.pair is not None and code.pair < len(codes):
        code = codes[code.pair]  # a <pc>'s closing code: the start tag says it
    return code.element in _XLIFF2_CODES and _XLIFF2_NS in code.markup and 'canDelete="no"' not in code.markup


def _positions(text: str, codes: list[Any]) -> list[tuple[int, int]]:
    """(offset, table index) of each code character of ``text``."""
    out = []
    for offset, char in enumerate(text):
        index = code_index(char)
        if index is not None and index < len(codes):
            out.append((offset, index))
    return out


def build(ctx: Context) -> Family:
    family = Family()
    on = ctx.on
    if not any(on(info.id) for info in INFOS):
        return family
    spaced = ctx.target_lang not in _NO_SPACES

    def segment_codes(view: SegmentView) -> Iterator[Finding]:
        codes = view.codes
        source = view.source
        if not codes or source is None:
            return
        target = view.target
        if not target.strip():
            return  # untranslated: the empty-target check says so, once
        src = _positions(source, codes)
        trg = _positions(target, codes)
        src_ids = [_identity(codes, i) for _, i in src]
        trg_ids = [_identity(codes, i) for _, i in trg]
        src_count, trg_count = Counter(src_ids), Counter(trg_ids)
        label = {ident: codes[i].label for (_, i), ident in zip(src + trg, src_ids + trg_ids, strict=True)}
        seen: Counter[tuple[str, str]] = Counter()
        for (offset, index), ident in zip(src, src_ids, strict=True):
            seen[ident] += 1
            if seen[ident] > trg_count[ident] and not _deletable(codes, index):
                yield (
                    "codes.missing", "source", offset, offset + 1,
                    f"Code {label[ident]} of the source is missing from the target", None,
                )
        seen.clear()
        for (offset, _), ident in zip(trg, trg_ids, strict=True):
            seen[ident] += 1
            if not src_count[ident]:
                yield ("codes.extra", "target", offset, offset + 1, f"Code {label[ident]} is not in the source", None)
            elif seen[ident] > src_count[ident]:
                yield (
                    "codes.duplicated", "target", offset, offset + 1,
                    f"Code {label[ident]} appears {trg_count[ident]} times, {src_count[ident]} in the source", None,
                )
        # Order, for codes that may not move.
        fixed = {ident for (_, i), ident in zip(src, src_ids, strict=True) if codes[i].fixed}
        if fixed:
            common_src = [i for i in src_ids if i in fixed and trg_count[i]]
            common_trg = [(o, i) for (o, _), i in zip(trg, trg_ids, strict=True) if i in fixed and src_count[i]]
            if common_src != [i for _, i in common_trg]:
                for (offset, ident), expected in zip(common_trg, common_src, strict=False):
                    if ident != expected:
                        yield (
                            "codes.reordered", "target", offset, offset + 1,
                            f"Code {label[ident]} may not move: the source has {label[expected]} here", None,
                        )
                        break
        # Pairs: opening before closing in the target when the source has them so.
        where = {ident: o for (o, _), ident in zip(trg, trg_ids, strict=True)}
        src_where = {ident: o for (o, _), ident in zip(src, src_ids, strict=True)}
        for (_, i), ident in zip(src, src_ids, strict=True):
            code = codes[i]
            if code.kind != "opening" or code.pair is None or code.pair >= len(codes):
                continue
            partner = _identity(codes, code.pair)
            if partner not in src_where or src_where[partner] < src_where[ident]:
                continue  # the pair spans segments in the source: nothing to compare
            if ident in where and partner in where and where[partner] < where[ident]:
                yield (
                    "codes.unbalanced", "target", where[partner], where[partner] + 1,
                    f"Code {label[partner]} closes before {label[ident]} opens", None,
                )
            elif (ident in where) != (partner in where):
                alone = ident if ident in where else partner
                yield (
                    "codes.unbalanced", "target", where[alone], where[alone] + 1,
                    f"Code {label[alone]} is alone: its pair is not in the target", None,
                )
        if spaced and CODE_RE.sub("", target).strip():
            for (offset, _), ident in zip(trg, trg_ids, strict=True):
                if ident not in src_where:
                    continue
                s_at = src_where[ident]
                for step, name in ((-1, "before"), (1, "after")):
                    s_char = source[s_at + step] if 0 <= s_at + step < len(source) else ""
                    t_char = target[offset + step] if 0 <= offset + step < len(target) else ""
                    if not s_char or not t_char or code_index(s_char) is not None or code_index(t_char) is not None:
                        continue  # at an edge or against another code: nothing to compare
                    if s_char.isspace() != t_char.isspace():
                        has = "a space" if t_char.isspace() else "no space"
                        yield (
                            "codes.whitespace", "target", offset, offset + 1,
                            f"{has.capitalize()} {name} code {label[ident]}, unlike the source", None,
                        )

    def document_codes(views: list[SegmentView]) -> dict[int, list[Finding]]:
        # A document check, not a segment one: segment results are cached by text, and two
        # segments with the same text may have different code tables.
        out: dict[int, list[Finding]] = {}
        for view in views:
            if view.codes:
                found = list(segment_codes(view))
                if found:
                    out[view.index] = found
        return out

    family.document_fns.append(document_codes)
    return family
