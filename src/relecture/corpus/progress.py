"""A progress line on stderr (segments, rate, ETA), drawn only when stderr is a terminal: logs and
pipes get nothing but the final summary."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total_bytes: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.total = max(total_bytes, 1)
        self.started = time.monotonic()
        self.drawn = 0.0
        self.segments = 0
        self.done_bytes = 0

    def advance(self, segments: int, done_bytes: int, phase: str = "checked") -> None:
        self.segments += segments
        self.done_bytes += done_bytes
        self.draw(phase)

    def draw(self, phase: str = "checked", force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.drawn < 0.2:
            return
        self.drawn = now
        elapsed = max(now - self.started, 1e-6)
        rate = self.segments / elapsed
        fraction = min(self.done_bytes / self.total, 1.0)
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        minutes, seconds = divmod(int(eta), 60)
        width = 24
        bar = "█" * int(fraction * width) + "░" * (width - int(fraction * width))
        self.stream.write(
            f"\r\x1b[2K{bar} {fraction:4.0%}  {self.segments:,} segments {phase}  {rate:,.0f}/s  ETA {minutes}:{seconds:02d}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
