"""Portfolio rules as data: select initiatives, group them by any path, require per group.

A portfolio rule without a named ``check`` is a query written like the manifest::

    select:                               # which initiatives (a clause, as in 'when')
      risk.tier: {equals: high}
    group_by: risk.annex_iii_area         # any path; a list groups by each of its values
    require:                              # what must hold in every group
      distinct: {human_role.oversight: {max: 1}}

A group requirement is a mapping of ``count: {min, max}`` (members in the group),
``distinct: {path: {min, max}}`` (different values of a path among the members), ``each:``
(a manifest clause every member must satisfy), ``registry: {section: clause}`` (the group's
value names a registry entry that satisfies the clause), ``all:`` (a list of requirements)
and ``if`` / ``then`` (a requirement that holds only for groups matching ``if``). Every path is
checked against the manifest schema when the rule is loaded, and a query reads each
manifest once: linear in the size of the portfolio.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from govlint.engine.compile import Compiler
from govlint.engine.condition import Condition
from govlint.engine.lookup import entry_schema
from govlint.engine.paths import PathError, resolve, split
from govlint.load import Document, PathKey
from govlint.portfolio.checks import MAX_RELATED, Issue
from govlint.portfolio.index import Portfolio, get, initiative_id
from govlint.registry import Registry
from govlint.suggest import closest

#: the keys of a group requirement
GROUP_KEYS = ("count", "distinct", "each", "registry", "all", "if", "then")
_BOUNDS = ("min", "max")


@dataclass(frozen=True)
class Count:
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Distinct:
    path: tuple[str, ...]
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Each:
    condition: Condition
    #: where a failure points when the condition cannot say
    primary: tuple[str, ...] | None


@dataclass(frozen=True)
class Lookup:
    """The group's value names an entry of a registry section that satisfies a condition."""

    section: str
    condition: Condition


@dataclass(frozen=True)
class Conditional:
    test: Requirement
    then: Requirement


@dataclass(frozen=True)
class All:
    parts: tuple[Requirement, ...]


Requirement = Count | Distinct | Each | Lookup | Conditional | All


@dataclass(frozen=True)
class Query:
    """A compiled portfolio query."""

    select: Condition | None
    group_by: tuple[str, ...]
    require: Requirement


