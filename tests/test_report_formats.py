"""The output formats of `govlint check` as CI reads them: SARIF, JSON, JUnit, GitHub, GitLab,
Markdown. Every run checks real files with the organisation's own rules, so the expected
messages and positions follow from the rule files and manifests written here."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import REPO, base_manifest, with_registry

from govlint import __version__
from govlint.findings import Finding, Location, Severity, Span, Suppression
from govlint.report import FORMATS, Report, renderer

SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"  # see tests/data/README.md
FINDINGS_SCHEMA = REPO / "govlint" / "report" / "schemas" / "findings-v1.schema.json"
TODAY = "2026-06-01"

RULES = {
    "ORG-001": """\
id: ORG-001
name: names-escalation
title: Operators know whom to call
principle: human-role
severity: error
require:
  human_role.escalation: {exists: true}
message: "{metadata.name}: name an escalation contact"
rationale: Doubt needs an address.
remediation: Write the contact under human_role.escalation.
references:
  - id: EU-AI-ACT-2024:Art.14
    title: Human oversight
    url: https://eur-lex.europa.eu/eli/reg/2024/1689/oj
  - id: NIST-AI-RMF-1.0:MANAGE-2.4
examples:
  pass: [{}]
  fail: [{human_role: {escalation: null}}]
""",
    "ORG-002": """\
id: ORG-002
name: owner-role
title: The owner is not a product owner
principle: lifecycle
severity: warning
require:
  metadata.owner.role: {not_equals: Product owner}
message: "{metadata.name}: owner role is {value}"
rationale: Accountability sits with the line.
remediation: Make a line manager the owner.
references:
  - id: GDPR-2016:Art.24
examples:
  pass: [{metadata: {owner: {role: Head of operations}}}]
  fail: [{}]
""",
    "ORG-003": """\
id: ORG-003
name: optimise-first
title: Start by optimising
principle: contribution
severity: info
require:
  purpose.horizon: {equals: optimise}
message: "{metadata.name}: horizon is {value}"
rationale: Small steps first.
remediation: Set purpose.horizon to optimise.
references:
  - id: EU-AI-ACT-2024:Art.9
  - id: NL-AK:urn:nl:ak:mtr:owp-10
examples:
  pass: [{purpose: {horizon: optimise}}]
  fail: [{}]
