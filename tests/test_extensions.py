"""Declared x- extensions: manifests are checked against them, rules may use only declared
x- paths (checked at load), and without declarations x- stays free-form."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import EXAMPLE_BASE

DECLARED = """\
extensions:
  metadata.x-cost-centre: {type: text, description: The finance cost centre that pays}
  risk.x-residual: {type: text, values: [low, medium, high]}
  x-review-date: {type: date}
  x-algoritmeregister: {type: mapping}
"""

RULE = """\
id: ORG-001
name: production-names-cost-centre
title: A production initiative names its cost centre
principle: contribution
severity: warning
when: {{lifecycle.status: {{equals: production}}}}
require:
  {path}: {{exists: true}}
message: "{{metadata.name}} names no cost centre"
rationale: Finance books the running cost of every production system on a cost centre.
remediation: Set metadata.x-cost-centre.
references:
  - {{id: "ORG-2026:finance", kind: good-practice}}
examples:
  pass: [{{metadata: {{x-cost-centre: CC-1}}}}]
  fail: [{{lifecycle: {{status: production}}}}]
"""


def portfolio(tmp_path: Path, config: str, extra: str = "", rule: str | None = None) -> Path:
    """One manifest (the example base, production) with ``extra`` appended under metadata."""
    (tmp_path / ".govlint.yaml").write_text(config + ("rule_paths: [rules]\n" if rule else ""))
    text = EXAMPLE_BASE.read_text()
    text = text.replace("metadata:\n", f"metadata:\n{extra}", 1)
    (tmp_path / "initiative.yaml").write_text(text)
    if rule is not None:
        (tmp_path / "rules").mkdir()
        (tmp_path / "rules" / "ORG-001.yaml").write_text(rule)
    return tmp_path


def own(lines: list[str], rule: str) -> list[str]:
    return [line for line in lines if f" {rule} " in line]


def test_without_declarations_an_x_key_is_free_form(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, "", "  x-cost-center: 12\n")
    result = govlint("check", "initiative.yaml")
    assert own(result.lines, "GL010") == own(result.lines, "GL011") == [], result


def test_a_declared_extension_of_the_wrong_type_is_invalid(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, DECLARED, "  x-cost-centre: 12\n")
    result = govlint("check", "initiative.yaml")
    assert own(result.lines, "GL011") == [
        "initiative.yaml:6:18: error GL011 metadata.x-cost-centre: expected text, got the number 12"
    ], result


def test_a_declared_value_list_suggests_the_closest_value(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, DECLARED)
    text = (
        (tmp_path / "initiative.yaml").read_text().replace("risk:\n", "risk:\n  x-residual: hihg\n")
    )
    (tmp_path / "initiative.yaml").write_text(text)
    result = govlint("check", "initiative.yaml")
    [line] = own(result.lines, "GL011")
    assert ": error GL011 risk.x-residual: 'hihg' is not allowed; did you mean 'high'?" in line
    assert "expected one of: low, medium, high" in line


def test_each_bad_item_of_a_declared_list_is_reported_where_it_is(govlint, tmp_path: Path) -> None:
    config = "extensions:\n  metadata.x-tags: {type: list, values: [finance, hr]}\n"
    portfolio(tmp_path, config, "  x-tags:\n    - finance\n    - 12\n    - hrr\n")
    lines = (tmp_path / "initiative.yaml").read_text().splitlines()
    number = lines.index("    - 12") + 1
    result = govlint("check", "initiative.yaml")
    assert own(result.lines, "GL011") == [
        f"initiative.yaml:{number}:7: error GL011 metadata.x-tags[1]: expected text, got the "
        "number 12",
        f"initiative.yaml:{number + 1}:7: error GL011 metadata.x-tags[2]: 'hrr' is not allowed; "
        "did you mean 'hr'?; expected one of: finance, hr",
    ], result


def test_an_empty_item_of_a_declared_list_is_refused_as_an_empty_text_is(
    govlint, tmp_path: Path
) -> None:
    config = "extensions:\n  metadata.x-tags: {type: list}\n  metadata.x-owner: {type: text}\n"
    portfolio(tmp_path, config, "  x-tags: [finance, '']\n  x-owner: ''\n")
    result = govlint("check", "initiative.yaml")
    problems = [line.split(" GL011 ", 1)[1] for line in own(result.lines, "GL011")]
    assert len(problems) == 2, result
    owner, tags = sorted(problems)
    assert tags.startswith("metadata.x-tags[1]: expected text, got ")
    assert owner.startswith("metadata.x-owner: expected text, got ")
    assert tags.split(": ", 1)[1] == owner.split(": ", 1)[1]  # the same words for both


def test_a_declared_list_given_a_text_is_reported_at_the_text(govlint, tmp_path: Path) -> None:
    config = "extensions:\n  metadata.x-tags: {type: list}\n"
    portfolio(tmp_path, config, "  x-tags: finance\n")
    result = govlint("check", "initiative.yaml")
    [line] = own(result.lines, "GL011")
    assert line.startswith("initiative.yaml:6:11: error GL011 metadata.x-tags: expected a list")


def test_an_undeclared_x_key_is_unknown_with_the_closest_declared(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, DECLARED, "  x-cost-center: CC-1\n")
    result = govlint("check", "initiative.yaml")
    assert own(result.lines, "GL010") == [
        "initiative.yaml:6:3: error GL010 undeclared extension 'x-cost-center' in metadata; "
        "did you mean 'x-cost-centre'? (or declare it under 'extensions:' in the configuration)"
    ], result
    assert result.code == 1


def test_an_undeclared_x_key_without_a_close_name_says_how_to_declare(
    govlint, tmp_path: Path
) -> None:
    portfolio(tmp_path, DECLARED, "  x-budget: 3\n")
    result = govlint("check", "initiative.yaml")
    [line] = own(result.lines, "GL010")
    assert line.endswith(
        "undeclared extension 'x-budget' in metadata; declare it under 'extensions:' in the "
        "configuration (declared here: x-cost-centre)"
    )


def test_below_a_mapping_extension_anything_goes(govlint, tmp_path: Path) -> None:
    config = DECLARED.replace("x-algoritmeregister: {type: mapping}", "x-register: {type: mapping}")
    portfolio(tmp_path, config)
    with (tmp_path / "initiative.yaml").open("a") as f:
        f.write("x-register:\n  x-anything: 1\n  lang: nld\n")
    result = govlint("check", "initiative.yaml")
    assert own(result.lines, "GL010") == own(result.lines, "GL011") == [], result


def test_a_rule_naming_an_undeclared_x_path_is_refused_at_load(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, DECLARED, rule=RULE.format(path="metadata.x-cost-center"))
    result = govlint("check", "initiative.yaml")
    assert result.code == 2
    assert (
        "rules/ORG-001.yaml:8:3: error GL030 'metadata.x-cost-center' is not a declared "
        "extension (metadata has no declared key 'x-cost-center'); did you mean "
        "'metadata.x-cost-centre'?"
    ) in result.err


def test_operands_are_checked_against_the_declared_type(govlint, tmp_path: Path) -> None:
    rule = RULE.format(path="risk.x-residual").replace("{exists: true}", "{min: 2}")
    portfolio(tmp_path, DECLARED, rule=rule)
    result = govlint("check", "initiative.yaml")
    assert result.code == 2
    assert "rules/ORG-001.yaml:8:26: error GL030 'min' takes a number: the value here is text" in (
        result.err
    )


def test_a_rule_on_a_declared_path_fires_and_a_typo_makes_it_not_assessable(
    govlint, tmp_path: Path
) -> None:
    portfolio(tmp_path, DECLARED, rule=RULE.format(path="metadata.x-cost-centre"))
    result = govlint("check", "initiative.yaml", "--select", "ORG-001")
    [line] = own(result.lines, "ORG-001")
    assert line.endswith("warning ORG-001 Example initiative names no cost centre"), result
    # the typo of the declared key: reported (GL010), and the rule does not claim it is absent
    text = (tmp_path / "initiative.yaml").read_text()
    (tmp_path / "initiative.yaml").write_text(
        text.replace("metadata:\n", "metadata:\n  x-cost-center: CC-1\n", 1)
    )
    result = govlint("check", "initiative.yaml")
    assert own(result.lines, "ORG-001") == [], result
    assert own(result.lines, "GL010")
    assert "not assessable" in result.out


def test_without_declarations_a_rule_on_an_x_path_loads_as_before(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, "", rule=RULE.format(path="metadata.x-cost-center"))
    result = govlint("check", "initiative.yaml", "--select", "ORG-001")
    assert result.code in (0, 1), result
    assert "GL030" not in result.err


def test_a_declaration_on_a_path_that_does_not_exist_is_refused(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, "extensions:\n  metdata.x-cost-centre: {type: text}\n")
    result = govlint("check", "initiative.yaml")
    assert result.code == 2
    assert (
        ".govlint.yaml:2:3: error GL031 'metdata' does not exist in the manifest schema: the "
        "manifest has no key 'metdata'; did you mean 'metadata'?"
    ) in result.err


def test_a_declaration_without_x_is_refused(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, "extensions:\n  metadata.cost_centre: {type: text}\n")
    result = govlint("check", "initiative.yaml")
    assert result.code == 2
    assert (
        ".govlint.yaml:2:3: error GL031 'metadata.cost_centre': a declared extension is a key "
        "starting with 'x-', e.g. metadata.x-cost_centre"
    ) in result.err


def test_an_unknown_type_is_refused_with_the_choices(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, "extensions:\n  metadata.x-cost-centre: {type: string}\n")
    result = govlint("check", "initiative.yaml")
    assert result.code != 0
    assert ".govlint.yaml:2:34:" in result.err
    assert "expected one of: text, number, integer, boolean, date, list, mapping" in result.err


def test_a_pack_declares_extensions_and_conflicts_are_refused(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, "policies: [baseline, pack.yaml]\n" + DECLARED, "  x-cost-centre: 12\n")
    (tmp_path / "pack.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: finance\n"
        "extensions:\n  metadata.x-cost-centre: {type: number}\n"
    )
    result = govlint("check", "initiative.yaml")
    assert result.code == 2
    assert (
        "pack.yaml:5:3: error GL031 extension metadata.x-cost-centre is already declared as "
        "text in .govlint.yaml; declare it once, or alike"
    ) in result.err
    # declared alike: accepted, and the manifest is checked against it
    (tmp_path / "pack.yaml").write_text(
        (tmp_path / "pack.yaml").read_text().replace("type: number", "type: text")
    )
    result = govlint("check", "initiative.yaml")
    assert "GL011 metadata.x-cost-centre: expected text, got the number 12" in result.out


def test_schema_includes_declared_extensions(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, DECLARED)
    schema = json.loads(govlint("schema").out)
    metadata = schema["properties"]["metadata"]
    assert metadata["properties"]["x-cost-centre"] == {
        "type": "string",
        "minLength": 1,
        "description": "The finance cost centre that pays",
    }
    assert schema["properties"]["x-review-date"]["format"] == "date"
    # only metadata got the key, not every mapping built from the same definition
    assert "x-cost-centre" not in json.dumps(schema["$defs"])
    (tmp_path / ".govlint.yaml").unlink()
    assert "x-cost-centre" not in govlint("schema").out


def test_govlint_test_checks_examples_against_the_declarations(govlint, tmp_path: Path) -> None:
    rule = RULE.format(path="metadata.x-cost-centre").replace(
        "pass: [{metadata: {x-cost-centre: CC-1}}]", "pass: [{metadata: {x-cost-centre: 7}}]"
    )
    portfolio(tmp_path, DECLARED, rule=rule)
    result = govlint("test", "rules")
    assert result.code == 1, result
    assert (
        "rules/ORG-001.yaml:15:10: ORG-001 pass example 1: not a valid manifest: "
        "metadata.x-cost-centre: expected text, got the number 7"
    ) in result.out


def test_a_pack_folder_brings_its_declarations_to_govlint_test(govlint, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "policy.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: finance\nrule_paths: [.]\n"
        "include: {rules: [ORG-001]}\n"
        "extensions:\n  metadata.x-cost-centre: {type: text}\n"
    )
    (pack / "ORG-001.yaml").write_text(RULE.format(path="metadata.x-cost-center"))
    result = govlint("test", "pack")
    assert result.code == 2
    assert "did you mean 'metadata.x-cost-centre'?" in result.err
    shutil.rmtree(pack / "__pycache__", ignore_errors=True)


def test_the_handbook_lists_the_declared_extensions(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, DECLARED)
    out = govlint("docs").out
    assert "## Declared extensions" in out
    assert "| `risk.x-residual` | text | low, medium, high |  | .govlint.yaml |" in out, out[:2000]


def test_a_raw_schema_naming_an_undeclared_x_key_is_refused(govlint, tmp_path: Path) -> None:
    rule = RULE.format(path="metadata.x-cost-centre").replace(
        "  metadata.x-cost-centre: {exists: true}\n",
        "  schema: {properties: {metadata: {required: [x-cost-center]}}}\n",
    )
    portfolio(tmp_path, DECLARED, rule=rule)
    result = govlint("check", "initiative.yaml")
    assert result.code == 2, result
    assert (
        "metadata has no key 'x-cost-center' in the manifest schema, so this part of the schema "
        "would never be checked; did you mean 'x-cost-centre'?"
    ) in result.err
