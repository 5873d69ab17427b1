"""The organisation registry: merge ``kind: Organisation`` files into one shared vocabulary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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
