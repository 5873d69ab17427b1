"""Human text output: ``path:line:col: severity RULE message``, with colour on a terminal."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import click

from govlint.coverage import Assessment, Coverage, blocked_line
from govlint.findings import Finding, Severity
from govlint.wording import plural

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


def format_finding(finding: Finding, colour: bool) -> str:
    loc = finding.location
    where = f"{safe(loc.file)}:{loc.span.line}:{loc.span.column}:"
    severity = finding.severity.value
    rule = finding.rule_id
    message = safe(finding.message)
    if colour:
        where = click.style(where, bold=True)
        severity = click.style(severity, fg=_COLOURS[finding.severity], bold=True)
        rule = click.style(rule, bold=True)
    line = f"{where} {severity} {rule} {message}"
    for related in finding.related:
        line += f"\n    see {safe(related.file)}:{related.span.line}:{related.span.column}"
    return line


def summary(findings: list[Finding], files: int, colour: bool) -> str:
    if not findings:
        text = f"All checks passed: {plural(files, 'file')} checked."
        return click.style(text, fg="green", bold=True) if colour else text
    counts = Counter(f.severity for f in findings)
    parts = [
        plural(counts[s], s.value)
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[s]
    ]
    affected = len({f.file for f in findings})
    total = len(findings)
    return (
        f"Found {plural(total, 'problem')} ({', '.join(parts)}) "
        f"in {affected} of {plural(files, 'file')}."
    )


def format_blocked(assessment: Assessment, colour: bool) -> str:
    """The one line that says which rules a manifest could not be assessed on, and why."""
    where = f"{safe(assessment.file)}:{assessment.line}:1:"
    label = "not assessable:"
    if colour:
        where = click.style(where, bold=True)
        label = click.style(label, fg="magenta", bold=True)
    return f"{where} {label} {safe(blocked_line(assessment))}"


def coverage_note(coverage: Coverage) -> str:
    """How many manifests could not be assessed on how many rules, for the summary line."""
    blocked = coverage.blocked
    if not blocked:
        return ""
    rules = len({r for a in blocked for r in a.blocked_rules})
    manifests = len(blocked)
    return (
        f"{plural(manifests, 'manifest')} not assessable on "
        f"{plural(rules, 'rule')} until required values are filled in"
    )


def _with_blocked(report: Report) -> list[str]:
    """Findings in file order; after each file's findings, its 'not assessable' lines."""
    by_file: dict[str, list[Assessment]] = {}
    for assessment in report.coverage.blocked:
        by_file.setdefault(assessment.file, []).append(assessment)
    lines: list[str] = []
    items = report.active
    for i, finding in enumerate(items):
        lines.append(format_finding(finding, report.colour))
        last = i + 1 == len(items) or items[i + 1].file != finding.file
        if last:
            lines.extend(format_blocked(a, report.colour) for a in by_file.pop(finding.file, []))
    for rest in by_file.values():
        lines.extend(format_blocked(a, report.colour) for a in rest)
    return lines


def render(report: Report) -> str:
    """Active findings, one per line, then a summary (waived findings are only counted)."""
    items = report.active
    if report.quiet:  # findings only
        return "\n".join(format_finding(f, report.colour) for f in items)
    lines = _with_blocked(report)
    line = summary(items, len(report.files), report.colour)
    note = coverage_note(report.coverage)
    if note:
        line = f"{line.rstrip('.')}; {note}."
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


def statistics(findings: list[Finding], coverage: Coverage | None = None) -> str:
    """Findings per rule; then, per rule, on how many manifests it passed, failed and could
    not be assessed (rules that could be assessed everywhere and never failed are left out)."""
    counts = Counter((f.rule_id, f.severity.value) for f in findings)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    lines = [f"{n:>5}  {rule:<10} {sev}" for (rule, sev), n in rows]
    if coverage is None or not coverage.manifests:
        return "\n".join(lines)
    table = [(rule, c) for rule, c in coverage.per_rule().items() if c.failed or c.not_assessable]
    table.sort(key=lambda rc: (-rc[1].not_assessable, -rc[1].failed, rc[0]))
    total = len(coverage.manifests)
    lines.append("")
    lines.append(
        f"Coverage of {plural(total, 'manifest')} (rules that passed everywhere are left out):"
    )
    lines.append(f"{'rule':<10} {'passed':>7} {'failed':>7} {'not assessable':>15}")
    lines.extend(
        f"{rule:<10} {c.passed:>7} {c.failed:>7} {c.not_assessable:>15}" for rule, c in table
    )
    return "\n".join(lines)
