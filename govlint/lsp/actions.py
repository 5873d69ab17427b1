"""Quick fixes for findings: apply a did-you-mean suggestion; add a waiver skeleton.

A waiver skeleton leaves ``reason`` and ``approved_by`` empty, so it is reported (and waives
nothing) until someone writes why and who approved it: the fix never silences a finding on
its own. It is never offered for a locked rule nor for govlint's own GLxxx diagnostics,
which cannot be waived.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from dataclasses import dataclass

from govlint.checker import Setup
from govlint.findings import Finding, Span
from govlint.load import Document, PathKey, load_bytes
from govlint.validate import Checked

_DID_YOU_MEAN = re.compile(r"did you mean ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\?")
#: how long a new waiver runs, until the governance office decides otherwise
WAIVER_DAYS = 90


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, character) to (end_line, end_character), 0-based."""

    line: int
    character: int
    end_line: int
    end_character: int
    text: str


@dataclass(frozen=True)
class Fix:
    title: str
    file: str  # as the finding names it
    edit: Edit
    preferred: bool = False


def suggestion(message: str) -> str | None:
    """The name a "did you mean 'x'?" message suggests."""
    match = _DID_YOU_MEAN.search(message)
    if match is None:
        return None
    try:
        value = ast.literal_eval(match.group(1))
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def did_you_mean(finding: Finding, lines: list[str]) -> Fix | None:
    """Replace the misspelt name at the finding's position by the suggested one."""
    suggested = suggestion(finding.message)
    span = finding.location.span
    if suggested is None or span.line != span.end_line or span.end_column <= span.column:
        return None
    if not 0 < span.line <= len(lines):
        return None
    written = lines[span.line - 1][span.column - 1 : span.end_column - 1]
    quote = written[:1]
    if quote in ("'", '"') and len(written) > 1 and written.endswith(quote):
        replacement = quote + suggested + quote
    else:
        replacement = suggested
    if replacement == written:
        return None
    edit = Edit(span.line - 1, span.column - 1, span.line - 1, span.end_column - 1, replacement)
    return Fix(f"Change to '{suggested}'", finding.file, edit, preferred=True)


def waivable(finding: Finding, setup: Setup) -> bool:
    """A finding of a selected rule that is not locked: one a waiver may cover."""
    if finding.rule_id.startswith("GL"):
        return False
    rule = next((r for r in setup.rules if r.id == finding.rule_id), None)
    return rule is not None and not rule.locked


def _entry(fields: list[tuple[str, str]], dash_column: int) -> list[str]:
    pad = " " * dash_column
    out = []
    for i, (key, value) in enumerate(fields):
        lead = f"{pad}- " if i == 0 else f"{pad}  "
        out.append(f"{lead}{key}:{' ' + value if value else ''}")
    return out


def _insert(doc: Document, lines: list[str], fields: list[tuple[str, str]]) -> Edit | None:
    """Where and what to write to add one waiver to the document's ``waivers:`` list."""
    data = doc.data
    entries = data.get("waivers") if isinstance(data, dict) else None
    if isinstance(entries, list) and entries:
        listing = doc.spans.get(("waivers",))
        last: PathKey = ("waivers", len(entries) - 1)
        ends = [s for p, s in doc.spans.items() if p[: len(last)] == last]
        if listing is None or not ends:
            return None
        end = max(ends, key=lambda s: (s.end_line, s.end_column))
        line = end.end_line - 1
        if end.end_column == 1:  # a block ending where the next line starts
            line -= 1
        if not 0 <= line < len(lines) or "[" in lines[listing.line - 1]:
            return None  # a flow list: left to the user
        text = "\n" + "\n".join(_entry(fields, listing.column - 1))
        return Edit(line, len(lines[line]), line, len(lines[line]), text)
    key = doc.key_spans.get(("waivers",))
    value = doc.spans.get(("waivers",))
    if key is not None and value is not None and entries == []:
        text = "\n" + "\n".join(_entry(fields, key.column + 1))
        return Edit(
            value.line - 1, value.column - 1, value.end_line - 1, value.end_column - 1, text
        )
    if key is not None:
        return None  # something else than a list: the schema finding says so
    # no waivers yet: a new key at the end of the file (its last document only)
    text = "\n".join(["waivers:", *_entry(fields, 2)]) + "\n"
    if not lines or lines == [""]:
        return Edit(0, 0, 0, 0, text)
    if lines[-1] == "":
        return Edit(len(lines) - 1, 0, len(lines) - 1, 0, text)
    final = len(lines) - 1
    return Edit(final, len(lines[final]), final, len(lines[final]), "\n" + text)


def _fields(finding: Finding, today: dt.date, initiative: str | None) -> list[tuple[str, str]]:
    fields = [("rule", finding.rule_id)]
    if initiative is not None:
        fields.append(("initiative", initiative))
    if finding.path:
        fields.append(("path", finding.path))
    expires = today + dt.timedelta(days=WAIVER_DAYS)
    return [
        *fields,
        ("reason", "  # required: why the exception is acceptable"),
        ("approved_by", "  # required: who approved it"),
        ("ticket", "  # optional: where the decision is recorded"),
        ("expires", expires.isoformat()),
    ]


def _manifest(finding: Finding, documents: list[Checked]) -> Checked | None:
    """The initiative document a finding is about, from the checked documents."""
    inside = [
        c
        for c in documents
        if c.document.file == finding.file and c.document.start.line <= finding.line
    ]
    found = max(inside, key=lambda c: c.document.start.line, default=None)
    return found if found is not None and found.kind == "Initiative" else None


def waiver_skeleton(
    finding: Finding,
    setup: Setup,
    documents: list[Checked],
    text_of: dict[str, str],
    central: list[str],
) -> Fix | None:
    """A waiver for ``finding``: in its manifest when the policy allows waivers there, else
    in the first central waivers file. ``text_of`` gives the current text of a file by its
    shown name; ``central``: the central waiver files, by shown name."""
    if not waivable(finding, setup):
        return None
    manifest = _manifest(finding, documents)
    if manifest is None or manifest.id is None:
        return None
    title = f"Add a waiver for {finding.rule_id} (to be approved)"
    today = setup.today
    policy = setup.config.settings.waiver_policy
    if policy.allow_in_manifests and finding.file in text_of:
        text = text_of[finding.file]
        docs = load_bytes(text.encode("utf-8"), finding.file).documents
        own = [d for d in docs if d.index == manifest.document.index]
        last = docs and own and own[0] is docs[-1]
        if own and (last or (isinstance(own[0].data, dict) and "waivers" in own[0].data)):
            edit = _insert(own[0], text.split("\n"), _fields(finding, today, None))
            if edit is not None:
                return Fix(title, finding.file, edit)
    for name in central:
        central_text = text_of.get(name)
        if central_text is None:
            continue
        docs = [
            d
            for d in load_bytes(central_text.encode("utf-8"), name).documents
            if isinstance(d.data, dict) and d.data.get("kind") == "Waivers"
        ]
        if docs:
            lines = central_text.split("\n")
            edit = _insert(docs[0], lines, _fields(finding, today, manifest.id))
            if edit is not None:
                return Fix(title + f" in {name}", name, edit)
    return None


def overlaps(span: Span, line: int, end_line: int) -> bool:
    """Whether a finding's lines (1-based) meet the requested lines (0-based)."""
    return span.line - 1 <= end_line and span.end_line - 1 >= line
