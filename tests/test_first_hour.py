"""A newcomer's first hour: the options people know from ruff, yamllint and check-jsonschema,
and clear answers where govlint used to stay silent or blame the wrong place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import README_RULE, REPO, base_manifest, run_govlint, with_registry


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


#: a manifest with three findings of three rules: HUM-007 (a team as owner), CON-002 (no
#: strategic goal) and CON-101 (a platform that is not in the registry)
THREE_RULES = (
    base_manifest()
    .replace("  strategic_goals: [proactive-public-space]\n", "")
    .replace("platform: data-platform", "platform: data-platfrom")
    .replace("name: Alex Example", "name: Operations team")
)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    with_registry(tmp_path)
    write(tmp_path, "a.yaml", THREE_RULES)
    return tmp_path


def rules_of(lines: list[str]) -> list[str]:
    """The rule ids of the finding lines (not the summary, not the 'not assessable' lines)."""
    words = [line.split() for line in lines]
    return [w[2] for w in words if len(w) > 2 and w[1] in ("error", "warning", "info")]


# --- item 13: --select / --extend-select / --ignore, as in ruff ---------------------------


def test_all_three_rules_report_without_selection(govlint, portfolio: Path) -> None:
    result = govlint("check", "a.yaml", "--no-cache")
    assert rules_of(result.lines[:-1]) == ["HUM-007", "CON-002", "CON-101"], result


def test_select_takes_ids_and_prefixes(govlint, portfolio: Path) -> None:
    result = govlint("check", "a.yaml", "--select", "CON", "--no-cache")
    assert rules_of(result.lines[:-1]) == ["CON-002", "CON-101"], result
    assert result.lines[-1] == "Found 2 problems (1 error, 1 warning) in 1 of 1 file."
    # a prefix inside the number, lower case and a comma-separated list work as in ruff
    result = govlint("check", "a.yaml", "--select", "con-10,hum-007", "--no-cache")
    assert rules_of(result.lines[:-1]) == ["HUM-007", "CON-101"], result
    assert result.code == 1


def test_ignore_removes_rules_and_schema_findings_stay(govlint, portfolio: Path) -> None:
    text = THREE_RULES.replace("tier: minimal", "tier: low")
    write(portfolio, "a.yaml", text)
    result = govlint("check", "a.yaml", "--ignore", "CON,HUM-007", "--no-cache")
    # GL diagnostics are problems with the input itself: never selected away
    assert rules_of(result.lines[:-1]) == ["GL011"], result


def test_extend_select_adds_a_rule_the_packs_do_not_select(govlint, portfolio: Path) -> None:
    (portfolio / ".govlint.yaml").write_text("registry: [registry.yaml]\npolicies: [eu-ai-act]\n")
    plain = govlint("check", "a.yaml", "--no-cache")
    assert "CON-002" not in plain.out  # not in the eu-ai-act pack
    result = govlint("check", "a.yaml", "--extend-select", "CON-002", "--no-cache")
    assert " warning CON-002 " in result.out, result


def test_select_suggests_the_closest_code(govlint, portfolio: Path) -> None:
    result = govlint("check", "a.yaml", "--select", "DTA")
    assert result.code == 2
    assert result.err.strip() == (
        "govlint: error: --select DTA: no rule id starts with 'DTA'; did you mean 'DAT'? "
        "(see 'govlint rules --all')"
    )
    result = govlint("check", "a.yaml", "--ignore", "GL011")
    assert result.code == 2
    assert "--ignore GL011: GL diagnostics are problems with the input itself" in result.err


def test_ignoring_a_locked_rule_keeps_it_and_says_so(govlint, portfolio: Path) -> None:
    high_risk = (
        base_manifest()
        .replace("tier: minimal", "tier: high")
        .replace("oversight: human-in-the-loop", "oversight: none")
    )
    write(portfolio, "a.yaml", high_risk)
    # HUM-001 binds this public body's system, in use since 2025, from 2030-08-02 (Art. 111(2))
    result = govlint("check", "a.yaml", "--ignore", "HUM", "--no-cache", "--today", "2030-08-02")
    assert " error HUM-001 " in result.out, result
    assert "govlint: note: locked rules stay selected: HUM-001 " in result.err
    assert result.code == 1


def test_a_waiver_for_a_rule_left_out_by_select_is_not_called_unused(
    govlint, portfolio: Path
) -> None:
    waived = THREE_RULES + (
        "waivers:\n  - rule: HUM-007\n    reason: The team lead is being appointed.\n"
        "    approved_by: Governance office\n    expires: 2099-01-01\n"
    )
    write(portfolio, "a.yaml", waived)
    result = govlint("check", "a.yaml", "--select", "CON-101", "--no-cache")
    assert "GL042" not in result.out, result
    assert rules_of(result.lines[:-1]) == ["CON-101"], result


# --- --exit-zero, -V, FORCE_COLOR -----------------------------------------------------------


def test_exit_zero_reports_but_does_not_fail(govlint, portfolio: Path) -> None:
    result = govlint("check", "a.yaml", "--exit-zero")
    assert result.code == 0
    assert result.lines[-1] == "Found 3 problems (2 errors, 1 warning) in 1 of 1 file."
    # unreadable input is not a finding: still exit code 2
    write(portfolio, "broken.yaml", "apiVersion: govlint/v1\nkind: Initiative\n  x: 1\n")
    assert govlint("check", "broken.yaml", "--exit-zero").code == 2


def test_short_version_option(govlint) -> None:
    from govlint import __version__

    result = govlint("-V")
    assert (result.code, result.out.strip()) == (0, f"govlint, version {__version__}")


def test_force_color_colours_output_that_is_not_a_terminal(govlint, portfolio: Path) -> None:
    forced = govlint("check", "a.yaml", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\x1b[" in forced.out
    plain = govlint("check", "a.yaml", env={"NO_COLOR": "", "FORCE_COLOR": ""})
    assert "\x1b[" not in plain.out
    # NO_COLOR wins over FORCE_COLOR; --color never wins over both
    both = govlint("check", "a.yaml", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in both.out
    never = govlint("check", "a.yaml", "--color", "never", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\x1b[" not in never.out


# --- reading a manifest from standard input --------------------------------------------------


def run_stdin(args: list[str], text: str, cwd: Path) -> tuple[int, str, str]:
    result = run_govlint(*args, cwd=cwd, stdin=text)
    return result.code, result.out, result.err


def test_stdin_is_checked_under_the_given_name(tmp_path: Path) -> None:
    with_registry(tmp_path)
    code, out, _ = run_stdin(
        ["check", "-", "--stdin-filename", "initiatives/new.yaml", "--no-cache"],
        THREE_RULES,
        tmp_path,
    )
    line = line_of(THREE_RULES, "data-platfrom")
    assert code == 1
    assert (
        f"initiatives/new.yaml:{line}:13: error CON-101 platform 'data-platfrom' does not exist "
        "in the registry; did you mean 'data-platform'?"
    ) in out.splitlines()
    assert out.splitlines()[-1] == "Found 3 problems (2 errors, 1 warning) in 1 of 1 file."


def test_stdin_replaces_the_file_of_that_name_in_the_portfolio(tmp_path: Path) -> None:
    # an editor checks its unsaved buffer: the file on disk is clean, the buffer is not,
    # and the rest of the portfolio is read to judge cross-file rules
    with_registry(tmp_path, "manifests: ['initiatives/*.yaml']\n")
    write(tmp_path, "initiatives/a.yaml", base_manifest())
    other = base_manifest().replace("id: example-initiative", "id: other")
    other = other.replace("unit: operations", "unit: finance")
    other = other.replace("Suggests maintenance crew schedules", "Forecasts the yearly budget")
    write(tmp_path, "initiatives/other.yaml", other)
    code, out, _ = run_stdin(
        ["check", "-", "--stdin-filename", "initiatives/a.yaml", "--no-cache"],
        base_manifest().replace("tier: minimal", "tier: low"),
        tmp_path,
    )
    assert code == 1
    lines = out.splitlines()
    assert any(" error GL011 risk.tier: 'low' is not allowed" in line for line in lines), out
    # CON-103 needs the other file: capability 'crew-scheduling' is provided by both
    assert any(
        line.startswith("initiatives/a.yaml:") and " warning CON-103 " in line for line in lines
    ), out
    # the other end of the duplicate is reported too, and counted as a file
    # (capability and product clusters: both name the model crew-planner in-house)
    assert lines[-1].startswith("Found 5 problems (1 error, 4 warnings) in 2 of 2 files")


def test_stdin_without_a_name_and_misuse(tmp_path: Path) -> None:
    code, out, _ = run_stdin(["check", "-"], "apiVersion: govlint/v1\nkind: Nope\n", tmp_path)
    assert code == 2
    assert out.splitlines()[0].startswith("<stdin>:2:7: error GL004 unknown kind 'Nope'")
    code, _, err = run_stdin(["check", "-", "other.yaml"], "", tmp_path)
    assert (code, err.strip()) == (
        2,
        "govlint: error: '-' (standard input) cannot be combined with other PATHS",
    )
    code, _, err = run_stdin(["check", "x.yaml", "--stdin-filename", "x.yaml"], "", tmp_path)
    assert code == 2 and "--stdin-filename needs PATHS '-'" in err


def test_stdin_is_bounded_by_the_file_size_limit(tmp_path: Path) -> None:
    (tmp_path / ".govlint.yaml").write_text("limits: {max_file_bytes: 1000}\n")
    code, out, _ = run_stdin(["check", "-", "--no-cache"], base_manifest(), tmp_path)
    assert code == 2
    # the manifest has about 2,000 bytes: reading stops one byte past the limit
    assert len(base_manifest().encode()) > 1500
    assert out.splitlines()[0].startswith(
        "<stdin>:1:1: error GL005 file is 1,001 bytes, over the limit of 1,000"
    )


# --- --show-source ---------------------------------------------------------------------------


def test_show_source_prints_the_offending_lines(govlint, portfolio: Path) -> None:
    line = line_of(THREE_RULES, "data-platfrom")
    result = govlint("check", "a.yaml", "--select", "CON-101", "--show-source", "--no-cache")
    width = len(str(line))
    pad = " " * width
    assert result.out.splitlines()[:4] == [
        f"a.yaml:{line}:13: error CON-101 platform 'data-platfrom' does not exist in the "
        "registry; did you mean 'data-platform'?",
        f"{pad} |",
        f"{line} |   platform: data-platfrom",
        f"{pad} |             ^^^^^^^^^^^^^",
    ], result
    # the default stays one line per finding, for grep and editors
    plain = govlint("check", "a.yaml", "--select", "CON-101", "--no-cache")
    assert len(plain.lines) == 2


def test_show_source_neutralises_terminal_escapes(govlint, portfolio: Path) -> None:
    text = THREE_RULES.replace("platform: data-platfrom", 'platform: "data-\\e[31mplat"')
    write(portfolio, "a.yaml", text)
    result = govlint("check", "a.yaml", "--select", "CON-101", "--show-source", "--no-cache")
    assert "\x1b" not in result.out
    assert 'platform: "data-\\e[31mplat"' in result.out  # the source as written


# --- item 5: GL codes in explain and rules --all ---------------------------------------------


def test_explain_a_gl_code(govlint) -> None:
    result = govlint("explain", "GL011")
    assert result.code == 0, result
    assert result.lines[0] == "GL011 invalid-value: Invalid value"
    assert "Severity: error; fails the check (exit code 1)." in result.lines
    by_name = govlint("explain", "invalid-yaml")
    assert by_name.lines[0] == "GL001 invalid-yaml: Invalid YAML"
    assert "exit code 2" in by_name.out
    typo = govlint("explain", "GL0111")
    assert typo.code == 2 and "did you mean 'GL011'?" in typo.err


def test_rules_all_lists_gl_codes(govlint) -> None:
    result = govlint("rules", "--all")
    gl = [line for line in result.lines if line.startswith("GL")]
    assert "GL011     error    (input)         Invalid value" in gl
    assert "GL008     info     (input)         Not a govlint document, skipped" in gl
    assert not [line for line in govlint("rules").lines if line.startswith("GL")]


def test_readme_gl_table_matches_the_diagnostics() -> None:
    from govlint.diagnostics import DIAGNOSTICS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Built-in diagnostics (GL)", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| GL")]
    documented = {cells[1].strip(): cells[3].strip() for cells in rows}
    assert set(documented) == set(DIAGNOSTICS)
    for code, diagnostic in DIAGNOSTICS.items():
        exit_text = documented[code]
        assert exit_text.startswith(str(diagnostic.exit_code)) or (
            diagnostic.exit_code == 0 and exit_text.startswith(("0", "1 at"))
        ), code


# --- item 6: govlint init, then what it says ---------------------------------------------------


def test_init_then_the_suggested_command_passes(govlint, tmp_path: Path) -> None:
    result = govlint("init", ".")
    assert result.lines[-1] == "next: govlint check"
    # the organisation adds its own rule folder, as the README shows
    write(tmp_path, "governance/rules/lifecycle/ORG-010-owner-has-email.yaml", README_RULE)
    with (tmp_path / ".govlint.yaml").open("a") as config:
        config.write("rule_paths: [governance/rules]\n")
    checked = govlint("check")
    assert (checked.code, checked.lines) == (0, ["All checks passed: 2 files checked."])
    # a folder scan does not take the rule file for a manifest either
    scanned = govlint("check", ".")
    assert "GL008" not in scanned.out, scanned
    assert scanned.code == 0
    # another YAML file is reported, and following the advice silences it
    write(tmp_path, "ci.yaml", "stages: [test]\n")
    scanned = govlint("check", ".")
    assert scanned.lines[0] == (
        "ci.yaml:1:1: info GL008 skipped: not a govlint document (no 'apiVersion: govlint/v1' "
        "and no 'kind'); if it is a manifest, add them; if not, list it under 'exclude:' in "
        "the configuration"
    )
    with (tmp_path / ".govlint.yaml").open("a") as config:
        config.write("exclude: [ci.yaml]\n")
    assert "GL008" not in govlint("check", ".").out


def test_init_in_another_folder_says_to_go_there(govlint, tmp_path: Path) -> None:
    result = govlint("init", "team")
    assert result.lines[-1] == "next: cd team && govlint check"
    assert govlint("check", cwd=tmp_path / "team").code == 0


# --- item 7: no silent success on nothing --------------------------------------------------------


def test_principle_as_the_manifest_spells_it(govlint) -> None:
    result = govlint("rules", "--principle", "human_role")
    assert result.code == 0 and result.lines, result
    assert all(line.split()[2] == "human-role" for line in result.lines)


def test_unknown_principle_is_an_error_with_a_suggestion(govlint) -> None:
    result = govlint("rules", "--principle", "ethic")
    assert result.code == 2
    assert result.err.strip() == (
        "govlint: error: --principle 'ethic': no such principle (did you mean 'ethics'?); "
        "one of: data, ethics, explainability, human-role, contribution, lifecycle"
    )


def test_a_filter_that_matches_nothing_says_so(govlint, tmp_path: Path) -> None:
    # a pack of one error rule: no human-role rule of severity info is selected
    (tmp_path / ".govlint.yaml").write_text("policies: [pack.yaml]\n", encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: one\ninclude: {rules: [HUM-001]}\n",
        encoding="utf-8",
    )
    result = govlint("rules", "--principle", "human_role", "--severity", "info")
    assert result.code == 0 and result.out == ""
    assert result.err.strip() == (
        "govlint: no selected rule of principle 'human-role' with severity 'info' "
        "(see --all for every known rule)"
    )


def test_checking_an_empty_folder_is_an_error(govlint, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert govlint("check", "empty").code == 2
    # also when the configuration names a portfolio elsewhere
    with_registry(tmp_path)
    result = govlint("check", "empty")
    assert result.code == 2
    assert result.err.strip() == (
        "govlint: error: no YAML files found in empty; pass manifest files or folders"
    )


# --- item 8: -o means the same everywhere -----------------------------------------------------


def test_output_suffix_picks_the_format(govlint, portfolio: Path) -> None:
    result = govlint("check", "a.yaml", "-o", "govlint.sarif", "-o", "findings.json")
    assert result.code == 1
    assert result.out == ""
    sarif = json.loads((portfolio / "govlint.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert json.loads((portfolio / "findings.json").read_text())["summary"]["findings"] == 3


def test_output_dash_is_standard_output(govlint, portfolio: Path) -> None:
    result = govlint("check", "a.yaml", "--format", "json", "-o", "-")
    assert json.loads(result.out)["summary"]["findings"] == 3
    assert not (portfolio / "-").exists()
    result = govlint("check", "a.yaml", "-o", "sarif=-")
    assert json.loads(result.out)["version"] == "2.1.0"
    assert not (portfolio / "-").exists()


def test_output_with_an_unknown_suffix_is_an_error(govlint, portfolio: Path) -> None:
    result = govlint("check", "a.yaml", "-o", "govlint.log")
    assert result.code == 2
    assert result.err.startswith(
        "govlint: error: --output govlint.log: cannot tell the format from the name; add --format"
    )
    assert not (portfolio / "govlint.log").exists()
    assert govlint("check", "a.yaml", "--format", "text", "-o", "govlint.log").code == 1
    assert (portfolio / "govlint.log").read_text().startswith("a.yaml:")


def test_report_output_with_an_unknown_suffix_is_an_error(govlint, portfolio: Path) -> None:
    result = govlint("report", "a.yaml", "-o", "board.pdf")
    assert result.code == 2
    assert "--output board.pdf: cannot tell the format from the name" in result.err
    assert not (portfolio / "board.pdf").exists()
    to_stdout = govlint("report", "a.yaml", "--format", "json", "-o", "-")
    assert json.loads(to_stdout.out)["schema"] == "govlint/board-report"
    assert not (portfolio / "-").exists()


# --- item 10: a name from the command line is blamed on the command line ---------------------


def test_unknown_policy_on_the_command_line(govlint, tmp_path: Path) -> None:
    (tmp_path / ".govlint.yaml").write_text("policies: [baseline]\n")
    result = govlint("rules", "--policy", "basline")
    assert result.code == 2
    assert result.err.strip() == (
        "govlint: error: --policy 'basline': no such policy pack (did you mean 'baseline'?); "
        "use a built-in pack (baseline, eu-ai-act, nl-algoritmekader, us-omb-m-25-21) or the path of "
        "a pack file"
    )
    assert ".govlint.yaml" not in result.err


# --- item 12: wording -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    reuses: [route-optimisation]",
            "    reuses: false",
            "contribution.capabilities.reuses: expected a list, got false",
        ),
        (
            "    reuses: [route-optimisation]",
            "    reuses: {a: 1}",
            "contribution.capabilities.reuses: expected a list, got a mapping",
        ),
        (
            '  version: "1.0"',
            "  version: 0.30",
            "model.version: expected a string, got the number 0.3; put the value in quotes to "
            "keep it as written (version: '...'): unquoted, YAML reads it as a number and drops "
            "trailing zeros (0.30 becomes 0.3)",
        ),
    ],
)
def test_schema_messages_use_yaml_words(
    govlint, tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = base_manifest()
    assert old in text
    write(tmp_path, "a.yaml", text.replace(old, new))
    result = govlint("check", "a.yaml", "--select", "LIF-101", "--no-cache")
    found = [line.split(" GL011 ", 1)[1] for line in result.lines if " GL011 " in line]
    assert found == [message], result


def test_duplicate_id_blames_the_new_file(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path, "manifests: ['initiatives/*.yaml']\n")
    write(tmp_path, "initiatives/z-existing.yaml", base_manifest())
    new = base_manifest().replace("Suggests maintenance crew schedules", "Plans bulky waste")
    write(tmp_path, "initiatives/a-new.yaml", new)
    line = line_of(new, "id: example-initiative")
    result = govlint("check", "--pre-commit", "initiatives/a-new.yaml", "--select", "LIF-101")
    assert result.lines[0] == (
        f"initiatives/a-new.yaml:{line}:7: error LIF-101 initiative id 'example-initiative' is "
        f"already used in initiatives/z-existing.yaml:{line}; ids must be unique across the "
        "portfolio"
    ), result
    # a whole-portfolio run keeps the file order: the later file is the one reported
    whole = govlint("check", "--select", "LIF-101", "--no-cache")
    assert whole.lines[0].startswith(f"initiatives/z-existing.yaml:{line}:7: error LIF-101 ")


def test_test_summary_counts_in_the_singular(govlint, tmp_path: Path) -> None:
    write(tmp_path, "rules/ORG-010-owner-has-email.yaml", README_RULE)
    result = govlint("test", "rules")
    assert result.lines == ["1 rule, 2 examples: 2 passed, 0 failed"]


def test_report_summary_counts_in_the_singular(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path)
    write(tmp_path, "a.yaml", base_manifest())
    result = govlint("report", "a.yaml", "-o", "board.json")
    assert result.err.strip() == "wrote board.json (json): 1 initiative, 0 findings"


def test_schema_of_the_waivers_file(govlint) -> None:
    result = govlint("schema", "--kind", "waivers")
    schema = json.loads(result.out)
    assert result.code == 0
    assert "waivers" in schema["properties"]
    assert schema["$comment"].endswith("(govlint schema --kind waivers).")
