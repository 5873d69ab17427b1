"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

Manifest text ends up in these commands, so everything is escaped the way the Actions
runner unescapes it: a manifest can neither start a new command with a newline nor end
the properties early with ',' or '::'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govlint.findings import Finding, Severity
from govlint.report.text import safe, shown

if TYPE_CHECKING:
    from govlint.report import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message after '::' ('%' first, so the escapes are not escaped again).

    CI logs are shown on terminals and in the browser: other control characters (ESC, BEL,
    C1), line separators and bidirectional overrides are shown as escapes (``\\x1b``)."""
    text = "\n".join(safe(line) for line in text.split("\n"))
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file=..., title=...): also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    span = finding.location.span
    properties = [("file", finding.file), ("line", str(span.line))]
    if span.end_line == span.line:
        # columns are accepted only for an annotation on a single line
        properties += [
            ("col", str(span.column)),
            ("endLine", str(span.end_line)),
            ("endColumn", str(span.end_column)),
        ]
    else:
        properties.append(("endLine", str(span.end_line)))
    properties.append(("title", finding.rule_id))
    message = shown(finding.message)
    for related in finding.related:
        message += f"\nsee {related.file}:{related.span.line}:{related.span.column}"
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def render(report: Report) -> str:
    """One workflow command per finding that counts (suppressed findings are left out)."""
    return "\n".join(command(f) for f in sorted(report.active, key=Finding.sort_key))
