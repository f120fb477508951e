"""The command palette (ctrl+p): every reviewing action plus jobs that have no key of their own."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from relecture.textsafe import visible_line
from relecture.tui.actions import palette_actions
from relecture.tui.modals.help import key_label
from relecture.tui.modals.jump import resolve_segment

if TYPE_CHECKING:
    from relecture.tui.screen import ReviewScreen

Command = tuple[str, str, Callable[[], object]]


class ReviewCommands(Provider):
    def _screen(self) -> ReviewScreen | None:
        from relecture.tui.screen import ReviewScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, ReviewScreen):
                return screen
        return None

    def _commands(self) -> list[Command]:
        """One entry per action of tui/actions.py (the export also once per format)."""
        screen = self._screen()
        if screen is None:
            return []
        from relecture.exporters import WRITERS

        out: list[Command] = []
        for spec in palette_actions():
            title = spec.palette_title
            assert title is not None
            keys = f"key {key_label(spec.keys)}" if spec.keys else ""
            help_text = " · ".join(part for part in (keys, spec.hint) if part)
            out.append((title, help_text, partial(self.app.run_action, spec.action, screen)))
            if spec.id == "export":
                out.extend((f"Export as {fmt}", f"write the review as {fmt}", partial(screen.action_export, fmt))
                           for fmt in WRITERS)
        return out

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        screen = self._screen()
        value = query.strip()
        index = resolve_segment(screen.session.doc, value) if screen is not None and value else None
        if screen is not None and index is not None and not screen.session.loading:
            label = visible_line(screen.session.segments[index].id)
            yield Hit(1.0, f"Go to segment {label}", partial(screen.go_to_index, index), help="jump")
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
