"""Every file govlint reads or writes goes through one place that takes only regular files,
and every bad input is a one-line error with exit code 2, never a traceback or a hang.

Runs that could hang or fill memory go to a child process with a memory limit and a
watchdog (``bounded``); the tests assert exit codes, messages and that nothing outside the
working folder changed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import base_manifest, run_govlint
from test_hardening_yaml import MiB, bounded


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "m.yaml").write_text(base_manifest())
    return tmp_path


# --- the baseline and the cache -------------------------------------------------------


def test_a_baseline_that_links_to_an_endless_device_is_refused(folder: Path) -> None:
    (folder / "baseline.json").symlink_to("/dev/zero")
    result = bounded("check", "m.yaml", "--baseline", "baseline.json", cwd=folder, memory=512 * MiB)
    assert result.code == 2, result
    assert result.err == (
        "govlint: error: baseline.json: cannot read the baseline: is a device, not a regular "
        "file; govlint reads only regular files\n"
    )


def test_a_baseline_that_is_a_named_pipe_does_not_hang(folder: Path) -> None:
    os.mkfifo(folder / "baseline.json")
    result = bounded("check", "m.yaml", "--baseline", "baseline.json", cwd=folder)
    assert result.code == 2, result
    assert "is a named pipe (FIFO), not a regular file" in result.err


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("[" * 100_000, "nested too deeply"),
        ('{"version": 1, "findings": [], "n": ' + "9" * 5000 + "}", "Exceeds the limit"),
    ],
    ids=["deep", "huge-integer"],
)
def test_a_hostile_baseline_is_an_error_not_a_traceback(
    folder: Path, content: str, why: str
) -> None:
    (folder / "baseline.json").write_text(content)
    result = run_govlint("check", "m.yaml", "--baseline", "baseline.json", cwd=folder)
    assert result.code == 2, result
    assert result.err.startswith("govlint: error: baseline.json: the baseline cannot be read (")
    assert why in result.err


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_cache_files_that_are_devices_or_pipes_are_ignored(folder: Path, kind: str) -> None:
    clean = run_govlint("check", "--today", "2026-11-29", "m.yaml", cwd=folder)
    files = sorted((folder / ".govlint_cache").glob("*.json"))
    assert [p.name for p in files][-1] == "run-v3.json"
    for path in files:
        path.unlink()
        if kind == "device":
            path.symlink_to("/dev/zero")
        else:
            os.mkfifo(path)
    result = bounded("check", "--today", "2026-11-29", "m.yaml", cwd=folder, memory=512 * MiB)
    assert (result.code, result.out) == (clean.code, clean.out), result


# --- outputs --------------------------------------------------------------------------


def test_an_output_that_links_to_a_device_is_refused_and_left_alone(folder: Path) -> None:
    (folder / "report.json").symlink_to(os.devnull)
    result = run_govlint("check", "m.yaml", "-o", "json=report.json", cwd=folder)
    assert result.code == 2, result
    assert "report.json: is a device (through a symbolic link), not a regular file" in result.err
    assert os.readlink(folder / "report.json") == os.devnull
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_an_output_that_is_a_named_pipe_is_refused_and_left_alone(folder: Path) -> None:
    os.mkfifo(folder / "report.json")
    result = bounded("check", "m.yaml", "-o", "json=report.json", cwd=folder)
    assert result.code == 2, result
    assert "report.json: is a named pipe (FIFO), not a regular file" in result.err
    assert stat.S_ISFIFO(os.lstat(folder / "report.json").st_mode)


# --- the configuration ----------------------------------------------------------------


@pytest.mark.parametrize("pattern", [".", "", "./", "a/**b"])
def test_a_glob_that_names_nothing_is_a_configuration_error(folder: Path, pattern: str) -> None:
    (folder / ".govlint.yaml").write_text(f"manifests: ['{pattern}']\n")
    result = run_govlint("check", cwd=folder)
    assert result.code == 2, result
    assert result.err.startswith(f"govlint: error: .govlint.yaml:1:13: manifests[0] '{pattern}' ")
    assert "write a glob of files relative to the configuration's folder" in result.err


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[" * 5000 + "]" * 5000, "the TOML is nested too deeply to read; flatten it"),
        ("9" * 5000, "cannot read the TOML: Exceeds the limit (4300 digits)"),
    ],
    ids=["deep", "huge-integer"],
)
def test_a_hostile_pyproject_is_an_error_not_a_traceback(
    folder: Path, value: str, message: str
) -> None:
    (folder / "pyproject.toml").write_text(f"[tool.govlint]\nx = {value}\n")
    result = run_govlint("check", "m.yaml", cwd=folder)
    assert result.code == 2, result
    assert message in result.err, result
