"""The summary screen (``S``): progress, the running score and verdict, errors by category, open
flags by family and the document strip, drawn with Textual's own widgets.

Choosing a category or a family (enter or a click) filters the list to its segments; choosing a
place in the strip (left/right then enter, or a click) goes to its worst segment. Severity is a
character as well as a colour (█ critical, ▓ major, ▒ minor, ░ neutral), so the screen reads
without colour too. The counts are the reports' (``report_common.tally``), one pass over the
document when the screen opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from relecture.exporters.report_common import StripCell, Tally, tally
from relecture.model import SEVERITIES, STATUSES
from relecture.textsafe import visible_line

if TYPE_CHECKING:
    from relecture.tui.app import ReviewApp

SEVERITY_CHAR: dict[str, str] = {"critical": "█", "major": "▓", "minor": "▒", "neutral": "░"}
SEVERITY_COLOUR: dict[str, str] = {"critical": "red", "major": "dark_orange", "minor": "cyan", "neutral": "grey70"}
STATUS_CHAR: dict[str, str] = {"approved": "█", "needs-work": "▓", "rejected": "▒", "todo": "·"}
STATUS_COLOUR: dict[str, str] = {"approved": "green", "needs-work": "yellow", "rejected": "magenta",
                                 "todo": "grey50"}
# (name, bar) widths: two lists side by side fit a 120-column and an 80-column terminal.
WIDE = (24, 18)
NARROW = (16, 10)


@dataclass(frozen=True)
class SummaryChoice:
    """What the reviewer chose: filter by a category or a family, or go to a segment."""

    kind: str  # category | family | segment
    value: str | int


@dataclass(frozen=True)
class SummaryFacts:
    title: str
    total: int
    reviewed: int
    mqm: float | None
    esa: float | None
    verdict: str | None  # "PASS: quality 99.10 >= 99", or None without a pass threshold


def open_summary(app: ReviewApp) -> SummaryModal:
    """The summary of the app's document as it is now (one pass over its segments)."""
    from relecture.scoring import document_esa, score_documents, settings_from_config

    session = app.session
    doc = session.doc
    settings = settings_from_config(app.config)
    outcome = None
    if settings.pass_threshold is not None:  # the word-count pass only then
        found = score_documents([doc], settings=settings).total.verdict(settings)
        outcome = None if found is None else found.describe(settings.reference_word_count)
    facts = SummaryFacts(
        title=doc.title or doc.id,
        total=session.total,
        reviewed=session.reviewed_count,
        mqm=app.score(),
        esa=document_esa(doc),
        verdict=outcome,
    )
    return SummaryModal(facts, tally(doc.segments))


POST_EDIT_BAR = " · post-edit"  # the name of a family's bar of flags on post-edits


def bar_text(name: str, counts: dict[str, int], scale: int, widths: tuple[int, int] = WIDE) -> Text:
    """One bar: the name, blocks drawn by severity (worst first) up to ``scale``, the count."""
    name_width, bar = widths
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    shown = visible_line(name)
    text.append(shown[:name_width - 1] + "…" if len(shown) > name_width else shown.ljust(name_width))
    text.append(" ")
    total = sum(counts.values())
    drawn = 0
    for severity in reversed(SEVERITIES):
        count = counts.get(severity, 0)
        if not count:
            continue
        cells = max(1, round(count * bar / scale))
        drawn += cells
        text.append(SEVERITY_CHAR[severity] * cells, style=SEVERITY_COLOUR[severity])
    text.append(" " * max(1, bar + 1 - drawn))
    text.append(str(total), style="bold")
    return text


def progress_text(statuses: dict[str, int], total: int, width: int = 40) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("Progress  ", style="bold")
    drawn = 0
    for status in ("approved", "needs-work", "rejected"):
        cells = round(statuses.get(status, 0) * width / total) if total else 0
        drawn += cells
        text.append(STATUS_CHAR[status] * cells, style=STATUS_COLOUR[status])
    text.append(STATUS_CHAR["todo"] * max(0, width - drawn), style=STATUS_COLOUR["todo"])
    reviewed = total - statuses.get("todo", 0)
    text.append(f" {reviewed}/{total} reviewed")
    if total:
        text.append(f" ({100 * reviewed / total:.0f}%)")
    return text


