"""A Markdown summary for pull-request comments and ``$GITHUB_STEP_SUMMARY``.

Manifest text is escaped for Markdown and HTML: a ``|`` cannot break the table, ``<script>``
stays text, backticks and brackets cannot open code or links, ``@`` cannot mention people.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import quote

from govlint.diagnostics import DIAGNOSTICS
from govlint.findings import Finding, Severity
from govlint.report.json import help_uri
from govlint.report.text import safe, summary

if TYPE_CHECKING:
    from govlint.report import Report

#: findings listed in the table; a PR comment holds at most 65536 characters
MAX_ROWS = 100
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;"}
_URL_SAFE = "/:?#=&%~.-_+,;@!*'"
_SPECIAL = re.compile(r"[&<>@\\`*_\[\]|~$]")


def escape(text: str) -> str:
    """Plain text for a table cell: no control characters, no Markdown, no HTML."""
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m.group(0), "\\" + m.group(0)), safe(text))


def _link(text: str, url: str | None) -> str:
    if not url or not url.startswith("https://"):
        return text
    # spaces, parentheses, '|' and '<>' would end the link or the table cell
    return f"[{text}]({quote(url, safe=_URL_SAFE)})"


def title(report: Report, rule_id: str) -> str:
    rule = report.rules.get(rule_id)
    if rule is not None:
        return rule.title
    diagnostic = DIAGNOSTICS.get(rule_id)
    return diagnostic.title if diagnostic else ""


def failed(report: Report) -> bool:
    """What the exit code says: an unreadable file, or a finding at or above fail_on."""
    return any(f.input_error or f.severity >= report.fail_on for f in report.active)


def render(report: Report) -> str:
    active = sorted(report.active, key=Finding.sort_key)
    lines = ["## govlint", ""]
    mark = "\u274c" if failed(report) else "\u2705"
    headline = summary(active, len(report.files), colour=False)
    lines.append(
        f"{mark} **{headline}** Findings at or above {report.fail_on.value} fail the check."
    )
    kinds = Counter(f.suppression.kind for f in report.suppressed if f.suppression)
    if kinds:
        lines += [
            "",
            f"Not counted: {kinds['waiver']} waived, {kinds['baseline']} in the baseline.",
        ]
    if active:
        lines += ["", "| file:line | severity | rule | message |", "| --- | --- | --- | --- |"]
        for finding in active[:MAX_ROWS]:
            where = f"{escape(finding.file)}:{finding.line}"
            lines.append(
                f"| {where} | {finding.severity.value} | {escape(finding.rule_id)} "
                f"| {escape(finding.message)} |"
            )
        if len(active) > MAX_ROWS:
            rest = len(active) - MAX_ROWS
            lines += ["", f"... and {rest} more; see the full report (`--format sarif` or `json`)."]
    per_rule = _per_rule(report)
    if per_rule:
        lines += [
            "",
            "### Findings per rule",
            "",
            "| rule | title | severity | findings | not counted |",
            "| --- | --- | --- | ---: | ---: |",
            *per_rule,
        ]
    return "\n".join(lines) + "\n"


def _per_rule(report: Report) -> list[str]:
    counted = Counter(f.rule_id for f in report.active)
    suppressed = Counter(f.rule_id for f in report.suppressed)
    severity: dict[str, Severity] = {}
    uri: dict[str, str | None] = {}
    for finding in report.findings:
        previous = severity.get(finding.rule_id, finding.severity)
        severity[finding.rule_id] = max(previous, finding.severity)
        uri.setdefault(finding.rule_id, help_uri(finding, report))
    order = sorted(severity, key=lambda r: (-counted[r], -suppressed[r], r))
    return [
        f"| {_link(escape(r), uri[r])} | {escape(title(report, r))} | {severity[r].value} "
        f"| {counted[r]} | {suppressed[r]} |"
        for r in order
    ]
