"""Models of rule files and policy packs, as governance officers write them in YAML."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, StringConstraints, Tag

from govlint.model.base import Date, Section, Slug, Text
from govlint.model.extension import ExtensionSpec

Principle = Literal["data", "ethics", "explainability", "human-role", "contribution", "lifecycle"]
PRINCIPLES: tuple[str, ...] = (
    "data",
    "ethics",
    "explainability",
    "human-role",
    "contribution",
    "lifecycle",
)
SeverityName = Literal["error", "warning", "info"]
RULE_ID_PATTERN = r"^[A-Z][A-Z0-9]{1,7}-[0-9]{3,4}$"
#: a binding provision, or guidance the check follows without a legal duty behind it
ReferenceKind = Literal["legal-duty", "good-practice"]
#: the name of a row of a pack's table of application dates, e.g. ``eu-ai-act-annex-iii``
DATE_KEY_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
DateKey = Annotated[
    str,
    StringConstraints(strict=True, pattern=DATE_KEY_PATTERN, max_length=100),
    Field(description="A key of a pack's `application_dates`, e.g. `eu-ai-act-annex-iii`."),
]


class ApplicationDate(Section):
    """One row of a pack's table of the dates from which duties apply."""

    from_: Date = Field(alias="from", description="The date the duties apply from (YYYY-MM-DD).")
    what: Text | None = Field(default=None, description="Which duties, in a few words.")
    source: Text = Field(description="The provision that sets the date.")
    verified: bool = Field(
        description="Whether the date was checked against the text of the provision itself; "
        "false when only secondary sources could be read."
    )
    checked_against: Text | None = Field(
        default=None, description="What was read to check the date, and when."
    )


def _date_or_row(value: Any) -> str:
    """Which form of a date an `application_dates` value is (so that an error names what
    is wrong with that form, not with every form it could have been)."""
    return "|row" if isinstance(value, dict) else "|date"


#: (a union's tags start with "|": error paths leave them out, see ``validate.error_loc``)
#: a date in `.govlint.yaml`'s `application_dates`: a moved date, or a row of its own
DateOrRow = Annotated[
    Annotated[Date, Tag("|date")] | Annotated[ApplicationDate, Tag("|row")],
    Discriminator(_date_or_row),
]


def _applies_from_form(value: Any) -> str:
    """Which form of ``applies_from`` a value is: a list, a date, or else a row key."""
    if isinstance(value, list):
        return "|list"
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return "|date"
    return "|date" if not isinstance(value, str) and hasattr(value, "isoformat") else "|key"


#: a date or a row key, as in a `{when, from}` branch
DateOrKey = Annotated[
    Annotated[Date, Tag("|date")] | Annotated[DateKey, Tag("|key")],
    Discriminator(_applies_from_form),
]


class DatedFrom(Section):
    """One branch of a rule's ``applies_from`` list: the first whose ``when`` holds wins."""

    when: dict[str, Any] | None = Field(
        default=None,
        description="A condition on the manifest, as in a rule's `when`; none: the default.",
    )
    from_: DateOrKey = Field(
        alias="from", description="A date (YYYY-MM-DD) or a key of `application_dates`."
    )


#: a rule's `applies_from`: a date, a row key, or a list of `{when, from}`
AppliesFrom = Annotated[
    Annotated[Date, Tag("|date")]
    | Annotated[DateKey, Tag("|key")]
    | Annotated[list[DatedFrom], Field(min_length=1), Tag("|list")],
    Discriminator(_applies_from_form),
]


class Reference(Section):
    id: Text = Field(
        description="`<FRAMEWORK>-<VERSION>:<ID>`, e.g. `EU-AI-ACT-2024:Art.14`.",
        pattern=r"^[A-Z][A-Z0-9-]*(-[0-9.]+)?:\S+$",
    )
    title: Text | None = None
    url: Text | None = Field(default=None, pattern=r"^https://")
    kind: ReferenceKind | None = Field(
        default=None,
        description="`legal-duty` when the source binds the organisation to what the rule "
        "checks; `good-practice` for standards and guidance, or a provision that is related "
        "but is not the legal basis of the check.",
    )


class Examples(Section):
    pass_: list[dict[str, Any]] = Field(
        alias="pass",
        min_length=1,
        description="Manifest fragments (merged over a valid base) the rule must accept.",
    )
    fail: list[dict[str, Any]] = Field(
        min_length=1, description="Manifest fragments the rule must report (duty in force)."
    )
    upcoming: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Manifest fragments the rule reports as info, 'applies from ...', on the "
        "examples' `today`: the duty is not yet in force for them.",
    )
    today: Date | None = Field(
        default=None,
        description="The date 'today' means in these examples, so date rules stay testable.",
    )
    registry: dict[str, Any] | None = Field(
        default=None,
        description="Per-manifest rules with a 'registry' lookup: a registry fragment merged "
        "over the example registry, for all examples of the rule.",
    )