@dataclass
class QueryCompiler:
    """Compiles ``select`` / ``group_by`` / ``require``; errors go to the manifest compiler."""

    compiler: Compiler

    def error(self, at: PathKey, message: str, *, key: bool = False) -> None:
        self.compiler.error(at, message, key=key)

    def query(self, select: Any, group_by: Any, require: Any) -> Query | None:
        first = len(self.compiler.errors)
        condition = None
        if select is not None:
            condition = Condition.compile(self.compiler.clause(select, ("select",)))
        path = self.path(group_by, ("group_by",))
        requirement = self.requirement(require, ("require",))
        if len(self.compiler.errors) > first or path is None or requirement is None:
            return None
        return Query(condition, path, requirement)

    def path(self, value: Any, at: PathKey) -> tuple[str, ...] | None:
        if not isinstance(value, str):
            self.error(at, "takes a manifest path, e.g. metadata.unit")
            return None
        try:
            resolve(value)
            return split(value)
        except PathError as exc:
            self.error(at, str(exc))
            return None

    def requirement(self, node: Any, at: PathKey) -> Requirement | None:
        if not isinstance(node, dict) or not node:
            self.error(
                at,
                "a group requirement is a mapping of count, distinct, each, all or if/then, "
                "e.g. {count: {max: 3}}",
            )
            return None
        parts: list[Requirement] = []
        for key, value in node.items():
            here = (*at, key)
            if key == "then":
                if "if" not in node:
                    self.error(here, "'then' belongs next to 'if'", key=True)
                continue
            part: Requirement | None = None
            if key == "count":
                bounds = self.bounds(value, here)
                part = Count(*bounds) if bounds else None
            elif key == "distinct":
                part = self.distinct(value, here)
            elif key == "each":
                part = self.each(value, here)
            elif key == "registry":
                part = self.lookup(value, here)
            elif key == "all":
                part = self.all(value, here)
            elif key == "if":
                part = self.conditional(node, at)
            else:
                hint = closest(str(key), GROUP_KEYS)
                self.error(
                    here,
                    f"{key!r} is not a group requirement"
                    + (f"; did you mean {hint!r}?" if hint else "")
                    + f" (one of: {', '.join(GROUP_KEYS)}); a condition on each member is "
                    "written under 'each'",
                    key=True,
                )
            if part is not None:
                parts.append(part)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def bounds(self, value: Any, at: PathKey) -> tuple[int | None, int | None] | None:
        if not isinstance(value, dict) or not value:
            self.error(at, "takes {min: N} and/or {max: N}, e.g. {max: 3}")
            return None
        ok = True
        for key, n in value.items():
            if key not in _BOUNDS:
                hint = closest(str(key), _BOUNDS)
                self.error(
                    (*at, key),
                    f"{key!r} is not a bound; use min or max"
                    + (f"; did you mean {hint!r}?" if hint else ""),
                    key=True,
                )
                ok = False
            elif isinstance(n, bool) or not isinstance(n, int) or n < 0:
                self.error((*at, key), f"{key!r} takes a whole number, e.g. 3")
                ok = False
        return (value.get("min"), value.get("max")) if ok else None

    def distinct(self, value: Any, at: PathKey) -> Requirement | None:
        if not isinstance(value, dict) or len(value) != 1:
            self.error(
                at, "takes one manifest path with bounds, e.g. {human_role.oversight: {max: 1}}"
            )
            return None
        [(path, bounds)] = value.items()
        parts = self.path(path, (*at, path))
        limits = self.bounds(bounds, (*at, path))
        if parts is None or limits is None:
            return None
        return Distinct(parts, *limits)

    def each(self, value: Any, at: PathKey) -> Requirement | None:
        first = len(self.compiler.paths)
        schema = self.compiler.clause(value, at)
        if not schema:
            return None
        paths = self.compiler.paths[first:]
        return Each(Condition.compile(schema), paths[0] if paths else None)

    def lookup(self, value: Any, at: PathKey) -> Requirement | None:
        from govlint.model.organisation import REGISTRY_SECTIONS

        if not isinstance(value, dict) or len(value) != 1:
            self.error(
                at,
                "takes one registry section with a condition on its entry, e.g. "
                "{suppliers: {approved_until: {on_or_after: today}}}",
            )
            return None
        [(section, clause)] = value.items()
        if section not in REGISTRY_SECTIONS:
            hint = closest(str(section), REGISTRY_SECTIONS)
            self.error(
                (*at, section),
                f"{section!r} is not a registry section"
                + (f"; did you mean {hint!r}?" if hint else "")
                + f" (one of: {', '.join(REGISTRY_SECTIONS)})",
                key=True,
            )
            return None
        schema = self.compiler.clause(clause, (*at, section), entry_schema(section))
        if not schema:
            return None
        return Lookup(section, Condition.compile(schema))

    def all(self, value: Any, at: PathKey) -> Requirement | None:
        if not isinstance(value, list) or not value:
            self.error(at, "'all' takes a non-empty list of group requirements")
            return None
        parts = [self.requirement(item, (*at, i)) for i, item in enumerate(value)]
        if any(p is None for p in parts):
            return None
        return All(tuple(p for p in parts if p is not None))

    def conditional(self, node: dict[str, Any], at: PathKey) -> Requirement | None:
        if "then" not in node:
            self.error(
                (*at, "if"),
                "'if' needs a 'then': what must hold in the groups it selects",
                key=True,
            )
            return None
        test = self.requirement(node["if"], (*at, "if"))
        then = self.requirement(node["then"], (*at, "then"))
        if test is None or then is None:
            return None
        if _has_each(test):
            self.error(
                (*at, "if"),
                "'if' tests a group (count, distinct); put member conditions in 'select'",
            )
            return None
        return Conditional(test, then)


def _has_each(requirement: Requirement) -> bool:
    if isinstance(requirement, (Each, Lookup)):
        return True
    if isinstance(requirement, All):
        return any(_has_each(p) for p in requirement.parts)
    if isinstance(requirement, Conditional):
        return _has_each(requirement.test) or _has_each(requirement.then)
    return False


# -- evaluation ----------------------------------------------------------------------------


def _keys(value: Any) -> list[str]:
    """The group keys of a value: itself, or each of its items for a list."""
    values = value if isinstance(value, list) else [value]
    return [
        v if isinstance(v, str) else str(v)
        for v in values
        if v is not None and not isinstance(v, (dict, list))
    ]


def _label(path: tuple[str, ...]) -> str:
    return ".".join(path)


