"""Named portfolio checks: each looks across all manifests and the registry and yields issues.

A check yields little (where, what, which other places); the engine adds the rule id,
severity and message. Every check is near linear in the number of manifests: it works on
the indexes of the portfolio, never on all pairs of manifests.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from govlint.findings import Location
from govlint.load import Document, PathKey
from govlint.portfolio.clusters import MODEL_NAME, Member, clusters
from govlint.portfolio.index import Portfolio, get, initiative_id
from govlint.portfolio.text import LANGUAGES
from govlint.suggest import Names, closest, did_you_mean

SECTION_LABELS = {
    "units": "unit",
    "customer_journeys": "customer journey",
    "glossary": "glossary term",
    "suppliers": "supplier",
    "platforms": "platform",
    "capabilities": "capability",
    "strategic_goals": "strategic goal",
    "initiatives": "initiative",
}
REGISTRY_KEYS = {
    "units": "units",
    "customer_journeys": "customer_journeys",
    "glossary": "glossary",
    "suppliers": "suppliers",
    "platforms": "platforms",
    "capabilities": "capabilities",
    "strategic_goals": "strategic_goals",
}


@dataclass(frozen=True)
class Issue:
    """One portfolio problem: where it is, what it is, and the other places involved."""

    location: Location
    detail: str
    document: Document | None = None
    path: PathKey = ()
    related: tuple[Location, ...] = ()


CheckFn = Callable[[Portfolio, dict[str, Any]], Iterator[Issue]]


@dataclass(frozen=True)
class Check:
    name: str
    summary: str
    options: dict[str, Any]  # JSON Schema of the options, checked when a rule is loaded
    run: CheckFn


#: related locations per finding: enough to act on, and no quadratic output when a
#: capability is provided by hundreds of initiatives
MAX_RELATED = 5


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_RELATED])
    rest = len(items) - MAX_RELATED
    return f"{shown} and {rest} more" if rest > 0 else shown


def _issue(doc: Document, path: PathKey, detail: str, related: tuple[Location, ...] = ()) -> Issue:
    return Issue(doc.locate(path), detail, doc, path, related)


def _did_you_mean(value: str, known: list[str]) -> str:
    return did_you_mean(closest(value, known))


# -- references ---------------------------------------------------------------------


def check_references(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    sections = set(options.get("sections") or SECTION_LABELS)
    if not p.has_registry and sections - {"initiatives"} and p.initiatives:
        first = p.initiatives[0]
        yield _issue(
            first,
            (),
            "no organisation registry was loaded (no document of kind Organisation), so "
            "references cannot be checked; add the registry files to 'registry:' in "
            ".govlint.yaml or pass them on the command line",
        )
        sections = sections & {"initiatives"}
    known_cache: dict[str, Names] = {}  # indexed once per section, not scanned per typo
    hints: dict[tuple[str, str], str] = {}  # the same typo in many manifests: look it up once
    for doc in p.initiatives:
        for ref in p.refs_of(doc):
            if ref.section not in sections or p.exists(ref.section, ref.value):
                continue
            key = (ref.section, ref.value)
            if key not in hints:
                if ref.section not in known_cache:
                    known_cache[ref.section] = Names(p.known(ref.section))
                hints[key] = did_you_mean(known_cache[ref.section].closest(ref.value))
            label = SECTION_LABELS[ref.section]
            where = "in the portfolio" if ref.section == "initiatives" else "in the registry"
            yield _issue(doc, ref.path, f"{label} '{ref.value}' does not exist {where}{hints[key]}")
    if "units" in sections and p.has_registry:
        units = p.registry.ids("units")
        for section in ("capabilities", "platforms", "customer_journeys", "glossary"):
            for entry in p.registry.entries[section].values():
                owner = getattr(entry.item, "steward" if section == "glossary" else "owner", None)
                if owner and owner not in p.registry.entries["units"]:
                    yield Issue(
                        entry.location,
                        f"{SECTION_LABELS[section]} '{entry.id}' names unit '{owner}', which is "
                        f"not in the registry units{_did_you_mean(owner, units)}",
                    )


# -- contribution: the island rule ------------------------------------------------------

CONTRIBUTIONS = ("platform", "reuses", "provides", "strategic_goals", "depends_on")
_CONTRIBUTION_PATHS: dict[str, tuple[tuple[str, ...], str]] = {
    "platform": (("contribution", "platform"), "platforms"),
    "reuses": (("contribution", "capabilities", "reuses"), "capabilities"),
    "provides": (("contribution", "capabilities", "provides"), "capabilities"),
    "strategic_goals": (("contribution", "strategic_goals"), "strategic_goals"),
    "depends_on": (("contribution", "depends_on"), "initiatives"),
}


def check_contribution(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    counts = options.get("counts") or ["platform", "reuses", "provides", "strategic_goals"]
    resolved = options.get("resolved", True) and p.has_registry
    undeclared = options.get("report_undeclared", True)
    for doc in p.initiatives:
        if not undeclared and not any(_contributes(p, doc, k, False) for k in counts):
            continue  # declares nothing at all: left to a per-manifest rule
        if not any(_contributes(p, doc, kind, resolved) for kind in counts):
            listed = ", ".join(k.replace("_", " ") for k in counts)
            yield _issue(
                doc,
                ("contribution",),
                f"declares no contribution to the whole (counted: {listed}"
                + (", each as registered" if resolved else "")
                + ")",
            )


def _contributes(p: Portfolio, doc: Document, kind: str, resolved: bool) -> bool:
    path, section = _CONTRIBUTION_PATHS[kind]
    value = get(doc.data, path)
    values = value if isinstance(value, list) else [value]
    values = [v for v in values if isinstance(v, str) and v]
    if not resolved:
        return bool(values)
    return any(p.exists(section, v) for v in values)


# -- duplicates ---------------------------------------------------------------------------

ACTIONS = {
    "purpose": "work together instead of building it twice",
    "product": "share one implementation instead of acquiring it twice",
}


def _member_text(member: Member) -> str:
    return f"'{member.id}' ({member.unit})"


def check_duplicates(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    """One finding per member of each cluster (see govlint.portfolio.clusters); with files
    being changed (pre-commit), only the clusters they are in: another cluster's findings
    name none of them, and would be built only to be left out."""
    # a changed registry file makes the checker report more files than the changed ones
    # (``checker.dependents``): then every cluster is built
    only_changed = bool(p.changed) and p.changed <= {d.file for d in p.initiatives}
    for cluster in clusters(p, options):
        if only_changed and not any(m.document.file in p.changed for m in cluster.members):
            continue
        head = cluster.members[: MAX_RELATED + 1]
        more = cluster.size - 1 - MAX_RELATED
        for member in cluster.members:
            others = [m for m in head if m is not member][:MAX_RELATED]
            names = ", ".join(_member_text(m) for m in others)
            names += f" and {more} more" if more > 0 else ""
            related = tuple(m.document.locate(m.path) for m in others)
            if cluster.signal == "capability":
                detail = f"capability '{cluster.label}' is also provided by {names}"
            else:
                if cluster.signal == "purpose":
                    what = "purpose is near-identical to that of"
                elif member.path == MODEL_NAME:
                    what = f"the same product ({_short(cluster.label)}) as"
                else:
                    what = "the same name as"
                detail = (
                    f"{what} {names}: {cluster.size} initiatives in {_units(len(cluster.units))} "
                    f"(cluster {cluster.id}); {ACTIONS[cluster.signal]}"
                )
            yield _issue(member.document, member.path, detail, related)


def _units(count: int) -> str:
    return "1 unit" if count == 1 else f"{count} units"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- definitions ---------------------------------------------------------------------------


def _normal(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", name.casefold()).strip("-")


def check_definitions(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    synonyms: dict[str, str] = {}
    for entry in p.registry.entries["glossary"].values():
        for synonym in getattr(entry.item, "synonyms", []):
            synonyms[_normal(synonym)] = entry.id
    groups: dict[str, list[tuple[Document, PathKey, str]]] = defaultdict(list)
    for doc in p.initiatives:
        sources = get(doc.data, ("data", "sources"))
        if not isinstance(sources, list):
            continue
        for i, source in enumerate(sources):
            if not isinstance(source, dict):
                continue
            name = source.get("name")
            term = source.get("glossary_term")
            if options.get("unbound", True) and not term:
                yield _issue(
                    doc,
                    ("data", "sources", i),
                    f"data source '{name}' is not bound to a glossary term; add glossary_term "
                    "with the shared definition it follows",
                )
                continue
            if not isinstance(term, str):
                continue
            canonical = synonyms.get(_normal(term))
            if canonical and canonical != term and term not in p.registry.entries["glossary"]:
                yield _issue(
                    doc,
                    ("data", "sources", i, "glossary_term"),
                    f"'{term}' is a synonym of the glossary term '{canonical}'; use '{canonical}'",
                )
            if isinstance(name, str):
                groups[_normal(name)].append((doc, ("data", "sources", i, "glossary_term"), term))
    if not options.get("conflicts", True):
        return
    glossary = p.registry.entries["glossary"]
    for name, uses in sorted(groups.items()):
        counts = Counter(t for _, _, t in uses)
        if len(counts) < 2:
            continue
        ranked = counts.most_common()
        # the norm: the most used registered term, if it is used more than any other;
        # only the others are reported (the manifests that follow the norm are right)
        leader = next((t for t, _ in ranked if t in glossary), ranked[0][0])
        tied = sum(1 for _, n in ranked if n == counts[leader]) > 1
        norm = None if tied else leader
        # what the other terms say is the same for every use of one term: worked out once
        # per term, so a group of thousands of uses costs no more than reading it
        labels = _TermLabels(uses)
        told: dict[str, tuple[str, tuple[Location, ...]]] = {}
        for doc, path, term in uses:
            if term == norm:
                continue
            if term not in told:
                others = _first(((d, q) for d, q, t in uses if t != term), MAX_RELATED)
                told[term] = (labels.listing(term), tuple(d.locate(q) for d, q in others))
            listed, related = told[term]
            yield _issue(
                doc,
                path,
                f"data '{name}' is defined as '{term}' here but as {listed}: one concept, "
                "one glossary term",
                related,
            )


def _first(items: Iterator[Any], count: int) -> list[Any]:
    """The first ``count`` items (stops reading there)."""
    out: list[Any] = []
    for item in items:
        if len(out) == count:
            break
        out.append(item)
    return out


class _TermLabels:
    """The "'term' in 'id'" labels of a group of uses, for listing all but one term's."""

    def __init__(self, uses: list[tuple[Document, PathKey, str]]) -> None:
        self.own: dict[str, set[str]] = defaultdict(set)
        for doc, _, term in uses:
            self.own[term].add(f"'{term}' in '{initiative_id(doc)}'")
        #: how many terms have each label (one, unless a name holds quotes)
        self.terms: Counter[str] = Counter(label for own in self.own.values() for label in own)
        self.ordered = sorted(self.terms)

    def listing(self, term: str) -> str:
        """``_listing`` of the sorted labels of every other term, without building it."""
        own = self.own[term]

        def others() -> Iterator[str]:
            return (x for x in self.ordered if self.terms[x] > (1 if x in own else 0))

        only_own = sum(1 for x in own if self.terms[x] == 1)
        shown = _first(others(), MAX_RELATED)
        rest = len(self.ordered) - only_own - MAX_RELATED
        return f"{', '.join(shown)} and {rest} more" if rest > 0 else ", ".join(shown)


