"""bench/RESULTS.md: each benchmark owns one '## ' section and replaces it when it runs again."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def replace_section(heading: str, section: str, path: Path = RESULTS) -> None:
    """Put ``section`` (which starts with ``heading``) in place of the old one, or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    start = text.find(f"\n{heading}\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section.strip("\n") + "\n"
    else:
        end = text.find("\n## ", start + 1)
        tail = text[end:] if end >= 0 else "\n"
        text = text[:start].rstrip("\n") + "\n\n" + section.strip("\n") + "\n" + tail
    path.write_text(text, encoding="utf-8")
