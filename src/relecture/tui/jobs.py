"""The workbench's background jobs: re-running the checks, exporting, spelling a post-edit.

Each job reads the document off the event loop and hands its result back as a message; whatever
it changes is applied on the event loop as one journaled, undoable step. While a job reads the
live document the screen is ``busy`` and refuses changes (see ``ReviewScreen.allowed``).

The checks run in a daemon thread of their own, not in Textual's thread workers: those share the
event loop's executor, which the app joins on exit, so quitting during a re-run on a big document
(or a slow custom rule) would wait for it to end. Quitting cancels the run instead: its result is
dropped unread, nothing of it reaches the review file, and the thread dies with the process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message

from relecture.model import Flag, ReviewDocument

if TYPE_CHECKING:
    from relecture.tui.modals.export import ExportRequest
    from relecture.tui.screen import ReviewScreen


@dataclass
class CheckRun:
    """One re-run of the checks; ``cancelled`` once nobody wants its result."""

    cancelled: threading.Event = field(default_factory=threading.Event)


class ChecksFinished(Message):
    """A re-run of the checks ended (``error`` set when a check failed)."""

    def __init__(self, run: CheckRun, result: dict[str, list[Flag]], post_edits: dict[str, list[Flag]],
                 error: Exception | None = None, warnings: list[str] | None = None) -> None:
        super().__init__()
        self.run, self.result, self.post_edits, self.error = run, result, post_edits, error
        self.warnings = warnings or []  # patterns that went over their time budget, skipped


class Jobs:
    """The background jobs of one review screen."""

    def __init__(self, screen: ReviewScreen) -> None:
        self.screen = screen
        self.check_run: CheckRun | None = None

    # --- re-running the checks ---------------------------------------------------------------
    def rerun_checks(self) -> None:
        screen = self.screen
        run = self.check_run = CheckRun()
        screen.busy = "re-running checks"
        screen.say("Re-running checks…", timeout=2)
        threading.Thread(target=self._check, args=(run,), name="relecture-checks", daemon=True).start()

    def _check(self, run: CheckRun) -> None:
        screen = self.screen
        try:
            checker = screen.review_app.checker()
            doc = screen.session.doc
            result = checker.run(doc)
            post_edits = checker.run_post_edits(doc)  # every check, on the final text too
        except Exception as exc:  # a check bug must not take the review down
            finished = ChecksFinished(run, {}, {}, exc)
        else:
            from relecture.patterns import take_warnings

            finished = ChecksFinished(run, result, post_edits, warnings=take_warnings())
        if not run.cancelled.is_set():
            screen.post_message(finished)  # thread-safe; dropped if the screen is gone

    def cancel_checks(self) -> None:
        """Drop the running re-run's result (quitting): the review stays as it was before it."""
        run, self.check_run = self.check_run, None
        if run is not None:
            run.cancelled.set()
            self.screen.busy = ""

    def checks_finished(self, message: ChecksFinished) -> None:
        if message.run is not self.check_run or message.run.cancelled.is_set():
            return  # cancelled while its message was on the way
        self.check_run = None
        screen = self.screen
        screen.busy = ""
        if message.error is not None:
            screen.say(f"Checks failed: {message.error}", severity="error", timeout=10)
            return
        for warning in message.warnings:  # a pattern over its time budget was skipped: say which
            screen.say(warning, severity="warning", timeout=10)
        from relecture.checks import flag_changes

        changes = flag_changes(screen.session.doc, message.result, message.post_edits)
        if not changes:
            screen.say("Checks done: no flag changed.", timeout=3)
            return
        if screen.change(changes, f"re-run checks ({len(changes)} segments)"):
            screen.say(f"Checks done: flags changed on {len(changes)} segments.", timeout=3)

    # --- export -------------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> None:
        self.screen.busy = "an export"
        # A Textual worker: quitting waits for a file being written to be complete.
        self.screen.run_worker(partial(self._export, request), thread=True, exclusive=True, group="export")

    def _export(self, request: ExportRequest) -> None:
        screen = self.screen
        try:
            from relecture.exporters import export_document, export_options
            from relecture.layers import attributed

            app = screen.review_app  # [scoring] and the reviewer, as `relecture export` reads them
            options = export_options(screen.session.store.path, app.config, app.reviewer)
            doc = attributed(screen.session.doc, app.reviewer)
            export_document(doc, request.fmt, request.path, options)
        except Exception as exc:  # reported, never fatal: the review itself is safe on disk
            screen.app.call_from_thread(self._export_done, request, str(exc))
            return
        screen.app.call_from_thread(self._export_done, request, None)

    def _export_done(self, request: ExportRequest, error: str | None) -> None:
        screen = self.screen
        screen.busy = ""
        if error:
            screen.say(error, title="Export failed", severity="error", timeout=10)
        else:
            screen.say(f"Exported {request.fmt} to {request.path}", timeout=5)
            app = screen.review_app
            last = app.remembered
            last.export_dir, last.export_format = str(request.path.resolve().parent), request.fmt
            app.remember()

    # --- spelling of a saved post-edit ----------------------------------------------------------
    def spell_post_edit(self, doc: ReviewDocument, seg_id: str) -> None:
        """Misspelt words of the post-edit, told once it is saved (the word list loads once)."""
        self.screen.run_worker(partial(self._spell, doc, seg_id), thread=True, group="spelling")

    def _spell(self, doc: ReviewDocument, seg_id: str) -> None:
        screen = self.screen
        try:
            from relecture.checks.spelling import post_edit_errors

            found = post_edit_errors(doc, screen.review_app.config, [seg_id]).get(seg_id)
        except Exception:  # spelling is advice: never a reason to disturb the review
            return
        if found:
            words = ", ".join(f"“{word}” (“{suggestion}”?)" for _, _, word, suggestion in found[:5])
            screen.app.call_from_thread(screen.say, f"Spelling in the post-edit: {words}", timeout=6)
