"""Inline codes of XML translation formats (XLIFF 1.2 and 2.x, TMX) <-> text with code characters.

A segment's text holds each code as one character (``model.CODE_BASE + i`` for ``codes[i]``), so
offsets stay code-point offsets, checks see where codes sit, and the UI shows a compact token.
Each code keeps the XML it came from, so writing the segment back gives the format's own
elements, never escaped text:

- empty or self-contained codes (XLIFF 1.2 ``x bx ex ph bpt ept it``, XLIFF 2 ``ph sc ec sm em``,
  TMX ``bpt ept ph it hi``-less placeholders) keep their whole element (native code inside);
- wrapping elements (XLIFF 1.2 ``g mrk``, XLIFF 2 ``pc``) become an opening and a closing code
  around their content; the opening keeps the start tag (as an empty element), the closing
  points back to it.

One table per segment serves source and target: the same code (element, id, markup) on both
sides is the same character, which is what the code checks compare.
"""

from __future__ import annotations

import contextlib
from copy import deepcopy
from typing import Any

from lxml import etree

from relecture.model import CODE_BASE, CODE_LIMIT, Code, code_char, code_index, has_codes

# Elements whose content is text of the segment, around which the element is a pair of codes.
WRAPPING = frozenset({"g", "pc", "mrk", "hi"})
OPENING = frozenset({"bx", "bpt", "sc"})
CLOSING = frozenset({"ex", "ept", "ec"})
NS_RL = "urn:x-relecture:review:1"  # relecture's extension attributes (see exporters.xliff)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class CodeTable:
    """The codes of one segment, shared by its source and target."""

    def __init__(self) -> None:
        self.codes: list[Code] = []
        self._index: dict[tuple[str, str, str, str], int] = {}
        self.open_stack: list[tuple[str, int]] = []  # (pairing key, index) of unclosed codes of one side

    def add(self, code: Code) -> str:
        key = (code.element, code.kind, code.id, code.markup)
        index = self._index.get(key)
        if index is None:
            index = len(self.codes)
            if CODE_BASE + index >= CODE_LIMIT:
                index = len(self.codes) - 1  # 65,534 codes in one segment: never seen; keep going
            else:
                self.codes.append(code)
                self._index[key] = index
        return code_char(index)


def _shallow(elem: Any) -> str:
    """The start tag of ``elem`` as an empty element (its content is segment text)."""
    copy = deepcopy(elem)
    for child in list(copy):
        copy.remove(child)
    copy.text = copy.tail = None
    etree.cleanup_namespaces(copy)
    return etree.tostring(copy, encoding="unicode")


def element_markup(elem: Any) -> str:
    """``elem`` as XML, whole, without its tail (the markup a code keeps)."""
    copy = deepcopy(elem)
    copy.tail = None
    etree.cleanup_namespaces(copy)
    return etree.tostring(copy, encoding="unicode", with_tail=False)


def _display(elem: Any, start: bool = True) -> str:
    for name in ("equiv-text", "disp", "equiv") if start else ("dispEnd", "equivEnd"):
        value = elem.get(name)
        if value:
            return value
    if start:
        for name in ("dispStart", "equivStart"):
            value = elem.get(name)
            if value:
                return value
    return ""


