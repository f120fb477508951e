"""Adjudication mode: the segments where reviewers disagree, their layers side by side, and the
lead's accept / edit / reject on each annotation or flag (``relecture.adjudication``).

Every decision goes through the review screen's ``change`` (journaled, one undo step each).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from relecture.adjudication import (
    CHECKS,
    Disagreement,
    columns,
    decide,
    decision_of,
    disagreements,
    reasons,
    settled,
    take_decisions,
)
from relecture.clock import now_iso
from relecture.model import Annotation, Flag, Segment, Severity
from relecture.scoring import ScoringSettings, score_segment, settings_from_config
from relecture.textsafe import visible_line
from relecture.tui.modals.annotate import AnnotateModal, AnnotationDraft

if TYPE_CHECKING:
    from relecture.tui.screen import ReviewScreen

MARK = {"accepted": "✓ accepted", "edited": "✎ edited", "rejected": "✗ rejected"}


def open_adjudication(screen: ReviewScreen) -> None:
    """Open the mode on the current segment's disagreement, or the next one after it."""
    app = screen.review_app
    lead = app.reviewer
    settings = dataclasses.replace(settings_from_config(app.config), local_rater=lead)
    found = disagreements(screen.session.doc, settings, lead)
    if not found:
        screen.say("No disagreement to adjudicate: the reviewers agree, or it is all settled.", timeout=4)
        return
    here = screen.current_index or 0
    position = next((n for n, d in enumerate(found) if d.index >= here), 0)

    def closed(index: int | None) -> None:
        if index is not None:
            screen.go_to_index(index)

    screen.open_dialog(AdjudicateModal(screen, lead, settings, found, position), closed)


