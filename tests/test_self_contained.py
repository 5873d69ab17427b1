"""The repository carries everything its tests read: a fresh checkout runs the suite."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

#: what lives in a working copy but not in the repository
LOCAL = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def repository_files() -> list[Path]:
    """The files of the repository: tracked or new (not ignored), else everything but LOCAL."""
    if (REPO / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return [Path(name) for name in listed.split("\0") if name and (REPO / name).is_file()]
    return [
        p.relative_to(REPO)
        for p in REPO.rglob("*")
        if p.is_file() and not LOCAL & set(p.relative_to(REPO).parts)
    ]


def test_a_copy_of_the_repository_alone_runs_the_sarif_tests(tmp_path: Path) -> None:
    """The SARIF tests need the SARIF schema: it must come with the repository."""
    copy = tmp_path / "alone" / "govlint"  # nothing beside it
    for name in repository_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, copy / name)
    assert (copy / "tests" / "data" / "sarif-schema-2.1.0.json").is_file()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_report_formats.py::test_sarif_validates_and_describes_rules_results_and_taxonomies",
            "tests/test_report_formats.py::test_suppressed_findings_are_kept_in_json_and_sarif",
        ],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout, proc.stdout


#: ways a test could reach out of the repository
OUTSIDE = re.compile(
    r"REPO\s*\.\s*parent|\.parent\s*\.\s*parent\s*\.\s*parent|parents\[\s*[2-9]\s*\]"
    r"|['\"]\.\./shared|['\"]/work/|['\"]/home/"
)


def test_no_test_reads_outside_the_repository() -> None:
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((REPO / "tests").glob("*.py"))
        if path.name != Path(__file__).name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line) and "tmp_path" not in line  # '..' inside a temporary folder
    ]
    assert offenders == []


def test_the_outside_pattern_catches_what_it_is_for() -> None:
    beside = "sha" + "red"  # spelt in two so that a search for the real mistake skips this test
    caught = [
        f'SCHEMA = REPO.parent / "{beside}" / "schemas" / "x.json"',
        "Path(__file__).parent.parent.parent / 'x'",
        "Path(__file__).resolve().parents[2]",
        f'open("../{beside}/schemas/x.json")',
        f"Path('/work/{beside}/x')",
    ]
    kept = ['config = "../../etc/*.yaml"', "REPO / 'tests' / 'data'", "tmp_path.parent"]
    assert [line for line in caught if not OUTSIDE.search(line)] == []
    assert [line for line in kept if OUTSIDE.search(line)] == []
