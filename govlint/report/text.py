"""Human text output: ``path:line:col: severity RULE message``, with colour on a terminal."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import click

from govlint.findings import Finding, Severity

if TYPE_CHECKING:
    from govlint.report import Report

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
# what input text must not bring to a terminal: control characters (ESC starts ANSI
# sequences that recolour, move the cursor, set the title or make links), line and paragraph
# separators, the bidirectional controls of "Trojan Source" attacks (which reorder what is
# shown), and lone surrogates (from undecodable file names; they cannot even be printed)
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """Neutralise what came from input files and could act on a terminal: ANSI escapes,
    newlines, bidirectional overrides; each is shown as an escape (``\\x1b``, ``\\u202e``)."""
    text = text.replace("\n", "\\n").replace("\t", " ")
    return _UNSAFE.sub(_escape, text)


_SPOOF = re.compile(r":(?=[0-9 ])")
#: the most of one message a terminal or CI log shows: a manifest value quoted in a message
#: can be megabytes long (JSON and SARIF keep the whole text)
MAX_SHOWN = 2000


def shown(message: str) -> str:
    """A message cut to ``MAX_SHOWN`` characters, saying how much was left out."""
    if len(message) <= MAX_SHOWN:
        return message
    left = len(message) - MAX_SHOWN
    return f"{message[:MAX_SHOWN]}... ({left:,} more characters; --format json has them all)"


def safe_file(name: str) -> str:
    """A file name as text output shows it: like ``safe``, and a ':' before a digit or a
    space shown as ``\\x3a``, so a file named 'a.yaml:1:1: error X' cannot pass for a
    finding of its own in a log or a problem matcher."""
    return _SPOOF.sub(r"\\x3a", safe(name))


def format_finding(finding: Finding, colour: bool) -> str:
    loc = finding.location
    where = f"{safe_file(loc.file)}:{loc.span.line}:{loc.span.column}:"
    severity = finding.severity.value
    rule = finding.rule_id
    message = safe(shown(finding.message))
    if colour:
        where = click.style(where, bold=True)
        severity = click.style(severity, fg=_COLOURS[finding.severity], bold=True)
        rule = click.style(rule, bold=True)
    line = f"{where} {severity} {rule} {message}"
    for related in finding.related:
        line += f"\n    see {safe_file(related.file)}:{related.span.line}:{related.span.column}"
    return line


def summary(findings: list[Finding], files: int, colour: bool) -> str:
    if not findings:
        text = f"All checks passed: {files} file{'s' if files != 1 else ''} checked."
        return click.style(text, fg="green", bold=True) if colour else text
    counts = Counter(f.severity for f in findings)
    parts = [
        f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[s]
    ]
    affected = len({f.file for f in findings})
    total = len(findings)
    return (
        f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) "
        f"in {affected} of {files} file{'s' if files != 1 else ''}."
    )


def render(report: Report) -> str:
    """Active findings, one per line, then a summary (waived findings are only counted)."""
    items = report.active
    lines = [format_finding(f, report.colour) for f in items]
    if not report.quiet:
        line = summary(items, len(report.files), report.colour)
        waived = report.suppressed
        if waived:
            kinds = Counter(f.suppression.kind for f in waived if f.suppression)
            parts = []
            if kinds["waiver"]:
                parts.append(f"{kinds['waiver']} waived")
            if kinds["baseline"]:
                parts.append(f"{kinds['baseline']} in the baseline")
            line = f"{line.rstrip('.')}; {', '.join(parts)} (not counted)."
        lines.append(line)
    return "\n".join(lines)


def statistics(findings: list[Finding]) -> str:
    counts = Counter((f.rule_id, f.severity.value) for f in findings)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "\n".join(f"{n:>5}  {rule:<10} {sev}" for (rule, sev), n in rows)
