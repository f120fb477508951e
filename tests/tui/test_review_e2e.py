"""End to end: the real ``relecture review`` in a pseudo-terminal, killed with SIGKILL after an
annotation; reopening finds the annotation (it was journaled and fsynced before the next key)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from relecture.store import ReviewStore, journal_path, lock_path, review_path_for

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
    pytest.mark.slow,  # real processes in pseudo-terminals
]


class Terminal:
    """A child process on a pty whose output is drained in the background."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (120, 40)) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.master = master
        self.output = bytearray()
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if ready:
                    chunk = os.read(self.master, 65536)
                    if not chunk:
                        return
                    self.output.extend(chunk)
            except OSError:
                return

    def send(self, keys: str) -> None:
        """Keys in one burst, as a paste or a laggy link delivers them: none may be lost."""
        os.write(self.master, keys.encode())

    def wait_output(self, needle: bytes, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            assert time.monotonic() < deadline, f"{needle!r} never shown; got {bytes(self.output[-2000:])!r}"
            assert self.proc.poll() is None, f"exited early: {bytes(self.output[-2000:])!r}"
            time.sleep(0.05)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        os.close(self.master)


def wait_file(path: Path, needle: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not (path.exists() and needle in path.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, f"{path} never got {needle!r}"
        time.sleep(0.05)


def test_annotate_then_kill_9_loses_nothing(tmp_path: Path) -> None:
    doc = tmp_path / "article.fr.txt"
    doc.write_text(
        "Voici la traduction en français :\n"
        "Le président a déclaré que les courts-métrages ouvrent un nouveau monde.\n",
        encoding="utf-8",
    )
    term = Terminal([sys.executable, "-m", "relecture", "review", str(doc)], review_env(tmp_path))
    review = review_path_for(doc)
    try:
        wait_file(review, '"segments"')  # imported, checked and saved before the screen
        term.wait_output(b"Approve+next")  # the review screen is up and takes keys
        term.send("ja")
        term.wait_output(b"Category")
        term.send("mistrans2\r")
        wait_file(journal_path(review), '"put_annotation"')
        term.send(" ")  # approve segment 2 too
        wait_file(journal_path(review), '"set_status"')
    finally:
        term.kill()
    assert term.proc.returncode == -signal.SIGKILL
    # The killed process's lock is gone with it; the journal is replayed on the next open.
    store = ReviewStore.open(review)
    try:
        seg = store.doc.segments[1]
        [ann] = seg.annotations
        assert (ann.category, ann.severity, ann.start, ann.end) == (
            "Accuracy/Mistranslation", "major", 0, len(seg.target)
        )
        assert seg.status == "approved"
        assert any("restored 2 unsaved change(s)" in w for w in store.warnings)
    finally:
        store.close()


def review_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color", "RELECTURE_DATA_DIR": str(tmp_path / "data")}
    # pytest-xdist workers export COLUMNS/LINES, which Textual would prefer to the pty's size.
    for name in ("NO_COLOR", "COLUMNS", "LINES"):
        env.pop(name, None)
    return env


@pytest.mark.parametrize("ending", ["pty closed", "SIGHUP"])
def test_a_terminal_that_goes_away_ends_the_session_with_everything_saved(tmp_path: Path, ending: str) -> None:
    """The pseudo-terminal is closed without a hangup signal (a crashed emulator, a harness that
    went away), or the session gets SIGHUP (window closed, ssh dropped, tmux session killed): it
    must fold its journal into the file, release the lock and exit, instead of spinning on an
    input that reads as end-of-file for ever or dying with the journal unfolded."""
    from tests.tui.conftest import build_document

    path = tmp_path / "doc.review.json"
    ReviewStore.create(path, build_document()).close()
    # Segment 1 has a major flag: approving it without the question (tested in test_workbench_day).
    (tmp_path / "relecture.toml").write_text("[review]\nconfirm_approve = false\n", encoding="utf-8")
    term = Terminal([sys.executable, "-m", "relecture", "review", str(path)], review_env(tmp_path))
    try:
        term.wait_output(b"Approve+next")  # the review screen is up and takes keys
        term.send(" ")  # approve segment 1
        wait_file(journal_path(path), '"set_status"')
        if ending == "SIGHUP":
            os.kill(term.proc.pid, signal.SIGHUP)
        else:
            os.close(term.master)  # no SIGHUP: the child has its own session
        term.proc.wait(timeout=15)
    finally:
        if term.proc.poll() is None:
            os.kill(term.proc.pid, signal.SIGKILL)
            term.proc.wait(timeout=10)
            pytest.fail("relecture review kept running after its terminal was gone")
        if ending == "SIGHUP":
            os.close(term.master)
    assert term.proc.returncode == 1  # handled (not killed by the signal): "the terminal went away"
    assert not journal_path(path).exists() and not lock_path(path).exists()
    assert '"status": "approved"' in path.read_text(encoding="utf-8")


# Loaded into the child: the re-run of the checks (in a thread; the main thread's checks at
# import are real) never ends, as on a huge document or a pathological rule.
_ENDLESS_CHECKS = '''
import threading
from relecture import checks

_real_run = checks.Checker.run


def _endless(self, doc, workers=None):
    if threading.current_thread() is threading.main_thread():
        return _real_run(self, doc, workers)
    threading.Event().wait()


checks.Checker.run = _endless
'''


def test_quitting_during_a_rerun_of_the_checks_ends_at_once_with_nothing_half_written(tmp_path: Path) -> None:
    """ctrl+r, y, then q while the checks run: the process ends (it used to wait for the run),
    the review file is folded and unlocked, and none of the run's flags reach it."""
    from tests.tui.conftest import build_document

    path = tmp_path / "doc.review.json"
    ReviewStore.create(path, build_document(targets=["Voici la traduction en français :", "Une phrase."])).close()
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(_ENDLESS_CHECKS, encoding="utf-8")
    env = review_env(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(hooks), env.get("PYTHONPATH", "")) if p)
    term = Terminal([sys.executable, "-m", "relecture", "review", str(path)], env)
    try:
        term.wait_output(b"Approve+next")
        term.send(" ")  # approve segment 1: a change the quit must keep
        wait_file(journal_path(path), '"set_status"')
        term.send("\x12")  # ctrl+r
        term.wait_output(b"Re-run every check")
        term.send("y")
        term.wait_output(b"Re-running checks")
        term.send("q")
        term.proc.wait(timeout=20)
    finally:
        if term.proc.poll() is None:
            os.kill(term.proc.pid, signal.SIGKILL)
            term.proc.wait(timeout=10)
            os.close(term.master)
            pytest.fail("relecture review kept running after q, waiting for the checks")
        os.close(term.master)
    assert term.proc.returncode == 0
    assert not journal_path(path).exists() and not lock_path(path).exists()
    store = ReviewStore.open(path, readonly=True)
    try:
        assert store.doc.segments[0].status == "approved"
        assert store.doc.segments[0].flags == []  # the run's preamble flag never arrived
    finally:
        store.close(save=False)
