"""Rule language 2: field references, if/then with its own message, counting, dated duties,
and the load-time errors that keep a rule from silently never firing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_BASE, EXAMPLE_REGISTRY, REPO
from test_rule_language import (
    HEADER_LINES,
    RULE_HEADER,
    TODAY,
    base,
    compile_text,
    make_rule,
    manifest_doc,
    rule_text,
)

from govlint.engine.condition import Condition
from govlint.engine.evaluate import NOT_ASSESSABLE, PASS, assess, evaluate, evaluate_portfolio
from govlint.engine.rules import Rule, RuleSet, compile_rule, load_rule
from govlint.load import Document, load_text
from govlint.portfolio.index import Portfolio
from govlint.registry import Registry
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


# -- dated duties ------------------------------------------------------------------

LIMITED_WITHOUT_NOTICE = (
    EXAMPLE_BASE.read_text(encoding="utf-8")
    .replace("  tier: minimal\n", "  tier: limited\n")
    .replace("notice_to_affected: true", "notice_to_affected: false")
    # EXP-004 (Art. 50(1)) binds the provider of a system that talks with people
    .replace("  role: deployer\n", "  role: provider-and-deployer\n")
    + "transparency:\n  interacts_with_people: true\n  people_informed: false\n"
)


def exp_004(result: Any) -> list[str]:
    return [line for line in result.lines if "EXP-004" in line]


def dated_project(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / "chatbot.yaml").write_text(LIMITED_WITHOUT_NOTICE, encoding="utf-8")
    (tmp_path / "organisation.yaml").write_text(
        EXAMPLE_REGISTRY.read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / ".govlint.yaml").write_text("policies: [baseline]\n" + config, encoding="utf-8")
    return tmp_path


def test_before_its_date_a_duty_reports_as_info_saying_from_when(govlint, tmp_path) -> None:
    dated_project(tmp_path)
    before = govlint("check", ".", "--today", "2026-08-01")
    [line] = exp_004(before)
    assert " info " in line and line.endswith("(applies from 2026-08-02)")
    assert before.code == 0  # info does not fail the run
    after = govlint("check", ".", "--today", "2026-08-02")
    [line] = exp_004(after)
    assert " error " in line and "applies from" not in line
    assert after.code == 1


def test_the_configuration_moves_the_date_or_hides_upcoming_duties(govlint, tmp_path) -> None:
    dated_project(tmp_path, "rules:\n  EXP-004: {applies_from: 2027-01-01}\n")
    [line] = exp_004(govlint("check", ".", "--today", "2026-11-30"))
    assert " info " in line and line.endswith("(applies from 2027-01-01)")
    explained = govlint("explain", "EXP-004")
    assert "applies from: 2027-01-01" in explained.out
    dated_project(
        tmp_path, "upcoming_duties: hide\nrules:\n  EXP-004: {applies_from: 2027-01-01}\n"
    )
    assert exp_004(govlint("check", ".", "--today", "2026-11-30")) == []


def test_a_pack_carries_dates_and_a_lock_keeps_teams_from_postponing(govlint, tmp_path) -> None:
    (tmp_path / "pack.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: later\nextends: [baseline]\n"
        "rules:\n  EXP-004: {applies_from: 2027-03-01, locked: true}\n",
        encoding="utf-8",
    )
    dated_project(tmp_path).joinpath(".govlint.yaml").write_text(
        "policies: [pack.yaml]\n", encoding="utf-8"
    )
    [line] = exp_004(govlint("check", ".", "--today", "2026-11-30"))
    assert line.endswith("(applies from 2027-03-01)")
    (tmp_path / ".govlint.yaml").write_text(
        "policies: [pack.yaml]\nrules:\n  EXP-004: {applies_from: 2028-01-01}\n",
        encoding="utf-8",
    )
    refused = govlint("check", ".", "--today", "2026-11-30")
    assert refused.code == 2
    assert (
        ".govlint.yaml:3:3: error GL031 rule EXP-004 is locked by policy 'later': a team "
        "cannot postpone it (it applies from 2027-03-01); ask the governance office for a waiver"
    ) in refused.err


def test_a_malformed_date_in_the_configuration_is_refused_with_its_position(
    govlint, tmp_path
) -> None:
    dated_project(tmp_path, "rules:\n  EXP-004: {applies_from: next year}\n")
    result = govlint("check", ".")
    assert result.code == 2
    assert ".govlint.yaml:3:27" in result.out + result.err
    assert "'next year' is not a date; write it as YYYY-MM-DD" in result.out + result.err


# -- operand types and misleading messages ----------------------------------------


@pytest.mark.parametrize(
    ("clause", "at", "expected"),
    [
        (
            "human_role.override: {equals: 'yes'}",
            "'yes'",
            "'equals' takes a value: the value here is true or false, so 'yes' never matches; "
            "write true or false",
        ),
        (
            "data.sources: {min: 1}",
            "1}",
            "'min' takes a number: the value here is a list, not a number; to count its items "
            "write {min_length: N}",
        ),
        (
            "model.version: {min: 2}",
            "2}",
            "'min' takes a number: the value here is text, not a number; compare text with "
            "'equals', 'in' or 'matches', or its length with 'min_length'",
        ),
        (
            "lifecycle.go_live: {max: 2026}",
            "2026}",
            "'max' takes a number: the value here is a date, not a number; compare dates with "
            "{on_or_before: YYYY-MM-DD}",
        ),
        (
            "metadata.name: {before: 2026-01-01}",
            "2026-01-01",
            "'before' takes a date (YYYY-MM-DD) or 'today', 'today+90d', 'today-1y': the value "
            "here is text, not a date",
        ),
    ],
)
def test_an_operand_of_the_wrong_type_is_refused_with_a_working_suggestion(
    clause: str, at: str, expected: str
) -> None:
    [(line, col, message)] = errors_of(f"require:\n  {clause}\n")
    assert (line, col) == (HEADER_LINES + 2, 3 + clause.index(at))  # at the operand
    assert message == expected


def test_the_suggested_operands_load() -> None:
    for clause in (
        "human_role.override: {equals: true}",
        "data.sources: {min_length: 1}",
        "model.version: {matches: '^2'}",
        "lifecycle.go_live: {on_or_before: 2026-12-31}",
    ):
        make_rule(f"require:\n  {clause}\n")


def test_a_malformed_rule_id_gets_a_rule_id_hint() -> None:
    text = rule_text("require:\n  risk.tier: {equals: high}\n").replace("id: TST-001", "id: tst-1")
    rule, errors = compile_rule(load_text(text, "r.yaml").documents[0], TODAY)
    assert rule is None
    [error] = errors
    assert (error.line, error.column) == (1, 5)
    assert error.message == (
        "id: 'tst-1' is not a valid rule id; did you mean 'TST-001'? (a rule id is 2 to 8 "
        "capital letters or digits starting with a letter, a hyphen and 3 or 4 digits)"
    )


def test_a_rule_id_with_a_letter_o_for_a_zero_suggests_the_right_rule() -> None:
    ruleset = RuleSet()
    for rule_id in ("ORG-201", "ORG-211"):
        rule = make_rule("require:\n  risk.tier: {equals: high}\n")
        ruleset.rules[rule_id] = replace(rule, spec=rule.spec.model_copy(update={"id": rule_id}))
    assert ruleset.suggest("ORG-2O1") == "; did you mean 'ORG-201'?"
    assert ruleset.suggest("ORG-2l1") == "; did you mean 'ORG-211'?"


def test_a_pack_naming_an_unknown_rule_says_where_rules_come_from(govlint, tmp_path) -> None:
    (tmp_path / "pack.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: ours\ninclude:\n  rules: [ORG-201, HUM-OO1]\n",
        encoding="utf-8",
    )
    dated_project(tmp_path).joinpath(".govlint.yaml").write_text(
        "policies: [pack.yaml]\n", encoding="utf-8"
    )
    result = govlint("check", ".")
    assert result.code == 2
    assert (
        "pack.yaml:5:11: error GL031 unknown rule 'ORG-201'; a rule of your own is loaded from "
        "a folder named in 'rule_paths' of .govlint.yaml: add the folder that holds it"
    ) in result.err
    assert "pack.yaml:5:20: error GL031 unknown rule 'HUM-OO1'; did you mean 'HUM-001'?" in (
        result.err
    )


def test_portfolio_check_options_naming_manifest_paths_are_checked(tmp_path: Path) -> None:
    text = (REPO / "rules/human-role/HUM-101-one-oversight-norm-per-risk.yaml").read_text()
    text = text.replace("fields: [human_role.oversight]", "fields: [human_role.overight]")
    path = tmp_path / "HUM-101.yaml"
    path.write_text(text, encoding="utf-8")
    rule, errors = load_rule(path, "HUM-101.yaml", TODAY)
    assert rule is None
    [error] = errors
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "overight" in s)
    assert (error.line, error.column) == (line, 12)
    assert error.message.startswith("option 'fields': 'human_role.overight' does not exist")
    assert error.message.endswith("did you mean 'human_role.oversight'?")


# -- packs carry their rules ---------------------------------------------------------

OWN_RULE = """\
apiVersion: govlint/v1
kind: Rule
id: ORG-201
name: limited-names-its-model-supplier
title: A limited-risk system names who supplies its model
principle: contribution
severity: warning
when:
  risk.tier: {equals: limited}
