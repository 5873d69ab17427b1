"""Truthful findings: a rule says nothing about a value that is missing where required or
invalid (the schema finding already did), and no message claims a value that is not there.

The audit takes every built-in per-manifest rule, each of its failing examples, and each
path the rule reads, then removes or breaks the value there and checks what comes out.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from typing import Any

import pytest
from conftest import REPO, base_manifest, with_registry

from govlint.coverage import field_of
from govlint.engine.evaluate import FAIL, NOT_ASSESSABLE, PASS, assess
from govlint.engine.rules import Rule, compile_rule, load_rules
from govlint.engine.ruletest import example_base, merge
from govlint.load import Document, load_text
from govlint.validate import check_document

TODAY = dt.date(2026, 11, 30)
SCHEMA_CODES = {"GL010", "GL011", "GL012"}
#: what a value that is not there renders as; it must never stand in a claim
PLACEHOLDER_LEFTOVERS = re.compile(r"\(not set\)|\bNone\b|\{[a-z_.]+\}")


def builtin_rules() -> list[Rule]:
    ruleset = load_rules([(REPO / "rules", "rules")], TODAY)
    assert not ruleset.errors
    return [r for r in ruleset.rules.values() if r.spec.scope == "initiative"]


RULES = builtin_rules()


def _navigate(data: Any, path: tuple[str, ...]) -> tuple[Any, str] | None:
    """The mapping that holds the last key of ``path`` (first item of each list on the way)."""
    node = data
    for part in path[:-1]:
        if isinstance(node, dict):
            node = node.get(part)
        if isinstance(node, list):
            node = node[0] if node else None
        if not isinstance(node, dict):
            return None
    return node, path[-1]


def _wrong_type(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return "oops"
    if isinstance(value, str):
        return {"oops": 1}
    return "oops"


def variants(data: dict[str, Any], path: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for how in ("removed", "broken"):
        copy_ = copy.deepcopy(data)
        place = _navigate(copy_, path)
        if place is None:
            continue
        holder, key = place
        if how == "removed":
            if key not in holder:
                continue
            del holder[key]
        else:
            holder[key] = _wrong_type(holder.get(key))
        out.append((how, copy_))
    return out


def cases() -> list[Any]:
    params = []
    for rule in RULES:
        for i, fragment in enumerate(rule.spec.examples.fail):
            data = merge(example_base(), fragment)
            for read in rule.reads:
                for how, changed in variants(data, read.path):
                    name = f"{rule.id}-fail{i}-{'.'.join(read.path)}-{how}"
                    params.append(pytest.param(rule, changed, read.path, id=name))
    return params


def _related(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


@pytest.mark.parametrize(("rule", "data", "path"), cases())
def test_a_missing_or_broken_value_gives_no_false_claim(
    rule: Rule, data: dict[str, Any], path: tuple[str, ...]
) -> None:
    doc = Document("m.yaml", 0, data, {}, {})
    checked = check_document(doc)
    verdict = assess(rule, doc, checked.broken)
    schema_paths = [
        field_of(tuple(p for p in re.split(r"[.\[\]]+", f.path) if p and not p.isdigit()))
        for f in checked.findings
        if f.rule_id in SCHEMA_CODES
    ]
    if any(_related(p, path) for p in schema_paths):
        # one problem, one finding: the schema finding says it, the rule is not assessable
        assert verdict.outcome == NOT_ASSESSABLE, [f.message for f in verdict.findings]
        assert not verdict.findings
    for finding in verdict.findings:
        assert not PLACEHOLDER_LEFTOVERS.search(finding.message), finding.message


def test_the_audit_covers_every_rule_and_both_kinds_of_damage() -> None:
    covered = {p.values[0].id for p in cases()}
    with_examples = {r.id for r in RULES if r.spec.examples.fail}
    assert covered == with_examples
    assert len(cases()) > 5 * len(RULES)


# --- ETH-001: a missing tier is one GL012, never "classified as prohibited" ----------


def manifest(**changes: Any) -> Document:
    data = merge(example_base(), changes)
    return Document("m.yaml", 0, data, {}, {})


ETH_001 = next(r for r in RULES if r.id == "ETH-001")


def test_eth_001_fires_only_on_a_prohibited_tier() -> None:
    prohibited = manifest(risk={"tier": "prohibited"})
    verdict = assess(ETH_001, prohibited, check_document(prohibited).broken)
    assert verdict.outcome == FAIL
    for tier in ("high", "limited", "minimal"):
        doc = manifest(risk={"tier": tier})
        assert assess(ETH_001, doc, check_document(doc).broken).outcome == PASS


def test_eth_001_on_a_manifest_without_tier_is_not_assessable() -> None:
    doc = manifest(risk=None)
    checked = check_document(doc)
    assert [f.rule_id for f in checked.findings] == ["GL012"]
    assert "'risk'" in checked.findings[0].message
    verdict = assess(ETH_001, doc, checked.broken)
    assert verdict.outcome == NOT_ASSESSABLE
    assert verdict.blocked_by == (("risk",),)


# --- the same through the command line, on real files --------------------------------

THIN = """\
apiVersion: govlint/v1
kind: Initiative
metadata:
  id: anonymisation-tool
  name: Anonymisation tool
  unit: operations
