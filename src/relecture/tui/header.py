"""The one-line header: title, languages, progress, running MQM score, save state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from relecture.textsafe import visible_line


class OneLine(Static):
    """A one-line bar whose size never depends on its text (CSS: height 1, full width).

    ``Static.update`` asks for a new layout by default, and a layout repaints the whole screen:
    ~75 lines per key instead of the few that changed. Unchanged text is not redrawn at all.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._shown: Text | None = None

    def show_text(self, text: Text) -> None:
        if self._shown is not None and text == self._shown:
            return
        self._shown = text
        self.update(text, layout=False)


class ReviewHeader(OneLine):

    def show(
        self,
        *,
        title: str,
        source_lang: str | None,
        target_lang: str | None,
        reviewed: int,
        total: int,
        mqm: float | None,
        save_state: str,
        save_style: str,
        loading: float | None = None,
        verdict: str | None = None,
    ) -> None:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(" relecture ", style="bold reverse")
        text.append(" ")
        text.append(visible_line(title[:120]), style="bold")
        langs = "→".join(x for x in (source_lang, target_lang) if x)
        if langs:
            text.append(f"  {langs}", style="dim")
        if loading is not None:
            # Counts over part of the document would mislead: say how far the reading is.
            text.append(f"  loading {loading:.0%} ({total} segments read)", style="bold")
        else:
            percent = (100 * reviewed // total) if total else 0
            text.append(f"  {reviewed}/{total} reviewed ({percent}%)")
        text.append("  MQM ", style="dim")
        text.append("–" if mqm is None else f"{mqm:.2f}", style="bold")
        if verdict is not None:  # the LQA verdict of [scoring] pass_threshold
            text.append(f" {verdict}", style={"PASS": "bold green", "FAIL": "bold red"}.get(verdict, "dim"))
        text.append("  ")
        text.append(save_state, style=save_style)
        self.show_text(text)


class KeyBar(OneLine):
    """The keys that apply now (one line). Textual's Footer rebuilds a widget per key whenever
    the bindings change, which costs tens of milliseconds per segment; this is one Text."""

    def show_keys(self, keys: list[tuple[str, str]]) -> None:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for key, description in keys:
            text.append(f" {key} ", style="bold reverse")
            text.append(f" {description} ")
        self.show_text(text)
