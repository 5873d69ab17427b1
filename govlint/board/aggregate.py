"""The board report's numbers: pure functions from a check outcome to portfolio aggregates.

Every number keeps the initiatives behind it (their report keys in ``initiatives``), and
every initiative keeps its findings, so a reader can trace each figure back to the
manifests and findings it was computed from. Nothing here reads files or prints.

The JSON export is ``dataclasses.asdict`` of :class:`BoardReport` (see :func:`to_json`):
``schema`` and ``version`` identify the layout; a field is only ever added within one
version, never renamed or removed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, get_args

from govlint.diagnostics import DIAGNOSTICS
from govlint.engine.rules import Rule
from govlint.findings import Finding, Location, Severity, format_path
from govlint.load import Document, PathKey
from govlint.model.initiative import Horizon, RiskTier, Status
from govlint.model.rule import PRINCIPLES
from govlint.outcome import Outcome
from govlint.validate import Checked

SCHEMA = "govlint/board-report"
VERSION = 1

HORIZONS: tuple[str, ...] = get_args(Horizon)
TIERS: tuple[str, ...] = get_args(RiskTier)
STATUSES: tuple[str, ...] = get_args(Status)
#: the horizons that go beyond optimising the existing process
BEYOND_OPTIMISE: tuple[str, ...] = ("redesign", "new-service")
#: bucket for a value that is missing or not one of the allowed values
UNKNOWN = "unknown"
#: pseudo-principle for findings of no rule (schema and YAML diagnostics, GLxxx)
MANIFEST = "manifest"
#: a waiver that expires within this many days is reported as expiring
EXPIRY_WINDOW_DAYS = 90
WAIVER_STATES: tuple[str, ...] = ("active", "expiring", "expired")

# The portfolio rules whose findings mark the patchwork. An organisation's own rule that
# uses the same named check counts too (see _rules_using).
#: CON-001: declares no contribution; CON-102: declares only unregistered ones
ISLAND_RULES, ISLAND_CHECK = ("CON-001", "CON-102"), "contribution"
DUPLICATE_RULE, DUPLICATE_CHECK = "CON-103", "duplicates"
DEFINITION_RULE, DEFINITION_CHECK = "DAT-101", "definitions"


# --- the values the report is made of ----------------------------------------------


@dataclass(frozen=True)
class FindingRef:
    """A finding as the report shows it, with the initiative(s) it is about."""

    rule_id: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    path: str
    principle: str | None
    initiative: str | None
    related: tuple[str, ...]  # "file:line:col" of related places
    related_initiatives: tuple[str, ...]
    suppressed: str | None  # "waiver" or "baseline" when it does not count


@dataclass(frozen=True)
class Count:
    """How many initiatives have ``key``, and which ones."""

    key: str
    count: int
    initiatives: tuple[str, ...]


@dataclass(frozen=True)
class InitiativeRow:
    """One initiative: what the manifest says and what was found in it.

    ``key`` is unique in the report: the id, or ``id@file`` when an id is used twice.
    Missing or invalid values of status, tier and horizon are reported as ``unknown``.
    """

    key: str
    id: str | None
    name: str
    unit: str
    status: str
    tier: str
    horizon: str
    customer_journey: str | None
    decision_type: str | None
    platform: str | None
    reuses: tuple[str, ...]
    provides: tuple[str, ...]
    depends_on: tuple[str, ...]
    strategic_goals: tuple[str, ...]
    file: str
    line: int
    valid: bool
    errors: int
    warnings: int
    infos: int
    waived: int
    findings: tuple[FindingRef, ...]
    #: rules that could not be assessed on it: a value they read is missing where
    #: required, or invalid (their principles are "not assessable" in the heat map)
    not_assessable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """An organisational unit: from the registry, or only named by manifests."""

    id: str
    name: str
    in_registry: bool
    initiatives: tuple[str, ...]


@dataclass(frozen=True)
class UnitHorizon:
    unit: str
    counts: tuple[Count, ...]  # one per horizon (and unknown when present)
    total: int


@dataclass(frozen=True)
class Journey:
    """A customer journey and the initiatives on it, by horizon."""

    id: str | None  # None: initiatives that name no journey
    name: str
    owner: str | None
    in_registry: bool
    counts: tuple[Count, ...]
    total: int


@dataclass(frozen=True)
class Cell:
    """Share of initiatives without an error finding of one principle's rules, among those
    on which the principle could be assessed.

    An initiative without such an error on which a rule of the principle could not be
    assessed (a value it reads is missing or invalid) is neither compliant nor failing: it
    is counted in ``not_assessable`` and left out of the share.
    """

    principle: str
    total: int
    compliant: tuple[str, ...]
    failing: tuple[str, ...]
    findings: int  # the error findings behind ``failing``
    share: float | None  # None when no initiative could be assessed
    not_assessable: tuple[str, ...] = ()

    @property
    def assessed(self) -> int:
        return len(self.compliant) + len(self.failing)


@dataclass(frozen=True)
class HeatRow:
    unit: str  # a unit id, or "*" for the whole portfolio
    cells: tuple[Cell, ...]  # one per principle, in the order of Compliance.principles
    overall: Cell  # principle "*": no error finding at all


@dataclass(frozen=True)
class Compliance:
    principles: tuple[str, ...]
    threshold: str
    portfolio: HeatRow
    units: tuple[HeatRow, ...]


@dataclass(frozen=True)
class RuleCount:
    rule_id: str
    title: str
    principle: str | None
    severity: str  # the most severe finding of the rule
    findings: int
    initiatives: tuple[str, ...]


@dataclass(frozen=True)
class Node:
    """A node of the patchwork graph: an initiative, a platform or a capability."""

    id: str  # "<kind>:<ref>"
    kind: str  # initiative | platform | capability
    ref: str  # initiative key or registry id
    label: str
    unit: str | None
    in_registry: bool
    flags: tuple[str, ...]  # island, duplicate, conflict


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # runs-on | reuses | provides | depends-on


@dataclass(frozen=True)
class Duplicate:
    """A cluster of initiatives that build the same thing (CON-103, see
    govlint.portfolio.clusters): every member with a finding that counts."""

    capability: str | None  # the capability, when the signal is "capability"
    initiatives: tuple[str, ...]
    units: tuple[str, ...]
    findings: tuple[FindingRef, ...]
    #: the cluster id the findings name, its signal (capability | purpose | product) and
    #: what it is (the capability, the product, or the most common purpose text)
    id: str = ""
    signal: str = "capability"
    label: str = ""


@dataclass(frozen=True)
class Conflict:
    """A data source whose definition disagrees with the rest of the portfolio (DAT-101)."""

    initiative: str | None
    source: str | None
    term: str | None
    others: tuple[str, ...]
    finding: FindingRef


@dataclass(frozen=True)
class Patchwork:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    islands: tuple[str, ...]
    duplicates: tuple[Duplicate, ...]
    conflicts: tuple[Conflict, ...]
    unused_platforms: tuple[str, ...]
    unused_capabilities: tuple[str, ...]


@dataclass(frozen=True)
class WaiverRow:
    """A governed exception, where it is written and how many findings it waives."""

    initiative: str  # the initiative's report key (its id when it is not in the report)
    rule: str
    path: str | None
    reason: str
    approved_by: str
    ticket: str | None
    expires: str
    days_left: int
    state: str  # active | expiring | expired
    central: bool  # written in a central waivers file, not in the manifest
    findings: int  # findings it suppresses now
    file: str
    line: int


@dataclass(frozen=True)
class Waivers:
    window_days: int
    counts: tuple[Count, ...]  # one per state in WAIVER_STATES
    rows: tuple[WaiverRow, ...]


@dataclass(frozen=True)
class Totals:
    initiatives: int
    units: int  # units with at least one initiative
    files: int
    invalid_manifests: Count
    findings: int  # findings that count (not waived, not in the baseline)
    errors: int
    warnings: int
    infos: int
    waived: int
    compliant: Count  # initiatives without an error finding
    beyond_optimise: Count  # horizon redesign or new-service
    high_risk: Count


@dataclass(frozen=True)
class BoardReport:
    """Everything the board report shows; rendered as HTML, Markdown or JSON."""

    schema: str
    version: int
    govlint_version: str
    today: str
    organisation: str | None
    files: tuple[str, ...]
    rules: int
    totals: Totals
    units: tuple[Unit, ...]
    by_status: tuple[Count, ...]
    by_tier: tuple[Count, ...]
    by_unit: tuple[Count, ...]
    by_horizon: tuple[Count, ...]
    horizon_by_unit: tuple[UnitHorizon, ...]
    journeys: tuple[Journey, ...]
    compliance: Compliance
    broken_rules: tuple[RuleCount, ...]
    patchwork: Patchwork
    waivers: Waivers
    initiatives: tuple[InitiativeRow, ...]
    other_findings: tuple[FindingRef, ...]  # about the registry or no initiative

    def initiative(self, key: str) -> InitiativeRow | None:
        return next((row for row in self.initiatives if row.key == key), None)

    def unit_name(self, unit_id: str) -> str:
        return next((u.name for u in self.units if u.id == unit_id), unit_id)


def to_json(report: BoardReport) -> dict[str, Any]:
    """The report as plain data for ``json.dumps`` (BI tools read this)."""
    return asdict(report)


# --- reading manifests defensively: an invalid manifest is still in the portfolio ----


def _get(data: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _text(data: Any, *path: str) -> str | None:
    value = _get(data, *path)
    return value if isinstance(value, str) and value else None


def _texts(data: Any, *path: str) -> tuple[str, ...]:
    value = _get(data, *path)
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str) and v)


def _choice(value: str | None, allowed: Sequence[str]) -> str:
    return value if value is not None and value in allowed else UNKNOWN


def _value_at(doc: Document, path_text: str) -> tuple[PathKey, Any] | None:
    """The path and value a finding points at (findings carry the path as text)."""
    for key in doc.spans:
        if format_path(key) == path_text:
            return key, doc.get(key)
    return None


# --- which initiative a finding is about ------------------------------------------


class _Locator:
    """Attributes a location to the initiative document it falls in."""

    def __init__(self, documents: Iterable[Checked], keys: dict[int, str]) -> None:
        by_file: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
        for checked in documents:
            doc = checked.document
            by_file[doc.file].append((doc.start.line, keys.get(id(checked))))
        self._by_file = {f: sorted(v, key=lambda e: e[0]) for f, v in by_file.items()}

    def key(self, location: Location) -> str | None:
        entries = self._by_file.get(location.file)
        if not entries:
            return None
        chosen = entries[0][1]  # a finding above the first document belongs to it
        for line, key in entries:
            if line > location.span.line:
                break
            chosen = key
        return chosen


# --- building the report -----------------------------------------------------------


def build(
    outcome: Outcome,
    rules: Sequence[Rule],
    today: dt.date,
    govlint_version: str,
    top: int | None = None,
) -> BoardReport:
    """Compute every aggregate of the board report from a check outcome.

    ``rules`` are the rules that ran (``Setup.rules``): they give each finding its
    principle and decide which principles the compliance heat map shows. Only findings
    that count (not waived, not in the baseline) enter the figures; waived ones are
    counted per initiative. ``top`` limits the list of most broken rules.
    """
    files = set(outcome.files)
    initiatives = [
        c for c in outcome.documents if c.kind == "Initiative" and c.document.file in files
    ]
    keys = _keys(initiatives)
    locator = _Locator(outcome.documents, keys)
    rules_by_id = {r.id: r for r in rules}

    refs = [_finding_ref(f, rules_by_id, locator) for f in outcome.findings]
    per_initiative, other = _by_initiative(refs)
    rows = tuple(_row(c, keys[id(c)], per_initiative[keys[id(c)]]) for c in initiatives)
    principle_of = {r.id: r.principle for r in rules}
    registry = outcome.merged_registry()
    units = _units(rows, registry.entries["units"])
    unit_ids = [u.id for u in units]
    # initiatives by unit (registry order), then in file order: the order of every table
    rows = tuple(sorted(rows, key=lambda row: unit_ids.index(row.unit)))
    active = [r for r in refs if r.suppressed is None]

    principles = _principles(rules, rows)
    compliance = _compliance(rows, units, principles, principle_of)
    patchwork = _patchwork(outcome, rows, keys, rules, refs, unit_ids)
    return BoardReport(
        schema=SCHEMA,
        version=VERSION,
        govlint_version=govlint_version,
        today=today.isoformat(),
        organisation=_organisation(outcome.documents),
        files=tuple(outcome.files),
        rules=len(rules),
        totals=_totals(rows, units, outcome.files, active),
        units=units,
        by_status=_breakdown(rows, "status", STATUSES),
        by_tier=_breakdown(rows, "tier", TIERS),
        by_unit=_breakdown(rows, "unit", unit_ids),
        by_horizon=_breakdown(rows, "horizon", HORIZONS),
        horizon_by_unit=_horizon_by_unit(rows, units),
        journeys=_journeys(rows, registry.entries["customer_journeys"]),
        compliance=compliance,
        broken_rules=_broken_rules(active, rules_by_id, top),
        patchwork=patchwork,
        waivers=_waivers(outcome, rows, today),
        initiatives=rows,
        other_findings=tuple(other),
    )


def _keys(initiatives: Sequence[Checked]) -> dict[int, str]:
    counts = Counter(c.id for c in initiatives)
    keys: dict[int, str] = {}
    used: set[str] = set()
    for checked in initiatives:
        ident = checked.id
        if ident and counts[ident] == 1:
            key = ident
        else:
            key = f"{ident or 'unnamed'}@{checked.document.file}"
        if key in used:
            key = f"{key}#{checked.document.index + 1}"
        used.add(key)
        keys[id(checked)] = key
    return keys


def _finding_ref(finding: Finding, rules: dict[str, Rule], locator: _Locator) -> FindingRef:
    rule = rules.get(finding.rule_id)
    loc = finding.location
    related = tuple(f"{r.file}:{r.span.line}:{r.span.column}" for r in finding.related)
    others = tuple(
        dict.fromkeys(k for k in (locator.key(r) for r in finding.related) if k is not None)
    )
    return FindingRef(
        rule_id=finding.rule_id,
        severity=finding.severity.value,
        message=finding.message,
        file=loc.file,
        line=loc.span.line,
        column=loc.span.column,
        path=loc.path,
        principle=rule.principle if rule is not None else None,
        initiative=locator.key(loc),
        related=related,
        related_initiatives=others,
        suppressed=finding.suppression.kind if finding.suppression else None,
    )


def _row(checked: Checked, key: str, findings: list[FindingRef]) -> InitiativeRow:
    data = checked.document.data
    active = [f for f in findings if f.suppressed is None]
    severities = Counter(f.severity for f in active)
    return InitiativeRow(
        key=key,
        id=checked.id,
        name=_text(data, "metadata", "name") or key,
        unit=_text(data, "metadata", "unit") or UNKNOWN,
        status=_choice(_text(data, "lifecycle", "status"), STATUSES),
        tier=_choice(_text(data, "risk", "tier"), TIERS),
        horizon=_choice(_text(data, "purpose", "horizon"), HORIZONS),
        customer_journey=_text(data, "purpose", "customer_journey"),
        decision_type=_text(data, "purpose", "decision_type"),
        platform=_text(data, "contribution", "platform"),
        reuses=_texts(data, "contribution", "capabilities", "reuses"),
        provides=_texts(data, "contribution", "capabilities", "provides"),
        depends_on=_texts(data, "contribution", "depends_on"),
        strategic_goals=_texts(data, "contribution", "strategic_goals"),
        file=checked.document.file,
        line=checked.document.start.line,
        valid=checked.model is not None,
        errors=severities[Severity.ERROR.value],
        warnings=severities[Severity.WARNING.value],
        infos=severities[Severity.INFO.value],
        waived=len(findings) - len(active),
        findings=tuple(findings),
        not_assessable=checked.assessment.blocked_rules if checked.assessment else (),
    )


def _organisation(documents: Iterable[Checked]) -> str | None:
    for checked in documents:
        if checked.kind == "Organisation":
            name = _text(checked.document.data, "metadata", "name")
            if name:
                return name
    return None


def _units(rows: Sequence[InitiativeRow], registered: dict[str, Any]) -> tuple[Unit, ...]:
    """Registry units in registry order, then units only manifests name, then unknown."""
    members: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        members[row.unit].append(row.key)
    units = [
        Unit(uid, _text_attr(entry.item, "name") or uid, True, tuple(members.get(uid, ())))
        for uid, entry in registered.items()
    ]
    extra = sorted(u for u in members if u not in registered and u != UNKNOWN)
    units += [Unit(uid, uid, False, tuple(members[uid])) for uid in extra]
    if UNKNOWN in members:
        units.append(Unit(UNKNOWN, UNKNOWN, False, tuple(members[UNKNOWN])))
    return tuple(units)


def _text_attr(item: object, name: str) -> str | None:
    value = getattr(item, name, None)
    return value if isinstance(value, str) and value else None


def _breakdown(rows: Sequence[InitiativeRow], attr: str, order: Sequence[str]) -> tuple[Count, ...]:
    """Counts per value in ``order`` (zeros included), then any other value that occurs."""
    groups: dict[str, list[str]] = {k: [] for k in order}
    for row in rows:
        groups.setdefault(getattr(row, attr), []).append(row.key)
    return tuple(Count(k, len(v), tuple(v)) for k, v in groups.items())


def _totals(
    rows: Sequence[InitiativeRow],
    units: Sequence[Unit],
    files: Sequence[str],
    active: Sequence[FindingRef],
) -> Totals:
    severities = Counter(f.severity for f in active)

    def count(key: str, keep: Iterable[InitiativeRow]) -> Count:
        chosen = tuple(r.key for r in keep)
        return Count(key, len(chosen), chosen)

    return Totals(
        initiatives=len(rows),
        units=sum(1 for u in units if u.initiatives),
        files=len(files),
        invalid_manifests=count("invalid", (r for r in rows if not r.valid)),
        findings=len(active),
        errors=severities[Severity.ERROR.value],
        warnings=severities[Severity.WARNING.value],
        infos=severities[Severity.INFO.value],
        waived=sum(r.waived for r in rows),
        compliant=count("compliant", (r for r in rows if r.errors == 0)),
        beyond_optimise=count("beyond-optimise", (r for r in rows if r.horizon in BEYOND_OPTIMISE)),
        high_risk=count("high", (r for r in rows if r.tier == "high")),
    )


def _journeys(rows: Sequence[InitiativeRow], registered: dict[str, Any]) -> tuple[Journey, ...]:
    """Registry journeys (served or not), journeys only manifests name, then no journey."""
    on: dict[str | None, list[InitiativeRow]] = defaultdict(list)
    for row in rows:
        on[row.customer_journey].append(row)
    out: list[Journey] = []

    def journey(jid: str | None, name: str, owner: str | None, known: bool) -> Journey:
        members = on.get(jid, [])
        return Journey(
            jid, name, owner, known, _breakdown(members, "horizon", HORIZONS), len(members)
        )

    for jid, entry in registered.items():
        out.append(
            journey(
                jid, _text_attr(entry.item, "name") or jid, _text_attr(entry.item, "owner"), True
            )
        )
    for jid in sorted(j for j in on if j is not None and j not in registered):
        out.append(journey(jid, jid, None, False))
    if None in on:
        out.append(journey(None, "", None, False))
    return tuple(out)


def _principles(rules: Sequence[Rule], rows: Sequence[InitiativeRow]) -> tuple[str, ...]:
    """Principles with at least one rule that ran (a principle nobody checks scores no 100%)."""
    ran = {r.principle for r in rules}
    chosen = [p for p in PRINCIPLES if p in ran]
    chosen += sorted(ran - set(PRINCIPLES))
    blocking = Severity.ERROR.value
    if any(
        f.principle is None and f.severity == blocking and f.suppressed is None
        for row in rows
        for f in row.findings
    ):
        chosen.append(MANIFEST)
    return tuple(chosen)


def _cell(principle: str, rows: Sequence[InitiativeRow], principle_of: dict[str, str]) -> Cell:
    blocking = Severity.ERROR.value
    compliant: list[str] = []
    failing: list[str] = []
    blocked: list[str] = []
    findings = 0
    for row in rows:
        hits = [
            f
            for f in row.findings
            if f.suppressed is None
            and f.severity == blocking
            and (principle == "*" or (f.principle or MANIFEST) == principle)
        ]
        findings += len(hits)
        if hits:
            failing.append(row.key)
        elif any(principle in ("*", principle_of.get(r)) for r in row.not_assessable):
            blocked.append(row.key)
        else:
            compliant.append(row.key)
    assessed = len(compliant) + len(failing)
    share = len(compliant) / assessed if assessed else None
    return Cell(
        principle, len(rows), tuple(compliant), tuple(failing), findings, share, tuple(blocked)
    )


def _heat_row(
    unit: str,
    rows: Sequence[InitiativeRow],
    principles: Sequence[str],
    principle_of: dict[str, str],
) -> HeatRow:
    return HeatRow(
        unit,
        tuple(_cell(p, rows, principle_of) for p in principles),
        _cell("*", rows, principle_of),
    )


def _compliance(
    rows: Sequence[InitiativeRow],
    units: Sequence[Unit],
    principles: tuple[str, ...],
    principle_of: dict[str, str],
) -> Compliance:
    return Compliance(
        principles=principles,
        threshold=Severity.ERROR.value,
        portfolio=_heat_row("*", rows, principles, principle_of),
        units=tuple(
            _heat_row(u.id, [r for r in rows if r.unit == u.id], principles, principle_of)
            for u in units
            if u.initiatives
        ),
    )


def _broken_rules(
    active: Sequence[FindingRef], rules: dict[str, Rule], top: int | None
) -> tuple[RuleCount, ...]:
    """Rules by the number of initiatives they found something in, then by findings."""
    by_rule: dict[str, list[FindingRef]] = defaultdict(list)
    for ref in active:
        by_rule[ref.rule_id].append(ref)
    out: list[RuleCount] = []
    for rule_id, refs in by_rule.items():
        rule = rules.get(rule_id)
        diagnostic = DIAGNOSTICS.get(rule_id)
        title = rule.spec.title if rule else diagnostic.title if diagnostic else rule_id
        worst = max((Severity(r.severity) for r in refs), key=lambda s: s.rank)
        involved = tuple(dict.fromkeys(r.initiative for r in refs if r.initiative is not None))
        out.append(
            RuleCount(
                rule_id,
                title,
                rule.principle if rule else None,
                worst.value,
                len(refs),
                involved,
            )
        )
    out.sort(key=lambda rc: (-len(rc.initiatives), -rc.findings, rc.rule_id))
    return tuple(out[:top] if top is not None else out)


def _by_initiative(
    refs: Sequence[FindingRef],
) -> tuple[dict[str, list[FindingRef]], list[FindingRef]]:
    """The findings of each initiative, and those of no initiative (in their order)."""
    per_initiative: dict[str, list[FindingRef]] = defaultdict(list)
    other: list[FindingRef] = []
    for ref in refs:
        if ref.initiative is None:
            other.append(ref)
        else:
            per_initiative[ref.initiative].append(ref)
    return per_initiative, other


def _horizon_by_unit(
    rows: Sequence[InitiativeRow], units: Sequence[Unit]
) -> tuple[UnitHorizon, ...]:
    return tuple(
        UnitHorizon(
            u.id,
            _breakdown([r for r in rows if r.unit == u.id], "horizon", HORIZONS),
            len(u.initiatives),
        )
        for u in units
    )


def _rules_using(rules: Sequence[Rule], rule_ids: Iterable[str], check: str) -> frozenset[str]:
    """The given rules and every portfolio rule that runs the same named check."""
    same = {r.id for r in rules if r.spec.scope == "portfolio" and r.spec.check == check}
    return frozenset({*rule_ids, *same})


def _patchwork(
    outcome: Outcome,
    rows: Sequence[InitiativeRow],
    keys: dict[int, str],
    rules: Sequence[Rule],
    refs: Sequence[FindingRef],
    unit_order: Sequence[str],
) -> Patchwork:
    island_rules = _rules_using(rules, ISLAND_RULES, ISLAND_CHECK)
    definition_rules = _rules_using(rules, (DEFINITION_RULE,), DEFINITION_CHECK)
    active = [r for r in refs if r.suppressed is None and r.initiative is not None]
    docs = {keys[id(c)]: c.document for c in outcome.documents if id(c) in keys}

    islands = tuple(
        dict.fromkeys(r.initiative for r in active if r.rule_id in island_rules and r.initiative)
    )

    duplicates = _duplicates(outcome, rows, keys, rules, refs)
    duplicate_capabilities = {d.capability for d in duplicates if d.capability}
    duplicate_initiatives = {k for d in duplicates for k in d.initiatives}

    conflicts = _conflicts(active, definition_rules, docs)
    conflicting = {c.initiative for c in conflicts}
    registry = outcome.merged_registry().entries
    flagged: dict[str, Container[str | None]] = {
        "island": set(islands),
        "duplicate": duplicate_initiatives,
        "conflict": conflicting,
    }
    nodes = _initiative_nodes(rows, unit_order, flagged)
    edges = _edges(rows, nodes, registry, duplicate_capabilities)
    used = {n.ref for n in nodes.values() if n.kind != "initiative"}
    return Patchwork(
        nodes=tuple(nodes.values()),
        edges=tuple(edges),
        islands=islands,
        duplicates=tuple(duplicates),
        conflicts=tuple(conflicts),
        unused_platforms=tuple(p for p in registry["platforms"] if p not in used),
        unused_capabilities=tuple(c for c in registry["capabilities"] if c not in used),
    )


def _conflicts(
    active: Sequence[FindingRef], definition_rules: frozenset[str], docs: dict[str, Document]
) -> list[Conflict]:
    """One conflict per finding of the data-definition rules, with the definition it names."""
    conflicts: list[Conflict] = []
    for ref in (r for r in active if r.rule_id in definition_rules):
        source, term = _definition_of(docs.get(ref.initiative or ""), ref.path)
        conflicts.append(Conflict(ref.initiative, source, term, ref.related_initiatives, ref))
    return conflicts


def _initiative_nodes(
    rows: Sequence[InitiativeRow],
    unit_order: Sequence[str],
    flagged: dict[str, Container[str | None]],
) -> dict[str, Node]:
    """A node per initiative, by unit (registry order) then file order, with its flags."""
    order = {r.key: i for i, r in enumerate(rows)}
    unit_rank = {u: i for i, u in enumerate(unit_order)}
    nodes: dict[str, Node] = {}
    for row in sorted(rows, key=lambda r: (unit_rank.get(r.unit, len(unit_rank)), order[r.key])):
        flags = tuple(flag for flag, keys in flagged.items() if row.key in keys)
        node_id = f"initiative:{row.key}"
        nodes[node_id] = Node(node_id, "initiative", row.key, row.name, row.unit, True, flags)
    return nodes


def _edges(
    rows: Sequence[InitiativeRow],
    nodes: dict[str, Node],
    registry: dict[str, Any],
    duplicate_capabilities: set[str],
) -> list[Edge]:
    """Each initiative's platform, capabilities and dependencies; adds the shared nodes."""
    ids: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.id:
            ids[row.id].append(row.key)
    edges: list[Edge] = []
    for row in rows:
        source = f"initiative:{row.key}"
        if row.platform:
            target = _shared_node(nodes, "platform", row.platform, registry["platforms"], ())
            edges.append(Edge(source, target, "runs-on"))
        for kind, capabilities in (("provides", row.provides), ("reuses", row.reuses)):
            for capability in dict.fromkeys(capabilities):
                flags = ("duplicate",) if capability in duplicate_capabilities else ()
                target = _shared_node(
                    nodes, "capability", capability, registry["capabilities"], flags
                )
                edges.append(Edge(source, target, kind))
        for other in dict.fromkeys(row.depends_on):
            for key in ids.get(other, []):
                edges.append(Edge(source, f"initiative:{key}", "depends-on"))
    return edges


