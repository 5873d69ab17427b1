"""The organisation registry (``kind: Organisation``): the shared vocabulary manifests refer to."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from govlint.model.base import Date, Section, Slug, Text


class OrgMetadata(Section):
    name: Text


class GlossaryTerm(Section):
    id: Slug = Field(description="The term manifests refer to in `glossary_term`.")
    definition: Text
    steward: Slug | None = Field(default=None, description="Unit that owns the definition.")
    synonyms: list[Text] = Field(default_factory=list)
    personal_data: bool | None = None


class Capability(Section):
    id: Slug
    name: Text
    description: Text | None = None
    owner: Slug | None = Field(default=None, description="Unit that owns the capability.")


class Platform(Section):
    id: Slug
    name: Text
    owner: Slug | None = None


class StrategicGoal(Section):
    id: Slug
    title: Text
    horizon: Text | None = None


class CustomerJourney(Section):
    id: Slug
    name: Text
    owner: Slug | None = None


class Unit(Section):
    id: Slug
    name: Text


class Supplier(Section):
    id: Slug
    name: Text
    approved_until: Date | None = None


class Organisation(Section):
    """One file of the organisation registry; several files are merged."""

    apiVersion: Literal["govlint/v1"]
    kind: Literal["Organisation"]
    metadata: OrgMetadata | None = None
    glossary: list[GlossaryTerm] = Field(default_factory=list)
    capabilities: list[Capability] = Field(default_factory=list)
    platforms: list[Platform] = Field(default_factory=list)
    strategic_goals: list[StrategicGoal] = Field(default_factory=list)
    customer_journeys: list[CustomerJourney] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    suppliers: list[Supplier] = Field(default_factory=list)


REGISTRY_SECTIONS: tuple[str, ...] = (
    "glossary",
    "capabilities",
    "platforms",
    "strategic_goals",
    "customer_journeys",
    "units",
    "suppliers",
)
