"""What a report shows of a rule, as plain values: kept in the run record, so that a run
answered from the cache describes its rules without loading or compiling them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govlint.findings import Severity

if TYPE_CHECKING:
    from govlint.engine.rules import Rule


@dataclass(frozen=True)
class Cited:
    """A framework a rule cites (``EU-AI-ACT-2024:Art.14``), with its title and page."""

    id: str
    title: str | None = None
    url: str | None = None
    kind: str | None = None  # "legal-duty" | "good-practice"


@dataclass(frozen=True)
class Described:
    """A rule as the reporters show it; ``severity`` as configured."""

    id: str
    name: str
    title: str
    rationale: str
    remediation: str
    principle: str
    severity: Severity
    aliases: tuple[str, ...] = ()
    references: tuple[Cited, ...] = ()
    help_uri: str | None = None

    @classmethod
    def of(cls, rule: Rule) -> Described:
        spec = rule.spec
        return cls(
            spec.id,
            spec.name,
            spec.title,
            spec.rationale,
            spec.remediation,
            spec.principle,
            rule.severity,
            tuple(spec.aliases),
            tuple(Cited(r.id, r.title, r.url, r.kind) for r in spec.references),
            rule.help_uri,
        )

    def to_json(self) -> list[Any]:
        refs = [[r.id, r.title, r.url, r.kind] for r in self.references]
        texts = [self.id, self.name, self.title, self.rationale, self.remediation]
        return [
            *texts,
            self.principle,
            self.severity.value,
            list(self.aliases),
            refs,
            self.help_uri,
        ]

    @classmethod
    def from_json(cls, raw: Any) -> Described:
        """The record ``to_json`` wrote; ValueError (or TypeError) for anything else."""
        rule_id, name, title, rationale, remediation, principle, severity, aliases, refs, uri = (
            _list(raw)
        )
        references = tuple(_cited(_list(ref)) for ref in _list(refs))
        return cls(
            _text(rule_id),
            _text(name),
            _text(title),
            _text(rationale),
            _text(remediation),
            _text(principle),
            Severity(severity),
            tuple(_text(a) for a in _list(aliases)),
            references,
            _optional(uri),
        )


def describe(rules: Iterable[Rule]) -> dict[str, Described]:
    """The rules of a run by id, as its report shows them."""
    return {rule.id: Described.of(rule) for rule in rules}


def _cited(raw: list[Any]) -> Cited:
    ref_id, title, url, kind = raw
    return Cited(_text(ref_id), _optional(title), _optional(url), _optional(kind))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


def _optional(value: object) -> str | None:
    return None if value is None else _text(value)