def status_legend(statuses: dict[str, int]) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("          ")
    for status in STATUSES:
        text.append(STATUS_CHAR[status], style=STATUS_COLOUR[status])
        text.append(f" {status} {statuses.get(status, 0)}  ")
    return text


def score_text(facts: SummaryFacts) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("Score     ", style="bold")
    text.append("MQM " + ("-" if facts.mqm is None else f"{facts.mqm:.2f}"))
    text.append(" (per rated segment, lower is better)", style="dim")
    text.append("  ESA " + ("-" if facts.esa is None else f"{facts.esa:.1f}"))
    if facts.verdict is not None:
        text.append("  ")
        style = "bold green" if facts.verdict.startswith("PASS") else (
            "bold red" if facts.verdict.startswith("FAIL") else "dim")
        text.append(facts.verdict, style=style)
    return text


class DocumentStrip(Widget, can_focus=True):
    """The document from first to last segment, one character per stretch: worst error (or open
    flag, drawn small) above, status below, a caret under the chosen place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous place", show=False, id="summary.strip_left"),
        Binding("right", "move(1)", "Next place", show=False, id="summary.strip_right"),
        Binding("home", "move(-1000000)", "First place", show=False, id="summary.strip_home"),
        Binding("end", "move(1000000)", "Last place", show=False, id="summary.strip_end"),
        Binding("enter", "choose", "Go to the place", show=False, id="summary.strip_choose"),
    ]
    cursor: reactive[int] = reactive(0)

    class Chosen(Message):
        def __init__(self, cell: StripCell) -> None:
            super().__init__()
            self.cell = cell

    class Moved(Message):
        pass

    def __init__(self, tally: Tally, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.tally = tally
        self.cells: list[StripCell] = []
        self.column = 1  # characters per place (a short document is spread over the width)

    def on_resize(self, event: events.Resize) -> None:
        width = max(1, event.size.width)
        self.cells = self.tally.strip(width)
        self.column = max(1, width // max(1, len(self.cells)))
        self.cursor = min(self.cursor, max(0, len(self.cells) - 1))
        self.refresh()
        self.post_message(self.Moved())

    def render_line(self, y: int) -> Strip:
        from rich.segment import Segment
        from rich.style import Style

        segments: list[Segment] = []
        for i, cell in enumerate(self.cells):
            if y == 0:
                if cell.error:
                    char, colour = SEVERITY_CHAR[cell.error], SEVERITY_COLOUR[cell.error]
                elif cell.flag:
                    char, colour = "▄", SEVERITY_COLOUR[cell.flag]
                else:
                    char, colour = "─", "grey35"
            elif y == 1:
                char, colour = STATUS_CHAR[cell.status], STATUS_COLOUR[cell.status]
            else:
                char, colour = ("▲", "bold") if i == self.cursor and self.has_focus else (
                    ("△", "") if i == self.cursor else (" ", ""))
                if self.column > 1:  # the caret under the middle of a wide place
                    half = (self.column - 1) // 2
                    segments.append(Segment(" " * half + char + " " * (self.column - 1 - half),
                                            Style.parse(colour) if colour else Style()))
                    continue
            segments.append(Segment(char * self.column, Style.parse(colour) if colour else Style()))
        return Strip(segments)

    def watch_cursor(self) -> None:
        self.refresh()
        self.post_message(self.Moved())

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def current(self) -> StripCell | None:
        return self.cells[self.cursor] if 0 <= self.cursor < len(self.cells) else None

    def action_move(self, step: int) -> None:
        self.cursor = max(0, min(len(self.cells) - 1, self.cursor + step))

    def action_choose(self) -> None:
        cell = self.current()
        if cell is not None:
            self.post_message(self.Chosen(cell))

    def on_click(self, event: events.Click) -> None:
        place = event.x // self.column
        if 0 <= place < len(self.cells):
            self.cursor = place
            self.action_choose()


class SummaryModal(ModalScreen[SummaryChoice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,S", "close", "Close", id="summary.close"),
    ]

    def __init__(self, facts: SummaryFacts, tally: Tally) -> None:
        super().__init__()
        self.facts = facts
        self.tally = tally
        self.categories = sorted(tally.by_category, key=lambda c: (-sum(tally.by_category[c].values()), c))
        # Flags on the translation, then flags on post-edits (the final text), each its own bar.
        self.family_counts: dict[str, dict[str, int]] = dict(tally.flags_by_family)
        self.families = sorted(tally.flags_by_family, key=lambda f: (-sum(tally.flags_by_family[f].values()), f))
        edited = tally.post_edit_flags_by_family
        for family in sorted(edited, key=lambda f: (-sum(edited[f].values()), f)):
            self.families.append(family + POST_EDIT_BAR)
            self.family_counts[family + POST_EDIT_BAR] = edited[family]

    def compose(self) -> ComposeResult:
        facts, tally = self.facts, self.tally
        with Vertical(id="summary-dialog", classes="dialog"):
            yield Static(Text(f"Summary: {visible_line(facts.title)}", style="bold", no_wrap=True,
                              overflow="ellipsis"), markup=False)
            yield Static(progress_text(tally.statuses, facts.total), markup=False, id="summary-progress")
            yield Static(status_legend(tally.statuses), markup=False)
            yield Static(score_text(facts), markup=False, id="summary-score")
            yield Label(Text("Document: worst error (▄ open flag only), then status"),
                        classes="field-label")
            yield DocumentStrip(tally, id="summary-strip")
            yield Static("", markup=False, id="summary-place")
            with Horizontal(id="summary-columns"):
                with Vertical(classes="summary-column"):
                    yield Label(Text("Errors by category (annotations)"), classes="field-label")
                    yield self._bars("summary-categories", self.categories, tally.by_category, "No annotated error.")
                with Vertical(classes="summary-column"):
                    yield Label(Text("Open flags by check family"), classes="field-label")
                    yield self._bars("summary-families", self.families, self.family_counts, "No open flag.")
            yield Static(Text("tab next · enter filter/go · ←/→ strip place · escape close", style="dim"),
                         markup=False)

    def _bars(self, ident: str, names: list[str], counts: dict[str, dict[str, int]], empty: str) -> OptionList:
        scale = max((sum(counts[n].values()) for n in names), default=1)
        widths = WIDE if self.app.size.width >= 110 else NARROW
        options = [Option(bar_text(n, counts[n], scale, widths)) for n in names]
        if not options:
            options = [Option(Text(empty, style="dim"), disabled=True)]
        return OptionList(*options, id=ident)

    def on_mount(self) -> None:
        self.query_one(DocumentStrip).focus()
        self._show_place()

    def on_descendant_focus(self) -> None:
        self._show_place()

    def _show_place(self) -> None:
        cell = self.query_one(DocumentStrip).current()
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if cell is not None:
            text.append(cell.label.capitalize(), style="bold")
            text.append(f": worst error {cell.error or 'none'}, open flag {cell.flag or 'none'}, "
                        f"status {cell.status}")
            text.append("  (enter: go)", style="dim")
        self.query_one("#summary-place", Static).update(text)

    def on_document_strip_moved(self) -> None:
        self._show_place()

    def on_document_strip_chosen(self, message: DocumentStrip.Chosen) -> None:
        self.dismiss(SummaryChoice("segment", message.cell.focus))

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if message.option_list.id == "summary-categories" and self.categories:
            self.dismiss(SummaryChoice("category", self.categories[message.option_index]))
        elif message.option_list.id == "summary-families" and self.families:
            # The filter by family shows flags on the translation and on its post-edit alike.
            self.dismiss(SummaryChoice("family", self.families[message.option_index].removesuffix(POST_EDIT_BAR)))

    def action_close(self) -> None:
        self.dismiss(None)
