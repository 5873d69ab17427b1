"""Run every rule's own pass/fail examples: the tests that come with a rule."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Any

from govlint.engine.evaluate import evaluate
from govlint.engine.lookup import unresolved
from govlint.engine.rules import Rule
from govlint.findings import Location
from govlint.load import Document, load_file
from govlint.model.extension import Extensions
from govlint.resources import package_file

REMOVE = None


@dataclass(frozen=True)
class ExampleResult:
    """The outcome of one example: ``ok`` when the rule behaved as the example says."""

    rule_id: str
    expect: str  # "pass" or "fail"
    index: int
    ok: bool
    problem: str
    location: Location


@functools.lru_cache(maxsize=1)
def example_base() -> dict[str, Any]:
    result = load_file(package_file("engine/example_base.yaml"), "<example base>")
    data: dict[str, Any] = result.documents[0].data
    return data


@functools.lru_cache(maxsize=1)
def example_registry() -> dict[str, Any]:
    result = load_file(package_file("engine/example_registry.yaml"), "<example registry>")
    data: dict[str, Any] = result.documents[0].data
    return data


def merge(base: Any, fragment: Any) -> Any:
    """Deep-merge a fragment over the base: mappings merge, other values replace, null removes."""
    if not isinstance(base, dict) or not isinstance(fragment, dict):
        return copy.deepcopy(fragment)
    out = copy.deepcopy(base)
    for key, value in fragment.items():
        if value is REMOVE:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def run_examples(rule: Rule, extensions: Extensions = ()) -> list[ExampleResult]:
    """Run a rule's examples; ``extensions``: the declared ``x-`` fields examples must fit."""
    from govlint.extensions import check_manifest
    from govlint.validate import check_document

    results: list[ExampleResult] = []
    examples = rule.spec.examples
    if examples.today is not None and rule.document is not None:
        # dates such as 'today-1y' are resolved when a rule is compiled
        from govlint.engine.rules import compile_rule

        recompiled, _ = compile_rule(rule.document, examples.today)
        if recompiled is not None:
            rule = recompiled
    registry_problem = None
    if rule.lookups:
        rule, registry_problem = _with_example_registry(rule, examples.registry or {})
    for expect, fragments in (("pass", examples.pass_), ("fail", examples.fail)):
        for i, fragment in enumerate(fragments):
            location = rule.example_locations.get((expect, i), Location(rule.file))
            if registry_problem is not None:
                results.append(ExampleResult(rule.id, expect, i, False, registry_problem, location))
                continue
            if rule.spec.scope == "portfolio":
                results.append(_portfolio_example(rule, expect, i, fragment, location))
                continue
            data = merge(example_base(), fragment)
            name = f"{rule.file}#examples.{expect}[{i}]"
            doc = Document(name, 0, data, {}, {})
            checked = check_document(doc)
            invalid = [*checked.findings, *check_manifest(doc, extensions)[0]]
            if invalid:
                problem = "; ".join(f.message for f in invalid)
                results.append(
                    ExampleResult(
                        rule.id, expect, i, False, f"not a valid manifest: {problem}", location
                    )
                )
                continue
            findings = evaluate(rule, doc)
            unknown = unresolved(rule, doc.data) if findings and rule.lookups else ()
            if unknown:
                names = ", ".join(".".join(p) for p in unknown)
                problem = f"not assessable: {names} names no entry of the example registry"
                results.append(ExampleResult(rule.id, expect, i, False, problem, location))
            elif expect == "pass" and findings:
                problem = f"expected no finding, got: {findings[0].message}"
                results.append(ExampleResult(rule.id, expect, i, False, problem, location))
            elif expect == "fail" and not findings:
                results.append(
                    ExampleResult(
                        rule.id, expect, i, False, "expected a finding, got none", location
                    )
                )
            else:
                results.append(ExampleResult(rule.id, expect, i, True, "", location))
    return results


def _with_example_registry(rule: Rule, fragment: dict[str, Any]) -> tuple[Rule, str | None]:
    """The rule with its lookups answered from the example registry and the rule's own
    ``examples.registry`` merged over it; or why that registry is not valid."""
    from govlint.engine.lookup import bind
    from govlint.registry import merge_registry
    from govlint.validate import check_document

    data = merge(example_registry(), fragment)
    checked = check_document(Document(f"{rule.file}#examples.registry", 0, data, {}, {}))
    if checked.findings:
        problems = "; ".join(f.message for f in checked.findings)
        return rule, f"examples.registry is not a valid registry: {problems}"
    registry, _ = merge_registry([checked])
    return bind(rule, registry), None


def _portfolio_example(
    rule: Rule, expect: str, index: int, example: dict[str, Any], location: Location
) -> ExampleResult:
    """A portfolio example: ``initiatives`` (fragments over the base manifest) and ``registry``."""
    from govlint.engine.evaluate import evaluate_portfolio
    from govlint.portfolio.index import Portfolio
    from govlint.registry import merge_registry
    from govlint.validate import check_document

    name = f"{rule.file}#examples.{expect}[{index}]"
    checked = []
    for j, fragment in enumerate(example.get("initiatives") or []):
        doc = Document(f"{name}.initiatives[{j}]", 0, merge(example_base(), fragment), {}, {})
        checked.append(check_document(doc))
    registry_fragment = example.get("registry", {})
    has_registry = registry_fragment is not REMOVE
    if has_registry:
        data = merge(example_registry(), registry_fragment)
        checked.append(check_document(Document(f"{name}.registry", 0, data, {}, {})))
    problems = [f.message for c in checked for f in c.findings]
    if problems:
        return ExampleResult(
            rule.id, expect, index, False, f"not a valid portfolio: {'; '.join(problems)}", location
        )
    registry, _ = merge_registry(checked)
    initiatives = [c.document for c in checked if c.kind == "Initiative"]
    findings = evaluate_portfolio(rule, Portfolio.build(initiatives, registry, has_registry))
    if expect == "pass" and findings:
        problem = f"expected no finding, got: {findings[0].message}"
        return ExampleResult(rule.id, expect, index, False, problem, location)
    if expect == "fail" and not findings:
        return ExampleResult(
            rule.id, expect, index, False, "expected a finding, got none", location
        )
    return ExampleResult(rule.id, expect, index, True, "", location)
