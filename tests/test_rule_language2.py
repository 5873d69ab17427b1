"""Rule language 2: field references, if/then with its own message, counting, dated duties,
and the load-time errors that keep a rule from silently never firing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from test_rule_language import HEADER_LINES, base, compile_text, make_rule, manifest_doc

from govlint.engine.condition import Condition
from govlint.engine.evaluate import NOT_ASSESSABLE, PASS, assess, evaluate
from govlint.engine.rules import Rule
from govlint.load import Document
from govlint.validate import check_document


def messages(rule: Rule, data: dict[str, Any]) -> list[str]:
    return [f.message for f in evaluate(rule, manifest_doc(data))]


def both_engines(rule: Rule, data: dict[str, Any]) -> bool:
    """Whether the rule holds, asked of the fast validator and of the engine of record,
    which must agree."""
    assert rule.require is not None
    slow = Condition.compile(rule.require.schema, fast=False)
    fast = rule.require.holds(data)
    assert slow.holds(data) == fast
    assert (not list(rule.require.errors(data))) == fast
    return fast


def errors_of(body: str) -> list[tuple[int, int, str]]:
    rule, errors = compile_text(body)
    assert rule is None, "the rule should have been refused"
    return [(e.line, e.column, e.message) for e in errors]


# -- field references --------------------------------------------------------------

RETIREMENT = "require:\n  lifecycle.retirement: {after: {field: lifecycle.go_live}}\n"


@pytest.mark.parametrize(
    ("retirement", "holds"),
    [("2026-01-01", True), ("2025-06-01", False), ("2024-12-31", False)],
)
def test_a_date_compared_with_another_field(retirement: str, holds: bool) -> None:
    rule = make_rule(RETIREMENT)
    data = base()  # go_live: 2025-06-01
    data["lifecycle"]["retirement"] = retirement
    assert both_engines(rule, data) is holds
    if not holds:
        [finding] = evaluate(rule, manifest_doc(data))
        assert finding.path == "lifecycle.retirement"


def test_a_comparison_with_a_field_that_is_not_set_does_not_hold() -> None:
    rule = make_rule(RETIREMENT)
    data = base()
    data["lifecycle"]["retirement"] = "2026-01-01"
    del data["lifecycle"]["go_live"]
    assert both_engines(rule, data) is False


def test_numbers_and_equality_between_fields() -> None:
    rule = make_rule("require:\n  x-staff.trained: {max: {field: x-staff.total}}\n")
    data = base()
    data["x-staff"] = {"trained": 3, "total": 5}
    assert both_engines(rule, data) is True
    data["x-staff"]["trained"] = 6
    assert both_engines(rule, data) is False
    same = make_rule("require:\n  model.name: {not_equals: {field: metadata.name}}\n")
    data = base()
    assert both_engines(same, data) is True
    data["model"]["name"] = data["metadata"]["name"]
    assert both_engines(same, data) is False


EACH_BEFORE_GO_LIVE = """\
require:
  each: ethics.impact_assessments
  where: {date: {exists: true}}
  require:
    date: {on_or_before: {field: lifecycle.go_live}}
