"""The board report of a portfolio of a few hundred initiatives: bounded in size, with the
clusters of CON-103 on its first screen ("the same thing, built N times"), and every long
list capped, while the JSON report keeps all of it. The clusters are known by how the
portfolio below is written, not by asking govlint."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_board_report import CHROMIUM_ARGS, _browser, open_page, run_report

from govlint.board.html import MAX_CHIPS, MAX_DETAILED, MAX_ROWS, MAX_TRACE

N = 260
UNITS = 100
PRODUCT = range(0, 60)  # the same product (supplier and model), under two names
PURPOSE = range(60, 100)  # the same purpose, each under its own name
# the rest are unique


def manifest(i: int) -> str:
    unit = f"gemeente-{i % UNITS:03d}"
    if i in PRODUCT:
        name = "Anonimiseringstool" if i % 2 else "Anonimiseringssoftware"
        summary = f"Taak {i} met kenmerk {i * 7919} voor afdeling {i * 104729}."
        model = "model: {name: Anonimiseer Pro, supplier: anonimiseer-bv}\n"
    elif i in PURPOSE:
        name = f"Brievenhulp {i} {i * 31}"
        summary = "Vat binnenkomende brieven van inwoners samen voor de behandelaar."
        model = ""
    else:
        name = f"Eigen toepassing {i} {i * 17}"
        summary = f"Unieke taak {i} met kenmerk {i * 7919} en dossier {i * 104729}."
        model = ""
    return (
        "apiVersion: govlint/v1\nkind: Initiative\n"
        f"metadata: {{id: algo-{i:04d}, name: '{name}', unit: {unit}}}\n"
        f"purpose: {{summary: '{summary}', horizon: optimise}}\n{model}"
    )


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("register")
    for i in range(N):
        (folder / f"a{i:04d}.yaml").write_text(manifest(i), encoding="utf-8")
    for fmt in ("html", "json", "markdown"):
        proc = run_report(
            ".", "--today", "2026-06-01", "--format", fmt, "-o", f"r.{fmt}", cwd=folder
        )
        assert proc.returncode == 0, proc.stderr
    return folder


def keys(indexes: range) -> list[str]:
    return [f"algo-{i:04d}" for i in indexes]


def test_json_keeps_every_cluster_member(register: Path) -> None:
    data = json.loads((register / "r.json").read_text(encoding="utf-8"))
    clusters = {
        (d["signal"], tuple(sorted(d["initiatives"]))) for d in data["patchwork"]["duplicates"]
    }
    assert clusters == {("product", tuple(keys(PRODUCT))), ("purpose", tuple(keys(PURPOSE)))}
    product = next(d for d in data["patchwork"]["duplicates"] if d["signal"] == "product")
    assert len(product["units"]) == len(PRODUCT)
    assert product["label"] == "Anonimiseer Pro (anonimiseer-bv)"
    assert len(product["findings"]) == len(PRODUCT)  # one per member


def test_html_is_bounded_and_summarises(register: Path) -> None:
    page = (register / "r.html").read_text(encoding="utf-8")
    assert N > MAX_DETAILED
    # one self-contained page, no script
    assert "<script" not in page and re.findall(r'(?:src|href)="(?!#)', page) == []
    # the clusters are on the first screen: a tile and a section, largest first
    tile = re.search(r'data-metric="duplicates" data-value="(\d+)"', page)
    assert tile is not None and int(tile.group(1)) == 2
    section = page[page.index('<section id="duplicates">') : page.index('<section id="horizon"')]
    assert "is built 60 times by 60 units" in section
    assert section.index("Anonimiseer Pro") < section.index("Vat binnenkomende brieven")
    # a cluster names its first members and how many more there are
    assert f"and {len(PRODUCT) - MAX_CHIPS} more" in section
    assert section.count('href="#i') == 2 * MAX_CHIPS
    # no figure carries more than MAX_TRACE keys; data-more tells how many are left out
    for found in re.finditer(r'data-initiatives="([^"]*)"(?: data-more="(\d+)")?', page):
        listed = json.loads(found.group(1).replace("&quot;", '"'))
        assert len(listed) <= MAX_TRACE
    assert f'data-value="{N}" data-initiatives=' in page
    assert f'data-more="{N - MAX_TRACE}"' in page
    # findings per initiative are left to JSON and Markdown: no block per initiative
    assert "data-initiative=" not in page
    assert "the findings of each initiative are not listed here" in page
    # the per-unit charts and the heat map show the largest units and say how many more
    assert f"and {UNITS - MAX_ROWS} more" in page
    assert page.count('<tr><th scope="row">') == MAX_ROWS
    # bounded: the appendix table has one short row per initiative, the rest is capped
    assert len(page.encode()) < 2_000 * N + 300_000


def test_markdown_lists_the_clusters(register: Path) -> None:
    text = (register / "r.markdown").read_text(encoding="utf-8")
    assert "## The same thing, built N times" in text
    assert "| Anonimiseer Pro (anonimiseer-bv) (the same product, product-" in text
    row = next(line for line in text.splitlines() if "Anonimiseer Pro (anonimiseer-bv) (" in line)
    assert f"| {len(PRODUCT)} | {len(PRODUCT)} |" in row
    assert f"and {len(PRODUCT) - MAX_CHIPS} more" in row


def test_large_report_fits_the_page_in_a_browser(register: Path, tmp_path: Path) -> None:
    sync_api = _browser()
    events: dict[str, list[str]] = {"console": [], "failed": [], "requests": [], "dialogs": []}
    with open_page(sync_api, register / "r.html", events) as page:
        assert page.evaluate("document.scripts.length") == 0
        # no cell, list or chart wider than the window
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        tile = page.locator('[data-metric="duplicates"]')
        assert tile.inner_text() == "2"
        pdf = tmp_path / "large.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert events["console"] == [] and events["failed"] == []
    assert [u for u in events["requests"] if not u.startswith("file://")] == []
    assert CHROMIUM_ARGS  # the same browser settings as the board report test