def run(query: Query, portfolio: Portfolio) -> Iterator[Issue]:
    """The issues of a query: one per failing group requirement (and per failing member)."""
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in portfolio.initiatives:
        data = doc.data
        if query.select is not None and not query.select.holds(
            data, json_safe=portfolio.json_safe(doc)
        ):
            continue
        for key in dict.fromkeys(_keys(get(data, query.group_by))):
            groups[key].append(doc)
    registry = portfolio.registry if portfolio.has_registry else None
    for key in sorted(groups):
        group = Group(
            key, groups[key], f"{_label(query.group_by)} '{key}'", query.group_by, portfolio
        )
        yield from _check(query.require, group, registry)


@dataclass(frozen=True)
class Group:
    key: str
    members: list[Document]
    described: str
    group_by: tuple[str, ...]
    portfolio: Portfolio


def _holds(requirement: Requirement, group: Group) -> bool:
    return not any(True for _ in _check(requirement, group, None))


def _check(requirement: Requirement, group: Group, registry: Registry | None) -> Iterator[Issue]:
    members, described, group_by = group.members, group.described, group.group_by
    if isinstance(requirement, All):
        for part in requirement.parts:
            yield from _check(part, group, registry)
    elif isinstance(requirement, Conditional):
        if _holds(requirement.test, group):
            yield from _check(requirement.then, group, registry)
    elif isinstance(requirement, Lookup):
        yield from _lookup(requirement, group, registry)
    elif isinstance(requirement, Count):
        n = len(members)
        if _outside(n, requirement.low, requirement.high):
            bound = _bound_text(requirement.low, requirement.high)
            noun = "initiative" if n == 1 else "initiatives"
            yield _group_issue(
                members, members[0], group_by, f"{described} has {n} {noun} ({bound})"
            )
    elif isinstance(requirement, Distinct):
        yield from _distinct(requirement, members, described)
    else:
        for doc in members:
            data = doc.data
            if requirement.condition.holds(data, json_safe=group.portfolio.json_safe(doc)):
                continue
            path: PathKey = tuple(requirement.primary or ())
            yield Issue(doc.locate(path), f"as a member of {described}", doc, path)


def _lookup(requirement: Lookup, group: Group, registry: Registry | None) -> Iterator[Issue]:
    """Each member names a registry entry that fails the condition; a missing registry or
    entry is not this rule's to report (the references check does)."""
    entry = registry.entries[requirement.section].get(group.key) if registry else None
    if entry is None or not isinstance(entry.item, BaseModel):
        return
    data = entry.item.model_dump(mode="json", by_alias=True, exclude_none=True)
    if requirement.condition.holds(data):
        return
    detail = f"the registry entry {requirement.section} '{group.key}' does not meet the rule"
    for doc in group.members:
        yield Issue(doc.locate(group.group_by), detail, doc, group.group_by, (entry.location,))


def _distinct(requirement: Distinct, members: list[Document], described: str) -> Iterator[Issue]:
    counts: Counter[str] = Counter()
    for doc in members:
        counts.update(dict.fromkeys(_keys(get(doc.data, requirement.path)), 1))
    n = len(counts)
    if not _outside(n, requirement.low, requirement.high):
        return
    ranked = counts.most_common()
    summary = ", ".join(f"{v} ({c})" for v, c in ranked[:MAX_RELATED])
    if len(ranked) > MAX_RELATED:
        summary += f" and {len(ranked) - MAX_RELATED} more"
    norm = ranked[0][0] if len(ranked) > 1 and ranked[0][1] > ranked[1][1] else None
    # the finding points at a member that differs from the most common value
    first = next(
        (d for d in members if norm is None or norm not in _keys(get(d.data, requirement.path))),
        members[0],
    )
    advice = f"; most declare {norm}" if norm else ""
    yield _group_issue(
        members,
        first,
        requirement.path,
        f"{described} has {n} different {_label(requirement.path)} "
        f"({_bound_text(requirement.low, requirement.high)}): {summary}{advice}",
    )


def _group_issue(
    members: list[Document], doc: Document, path: tuple[str, ...], detail: str
) -> Issue:
    others = [d for d in members if d is not doc]
    names = ", ".join(f"'{initiative_id(d)}'" for d in others[:MAX_RELATED])
    if len(others) > MAX_RELATED:
        names += f" and {len(others) - MAX_RELATED} more"
    if names:
        detail = f"{detail}; the others: {names}"
    related = tuple(d.locate(path) for d in others[:MAX_RELATED])
    return Issue(doc.locate(path), detail, doc, path, related)


def _outside(n: int, low: int | None, high: int | None) -> bool:
    return (low is not None and n < low) or (high is not None and n > high)


def _bound_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"between {low} and {high} allowed" if low != high else f"exactly {low} allowed"
    if high is not None:
        return f"at most {high} allowed"
    return f"at least {low} required"
