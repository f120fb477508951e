"""The state of one review session, independent of the widgets that show it.

It owns what must stay fast on 100,000 segments: lazily computed row summaries, the filtered
view (a ``range`` when nothing is filtered, so no per-segment list is built), two byte masks
(reviewed, flagged-and-not-reviewed) so that "next flag" is a C-speed ``bytearray.find``, and the
undo/redo stacks built on the inverse changes that ``ReviewStore.apply`` returns.

Nothing here imports Textual; the widgets read from it and call ``apply``/``undo``/``redo``.
"""

from __future__ import annotations

import array
import bisect
import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from relecture import patterns
from relecture.changes import Change
from relecture.model import SEVERITY_RANK, Flag, ReviewDocument, Segment, holds, show_codes
from relecture.store import ReviewStore
from relecture.textsafe import visible_line

STATUS_MARK: dict[str, str] = {"todo": "·", "approved": "✓", "needs-work": "!", "rejected": "✗"}
PREVIEW_CHARS = 240  # more than any terminal row shows; keeps row work O(1) for huge segments


@dataclass(frozen=True)
class RowInfo:
    """What the segment list draws for one segment."""

    number: int
    status: str
    kind: str
    flag_rank: int  # highest open-flag severity rank, -1 when no open flag
    annotation_rank: int  # highest annotation severity rank, -1 when none
    annotations: int
    post_edited: bool
    has_note: bool
    preview: str


@dataclass(frozen=True)
class FilterSpec:
    """Which segments the list shows. Empty sets mean "any"."""

    statuses: frozenset[str] = frozenset()
    # Open flags are those on the translation and on its post-edit.
    severities: frozenset[str] = frozenset()  # an open flag or an annotation of one of these
    families: frozenset[str] = frozenset()  # an open flag of one of these check families
    annotated: bool | None = None
    categories: frozenset[str] = frozenset()  # an annotation of one of these MQM categories

    @property
    def active(self) -> bool:
        return bool(self.statuses or self.severities or self.families or self.annotated is not None
                    or self.categories)

    def describe(self) -> str:
        parts: list[str] = []
        if self.statuses:
            parts.append("status " + ",".join(sorted(self.statuses)))
        if self.severities:
            parts.append("severity " + ",".join(sorted(self.severities, key=SEVERITY_RANK.__getitem__)))
        if self.families:
            parts.append("check " + ",".join(sorted(self.families)))
        if self.annotated is not None:
            parts.append("annotated" if self.annotated else "not annotated")
        if self.categories:
            parts.append("category " + ",".join(sorted(self.categories)))
        return "; ".join(parts)

    def matches(self, seg: Segment, open_flags: list[Flag]) -> bool:
        if self.statuses and seg.status not in self.statuses:
            return False
        if self.annotated is not None and bool(seg.annotations) != self.annotated:
            return False
        if self.families and not any(f.family in self.families for f in open_flags):
            return False
        if self.categories and not any(a.category in self.categories for a in seg.annotations):
            return False
        return not self.severities or any(
            f.severity in self.severities for f in open_flags
        ) or any(a.severity in self.severities for a in seg.annotations)


@dataclass(frozen=True)
class SearchSpec:
    """A search over source, target and post-edit: plain text or a regular expression."""

    pattern: str
    regex: bool = False
    case_sensitive: bool = False

    def compile(self) -> Any:
        """The pattern to match with: ``re`` for plain text (escaped: linear time), the ``regex``
        package for a regular expression, run with a time budget (one of
        ``patterns.PATTERN_ERRORS`` for a bad one)."""
        flags = 0 if self.case_sensitive else re.IGNORECASE
        if self.regex:
            return patterns.compile_pattern(self.pattern, flags)
        return re.compile(re.escape(self.pattern), flags)

    def describe(self) -> str:
        return f"/{self.pattern}/" if self.regex else f"“{self.pattern}”"


# Non-ASCII characters that IGNORECASE matches with an ASCII letter.
_CASE_FOLDS_TO_ASCII = "\u017f\u212a\u0130\u0131"