def _duplicates(
    outcome: Outcome,
    rows: Sequence[InitiativeRow],
    keys: dict[int, str],
    rules: Sequence[Rule],
    refs: Sequence[FindingRef],
) -> list[Duplicate]:
    """The clusters of every rule that runs the duplicates check, as its findings show them.

    The clusters are computed again from the portfolio (near-linear), with the rule's own
    options; a member counts when its finding of that rule counts (not waived), and a
    cluster is shown when at least two members count. Most units first, then most members.
    """
    from govlint.portfolio.clusters import clusters
    from govlint.portfolio.index import Portfolio

    chosen = [r for r in rules if r.spec.scope == "portfolio" and r.spec.check == DUPLICATE_CHECK]
    if not chosen:
        return []
    initiatives = [c.document for c in outcome.documents if c.kind == "Initiative"]
    has_registry = any(c.kind == "Organisation" for c in outcome.documents)
    portfolio = Portfolio.build(initiatives, outcome.merged_registry(), has_registry)
    key_of = {id(c.document): keys[id(c)] for c in outcome.documents if id(c) in keys}
    unit_of = {r.key: r.unit for r in rows}
    order = {r.key: i for i, r in enumerate(rows)}
    counting = {
        (r.rule_id, r.file, r.line, r.column): r
        for r in refs
        if r.suppressed is None and r.initiative is not None
    }
    out: dict[str, Duplicate] = {}
    for rule in chosen:
        for cluster in clusters(portfolio, rule.spec.options):
            members: list[str] = []
            found: list[FindingRef] = []
            for member in cluster.members:
                at = member.document.locate(member.path)
                ref = counting.get((rule.id, at.file, at.span.line, at.span.column))
                key = key_of.get(id(member.document))
                if ref is None or key is None:
                    continue
                members.append(key)
                found.append(ref)
            if len(set(members)) < 2 or cluster.id in out:
                continue
            # in the order of every table: by unit (registry order), then file order
            ranked = tuple(sorted(set(members), key=lambda k: (order.get(k, len(order)), k)))
            out[cluster.id] = Duplicate(
                cluster.label if cluster.signal == "capability" else None,
                ranked,
                tuple(dict.fromkeys(unit_of.get(k, UNKNOWN) for k in ranked)),
                tuple(found),
                cluster.id,
                cluster.signal,
                cluster.label,
            )
    return sorted(out.values(), key=lambda d: (-len(d.units), -len(d.initiatives), d.id))


