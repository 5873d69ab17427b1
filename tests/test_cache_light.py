"""An unchanged portfolio answered from the cache: the same output as a full run in every
format, without the rule engine, the models or pydantic (the run record keeps the rules as
the reports describe them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TODAY = "2026-11-29"
CONFIG = "manifests: ['initiatives/*.yaml']\nregistry: ['registry/*.yaml']\n"

#: runs the command line in this process, then lists the heavy modules it imported
PROBE = """
import json, sys
from govlint.cli import main
try:
    main(sys.argv[1:], prog_name="govlint")
except SystemExit as exc:
    code = exc.code
heavy = sorted(
    m for m in sys.modules
    if m.split(".")[0] in ("pydantic", "pydantic_core", "jsonschema", "jsonschema_rs")
    or m in ("govlint.config", "govlint.checker", "govlint.validate", "govlint.registry")
    or m.startswith(("govlint.model", "govlint.portfolio"))
    or (m.startswith("govlint.engine.") and m != "govlint.engine.packs")
)
sys.stderr.write("\\nheavy: " + json.dumps(heavy) + "\\n")
sys.exit(code)
"""


def probe(cwd: Path, *args: str) -> tuple[int, str, list[str]]:
    """Exit code, standard output and the heavy modules of one ``govlint`` run."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
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
