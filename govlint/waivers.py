"""Waivers: governed exceptions that suppress findings, and the findings about waivers.

A waiver names a rule, an initiative (implicitly, in a manifest's ``waivers:``; explicitly,
in a central ``kind: Waivers`` file), optionally a path in it, a reason, an approver and an
expiry date. An expired waiver stops applying and is itself an error; one that expires soon
is a warning; one that matches no finding is a warning (like ruff's RUF100); a waiver for a
locked rule, for one of govlint's own diagnostics or for an unknown rule is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from govlint.findings import Finding, Location, Severity, Suppression
from govlint.validate import Checked

EXPIRED = "GL040"
EXPIRES_SOON = "GL041"
UNUSED = "GL042"
REFUSED = "GL043"


@dataclass(frozen=True)
class Waiver:
    """One waiver, wherever it is written."""

    rule: str
    initiative: str
    path: str | None
    reason: str
    approved_by: str
    ticket: str | None
    expires: dt.date
    location: Location
    central: bool


@dataclass(frozen=True)
class WaiverPolicy:
    today: dt.date
    allow_in_manifests: bool = True
    expiry_warning_days: int = 30


def collect(documents: list[Checked]) -> tuple[list[Waiver], dict[str, set[str]]]:
    """Waivers from valid manifests and central files; and the files of each initiative id."""
    from govlint.model.initiative import Initiative
    from govlint.model.waiver import WaiverFile

    waivers: list[Waiver] = []
    files: dict[str, set[str]] = {}
    for checked in documents:
        doc = checked.document
        if checked.id is not None and checked.kind == "Initiative":
            files.setdefault(checked.id, set()).add(doc.file)
        has_waivers = isinstance(doc.data, dict) and bool(doc.data.get("waivers"))
        model = checked.resolved_model() if has_waivers else None
        if isinstance(model, Initiative):
            for i, w in enumerate(model.waivers):
                waivers.append(
                    Waiver(
                        w.rule,
                        model.metadata.id,
                        w.path,
                        w.reason,
                        w.approved_by,
                        w.ticket,
                        w.expires,
                        doc.key_location(("waivers", i)),
                        central=False,
                    )
                )
        elif isinstance(model, WaiverFile):
            for i, cw in enumerate(model.waivers):
                waivers.append(
                    Waiver(
                        cw.rule,
                        cw.initiative,
                        cw.path,
                        cw.reason,
                        cw.approved_by,
                        cw.ticket,
                        cw.expires,
                        doc.key_location(("waivers", i)),
                        central=True,
                    )
                )
    return waivers, files


def _covers(waiver: Waiver, finding: Finding, files: set[str]) -> bool:
    if finding.rule_id != waiver.rule or finding.suppressed:
        return False
    if finding.file not in files and not any(r.file in files for r in finding.related):
        return False
    if waiver.path is None:
        return True
    path = finding.path
    return path == waiver.path or path.startswith((f"{waiver.path}.", f"{waiver.path}["))


def _refusal(
    waiver: Waiver,
    locked: Mapping[str, str | None],
    policy: WaiverPolicy,
    known_rules: Mapping[str, object],
) -> str | None:
    if not waiver.central and not policy.allow_in_manifests:
        return (
            "waivers in manifests are not allowed by the configuration "
            "(waiver_policy.allow_in_manifests: false); ask the governance office to add it "
            "to the central waivers file"
        )
    if waiver.rule.startswith("GL"):
        return f"{waiver.rule} is a govlint input diagnostic and cannot be waived; fix the file"
    if waiver.rule not in known_rules:
        return f"waiver for unknown rule {waiver.rule!r}; check the rule id (govlint rules --all)"
    if waiver.rule in locked:
        return (
            f"rule {waiver.rule} is locked by policy {locked[waiver.rule]!r} and cannot be "
            "waived; fix the finding"
        )
    return None


def apply(
    findings: list[Finding],
    waivers: list[Waiver],
    files_of: Mapping[str, set[str]],
    locked: Mapping[str, str | None],
    known_rules: Mapping[str, object],
    policy: WaiverPolicy,
) -> list[Finding]:
    """Findings with matching ones suppressed, plus the findings about the waivers themselves."""
    out = list(findings)
    extra: list[Finding] = []
    for waiver in waivers:
        problem = _refusal(waiver, locked, policy, known_rules)
        if problem is not None:
            extra.append(Finding(REFUSED, Severity.ERROR, problem, waiver.location))
            continue
        if waiver.expires < policy.today:
            extra.append(
                Finding(
                    EXPIRED,
                    Severity.ERROR,
                    f"waiver for {waiver.rule} on {waiver.initiative!r} expired on "
                    f"{waiver.expires.isoformat()} and no longer applies; fix the finding or "
                    "renew the waiver with a new approval",
                    waiver.location,
                )
            )
            continue
        files = files_of.get(waiver.initiative, set())
        suppression = Suppression(
            "waiver",
            waiver.reason,
            waiver.approved_by,
            waiver.expires.isoformat(),
            waiver.ticket,
            waiver.location,
        )
        used = False
        for i, finding in enumerate(out):
            if _covers(waiver, finding, files):
                out[i] = replace(finding, suppression=suppression)
                used = True
        if not used:
            where = f" at {waiver.path}" if waiver.path else ""
            extra.append(
                Finding(
                    UNUSED,
                    Severity.WARNING,
                    f"waiver for {waiver.rule} on {waiver.initiative!r}{where} matches no "
                    "finding; remove it",
                    waiver.location,
                )
            )
            continue
        days = (waiver.expires - policy.today).days
        if days <= policy.expiry_warning_days:
            extra.append(
                Finding(
                    EXPIRES_SOON,
                    Severity.WARNING,
                    f"waiver for {waiver.rule} on {waiver.initiative!r} expires on "
                    f"{waiver.expires.isoformat()} (in {days} day{'s' if days != 1 else ''}); "
                    "plan the fix or the renewal",
                    waiver.location,
                )
            )
    return out + extra