require:
  model.supplier: {exists: true}
message: "{metadata.name} is limited-risk but names no model supplier"
rationale: The organisation keeps track of who supplies the models people talk to.
remediation: Set model.supplier.
references:
  - id: ORG-2026:ORG-201
examples:
  pass:
    - risk: {tier: minimal}
  fail:
    - risk: {tier: limited}
"""


def test_a_policy_names_its_own_rule_folder(govlint, tmp_path) -> None:
    pack = tmp_path / "ourpack"
    (pack / "rules").mkdir(parents=True)
    (pack / "rules" / "ORG-201.yaml").write_text(OWN_RULE, encoding="utf-8")
    (pack / "policy.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: ours\nrule_paths: [rules]\n"
        "extends: [baseline]\ninclude:\n  rules: [ORG-201]\n",
        encoding="utf-8",
    )
    dated_project(tmp_path).joinpath(".govlint.yaml").write_text(
        "policies: [ourpack/policy.yaml]\n", encoding="utf-8"
    )
    result = govlint("check", ".", "--no-cache")
    # the rule fires, and neither the rule file nor the pack is mistaken for a manifest
    line = LIMITED_WITHOUT_NOTICE.splitlines().index("model:") + 1
    assert [line for line in result.lines if "ORG-201" in line] == [
        f"chatbot.yaml:{line}:1: warning ORG-201 Example initiative is limited-risk but names no "
        "model supplier"
    ]
    assert "GL004" not in result.out
    # govlint test on the pack folder tests the rule and leaves the Policy file alone
    tested = govlint("test", "ourpack")
    assert tested.code == 0, tested
    assert tested.lines[-1] == "1 rule, 2 examples: 2 passed, 0 failed"
    assert tested.err == ""


def test_kind_of_a_rule_file_must_be_rule() -> None:
    [(line, col, message)] = errors_of("kind: Rules\nrequire:\n  risk.tier: {equals: high}\n")
    assert (line, col) == (HEADER_LINES + 1, 7)
    assert message == "kind: 'Rules' is not allowed (did you mean 'Rule'?); expected one of: Rule"


# -- portfolio rules as data -------------------------------------------------------------

PORTFOLIO_FOOTER = """\
message: "{metadata.name}: {detail}"
rationale: Tests need a rationale.
remediation: Fix the portfolio.
references:
  - id: EU-AI-ACT-2024:Art.14
