"""Waivers cannot be smuggled: they come only from the places the configuration names, a
manifest's waiver speaks only for its own file, a team cannot drop locked rules, and one bad
waiver does not hide the others."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import base_manifest, run_govlint, with_registry

TODAY = "2026-11-29"
WAIVER = "reason: Board not set up.\n    approved_by: Governance office\n    expires: 2027-06-30"


def no_review_date(initiative: str = "example-initiative") -> str:
    text = base_manifest().replace("  review_date: 2099-12-31\n", "")
    return text.replace("id: example-initiative", f"id: {initiative}")


def central_file(rules: list[str], initiative: str = "example-initiative") -> str:
    entries = "".join(
        f"  - rule: {rule}\n    initiative: {initiative}\n    {WAIVER}\n" for rule in rules
    )
    return "apiVersion: govlint/v1\nkind: Waivers\nwaivers:\n" + (entries or "  []\n")


def lines_with(result: object, needle: str) -> list[str]:
    return [line for line in result.lines if needle in line]  # type: ignore[attr-defined]


def test_a_waivers_file_the_configuration_does_not_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(no_review_date())
    (tmp_path / "governance").mkdir()
    (tmp_path / "governance" / "waivers.yaml").write_text(central_file([]))
    # the pull request adds its own central file somewhere the scan reaches
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "waivers.yaml").write_text(central_file(["LIF-001"]))
    with_registry(
        tmp_path,
        "manifests: [m.yaml, 'team/*.yaml']\nwaivers: [governance/waivers.yaml]\n"
        "waiver_policy: {allow_in_manifests: false}\n",
    )
    result = run_govlint("check", "--today", TODAY, cwd=tmp_path)
    assert result.code == 1, result
    assert lines_with(result, "error LIF-001 "), result  # not waived
    assert lines_with(result, "team/waivers.yaml:4:5: error GL043 this waivers file is not one of")
    # listing it makes it central: now it applies
    with_registry(
        tmp_path,
        "manifests: [m.yaml]\nwaivers: ['governance/*.yaml', team/waivers.yaml]\n"
        "waiver_policy: {allow_in_manifests: false}\n",
    )
    result = run_govlint("check", "--today", TODAY, cwd=tmp_path)
    assert result.code == 0, result


def test_without_configured_waiver_files_a_scanned_one_does_not_count(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(no_review_date())
    (tmp_path / "waivers.yaml").write_text(central_file(["LIF-001"]))
    result = run_govlint("check", "--today", TODAY, ".", cwd=tmp_path)
    assert result.code == 1, result
    assert lines_with(result, "error LIF-001 ")
    assert lines_with(result, "waivers.yaml:4:5: error GL043 this waivers file is not one of")
    # a file named on the command line is named by the user: it counts
    named = run_govlint("check", "--today", TODAY, "m.yaml", "waivers.yaml", cwd=tmp_path)
    assert not lines_with(named, "error LIF-001 "), named
    assert not lines_with(named, "GL043"), named


def test_a_manifest_reusing_an_id_cannot_waive_the_other_manifest(tmp_path: Path) -> None:
    (tmp_path / "initiatives").mkdir()
    (tmp_path / "initiatives" / "a.yaml").write_text(no_review_date("shared-id"))
    # z.yaml claims the same id and carries waivers for the other file's findings and for
    # the duplicate id itself
    waivers = "".join(f"  - rule: {rule}\n    {WAIVER}\n" for rule in ("LIF-001", "LIF-101"))
    smuggler = base_manifest().replace("id: example-initiative", "id: shared-id")
    smuggler = smuggler.replace("Suggests maintenance crew schedules", "Something else for")
    (tmp_path / "initiatives" / "z.yaml").write_text(smuggler + "waivers:\n" + waivers)
    with_registry(tmp_path, "manifests: ['initiatives/*.yaml']\n")
    result = run_govlint("check", "--today", TODAY, cwd=tmp_path)
    assert result.code == 1, result
    # LIF-001 points at the lifecycle mapping, whose review date is missing
    line = no_review_date("shared-id").splitlines().index("lifecycle:") + 1
    where = f"initiatives/a.yaml:{line}:1: error LIF-001 "
    assert lines_with(result, where), result
    assert [line for line in result.lines if line.startswith("initiatives/a.yaml:")] == [
        line for line in result.lines if line.startswith(where)
    ]
    assert lines_with(result, "initiatives/z.yaml:6:7: error LIF-101 "), result
    assert "waived" not in result.lines[-1], result
    assert len(lines_with(result, "warning GL042 ")) == 2, result  # both match nothing


def test_a_manifest_waiver_still_waives_its_own_file(tmp_path: Path) -> None:
    waiver = "waivers:\n  - rule: LIF-001\n    " + WAIVER + "\n"
    (tmp_path / "m.yaml").write_text(no_review_date() + waiver)
    with_registry(tmp_path, "manifests: ['m.yaml']\n")
    result = run_govlint("check", "--today", TODAY, cwd=tmp_path)
    assert result.code == 0, result
    assert result.lines == ["All checks passed: 2 files checked; 1 waived (not counted)."]


def test_an_empty_policy_list_cannot_switch_off_the_locked_rules(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(base_manifest().replace("oversight: human-in-the-loop", ""))
    (tmp_path / ".govlint.yaml").write_text("rules: {LIF-001: {}}\npolicies: []\n")
    result = run_govlint("check", "--today", TODAY, "m.yaml", cwd=tmp_path)
    assert result.code == 2, result
    assert (
        ".govlint.yaml:2:1: error GL031 policies is empty: no pack would apply, and with them "
        "the rules the packs lock (the legal non-negotiables of 'baseline') would be switched "
        "off; name at least one pack, for example [baseline]"
    ) in result.err + result.out, result


def test_one_bad_waiver_does_not_hide_the_others(tmp_path: Path) -> None:
    """Five waivers: a valid one, one with a date in the wrong format, one for a locked
    rule, one for an unknown rule and an expired one; each is judged on its own."""
    waivers = textwrap.dedent(
        """\
        waivers:
          - rule: LIF-001
            reason: Board not set up.
            approved_by: Governance office
            expires: 2027-06-30
          - rule: EXP-001
            reason: Wrong date format.
            approved_by: Governance office
            expires: 01-06-2027
          - rule: HUM-001
            reason: Locked.
            approved_by: Governance office
            expires: 2027-06-30
          - rule: DAT-03
            reason: Typo in the id.
            approved_by: Governance office
            expires: 2027-06-30
          - rule: LIF-002
            reason: Long gone.
            approved_by: Governance office
            expires: 2026-01-31
        """
    )
    text = no_review_date() + waivers
    (tmp_path / "m.yaml").write_text(text)
    first = len(no_review_date().splitlines()) + 2  # the line of the first '- rule:'
    result = run_govlint("check", "--today", TODAY, "m.yaml", cwd=tmp_path)
    assert result.code == 1, result
    assert not lines_with(result, "error LIF-001 "), result  # the valid waiver applies
    assert lines_with(result, f"m.yaml:{first + 7}:14: error GL011 "), result
    assert lines_with(
        result, f"m.yaml:{first + 8}:5: error GL043 rule HUM-001 is locked by policy 'baseline'"
    ), result
    assert (
        f"m.yaml:{first + 12}:5: error GL043 waiver for unknown rule 'DAT-03'; "
        "did you mean 'DAT-003'?"
    ) in result.lines, result
    assert lines_with(result, f"m.yaml:{first + 16}:5: error GL040 waiver for LIF-002"), result
    assert result.lines[-1].endswith("1 waived (not counted)."), result