purpose:
  summary: Removes personal data from documents before publication.
lifecycle:
  status: production
"""


def test_a_thin_manifest_gets_schema_findings_once_and_one_not_assessable_line(
    govlint, tmp_path
) -> None:
    with_registry(tmp_path)
    (tmp_path / "thin.yaml").write_text(THIN, encoding="utf-8")
    result = govlint("check", "--no-cache", "--today", "2026-11-30", "thin.yaml")
    assert result.code == 1, result
    codes = [
        line.split()[2]
        for line in result.lines
        if re.match(r"thin\.yaml:\d+:\d+: (error|warning|info) ", line)
    ]
    # the three missing required values, each once
    assert codes.count("GL012") == 3, result
    missing = {line.split("'")[1] for line in result.lines if " GL012 " in line}
    assert missing == {"risk", "owner", "horizon"}
    # no rule repeats them or builds on them
    for rule_id in ("ETH-001", "HUM-007", "ETH-013"):
        assert rule_id not in codes, result
    assert "prohibited" not in result.out
    assert "(not set)" not in result.out
    blocked = [line for line in result.lines if ": not assessable: " in line]
    assert len(blocked) == 1, result
    assert blocked[0].startswith("thin.yaml:1:1: not assessable: ")
    assert (
        "risk" in blocked[0] and "metadata.owner" in blocked[0] and "purpose.horizon" in blocked[0]
    )
    assert "ETH-001" in blocked[0]
    summary = result.lines[-1]
    assert "1 manifest not assessable on" in summary, summary


def test_an_invalid_value_is_reported_once(govlint, tmp_path) -> None:
    with_registry(tmp_path)
    text = base_manifest()
    cases_ = {
        # a DPIA without status: GL012, not "(not set) is marked completed"
        "assessment.yaml": (
            text.replace("      status: not-required\n", ""),
            {"ETH-015", "ETH-016"},
        ),
        # a string where a list belongs: GL011, not "include operators in the audience"
        "audience.yaml": (
            text.replace("audience: [operators, affected-people]", "audience: operators").replace(
                "tier: minimal", "tier: high\n  annex_iii_area: law-enforcement"
            ),
            {"EXP-007", "EXP-008"},
        ),
        # a string where a list belongs: GL011, not "does not say which goal it serves"
        "goals.yaml": (
            text.replace(
                "strategic_goals: [proactive-public-space]", "strategic_goals: fair-benefits"
            ),
            {"CON-001", "CON-002"},
        ),
    }
    for name, (body, false_claims) in cases_.items():
        assert body != text, name
        (tmp_path / name).write_text(body, encoding="utf-8")
        result = govlint("check", "--no-cache", "--today", "2026-11-30", name)
        codes = [
            line.split()[2] for line in result.lines if re.match(rf"{name}:\d+:\d+: \w+ ", line)
        ]
        assert len([c for c in codes if c in SCHEMA_CODES]) == 1, result
        assert not false_claims & set(codes), result
        assert "(not set)" not in result.out, result


def test_coverage_in_json_counts_passed_failed_and_not_assessable(govlint, tmp_path) -> None:
    with_registry(tmp_path)
    (tmp_path / "thin.yaml").write_text(THIN, encoding="utf-8")
    (tmp_path / "full.yaml").write_text(
        base_manifest().replace("example-initiative", "full-one"), encoding="utf-8"
    )
    result = govlint(
        "check", "--no-cache", "--today", "2026-11-30", "--format", "json", "thin.yaml", "full.yaml"
    )
    doc = json.loads(result.out)
    coverage = doc["coverage"]
    assert coverage["manifests"] == 2
    per_rule = coverage["rules"]
    eth = per_rule["ETH-001"]
    assert (eth["passed"], eth["failed"], eth["not_assessable"]) == (1, 0, 1)
    for rule_id, counts in per_rule.items():
        assert counts["passed"] + counts["failed"] + counts["not_assessable"] == 2, rule_id
    [blocked] = coverage["not_assessable"]
    assert blocked["file"] == "thin.yaml"
    assert "risk" in blocked["fields"]
    assert "ETH-001" in blocked["rules"]
    # the document still matches its published schema (checked with jsonschema)
    from jsonschema import Draft202012Validator

    schema = json.loads((REPO / "govlint/report/schemas/findings-v1.schema.json").read_text())
    Draft202012Validator(schema).validate(doc)


def test_an_absent_optional_value_is_a_fact() -> None:
    """HUM-001 still fires when a high-risk system declares no oversight at all."""
    hum = next(r for r in RULES if r.id == "HUM-001")
    doc = manifest(risk={"tier": "high", "annex_iii_area": "law-enforcement"}, human_role=None)
    checked = check_document(doc)
    assert not checked.findings
    verdict = assess(hum, doc, checked.broken)
    assert verdict.outcome == FAIL


def test_if_present_is_written_with_not() -> None:
    """The README's idiom for 'if present, must not be X'."""
    text = """\
id: TST-001
name: not-in-the-last-century
title: If a retirement date is set, it is not in 1999
principle: lifecycle
severity: warning
require:
  not: {lifecycle.retirement: {before: 2000-01-01}}
message: "{metadata.name} retired in the last century"
rationale: test
remediation: test
references: [{id: "TEST:1", title: test}]
examples:
  pass: [{lifecycle: {status: production}}]
  fail: [{lifecycle: {status: retired, retirement: 1999-05-01}}]
"""
    rule, errors = compile_rule(load_text(text, "r.yaml").documents[0], TODAY)
    assert rule is not None, errors
    absent = manifest(lifecycle={"status": "production"})
    assert assess(rule, absent, check_document(absent).broken).outcome == PASS
    old = manifest(lifecycle={"status": "retired", "retirement": "1999-05-01"})
    assert assess(rule, old, check_document(old).broken).outcome == FAIL


