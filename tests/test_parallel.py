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
    parent = os.getpid()

    def dying(target: Target, raw: bytes, setup: checker.Setup, limits: Limits):
        if os.getpid() != parent:
            os._exit(1)  # the worker process dies without a word
        return real(target, raw, setup, limits)

    monkeypatch.setattr(checker, "check_file", dying)
    files = sorted((tmp_path / "initiatives").glob("*.yaml"))
    items = [(i, Target(p, p.name, False), p.read_bytes()) for i, p in enumerate(files)]
    results = dict(checker.check_files(items, setup, config.limits, jobs=2))
    assert sorted(results) == list(range(6))  # every file has a result
    # the first file is always a worker's (this process takes files from the end)
    dead = results[0]
    assert isinstance(dead, checker.Finding)
    assert dead.rule_id == "GL009" and dead.input_error
    assert dead.location.file == "m000.yaml"
    assert "stopped unexpectedly" in dead.message
    # the files this process checked itself are checked
    checked = [i for i, r in results.items() if not isinstance(r, checker.Finding)]
    assert checked == list(range(6))[len(results) - len(checked) :]


def test_this_process_and_the_workers_share_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the process that started the workers checks files too: a machine with one free core
    # gets no slower than one process; every file is checked once, by one of them
    portfolio(tmp_path, 24)
    config = load_config(tmp_path / ".govlint.yaml", tmp_path)
    setup = checker.prepare(config, dt.date(2026, 11, 29), tmp_path)
    parent = os.getpid()
    here: list[str] = []
    real = checker.check_file

    def counting(target: Target, raw: bytes, setup: checker.Setup, limits: Limits):
        if os.getpid() == parent:
            here.append(target.display)
        return real(target, raw, setup, limits)

    monkeypatch.setattr(checker, "check_file", counting)
    files = sorted((tmp_path / "initiatives").glob("*.yaml"))
    items = [(i, Target(p, p.name, False), p.read_bytes()) for i, p in enumerate(files)]
    results = checker.check_files(items, setup, config.limits, jobs=2)
    assert [i for i, _ in results] == list(range(24))
    assert all(isinstance(r, checker.FileResult) for _, r in results)
    assert here, "this process checked none of the files"
    assert len(here) < 24, "no worker checked any file"


def test_the_default_number_of_processes_follows_size_and_free_cores() -> None:
    large = checker.PARALLEL_BYTES
    assert checker.processes(None, large - 1, cores=4, load=0.0) == 1  # small: one process
    assert checker.processes(None, large, cores=4, load=0.2) == 4  # idle: one per core
    assert checker.processes(None, large, cores=4, load=2.0) == 2  # two cores busy
    assert checker.processes(None, large, cores=2, load=2.7) == 1  # every core busy
    assert checker.processes(None, large, cores=64, load=0.0) == 8  # at most eight
    assert checker.processes(3, 10, cores=2, load=9.0) == 3  # --jobs decides


def test_cores_count_as_busy_only_while_other_work_runs() -> None:
    # a job that ended seconds ago still weighs in the load average: only the processes
    # runnable now (this one included) say whether its cores are taken
    assert checker.busy(load=1.1, running=1) == 0  # the run before just finished
    assert checker.busy(load=1.1, running=2) == 1
    assert checker.busy(load=0.3, running=5) == 0.3  # a burst: the average says it is brief
    assert checker.busy(load=1.9, running=None) == 1.9  # no /proc: the load average
    large = checker.PARALLEL_BYTES
    assert checker.processes(None, large, cores=2, load=checker.busy(1.1, 1)) == 2


@pytest.mark.skipif(not Path("/proc/loadavg").exists(), reason="Linux counts runnable processes")
def test_the_runnable_processes_are_counted_with_this_one() -> None:
    running = checker.running_now()
    assert running is not None and running >= 1
