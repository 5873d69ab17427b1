"""Configuration: find the nearest ``.govlint.yaml`` or ``[tool.govlint]`` and read it.

A broken configuration is a ``ConfigError`` whose message is one line the user can
jump to: ``file:line:col: what is wrong``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govlint.config import ConfigError, find_config, load_config
from govlint.load import Limits


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def config_error(path: Path, cwd: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path, cwd)
    message = str(info.value)
    assert "\n" not in message, "a configuration error is one line"
    return message


# --- finding the configuration ----------------------------------------------------------


def test_no_configuration_anywhere(tmp_path: Path) -> None:
    start = tmp_path / "repo" / "initiatives"
    start.mkdir(parents=True)
    outside = [
        folder
        for folder in tmp_path.parents
        if (folder / ".govlint.yaml").exists() or (folder / "pyproject.toml").exists()
    ]
    if outside:
        pytest.skip(f"a configuration above the temporary folder: {outside[0]}")
    assert find_config(start) is None


def test_nearest_configuration_upwards_wins(tmp_path: Path) -> None:
    top = write(tmp_path / ".govlint.yaml", "fail_on: error\n")
    nested = write(tmp_path / "team" / ".govlint.yml", "fail_on: warning\n")
    deep = tmp_path / "team" / "initiatives" / "2026"
    deep.mkdir(parents=True)
    assert find_config(deep) == nested
    assert find_config(tmp_path / "team") == nested
    assert find_config(tmp_path) == top


def test_yaml_is_preferred_over_yml_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / ".govlint.yml", "fail_on: info\n")
    yaml = write(tmp_path / ".govlint.yaml", "fail_on: warning\n")
    assert find_config(tmp_path) == yaml


def test_pyproject_counts_only_with_a_tool_govlint_table(tmp_path: Path) -> None:
    top = write(tmp_path / ".govlint.yaml", "fail_on: error\n")
    project = tmp_path / "project"
    pyproject = write(project / "pyproject.toml", "[project]\nname = 'planner'\n")
    assert find_config(project) == top
    write(pyproject, "[project]\nname = 'planner'\n\n[tool.govlint]\nfail_on = 'warning'\n")
    assert find_config(project) == pyproject


def test_govlint_yaml_beats_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.govlint]\nfail_on = 'warning'\n")
    yaml = write(tmp_path / ".govlint.yaml", "fail_on: info\n")
    assert find_config(tmp_path) == yaml


# --- reading it -------------------------------------------------------------------------


def test_no_configuration_means_the_defaults(tmp_path: Path) -> None:
    config = load_config(None, tmp_path)
    assert config.root == tmp_path
    assert config.source is None
    assert config.settings.policies == ["baseline"]
    assert config.settings.fail_on == "error"
    assert config.settings.manifests == []
    assert config.settings.rules == {}
    assert config.limits == Limits()


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".govlint.yaml",
        "manifests: ['initiatives/**/*.yaml']\n"
        "registry: [registry/*.yaml]\n"
        "exclude: ['**/drafts/*']\n"
        "policies: [baseline, ./policies/municipal.yaml]\n"
        "rule_paths: [rules]\n"
        "fail_on: warning\n"
        "rules:\n"
        "  HUM-001: {severity: warning}\n"
        "  DAT-002:\n"
        "    enabled: false\n"
        "limits:\n"
        "  max_file_bytes: 2048\n"
        "  max_depth: 20\n"
        "  max_nodes: 5000\n"
        "x-owner: data-office\n",
    )
    config = load_config(path, tmp_path)
    settings = config.settings
    assert config.root == tmp_path.resolve()
    assert config.source == path
    assert settings.manifests == ["initiatives/**/*.yaml"]
    assert settings.registry == ["registry/*.yaml"]
    assert settings.exclude == ["**/drafts/*"]
    assert settings.policies == ["baseline", "./policies/municipal.yaml"]
    assert settings.rule_paths == ["rules"]
    assert settings.fail_on == "warning"
    assert settings.rules["HUM-001"].severity == "warning"
    assert settings.rules["HUM-001"].enabled is True
    assert settings.rules["DAT-002"].severity is None
    assert settings.rules["DAT-002"].enabled is False
    assert config.limits == Limits(max_file_bytes=2048, max_depth=20, max_nodes=5000)
    # the parsed document is kept so later errors can point into the file
    assert config.document is not None
    assert config.document.locate(("fail_on",)).span.line == 6


def test_relative_paths_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    path = write(tmp_path / "governance" / ".govlint.yaml", "manifests: [initiatives]\n")
    config = load_config(path, tmp_path)
    assert config.root == (tmp_path / "governance").resolve()


def test_empty_configuration_file_means_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path / ".govlint.yaml", "# nothing configured yet\n")
    config = load_config(path, tmp_path)
    assert config.source == path
    assert config.settings.policies == ["baseline"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "manfests: [initiatives]\n",
            ".govlint.yaml:1:1: unknown key 'manfests' in the top level "
            "(did you mean 'manifests'?); prefix organisation-specific keys with 'x-'",
            id="unknown-key",
        ),
        pytest.param(
            "fail_on: warnings\n",
            ".govlint.yaml:1:10: fail_on: 'warnings' is not allowed (did you mean 'warning'?); "
            "expected one of: error, warning, info",
            id="enum-typo",
        ),
        pytest.param(
            "policies: baseline\n",
            ".govlint.yaml:1:11: policies: expected a list, got the string 'baseline'",
            id="string-for-list",
        ),
        pytest.param(
            "limits:\n  max_dept: 50\n",
            ".govlint.yaml:2:3: unknown key 'max_dept' in limits (did you mean 'max_depth'?); "
            "prefix organisation-specific keys with 'x-'",
            id="nested-unknown-key",
        ),
        pytest.param(
            "rules:\n  HUM-001: off\n",
            ".govlint.yaml:2:12: rules.HUM-001: expected a mapping, got the string 'off'",
            id="rule-setting-not-a-mapping",
        ),
        pytest.param(
            "fail_on: warning\nfail_on: info\n",
            ".govlint.yaml:2:1: duplicate key 'fail_on' (first defined at line 1); "
            "remove one of them, YAML keeps only one value",
            id="duplicate-key",
        ),
        pytest.param(
            "- manifests\n",
            ".govlint.yaml:1:1: the configuration must be a mapping of settings",
            id="list",
        ),
        pytest.param(
            "fail_on: error\n---\nfail_on: info\n",
            ".govlint.yaml:3:1: the configuration must be a single YAML document",
            id="two-documents",
        ),
    ],
)
def test_yaml_configuration_errors_name_file_line_and_column(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path / ".govlint.yaml", text)
    assert config_error(path, tmp_path) == expected


def test_limit_must_be_positive(tmp_path: Path) -> None:
    path = write(tmp_path / ".govlint.yaml", "limits:\n  max_depth: 0\n")
    message = config_error(path, tmp_path)
    assert message.startswith(".govlint.yaml:2:14: limits.max_depth: ")
    assert "greater than 0" in message


def test_invalid_yaml_configuration(tmp_path: Path) -> None:
    path = write(tmp_path / ".govlint.yaml", "manifests: [initiatives\n")
    message = config_error(path, tmp_path)
    # the flow list is still open when the file ends on line 2
    assert message.startswith(".govlint.yaml:2:1: invalid YAML: ")


def test_error_in_a_config_below_the_working_folder(tmp_path: Path) -> None:
    path = write(tmp_path / "governance" / ".govlint.yaml", "fail_on: never\n")
    message = config_error(path, tmp_path)
    assert message.startswith("governance/.govlint.yaml:1:10: fail_on: 'never' is not allowed")


def test_rule_severity_typo_lists_the_severities(tmp_path: Path) -> None:
    path = write(tmp_path / ".govlint.yaml", "rules:\n  HUM-001:\n    severity: fatal\n")
    assert config_error(path, tmp_path) == (
        ".govlint.yaml:3:15: rules.HUM-001.severity: 'fatal' is not allowed; "
        "expected one of: error, warning, info"
    )


def test_rule_setting_typo_suggests_the_key(tmp_path: Path) -> None:
    path = write(tmp_path / ".govlint.yaml", "rules:\n  HUM-001:\n    enabeld: false\n")
    message = config_error(path, tmp_path)
    assert message.startswith(".govlint.yaml:3:5: unknown key 'enabeld' in rules.HUM-001")
    assert "(did you mean 'enabled'?)" in message


# --- [tool.govlint] in pyproject.toml ----------------------------------------------------


def test_pyproject_tool_govlint(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        "[project]\nname = 'planner'\n\n"
        "[tool.govlint]\n"
        "manifests = ['initiatives/*.yaml']\n"
        "fail_on = 'warning'\n\n"
        "[tool.govlint.rules.HUM-001]\n"
        "enabled = false\n\n"
        "[tool.govlint.limits]\n"
        "max_depth = 50\n",
    )
    config = load_config(path, tmp_path)
    assert config.root == tmp_path.resolve()
    assert config.source == path
    assert config.settings.manifests == ["initiatives/*.yaml"]
    assert config.settings.fail_on == "warning"
    assert config.settings.policies == ["baseline"]
    assert config.settings.rules["HUM-001"].enabled is False
    assert config.limits == Limits(max_depth=50)


def test_pyproject_without_the_table_is_an_error_when_named(tmp_path: Path) -> None:
    # `--config pyproject.toml` without [tool.govlint] is a mistake, not a request for defaults
    path = write(tmp_path / "pyproject.toml", "[project]\nname = 'planner'\n")
    with pytest.raises(
        ConfigError, match=r"no \[tool.govlint\] table; add one, or use .govlint.yaml"
    ):
        load_config(path, tmp_path)


def test_invalid_toml_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.govlint\nfail_on = 'warning'\n")
    message = config_error(path, tmp_path)
    assert message.startswith("pyproject.toml:1:14: invalid TOML: ")


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            "[project]\nname = 'x'\n\n[tool.govlint]\nmanifests = ['a']\nfailon = 'warning'\n",
            "pyproject.toml:6:1: unknown key 'failon' in the top level (did you mean "
            "'fail_on'?); prefix organisation-specific keys with 'x-'",
        ),
        (
            "[tool.govlint]\nfail_on = 'warnin'\n",
            "pyproject.toml:2:11: fail_on: 'warnin' is not allowed (did you mean 'warning'?); "
            "expected one of: error, warning, info",
        ),
        (
            "[tool.govlint]\n\n[tool.govlint.limits]\nmax_dept = 3\n",
            "pyproject.toml:4:1: unknown key 'max_dept' in limits (did you mean 'max_depth'?); "
            "prefix organisation-specific keys with 'x-'",
        ),
        (
            "[tool.govlint]\nwaiver_policy.allow_in_manifest = true\n",
            "pyproject.toml:2:1: unknown key 'allow_in_manifest' in waiver_policy (did you mean "
            "'allow_in_manifests'?); prefix organisation-specific keys with 'x-'",
        ),
        (
            "[tool.govlint]\nrules = {'EXP-002' = {severty = 'info'}}\n",
            "pyproject.toml:2:1: unknown key 'severty' in rules.EXP-002 (did you mean "
            "'severity'?); prefix organisation-specific keys with 'x-'",
        ),
        (
            "[tool.govlint]\npolicies = 'baseline'\n",
            "pyproject.toml:2:12: policies: expected a list, got the string 'baseline'",
        ),
    ],
)
def test_tool_govlint_errors_as_for_govlint_yaml(tmp_path: Path, toml: str, expected: str) -> None:
    # the same mistakes in .govlint.yaml get file:line:col and did-you-mean; so does pyproject
    path = write(tmp_path / "pyproject.toml", toml)
    assert config_error(path, tmp_path) == expected


def test_tool_govlint_must_be_a_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool]\ngovlint = 'strict'\n")
    assert config_error(path, tmp_path) == "pyproject.toml:2:1: [tool.govlint] must be a table"


def test_tool_that_is_not_a_table_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "tool = 'govlint'\n")
    config_error(path, tmp_path)
