"""The organisation registry (``kind: Organisation``): the shared vocabulary manifests refer to."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from govlint.model.base import Date, Section, Slug, Text
from govlint.model.initiative import OrganisationKind, OrganisationRole


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


class OrganisationDefaults(Section):
    """Who the EU AI Act duties bind, for every initiative that does not say otherwise."""

    role: OrganisationRole | None = Field(
        default=None,
        description="The organisation's usual role: provider, deployer or "
        "provider-and-deployer; an initiative's organisation.role overrides it.",
    )
    kind: OrganisationKind | None = Field(
        default=None,
        description="public-body, public-service-provider or private (Art. 27(1)); an "
        "initiative's organisation.kind overrides it.",
    )


class InitiativeDefaults(Section):
    """Values every initiative inherits unless its manifest says otherwise."""

    organisation: OrganisationDefaults | None = None


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
    defaults: InitiativeDefaults | None = Field(
        default=None,
        description="What every initiative inherits unless its manifest says otherwise: "
        "`organisation: {role, kind}`. Rules read the value that results.",
    )


REGISTRY_SECTIONS: tuple[str, ...] = (
    "glossary",
    "capabilities",
    "platforms",
    "strategic_goals",
    "customer_journeys",
    "units",
    "suppliers",
)
