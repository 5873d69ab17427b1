"""Governed exceptions (waivers) and the adoption baseline, as a team and a CI job use them."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import base_manifest, with_registry

TODAY = "2026-11-29"


def no_review_date() -> str:
    """A manifest with one error: no review date (LIF-001, not locked)."""
    return base_manifest().replace("  review_date: 2099-12-31\n", "")


def waiver_block(rule: str, expires: str, path: str | None = None) -> str:
    lines = [
        "waivers:",
        f"  - rule: {rule}",
        "    reason: The review board is being set up.",
        "    approved_by: Governance office (J. Visser)",
        "    ticket: GOV-123",
        f"    expires: {expires}",
    ]
    if path:
        lines.insert(2, f"    path: {path}")
    return "\n".join(lines) + "\n"


def line_of(text: str, needle: str) -> int:
    return next(i for i, s in enumerate(text.splitlines(), 1) if needle in s)


@pytest.fixture(autouse=True)
def portfolio(tmp_path: Path) -> None:
    with_registry(tmp_path)


def test_waiver_in_manifest_suppresses_the_finding(govlint, tmp_path: Path) -> None:
    text = no_review_date() + waiver_block("LIF-001", "2027-06-30")
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml", "--today", TODAY)
    assert result.code == 0, result
    assert result.lines == ["All checks passed: 1 file checked; 1 waived (not counted)."]
    # the waived finding stays visible in JSON-like output for auditors: see test below
    assert govlint("check", "m.yaml", "--today", "2026-11-28").code == 0


def test_expired_waiver_stops_applying_and_is_an_error(govlint, tmp_path: Path) -> None:
    text = no_review_date() + waiver_block("LIF-001", "2026-11-28")
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml", "--today", TODAY)
    assert result.code == 1
    waiver_line = line_of(text, "- rule: LIF-001")
    assert (
        f"m.yaml:{waiver_line}:5: error GL040 waiver for LIF-001 on 'example-initiative' expired on 2026-11-28 and no longer applies; fix the finding or renew the waiver with a new approval"
        in result.lines
    )
    assert any(" error LIF-001 " in line for line in result.lines)


def test_waiver_expiring_soon_is_a_warning(govlint, tmp_path: Path) -> None:
    text = no_review_date() + waiver_block("LIF-001", "2026-12-09")
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml", "--today", TODAY)
    assert result.code == 0
    assert (
        f"m.yaml:{line_of(text, '- rule:')}:5: warning GL041 waiver for LIF-001 on 'example-initiative' expires on 2026-12-09 (in 10 days); plan the fix or the renewal"
        in result.lines
    )
    # the window is configurable
    with_registry(tmp_path, "waiver_policy: {expiry_warning_days: 5}\n")
    assert govlint("check", "m.yaml", "--today", TODAY).lines == [
        "All checks passed: 1 file checked; 1 waived (not counted)."
    ]


def test_unused_waiver_is_reported(govlint, tmp_path: Path) -> None:
    text = base_manifest() + waiver_block("LIF-001", "2027-06-30")
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml", "--today", TODAY)
    assert result.lines[0] == (
        f"m.yaml:{line_of(text, '- rule:')}:5: warning GL042 waiver for LIF-001 on "
        "'example-initiative' matches no finding; remove it"
    )


def test_waiver_with_a_path_covers_only_that_path(govlint, tmp_path: Path) -> None:
    text = no_review_date() + waiver_block("LIF-001", "2027-06-30", path="metadata")
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml", "--today", TODAY)
    assert result.code == 1
    assert any(" error LIF-001 " in line for line in result.lines)
    assert any(
        " warning GL042 waiver for LIF-001 on 'example-initiative' at metadata matches no finding"
        in line
        for line in result.lines
    )
    text = no_review_date() + waiver_block("LIF-001", "2027-06-30", path="lifecycle")
    (tmp_path / "m.yaml").write_text(text)
    assert govlint("check", "m.yaml", "--today", TODAY).code == 0


def test_waiver_for_a_locked_rule_is_refused(govlint, tmp_path: Path) -> None:
    text = base_manifest().replace("tier: minimal", "tier: high").replace(
        "oversight: human-in-the-loop", "oversight: none"
    ) + waiver_block("HUM-001", "2031-06-30")
    (tmp_path / "m.yaml").write_text(text)
    # HUM-001 binds this public body's system, in use since 2025, from 2030-08-02 (Art. 111(2))
    result = govlint("check", "m.yaml", "--today", "2030-08-02")
    assert result.code == 1
    assert (
        f"m.yaml:{line_of(text, '- rule:')}:5: error GL043 rule HUM-001 is locked by policy 'baseline' and cannot be waived; fix the finding"
        in result.lines
    )
    assert any(" error HUM-001 " in line for line in result.lines)


def test_central_waivers_file_and_forbidding_manifest_waivers(govlint, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(no_review_date())
    central = textwrap.dedent(
        """\
        apiVersion: govlint/v1
        kind: Waivers
        waivers:
          - rule: LIF-001
            initiative: example-initiative
            reason: The review board is being set up.
            approved_by: Governance office
            expires: 2027-06-30
        """
    )
    (tmp_path / "waivers.yaml").write_text(central)
    with_registry(tmp_path, "waivers: [waivers.yaml]\nwaiver_policy: {allow_in_manifests: false}\n")
    assert govlint("check", "m.yaml", "--today", TODAY).code == 0

    (tmp_path / "waivers.yaml").unlink()
    text = no_review_date() + waiver_block("LIF-001", "2027-06-30")
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml", "--today", TODAY)
    assert result.code == 1
    assert any(
        line.startswith(
            f"m.yaml:{line_of(text, '- rule:')}:5: error GL043 waivers in manifests are not allowed"
        )
        for line in result.lines
    )


def test_waiver_for_an_unknown_rule_is_refused(govlint, tmp_path: Path) -> None:
    text = base_manifest() + waiver_block("LIF-0001", "2027-06-30")
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml", "--today", TODAY)
    assert result.code == 1
    assert "error GL043 waiver for unknown rule 'LIF-0001'" in result.out


# -- baseline ---------------------------------------------------------------------------


def test_baseline_round_trip(govlint, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(no_review_date().replace("id: example-initiative", "id: a"))
    first = govlint("baseline", "a.yaml", "-o", "baseline.json", "--today", TODAY)
    assert first.code == 0, first
    assert first.out.strip() == "wrote baseline.json: 1 finding accepted"
    recorded = json.loads((tmp_path / "baseline.json").read_text())
    assert recorded["version"] == 1
    assert [(e["rule_id"], e["file"]) for e in recorded["findings"]] == [("LIF-001", "a.yaml")]

    accepted = govlint("check", "a.yaml", "--baseline", "baseline.json", "--today", TODAY)
    assert accepted.code == 0
    assert accepted.lines == ["All checks passed: 1 file checked; 1 in the baseline (not counted)."]

    # an edit above the finding (comments, a new data source first) does not break it
    text = "# a comment\n# another\n" + no_review_date().replace("id: example-initiative", "id: a")
    text = text.replace(
        "  sources:\n",
        "  sources:\n    - name: extra\n      glossary_term: work-order\n      personal_data: false\n      retention: P1Y\n",
    )
    (tmp_path / "a.yaml").write_text(text)
    assert govlint("check", "a.yaml", "--baseline", "baseline.json", "--today", TODAY).code == 0

    # a new finding is reported, the accepted one is not
    text = text.replace("tier: minimal", "tier: minimal\n  rationale: null").replace(
        "  rationale: Internal planning support; it makes no decisions about individuals.\n", ""
    )
    (tmp_path / "a.yaml").write_text(text)
    new = govlint("check", "a.yaml", "--baseline", "baseline.json", "--today", TODAY)
    assert [line.split()[2] for line in new.lines[:-1]] == ["ETH-013"], new

    # fixing the accepted finding and rewriting the baseline drops it
    (tmp_path / "a.yaml").write_text(base_manifest().replace("id: example-initiative", "id: a"))
    rewritten = govlint("baseline", "a.yaml", "-o", "baseline.json", "--today", TODAY)
    assert rewritten.out.strip() == "wrote baseline.json: 0 findings accepted"
    assert json.loads((tmp_path / "baseline.json").read_text())["findings"] == []
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".baseline.json")]
    assert leftovers == []  # the atomic write leaves no temporary file


def test_baseline_from_config_and_broken_baseline(govlint, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(no_review_date())
    with_registry(tmp_path, "baseline: accepted.json\n")
    assert govlint("baseline", "a.yaml", "--today", TODAY).out.strip() == (
        f"wrote {tmp_path / 'accepted.json'}: 1 finding accepted"
    )
    assert govlint("check", "a.yaml", "--today", TODAY).code == 0
    (tmp_path / "accepted.json").write_text("{not json")
    broken = govlint("check", "a.yaml", "--today", TODAY)
    assert broken.code == 2
    assert "accepted.json:1:2: the baseline is not valid JSON" in broken.err
    (tmp_path / "accepted.json").unlink()
    missing = govlint("check", "a.yaml", "--today", TODAY)
    assert missing.code == 2
    assert "baseline file not found; create it with 'govlint baseline" in missing.err


def test_unreadable_files_are_never_accepted(govlint, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("key: [unclosed\n")
    result = govlint("baseline", "bad.yaml", "-o", "b.json", "--today", TODAY)
    assert result.code == 2
    assert json.loads((tmp_path / "b.json").read_text())["findings"] == []
    assert govlint("check", "bad.yaml", "--baseline", "b.json").code == 2