"""


def test_inside_each_an_item_field_is_compared_with_the_manifest() -> None:
    rule = make_rule(EACH_BEFORE_GO_LIVE)
    data = base()
    data["ethics"]["impact_assessments"] = [
        {"type": "DPIA", "status": "completed", "date": "2025-01-01"},
        {"type": "FRIA", "status": "completed", "date": "2025-07-01"},
        {"type": "IAMA", "status": "completed"},
    ]
    assert both_engines(rule, data) is False
    [finding] = evaluate(rule, manifest_doc(data))
    assert finding.path == "ethics.impact_assessments[1].date"
    data["ethics"]["impact_assessments"][1]["date"] = "2025-06-01"
    assert both_engines(rule, data) is True


def test_inside_each_item_fields_are_compared_with_each_other() -> None:
    rule = make_rule(
        "require:\n  each: data.sources\n  require:\n    x-until: {after: {field: item.x-since}}\n"
    )
    data = base()
    data["data"]["sources"][0].update({"x-since": "2024-01-01", "x-until": "2025-01-01"})
    assert both_engines(rule, data) is True
    data["data"]["sources"][0]["x-until"] = "2023-01-01"
    assert both_engines(rule, data) is False


def test_a_rule_reading_a_broken_referenced_field_is_not_assessable() -> None:
    rule = make_rule(RETIREMENT)
    data = base()
    data["lifecycle"]["retirement"] = "2026-01-01"
    data["lifecycle"]["go_live"] = "soon"
    doc = Document("m.yaml", 0, data, {}, {})
    verdict = assess(rule, doc, check_document(doc).broken)
    assert verdict.outcome == NOT_ASSESSABLE
    assert verdict.blocked_by == (("lifecycle", "go_live"),)
    data["lifecycle"]["go_live"] = "2025-06-01"
    assert assess(rule, doc, check_document(doc).broken).outcome == PASS


def test_reference_errors_have_positions_and_suggestions() -> None:
    line = HEADER_LINES + 2
    [(ln, col, message)] = errors_of(
        "require:\n  lifecycle.retirement: {after: {field: lifecycle.go_lve}}\n"
    )
    assert (ln, col) == (line, 41)  # at the path after "field: "
    assert "lifecycle has no key 'go_lve'; did you mean 'lifecycle.go_live'?" in message
    [(_, _, message)] = errors_of("require:\n  lifecycle.retirement: {after: {field: risk.tier}}\n")
    assert message == (
        "'after' cannot compare lifecycle.retirement with risk.tier: "
        "'after' compares dates, and they hold a date and text"
    )
    [(_, _, message)] = errors_of("require:\n  risk.tier: {in: {field: metadata.unit}}\n")
    assert message.startswith("'in' cannot compare with another field; {field: ...} works with:")
    [(_, _, message)] = errors_of("require:\n  lifecycle.go_live: {before: {field: item.date}}\n")
    assert "exists only inside 'each' or 'some'; name a manifest field" in message
    [(_, _, message)] = errors_of(
        "require:\n  each: ethics.impact_assessments\n  require:\n"
        "    date: {before: {field: reference}}\n"
    )
    assert message.endswith("a field of the item is written 'item.reference'")
    [(_, _, message)] = errors_of(
        "require:\n  lifecycle.retirement: {after: {field: lifecycle.go_live, days: 3}}\n"
    )
    assert message.endswith("'days' is not allowed there")


# -- if / then with its own message; one finding per failing clause ----------------

IF_THEN = """\
require:
  all:
    - if: {risk.tier: {equals: high}}
      then: {human_role.oversight: {not_equals: none}}
      message: "{metadata.name} is high-risk but has no human oversight ({value})"
    - if: {purpose.decision_type: {equals: automated-decision}}
      then: {ethics.appeal: {exists: true}}
      message: "{metadata.name} decides about people automatically without an appeal"
