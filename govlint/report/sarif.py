"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

Rules carry their rationale and remediation as help, and link to the frameworks they come
from: each reference prefix (``EU-AI-ACT-2024``, ``GDPR-2016``, ...) is a SARIF taxonomy,
each reference id a taxon of it, and a rule points at its taxa through ``relationships``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from govlint.coverage import blocked_line
from govlint.diagnostics import DIAGNOSTICS
from govlint.findings import Finding, Location, Severity, Span
from govlint.report.json import DIAGNOSTICS_URI
from govlint.report.json import coverage as coverage_json

if TYPE_CHECKING:
    from govlint.described import Described
    from govlint.report import Report

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/govlint/govlint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "govlintFinding/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_FRAMEWORK_VERSION = re.compile(r"-([0-9][0-9.]*)$")
_ABSOLUTE = re.compile(r"^(/|[A-Za-z]:/)")


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A stable identity per finding: rule id, file and path inside the manifest, no lines.

    An edit above a finding does not change it, so code scanning and GitLab keep tracking
    the same alert. Findings of one rule at the same path get an ordinal, so that two
    findings never share an identity (a viewer would merge them).
    """
    seen: Counter[str] = Counter()
    out = []
    for finding in findings:
        key = "\x1f".join((finding.rule_id, finding.file, finding.path))
        seen[key] += 1
        if seen[key] > 1:
            key += f"\x1f{seen[key]}"
        out.append(hashlib.sha256(key.encode("utf-8")).hexdigest()[:32])
    return out


_BYTE_ESCAPE = re.compile(r"\\x([0-9a-f]{2})")


def _name_bytes(file: str) -> bytes:
    """The bytes of a file name: govlint shows bytes that are not UTF-8 as ``\\xNN``
    (see ``display_path``); a URI must carry the bytes themselves (``%FF``), or it names
    another file."""
    parts = _BYTE_ESCAPE.split(file)
    out = bytearray()
    for i, part in enumerate(parts):
        out += bytes([int(part, 16)]) if i % 2 else part.encode("utf-8", "surrogateescape")
    return bytes(out)


def artifact(file: str) -> dict[str, str]:
    """A relative path becomes a URI under %SRCROOT% (the repository root on GitHub)."""
    raw = _name_bytes(file) if "\\x" in file else file.encode("utf-8", "surrogateescape")
    if _ABSOLUTE.match(file):
        return {"uri": "file://" + ("" if file.startswith("/") else "/") + quote(raw, "/:")}
    # quoting ':' too keeps a name like 'a:b.yaml' from reading as a URI scheme
    return {"uri": quote(raw, safe="/"), "uriBaseId": SRCROOT}


def region(span: Span) -> dict[str, int]:
    out = {"startLine": span.line, "startColumn": span.column}
    # an empty span (a point, e.g. where a missing key belongs) is left open, so viewers
    # highlight the rest of the line instead of nothing
    if (span.end_line, span.end_column) > (span.line, span.column):
        out["endLine"] = span.end_line
        out["endColumn"] = span.end_column
    return out


def location(loc: Location) -> dict[str, Any]:
    out: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": artifact(loc.file), "region": region(loc.span)}
    }
    if loc.path:
        out["logicalLocations"] = [{"fullyQualifiedName": loc.path}]
    return out


@dataclass
class Taxonomy:
    name: str
    #: taxon id -> (title, url)
    taxa: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def taxon_ids(self) -> list[str]:
        return sorted(self.taxa)

    def sarif(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        version = _FRAMEWORK_VERSION.search(self.name)
        if version:
            out["version"] = version.group(1)
        out["isComprehensive"] = False
        taxa = []
        for taxon_id in self.taxon_ids():
            title, url = self.taxa[taxon_id]
            taxon: dict[str, Any] = {
                "id": taxon_id,
                "shortDescription": {"text": title or f"{self.name}:{taxon_id}"},
            }
            if url:
                taxon["helpUri"] = url
            taxa.append(taxon)
        out["taxa"] = taxa
        return out


def taxonomies(rules: Iterable[Described]) -> list[Taxonomy]:
    """One taxonomy per framework prefix of the rules' references, sorted by name."""
    found: dict[str, Taxonomy] = {}
    for rule in rules:
        for ref in rule.references:
            prefix, _, taxon_id = ref.id.partition(":")
            taxonomy = found.setdefault(prefix, Taxonomy(prefix))
            taxonomy.taxa.setdefault(taxon_id, (ref.title, ref.url))
    return [found[name] for name in sorted(found)]


def _kind(kind: str | None) -> str:
    return " (good practice)" if kind == "good-practice" else ""


def help_text(rule: Described) -> str:
    refs = "\n".join(
        f"- {r.id}"
        + (f": {r.title}" if r.title else "")
        + (f" ({r.url})" if r.url else "")
        + _kind(r.kind)
        for r in rule.references
    )
    return f"{rule.rationale}\n\nWhat to do: {rule.remediation}\n\nReferences:\n{refs}"


