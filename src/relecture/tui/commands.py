"""The command palette (ctrl+p): every reviewing action plus jobs that have no key of their own."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from relecture.textsafe import visible_line
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
        screen = self._screen()
        if screen is None:
            return []
        out: list[Command] = []
        seen: set[str] = set()
        for binding in screen.BINDINGS:
            if binding.action in seen:  # type: ignore[union-attr]
                continue
            seen.add(binding.action)  # type: ignore[union-attr]
            out.append((
                binding.description,  # type: ignore[union-attr]
                f"key {key_label(binding.key)}",  # type: ignore[union-attr]
                partial(self.app.run_action, binding.action, screen),  # type: ignore[union-attr]
            ))
        from relecture.exporters import WRITERS

        formats = list(WRITERS)
        out.extend((f"Export as {fmt}", f"write the review as {fmt}", partial(screen.action_export, fmt))
                   for fmt in formats)
        out.append(("Re-run checks", "run every check again (undoable)", screen.action_rerun_checks))
        out.append(("Jump to segment…", "by id or #position", screen.action_jump))
        out.append(("Sort: worst chrF first", "post-edited and approved segments, most edited first",
                    screen.action_worst_first))
        out.append(("Toggle source pane", "show or hide the source text", screen.action_toggle_source))
        out.append(("Help: all keys", "every binding with its id", partial(self.app.run_action, "help", screen)))
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
