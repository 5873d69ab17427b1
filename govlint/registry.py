"""The organisation registry: merge ``kind: Organisation`` files into one shared vocabulary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from govlint.findings import Finding, Location, Severity
from govlint.model.organisation import REGISTRY_SECTIONS, Organisation
from govlint.validate import Checked

DUPLICATE_ENTRY = "GL020"


@dataclass(frozen=True)
class Entry:
    """One registry entry (a glossary term, a capability, ...) and where it is defined."""

    section: str
    id: str
    item: object
    location: Location


@dataclass
class Registry:
    """All registry files merged: ``entries[section][id]``."""

    entries: dict[str, dict[str, Entry]] = field(
        default_factory=lambda: {s: {} for s in REGISTRY_SECTIONS}
    )
    files: list[str] = field(default_factory=list)

    def ids(self, section: str) -> list[str]:
        return list(self.entries[section])


def merge_registry(documents: Iterable[Checked]) -> tuple[Registry, list[Finding]]:
    """Merge valid registry documents; an id defined twice (in any file) is an error."""
    registry = Registry()
    findings: list[Finding] = []
    for checked in documents:
        if checked.kind != "Organisation":
            continue
        model = checked.resolved_model()
        if not isinstance(model, Organisation):
            continue
        doc = checked.document
        registry.files.append(doc.file)
        for section in REGISTRY_SECTIONS:
            for i, item in enumerate(getattr(model, section)):
                item_id: str = item.id
                location = doc.locate((section, i, "id"))
                existing = registry.entries[section].get(item_id)
                if existing is not None:
                    first = existing.location
                    findings.append(
                        Finding(
                            DUPLICATE_ENTRY,
                            Severity.ERROR,
                            f"{section} entry {item_id!r} is already defined at "
                            f"{first.file}:{first.span.line}; keep one definition",
                            location,
                            related=(first,),
                        )
                    )
                    continue
                registry.entries[section][item_id] = Entry(section, item_id, item, location)
    return registry, findings


#: the registry's defaults that initiatives inherit: section -> key -> value
Defaults = dict[str, dict[str, str]]


def registry_defaults(documents: Iterable[Checked]) -> tuple[Defaults, list[Finding]]:
    """What initiatives inherit from the registry's ``defaults`` (the first file that sets a
    value wins; another file that sets it differently is an error)."""
    defaults: Defaults = {}
    where: dict[tuple[str, str], Location] = {}
    findings: list[Finding] = []
    for checked in documents:
        model = checked.resolved_model() if checked.kind == "Organisation" else None
        if not isinstance(model, Organisation) or model.defaults is None:
            continue
        for section, values in model.defaults.model_dump(exclude_none=True).items():
            for key, value in values.items():
                location = checked.document.locate(("defaults", section, key))
                known = defaults.setdefault(section, {}).get(key)
                if known is None:
                    defaults[section][key] = value
                    where[(section, key)] = location
                elif known != value:
                    first = where[(section, key)]
                    findings.append(
                        Finding(
                            DUPLICATE_ENTRY,
                            Severity.ERROR,
                            f"defaults.{section}.{key} is {known!r} at {first.file}:"
                            f"{first.span.line}; a registry sets each default once",
                            location,
                            related=(first,),
                        )
                    )
    return defaults, findings


def inherit(data: Any, defaults: Defaults) -> Any:
    """The manifest as rules read it: the registry's defaults where it says nothing."""
    if not defaults or not isinstance(data, dict):
        return data
    out = dict(data)
    for section, values in defaults.items():
        own = data.get(section)
        if own is not None and not isinstance(own, dict):
            continue  # a wrong type is the schema's finding; leave it as it is
        merged = {**values, **{k: v for k, v in (own or {}).items() if v is not None}}
        out[section] = merged
    return out
