"""Models of rule files and policy packs, as governance officers write them in YAML."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

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
        min_length=1, description="Manifest fragments the rule must report."
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
    applies_from: Date | None = Field(
        default=None,
        description="The date the duty applies from (YYYY-MM-DD); before it a failure is "
        "reported as info with 'applies from ...'. Packs and `.govlint.yaml` can move it.",
    )
    when: dict[str, Any] | None = Field(default=None, description="When the rule applies.")
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


class PolicyRuleSetting(Section):
    severity: SeverityName | None = None
    enabled: bool = True
    locked: bool = False
    applies_from: Date | None = Field(
        default=None, description="The date the rule's duty applies from, for this pack."
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
    extensions: dict[str, ExtensionSpec] = Field(
        default_factory=dict,
        description="`x-` fields the pack's rules use: `path.x-name: {type: ...}`, as in "
        "`.govlint.yaml`.",
    )
