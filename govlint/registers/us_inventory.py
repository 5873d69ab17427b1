"""The US federal AI use-case inventory (OMB M-25-21; the 2024 and 2025 column sets).

Columns are matched by their normalised header (letters and digits, lower case), so the
OMB consolidated file (``use_case_name``), the agency template (``Use Case Name``) and
small spelling differences all work. Values map only where a manifest field means the same
thing; every other column is kept under ``x-us-ai-inventory`` by its column name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govlint.registers.manifests import MAX_NAME_PART, Draft, Skipped, set_path, slug

SOURCE = "us-ai-inventory"
EXTENSION = "x-us-ai-inventory"

#: column -> the header spellings it is known by (2025 consolidated, 2025 template, 2024)
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "Use Case ID"),
    "use_case_name": ("use_case_name", "Use Case Name"),
    "agency": ("agency", "Agency"),
    "agency_name": ("agency_name", "Agency Name"),
    "agency_abbreviation": ("Agency Abbreviation",),
    "agency_bureau": ("agency_bureau", "Bureau/Component", "Bureau"),
    "contact_email": ("contact_email", "Email Address"),
    "development_stage": ("development_stage", "Stage of Development"),
    "is_high_impact": (
        "is_high_impact",
        "Is the AI use case high-impact?",
        "Is the AI use case rights-impacting, safety-impacting, both, or neither?",
    ),
    "HI_justification": ("HI_justification", "Justification"),
    "topic_area": ("topic_area", "Use Case Topic Area", "Topic Area"),
    "problem_solved": (
        "problem_solved",
        "What problem is the AI intended to solve?",
        "Intended Purpose and Expected Benefits",
    ),
    "benefits": ("benefits", "What are the expected benefits"),
    "system_outputs": ("system_outputs", "Describe the AI system's outputs", "AI System Outputs"),
    "operational_date": (
        "operational_date",
        "Date when AI use case became operational",
        "Date Implemented",
    ),
    "retired_date": ("Date Retired",),
    "contracting_usage": (
        "contracting_usage",
        "Was the system involved in this use case purchased from a vendor",
        "Was the AI system involved in this use case developed",
    ),
    "vendor_name": ("vendor_name", "Vendor(s) Name", "Vendor Name", "Vendor"),
    "has_pii": ("has_pii", "Does this AI use case involve personally identifiable information"),
    "pia_url": ("pia_url", "If publicly available, provide the link to the AI use case's"),
    "hi_ongoing_monitoring": (
        "hi_ongoing_monitoring",
        "Is there a process to conduct ongoing monitoring",
        "Is there a process to monitor performance",
    ),
    "hi_training_established": (
        "hi_training_established",
        "Has the agency established sufficient and periodic training",
        "Is there established and sufficient training for operators",
    ),
    "hi_appeal_process": (
        "hi_appeal_process",
        "Is there an established appeal process",
        "Is there an offered mechanism for opt-out",
    ),
    # known columns without a manifest field: kept by these names
    "is_withheld": ("is_withheld", "Should this AI use case be withheld from public reporting?"),
    "classification": ("classification", "AI Classification"),
    "have_ato": ("have_ato", "Does this AI use case have an associated Authorization to Operate"),
    "system_name_ato": ("system_name_ato", "System(s) Name", "System Name"),
    "data_description": ("data_description", "Describe any data used to train, fine-tune"),
    "link_to_data": ("link_to_data", "If the data is required to be publicly disclosed"),
    "demographic_features": ("demographic_features", "Which, if any, demographic variables"),
    "has_custom_code": ("has_custom_code", "Does this project include custom-developed code?"),
    "code_url": ("code_url", "If the code is open source, provide the link"),
    "hi_testing_conducted": ("hi_testing_conducted", "Has pre-deployment testing been conducted"),
    "hi_assessment_completed": (
        "hi_assessment_completed",
        "Has an AI impact assessment been completed",
    ),
    "hi_potential_impacts": ("hi_potential_impacts", "What are the potential impacts of using"),
    "hi_independent_review": ("hi_independent_review", "Has as independent review"),
    "hi_failsafe_presence": ("hi_failsafe_presence", "Does this AI use case have an appropriate"),
    "hi_public_consultation": ("hi_public_consultation", "What steps has the agency taken to"),
    "date_initiated": ("Date Initiated",),
    "date_development_began": ("Date when Acquisition and/or Development began",),
}
#: columns without which a row cannot become a manifest
REQUIRED_COLUMNS = ("use_case_name",)
#: columns a current file is expected to have; a missing one is reported once
EXPECTED_COLUMNS = ("id", "use_case_name", "development_stage", "problem_solved")

STAGES = {
    # 2025
    "pre-deployment": "development",
    "pilot": "pilot",
    "deployed": "production",
    "retired": "retired",
    # 2024
    "initiated": "idea",
    "acquisition and/or development": "development",
    "implementation and assessment": "pilot",
    "operation and maintenance": "production",
}


def normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower().replace("\u2019", "'"))


_ALIASES = {normalise(a): column for column, aliases in COLUMNS.items() for a in aliases}
#: long headers are questions that agencies shorten or extend: a prefix is enough
_PREFIXES = sorted(((a, c) for a, c in _ALIASES.items() if len(a) >= 20), key=lambda p: -len(p[0]))


@dataclass(frozen=True)
class Columns:
    """Which header of the file is which column; ``unknown`` headers are kept as they are."""

    by_header: dict[str, str]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]


def match_columns(header: list[str]) -> Columns:
    by_header: dict[str, str] = {}
    taken: set[str] = set()
    unknown: list[str] = []
    for name in header:
        key = normalise(name)
        column = _ALIASES.get(key)
        if column is None:
            column = next((c for a, c in _PREFIXES if key.startswith(a)), None)
        if column is None or column in taken:
            unknown.append(name)
            continue
        by_header[name] = column
        taken.add(column)
    missing = tuple(c for c in EXPECTED_COLUMNS if c not in taken)
    return Columns(by_header, tuple(unknown), missing)


def _choice(value: str) -> str:
    """A multiple-choice answer without its letter and explanation: ``c) Deployed – The use
    case is ...`` -> ``deployed``."""
    answer = re.sub(r"^[a-z]\)\s*", "", value.strip(), flags=re.IGNORECASE)
    answer = re.split(r"\s+[\u2013\u2014-]\s+|:\s", answer, maxsplit=1)[0]
    return answer.strip().lower()


def parse_date(value: str) -> str | None:
    """An inventory date as ``YYYY-MM-DD`` or ``YYYY-MM``; None when it is not one.

    Agencies write ``2023-05-01``, ``5/1/2023`` (US order), ``2023-05`` or ``05/2023``.
    """
    value = value.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", value)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if match:
        return _date(int(match[3]), int(match[1]), int(match[2]))
    match = re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", value)
    if match:
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        if 1 <= int(month) <= 12 and int(year) >= 1:
            return f"{int(year):04d}-{int(month):02d}"
    return None


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def to_draft(row_number: int, row: Mapping[str, str], columns: Columns) -> Draft | Skipped:
    """One inventory row as a manifest draft (``row_number`` counts the header as row 1)."""
    values: dict[str, str] = {}
    kept: dict[str, str] = {}
    for header, cell in row.items():
        if not cell.strip():
            continue
        column = columns.by_header.get(header)
        if column is None:
            kept[header] = cell
        else:
            values[column] = cell.strip()
    name = values.pop("use_case_name", None)
    if not name:
        return Skipped(row_number, "no use case name")
    manifest: dict[str, Any] = {}
    notes: list[str] = []
    set_path(manifest, ("metadata", "name"), name)
    # the unit is the agency, by its full name where the file has it
    agency = values.pop("agency_name", None) or values.pop("agency", None)
    unit = (slug(agency), agency) if agency and slug(agency) else None
    if unit is not None:
        set_path(manifest, ("metadata", "unit"), unit[0])
    for column, value in values.items():
        if not _map(column, value, manifest, notes):
            kept[column] = value
    supplier_id = manifest.get("model", {}).get("supplier")
    supplier = (supplier_id, values["vendor_name"]) if supplier_id else None
    if kept:
        manifest[EXTENSION] = dict(sorted(kept.items()))
    return Draft(
        record=row_number,
        name=name,
        id_parts=(slug(name, MAX_NAME_PART), slug(values.get("id", ""), 30)),
        manifest=manifest,
        unit=unit,
        supplier=supplier,
        notes=tuple(notes),
    )


def _map(column: str, value: str, manifest: dict[str, Any], notes: list[str]) -> bool:
    """Put one column in the manifest; False when it is kept under the extension."""
    if column == "problem_solved":
        set_path(manifest, ("purpose", "summary"), value)
        return True
    if column == "development_stage":
        status = STAGES.get(_choice(value))
        if status is None:
            notes.append(
                f"stage of development {value!r} is not a known stage; kept under "
                f"{EXTENSION}.development_stage, lifecycle.status left out"
            )
            return False
        set_path(manifest, ("lifecycle", "status"), status)
        return True
    if column in ("operational_date", "retired_date"):
        day = parse_date(value)
        if day is None:
            notes.append(f"{column} {value!r} is not a date; kept under {EXTENSION}.{column}")
            return False
        target = "go_live" if column == "operational_date" else "retirement"
        set_path(manifest, ("lifecycle", target), day)
        return True
    if column == "contracting_usage":
        answer = _choice(value)
        if answer.startswith("purchased from a vendor") or answer == "vendor purchased":
            set_path(manifest, ("model", "in_house"), False)
            return True
        if answer in ("developed in-house", "in-house development", "in-house"):
            set_path(manifest, ("model", "in_house"), True)
            return True
        return False
    if column == "vendor_name":
        # one vendor only: several names do not fit the one supplier field
        if ";" in value or not slug(value):
            return False
        set_path(manifest, ("model", "supplier"), slug(value))
        return True
    if column == "hi_training_established":
        answer = _choice(value)
        if answer.startswith("yes") or answer == "training established":
            set_path(manifest, ("human_role", "operator_training"), True)
            return True
        if "in-progress" in answer or "in progress" in answer:
            set_path(manifest, ("human_role", "operator_training"), False)
            return True
    return False


def column_notes(columns: Columns) -> list[str]:
    """The one-time report on the header: what was not recognised, what is missing."""
    notes = []
    if columns.unknown:
        shown = ", ".join(repr(h) for h in columns.unknown[:10])
        more = f" and {len(columns.unknown) - 10} more" if len(columns.unknown) > 10 else ""
        notes.append(f"columns not recognised, kept under {EXTENSION}: {shown}{more}")
    if columns.missing:
        notes.append(
            "expected columns missing: "
            + ", ".join(repr(COLUMNS[c][1] if len(COLUMNS[c]) > 1 else c) for c in columns.missing)
        )
    return notes
