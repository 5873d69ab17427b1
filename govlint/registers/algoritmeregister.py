"""The Dutch Algoritmeregister publication standard (v0.4.0 and v1.0): records in and out.

Field names and meanings come from the standard's public schema; the mapping is by
meaning: a record value goes to a manifest field only where that field says the same
thing, everything else is kept under ``x-algoritmeregister`` by its field name, so that
an export gives it back. What a record lacks is left out, never made up.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govlint.model.base import date_span
from govlint.registers.manifests import (
    MAX_NAME_PART,
    Draft,
    Skipped,
    present,
    set_path,
    slug,
    text,
)

SOURCE = "algoritmeregister"
EXTENSION = "x-algoritmeregister"
#: the key that wraps the list of records in the register's JSON
WRAPPER = "algoritmes"

STATUS = {
    "in ontwikkeling": "development",
    "in gebruik": "production",
    "buiten gebruik": "retired",
}
#: govlint's status -> the standard's (a pilot is in use: the standard says to choose
#: "In gebruik" when a system is both in development and in use)
STATUS_OUT = {
    "idea": "In ontwikkeling",
    "development": "In ontwikkeling",
    "pilot": "In gebruik",
    "production": "In gebruik",
    "retired": "Buiten gebruik",
}
_STATUS_NAMES = ", ".join(repr(s.capitalize()) for s in STATUS)
HIGH_RISK = "Hoog-risico AI-systeem"
IN_HOUSE = "Intern ontwikkeld"
#: how the standard names the two assessments govlint knows (its recommended titles)
ASSESSMENT_TITLES = {
    "DPIA": "Data Protection Impact Assessment (DPIA)",
    "IAMA": "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
}
#: the fields the standard (v1.0) requires of every published record
REQUIRED = (
    "name",
    "description_short",
    "organization",
    "status",
    "contact_email",
    "publication_category",
    "lang",
)
#: the standard's fields in its own order (v1.0, then the v0.4.0 fields it dropped)
FIELDS = (
    "name",
    "description_short",
    "organization",
    "category",
    "status",
    "begin_date",
    "end_date",
    "contact_email",
    "website",
    "publication_category",
    "url",
    "goal",
    "proportionality",
    "human_intervention",
    "risks",
    "lawful_basis",
    "lawful_basis_grouping",
    "process_index_url",
    "impacttoetsen_grouping",
    "impacttoetsen",
    "source_data",
    "source_data_grouping",
    "methods_and_models",
    "provider",
    "publiccode",
    "lang",
    "standard_version",
    "uuid",
    "source_id",
    "tags",
    "type",
    "lawful_basis_link",
    "iama_description",
    "source_data_link",
    "dpia",
)
#: fields that hold lists in the standard; in CSV their cells are JSON
LIST_FIELDS = frozenset(
    {
        "category",
        "lawful_basis_grouping",
        "impacttoetsen_grouping",
        "source_data_grouping",
    }
)
#: where a mapped field lives in the manifest (the others live under ``x-algoritmeregister``)
MAPPED: dict[str, tuple[str, ...]] = {
    "name": ("metadata", "name"),
    "organization": ("metadata", "unit"),
    "description_short": ("metadata", "description"),
    "goal": ("purpose", "summary"),
    "status": ("lifecycle", "status"),
    "begin_date": ("lifecycle", "go_live"),
    "end_date": ("lifecycle", "retirement"),
    "provider": ("model", "supplier"),
    "publication_category": ("risk", "tier"),
    "impacttoetsen_grouping": ("ethics", "impact_assessments"),
}


def _assessment_type(title: str) -> str | None:
    words = title.upper()
    if "IAMA" in words or "MENSENRECHTEN" in words:
        return "IAMA"
    if "DPIA" in words or "DATA PROTECTION" in words or "GEGEVENSBESCHERMING" in words:
        return "DPIA"
    return None


def _month(value: str) -> str | None:
    """``YYYY-MM`` or ``YYYY-MM-DD`` as written, when it is a real date or month."""
    return value if date_span(value) is not None else None


def cell_value(field_name: str, cell: str) -> Any:
    """A CSV cell as the standard's value: list fields are written as JSON lists."""
    if field_name in LIST_FIELDS or field_name == "impacttoetsen":
        stripped = cell.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError:
                return cell
            if isinstance(value, list):
                return value
    return cell


