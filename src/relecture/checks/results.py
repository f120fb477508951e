"""Check results put on a document: directly, or as journaled ``set_flags`` changes.

One order for a segment's flags (``flag_order``), used by the engine and when a partial run's
flags join the kept ones: a re-run that finds the same flags compares equal, and nothing is
rewritten."""

from __future__ import annotations

from collections.abc import Iterable

from relecture.changes import Change, set_flags, set_post_edit_flags
from relecture.model import Flag, ReviewDocument


def flag_order(flag: Flag) -> tuple[bool, int, int, str]:
    """Target flags first, then by position, then by check id."""
    return (flag.side != "target", flag.start, flag.end, flag.check)


def merged_flags(kept: list[Flag], new: list[Flag]) -> list[Flag]:
    """A partial run's ``new`` flags beside the ``kept`` ones of the checks it did not run."""
    return sorted(kept + new, key=flag_order) if kept else new


def apply_flags(doc: ReviewDocument, results: dict[str, list[Flag]], ran: Iterable[str] | None = None) -> int:
    """Replace every segment's flags with ``results`` (in place); returns how many changed.

    With ``ran`` (the checks of a partial run, ``--only``/``--skip``), only those checks' flags
    are replaced and the others' stay. Dismissals are kept as they are: they are keys, so a flag
    found again stays dismissed.
    """
    replaced = None if ran is None else frozenset(ran)
    changed = 0
    for seg in doc.segments:
        new = results.get(seg.id, [])
        if replaced is not None:
            new = merged_flags([f for f in seg.flags if f.check not in replaced], new)
        if new != seg.flags:
            seg.flags = list(new)
            changed += 1
    return changed


def apply_post_edit_flags(doc: ReviewDocument, results: dict[str, list[Flag]]) -> int:
    """Put ``Checker.run_post_edits`` results on ``doc``; a segment without a post-edit has none.
    Returns how many segments' post-edit flags changed."""
    changed = 0
    for seg in doc.segments:
        new = results.get(seg.id, []) if seg.post_edit is not None else []
        if new != seg.post_edit_flags:
            seg.post_edit_flags = list(new)
            changed += 1
    return changed


def flag_changes(
    doc: ReviewDocument, results: dict[str, list[Flag]], post_edits: dict[str, list[Flag]] | None = None
) -> list[Change]:
    """The journaled changes that bring ``doc`` to ``results`` (``set_flags``) and, when given, to
    ``post_edits`` (``set_post_edit_flags``; a segment without a post-edit has none), for
    ReviewStore.apply: only the segments whose flags differ."""
    changes: list[Change] = []
    for seg in doc.segments:
        new = results.get(seg.id, [])
        if new != seg.flags:
            changes.append(set_flags(seg.id, new))
        if post_edits is not None:
            edited = post_edits.get(seg.id, []) if seg.post_edit is not None else []
            if edited != seg.post_edit_flags:
                changes.append(set_post_edit_flags(seg.id, edited))
    return changes
