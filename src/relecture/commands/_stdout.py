"""Standard output that went away (a pipe closed by ``head``, a full disk)."""

from __future__ import annotations

import os
import sys

import click

from relecture.textsafe import visible_line


def silence_stdout() -> None:
    """Point standard output at /dev/null: Python flushes it again at exit, and that flush must
    not fail a second time (or print a traceback) once the error has been handled."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def warn(message: str) -> None:
    """A warning on standard error. Warnings quote data (file names, segment ids, a lock
    holder's name read from the lock file): controls and bidi marks are shown as visible signs,
    on one line, so nothing in them can drive the terminal."""
    click.echo(f"relecture: {visible_line(message)}", err=True)