# Seconds a regular-expression search may take over the whole document: a pattern such as
# (a+)+$ backtracks exponentially; an ordinary one scans 100,000 segments in a fraction of this.
SEARCH_BUDGET = 2.0


def _segment_matches(pattern: Any, seg: Segment, deadline: patterns.Deadline | None = None) -> bool:
    """Whether the search matches the segment's target, source or post-edit (``TimeoutError``
    once ``deadline`` has passed)."""
    if deadline is None:
        return bool(
            pattern.search(seg.target)
            or (seg.source is not None and pattern.search(seg.source))
            or (seg.post_edit is not None and pattern.search(seg.post_edit))
        )
    return (
        patterns.search(pattern, seg.target, deadline.left())
        or (seg.source is not None and patterns.search(pattern, seg.source, deadline.left()))
        or (seg.post_edit is not None and patterns.search(pattern, seg.post_edit, deadline.left()))
    )


# Segments encoded per chunk while the search index is built: the temporary texts stay small.
_INDEX_CHUNK = 4096


@dataclass
class SearchIndex:
    """All searchable text of a document as UTF-8, one segment after another (target, source,
    post-edit, each ended by NUL), with each segment's start offset.

    Compact at 1,000,000 segments: one bytearray per variant (no per-segment objects), the
    offsets in an ``array`` of 8-byte integers, built a chunk of segments at a time (no list
    of every text), and only the variants that searches asked for.
    """

    starts: array.array[int] = field(default_factory=lambda: array.array("q"))
    exotic: bool = False  # a character IGNORECASE folds to an ASCII letter (_CASE_FOLDS_TO_ASCII)
    lowered: bytearray | None = None  # ASCII-lowered, for case-insensitive searches
    exact: bytearray | None = None  # as is, for case-sensitive ones

    def build(self, segments: Sequence[Segment], lowered: bool) -> None:
        out = bytearray()
        first = not self.starts
        starts = self.starts
        if first:
            starts.append(0)
        offset = 0
        exotic = False
        for begin in range(0, len(segments), _INDEX_CHUNK):
            parts: list[bytes] = []
            for seg in segments[begin:begin + _INDEX_CHUNK]:
                text = f"{seg.target}\x00{seg.source or ''}\x00{seg.post_edit or ''}\x00"
                if first and not exotic and not text.isascii():
                    exotic = any(c in text for c in _CASE_FOLDS_TO_ASCII)
                parts.append(text.encode("utf-8", "surrogatepass"))
            if first:
                for part in parts:
                    offset += len(part)
                    starts.append(offset)
            chunk = b"".join(parts)
            out += chunk.lower() if lowered else chunk
        if first:
            self.exotic = exotic
        if lowered:
            self.lowered = out
        else:
            self.exact = out


@dataclass
class Step:
    """One undoable user action: the inverse changes to apply, in order, to undo it."""

    label: str
    inverses: list[Change]
    segment: int | None