# -- consistency -----------------------------------------------------------------------------


def check_consistency(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    group_by = [
        tuple(f.split("."))
        for f in options.get("group_by") or ["risk.tier", "purpose.decision_type"]
    ]
    fields = [
        tuple(f.split("."))
        for f in options.get("fields") or ["human_role.oversight", "explainability.level"]
    ]
    groups: dict[tuple[Any, ...], list[Document]] = defaultdict(list)
    for doc in p.initiatives:
        key = tuple(get(doc.data, f) for f in group_by)
        if all(isinstance(k, str) for k in key):
            groups[key].append(doc)
    for key, docs in sorted(groups.items()):
        described = " and ".join(
            f"{'.'.join(f[-1:]).replace('_', ' ')} {v}" for f, v in zip(group_by, key, strict=True)
        )
        for field_path in fields:
            values = [(d, get(d.data, field_path)) for d in docs]
            values = [(d, v) for d, v in values if isinstance(v, str)]
            counts = Counter(v for _, v in values)
            if len(counts) < 2:
                continue
            ranked = counts.most_common()
            norm = ranked[0][0] if ranked[0][1] > ranked[1][1] else None
            summary = ", ".join(f"{v} ({n})" for v, n in ranked)
            label = ".".join(field_path)
            related: dict[str, tuple[Location, ...]] = {}  # per value: the same for all
            for doc, value in values:
                if norm is not None and value == norm:
                    continue
                if value not in related:
                    others = _first((d for d, v in values if v != value), MAX_RELATED)
                    related[value] = tuple(d.locate(field_path) for d in others)
                advice = f"; the norm is {norm}" if norm else ""
                yield _issue(
                    doc,
                    field_path,
                    f"initiatives with {described} declare different {label}: {summary}"
                    f"{advice}; one norm for one risk",
                    related[value],
                )


# -- unique ids, cycles, orphans -----------------------------------------------------------


def check_unique(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    for docs in p.by_id.values():
        if len(docs) < 2:
            continue
        # the first one keeps the id; a file being changed is blamed before one that is not
        ordered = sorted(docs, key=lambda d: (d.file in p.changed, d.file, d.index))
        first = ordered[0]
        first_id = initiative_id(first)
        for doc in ordered[1:]:
            same = initiative_id(doc) == first_id
            how = "is already used" if same else f"differs only in case from '{first_id}'"
            where = first.locate(("metadata", "id"))
            yield _issue(
                doc,
                ("metadata", "id"),
                f"initiative id '{initiative_id(doc)}' {how} in {where.file}:{where.span.line}; "
                "ids must be unique across the portfolio",
                (where,),
            )


def check_cycles(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    """Each initiative in a dependency cycle once, with the cycle in its order.

    A group of initiatives that reach each other (a strongly connected component) may hold
    several cycles; each member is reported with the shortest cycle through the first
    member not yet reported, so every member is named once and every cycle found is
    written from the member's own point of view.
    """
    graph: dict[str, list[tuple[str, PathKey]]] = {}
    docs: dict[str, Document] = {}
    for key, members in p.by_id.items():
        doc = members[0]
        docs[key] = doc
        graph[key] = [
            (ref.value.casefold(), ref.path)
            for ref in p.refs_of(doc)
            if ref.section == "initiatives" and ref.value.casefold() in p.by_id
        ]
    for component in _strongly_connected(graph):
        inside = set(component)
        if len(component) == 1:
            only = component[0]
            if not any(target == only for target, _ in graph[only]):
                continue
        reported: set[str] = set()
        for start in sorted(component):
            if start in reported:
                continue
            cycle = _cycle_through(start, graph, inside)
            for i, node in enumerate(cycle):
                if node in reported:
                    continue
                reported.add(node)
                following = cycle[i + 1 :] + cycle[:i]
                path = next(q for target, q in graph[node] if target == (following or [node])[0])
                related = tuple(docs[m].locate(("metadata", "id")) for m in following[:MAX_RELATED])
                yield _issue(
                    docs[node],
                    path,
                    f"depends_on forms a cycle: {_chain([node, *following])}; break the cycle",
                    related,
                )


def _chain(cycle: list[str]) -> str:
    """``a -> b -> c -> a``; a long cycle names its first steps and how many it leaves out."""
    if len(cycle) <= MAX_RELATED + 1:
        return " -> ".join([*cycle, cycle[0]])
    shown = " -> ".join(cycle[: MAX_RELATED + 1])
    left = len(cycle) - MAX_RELATED - 2
    return f"{shown} -> ({left} more) -> {cycle[-1]} -> {cycle[0]} ({len(cycle)} initiatives)"


def _cycle_through(
    start: str, graph: dict[str, list[tuple[str, PathKey]]], inside: set[str]
) -> list[str]:
    """The shortest cycle from ``start`` back to it within its component (breadth first)."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for target, _ in graph[node]:
                if target == start:
                    cycle = [node]
                    while cycle[-1] != start:
                        cycle.append(came_from[cycle[-1]])
                    return cycle[::-1]
                if target in inside and target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    return [start]  # not reached: every member of a component lies on a cycle


def _strongly_connected(graph: dict[str, list[tuple[str, PathKey]]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (a long dependency chain must not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if i < len(edges):
                work.append((node, i + 1))
                target = edges[i][0]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def check_orphans(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    if not p.has_registry:
        return
    sections = options.get("sections") or [
        "capabilities",
        "platforms",
        "glossary",
        "strategic_goals",
    ]
    for section in sections:
        for entry_id, entry in p.registry.entries[section].items():
            users = p.users.get((section, entry_id), [])
            if users:
                continue
            label = SECTION_LABELS[section]
            yield Issue(
                entry.location,
                f"{label} '{entry_id}' is in the registry but no initiative uses or provides it; "
                "remove it or link the initiatives that do",
            )


_STRINGS = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}


def _options(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "properties": properties}


CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        Check(
            "references",
            "every reference resolves to the registry or to an existing initiative",
            _options(sections={**_STRINGS, "items": {"enum": list(SECTION_LABELS)}}),
            check_references,
        ),
        Check(
            "contribution",
            "every initiative contributes to the whole (the island rule)",
            _options(
                counts={**_STRINGS, "items": {"enum": list(CONTRIBUTIONS)}, "minItems": 1},
                resolved={"type": "boolean"},
                report_undeclared={"type": "boolean"},
            ),
            check_contribution,
        ),
        Check(
            "duplicates",
            "clusters of initiatives that provide the same capability, share a near-identical "
            "purpose or use the same product",
            _options(
                capabilities={"type": "boolean"},
                purpose_similarity={"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                products={"type": "boolean"},
                language={"enum": ["auto", *LANGUAGES]},
                across_units_only={"type": "boolean"},
            ),
            check_duplicates,
        ),
        Check(
            "definitions",
            "one data concept, one glossary term; every data source is bound to a term",
            _options(unbound={"type": "boolean"}, conflicts={"type": "boolean"}),
            check_definitions,
        ),
        Check(
            "consistency",
            "one norm for one risk: the same tier and decision type, the same oversight",
            _options(group_by=_STRINGS, fields=_STRINGS),
            check_consistency,
        ),
        Check("unique", "initiative ids are unique across files", _options(), check_unique),
        Check("cycles", "depends_on has no cycles", _options(), check_cycles),
        Check(
            "orphans",
            "registry entries are used by at least one initiative",
            _options(
                sections={
                    **_STRINGS,
                    "items": {
                        "enum": [
                            "capabilities",
                            "platforms",
                            "glossary",
                            "strategic_goals",
                            "customer_journeys",
                            "suppliers",
                            "units",
                        ]
                    },
                }
            ),
            check_orphans,
        ),
    )
}
