"""The YAML rule language: every operator, every rule-file error, messages and positions."""

from __future__ import annotations

import copy
import datetime as dt
import textwrap
from typing import Any

import pytest
from conftest import EXAMPLE_BASE

from govlint.engine.evaluate import evaluate
from govlint.engine.rules import Rule, compile_rule
from govlint.findings import Finding
from govlint.load import Document, load_file, load_text

TODAY = dt.date(2026, 11, 29)

RULE_HEADER = """\
id: TST-001
name: test-rule
title: A rule under test
principle: data
severity: warning
"""
RULE_FOOTER = """\
message: "{metadata.name} fails the test at {path} (value {value})"
rationale: Tests need a rationale.
remediation: Fix the manifest.
references:
  - id: EU-AI-ACT-2024:Art.14
    url: https://eur-lex.europa.eu/eli/reg/2024/1689/oj
examples:
  pass: [{}]
  fail: [{risk: {tier: high}}]
"""


def rule_text(body: str) -> str:
    return RULE_HEADER + textwrap.dedent(body) + RULE_FOOTER


def compile_text(body: str) -> tuple[Rule | None, list[Finding]]:
    result = load_text(rule_text(body), "rules/TST-001.yaml")
    assert not result.findings, result.findings
    return compile_rule(result.documents[0], TODAY)


def make_rule(body: str) -> Rule:
    rule, errors = compile_text(body)
    assert not errors, [e.message for e in errors]
    assert rule is not None
    return rule


def base() -> dict[str, Any]:
    data: dict[str, Any] = load_file(EXAMPLE_BASE).documents[0].data
    return copy.deepcopy(data)


def manifest_doc(data: dict[str, Any]) -> Document:
    return Document("m.yaml", 0, data, {}, {})


def fires(rule: Rule, data: dict[str, Any]) -> bool:
    return bool(evaluate(rule, manifest_doc(data)))


# -- operators -------------------------------------------------------------------

OPERATOR_CASES = [
    # (require clause, change to the base manifest, rule fires?)
    ("risk.tier: {equals: minimal}", {}, False),
    ("risk.tier: {equals: high}", {}, True),
    ("risk.tier: {not_equals: minimal}", {}, True),
    ("risk.tier: {in: [minimal, limited]}", {}, False),
    ("risk.tier: {in: [high, limited]}", {}, True),
    ("human_role.oversight: {not_in: [none]}", {}, False),
    ("human_role.oversight: {not_in: [none]}", {"human_role": {"oversight": "none"}}, True),
    ("human_role.escalation: {exists: true}", {}, False),
    ("human_role.escalation: {exists: true}", {"human_role": {"oversight": "none"}}, True),
    ("human_role.escalation: {exists: false}", {}, True),
    ("risk.annex_iii_area: {missing: true}", {}, False),
    ("metadata.owner.email: {matches: '@example\\.org$'}", {}, False),
    ("metadata.owner.email: {matches: '^info@'}", {}, True),
    ("metadata.owner.name: {not_matches: '(?i)team'}", {}, False),
    ("metadata.owner.name: {not_matches: '(?i)example'}", {}, True),
    ("purpose.summary: {min_length: 20}", {}, False),
    ("purpose.summary: {max_length: 10}", {}, True),
    ("data.sources: {length: 1}", {}, False),
    ("data.sources: {min_length: 2}", {}, True),
    ("model.accuracy_metrics: {max_length: 1}", {}, False),
    ("lifecycle.review_date: {after: today}", {}, False),
    ("lifecycle.review_date: {after: today}", {"lifecycle": {"review_date": "2026-11-29"}}, True),
    (
        "lifecycle.review_date: {on_or_after: today}",
        {"lifecycle": {"review_date": "2026-11-29"}},
        False,
    ),
    ("lifecycle.go_live: {before: today-1y}", {}, False),  # 2025-06-01 < 2025-11-29
    ("lifecycle.go_live: {before: today-2y}", {}, True),
    ("lifecycle.go_live: {on_or_before: 2025-06-01}", {}, False),
    ("lifecycle.go_live: {after: 2025-06-01}", {}, True),
    ("explainability.audience: {contains: affected-people}", {}, False),
    ("explainability.audience: {contains: auditors}", {}, True),
    ("explainability.audience: {not_contains: public}", {}, False),
    ("explainability.audience: {not_contains: operators}", {}, True),
    ("x-cost-centre: {exists: true}", {"x-cost-centre": "CC-12"}, False),
]


