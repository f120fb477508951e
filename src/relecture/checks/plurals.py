"""Plural forms of gettext entries: as many translated forms as the catalogue's Plural-Forms says.

Each form of a plural entry is its own segment (``meta["plural_index"]``), so the placeholder and
other checks already look at every form against its own source (msgid for the first form,
msgid_plural for the others). What is left here is the count: a catalogue declaring
``nplurals=3`` whose entry has two forms leaves the third case untranslated at run time (major,
on the missing form); one with more forms than declared carries forms gettext never shows (minor:
the header may be the one that is wrong).
"""

from __future__ import annotations

from collections.abc import Iterator

from relecture.checks.base import CheckInfo, Context, Family, Finding, SegmentView

FAMILY = "plurals"

INFOS = [
    CheckInfo(
        id="plurals.count",
        family=FAMILY,
        category="Fluency/Inconsistency",
        severity="minor",
        description="Plural entry with more forms than the header's Plural-Forms (nplurals)",
        explanation=(
            "The catalogue's header says how many plural forms the language has (nplurals); this "
            "entry has more, which gettext never shows and `msgfmt -c` refuses. Either the header "
            "or the entry is wrong: check which one the language needs. (Fewer forms than nplurals "
            "are flagged on each missing form, as plurals.empty.)"
        ),
        needs_source=True,
        fix="give the entry exactly nplurals forms, or correct the header",
    ),
    CheckInfo(
        id="plurals.empty",
        family=FAMILY,
        category="Accuracy/Omission",
        severity="major",
        description="A plural form the language needs is missing from the entry",
        explanation=(
            "The header's Plural-Forms asks for this form but the entry has no msgstr[i] for it: "
            "the sentence is untranslated for the numbers that use it (often 'few' or 'many')."
        ),
        needs_source=True,
    ),
]


def build(ctx: Context) -> Family:
    family = Family()
    count_on, empty_on = ctx.on("plurals.count"), ctx.on("plurals.empty")

    def forms(view: SegmentView) -> Iterator[Finding]:
        index, nplurals, present = view.plural or (0, 0, 0)
        if count_on and index == 0 and nplurals and present > nplurals:
            yield (
                "plurals.count", "target", 0, len(view.target),
                f"The entry has {present} plural form{'s' if present != 1 else ''}; "
                f"the header's Plural-Forms says nplurals={nplurals}", None,
            )
        if empty_on and not view.target.strip() and index >= present and present:
            yield (
                "plurals.empty", "target", 0, 0,
                f"Plural form {index} is missing from the entry (nplurals={nplurals})", None,
            )

    def document(views: list[SegmentView]) -> dict[int, list[Finding]]:
        out: dict[int, list[Finding]] = {}
        for view in views:
            if view.plural is not None:
                found = list(forms(view))
                if found:
                    out[view.index] = found
        return out

    if count_on or empty_on:
        family.document_fns.append(document)
    return family
