"""The initiative manifest (``kind: Initiative``): one AI initiative and its governance facts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from govlint.model.base import API_VERSION, Date, MonthOrDate, Section, Slug, Text

Horizon = Literal["optimise", "redesign", "new-service"]
DecisionType = Literal["automated-decision", "decision-support", "no-individual-decision"]
RiskTier = Literal["prohibited", "high", "limited", "minimal"]
# The eight areas of Annex III of the EU AI Act (Regulation (EU) 2024/1689).
AnnexIIIArea = Literal[
    "biometrics",
    "critical-infrastructure",
    "education-and-vocational-training",
    "employment-workers-management-and-access-to-self-employment",
    "access-to-essential-private-and-public-services-and-benefits",
    "law-enforcement",
    "migration-asylum-and-border-control",
    "administration-of-justice-and-democratic-processes",
]
# Art. 6(3) EU AI Act: conditions under which an Annex III system is not high-risk.
HighRiskExemption = Literal[
    "narrow-procedural-task",
    "improves-completed-human-activity",
    "detects-decision-patterns",
    "preparatory-task",
]
# The six lawful bases of GDPR Art. 6(1).
LawfulBasis = Literal[
    "consent",
    "contract",
    "legal-obligation",
    "vital-interests",
    "public-task",
    "legitimate-interests",
]
# The special categories of personal data of GDPR Art. 9(1), plus criminal data (Art. 10).
SpecialCategory = Literal[
    "racial-or-ethnic-origin",
    "political-opinions",
    "religious-or-philosophical-beliefs",
    "trade-union-membership",
    "genetic-data",
    "biometric-data",
    "health",
    "sex-life-or-sexual-orientation",
    "criminal-convictions-and-offences",
]
Oversight = Literal["human-in-command", "human-in-the-loop", "human-on-the-loop", "none"]
ExplainabilityLevel = Literal["none", "global", "local"]
Audience = Literal["affected-people", "operators", "management", "auditors", "public"]
AssessmentType = Literal["IAMA", "DPIA", "FRIA"]
AssessmentStatus = Literal["not-started", "in-progress", "completed", "not-required"]
Status = Literal["idea", "development", "pilot", "production", "retired"]
ModelType = Literal[
    "classification",
    "regression",
    "forecasting",
    "optimisation",
    "recommendation",
    "generative",
    "rule-based",
    "other",
]


class Owner(Section):
    name: Text = Field(description="The accountable person, by name (not a team alias).")
    email: Text | None = None
    role: Text | None = Field(default=None, description="Job title or governance role.")


class Metadata(Section):
    id: Slug = Field(description="Stable identifier of the initiative, unique in the portfolio.")
    name: Text = Field(description="Human-readable name.")
    unit: Slug = Field(description="Organisational unit that owns the initiative (registry id).")
    owner: Owner = Field(description="The accountable owner.")
    description: Text | None = None


class Purpose(Section):
    summary: Text = Field(description="What the initiative does and for whom, in plain words.")
    horizon: Horizon = Field(
        description="Does AI optimise the existing process, redesign the service, "
        "or create a new service?"
    )
    customer_journey: Slug | None = Field(
        default=None, description="The customer journey it serves (registry id)."
    )
    decision_type: DecisionType | None = Field(
        default=None,
        description="Whether the system decides about individuals, supports a person who "
        "decides, or makes no decision about individuals.",
    )


class Risk(Section):
    tier: RiskTier = Field(description="EU AI Act risk tier.")
    annex_iii_area: AnnexIIIArea | None = Field(
        default=None, description="Annex III area when the use case falls under one."
    )
    high_risk_exemption: HighRiskExemption | None = Field(
        default=None, description="Art. 6(3) condition claimed to exempt an Annex III use case."
    )
    profiling: bool | None = Field(
        default=None, description="Whether the system profiles natural persons."
    )
    rationale: Text | None = Field(default=None, description="Why this tier applies.")


class DataSource(Section):
    name: Text
    glossary_term: Slug | None = Field(
        default=None, description="The shared data definition (registry glossary term)."
    )
    personal_data: bool = Field(default=False)
    special_categories: list[SpecialCategory] = Field(default_factory=list)
    lawful_basis: LawfulBasis | None = Field(default=None, description="GDPR Art. 6 basis.")
    retention: Text | None = Field(
        default=None, description="How long the data is kept, e.g. `P2Y` or `2 years`."
    )
    origin: Text | None = Field(default=None, description="System or party the data comes from.")


class Data(Section):
    sources: list[DataSource] = Field(default_factory=list)


class Model(Section):
    type: ModelType | None = None
    name: Text | None = None
    version: Text | None = None
    supplier: Slug | None = Field(default=None, description="Supplier (registry id).")
    in_house: bool | None = None
    documentation: Text | None = Field(default=None, description="Link to technical documentation.")
    logging: bool | None = Field(default=None, description="Automatic logging of events.")
    accuracy_metrics: list[Text] = Field(default_factory=list)


class HumanRole(Section):
    oversight: Oversight = Field(description="How people oversee the system.")
    override: bool | None = Field(
        default=None, description="A person can override or reverse the system's output."
    )
    escalation: Text | None = Field(default=None, description="Who is called when in doubt.")
    operator_training: bool | None = Field(
        default=None, description="Operators are trained (AI literacy)."
    )


class Explainability(Section):
    level: ExplainabilityLevel
    method: Text | None = None
    audience: list[Audience] = Field(default_factory=list)
    notice_to_affected: bool | None = Field(
        default=None, description="People are told that AI is used in decisions about them."
    )


class ImpactAssessment(Section):
    type: AssessmentType
    status: AssessmentStatus
    date: Date | None = None
    reference: Text | None = None


class Fairness(Section):
    measures: list[Text] = Field(default_factory=list)
    metrics: list[Text] = Field(default_factory=list)
    last_audit: Date | None = None


class Appeal(Section):
    process: Text
    contact: Text | None = None


class Monitoring(Section):
    metrics: list[Text] = Field(default_factory=list)
    frequency: Text | None = None
    owner: Text | None = None


class Ethics(Section):
    impact_assessments: list[ImpactAssessment] = Field(default_factory=list)
    fairness: Fairness | None = None
    appeal: Appeal | None = None
    monitoring: Monitoring | None = None


class Capabilities(Section):
    reuses: list[Slug] = Field(default_factory=list, description="Shared capabilities it uses.")
    provides: list[Slug] = Field(
        default_factory=list, description="Capabilities it offers to others."
    )


class Contribution(Section):
    platform: Slug | None = Field(default=None, description="Shared platform it runs on.")
    capabilities: Capabilities | None = None
    depends_on: list[Slug] = Field(default_factory=list, description="Other initiatives (ids).")
    strategic_goals: list[Slug] = Field(
        default_factory=list, description="Strategic goals it serves (registry ids)."
    )


class Lifecycle(Section):
    status: Status
    review_date: Date | None = Field(default=None, description="Next governance review.")
    go_live: MonthOrDate | None = None
    retirement: MonthOrDate | None = None


class Waiver(Section):
    rule: Text = Field(description="Id of the rule that is waived.")
    path: Text | None = Field(default=None, description="Path in the manifest the waiver covers.")
    reason: Text
    approved_by: Text
    ticket: Text | None = None
    expires: Date


class Initiative(Section):
    """An AI initiative manifest."""

    apiVersion: Literal["govlint/v1"] = Field(description=f"Always `{API_VERSION}`.")
    kind: Literal["Initiative"]
    metadata: Metadata
    purpose: Purpose
    risk: Risk
    data: Data | None = None
    model: Model | None = None
    human_role: HumanRole | None = None
    explainability: Explainability | None = None
    ethics: Ethics | None = None
    contribution: Contribution | None = None
    lifecycle: Lifecycle
    waivers: list[Waiver] = Field(default_factory=list)
