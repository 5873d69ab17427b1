"""What is under the editor's cursor: a word, a registry reference, the key being written.

Pure functions on text and documents; lines and characters are 0-based as in the protocol,
and count characters (the server converts from the client's UTF-16 positions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govlint.findings import Span
from govlint.load import Document
from govlint.portfolio.index import REFERENCE_FIELDS, Ref, references

_WORD = re.compile(r"[A-Za-z0-9_.\-]+")
_KEY_LINE = re.compile(r"^(\s*)(-\s+)?([^\s:#'\"\[\]{},-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?=\s|$)")
_ITEM_LINE = re.compile(r"^(\s*)-(\s|$)")

#: registry section of each reference field, by its keys without list positions
SECTION_OF_KEYS: dict[tuple[str, ...], str] = {
    tuple(part for part in pattern if part != "*"): section for pattern, section in REFERENCE_FIELDS
}


@dataclass(frozen=True)
class Word:
    text: str
    line: int
    start: int
    end: int


def word_at(lines: list[str], line: int, character: int) -> Word | None:
    """The id-like word (letters, digits, ``-``, ``_``, ``.``) at the cursor, if any."""
    if not 0 <= line < len(lines):
        return None
    for match in _WORD.finditer(lines[line]):
        if match.start() <= character <= match.end():
            return Word(match.group(), line, match.start(), match.end())
    return None


def contains(span: Span, line: int, character: int) -> bool:
    """Whether a 1-based, end-exclusive span holds the 0-based cursor (its end included)."""
    start = (span.line - 1, span.column - 1)
    end = (span.end_line - 1, span.end_column - 1)
    return start <= (line, character) <= end


def reference_at(doc: Document, line: int, character: int) -> tuple[Ref, Span] | None:
    """The registry (or initiative) reference whose value is under the cursor."""
    for ref in references(doc.data):
        span = doc.spans.get(ref.path)
        if span is not None and contains(span, line, character):
            return ref, span
    return None


def _key(text: str) -> tuple[int, int, str] | None:
    """(indent of the line, indent of its key, key) of a ``key:`` or ``- key:`` line."""
    match = _KEY_LINE.match(text)
    if match is None:
        return None
    indent = len(match.group(1))
    return indent, indent + len(match.group(2) or ""), match.group(3).strip("'\"")


def _blank(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped.startswith("#")


def _parents(lines: list[str], below: int, column: int, sibling_items: int | None) -> list[str]:
    """The keys of the mappings that hold a value at ``column`` on line ``below``."""
    keys: list[str] = []
    in_item = False  # inside a list item: its list's key may stand at the dash's column
    for index in range(below - 1, -1, -1):
        text = lines[index]
        if column <= 0 or text.startswith(("---", "...")):
            break
        if _blank(text):
            continue
        found = _key(text)
        dash = _ITEM_LINE.match(text) is not None
        indent = len(text) - len(text.lstrip())
        if found is not None and (
            found[1] < column or (in_item and not dash and found[1] == column)
        ):
            keys.insert(0, found[2])
            column, in_item = found[0], dash
        elif dash and indent < column:
            column, in_item = indent, True  # the list item that holds the cursor's value
        elif dash and indent == sibling_items:
            continue
        elif found is None and indent < column:
            column, in_item = indent, False
    return keys


def keys_at(lines: list[str], line: int, character: int) -> tuple[str, ...] | None:
    """The keys leading to the value being written at the cursor (list positions left out),
    read from indentation so that it works while the file does not parse."""
    if not 0 <= line < len(lines):
        return None
    text = lines[line]
    found = _key(text)
    if found is not None:
        indent, key_column, key = found
        colon = text.index(":", key_column + len(key))
        if character <= colon:
            return None  # on the key itself
        return (*_parents(lines, line, key_column, None), key)
    item = _ITEM_LINE.match(text)
    if item is not None and character > len(item.group(1)):
        indent = len(item.group(1))
        return tuple(_parents(lines, line, indent + 1, indent))
    return None


def section_at(lines: list[str], line: int, character: int) -> str | None:
    """The registry section whose ids belong at the cursor, where the schema expects one."""
    keys = keys_at(lines, line, character)
    return SECTION_OF_KEYS.get(keys) if keys is not None else None
