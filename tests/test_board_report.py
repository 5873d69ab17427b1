"""`govlint report`: the board report, checked against the manifests it is computed from.

The numbers are recomputed here from the YAML files and the findings, independently of
govlint.board; the HTML page is opened in a real headless Chromium (skipped, with the
reason, only when Chromium or the playwright package is missing).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import base_manifest, with_registry
from ruamel.yaml import YAML

from govlint import __version__
from govlint.board.aggregate import BoardReport, Count, build, to_json
from govlint.board.html import MAX_GRAPH_INITIATIVES
from govlint.board.html import render as render_html
from govlint.board.markdown import render as render_markdown
from govlint.outcome import Outcome
from govlint.run import RunSettings, run

TODAY = "2026-03-01"
CHROMIUM = os.environ.get("GOVLINT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS_NAME = "<script>alert(1)</script>"
XSS_SUMMARY = '"><img src=x onerror=alert(1)>'


def run_report(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "govlint", "report", *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def check(folder: Path, today: str = TODAY) -> tuple[Outcome, BoardReport, dict[str, str]]:
    """Check a folder as `govlint report FOLDER` does; the report and each rule's principle."""
    result = run(RunSettings(cwd=folder, paths=(folder,), today=dt.date.fromisoformat(today)))
    setup = result.setup
    assert setup is not None
    principles = {rule.id: rule.principle for rule in setup.rules}
    return result.outcome, build(result.outcome, setup.rules, setup.today, __version__), principles


