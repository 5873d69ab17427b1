"""Parallel checking: the same findings in the same order, and no file lost to a dead worker."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from conftest import base_manifest, with_registry

import govlint.checker as checker
from govlint.config import load_config
from govlint.discover import Target
from govlint.load import Limits

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="parallel checking needs fork")


def portfolio(folder: Path, n: int) -> None:
    with_registry(folder, "manifests: ['initiatives/*.yaml']\n")
    (folder / "initiatives").mkdir()
    for i in range(n):
        text = base_manifest().replace("id: example-initiative", f"id: initiative-{i}")
        if i % 3 == 0:
            text = text.replace("  review_date: 2099-12-31\n", "")
        if i % 5 == 0:
            text = text.replace("tier: minimal", "tier: hgh")
        (folder / "initiatives" / f"m{i:03d}.yaml").write_text(text)


def test_parallel_output_equals_sequential(govlint, tmp_path: Path) -> None:
    portfolio(tmp_path, 40)
    one = govlint("check", "--no-cache", "--jobs", "1", "--today", "2026-11-29")
    two = govlint("check", "--no-cache", "--jobs", "2", "--today", "2026-11-29")
    assert one.code == two.code == 1
    assert one.out == two.out
    # 14 missing review dates, 8 bad tiers (each with its 'not assessable' line), the summary
    assert len(one.lines) == 31


def test_a_dead_worker_turns_its_files_into_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portfolio(tmp_path, 6)
    config = load_config(tmp_path / ".govlint.yaml", tmp_path)
    setup = checker.prepare(config, dt.date(2026, 11, 29), tmp_path)
    real = checker.check_file

    def dying(target: Target, raw: bytes, setup: checker.Setup, limits: Limits):
        if target.display == "m003.yaml":
            os._exit(1)  # the worker process dies without a word
        return real(target, raw, setup, limits)

    monkeypatch.setattr(checker, "check_file", dying)
    files = sorted((tmp_path / "initiatives").glob("*.yaml"))
    items = [(i, Target(p, p.name, False), p.read_bytes()) for i, p in enumerate(files)]
    results = dict(checker.check_files(items, setup, config.limits, jobs=2))
    assert sorted(results) == list(range(6))  # every file has a result
    dead = results[3]
    assert isinstance(dead, checker.Finding)
    assert dead.rule_id == "GL009" and dead.input_error
    assert dead.location.file == "m003.yaml"
    assert "stopped unexpectedly" in dead.message
