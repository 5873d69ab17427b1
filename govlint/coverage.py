"""Coverage: which rules could be assessed on which manifests (pass, fail, not assessable).

A rule is *not assessable* on a manifest when a value its condition or message reads is
missing where the schema requires it, or failed validation: the schema finding (GL011,
GL012, ...) already says what is wrong, and the rule says nothing of its own. Compliance
figures are computed over the manifests on which a rule could be assessed, and what could
not be assessed is shown next to them, never counted as compliant.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

#: a path in a manifest without list positions, e.g. ("data", "sources", "glossary_term")
Field = tuple[str, ...]


class Read(NamedTuple):
    """A path a rule reads. ``container``: the rule does not look inside the value (a list
    it iterates over, whose items are read through their own paths, or a presence or length
    test), so a broken value deeper inside does not keep it from being assessed."""

    path: Field
    container: bool = False


def field_of(path: Sequence[str | int]) -> Field:
    """A document path without list positions: what rule paths are compared with."""
    return tuple(p for p in path if isinstance(p, str))


def blocks(read: Read, broken: Field) -> bool:
    """Whether a broken (missing or invalid) value keeps ``read`` from being assessed: the
    broken value is the read value, one of its parents, or (for a plain read) inside it."""
    if read.path[: len(broken)] == broken:
        return True
    return not read.container and broken[: len(read.path)] == read.path


def blockers(reads: Iterable[Read], broken: Iterable[Field]) -> tuple[Field, ...]:
    """The broken values that keep a rule with these reads from being assessed."""
    reads = tuple(reads)
    return tuple(b for b in broken if any(blocks(r, b) for r in reads))


class Broken:
    """The broken values of one manifest, asked about by every rule."""

    def __init__(self, fields: Iterable[Field]) -> None:
        self.fields = tuple(fields)

    def blocking(self, reads: tuple[Read, ...]) -> tuple[Field, ...]:
        """What ``blockers`` answers; remembered, since a portfolio repeats the same few
        sets of missing values (and the same rules) thousands of times."""
        return _blockers(reads, self.fields) if self.fields else ()


_blockers = functools.lru_cache(maxsize=16384)(blockers)


@dataclass(frozen=True)
class Assessment:
    """The outcome of every per-manifest rule on one manifest (an Initiative document).

    Rules not named in ``failed`` or ``not_assessable`` passed (or did not apply).
    """

    file: str
    index: int  # the document's position in its file
    line: int = 1  # where the document starts
    failed: tuple[str, ...] = ()
    #: rule id -> the fields (dotted) that must be filled or fixed before it can be assessed
    not_assessable: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def blocked_rules(self) -> tuple[str, ...]:
        return tuple(rule for rule, _ in self.not_assessable)

    @property
    def missing_fields(self) -> tuple[str, ...]:
        """The fields to fill or fix, most blocking first."""
        counts = Counter(f for _, fields in self.not_assessable for f in fields)
        return tuple(sorted(counts, key=lambda f: (-counts[f], f)))

    def to_json(self) -> list[Any]:
        blocked = [[r, list(f)] for r, f in self.not_assessable]
        return [self.file, self.index, self.line, list(self.failed), blocked]

    @classmethod
    def from_json(cls, raw: list[Any]) -> Assessment:
        file, index, line, failed, blocked = raw
        return cls(
            str(file),
            int(index),
            int(line),
            tuple(str(r) for r in failed),
            tuple((str(r), tuple(str(f) for f in fields)) for r, fields in blocked),
        )


@dataclass(frozen=True)
class RuleCoverage:
    """How many manifests one rule passed, failed, and could not assess."""

    passed: int = 0
    failed: int = 0
    not_assessable: int = 0

    @property
    def assessed(self) -> int:
        return self.passed + self.failed


@dataclass(frozen=True)
class Coverage:
    """The assessments of a run and the per-manifest rules that ran."""

    rules: tuple[str, ...] = ()
    manifests: tuple[Assessment, ...] = ()

    def per_rule(self) -> dict[str, RuleCoverage]:
        failed: Counter[str] = Counter()
        blocked: Counter[str] = Counter()
        for a in self.manifests:
            failed.update(set(a.failed))
            blocked.update(set(a.blocked_rules))
        total = len(self.manifests)
        return {
            rule: RuleCoverage(total - failed[rule] - blocked[rule], failed[rule], blocked[rule])
            for rule in sorted(self.rules)
        }

    @property
    def blocked(self) -> tuple[Assessment, ...]:
        """The manifests on which at least one rule could not be assessed."""
        return tuple(a for a in self.manifests if a.not_assessable)

    def only(self, files: frozenset[str]) -> Coverage:
        return Coverage(self.rules, tuple(a for a in self.manifests if a.file in files))

    def to_json(self) -> dict[str, Any]:
        return {"rules": list(self.rules), "manifests": [a.to_json() for a in self.manifests]}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Coverage:
        return cls(
            tuple(str(r) for r in raw["rules"]),
            tuple(Assessment.from_json(a) for a in raw["manifests"]),
        )


def _capped(items: Sequence[str], limit: int) -> str:
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")


def blocked_line(assessment: Assessment, limit: int = 5) -> str:
    """One sentence: which rules could not be assessed until which fields are filled."""
    rules = assessment.blocked_rules
    fields = assessment.missing_fields
    noun = "rule" if len(rules) == 1 else "rules"
    verb = "is" if len(fields) == 1 else "are"
    return (
        f"{len(rules)} {noun} could not be assessed until {_capped(fields, limit)} {verb} "
        f"filled in or fixed ({_capped(rules, limit)})"
    )
