"""The file system as an adversary: links out of the repository, link loops, pipes and
devices, files that cannot be read or vanish, odd names, thousands of files, and a
configuration that reaches for ../../etc.

A pull request can add symbolic links (git stores them), so a scan never follows a link
out of the folder it checks or the configuration's folder: such a link is reported as a
skipped file (GL008, info) and never opened, so nothing outside can be quoted in a finding.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from pathlib import Path

import pytest
from conftest import base_manifest
from test_hardening_yaml import bounded

from govlint import checker
from govlint.config import load_config
from govlint.discover import OutsideRoot, discover
from govlint.findings import Severity
from govlint.load import Limits, load_file, read_bytes

SECRET = "hunter2-outside-the-repository"
SKIPPED_FILE = (
    "info GL008 skipped: symbolic link to a file outside the folders being checked; govlint "
    "does not follow links out of the checked folder and the configuration's folder (name the "
    "target on the command line to check it)"
)
SKIPPED_FOLDER = SKIPPED_FILE.replace("to a file", "to a folder")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository folder, next to an 'outside' folder holding a secret manifest."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(
        f"apiVersion: govlint/v1\nkind: Initiative\nmetadata: {{id: {SECRET}}}\n", encoding="utf-8"
    )
    (outside / "more").mkdir()
    (outside / "more" / "other.yaml").write_text(f"password: {SECRET}\n", encoding="utf-8")
    folder = tmp_path / "repo"
    folder.mkdir()
    return folder


# --- symbolic links -------------------------------------------------------------------


def test_links_out_of_the_repository_are_reported_not_read(repo: Path) -> None:
    (repo / "sub").mkdir()
    (repo / "sub" / "secret.yaml").symlink_to(repo.parent / "outside" / "secret.yaml")
    (repo / "more").symlink_to(repo.parent / "outside" / "more")
    (repo / "absolute.yml").symlink_to("/etc/hostname")
    result = bounded("check", "--no-cache", ".", cwd=repo)
    assert result.code == 0  # infos only: nothing was checked, nothing failed
    assert result.lines == [
        f"absolute.yml:1:1: {SKIPPED_FILE}",
        f"more:1:1: {SKIPPED_FOLDER}",
        f"sub/secret.yaml:1:1: {SKIPPED_FILE}",
        "Found 3 problems (3 infos) in 3 of 3 files.",
    ]
    assert SECRET not in result.out + result.err


def test_the_scan_refuses_links_out_of_the_repository(repo: Path) -> None:
    (repo / "secret.yaml").symlink_to(repo.parent / "outside" / "secret.yaml")
    (repo / "more").symlink_to(repo.parent / "outside" / "more")
    config = load_config(None, repo)
    targets = discover([repo], config, repo)
    assert [(t.display, t.refusal.rule_id if t.refusal else None) for t in targets] == [
        ("more", "GL008"),
        ("secret.yaml", "GL008"),
    ]


def test_links_inside_the_checked_folders_are_followed(repo: Path) -> None:
    (repo / "real").mkdir()
    (repo / "real" / "m.yaml").write_text("kind: x\n", encoding="utf-8")
    (repo / "alias.yaml").symlink_to("real/m.yaml")
    (repo / "linked").symlink_to("real")
    (repo / "real" / "loop").symlink_to("..")  # back to the repository: no endless walk
    config = load_config(None, repo)
    targets = discover([repo], config, repo)
    # every folder is read once, under its own name rather than a link's
    assert [(t.display, t.refusal) for t in targets] == [
        ("alias.yaml", None),
        ("real/m.yaml", None),
    ]


def test_a_link_into_the_configuration_folder_is_followed(tmp_path: Path) -> None:
    """Checking a sub-folder: a link to a sibling folder inside the project is fine."""
    (tmp_path / ".govlint.yaml").write_text("fail_on: error\n", encoding="utf-8")
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "s.yaml").write_text("kind: x\n", encoding="utf-8")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "s.yaml").symlink_to("../common/s.yaml")
    config = load_config(tmp_path / ".govlint.yaml", tmp_path)
    [target] = discover([tmp_path / "team"], config, tmp_path)
    assert (target.display, target.refusal) == ("team/s.yaml", None)


def test_link_loops_and_dangling_links(repo: Path) -> None:
    (repo / "a.yaml").symlink_to("b.yaml")
    (repo / "b.yaml").symlink_to("a.yaml")
    (repo / "gone.yaml").symlink_to("nowhere.yaml")
    result = bounded("check", "--no-cache", ".", cwd=repo)
    assert result.code == 2
    loop = (
        "error GL000 symbolic link loop (a link that points back at itself); fix or remove the link"
    )
    assert result.lines == [
        f"a.yaml:1:1: {loop}",
        f"b.yaml:1:1: {loop}",
        "gone.yaml:1:1: error GL000 file does not exist (was it moved or deleted?)",
        "Found 3 problems (3 errors) in 3 of 3 files.",
    ]


def test_a_named_link_is_read_wherever_it_points(repo: Path) -> None:
    """The user named it: that is permission to read it."""
    (repo / "secret.yaml").symlink_to(repo.parent / "outside" / "secret.yaml")
    result = bounded("check", "--no-cache", "secret.yaml", cwd=repo)
    assert result.code == 1
    assert result.lines[0].startswith("secret.yaml:1:1: error CON-001 ")


# --- pipes, devices, folders ----------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(repo: Path) -> None:
    os.mkfifo(repo / "pipe.yaml")
    result = bounded("check", "--no-cache", ".", cwd=repo)
    assert result.code == 2
    assert result.lines[0] == (
        "pipe.yaml:1:1: error GL000 is a named pipe (FIFO), not a regular file; govlint reads "
        "only regular files"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_does_not_hang_the_cache_either(repo: Path) -> None:
    os.mkfifo(repo / "pipe.yaml")
    result = bounded("check", "pipe.yaml", cwd=repo)
    assert result.code == 2
    assert result.lines[0].startswith("pipe.yaml:1:1: error GL000 is a named pipe (FIFO)")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_an_endless_device_is_refused_in_bounded_memory(repo: Path) -> None:
    (repo / "zero.yaml").symlink_to("/dev/zero")
    result = bounded("check", "--no-cache", "zero.yaml", cwd=repo, memory=512 * 1024 * 1024)
    assert result.code == 2
    assert result.lines[0] == (
        "zero.yaml:1:1: error GL000 is a device, not a regular file; govlint reads only "
        "regular files"
    )


def test_a_folder_named_like_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").mkdir()
    finding = read_bytes(tmp_path / "x.yaml", "x.yaml", Limits())
    assert not isinstance(finding, bytes)
    assert (finding.rule_id, finding.message) == ("GL000", "is a directory, not a YAML file")


# --- files that cannot be read, or vanish ---------------------------------------------


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (errno.EACCES, "permission denied; make the file readable for govlint"),
        (errno.EIO, "cannot read file: Input/output error"),
        (errno.ENAMETOOLONG, "cannot read file: File name too long"),
    ],
)
def test_unreadable_files_become_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int, message: str
) -> None:
    # the tests run as root, who can read anything: make opening fail instead
    path = tmp_path / "m.yaml"
    path.write_text("a: 1\n", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> int:
        raise OSError(error, os.strerror(error), str(path))

    monkeypatch.setattr("govlint.load.os.open", refuse)
    [finding] = load_file(path, "m.yaml").findings
    assert (finding.rule_id, finding.file, finding.message) == ("GL000", "m.yaml", message)


def test_a_read_that_fails_midway_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("a: 1\n", encoding="utf-8")

    def broken(fd: int, size: int) -> bytes:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr("govlint.load.os.read", broken)
    [finding] = load_file(path, "m.yaml").findings
    assert (finding.rule_id, finding.message) == ("GL000", "cannot read file: Input/output error")


def test_a_file_that_vanishes_during_the_run(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(base_manifest(), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(base_manifest(), encoding="utf-8")
    config = load_config(None, tmp_path)
    setup = checker.prepare(config, dt.date(2026, 11, 29), tmp_path)
    targets = discover([tmp_path], config, tmp_path)
    (tmp_path / "b.yaml").unlink()  # after discovery, before reading
    outcome = checker.run_check(targets, setup, config.limits)
    gone = [f for f in outcome.findings if f.file == "b.yaml"]
    assert [(f.rule_id, f.line, f.message) for f in gone] == [
        ("GL000", 1, "file does not exist (was it moved or deleted?)")
    ]
    assert outcome.exit_code(Severity.ERROR) == 2


def test_a_file_that_grows_past_the_limit_while_read_is_cut_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("a: 1\n", encoding="utf-8")  # 5 bytes when checked
    real_read = os.read

    def growing(fd: int, size: int) -> bytes:
        return real_read(fd, size) or b"x" * size  # never ends, like a log being written

    monkeypatch.setattr("govlint.load.os.read", growing)
    finding = read_bytes(path, "m.yaml", Limits(max_file_bytes=100))
    assert not isinstance(finding, bytes)
    assert (finding.rule_id, finding.message) == (
        "GL005",
        "file is 101 bytes, over the limit of 100 (limits.max_file_bytes); split it or raise "
        "the limit in the configuration",
    )


# --- names ----------------------------------------------------------------------------


def test_names_with_spaces_unicode_and_undecodable_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "team folder"
    folder.mkdir()
    (folder / "ünï cödé 🚀.yaml").write_text("a: [\n", encoding="utf-8")
    (folder / "right\u202eto-left.yaml").write_text("a: [\n", encoding="utf-8")
    try:  # a Latin-1 name: not UTF-8, so Python sees a lone surrogate in it
        with open(os.fsencode(folder) + b"/latin1-\xe9.yaml", "w", encoding="utf-8") as handle:
            handle.write("a: [\n")
    except OSError:
        pytest.skip("this file system takes only UTF-8 names")
    error = "error GL001 invalid YAML: while parsing a flow node: did not find expected node content; fix the syntax"
    result = bounded("check", "--no-cache", "team folder", cwd=tmp_path)
    assert result.code == 2
    assert result.lines[:3] == [
        f"team folder/latin1-\\xe9.yaml:2:1: {error}",
        f"team folder/right\\u202eto-left.yaml:2:1: {error}",  # the override is shown, not obeyed
        f"team folder/ünï cödé 🚀.yaml:2:1: {error}",
    ]
    for fmt in ("json", "sarif", "junit", "github", "gitlab", "markdown"):
        out = bounded("check", "--no-cache", "--format", fmt, "team folder", cwd=tmp_path)
        assert out.code == 2, (fmt, out)  # and no traceback: every name could be written
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out.out)
    data = json.loads(
        bounded("check", "--no-cache", "--format", "json", "team folder", cwd=tmp_path).out
    )
    assert sorted(f["file"] for f in data["findings"]) == [
        "team folder/latin1-\\xe9.yaml",
        "team folder/right\u202eto-left.yaml",
        "team folder/ünï cödé 🚀.yaml",
    ]


def test_three_thousand_files_in_one_folder(tmp_path: Path) -> None:
    folder = tmp_path / "initiatives"
    folder.mkdir()
    for i in range(3_000):
        (folder / f"i{i:04d}.yaml").write_text(
            f"apiVersion: govlint/v1\nkind: Initiative\nmetadata: {{id: i-{i:04d}}}\n",
            encoding="utf-8",
        )
    result = bounded(
        "check",
        "--no-cache",
        "--statistics",
        "initiatives",
        cwd=tmp_path,
        memory=4096 * 1024 * 1024,
    )
    assert result.code == 1
    summary = [line for line in result.lines if line.startswith("Found ")]
    assert summary and " in 3000 of 3000 files" in summary[0], result.lines[-5:]
    assert result.peak < 1536 * 1024 * 1024, result


# --- the configuration's globs stay inside its folder ------------------------------------


@pytest.mark.parametrize(
    ("glob", "column", "problem"),
    [
        ("../../etc/*.yaml", 13, "goes up with '..'"),
        ("manifests/../../*.yaml", 13, "goes up with '..'"),
        ("/etc/*.yaml", 13, "is an absolute path"),
        ("C:\\\\Windows\\\\*.yaml", 13, "is an absolute path"),
    ],
)
def test_globs_that_escape_the_configuration_folder_are_refused(
    tmp_path: Path, glob: str, column: int, problem: str
) -> None:
    (tmp_path / ".govlint.yaml").write_text(f'manifests: ["{glob}"]\n', encoding="utf-8")
    result = bounded("check", "--no-cache", cwd=tmp_path)
    assert result.code == 2
    shown = glob.replace("\\\\", "\\")
    assert result.err.splitlines() == [
        f"govlint: error: .govlint.yaml:1:{column}: manifests[0] {shown!r} {problem}: globs "
        f"must stay inside the folder of the configuration ({tmp_path}); move the files there, "
        "or name them on the command line"
    ]


def test_escaping_globs_in_pyproject_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.govlint]\nregistry = ["../registry.yaml"]\n', encoding="utf-8"
    )
    config = load_config(tmp_path / "pyproject.toml", tmp_path)
    with pytest.raises(OutsideRoot) as raised:
        discover([], config, tmp_path)
    assert str(raised.value).startswith(
        "pyproject.toml:2:1: registry[0] '../registry.yaml' goes up with '..'"
    )


def test_a_glob_that_reaches_a_link_out_is_reported_not_read(repo: Path) -> None:
    (repo / ".govlint.yaml").write_text("manifests: ['initiatives/*.yaml']\n", encoding="utf-8")
    (repo / "initiatives").mkdir()
    (repo / "initiatives" / "secret.yaml").symlink_to(repo.parent / "outside" / "secret.yaml")
    result = bounded("check", "--no-cache", cwd=repo)
    assert result.code == 0
    assert result.lines == [
        f"initiatives/secret.yaml:1:1: {SKIPPED_FILE}",
        "Found 1 problem (1 info) in 1 of 1 file.",
    ]
    assert SECRET not in result.out