def to_draft(index: int, record: Any, row: int | None = None) -> Draft | Skipped:
    """One record of the register as a manifest draft."""
    where = row if row is not None else index
    if not isinstance(record, Mapping):
        return Skipped(where, f"not a record (a JSON object) but {type(record).__name__}")
    name = text(record.get("name"))
    if name is None:
        return Skipped(where, "no name; the standard requires one")
    manifest: dict[str, Any] = {}
    kept: dict[str, Any] = {}
    notes: list[str] = []
    unit = supplier = None
    set_path(manifest, ("metadata", "name"), name)
    for key, value in record.items():
        if key == "name" or not present(value):
            continue
        handled = _map_field(str(key), value, manifest, notes)
        if handled is None:
            kept[str(key)] = value
        elif handled == "unit":
            unit = (manifest["metadata"]["unit"], text(value) or "")
        elif handled == "supplier":
            supplier = (manifest["model"]["supplier"], text(value) or "")
    if kept:
        manifest[EXTENSION] = kept
    source_id = text(record.get("source_id")) or (text(record.get("uuid")) or "")[:8]
    return Draft(
        record=where,
        name=name,
        id_parts=(slug(name, MAX_NAME_PART), slug(source_id, 30)),
        manifest=manifest,
        unit=unit,
        supplier=supplier,
        notes=tuple(notes),
    )


def _map_field(key: str, value: Any, manifest: dict[str, Any], notes: list[str]) -> str | None:
    """Put one field in the manifest; None when it stays as it is under the extension."""
    value_text = text(value)
    if key == "organization" and value_text is not None:
        unit_id = slug(value_text)
        if not unit_id:
            return None
        set_path(manifest, ("metadata", "unit"), unit_id)
        return "unit"
    if key == "description_short" and value_text is not None:
        set_path(manifest, ("metadata", "description"), value_text)
        return "mapped"
    if key == "goal" and value_text is not None:
        set_path(manifest, ("purpose", "summary"), value_text)
        return "mapped"
    if key == "status" and value_text is not None:
        status = STATUS.get(value_text.lower())
        if status is None:
            notes.append(
                f"status {value_text!r} is not one of {_STATUS_NAMES}; "
                f"kept under {EXTENSION}.status, lifecycle.status left out"
            )
            return None
        set_path(manifest, ("lifecycle", "status"), status)
        return "mapped"
    if key in ("begin_date", "end_date") and value_text is not None:
        month = _month(value_text)
        if month is None:
            notes.append(
                f"{key} {value_text!r} is not a month (YYYY-MM); kept under {EXTENSION}.{key}"
            )
            return None
        set_path(manifest, MAPPED[key], month)
        return "mapped"
    if key == "provider" and value_text is not None:
        if value_text.lower() == IN_HOUSE.lower():
            set_path(manifest, ("model", "in_house"), True)
            return "mapped"
        supplier_id = slug(value_text)
        if not supplier_id:
            return None
        set_path(manifest, ("model", "supplier"), supplier_id)
        return "supplier"
    if key == "publication_category" and value_text == HIGH_RISK:
        set_path(manifest, ("risk", "tier"), "high")
        return "mapped"
    if key == "impacttoetsen_grouping" and isinstance(value, list):
        return _assessments(value, manifest)
    return None


def _assessments(items: list[Any], manifest: dict[str, Any]) -> str | None:
    """Assessments the record lists as done: DPIA and IAMA become completed assessments;
    any other item keeps the whole list under the extension (nothing is split apart)."""
    found: list[dict[str, Any]] = []
    for item in items:
        title = text(item.get("title")) if isinstance(item, Mapping) else None
        kind = _assessment_type(title) if title else None
        if kind is None or set(item) - {"title", "link"}:
            return None
        entry: dict[str, Any] = {"type": kind, "status": "completed"}
        link = text(item.get("link"))
        if link is not None:
            entry["reference"] = link
        found.append(entry)
    set_path(manifest, ("ethics", "impact_assessments"), found)
    return "mapped"


# --- export ---------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """A field the standard requires that the manifest does not give."""

    field: str
    path: tuple[str, ...]  # where to write it in the manifest
    problem: str


def to_record(
    manifest: Mapping[str, Any], units: Mapping[str, str], suppliers: Mapping[str, str]
) -> tuple[dict[str, Any], list[Missing]]:
    """The register record of one manifest, and what keeps it from being published.

    ``units`` and ``suppliers`` map registry ids to names. Fields under
    ``x-algoritmeregister`` are given back as they are; mapped fields win over them.
    """
    extension = manifest.get(EXTENSION)
    kept: Mapping[str, Any] = extension if isinstance(extension, Mapping) else {}
    record: dict[str, Any] = {k: v for k, v in kept.items() if present(v) and k not in _OWN_FIELDS}
    leftovers = {k: v for k, v in kept.items() if present(v) and k in _OWN_FIELDS}
    problems: list[Missing] = []
    for field_name in ("name", "description_short", "goal"):
        value = text(_get(manifest, MAPPED[field_name]))
        if present(value):
            record[field_name] = value
    _map_organization(manifest, units, record, problems)
    status = _get(manifest, MAPPED["status"])
    if isinstance(status, str) and status in STATUS_OUT:
        record["status"] = STATUS_OUT[status]
    for field_name in ("begin_date", "end_date"):
        value = _get(manifest, MAPPED[field_name])
        if isinstance(value, str) and date_span(value) is not None:
            record[field_name] = value[:7]
    _map_provider(manifest, suppliers, record, problems)
    if _get(manifest, MAPPED["publication_category"]) == "high":
        record["publication_category"] = HIGH_RISK
    done = _completed_assessments(_get(manifest, MAPPED["impacttoetsen_grouping"]))
    if done:
        record["impacttoetsen_grouping"] = done
    problems.extend(_leftover_problems(leftovers, record))
    problems.extend(_required_problems(record, problems))
    ordered = {k: record[k] for k in FIELDS if k in record}
    ordered.update({k: v for k, v in record.items() if k not in ordered})
    return ordered, problems


