"""The built-in rules that use the rule language's newer constructs say what failed."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLE_BASE, REPO


def test_eth_041_reports_each_failing_clause_with_its_own_message(govlint, tmp_path: Path) -> None:
    # tested after go-live (2025-06-01), and no report: two clauses fail, two findings
    text = EXAMPLE_BASE.read_text()
    text = text.replace("risk:\n", "risk:\n  high_impact: true\n", 1)
    text = text.replace("ethics:\n", "ethics:\n  testing: {pre_deployment: 2026-02-01}\n", 1)
    (tmp_path / "m.yaml").write_text(text)
    (tmp_path / ".govlint.yaml").write_text("policies: [us-omb-m-25-21]\n")
    result = govlint("check", "m.yaml", "--select", "ETH-041")
    lines = [line for line in result.lines if " ETH-041 " in line]
    assert len(lines) == 2, result
    both = " ".join(lines)
    assert (
        "records its pre-deployment testing on 2026-02-01, after it went live on 2025-06-01" in both
    )
    assert "records pre-deployment testing but not where its results are kept" in both


def test_the_cost_centre_example_pack_passes_its_own_tests(govlint) -> None:
    result = govlint("test", "docs/packs/cost-centres", cwd=REPO)
    assert result.code == 0, result
    assert result.lines[-1] == "1 rule, 4 examples: 4 passed, 0 failed"
