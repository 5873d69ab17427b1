"""`govlint check` as a user runs it: findings with exact positions, exit codes, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import base_manifest, with_registry


@pytest.fixture(autouse=True)
def portfolio(tmp_path: Path) -> None:
    """Every test runs in a folder with a registry, so portfolio rules have what they need."""
    with_registry(tmp_path)


def position_of(text: str, needle: str, line_no: int | None = None) -> tuple[int, int]:
    """1-based (line, column) of the first occurrence of ``needle`` in ``text``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line and (line_no is None or number == line_no):
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in text")


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_examples_report_findings_at_exact_positions(govlint, examples: Path) -> None:
    result = govlint("check", "examples", cwd=examples.parent)
    hr = (examples / "initiatives" / "hr-recruitment-screening.yaml").read_text()
    line, col = position_of(hr, "none", position_of(hr, "oversight: none")[0])
    # an Annex III system not yet in use: HUM-001 binds it from 2027-12-02 (EU AI Act Art. 113)
    expected = f"examples/initiatives/hr-recruitment-screening.yaml:{line}:{col}: info HUM-001 "
    [found] = [out for out in result.lines if out.startswith(expected)]
    assert found.endswith("(applies from 2027-12-02)")
    assert result.code == 1
    assert result.lines[-1].startswith("Found ")


