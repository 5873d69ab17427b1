"""The README's pre-commit snippet, run as written by the real pre-commit on a real git repo,
and the default hook catching a registry edit that breaks the portfolio."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_REGISTRY, REPO, base_manifest

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
#: what is not part of the project (build output, caches, environments)
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "__pycache__",
    "*.pyc",
    "*.egg-info",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".govlint_cache",
    "node_modules",
    "dist",
    "build",
)


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture(scope="module", autouse=True)
def package_index(tmp_path_factory: pytest.TempPathFactory) -> None:
    """pre-commit installs a hook with pip: without a package index there is nothing to test."""
    folder = str(tmp_path_factory.mktemp("probe"))
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", folder, "hatchling"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if probe.returncode != 0:
        pytest.skip(
            "no package index reachable: pre-commit installs the govlint hook with pip "
            f"(pip download hatchling failed: {probe.stderr.strip()[-200:]})"
        )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def govlint_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a git repository of its own, as a user clones it from GitHub
    (uncommitted changes included, so the test checks the code under test)."""
    repo = tmp_path_factory.mktemp("govlint-upstream") / "govlint"
    shutil.copytree(REPO, repo, ignore=NOT_SOURCE)
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", ".", cwd=repo)
    git(
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-q",
        "-m",
        "govlint",
        cwd=repo,
    )
    return repo


@pytest.fixture
def team_repo(tmp_path: Path) -> Path:
    """A team's repository: configuration, registry and a clean manifest, committed."""
    repo = tmp_path / "team"
    (repo / "registry").mkdir(parents=True)
    (repo / "initiatives").mkdir()
    shutil.copy(EXAMPLE_REGISTRY, repo / "registry" / "organisation.yaml")
    (repo / ".govlint.yaml").write_text(
        "manifests: ['initiatives/*.yaml']\nregistry: ['registry/*.yaml']\n"
    )
    (repo / "initiatives" / "planner.yaml").write_text(base_manifest())
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    return repo


def readme_snippet() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## pre-commit\n", 1)[1]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [*PRE_COMMIT, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=900
    )


def test_readme_snippet_works_as_written(team_repo: Path, home: Path, govlint_repo: Path) -> None:
    snippet = readme_snippet()
    assert "rev: v0.1.0" not in snippet  # a tag that does not exist
    # the one change: where the repository is (this checkout instead of GitHub)
    url = "https://github.com/govlint/govlint"
    assert f"repo: {url}\n" in snippet
    config = snippet.replace(url, str(govlint_repo))
    (team_repo / ".pre-commit-config.yaml").write_text(config)
    git("add", ".", cwd=team_repo)

    ok = pre_commit(team_repo, home, "run", "--files", "initiatives/planner.yaml")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"^govlint \(changed .*Passed$", ok.stdout, re.M), ok.stdout

    broken = base_manifest().replace("platform: data-platform", "platform: data-platfrom")
    (team_repo / "initiatives" / "planner.yaml").write_text(broken)
    bad = pre_commit(team_repo, home, "run", "--files", "initiatives/planner.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    line = next(n for n, s in enumerate(broken.splitlines(), 1) if "data-platfrom" in s)
    assert (
        f"initiatives/planner.yaml:{line}:13: error CON-101 platform 'data-platfrom' does not "
        "exist in the registry; did you mean 'data-platform'?"
    ) in bad.stdout

    # the README's advice for pinning: the branch becomes the full commit sha
    update = pre_commit(team_repo, home, "autoupdate", "--bleeding-edge", "--freeze")
    assert update.returncode == 0, update.stdout + update.stderr
    sha = git("rev-parse", "HEAD", cwd=govlint_repo)
    pinned = (team_repo / ".pre-commit-config.yaml").read_text()
    assert f"rev: {sha}" in pinned, pinned


def test_registry_edit_is_checked_against_the_manifests_that_use_it(
    team_repo: Path, home: Path, govlint_repo: Path
) -> None:
    """Deleting a capability from the registry fails the default hook, not only the
    whole-portfolio hook: the manifest that reuses it is reported."""
    registry = team_repo / "registry" / "organisation.yaml"
    text = registry.read_text()
    entry = next(
        line for line in text.splitlines(keepends=True) if "id: route-optimisation" in line
    )
    registry.write_text(text.replace(entry, ""))
    git("add", ".", cwd=team_repo)
    result = pre_commit(
        team_repo,
        home,
        "try-repo",
        str(govlint_repo),
        "govlint",
        "--files",
        "registry/organisation.yaml",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    manifest = base_manifest()
    line = next(n for n, s in enumerate(manifest.splitlines(), 1) if "reuses:" in s)
    assert (
        f"initiatives/planner.yaml:{line}:14: error CON-101 capability 'route-optimisation' "
        "does not exist in the registry"
    ) in result.stdout, result.stdout

    # a registry edit that breaks nothing passes
    registry.write_text(text.replace("Crew scheduling", "Crew and shift scheduling"))
    git("add", ".", cwd=team_repo)
    fine = pre_commit(
        team_repo,
        home,
        "try-repo",
        str(govlint_repo),
        "govlint",
        "--files",
        "registry/organisation.yaml",
    )
    assert fine.returncode == 0, fine.stdout + fine.stderr
