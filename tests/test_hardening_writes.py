"""Writes never cost data: a file is replaced whole or not at all, an existing file is kept
unless the user asked to overwrite it, and a failed write leaves no temporary file behind.

Failures are made, not waited for: os.replace, os.fsync or os.link are replaced by
functions that fail the way a full disk, a Ctrl-C or a file system without hard links does.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import base_manifest

from govlint.cli import main
from govlint.write import WriteError, write_atomic

OLD = "the old content, which must survive\n"


def disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def interrupted(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def old(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_text(OLD, encoding="utf-8")
    path.chmod(0o640)
    return path


# --- write_atomic ---------------------------------------------------------------------


def test_a_new_file_is_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "out.txt"
    write_atomic(path, "line one\nline two\n", overwrite=False)
    assert path.read_text(encoding="utf-8") == "line one\nline two\n"
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert leftovers(path.parent) == []


def test_an_existing_file_is_kept_unless_overwriting_was_asked(old: Path) -> None:
    with pytest.raises(WriteError) as raised:
        write_atomic(old, "new\n", overwrite=False)
    assert str(raised.value) == f"{old}: already exists; pass --force to overwrite it"
    assert old.read_text(encoding="utf-8") == OLD
    write_atomic(old, "new\n", overwrite=True)
    assert old.read_text(encoding="utf-8") == "new\n"
    assert old.stat().st_mode & 0o777 == 0o640  # the replaced file's mode is kept
    assert leftovers(old.parent) == []


@pytest.mark.parametrize("where", ["os.replace", "os.fsync"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    old: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(f"govlint.write.{where}", disk_full)
    with pytest.raises(WriteError) as raised:
        write_atomic(old, "new content that never lands\n", overwrite=True)
    assert str(raised.value) == f"{old}: cannot write: No space left on device"
    assert old.read_text(encoding="utf-8") == OLD
    assert leftovers(old.parent) == []


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_file(
    old: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("govlint.write.os.fsync", interrupted)  # Ctrl-C half way
    with pytest.raises(KeyboardInterrupt):
        write_atomic(old, "x" * 1_000_000, overwrite=True)
    assert old.read_text(encoding="utf-8") == OLD
    assert leftovers(old.parent) == []


def test_a_file_created_meanwhile_is_not_clobbered(
    old: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = old.parent / "new.json"
    real_link = os.link

    def racing(src: str, dst: Path) -> None:
        target.write_text("written by someone else\n", encoding="utf-8")  # after the check
        real_link(src, dst)

    monkeypatch.setattr("govlint.write.os.link", racing)
    with pytest.raises(WriteError):
        write_atomic(target, "mine\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "written by someone else\n"
    assert leftovers(old.parent) == []


def test_without_hard_links_the_name_is_claimed_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: str, dst: Path) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr("govlint.write.os.link", no_links)
    path = tmp_path / "init.yaml"
    write_atomic(path, "first\n", overwrite=False)
    assert path.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(WriteError):
        write_atomic(path, "second\n", overwrite=False)
    assert path.read_text(encoding="utf-8") == "first\n"
    assert leftovers(tmp_path) == []


def test_a_link_at_the_target_is_replaced_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(OLD, encoding="utf-8")
    (tmp_path / "repo").mkdir()
    link = tmp_path / "repo" / "report.json"
    link.symlink_to(outside)
    with pytest.raises(WriteError):  # a link is something that exists
        write_atomic(link, "new\n", overwrite=False)
    dangling = tmp_path / "repo" / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    with pytest.raises(WriteError):
        write_atomic(dangling, "new\n", overwrite=False)
    assert not (tmp_path / "nowhere.json").exists()
    write_atomic(link, "new\n", overwrite=True)
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "new\n"
    assert outside.read_text(encoding="utf-8") == OLD


def test_text_that_cannot_be_encoded_is_written_with_escapes(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    write_atomic(path, "name \udcff end\n", overwrite=False)  # a lone surrogate
    assert path.read_text(encoding="utf-8") == "name \\udcff end\n"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --- through the commands -------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "m.yaml").write_text(base_manifest(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_a_report_write_that_fails_keeps_the_old_report(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = project / "govlint.json"
    report.write_text(OLD, encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr("govlint.write.os.replace", disk_full)
        code, _, err = run("check", "--no-cache", "-o", "json=govlint.json", "m.yaml")
    assert code == 2
    assert err == "govlint: error: govlint.json: cannot write: No space left on device\n"
    assert report.read_text(encoding="utf-8") == OLD
    assert leftovers(project) == []
    code, _, _ = run("check", "--no-cache", "-o", "json=govlint.json", "m.yaml")
    assert code == 1  # asked for: the report is replaced
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == 1


def test_a_baseline_write_that_fails_keeps_the_old_baseline(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = project / ".govlint-baseline.json"
    baseline.write_text(OLD, encoding="utf-8")
    monkeypatch.setattr("govlint.write.os.fsync", disk_full)
    code, _, err = run("baseline", "m.yaml")
    assert code == 2
    assert err == "govlint: error: .govlint-baseline.json: cannot write: No space left on device\n"
    assert baseline.read_text(encoding="utf-8") == OLD
    assert leftovers(project) == []


def test_docs_and_init_never_overwrite_without_being_asked(project: Path) -> None:
    handbook = project / "handbook.md"
    handbook.write_text(OLD, encoding="utf-8")
    code, _, err = run("docs", "-o", "handbook.md")
    assert (code, err) == (
        2,
        "govlint: error: handbook.md: already exists; pass --force to overwrite it\n",
    )
    assert handbook.read_text(encoding="utf-8") == OLD
    (project / ".govlint.yaml").write_text(OLD, encoding="utf-8")
    code, out, _ = run("init", ".")
    assert (project / ".govlint.yaml").read_text(encoding="utf-8") == OLD
    assert "kept .govlint.yaml (already exists" in out


def test_a_cache_that_cannot_be_written_costs_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run("check", "--today", "2026-11-29", "m.yaml")
    cache = sorted((project / ".govlint_cache").glob("cache-*.json"))
    before = {p: p.read_bytes() for p in cache}
    (project / "m.yaml").write_text(base_manifest() + "# changed\n", encoding="utf-8")
    monkeypatch.setattr("govlint.write.os.replace", disk_full)
    again, out_again, err = run("check", "--today", "2026-11-29", "m.yaml")
    assert (again, out_again, err) == (code, out, "")  # the same answer, silently uncached
    assert {p: p.read_bytes() for p in cache} == before
    assert leftovers(project / ".govlint_cache") == []
