"""Evaluate compiled rules on a manifest: the engine adds rule id, severity and position."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govlint.coverage import Broken, Field
from govlint.engine.compile import MESSAGE, POINTER
from govlint.engine.condition import Answers
from govlint.findings import Finding, format_path
from govlint.load import Document, PathKey

if TYPE_CHECKING:
    from govlint.engine.rules import Rule
    from govlint.portfolio.index import Portfolio

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
#: what a value that is not in the manifest reads as in a message ("model.logging is not set")
NOT_SET = "not set"


PASS, FAIL, NOT_ASSESSABLE = "pass", "fail", "not-assessable"


@dataclass(frozen=True)
class Verdict:
    """One rule on one manifest: ``pass`` (holds or does not apply), ``fail`` (with its
    findings) or ``not-assessable`` (``blocked_by``: the broken values it reads)."""

    outcome: str
    findings: tuple[Finding, ...] = ()
    blocked_by: tuple[Field, ...] = ()


#: most rules pass on most manifests: one verdict says so for all of them
PASSED = Verdict(PASS)


def assess(
    rule: Rule,
    doc: Document,
    broken: tuple[Field, ...] | Broken = (),
    safe: bool | None = None,
    answers: Answers | None = None,
) -> Verdict:
    """Assess one per-initiative rule on one manifest.

    ``broken``: the values of the manifest that are missing where required or failed
    validation (``Checked.broken``; index them once with ``Broken`` for many rules). A rule
    that reads one of them is not assessable and says nothing: the schema finding already
    did, and a finding built on a missing value would claim something the file does not say.
    ``answers``: the conditions answered on this manifest so far, shared by the rules
    assessed on it (see ``condition.Answers``); ``safe`` is then its own.
    """
    if not isinstance(broken, Broken):
        broken = Broken(broken)
    answers = _answers(doc, safe, answers)
    blocked = broken.blocking(rule.reads) or missing_needs(rule, doc, answers.safe)
    if blocked:
        return Verdict(NOT_ASSESSABLE, blocked_by=blocked)
    findings = _findings(rule, doc, answers)
    if not findings:
        return PASSED
    if rule.lookups:
        from govlint.engine.lookup import unresolved

        # a failure on an id that names no registry entry would claim what nobody knows
        unknown = unresolved(rule, doc.data)
        if unknown:
            return Verdict(NOT_ASSESSABLE, blocked_by=unknown)
    return Verdict(FAIL, tuple(findings))


def _answers(doc: Document, safe: bool | None, answers: Answers | None) -> Answers:
    """The manifest's answers: new ones, or those given, which must be about this manifest."""
    if answers is None:
        return Answers(doc.data, safe)
    if answers.data is not doc.data:
        raise ValueError("these answers are about another manifest")
    return answers


def missing_needs(rule: Rule, doc: Document, safe: bool = True) -> tuple[Field, ...]:
    """The values a rule ``needs`` that the manifest does not give, when one of the values
    they can take would make the rule apply (otherwise the rule simply does not apply)."""
    if not rule.needs:
        return ()
    missing = [need for need in rule.needs if doc.get(need.path) is None]
    if not missing:
        return ()
    if rule.when is None:
        return tuple(need.path for need in missing)
    for values in itertools.product(*(need.values for need in missing)):
        data = doc.data
        for need, value in zip(missing, values, strict=True):
            data = _with(data, need.path, value)
        # another manifest (this one with the values filled in): not this one's answers
        if rule.when.holds(data, json_safe=safe):
            return tuple(need.path for need in missing)
    return ()


def _with(data: Any, path: Field, value: Any) -> Any:
    """``data`` with ``value`` at ``path`` (copying only the mappings on the way)."""
    if not path:
        return value
    out = dict(data) if isinstance(data, dict) else {}
    out[path[0]] = _with(out.get(path[0]), path[1:], value)
    return out


def evaluate(
    rule: Rule, doc: Document, safe: bool | None = None, answers: Answers | None = None
) -> list[Finding]:
    """Findings of one per-initiative rule on one manifest, one per offending place.

    ``safe``: whether the manifest is plain JSON (see ``condition.json_safe``), or
    ``answers``: the conditions answered on this manifest so far; the caller works them
    out once per manifest for all rules. This does not look at validation: see ``assess``
    for rules on manifests that may hold invalid values.
    """
    answers = _answers(doc, safe, answers)
    if missing_needs(rule, doc, answers.safe):
        return []  # a value the rule needs is not given: it cannot say anything true
    return list(_findings(rule, doc, answers))


#: what most rules find on most manifests (one empty tuple, not a new list each time)
NOTHING: tuple[Finding, ...] = ()


def _findings(rule: Rule, doc: Document, answers: Answers) -> Sequence[Finding]:
    """``evaluate`` once the values the rule needs are known to be given."""
    require = rule.require
    if require is None or (rule.when is not None and not answers.holds(rule.when)):
        return NOTHING
    dated = rule.applies_on(doc.data, answers.safe, answers)
    if dated is None:
        return NOTHING  # its duty does not apply to this manifest yet; such failures are hidden
    rule = dated
    data = doc.data
    if require.holds(data, json_safe=answers.safe):
        return NOTHING
    findings: list[Finding] = []
    # one finding per failing clause and place, and never two that say the same thing
    seen: set[tuple[PathKey, str]] = set()
    said: set[str] = set()
    for error in require.errors(data):
        target = _target(error)
        if not target and rule.primary is not None:
            target = rule.primary
        template = _own_message(require.schema, _cause(error)) or rule.spec.message
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
