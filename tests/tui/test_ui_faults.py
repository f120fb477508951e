"""SIGKILL during a real review session, at random points (issue 6, "Faults").

The real ``relecture review`` runs in a pseudo-terminal and is driven by a seeded random sequence
of keys that change the document (approve, status, dismiss, annotate, note, post-edit, undo,
redo). A change counts as acknowledged when the screen shows it: the header's journal counter
reaches the expected value ("● on disk (journal N)"), which the app draws only after the change
is fsynced. A model of what each acknowledged key did is kept while driving. The process is then
killed with SIGKILL (right after a key, in the middle of a dialog, or around the autosave) and
reopening must show every acknowledged change, a file that matches the schema, and the lock of
the dead process recovered.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import pytest
from tests.tui.conftest import build_document
from tests.tui.test_review_e2e import Terminal

from relecture.model import Flag
from relecture.store import ReviewStore, journal_path, lock_path

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
    pytest.mark.slow,  # real processes in pseudo-terminals
]

STATUS_CYCLE = ["todo", "approved", "needs-work", "rejected"]
# Search words whose first match in the category tree is already the final one from the third
# letter on, so a repaint caught between two keystrokes cannot show another category.
SEARCHES = {
    "mistrans": "Accuracy/Mistranslation",
    "grammar": "Fluency/Grammar",
    "omission": "Accuracy/Omission",
    "spelling": "Fluency/Spelling",
    "awkward": "Style/Awkward style",
}
SEVERITY_DIGITS = {"1": "minor", "2": "major", "3": "critical", "0": "neutral"}
SAVED = "● saved".encode()
WAIT = 15.0  # generous: two test workers share the machine
# The app's autosave delay (relecture.tui.app.AUTOSAVE_DELAY, 3 s), lowered in the process under
# test as test_review_keys lowers it in-process: the autosave cases then cost a second of idling
# each, not three. Still several steps' worth of keys, so most steps land between two saves.
AUTOSAVE_DELAY = 1.0
REVIEW = [sys.executable, "-c",
          "import sys; import relecture.tui.app as app; app.AUTOSAVE_DELAY = float(sys.argv.pop(1)); "
          "from relecture.cli import main; main(prog_name='relecture')", str(AUTOSAVE_DELAY), "review"]

Annotation = tuple[str, int, int, str, str, str, str, str]  # side start end category severity comment correction origin


@dataclass(frozen=True)
class Seg:
    """What a reopened session must show for one segment."""

    status: str = "todo"
    note: str = ""
    post_edit: str | None = None
    dismissed: bool = False  # the segment's one flag (when it has one)
    annotations: tuple[Annotation, ...] = ()


Snapshot = tuple[Seg, ...]


@dataclass
class Model:
    """The document and the UI state (cursor, current item, undo/redo) as the app keeps them."""

    targets: list[str]
    flags: dict[int, Flag]
    segs: list[Seg]
    cursor: int = 0
    item: int | None = None
    undo: list[tuple[Snapshot, Snapshot, int, int]] = field(default_factory=list)  # before, after, changes, segment
    redo: list[tuple[Snapshot, Snapshot, int, int]] = field(default_factory=list)

    def copy(self) -> Model:
        return Model(self.targets, self.flags, list(self.segs), self.cursor, self.item, list(self.undo), list(self.redo))

    def first_open(self, i: int) -> int | None:
        seg = self.segs[i]
        if i in self.flags and not seg.dismissed:
            return 0
        return 0 if (i in self.flags or seg.annotations) else None

    def move(self, position: int) -> None:
        # move_to always resets the current item, even when the cursor is already at the end.
        self.cursor = max(0, min(position, len(self.segs) - 1))
        self.item = self.first_open(self.cursor)

    def current_item(self) -> str | None:
        nflags = 1 if self.cursor in self.flags else 0
        count = nflags + len(self.segs[self.cursor].annotations)
        if self.item is None or not 0 <= self.item < count:
            return None
        return "flag" if self.item < nflags else "annotation"

    def commit(self, before: Snapshot, changes: int, segment: int) -> None:
        self.undo.append((before, tuple(self.segs), changes, segment))
        self.redo.clear()


@dataclass
class Step:
    label: str
    actions: list[tuple[str, bytes]]  # ("send", keys) or ("wait", bytes/regex shown on screen)
    changes: int
    after: Model


def plan_step(model: Model, rng: random.Random, number: int) -> Step:
    """Pick a key (weighted towards changes) and what the app must do with it."""
    m = model.copy()
    cur = m.cursor
    seg = m.segs[cur]
    before = tuple(m.segs)
    choices = ["j", "j", "k", "g", "space", "space", "s", "s", "a", "a", "m", "e"]
    if m.current_item() == "flag":
        choices += ["x", "x", "a"]
    if m.undo:
        choices += ["u", "u"]
    if m.redo:
        choices += ["redo"]
    key = rng.choice(choices)
    token = f"z{number}" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyzé") for _ in range(3))
    if key in ("j", "k", "g"):
        m.move({"j": cur + 1, "k": cur - 1, "g": 0}[key])
        return Step(key, [("send", key.encode())], 0, m)
    if key == "space":
        changes = 0
        if seg.status != "approved":
            m.segs[cur] = replace(seg, status="approved")
            m.commit(before, 1, cur)
            changes = 1
        m.move(cur + 1)
        return Step("approve+next", [("send", b" ")], changes, m)
    if key == "s":
        status = STATUS_CYCLE[(STATUS_CYCLE.index(seg.status) + 1) % len(STATUS_CYCLE)]
        m.segs[cur] = replace(seg, status=status)
        m.commit(before, 1, cur)
        return Step(f"status {status}", [("send", b"s")], 1, m)
    if key == "x":
        m.segs[cur] = replace(seg, dismissed=not seg.dismissed)
        m.commit(before, 1, cur)
        if not seg.dismissed:
            first = m.first_open(cur)
            m.item = first if first is not None else m.item
        return Step("dismiss" if not seg.dismissed else "restore flag", [("send", b"x")], 1, m)
    if key == "a" and m.current_item() == "flag" and not seg.dismissed:
        flag = m.flags[cur]
        ann: Annotation = ("target", flag.start, flag.end, flag.category, flag.severity, flag.message,
                           flag.suggestion, f"flag:{flag.check}")
        m.segs[cur] = replace(seg, dismissed=True, annotations=(*seg.annotations, ann))
        m.commit(before, 1, cur)  # the annotation and the flag's dismissal: one undo step, one journal line
        m.item = 1 + len(m.segs[cur].annotations) - 1  # the new annotation is current
        heading = f"Confirm flag {flag.check}: target {flag.start}-{flag.end}".encode()
        return Step("annotate flag", [("send", b"a"), ("wait", heading), ("send", b"\r")], 1, m)
    if key == "a":
        word = rng.choice(sorted(SEARCHES))
        digit = rng.choice(["", *SEVERITY_DIGITS])
        category = SEARCHES[word]
        length = len(m.targets[cur])
        ann = ("target", 0, length, category, SEVERITY_DIGITS.get(digit, "minor"), "", "", "manual")
        m.segs[cur] = replace(seg, annotations=(*seg.annotations, ann))
        m.commit(before, 1, cur)
        m.item = (1 if cur in m.flags else 0) + len(m.segs[cur].annotations) - 1
        # The digit goes first: once the category for the whole word shows, the digit was handled.
        shown = b"Category: (?:\x1b\\[[0-9;]*m)*" + re.escape(category.encode())
        return Step(f"annotate {category} {digit}", [
            ("send", b"a"), ("wait", f"Annotate: target 0-{length}".encode()),
            ("send", (digit + word).encode()), ("wait", word.encode()), ("regex", shown), ("send", b"\r"),
        ], 1, m)
    if key == "m":
        m.segs[cur] = replace(seg, note=seg.note + " " + token)
        m.commit(before, 1, cur)
        return Step(f"note {token}", [
            ("send", b"m"), ("wait", f"Note on segment s{cur + 1}".encode()),
            ("send", (" " + token).encode()), ("wait", token.encode()), ("send", b"\r"),
        ], 1, m)
    if key == "e":
        base = seg.post_edit if seg.post_edit is not None else m.targets[cur]
        m.segs[cur] = replace(seg, post_edit=base + " " + token)
        m.commit(before, 1, cur)
        return Step(f"post-edit {token}", [
            ("send", b"e"), ("wait", f"Post-edit segment s{cur + 1}".encode()),
            ("send", (" " + token).encode()), ("wait", token.encode()), ("send", b"\r"),
        ], 1, m)
    if key == "u":
        snap_before, snap_after, changes, segment = m.undo.pop()
        m.segs = list(snap_before)
        m.redo.append((snap_before, snap_after, changes, segment))
        if segment != cur:
            m.move(segment)
        return Step("undo", [("send", b"u")], changes, m)
    snap_before, snap_after, changes, segment = m.redo.pop()
    m.segs = list(snap_after)
    m.undo.append((snap_before, snap_after, changes, segment))
    if segment != cur:
        m.move(segment)
    return Step("redo", [("send", b"\x19")], changes, m)  # ctrl+y


class Driver:
    def __init__(self, term: Terminal) -> None:
        self.term = term
        self.pending = 0  # the header's journal counter (changes since the last save)
        self.last_ack = 0  # output offset of the last acknowledgement

    def wait(self, offset: int, needle: bytes, regex: bool = False) -> int:
        """Wait until ``needle`` is shown after ``offset``; return where it ends."""
        term = self.term
        pattern = re.compile(needle if regex else re.escape(needle))
        deadline = time.monotonic() + WAIT
        while True:
            found = pattern.search(term.output, offset)
            if found:
                return found.end()
            # Keys typed while the machine is busy reach the screen over several frames, each
            # drawing only the cells that changed ("z14u", then a cursor move and "ff"): the text
            # is shown once it reads whole with the escape sequences taken out.
            if not regex:
                end = _found_unescaped(bytes(term.output[offset:]), needle)
                if end is not None:
                    return offset + end
            assert term.proc.poll() is None, f"exited early: {bytes(term.output[-2000:])!r}"
            assert time.monotonic() < deadline, f"{needle!r} never shown; got {bytes(term.output[-3000:])!r}"
            time.sleep(0.005)

    def run(self, actions: list[tuple[str, bytes]]) -> int:
        """Send and wait as told; return the output offset before the last key sent."""
        offset = len(self.term.output)
        for kind, data in actions:
            if kind == "send":
                offset = len(self.term.output)
                os.write(self.term.master, data)
            else:
                self.wait(offset, data, regex=kind == "regex")
        return offset

    def acknowledged(self, offset: int, changes: int, landed: Callable[[], bool]) -> None:
        """The header shows the journal counter after this step's changes (on disk by then).

        An autosave (due AUTOSAVE_DELAY after the previous step's change: a slow machine) may run
        between this step's change and the frame that would show its counter, which then never
        appears: "● saved" does. The step is then acknowledged by the disk, if it holds it."""
        expected = f"(journal {self.pending + changes})".encode()
        after_save = f"(journal {changes})".encode()
        term = self.term
        deadline = time.monotonic() + WAIT
        while True:
            if term.output.find(expected, offset) >= 0:
                self.pending += changes
                break
            # An autosave in between resets the counter; it shows "● saved" first.
            saved = term.output.rfind(SAVED, self.last_ack)
            if saved >= 0 and term.output.find(after_save, max(saved, offset)) >= 0:
                self.pending = changes
                break
            if term.output.rfind(SAVED, offset) >= 0 and landed():
                self.pending = 0
                break
            assert term.proc.poll() is None, f"exited early: {bytes(term.output[-2000:])!r}"
            assert time.monotonic() < deadline, f"{expected!r} never shown; got {bytes(term.output[-3000:])!r}"
            time.sleep(0.005)
        self.last_ack = len(term.output)


_CSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")


def _found_unescaped(raw: bytes, needle: bytes) -> int | None:
    """Where ``needle`` ends in ``raw`` once its escape sequences are taken out, or None."""
    kept = bytearray()
    where: list[int] = []  # the raw offset of each kept byte
    at = 0
    for escape in _CSI.finditer(raw):
        kept += raw[at:escape.start()]
        where.extend(range(at, escape.start()))
        at = escape.end()
    kept += raw[at:]
    where.extend(range(at, len(raw)))
    found = kept.find(needle)
    return None if found < 0 else where[found + len(needle) - 1] + 1


def on_disk_as(path: Path, model: Model) -> bool:
    """Whether the review file and its journal hold ``model`` (read-only: the app keeps its lock)."""
    store = ReviewStore.open(path, readonly=True)
    try:
        return disk_state(store, model) == model.segs
    finally:
        store.close()


def disk_state(store: ReviewStore, model: Model) -> list[Seg]:
    out = []
    for i, seg in enumerate(store.doc.segments):
        flag = model.flags.get(i)
        out.append(Seg(
            status=seg.status,
            note=seg.note,
            post_edit=seg.post_edit,
            dismissed=flag is not None and flag.key in seg.dismissed,
            annotations=tuple(
                (a.side, a.start, a.end, a.category, a.severity, a.comment, a.correction, a.origin)
                for a in seg.annotations
            ),
        ))
    return out


@pytest.mark.parametrize(
    ("seed", "kill"),
    [
        (11, "right after the last key"),
        (23, "in the middle of the last step"),
        (37, "around the autosave"),
    ],
)
def test_sigkill_at_random_points_keeps_every_acknowledged_change(
    tmp_path: Path, valid_review, seed: int, kill: str  # type: ignore[no-untyped-def]
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "doc.txt.review.json"
    doc = build_document()  # 8 bilingual segments; segments 1 and 4 carry a flag
    ReviewStore.create(path, doc).close()
    # The model approves flagged segments with one key (the question is tested elsewhere).
    (tmp_path / "relecture.toml").write_text("[review]\nconfirm_approve = false\n", encoding="utf-8")
    model = Model(
        targets=[s.target for s in doc.segments],
        flags={i: s.flags[0] for i, s in enumerate(doc.segments) if s.flags},
        segs=[Seg() for _ in doc.segments],
    )
    model.item = model.first_open(0)
    env = {**os.environ, "TERM": "xterm-256color", "RELECTURE_DATA_DIR": str(tmp_path / "data")}
    env.pop("NO_COLOR", None)
    # pytest-xdist workers export COLUMNS=80 LINES=24, which Textual prefers to the pty's size.
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    steps = rng.randint(14, 22)
    # One run also idles long enough mid-way for an autosave (the counter restarts from 1).
    idle_at = rng.randrange(4, steps - 2) if kill == "in the middle of the last step" else None
    log: list[str] = []
    pending: Model | None = None  # the model if the last, unacknowledged step went through
    term = Terminal([*REVIEW, str(path)], env)
    pid = term.proc.pid
    try:
        term.wait_output(b"Approve+next")  # the review screen is up and takes keys
        driver = Driver(term)
        for number in range(steps):
            step = plan_step(model, rng, number)
            last = number == steps - 1
            if last and kill == "in the middle of the last step":
                while sum(kind == "send" for kind, _ in step.actions) < 3:  # a dialog: a, text, enter
                    step = plan_step(model, rng, number)
                sends = [i for i, (kind, _) in enumerate(step.actions) if kind == "send"]
                actions = step.actions[: rng.choice(sends[:-1]) + 1]  # before its enter
            elif last and kill == "right after the last key":
                actions = step.actions
            if last and kill != "around the autosave":
                complete = len(actions) == len(step.actions)
                driver.run(actions)
                time.sleep(rng.choice([0.0, 0.0, rng.uniform(0.0, 0.02)]))
                os.kill(pid, signal.SIGKILL)  # no wait: the key may or may not be handled
                pending = step.after if complete else None
                log.append(f"{number}: {step.label} (killed {'after' if complete else 'during'} it)")
                break
            offset = driver.run(step.actions)
            if step.changes:
                driver.acknowledged(offset, step.changes, partial(on_disk_as, path, step.after))
            model = step.after
            log.append(f"{number}: {step.label} -> segment {model.cursor + 1} item {model.item}")
            if number == idle_at and driver.pending:
                # Idle until the autosave due AUTOSAVE_DELAY after the last change shows (it comes
                # after that change's acknowledgement); the counter then restarts from 1.
                driver.wait(driver.last_ack, SAVED)
                log.append("idle: autosave")
        if kill == "around the autosave":
            # From just before to just after the save that starts AUTOSAVE_DELAY after the last change.
            time.sleep(AUTOSAVE_DELAY + rng.uniform(-0.05, 0.15))
            os.kill(pid, signal.SIGKILL)
    finally:
        term.kill()
    assert term.proc.returncode == -signal.SIGKILL
    story = "\n".join(log)

    # Saves are atomic: whatever moment the kill hit, the review file is whole and valid.
    valid_review(path)
    store = ReviewStore.open(path)  # a LockedError here would mean the dead process's lock stuck
    try:
        assert any(f"recovered a lock left by pid {pid}" in w for w in store.warnings), store.warnings
        # SIGKILL can only cut the last journal line short; every other line is replayed.
        assert not [w for w in store.warnings if "unreadable line" in w or "no longer fits" in w], store.warnings
        found = disk_state(store, model)
    finally:
        store.close()
    valid_review(path)
    assert not journal_path(path).exists() and not lock_path(path).exists()

    for i, (seen, want) in enumerate(zip(found, model.segs, strict=True)):
        if pending is None:
            assert seen == want, f"segment {i + 1}: {seen} != acknowledged {want}\n{story}"
            continue
        maybe = pending.segs[i]
        # The last key was not acknowledged: its action is there whole or not at all (one
        # journal line per action), never half of it (an annotation without its flag's dismissal).
        assert seen in (want, maybe), (
            f"segment {i + 1}: {seen} is neither the acknowledged {want} nor the unacknowledged {maybe}\n{story}"
        )
