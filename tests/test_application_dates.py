"""From when duties apply: the table of application dates in the packs, picked per manifest,
moved in the configuration; who the duties bind, inherited from the registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, base_manifest, with_registry

#: the base manifest as a high-risk Annex III system with no human oversight (HUM-001)
HIGH_RISK = (
    base_manifest()
    .replace(
        "  tier: minimal\n",
        "  tier: high\n  annex_iii_area: employment-workers-management-and-access-to-self-employment\n",
    )
    .replace("oversight: human-in-the-loop", "oversight: none")
)


def hum_001(govlint, folder: Path, text: str, today: str, config: str = "") -> list[str]:
    with_registry(folder, config)
    (folder / "m.yaml").write_text(text, encoding="utf-8")
    result = govlint("check", "--no-cache", "--today", today, "m.yaml")
    assert result.code in (0, 1), result
    return [line for line in result.lines if " HUM-001 " in line]


def not_legacy(text: str, go_live: str = "2027-12-15") -> str:
    return text.replace("go_live: 2025-06-01", f"go_live: {go_live}")


@pytest.mark.parametrize(
    ("case", "text", "today", "expected"),
    [
        # Annex III (Art. 113(c)(i) as amended): from 2027-12-02
        ("Annex III, before", not_legacy(HIGH_RISK), "2027-12-01", "info (2027-12-02)"),
        ("Annex III, on the day", not_legacy(HIGH_RISK), "2027-12-02", "error"),
        # Annex I (Art. 113(c)(ii) as amended): from 2028-08-02
        (
            "Annex I, after the Annex III date",
            not_legacy(HIGH_RISK, "2028-09-01").replace(
                "  annex_iii_area: employment-workers-management-and-access-to-self-employment\n",
                "  annex_i_product: true\n",
            ),
            "2028-01-15",
            "info (2028-08-02)",
        ),
        # a public body's system in use since 2025 (Art. 111(2) as amended): by 2030-08-02
        ("public legacy, 2029", HIGH_RISK, "2029-06-01", "info (2030-08-02)"),
        ("public legacy, 2030", HIGH_RISK, "2030-08-02", "error"),
        # the same system of a private deployer keeps the date of its annex
        (
            "private legacy",
            HIGH_RISK.replace("  kind: public-body\n", "  kind: private\n"),
            "2028-01-15",
            "error",
        ),
    ],
)
def test_a_high_risk_duty_applies_from_the_date_its_system_is_bound(
    govlint, tmp_path: Path, case: str, text: str, today: str, expected: str
) -> None:
    [line] = hum_001(govlint, tmp_path, text, today)
    severity, _, date = expected.partition(" ")
    assert f" {severity} HUM-001 " in line, case
    if date:
        assert line.endswith(f"(applies from {date.strip('()')})"), case
    else:
        assert "applies from" not in line, case


def test_hidden_upcoming_duties_leave_out_only_the_systems_not_yet_bound(
    govlint, tmp_path: Path
) -> None:
    # one rule, two systems: bound on 2029-01-01 (Annex III), not yet (public legacy)
    assert hum_001(govlint, tmp_path, HIGH_RISK, "2029-01-01", "upcoming_duties: hide\n") == []
    [line] = hum_001(
        govlint, tmp_path, not_legacy(HIGH_RISK), "2029-01-01", "upcoming_duties: hide\n"
    )
    assert " error HUM-001 " in line


def test_the_configuration_moves_a_row_of_the_table(govlint, tmp_path: Path) -> None:
    config = "application_dates:\n  eu-ai-act-annex-iii: 2027-06-01\n"
    [line] = hum_001(govlint, tmp_path, not_legacy(HIGH_RISK), "2027-07-01", config)
    assert " error HUM-001 " in line and "applies from" not in line
    [line] = hum_001(govlint, tmp_path, not_legacy(HIGH_RISK), "2027-05-01", config)
    assert line.endswith("(applies from 2027-06-01)")
    handbook = govlint("docs", cwd=tmp_path)
    assert "| `eu-ai-act-annex-iii` | 2027-06-01 (moved from 2027-12-02) |" in handbook.out


def test_a_team_cannot_postpone_a_row_a_locked_rule_names(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path, "application_dates:\n  eu-ai-act-annex-iii: 2029-01-01\n")
    (tmp_path / "m.yaml").write_text(base_manifest(), encoding="utf-8")
    result = govlint("check", "m.yaml")
    assert result.code == 2
    assert (
        ".govlint.yaml:3:24: error GL031 rule HUM-001 is locked by policy 'baseline': a team cannot "
        "postpone the date 'eu-ai-act-annex-iii' it applies from (2027-12-02); ask the "
        "governance office for a waiver instead"
    ) in result.err


def test_a_row_chosen_per_manifest_cannot_be_moved_as_a_whole(govlint, tmp_path: Path) -> None:
    # as a date or as a row of its own: either would be silently ignored by the rules
    for value in ("2031-01-01", "{from: 2031-01-01, source: our decision, verified: true}"):
        with_registry(tmp_path, f"application_dates:\n  eu-ai-act-high-risk: {value}\n")
        (tmp_path / "m.yaml").write_text(base_manifest(), encoding="utf-8")
        result = govlint("check", "m.yaml")
        assert result.code == 2, result
        assert (
            ".govlint.yaml:3:3: error GL031 application date 'eu-ai-act-high-risk' is chosen "
            "per manifest from other rows, so it has no date of its own to move; move the rows "
            "it picks from instead (eu-ai-act-annex-i, eu-ai-act-annex-iii, "
            "eu-ai-act-art-111-2-public)"
        ) in result.err, result


def test_a_malformed_row_gets_one_error_about_that_row(govlint, tmp_path: Path) -> None:
    # a mapping is a row of its own: the error names what is wrong with the row (not that
    # it is no date), at the value, with the row's real keys
    cases = {
        "{from: 2027-01-01, source: x, verified: maybe}": ".govlint.yaml:3:49: "
        "application_dates.ours.verified: expected a boolean (true or false), got the "
        "string 'maybe'",
        "{from: 2027-01-01, source: x, verified: true, bogus: 1}": ".govlint.yaml:3:55: "
        "unknown key 'bogus' in application_dates.ours; valid keys: from, what, source, "
        "verified, checked_against",
        "2027-13-01": ".govlint.yaml:3:9: application_dates.ours: '2027-13-01' is not a "
        "date; write it as YYYY-MM-DD",
    }
    for value, error in cases.items():
        with_registry(tmp_path, f"application_dates:\n  ours: {value}\n")
        (tmp_path / "m.yaml").write_text(base_manifest(), encoding="utf-8")
        result = govlint("check", "m.yaml")
        assert result.code == 2, result
        [line] = [x for x in result.err.splitlines() if ".govlint.yaml" in x]
        assert error in line, line
        assert "function-before" not in line and "|row" not in line


def test_a_malformed_applies_from_gets_one_error_at_its_value(govlint, tmp_path: Path) -> None:
    rule = next((REPO / "rules" / "explainability").glob("EXP-004-*.yaml")).read_text()
    rules = tmp_path / "rules"
    rules.mkdir()
    cases = {
        "[]": "applies_from: must not be empty",
        "[{from: 5}]": "6:23: error GL030 applies_from[0].from: expected a string, got the "
        "number 5",
        "[{from: 2026-02-30}]": "6:23: error GL030 applies_from[0].from: '2026-02-30' is not "
        "a date; write it as YYYY-MM-DD",
    }
    for value, error in cases.items():
        text = rule.replace("EXP-004", "ORG-004").replace(
            "applies_from: eu-ai-act-general", f"applies_from: {value}"
        )
        (rules / "ORG-004.yaml").write_text(text, encoding="utf-8")
        result = govlint("test", "rules")
        assert result.code == 2, result
        [line] = [x for x in (result.out + result.err).splitlines() if " GL030 " in x]
        assert error in line, line


def test_an_unknown_row_is_refused_where_it_is_named(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path, "application_dates:\n  eu-ai-act-anex-iii: 2027-06-01\n")
    (tmp_path / "m.yaml").write_text(base_manifest(), encoding="utf-8")
    result = govlint("check", "m.yaml")
    assert result.code == 2
    [line] = [line for line in result.err.splitlines() if "GL031" in line]
    assert line.startswith(".govlint.yaml:3:3: error GL031 unknown application date ")
    assert "did you mean 'eu-ai-act-annex-iii'?" in line
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = (
        (REPO / "rules" / "human-role" / "HUM-001-high-risk-needs-oversight.yaml")
        .read_text(encoding="utf-8")
        .replace("id: HUM-001", "id: ORG-001")
        .replace("applies_from: eu-ai-act-high-risk", "applies_from: eu-ai-act-high-rsk")
    )
    (rules / "ORG-001.yaml").write_text(rule, encoding="utf-8")
    with_registry(tmp_path, "rule_paths: [rules]\n")
    result = govlint("check", "m.yaml")
    assert result.code == 2
    assert (
        "rules/ORG-001.yaml:6:15: error GL030 unknown application date 'eu-ai-act-high-rsk'; "
        "did you mean 'eu-ai-act-high-risk'?"
    ) in result.err


def write_pack(folder: Path, when: str) -> None:
    """A pack that adds the row our-pilots and the row our-duties, which picks our-pilots
    for manifests that meet ``when`` (a condition in flow style on one line)."""
    (folder / "pack.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: ours\nextends: [baseline]\n"
        "application_dates:\n"
        "  our-pilots: {from: 2027-01-01, source: Board decision 2026-12, verified: true}\n"
        "  our-duties:\n"
        "    pick:\n"
        f"      - when: {when}\n"
        "        from: our-pilots\n"
        "      - from: 2026-01-01\n",
        encoding="utf-8",
    )


def test_a_pack_adds_rows_and_picks_them_per_manifest(govlint, tmp_path: Path) -> None:
    write_pack(tmp_path, "{lifecycle.status: {equals: pilot}}")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ORG-001.yaml").write_text(
        "id: ORG-001\nname: owner-has-a-role\ntitle: The owner's role is named\n"
        "principle: human-role\nseverity: error\napplies_from: our-duties\n"
        "require:\n  metadata.owner.role: {equals: Chief}\n"
        "message: '{metadata.name} names no chief'\nrationale: r\nremediation: r\n"
        "references: [{id: 'ORG-1:1', kind: good-practice}]\n"
        "examples:\n  pass: [{metadata: {owner: {role: Chief}}}]\n  fail: [{}]\n",
        encoding="utf-8",
    )
    with_registry(tmp_path, "policies: [pack.yaml]\nrule_paths: [rules]\n")
    manifest = base_manifest()
    (tmp_path / "m.yaml").write_text(manifest, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(
        manifest.replace("status: production", "status: pilot").replace(
            "id: example-initiative", "id: example-pilot"
        ),
        encoding="utf-8",
    )
    result = govlint("check", "--no-cache", "--today", "2026-11-30", "m.yaml", "p.yaml")
    lines = [line for line in result.lines if " ORG-001 " in line]
    assert [line.split()[1] for line in lines] == ["error", "info"], result
    assert lines[1].startswith("p.yaml:") and lines[1].endswith("(applies from 2027-01-01)")
    # a cached run after the pick's condition changed: what a run without the cache finds
    run = ("check", "--today", "2026-11-30", "m.yaml", "p.yaml")
    govlint(*run)
    pack = tmp_path / "pack.yaml"
    pack.write_text(pack.read_text().replace("equals: pilot", "equals: production"))
    cached = govlint(*run)
    fresh = govlint(*run[:1], "--no-cache", *run[1:])
    assert cached.out == fresh.out, cached
    upcoming = [line for line in cached.lines if " info ORG-001 " in line]
    assert [line.split(":")[0] for line in upcoming] == ["m.yaml"], cached
    pack.write_text(pack.read_text().replace("equals: production", "equals: pilot"))
    (tmp_path / "pack.yaml").write_text(
        (tmp_path / "pack.yaml").read_text().replace("from: our-pilots", "from: our-pilot"),
        encoding="utf-8",
    )
    result = govlint("check", "--no-cache", "m.yaml")
    assert result.code == 2
    assert (
        "pack.yaml:10:15: error GL030 unknown application date 'our-pilot'; did you mean "
        "'our-pilots'?"
    ) in result.err


def test_a_packs_rule_entry_names_a_row(govlint, tmp_path: Path) -> None:
    pack = (
        "apiVersion: govlint/v1\nkind: Policy\nname: ours\nextends: [baseline]\n"
        "rules:\n  HUM-001: {applies_from: eu-ai-act-annex-i}\n"
    )
    (tmp_path / "pack.yaml").write_text(pack, encoding="utf-8")
    config = "policies: [pack.yaml]\n"
    [line] = hum_001(govlint, tmp_path, not_legacy(HIGH_RISK), "2028-01-15", config)
    assert line.endswith("(applies from 2028-08-02)")
    # a move of the row in the configuration reaches the pack's entry
    moved = config + "application_dates:\n  eu-ai-act-annex-i: 2028-01-01\n"
    [line] = hum_001(govlint, tmp_path, not_legacy(HIGH_RISK), "2028-01-15", moved)
    assert " error HUM-001 " in line
    (tmp_path / "pack.yaml").write_text(pack.replace("annex-i}", "annex-1}"), encoding="utf-8")
    result = govlint("check", "m.yaml")
    assert result.code == 2
    assert (
        "pack.yaml:6:27: error GL031 unknown application date 'eu-ai-act-annex-1'; did you "
        "mean 'eu-ai-act-annex-i'?"
    ) in result.err


def test_the_handbook_table_comes_from_the_packs(govlint, tmp_path: Path) -> None:
    handbook = (REPO / "docs" / "handbook.md").read_text(encoding="utf-8")
    assert "## From when the duties apply" in handbook
    # the verified Annex III date, with the provision that sets it, and the rules it dates
    row = next(
        line for line in handbook.splitlines() if line.startswith("| `eu-ai-act-annex-iii` |")
    )
    assert "| 2027-12-02 |" in row and "Regulation (EU) 2026/1744, Art. 1(40)(b) | yes |" in row
    # the OMB deadline was read in secondary sources only, and says so
    row = next(
        line for line in handbook.splitlines() if line.startswith("| `omb-m-25-21-practices`")
    )
    assert row.split(" | ")[4] == "no"


def test_the_handbook_lists_the_rows_the_organisation_adds_and_moves(
    govlint, tmp_path: Path
) -> None:
    (tmp_path / ".govlint.yaml").write_text(
        "application_dates:\n"
        "  eu-ai-act-general: 2026-09-01\n"
        "  org-ai-register:\n"
        "    from: 2027-01-01\n"
        "    what: every AI system is in the internal register\n"
        "    source: Board decision of 2026-10-12\n"
        "    verified: true\n",
        encoding="utf-8",
    )
    result = govlint("docs", "-o", "handbook.md")
    assert result.code == 0, result
    lines = (tmp_path / "handbook.md").read_text(encoding="utf-8").splitlines()
    own = next(line for line in lines if line.startswith("| `org-ai-register` |"))
    assert own.split(" | ")[1:5] == [
        "2027-01-01",
        "every AI system is in the internal register",
        "Board decision of 2026-10-12",
        "yes",
    ]
    moved = next(line for line in lines if line.startswith("| `eu-ai-act-general` |"))
    assert moved.split(" | ")[1] == "2026-09-01 (moved from 2026-08-02)"


# -- who the duties bind: the registry's defaults -------------------------------------

PROVIDER_DUTY = HIGH_RISK.replace("  accuracy_metrics: [schedule-adherence]\n", "")


def lif_007(govlint, folder: Path, text: str, registry_defaults: str = "") -> tuple[str, str]:
    with_registry(folder)
    registry = folder / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + registry_defaults)
    (folder / "m.yaml").write_text(not_legacy(text), encoding="utf-8")
    result = govlint("check", "--no-cache", "--today", "2028-01-15", "m.yaml", "registry.yaml")
    found = [line for line in result.lines if " LIF-007 " in line]
    return (found[0] if found else ""), result.out


def test_a_provider_duty_binds_a_provider_not_a_deployer(govlint, tmp_path: Path) -> None:
    found, _ = lif_007(govlint, tmp_path, PROVIDER_DUTY)  # the base manifest: a deployer
    assert found == ""
    provider = PROVIDER_DUTY.replace("  role: deployer\n", "  role: provider\n")
    found, _ = lif_007(govlint, tmp_path, provider)
    assert " error LIF-007 " in found


def test_a_manifest_inherits_role_and_kind_from_the_registry(govlint, tmp_path: Path) -> None:
    silent = PROVIDER_DUTY.replace("  role: deployer\n", "")
    defaults = "defaults:\n  organisation: {role: provider, kind: private}\n"
    found, _ = lif_007(govlint, tmp_path, silent, defaults)
    assert " error LIF-007 " in found
    # the manifest's own value wins over the registry's
    found, _ = lif_007(govlint, tmp_path, PROVIDER_DUTY, defaults)
    assert found == ""


def test_without_a_role_anywhere_a_provider_duty_is_not_assessable(govlint, tmp_path) -> None:
    silent = PROVIDER_DUTY.replace("  role: deployer\n", "")
    found, out = lif_007(govlint, tmp_path, silent)
    assert found == ""
    assert (
        "m.yaml:3:1: not assessable: 3 rules could not be assessed until organisation.role "
        "is filled in or fixed (EXP-008, EXP-009, LIF-007)"
    ) in out
    # a minimal-risk system without a role: the duty does not apply, nothing is missing
    found, out = lif_007(govlint, tmp_path, base_manifest().replace("  role: deployer\n", ""))
    assert "not assessable" not in out


def test_two_registry_files_that_disagree_on_a_default_are_an_error(govlint, tmp_path) -> None:
    with_registry(tmp_path)
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8") + "defaults:\n  organisation: {role: provider}\n"
    )
    (tmp_path / "more.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Organisation\ndefaults:\n  organisation: {role: deployer}\n",
        encoding="utf-8",
    )
    (tmp_path / "m.yaml").write_text(base_manifest(), encoding="utf-8")
    result = govlint("check", "--no-cache", "m.yaml", "registry.yaml", "more.yaml")
    assert result.code == 1
    [line] = [line for line in result.lines if " GL020 " in line]
    # files are read in name order: more.yaml sets the default, registry.yaml contradicts it
    assert line.startswith("registry.yaml:")
    assert "error GL020 defaults.organisation.role is 'deployer' at more.yaml:4;" in line


def test_needs_takes_a_field_of_a_few_values(govlint, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ORG-001.yaml").write_text(
        "id: ORG-001\nname: n\ntitle: t\nprinciple: data\nseverity: error\n"
        "needs: [metadata.name]\nrequire:\n  metadata.owner.role: {equals: Chief}\n"
        "message: m\nrationale: r\nremediation: r\n"
        "references: [{id: 'ORG-1:1', kind: good-practice}]\n"
        "examples:\n  pass: [{metadata: {owner: {role: Chief}}}]\n  fail: [{}]\n",
        encoding="utf-8",
    )
    result = govlint("test", "rules")
    assert result.code == 2
    assert (
        "rules/ORG-001.yaml:6:9: error GL030 needs: 'metadata.name' is not a choice of values"
    ) in result.err


def test_a_fail_example_of_a_duty_not_yet_in_force_is_caught(govlint, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = (
        "id: ORG-001\nname: n\ntitle: t\nprinciple: data\nseverity: error\n"
        "applies_from: 2027-01-01\nrequire:\n  metadata.owner.role: {equals: Chief}\n"
        "message: m\nrationale: r\nremediation: r\n"
        "references: [{id: 'ORG-1:1', kind: good-practice}]\n"
        "examples:\n  today: 2026-06-01\n  pass: [{metadata: {owner: {role: Chief}}}]\n"
        "  fail: [{}]\n"
    )
    (rules / "ORG-001.yaml").write_text(rule, encoding="utf-8")
    result = govlint("test", "rules")
    assert result.code == 1
    assert "ORG-001 fail example 1: expected a finding of a duty in force" in result.out
    (rules / "ORG-001.yaml").write_text(
        rule.replace("  fail: [{}]\n", "  fail: [{}]\n  upcoming: [{}]\n").replace(
            "today: 2026-06-01", "today: 2027-02-01"
        ),
        encoding="utf-8",
    )
    result = govlint("test", "rules")
    assert "ORG-001 upcoming example 1: expected a finding that says from when" in result.out


def test_the_legacy_cut_off_moves_with_the_row_it_names(govlint, tmp_path: Path) -> None:
    # Art. 111(2): a public body's system in use before the Chapter III date complies by
    # 2030-08-02; when the configuration moves the Annex III row, the cut-off moves too
    config = "application_dates:\n  eu-ai-act-annex-iii: 2027-06-01\n"
    in_use_since = not_legacy(HIGH_RISK, "2027-09-01")  # after the moved date, before 2027-12-02
    [line] = hum_001(govlint, tmp_path, in_use_since, "2028-01-15", config)
    assert " error HUM-001 " in line and "applies from" not in line
    [line] = hum_001(govlint, tmp_path, not_legacy(HIGH_RISK, "2027-05-01"), "2028-01-15", config)
    assert line.endswith("(applies from 2030-08-02)")


def pick_refusal(govlint, folder: Path, row: str) -> str:
    """The one GL031 line of a check whose pack picks by ``lifecycle.go_live`` before
    ``row`` (the run stops with exit code 2)."""
    write_pack(folder, f"{{lifecycle.go_live: {{before: {row}}}}}")
    with_registry(folder, "policies: [pack.yaml]\n")
    (folder / "m.yaml").write_text(base_manifest(), encoding="utf-8")
    result = govlint("check", "--no-cache", "m.yaml")
    assert result.code == 2, result
    [line] = [line for line in result.err.splitlines() if "GL031" in line]
    return line


def test_a_pick_condition_naming_an_unknown_row_is_refused(govlint, tmp_path: Path) -> None:
    assert pick_refusal(govlint, tmp_path, "our-pilot") == (
        "pack.yaml:9:44: error GL031 'before' takes a date (YYYY-MM-DD) or 'today', "
        "'today+90d', 'today-1y': got 'our-pilot', and no row of application_dates with a "
        "date of its own; did you mean 'our-pilots'?"
    )


def test_a_pick_condition_naming_a_pick_row_is_refused(govlint, tmp_path: Path) -> None:
    # a pick row stands for other rows: it has no single date a condition could compare with
    line = pick_refusal(govlint, tmp_path, "our-duties")
    assert line.startswith("pack.yaml:9:44: error GL031 ")
    assert "got 'our-duties', and no row of application_dates with a date of its own" in line