class RuleSpec(Section):
    """One rule file."""

    apiVersion: Literal["govlint/v1"] | None = Field(
        default=None, description="Optional: `govlint/v1`, as in every govlint file."
    )
    kind: Literal["Rule"] | None = Field(
        default=None,
        description="Optional: `Rule`, so that a folder holding rules and a Policy tells them "
        "apart.",
    )
    id: str = Field(pattern=RULE_ID_PATTERN, description="Stable id, e.g. `HUM-001`.")
    name: Slug = Field(description="Readable name, e.g. `high-risk-needs-oversight`.")
    aliases: list[str] = Field(default_factory=list, description="Former ids of this rule.")
    title: Text
    principle: Principle
    severity: SeverityName
    scope: Literal["initiative", "portfolio"] = "initiative"
    applies_from: AppliesFrom | None = Field(
        default=None,
        description="The date the duty applies from: a date (YYYY-MM-DD), a key of a pack's "
        "`application_dates`, or a list of `{when, from}` picked per manifest (the first "
        "whose `when` holds). Before it a failure is reported as info with 'applies from "
        "...'. Packs and `.govlint.yaml` can move it.",
    )
    when: dict[str, Any] | None = Field(default=None, description="When the rule applies.")
    needs: list[Text] = Field(
        default_factory=list,
        description="Manifest paths of optional values the rule cannot be assessed without "
        "(e.g. `organisation.role` for a duty that binds providers only): where the manifest, "
        "or the registry's defaults, does not give one, the rule is not assessable on it.",
    )
    require: dict[str, Any] | None = Field(default=None, description="What must hold.")
    check: Text | None = Field(default=None, description="Named portfolio check.")
    select: dict[str, Any] | None = Field(
        default=None, description="Portfolio rules: which initiatives a query looks at."
    )
    group_by: Text | None = Field(
        default=None, description="Portfolio rules: the manifest path that groups them."
    )
    options: dict[str, Any] = Field(default_factory=dict)
    message: Text
    rationale: Text
    remediation: Text
    references: list[Reference] = Field(min_length=1)
    examples: Examples = Field(
        description="Manifests the rule must accept (pass) and report (fail)."
    )


class DateChoice(Section):
    """A row of ``application_dates`` whose date depends on the manifest: the first entry of
    ``pick`` whose ``when`` holds names the row (or the date) that applies."""

    what: Text | None = Field(default=None, description="Which duties, in a few words.")
    pick: list[DatedFrom] = Field(
        min_length=1,
        description="`{when, from}` entries, the first whose `when` holds wins; the last may "
        "leave out `when` (the default). `from` names a row with a date, or a date.",
    )


class PolicyRuleSetting(Section):
    severity: SeverityName | None = None
    enabled: bool = True
    locked: bool = False
    applies_from: Date | DateKey | None = Field(
        default=None,
        description="The date the rule's duty applies from, for this pack: a date or a row "
        "of `application_dates` (this pack's, its parents' or a built-in pack's).",
    )


class PolicyInclude(Section):
    principles: list[Principle] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)


class PolicySpec(Section):
    """A policy pack: selects and configures rules."""

    apiVersion: Literal["govlint/v1"]
    kind: Literal["Policy"]
    name: Slug
    description: Text | None = None
    rule_paths: list[Text] = Field(
        default_factory=list,
        description="Folders of the pack's own rules, relative to the pack file.",
    )
    extends: list[Text] = Field(default_factory=list)
    include: PolicyInclude = Field(default_factory=PolicyInclude)
    exclude: list[str] = Field(default_factory=list)
    rules: dict[str, PolicyRuleSetting] = Field(default_factory=dict)
    application_dates: dict[DateKey, ApplicationDate | DateChoice] = Field(
        default_factory=dict,
        description="The dates from which duties apply, by key, with their sources (or a "
        "`pick` of rows by the manifest's facts); rules name a key in `applies_from`, "
        "`.govlint.yaml` can move a row's date.",
    )
    extensions: dict[str, ExtensionSpec] = Field(
        default_factory=dict,
        description="`x-` fields the pack's rules use: `path.x-name: {type: ...}`, as in "
        "`.govlint.yaml`.",
    )
