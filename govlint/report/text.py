"""Human text output: ``path:line:col: severity RULE message``, with colour on a terminal."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import click

from govlint.coverage import Assessment, Coverage, blocked_line
from govlint.findings import Finding, Severity
from govlint.wording import plural

if TYPE_CHECKING:
    from govlint.report import Report

#: the lines of a file by its shown name, or None when it cannot be read
SourceLines = Callable[[str], Sequence[str] | None]
#: source lines shown per finding: the start of a long region is enough to find it
MAX_SOURCE_LINES = 3

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
    if text.isprintable():  # every character _UNSAFE matches, tab and newline too, is not
        return text
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
    text = safe(name)
    return _SPOOF.sub(r"\\x3a", text) if ":" in text else text


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


def source_excerpt(finding: Finding, lines: Sequence[str], colour: bool) -> list[str]:
    """The lines of the finding's region with a caret line under its first line, as ruff
    shows them; a region that is a point (where a missing key belongs) gets one caret."""
    span = finding.location.span
    last = span.end_line if span.end_column > 1 or span.end_line == span.line else span.end_line - 1
    last = min(max(last, span.line), span.line + MAX_SOURCE_LINES - 1, len(lines))
    if span.line > len(lines):
        return []
    numbers = range(span.line, last + 1)
    width = len(str(last))
    gutter = " " * width + " |"
    out = [gutter]
    for number in numbers:
        out.append(f"{number:>{width}} | {safe(lines[number - 1])}")
        if number == span.line:
            text = lines[number - 1]
            end = span.end_column if span.end_line == span.line else len(text) + 1
            carets = "^" * max(1, end - span.column)
            if colour:
                carets = click.style(carets, fg=_COLOURS[finding.severity], bold=True)
            out.append(f"{gutter} {' ' * (span.column - 1)}{carets}")
    if span.end_line > last:
        out.append(f"{gutter} ...")
    return out


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


def _with_blocked(report: Report, source: SourceLines | None = None) -> list[str]:
    """Findings in file order; after each file's findings, its 'not assessable' lines.

    With ``source``, the offending lines of each finding are shown under it (--show-source).
    """
    by_file: dict[str, list[Assessment]] = {}
    for assessment in report.coverage.blocked:
        by_file.setdefault(assessment.file, []).append(assessment)
    lines: list[str] = []
    items = report.active
    for i, finding in enumerate(items):
        lines.append(_with_source(finding, report.colour, source))
        last = i + 1 == len(items) or items[i + 1].file != finding.file
        if last:
            lines.extend(format_blocked(a, report.colour) for a in by_file.pop(finding.file, []))
    for rest in by_file.values():
        lines.extend(format_blocked(a, report.colour) for a in rest)
    return lines


def _with_source(finding: Finding, colour: bool, source: SourceLines | None) -> str:
    """A finding, with its source lines between its first line and its "see" lines."""
    text = format_finding(finding, colour)
    lines = source(finding.file) if source is not None else None
    if lines is None:
        return text
    head, *see = text.split("\n")
    return "\n".join([head, *source_excerpt(finding, lines, colour), *see])


def render(report: Report, source: SourceLines | None = None) -> str:
    """Active findings, one per line, then a summary (waived findings are only counted).

    With ``source``, the offending lines of each finding are shown under it.
    """
    items = report.active
    if report.quiet:  # findings only
        return "\n".join(_with_source(f, report.colour, source) for f in items)
    lines = _with_blocked(report, source)
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
