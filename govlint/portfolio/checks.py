"""Named portfolio checks: each looks across all manifests and the registry and yields issues.

A check yields little (where, what, which other places); the engine adds the rule id,
severity and message. Every check is near linear in the number of manifests: it works on
the indexes of the portfolio, never on all pairs of manifests.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from govlint.findings import Location
from govlint.load import Document, PathKey
from govlint.portfolio.index import Portfolio, get, initiative_id
from govlint.suggest import closest, did_you_mean

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
    known_cache: dict[str, list[str]] = {}
    hints: dict[tuple[str, str], str] = {}  # the same typo in many manifests: look it up once
    for doc in p.initiatives:
        for ref in p.refs_of(doc):
            if ref.section not in sections or p.exists(ref.section, ref.value):
                continue
            key = (ref.section, ref.value)
            if key not in hints:
                known = known_cache.setdefault(ref.section, p.known(ref.section))
                hints[key] = _did_you_mean(ref.value, known)
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

_WORD = re.compile(r"[^\W\d_]{3,}|\d+", re.UNICODE)
STOPWORDS = frozenset(
    (
        "the and for with from that this into per all any our their its are was were can "
        "will who what when which how van het een der den voor met naar die dat zijn wordt"
    ).split()
)


def _unit(doc: Document) -> str | None:
    value = get(doc.data, ("metadata", "unit"))
    return value if isinstance(value, str) else None


def _tokens(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.casefold()) if w not in STOPWORDS)


def similar_pairs(sets: list[frozenset[str]], threshold: float) -> Iterator[tuple[int, int, float]]:
    """Pairs of sets with Jaccard similarity >= threshold, without comparing all pairs.

    PPJoin (Xiao et al. 2008): tokens are ordered from rare to common and sets are taken
    from small to large. Two sets with Jaccard >= t share a token among the first
    ``|x| - ceil(t|x|) + 1`` of the larger (probe prefix) and the first
    ``|y| - ceil(2t/(1+t)|y|) + 1`` of the smaller (index prefix); the positions of shared
    tokens bound the overlap that is still possible, which drops most candidates before
    they are compared. Exact: it finds every pair a comparison of all pairs would.
    """
    frequency: Counter[str] = Counter(t for s in sets for t in s)
    order = sorted((i for i, s in enumerate(sets) if s), key=lambda i: (len(sets[i]), i))
    ranked = {i: sorted(sets[i], key=lambda t: (frequency[t], t)) for i in order}
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    start: dict[str, int] = defaultdict(int)  # postings before this are too short for now
    for x in order:
        tokens = ranked[x]
        n = len(tokens)
        probe = n - math.ceil(threshold * n) + 1
        overlap: dict[int, int] = {}
        for pos, token in enumerate(tokens[:probe]):
            postings = index.get(token)
            if not postings:
                continue
            first = start[token]
            # sets come small to large: a set too short for x is too short for all after it
            while first < len(postings) and len(ranked[postings[first][0]]) < threshold * n:
                first += 1
            start[token] = first
            for y, ypos in postings[first:]:
                m = len(ranked[y])
                if overlap.get(y, 0) < 0:
                    continue
                needed = math.ceil(threshold / (1 + threshold) * (n + m))
                if overlap.get(y, 0) + 1 + min(n - pos - 1, m - ypos - 1) >= needed:
                    overlap[y] = overlap.get(y, 0) + 1
                else:
                    overlap[y] = -1  # can no longer reach the threshold
        mid = n - math.ceil(2 * threshold / (1 + threshold) * n) + 1
        for pos, token in enumerate(tokens[:mid]):
            index[token].append((x, pos))
        for y in sorted(k for k, v in overlap.items() if v > 0):
            other = sets[y]
            jaccard = len(sets[x] & other) / len(sets[x] | other)
            if jaccard >= threshold:
                yield y, x, jaccard


def check_duplicates(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    across_units = options.get("across_units_only", True)
    if options.get("capabilities", True):
        for (section, capability), users in sorted(p.users.items(), key=lambda kv: kv[0]):
            if section != "capabilities":
                continue
            providers = [(d, path) for d, path in users if "provides" in path]
            units = {_unit(d) for d, _ in providers}
            if len(providers) < 2 or (across_units and len(units) < 2):
                continue
            for doc, path in providers:
                others = [(d, q) for d, q in providers if d is not doc]
                names = _listing([f"'{initiative_id(d)}' ({_unit(d)})" for d, _ in others])
                others = others[:MAX_RELATED]
                yield _issue(
                    doc,
                    path,
                    f"capability '{capability}' is also provided by {names}",
                    tuple(d.locate(q) for d, q in others),
                )
    threshold = float(options.get("purpose_similarity", 0.8))
    if threshold <= 0 or threshold > 1:
        return
    docs = [d for d in p.initiatives if isinstance(get(d.data, ("purpose", "summary")), str)]
    sets = [_tokens(get(d.data, ("purpose", "summary"))) for d in docs]
    # exact duplicates by hash first (cheap, and catches texts made only of common words)
    pairs: dict[tuple[int, int], float] = {}
    by_hash: dict[str, list[int]] = defaultdict(list)
    for i, tokens in enumerate(sets):
        if tokens:
            by_hash[hashlib.sha1(" ".join(sorted(tokens)).encode()).hexdigest()].append(i)
    for members in by_hash.values():
        # identical purposes: each pairs with the next few, not with all (no quadratic blow-up)
        for k, a in enumerate(members):
            for b in members[k + 1 : k + 1 + MAX_RELATED]:
                pairs[(a, b)] = 1.0
    for a, b, score in similar_pairs(sets, threshold):
        pairs.setdefault((min(a, b), max(a, b)), score)
    for (a, b), score in sorted(pairs.items()):
        first, second = docs[a], docs[b]
        if across_units and _unit(first) == _unit(second):
            continue
        if initiative_id(first) == initiative_id(second):
            continue  # the same initiative twice is the 'unique' check's business
        path = ("purpose", "summary")
        percent = round(score * 100)
        for doc, other in ((first, second), (second, first)):
            yield _issue(
                doc,
                path,
                f"purpose is {percent}% the same as that of '{initiative_id(other)}' "
                f"({_unit(other)}); work together instead of building it twice",
                (other.locate(path),),
            )


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
        for doc, path, term in uses:
            if term == norm:
                continue
            others = [(d, q, t) for d, q, t in uses if t != term]
            listed = _listing(sorted({f"'{t}' in '{initiative_id(d)}'" for d, _, t in others}))
            others = others[:MAX_RELATED]
            yield _issue(
                doc,
                path,
                f"data '{name}' is defined as '{term}' here but as {listed}: one concept, "
                "one glossary term",
                tuple(d.locate(q) for d, q, _ in others),
            )


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
            for doc, value in values:
                if norm is not None and value == norm:
                    continue
                others = [d for d, v in values if v != value][:MAX_RELATED]
                advice = f"; the norm is {norm}" if norm else ""
                yield _issue(
                    doc,
                    field_path,
                    f"initiatives with {described} declare different {label}: {summary}"
                    f"{advice}; one norm for one risk",
                    tuple(d.locate(field_path) for d in others),
                )


# -- unique ids, cycles, orphans -----------------------------------------------------------


def check_unique(p: Portfolio, options: dict[str, Any]) -> Iterator[Issue]:
    for docs in p.by_id.values():
        if len(docs) < 2:
            continue
        ordered = sorted(docs, key=lambda d: (d.file, d.index))
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
        in_cycle = set(component)
        if len(component) == 1:
            only = component[0]
            if not any(target == only for target, _ in graph[only]):
                continue
        ordered = sorted(component)
        chain = " -> ".join([*ordered, ordered[0]])
        for node in ordered:
            doc = docs[node]
            path = next(q for target, q in graph[node] if target in in_cycle)
            related = tuple(docs[m].locate(("metadata", "id")) for m in ordered if m != node)
            yield _issue(
                doc,
                path,
                f"depends_on forms a cycle: {chain}; break the cycle",
                related,
            )


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
            "no two initiatives provide the same capability or share a near-identical purpose",
            _options(
                capabilities={"type": "boolean"},
                purpose_similarity={"type": "number", "exclusiveMinimum": 0, "maximum": 1},
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
