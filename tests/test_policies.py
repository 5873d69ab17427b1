"""Policy packs and configuration: extends, include, exclude, severity overrides, locks."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import base_manifest

RULE = """\
id: {id}
name: {name}
title: Rule {id}
principle: {principle}
severity: {severity}
require:
  {clause}
message: "{id} fires on {{metadata.id}}"
rationale: Because the organisation says so.
remediation: Change the manifest.
references:
  - id: ISO-IEC-42001-2023:A.6
examples:
  pass: [{{}}]
  fail: [{fail}]
"""


def org_rule(folder: Path, rule_id: str, principle: str = "data", severity: str = "error") -> None:
    # every test rule fires on the base manifest's minimal tier
    text = RULE.format(
        id=rule_id,
        name=rule_id.lower(),
        principle=principle,
        severity=severity,
        clause="risk.tier: {not_equals: minimal}",
        fail="{risk: {tier: minimal}}",
    ).replace("pass: [{}]", "pass: [{risk: {tier: high}}]")
    path = folder / "rules" / principle / f"{rule_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def setup_org(tmp_path: Path, config: str, packs: dict[str, str]) -> None:
    org_rule(tmp_path, "ORG-001", "data", "error")
    org_rule(tmp_path, "ORG-002", "ethics", "warning")
    org_rule(tmp_path, "ORG-003", "ethics", "error")
    for name, text in packs.items():
        write(tmp_path / "packs" / f"{name}.yaml", text)
    write(tmp_path / ".govlint.yaml", "rule_paths: [rules]\n" + textwrap.dedent(config))
    write(tmp_path / "m.yaml", base_manifest())


def reported(result) -> list[tuple[str, str]]:
    return [(line.split()[2], line.split()[1]) for line in result.lines[:-1]]


ORG_PACK = """\
    apiVersion: govlint/v1
    kind: Policy
    name: org
    include:
      principles: [ethics]
      rules: [ORG-001]
    rules:
      ORG-001: {locked: true}
    """


def test_pack_includes_by_principle_and_id(govlint, tmp_path: Path) -> None:
    setup_org(tmp_path, "policies: [packs/org.yaml]\n", {"org": ORG_PACK})
    result = govlint("check", "m.yaml")
    assert sorted(reported(result)) == [
        ("ORG-001", "error"),
        ("ORG-002", "warning"),
        ("ORG-003", "error"),
    ]
    assert result.code == 1


def test_extends_exclude_and_severity_override(govlint, tmp_path: Path) -> None:
    team = """\
        apiVersion: govlint/v1
        kind: Policy
        name: team
        extends: [org.yaml]
        exclude: [ORG-003]
        rules:
          ORG-002: {severity: error}
        """
    setup_org(tmp_path, "policies: [packs/team.yaml]\n", {"org": ORG_PACK, "team": team})
    assert sorted(reported(govlint("check", "m.yaml"))) == [
        ("ORG-001", "error"),
        ("ORG-002", "error"),
    ]


def test_config_can_downgrade_and_disable_unlocked_rules(govlint, tmp_path: Path) -> None:
    config = """\
        policies: [packs/org.yaml]
        rules:
          ORG-003: {severity: info}
          ORG-002: {enabled: false}
        """
    setup_org(tmp_path, config, {"org": ORG_PACK})
    result = govlint("check", "m.yaml")
    assert sorted(reported(result)) == [("ORG-001", "error"), ("ORG-003", "info")]


def test_config_cannot_disable_or_downgrade_a_locked_rule(govlint, tmp_path: Path) -> None:
    config = """\
        policies: [packs/org.yaml]
        rules:
          ORG-001: {enabled: false}
        """
    setup_org(tmp_path, config, {"org": ORG_PACK})
    result = govlint("check", "m.yaml")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        ".govlint.yaml:4:3: error GL031 rule ORG-001 is locked by policy 'org': a team cannot "
        "disable or downgrade it; ask the governance office for a waiver instead"
    )
    write(
        tmp_path / ".govlint.yaml",
        "rule_paths: [rules]\npolicies: [packs/org.yaml]\nrules:\n  ORG-001: {severity: warning}\n",
    )
    assert govlint("check", "m.yaml").code == 2
    write(
        tmp_path / ".govlint.yaml",
        "rule_paths: [rules]\npolicies: [packs/org.yaml]\nrules:\n  ORG-001: {severity: error}\n",
    )
    assert govlint("check", "m.yaml").code == 1  # keeping or raising the severity is fine


def test_a_pack_extending_a_locked_rule_cannot_exclude_it(govlint, tmp_path: Path) -> None:
    team = """\
        apiVersion: govlint/v1
        kind: Policy
        name: team
        extends: [org.yaml]
        exclude: [ORG-001]
        """
    setup_org(tmp_path, "policies: [packs/team.yaml]\n", {"org": ORG_PACK, "team": team})
    result = govlint("check", "m.yaml")
    assert result.code == 2
    assert result.err.startswith("packs/team.yaml:5:11: error GL031 rule ORG-001 is locked")


def test_recursive_extends_is_an_error_not_a_hang(govlint, tmp_path: Path) -> None:
    loop_a = """\
        apiVersion: govlint/v1
        kind: Policy
        name: a
        extends: [b.yaml]
        """
    loop_b = """\
        apiVersion: govlint/v1
        kind: Policy
        name: b
        extends: [a.yaml]
        """
    selfish = """\
        apiVersion: govlint/v1
        kind: Policy
        name: self
        extends: [self.yaml]
        """
    setup_org(
        tmp_path,
        "policies: [packs/a.yaml, packs/self.yaml]\n",
        {"a": loop_a, "b": loop_b, "self": selfish},
    )
    result = govlint("check", "m.yaml")
    assert result.code == 2
    errors = result.err.splitlines()
    assert (
        "packs/b.yaml:4:11: error GL031 policy packs extend each other in a loop: a -> b -> a"
        in errors[0]
    )
    assert (
        "packs/self.yaml:4:11: error GL031 policy packs extend each other in a loop: self -> self"
        in errors[1]
    )


def test_unknown_pack_and_rule_ids_suggest_the_closest(govlint, tmp_path: Path) -> None:
    pack = """\
        apiVersion: govlint/v1
        kind: Policy
        name: org
        include:
          rules: [ORG-01]
        """
    setup_org(tmp_path, "policies: [baselin, packs/org.yaml]\n", {"org": pack})
    result = govlint("check", "m.yaml")
    assert result.code == 2
    errors = result.err.splitlines()
    assert errors[0].startswith(
        ".govlint.yaml:2:12: error GL031 unknown policy pack 'baselin'; did you mean 'baseline'?"
    )
    assert (
        errors[1]
        == "packs/org.yaml:5:11: error GL031 unknown rule 'ORG-01'; did you mean 'ORG-001'?"
    )


def test_organisation_rules_behave_like_builtin_ones(govlint, tmp_path: Path) -> None:
    setup_org(tmp_path, "policies: [baseline]\n", {})
    # baseline includes every principle, so organisation rules are selected too
    listed = govlint("rules").out
    assert "ORG-001" in listed and "HUM-001" in listed
    assert {"ORG-001", "ORG-002", "ORG-003"} <= {r for r, _ in reported(govlint("check", "m.yaml"))}
