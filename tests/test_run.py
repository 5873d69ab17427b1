"""The one entry to run a check: settings in, outcome and exit code out, nothing printed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import base_manifest, with_registry

from govlint.findings import Severity
from govlint.run import NothingToCheck, RulesBroken, RunError, RunSettings, run

TODAY = dt.date(2026, 11, 29)


def portfolio(folder: Path, manifest: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    with_registry(folder, "manifests: [m.yaml]\n")
    (folder / "m.yaml").write_text(manifest or base_manifest(), encoding="utf-8")
    return folder


def test_a_clean_portfolio_runs_to_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    result = run(RunSettings(cwd=portfolio(tmp_path), today=TODAY))
    assert sorted(result.outcome.files) == ["m.yaml", "registry.yaml"]
    assert result.outcome.active == []
    assert (result.exit_code, result.fail_on, result.today) == (0, Severity.ERROR, TODAY)
    assert result.setup is not None and result.setup.rules
    assert capsys.readouterr() == ("", "")


def test_findings_at_the_threshold_make_exit_1(tmp_path: Path) -> None:
    manifest = base_manifest().replace("oversight: human-in-the-loop", "oversight: none")
    folder = portfolio(tmp_path, manifest)
    result = run(RunSettings(cwd=folder, today=TODAY))
    assert [(f.rule_id, f.severity) for f in result.outcome.active] == [
        ("HUM-006", Severity.WARNING)
    ]
    assert result.exit_code == 0  # the configured threshold: error
    strict = run(RunSettings(cwd=folder, today=TODAY, fail_on=Severity.WARNING))
    assert strict.exit_code == 1


def test_a_run_that_cannot_start_raises_and_prints_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # paths are read as on the command line
    with pytest.raises(RunError, match=r"^missing\.yaml: "):
        run(RunSettings(cwd=tmp_path, paths=(Path("missing.yaml"),)))
    with pytest.raises(RunError, match="configuration file not found"):
        run(RunSettings(cwd=tmp_path, config_path=tmp_path / "none.yaml"))
    folder = portfolio(tmp_path / "p")
    (folder / ".govlint.yaml").write_text("policies: [strictest]\n", encoding="utf-8")
    with pytest.raises(RulesBroken) as broken:
        run(RunSettings(cwd=folder))
    assert [(f.rule_id, f.message.split(" (")[0]) for f in broken.value.findings] == [
        ("GL031", "unknown policy pack 'strictest'")
    ]
    assert str(broken.value) == "1 problem in rules, policies or configuration; fix them first"
    (tmp_path / "empty").mkdir()
    with pytest.raises(RunError, match=r"^no YAML files found in empty; "):
        run(RunSettings(cwd=tmp_path, paths=(Path("empty"),)))
    with pytest.raises(NothingToCheck):  # pre-commit: no manifest among the changed files
        run(RunSettings(cwd=tmp_path, paths=(Path("empty"),), pre_commit=True))
    assert capsys.readouterr() == ("", "")


def test_a_run_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    # a run hides the documents it keeps from the collector (gc.freeze) while it checks;
    # a long-lived caller (an editor's language server) must get a normal collector back
    import gc

    folder = portfolio(tmp_path)
    for i in range(3):
        (folder / f"m{i}.yaml").write_text(base_manifest(), encoding="utf-8")
    (folder / ".govlint.yaml").write_text(
        (folder / ".govlint.yaml").read_text(encoding="utf-8").replace("[m.yaml]", "['m*.yaml']"),
        encoding="utf-8",
    )
    before = gc.get_freeze_count()
    result = run(RunSettings(cwd=folder, today=TODAY, jobs=1))
    assert len(result.outcome.files) == 5
    assert gc.isenabled()
    assert gc.get_freeze_count() == before == 0
