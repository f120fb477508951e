"""The review workbench: ``relecture review`` runs ``ReviewApp``.

Every change goes through ``ReviewStore.apply`` (journaled and fsynced before the next key is
handled), so ``q`` quits at once and a crash or ``kill -9`` loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.timer import Timer

from relecture.config import Config
from relecture.errors import ConflictError, RelectureError
from relecture.identity import resolve_reviewer
from relecture.model import Flag
from relecture.store import ReviewStore
from relecture.textsafe import visible, visible_line
from relecture.tui.actions import ANYWHERE, REVIEWING, help_bindings
from relecture.tui.commands import ReviewCommands
from relecture.tui.css_cache import share_parsed_css
from relecture.tui.keygate import KeyGate
from relecture.tui.memory import Memory, Remembered
from relecture.tui.modals import TextDialog
from relecture.tui.modals.confirm import ConfirmModal, DiscardModal
from relecture.tui.modals.help import HelpGroup, HelpModal
from relecture.tui.screen import ReviewScreen
from relecture.tui.session import Session

_HERE = Path(__file__).parent

# Documents up to this size are also saved whole a few seconds after the last change, so other
# tools reading the review file see fresh content; bigger ones rely on the journal until quit.
AUTOSAVE_MAX_SEGMENTS = 20_000
AUTOSAVE_DELAY = 3.0
LOAD_BATCH = 1500
TERMINAL_CHECK_SECONDS = 1.0
# The checks for post-edits are compiled (~0.3 s of CPU) this long after the document is in, off
# the event loop, so that neither the opening nor the first keys compete with them; a post-edit
# saved before that compiles them on the spot.
CHECKER_DELAY = 2.0
SETTLE_DELAY = 1.0  # seconds without a key before the heap is settled (_settle_if_idle)
GC_YOUNG = 2_000  # allocations between young collections (Python's default: 700)
# Young collections between middle ones (Python's default: 10). What survives a key (render
# caches: strips with their six caches each, ~2,000 objects a key) waits in the middle generation
# until the pause that settles the heap (_settle_if_idle); at 10, a middle collection every ten
# keys walked ~21,000 of them (10-30 ms, their references point all over the frozen document)
# and a full one every ~100 keys ~215,000 (~250 ms): at 1,000,000 segments most keys over two
# frames in bench/ui.py were those. At 100, a burst of keys without a pause of SETTLE_DELAY
# still collects once every ~100 keys, so memory stays bounded when nobody pauses.
GC_MIDDLE = 100
LOAD_PAUSE = 0.0  # seconds between batches: none, only a turn of the event loop (tests slow it)


class ReviewApp(App[None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = [_HERE / "app.tcss", _HERE / "modals.tcss"]  # absolute: subclasses live elsewhere
    TITLE = "relecture"
    COMMANDS = App.COMMANDS | {ReviewCommands}

    def __init__(
        self,
        store: ReviewStore,
        *,
        config: Config | None = None,
        glossary: Any = None,
        warnings: Iterable[str] = (),
        reviewer: str | None = None,
        theme: str | None = None,
        autosave: bool = True,
        cursor_blink: bool = True,
        memory: Memory | None = None,
    ) -> None:
        super().__init__()
        share_parsed_css(self.stylesheet)  # parsed once per process, not once per App
        self.store = store
        self.session = Session(store)
        self.config = config
        self.glossary = glossary
        self.startup_warnings = list(warnings)
        self.reviewer = reviewer if reviewer is not None else resolve_reviewer(None, config)
        store.reviewer = self.reviewer  # every change made here carries this one identity
        self.autosave = autosave
        self.cursor_blink = cursor_blink  # tests and snapshots turn it off for stable frames
        self._save_timer: Timer | None = None
        self._store_closed = False
        self._tally: Any = None
        # A progressive open counts the MQM tally batch by batch as the segments are read (see
        # _tally_loaded): built in one pass after, in a thread, it took the interpreter from
        # the first keys for seconds at 1,000,000 segments (bench/ui.py, 94 keys of 200 slowed).
        self._partial_tally: Any = None
        self._tallied = 0  # segments counted in _partial_tally
        self._tallied_last: Any = None  # the last of them (a re-parse replaces them all)
        self._changed_during_build: set[str] = set()
        self.load_error: RelectureError | None = None  # the rest of a progressive open failed
        self.save_deferred = False  # quit left the final save to the caller (see action_quit)
        self.key_gate = KeyGate(self)
        self.confirm_serious_approvals = _review_setting(config, "confirm_approve", True)
        self._checker: Any = None
        self._checker_lock = threading.Lock()
        self._last_key = 0.0  # time.monotonic() of the last key: the checker is built in a pause
        self._settle_timer: Timer | None = None
        self._gc_threshold = gc.get_threshold()
        self.memory = memory if memory is not None else Memory.load()
        self.remembered: Remembered = self.memory.recall(store.path)
        if theme:
            self.theme = theme
        elif self.remembered.theme in self.available_themes:
            self.theme = self.remembered.theme

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Plain messages quote data (check ids, categories, patterns, file and user names):
        control and bidi characters in them are shown as visible stand-ins."""
        if not markup:
            message, title = visible(message), visible_line(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # --- life cycle ---------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._last_key = time.monotonic()  # the checker waits for a pause (_prepare_checker)
            if self._settle_timer is None:
                self._settle_timer = self.set_timer(SETTLE_DELAY, self._settle_if_idle)
            # Keys from the terminal wait while a dialog may be opening (see KeyGate).
            if not event.is_forwarded and self.key_gate.holding:
                self.key_gate.hold(event)
                return
            await super().on_event(event)  # a key back from the screen: its bindings run here
            self.key_gate.handled(event)
            return
        await super().on_event(event)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().push_screen(screen, *args, **kwargs)
        self.key_gate.pushed(self.screen)
        return result

    def pop_screen(self) -> Any:
        result = super().pop_screen()
        self.key_gate.popped()
        return result

    def on_mount(self) -> None:
        self.session.listeners.append(self._segments_changed)
        # Fewer, larger young collections: a key allocates ~1,500 objects (strips, spans), so the
        # default 700 ran two collections a key and a full pass every ~50 keys (~100 ms over the
        # render caches); middle ones wait for the pauses (GC_MIDDLE). Put back when the app
        # ends (tests run several apps in one process).
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(GC_YOUNG, GC_MIDDLE, self._gc_threshold[2])
        if not self.is_headless:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                # `kill`, a service manager, a closing tmux: save, release the lock and leave the
                # way q does, so the terminal gets its normal screen back and mouse tracking off.
                asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._terminated)
        if not self.is_headless and _stdin_is_terminal():
            self.set_interval(TERMINAL_CHECK_SECONDS, self._check_terminal)
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                # The terminal hung up (window closed, ssh dropped, tmux session killed): save
                # and release the lock, as q does, instead of dying with the journal unfolded.
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._terminal_gone)
        screen = ReviewScreen(self.session)
        self._restore(screen)
        if self.store.loading:
            # A progressive open: the first segments show now, the rest is read between frames.
            screen.busy = "loading the document"
            self._partial_tally = self._make_tally(count=False)
            self._tally_loaded()
            self.call_after_refresh(self.run_worker, self._load_rest(), group="load", exclusive=True)
        elif self.session.total <= AUTOSAVE_MAX_SEGMENTS:
            self._tally = self._make_tally()  # small: at once, so the first frame has the score
        else:
            self._build_tally()
        self.push_screen(screen)
        if not self.store.loading:  # else once the document is in: not competing with the load
            self.set_timer(CHECKER_DELAY, self._prepare_checker)
        _settle_heap()
        for warning in self.startup_warnings:
            self.notify(warning, severity="warning", timeout=8, markup=False)

    async def _load_rest(self) -> None:
        """Read the rest of a progressively opened document in batches, yielding to the event
        loop between them so keys and frames go on (each batch takes ~20 ms)."""
        screen = self.review_screen
        while True:
            try:
                done = self.store.load_more(LOAD_BATCH)
            except RelectureError as exc:
                # The rest of the file is damaged: nothing was changed (changes wait for the end
                # of loading), so stop as `relecture review` does on any bad input.
                self.load_error = exc
                self.close_store()
                self.exit(return_code=exc.exit_code)
                return
            self._tally_loaded()
            if done:
                # Counted with the last batch, so the first frame of the whole document has it.
                self._tally, self._partial_tally = self._partial_tally, None
            screen.document_grew(done)
            # Each batch is frozen as it comes (its tally scores too: all live as long as the
            # session): the young collection that walks it would come anyway, and the middle
            # and full ones during the load (~200 ms every few seconds at 1,000,000 segments,
            # keys waiting) find nothing left to walk.
            _settle_heap()
            if done:
                self.set_timer(CHECKER_DELAY, self._prepare_checker)
                break
            await asyncio.sleep(LOAD_PAUSE)

    # --- what the next session starts from ------------------------------------------------------
    def _restore(self, screen: ReviewScreen) -> None:
        last = self.remembered
        if last.show_source is not None:
            screen.show_source = last.show_source
        if last.compact is not None:
            screen.compact = last.compact
        if last.position is not None:
            screen.resume_at = last.position

    def remember(self) -> None:
        """Record where this session is (position, panes, theme, last export) for the next one."""
        last = self.remembered
        try:
            screen = self.review_screen
        except LookupError:
            return
        seg = screen.current_segment
        if seg is not None:
            last.position = seg.id
        last.show_source, last.compact, last.theme = screen.show_source, screen.compact, self.theme
        self.memory.remember(self.store.path, last)

    def watch_theme(self, theme: str) -> None:
        if self.is_running and any(isinstance(s, ReviewScreen) for s in self.screen_stack):
            screen = self.review_screen
            if screen.is_mounted:  # colours drawn by relecture itself follow the theme too
                screen.update_list_status()
                screen.update_header()
                screen.refresh_segment(keep_scroll=True)
            self.remember()

    # --- checks on post-edits ---------------------------------------------------------------------
    def checker(self) -> Any:
        """The checks compiled for this document (built once, off the event loop when possible)."""
        with self._checker_lock:
            if self._checker is None:
                from relecture.checks import Checker

                self._checker = Checker(self.session.doc, self.config, self.glossary)
            return self._checker

    def use_config(self, config: Config) -> None:
        """The configuration changed on disk (a word added to the word list): checks from now on
        are compiled from it."""
        with self._checker_lock:
            self.config = config
            self._checker = None

    def on_unmount(self) -> None:
        gc.set_threshold(*self._gc_threshold)
        # What was frozen goes back to the collector: the session's cycles (widgets and their
        # parents) are freed when a process outlives its app (a test runner, an embedding).
        gc.unfreeze()

    def _settle_if_idle(self) -> None:
        """In a pause of the keys, collect what the keys left and freeze the rest (render
        caches: ~10^5 objects after a few hundred keys), so that the collector's full passes
        during the next keys walk only what those keys make."""
        idle = time.monotonic() - self._last_key
        if idle < SETTLE_DELAY or self.store.loading:  # loading: the document is not frozen yet
            self._settle_timer = self.set_timer(max(0.05, SETTLE_DELAY - idle), self._settle_if_idle)
            return
        self._settle_timer = None
        gc.collect()  # what is not frozen only: the document is not walked again
        gc.freeze()

    def _prepare_checker(self) -> None:
        """Compile the checks once the reviewer pauses: built while keys come, the thread takes
        the interpreter from them (keys 2-3x slower for a second or so at 100,000 segments).
        A post-edit needed sooner builds them at once (``checker``)."""
        idle = time.monotonic() - self._last_key
        if idle < CHECKER_DELAY:
            self.set_timer(CHECKER_DELAY - idle, self._prepare_checker)
            return
        self._build_checker()

    @work(thread=True, group="checker")
    def _build_checker(self) -> None:
        with contextlib.suppress(Exception):  # reported when a post-edit is saved, where it matters
            self.checker()
        # The compiled checks (word lists: ~10^5 objects) live as long as the session.
        self.call_from_thread(_settle_heap)

    def check_post_edit(self, index: int, value: str | None) -> list[Flag]:
        """The flags the segment checks find on ``value`` as segment ``index``'s post-edit."""
        if value is None:
            return []
        seg = self.session.segments[index]
        try:
            checker = self.checker()
        except Exception as exc:  # a bad glossary or config must not lose the post-edit
            self.notify(f"Post-edit saved unchecked: {exc}", severity="warning", markup=False)
            return []
        saved = seg.post_edit
        seg.post_edit = value  # checked as it will read; restored before the change is applied
        try:
            return checker.run_post_edits(self.session.doc, [index], whole=False).get(seg.id, [])
        finally:
            seg.post_edit = saved

    def _terminal_gone(self) -> None:
        self.close_store()
        self.exit(return_code=1)
        # Shutting down writes to a terminal that is gone and can stall (seen while a big file
        # was still loading); everything is saved and the lock released, so end regardless.
        watchdog = threading.Timer(3.0, os._exit, args=(1,))
        watchdog.daemon = True
        watchdog.start()

    def _terminated(self) -> None:
        self.close_store()
        self.exit(return_code=128 + signal.SIGTERM)

    def _check_terminal(self) -> None:
        """Quit when the terminal is gone without a hangup signal (its pseudo-terminal was closed
        by a dead emulator or harness): stdin then reads as end-of-file for ever, and Textual's
        input thread would spin at 100 % CPU with nobody to see it. Every change is on disk
        already; this folds the journal in and releases the lock."""
        if not _stdin_is_terminal():
            self._terminal_gone()

    @property
    def review_screen(self) -> ReviewScreen:
        for screen in self.screen_stack:
            if isinstance(screen, ReviewScreen):
                return screen
        raise LookupError("no review screen")

    def close_store(self) -> None:
        """Fold the journal into the review file and release the lock (idempotent)."""
        if self._store_closed:
            return
        self._store_closed = True
        with contextlib.suppress(LookupError):
            self.review_screen.jobs.cancel_checks()  # its result would come after the last save
        if self._save_timer is not None:
            self._save_timer.stop()
        try:
            self.store.close()
        except RelectureError as exc:
            # The journal is still on disk: nothing is lost, it is replayed on the next open.
            self.notify(str(exc), severity="error", markup=False)

    async def action_quit(self) -> None:
        dialog = self.screen
        if isinstance(dialog, TextDialog) and dialog.has_typed_text():
            def answered(discard: bool | None) -> None:
                if discard:
                    self._quit_now()

            self.push_screen(
                DiscardModal("Quit and discard the text you typed?", "y quits; n, escape or enter goes back to it."),
                answered,
            )
            return
        self._quit_now()

    def _quit_now(self) -> None:
        with contextlib.suppress(LookupError):
            self.review_screen.jobs.cancel_checks()  # quitting never waits for a re-run
        self.remember()
        if self.session.total > AUTOSAVE_MAX_SEGMENTS and not self.store.readonly and self.store.unsaved_changes:
            # Folding the journal into a big file takes seconds: give the terminal back at once
            # and let `relecture review` save after (every change is in the fsynced journal).
            self.save_deferred = True
            self.exit()
            return
        self.close_store()
        self.exit()

    def action_help(self) -> None:
        self.push_screen(HelpModal(help_groups()))

    # --- saving -------------------------------------------------------------------------------
    def schedule_save(self) -> None:
        if not self.autosave or self.store.readonly or self.session.total > AUTOSAVE_MAX_SEGMENTS:
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(AUTOSAVE_DELAY, self.save_now)

    def save_now(self) -> None:
        if self._store_closed or self.store.readonly or not self.store.unsaved_changes:
            return
        try:
            self.store.save()
        except ConflictError as exc:  # both versions kept; the session is read-only from now on
            self.notify(str(exc), title="Not saved: the file changed on disk", severity="error",
                        timeout=30, markup=False)
            self._refresh_header()
            return
        except RelectureError as exc:
            self.notify(str(exc), title="Save failed (changes are safe in the journal)", severity="error", markup=False)
            return
        self._refresh_header()

    def _refresh_header(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ReviewScreen) and screen.is_mounted:
                screen.update_header()

    # --- running MQM score --------------------------------------------------------------------
    @property
    def tallied(self) -> bool:
        """Whether the whole document's tally is built (``score()`` stays None while nothing is reviewed)."""
        return self._tally is not None

    def score(self) -> float | None:
        return None if self._tally is None else self._tally.mqm

    def verdict(self) -> str | None:
        """PASS, FAIL or NO VERDICT under ``[scoring] pass_threshold``; None without one."""
        verdict = None if self._tally is None else self._tally.verdict
        return None if verdict is None else verdict.label

    def _make_tally(self, *, count: bool = True) -> Any:
        try:
            from relecture.scoring import ScoreTally, settings_from_config
        except ImportError:
            return None
        try:
            return ScoreTally(self.session.doc, settings_from_config(self.config), count=count)
        except RelectureError as exc:
            self.startup_warnings.append(f"MQM score off: {exc}")
            return None

    @work(thread=True, exclusive=True, group="score")
    def _build_tally(self) -> None:
        """One pass over the document, off the event loop (100,000 segments take a moment)."""
        tally = self._make_tally()
        self.call_from_thread(self._tally_ready, tally)

    def _tally_ready(self, tally: Any) -> None:
        if tally is None:
            return
        # Segments changed while the tally was being built are counted again now.
        for segment_id in self._changed_during_build:
            tally.update(segment_id)
        self._tally = tally
        _settle_heap()  # its per-segment scores live as long as the session
        self._refresh_header()

    def _tally_loaded(self) -> None:
        """Count the segments a progressive open has read since the last batch (~2 us each:
        a tenth of what reading them costs)."""
        tally = self._partial_tally
        if tally is None:  # no scoring (a bad [scoring] table: said at the start)
            return
        segments = self.session.segments
        start = self._tallied
        if len(segments) < start or (start and segments[start - 1] is not self._tallied_last):
            # The loader fell back to a whole parse and replaced the segments: count afresh.
            tally = self._partial_tally = self._make_tally(count=False)
            start = 0
            if tally is None:
                return
        tally.add(itertools.islice(segments, start, None))
        self._tallied = len(segments)
        self._tallied_last = segments[-1] if segments else None

    def _segments_changed(self, indexes: list[int]) -> None:
        for index in indexes:
            segment_id = self.session.segments[index].id
            if self._tally is None:
                self._changed_during_build.add(segment_id)
            else:
                self._tally.update(segment_id)