""",
}
PACK = "apiVersion: govlint/v1\nkind: Policy\nname: org\ninclude: {rules: [ORG-001, ORG-002, ORG-003]}\n"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


@dataclass(frozen=True)
class Expected:
    rule: str
    severity: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int


def org(folder: Path) -> None:
    """A portfolio folder whose checks are exactly the three rules above."""
    with_registry(folder, "rule_paths: [rules]\npolicies: [pack.yaml]\n")
    (folder / "pack.yaml").write_text(PACK, encoding="utf-8")
    (folder / "rules").mkdir()
    for rule_id, text in RULES.items():
        (folder / "rules" / f"{rule_id}.yaml").write_text(text, encoding="utf-8")


def manifest(
    name_yaml: str = "Example initiative", initiative_id: str = "example-initiative"
) -> str:
    """The base manifest without an escalation contact: all three rules fire on it."""
    text = base_manifest()
    for old, new in (
        ("  escalation: Head of public-space operations\n", ""),
        ("  name: Example initiative\n", f"  name: {name_yaml}\n"),
        ("  id: example-initiative\n", f"  id: {initiative_id}\n"),
    ):
        assert old in text
        text = text.replace(old, new)
    return text


def clean_manifest(initiative_id: str) -> str:
    text = base_manifest().replace("role: Product owner", "role: Head of operations")
    text = text.replace("horizon: redesign", "horizon: optimise")
    return text.replace("  id: example-initiative\n", f"  id: {initiative_id}\n")


def position_of(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first occurrence of ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in text")


def expected(text: str, name: str = "Example initiative") -> list[Expected]:
    """The findings of the three rules on ``manifest()``, in file order.

    A missing key is reported at the key of its parent mapping; a wrong value at the value."""
    role_line, role_col = position_of(text, "role: Product owner")
    role_col += len("role: ")
    horizon_line, horizon_col = position_of(text, "horizon: redesign")
    horizon_col += len("horizon: ")
    human_line, human_col = position_of(text, "human_role:")
    return [
        Expected(
            "ORG-002",
            "warning",
            f"{name}: owner role is Product owner",
            role_line,
            role_col,
            role_line,
            role_col + len("Product owner"),
        ),
        Expected(
            "ORG-003",
            "info",
            f"{name}: horizon is redesign",
            horizon_line,
            horizon_col,
            horizon_line,
            horizon_col + len("redesign"),
        ),
        Expected(
            "ORG-001",
            "error",
            f"{name}: name an escalation contact",
            human_line,
            human_col,
            human_line,
            human_col + len("human_role"),
        ),
    ]


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def validate_sarif(document: Any) -> None:
    schema = load_json(SARIF_SCHEMA)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def validate_findings(document: Any) -> None:
    schema = load_json(FINDINGS_SCHEMA)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_every_format_is_registered() -> None:
    assert {"text", "json", "sarif", "junit", "github", "gitlab", "markdown"} <= set(FORMATS)


# --- SARIF -------------------------------------------------------------------------------


def test_sarif_validates_and_describes_rules_results_and_taxonomies(govlint, tmp_path: Path):
    org(tmp_path)
    text = manifest()
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result = govlint("check", "m.yaml", "--today", TODAY, "--format", "sarif", "-o", "r.sarif")
    assert result.code == 1, result
    assert result.out == ""
    sarif = load_json(tmp_path / "r.sarif")
    validate_sarif(sarif)
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "govlint"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")

    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["ORG-001", "ORG-002", "ORG-003"]
    first = rules[0]
    assert first["name"] == "names-escalation"
    assert first["shortDescription"] == {"text": "Operators know whom to call"}
    assert first["fullDescription"] == {"text": "Doubt needs an address."}
    for kind in ("text", "markdown"):
        assert "Doubt needs an address." in first["help"][kind]
        assert "Write the contact under human_role.escalation." in first["help"][kind]
    assert first["helpUri"] == "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"
    assert "helpUri" not in rules[1]  # ORG-002's reference has no url
    assert [r["defaultConfiguration"]["level"] for r in rules] == ["error", "warning", "note"]
    assert [r["properties"]["tags"] for r in rules] == [
        ["human-role"],
        ["lifecycle"],
        ["contribution"],
    ]

    # one taxonomy per framework prefix, one taxon per reference, linked from the rules
    taxonomies = run["taxonomies"]
    assert [t["name"] for t in taxonomies] == [
        "EU-AI-ACT-2024",
        "GDPR-2016",
        "NIST-AI-RMF-1.0",
        "NL-AK",
    ]
    taxa = {t["name"]: [x["id"] for x in t["taxa"]] for t in taxonomies}
    assert taxa == {
        "EU-AI-ACT-2024": ["Art.14", "Art.9"],
        "GDPR-2016": ["Art.24"],
        "NIST-AI-RMF-1.0": ["MANAGE-2.4"],
        "NL-AK": ["urn:nl:ak:mtr:owp-10"],
    }
    eu = taxonomies[0]
    assert eu["version"] == "2024"
    art14 = eu["taxa"][0]
    assert art14["shortDescription"] == {"text": "Human oversight"}
    assert art14["helpUri"] == "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"
    assert [t["name"] for t in driver["supportedTaxonomies"]] == [t["name"] for t in taxonomies]

    def linked(rule: dict[str, Any]) -> set[tuple[str, str]]:
        out = set()
        for relationship in rule["relationships"]:
            target = relationship["target"]
            taxonomy = taxonomies[target["toolComponent"]["index"]]
            assert taxonomy["name"] == target["toolComponent"]["name"]
            assert taxonomy["taxa"][target["index"]]["id"] == target["id"]
            out.add((taxonomy["name"], target["id"]))
        return out

    assert linked(rules[0]) == {("EU-AI-ACT-2024", "Art.14"), ("NIST-AI-RMF-1.0", "MANAGE-2.4")}
    assert linked(rules[1]) == {("GDPR-2016", "Art.24")}
    assert linked(rules[2]) == {("EU-AI-ACT-2024", "Art.9"), ("NL-AK", "urn:nl:ak:mtr:owp-10")}

    results = run["results"]
    assert len(results) == 3
    for want, got in zip(expected(text), results, strict=True):
        assert got["ruleId"] == want.rule
        assert rules[got["ruleIndex"]]["id"] == want.rule
        assert got["level"] == LEVELS[want.severity]
        assert got["message"] == {"text": want.message}
        (location,) = got["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "m.yaml", "uriBaseId": "%SRCROOT%"}
        assert physical["region"] == {
            "startLine": want.line,
            "startColumn": want.column,
            "endLine": want.end_line,
            "endColumn": want.end_column,
        }
        assert "suppressions" not in got
        assert "relatedLocations" not in got
    assert results[0]["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "metadata.owner.role"}
    ]
    prints = [r["partialFingerprints"]["govlintFinding/v1"] for r in results]
    assert all(re.fullmatch(r"[0-9a-f]{32}", p) for p in prints)
    assert len(set(prints)) == 3


def test_sarif_related_locations_and_diagnostics_on_the_examples(govlint, examples: Path):
    broken = "apiVersion: govlint/v1\nkind: Initiative\n  name: x\n"
    (examples / "initiatives" / "broken.yaml").write_text(broken, encoding="utf-8")
    result = govlint(
        "check", "examples", "--today", TODAY, "--format", "sarif", "-o", "out/r.sarif",
        cwd=examples.parent,
    )  # fmt: skip
    assert result.code == 2, result  # the broken file
    sarif = load_json(examples.parent / "out" / "r.sarif")
    validate_sarif(sarif)
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]

    # the GL diagnostic is a rule too, with its help
    gl001 = next(r for r in rules if r["id"] == "GL001")
    assert gl001["helpUri"].endswith("#built-in-diagnostics-gl")
    assert gl001["shortDescription"]["text"]
    (error,) = [r for r in run["results"] if r["ruleId"] == "GL001"]
    assert error["level"] == "error"
    physical = error["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "examples/initiatives/broken.yaml"
    # the parser stops at the ':' after the over-indented 'name' on line 3
    assert physical["region"]["startLine"] == 3
    assert physical["region"]["startColumn"] == 7

    # a duplicate capability points at the other initiative
    chat = "examples/initiatives/customer-service-chatbot.yaml"
    hr = "examples/initiatives/hr-questions-bot.yaml"
    needle = "provides: [intent-recognition]"
    chat_line, chat_col = position_of((examples.parent / chat).read_text(), needle)
    hr_line, hr_col = position_of((examples.parent / hr).read_text(), needle)
    offset = len("provides: [")
    (duplicate,) = [
        r
        for r in run["results"]
        if r["ruleId"] == "CON-103"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == chat
    ]
    region = duplicate["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (chat_line, chat_col + offset)
    (related,) = duplicate["relatedLocations"]
    assert related["id"] == 1
    assert related["physicalLocation"]["artifactLocation"] == {"uri": hr, "uriBaseId": "%SRCROOT%"}
    assert related["physicalLocation"]["region"] == {
        "startLine": hr_line,
        "startColumn": hr_col + offset,
        "endLine": hr_line,
        "endColumn": hr_col + offset + len("intent-recognition"),
    }
    assert related["message"]["text"].startswith(f"{hr}:{hr_line}:{hr_col + offset}")


def test_fingerprints_do_not_depend_on_line_numbers(govlint, tmp_path: Path):
    org(tmp_path)
    text = manifest()
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    args = ("check", "m.yaml", "--today", TODAY, "--format", "sarif", "-o", "a.sarif")
    govlint(*args, "--format", "gitlab", "-o", "a.json")
    (tmp_path / "m.yaml").write_text("# a comment\n# and another\n" + text, encoding="utf-8")
    govlint(*args[:-1], "b.sarif", "--format", "gitlab", "-o", "b.json")

    def sarif_prints(name: str) -> list[tuple[str, int, str]]:
        results = load_json(tmp_path / name)["runs"][0]["results"]
        return [
            (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["partialFingerprints"]["govlintFinding/v1"],
            )
            for r in results
        ]

    before, after = sarif_prints("a.sarif"), sarif_prints("b.sarif")
    assert [(rule, line + 2) for rule, line, _ in before] == [(r, line) for r, line, _ in after]
    assert [fp for *_, fp in before] == [fp for *_, fp in after]
    # GitLab uses the same identity
    assert [i["fingerprint"] for i in load_json(tmp_path / "a.json")] == [fp for *_, fp in before]
    assert [i["fingerprint"] for i in load_json(tmp_path / "b.json")] == [fp for *_, fp in before]


# --- JSON --------------------------------------------------------------------------------


WAIVER = """\
waivers:
  - rule: ORG-002
    reason: The owner changes in Q3.
    approved_by: Governance office
    ticket: GOV-7
    expires: 2099-01-31
