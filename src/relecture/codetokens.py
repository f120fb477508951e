"""Inline codes as readable tokens (``⟪1⟫``, ``⟪/1⟫``, ``⟪1/⟫``), with offsets moved along.

Inside relecture a code is one private-use character (``model.CODE_BASE + i``); people and tools
outside it must never see that character. Data exports (CSV, JSONL, MQM TSV) and the post-edit
dialog write each code as one token instead, the same token everywhere, so a text copied from an
export can be pasted into the dialog. A token is the code's display text or id between ``⟪ ⟫``
(brackets that real text and placeholder syntaxes do not use, so ``{0}`` in a software string is
never taken for a code); two codes with the same label get ``#N`` (their position in the table).
A span's offsets are recomputed for the token form, so ``text[start:end]`` is still the span.
A code standing for a literal private-use character of the input (element ``char``) is given
back as that character: it is the file's own text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from relecture.model import Code, Segment, code_char, code_index, has_codes


def code_tokens(codes: Sequence[Code]) -> dict[str, str]:
    """Token -> code character, one distinct token per code of the segment's table."""
    tokens: dict[str, str] = {}
    for index, code in enumerate(codes):
        token = "⟪" + code.label[1:-1] + "⟫"
        if token in tokens:
            token = f"⟪{code.label[1:-1]}#{index + 1}⟫"
        tokens[token] = code_char(index)
    return tokens


def to_tokens(text: str, tokens: dict[str, str]) -> str:
    if not tokens:
        return text
    back = {char: token for token, char in tokens.items()}
    return "".join(back.get(char, char) for char in text)


def from_tokens(text: str, tokens: dict[str, str]) -> str:
    for token, char in sorted(tokens.items(), key=lambda item: -len(item[0])):
        text = text.replace(token, char)
    return text


class TokenForm:
    """One segment's texts in token form: ``text`` rewrites a text, ``span`` its offsets."""

    def __init__(self, codes: Sequence[Code]) -> None:
        self.codes = list(codes)
        self._shown: dict[str, str] = {}
        for index, code in enumerate(self.codes):
            char = code_char(index)
            self._shown[char] = code.markup if code.element == "char" else ""
        for token, char in code_tokens(self.codes).items():
            if not self._shown[char]:
                self._shown[char] = token

    def _piece(self, char: str) -> str:
        index = code_index(char)
        if index is None:
            return char
        return self._shown.get(char) or "⟪?⟫"  # a code character with no entry: never raw

    def text(self, value: str) -> str:
        if not has_codes(value):
            return value
        return "".join(self._piece(c) for c in value)

    def text_or_none(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)

    def span(self, value: str, start: int, end: int) -> tuple[int, int]:
        """``start``/``end`` (code points of ``value``) as offsets into ``self.text(value)``."""
        if not has_codes(value[: max(start, end)]):
            return start, end
        moved: list[int] = []
        for bound in (start, end):
            bound = min(max(bound, 0), len(value))
            head = value[:bound]
            moved.append(len(self.text(head)))
        return moved[0], moved[1]

    def table(self) -> list[dict[str, Any]]:
        """The codes a token form needs to be read back: token, id, kind, element, markup..."""
        tokens = {char: token for token, char in code_tokens(self.codes).items()}
        return [
            {"token": tokens[code_char(i)], **code.to_dict()}
            for i, code in enumerate(self.codes)
            if code.element != "char"
        ]


PLAIN = TokenForm(())  # a segment without a code table: its texts are already their token form


def token_form(seg: Segment) -> TokenForm:
    """The token form of ``seg``'s texts. Without a code table that is ``PLAIN``, which still
    turns a stray code character (a hand-edited review file) into ``⟪?⟫``, never raw."""
    return TokenForm(seg.codes) if seg.codes else PLAIN
