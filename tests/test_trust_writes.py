"""A write killed with SIGKILL cannot clean up after itself; the next write to the same file
removes what it left, and never a temporary file of a writer that still runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import base_manifest, run_govlint

KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
import govlint.write as write
write.os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # dies mid-write
write.write_atomic(Path(sys.argv[1]), "x" * 5_000_000, overwrite=True)
"""


def tmp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL and process ids are POSIX")
def test_the_leftovers_of_a_killed_write_are_removed_by_the_next(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(base_manifest())
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITE, "report.json"], cwd=tmp_path, check=False
    )
    assert killed.returncode == -9
    [left] = tmp_files(tmp_path)
    assert left.startswith(".report.json.") and (tmp_path / left).stat().st_size == 5_000_000
    # a writer that still runs (this test's own process) keeps its temporary file
    running = tmp_path / f".report.json.{os.getpid()}.abcdefgh.tmp"
    running.write_text("in progress")
    result = run_govlint("check", "--no-cache", "m.yaml", "-o", "json=report.json", cwd=tmp_path)
    assert result.code == 1, result
    assert tmp_files(tmp_path) == [running.name]
    assert (tmp_path / "report.json").read_text().startswith("{")