"""


def test_json_validates_against_its_published_schema(govlint, tmp_path: Path):
    org(tmp_path)
    plain = manifest()
    waived = manifest(initiative_id="waived-initiative") + WAIVER
    (tmp_path / "a.yaml").write_text(plain, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(waived, encoding="utf-8")
    result = govlint(
        "check", "a.yaml", "b.yaml", "--today", TODAY, "--format", "json", "-o", "r.json"
    )
    assert result.code == 1, result
    report = load_json(tmp_path / "r.json")
    validate_findings(report)
    assert report["version"] == 1
    assert report["tool"] == {"name": "govlint", "version": __version__}
    assert report["today"] == TODAY
    assert report["summary"] == {
        "files": 2,
        "files_with_findings": 2,
        "findings": 5,  # 3 in a.yaml, 2 in b.yaml: its ORG-002 is waived
        "by_severity": {"error": 2, "warning": 1, "info": 2},
        "suppressed": 1,
        "fail_on": "error",
    }
    want = [(f, "a.yaml") for f in expected(plain)] + [(f, "b.yaml") for f in expected(waived)]
    got = report["findings"]
    assert [(f["file"], f["rule_id"]) for f in got] == [(file, w.rule) for w, file in want]
    for (w, _), f in zip(want, got, strict=True):
        assert f["severity"] == w.severity
        assert f["message"] == w.message
        assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (
            w.line,
            w.column,
            w.end_line,
            w.end_column,
        )
        assert f["related"] == []
    assert got[0]["path"] == "metadata.owner.role"
    assert got[2]["help_uri"] == "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"
    assert got[1]["help_uri"] is None
    assert [f["suppression"] is not None for f in got] == [False] * 3 + [True, False, False]
    waiver_line, waiver_col = position_of(waived, "rule: ORG-002")
    assert got[3]["suppression"] == {
        "kind": "waiver",
        "justification": "The owner changes in Q3.",
        "approved_by": "Governance office",
        "expires": "2099-01-31",
        "ticket": "GOV-7",
        "location": {
            "file": "b.yaml",
            "line": waiver_line,
            "column": waiver_col,
            "end_line": waiver_line,
            "end_column": waiver_col,
            "path": "waivers[0]",
        },
    }


def test_json_schema_ships_with_the_package() -> None:
    from govlint.report.json import SCHEMA

    assert SCHEMA.is_file()
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


# --- JUnit -------------------------------------------------------------------------------


def test_junit_one_suite_per_file_one_case_per_rule(govlint, tmp_path: Path):
    org(tmp_path)
    text = manifest()
    (tmp_path / "init").mkdir()
    (tmp_path / "init" / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "init" / "clean.yaml").write_text(clean_manifest("clean"), encoding="utf-8")
    result = govlint("check", "init", "--today", TODAY, "--format", "junit", "-o", "junit.xml")
    assert result.code == 1, result
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "3", "0")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["init/a.yaml", "init/clean.yaml"]
    failing, clean = suites
    assert (failing.get("tests"), failing.get("failures")) == ("3", "3")
    cases = failing.findall("testcase")
    want = sorted(expected(text), key=lambda e: e.rule)
    assert [c.get("name") for c in cases] == [w.rule for w in want]
    for case, w in zip(cases, want, strict=True):
        assert case.get("classname") == "init.a"
        assert case.get("file") == "init/a.yaml"
        assert case.get("line") == str(w.line)
        (failure,) = case.findall("failure")
        assert failure.get("type") == w.severity
        assert failure.get("message") == w.message
        assert failure.text == f"{w.line}:{w.column}: {w.severity} {w.rule} {w.message}"
    assert (clean.get("tests"), clean.get("failures")) == ("1", "0")
    (passed,) = clean.findall("testcase")
    assert passed.get("name") == "govlint"
    assert passed.get("file") == "init/clean.yaml"
    assert passed.find("failure") is None


# --- GitHub ------------------------------------------------------------------------------


def test_github_annotations(govlint, tmp_path: Path):
    org(tmp_path)
    text = manifest()
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result = govlint("check", "m.yaml", "--today", TODAY, "--format", "github")
    assert result.code == 1, result
    command = {"error": "error", "warning": "warning", "info": "notice"}
    assert result.out.splitlines() == [
        f"::{command[w.severity]} file=m.yaml,line={w.line},col={w.column},"
        f"endLine={w.end_line},endColumn={w.end_column},title={w.rule}::{w.message}"
        for w in expected(text)
    ]


def test_github_annotations_cannot_be_injected(govlint, tmp_path: Path):
    org(tmp_path)
    # YAML turns \n into a newline: the name tries to start a command of its own
    name = "100% sure, a:b\n::error::pwned"
    text = manifest(name_yaml='"100% sure, a:b\\n::error::pwned"')
    (tmp_path / "a,b:c%.yaml").write_text(text, encoding="utf-8")
    result = govlint("check", "a,b:c%.yaml", "--today", TODAY, "--format", "github")
    assert result.code == 1, result
    lines = result.out.splitlines()
    assert len(lines) == 3  # one per finding: no line of the manifest's own
    assert not any(line.startswith("::error::") for line in lines)
    error = expected(text, name)[2]
    assert lines[2] == (
        f"::error file=a%2Cb%3Ac%25.yaml,line={error.line},col={error.column},"
        f"endLine={error.end_line},endColumn={error.end_column},title=ORG-001::"
        "100%25 sure, a:b%0A::error::pwned: name an escalation contact"
    )


# --- GitLab ------------------------------------------------------------------------------


def test_gitlab_code_quality(govlint, tmp_path: Path):
    org(tmp_path)
    text = manifest()
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result = govlint("check", "m.yaml", "--today", TODAY, "--format", "gitlab", "-o", "cq.json")
    assert result.code == 1, result
    issues = load_json(tmp_path / "cq.json")
    severity = {"error": "major", "warning": "minor", "info": "info"}
    assert [{k: v for k, v in i.items() if k != "fingerprint"} for i in issues] == [
        {
            "description": w.message,
            "check_name": w.rule,
            "severity": severity[w.severity],
            "location": {"path": "m.yaml", "lines": {"begin": w.line, "end": w.end_line}},
        }
        for w in expected(text)
    ]
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == 3
    assert all(re.fullmatch(r"[0-9a-f]{32}", p) for p in prints)


# --- Markdown ----------------------------------------------------------------------------


def test_markdown_summary_escapes_manifest_text(govlint, tmp_path: Path):
    org(tmp_path)
    name = "Chat | bot <script>alert(1)</script> `rm` *now*"
    text = manifest(name_yaml=f"'{name}'")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    waived = manifest(initiative_id="waived") + WAIVER
    (tmp_path / "w.yaml").write_text(waived, encoding="utf-8")
    result = govlint("check", "m.yaml", "w.yaml", "--today", TODAY, "--format", "markdown")
    assert result.code == 1, result
    out = result.out
    assert "<script>" not in out
    assert "Found 5 problems (2 errors, 1 warning, 2 infos) in 2 of 2 files." in out
    assert "1 waived, 0 in the baseline" in out
    safe_name = r"Chat \| bot &lt;script&gt;alert(1)&lt;/script&gt; \`rm\` \*now\*"
    rows = [line for line in out.splitlines() if line.startswith("| m.yaml:")]
    assert rows == [
        f"| m.yaml:{w.line} | {w.severity} | {w.rule} | {safe_name}{w.message[len(name) :]} |"
        for w in expected(text, name)
    ]
    for row in rows:  # exactly five unescaped pipes: four columns
        assert len(re.findall(r"(?<!\\)\|", row)) == 5
    per_rule = out.split("### Findings per rule", 1)[1]
    counts = {
        cells[0]: (cells[2], cells[3], cells[4])
        for line in per_rule.splitlines()
        if line.startswith("| ") and not line.startswith("| rule") and "---" not in line
        for cells in [[c.strip() for c in line.strip("|").split(" | ")]]
    }
    assert counts == {
        "[ORG-001](https://eur-lex.europa.eu/eli/reg/2024/1689/oj)": ("error", "2", "0"),
        "ORG-003": ("info", "2", "0"),
        "ORG-002": ("warning", "1", "1"),
    }


# --- several formats, one run ------------------------------------------------------------


def test_several_formats_in_one_run(govlint, tmp_path: Path):
    org(tmp_path)
    text = manifest()
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    # the n-th --output belongs to the n-th --format; text, the last, has none: stdout
    result = govlint(
        "check", "m.yaml", "--today", TODAY,
        "--format", "sarif", "-o", "r.sarif", "--format", "json", "-o", "r.json", "--format", "text",
    )  # fmt: skip
    assert result.code == 1, result
    want = expected(text)
    assert result.lines == [
        f"m.yaml:{w.line}:{w.column}: {w.severity} {w.rule} {w.message}" for w in want
    ] + ["Found 3 problems (1 error, 1 warning, 1 info) in 1 of 1 file."]
    sarif = load_json(tmp_path / "r.sarif")
    validate_sarif(sarif)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == [w.rule for w in want]
    report = load_json(tmp_path / "r.json")
    validate_findings(report)
    assert [f["rule_id"] for f in report["findings"]] == [w.rule for w in want]


def test_outputs_pair_with_formats_in_order(govlint, tmp_path: Path):
    # '--format text --format sarif -o r.sarif' gives r.sarif to text, the first format
    org(tmp_path)
    (tmp_path / "m.yaml").write_text(manifest(), encoding="utf-8")
    args = ("check", "m.yaml", "--format", "text", "--format", "sarif", "-o", "r.txt")
    result = govlint(*args)
    assert result.code == 1, result
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("m.yaml:")
    validate_sarif(json.loads(result.out))


def test_outputs_can_name_their_format(govlint, tmp_path: Path):
    # '-o FORMAT=FILE' says which report goes where, whatever the order of the options
    org(tmp_path)
    (tmp_path / "m.yaml").write_text(manifest(), encoding="utf-8")
    args = ("check", "m.yaml", "--format", "text", "-o", "sarif=r.sarif", "-o", "json=r.json")
    result = govlint(*args)
    assert result.code == 1, result
    assert result.lines[0].startswith("m.yaml:")  # text on standard output
    validate_sarif(load_json(tmp_path / "r.sarif"))
    validate_findings(load_json(tmp_path / "r.json"))


def test_two_formats_cannot_share_stdout(govlint, tmp_path: Path):
    org(tmp_path)
    (tmp_path / "m.yaml").write_text(manifest(), encoding="utf-8")
    result = govlint("check", "m.yaml", "--format", "text", "--format", "json")
    assert result.code == 2
    assert result.out == ""
    assert "only one format can go to standard output (got text, json)" in result.err


# --- suppressed findings, in process -----------------------------------------------------


def _report() -> Report:
    """Two findings of one rule, one waived and one in the baseline, across two files."""
    here = Location("a.yaml", Span(3, 5, 4, 2), "purpose.summary")
    waiver_at = Location("a.yaml", Span(20, 5, 20, 5), "waivers[0]")
    findings = (
        Finding("ORG-009", Severity.ERROR, "first", Location("a.yaml", Span(2, 1, 2, 9), "x")),
        Finding("ORG-009", Severity.ERROR, "second <b>", here, (Location("b.yaml"),)),
        Finding(
            "ORG-009",
            Severity.WARNING,
            "waived",
            Location("a.yaml", Span(7, 3, 7, 8), "y"),
            suppression=Suppression(
                "waiver", "Accepted | for now", "Board", "2099-01-01", "GOV-1", waiver_at
            ),
        ),
        Finding(
            "GL010",
            Severity.ERROR,
            "in the baseline\x07",
            Location("b.yaml", Span(1, 1, 1, 4), "z"),
            suppression=Suppression("baseline", "accepted in the baseline b.json"),
        ),
    )
    return Report(
        findings,
        ("a.yaml", "b.yaml", "c.yaml"),
        {},
        Severity.ERROR,
        "9.9.9",
        dt.date(2026, 6, 1),
    )


def test_suppressed_findings_are_kept_in_json_and_sarif() -> None:
    report = _report()
    doc = json.loads(renderer("json")(report))
    validate_findings(doc)
    assert doc["summary"]["suppressed"] == 2
    assert doc["summary"]["findings"] == 2
    kinds = [f["suppression"] and f["suppression"]["kind"] for f in doc["findings"]]
    assert kinds == [None, None, "waiver", "baseline"]
    assert doc["findings"][3]["suppression"] == {
        "kind": "baseline",
        "justification": "accepted in the baseline b.json",
        "approved_by": None,
        "expires": None,
        "ticket": None,
        "location": None,
    }

    sarif = json.loads(renderer("sarif")(report))
    validate_sarif(sarif)
    (run,) = sarif["runs"]
    # without rule metadata, ids still become rules (GL010 with its diagnostic text)
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["GL010", "ORG-009"]
    results = run["results"]
    assert [r.get("suppressions") for r in results[:2]] == [None, None]
    waived, baseline = results[2]["suppressions"][0], results[3]["suppressions"][0]
    assert waived["kind"] == baseline["kind"] == "external"
    assert waived["status"] == baseline["status"] == "accepted"
    assert waived["justification"] == "Accepted | for now"
    assert waived["properties"] == {
        "suppressedBy": "waiver",
        "approvedBy": "Board",
        "expires": "2099-01-01",
        "ticket": "GOV-1",
    }
    assert waived["location"]["physicalLocation"]["region"] == {"startLine": 20, "startColumn": 5}
    assert baseline["justification"] == "accepted in the baseline b.json"
    # a multi-line span keeps its end; a point leaves the end open
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 5,
        "endLine": 4,
        "endColumn": 2,
    }
    assert results[1]["relatedLocations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 1,
    }


def test_suppressed_findings_are_left_out_of_junit_github_and_gitlab() -> None:
    report = _report()
    root = ET.fromstring(renderer("junit")(report))
    assert (root.get("tests"), root.get("failures")) == ("3", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["a.yaml", "b.yaml", "c.yaml"]
    (case,) = suites["a.yaml"].findall("testcase")
    assert case.get("name") == "ORG-009"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "first (and 1 more)"
    assert (
        failure.text
        == "2:1: error ORG-009 first\n3:5: error ORG-009 second <b>\n    see b.yaml:1:1"
    )
    assert [c.get("name") for c in suites["b.yaml"].findall("testcase")] == ["govlint"]

    # an annotation across lines has no columns (GitHub accepts them on one line only)
    assert renderer("github")(report).splitlines() == [
        "::error file=a.yaml,line=2,col=1,endLine=2,endColumn=9,title=ORG-009::first",
        "::error file=a.yaml,line=3,endLine=4,title=ORG-009::second <b>%0Asee b.yaml:1:1",
    ]
    issues = json.loads(renderer("gitlab")(report))
    assert [(i["check_name"], i["description"]) for i in issues] == [
        ("ORG-009", "first"),
        ("ORG-009", "second <b>"),
    ]


def test_markdown_counts_waived_and_baseline_findings() -> None:
    out = renderer("markdown")(_report())
    assert "Found 2 problems (2 errors) in 1 of 3 files." in out
    assert "1 waived, 1 in the baseline" in out
    assert "a.yaml:7" not in out  # the waived finding is counted, not listed
    assert "| a.yaml:3 | error | ORG-009 | second &lt;b&gt; |" in out
    assert (
        "| [GL010](https://github.com/govlint/govlint#built-in-diagnostics-gl) | Unknown key "
        in out
    )
    assert "| Unknown key | error | 0 | 1 |" in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "gitlab", "markdown"])
def test_a_clean_run_renders(govlint, tmp_path: Path, fmt: str):
    org(tmp_path)
    (tmp_path / "ok.yaml").write_text(clean_manifest("ok"), encoding="utf-8")
    result = govlint("check", "ok.yaml", "--format", fmt, "-o", f"out.{fmt}")
    assert result.code == 0, result
    written = (tmp_path / f"out.{fmt}").read_text(encoding="utf-8")
    if fmt == "json":
        validate_findings(json.loads(written))
    elif fmt == "sarif":
        validate_sarif(json.loads(written))
        assert json.loads(written)["runs"][0]["results"] == []
    elif fmt == "junit":
        root = ET.fromstring(written)
        assert (root.get("tests"), root.get("failures")) == ("1", "0")
    elif fmt == "gitlab":
        assert json.loads(written) == []
    elif fmt == "github":
        assert written == "\n"
    else:
        assert "All checks passed: 1 file checked." in written


def test_junit_holds_characters_xml_cannot() -> None:
    finding = Finding("ORG-009", Severity.ERROR, "bell\x07 & <tag>", Location("a.yaml"))
    report = Report((finding,), ("a.yaml",), {}, Severity.ERROR, "9.9.9", dt.date(2026, 6, 1))
    failure = ET.fromstring(renderer("junit")(report)).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "bell\\x07 & <tag>"
