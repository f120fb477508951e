"""Automatic checks: one module per family, and the engine that runs them on a document.

This package face only re-exports; each job has its module:

- ``registry``: ``FAMILIES``, ``CHECKS`` (``{check id: CheckInfo}``, in family order),
  ``check_info(check_id, config=None)`` (custom rules need their config), ``select_checks``;
- ``settings``: ``CheckSettings``, the ``[checks]`` table validated (unknown keys rejected);
- ``langguess``: the languages of a document that does not say;
- ``engine``: ``Checker`` and ``run_checks(doc, config=None, glossary=None, only=None,
  skip=None) -> {segment id: [Flag]}``;
- ``results``: ``apply_flags(doc, results)`` / ``flag_changes(doc, results)`` put the results on
  the document (directly, or as journaled ``set_flags`` changes); dismissals (flag keys) are
  left alone, so a dismissed flag found again stays dismissed;
- ``matcher``: the regex pre-filter the families share (``Matcher``).

A flag's ``suggestion``, when not None, is replacement text for the flagged span ("" = delete).
``run`` checks ``Segment.target`` (the translation as imported); ``run_post_edits`` checks the
post-edits (the final text) into ``Segment.post_edit_flags``, so flag offsets always index the
text they were computed on and the two kinds of flags never mix.
"""

from __future__ import annotations

from relecture.checks.base import CheckInfo
from relecture.checks.engine import PARALLEL_THRESHOLD, Checker, run_checks
from relecture.checks.registry import CHECKS, FAMILIES, check_info, select_checks
from relecture.checks.results import apply_flags, apply_post_edit_flags, flag_changes
from relecture.checks.settings import CheckSettings

__all__ = [
    "CHECKS",
    "FAMILIES",
    "PARALLEL_THRESHOLD",
    "CheckInfo",
    "CheckSettings",
    "Checker",
    "apply_flags",
    "apply_post_edit_flags",
    "check_info",
    "flag_changes",
    "run_checks",
    "select_checks",
]