"""


def test_each_failing_if_then_clause_gives_one_finding_with_its_own_message() -> None:
    rule = make_rule(IF_THEN)
    data = base()
    assert messages(rule, data) == []
    data["risk"] = {"tier": "high", "annex_iii_area": "employment-and-workers-management"}
    data["human_role"]["oversight"] = "none"
    [finding] = evaluate(rule, manifest_doc(data))
    # the finding is about the part that failed (the 'then'), not the condition
    assert finding.path == "human_role.oversight"
    assert finding.message == "Example initiative is high-risk but has no human oversight (none)"
    data["purpose"]["decision_type"] = "automated-decision"
    del data["ethics"]["appeal"]
    assert messages(rule, data) == [
        "Example initiative is high-risk but has no human oversight (none)",
        "Example initiative decides about people automatically without an appeal",
    ]


def test_else_and_the_rule_message_for_clauses_without_their_own() -> None:
    rule = make_rule(
        "require:\n  if: {risk.tier: {equals: high}}\n"
        "  then: {human_role.oversight: {equals: human-in-command}}\n"
        "  else: {human_role.oversight: {not_equals: none}}\n"
    )
    data = base()
    assert messages(rule, data) == []
    data["human_role"]["oversight"] = "none"
    assert messages(rule, data) == [
        "Example initiative fails the test at human_role.oversight (value none)"
    ]


def test_identical_findings_on_one_manifest_are_reported_once() -> None:
    rule = make_rule(
        "require:\n  each: data.sources\n  require:\n    lawful_basis: {exists: true}\n"
    )
    message = "{metadata.name} has sources without a lawful basis"
    rule = replace(rule, spec=rule.spec.model_copy(update={"message": message}))
    data = base()
    data["data"]["sources"] = [{"name": f"s{i}"} for i in range(7)]
    assert messages(rule, data) == ["Example initiative has sources without a lawful basis"]
    # a message that names the item still says it once per item
    per_item = make_rule(
        "require:\n  each: data.sources\n  require:\n    lawful_basis: {exists: true}\n"
    )
    assert len(messages(per_item, data)) == 7  # "... at data.sources[i].lawful_basis ..."


def test_if_then_errors_have_positions_and_suggestions() -> None:
    line = HEADER_LINES + 2
    assert errors_of("require:\n  if: {risk.tier: {equals: high}}\n") == [
        (line, 3, "'if' needs a 'then' clause: what must hold when 'if' holds")
    ]
    [(ln, col, message)] = errors_of(
        "require:\n  if: {risk.tier: {equals: high}}\n  then: {risk.rationale: {exists: true}}\n"
        "  thne: {}\n"
    )
    assert (ln, col) == (line + 2, 3)
    assert message.startswith("'thne' is not allowed next to 'if' (next to 'if': then, else, ")
    [(ln, col, message)] = errors_of("require:\n  then: {risk.rationale: {exists: true}}\n")
    assert (ln, col, message) == (line, 3, "'then' belongs next to 'if'")
    [(ln, col, message)] = errors_of(
        "when:\n  risk.tier: {equals: high}\n  message: high\n"
        "require:\n  risk.rationale: {exists: true}\n"
    )
    assert (ln, col) == (line + 1, 3)
    assert message == "a clause 'message' belongs in 'require' (what must hold)"
    [(ln, _, message)] = errors_of(
        "require:\n  risk.rationale: {exists: true}\n  message: '{risk.tire} is wrong'\n"
    )
    assert ln == line + 1
    assert "placeholder {risk.tire}" in message and "did you mean 'risk.tier'?" in message


# -- counting with filters ---------------------------------------------------------

COMPLETED = "    where: {status: {equals: completed}}\n"


@pytest.mark.parametrize(
    ("count", "completed", "holds"),
    [
        ("at_least: 2", 1, False),
        ("at_least: 2", 2, True),
        ("at_most: 1", 2, False),
        ("at_most: 1", 1, True),
        ("at_most: 0", 0, True),
        ("at_least: 1\n    at_most: 2", 3, False),
    ],
)
def test_at_least_and_at_most_count_the_matching_items(
    count: str, completed: int, holds: bool
) -> None:
    rule = make_rule(
        "require:\n  all:\n  - some: ethics.impact_assessments\n" + COMPLETED + f"    {count}\n"
    )
    data = base()
    data["ethics"]["impact_assessments"] = [
        {"type": "DPIA", "status": "in-progress"},
        *({"type": "FRIA", "status": "completed"} for _ in range(completed)),
    ]
    assert both_engines(rule, data) is holds


def test_at_most_holds_without_the_list_and_counting_needs_no_where() -> None:
    at_most = make_rule("require:\n  some: data.sources\n  at_most: 1\n")
    data = base()
    del data["data"]
    assert both_engines(at_most, data) is True
    at_least = make_rule("require:\n  some: data.sources\n  at_least: 1\n")
    assert both_engines(at_least, data) is False


def test_counting_errors_suggest_what_works() -> None:
    [(_, _, message)] = errors_of(
        "require:\n  some: data.sources\n  where: {personal_data: {equals: true}}\n  min: 1\n"
    )
    assert message == (
        "'min' is not allowed next to 'some' (next to 'some': where, at_least, at_most); "
        "to count the matching items write 'at_least: N' or 'at_most: N'"
    )
    (_, _, message), *_ = errors_of("require:\n  some: data.sources\n  at_lest: 1\n")
    assert message.endswith("did you mean 'at_least'?")
    [(_, _, message)] = errors_of("require:\n  some: data.sources\n  at_least: two\n")
    assert message == "'at_least' takes a whole number of items, e.g. 2"
    [(_, _, message)] = errors_of(
        "require:\n  each: data.sources\n  require: {name: {exists: true}}\n  at_least: 2\n"
    )
    assert message.startswith("'at_least' is not allowed next to 'each' (next to 'each': where, ")
