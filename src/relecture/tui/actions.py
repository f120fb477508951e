"""Every workbench action, declared once.

One row says what an action is: its binding id (a user keymap overrides keys by it), its keys,
its label, the help group it is listed in, where it ranks in the key bar, and the rules it obeys
(it changes the document, so read-only mode refuses it; it opens a dialog, so the keys typed
behind it wait for that dialog; it needs the whole document loaded; it waits for a background
job). The screen's bindings, its ``check_action``, its key bar, the command palette, the help
screen and the key gate are all generated from ``ACTIONS``, in the manner of Harlequin's
``actions.py`` and Posting's binding ids: adding an action is adding a row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from relecture.tui.screen import ReviewScreen

SPELLING_CHECK = "spelling.unknown-word"  # the flags "add to dictionary" applies to
REVIEWING = "Reviewing"  # the review screen's keys
ANYWHERE = "Anywhere"  # the app's own keys (Textual's defaults), on every screen


def _has_item(screen: ReviewScreen) -> bool:
    return screen.current_item is not None


def _on_flag(screen: ReviewScreen) -> bool:
    from relecture.model import Flag

    return isinstance(screen.current_item, Flag)


def _on_annotation(screen: ReviewScreen) -> bool:
    from relecture.model import Annotation

    return isinstance(screen.current_item, Annotation)


def _has_fix(screen: ReviewScreen) -> bool:
    from relecture.model import Annotation

    item = screen.current_item
    if item is None or item.side != "target":
        return False
    return bool(item.correction) if isinstance(item, Annotation) else item.suggestion is not None


def _can_clear(screen: ReviewScreen) -> bool:
    return screen.session.filtered or screen.reading.selecting


def _on_spelling_flag(screen: ReviewScreen) -> bool:
    from relecture.model import Flag

    item = screen.current_item
    return isinstance(item, Flag) and item.check == SPELLING_CHECK and bool(item.text.strip())


@dataclass(frozen=True)
class Action:
    """One workbench action."""

    id: str  # the binding id: keymaps, the help screen and tests name the action by it
    action: str  # the Textual action string (``name`` or ``name('argument')``, ``app.`` prefix)
    keys: str  # comma-separated, first one shown; empty: palette only
    label: str
    group: str = REVIEWING
    footer: int | None = None  # rank in the key bar (lowest first); None: not shown there
    changes: bool = False  # changes the document: refused read-only, waits for the load and jobs
    dialog: bool = False  # may open a dialog: keys typed behind it are held for it (KeyGate)
    whole_document: bool = False  # needs every segment loaded (a progressive open has finished)
    idle: bool = False  # waits while a background job reads the document (checks, export)
    applies: Callable[[ReviewScreen], bool] | None = None  # applies to the current item (footer)
    palette: str | None = ""  # its title in the command palette ("": the label; None: not there)
    hint: str = ""  # what the palette says beside the title, after the key
    tooltip: str = ""
    readonly: bool = field(default=False, init=False)  # allowed in a read-only session

    def __post_init__(self) -> None:
        object.__setattr__(self, "readonly", not self.changes)

    @property
    def method(self) -> str:
        """The ``action_*`` method's name without the prefix (the action string's name part)."""
        return self.action.split("(", 1)[0].removeprefix("app.")

    @property
    def key_list(self) -> list[str]:
        return [key.strip() for key in self.keys.split(",") if key.strip()]

    @property
    def palette_title(self) -> str | None:
        return self.label if self.palette == "" else self.palette

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=self.footer is not None, id=self.id,
                       tooltip=self.tooltip)


ACTIONS: tuple[Action, ...] = (
    Action("next_segment", "next_segment", "j,down", "Next", footer=8),
    Action("prev_segment", "prev_segment", "k,up", "Previous"),
    Action("next_flag", "next_flag", "n", "Next flag", footer=1),
    Action("prev_flag", "prev_flag", "N", "Previous flag"),
    Action("first_segment", "first", "g,home", "First segment"),
    Action("last_segment", "last", "G,end", "Last segment"),
    Action("page_down", "page_down", "pagedown", "Page down"),
    Action("page_up", "page_up", "pageup", "Page up"),
    Action("jump", "jump", "colon", "Go to segment", dialog=True, whole_document=True,
           palette="Jump to segment…", hint="by id or #position"),
    Action("annotate", "annotate", "a", "Annotate", footer=5, changes=True, dialog=True),
    Action("accept_item", "accept_item", "enter", "Accept flag / edit", footer=2, changes=True, dialog=True,
           applies=_has_item),
    Action("dismiss_flag", "dismiss_flag", "x", "Dismiss", footer=3, changes=True, applies=_on_flag),
    Action("delete_annotation", "delete_annotation", "d", "Delete", footer=9, changes=True,
           applies=_on_annotation),
    Action("next_item", "next_item", "right_square_bracket", "Next flag/annotation in segment"),
    Action("prev_item", "prev_item", "left_square_bracket", "Previous flag/annotation in segment"),
    Action("select_target", "select_span('target')", "v", "Select a span (target)"),
    Action("select_source", "select_span('source')", "V", "Select a span (source)"),
    Action("post_edit", "post_edit", "e", "Post-edit", footer=6, changes=True, dialog=True),
    Action("apply_fix", "apply_fix", "A", "Apply fix", footer=4, changes=True, applies=_has_fix,
           tooltip="Apply the current annotation's correction or flag's suggestion to the post-edit"),
    Action("approve_next", "approve_next", "space", "Approve+next", footer=7, changes=True),
    Action("cycle_status", "cycle_status", "s", "Status", footer=12, changes=True),
    Action("segment_note", "note", "m", "Note", changes=True, dialog=True),
    Action("esa_score", "esa_score", "r", "ESA score (0-100)", changes=True, dialog=True),
    Action("document_note", "doc_note", "M", "Document note", changes=True, dialog=True),
    Action("search", "search", "slash", "Search", footer=10, dialog=True, whole_document=True),
    Action("filter", "filter", "f", "Filter", footer=13, dialog=True, whole_document=True),
    Action("clear", "clear", "escape", "Clear", footer=14, applies=_can_clear),
    Action("undo", "undo", "u,ctrl+z", "Undo", footer=11, changes=True),
    Action("redo", "redo", "ctrl+y", "Redo", changes=True),
    Action("add_word", "add_word", "w", "Add the word to your word list", changes=True, dialog=True,
           applies=_on_spelling_flag, hint="a spelling flag's word: never flagged again"),
    Action("toggle_source", "toggle_source", "t", "Source pane", palette="Toggle source pane",
           hint="show or hide the source text"),
    Action("toggle_compact", "toggle_compact", "c", "Compact side panel"),
    Action("rerun_checks", "rerun_checks", "ctrl+r", "Re-run checks", changes=True, dialog=True,
           hint="run every check again (undoable)"),
    Action("export", "export", "ctrl+e", "Export", dialog=True, idle=True),
    Action("adjudicate", "adjudicate", "D", "Adjudicate disagreements", changes=True),
    Action("summary", "summary", "S", "Summary", dialog=True, whole_document=True),
    Action("worst_first", "worst_first", "", "Sort: worst chrF first", whole_document=True,
           hint="post-edited and approved segments, most edited first"),
    Action("help", "app.help", "question_mark", "Keys", footer=0, dialog=True, palette="Help: all keys",
           hint="every binding with its id"),
    Action("quit", "app.quit", "q", "Quit", footer=15),
    # Textual's own bindings on the app: listed in help, bound by Textual.
    Action("command_palette", "command_palette", "ctrl+p", "Command palette: every action, export, checks, theme",
           group=ANYWHERE, palette=None),
    Action("quit_alt", "quit", "ctrl+q", "Quit", group=ANYWHERE, palette=None),
)

BY_ID: dict[str, Action] = {spec.id: spec for spec in ACTIONS}
# Actions are looked up by their action string (check_action) and by method (the guards); two
# rows may share a method with different arguments (select_span), never with different rules.
BY_ACTION: dict[str, Action] = {spec.action: spec for spec in ACTIONS if spec.group == REVIEWING}
BY_METHOD: dict[str, Action] = {spec.method: spec for spec in ACTIONS if spec.group == REVIEWING}

# The key bar's "palette" entry comes after every ranked action.
PALETTE_RANK = 1 + max(spec.footer for spec in ACTIONS if spec.footer is not None)


def screen_bindings() -> list[BindingType]:
    """The review screen's bindings (on the screen, not the app: inactive while a dialog is open)."""
    return [spec.binding() for spec in ACTIONS if spec.group == REVIEWING and spec.keys]


def help_bindings(group: str) -> list[Binding]:
    return [spec.binding() for spec in ACTIONS if spec.group == group and spec.keys]


@functools.lru_cache(maxsize=1)
def context_actions() -> tuple[str, ...]:
    """The actions whose availability depends on the current item (the key bar follows them)."""
    return tuple(spec.action for spec in ACTIONS if spec.applies is not None)


@functools.lru_cache(maxsize=1)
def dialog_keys() -> frozenset[str]:
    """The keys whose action may open a dialog (the key gate holds the keys typed behind them)."""
    return frozenset(key for spec in ACTIONS if spec.dialog and spec.group == REVIEWING for key in spec.key_list)


def palette_actions() -> list[Action]:
    return [spec for spec in ACTIONS if spec.palette_title is not None]


F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """Run a screen's ``action_*`` method only when its row's rules allow it now (read-only,
    loading, a background job), whichever way it is called: a key, the palette, another action."""
    spec = BY_METHOD[method.__name__.removeprefix("action_")]

    @functools.wraps(method)
    def run(screen: ReviewScreen, *args: Any, **kwargs: Any) -> Any:
        if not screen.allowed(spec):
            return None
        return method(screen, *args, **kwargs)

    run.guarded_by = spec  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]
