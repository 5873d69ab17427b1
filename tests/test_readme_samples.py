"""The README's samples and CI commands, compared with real runs on the bundled examples."""

from __future__ import annotations

import json
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import EXAMPLES, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """The examples in a fresh folder, as in a fresh clone."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    (tmp_path / ".govlint.yaml").write_text("# the defaults, as in a fresh clone\n")
    return tmp_path


def block_after(marker: str, language: str) -> str:
    return README.split(marker, 1)[1].split(f"```{language}\n", 1)[1].split("```", 1)[0]


def test_readme_json_sample_comes_from_a_real_run(govlint, clean: Path) -> None:
    marker = "`govlint check examples/ --today 2026-06-01 --format json`"
    shown = json.loads(block_after(marker, "json"))
    result = govlint("check", "examples/", "--today", "2026-06-01", "--format", "json", cwd=clean)
    real = json.loads(result.out)
    assert list(shown) == list(real)
    for key in ("version", "tool", "today", "summary"):
        assert shown[key] == real[key], key
    for finding in shown["findings"]:  # an excerpt: each shown finding is a real one
        assert finding in real["findings"]
    coverage = shown["coverage"]
    assert list(coverage) == list(real["coverage"])
    assert coverage["manifests"] == real["coverage"]["manifests"]
    for rule, counts in coverage["rules"].items():
        assert real["coverage"]["rules"][rule] == counts, rule
    for item in coverage["not_assessable"]:
        assert item in real["coverage"]["not_assessable"]


def ci_commands() -> list[str]:
    """The govlint command lines of the GitHub Actions and GitLab CI snippets."""
    github = README.split("# .github/workflows/govlint.yaml", 1)[1].split("```", 1)[0]
    run = github.split("run: >-\n", 1)[1].split("- name:", 1)[0]
    folded = " ".join(line.strip() for line in run.splitlines() if line.strip())
    gitlab = README.split("# .gitlab-ci.yml", 1)[1].split("```", 1)[0]
    script = next(
        line.strip().removeprefix("- ")
        for line in gitlab.splitlines()
        if line.strip().startswith("- govlint ")
    )
    return [folded, script]


def test_ci_snippets_run_as_written(govlint, clean: Path) -> None:
    github, gitlab = ci_commands()
    assert github.startswith("govlint check ") and gitlab.startswith("govlint check ")

    result = govlint(*shlex.split(github)[1:], cwd=clean)
    assert result.code == 1, result  # the examples have errors on purpose
    sarif = json.loads((clean / "govlint.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert (clean / "govlint.md").read_text().startswith("#")
    assert result.out.startswith("::"), result  # annotations for the runner

    result = govlint(*shlex.split(gitlab)[1:], cwd=clean)
    assert result.code == 1, result
    quality = json.loads((clean / "gl-code-quality.json").read_text())
    assert quality and {"description", "check_name", "fingerprint"} <= set(quality[0])
    assert ET.parse(clean / "govlint-junit.xml").getroot().tag in ("testsuites", "testsuite")
    assert result.lines[-1].startswith("Found ")
