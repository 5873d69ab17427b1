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
# The numbered points of Annex III (area number, then letter); Art. 27(1) and Art. 86 turn on
# points 2, 5(b) and 5(c).
AnnexIIIPoint = Literal[
    "1(a)", "1(b)", "1(c)",
    "2",
    "3(a)", "3(b)", "3(c)", "3(d)",
    "4(a)", "4(b)",
    "5(a)", "5(b)", "5(c)", "5(d)",
    "6(a)", "6(b)", "6(c)", "6(d)", "6(e)",
    "7(a)", "7(b)", "7(c)", "7(d)",
    "8(a)", "8(b)",
]  # fmt: skip
# Who the EU AI Act duties bind (Art. 3(3) provider, Art. 3(4) deployer).
OrganisationRole = Literal["provider", "deployer", "provider-and-deployer"]
# Art. 27(1) binds bodies governed by public law and private entities providing public services.
OrganisationKind = Literal["public-body", "public-service-provider", "private"]
ScreeningOutcome = Literal["no-prohibited-practice", "prohibited-practice"]
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
# IAMA: Dutch human-rights and algorithms assessment; DPIA: GDPR Art. 35; FRIA: EU AI Act
# Art. 27; AIA: the AI impact assessment of OMB M-25-21.
AssessmentType = Literal["IAMA", "DPIA", "FRIA", "AIA"]
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


class ProhibitedPracticeScreening(Section):
    date: Date = Field(description="When the use case was screened against Art. 5.")
    reference: Text = Field(description="Where the screening is recorded.")
    outcome: ScreeningOutcome = Field(description="What the screening found.")


class Risk(Section):
    tier: RiskTier = Field(description="EU AI Act risk tier.")
    annex_iii_area: AnnexIIIArea | None = Field(
        default=None, description="Annex III area when the use case falls under one."
    )
    annex_iii_point: AnnexIIIPoint | None = Field(
        default=None,
        description="The point of Annex III, e.g. `5(b)` (creditworthiness) or `2` (critical "
        "infrastructure); Art. 27(1) and Art. 86 depend on it.",
    )
    annex_i_product: bool | None = Field(
        default=None,
        description="The system is a product, or a safety component of a product, covered by "
        "the Union harmonisation legislation of Annex I (Art. 6(1)).",
    )
    prohibited_practice_screening: ProhibitedPracticeScreening | None = Field(
        default=None,
        description="The recorded screening of the use case against the practices Art. 5 "
        "prohibits.",
    )
    high_impact: bool | None = Field(
        default=None,
        description="High-impact AI as OMB Memorandum M-25-21 defines it (US federal agencies): "
        "its output is a principal basis for decisions with legal, material, binding or "
        "significant effect on rights or safety.",
    )
    high_risk_exemption: HighRiskExemption | None = Field(
        default=None, description="Art. 6(3) condition claimed to exempt an Annex III use case."
    )
    profiling: bool | None = Field(
        default=None, description="Whether the system profiles natural persons."
    )
    rationale: Text | None = Field(default=None, description="Why this tier applies.")


class Organisation(Section):
    role: OrganisationRole | None = Field(
        default=None,
        description="The organisation's EU AI Act role for this system: provider (develops it "
        "or has it developed and puts it into service under its own name), deployer (uses "
        "it under its authority) or both.",
    )
    kind: OrganisationKind | None = Field(
        default=None,
        description="Body governed by public law, private entity providing a public service, "
        "or private organisation (Art. 27(1)).",
    )
    substantially_modified: bool | None = Field(
        default=None,
        description="The organisation put its name on a supplier's high-risk system, "
        "substantially modified it, or changed its intended purpose (Art. 25(1)).",
    )


