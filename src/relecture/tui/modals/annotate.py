"""The annotation dialog: MQM category (searchable tree), severity, comment, correction.

Keys: type to search the categories, up/down to move in the tree, ``1`` minor, ``2`` major,
``3`` critical, ``0`` neutral (while in the search field or the tree), tab to the comment and
correction fields, ``enter`` saves, ``escape`` cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static, Tree

from relecture.textsafe import visible_line
from relecture.tui.modals import SafeInput, TextDialog, after_typed_keys, steady_cursors
from relecture.tui.render import SEVERITY_FG, safe_text
from relecture.typology import MQM_TREE, NON_TRANSLATION, split_category

SEVERITY_KEYS: dict[str, str] = {"1": "minor", "2": "major", "3": "critical", "0": "neutral"}


@dataclass(frozen=True)
class AnnotationDraft:
    """What the reviewer confirmed in the dialog."""

    category: str
    severity: str
    comment: str
    correction: str


class CategoryFilter(SafeInput):
    """The search field: digits set the severity and up/down move in the tree below."""

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        if isinstance(screen, AnnotateModal):
            if event.character in SEVERITY_KEYS:
                event.stop()
                event.prevent_default()
                screen.set_severity(SEVERITY_KEYS[event.character])
                return
            if event.key in ("up", "down", "pageup", "pagedown"):
                event.stop()
                event.prevent_default()
                screen._user_moved = True
                tree = screen.query_one(Tree)
                {"up": tree.action_cursor_up, "down": tree.action_cursor_down,
                 "pageup": tree.action_page_up, "pagedown": tree.action_page_down}[event.key]()
                return
        await super()._on_key(event)


class AnnotateModal(TextDialog[AnnotationDraft | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", priority=True, id="annotate.save"),
        Binding("escape", "cancel", "Cancel", id="annotate.cancel"),
        Binding("1", "severity('minor')", "Minor", id="annotate.minor"),
        Binding("2", "severity('major')", "Major", id="annotate.major"),
        Binding("3", "severity('critical')", "Critical", id="annotate.critical"),
        Binding("0", "severity('neutral')", "Neutral", id="annotate.neutral"),
    ]

    def __init__(
        self,
        *,
        side: str,
        start: int,
        end: int,
        span_text: str,
        category: str = "",
        severity: str = "minor",
        comment: str = "",
        correction: str = "",
        heading: str = "Annotate",
    ) -> None:
        super().__init__()
        self.side = side
        self.start = start
        self.end = end
        self.span_text = span_text
        self.category = category
        self.severity = severity
        self.comment = comment
        self.correction = correction
        self.heading = heading
        self._user_moved = False
        self._query = ""  # the category search the tree shows

    def compose(self) -> ComposeResult:
        with Vertical(id="annotate-dialog", classes="dialog"):
            # The heading names a check and the category may come from an imported file: data.
            title = Text(f"{visible_line(self.heading)}: {self.side} {self.start}-{self.end}  ", style="bold")
            title.append("«", style="dim")
            title.append_text(safe_text(self.span_text[:300], "underline", keep_newlines=False))
            title.append("»", style="dim")
            yield Static(title, id="annotate-span", markup=False)
            yield CategoryFilter(placeholder="search categories (type), up/down to choose", id="category-filter")
            tree: Tree[str] = Tree("MQM", id="category-tree")
            tree.show_root = False
            tree.auto_expand = False
            # Driven from the search field (up/down) and the mouse: tab goes on to the comment.
            tree.can_focus = False
            yield tree
            yield Static("", id="annotate-category", markup=False)
            yield Static("", id="annotate-severity", markup=False)
            yield Label("Comment", classes="field-label")
            yield SafeInput(self.comment, placeholder="why (required for Other)", id="annotate-comment")
            yield Label("Correction", classes="field-label")
            yield SafeInput(self.correction, placeholder="suggested fix (optional)", id="annotate-correction")
            yield Static(
                Text("enter save · escape cancel · 1 minor · 2 major · 3 critical · 0 neutral · tab next field",
                     style="dim"),
                id="annotate-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        steady_cursors(self)
        self._fill_tree("")
        self._show_severity()
        self.query_one(CategoryFilter).focus()

    # --- category tree ----------------------------------------------------------------------
    def _fill_tree(self, query: str) -> None:
        """Show the categories matching ``query`` and put the cursor on the best one."""
        tree: Tree[str] = self.query_one(Tree)
        tree.clear()
        self._user_moved = False
        self._query = query
        needle = query.strip().casefold()
        line = 0
        first: tuple[int, str] | None = None
        wanted: tuple[int, str] | None = None
        for dimension, subtypes in MQM_TREE.items():
            dim_hit = not needle or needle in dimension.casefold()
            subs = [s for s in subtypes if dim_hit or needle in f"{dimension}/{s}".casefold()]
            if not dim_hit and not subs:
                continue
            node = tree.root.add(Text(dimension), data=dimension, expand=True)
            if dim_hit and first is None:
                first = (line, dimension)
            if dimension == self.category:
                wanted = (line, dimension)
            line += 1
            for sub in subs:
                category = f"{dimension}/{sub}"
                node.add_leaf(Text(sub), data=category)
                if first is None:
                    first = (line, category)
                if category == self.category:
                    wanted = (line, category)
                line += 1
        # A search picks its first match; with no search the given category (if any) stays.
        target = (first if needle else wanted) or wanted or first
        if target is None:
            self.category = ""
        elif needle or wanted:
            self.category = target[1]
        if target is not None:
            tree.cursor_line = target[0]
            tree.scroll_to_line(target[0], animate=False)
        self._show_category()

    @on(Input.Changed, "#category-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill_tree(event.value)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        # Only the reviewer's own moves choose: rebuilding the tree also highlights a line.
        if not (self._user_moved or self.query_one(Tree).has_focus):
            return
        if event.node.data:
            self.category = event.node.data
            if split_category(self.category)[0] == NON_TRANSLATION:
                self.severity = "major"  # as Anthea: non-translation is always major
                self._show_severity()
            self._show_category()

    def _show_category(self) -> None:
        text = Text("Category: ", style="bold")
        text.append(visible_line(self.category) or "(none: search and choose one)")
        self.query_one("#annotate-category", Static).update(text)

    def set_severity(self, severity: str) -> None:
        self.severity = severity
        self._show_severity()

    def _show_severity(self) -> None:
        text = Text("Severity: ", style="bold")
        for key, name in (("1", "minor"), ("2", "major"), ("3", "critical"), ("0", "neutral")):
            chosen = name == self.severity
            text.append(f"[{key}] ", style="dim")
            text.append(name, style=(SEVERITY_FG[name] + Style(reverse=True, bold=True)) if chosen else SEVERITY_FG[name])
            text.append("  ")
        self.query_one("#annotate-severity", Static).update(text)

    # --- actions ------------------------------------------------------------------------------
    def action_severity(self, severity: str) -> None:
        self.set_severity(severity)

    def typed_values(self) -> tuple[str, ...]:
        return (self.query_one("#annotate-comment", Input).value, self.query_one("#annotate-correction", Input).value)

    def action_save(self) -> None:
        after_typed_keys(self, self._save_now)

    def _save_now(self) -> None:
        if not self.is_active:
            return  # already closed (enter pressed twice)
        search = self.query_one(CategoryFilter).value
        if search != self._query:
            self._fill_tree(search)  # its Changed message is still on the way: choose from it now
        comment = self.query_one("#annotate-comment", Input).value
        correction = self.query_one("#annotate-correction", Input).value
        if not self.category:
            self.notify("Choose a category first (type to search, up/down).", severity="error")
            return
        dimension, _ = split_category(self.category)
        if dimension == "Other" and not comment.strip():
            self.notify("Category Other needs a comment saying what is wrong.", severity="error")
            self.query_one("#annotate-comment", Input).focus()
            return
        severity = "major" if dimension == NON_TRANSLATION else self.severity
        self.submit(AnnotationDraft(self.category, severity, comment, correction))