examples:
  pass: [{initiatives: [{}]}]
  fail: [{initiatives: [{}]}]
"""


def portfolio_rule(body: str) -> tuple[Rule | None, list[tuple[int, int, str]]]:
    text = RULE_HEADER + "scope: portfolio\n" + body + PORTFOLIO_FOOTER
    rule, errors = compile_rule(load_text(text, "rules/TST-001.yaml").documents[0], TODAY)
    return rule, [(e.line, e.column, e.message) for e in errors]


def initiative(ident: str, unit: str, **changes: Any) -> Document:
    data = base()
    data["metadata"].update(id=ident, name=ident.title(), unit=unit)
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        data[section][key] = value
    return Document(f"{ident}.yaml", 0, data, {}, {})


def portfolio_messages(rule: Rule, docs: list[Document]) -> list[str]:
    portfolio = Portfolio.build(docs, Registry(), False)
    return [f"{f.file}: {f.message}" for f in evaluate_portfolio(rule, portfolio)]


def test_group_by_a_path_and_count_the_members_of_each_group() -> None:
    rule, errors = portfolio_rule(
        "select:\n  risk.tier: {equals: high}\ngroup_by: metadata.unit\n"
        "require:\n  count: {max: 2}\n"
    )
    assert rule is not None, errors
    high = {"risk__tier": "high", "risk__annex_iii_area": "law-enforcement"}
    docs = [
        initiative("a", "police", **high),
        initiative("b", "police", **high),
        initiative("c", "police", **high),
        initiative("d", "police"),  # not selected: minimal risk
        initiative("e", "tax", **high),
    ]
    assert portfolio_messages(rule, docs) == [
        "a.yaml: A: metadata.unit 'police' has 3 initiatives (at most 2 allowed); "
        "the others: 'b', 'c'"
    ]
    assert portfolio_messages(rule, docs[1:]) == []


def test_if_then_and_each_require_something_of_every_member_of_large_groups() -> None:
    rule, errors = portfolio_rule(
        "group_by: metadata.unit\n"
        "require:\n  if: {count: {min: 3}}\n"
        "  then:\n    each: {human_role.oversight: {equals: human-in-command}}\n"
    )
    assert rule is not None, errors
    command = {"human_role__oversight": "human-in-command"}
    docs = [
        initiative("a", "police", **command),
        initiative("b", "police"),
        initiative("c", "police", **command),
        initiative("d", "tax"),  # a group of one: the 'if' does not hold
    ]
    assert portfolio_messages(rule, docs) == ["b.yaml: B: as a member of metadata.unit 'police'"]
    [finding] = evaluate_portfolio(rule, Portfolio.build(docs, Registry(), False))
    assert finding.path == "human_role.oversight"


def test_distinct_values_group_by_each_item_of_a_list() -> None:
    rule, errors = portfolio_rule(
        "group_by: contribution.capabilities.provides\n"
        "require:\n  distinct: {metadata.unit: {max: 1}}\n"
    )
    assert rule is not None, errors
    docs = [initiative("a", "police"), initiative("b", "police"), initiative("c", "tax")]
    # all three provide 'crew-scheduling' (the example base)
    assert portfolio_messages(rule, docs) == [
        "c.yaml: C: contribution.capabilities.provides 'crew-scheduling' has 2 different "
        "metadata.unit (at most 1 allowed): police (2), tax (1); most declare police; "
        "the others: 'a', 'b'"
    ]


def test_hum_102_on_a_real_portfolio(govlint, tmp_path) -> None:
    (tmp_path / "organisation.yaml").write_text(
        EXAMPLE_REGISTRY.read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = EXAMPLE_BASE.read_text(encoding="utf-8").replace(
        "  tier: minimal\n", "  tier: high\n  annex_iii_area: law-enforcement\n"
    )
    for ident, oversight in (
        ("a", "human-in-the-loop"),
        ("b", "human-in-the-loop"),
        ("c", "human-on-the-loop"),
    ):
        (tmp_path / f"{ident}.yaml").write_text(
            text.replace("id: example-initiative", f"id: {ident}").replace(
                "oversight: human-in-the-loop", f"oversight: {oversight}"
            ),
            encoding="utf-8",
        )
    result = govlint("check", ".", "--no-cache", "--today", "2026-11-30")
    [line] = [line for line in result.lines if "HUM-102" in line]
    assert line.startswith("c.yaml:")
    assert line.endswith(
        "info HUM-102 Example initiative: risk.annex_iii_area 'law-enforcement' has 2 "
        "different human_role.oversight (at most 1 allowed): human-in-the-loop (2), "
        "human-on-the-loop (1); most declare human-in-the-loop; the others: 'a', 'b'"
    )


def test_portfolio_query_errors_have_positions_and_suggestions() -> None:
    line = HEADER_LINES + 2  # after 'scope: portfolio'
    _, errors = portfolio_rule("group_by: metadata.unt\nrequire:\n  count: {max: 2}\n")
    [(ln, col, message)] = errors
    assert (ln, col) == (line, 11)
    assert message.endswith("metadata has no key 'unt'; did you mean 'metadata.unit'?")
    _, errors = portfolio_rule("group_by: metadata.unit\nrequire:\n  cont: {max: 2}\n")
    [(ln, col, message)] = errors
    assert (ln, col) == (line + 2, 3)
    assert message.startswith("'cont' is not a group requirement; did you mean 'count'?")
    _, errors = portfolio_rule(
        "group_by: metadata.unit\nrequire:\n  distinct: {human_role.overight: {max: 1}}\n"
    )
    [(_, _, message)] = errors
    assert message.endswith("did you mean 'human_role.oversight'?")
    _, errors = portfolio_rule("group_by: metadata.unit\nrequire:\n  count: {maximum: 2}\n")
    [(_, _, message)] = errors
    assert message == "'maximum' is not a bound; use min or max; did you mean 'max'?"
    _, errors = portfolio_rule("group_by: metadata.unit\nrequire:\n  if: {count: {min: 2}}\n")
    [(_, _, message)] = errors
    assert message == "'if' needs a 'then': what must hold in the groups it selects"
    [(_, _, message)] = errors_of(
        "select: {risk.tier: {equals: high}}\nrequire:\n  risk.tier: {equals: high}\n"
    )
    assert message == "'select' is only for scope: portfolio; use 'when'"


def test_the_readme_condition_samples_load() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Writing a rule", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:]]
    samples = [b for b in blocks if b.startswith(("require:", "when:"))]
    assert len(samples) >= 6
    for sample in samples:
        make_rule(sample)


# -- the raw JSON Schema escape hatch is checked too ------------------------------------


def test_raw_schema_keys_are_checked_against_the_manifest_schema() -> None:
    errors = errors_of(
        "require:\n  schema:\n    properties:\n      human_role:\n        properties:\n"
        "          overight: {const: none}\n        required: [escalaton]\n"
    )
    line = HEADER_LINES + 2
    assert errors == [
        (
            line + 4,
            11,
            "human_role has no key 'overight' in the manifest schema, so this part of the "
            "schema would never be checked; did you mean 'oversight'?",
        ),
        (
            line + 5,
            20,
            "human_role has no key 'escalaton' in the manifest schema, so this part of the "
            "schema would never be checked; did you mean 'escalation'?",
        ),
    ]


def test_raw_schema_paths_follow_list_items_and_stop_at_extensions() -> None:
    [(_, _, message)] = errors_of(
        "require:\n  each: data.sources\n  require:\n    schema:\n"
        "      anyOf:\n        - properties: {retention: {const: P1Y}}\n"
        "        - properties: {lawful_bass: {const: consent}}\n"
    )
    assert message.startswith("data.sources has no key 'lawful_bass'")
    assert message.endswith("did you mean 'lawful_basis'?")
    [(_, _, message)] = errors_of(
        "require:\n  schema:\n    properties:\n      data:\n        properties:\n"
        "          sources: {contains: {properties: {nme: {const: x}}}}\n"
    )
    assert message.startswith("data.sources has no key 'nme'")
    make_rule(
        "require:\n  schema:\n    properties:\n      x-org:\n"
        "        properties: {anything: {const: 1}}\n      risk:\n"
        "        properties: {tier: {const: high}}\n"
    )


@pytest.mark.parametrize(
    ("op", "earlier", "same", "later"),
    [
        ("before", True, False, False),
        ("on_or_before", True, True, False),
        ("after", False, False, True),
        ("on_or_after", False, True, True),
        ("min", False, True, True),  # as numbers, below
        ("max", True, True, False),
    ],
)
def test_every_comparison_at_its_boundary(op: str, earlier: bool, same: bool, later: bool) -> None:
    numbers = op in ("min", "max")
    left, right = ("x-n.a", "x-n.b") if numbers else ("lifecycle.retirement", "lifecycle.go_live")
    rule = make_rule(f"require:\n  {left}: {{{op}: {{field: {right}}}}}\n")
    cases = (("2025-05-31", 0, earlier), ("2025-06-01", 1, same), ("2025-06-02", 2, later))
    for value, number, expected in cases:
        data = base()  # go_live: 2025-06-01
        if numbers:
            data["x-n"] = {"a": number, "b": 1}
        else:
            data["lifecycle"]["retirement"] = value
        assert both_engines(rule, data) is expected, (op, value)


# -- registry lookups ------------------------------------------------------------------------


def test_con_106_reports_every_initiative_naming_a_supplier_whose_approval_ended(
    govlint, tmp_path
) -> None:
    registry = EXAMPLE_REGISTRY.read_text(encoding="utf-8") + (
        "suppliers:\n"
        "  - {id: acme-ai, name: Acme AI, approved_until: 2026-05-31}\n"
        "  - {id: good-ai, name: Good AI, approved_until: 2027-05-31}\n"
    )
    (tmp_path / "organisation.yaml").write_text(registry, encoding="utf-8")
    text = EXAMPLE_BASE.read_text(encoding="utf-8").replace(
        "  in_house: true\n", "  in_house: false\n  supplier: SUPPLIER\n"
    )
    for ident, supplier in (("a", "acme-ai"), ("b", "acme-ai"), ("c", "good-ai")):
        (tmp_path / f"{ident}.yaml").write_text(
            text.replace("id: example-initiative", f"id: {ident}").replace("SUPPLIER", supplier),
            encoding="utf-8",
        )
    result = govlint("check", ".", "--no-cache", "--today", "2026-06-01")
    found = [line for line in result.lines if "CON-106" in line]
    supplier_line = text.splitlines().index("  supplier: SUPPLIER") + 1
    assert [line.split(" warning ")[0] for line in found] == [
        f"a.yaml:{supplier_line}:13:",
        f"b.yaml:{supplier_line}:13:",
    ]
    assert found[0].endswith(
        "Example initiative uses a model from supplier acme-ai, whose approval in the registry "
        "has ended; renew the supplier's approval (and its approved_until in the registry) "
        "with procurement, or move to an approved supplier"
    )
    registry_line = (
        registry.splitlines().index("  - {id: acme-ai, name: Acme AI, approved_until: 2026-05-31}")
        + 1
    )
    assert f"    see organisation.yaml:{registry_line}:10" in result.lines  # the entry id
    assert not any(
        "CON-106" in line
        for line in govlint("check", ".", "--no-cache", "--today", "2026-05-31").lines
    )


def test_registry_lookup_errors_have_positions_and_suggestions() -> None:
    line = HEADER_LINES + 2
    _, errors = portfolio_rule(
        "group_by: model.supplier\nrequire:\n  registry:\n    supplier: {name: {exists: true}}\n"
    )
    [(ln, col, message)] = errors
    assert (ln, col) == (line + 3, 5)
    assert message.startswith("'supplier' is not a registry section; did you mean 'suppliers'?")
    _, errors = portfolio_rule(
        "group_by: model.supplier\nrequire:\n  registry:\n"
        "    suppliers: {approved_util: {after: today}}\n"
    )
    [(ln, col, message)] = errors
    assert (ln, col) == (line + 3, 17)
    assert message.endswith("has no key 'approved_util'; did you mean 'approved_until'?")


def test_the_handbook_names_the_selected_packs_their_locks_and_dates(govlint, tmp_path) -> None:
    (tmp_path / ".govlint.yaml").write_text(
        "policies: [eu-ai-act]\nrules:\n  EXP-004: {applies_from: 2099-01-01}\n", encoding="utf-8"
    )
    text = govlint("docs").out
    assert "Selected by the policy packs `eu-ai-act`: the severity column" in text
    assert (
        "| [ETH-001](#eth-001) | No AI practice that the EU AI Act prohibits | error, locked by eu-ai-act |"
        in text
    )
    assert "| info until it applies from 2099-01-01 |" in text
    assert "default severity error, scope initiative, applies from 2099-01-01)" in text
    assert "| [CON-001](#con-001) " in text and "| not selected |" in text
