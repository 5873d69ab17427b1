"""GitLab Code Quality report: findings shown in merge requests and the pipeline.

The format is GitLab's subset of the Code Climate issue format. The fingerprint is the
one SARIF uses (rule, file and path in the manifest, no line numbers), so a finding keeps
its identity when lines above it move and GitLab shows only what a merge request changes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from govlint.findings import Finding, Severity
from govlint.report.sarif import fingerprints

if TYPE_CHECKING:
    from govlint.report import Report

SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}
#: a file that cannot be read at all blocks every other check of it
INPUT_ERROR = "blocker"


def issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    span = finding.location.span
    return {
        "description": finding.message,
        "check_name": finding.rule_id,
        "fingerprint": fingerprint,
        "severity": INPUT_ERROR if finding.input_error else SEVERITIES[finding.severity],
        "location": {
            "path": finding.file,
            "lines": {"begin": span.line, "end": span.end_line},
        },
    }


def render(report: Report) -> str:
    """A JSON list of issues; suppressed findings are left out."""
    findings = sorted(report.findings, key=Finding.sort_key)
    # fingerprints over all findings, so that waiving one never renames another
    pairs = zip(findings, fingerprints(findings), strict=True)
    issues = [issue(f, fp) for f, fp in pairs if not f.suppressed]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
