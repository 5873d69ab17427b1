"""Paths a pull request controls: a folder that is a link out of the repository, a link
where `init` writes, and a folder that cannot be read. Nothing outside the working folder is
read, quoted or written, and nothing is skipped silently."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import base_manifest, run_govlint

from govlint.cli import main

SECRET = "hunter2-outside-the-repository"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.yaml").write_text(f"apiVersion: govlint/v1\nkind: Initiative\nx: {SECRET}\n")
    return folder


def test_a_folder_named_on_the_command_line_that_links_out_is_not_read(
    tmp_path: Path, outside: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "m.yaml").write_text(base_manifest())
    (repo / "initiatives").symlink_to(outside)  # committed by the pull request
    result = run_govlint("check", "--no-cache", "initiatives", cwd=repo)
    assert SECRET not in result.out + result.err
    assert result.lines[0].startswith(
        "initiatives:1:1: info GL008 skipped: symbolic link to a folder outside the folders"
    ), result
    # the target itself, named by its own path, is read: naming it is permission
    named = run_govlint("check", "--no-cache", str(outside), cwd=repo)
    assert "outside/secret.yaml:1:1: error" in named.out, named


def test_a_folder_linked_inside_the_repository_is_checked(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "real").mkdir(parents=True)
    (repo / "real" / "m.yaml").write_text(
        base_manifest().replace("  review_date: 2099-12-31\n", "")
    )
    (repo / "initiatives").symlink_to("real")
    result = run_govlint("check", "--no-cache", "initiatives", cwd=repo)
    assert "error LIF-001" in result.out, result


def test_init_does_not_write_through_a_linked_folder(tmp_path: Path, outside: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "registry").symlink_to(outside)
    before = snapshot(outside)
    result = run_govlint("init", ".", cwd=repo)
    assert result.code != 0, result
    assert "registry/organisation.yaml: not written: " in result.err, result
    assert snapshot(outside) == before
    assert (repo / ".govlint.yaml").is_file()  # the other starter files are written


def test_an_unreadable_folder_is_an_error_not_a_silent_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permission bits do not stop root, so the refusal is simulated where the scan lists
    folders (os.scandir)."""
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "m.yaml").write_text(base_manifest())
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "m.yaml").write_text(base_manifest())
    real_scandir = os.scandir

    def scandir(path: str):  # type: ignore[no-untyped-def]
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("govlint.discover.os.scandir", scandir)
    result = CliRunner().invoke(main, ["check", "--no-cache", "."], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert (
        "locked:1:1: error GL000 folder cannot be read (Permission denied); its files are not "
        "checked: make it readable, or exclude it in the configuration"
    ) in result.output
