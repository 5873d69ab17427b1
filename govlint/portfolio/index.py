"""The portfolio: every manifest plus the registry, loaded once, indexed for cross-file checks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from govlint.load import Document, PathKey
from govlint.registry import Registry


@dataclass(frozen=True)
class Ref:
    """One reference from a manifest to a registry entry or another initiative."""

    section: str  # registry section, or "initiatives"
    value: str
    path: PathKey


#: where manifests refer to the registry: (path pattern, registry section); ``*`` is every item
REFERENCE_FIELDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("metadata", "unit"), "units"),
    (("purpose", "customer_journey"), "customer_journeys"),
    (("data", "sources", "*", "glossary_term"), "glossary"),
    (("model", "supplier"), "suppliers"),
    (("contribution", "platform"), "platforms"),
    (("contribution", "capabilities", "reuses", "*"), "capabilities"),
    (("contribution", "capabilities", "provides", "*"), "capabilities"),
    (("contribution", "strategic_goals", "*"), "strategic_goals"),
    (("contribution", "depends_on", "*"), "initiatives"),
)


def _walk(
    data: Any, pattern: tuple[str, ...], prefix: PathKey = ()
) -> Iterator[tuple[PathKey, Any]]:
    if not pattern:
        yield prefix, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _walk(item, rest, (*prefix, i))
    elif isinstance(data, dict) and head in data:
        yield from _walk(data[head], rest, (*prefix, head))


def references(data: Any) -> list[Ref]:
    """Every reference a manifest makes, with the path of the value."""
    out: list[Ref] = []
    for pattern, section in REFERENCE_FIELDS:
        for path, value in _walk(data, pattern):
            if isinstance(value, str) and value:
                out.append(Ref(section, value, path))
    return out


@dataclass
class Remembered:
    """What the portfolio works out from each initiative alone (its references, whether its
    data is plain JSON), kept between runs by a long-running caller (the language server),
    where an unchanged file's documents are the same objects from run to run. An entry holds
    its document, so the id it is filed under cannot pass to another."""

    refs: dict[int, tuple[Document, list[Ref]]] = field(default_factory=dict)
    safe: dict[int, tuple[Document, bool]] = field(default_factory=dict)

    def keep_only(self, initiatives: list[Document]) -> None:
        """Forget the documents that are no longer in the portfolio."""
        alive = {id(d): d for d in initiatives}
        self.refs = {i: e for i, e in self.refs.items() if alive.get(i) is e[0]}
        self.safe = {i: e for i, e in self.safe.items() if alive.get(i) is e[0]}


@dataclass
class Portfolio:
    """All initiatives (documents of kind Initiative) and the merged registry, with indexes."""

    initiatives: list[Document]
    registry: Registry
    has_registry: bool
    by_id: dict[str, list[Document]] = field(default_factory=dict)
    refs: dict[int, list[Ref]] = field(default_factory=dict)
    #: (section, value) -> [(document, path)]: who refers to a registry entry or initiative
    users: dict[tuple[str, str], list[tuple[Document, PathKey]]] = field(default_factory=dict)
    #: the files being changed (pre-commit): where a clash between an old and a new file
    #: is reported, the new file is the one to blame
    changed: frozenset[str] = frozenset()
    #: id(document) -> whether its data is plain JSON (see ``json_safe``)
    safe: dict[int, bool] = field(default_factory=dict)
    remembered: Remembered | None = None

    @classmethod
    def build(
        cls,
        initiatives: list[Document],
        registry: Registry,
        has_registry: bool,
        changed: frozenset[str] = frozenset(),
        remembered: Remembered | None = None,
    ) -> Portfolio:
        by_id: dict[str, list[Document]] = defaultdict(list)
        refs: dict[int, list[Ref]] = {}
        users: dict[tuple[str, str], list[tuple[Document, PathKey]]] = defaultdict(list)
        if remembered is not None:
            remembered.keep_only(initiatives)
        known = remembered.refs if remembered is not None else {}
        for doc in initiatives:
            ident = initiative_id(doc)
            if ident is not None:
                by_id[ident.casefold()].append(doc)
            entry = known.get(id(doc))
            found = entry[1] if entry is not None else references(doc.data)
            refs[id(doc)] = found
            if entry is None and remembered is not None:
                known[id(doc)] = (doc, found)
            for ref in found:
                users[(ref.section, ref.value)].append((doc, ref.path))
        by = dict(by_id)
        return cls(
            initiatives, registry, has_registry, by, refs, dict(users), changed, {}, remembered
        )

    def json_safe(self, doc: Document) -> bool:
        """``condition.json_safe`` of an initiative, worked out once for all the queries."""
        found = self.safe.get(id(doc))
        if found is not None:
            return found
        kept = self.remembered.safe.get(id(doc)) if self.remembered is not None else None
        if kept is not None:
            found = kept[1]
        else:
            from govlint.engine.condition import json_safe

            found = json_safe(doc.data)
            if self.remembered is not None:
                self.remembered.safe[id(doc)] = (doc, found)
        self.safe[id(doc)] = found
        return found

    def refs_of(self, doc: Document) -> list[Ref]:
        return self.refs.get(id(doc), [])

    def known(self, section: str) -> list[str]:
        if section == "initiatives":
            return [i for i in (initiative_id(d) for d in self.initiatives) if i is not None]
        return self.registry.ids(section)

    def exists(self, section: str, value: str) -> bool:
        if section == "initiatives":
            return value.casefold() in self.by_id
        return value in self.registry.entries[section]


def initiative_id(doc: Document) -> str | None:
    data = doc.data
    if isinstance(data, dict):
        meta = data.get("metadata")
        if isinstance(meta, dict) and isinstance(meta.get("id"), str):
            return str(meta["id"])
    return None


def get(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data
