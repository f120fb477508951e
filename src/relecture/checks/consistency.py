"""Consistency: the same source sentence translated differently in two places of the document,
and the reverse, one translation given to two different source texts."""

from __future__ import annotations

from collections import Counter

from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView

FAMILY = "consistency"

# The [checks] settings this family reads (any other key there is an error).
SETTINGS = ("consistency_min_words",)

INFOS = [
    CheckInfo(
        id="consistency.target",
        family=FAMILY,
        category="Fluency/Inconsistency",
        severity="minor",
        description="Same source sentence translated differently elsewhere in the document",
        explanation=(
            "This source text occurs more than once and its translations differ. Unless the "
            "context calls for different renderings, use one translation everywhere (the most "
            "frequent one is shown)."
        ),
        needs_source=True,
    ),
    CheckInfo(
        id="consistency.source",
        family=FAMILY,
        category="Fluency/Inconsistency",
        severity="minor",
        description="One translation given to different source texts elsewhere in the document",
        explanation=(
            "This target text also translates a different source text. Either one of the two "
            "is a mistranslation (copied from a neighbour, a wrong memory match), or the sources "
            "differ in a way the translation should show."
        ),
        needs_source=True,
    ),
]

def _key(text: str) -> str:
    # A printable text holds no whitespace but U+0020 (the tests check every code point): without
    # double or edge spaces it is already spaced as the key spaces it, and is not split.
    if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
        text = " ".join(text.split())
    return text.rstrip(" .!?…。！？").casefold()


def build(ctx: Context) -> Family:
    family = Family()
    min_words = int(ctx.settings.get("consistency_min_words", 3))
    if ctx.on("consistency.source"):
        family.document_fns.append(lambda views: _reverse(ctx, views, min_words))
    if not ctx.on("consistency.target"):
        return family

    def consistency(views: list[SegmentView]) -> dict[int, list[Finding]]:
        # Grouped by exact source text first (cheap), then by normalised text: corpora repeat
        # segments, so each distinct text is normalised once (each text maps to its group).
        # Keys are (scope, text), or the text alone without scopes: no tuple built and hashed
        # per segment.
        scopes = ctx.scopes
        by_text: dict[str | tuple[str, str], list[SegmentView]] = {}
        groups: dict[str | tuple[str, str], list[SegmentView]] = {}
        merged: dict[int, list[SegmentView]] = {}
        for view in views:
            source = view.source
            if source is None or len(source) < 12 or not view.target.strip():
                continue
            text_key = (scopes[view.index], source) if scopes else source
            members = by_text.get(text_key)
            if members is None:
                key = (scopes[view.index], _key(source)) if scopes else _key(source)
                members = groups.get(key)
                if members is None:
                    members = groups[key] = []
                else:
                    merged[id(members)] = members
                by_text[text_key] = members
            members.append(view)
        for group in merged.values():
            group.sort(key=lambda v: v.index)  # document order
        target_keys: dict[str, str] = {}

        def target_key(text: str) -> str:
            key = target_keys.get(text)
            if key is None:
                key = target_keys[text] = _key(text)
            return key

        out: dict[int, list[Finding]] = {}
        for members in groups.values():
            if len(members) < 2 or len(members[0].source.split()) < min_words:  # type: ignore[union-attr]
                continue
            first_target = members[0].target
            if all(v.target == first_target for v in members):
                continue  # a segment repeated whole (the usual group): one translation
            keys = [target_key(v.target) for v in members]
            translations = Counter(keys)
            if len(translations) < 2:
                continue
            (usual, _), = translations.most_common(1)
            reference = members[keys.index(usual)]
            for v, member_key in zip(members, keys, strict=True):
                if member_key == usual:
                    continue
                out.setdefault(v.index, []).append(
                    (
                        "consistency.target", "target", 0, len(v.target),
                        f"Same source as segment {reference.id}, translated there as “{reference.target}” "
                        f"({len(members)} occurrences, {len(translations)} translations)",
                        reference.target,
                    )
                )
        return out

    family.document_fns.append(consistency)
    return family


def _entry(view: SegmentView) -> str:
    """The entry a segment comes from: a PO plural form ``N[i]`` belongs to entry ``N``."""
    return view.id.rpartition("[")[0] if view.plural is not None else view.id


def _reverse(ctx: Context, views: list[SegmentView], min_words: int) -> dict[int, list[Finding]]:
    """Targets shared by sources that differ (beyond case, spaces and final punctuation).

    Targets are grouped as written (one dict insertion a segment); sources are normalised only
    inside the rare groups of two or more."""
    scopes = ctx.scopes
    by_target: dict[str | tuple[str, str], list[SegmentView]] = {}
    for view in views:
        target = view.target
        if view.source is None or len(target) < 12 or target.count(" ") < min_words - 1:
            continue
        key = (scopes[view.index], target) if scopes else target  # no tuple per segment without scopes
        members = by_target.get(key)
        if members is None:
            by_target[key] = [view]
        else:
            members.append(view)
    out: dict[int, list[Finding]] = {}
    for members in by_target.values():
        if len(members) < 2:
            continue
        first_source = members[0].source
        if all(v.source == first_source for v in members):
            continue  # a segment repeated whole (the usual group): one source, one key
        keys = [_key(v.source or "") for v in members]
        if len(set(keys)) < 2:
            continue
        first, first_key = members[0], keys[0]  # views come in document order
        for v, member_key in zip(members, keys, strict=True):
            if member_key == first_key or _entry(v) == _entry(first):
                continue  # the forms of one plural entry: msgid and msgid_plural differ by design
            out.setdefault(v.index, []).append(
                (
                    "consistency.source", "target", 0, len(v.target),
                    f"Same translation as segment {first.id}, whose source differs: “{first.source}”",
                    None,
                )
            )
    return out
