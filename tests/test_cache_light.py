"""An unchanged portfolio answered from the cache: the same output as a full run in every
format, without the rule engine, the models, pydantic or the YAML parser (the run record
keeps the rules as the reports describe them, and the documents of the packs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_cache import plant, read_cache

from govlint.report import FORMATS

TODAY = "2026-11-29"
CONFIG = "manifests: ['initiatives/*.yaml']\nregistry: ['registry/*.yaml']\n"

#: runs the command line in this process, then lists the heavy modules it imported
PROBE = """
import json, os, sys
import govlint
# a later release of govlint, as far as the cache can tell
govlint.__version__ = os.environ.get("PROBE_VERSION", govlint.__version__)
from govlint.cli import main
try:
    main(sys.argv[1:], prog_name="govlint")
except SystemExit as exc:
    code = exc.code
heavy = sorted(
    m for m in sys.modules
    if m.split(".")[0] in ("pydantic", "pydantic_core", "jsonschema", "jsonschema_rs", "ruamel")
    or m in ("govlint.config", "govlint.checker", "govlint.validate", "govlint.registry")
    or m.startswith(("govlint.model", "govlint.portfolio"))
    or (m.startswith("govlint.engine.") and m != "govlint.engine.packs")
)
sys.stderr.write("\\nheavy: " + json.dumps(heavy) + "\\n")
sys.exit(code)
"""


def probe(cwd: Path, *args: str, version: str | None = None) -> tuple[int, str, list[str]]:
    """Exit code, standard output and the heavy modules of one ``govlint`` run."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", **({"PROBE_VERSION": version} if version else {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    heavy = json.loads(proc.stderr.rsplit("heavy: ", 1)[1])
    return proc.returncode, proc.stdout, heavy


@pytest.fixture
def portfolio(examples: Path) -> Path:
    (examples / ".govlint.yaml").write_text(CONFIG)
    return examples


@pytest.mark.parametrize("fmt", ["text", "sarif"])
def test_unchanged_run_imports_nothing_heavy_and_says_what_a_full_run_says(
    portfolio: Path, fmt: str
) -> None:
    args = ("check", "--today", TODAY, "--format", fmt)
    cold_code, cold_out, cold_heavy = probe(portfolio, *args, "--no-cache")
    assert "pydantic" in cold_heavy and "govlint.checker" in cold_heavy  # the probe sees them
    assert cold_code == 1 and cold_out
    assert probe(portfolio, *args)[:2] == (cold_code, cold_out)  # fills the cache
    code, out, heavy = probe(portfolio, *args)
    assert heavy == []
    assert (code, out) == (cold_code, cold_out)


def test_without_a_configuration_file_the_cache_answers_as_lightly(examples: Path) -> None:
    args = ("check", "--today", TODAY, ".")
    cold = probe(examples, *args, "--no-cache")
    probe(examples, *args)
    code, out, heavy = probe(examples, *args)
    assert heavy == []
    assert (code, out) == cold[:2]


def test_a_changed_configuration_is_read_again(portfolio: Path) -> None:
    args = ("check", "--today", TODAY)
    probe(portfolio, *args)
    _, before, _ = probe(portfolio, *args)
    assert "customer-service-chatbot.yaml" in before
    # the cache kept the old globs: the changed file must be read, not the kept copy
    (portfolio / ".govlint.yaml").write_text(
        CONFIG + "exclude: ['initiatives/customer-service-chatbot.yaml']\n"
    )
    _, after, heavy = probe(portfolio, *args)
    assert "pydantic" in heavy
    assert "customer-service-chatbot.yaml" not in after
    _, again, heavy = probe(portfolio, *args)
    assert heavy == [] and again == after
    _, cold, _ = probe(portfolio, *args, "--no-cache")
    assert after == cold


def every_format(folder: Path) -> list[str]:
    """Options that write every format to its own file in ``folder``."""
    folder.mkdir()
    return [f"--output={fmt}={folder / f'report.{fmt}'}" for fmt in FORMATS]


def written(folder: Path) -> dict[str, bytes]:
    return {fmt: (folder / f"report.{fmt}").read_bytes() for fmt in FORMATS}


def test_every_format_from_the_cache_is_byte_identical_to_a_full_run(
    portfolio: Path, tmp_path: Path
) -> None:
    args = ("check", "--today", TODAY)
    fresh_code, _, heavy = probe(portfolio, *args, *every_format(tmp_path / "fresh"), "--no-cache")
    assert "pydantic" in heavy
    fresh = written(tmp_path / "fresh")
    assert b"ruleIndex" in fresh["sarif"] and b"| rule | title |" in fresh["markdown"]
    # the cold run that writes the cache, then a run answered by what it wrote
    code, _, heavy = probe(portfolio, *args, *every_format(tmp_path / "cold"))
    assert "pydantic" in heavy and code == fresh_code
    assert written(tmp_path / "cold") == fresh
    code, _, heavy = probe(portfolio, *args, *every_format(tmp_path / "warm"))
    assert heavy == [] and code == fresh_code
    assert written(tmp_path / "warm") == fresh


def test_a_record_written_for_the_text_answers_every_other_format(
    portfolio: Path, tmp_path: Path
) -> None:
    args = ("check", "--today", TODAY)
    fresh_code, _, _ = probe(portfolio, *args, *every_format(tmp_path / "fresh"), "--no-cache")
    probe(portfolio, *args)  # a pre-commit hook's text run writes the record
    code, _, heavy = probe(portfolio, *args, *every_format(tmp_path / "warm"))
    assert heavy == [] and code == fresh_code
    assert written(tmp_path / "warm") == written(tmp_path / "fresh")


PLANTED = "planted title"
TEAM_PACK = "apiVersion: govlint/v1\nkind: Policy\nname: team\nextends: [baseline]\n"


@pytest.fixture
def described(portfolio: Path) -> Path:
    """The examples with a rule folder of their own, a team pack and rule settings, and a
    cache whose run record describes every rule with a planted title."""
    rule = (
        Path(__file__).parent.parent / "rules" / "lifecycle" / "LIF-101-unique-initiative-ids.yaml"
    )
    (portfolio / "rules").mkdir()
    (portfolio / "rules" / "ORG-001.yaml").write_text(
        rule.read_text().replace("id: LIF-101", "id: ORG-001").replace("name: unique", "name: one")
    )
    (portfolio / "team.yaml").write_text(TEAM_PACK + "rules:\n  LIF-001: {severity: warning}\n")
    (portfolio / ".govlint.yaml").write_text(
        CONFIG + "rule_paths: [rules]\npolicies: [team.yaml]\nrules: {CON-105: {severity: info}}\n"
    )
    sarif = ("check", "--today", TODAY, "--format", "sarif")
    probe(portfolio, *sarif)
    record = portfolio / ".govlint_cache" / "run-v3.json"
    data = read_cache(record)
    assert len(data["rules"]) > 60
    for rule_record in data["rules"]:
        rule_record[2] = PLANTED
    plant(record, data)
    _, out, heavy = probe(portfolio, *sarif)  # the report describes the rules as recorded
    assert heavy == [] and PLANTED in out
    return portfolio


CHANGES = ["--select", "--ignore", "--today", "rule file", "pack", "configuration", "version"]


@pytest.mark.parametrize("change", CHANGES)
def test_what_changes_the_report_is_never_answered_by_a_stale_record(
    described: Path, change: str
) -> None:
    args = ["check", "--format", "sarif", "--today", TODAY]
    version = None
    if change == "--select":
        args += ["--select", "LIF,ORG"]
    elif change == "--ignore":
        args += ["--ignore", "CON-105"]
    elif change == "--today":
        args[-1] = "2100-01-01"
    elif change == "rule file":
        path = described / "rules" / "ORG-001.yaml"
        path.write_text(path.read_text().replace("title: Initiative ids", "title: Ids"))
    elif change == "pack":
        (described / "team.yaml").write_text(TEAM_PACK + "rules:\n  LIF-001: {severity: info}\n")
    elif change == "configuration":
        path = described / ".govlint.yaml"
        path.write_text(path.read_text().replace("severity: info", "severity: error"))
    else:
        version = "99.0"
    code, out, _ = probe(described, *args, version=version)
    assert PLANTED not in out
    fresh_code, fresh, _ = probe(described, *args, "--no-cache", version=version)
    assert (code, out) == (fresh_code, fresh)


def test_a_damaged_pack_document_in_the_record_is_parsed_again(described: Path) -> None:
    args = ("check", "--today", TODAY, "--format", "sarif")
    _, before, _ = probe(described, *args)
    record = described / ".govlint_cache" / "run-v3.json"
    data = read_cache(record)
    assert len(data["packs"]) == 2  # the team pack and the baseline it extends
    data["packs"] = {key: [["team.yaml", 0, {}, "x", "y", "z"]] for key in data["packs"]}
    plant(record, data)
    _, out, heavy = probe(described, *args)
    assert heavy and {m.split(".")[0] for m in heavy} == {"ruamel"}  # read again, no more
    assert out == before
