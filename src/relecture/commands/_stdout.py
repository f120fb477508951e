"""Standard output that went away (a pipe closed by ``head``, a full disk)."""

from __future__ import annotations

import os
import sys


def silence_stdout() -> None:
    """Point standard output at /dev/null: Python flushes it again at exit, and that flush must
    not fail a second time (or print a traceback) once the error has been handled."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