def manifests(folder: Path) -> dict[str, dict[str, Any]]:
    """Every initiative manifest under ``folder`` by its path, read with ruamel.yaml."""
    yaml = YAML(typ="safe")
    found = {}
    for path in sorted(folder.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") == "Initiative":
            found[path.relative_to(folder).as_posix()] = data
    return found


def counts(report_counts: tuple[Count, ...]) -> dict[str, int]:
    return {c.key: c.count for c in report_counts if c.count}


def all_counts(value: Any) -> list[dict[str, Any]]:
    """Every Count in the JSON form of the report (dicts with key, count, initiatives)."""
    if isinstance(value, dict):
        own = [value] if set(value) == {"key", "count", "initiatives"} else []
        return own + [c for v in value.values() for c in all_counts(v)]
    if isinstance(value, list):
        return [c for v in value for c in all_counts(v)]
    return []


# --- the numbers, on the bundled examples ------------------------------------------------


def test_aggregates_match_the_manifests_and_findings(examples: Path) -> None:
    outcome, report, principles = check(examples)
    docs = manifests(examples)
    assert len(docs) == 7  # six initiatives and a draft that reuses an id

    horizons = Counter(d["purpose"]["horizon"] for d in docs.values())
    tiers = Counter(d["risk"]["tier"] for d in docs.values())
    statuses = Counter(d["lifecycle"]["status"] for d in docs.values())
    units = Counter(d["metadata"]["unit"] for d in docs.values())
    assert report.totals.initiatives == len(docs)
    assert counts(report.by_horizon) == horizons == {"optimise": 4, "redesign": 2, "new-service": 1}
    assert counts(report.by_tier) == tiers
    assert counts(report.by_status) == statuses
    assert counts(report.by_unit) == units
    assert report.totals.beyond_optimise.count == horizons["redesign"] + horizons["new-service"]
    assert report.totals.high_risk.count == tiers["high"]

    for uh in report.horizon_by_unit:
        expected = Counter(
            d["purpose"]["horizon"] for d in docs.values() if d["metadata"]["unit"] == uh.unit
        )
        assert counts(uh.counts) == expected, uh.unit

    redesigned = {
        d["purpose"].get("customer_journey")
        for d in docs.values()
        if d["purpose"]["horizon"] != "optimise" and d["purpose"].get("customer_journey")
    }
    assert redesigned == {"ask-a-question", "apply-for-support"}
    assert {
        j.id
        for j in report.journeys
        if j.id and any(c.count for c in j.counts if c.key != "optimise")
    } == redesigned

    # each example file holds one initiative, so a finding's file names its initiative
    active = [f for f in outcome.findings if not f.suppressed]
    key_of_file = {row.file: row.key for row in report.initiatives}
    assert sorted(key_of_file) == sorted(docs)
    with_error = {key_of_file[f.file] for f in active if f.severity.value == "error"}
    assert set(report.totals.compliant.initiatives) == set(key_of_file.values()) - with_error
    assert report.totals.errors == sum(f.severity.value == "error" for f in active)
    assert report.totals.warnings == sum(f.severity.value == "warning" for f in active)
    assert sum(r.errors + r.warnings + r.infos for r in report.initiatives) + len(
        report.other_findings
    ) == len(active)

    # compliance per principle: no error finding of that principle's rules
    for cell in report.compliance.portfolio.cells:
        failing = {
            key_of_file[f.file]
            for f in active
            if f.severity.value == "error" and principles.get(f.rule_id) == cell.principle
        }
        assert set(cell.failing) == failing, cell.principle
        assert cell.share == (len(docs) - len(failing)) / len(docs)

    # the patchwork: islands, duplicate capabilities, conflicting definitions
    islands = {key_of_file[f.file] for f in active if f.rule_id in ("CON-001", "CON-102")}
    assert (
        set(report.patchwork.islands)
        == islands
        == {"hr-recruitment-screening", "operations-planning"}
    )
    providers: dict[str, set[str]] = {}
    for d in docs.values():
        for capability in (d.get("contribution") or {}).get("capabilities", {}).get("provides", []):
            providers.setdefault(capability, set()).add(d["metadata"]["unit"])
    built_twice = {c for c, u in providers.items() if len(u) > 1}
    assert (
        {d.capability for d in report.patchwork.duplicates} == built_twice == {"intent-recognition"}
    )
    assert len(report.patchwork.conflicts) == sum(f.rule_id == "DAT-101" for f in active) == 3
    assert {(c.source, c.term) for c in report.patchwork.conflicts} >= {
        ("chat-transcripts", "citizen-question"),
        ("chat-transcripts", "employee-question"),
    }

    # the graph: an edge for every platform, capability and dependency a manifest declares
    expected_edges = 0
    for d in docs.values():
        c = d.get("contribution") or {}
        expected_edges += bool(c.get("platform"))
        caps = c.get("capabilities") or {}
        expected_edges += len(caps.get("provides", [])) + len(caps.get("reuses", []))
        expected_edges += len(c.get("depends_on", []))
    assert len(report.patchwork.edges) == expected_edges

    # traceability: every number is the length of the list of initiatives behind it
    keys = {row.key for row in report.initiatives}
    for c in all_counts(to_json(report)):
        if c["key"] not in ("active", "expiring", "expired"):
            assert c["count"] == len(c["initiatives"]), c
        assert set(c["initiatives"]) <= keys, c
    # the duplicate id is kept apart, not merged
    assert sum(row.id == "finance-forecasting" for row in report.initiatives) == 2
    assert len(keys) == len(report.initiatives)


def test_findings_are_attributed_to_the_document_they_are_in(tmp_path: Path) -> None:
    with_registry(tmp_path)
    second = (
        base_manifest()
        .replace("id: example-initiative", "id: second-initiative")
        .replace("  review_date: 2099-12-31\n", "")
    )
    (tmp_path / "two.yaml").write_text(base_manifest() + "---\n" + second, encoding="utf-8")
    _, report, _ = check(tmp_path)
    rows = {row.key: row for row in report.initiatives}
    assert set(rows) == {"example-initiative", "second-initiative"}
    assert [f.rule_id for f in rows["second-initiative"].findings if f.rule_id == "LIF-001"] == [
        "LIF-001"
    ]
    assert not any(f.rule_id == "LIF-001" for f in rows["example-initiative"].findings)


def test_waivers_active_expiring_and_expired(tmp_path: Path) -> None:
    with_registry(tmp_path)
    today = dt.date(2026, 11, 29)

    def waived(ident: str, expires: dt.date) -> str:
        text = base_manifest().replace("id: example-initiative", f"id: {ident}")
        text = text.replace("  review_date: 2099-12-31\n", "")  # LIF-001 fires
        return text + (
            "waivers:\n  - rule: LIF-001\n    reason: Review board being set up.\n"
            "    approved_by: Governance office\n    ticket: GOV-1\n"
            f"    expires: {expires.isoformat()}\n"
        )

    cases = {"later": 200, "soon": 30, "gone": -1, "last-day": 0, "edge": 90, "past-edge": 91}
    for ident, days in cases.items():
        (tmp_path / f"{ident}.yaml").write_text(
            waived(ident, today + dt.timedelta(days=days)), encoding="utf-8"
        )
    _, report, _ = check(tmp_path, today.isoformat())
    states = {row.initiative: row.state for row in report.waivers.rows}
    assert states == {
        "later": "active",
        "past-edge": "active",
        "soon": "expiring",
        "edge": "expiring",
        "last-day": "expiring",
        "gone": "expired",
    }
    by_state = {c.key: c for c in report.waivers.counts}
    assert (by_state["active"].count, by_state["expiring"].count, by_state["expired"].count) == (
        2,
        3,
        1,
    )
    days = {row.initiative: row.days_left for row in report.waivers.rows}
    assert days == cases
    # an applied waiver suppresses the finding; an expired one does not
    findings = {row.initiative: row.findings for row in report.waivers.rows}
    assert findings["later"] == 1 and findings["gone"] == 0
    assert report.initiative("later").waived == 1  # type: ignore[union-attr]
    html = render_html(report)
    assert 'data-metric="waivers-expiring" data-value="3"' in html
    assert "Review board being set up." in render_markdown(report)


# --- the command, as a user runs it -----------------------------------------------------------


def test_json_report_is_versioned_and_matches_the_manifests(examples: Path) -> None:
    proc = run_report("examples", "--today", TODAY, "-o", "out/report.json", cwd=examples.parent)
    assert proc.returncode == 0, proc.stderr
    assert "wrote out/report.json (json): 7 initiatives" in proc.stderr
    data = json.loads((examples.parent / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["schema"] == "govlint/board-report" and data["version"] == 1
    assert data["today"] == TODAY
    assert data["totals"]["initiatives"] == 7
    horizons = Counter(d["purpose"]["horizon"] for d in manifests(examples).values())
    assert {c["key"]: c["count"] for c in data["by_horizon"]} == {
        "optimise": horizons["optimise"],
        "redesign": horizons["redesign"],
        "new-service": horizons["new-service"],
    }
    first = data["initiatives"][0]
    assert {"key", "name", "unit", "horizon", "errors", "findings", "file"} <= set(first)
    assert all({"rule_id", "file", "line", "message"} <= set(f) for f in first["findings"])
    # the same numbers on standard output
    stdout = run_report("examples", "--today", TODAY, "--format", "json", cwd=examples.parent)
    assert json.loads(stdout.stdout) == data


def _html_answers(page: str) -> list[str]:
    return [html.unescape(a) for a in re.findall(r'<p class="answer">([^<]*)</p>', page)]


def _markdown_paragraphs(text: str) -> set[str]:
    """Each paragraph as a reader sees it (Markdown escapes undone)."""
    return {html.unescape(re.sub(r"\\(.)", r"\1", p)) for p in text.split("\n\n")}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_html_and_markdown_give_the_same_answers(examples: Path, lang: str) -> None:
    """Both formats answer each section's question with the same sentence and figures."""
    _, report, _ = check(examples)
    answers = _html_answers(render_html(report, lang))
    paragraphs = _markdown_paragraphs(render_markdown(report, lang))
    # duplicates, horizon, journeys, compliance, patchwork, rules, waivers
    assert len(answers) == 7, answers
    missing = [a for a in answers if a not in paragraphs]
    assert missing == [], missing
    assert any("3 of 7" in a or "3 van 7" in a for a in answers), answers


def test_markdown_report(examples: Path) -> None:
    proc = run_report("examples", "--today", TODAY, "--format", "markdown", cwd=examples.parent)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith(
        "# AI portfolio: board report\n\n**Municipality of Voorbeeld · situation on 2026-03-01**"
    )
    assert (
        "3 of 7 initiatives (43%) redesign the service or create a new one; 4 optimise the existing process."
        in text
    )
    assert "| **Whole portfolio** | **4** | **2** | **1** | **7** |" in text
    assert "| Human Resources | 2 | 0 | 0 | 2 |" in text
    assert (
        "Being redesigned with AI: Ask the municipality a question, Apply for income support."
        in text
    )
    assert (
        "- [Crew planning tool](#crew-planning-tool-operations-planning) · Public Space Operations"
        in text
    )
    assert "### Crew planning tool (operations-planning)" in text
    assert (
        "- **Recognise what a citizen asks** (intent-recognition): [HR questions bot](#hr-questions-bot-hr-questions-bot), [Ask Voorbeeld chatbot](#ask-voorbeeld-chatbot-customer-service-chatbot)"
        in text
    )
    assert "| **Whole portfolio** | 🟡 86% (6/7) |" in text
    assert "## Rules most often broken" in text
    assert (
        "**chat-transcripts** → citizen-question (differs from [HR questions bot](#hr-questions-bot-hr-questions-bot))"
        in text
    )
    # every table row has as many cells as its header
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.startswith("| ")]
        if lines:
            assert len({line.count(" | ") for line in lines}) == 1, block


def test_html_goes_to_a_file_and_is_overwritten(examples: Path) -> None:
    target = examples.parent / "report.html"
    target.write_text("old", encoding="utf-8")
    proc = run_report("examples", "--today", TODAY, "-o", "report.html", cwd=examples.parent)
    assert proc.returncode == 0, proc.stderr
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    # nothing is loaded: the only links are to places in the page itself
    assert re.findall(r'(?:src|href)="(?!#)', html) == []


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal (pty)")
def test_html_is_not_dumped_on_a_terminal(examples: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "govlint", "report", "examples"],
            cwd=examples.parent,
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    assert "write it to a file with -o report.html" in proc.stderr


def test_usage_errors_exit_2(examples: Path) -> None:
    bad_date = run_report("examples", "--today", "01-03-2026", cwd=examples.parent)
    assert bad_date.returncode == 2
    assert "--today '01-03-2026' is not a date" in bad_date.stderr
    missing = run_report("nowhere", cwd=examples.parent)
    assert missing.returncode == 2 and "nowhere: no such file or folder" in missing.stderr


def test_unreadable_file_is_listed_and_exits_2(examples: Path) -> None:
    (examples / "initiatives" / "broken.yaml").write_text("kind: Initiative\n  x: [\n")
    proc = run_report("examples", "--today", TODAY, "-o", "r.md", cwd=examples.parent)
    assert proc.returncode == 2
    text = (examples.parent / "r.md").read_text(encoding="utf-8")
    assert "GL001" in text and "examples/initiatives/broken.yaml" in text


def test_dutch_labels(examples: Path) -> None:
    proc = run_report(
        "examples", "--today", TODAY, "--format", "markdown", "--lang", "nl", cwd=examples.parent
    )
    assert "## In één oogopslag" in proc.stdout
    assert "## Waar zit de lappendeken?" in proc.stdout


def test_large_portfolio_is_summarised_instead_of_drawn(tmp_path: Path) -> None:
    with_registry(tmp_path)
    base = base_manifest()
    for n in range(MAX_GRAPH_INITIATIVES + 1):
        text = base.replace("id: example-initiative", f"id: initiative-{n:03d}")
        (tmp_path / f"i{n:03d}.yaml").write_text(text, encoding="utf-8")
    _, report, _ = check(tmp_path)
    html = render_html(report)
    assert report.totals.initiatives == MAX_GRAPH_INITIATIVES + 1
    assert 'class="graph"' not in html
    assert "a drawing would be unreadable" in html
    assert f'data-value="{MAX_GRAPH_INITIATIVES + 1}"' in html  # the platform's users


# --- escaping ------------------------------------------------------------------------------


def hostile_portfolio(folder: Path) -> None:
    with_registry(folder)
    text = (
        base_manifest()
        .replace("name: Example initiative", f"name: '{XSS_NAME}'")
        .replace(
            "summary: Suggests maintenance crew schedules for the public-space department.",
            f"summary: '{XSS_SUMMARY}'",
        )
        .replace("  review_date: 2099-12-31\n", "")  # a finding whose message names it
    )
    (folder / "hostile.yaml").write_text(text, encoding="utf-8")
    # an invalid manifest: its raw values are shown too
    invalid = (
        base_manifest()
        .replace("id: example-initiative", "id: other-initiative")
        .replace("unit: operations", f"unit: '{XSS_SUMMARY}'")
        .replace("horizon: redesign", f"horizon: '{XSS_NAME}'")
    )
    (folder / "invalid.yaml").write_text(invalid, encoding="utf-8")


def test_manifest_text_is_escaped_everywhere(tmp_path: Path) -> None:
    hostile_portfolio(tmp_path)
    _, report, _ = check(tmp_path)
    assert any(row.name == XSS_NAME for row in report.initiatives)
    assert any(row.unit == XSS_SUMMARY for row in report.initiatives)
    html = render_html(report)
    for raw in (XSS_NAME, XSS_SUMMARY, "<img", "<script", "onerror=alert(1)>"):
        assert raw not in html, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    markdown = render_markdown(report)
    assert "<script" not in markdown and "<img" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown


# --- in a real browser --------------------------------------------------------------------


def _browser() -> Any:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip(f"Chromium is not installed ({CHROMIUM}); apt-get install -y chromium")
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the playwright package is not installed (pip install playwright)",
    )
    return sync_api


@contextlib.contextmanager
def open_page(sync_api: Any, path: Path, events: dict[str, list[str]]) -> Iterator[Any]:
    """``path`` loaded in headless Chromium, with console, network and dialog events recorded."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on(
                "console",
                lambda m: (
                    events["console"].append(f"{m.type}: {m.text}")
                    if m.type in ("error", "warning")
                    else None
                ),
            )
            page.on("pageerror", lambda exc: events["console"].append(f"pageerror: {exc}"))
            page.on("requestfailed", lambda r: events["failed"].append(r.url))
            page.on("request", lambda r: events["requests"].append(r.url))
            page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            yield page
        finally:
            browser.close()


def save_artefact(source: Path, name: str) -> None:
    target = os.environ.get("GOVLINT_ARTEFACTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, Path(target) / name)


def test_html_report_in_a_browser(examples: Path, tmp_path: Path) -> None:
    sync_api = _browser()
    _, report, _ = check(examples)
    page_file = tmp_path / "report.html"  # run where check() ran, so file names match
    proc = run_report(".", "--today", TODAY, "-o", str(page_file), cwd=examples)
    assert proc.returncode == 0, proc.stderr
    events: dict[str, list[str]] = {"console": [], "failed": [], "requests": [], "dialogs": []}
    with open_page(sync_api, page_file, events) as page:

        def metric(name: str) -> tuple[int, list[str]]:
            element = page.locator(f'[data-metric="{name}"]')
            assert element.count() == 1, name
            return int(element.get_attribute("data-value")), json.loads(
                element.get_attribute("data-initiatives") or "[]"
            )

        total, keys = metric("initiatives-total")
        assert total == report.totals.initiatives == 7
        assert sorted(keys) == sorted(row.key for row in report.initiatives)
        assert page.locator('[data-metric="initiatives-total"]').inner_text() == "7"
        for c in report.by_horizon:
            if c.count:
                assert metric(f"horizon-{c.key}") == (c.count, list(c.initiatives))
        for c in report.by_tier:
            assert metric(f"tier-{c.key}")[0] == c.count
        assert metric("high-risk")[0] == report.totals.high_risk.count == 2
        assert metric("horizon-beyond-optimise")[0] == report.totals.beyond_optimise.count == 3
        assert metric("initiatives-compliant") == (
            report.totals.compliant.count,
            list(report.totals.compliant.initiatives),
        )
        assert metric("islands") == (2, ["hr-recruitment-screening", "operations-planning"])
        # hovering a number names the initiatives behind it
        tip = page.locator('[data-metric="islands"]').get_attribute("title")
        assert "Crew planning tool (operations-planning)" in tip
        assert metric("duplicate-capabilities")[0] == 1
        assert metric("conflicting-definitions")[0] == 3
        assert metric("findings-error")[0] == report.totals.errors
        cell = page.locator('[data-metric="compliance-contribution"]')
        portfolio = next(
            c for c in report.compliance.portfolio.cells if c.principle == "contribution"
        )
        assert int(cell.get_attribute("data-value")) == len(portfolio.compliant)
        assert cell.inner_text().split() == [
            f"{round(portfolio.share * 100)}%",
            f"{len(portfolio.compliant)}/7",
        ]
        # the patchwork is drawn: one box per initiative, platform and capability used
        assert page.locator(".graph g.node").count() == len(report.patchwork.nodes)
        # every initiative has its findings in the page, reachable by its link
        for row in report.initiatives:
            block = page.locator(f'[data-initiative="{row.key}"]')
            assert block.count() == 1
            assert block.locator("tr").count() == len(row.findings)
        assert page.evaluate("document.scripts.length") == 0
        shot = tmp_path / "board-report.png"
        page.screenshot(path=str(shot), full_page=True)
        pdf = tmp_path / "board-report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
    assert shot.stat().st_size > 10_000
    assert pdf.read_bytes().startswith(b"%PDF")
    save_artefact(shot, "board-report.png")
    save_artefact(pdf, "board-report.pdf")
    assert events["console"] == []
    assert events["failed"] == []
    assert [u for u in events["requests"] if not u.startswith("file://")] == []
    assert events["dialogs"] == []


def test_hostile_manifest_fires_no_script_in_a_browser(tmp_path: Path) -> None:
    sync_api = _browser()
    hostile_portfolio(tmp_path)
    proc = run_report(".", "-o", "report.html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    events: dict[str, list[str]] = {"console": [], "failed": [], "requests": [], "dialogs": []}
    with open_page(sync_api, tmp_path / "report.html", events) as page:
        assert page.evaluate("document.scripts.length") == 0
        assert page.locator("img").count() == 0
        assert XSS_NAME in page.locator("body").inner_text()  # shown as text
        page.wait_for_timeout(200)
    assert events["dialogs"] == []
    assert [u for u in events["requests"] if not u.startswith("file://")] == []
    assert events["console"] == []