def _shared_node(
    nodes: dict[str, Node],
    kind: str,
    ref: str,
    registered: dict[str, Any],
    flags: tuple[str, ...],
) -> str:
    node_id = f"{kind}:{ref}"
    if node_id not in nodes:
        entry = registered.get(ref)
        label = (_text_attr(entry.item, "name") if entry is not None else None) or ref
        owner = _text_attr(entry.item, "owner") if entry is not None else None
        nodes[node_id] = Node(node_id, kind, ref, label, owner, entry is not None, flags)
    return node_id


def _definition_of(doc: Document | None, path_text: str) -> tuple[str | None, str | None]:
    """The data source name and glossary term a definitions finding points at."""
    if doc is None:
        return None, None
    found = _value_at(doc, path_text)
    if found is None:
        return None, None
    path, value = found
    source: PathKey = path[:3] if path[:2] == ("data", "sources") else path
    name = doc.get((*source, "name"))
    term = doc.get((*source, "glossary_term"))
    if isinstance(value, str) and path[-1:] == ("glossary_term",):
        term = value
    return (
        name if isinstance(name, str) else None,
        term if isinstance(term, str) else None,
    )


def _waivers(outcome: Outcome, rows: Sequence[InitiativeRow], today: dt.date) -> Waivers:
    """Waivers (in manifests and in central files) by their state on ``today``.

    A waiver applies up to and including its ``expires`` day: it is ``expiring`` within
    ``EXPIRY_WINDOW_DAYS`` days of that day, and ``expired`` from the day after.
    """
    from govlint import waivers

    found, _ = waivers.collect(outcome.documents)
    key_of: dict[str, str] = {}
    for row in rows:
        if row.id:
            key_of.setdefault(row.id, row.key)
    used = Counter(
        f.suppression.location
        for f in outcome.findings
        if f.suppression is not None and f.suppression.kind == "waiver"
    )
    files = set(outcome.files)
    out: list[WaiverRow] = []
    for waiver in found:
        if waiver.location.file not in files and waiver.initiative not in key_of:
            continue  # about an initiative outside the report
        days = (waiver.expires - today).days
        state = "expired" if days < 0 else "expiring" if days <= EXPIRY_WINDOW_DAYS else "active"
        out.append(
            WaiverRow(
                initiative=key_of.get(waiver.initiative, waiver.initiative),
                rule=waiver.rule,
                path=waiver.path,
                reason=waiver.reason,
                approved_by=waiver.approved_by,
                ticket=waiver.ticket,
                expires=waiver.expires.isoformat(),
                days_left=days,
                state=state,
                central=waiver.central,
                findings=used[waiver.location],
                file=waiver.location.file,
                line=waiver.location.span.line,
            )
        )
    out.sort(key=lambda w: (w.days_left, w.initiative, w.rule))
    counts = tuple(
        Count(
            state,
            sum(1 for w in out if w.state == state),
            tuple(dict.fromkeys(w.initiative for w in out if w.state == state)),
        )
        for state in WAIVER_STATES
    )
    return Waivers(EXPIRY_WINDOW_DAYS, counts, tuple(out))
