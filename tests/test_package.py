"""The package as users get it: a wheel installed in a fresh virtual environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import EXAMPLES, REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, package_index: None) -> Path:
    """Build the wheel from the checkout and install it in a new venv; returns its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheels = list(dist.glob("govlint-*.whl"))
    assert len(wheels) == 1
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheels[0])],
        check=True,
        capture_output=True,
    )
    return bin_dir


def test_installed_wheel_checks_the_examples_with_builtin_rules(
    installed: Path, tmp_path: Path
) -> None:
    # run far from the checkout, so rules and policies can only come from the wheel
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    proc = subprocess.run(
        [str(installed / "govlint"), "check", "examples/"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert " HUM-001 " in proc.stdout
    rules = subprocess.run(
        [str(installed / "govlint"), "rules", "--all"], cwd=tmp_path, capture_output=True, text=True
    )
    assert rules.returncode == 0, rules.stderr
    listed = {line.split()[0] for line in rules.stdout.splitlines()}
    on_disk = {
        p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in (REPO / "rules").rglob("*.yaml")
    }
    assert listed == on_disk
