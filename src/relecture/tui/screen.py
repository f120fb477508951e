"""The review screen: list, reading pane, side panel, and every reviewing key.

Bindings live on this screen (not on the App) so that they are inactive while a dialog is open:
typing "j" in a comment field must never move to the next segment.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from relecture import changes as ch
from relecture.clock import now_iso
from relecture.errors import RelectureError
from relecture.model import (
    POST_EDIT_KEY,
    SEVERITY_RANK,
    STATUSES,
    Annotation,
    Flag,
    ReviewDocument,
    Segment,
    Severity,
    Side,
)
from relecture.textsafe import visible_line
from relecture.tui.actions import (
    ACTIONS,
    BY_ACTION,
    PALETTE_RANK,
    REVIEWING,
    SPELLING_CHECK,
    Action,
    context_actions,
    dialog_keys,
    guarded,
    screen_bindings,
)
from relecture.tui.compositor import LineCompositor
from relecture.tui.header import KeyBar, OneLine, ReviewHeader
from relecture.tui.jobs import ChecksFinished, Jobs
from relecture.tui.modals import TextDialog
from relecture.tui.modals.annotate import AnnotateModal, AnnotationDraft
from relecture.tui.modals.confirm import ConfirmModal
from relecture.tui.modals.esa import EsaModal, EsaResult
from relecture.tui.modals.export import ExportModal, ExportRequest
from relecture.tui.modals.filter import FilterModal
from relecture.tui.modals.help import key_label
from relecture.tui.modals.jump import JumpModal
from relecture.tui.modals.note import NoteModal
from relecture.tui.modals.post_edit import PostEditModal, PostEditResult
from relecture.tui.modals.search import SearchModal
from relecture.tui.reading_pane import ReadingPane
from relecture.tui.render import map_span, palette
from relecture.tui.segment_list import SegmentList
from relecture.tui.session import SEARCH_BUDGET, FilterSpec, SearchSpec, Session
from relecture.tui.side_panel import (
    SidePanel,
    annotation_position,
    on_post_edit,
    post_edit_items,
    segment_items,
)
from relecture.tui.text_view import TextView

if TYPE_CHECKING:
    from relecture.tui.app import ReviewApp

class ReviewScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings()  # declared in tui/actions.py

    def __init__(self, session: Session) -> None:
        super().__init__()
        self._compositor = LineCompositor()  # redraws only the changed lines (see compositor.py)
        self.session = session
        self.show_source = True
        self.item: int | None = None  # index into segment_items(current segment)
        self.busy = ""  # a background job that reads the document runs (checks, export)
        self.save_failed = False
        self._applicable: tuple[bool | None, ...] = ()
        self.compact = False  # side panel: one line per item but the current one
        self._anchor: int | None = None  # where the cursor was when the view emptied
        self._said: dict[str, float] = {}  # message -> until when it is on screen
        self._key_width = 0
        self.resume_at: str | None = None  # the segment id the last session ended on
        self.jobs = Jobs(self)

    def say(self, message: str, **kwargs: Any) -> None:
        """A notification; never markup (messages quote segment text, patterns, file names).
        The same message while it is still on screen is not stacked again."""
        import time

        now = time.monotonic()
        if self._said.get(message, 0.0) > now:
            return
        if len(self._said) > 64:
            self._said = {m: until for m, until in self._said.items() if until > now}
        self._said[message] = now + float(kwargs.get("timeout") or 5)
        self.app.notify(message, markup=False, **kwargs)

    def label(self, index: int) -> str:
        """How a segment is named to the reviewer: its id, as the list, `check` and exports say."""
        return visible_line(self.session.segments[index].id)

    @property
    def review_app(self) -> ReviewApp:
        return self.app  # type: ignore[return-value]

    # --- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ReviewHeader(id="header")
        with Horizontal(id="body"):
            with Vertical(id="list-column"):
                yield OneLine(id="list-status")
                yield SegmentList(self.session, id="segments")
            with Vertical(id="main-column"):
                yield ReadingPane(id="reading")
                yield SidePanel(id="side")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.segment_list.on_move = self._cursor_index_changed
        self.segment_list.move_to(0)
        self._resume()
        self.update_list_status()
        self.update_header()

    # --- dialogs and keys typed ahead of them ----------------------------------------------------
    def open_dialog(self, dialog: Screen[Any], done: Callable[[Any], Any]) -> None:
        """Push a dialog; keys typed in the same burst wait for it (see KeyGate). A dialog with
        typed text hands its result over while still open, and stays open if ``done`` returns
        False (the change was not saved): the reviewer's text is not lost with it."""
        if isinstance(dialog, TextDialog):
            dialog.on_submit = done
            self.app.push_screen(dialog)
        else:
            self.app.push_screen(dialog, done)

    def on_key(self, event: events.Key) -> None:
        gate = self.review_app.key_gate
        if gate.holding:  # forwarded here before a dialog was pushed: it is meant for the dialog
            gate.hold(event)
            return
        if self.app.screen is not self:  # reached here after a dialog took over: give it there
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if event.key in dialog_keys():
            gate.expect(event)  # its binding runs when it reaches the app, after the keys behind it

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")
        if self.size.width != self._key_width:
            self._key_width = self.size.width
            self.update_keys()

    @property
    def segment_list(self) -> SegmentList:
        return self.query_one(SegmentList)

    @property
    def reading(self) -> ReadingPane:
        return self.query_one(ReadingPane)

    @property
    def current_index(self) -> int | None:
        return self.segment_list.current_index

    @property
    def current_segment(self) -> Segment | None:
        index = self.current_index
        return None if index is None else self.session.segments[index]

    @property
    def current_item(self) -> Flag | Annotation | None:
        seg = self.current_segment
        if seg is None or self.item is None:
            return None
        items = segment_items(seg)
        return items[self.item] if 0 <= self.item < len(items) else None

    # --- drawing ------------------------------------------------------------------------------
    @on(SegmentList.CursorMoved)
    def _cursor_moved(self, event: SegmentList.CursorMoved) -> None:
        self._cursor_index_changed(event.index)

    def _cursor_index_changed(self, index: int | None) -> None:
        if index is not None:
            self._anchor = index
        seg = None if index is None else self.session.segments[index]
        self.item = self._first_open_item(seg)
        self.refresh_segment()

    @staticmethod
    def _first_open_item(seg: Segment | None) -> int | None:
        if seg is None:
            return None
        dismissed = set(seg.dismissed)
        for i, flag in enumerate(seg.flags):
            if flag.key not in dismissed:
                return i
        for j, flag in enumerate(post_edit_items(seg)):
            if not seg.post_edit_flag_dismissed(flag):
                return len(seg.flags) + j
        return 0 if segment_items(seg) else None

    def refresh_segment(self, *, reveal_note: bool = False, keep_scroll: bool = False) -> None:
        """Redraw the reading pane and the side panel for the current segment (the side panel
        scrolled to show the current item, or the note)."""
        index = self.current_index
        seg = None if index is None else self.session.segments[index]
        item = self.current_item
        current = None
        if item is not None and item.end >= item.start and not (seg is not None and on_post_edit(seg, self.item)):
            current = (item.side, item.start, item.end)
        self.reading.show(
            self.session.doc,
            index,
            show_source=self.show_source,
            search=self.session.search_pattern,
            current=current,
        )
        self.query_one(SidePanel).show(
            self.session.doc, seg, self.item, compact=self.compact, reveal_note=reveal_note,
            keep_scroll=keep_scroll,
        )
        # The footer rebuilds itself on refresh_bindings: only when what applies has changed.
        applicable = tuple(self.check_action(a, ()) for a in context_actions())
        if applicable != self._applicable:
            self._applicable = applicable
            self.update_keys()

    def update_keys(self) -> None:
        """The footer: the shown keys whose action applies now, the most useful first, as many
        as the width holds; "?" (every key) is always there."""
        readonly = self.session.store.readonly
        shown: list[tuple[int, str, str]] = []
        for spec in ACTIONS:
            if spec.footer is None or spec.group != REVIEWING or not self.check_action(spec.action, ()):
                continue
            if readonly and not spec.readonly:
                continue
            shown.append((spec.footer, key_label(spec.key_list[0]), spec.label))
        shown.append((PALETTE_RANK, "^p", "palette"))
        shown.sort(key=lambda item: item[0])
        width = self.size.width or 80
        keys: list[tuple[str, str]] = []
        used = 0
        for _, key, description in shown:
            cost = len(key) + len(description) + 4
            if used + cost > width:
                continue
            keys.append((key, description))
            used += cost
        self.query_one(KeyBar).show_keys(keys)

    def update_list_status(self) -> None:
        s = self.session
        shown = len(s.view)
        muted = palette(self.app.current_theme.dark).muted
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if s.filtered:
            text.append(f"{shown} of {s.total} match", style="bold")
            text.append(f"  {visible_line(s.describe_view())}", style=muted)  # a pasted pattern
            text.append("  (esc clears)", style=muted)
        else:
            text.append(f"{s.total} segments", style="bold")
            flagged = s.flagged.count(1)
            text.append(f"  {flagged} flagged to review", style=muted)
        self.query_one("#list-status", OneLine).show_text(text)

    def update_header(self) -> None:
        s = self.session
        store = s.store
        if store.readonly:
            state, style = "READ-ONLY", "bold reverse yellow"
        elif self.save_failed:
            state, style = "NOT SAVED: see message", "bold reverse red"
        elif store.unsaved_changes:
            state, style = f"● on disk (journal {store.unsaved_changes})", str(palette(self.app.current_theme.dark).fix)
        else:
            state, style = "● saved", str(palette(self.app.current_theme.dark).fix)
        self.query_one(ReviewHeader).show(
            title=s.doc.title or s.doc.id,
            source_lang=s.doc.source_lang,
            target_lang=s.doc.target_lang,
            reviewed=s.reviewed_count,
            total=s.total,
            mqm=self.review_app.score(),
            save_state=state,
            save_style=style,
            loading=store.loaded_fraction if store.loading else None,
            verdict=self.review_app.verdict(),
        )

    def _resume(self) -> None:
        """Back to the segment the last session ended on, once it is loaded (unless the
        reviewer has moved meanwhile)."""
        if self.resume_at is None:
            return
        try:
            index = self.session.doc.index_of(self.resume_at)
        except KeyError:
            if not self.session.loading:
                self.resume_at = None  # gone from the document
            return
        self.resume_at = None
        if self.segment_list.cursor == 0 and index:
            self.go_to_index(index)

    def document_grew(self, done: bool) -> None:
        """A progressive open read more segments: show them (the cursor stays where it is)."""
        index = self.current_index
        self.session.take_in_loaded()
        lst = self.segment_list
        lst.document_grew()
        if index is not None and self.session.filtered:
            position = self.session.position_of(index)
            lst.move_to(position if position is not None else self.session.nearest_position(index))
        if done:
            self.busy = ""
        self._resume()
        self.update_list_status()
        self.update_header()

    # --- navigation ---------------------------------------------------------------------------
    def action_next_segment(self) -> None:
        self.segment_list.move_to(self.segment_list.cursor + 1)

    def action_prev_segment(self) -> None:
        self.segment_list.move_to(self.segment_list.cursor - 1)

    def action_first(self) -> None:
        self.segment_list.move_to(0)

    def action_last(self) -> None:
        self.segment_list.move_to(len(self.session.view) - 1)

    def action_page_down(self) -> None:
        lst = self.segment_list
        lst.move_to(lst.cursor + lst.page_height)

    def action_page_up(self) -> None:
        lst = self.segment_list
        lst.move_to(lst.cursor - lst.page_height)

    def _flag_step(self, forward: bool) -> None:
        position = self.session.next_flagged(self.segment_list.cursor, forward)
        if position is None:
            self.say("No open flag left on unreviewed segments.", timeout=3)
            return
        self.segment_list.move_to(position, center=True)

    def action_next_flag(self) -> None:
        self._flag_step(True)

    def action_prev_flag(self) -> None:
        self._flag_step(False)

    def go_to_index(self, index: int) -> None:
        """Put the cursor on document segment ``index``, clearing the view if it hides it."""
        position = self.session.position_of(index)
        if position is None:
            self.session.set_view()
            self.segment_list.refresh_view()
            self.update_list_status()
            self.say("The segment was hidden by the search/filter, which is now cleared.", timeout=3)
            position = index
        self.segment_list.move_to(position, center=True)

    @guarded
    def action_esa_score(self) -> None:
        seg, index = self.current_segment, self.current_index
        if seg is None or index is None:
            return

        def done(result: EsaResult | None) -> bool:
            return result is None or self.change(
                [ch.set_esa(seg.id, result[1])], f"ESA score of segment {self.label(index)}", index
            )

        self.open_dialog(EsaModal(seg.esa), done)

    @guarded
    def action_jump(self) -> None:
        def done(index: int | None) -> None:
            if index is not None:
                self.go_to_index(index)

        self.open_dialog(JumpModal(self.session.doc), done)

    def _item_step(self, step: int) -> None:
        seg = self.current_segment
        if seg is None:
            return
        items = segment_items(seg)
        if not items:
            self.say("This segment has no flag or annotation.", timeout=2)
            return
        self.item = 0 if self.item is None else (self.item + step) % len(items)
        self.refresh_segment()

    def action_next_item(self) -> None:
        self._item_step(1)

    def action_prev_item(self) -> None:
        self._item_step(-1)

    def action_toggle_source(self) -> None:
        self.show_source = not self.show_source
        self.refresh_segment()
        self.review_app.remember()
        self.say("Source shown." if self.show_source else "Source hidden.", timeout=2)

    def action_toggle_compact(self) -> None:
        self.compact = not self.compact
        self.refresh_segment()
        self.review_app.remember()
        self.say("Compact side panel: one line per item, the current one in full." if self.compact
                 else "Side panel in full.", timeout=2)

    def action_select_span(self, side: str) -> None:
        seg = self.current_segment
        if seg is None:
            return
        if side == "source" and seg.source is None:
            self.say("This document has no source text.", timeout=2)
            return
        # The hint is the selector's own title: a toast would cover the text being selected.
        self.reading.start_selection(seg, side)

    @on(TextView.Clicked, "#reading-view")
    def _text_clicked(self, event: TextView.Clicked) -> None:
        if event.tag in ("source", "target"):
            self.action_select_span(event.tag)

    # --- changing ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        spec = BY_ACTION.get(action)
        return True if spec is None or spec.applies is None else spec.applies(self)

    def allowed(self, spec: Action) -> bool:
        """Whether ``spec``'s action may run now (else say why): see its row in tui/actions.py."""
        if spec.changes:
            return self._can_change()
        if spec.whole_document and not self._loaded():
            return False
        return not spec.idle or self._idle()

    def _can_change(self) -> bool:
        if self.session.store.readonly:
            self.say("Opened read-only: changes are off.", severity="warning", timeout=3)
            return False
        return self._loaded() and self._idle()

    def _idle(self) -> bool:
        """No background job reads the whole document (else say which, and wait)."""
        if self.busy:
            self.say(f"Wait: {self.busy} is running.", severity="warning", timeout=3)
            return False
        return True

    def _loaded(self) -> bool:
        """The whole document is in memory (a progressive open has finished)."""
        if self.session.loading:
            self.say(f"Wait: the document is still loading ({self.session.store.loaded_fraction:.0%}).",
                     severity="warning", timeout=2)
            return False
        return True

    def change(self, changes: list[dict[str, Any]], label: str, index: int | None = None) -> bool:
        """Apply one user action through the store (journaled and fsynced before returning)."""
        if not self._can_change():
            return False
        locked = self.session.locked(changes)
        if locked is not None:
            self.say(f"Segment {locked} is locked in its CAT file: its translation and status stay as they are.",
                     severity="warning", timeout=4)
            return False
        try:
            self.session.apply(changes, label, index if index is not None else self.current_index)
        except RelectureError as exc:
            self.save_failed = True
            self.update_header()
            self.say(str(exc), title="Not saved", severity="error", timeout=10)
            return False
        self.save_failed = False
        self.after_change()
        return True

    def after_change(self, segments: list[int] | None = None) -> None:
        self.segment_list.refresh()
        self.update_header()
        self.update_list_status()
        self.refresh_segment()
        self.review_app.schedule_save()

    def _new_annotation(self, side: str, start: int, end: int, draft: AnnotationDraft, origin: str) -> Annotation:
        return Annotation(
            id=f"a-{secrets.token_hex(4)}",
            side=cast(Side, side),
            start=start,
            end=end,
            category=draft.category,
            severity=cast(Severity, draft.severity),
            comment=draft.comment,
            correction=draft.correction,
            author=self.review_app.reviewer,
            time=now_iso(),
            origin=origin,
        )

    @guarded
    def action_annotate(self) -> None:
        seg = self.current_segment
        index = self.current_index
        if seg is None or index is None:
            return
        reading = self.reading
        item = self.current_item
        if reading.selecting:
            side = reading.selector.side
            span = reading.selector.span or (0, len(seg.text(side)))
            reading.stop_selection()
            self._open_annotate(index, side, span[0], span[1])
        elif isinstance(item, Flag) and item.key not in seg.dismissed and not on_post_edit(seg, self.item):
            self._annotate_flag(index, item)
        else:
            self._open_annotate(index, "target", 0, len(seg.target))

    def _open_annotate(self, index: int, side: str, start: int, end: int) -> None:
        seg = self.session.segments[index]

        def done(draft: AnnotationDraft | None) -> bool:
            if draft is None:
                return True
            ann = self._new_annotation(side, start, end, draft, "manual")
            if not self.change([ch.put_annotation(seg.id, ann)], f"annotate segment {self.label(index)}", index):
                return False
            self.item = annotation_position(seg, len(seg.annotations) - 1)
            self.refresh_segment()
            self.say(f"Annotated: {draft.severity} {draft.category}", timeout=2)
            return True

        self.open_dialog(
            AnnotateModal(side=side, start=start, end=end, span_text=seg.text(side)[start:end]), done
        )

    def _annotate_flag(self, index: int, flag: Flag) -> None:
        seg = self.session.segments[index]
        start, end = flag.start, flag.end
        length = len(seg.text(flag.side))
        if not 0 <= start <= end <= length:
            start, end = 0, length

        def done(draft: AnnotationDraft | None) -> bool:
            if draft is None:
                return True
            ann = self._new_annotation(flag.side, start, end, draft, f"flag:{flag.check}")
            ann.meta = {"flag": flag.key}  # the flag reads "confirmed", linked to it
            # The flag becomes the annotation: it is no longer open (one undo step for both).
            if not self.change(
                [ch.put_annotation(seg.id, ann), ch.dismiss(seg.id, flag.key)],
                f"annotate flag {flag.check} on segment {self.label(index)}",
                index,
            ):
                return False
            # The new annotation is current (and scrolled into view): a, enter, d act on it.
            self.item = annotation_position(seg, len(seg.annotations) - 1)
            self.refresh_segment()
            self.say(f"Flag confirmed as annotation {len(seg.annotations)}: {draft.severity} {draft.category}",
                     timeout=2)
            return True

        self.open_dialog(
            AnnotateModal(
                side=flag.side, start=start, end=end, span_text=seg.text(flag.side)[start:end],
                category=flag.category, severity=flag.severity, comment=flag.message,
                correction=flag.suggestion or "", heading=f"Confirm flag {flag.check}",
            ),
            done,
        )

    def _edit_annotation(self, index: int, ann: Annotation) -> None:
        seg = self.session.segments[index]

        def done(draft: AnnotationDraft | None) -> bool:
            if draft is None:
                return True
            updated = dataclasses.replace(
                ann, category=draft.category, severity=cast(Severity, draft.severity),
                comment=draft.comment, correction=draft.correction, time=now_iso(),
            )
            return self.change(
                [ch.put_annotation(seg.id, updated)], f"edit annotation on segment {self.label(index)}", index
            )

        self.open_dialog(
            AnnotateModal(
                side=ann.side, start=ann.start, end=ann.end, span_text=ann.text or seg.text(ann.side)[ann.start:ann.end],
                category=ann.category, severity=ann.severity, comment=ann.comment,
                correction=ann.correction, heading="Edit annotation",
            ),
            done,
        )

    @guarded
    def action_adjudicate(self) -> None:
        from relecture.tui.modals.adjudicate import open_adjudication

        open_adjudication(self)

    @guarded
    def action_accept_item(self) -> None:
        index = self.current_index
        item = self.current_item
        if index is None or item is None:
            return
        seg = self.session.segments[index]
        if on_post_edit(seg, self.item):
            self.action_post_edit()  # a flag on the post-edit is fixed there
        elif isinstance(item, Flag):
            self._annotate_flag(index, item)
        else:
            self._edit_annotation(index, item)

    @guarded
    def action_dismiss_flag(self) -> None:
        seg = self.current_segment
        index = self.current_index
        item = self.current_item
        if seg is None or index is None or not isinstance(item, Flag):
            return
        key = POST_EDIT_KEY + item.key if on_post_edit(seg, self.item) else item.key
        where = self.label(index)
        if key in seg.dismissed:
            if self.change([ch.undismiss(seg.id, key)], f"restore flag on segment {where}"):
                self.say(f"Flag {item.check} restored.", timeout=2)
            return
        if on_post_edit(seg, self.item) and seg.post_edit_flag_dismissed(item):
            self.say("Dismissed on the translation, so on the post-edit too: restore it there.", timeout=3)
            return
        if self.change([ch.dismiss(seg.id, key)], f"dismiss flag on segment {where}"):
            self.say(f"Flag {item.check} dismissed (stays dismissed after re-checks).", timeout=2)
            self.item = self._first_open_item(seg) if self._first_open_item(seg) is not None else self.item
            self.refresh_segment()

    @guarded
    def action_delete_annotation(self) -> None:
        seg = self.current_segment
        index = self.current_index
        item = self.current_item
        if seg is None or index is None or not isinstance(item, Annotation):
            return
        changes = [ch.delete_annotation(seg.id, item.id)]
        flag = _confirmed_flag(seg, item)
        if flag is not None:  # the finding is open again, not silently gone (one undo step)
            changes.append(ch.undismiss(seg.id, flag.key))
        if self.change(changes, f"delete annotation on segment {self.label(index)}"):
            items = segment_items(seg)
            self.item = min(self.item or 0, len(items) - 1) if items else None
            self.refresh_segment()
            reopened = f"; flag {flag.check} is open again" if flag is not None else ""
            self.say(f"Annotation deleted{reopened} (u undoes).", timeout=2)

    @guarded
    def action_post_edit(self) -> None:
        seg = self.current_segment
        index = self.current_index
        if seg is None or index is None:
            return

        def done(result: PostEditResult | None) -> bool:
            if result is None or result.value == seg.post_edit:
                return True
            return self._set_post_edit(index, result.value, f"post-edit segment {self.label(index)}")

        self.open_dialog(PostEditModal(seg.target, seg.post_edit, self.label(index), seg.codes), done)

    def _set_post_edit(self, index: int, value: str | None, label: str) -> bool:
        """Save a post-edit and the flags the checks find on it, as one journaled, undoable step."""
        seg = self.session.segments[index]
        flags = self.review_app.check_post_edit(index, value)
        changes = [ch.set_post_edit(seg.id, value)]
        if flags != seg.post_edit_flags:
            changes.append(ch.set_post_edit_flags(seg.id, flags))
        before = self.current_item
        if not self.change(changes, label, index):
            return False
        if value is not None:
            doc = self.session.doc
            # A snapshot: the worker thread never reads the live document.
            snapshot = Segment(id=seg.id, source=seg.source, target=seg.target, post_edit=seg.post_edit)
            self.jobs.spell_post_edit(ReviewDocument(
                id=doc.id, title=doc.title, segments=[snapshot],
                source_lang=doc.source_lang, target_lang=doc.target_lang,
            ), seg.id)
        open_flags = seg.open_post_edit_flags
        # The same item stays current (its position moves when post-edit flags come or go).
        items = segment_items(seg)
        self.item = next((i for i, item in enumerate(items) if item is before), self._first_open_item(seg))
        if open_flags:
            worst = max(open_flags, key=lambda f: SEVERITY_RANK[f.severity])
            self.item = len(seg.flags) + seg.post_edit_flags.index(worst)
            self.refresh_segment()
            self.say(f"Post-edit saved; the checks flag {len(open_flags)} thing(s) in it: {worst.message}",
                     severity="warning", timeout=5)
        else:
            self.refresh_segment()
            self.say("Post-edit saved; the checks find nothing in it." if value is not None
                     else "Post-edit removed: the translation stands.", timeout=3)
        return True

    @guarded
    def action_apply_fix(self) -> None:
        """Put the current annotation's correction or flag's suggestion into the post-edit."""
        seg = self.current_segment
        index = self.current_index
        item = self.current_item
        if seg is None or index is None or item is None:
            return
        fix = item.correction if isinstance(item, Annotation) else item.suggestion
        if isinstance(item, Annotation) and not fix:
            self.say("This annotation has no correction to apply (enter edits it).", timeout=3)
            return
        if fix is None:
            self.say("This flag has no suggested replacement.", timeout=3)
            return
        if item.side != "target":
            self.say("That span is in the source: only the target can be post-edited.", timeout=3)
            return
        if on_post_edit(seg, self.item):
            span = (item.start, item.end) if seg.post_edit is not None else None
            if span is not None and seg.post_edit is not None and seg.post_edit[item.start:item.end] != item.text:
                span = None
        else:
            span = map_span(seg.target, seg.post_edit, item.start, item.end)
        base = seg.final_target
        if span is None:
            self.say("The post-edit already changed that span: edit it with e.", severity="warning", timeout=4)
            return
        value = base[: span[0]] + fix + base[span[1]:]
        if value == base:
            self.say("The post-edit already reads so.", timeout=2)
            return
        self._set_post_edit(index, value, f"apply a fix to segment {self.label(index)}")

    @guarded
    def action_add_word(self) -> None:
        """Add the current spelling flag's word to the personal word list the spelling check
        reads, and take that word's spelling flags off the whole document (one undoable step;
        the word itself stays in the list, which is asked first)."""
        from relecture import wordlist

        item = self.current_item
        if not isinstance(item, Flag) or item.check != SPELLING_CHECK or not item.text.strip():
            return
        word = item.text.strip()
        shown = visible_line(word)  # data: shown, never interpreted
        app = self.review_app
        try:
            path, _ = wordlist.destination(app.config, self.session.store.path)
        except RelectureError as exc:
            self.say(str(exc), severity="error", timeout=8)
            return
        folded = wordlist.fold(word)

        def spelt(flag: Flag) -> bool:
            return flag.check == SPELLING_CHECK and wordlist.fold(flag.text.strip()) == folded

        changes = []
        for seg in self.session.segments:
            if any(spelt(f) for f in seg.flags):
                changes.append(ch.set_flags(seg.id, [f for f in seg.flags if not spelt(f)]))
            if any(spelt(f) for f in seg.post_edit_flags):
                changes.append(ch.set_post_edit_flags(seg.id, [f for f in seg.post_edit_flags if not spelt(f)]))

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                added = wordlist.add_word(word, app.config, self.session.store.path)
            except RelectureError as exc:
                self.say(str(exc), title="Word not added", severity="error", timeout=10)
                return
            app.use_config(added.config)
            where = "was already in" if added.already else "added to"
            if changes and not self.change(changes, f"add “{shown}” to the word list"):
                return
            self.item = self._first_open_item(self.current_segment)
            self.refresh_segment()
            self.say(f"“{shown}” {where} your word list. Its spelling flags left {len(changes)} segment(s) "
                     f"(u brings them back). File: {visible_line(str(added.path))}", timeout=6)

        self.open_dialog(ConfirmModal(
            f"Add “{shown}” to your word list?",
            f"{visible_line(str(path))}\nIt is never flagged again; its spelling flags leave {len(changes)} segment(s) now.",
        ), answered)

    @guarded
    def action_approve_next(self) -> None:
        seg = self.current_segment
        index = self.current_index
        if seg is None or index is None:
            return
        serious = [f for f in [*seg.open_flags, *seg.open_post_edit_flags] if SEVERITY_RANK[f.severity] >= 2]
        if seg.status != "approved" and serious and self.review_app.confirm_serious_approvals:

            def answered(yes: bool | None) -> None:
                if yes:
                    self._approve(index)

            worst = max(serious, key=lambda f: SEVERITY_RANK[f.severity])
            self.open_dialog(ConfirmModal(
                f"Approve segment {self.label(index)} with {len(serious)} open major or critical flag(s)?",
                f"{worst.severity}: {worst.message}\n(confirm_approve = false under [review] in "
                "relecture.toml turns this question off)",
            ), answered)
            return
        self._approve(index)

    def _approve(self, index: int) -> None:
        seg = self.session.segments[index]
        if seg.status != "approved" and not self.change(
            [ch.set_status(seg.id, "approved")], f"approve segment {self.label(index)}", index
        ):
            return
        if index == self.current_index:
            self.action_next_segment()

    @guarded
    def action_cycle_status(self) -> None:
        seg = self.current_segment
        index = self.current_index
        if seg is None or index is None:
            return
        value = STATUSES[(STATUSES.index(seg.status) + 1) % len(STATUSES)]
        if self.change([ch.set_status(seg.id, value)], f"status {value} on segment {self.label(index)}"):
            self.say(f"Segment {self.label(index)}: {value}", timeout=2)

    @guarded
    def action_note(self) -> None:
        seg = self.current_segment
        index = self.current_index
        if seg is None or index is None:
            return

        def done(value: str | None) -> bool:
            if value is None or value == seg.note:
                return True
            if not self.change([ch.set_note(seg.id, value)], f"note on segment {self.label(index)}", index):
                return False
            self.refresh_segment(reveal_note=True)  # the saved note in view
            self.say(f"Note saved on segment {self.label(index)}." if value else "Note removed.", timeout=2)
            return True

        self.open_dialog(NoteModal(f"Note on segment {self.label(index)}", seg.note), done)

    @guarded
    def action_doc_note(self) -> None:
        doc = self.session.doc

        def done(value: str | None) -> bool:
            if value is None or value == doc.note:
                return True
            if not self.change([ch.set_doc_note(value)], "document note"):
                return False
            self.say("Document note saved (end of the side panel)." if value else "Document note removed.",
                     timeout=2)
            return True

        self.open_dialog(NoteModal("Note on the whole document", doc.note), done)

    @guarded
    def action_undo(self) -> None:
        self._history(self.session.undo, "Undone", "Nothing to undo.")

    @guarded
    def action_redo(self) -> None:
        self._history(self.session.redo, "Redone", "Nothing to redo.")

    def _history(self, operation: Callable[[], Any], verb: str, empty: str) -> None:
        try:
            step = operation()
        except RelectureError as exc:
            self.say(str(exc), title="Not saved", severity="error", timeout=10)
            return
        if step is None:
            self.say(empty, timeout=2)
            return
        if step.segment is not None and step.segment != self.current_index:
            position = self.session.position_of(step.segment)
            if position is not None:
                self.segment_list.move_to(position, center=True)
        self.after_change()
        self.say(f"{verb}: {step.label}", timeout=2)

    # --- search and filter ---------------------------------------------------------------------
    def _set_view(
        self, filter_spec: FilterSpec | None, search: SearchSpec | None, worst_first: bool = False
    ) -> bool:
        # An empty view has no current segment: come back to where the cursor was before it.
        index = self.current_index if self.current_index is not None else self._anchor
        try:
            self.session.set_view(filter_spec, search, worst_first)
        except TimeoutError:  # the view is left as it was
            assert search is not None
            self.say(f"Search {visible_line(search.describe())} gave up after {SEARCH_BUDGET:g} s: the pattern backtracks "
                     "too much (nested repeats such as (a+)+); simplify it.", severity="error", timeout=8)
            return False
        lst = self.segment_list
        lst.refresh_view()
        self.update_list_status()
        if worst_first:
            lst.move_to(0)  # the point of the order: start with the worst
        elif index is not None and len(self.session.view):
            lst.move_to(self.session.nearest_position(index) if not self.session.filtered else (
                self.session.position_of(index) or 0
            ), center=True)
        else:
            lst.move_to(0)
        return True

    @guarded
    def action_search(self) -> None:
        def done(spec: SearchSpec | None) -> None:
            if spec is None:
                return
            if not self._set_view(self.session.filter, spec if spec.pattern else None):
                return
            if spec.pattern:
                count = len(self.session.view)
                self.say(f"{count} segments match {spec.describe()}." if count else
                         f"Nothing matches {spec.describe()}; escape goes back to segment "
                         f"{self.label(self._anchor or 0)}.", timeout=3)

        self.open_dialog(SearchModal(self.session.search), done)
        self.call_after_refresh(self.session.prepare_search)  # while the pattern is typed

    @guarded
    def action_filter(self) -> None:
        def done(spec: FilterSpec | None) -> None:
            if spec is not None:
                self._set_view(spec, self.session.search)

        self.open_dialog(FilterModal(self.session.filter, self.session.families()), done)

    @guarded
    def action_worst_first(self) -> None:
        """Segments with a post-edit (or approved as is), lowest sentence chrF first."""
        self._set_view(self.session.filter, self.session.search, worst_first=True)
        if not self.session.view:
            self.say("No segment has a post-edit or is approved yet: nothing to compare.", timeout=4)
        else:
            self.say(f"{len(self.session.view)} segments, lowest chrF (most edited) first.", timeout=3)

    def action_clear(self) -> None:
        if self.reading.selecting:
            self.reading.stop_selection()
            return
        if self.session.filtered:
            self._set_view(None, None)

    @guarded
    def action_summary(self) -> None:
        """Progress, score, errors and flags at a glance; a bar or a place chosen there is shown."""
        from relecture.tui.modals.summary import SummaryChoice, open_summary

        def done(choice: SummaryChoice | None) -> None:
            if choice is None:
                return
            if choice.kind == "segment" and isinstance(choice.value, int):
                self.go_to_index(choice.value)
            else:
                key = "categories" if choice.kind == "category" else "families"
                values = frozenset({str(choice.value)})
                self._set_view(FilterSpec(categories=values) if key == "categories" else FilterSpec(families=values), None)

        self.open_dialog(open_summary(self.review_app), done)

    # --- jobs: checks and export ---------------------------------------------------------------
    @guarded
    def action_rerun_checks(self) -> None:
        def go(yes: bool | None) -> None:
            if yes:
                self.jobs.rerun_checks()

        self.open_dialog(
            ConfirmModal("Re-run every check on the document?",
                         "Flags are replaced; dismissed flags stay dismissed. u undoes it."),
            go,
        )

    @on(ChecksFinished)
    def _checks_finished(self, message: ChecksFinished) -> None:
        self.jobs.checks_finished(message)

    @guarded
    def action_export(self, fmt: str | None = None) -> None:
        try:
            from relecture.exporters import SUFFIXES
        except ImportError:
            self.say("Exporters are not available.", severity="error")
            return

        def done(request: ExportRequest | None) -> None:
            if request is not None:
                self.jobs.export(request)

        last = self.review_app.remembered
        folder = Path(last.export_dir) if last.export_dir else None
        self.open_dialog(ExportModal(self.session.store.path, dict(SUFFIXES), fmt or last.export_format, folder), done)


def _confirmed_flag(seg: Segment, ann: Annotation) -> Flag | None:
    """The dismissed flag that ``ann`` was made from by confirming it (origin ``flag:<check>``,
    same span), if the segment still has it."""
    if not ann.origin.startswith("flag:"):
        return None
    check = ann.origin.removeprefix("flag:")
    dismissed = set(seg.dismissed)
    linked = [f for f in seg.flags if f.key == ann.meta.get("flag") and f.key in dismissed]
    if linked:  # confirmed in this version: the annotation names its flag's key
        return linked[0]
    candidates = [f for f in seg.flags if f.check == check and f.key in dismissed]
    same_span = [f for f in candidates if (f.side, f.start, f.end) == (ann.side, ann.start, ann.end)]
    if same_span:
        return same_span[0]
    return candidates[0] if len(candidates) == 1 else None
