"""`govlint test`, `rules`, `explain` and `docs`: what a governance officer works with."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import README_RULE, REPO


def write_rule(folder: Path, text: str, name: str = "ORG-010-owner-has-email.yaml") -> Path:
    path = folder / "lifecycle" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_govlint_test_runs_every_builtin_rule_example(govlint) -> None:
    result = govlint("test", cwd=REPO)
    assert result.code == 0, result
    rules = len(list((REPO / "rules").rglob("*.yaml")))
    assert result.lines[-1].startswith(f"{rules} rules, ")
    assert result.lines[-1].endswith(" 0 failed")


def test_govlint_test_proves_an_organisation_rule(govlint, tmp_path: Path) -> None:
    write_rule(tmp_path / "org-rules", README_RULE)
    result = govlint("test", "org-rules")
    assert result.code == 0, result
    assert result.lines == ["1 rule, 2 examples: 2 passed, 0 failed"]


def test_govlint_test_reports_examples_that_behave_wrongly(govlint, tmp_path: Path) -> None:
    # the pass example is wrong: its email has no '@', so the rule reports it
    text = README_RULE.replace("ann@example.org}}", "ann.example.org}}")
    path = write_rule(tmp_path / "org-rules", text)
    result = govlint("test", "org-rules", "--junit", "report.xml")
    assert result.code == 1
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "ann.example.org" in s)
    assert result.lines[0] == (
        f"org-rules/lifecycle/{path.name}:{line}:7: ORG-010 pass example 1: expected no finding, "
        "got: Example initiative: add metadata.owner.email so the owner can be reached"
    )
    assert result.lines[-1] == "1 rule, 2 examples: 1 passed, 1 failed"
    suite = ET.parse(tmp_path / "report.xml").getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["pass example 1", "fail example 1"]
    assert cases[0].find("failure") is not None and cases[1].find("failure") is None


def test_govlint_test_rejects_an_example_that_is_not_a_valid_manifest(
    govlint, tmp_path: Path
) -> None:
    text = README_RULE.replace(
        "- metadata: {owner: {name: Ann, email: null}}", "- metadata: {owner: {nam: Ann}}"
    )
    write_rule(tmp_path / "org-rules", text)
    result = govlint("test", "org-rules")
    assert result.code == 1
    assert "fail example 1: not a valid manifest: unknown key 'nam' in metadata.owner" in result.out


def test_govlint_test_reports_rule_file_errors_with_exit_2(govlint, tmp_path: Path) -> None:
    write_rule(tmp_path / "org-rules", README_RULE.replace("{matches:", "{matchs:"))
    result = govlint("test", "org-rules")
    assert result.code == 2
    assert (
        "ORG-010-owner-has-email.yaml:7:26: error GL030 unknown operator 'matchs'; did you mean 'matches'?"
        in result.err
    )


def test_rules_lists_and_filters(govlint) -> None:
    everything = govlint("rules", cwd=REPO)
    assert everything.code == 0
    rows = [line.split() for line in everything.lines]
    assert {row[1] for row in rows} == {"error", "warning", "info"}  # something to filter
    result = govlint("rules", "--principle", "human-role", cwd=REPO)
    assert result.code == 0
    assert result.lines == [
        line for line, row in zip(everything.lines, rows, strict=True) if row[2] == "human-role"
    ]
    assert any(line.startswith("HUM-001 ") for line in result.lines)
    errors_only = govlint("rules", "--severity", "error", cwd=REPO)
    assert errors_only.code == 0
    expected = [line for line, row in zip(everything.lines, rows, strict=True) if row[1] == "error"]
    assert expected and errors_only.lines == expected


def test_explain_shows_rationale_remediation_references_and_examples(govlint) -> None:
    result = govlint("explain", "HUM-001", cwd=REPO)
    assert result.code == 0
    text = result.out
    for heading in ("Why it matters", "What to do", "What it checks", "References", "Examples"):
        assert heading in text
    assert "EU-AI-ACT-2024:Art.14" in text
    by_name = govlint("explain", "high-risk-needs-oversight", cwd=REPO)
    assert by_name.out == text
    unknown = govlint("explain", "HUM-01", cwd=REPO)
    assert unknown.code == 2
    assert "unknown rule 'HUM-01'; did you mean 'HUM-001'?" in unknown.err


def test_docs_generates_a_handbook_with_every_rule(govlint, tmp_path: Path) -> None:
    result = govlint("docs", "-o", str(tmp_path / "handbook.md"), cwd=REPO)
    assert result.code == 0, result
    text = (tmp_path / "handbook.md").read_text(encoding="utf-8")
    for path in (REPO / "rules").rglob("*.yaml"):
        rule_id = "-".join(path.name.split("-")[:2])
        assert f"### {rule_id}\n" in text
    assert "## The human role" in text
    again = govlint("docs", "-o", str(tmp_path / "handbook.md"), cwd=REPO)
    assert again.code == 2 and "already exists; pass --force" in again.err
    assert govlint("docs", "-o", str(tmp_path / "handbook.md"), "--force", cwd=REPO).code == 0


def test_committed_handbook_is_up_to_date(govlint) -> None:
    generated = govlint("docs", cwd=REPO).out
    assert (REPO / "docs" / "handbook.md").read_text(encoding="utf-8") == generated, (
        "docs/handbook.md is stale: run 'govlint docs -o docs/handbook.md --force'"
    )
