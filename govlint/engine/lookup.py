"""Registry lookups in per-manifest rules: a value names a registry entry that satisfies a
condition (``model.supplier: {registry: {suppliers: {approved_until: {on_or_after: today}}}}``).

A rule is compiled before any registry is read, so the compiled schema holds a placeholder
keyword (``x-registry``) at the looked-up value. Once the run has read the registry (before
the manifests, see ``checker.run_check``), ``bind`` replaces each placeholder with the ids of
the entries that satisfy the condition: per manifest a lookup costs one set membership test,
in both validators, and the ids are part of the rule as the cache and the workers see it.

A value that names no entry (or a run without a registry) cannot be judged: a rule that would
fail on it is "not assessable" instead (the references check reports the unknown id).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from govlint.engine.condition import Condition

if TYPE_CHECKING:
    from govlint.engine.rules import Rule
    from govlint.registry import Registry

#: the placeholder keyword of a compiled lookup, replaced by ``bind``
KEYWORD = "x-registry"


@dataclass(frozen=True)
class Lookup:
    """One ``registry`` operator of a rule: where the id is, which section, which condition."""

    path: tuple[str, ...]  # from the manifest's top; lists on the way are walked
    section: str
    condition: dict[str, Any]  # compiled against the entry schema; {} for "any entry"
    #: set by ``bind``: the ids the registry holds in the section, and those that satisfy
    known: frozenset[str] | None = None
    allowed: tuple[str, ...] = ()


@functools.lru_cache(maxsize=16)
def entry_schema(section: str) -> dict[str, Any]:
    """The schema of one entry of a registry section (simple mappings, without references)."""
    from govlint.model.organisation import Organisation

    root = Organisation.model_json_schema()
    ref = root["properties"][section]["items"]["$ref"]
    schema: dict[str, Any] = root["$defs"][ref.rsplit("/", 1)[-1]]
    return schema


def bind(rule: Rule, registry: Registry) -> Rule:
    """The rule with its lookups answered from ``registry``; a rule without any unchanged."""
    if not rule.lookups:
        return rule
    bound = tuple(_answer(lookup, registry) for lookup in rule.lookups)

    def rewrite(condition: Condition | None) -> Condition | None:
        if condition is None:
            return None
        return Condition.compile(_rewrite(condition.schema, bound))

    return replace(rule, when=rewrite(rule.when), require=rewrite(rule.require), lookups=bound)


def _answer(lookup: Lookup, registry: Registry) -> Lookup:
    entries = registry.entries.get(lookup.section, {})
    condition = Condition.compile(lookup.condition) if lookup.condition else None
    allowed = []
    for entry_id, entry in entries.items():
        if condition is None or condition.holds(_entry_data(entry.item)):
            allowed.append(entry_id)
    return replace(lookup, known=frozenset(entries), allowed=tuple(sorted(allowed)))


def _entry_data(item: object) -> Any:
    from pydantic import BaseModel

    if isinstance(item, BaseModel):
        return item.model_dump(mode="json", by_alias=True, exclude_none=True)
    return item


#: schema keywords whose keys are names (of properties...), never keywords: a declared
#: extension may be called ``x-registry`` too
NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def _rewrite(node: Any, lookups: tuple[Lookup, ...], names: bool = False) -> Any:
    if isinstance(node, list):
        return [_rewrite(item, lookups) for item in node]
    if not isinstance(node, dict):
        return node
    if names:
        return {key: _rewrite(value, lookups) for key, value in node.items()}
    placeholder = node.get(KEYWORD)
    if not (isinstance(placeholder, dict) and isinstance(placeholder.get("index"), int)):
        placeholder = None
    out = {
        key: _rewrite(value, lookups, key in NAMED)
        for key, value in node.items()
        if key != KEYWORD or placeholder is None
    }
    if placeholder is not None:
        allowed = lookups[placeholder["index"]].allowed
        # no entry satisfies the condition: nothing may be named
        answer: dict[str, Any] = {"enum": list(allowed)} if allowed else {"not": {}}
        out.update(answer)
    return out


def unresolved(rule: Rule, data: Any) -> tuple[tuple[str, ...], ...]:
    """The looked-up paths whose value names no entry of its section (every one, when the
    rule was never bound to a registry): the rule cannot judge them."""
    out = []
    for lookup in rule.lookups:
        known = lookup.known or frozenset()
        if any(isinstance(v, str) and v not in known for v in values_at(data, lookup.path)):
            out.append(lookup.path)
    return tuple(dict.fromkeys(out))


def values_at(data: Any, path: Sequence[str]) -> Iterator[Any]:
    """The values at ``path``, walking every item of the lists on the way (and at the end)."""
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, list):
            stack.extend((item, depth) for item in node)
        elif depth == len(path):
            yield node
        elif isinstance(node, dict) and path[depth] in node:
            stack.append((node[path[depth]], depth + 1))