@pytest.mark.parametrize(("clause", "change", "expected"), OPERATOR_CASES)
def test_operator(clause: str, change: dict[str, Any], expected: bool) -> None:
    rule = make_rule(f"require:\n  {clause}\n")
    data = base()
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value} if key != "human_role" else value
        else:
            data[key] = value
    assert fires(rule, data) is expected


def test_min_and_max_on_numbers_via_extension() -> None:
    # numbers live in organisation extensions; min/max work on any number
    rule = make_rule("require:\n  x-budget: {min: 10, max: 100}\n")
    data = base()
    data["x-budget"] = 50
    assert not fires(rule, data)
    data["x-budget"] = 500
    assert fires(rule, data)


def test_when_restricts_where_the_rule_applies() -> None:
    rule = make_rule(
        """\
        when:
          risk.tier: {equals: high}
        require:
          human_role.oversight: {not_in: [none]}
        """
    )
    data = base()
    data["human_role"] = {"oversight": "none"}
    assert not fires(rule, data)  # minimal tier: the rule does not apply
    data["risk"]["tier"] = "high"
    assert fires(rule, data)


def test_all_any_not() -> None:
    rule = make_rule(
        """\
        require:
          any:
            - contribution.platform: {exists: true}
            - contribution.strategic_goals: {min_length: 1}
          not:
            risk.tier: {equals: prohibited}
        """
    )
    data = base()
    assert not fires(rule, data)
    data["contribution"] = {"platform": None, "strategic_goals": []}
    assert fires(rule, data)
    data = base()
    data["risk"]["tier"] = "prohibited"
    assert fires(rule, data)
    all_rule = make_rule(
        "require:\n  all:\n    - risk.tier: {equals: minimal}\n    - risk.profiling: {equals: true}\n"
    )
    assert fires(all_rule, base())


def test_each_with_where_reports_every_offending_item_with_item_placeholders() -> None:
    text = rule_text(
        """\
        require:
          each: data.sources
          where: {personal_data: {equals: true}}
          require: {lawful_basis: {exists: true}}
        """
    ).replace(
        "{metadata.name} fails the test at {path} (value {value})",
        "source {item.name} holds personal data without a lawful basis ({path})",
    )
    rule, errors = compile_rule(load_text(text, "r.yaml").documents[0], TODAY)
    assert rule is not None and not errors
    data = base()
    data["data"]["sources"] = [
        {"name": "a", "personal_data": True, "lawful_basis": "consent"},
        {"name": "b", "personal_data": True},
        {"name": "c", "personal_data": False},
        {"name": "d", "personal_data": True},
    ]
    findings = evaluate(rule, manifest_doc(data))
    assert [f.message for f in findings] == [
        "source b holds personal data without a lawful basis (data.sources[1].lawful_basis)",
        "source d holds personal data without a lawful basis (data.sources[3].lawful_basis)",
    ]


def test_some_needs_at_least_one_matching_item() -> None:
    rule = make_rule(
        """\
        require:
          some: ethics.impact_assessments
          where: {type: {equals: DPIA}, status: {equals: completed}}
        """
    )
    data = base()
    assert fires(rule, data)  # the base DPIA is not-required, not completed
    data["ethics"]["impact_assessments"].append({"type": "DPIA", "status": "completed"})
    assert not fires(rule, data)


def test_raw_json_schema_escape_hatch() -> None:
    rule = make_rule(
        """\
        require:
          schema:
            properties:
              metadata: {properties: {id: {maxLength: 10}}}
        """
    )
    assert fires(rule, base())  # "example-initiative" is 18 characters


def test_message_placeholders_and_positions_from_a_real_file() -> None:
    text = (EXAMPLE_BASE.read_text()).replace("oversight: human-in-the-loop", "oversight: none")
    doc = load_text(text, "m.yaml").documents[0]
    rule = make_rule("require:\n  human_role.oversight: {not_in: [none]}\n")
    [finding] = evaluate(rule, doc)
    lines = text.splitlines()
    line = next(i for i, s in enumerate(lines, 1) if "oversight: none" in s)
    assert (finding.line, finding.column) == (line, lines[line - 1].index("none") + 1)
    assert finding.message == (
        "Example initiative fails the test at human_role.oversight (value none)"
    )
    assert finding.path == "human_role.oversight"
    assert finding.rule_id == "TST-001" and finding.severity.value == "warning"


def test_missing_key_points_at_the_parent_mapping() -> None:
    text = EXAMPLE_BASE.read_text().replace("  escalation: Head of public-space operations\n", "")
    doc = load_text(text, "m.yaml").documents[0]
    rule = make_rule("require:\n  human_role.escalation: {exists: true}\n")
    [finding] = evaluate(rule, doc)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("human_role:"))
    assert (finding.line, finding.column) == (line, 1)
    assert "(value not set)" in finding.message


