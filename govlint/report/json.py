"""JSON output, version 1: a stable document for scripts and dashboards.

The shape is published as a JSON Schema, ``govlint/report/schemas/findings-v1.schema.json``
(see ``SCHEMA``). Fields are only ever added within a version; a change that could break a
reader (a renamed or removed field, a changed meaning) comes with ``"version": 2``.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from govlint.coverage import Coverage
from govlint.findings import Finding, Location, Severity, Suppression

if TYPE_CHECKING:
    from govlint.report import Report

VERSION = 1
#: where the schema of this output lives inside the installed package
SCHEMA = files("govlint.report") / "schemas" / "findings-v1.schema.json"
DIAGNOSTICS_URI = "https://github.com/govlint/govlint#built-in-diagnostics-gl"


def help_uri(finding: Finding, report: Report) -> str | None:
    """The page that explains the finding's rule (GLxxx diagnostics: the README)."""
    if finding.help_uri:
        return finding.help_uri
    rule = report.rules.get(finding.rule_id)
    if rule is not None:
        return rule.help_uri
    return DIAGNOSTICS_URI if finding.rule_id.startswith("GL") else None


def location(loc: Location) -> dict[str, Any]:
    span = loc.span
    return {
        "file": loc.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "path": loc.path,
    }


def suppression(value: Suppression) -> dict[str, Any]:
    return {
        "kind": value.kind,
        "justification": value.justification,
        "approved_by": value.approved_by,
        "expires": value.expires,
        "ticket": value.ticket,
        "location": location(value.location) if value.location else None,
    }


def finding(item: Finding, report: Report) -> dict[str, Any]:
    return {
        "rule_id": item.rule_id,
        "severity": item.severity.value,
        "message": item.message,
        **location(item.location),
        "related": [location(r) for r in item.related],
        "help_uri": help_uri(item, report),
        "suppression": suppression(item.suppression) if item.suppression else None,
    }


def summary(report: Report) -> dict[str, Any]:
    active = report.active
    counts = Counter(f.severity for f in active)
    return {
        "files": len(report.files),
        "files_with_findings": len({f.file for f in active}),
        "findings": len(active),
        "by_severity": {
            s.value: counts[s] for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        },
        "suppressed": len(report.suppressed),
        "fail_on": report.fail_on.value,
    }


def coverage(value: Coverage) -> dict[str, Any]:
    """Per rule: manifests passed, failed and not assessable; and what blocked which manifest."""
    return {
        "manifests": len(value.manifests),
        "rules": {
            rule: {"passed": c.passed, "failed": c.failed, "not_assessable": c.not_assessable}
            for rule, c in value.per_rule().items()
        },
        "not_assessable": [
            {
                "file": a.file,
                "line": a.line,
                "rules": list(a.blocked_rules),
                "fields": list(a.missing_fields),
            }
            for a in value.blocked
        ],
    }


def document(report: Report) -> dict[str, Any]:
    return {
        "version": VERSION,
        "tool": {"name": "govlint", "version": report.version},
        "today": report.today.isoformat(),
        "summary": summary(report),
        "findings": [finding(f, report) for f in sorted(report.findings, key=Finding.sort_key)],
        "coverage": coverage(report.coverage),
    }


def render(report: Report) -> str:
    """Every finding, suppressed ones too (with their suppression), and a summary."""
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