def help_markdown(rule: Described) -> str:
    refs = "\n".join(
        (f"- [{r.id}]({r.url})" if r.url else f"- {r.id}")
        + (f" {r.title}" if r.title else "")
        + _kind(r.kind)
        for r in rule.references
    )
    return f"{rule.rationale}\n\n**What to do:** {rule.remediation}\n\n**References**\n\n{refs}"


def rule_descriptor(rule: Described, taxonomy_list: list[Taxonomy]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
    }
    if rule.aliases:
        out["deprecatedIds"] = list(rule.aliases)
    if rule.help_uri:
        out["helpUri"] = rule.help_uri
    out["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
    out["properties"] = {"tags": [rule.principle]}
    relationships = []
    positions = {t.name: i for i, t in enumerate(taxonomy_list)}
    for ref in rule.references:
        prefix, _, taxon_id = ref.id.partition(":")
        taxonomy = taxonomy_list[positions[prefix]]
        target = {
            "id": taxon_id,
            "index": taxonomy.taxon_ids().index(taxon_id),
            "toolComponent": {"name": prefix, "index": positions[prefix]},
        }
        relationship = {"target": target, "kinds": ["relevant"]}
        if relationship not in relationships:
            relationships.append(relationship)
    out["relationships"] = relationships
    return out


def diagnostic_descriptor(rule_id: str, severity: Severity) -> dict[str, Any]:
    """A GLxxx diagnostic (or a rule the report does not know) as a SARIF rule."""
    diagnostic = DIAGNOSTICS.get(rule_id)
    if diagnostic is None:
        return {"id": rule_id, "defaultConfiguration": {"level": LEVELS[severity]}}
    return {
        "id": diagnostic.id,
        "name": diagnostic.name,
        "shortDescription": {"text": diagnostic.title},
        "fullDescription": {"text": diagnostic.title},
        "help": {"text": diagnostic.help, "markdown": diagnostic.help},
        "helpUri": DIAGNOSTICS_URI,
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": ["diagnostic"]},
    }


def result(finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location(finding.location)],
    }
    if finding.related:
        out["relatedLocations"] = [
            {
                "id": number,
                **location(related),
                "message": {
                    "text": f"{related.file}:{related.span.line}:{related.span.column}"
                    + (f" ({related.path})" if related.path else "")
                },
            }
            for number, related in enumerate(finding.related, start=1)
        ]
    out["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    if finding.suppression is not None:
        s = finding.suppression
        suppression: dict[str, Any] = {
            "kind": "external",
            "status": "accepted",
            "justification": s.justification,
        }
        if s.location is not None:
            suppression["location"] = location(s.location)
        details = {
            "suppressedBy": s.kind,
            "approvedBy": s.approved_by,
            "expires": s.expires,
            "ticket": s.ticket,
        }
        suppression["properties"] = {k: v for k, v in details.items() if v is not None}
        out["suppressions"] = [suppression]
    return out


def document(report: Report) -> dict[str, Any]:
    rules = [report.rules[rule_id] for rule_id in sorted(report.rules)]
    taxonomy_list = taxonomies(rules)
    descriptors = [rule_descriptor(rule, taxonomy_list) for rule in rules]
    index = {rule.id: i for i, rule in enumerate(rules)}
    findings = sorted(report.findings, key=Finding.sort_key)
    # GLxxx diagnostics (and any id the report has no rule for) become rules when they occur
    others: dict[str, Severity] = {}
    for finding in findings:
        if finding.rule_id not in index:
            others[finding.rule_id] = max(
                others.get(finding.rule_id, finding.severity), finding.severity
            )
    for rule_id in sorted(others):
        index[rule_id] = len(descriptors)
        descriptors.append(diagnostic_descriptor(rule_id, others[rule_id]))
    pairs = zip(findings, fingerprints(findings), strict=True)
    results = [result(f, index[f.rule_id], fp) for f, fp in pairs]
    driver = {
        "name": "govlint",
        "version": report.version,
        "semanticVersion": report.version,
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
        "supportedTaxonomies": [{"name": t.name, "index": i} for i, t in enumerate(taxonomy_list)],
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [invocation(report)],
        "taxonomies": [t.sarif() for t in taxonomy_list],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"coverage": coverage_json(report.coverage)},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def invocation(report: Report) -> dict[str, Any]:
    """The run's invocation: one notification per manifest with rules it could not assess.

    Such a manifest is no result (the schema findings are), but the viewer must not take
    the absence of results for compliance.
    """
    notes = [
        {
            "level": "note",
            "message": {"text": blocked_line(a)},
            "descriptor": {"id": "not-assessable"},
            "locations": [location(Location(a.file, Span.point(a.line, 1)))],
            "properties": {"rules": list(a.blocked_rules), "fields": list(a.missing_fields)},
        }
        for a in report.coverage.blocked
    ]
    return {"executionSuccessful": True, "toolExecutionNotifications": notes}


def render(report: Report) -> str:
    """One SARIF run: every applied rule, every finding (suppressed ones marked as such)."""
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
