"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit tool on a real git repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_REGISTRY, REPO, base_manifest

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory, package_index: None) -> Path:
    """One pre-commit cache for the module: the hook environment is built once (pre-commit
    installs govlint and its dependencies into it, from the package index)."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def team_repo(tmp_path: Path) -> Path:
    """A team's repository: config, registry, and three manifests."""
    repo = tmp_path / "team"
    (repo / "registry").mkdir(parents=True)
    (repo / "initiatives").mkdir()
    shutil.copy(EXAMPLE_REGISTRY, repo / "registry" / "organisation.yaml")
    (repo / ".govlint.yaml").write_text(
        "manifests: ['initiatives/*.yaml']\nregistry: ['registry/*.yaml']\n"
    )
    clean = base_manifest().replace("id: example-initiative", "id: clean")
    (repo / "initiatives" / "clean.yaml").write_text(clean)
    # broken references: a platform that does not exist
    broken = base_manifest().replace("id: example-initiative", "id: broken")
    broken = broken.replace("platform: data-platform", "platform: data-platfrom")
    broken = broken.replace("provides: [crew-scheduling]", "provides: []")
    broken = broken.replace("Suggests maintenance crew schedules", "Plans bulky-waste pickups")
    (repo / "initiatives" / "broken.yaml").write_text(broken)
    (repo / "notes.yaml").write_text("just: some other yaml\n")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    return repo


def try_repo(repo: Path, home: Path, hook: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [*PRE_COMMIT, "try-repo", str(REPO), hook, *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_changed_file_hook_judges_against_the_whole_portfolio(
    team_repo: Path, pre_commit_home: Path
) -> None:
    ok = try_repo(
        team_repo, pre_commit_home, "govlint", "--files", "initiatives/clean.yaml", "notes.yaml"
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # the clean file passes although the portfolio has a broken file: only findings
    # about the changed files are reported; notes.yaml is not a manifest and is skipped
    assert "broken.yaml" not in ok.stdout

    bad = try_repo(team_repo, pre_commit_home, "govlint", "--files", "initiatives/broken.yaml")
    assert bad.returncode != 0
    broken = (team_repo / "initiatives" / "broken.yaml").read_text().splitlines()
    line = next(i for i, s in enumerate(broken, 1) if "data-platfrom" in s)
    assert (
        f"initiatives/broken.yaml:{line}:13: error CON-101 platform 'data-platfrom' does not "
        "exist in the registry; did you mean 'data-platform'?"
    ) in bad.stdout


def test_cross_file_finding_reaches_the_changed_file(
    team_repo: Path, pre_commit_home: Path
) -> None:
    # a second initiative of another unit provides the capability 'clean' provides
    twin = base_manifest().replace("id: example-initiative", "id: twin")
    twin = twin.replace("unit: operations", "unit: finance")
    twin = twin.replace("Suggests maintenance crew schedules", "Forecasts the yearly budget")
    (team_repo / "initiatives" / "twin.yaml").write_text(twin)
    git("add", ".", cwd=team_repo)
    result = try_repo(
        team_repo, pre_commit_home, "govlint", "--verbose", "--files", "initiatives/clean.yaml"
    )
    # CON-103 is a warning: it is shown but does not fail the hook at the default threshold
    assert result.returncode == 0, result.stdout
    assert (
        "warning CON-103 Example initiative: capability 'crew-scheduling' is also provided by 'twin' (finance)"
        in result.stdout
    )
    assert "see initiatives/twin.yaml:" in result.stdout


def test_whole_portfolio_hook(team_repo: Path, pre_commit_home: Path) -> None:
    result = try_repo(team_repo, pre_commit_home, "govlint-portfolio", "--all-files")
    assert result.returncode != 0
    assert "initiatives/broken.yaml:" in result.stdout
    assert "CON-101" in result.stdout
