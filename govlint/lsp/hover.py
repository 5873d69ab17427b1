"""Hover, go to definition and completion: what the portfolio knows about the cursor's word.

Hover on a finding or a rule id gives what ``govlint explain`` prints; on a reference to
the registry, the entry it names. Definition goes from a reference to its registry entry
(or the manifest of an initiative), and from a rule id to its rule file. Completion offers
the registry's ids where the manifest schema expects one (``REFERENCE_FIELDS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govlint.diagnostics import DIAGNOSTICS
from govlint.engine.rules import Rule
from govlint.findings import Finding
from govlint.load import Document
from govlint.lsp import cursor
from govlint.lsp.portfolio import OpenPortfolio, file_of
from govlint.portfolio.index import initiative_id

_ID_CHARS = re.compile(r"[A-Za-z0-9_.\-]*$")
_ID_START = re.compile(r"[A-Za-z0-9_.\-]*")
#: entries listed in a completion at most
MAX_ITEMS = 500


def _rule(portfolio: OpenPortfolio, word: str) -> Rule | None:
    setup = portfolio.setup
    if setup is None or word != word.upper():
        return None
    return setup.ruleset.rules.get(word)


def _explain(portfolio: OpenPortfolio, rule_id: str) -> str | None:
    from govlint.report.handbook import explain

    return explain(rule_id, portfolio.setup)


def _block(text: str) -> str:
    return "```text\n" + text.replace("```", "'''") + "\n```"


def _fields(item: Any) -> list[str]:
    dump = getattr(item, "model_dump", None)
    data = dump(mode="json", exclude_none=True, by_alias=True) if dump is not None else {}
    return [f"{key}: {value}" for key, value in data.items() if key != "id"]


def _entry_text(portfolio: OpenPortfolio, section: str, value: str) -> str | None:
    if section == "initiatives":
        doc = _initiative(portfolio, value)
        if doc is None:
            return None
        data = doc.data if isinstance(doc.data, dict) else {}
        meta = data.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        lines = [f"initiative {value}", *(f"{k}: {v}" for k, v in meta.items() if k != "id")]
        return _block("\n".join([*lines, f"defined at {doc.file}:{doc.start.line}"]))
    entry = portfolio.registry.entries.get(section, {}).get(value)
    if entry is None:
        return None
    where = f"defined at {entry.location.file}:{entry.location.span.line}"
    return _block("\n".join([f"{section}: {value}", *_fields(entry.item), where]))


def _initiative(portfolio: OpenPortfolio, value: str) -> Document | None:
    for checked in portfolio.documents:
        if checked.kind == "Initiative":
            ident = initiative_id(checked.document)
            if ident is not None and ident.casefold() == value.casefold():
                return checked.document
    return None


def hover_text(
    portfolio: OpenPortfolio,
    lines: list[str],
    documents: list[Document],
    findings: list[Finding],
    line: int,
    character: int,
) -> str | None:
    """Markdown for the cursor: the explanation of the findings or rule id, or the entry."""
    here = [f for f in findings if cursor.contains(f.location.span, line, character)]
    parts: list[str] = []
    for rule_id in dict.fromkeys(f.rule_id for f in here):
        text = _explain(portfolio, rule_id)
        if text is not None:
            parts.append(_block(text))
    if parts:
        return "\n\n---\n\n".join(parts)
    for doc in documents:
        found = cursor.reference_at(doc, line, character)
        if found is not None:
            ref, _ = found
            return _entry_text(portfolio, ref.section, ref.value)
    word = cursor.word_at(lines, line, character)
    if word is not None and (_rule(portfolio, word.text) or word.text in DIAGNOSTICS):
        text = _explain(portfolio, word.text)
        return _block(text) if text is not None else None
    return None


def definition(
    portfolio: OpenPortfolio,
    lines: list[str],
    documents: list[Document],
    line: int,
    character: int,
) -> tuple[Path, int, int] | None:
    """The file and 1-based line and column the cursor's reference or rule id points at."""
    for doc in documents:
        found = cursor.reference_at(doc, line, character)
        if found is None:
            continue
        ref, _ = found
        if ref.section == "initiatives":
            target = _initiative(portfolio, ref.value)
            if target is None:
                return None
            path = file_of(portfolio.root, target.file)
            return (path, target.start.line, target.start.column) if path else None
        entry = portfolio.registry.entries.get(ref.section, {}).get(ref.value)
        if entry is None:
            return None
        path = file_of(portfolio.root, entry.location.file)
        span = entry.location.span
        return (path, span.line, span.column) if path else None
    word = cursor.word_at(lines, line, character)
    rule = _rule(portfolio, word.text) if word is not None else None
    if rule is None:
        return None
    path = file_of(portfolio.root, rule.file)
    if path is None:
        return None
    key = rule.document.key_spans.get(("id",)) if rule.document is not None else None
    return (path, key.line, key.column) if key is not None else (path, 1, 1)


@dataclass(frozen=True)
class Item:
    id: str
    detail: str
    documentation: str | None


def completions(
    portfolio: OpenPortfolio, lines: list[str], line: int, character: int
) -> tuple[int, int, list[Item]] | None:
    """Where the id under the cursor starts and ends (the text a choice replaces), and the
    ids that may stand there."""
    section = cursor.section_at(lines, line, character)
    if section is None:
        return None
    typed = _ID_CHARS.search(lines[line][:character])
    start = typed.start() if typed is not None else character
    rest = _ID_START.match(lines[line][character:])
    end = character + (rest.end() if rest is not None else 0)
    items: list[Item] = []
    if section == "initiatives":
        for checked in portfolio.documents:
            ident = checked.id if checked.kind == "Initiative" else None
            if ident is not None:
                items.append(Item(ident, "initiative", checked.document.file))
    else:
        for entry in portfolio.registry.entries.get(section, {}).values():
            name = getattr(entry.item, "name", None)
            where = f"{entry.location.file}:{entry.location.span.line}"
            items.append(Item(entry.id, f"{section}: {name}" if name else section, where))
    return start, end, sorted(items, key=lambda i: i.id)[:MAX_ITEMS]