def test_clean_manifest_passes_with_exit_0(govlint, tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", base_manifest())
    result = govlint("check", "ok.yaml")
    assert result.code == 0, result
    assert result.lines == ["All checks passed: 1 file checked."]


def test_invalid_yaml_reports_parser_position_and_exit_2(govlint, tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", "apiVersion: govlint/v1\nkind: Initiative\n  name: x\n")
    result = govlint("check", "bad.yaml")
    assert result.code == 2
    # the parser stops at the ':' after the over-indented 'name' on line 3
    assert result.lines[0].startswith("bad.yaml:3:7: error GL001 invalid YAML: "), result
    assert "mapping values are not allowed" in result.lines[0]


def test_duplicate_key_points_at_second_key(govlint, tmp_path: Path) -> None:
    text = base_manifest().replace("kind: Initiative\n", "kind: Initiative\nkind: Initiative\n")
    write(tmp_path, "dup.yaml", text)
    result = govlint("check", "dup.yaml")
    first, _ = position_of(text, "kind: Initiative")
    assert result.code == 2
    assert (
        f"dup.yaml:{first + 1}:1: error GL002 duplicate key 'kind' (first defined at line {first})"
        in result.out
    ), result


def test_empty_file_is_an_error(govlint, tmp_path: Path) -> None:
    write(tmp_path, "empty.yaml", "")
    result = govlint("check", "empty.yaml")
    assert result.code == 2
    assert result.lines[0].startswith("empty.yaml:1:1: error GL007 file is empty"), result


def test_document_that_is_not_a_mapping(govlint, tmp_path: Path) -> None:
    write(tmp_path, "list.yaml", "- apiVersion: govlint/v1\n- kind: Initiative\n")
    result = govlint("check", "list.yaml")
    assert result.code == 2
    assert result.lines[0].startswith(
        "list.yaml:1:1: error GL004 document is a list, not a mapping"
    )


def test_wrong_types_are_findings_with_exit_1(govlint, tmp_path: Path) -> None:
    text = base_manifest().replace("personal_data: false", 'personal_data: "no"')
    write(tmp_path, "types.yaml", text)
    result = govlint("check", "types.yaml")
    line, col = position_of(text, '"no"')
    assert result.code == 1
    assert result.lines[0] == (
        f"types.yaml:{line}:{col}: error GL011 data.sources[0].personal_data: expected a "
        "boolean (true or false), got the string 'no'"
    )


def test_unknown_api_version_and_kind(govlint, tmp_path: Path) -> None:
    write(tmp_path, "v2.yaml", base_manifest().replace("govlint/v1", "govlint/v2"))
    write(tmp_path, "kind.yaml", base_manifest().replace("kind: Initiative", "kind: Initative"))
    result = govlint("check", "v2.yaml", "kind.yaml")
    assert result.code == 2
    line, col = position_of(base_manifest(), "Initiative", position_of(base_manifest(), "kind:")[0])
    assert (
        f"kind.yaml:{line}:{col}: error GL004 unknown kind 'Initative'; expected one of: "
        "Initiative, Organisation, Waivers (did you mean 'Initiative'?)"
    ) in result.lines
    line, col = position_of(base_manifest(), "govlint/v1")
    assert (
        f"v2.yaml:{line}:{col}: error GL004 unknown apiVersion 'govlint/v2'; this govlint "
        "reads 'govlint/v1'"
    ) in result.lines


def test_non_utf8_bytes_point_at_the_bad_byte(govlint, tmp_path: Path) -> None:
    write(
        tmp_path,
        "latin1.yaml",
        "apiVersion: govlint/v1\nkind: Initiative\nname: caf\xe9\n".encode("latin-1"),
    )
    result = govlint("check", "latin1.yaml")
    assert result.code == 2
    assert result.lines[0] == (
        "latin1.yaml:3:10: error GL006 file is not valid UTF-8: byte 0xe9 cannot be decoded; "
        "save the file as UTF-8"
    )


def test_missing_path_is_a_usage_error(govlint) -> None:
    result = govlint("check", "nowhere.yaml")
    assert result.code == 2
    assert (
        result.err.strip() == "govlint: error: nowhere.yaml: no such file or folder; check the path"
    )


def test_unreadable_config_is_one_line_with_position(govlint, tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", base_manifest())
    write(tmp_path, ".govlint.yaml", "fail_on: error\npolicies: [baseline\n")
    result = govlint("check", "ok.yaml")
    assert result.code == 2
    assert result.err.startswith("govlint: error: .govlint.yaml:3:1: invalid YAML:"), result
    assert len(result.err.strip().splitlines()) == 1


def test_config_with_unknown_key_suggests_the_right_one(govlint, tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", base_manifest())
    write(tmp_path, ".govlint.yaml", "fail_on: error\npolicys: [baseline]\n")
    result = govlint("check", "ok.yaml")
    assert result.code == 2
    assert result.err.strip().startswith(
        "govlint: error: .govlint.yaml:2:1: unknown key 'policys' in the top level "
        "(did you mean 'policies'?)"
    ), result


def test_a_broken_file_does_not_stop_the_others(govlint, tmp_path: Path) -> None:
    write(tmp_path, "m/a-broken.yaml", "key: [unclosed\n")
    text = base_manifest().replace("oversight: human-in-the-loop", "oversight: nobody")
    write(tmp_path, "m/b-valid.yaml", text)
    result = govlint("check", "m")
    files = {line.split(":")[0] for line in result.lines[:-1]}
    assert files == {"m/a-broken.yaml", "m/b-valid.yaml"}, result
    assert result.code == 2
    assert result.lines[-1] == (
        "Found 2 problems (2 errors) in 2 of 2 files; "
        "1 manifest not assessable on 3 rules until required values are filled in."
    )


def test_folder_scan_skips_other_yaml_but_says_so(govlint, tmp_path: Path) -> None:
    write(tmp_path, "m/ok.yaml", base_manifest())
    write(tmp_path, "m/ci.yaml", "stages: [test]\n")
    write(tmp_path, "m/.hidden.yaml", "not: govlint\n")
    result = govlint("check", "m")
    assert result.code == 0, result
    assert result.lines[0].startswith("m/ci.yaml:1:1: info GL008 skipped: not a govlint document")
    assert result.lines[-1] == "Found 1 problem (1 info) in 1 of 2 files."


def test_fail_on_threshold(govlint, tmp_path: Path) -> None:
    write(tmp_path, "m/ok.yaml", base_manifest())
    write(tmp_path, "m/other.yaml", "stages: [test]\n")
    assert govlint("check", "m").code == 0
    assert govlint("check", "m", "--fail-on", "info").code == 1
    with_registry(tmp_path, "fail_on: info\n")
    assert govlint("check", "m").code == 1
    assert govlint("check", "m", "--fail-on", "error").code == 0


def test_quiet_prints_findings_only(govlint, tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", base_manifest())
    assert govlint("check", "-q", "ok.yaml").out == ""
    write(tmp_path, "bad.yaml", base_manifest().replace("tier: minimal", "tier: low"))
    result = govlint("check", "--quiet", "bad.yaml")
    assert len(result.lines) == 1 and " GL011 " in result.lines[0]


def test_colour_on_request_and_never_with_no_color(govlint, tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", base_manifest().replace("tier: minimal", "tier: low"))
    coloured = govlint("check", "--color", "always", "bad.yaml")
    assert "\x1b[" in coloured.out
    plain = govlint("check", "bad.yaml")  # not a terminal, NO_COLOR set
    assert "\x1b[" not in plain.out


def test_statistics_counts_findings_per_rule(govlint, tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", base_manifest().replace("tier: minimal", "tier: low"))
    write(tmp_path, "b.yaml", base_manifest().replace("tier: minimal", "tier: lo"))
    result = govlint("check", "--statistics", "a.yaml", "b.yaml")
    assert "    2  GL011      error" in result.lines


def test_today_must_be_a_date(govlint, tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", base_manifest())
    result = govlint("check", "--today", "tomorrow", "ok.yaml")
    assert result.code == 2
    assert "--today 'tomorrow' is not a date" in result.err


def test_config_globs_are_used_without_paths(govlint, tmp_path: Path) -> None:
    write(tmp_path, "initiatives/a.yaml", base_manifest().replace("tier: minimal", "tier: low"))
    write(tmp_path, "elsewhere/b.yaml", base_manifest().replace("tier: minimal", "tier: low"))
    with_registry(tmp_path, "manifests: ['initiatives/*.yaml']\n")
    sub = tmp_path / "initiatives"
    result = govlint("check", cwd=sub)  # config found upwards from a sub-folder
    assert {line.split(":")[0] for line in result.lines[:-1]} == {"a.yaml"}, result


def test_version(govlint) -> None:
    from govlint import __version__

    result = govlint("--version")
    assert result.code == 0
    assert result.out.strip() == f"govlint, version {__version__}"


HEAVY = ("pydantic", "jsonschema", "jsonschema_rs", "ruamel.yaml", "re2", "govlint.checker")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--version"], "govlint, version "),
        (["--help"], "Usage: govlint [OPTIONS] COMMAND [ARGS]..."),
        (["check", "--help"], "Usage: govlint check [OPTIONS] [PATHS]..."),
        (["report", "--help"], "Usage: govlint report [OPTIONS] [PATHS]..."),
    ],
)
def test_version_and_help_do_not_import_the_heavy_modules(
    tmp_path: Path, args: list[str], says: str
) -> None:
    """A pre-commit hook pays for every import: asking for the version or the help must not
    load the models, the validators or the YAML parser. ``-X importtime`` lists every
    module the real command imported."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "govlint", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(says), proc.stdout
    imported = {
        line.rpartition("|")[2].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "govlint.cli" in imported  # the list is read right
    assert sorted(m for m in imported if any(m == h or m.startswith(h + ".") for h in HEAVY)) == []


def test_readme_sample_output_comes_from_a_real_run(govlint, tmp_path: Path) -> None:
    import shutil

    from conftest import EXAMPLES, REPO

    clean = tmp_path / "clean"  # away from this module's registry fixture
    shutil.copytree(EXAMPLES, clean / "examples")
    (clean / ".govlint.yaml").write_text("# the defaults, as in a fresh clone\n")

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    marker = "An excerpt of `govlint check examples/ --today 2026-11-29`"
    block = readme.split(marker, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    shown = [line for line in block.splitlines() if line != "..."]
    result = govlint("check", "examples/", "--today", "2026-11-29", cwd=clean)
    for line in shown:
        assert line in result.out.splitlines(), line
    assert shown[-1] == result.lines[-1]
