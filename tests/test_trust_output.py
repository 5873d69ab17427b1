"""Output a pull request can steer: the board's Markdown, file names in text output and in
SARIF. (GitHub annotations: tests/test_hardening_output.py.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import base_manifest, run_govlint
from test_hardening_output import NAME_YAML

CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e", "\u2028")


def test_the_board_markdown_is_inert(tmp_path: Path) -> None:
    name = NAME_YAML + " ping @governance-team"
    (tmp_path / "m.yaml").write_text(
        base_manifest().replace("name: Example initiative", f'name: "{name}"')
    )
    result = run_govlint(
        "report", "--format", "markdown", "--today", "2026-11-29", "m.yaml", cwd=tmp_path
    )
    assert result.out, result
    for control in CONTROLS:
        assert control not in result.out
    assert "@governance-team" not in result.out
    assert "&#64;governance-team" in result.out
    assert "\\\\x1b\\[31mRED" in result.out  # shown as an escape, Markdown-escaped


def test_a_file_name_cannot_pass_for_a_finding(tmp_path: Path) -> None:
    spoof = "a.yaml:1:1: error LIF-001 the review is overdue; fake.yaml"
    (tmp_path / spoof).write_text("just: data\n")
    result = run_govlint("check", "--no-cache", ".", cwd=tmp_path)
    assert not [line for line in result.lines if line.startswith("a.yaml:1:1: error")], result
    assert result.lines[0].startswith(
        "a.yaml\\x3a1\\x3a1\\x3a error LIF-001 the review is overdue; fake.yaml:1:1: info GL008"
    ), result


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes on POSIX only")
def test_sarif_uris_name_the_file_itself(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9 x.yaml"), "wb") as handle:
        handle.write(base_manifest().replace("  review_date: 2099-12-31\n", "").encode())
    result = run_govlint("check", "--no-cache", "--format", "sarif", ".", cwd=tmp_path)
    sarif = json.loads(result.out)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for res in sarif["runs"][0]["results"]
        for loc in res["locations"]
    }
    assert uris == {"caf%E9%20x.yaml"}


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_megabyte_value_is_cut_in_logs_and_kept_whole_in_json(tmp_path: Path, fmt: str) -> None:
    name = "x" * 1_000_000
    text = base_manifest().replace("name: Example initiative", f"name: {name}")
    (tmp_path / "m.yaml").write_text(text.replace("  review_date: 2099-12-31\n", ""))
    result = run_govlint("check", "--no-cache", "--format", fmt, "m.yaml", cwd=tmp_path)
    assert result.code == 1, result
    assert len(result.out) < 10_000, len(result.out)
    [cut] = [line for line in result.out.splitlines() if "LIF-001" in line]
    assert cut.endswith(" more characters; --format json has them all)")
    full = run_govlint("check", "--no-cache", "--format", "json", "m.yaml", cwd=tmp_path)
    [lif] = [f for f in json.loads(full.out)["findings"] if f["rule_id"] == "LIF-001"]
    assert name in lif["message"]