class AdjudicateModal(ModalScreen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="adjudicate.close"),
        Binding("left,h", "column(-1)", "Previous layer", id="adjudicate.left"),
        Binding("right,l", "column(1)", "Next layer", id="adjudicate.right"),
        Binding("up,k", "item(-1)", "Previous item", id="adjudicate.up"),
        Binding("down,j", "item(1)", "Next item", id="adjudicate.down"),
        Binding("a", "decide('accepted')", "Accept", id="adjudicate.accept"),
        Binding("e", "edit", "Edit, then accept", id="adjudicate.edit"),
        Binding("x", "decide('rejected')", "Reject", id="adjudicate.reject"),
        Binding("t", "take", "Take this reviewer's status, post-edit, note, ESA", id="adjudicate.take"),
        Binding("n", "segment(1)", "Next disagreement", id="adjudicate.next"),
        Binding("N,p", "segment(-1)", "Previous disagreement", id="adjudicate.previous"),
    ]

    def __init__(
        self, host: ReviewScreen, lead: str, settings: ScoringSettings, found: list[Disagreement], position: int
    ) -> None:
        super().__init__()
        self.host = host
        self.lead = lead
        self.settings = settings
        self.found = found
        self.at_position = position
        self.at_column = 0
        self.at_item = 0

    # --- what is shown ----------------------------------------------------------------------
    @property
    def disagreement(self) -> Disagreement:
        return self.found[self.at_position]

    @property
    def segment(self) -> Segment:
        return self.host.session.segments[self.disagreement.index]

    def layer_columns(self) -> list[tuple[str, list[Annotation | Flag]]]:
        return columns(self.segment, self.lead)

    def compose(self) -> ComposeResult:
        with Vertical(id="adjudicate-dialog", classes="dialog"):
            yield Static("", id="adjudicate-title", markup=False)
            with VerticalScroll(id="adjudicate-body"):
                yield Static("", id="adjudicate-text", markup=False)
                yield Static("", id="adjudicate-layers", markup=False)
            yield Static(
                Text("←/→ layer · ↑/↓ item · a accept · e edit · x reject · t take their status/post-edit · "
                     "n/p next/previous · escape close", style="dim"),
                markup=False,
            )

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        seg = self.segment
        layers = self.layer_columns()
        self.at_column = min(self.at_column, len(layers) - 1)
        self.at_item = max(0, min(self.at_item, len(layers[self.at_column][1]) - 1))
        state = "settled" if settled(seg, self.lead) else "; ".join(reasons(seg, self.settings, self.lead)) or "settled"
        title = Text(no_wrap=False)
        title.append(f"Adjudicate segment {self.disagreement.index + 1} ", style="bold")
        title.append(f"({self.at_position + 1} of {len(self.found)} disagreements): ")
        title.append(visible_line(state), style="bold green" if state == "settled" else "bold yellow")
        self.query_one("#adjudicate-title", Static).update(title)
        text = Text()
        if seg.source is not None:
            text.append("source  ", style="dim")
            text.append(visible_line(seg.source) + "\n")
        text.append("target  ", style="dim")
        text.append(visible_line(seg.target))
        self.query_one("#adjudicate-text", Static).update(text)
        self.query_one("#adjudicate-layers", Static).update(self._table(seg, layers))

    def _table(self, seg: Segment, layers: list[tuple[str, list[Annotation | Flag]]]) -> Table:
        table = Table(expand=True, show_lines=False, pad_edge=False)
        scores = score_segment(seg, self.settings).by_rater
        cells: list[Text] = []
        for n, (name, items) in enumerate(layers):
            header = Text(visible_line("final: " + name if name == self.lead else name), style="bold")
            if name == CHECKS:
                header.append("\nautomatic flags", style="dim")
            elif name == self.lead:
                header.append("\nyour decisions", style="dim")
            else:
                layer = seg.layers.get(name)
                facts = []
                if name in scores:
                    facts.append(f"MQM {scores[name]:g}")
                if layer is not None:
                    facts.append(layer.status)
                    if layer.esa is not None:
                        facts.append(f"ESA {layer.esa}")
                header.append("\n" + (" · ".join(facts) or "-"), style="dim")
            table.add_column(header, ratio=1)
            cell = Text()
            if layer_edit := (seg.layers[name].post_edit if name in seg.layers else None):
                cell.append("post-edit: ", style="dim")
                cell.append(visible_line(layer_edit) + "\n")
            if not items:
                cell.append("(nothing marked)", style="dim")
            for k, item in enumerate(items):
                chosen = n == self.at_column and k == self.at_item
                cell.append("▶ " if chosen else "  ", style="bold")
                style = "reverse" if chosen else ""
                if isinstance(item, Flag):
                    cell.append(f"{item.severity} {visible_line(item.check)}", style=style)
                else:
                    cell.append(f"{item.severity} {visible_line(item.category)}", style=style)
                span = seg.text(item.side)[item.start : item.end]
                cell.append(f"\n    «{visible_line(span[:60])}»", style="italic")
                if isinstance(item, Annotation):
                    if item.comment:
                        cell.append(f" {visible_line(item.comment[:60])}", style="dim")
                    mark = decision_of(item)
                    if mark:
                        cell.append(f"\n    {MARK.get(mark, mark)}", style="green" if mark != "rejected" else "red")
                cell.append("\n")
            cells.append(cell)
        table.add_row(*cells)
        return table

    # --- moving -----------------------------------------------------------------------------
    def action_column(self, step: int) -> None:
        self.at_column = (self.at_column + step) % len(self.layer_columns())
        self.at_item = 0
        self.refresh_view()

    def action_item(self, step: int) -> None:
        items = self.layer_columns()[self.at_column][1]
        if items:
            self.at_item = (self.at_item + step) % len(items)
        self.refresh_view()

    def action_segment(self, step: int) -> None:
        self.at_position = (self.at_position + step) % len(self.found)
        self.at_column = self.at_item = 0
        self.refresh_view()

    def action_close(self) -> None:
        self.dismiss(self.disagreement.index)

    # --- deciding -----------------------------------------------------------------------------
    def _selected(self) -> tuple[str, Annotation | Flag] | None:
        name, items = self.layer_columns()[self.at_column]
        if name == self.lead or not items:
            self.host.say("Choose a reviewer's annotation or a flag (←/→, ↑/↓).", timeout=3)
            return None
        return name, items[self.at_item]

    def _apply(self, changes: list[dict[str, Any]], label: str) -> None:
        if changes and self.host.change(changes, f"{label} on segment {self.disagreement.index + 1}", self.disagreement.index):
            self.refresh_view()

    def action_decide(self, decision: str) -> None:
        chosen = self._selected()
        if chosen is not None:
            self._apply(decide(self.segment, chosen[1], decision, self.lead, now_iso()), f"adjudication: {decision}")

    def action_edit(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        item = chosen[1]
        seg = self.segment
        is_flag = isinstance(item, Flag)
        dialog = AnnotateModal(
            side=item.side, start=item.start, end=item.end, span_text=seg.text(item.side)[item.start : item.end],
            category=item.category, severity=item.severity,
            comment=item.message if is_flag else item.comment,  # type: ignore[union-attr]
            correction=(item.suggestion or "") if is_flag else item.correction,  # type: ignore[union-attr]
            heading="Edit, then accept into the final layer",
        )

        def done(draft: AnnotationDraft | None) -> None:
            if draft is None:
                return
            base = Annotation(id="edit", side=item.side, start=item.start, end=item.end, category=draft.category,
                              severity=cast(Severity, draft.severity), comment=draft.comment,
                              correction=draft.correction)
            decision = "accepted" if is_flag else "edited"
            self._apply(decide(seg, item, decision, self.lead, now_iso(), edited=base), "adjudication: edited")

        self.app.push_screen(dialog, done)

    def action_take(self) -> None:
        name = self.layer_columns()[self.at_column][0]
        seg = self.segment
        if name in (CHECKS, self.lead) or not seg.conflicts:
            self.host.say("Nothing to take: choose a reviewer's layer on a segment with conflicts.", timeout=3)
            return
        self._apply(take_decisions(seg, name, self.lead), f"adjudication: {name}'s decisions")
