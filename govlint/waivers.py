"""Waivers: governed exceptions that suppress findings, and the findings about waivers.

A waiver names a rule, an initiative (implicitly, in a manifest's ``waivers:``; explicitly,
in a central ``kind: Waivers`` file), optionally a path in it, a reason, an approver and an
expiry date. An expired waiver stops applying and is itself an error; one that expires soon
is a warning; one that matches no finding is a warning (like ruff's RUF100); a waiver for a
locked rule, for one of govlint's own diagnostics or for an unknown rule is refused.

Waivers come only from the places the configuration names: a ``kind: Waivers`` file counts
only if a ``waivers:`` glob of the configuration (or the command line) names it, and a
waiver in a manifest speaks only for that manifest's own file, never for another file that
claims the same initiative id. Each waiver is read on its own: one invalid waiver is a
finding at its position and does not hide the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ValidationError

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
    #: False for a ``kind: Waivers`` file that the configuration does not name
    listed: bool = True


@dataclass(frozen=True)
class WaiverPolicy:
    today: dt.date
    allow_in_manifests: bool = True
    expiry_warning_days: int = 30


def collect(
    documents: list[Checked], central_files: frozenset[str] | None = None
) -> tuple[list[Waiver], dict[str, set[str]]]:
    """Waivers from manifests and central files; and the files of each initiative id.

    ``central_files``: the files the configuration names as central waiver files (None:
    every ``kind: Waivers`` file). Every waiver that is valid on its own is collected, even
    if another waiver, or another part of its document, is invalid (that is reported by
    the schema check at its own position).
    """
    from govlint.model.initiative import Waiver as ManifestWaiver
    from govlint.model.waiver import CentralWaiver

    waivers: list[Waiver] = []
    files: dict[str, set[str]] = {}
    for checked in documents:
        doc = checked.document
        if checked.id is not None and checked.kind == "Initiative":
            files.setdefault(checked.id, set()).add(doc.file)
        data = doc.data
        entries = data.get("waivers") if isinstance(data, dict) else None
        if not isinstance(entries, list) or checked.kind not in ("Initiative", "Waivers"):
            continue
        central = checked.kind == "Waivers"
        listed = not central or central_files is None or doc.file in central_files
        for i, entry in enumerate(entries):
            model = _valid(CentralWaiver if central else ManifestWaiver, entry)
            if model is None:
                continue
            waivers.append(
                Waiver(
                    model.rule,
                    model.initiative if central else (checked.id or ""),
                    model.path,
                    model.reason,
                    model.approved_by,
                    model.ticket,
                    model.expires,
                    doc.key_location(("waivers", i)),
                    central=central and listed,
                    listed=listed,
                )
            )
    return waivers, files


def _valid(model: type[BaseModel], entry: Any) -> Any:
    try:
        return model.model_validate(entry)
    except ValidationError:
        return None  # the schema check reports it, at its position


def _covers(waiver: Waiver, finding: Finding, files: set[str], manifests: set[str]) -> bool:
    if finding.rule_id != waiver.rule or finding.suppressed:
        return False
    involved = {finding.file, *(r.file for r in finding.related)}
    if waiver.central:
        if not involved & files:
            return False
    else:
        # a manifest waiver speaks for its own file only: not for another manifest, even
        # one that claims the same initiative id (nor for the duplicate id itself)
        own = waiver.location.file
        if own not in involved or involved & (manifests - {own}):
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
    suggest: Callable[[str], str] | None,
) -> str | None:
    if not waiver.listed:
        return (
            "this waivers file is not one of the central waiver files the configuration "
            "names (waivers: in .govlint.yaml), so its waivers do not apply; move the waiver "
            "into a listed file, or list this file"
        )
    if not waiver.central and not policy.allow_in_manifests:
        return (
            "waivers in manifests are not allowed by the configuration "
            "(waiver_policy.allow_in_manifests: false); ask the governance office to add it "
            "to the central waivers file"
        )
    if waiver.rule.startswith("GL"):
        return f"{waiver.rule} is a govlint input diagnostic and cannot be waived; fix the file"
    if waiver.rule not in known_rules:
        hint = suggest(waiver.rule) if suggest is not None else ""
        return f"waiver for unknown rule {waiver.rule!r}" + (
            hint or "; check the rule id (govlint rules --all)"
        )
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
    suggest: Callable[[str], str] | None = None,
) -> list[Finding]:
    """Findings with matching ones suppressed, plus the findings about the waivers themselves."""
    out = list(findings)
    extra: list[Finding] = []
    manifests = {file for group in files_of.values() for file in group}
    for waiver in waivers:
        invalid = _invalid(waiver, locked, policy, known_rules, suggest)
        if invalid is not None:
            extra.append(invalid)
            continue
        files = files_of.get(waiver.initiative, set())
        used = _suppress(waiver, out, files, manifests)
        note = _usage_note(waiver, used, policy)
        if note is not None:
            extra.append(note)
    return out + extra


def _invalid(
    waiver: Waiver,
    locked: Mapping[str, str | None],
    policy: WaiverPolicy,
    known_rules: Mapping[str, object],
    suggest: Callable[[str], str] | None,
) -> Finding | None:
    """The finding for a waiver that is refused or expired, or None when it may apply."""
    problem = _refusal(waiver, locked, policy, known_rules, suggest)
    if problem is not None:
        return Finding(REFUSED, Severity.ERROR, problem, waiver.location)
    if waiver.expires < policy.today:
        return Finding(
            EXPIRED,
            Severity.ERROR,
            f"waiver for {waiver.rule} on {waiver.initiative!r} expired on "
            f"{waiver.expires.isoformat()} and no longer applies; fix the finding or "
            "renew the waiver with a new approval",
            waiver.location,
        )
    return None


def _suppress(waiver: Waiver, out: list[Finding], files: set[str], manifests: set[str]) -> bool:
    """Mark the findings in `out` the waiver covers as suppressed; whether it covered any."""
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
        if _covers(waiver, finding, files, manifests):
            out[i] = replace(finding, suppression=suppression)
            used = True
    return used


def _usage_note(waiver: Waiver, used: bool, policy: WaiverPolicy) -> Finding | None:
    """The warning for an unused waiver or one that expires soon, if any."""
    if not used:
        where = f" at {waiver.path}" if waiver.path else ""
        return Finding(
            UNUSED,
            Severity.WARNING,
            f"waiver for {waiver.rule} on {waiver.initiative!r}{where} matches no "
            "finding; remove it",
            waiver.location,
        )
    days = (waiver.expires - policy.today).days
    if days <= policy.expiry_warning_days:
        return Finding(
            EXPIRES_SOON,
            Severity.WARNING,
            f"waiver for {waiver.rule} on {waiver.initiative!r} expires on "
            f"{waiver.expires.isoformat()} (in {days} day{'s' if days != 1 else ''}); "
            "plan the fix or the renewal",
            waiver.location,
        )
    return None