def _get(manifest: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path`` in the manifest, or None when any step is missing."""
    node: Any = manifest
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def _map_organization(
    manifest: Mapping[str, Any],
    units: Mapping[str, str],
    record: dict[str, Any],
    problems: list[Missing],
) -> None:
    """The organisation's full name from the registry, or why it cannot be given."""
    unit = text(_get(manifest, MAPPED["organization"]))
    if unit is None:
        return
    if unit in units:
        record["organization"] = units[unit]
    else:
        problems.append(
            Missing(
                "organization",
                MAPPED["organization"],
                f"organization: unit {unit!r} is not in the registry; pass the registry file, "
                "or add the unit with its full name",
            )
        )


def _map_provider(
    manifest: Mapping[str, Any],
    suppliers: Mapping[str, str],
    record: dict[str, Any],
    problems: list[Missing],
) -> None:
    """The supplier's full name from the registry (or in-house), or why it cannot be given."""
    supplier = text(_get(manifest, MAPPED["provider"]))
    if supplier is not None and supplier in suppliers:
        record["provider"] = suppliers[supplier]
    elif supplier is not None:
        problems.append(
            Missing(
                "provider",
                MAPPED["provider"],
                f"provider: supplier {supplier!r} is not in the registry; pass the registry "
                "file, or add the supplier with its full name",
            )
        )
    elif _get(manifest, ("model", "in_house")) is True:
        record["provider"] = IN_HOUSE


def _completed_assessments(assessments: Any) -> list[dict[str, Any]]:
    """The completed impact assessments of a known type, with their titles and links."""
    if not isinstance(assessments, list):
        return []
    return [
        {"title": ASSESSMENT_TITLES[a["type"]], "link": text(a.get("reference"))}
        for a in assessments
        if isinstance(a, Mapping)
        and a.get("status") == "completed"
        and a.get("type") in ASSESSMENT_TITLES
    ]


def _leftover_problems(leftovers: Mapping[str, Any], record: Mapping[str, Any]) -> list[Missing]:
    """Extension values of mapped fields that the register does not take."""
    problems = []
    for field_name, path in MAPPED.items():
        # a value the import could not map (an unknown status, a date that is no month)
        # is published only once it is moved to its manifest field
        leftover = leftovers.get(field_name)
        if leftover is not None and field_name not in record:
            problems.append(
                Missing(
                    field_name,
                    (EXTENSION, field_name),
                    f"{field_name}: {EXTENSION}.{field_name} holds {leftover!r}, which the "
                    f"register does not take; write it as {'.'.join(path)}"
                    f"{_HINTS.get(field_name, '')} instead",
                )
            )
    return problems


def _required_problems(record: Mapping[str, Any], problems: list[Missing]) -> list[Missing]:
    """The required fields neither in the record nor already reported."""
    missing = []
    for field_name in REQUIRED:
        if field_name in record or any(p.field == field_name for p in problems):
            continue
        path = (
            MAPPED[field_name]
            if field_name in MAPPED and field_name != "publication_category"
            else (EXTENSION, field_name)
        )
        missing.append(Missing(field_name, path, _missing(field_name, path)))
    return missing


#: mapped fields whose value comes only from the manifest field, never from the extension
_OWN_FIELDS = frozenset(MAPPED) - {"publication_category", "impacttoetsen_grouping"}
_HINTS = {
    "status": " (idea, development, pilot, production or retired)",
    "begin_date": " (YYYY-MM)",
    "end_date": " (YYYY-MM)",
}


def _missing(field_name: str, path: tuple[str, ...]) -> str:
    where = ".".join(path)
    if field_name == "publication_category":
        return (
            f"{field_name} is required; set {EXTENSION}.publication_category ('Impactvolle "
            f"algoritmes' or 'Overige algoritmes'), or risk.tier: high for '{HIGH_RISK}'"
        )
    if field_name == "lang":
        return f"{field_name} is required; set {where}: nld (the language of the entry)"
    return f"{field_name} is required; set {where}{_HINTS.get(field_name, '')}"


def csv_cell(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)
