"""Evaluate compiled rules on a manifest: the engine adds rule id, severity and position."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govlint.coverage import Broken, Field
from govlint.engine.compile import MESSAGE, POINTER
from govlint.engine.condition import json_safe
from govlint.findings import Finding, format_path
from govlint.load import Document, PathKey

if TYPE_CHECKING:
    from govlint.engine.rules import Rule
    from govlint.portfolio.index import Portfolio

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
#: what a value that is not in the manifest reads as in a message ("model.logging is not set")
NOT_SET = "not set"


def applies(rule: Rule, data: Any, safe: bool = True) -> bool:
    return rule.when is None or rule.when.holds(data, json_safe=safe)


PASS, FAIL, NOT_ASSESSABLE = "pass", "fail", "not-assessable"


@dataclass(frozen=True)
class Verdict:
    """One rule on one manifest: ``pass`` (holds or does not apply), ``fail`` (with its
    findings) or ``not-assessable`` (``blocked_by``: the broken values it reads)."""

    outcome: str
    findings: tuple[Finding, ...] = ()
    blocked_by: tuple[Field, ...] = ()


def assess(
    rule: Rule,
    doc: Document,
    broken: tuple[Field, ...] | Broken = (),
    safe: bool | None = None,
) -> Verdict:
    """Assess one per-initiative rule on one manifest.

    ``broken``: the values of the manifest that are missing where required or failed
    validation (``Checked.broken``; index them once with ``Broken`` for many rules). A rule
    that reads one of them is not assessable and says nothing: the schema finding already
    did, and a finding built on a missing value would claim something the file does not say.
    """
    if not isinstance(broken, Broken):
        broken = Broken(broken)
    blocked = broken.blocking(rule.reads)
    if blocked:
        return Verdict(NOT_ASSESSABLE, blocked_by=blocked)
    findings = evaluate(rule, doc, safe)
    if findings and rule.lookups:
        from govlint.engine.lookup import unresolved

        # a failure on an id that names no registry entry would claim what nobody knows
        unknown = unresolved(rule, doc.data)
        if unknown:
            return Verdict(NOT_ASSESSABLE, blocked_by=unknown)
    return Verdict(FAIL, tuple(findings)) if findings else Verdict(PASS)


def evaluate(rule: Rule, doc: Document, safe: bool | None = None) -> list[Finding]:
    """Findings of one per-initiative rule on one manifest, one per offending place.

    ``safe``: whether the manifest is plain JSON (see ``condition.json_safe``); the caller
    computes it once per manifest for all rules. This does not look at validation: see
    ``assess`` for rules on manifests that may hold invalid values.
    """
    data = doc.data
    if safe is None:
        safe = json_safe(data)
    if (
        rule.require is None
        or not applies(rule, data, safe)
        or rule.require.holds(data, json_safe=safe)
    ):
        return []
    findings: list[Finding] = []
    # one finding per failing clause and place, and never two that say the same thing
    seen: set[tuple[PathKey, str]] = set()
    said: set[str] = set()
    for error in rule.require.errors(data):
        target = _target(error)
        if not target and rule.primary is not None:
            target = rule.primary
        template = _own_message(rule.require.schema, _cause(error)) or rule.spec.message
        if (target, template) in seen:
            continue
        seen.add((target, template))
        message = upcoming(rule, render_message(template, doc, target))
        if message in said:
            continue
        said.add(message)
        findings.append(
            Finding(rule.id, rule.severity, message, doc.locate(target), help_uri=rule.help_uri)
        )
    return findings


def _cause(error: Any) -> Any:
    """The error a finding is about: for a failed 'any', its most relevant alternative."""
    from jsonschema.exceptions import best_match

    while error.validator in ("anyOf", "oneOf") and error.context:
        error = best_match(error.context)
    return error


def _own_message(schema: Any, error: Any) -> str | None:
    """The message of the innermost clause with one of its own that the error lies in."""
    found = None
    node = schema
    for step in error.absolute_schema_path:
        if isinstance(node, dict):
            found = node.get(MESSAGE, found)
            node = node.get(step) if isinstance(step, str) else None
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            break
    if isinstance(node, dict):
        found = node.get(MESSAGE, found)
    return found if isinstance(found, str) else None


def _target(error: Any) -> PathKey:
    """The path a failure is about; for a missing key, the key below its parent."""
    error = _cause(error)
    path: PathKey = tuple(error.absolute_path)
    pointer = error.schema.get(POINTER) if isinstance(error.schema, dict) else None
    if pointer:
        return (*path, *pointer)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        if missing:
            return (*path, missing[0])
    return path


def evaluate_portfolio(rule: Rule, portfolio: Portfolio) -> list[Finding]:
    """Findings of one portfolio rule: its named check yields issues, the engine enriches them."""
    from govlint.portfolio.checks import CHECKS

    if rule.query is not None:
        from govlint.portfolio.query import run

        issues = run(rule.query, portfolio)
    else:
        issues = CHECKS[rule.spec.check or ""].run(portfolio, rule.spec.options)
    findings = []
    for issue in issues:
        if issue.document is not None:
            message = render_message(rule.spec.message, issue.document, issue.path, issue.detail)
        else:
            message = render_message(rule.spec.message, None, (), issue.detail)
        findings.append(
            Finding(
                rule.id,
                rule.severity,
                upcoming(rule, message),
                issue.location,
                related=issue.related,
                help_uri=rule.help_uri,
            )
        )
    return findings


def upcoming(rule: Rule, message: str) -> str:
    """A finding of a duty that does not apply yet says from when it does."""
    if rule.upcoming is None:
        return message
    return f"{message} (applies from {rule.upcoming.isoformat()})"


def render_message(template: str, doc: Document | None, target: PathKey, detail: str = "") -> str:
    """Fill ``{metadata.name}``, ``{value}``, ``{path}``, ``{item.x}`` and ``{detail}``."""

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1).strip()
        if name == "detail":
            return detail
        if doc is None:
            return NOT_SET
        if name == "path":
            return format_path(target)
        if name == "value":
            return _text(doc.get(target))
        if name == "item" or name.startswith("item."):
            item = _item_path(target)
            if item is None:
                return NOT_SET
            rest = tuple(name.split(".")[1:])
            return _text(doc.get((*item, *rest)))
        path = tuple(name.split("."))
        if path == SUBJECT:
            return subject(doc)
        return _text(doc.get(path))

    return PLACEHOLDER.sub(fill, template)


#: the placeholder that names the initiative a message is about
SUBJECT = ("metadata", "name")


def subject(doc: Document) -> str:
    """What ``{metadata.name}`` says: the name, else the id, else "this initiative", so
    that a manifest without a name (a GL012 already) is still checked by every rule."""
    for path in (SUBJECT, ("metadata", "id")):
        value = doc.get(path)
        if isinstance(value, str) and value.strip():
            return value
    return "this initiative"


def _item_path(target: PathKey) -> PathKey | None:
    for i in range(len(target) - 1, -1, -1):
        if isinstance(target[i], int):
            return target[: i + 1]
    return None


def _text(value: Any) -> str:
    if value is None:
        return NOT_SET
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "none"
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "(mapping)")
    return str(value)