def flatten_code(child: Any, table: CodeTable, wrapping: bool = False) -> tuple[str, str]:
    """The code character(s) of one inline element: (opening, closing) of a wrapping element
    (its content is the caller's to walk), else (the code, "")."""
    name = local(child.tag)
    fixed = child.get("canReorder") in ("no", "firstNo")
    if wrapping:
        ident = child.get("id") or child.get("mid") or ""
        char = table.add(Code(
            id=ident, kind="opening", element=name, markup=_shallow(child), display=_display(child), fixed=fixed,
        ))
        open_index = code_index(char) or 0
        close_char = table.add(Code(
            id=ident, kind="closing", element=name, markup="", display=_display(child, False),
            pair=open_index, fixed=fixed,
        ))
        if table.codes[open_index].pair is None:
            table.codes[open_index].pair = code_index(close_char)
        return char, close_char
    kind = "opening" if name in OPENING else "closing" if name in CLOSING else "standalone"
    if name == "it":
        kind = {"open": "opening", "close": "closing"}.get(child.get("pos", ""), "standalone")
    # XLIFF: id / startRef / rid; TMX: i pairs bpt with ept, x numbers a code.
    ident = child.get("id") or child.get("startRef") or child.get("rid") or child.get("i") or child.get("x") or ""
    original = child.get(f"{{{NS_RL}}}element")
    if original:  # relecture's XLIFF 2 export of a code from another format: the code as it was
        code = Code(
            id=child.get(f"{{{NS_RL}}}id", ""), kind=kind, element=original,
            markup=child.get(f"{{{NS_RL}}}markup", ""), display=child.get("disp", ""), fixed=fixed,
        )
    else:
        code = Code(id=ident, kind=kind, element=name, markup=element_markup(child), display=_display(child), fixed=fixed)
    char = table.add(code)
    index = code_index(char) or 0
    key = child.get("rid") or child.get("startRef") or child.get("id") or child.get("i") or ""
    if kind == "opening":
        table.open_stack.append((key, index))
    elif kind == "closing":
        for i in range(len(table.open_stack) - 1, -1, -1):
            if table.open_stack[i][0] == key:
                _, open_index = table.open_stack.pop(i)
                if table.codes[open_index].pair is None:
                    table.codes[open_index].pair = index
                if table.codes[index].pair is None:
                    table.codes[index].pair = open_index
                break
    return char, ""


def literal(value: str | None, table: CodeTable) -> str:
    """Text as it is, except a literal private-use character of the code plane, made a code of
    element "char" so that it is never taken for another code."""
    if not value:
        return ""
    if not has_codes(value):
        return value
    return "".join(
        table.add(Code(id="", kind="standalone", element="char", markup=c)) if code_index(c) is not None else c
        for c in value
    )


def flatten(elem: Any, table: CodeTable, skip: frozenset[str] = frozenset()) -> str:
    """Text of ``elem`` with a code character for each inline code (mrk of an mtype in ``skip``:
    content kept, no code; ``<cp hex>`` decoded)."""
    parts: list[str] = []
    table.open_stack = []

    def walk(node: Any) -> None:
        parts.append(literal(node.text, table))
        for child in node:
            name = local(child.tag)
            if not name:  # comment or processing instruction
                pass
            elif name == "cp":
                with contextlib.suppress(ValueError, TypeError):
                    parts.append(literal(chr(int(child.get("hex", ""), 16)), table))
            elif name in WRAPPING and (name != "mrk" or child.get("mtype") not in skip):
                opening, closing = flatten_code(child, table, wrapping=True)
                parts.append(opening)
                walk(child)
                parts.append(closing)
            elif name == "mrk":
                walk(child)  # an mtype the caller handles itself (segmentation, comments)
            else:
                parts.append(flatten_code(child, table)[0])
            parts.append(literal(child.tail, table))

    walk(elem)
    return "".join(parts)


def _element(markup: str) -> Any:
    return etree.fromstring(markup, _PARSER)


def fill(elem: Any, text: str, codes: list[Code]) -> None:
    """Write ``text`` into ``elem`` (emptied first), each code character as the element it came from."""
    for child in list(elem):
        elem.remove(child)
    elem.text = None
    stack: list[tuple[Any, int]] = [(elem, -1)]  # (element receiving content, opening index)

    def append_text(value: str) -> None:
        if not value:
            return
        target = stack[-1][0]
        if len(target):
            last = target[-1]
            last.tail = (last.tail or "") + value
        else:
            target.text = (target.text or "") + value

    run: list[str] = []
    for char in text:
        index = code_index(char)
        if index is None or index >= len(codes):
            run.append(char)
            continue
        append_text("".join(run))
        run = []
        code = codes[index]
        if code.element == "char":
            append_text(code.markup)
        elif code.element in WRAPPING and code.kind == "opening":
            child = _element(code.markup)
            stack[-1][0].append(child)
            stack.append((child, index))
        elif code.element in WRAPPING and code.kind == "closing":
            # Close the matching wrapper (and any left open inside it); an unmatched one is dropped
            # here and flagged by the code checks.
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth][1] == code.pair:
                    del stack[depth:]
                    break
        else:
            stack[-1][0].append(_element(code.markup))
    append_text("".join(run))