def _review_setting(config: Config | None, key: str, default: bool) -> bool:
    """A yes/no setting of the ``[review]`` table (the default when absent or not a boolean)."""
    if config is None:
        return default
    try:
        value = config.table("review").get(key, default)
    except RelectureError:
        return default
    return value if isinstance(value, bool) else default


def _settle_heap() -> None:
    """Keep the document out of the garbage collector's full passes.

    Its million objects live as long as the session; a full collection would walk them all
    (~150 ms at 100,000 segments) at a moment of its choosing, say in the middle of a key press.
    Freezing moves what exists now out of the collector's sight; new objects are still collected.
    """
    gc.collect(1)  # the young garbage first (cheap): frozen, a cycle would never be freed
    gc.freeze()


def _stdin_is_terminal() -> bool:
    try:
        return os.isatty(sys.__stdin__.fileno())  # type: ignore[union-attr]  # None: AttributeError, caught
    except (AttributeError, ValueError, OSError):
        return False


def help_groups() -> list[HelpGroup]:
    """Every binding of the workbench, grouped by where it applies."""
    from relecture.tui.modals.adjudicate import AdjudicateModal
    from relecture.tui.modals.annotate import AnnotateModal
    from relecture.tui.modals.export import ExportModal
    from relecture.tui.modals.filter import FilterModal
    from relecture.tui.modals.jump import JumpModal
    from relecture.tui.modals.note import NoteModal
    from relecture.tui.modals.post_edit import PostEditModal
    from relecture.tui.modals.search import SearchModal
    from relecture.tui.modals.summary import DocumentStrip, SummaryModal

    return [
        (REVIEWING, help_bindings(REVIEWING)),
        (ANYWHERE, help_bindings(ANYWHERE)),
        ("Annotation dialog", _bindings(AnnotateModal.BINDINGS)),
        ("Post-edit dialog", _bindings(PostEditModal.BINDINGS)),
        ("Note dialog", _bindings(NoteModal.BINDINGS)),
        ("Search dialog", _bindings(SearchModal.BINDINGS)),
        ("Filter dialog", _bindings(FilterModal.BINDINGS)),
        ("Go-to dialog", _bindings(JumpModal.BINDINGS)),
        ("Export dialog", _bindings(ExportModal.BINDINGS)),
        ("Adjudication", _bindings(AdjudicateModal.BINDINGS)),
        ("Questions", _bindings(ConfirmModal.BINDINGS)),
        ("Discard typed text?", _bindings(DiscardModal.BINDINGS)),
        ("Summary screen (S)", _bindings([*DocumentStrip.BINDINGS, *SummaryModal.BINDINGS])),
    ]


def _bindings(declared: Iterable[Binding | tuple[str, str] | tuple[str, str, str]]) -> list[Binding]:
    """A BINDINGS list as Binding objects (a class may declare some as tuples)."""
    return list(Binding.make_bindings(declared))

