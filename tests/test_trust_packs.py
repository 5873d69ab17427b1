"""Policy packs: each pack is resolved once however many packs extend it, a long chain of
packs is no RecursionError, and a pack reference that is not a pack file is never opened
or quoted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import base_manifest, run_govlint, with_registry

from govlint.engine import policy
from govlint.engine.rules import load_rules
from govlint.resources import data_dir

HEADER = "apiVersion: govlint/v1\nkind: Policy\nname: {name}\n"


def diamond(folder: Path, levels: int) -> Path:
    """Two packs per level, each extending both packs of the next level; the last level
    extends baseline. Without memoisation: 2**levels resolutions of the bottom packs."""
    folder.mkdir(parents=True, exist_ok=True)
    for level in range(levels):
        for side in "ab":
            parents = (
                f"[p{level + 1}a.yaml, p{level + 1}b.yaml]" if level < levels - 1 else "[baseline]"
            )
            text = HEADER.format(name=f"p{level}{side}") + f"extends: {parents}\n"
            (folder / f"p{level}{side}.yaml").write_text(text)
    return folder / "p0a.yaml"


def test_a_diamond_of_packs_loads_each_pack_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = diamond(tmp_path / "packs", 12)
    loads: list[Path] = []
    real = policy.load_file

    def counting(path: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        loads.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    policy.builtin_dates()  # the built-in packs' tables of dates: read once per process
    monkeypatch.setattr(policy, "load_file", counting)
    ruleset = load_rules([(data_dir("rules"), "<builtin>/rules")], dt.date(2026, 11, 29))
    selection = policy.select([str(top)], tmp_path, ruleset, str, "config")
    assert selection.errors == []
    assert len(loads) == 1 + 2 * 11 + 1  # the top, both packs of every level below, baseline
    assert len(set(loads)) == len(loads)
    assert selection.settings["HUM-001"].locked


def test_a_chain_of_two_thousand_packs_is_no_recursion_error(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    for i in range(2000):
        parent = f"c{i + 1}.yaml" if i < 1999 else "baseline"
        (packs / f"c{i}.yaml").write_text(HEADER.format(name=f"c{i}") + f"extends: [{parent}]\n")
    (tmp_path / "m.yaml").write_text(base_manifest())
    with_registry(tmp_path, "manifests: [m.yaml]\npolicies: [packs/c0.yaml]\n")
    result = run_govlint("check", "--no-cache", cwd=tmp_path)
    assert result.code == 0, result
    assert result.lines == ["All checks passed: 2 files checked."]


@pytest.mark.parametrize("suffix", ["", ".yaml"])
def test_extends_to_a_file_that_is_not_a_pack_never_quotes_it(tmp_path: Path, suffix: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / f"passwd{suffix}"
    secret.write_text("root:x:0:0:hunter2-secret:/root:/bin/bash\n")
    repo = tmp_path / "repo"
    (repo / "packs").mkdir(parents=True)
    (repo / "packs" / "org.yaml").write_text(HEADER.format(name="org") + f"extends: ['{secret}']\n")
    (repo / "m.yaml").write_text(base_manifest())
    with_registry(repo, "manifests: [m.yaml]\npolicies: [packs/org.yaml]\n")
    result = run_govlint("check", "--no-cache", cwd=repo)
    assert result.code == 2, result
    assert "hunter2" not in result.out + result.err
    assert "root:x" not in result.out + result.err
    expected = (
        "packs/org.yaml:4:11: error GL031 unknown policy pack"
        if not suffix
        else f"{secret}:1:1: error GL031 not a policy pack: a pack is a mapping with"
    )
    assert expected in result.err, result