class Transparency(Section):
    """The Art. 50 situations, as facts about the system, whatever its risk tier."""

    interacts_with_people: bool | None = Field(
        default=None, description="Interacts directly with natural persons (Art. 50(1))."
    )
    generates_synthetic_content: bool | None = Field(
        default=None,
        description="Generates synthetic audio, image, video or text content (Art. 50(2)).",
    )
    emotion_recognition_or_biometric_categorisation: bool | None = Field(
        default=None,
        description="Recognises emotions or categorises people biometrically (Art. 50(3)).",
    )
    deep_fake: bool | None = Field(
        default=None,
        description="Generates or manipulates image, audio or video content that is a deep "
        "fake (Art. 50(4), first subparagraph).",
    )
    public_interest_text: bool | None = Field(
        default=None,
        description="Generates or manipulates text published to inform the public on matters "
        "of public interest (Art. 50(4), second subparagraph).",
    )
    people_informed: bool | None = Field(
        default=None,
        description="The people concerned are told that they deal with an AI system, or of "
        "the operation of emotion recognition or biometric categorisation.",
    )
    output_marked: bool | None = Field(
        default=None,
        description="Outputs are marked in a machine-readable format as artificially "
        "generated or manipulated (Art. 50(2)).",
    )
    content_disclosed: bool | None = Field(
        default=None,
        description="Deep fakes and public-interest text are disclosed as artificially "
        "generated or manipulated (Art. 50(4)).",
    )
    editorial_control: bool | None = Field(
        default=None,
        description="Generated public-interest text is reviewed by people and a person holds "
        "editorial responsibility for it (the exception in Art. 50(4)).",
    )


class Deployment(Section):
    """How a deployer uses a high-risk system (EU AI Act Art. 26)."""

    instructions_followed: bool | None = Field(
        default=None,
        description="Technical and organisational measures ensure use according to the "
        "provider's instructions for use (Art. 26(1)).",
    )
    controls_input_data: bool | None = Field(
        default=None, description="The organisation controls the input data (Art. 26(4))."
    )
    input_data_relevant: bool | None = Field(
        default=None,
        description="The input data is checked to be relevant and sufficiently representative "
        "for the intended purpose (Art. 26(4)).",
    )
    workplace_use: bool | None = Field(
        default=None, description="The system is put into service or used at the workplace."
    )
    workers_informed: bool | None = Field(
        default=None,
        description="Workers' representatives and the affected workers were informed before "
        "use at the workplace (Art. 26(7)).",
    )
    incident_procedure: Text | None = Field(
        default=None,
        description="Where the procedure is described for suspending use and reporting risks "
        "and serious incidents to the provider and the market surveillance authority "
        "(Art. 26(5), Art. 73).",
    )


class Registration(Section):
    eu_database: Text | None = Field(
        default=None,
        description="Registration in the EU database for high-risk AI systems (Art. 49, Art. "
        "71), e.g. its registration number.",
    )
    algoritmeregister: Text | None = Field(
        default=None,
        description="Publication in the Dutch Algoritmeregister (link or id).",
    )


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
    records_of_processing: Text | None = Field(
        default=None,
        description="Where the processing is recorded in the GDPR Art. 30 records of "
        "processing activities.",
    )


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
    fail_safe: Text | None = Field(
        default=None,
        description="How the system fails safe or is stopped to minimise significant harm.",
    )
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
    residual_high_risk: bool | None = Field(
        default=None,
        description="A DPIA found a high risk that the measures do not mitigate (GDPR Art. 36).",
    )
    prior_consultation: Date | None = Field(
        default=None,
        description="When the supervisory authority was consulted before the processing "
        "(GDPR Art. 36(1)).",
    )


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


class Testing(Section):
    """OMB M-25-21 minimum practices for high-impact AI, as recorded facts."""

    pre_deployment: Date | None = Field(
        default=None,
        description="When pre-deployment testing in a real-world context was completed.",
    )
    report: Text | None = Field(default=None, description="Where the test results are kept.")


class Ethics(Section):
    impact_assessments: list[ImpactAssessment] = Field(default_factory=list)
    fairness: Fairness | None = None
    appeal: Appeal | None = None
    monitoring: Monitoring | None = None
    testing: Testing | None = None
    independent_review: Text | None = Field(
        default=None,
        description="Who reviewed the AI impact assessment independently of the team that "
        "built the system, and where the review is recorded (OMB M-25-21).",
    )
    public_feedback: Text | None = Field(
        default=None,
        description="How feedback from end users and the public is sought and used.",
    )


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
    archiving: Text | None = Field(
        default=None,
        description="How the records the system produces are kept and destroyed under "
        "archives law, e.g. the selection list (selectielijst) category.",
    )


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
    organisation: Organisation | None = Field(
        default=None, description="Who the duties bind: the organisation's role and kind."
    )
    transparency: Transparency | None = None
    deployment: Deployment | None = None
    registration: Registration | None = None
    data: Data | None = None
    model: Model | None = None
    human_role: HumanRole | None = None
    explainability: Explainability | None = None
    ethics: Ethics | None = None
    contribution: Contribution | None = None
    lifecycle: Lifecycle
    waivers: list[Waiver] = Field(default_factory=list)
