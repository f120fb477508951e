"""Keys typed while a dialog opens wait for it, then reach it in the order they were typed.

A paste, a script or a laggy ssh link delivers a key that opens a dialog together with the keys
meant for the dialog ("a" then "mistrans", "ctrl+r" then "y"). Two things would lose them:

- a screen binding runs when its key comes back to the app, after the keys that followed it have
  already reached the screen (as bindings of their own: "x" would dismiss a flag);
- Textual composes a pushed screen on its own task: keys forwarded before that land on a screen
  without its focused field.

So the gate closes when the screen sees a key whose action may open a dialog (``expect``) or when
a screen is pushed (``pushed``, from the app's ``push_screen``), and opens again as soon as it is
known that nothing will take the keys sooner: the moment the key's binding has run without
opening anything (``handled``), or, when a dialog opened, from that dialog's own message queue
after its compose, mount and focus. No timer, no polling: a refused key costs one trip through
the app's queue for the keys behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


class KeyGate:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._held: list[events.Key] | None = None  # None: the gate is open
        self._expected: events.Key | None = None  # the key whose binding may open a dialog
        self._opening: Screen[Any] | None = None  # the dialog being composed

    @property
    def holding(self) -> bool:
        return self._held is not None

    def hold(self, event: events.Key) -> None:
        assert self._held is not None
        event.stop()
        event.prevent_default()
        self._held.append(event)

    def expect(self, event: events.Key) -> None:
        """``event``'s binding may open a dialog: hold the keys after it until it has run."""
        if self._held is None:
            self._held = []
        self._expected = event

    def handled(self, event: events.Key) -> None:
        """The app has run ``event``'s bindings: if it opened nothing, let the held keys go."""
        if event is self._expected:
            self._expected = None
            if self._opening is None:
                self._release()

    def pushed(self, screen: Screen[Any]) -> None:
        """``screen`` was just pushed: hold keys until it can take them."""
        if screen.is_mounted:
            return  # an installed screen shown again: its widgets already take keys
        if self._held is None:
            self._held = []
        self._opening = screen
        # The screen's queue runs its compose and mount first, then ScreenResume (which sets the
        # focus), then this callback: by then its focused field takes the keys.
        if not screen.call_later(self._ready, screen):
            self._ready(screen)

    def popped(self) -> None:
        """A screen was popped: if the one still opening is gone (dismissed before it ever ran),
        its keys go to what is on top now."""
        if self._opening is not None and self._opening not in self.app.screen_stack:
            self._ready(self._opening)

    def _ready(self, screen: Screen[Any]) -> None:
        if self._opening is not screen:
            return  # another screen was pushed meanwhile: its own callback comes later
        self._opening = None
        self._expected = None
        self._release()

    def _release(self) -> None:
        keys = sorted(self._held or (), key=lambda event: event.time)
        self._held = None
        for event in keys:
            # Through the app, as from the terminal: priority bindings (enter saves) still apply.
            self.app.post_message(events.Key(event.key, event.character))
