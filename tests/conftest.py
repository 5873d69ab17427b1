"""Shared test helpers: run govlint the way a user does, on real files in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
EXAMPLE_BASE = REPO / "govlint" / "engine" / "example_base.yaml"
EXAMPLE_REGISTRY = REPO / "govlint" / "engine" / "example_registry.yaml"


@pytest.fixture(autouse=True, scope="session")
def _private_user_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """govlint keeps its cache key in the user's cache folder: for tests, a temporary one
    (no test writes outside its temporary folders)."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


class Result:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    @property
    def lines(self) -> list[str]:
        return [line for line in self.out.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<exit {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}>"


def run_govlint(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> Result:
    """Run ``python -m govlint`` in a subprocess (``stdin``: text on its standard input);
    a Python traceback is always a test failure."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "govlint", *args],
        input=stdin,
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = Result(proc)
    assert "Traceback" not in proc.stderr, result
    assert "Traceback" not in proc.stdout, result
    return result


@pytest.fixture
def govlint(tmp_path: Path):
    """``govlint("check", ".")`` runs in a fresh temporary folder by default."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
        return run_govlint(*args, cwd=cwd or tmp_path, env=env)

    return run


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A private copy of the bundled examples."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


def base_manifest() -> str:
    """The text of a valid manifest, to start test manifests from."""
    return EXAMPLE_BASE.read_text(encoding="utf-8")


def with_registry(folder: Path, config: str = "") -> None:
    """Make ``folder`` a portfolio: a registry holding every id the base manifest uses,
    and a ``.govlint.yaml`` that loads it (plus ``config``)."""
    (folder / "registry.yaml").write_text(EXAMPLE_REGISTRY.read_text(encoding="utf-8"))
    (folder / ".govlint.yaml").write_text("registry: [registry.yaml]\n" + config, encoding="utf-8")


PIP_DOWNLOAD = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
PIP_DOWNLOAD += ["--timeout", "10", "--retries", "0"]


@pytest.fixture(scope="session")
def package_index() -> None:
    """Skip a test that builds or installs packages when pip cannot reach a package index.

    Probed once per session by downloading the build backend (hatchling), which every such
    test needs, the way pip is configured (index, extra indexes, find-links).
    """
    with tempfile.TemporaryDirectory() as folder:
        proc = subprocess.run(
            [*PIP_DOWNLOAD, "-d", folder, "hatchling"],
            capture_output=True,
            text=True,
        )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"needs a package index, and pip cannot reach one ({last})")


@dataclass
class ParserSpy:
    """What govlint asked of the YAML parsers during a test."""

    c_parsers: int = 0  # libyaml-based parsers created
    events: int = 0  # events pulled, from either parser


@pytest.fixture
def yaml_parsers(monkeypatch: pytest.MonkeyPatch) -> ParserSpy:
    """Count the libyaml-based parsers govlint creates and the events it pulls."""
    from ruamel.yaml import cyaml
    from ruamel.yaml import parser as pure_parser

    spy = ParserSpy()

    class CountingCParser(cyaml.CParser):  # type: ignore[name-defined,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            spy.c_parsers += 1
            super().__init__(*args, **kwargs)

        def get_event(self) -> Any:
            spy.events += 1
            return super().get_event()

    pure_get_event = pure_parser.Parser.get_event

    def counting_get_event(self: Any) -> Any:
        spy.events += 1
        return pure_get_event(self)

    monkeypatch.setattr(cyaml, "CParser", CountingCParser)
    monkeypatch.setattr(pure_parser.Parser, "get_event", counting_get_event)
    return spy


@pytest.fixture(autouse=True)
def c_parser_cases_use_libyaml(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test named for the C parser ("c-parser" cases, "c_and_pure" comparisons) fails
    when govlint fell back to the pure parser: the C path must have run."""
    name = request.node.name
    if "c-parser" not in name and "c_and_pure" not in name:
        yield
        return
    spy: ParserSpy = request.getfixturevalue("yaml_parsers")
    yield
    assert spy.c_parsers > 0, f"{name}: the libyaml-based parser never ran"


#: the organisation rule of the README's "Writing a rule"
README_RULE = """\
id: ORG-010
name: owner-has-email
title: The accountable owner can be reached by email
principle: lifecycle
severity: warning
require:
  metadata.owner.email: {matches: '^[^@]+@[^@]+$'}
message: "{metadata.name}: add metadata.owner.email so the owner can be reached"
rationale: Findings and incidents must reach a person.
remediation: Add the owner's email address under metadata.owner.email.
references:
  - id: ISO-IEC-42001-2023:A.3
    title: Internal organisation
examples:
  pass:
    - metadata: {owner: {name: Ann, email: ann@example.org}}
  fail:
    - metadata: {owner: {name: Ann, email: null}}
"""