# -- rule-file errors -------------------------------------------------------------


def error_messages(body: str) -> list[tuple[int, int, str]]:
    rule, errors = compile_text(body)
    assert rule is None
    return [(e.line, e.column, e.message) for e in errors]


HEADER_LINES = RULE_HEADER.count("\n")


def test_misspelled_operator_is_an_error_with_position() -> None:
    [(line, col, message)] = error_messages("require:\n  risk.tier: {equal: high}\n")
    assert (line, col) == (HEADER_LINES + 2, 15)
    assert message == "unknown operator 'equal'; did you mean 'equals'?"


def test_path_not_in_schema_suggests_the_closest_one() -> None:
    [(line, col, message)] = error_messages("require:\n  human_role.oversigt: {exists: true}\n")
    assert (line, col) == (HEADER_LINES + 2, 3)
    assert "human_role has no key 'oversigt'; did you mean 'human_role.oversight'?" in message


def test_impossible_enum_value_would_never_fire_so_it_is_an_error() -> None:
    [(_, _, message)] = error_messages("require:\n  risk.tier: {not_equals: hgh}\n")
    assert "'hgh' is not a possible value here; did you mean 'high'?" in message


def test_bad_regex_is_an_error() -> None:
    [(_, _, message)] = error_messages("require:\n  metadata.name: {matches: '([a-z'}\n")
    assert message.startswith("'matches' takes a regular expression: invalid regular expression")


def test_bad_date_and_wrong_argument_types() -> None:
    errors = error_messages(
        "require:\n  lifecycle.review_date: {after: tomorrow}\n  purpose.summary: {min_length: many}\n"
    )
    assert [m for _, _, m in errors] == [
        "'after' takes a date (YYYY-MM-DD) or 'today', 'today+90d', 'today-1y': got 'tomorrow'",
        "'min_length' takes a whole number: got 'many'",
    ]


def test_misspelled_combinator_and_each_on_a_non_list() -> None:
    errors = error_messages("require:\n  nay: [{risk.tier: {equals: high}}]\n")
    assert errors[0][2] == "'nay' is neither a manifest path nor a combinator; did you mean 'any'?"
    errors = error_messages("require:\n  each: risk.tier\n  require: {x: {exists: true}}\n")
    assert errors[0][2] == "'risk.tier' is not a list; 'each' needs a list"


def test_placeholder_naming_a_missing_path_is_an_error() -> None:
    text = rule_text("require:\n  risk.tier: {equals: minimal}\n").replace(
        "{metadata.name} fails", "{metadata.nam} fails"
    )
    rule, errors = compile_rule(load_text(text, "r.yaml").documents[0], TODAY)
    assert rule is None
    assert errors[0].message.startswith("placeholder {metadata.nam}: ")
    assert "did you mean 'metadata.name'?" in errors[0].message


def test_missing_examples_and_references_are_errors() -> None:
    text = rule_text("require:\n  risk.tier: {equals: minimal}\n")
    no_fail = text.replace("  fail: [{risk: {tier: high}}]\n", "")
    rule, errors = compile_rule(load_text(no_fail, "r.yaml").documents[0], TODAY)
    assert rule is None
    assert [e.message for e in errors] == ["missing required key 'fail' in examples; add it"]
    empty_pass = text.replace("pass: [{}]", "pass: []")
    rule, errors = compile_rule(load_text(empty_pass, "r.yaml").documents[0], TODAY)
    assert rule is None and "examples.pass" in errors[0].message


def test_unknown_rule_key_suggests_the_right_one() -> None:
    text = rule_text("requires:\n  risk.tier: {equals: minimal}\n")
    rule, errors = compile_rule(load_text(text, "r.yaml").documents[0], TODAY)
    assert rule is None
    assert errors[0].message.startswith(
        "unknown key 'requires' in the top level (did you mean 'require'?)"
    )
    assert (errors[0].line, errors[0].column) == (HEADER_LINES + 1, 1)


def test_failing_not_points_at_the_path_it_names() -> None:
    text = EXAMPLE_BASE.read_text().replace("alex.example@example.org", "info@example.org")
    doc = load_text(text, "m.yaml").documents[0]
    rule = make_rule(
        "require:\n  metadata.owner.name: {not_matches: '(?i)team'}\n"
        "  not: {metadata.owner.email: {matches: '^info@'}}\n"
    )
    [finding] = evaluate(rule, doc)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "info@example.org" in s)
    assert (finding.line, finding.path) == (line, "metadata.owner.email")
    assert "(value info@example.org)" in finding.message
