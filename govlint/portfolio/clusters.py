"""Clusters of initiatives that build the same thing, found near-linearly in the portfolio.

Three signals, each its own kind of cluster:

- ``capability``: initiatives that provide the same registry capability;
- ``purpose``: connected groups of near-identical purposes (word-set similarity of the
  normalised purpose summaries at least the threshold, a chain of such pairs joins one
  group); identical normalised purposes are grouped by their words first, so a thousand
  copies of one text cost one comparison, not half a million;
- ``product``: the same product: the same supplier and model name, or the same
  normalised initiative name (see :mod:`govlint.portfolio.text`).

A cluster's id is derived from its signal and the ids of its members, so it is the same
in every run and in every order the files are read.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from govlint.load import Document, PathKey
from govlint.portfolio.index import Portfolio, get, initiative_id
from govlint.portfolio.text import LANGUAGES, Language, language_of, name_key, words

SIGNALS: tuple[str, ...] = ("capability", "purpose", "product")
PURPOSE: tuple[str, ...] = ("purpose", "summary")
MODEL_NAME: tuple[str, ...] = ("model", "name")
NAME: tuple[str, ...] = ("metadata", "name")


@dataclass(frozen=True)
class Member:
    """One initiative in a cluster, and the value that put it there."""

    document: Document
    path: PathKey
    id: str
    unit: str | None


@dataclass(frozen=True)
class Cluster:
    """Initiatives that build the same thing, by one signal."""

    id: str
    signal: str  # capability | purpose | product
    label: str  # the capability, the product, or the most common purpose text
    members: tuple[Member, ...]  # by unit, then id, then file
    units: tuple[str | None, ...]

    @property
    def size(self) -> int:
        return len(self.members)


def unit_of(doc: Document) -> str | None:
    value = get(doc.data, ("metadata", "unit"))
    return value if isinstance(value, str) else None


class _Groups:
    """Union-find over 0..n-1 (path halving, union by size)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]

    def components(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for x in range(len(self.parent)):
            out[self.find(x)].append(x)
        return list(out.values())


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


@dataclass
class _Remembered:
    """The near-identical pairs of the last run, by the sets themselves (not positions)."""

    threshold: float = -1.0
    sets: frozenset[frozenset[str]] = frozenset()
    pairs: frozenset[tuple[frozenset[str], frozenset[str]]] = frozenset()


_LAST = _Remembered()
#: when at most this many distinct purposes came or went since the last run, only they are
#: compared, each with every other (a long-running server asks after every edit)
INCREMENTAL = 16


def kept_pairs() -> tuple[float, list[list[str]], list[tuple[int, int]]] | None:
    """The near-identical pairs of the last run, as a cache keeps them between runs: the
    threshold, every set (its words, sorted) and the pairs as positions among the sets."""
    last = _LAST
    if last.threshold < 0:
        return None
    sets = sorted(last.sets, key=sorted)
    where = {s: i for i, s in enumerate(sets)}
    pairs = sorted((where[a], where[b]) for a, b in last.pairs)
    return last.threshold, [sorted(s) for s in sets], pairs


def restore_pairs(threshold: float, sets: list[list[str]], pairs: list[tuple[int, int]]) -> None:
    """Start from the pairs an earlier run kept (see ``kept_pairs``): only the sets that
    changed since are compared again."""
    frozen = [frozenset(s) for s in sets]
    _LAST.threshold, _LAST.sets = threshold, frozenset(frozen)
    _LAST.pairs = frozenset((frozen[a], frozen[b]) for a, b in pairs)


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x & y) / len(x | y)


def _similar_pairs(sets: tuple[frozenset[str], ...], threshold: float) -> list[tuple[int, int]]:
    """``similar_pairs`` as positions in ``sets``, worked out again only for the sets that
    changed since the last run: exact, as the pairs between unchanged sets are unchanged."""
    current = frozenset(sets)
    last = _LAST
    removed, added = last.sets - current, current - last.sets
    if last.threshold == threshold and len(removed) + len(added) <= INCREMENTAL:
        kept = {p for p in last.pairs if p[0] not in removed and p[1] not in removed}
        for x in added:
            kept.update((x, y) for y in current if y != x and _jaccard(x, y) >= threshold)
        pairs = frozenset(kept)
    else:
        pairs = frozenset((sets[a], sets[b]) for a, b, _ in similar_pairs(list(sets), threshold))
    last.threshold, last.sets, last.pairs = threshold, current, pairs
    where = {s: i for i, s in enumerate(sets)}
    return [(where[a], where[b]) for a, b in pairs]


def _language(doc: Document, chosen: str) -> Language:
    for known in LANGUAGES:
        if chosen == known:
            return known
    texts = [get(doc.data, PURPOSE), get(doc.data, NAME)]
    return language_of(" ".join(t for t in texts if isinstance(t, str)))


def _cluster_id(signal: str, key: str, members: Iterable[Member]) -> str:
    ids = sorted({m.id.casefold() for m in members})
    digest = hashlib.sha1("\n".join([signal, key, *ids]).encode()).hexdigest()
    return f"{signal}-{digest[:8]}"