# --- the board report: "not assessable", never 100 % -----------------------------------


def thin_portfolio(folder) -> None:
    """Unit 'operations' holds only thin manifests (no tier, no horizon, no owner); unit
    'hr' a complete one."""
    with_registry(folder)
    (folder / "initiatives").mkdir()
    for i in range(3):
        (folder / "initiatives" / f"thin-{i}.yaml").write_text(
            THIN.replace("anonymisation-tool", f"thin-{i}"), encoding="utf-8"
        )
    (folder / "initiatives" / "full.yaml").write_text(
        base_manifest()
        .replace("example-initiative", "full-one")
        .replace("unit: operations", "unit: hr"),
        encoding="utf-8",
    )


def test_board_report_shows_not_assessable_instead_of_a_share(govlint, tmp_path) -> None:
    thin_portfolio(tmp_path)
    result = govlint(
        "report", "--today", "2026-11-30", "--format", "json", "initiatives", "registry.yaml"
    )
    report = json.loads(result.out)
    rows = {row["unit"]: row for row in report["compliance"]["units"]}
    thin = rows["operations"]
    principles = report["compliance"]["principles"]
    # the unit whose manifests lack tier and status-dependent facts: no principle judged as
    # compliant on the strength of rules that never ran
    for cell in thin["cells"]:
        if cell["principle"] in ("ethics", "explainability", "human-role"):
            assert cell["share"] is None, cell
            assert cell["compliant"] == []
            assert len(cell["not_assessable"]) == 3, cell
    assert any(c["principle"] == "ethics" for c in thin["cells"]), principles
    full = rows["hr"]
    assert all(c["not_assessable"] == [] for c in full["cells"]), full
    for initiative in report["initiatives"]:
        if initiative["key"].startswith("thin-"):
            assert "ETH-001" in initiative["not_assessable"]

    markdown = govlint(
        "report", "--today", "2026-11-30", "--format", "markdown", "initiatives", "registry.yaml"
    )
    assert "not assessable" in markdown.out
    assert "3 of 4 initiatives could not be assessed on every principle" in markdown.out


