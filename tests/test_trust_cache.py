"""The cache as an attack surface: a pull request cannot forge a pass through it.

A pull request can commit a ``.govlint_cache`` folder, or a symbolic link by that name, and
it can compute every key govlint derives from the files. What it cannot know is the key in
the user's cache folder that seals every cache file govlint writes: a cache that govlint did
not write on this machine is ignored, and a cache folder that is a link is neither read nor
written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from pathlib import Path

import pytest
from conftest import base_manifest, run_govlint, with_registry

TODAY = "2026-11-29"


def broken_portfolio(folder: Path) -> None:
    """Two manifests without a review date: two LIF-001 errors."""
    (folder / "initiatives").mkdir(parents=True)
    for name in ("a", "b"):
        text = base_manifest().replace("id: example-initiative", f"id: {name}")
        text = text.replace("  review_date: 2099-12-31\n", "")
        (folder / "initiatives" / f"{name}.yaml").write_text(text, encoding="utf-8")


def forge(folder: Path, attacker_home: Path) -> None:
    """What an attacker does on their own machine: run govlint on the very same files,
    empty the findings of its run cache and seal it again with their own key."""
    result = run_govlint(
        "check", "--today", TODAY, cwd=folder, env={"XDG_CACHE_HOME": str(attacker_home)}
    )
    assert result.code == 1, result
    key = bytes.fromhex((attacker_home / "govlint" / "cache-key").read_text().strip())
    for path in (folder / ".govlint_cache").glob("*.json"):
        body = path.read_bytes().partition(b"\n")[2]
        data = json.loads(body)
        if "findings" in data:
            data["findings"] = []
        new_body = json.dumps(data).encode()
        mac = hmac.new(key, new_body, hashlib.sha256).hexdigest().encode()
        path.write_bytes(b"govlint-cache-hmac-sha256 " + mac + b"\n" + new_body)
    # the forgery works for the attacker: their own key opens it
    forged = run_govlint(
        "check", "--today", TODAY, cwd=folder, env={"XDG_CACHE_HOME": str(attacker_home)}
    )
    assert (forged.code, forged.lines) == (0, ["All checks passed: 2 files checked."]), forged


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_committed_cache_folder_cannot_forge_a_pass(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    broken_portfolio(repo)
    forge(repo, tmp_path / "attacker-home")
    # CI: a fresh clone with the committed .govlint_cache, on a machine with its own key
    result = run_govlint("check", "--today", TODAY, cwd=repo)
    assert result.code == 1, result
    assert sum("error LIF-001" in line for line in result.lines) == 2, result


def test_a_plain_json_cache_from_an_older_govlint_is_not_trusted(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    broken_portfolio(repo)
    forge(repo, tmp_path / "attacker-home")
    for path in (repo / ".govlint_cache").glob("*.json"):
        path.write_bytes(path.read_bytes().partition(b"\n")[2])  # no seal at all
    result = run_govlint("check", "--today", TODAY, cwd=repo)
    assert result.code == 1, result
    assert sum("error LIF-001" in line for line in result.lines) == 2, result


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    broken_portfolio(repo)
    forge(repo, tmp_path / "attacker-home")
    # the pull request commits the forged cache under another name and links to it
    (repo / ".govlint_cache").rename(repo / "ci-cache")
    (repo / ".govlint_cache").symlink_to("ci-cache")
    (repo / "ci-cache" / ".gitignore").unlink()
    (repo / "ci-cache" / "cache-v3-0000.json").write_text("{}")  # govlint deletes these
    before = snapshot(repo / "ci-cache")
    # even the attacker's own key does not open a linked cache folder
    for home in (None, tmp_path / "attacker-home"):
        env = {"XDG_CACHE_HOME": str(home)} if home else None
        result = run_govlint("check", "--today", TODAY, cwd=repo, env=env)
        assert result.code == 1, result
        assert sum("error LIF-001" in line for line in result.lines) == 2, result
        assert result.err == (
            "govlint: not using the cache .govlint_cache: it is a symbolic link; the cache "
            "folder is created by govlint and never committed: delete the link\n"
        )
        assert snapshot(repo / "ci-cache") == before  # nothing written, nothing deleted
    assert (repo / ".govlint_cache").is_symlink()


def test_the_key_is_kept_privately_outside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    broken_portfolio(repo)
    home = tmp_path / "home-cache"
    run_govlint("check", "--today", TODAY, cwd=repo, env={"XDG_CACHE_HOME": str(home)})
    key = home / "govlint" / "cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(bytes.fromhex(key.read_text().strip())) == 32
    assert not [p for p in repo.rglob("*key*")]
    # a key that others can read is replaced: caches sealed with it are not trusted
    cached = run_govlint("check", "--today", TODAY, cwd=repo, env={"XDG_CACHE_HOME": str(home)})
    old = key.read_text()
    key.chmod(0o644)
    again = run_govlint("check", "--today", TODAY, cwd=repo, env={"XDG_CACHE_HOME": str(home)})
    assert again.out == cached.out
    assert key.read_text() != old and stat.S_IMODE(key.stat().st_mode) == 0o600


def test_without_a_private_place_for_the_key_nothing_is_cached(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    broken_portfolio(repo)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    result = run_govlint("check", "--today", TODAY, cwd=repo, env={"XDG_CACHE_HOME": str(blocked)})
    assert result.code == 1, result
    assert not (repo / ".govlint_cache").exists()


@pytest.mark.parametrize("where", ["run", "file"])
def test_tightening_a_pack_reached_through_extends_invalidates_the_cache(
    tmp_path: Path, where: str
) -> None:
    """The team's pack extends the office's pack in another folder; the office turns a
    warning into an error, and the next run must see it."""
    repo = tmp_path / "repo"
    (repo / "initiatives").mkdir(parents=True)
    text = base_manifest().replace("  review_date: 2099-12-31\n", "")
    (repo / "initiatives" / "a.yaml").write_text(text, encoding="utf-8")
    office = repo / "governance" / "office"
    team = repo / "teams" / "policy"
    office.mkdir(parents=True)
    team.mkdir(parents=True)
    pack = "apiVersion: govlint/v1\nkind: Policy\nname: office\nextends: [baseline]\n"
    (office / "office.yaml").write_text(pack + "rules:\n  LIF-001: {severity: warning}\n")
    (team / "team.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: team\n"
        "extends: [../../governance/office/office.yaml]\n"
    )
    with_registry(repo, "manifests: ['initiatives/*.yaml']\npolicies: [teams/policy/team.yaml]\n")
    first = run_govlint("check", "--today", TODAY, cwd=repo)
    assert first.code == 0 and "warning LIF-001" in first.out, first
    if where == "file":  # only the per-file entries may answer: drop the run cache
        (repo / ".govlint_cache" / "run-v3.json").unlink()
    (office / "office.yaml").write_text(pack + "rules:\n  LIF-001: {severity: error}\n")
    second = run_govlint("check", "--today", TODAY, cwd=repo)
    assert second.code == 1 and "error LIF-001" in second.out, second


def test_the_cache_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    if not hasattr(os, "getuid") or os.getuid() != 0:
        pytest.skip("needs root to give a folder to another user")
    repo = tmp_path / "repo"
    broken_portfolio(repo)
    (repo / ".govlint_cache").mkdir()
    os.chown(repo / ".govlint_cache", 12345, 12345)
    result = run_govlint("check", "--today", TODAY, cwd=repo)
    assert result.code == 1, result
    assert "it belongs to another user" in result.err
    assert list((repo / ".govlint_cache").iterdir()) == []


def test_a_committed_memo_cannot_change_a_rule(tmp_path: Path) -> None:
    """The memo keeps parsed rule files: one forged with another key changes nothing."""
    repo, attacker = tmp_path / "repo", {"XDG_CACHE_HOME": str(tmp_path / "attacker-home")}
    broken_portfolio(repo)
    assert run_govlint("check", "--today", TODAY, cwd=repo, env=attacker).code == 1
    folder = repo / ".govlint_cache"
    key = bytes.fromhex((tmp_path / "attacker-home" / "govlint" / "cache-key").read_text())
    memo = json.loads((folder / "memo-v3.json").read_bytes().partition(b"\n")[2])
    for entry in memo["documents"].values():
        for document in entry:
            if isinstance(document[2], dict) and document[2].get("id") == "LIF-001":
                document[2]["message"] = "forged"
    body = json.dumps(memo).encode()
    mac = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
    (folder / "memo-v3.json").write_bytes(b"govlint-cache-hmac-sha256 " + mac + b"\n" + body)
    for path in folder.glob("*.json"):
        if path.name != "memo-v3.json":
            path.unlink()  # only the memo is left to answer from
    forged = run_govlint("check", "--today", TODAY, cwd=repo, env=attacker)
    assert sum("LIF-001 forged" in line for line in forged.lines) == 2, forged  # their key
    (folder / "memo-v3.json").write_bytes(b"govlint-cache-hmac-sha256 " + mac + b"\n" + body)
    result = run_govlint("check", "--today", TODAY, cwd=repo)  # CI, with its own key
    assert result.code == 1 and "forged" not in result.out, result
    assert sum("error LIF-001" in line for line in result.lines) == 2, result


def test_a_committed_run_record_cannot_change_how_rules_are_described(tmp_path: Path) -> None:
    """The run record describes the rules for SARIF and JSON: one forged with another key
    describes nothing."""
    repo, attacker = tmp_path / "repo", {"XDG_CACHE_HOME": str(tmp_path / "attacker-home")}
    broken_portfolio(repo)
    sarif = ("check", "--today", TODAY, "--format", "sarif")
    assert run_govlint(*sarif, cwd=repo, env=attacker).code == 1
    record = repo / ".govlint_cache" / "run-v3.json"
    data = json.loads(record.read_bytes().partition(b"\n")[2])
    for rule in data["rules"]:
        rule[2] = "forged title"
    key = bytes.fromhex((tmp_path / "attacker-home" / "govlint" / "cache-key").read_text())
    body = json.dumps(data).encode()
    mac = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
    record.write_bytes(b"govlint-cache-hmac-sha256 " + mac + b"\n" + body)
    forged = run_govlint(*sarif, cwd=repo, env=attacker)
    assert "forged title" in forged.out  # their key opens it
    record.write_bytes(b"govlint-cache-hmac-sha256 " + mac + b"\n" + body)
    result = run_govlint(*sarif, cwd=repo)  # CI, with its own key
    assert "forged title" not in result.out
    assert result.out == run_govlint(*sarif, "--no-cache", cwd=repo).out
