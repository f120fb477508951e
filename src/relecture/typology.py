"""The error typology: MQM Core dimensions with their subtypes, the WMT (Anthea) names, and
the mapping to ITS 2.0 Localization Quality Issue types.

Categories are written ``Dimension/Subtype`` (``Accuracy/Mistranslation``), or the bare dimension,
as WMT MQM TSV files do. Both MQM Core and WMT names are accepted so imported data keeps its own
labels; ``its_type`` maps either to ITS.
"""

from __future__ import annotations

# MQM Core (themqm.org) with the WMT/Anthea names added where they differ.
MQM_TREE: dict[str, tuple[str, ...]] = {
    "Terminology": (
        "Inconsistent with terminology resource",
        "Inconsistent use of terminology",
        "Wrong term",
        "Inappropriate for context",
        "Inconsistent",
    ),
    "Accuracy": (
        "Mistranslation",
        "Overtranslation",
        "Undertranslation",
        "Addition",
        "Omission",
        "Do not translate",
        "Untranslated",
        "Source language fragment",
        "Creative Reinterpretation",
    ),
    "Fluency": (
        "Grammar",
        "Punctuation",
        "Spelling",
        "Unintelligible",
        "Character encoding",
        "Textual conventions",
        "Inconsistency",
        "Register",
    ),
    "Style": (
        "Organization style",
        "Third-party style",
        "Inconsistent with external reference",
        "Language register",
        "Awkward style",
        "Unidiomatic style",
        "Inconsistent style",
        "Unnatural or awkward",
        "Bad sentence structure",
    ),
    "Locale convention": (
        "Number",
        "Currency",
        "Measurement",
        "Time",
        "Date",
        "Address",
        "Telephone",
        "Name format",
        "Shortcut key",
    ),
    "Audience appropriateness": ("Culture-specific reference", "Offensive"),
    "Design and markup": (
        "Layout",
        "Markup tag",
        "Truncation/text expansion",
        "Missing text",
        "Link/cross-reference",
    ),
    "Other": (),
    "Non-translation!": (),
    "Source issue": (),
}

# Synonyms used by other tools for the same top-level dimension.
DIMENSION_ALIASES: dict[str, str] = {
    "Linguistic conventions": "Fluency",
    "Locale conventions": "Locale convention",
    "Source error": "Source issue",
    "Non-translation": "Non-translation!",
}

NON_TRANSLATION = "Non-translation!"
SOURCE_ISSUE_DIMENSIONS = frozenset({"Source issue", "Source error"})


def all_categories() -> list[str]:
    """Every selectable category, dimension first then its subtypes, in tree order."""
    out: list[str] = []
    for dimension, subtypes in MQM_TREE.items():
        out.append(dimension)
        out.extend(f"{dimension}/{sub}" for sub in subtypes)
    return out


def split_category(category: str) -> tuple[str, str]:
    """``'Accuracy/Mistranslation'`` -> ``('Accuracy', 'Mistranslation')``; subtype may be ''."""
    dimension, _, subtype = category.partition("/")
    dimension = DIMENSION_ALIASES.get(dimension.strip(), dimension.strip())
    return dimension, subtype.strip()


def is_known(category: str) -> bool:
    dimension, subtype = split_category(category)
    if dimension not in MQM_TREE:
        return False
    return not subtype or subtype in MQM_TREE[dimension]


_ITS_BY_SUBTYPE: dict[str, str] = {
    "Mistranslation": "mistranslation",
    "Overtranslation": "mistranslation",
    "Undertranslation": "mistranslation",
    "Creative Reinterpretation": "mistranslation",
    "Addition": "addition",
    "Omission": "omission",
    "Do not translate": "untranslated",
    "Untranslated": "untranslated",
    "Source language fragment": "untranslated",
    "Grammar": "grammar",
    "Punctuation": "typographical",
    "Spelling": "misspelling",
    "Unintelligible": "uncategorized",
    "Character encoding": "characters",
    "Textual conventions": "typographical",
    "Inconsistency": "inconsistency",
    "Register": "register",
    "Language register": "register",
    "Number": "numbers",
    "Markup tag": "markup",
    "Truncation/text expansion": "length",
    "Missing text": "omission",
    "Link/cross-reference": "inconsistent-entities",
    "Layout": "formatting",
    "Culture-specific reference": "locale-specific-content",
    "Offensive": "legal",
    "Inconsistent with terminology resource": "terminology",
    "Inconsistent use of terminology": "inconsistency",
    "Wrong term": "terminology",
    "Inappropriate for context": "terminology",
    "Inconsistent": "inconsistency",
}
_ITS_BY_DIMENSION: dict[str, str] = {
    "Terminology": "terminology",
    "Accuracy": "mistranslation",
    "Fluency": "grammar",
    "Style": "style",
    "Locale convention": "locale-violation",
    "Audience appropriateness": "locale-specific-content",
    "Design and markup": "markup",
    "Other": "other",
    "Non-translation!": "untranslated",
    "Source issue": "other",
}

ITS_TYPES: tuple[str, ...] = (
    "terminology", "mistranslation", "omission", "untranslated", "addition", "duplication",
    "inconsistency", "grammar", "legal", "register", "locale-specific-content",
    "locale-violation", "style", "characters", "misspelling", "typographical", "formatting",
    "inconsistent-entities", "numbers", "markup", "pattern-problem", "whitespace",
    "internationalization", "length", "non-conformance", "uncategorized", "other",
)


def its_type(category: str) -> str:
    """The ITS 2.0 locQualityIssueType closest to an MQM category."""
    dimension, subtype = split_category(category)
    if subtype in _ITS_BY_SUBTYPE:
        return _ITS_BY_SUBTYPE[subtype]
    return _ITS_BY_DIMENSION.get(dimension, "other")


# ITS locQualityIssueSeverity is 0-100; these are the values relecture writes and the
# thresholds it reads back with (anything above 85 is critical, above 40 major...).
ITS_SEVERITY: dict[str, int] = {"neutral": 0, "minor": 25, "major": 70, "critical": 100}


def severity_from_its(value: float) -> str:
    if value >= 85:
        return "critical"
    if value >= 40:
        return "major"
    if value > 0:
        return "minor"
    return "neutral"