@dataclass
class Session:
    store: ReviewStore
    undo_stack: list[Step] = field(default_factory=list)
    redo_stack: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.doc: ReviewDocument = self.store.doc
        self.segments: list[Segment] = self.doc.segments
        n = len(self.segments)
        self._rows: list[RowInfo | None] = []
        self.versions: dict[int, int] = {}  # bumped when a row changes (render caches key on it)
        self.reviewed = bytearray()
        self.flagged = bytearray()  # open flag and not yet reviewed: the "n" key's targets
        self._take_in(0)
        self.view: Sequence[int] = range(n)
        self.filter = FilterSpec()
        self.search: SearchSpec | None = None
        self._search_re: Any = None  # SearchSpec.compile()
        self.worst_first = False
        self._positions: dict[int, int] | None = None  # view position by index when not sorted by index
        self.listeners: list[Callable[[list[int]], None]] = []
        self._last_indexed: Segment | None = self.segments[-1] if self.segments else None
        # All searchable text joined, built at the first plain search (see _plain_matches).
        self._haystacks: SearchIndex | None = None

    def _take_in(self, start: int) -> None:
        """Index the segments from ``start`` on (all of them, or those a progressive open added)."""
        n = len(self.segments)
        added = n - start
        self._rows.extend([None] * added)
        self.reviewed.extend(bytes(added))
        self.flagged.extend(bytes(added))
        reviewed, flagged, segments = self.reviewed, self.flagged, self.segments
        for i in range(start, n):
            seg = segments[i]
            if seg.status != "todo":
                reviewed[i] = 1
            elif (holds(seg, "flags") or holds(seg, "post_edit_flags")) and self._has_open_flag(seg):
                flagged[i] = 1
        self.reviewed_count = reviewed.count(1)

    @property
    def loading(self) -> bool:
        return self.store.loading

    def take_in_loaded(self) -> None:
        """Segments were appended to the document (a progressive open): index them and widen
        the view; a filter or search in force is applied to them too."""
        start = len(self._rows)
        if len(self.segments) < start or (start and self.segments[start - 1] is not self._last_indexed):
            # The loader replaced the segments (it fell back to a whole parse): index afresh.
            self._rows, self.reviewed, self.flagged, self.versions = [], bytearray(), bytearray(), {}
            start = 0
        self._take_in(start)
        self._haystacks = None
        self._last_indexed = self.segments[-1] if self.segments else None
        if isinstance(self.view, range) and not self.filtered:
            self.view = range(len(self.segments))
        else:
            self.set_view(self.filter, self.search, self.worst_first)

    # --- rows -------------------------------------------------------------------------------
    @staticmethod
    def _has_open_flag(seg: Segment) -> bool:
        """An open flag on the translation or on the post-edit."""
        if holds(seg, "post_edit_flags") and seg.open_post_edit_flags:
            return True
        if not holds(seg, "dismissed"):
            return bool(seg.flags)
        dismissed = set(seg.dismissed)
        return any(f.key not in dismissed for f in seg.flags)

    def row(self, index: int) -> RowInfo:
        info = self._rows[index]
        if info is None:
            seg = self.segments[index]
            open_flags = seg.open_flags if seg.flags else []
            if seg.post_edit_flags:
                open_flags = [*open_flags, *seg.open_post_edit_flags]
            info = RowInfo(
                number=index + 1,
                status=seg.status,
                kind=seg.kind,
                flag_rank=max((SEVERITY_RANK[f.severity] for f in open_flags), default=-1),
                annotation_rank=max((SEVERITY_RANK[a.severity] for a in seg.annotations), default=-1),
                annotations=len(seg.annotations),
                post_edited=seg.post_edit is not None,
                has_note=bool(seg.note),
                preview=visible_line(show_codes(seg.final_target[:PREVIEW_CHARS], seg.codes)),
            )
            self._rows[index] = info
        return info

    def version(self, index: int) -> int:
        return self.versions.get(index, 0)

    def _touch(self, index: int) -> None:
        seg = self.segments[index]
        self._rows[index] = None
        self.versions[index] = self.versions.get(index, 0) + 1
        was = self.reviewed[index]
        now = 1 if seg.status != "todo" else 0
        self.reviewed[index] = now
        self.reviewed_count += now - was
        self.flagged[index] = 1 if (not now and (seg.flags or seg.post_edit_flags) and self._has_open_flag(seg)) else 0

    @property
    def total(self) -> int:
        return len(self.segments)

    # --- view: filter and search ------------------------------------------------------------
    @property
    def filtered(self) -> bool:
        return self.filter.active or self.search is not None or self.worst_first

    def set_view(
        self, filter_spec: FilterSpec | None = None, search: SearchSpec | None = None, worst_first: bool = False
    ) -> None:
        """Recompute the list of shown segments (O(n) once; every key after it is O(1)).

        ``worst_first`` keeps only segments with something to compare with (a post-edit, or
        approved as is) and orders them by sentence chrF of the translation against it, lowest
        first: where the machine translation needed the most work.
        """
        before = (self.filter, self.search, self.worst_first, self._positions, self._search_re, self.view)
        self.filter = filter_spec or FilterSpec()
        self.search = search
        self.worst_first = worst_first
        self._positions = None
        self._search_re = search.compile() if search is not None else None
        try:
            self._compute_view(search, worst_first)
        except TimeoutError:  # the view stays as it was
            self.filter, self.search, self.worst_first, self._positions, self._search_re, self.view = before
            raise

    def _compute_view(self, search: SearchSpec | None, worst_first: bool) -> None:
        if not self.filter.active and search is None and not worst_first:
            self.view = range(len(self.segments))
            return
        spec = self.filter
        pattern = self._search_re
        deadline = patterns.Deadline(SEARCH_BUDGET) if search is not None and search.regex else None
        candidates: Sequence[int] = range(len(self.segments))
        if search is not None and not search.regex:
            plain = self._plain_matches(search)
            if plain is not None:
                candidates = plain
                pattern = None  # already matched
        out: list[int] = []
        append = out.append
        segments = self.segments
        for i in candidates:
            seg = segments[i]
            if spec.active:
                open_flags = seg.open_flags if holds(seg, "flags") else []
                if holds(seg, "post_edit_flags"):  # findings on the post-edit count as much as on the MT
                    open_flags = [*open_flags, *seg.open_post_edit_flags]
                if not spec.matches(seg, open_flags):
                    continue
            if pattern is not None and not _segment_matches(pattern, seg, deadline):
                continue
            append(i)
        if worst_first:
            from relecture.metrics import segment_chrf

            chrf = segment_chrf(self.doc)
            ids = [seg.id for seg in self.segments]
            out = sorted((i for i in out if ids[i] in chrf), key=lambda i: (chrf[ids[i]], i))
            self._positions = {index: position for position, index in enumerate(out)}
        self.view = out

    def _plain_matches(self, search: SearchSpec) -> list[int] | None:
        """Segments holding a plain-text search, found with one scan of all their text, or None
        when this shortcut does not apply (then each segment is searched in turn).

        Searching 100,000 segments one string at a time costs ~300 ms; ``bytes.find`` over their
        joined UTF-8 text (ASCII-lowered for a case-insensitive ASCII search) a few milliseconds.
        Each hit is confirmed on the segment with the search's own pattern (a hit may run across
        the separator between fields); the scan then resumes at the next segment.
        """
        needle = search.pattern
        fold = not search.case_sensitive
        if fold and not needle.isascii():
            return None  # "É" must find "é": only the regular expression knows how
        index = self.prepare_search(fold)
        if fold and index.exotic:
            return None  # "ſ", "K" (Kelvin), "ı", "İ" match ASCII letters under IGNORECASE
        if fold:
            haystack = index.lowered
            needle = needle.lower()
        else:
            haystack = index.exact
        assert haystack is not None
        starts = index.starts
        target = needle.encode("utf-8")
        pattern = search.compile()
        found: list[int] = []
        position = 0
        segments = self.segments
        find = haystack.find
        while True:
            hit = find(target, position)
            if hit < 0:
                return found
            at = bisect.bisect_right(starts, hit) - 1
            if _segment_matches(pattern, segments[at]):
                found.append(at)
            position = starts[at + 1]

    def prepare_search(self, fold: bool = True) -> SearchIndex:
        """Build the plain-search index now (~0.2 s at 100,000 segments), e.g. while the
        reviewer types the pattern, so that the search itself takes a few milliseconds.

        Only the variant a search needs is kept: the ASCII-lowered text (the default, case-
        insensitive) or the text as is (``fold=False``, built at the first case-sensitive search).
        """
        index = self._haystacks
        if index is None:
            index = self._haystacks = SearchIndex()
        if fold and index.lowered is None:
            index.build(self.segments, lowered=True)
        elif not fold and index.exact is None:
            index.build(self.segments, lowered=False)
        return index

    def describe_view(self) -> str:
        parts = ["worst chrF first"] if self.worst_first else []
        if self.search is not None:
            parts.append("search " + self.search.describe())
        if self.filter.active:
            parts.append(self.filter.describe())
        return "; ".join(parts)

    @property
    def search_pattern(self) -> Any:
        return self._search_re

    def position_of(self, index: int) -> int | None:
        """Where segment ``index`` is in the view (None when filtered out)."""
        view = self.view
        if isinstance(view, range):
            return index if 0 <= index < len(view) else None
        if self._positions is not None:  # ordered by score, not by index
            return self._positions.get(index)
        lo = bisect.bisect_left(view, index)  # the view is sorted: O(log n)
        return lo if lo < len(view) and view[lo] == index else None

    def nearest_position(self, index: int) -> int:
        """The view position of ``index`` or of the first shown segment after it."""
        view = self.view
        if isinstance(view, range):
            return max(0, min(index, len(view) - 1))
        if self._positions is not None:
            return self._positions.get(index, 0)
        return min(bisect.bisect_left(view, index), max(0, len(view) - 1))

    def next_flagged(self, position: int, forward: bool = True) -> int | None:
        """View position of the next (or previous) segment with an open flag, not reviewed.

        Wraps around the end once; None when there is none.
        """
        view = self.view
        flagged = self.flagged
        if isinstance(view, range):
            if forward:
                found = flagged.find(1, position + 1)
                if found < 0:
                    found = flagged.find(1, 0, position + 1)
            else:
                found = flagged.rfind(1, 0, max(position, 0))
                if found < 0:
                    found = flagged.rfind(1, position)
            return None if found < 0 else found
        n = len(view)
        if not n:
            return None
        step = 1 if forward else -1
        for k in range(1, n + 1):
            p = (position + step * k) % n
            if flagged[view[p]]:
                return p
        return None

    # --- changes and undo -------------------------------------------------------------------
    def _apply_all(self, changes: list[Change]) -> list[Change]:
        """Apply through the store as one journal entry: all of them or, on failure, none."""
        inverses = self.store.apply_all(changes)
        for change in changes:
            self._after(change)
        return inverses

    def _after(self, change: Change) -> None:
        if change.get("op") == "set_post_edit":
            self._haystacks = None  # the searchable text changed
        segment_id = change.get("segment")
        if isinstance(segment_id, str):
            index = self.doc.index_of(segment_id)
            self._touch(index)
            for listener in self.listeners:
                listener([index])

    def locked(self, changes: list[Change]) -> str | None:
        """The id of a segment locked in its CAT file (Trados, memoQ) whose translation or status
        ``changes`` would change; notes and annotations on it are fine."""
        for change in changes:
            if change.get("op") in ("set_post_edit", "set_status") and isinstance(change.get("segment"), str):
                with contextlib.suppress(KeyError):
                    if self.doc.segment(change["segment"]).meta.get("locked"):
                        return str(change["segment"])
        return None

    def apply(self, changes: list[Change], label: str, segment: int | None) -> Step:
        """Apply one user action (one or more changes) as one undo step."""
        step = Step(label, self._apply_all(changes), segment)
        self.undo_stack.append(step)
        self.redo_stack.clear()
        return step

    def undo(self) -> Step | None:
        return self._replay(self.undo_stack, self.redo_stack)

    def redo(self) -> Step | None:
        return self._replay(self.redo_stack, self.undo_stack)

    def _replay(self, source: list[Step], target: list[Step]) -> Step | None:
        """Apply the inverses of ``source``'s last step; its own inverses go onto ``target``."""
        if not source:
            return None
        step = source.pop()
        target.append(Step(step.label, self._apply_all(step.inverses), step.segment))
        return step

    # --- facts for the header and the filter dialog -----------------------------------------
    def families(self) -> list[str]:
        """The check families with a flag on a translation or a post-edit (the filter's choices)."""
        seen: set[str] = set()
        for seg in self.segments:
            for f in seg.flags:
                seen.add(f.family)
            for f in seg.post_edit_flags:
                seen.add(f.family)
        return sorted(seen)