def test_board_report_html_and_markdown_count_the_same_not_assessable(govlint, tmp_path) -> None:
    thin_portfolio(tmp_path)
    sentence = "3 of 4 initiatives could not be assessed on every principle"
    for fmt in ("html", "markdown"):
        result = govlint(
            "report", "--today", "2026-11-30", "--format", fmt, "initiatives", "registry.yaml"
        )
        assert result.code == 0, result
        assert sentence in result.out, fmt


def test_board_report_in_a_browser_shows_not_assessable(govlint, tmp_path) -> None:
    from test_board_report import _browser, open_page

    sync_api = _browser()
    thin_portfolio(tmp_path)
    page_file = tmp_path / "report.html"
    result = govlint(
        "report", "--today", "2026-11-30", "-o", str(page_file), "initiatives", "registry.yaml"
    )
    assert result.code == 0, result
    events: dict[str, list[str]] = {"console": [], "failed": [], "requests": [], "dialogs": []}
    with open_page(sync_api, page_file, events) as page:
        cell = page.locator('[data-metric="compliance-operations-ethics"]')
        assert cell.inner_text().strip() == "not assessable"
        assert cell.get_attribute("data-not-assessable") == "3"
        assert "100%" not in cell.inner_text()
        hr = page.locator('[data-metric="compliance-hr-ethics"]').inner_text()
        assert "%" in hr
    assert events["console"] == []


def test_readme_thin_manifest_sample_comes_from_a_real_run(govlint, tmp_path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Pass, fail or not assessable", 1)[1]
    manifest_text = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    with_registry(tmp_path)
    (tmp_path / "thin.yaml").write_text(manifest_text, encoding="utf-8")
    result = govlint("check", "thin.yaml", "--today", "2026-11-30")
    lines = result.out.splitlines()
    for line in shown:
        if line != "...":
            assert line in lines, line
    assert shown[-1] == lines[-1]


def test_coverage_in_sarif_is_valid_sarif(govlint, tmp_path) -> None:
    from jsonschema import Draft7Validator

    with_registry(tmp_path)
    (tmp_path / "thin.yaml").write_text(THIN, encoding="utf-8")
    result = govlint(
        "check", "--no-cache", "--today", "2026-11-30", "--format", "sarif", "thin.yaml"
    )
    log = json.loads(result.out)
    schema = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    Draft7Validator(schema).validate(log)
    run = log["runs"][0]
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "note"
    assert note["descriptor"]["id"] == "not-assessable"
    where = note["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "thin.yaml"
    assert "ETH-001" in note["properties"]["rules"]
    coverage = run["properties"]["coverage"]
    assert coverage["manifests"] == 1
    assert coverage["rules"]["ETH-001"] == {"passed": 0, "failed": 0, "not_assessable": 1}
    # the rules that failed are results; nothing about ETH-001 is
    assert all(r["ruleId"] != "ETH-001" for r in run["results"])


def test_field_comparisons_judge_a_month_as_the_whole_month() -> None:
    """go_live may be a month (imported registers); a rule comparing it with a day holds only
    when the whole month does (LIF-011: the retirement is after go-live)."""
    ruleset = load_rules([(REPO / "rules", "rules")], TODAY)
    rule = ruleset.rules["LIF-011"]
    cases = {
        ("2023-05", "2023-06-01"): PASS,  # all of May is before June 1st
        ("2023-05", "2023-05-20"): FAIL,  # go-live may be after the 20th
        ("2023-05-02", "2023-05-20"): PASS,
    }
    for (go_live, retirement), expected in cases.items():
        doc = manifest(
            lifecycle={"status": "retired", "go_live": go_live, "retirement": retirement}
        )
        checked = check_document(doc)
        assert not checked.findings, checked.findings
        assert assess(rule, doc, checked.broken).outcome == expected, (go_live, retirement)
