"""Findings as LSP diagnostics: the fields of ``govlint check --format json``, one for one.

Each diagnostic is built from the JSON reporter's own dictionary of the finding, so the
editor shows what the JSON output says: rule id as ``code``, ``help_uri`` as
``codeDescription``, ``related`` as ``relatedInformation``, the span as the range.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from govlint import __version__
from govlint.findings import Finding
from govlint.lsp.portfolio import OpenPortfolio, file_of

if TYPE_CHECKING:
    from govlint.report import Report

SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}

#: how a column counted in characters becomes the client's (UTF-16 code units by default)
Columns = Callable[[Path, int, int], int]


def utf16_column(text: str, column: int) -> int:
    """The UTF-16 offset of character ``column`` (0-based) of a line."""
    head = text[:column]
    return column + sum(1 for c in head if ord(c) > 0xFFFF)


def _range(item: dict[str, Any], path: Path | None, columns: Columns) -> lsp.Range:
    line, end_line = item["line"] - 1, item["end_line"] - 1
    start, end = item["column"] - 1, item["end_column"] - 1
    if path is not None:
        start, end = columns(path, line, start), columns(path, end_line, end)
    return lsp.Range(
        lsp.Position(max(line, 0), max(start, 0)), lsp.Position(max(end_line, 0), max(end, 0))
    )


def report_of(portfolio: OpenPortfolio) -> Report:
    """The JSON reporter's view of the last check: its findings, and the rules it used."""
    import datetime as dt

    from govlint.findings import Severity
    from govlint.report import Report

    outcome = portfolio.outcome
    run = outcome.run if outcome is not None else None
    return Report(
        tuple(outcome.findings) if outcome is not None else (),
        tuple(run.outcome.files) if run is not None else (),
        run.described if run is not None else {},
        run.fail_on if run is not None else Severity.ERROR,
        __version__,
        run.today if run is not None else dt.date.today(),
    )


def diagnostic(finding: Finding, report: Report, root: Path, columns: Columns) -> lsp.Diagnostic:
    """One finding as the editor shows it."""
    from govlint.report.json import finding as as_json

    item = as_json(finding, report)
    related = []
    for other in item["related"]:
        path = file_of(root, other["file"])
        if path is None:
            continue
        related.append(
            lsp.DiagnosticRelatedInformation(
                lsp.Location(path.as_uri(), _range(other, path, columns)),
                f"{other['file']}:{other['line']}:{other['column']}"
                + (f" ({other['path']})" if other["path"] else ""),
            )
        )
    uri = item["help_uri"]
    return lsp.Diagnostic(
        range=_range(item, file_of(root, item["file"]), columns),
        message=item["message"],
        severity=SEVERITY[item["severity"]],
        code=item["rule_id"],
        code_description=lsp.CodeDescription(href=uri) if uri else None,
        source="govlint",
        related_information=related or None,
    )