def _member(doc: Document, path: PathKey) -> Member:
    return Member(doc, path, initiative_id(doc) or "", unit_of(doc))


def _cluster(
    signal: str, label: str, members: list[Member], across_units: bool, key: str = ""
) -> Cluster | None:
    """A cluster of ``members``, or None when it is one initiative (or one unit)."""
    ordered = sorted(
        members, key=lambda m: (m.unit or "", m.id.casefold(), m.document.file, m.document.index)
    )
    units = tuple(dict.fromkeys(m.unit for m in ordered))
    if len({m.id.casefold() for m in ordered}) < 2:
        return None  # the same initiative twice is the 'unique' check's business
    if across_units and len(units) < 2:
        return None
    return Cluster(_cluster_id(signal, key, ordered), signal, label, tuple(ordered), units)


def capability_clusters(p: Portfolio, across_units: bool) -> Iterator[Cluster]:
    """Per capability: the initiatives that provide it."""
    for (section, capability), users in sorted(p.users.items(), key=lambda kv: kv[0]):
        if section != "capabilities":
            continue
        providers = [_member(d, path) for d, path in users if "provides" in path]
        if len(providers) < 2:
            continue
        found = _cluster("capability", capability, providers, across_units, capability)
        if found is not None:
            yield found


def purpose_clusters(
    p: Portfolio, threshold: float, across_units: bool, language: str = "auto"
) -> Iterator[Cluster]:
    """Connected groups of initiatives whose purposes are near-identical."""
    docs = [d for d in p.initiatives if isinstance(get(d.data, PURPOSE), str)]
    # identical normalised purposes first: one representative per distinct set of words
    by_words: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        text = frozenset(words(get(doc.data, PURPOSE), _language(doc, language)))
        if text:
            by_words[text].append(i)
    distinct = list(by_words)
    groups = _Groups(len(distinct))
    for a, b in _similar_pairs(tuple(distinct), threshold):
        groups.union(a, b)
    for component in groups.components():
        members = [_member(docs[i], PURPOSE) for rep in component for i in by_words[distinct[rep]]]
        texts = Counter(str(get(m.document.data, PURPOSE)).strip() for m in members)
        label = min(texts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        found = _cluster("purpose", label, members, across_units)
        if found is not None:
            yield found


def product_clusters(p: Portfolio, across_units: bool, language: str = "auto") -> Iterator[Cluster]:
    """Initiatives with the same supplier and model name, or the same normalised name."""
    docs = p.initiatives
    groups = _Groups(len(docs))
    first: dict[tuple[str, str], int] = {}
    keys: dict[int, tuple[str, str]] = {}
    labels: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for i, doc in enumerate(docs):
        lang = _language(doc, language)
        supplier, model = get(doc.data, ("model", "supplier")), get(doc.data, MODEL_NAME)
        if isinstance(supplier, str) and isinstance(model, str) and supplier:
            key = name_key(model, lang)
            if key:
                product = ("model", f"{supplier.casefold()} {key}")
                keys[i] = product
                labels[product][f"{model} ({supplier})"] += 1
                groups.union(first.setdefault(product, i), i)
        name = get(doc.data, NAME)
        if isinstance(name, str):
            plain = name_key(name, lang)
            if plain:
                named = ("name", plain)
                labels[named][name] += 1
                groups.union(first.setdefault(named, i), i)
    shared = {k for k, n in Counter(keys.values()).items() if n > 1}
    models: dict[int, Counter[str]] = defaultdict(Counter)
    names: dict[int, Counter[str]] = defaultdict(Counter)
    for found_key, i in first.items():  # the model names the product best, else the name
        chosen = models if found_key[0] == "model" else names
        chosen[groups.find(i)].update(labels[found_key])
    for component in groups.components():
        if len(component) < 2:
            continue
        members = [
            _member(docs[i], MODEL_NAME if keys.get(i) in shared else NAME) for i in component
        ]
        root = groups.find(component[0])
        counted = models.get(root) or names[root]
        label = min(counted.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        found = _cluster("product", label, members, across_units)
        if found is not None:
            yield found


def clusters(p: Portfolio, options: dict[str, Any]) -> list[Cluster]:
    """Every cluster the options of a ``duplicates`` rule ask for, by signal, then largest first."""
    across_units = bool(options.get("across_units_only", True))
    language = str(options.get("language", "auto"))
    found: list[Cluster] = []
    if options.get("capabilities", True):
        found += capability_clusters(p, across_units)
    threshold = float(options.get("purpose_similarity", 0.8))
    if 0 < threshold <= 1:
        found += purpose_clusters(p, threshold, across_units, language)
    if options.get("products", True):
        found += product_clusters(p, across_units, language)
    order = {s: i for i, s in enumerate(SIGNALS)}
    found.sort(key=lambda c: (order[c.signal], -c.size, c.id))
    return found
