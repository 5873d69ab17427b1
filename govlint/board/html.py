"""The board report as one self-contained HTML page: inline CSS and SVG, no script, printable.

Every text that comes from a manifest, the registry or a finding goes through :func:`e`
(``html.escape``), in elements and attributes alike. Every figure carries
``data-metric`` and ``data-value``, and ``data-initiatives`` (a JSON list of report keys)
with a ``title`` naming them, so a reader can hover to trace it and a test can read it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from itertools import groupby, pairwise

from govlint.board.aggregate import (
    MANIFEST,
    UNKNOWN,
    BoardReport,
    Cell,
    Count,
    FindingRef,
    Node,
)
from govlint.board.labels import Translate, translator

#: above this many initiatives the patchwork is summarised in a table instead of drawn
MAX_GRAPH_INITIATIVES = 50
#: how many of the most broken rules are shown
TOP_RULES = 10
#: how many names a tooltip lists before "and N more"
MAX_NAMES = 25

HORIZON_COLOURS = {
    "optimise": "#a3acb9",
    "redesign": "#2c6fbb",
    "new-service": "#2f855a",
    UNKNOWN: "#e4e7eb",
}
TIER_COLOURS = {
    "prohibited": "#1a202c",
    "high": "#c53030",
    "limited": "#dd6b20",
    "minimal": "#38a169",
    UNKNOWN: "#cbd2d9",
}
STATUS_COLOURS = {
    "idea": "#c3dafe",
    "development": "#7f9cf5",
    "pilot": "#5a67d8",
    "production": "#3c366b",
    "retired": "#a0aec0",
    UNKNOWN: "#e2e8f0",
}
UNIT_COLOUR = "#4a5568"
FLAG_COLOURS = {"island": "#c53030", "duplicate": "#c05621", "conflict": "#6b46c1"}
EDGE_STYLES = {
    "runs-on": ("#718096", ""),
    "provides": ("#2c6fbb", ""),
    "reuses": ("#2c6fbb", "5 4"),
    "depends-on": ("#6b46c1", "2 3"),
}
# heat map: no initiative without an error (red) -> half (amber) -> all (green)
_HEAT_STOPS = ((0.0, (250, 170, 170)), (0.5, (250, 214, 140)), (1.0, (150, 222, 170)))


def e(text: object) -> str:
    """Escape any text for HTML element content and attribute values."""
    return html.escape(str(text), quote=True)


def _weakest_first(cell: Cell) -> tuple[float, str]:
    """Order for "the weakest principle": lowest share first, nothing assessable last."""
    return (2.0 if cell.share is None else cell.share, cell.principle)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def _heat(share: float | None) -> str:
    if share is None:
        return "#f4f5f7"
    for (x0, c0), (x1, c1) in pairwise(_HEAT_STOPS):
        if share <= x1:
            f = (share - x0) / (x1 - x0)
            r, g, b = (round(a + (b - a) * f) for a, b in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#{:02x}{:02x}{:02x}".format(*_HEAT_STOPS[-1][1])


def render(report: BoardReport, lang: str = "en") -> str:
    """The whole report as one HTML document."""
    return _Page(report, translator(lang), lang).render()


class _Page:
    """Renders one report; keeps the names and anchors of initiatives at hand."""

    def __init__(self, report: BoardReport, t: Translate, lang: str) -> None:
        self.r = report
        self.t = t
        self.lang = lang
        self.rows = {row.key: row for row in report.initiatives}
        self.anchor = {row.key: f"i{n}" for n, row in enumerate(report.initiatives, start=1)}

    # --- small pieces ---------------------------------------------------------------

    def name(self, key: str) -> str:
        row = self.rows.get(key)
        return row.name if row is not None else key

    def who(self, keys: Iterable[str]) -> str:
        keys = list(keys)
        names = [f"{self.name(k)} ({k})" if self.name(k) != k else k for k in keys]
        if len(names) > MAX_NAMES:
            rest = len(names) - MAX_NAMES
            names = [*names[:MAX_NAMES], self.t("more", count=rest)]
        return ", ".join(names) if len(names) <= 3 else "\n".join(names)

    def metric(self, metric: str | None, value: int, keys: Sequence[str], title: str = "") -> str:
        """Attributes that make a figure traceable (hover) and readable by tools."""
        parts = [f' data-value="{value}"', f' data-initiatives="{e(json.dumps(list(keys)))}"']
        if metric:
            parts.insert(0, f' data-metric="{e(metric)}"')
        tip = "\n".join(p for p in (title, self.who(keys)) if p)
        if tip:
            parts.append(f' title="{e(tip)}"')
        return "".join(parts)

    def unit(self, unit_id: str) -> str:
        if unit_id == UNKNOWN:
            return self.t("unit.unknown")
        return self.r.unit_name(unit_id)

    def value(self, kind: str, key: str) -> str:
        return self.t(f"{kind}.{key}")

    def link(self, key: str) -> str:
        anchor = self.anchor.get(key)
        text = e(self.name(key))
        return f'<a href="#{anchor}" title="{e(key)}">{text}</a>' if anchor else text

    def links(self, keys: Iterable[str]) -> str:
        return ", ".join(self.link(k) for k in keys)

    def svg(self, width: float, height: float, body: Iterable[str], label: str) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{e(label)}" '
            f'class="chart">{"".join(body)}</svg>'
        )

    # --- the page -------------------------------------------------------------------

    def render(self) -> str:
        t = self.t
        r = self.r
        organisation = r.organisation or t("report.organisation")
        title = f"{t('report.title')} · {organisation}"
        sections = [
            self.header(organisation),
            self.glance(),
            self.horizon(),
            self.compliance(),
            self.patchwork(),
            self.portfolio(),
            self.rules(),
            self.waivers(),
            self.initiatives(),
            self.findings(),
            self.other(),
            self.method(),
        ]
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{e(self.lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="govlint {e(r.govlint_version)}">\n'
            f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(s for s in sections if s)
            + "\n</main>\n</body>\n</html>\n"
        )

    def header(self, organisation: str) -> str:
        t, r, totals = self.t, self.r, self.r.totals
        scope = t(
            "report.scope",
            initiatives=totals.initiatives,
            files=totals.files,
            rules=r.rules,
            findings=totals.findings,
            errors=totals.errors,
            warnings=totals.warnings,
            infos=totals.infos,
            waived=totals.waived,
        )
        counts = (
            f'<span hidden data-metric="findings-error" data-value="{totals.errors}"></span>'
            f'<span hidden data-metric="findings-warning" data-value="{totals.warnings}"></span>'
            f'<span hidden data-metric="findings-info" data-value="{totals.infos}"></span>'
        )
        return (
            "<header>"
            f"<h1>{e(t('report.title'))}</h1>"
            f'<p class="sub">{e(t("report.subtitle", organisation=organisation, today=r.today))}'
            "</p>"
            f'<p class="scope">{e(scope)} {e(t("report.trace"))}</p>{counts}'
            "</header>"
        )

    def kpi(
        self,
        metric: str,
        value: int,
        keys: Sequence[str],
        label: str,
        note: str,
        tone: str = "",
        suffix: str = "",
    ) -> str:
        return (
            f'<div class="kpi {tone}"><div class="n"{self.metric(metric, value, keys)}>{value}'
            f'</div>{suffix}<div class="l">{e(label)}</div><div class="note">{e(note)}</div>'
            "</div>"
        )

    def glance(self) -> str:
        t, r, totals = self.t, self.r, self.r.totals
        pw, waivers = r.patchwork, r.waivers
        total = totals.initiatives
        optimise = next((c for c in r.by_horizon if c.key == "optimise"), None)
        prohibited = next((c for c in r.by_tier if c.key == "prohibited"), None)
        state = {c.key: c for c in waivers.counts}
        duplicates = [d for d in pw.duplicates if d.capability]
        conflict_keys = [c.initiative for c in pw.conflicts if c.initiative]
        of = f'<span class="of">/ {total}</span>' if total else ""
        tiles = [
            self.kpi(
                "initiatives-total",
                total,
                [row.key for row in r.initiatives],
                t("kpi.initiatives"),
                t("kpi.initiatives.note", units=totals.units),
            ),
            self.kpi(
                "horizon-beyond-optimise",
                totals.beyond_optimise.count,
                totals.beyond_optimise.initiatives,
                t("kpi.beyond"),
                t("kpi.beyond.note", optimise=optimise.count if optimise else 0),
                "good" if total and totals.beyond_optimise.count * 2 >= total else "warn",
                of,
            ),
            self.kpi(
                "high-risk",
                totals.high_risk.count,
                totals.high_risk.initiatives,
                t("kpi.high"),
                t("kpi.high.note", prohibited=prohibited.count if prohibited else 0),
                "bad" if prohibited and prohibited.count else "",
            ),
            self.kpi(
                "initiatives-compliant",
                totals.compliant.count,
                totals.compliant.initiatives,
                t("kpi.compliant"),
                t("kpi.compliant.note", failing=total - totals.compliant.count),
                "good" if totals.compliant.count == total else "bad",
                of,
            ),
            self.kpi(
                "islands",
                len(pw.islands),
                pw.islands,
                t("kpi.islands"),
                t("kpi.islands.note"),
                "bad" if pw.islands else "good",
            ),
            self.kpi(
                "duplicate-capabilities",
                len(duplicates),
                [k for d in duplicates for k in d.initiatives],
                t("kpi.duplicates"),
                t("kpi.duplicates.note"),
                "bad" if duplicates else "good",
            ),
            self.kpi(
                "conflicting-definitions",
                len(pw.conflicts),
                list(dict.fromkeys(conflict_keys)),
                t("kpi.conflicts"),
                t("kpi.conflicts.note"),
                "bad" if pw.conflicts else "good",
            ),
            self.kpi(
                "waivers-expiring",
                state["expiring"].count,
                state["expiring"].initiatives,
                t("kpi.waivers", days=waivers.window_days),
                t(
                    "kpi.waivers.note",
                    expired=state["expired"].count,
                    active=state["active"].count,
                ),
                "warn" if state["expiring"].count or state["expired"].count else "",
            ),
        ]
        return (
            f'<section id="glance"><h2>{e(t("section.glance"))}</h2>'
            f'<div class="kpis">{"".join(tiles)}</div></section>'
        )

    # --- horizon and journeys --------------------------------------------------------

    def stacked(
        self,
        counts: Sequence[Count],
        width: float,
        height: float,
        scale: int,
        metric_prefix: str | None,
        x0: float = 0,
        y0: float = 0,
        labelled: bool = False,
    ) -> list[str]:
        """One stacked bar of horizon counts; ``scale`` initiatives fill ``width``."""
        parts: list[str] = []
        x = x0
        for count in counts:
            if count.count == 0:
                continue
            w = width * count.count / scale if scale else 0
            label = self.value("horizon", count.key)
            metric = f"{metric_prefix}-{count.key}" if metric_prefix else None
            attrs = self.metric(metric, count.count, count.initiatives, f"{label}: {count.count}")
            colour = HORIZON_COLOURS.get(count.key, HORIZON_COLOURS[UNKNOWN])
            ink = "#1a202c" if count.key in ("optimise", UNKNOWN) else "#ffffff"
            text = f"{label} {count.count}" if labelled else str(count.count)
            if labelled and w < 7.2 * len(text) + 8:
                text = str(count.count)  # the legend names the colour
            inner = (
                f'<text x="{x + w / 2:.1f}" y="{y0 + height / 2 + 4.5:.1f}" '
                f'text-anchor="middle" style="fill:{ink}" class="seg">{e(text)}</text>'
                if w >= 7.2 * len(text) + 8
                else ""
            )
            parts.append(
                f"<g{attrs}><title>{e(label)}: {count.count}\n{e(self.who(count.initiatives))}"
                f'</title><rect x="{x:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{height:.1f}" '
                f'fill="{colour}"/>{inner}</g>'
            )
            x += w
        return parts

    def horizon(self) -> str:
        t, r, totals = self.t, self.r, self.r.totals
        total = totals.initiatives
        optimise = next((c.count for c in r.by_horizon if c.key == "optimise"), 0)
        answer = t(
            "horizon.answer",
            beyond=totals.beyond_optimise.count,
            total=total,
            share=_pct(totals.beyond_optimise.count / total if total else None),
            optimise=optimise,
        )
        width = 500
        overall = self.svg(
            width,
            40,
            self.stacked(r.by_horizon, width, 40, total, "horizon", labelled=True),
            t("horizon.overall"),
        )
        units = [u for u in r.horizon_by_unit if u.total]
        label_w, row_h, bar_h = 170, 30, 20
        biggest = max((u.total for u in units), default=1)
        body: list[str] = []
        for i, uh in enumerate(units):
            y = i * row_h
            name = self.unit(uh.unit)
            body.append(
                f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" class="lbl">'
                f"<title>{e(name)}</title>{e(_short(name, 24))}</text>"
            )
            body += self.stacked(
                uh.counts, width - label_w - 40, bar_h, biggest, None, label_w, y + 1
            )
            body.append(
                f'<text x="{label_w + (width - label_w - 40) * uh.total / biggest + 6:.1f}" '
                f'y="{y + 15}" class="n">{uh.total}</text>'
            )
        per_unit = self.svg(width, max(row_h * len(units), 1), body, t("section.horizon"))
        legend = "".join(
            f'<span class="sw" style="background:{HORIZON_COLOURS[c.key]}"></span>'
            f"{e(self.value('horizon', c.key))} "
            for c in r.by_horizon
        )
        return (
            f'<section id="horizon" class="grid2"><div><h2>{e(t("section.horizon"))}</h2>'
            f'<p class="answer">{e(answer)}</p>{overall}<p class="legend">{legend}</p>'
            f"{per_unit}</div>{self.journeys()}</section>"
        )

    def journeys(self) -> str:
        t, r = self.t, self.r
        redesigned = [
            j
            for j in r.journeys
            if j.id is not None and any(c.count for c in j.counts if c.key != "optimise")
        ]
        answer = (
            t("journeys.answer", journeys=", ".join(j.name for j in redesigned))
            if redesigned
            else t("journeys.answer.none")
        )
        rows: list[str] = []
        for journey in r.journeys:
            name = journey.name if journey.id is not None else t("journey.none")
            chips = "".join(
                f'<span class="chip h-{e(c.key)}" title="{e(self.value("horizon", c.key))}: '
                f'{e(key)}">{e(self.name(key))}</span>'
                for c in journey.counts
                for key in c.initiatives
            )
            if not chips:
                chips = f'<span class="muted">{e(t("journeys.unserved"))}</span>'
            flag = (
                f' <span class="muted">({e(t("journeys.unregistered"))})</span>'
                if journey.id is not None and not journey.in_registry
                else ""
            )
            owner = (
                f'<div class="muted small">{e(self.unit(journey.owner))}</div>'
                if (journey.owner)
                else ""
            )
            rows.append(f"<tr><td>{e(name)}{flag}{owner}</td><td>{chips}</td></tr>")
        return (
            f'<div><h2>{e(t("section.journeys"))}</h2><p class="answer">{e(answer)}</p>'
            f'<table class="journeys"><thead><tr><th>{e(t("col.journey"))}</th>'
            f"<th>{e(t('col.initiatives'))}</th></tr></thead><tbody>{''.join(rows)}</tbody>"
            "</table></div>"
        )

    # --- portfolio bars ---------------------------------------------------------------

    def bars(
        self,
        rows: Sequence[tuple[str, Count, str]],
        metric_prefix: str,
        label: str,
        width: int = 340,
    ) -> str:
        label_w, row_h = 170, 26
        bar_w = width - label_w - 40
        top = max((c.count for _, c, _ in rows), default=0) or 1
        body: list[str] = []
        for i, (text, count, colour) in enumerate(rows):
            y = i * row_h
            w = bar_w * count.count / top
            attrs = self.metric(f"{metric_prefix}-{count.key}", count.count, count.initiatives)
            body.append(
                f"<g{attrs}><title>{e(text)}: {count.count}\n{e(self.who(count.initiatives))}"
                f'</title><text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="lbl">'
                f'{e(_short(text, 25))}</text><rect x="{label_w}" y="{y + 5}" width="{w:.1f}" '
                f'height="16" rx="2" fill="{colour}"/><text x="{label_w + w + 6:.1f}" '
                f'y="{y + 17}" class="n">{count.count}</text></g>'
            )
        return self.svg(width, max(len(rows) * row_h, 1), body, label)

    def portfolio(self) -> str:
        t, r = self.t, self.r
        status = self.bars(
            [
                (self.value("status", c.key), c, STATUS_COLOURS.get(c.key, UNIT_COLOUR))
                for c in r.by_status
            ],
            "status",
            t("portfolio.status"),
        )
        tier = self.bars(
            [
                (self.value("tier", c.key), c, TIER_COLOURS.get(c.key, UNIT_COLOUR))
                for c in r.by_tier
            ],
            "tier",
            t("portfolio.tier"),
        )
        unit = self.bars(
            [(self.unit(c.key), c, UNIT_COLOUR) for c in r.by_unit], "unit", t("portfolio.unit")
        )
        blocks = "".join(
            f"<div><h3>{e(title)}</h3>{chart}</div>"
            for title, chart in (
                (t("portfolio.status"), status),
                (t("portfolio.tier"), tier),
                (t("portfolio.unit"), unit),
            )
        )
        return (
            f'<section id="portfolio"><h2>{e(t("section.portfolio"))}</h2>'
            f'<div class="grid3">{blocks}</div></section>'
        )

    # --- compliance heat map ------------------------------------------------------------

    def heat_cell(self, cell: Cell, metric: str | None) -> str:
        t = self.t
        if cell.total == 0:
            return '<td class="cell" style="background:#f4f5f7">—</td>'
        blocked = cell.not_assessable
        tip = "\n".join(
            part
            for part in (
                t("compliance.cell", compliant=len(cell.compliant), assessed=cell.assessed),
                t("compliance.failing", who=self.who(cell.failing)) if cell.failing else "",
                t("compliance.passing", who=self.who(cell.compliant)) if cell.compliant else "",
                t("compliance.blocked", who=self.who(blocked)) if blocked else "",
            )
            if part
        )
        attrs = [
            f' data-value="{len(cell.compliant)}"',
            f' data-total="{cell.assessed}"',
            f' data-not-assessable="{len(blocked)}"',
            f' data-initiatives="{e(json.dumps(list(cell.failing)))}"',
            f' title="{e(tip)}"',
        ]
        if metric:
            attrs.insert(0, f' data-metric="{e(metric)}"')
        if cell.share is None:  # nothing assessable: never shown as a share
            body = f'<span class="pct na">{e(t("compliance.none"))}</span>'
        else:
            body = (
                f'<span class="pct">{_pct(cell.share)}</span>'
                f'<span class="frac">{len(cell.compliant)}/{cell.assessed}</span>'
            )
        if blocked and cell.share is not None:
            short = t("compliance.blocked.short", count=len(blocked))
            body += f'<span class="frac na">{e(short)}</span>'
        return (
            f'<td class="cell" style="background:{_heat(cell.share)}"{"".join(attrs)}>{body}</td>'
        )

    def compliance(self) -> str:
        t, c = self.t, self.r.compliance
        total = self.r.totals.initiatives
        if not c.principles:
            answer = t("compliance.answer.none")
        else:
            weakest = min(c.portfolio.cells, key=_weakest_first)
            answer = t(
                "compliance.answer",
                compliant=len(c.portfolio.overall.compliant),
                total=total,
                principle=self.value("principle", weakest.principle),
                share=_pct(weakest.share),
            )
        blocked = sum(1 for row in self.r.initiatives if row.not_assessable)
        if blocked:
            answer += " " + t("compliance.answer.blocked", count=blocked, total=total)
        head = "".join(f"<th>{e(self.value('principle', p))}</th>" for p in c.principles)
        rows = [
            f'<tr class="total"><th scope="row">{e(self.t("horizon.overall"))}</th>'
            + "".join(
                self.heat_cell(cell, f"compliance-{cell.principle}") for cell in c.portfolio.cells
            )
            + self.heat_cell(c.portfolio.overall, "compliance-all")
            + "</tr>"
        ]
        for row in c.units:
            rows.append(
                f'<tr><th scope="row">{e(self.unit(row.unit))}</th>'
                + "".join(
                    self.heat_cell(cell, f"compliance-{row.unit}-{cell.principle}")
                    for cell in row.cells
                )
                + self.heat_cell(row.overall, f"compliance-{row.unit}-all")
                + "</tr>"
            )
        return (
            f'<section id="compliance"><h2>{e(t("section.compliance"))}</h2>'
            f'<p class="answer">{e(answer)}</p>'
            f'<table class="heat"><thead><tr><th>{e(t("col.unit"))}</th>{head}'
            f"<th>{e(t('principle.all'))}</th></tr></thead><tbody>{''.join(rows)}</tbody>"
            "</table></section>"
        )

    # --- rules ------------------------------------------------------------------------

    def rules(self) -> str:
        t, r = self.t, self.r
        top = r.broken_rules[:TOP_RULES]
        if not top:
            body = f'<p class="muted">{e(t("empty.rules"))}</p>'
        else:
            most = max(len(rc.initiatives) for rc in top) or 1
            rows = []
            for rc in top:
                w = 120 * len(rc.initiatives) / most
                bar = self.svg(
                    150,
                    16,
                    [
                        f'<rect x="0" y="2" width="{w:.1f}" height="12" rx="2" '
                        f'fill="{_severity_colour(rc.severity)}"/>'
                        f'<text x="{w + 5:.1f}" y="13" class="n">{len(rc.initiatives)}</text>'
                    ],
                    f"{rc.rule_id}: {len(rc.initiatives)}",
                )
                principle = self.value("principle", rc.principle or MANIFEST)
                rows.append(
                    f"<tr><td><b>{e(rc.rule_id)}</b> {e(rc.title)}</td><td>{e(principle)}</td>"
                    f'<td><span class="sev {e(rc.severity)}">'
                    f"{e(self.value('severity', rc.severity))}</span></td>"
                    f"<td{self.metric(f'rule-{rc.rule_id}', len(rc.initiatives), rc.initiatives)}>"
                    f'{bar}</td><td class="num">{rc.findings}</td></tr>'
                )
            body = (
                f'<table class="rules"><thead><tr><th>{e(t("col.rule"))}</th>'
                f"<th>{e(t('col.principle'))}</th><th>{e(t('col.severity'))}</th>"
                f'<th>{e(t("col.initiatives"))}</th><th class="num">{e(t("col.findings"))}</th>'
                f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            )
        return (
            f'<section id="rules"><h2>{e(t("section.rules"))}</h2>'
            f'<p class="answer">{e(t("rules.answer"))}</p>{body}</section>'
        )

    # --- patchwork ----------------------------------------------------------------------

    def patchwork(self) -> str:
        t, pw = self.t, self.r.patchwork
        duplicates = [d for d in pw.duplicates if d.capability]
        answer = t(
            "patchwork.answer",
            islands=len(pw.islands),
            duplicates=len(duplicates),
            conflicts=len(pw.conflicts),
        )
        initiatives = [n for n in pw.nodes if n.kind == "initiative"]
        if not initiatives:
            picture = f'<p class="muted">{e(t("empty.initiatives"))}</p>'
        elif len(initiatives) > MAX_GRAPH_INITIATIVES:
            picture = (
                f'<p class="muted">{e(t("patchwork.summary", count=len(initiatives)))}</p>'
                + self.shared_table()
            )
        else:
            picture = f'<div class="graph">{self.graph()}</div>'
        islands = (
            "".join(
                f'<li>{self.link(k)} <span class="muted">· {e(self.unit(self.rows[k].unit))}'
                "</span></li>"
                for k in pw.islands
                if k in self.rows
            )
            or f'<li class="muted">{e(t("empty.islands"))}</li>'
        )
        dup_items = []
        for d in pw.duplicates:
            units = ", ".join(self.unit(u) for u in d.units)
            if d.capability:
                text = f"<b>{e(self.capability_name(d.capability))}</b>: "
            else:
                text = f"{e(t('patchwork.duplicate.purpose', who=''))}"
            dup_items.append(
                f'<li>{text}{self.links(d.initiatives)} <span class="muted">· {e(units)}'
                "</span></li>"
            )
        dups = "".join(dup_items) or f'<li class="muted">{e(t("empty.islands"))}</li>'
        conflicts = (
            "".join(
                f"<li>{self.link(c.initiative) if c.initiative else ''}: "
                f"<b>{e(c.source or '?')}</b> → <code>{e(c.term or '?')}</code>"
                + (
                    f' <span class="muted">{e(t("patchwork.conflict.others", who=""))}</span>'
                    f"{self.links(c.others)}"
                    if c.others
                    else ""
                )
                + ("" if c.others else f'<div class="muted small">{e(c.finding.message)}</div>')
                + "</li>"
                for c in pw.conflicts
            )
            or f'<li class="muted">{e(t("empty.islands"))}</li>'
        )
        unused = [*pw.unused_platforms, *pw.unused_capabilities]
        unused_line = (
            f'<p class="muted small">{e(t("patchwork.unused", items=", ".join(unused)))}</p>'
            if unused
            else ""
        )
        return (
            f'<section id="patchwork"><h2>{e(t("section.patchwork"))}</h2>'
            f'<p class="answer">{e(answer)}</p>{picture}'
            f'<div class="grid3 lists"><div><h3>{e(t("patchwork.islands"))}</h3><ul>{islands}'
            f"</ul></div><div><h3>{e(t('patchwork.duplicates'))}</h3><ul>{dups}</ul></div>"
            f"<div><h3>{e(t('patchwork.conflicts'))}</h3><ul>{conflicts}</ul></div></div>"
            f"{unused_line}</section>"
        )

    def capability_name(self, ref: str) -> str:
        node = next(
            (n for n in self.r.patchwork.nodes if n.kind == "capability" and n.ref == ref), None
        )
        return node.label if node is not None else ref

    def shared_table(self) -> str:
        """The large-portfolio view: each shared platform and capability with its users."""
        t, pw = self.t, self.r.patchwork
        users: dict[str, list[str]] = {}
        for edge in pw.edges:
            if edge.kind != "depends-on":
                users.setdefault(edge.target, []).append(edge.source.split(":", 1)[1])
        shared = sorted(
            (n for n in pw.nodes if n.kind != "initiative"),
            key=lambda n: (-len(users.get(n.id, [])), n.ref),
        )
        rows = []
        for node in shared:
            keys = list(dict.fromkeys(users.get(node.id, [])))
            units = sorted({self.unit(self.rows[k].unit) for k in keys if k in self.rows})
            flags = ", ".join(self.t(f"flag.{f}") for f in node.flags)
            rows.append(
                f'<tr><td>{e(node.label)} <span class="muted">({e(node.ref)})</span></td>'
                f"<td>{e(t('kind.' + node.kind))}</td>"
                f'<td class="num"{self.metric(None, len(keys), keys)}>{len(keys)}</td>'
                f"<td>{e(', '.join(units))}</td><td>{e(flags)}</td></tr>"
            )
        return (
            f"<table><thead><tr><th>{e(t('col.node'))}</th><th>{e(t('col.kind'))}</th>"
            f'<th class="num">{e(t("col.initiatives"))}</th><th>{e(t("col.units"))}</th>'
            f"<th></th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def graph(self) -> str:
        """Platforms | initiatives grouped by unit | capabilities, with their edges."""
        t, pw = self.t, self.r.patchwork
        width = 1000
        px, pwid = 0.0, 205.0
        ix, iwid = 310.0, 320.0
        cx, cwid = 730.0, 270.0
        row_h, box_h, head_h, gap, top = 30.0, 24.0, 22.0, 10.0, 30.0
        initiatives = [n for n in pw.nodes if n.kind == "initiative"]
        ys: dict[str, float] = {}
        body: list[str] = []
        y = top
        bands: list[str] = []
        for unit, group in groupby(initiatives, key=lambda n: n.unit or UNKNOWN):
            members = list(group)
            height = head_h + row_h * len(members) + 4
            bands.append(
                f'<rect x="{ix - 12}" y="{y:.1f}" width="{iwid + 24}" height="{height:.1f}" '
                f'rx="6" class="band"/><text x="{ix - 4}" y="{y + 15:.1f}" class="unit">'
                f"{e(_short(self.unit(unit), 40).upper())}</text>"
            )
            y += head_h
            for node in members:
                ys[node.id] = y + box_h / 2
                y += row_h
            y += 4 + gap
        bottom = y
        body += bands

        neighbours: dict[str, list[float]] = {}
        for edge in pw.edges:
            if edge.kind != "depends-on" and edge.source in ys:
                neighbours.setdefault(edge.target, []).append(ys[edge.source])

        def place(nodes: list[Node]) -> dict[str, float]:
            wanted = sorted(
                (sum(neighbours.get(n.id, [top])) / len(neighbours.get(n.id, [top])), n.id)
                for n in nodes
            )
            spacing = 34.0
            placed: dict[str, float] = {}
            last = top - spacing + box_h / 2
            for want, node_id in wanted:
                last = max(want, last + spacing)
                placed[node_id] = last
            overflow = last - (bottom - gap - box_h / 2)
            if overflow > 0 and placed:  # pull the column up, but not above the top
                shift = min(overflow, min(placed.values()) - (top + box_h / 2))
                placed = {k: v - max(shift, 0) for k, v in placed.items()}
            return placed

        platforms = [n for n in pw.nodes if n.kind == "platform"]
        capabilities = [n for n in pw.nodes if n.kind == "capability"]
        ys.update(place(platforms))
        ys.update(place(capabilities))
        height = max([bottom, *(v + box_h for v in ys.values())]) + 56

        # edges first, so boxes are drawn over them
        dep_rank = 0
        for edge in pw.edges:
            if edge.source not in ys or edge.target not in ys:
                continue
            y1, y2 = ys[edge.source], ys[edge.target]
            colour, dash = EDGE_STYLES[edge.kind]
            target = next(n for n in pw.nodes if n.id == edge.target)
            if "duplicate" in target.flags and edge.kind in ("provides", "reuses"):
                colour = FLAG_COLOURS["duplicate"]
            if edge.kind == "runs-on":
                x1, x2 = ix, px + pwid
                d = f"M{x1},{y1:.1f} C{x1 - 70},{y1:.1f} {x2 + 70},{y2:.1f} {x2},{y2:.1f}"
                marker = ""
            elif edge.kind == "depends-on":
                dep_rank += 1
                bulge = ix - 28 - 10 * (dep_rank % 4) - min(abs(y2 - y1) * 0.15, 40)
                d = (
                    f"M{ix},{y1 - 4:.1f} C{bulge:.1f},{y1 - 4:.1f} "
                    f"{bulge:.1f},{y2 + 4:.1f} {ix},{y2 + 4:.1f}"
                )
                marker = ' marker-end="url(#arrow)"'
            else:
                x1, x2 = ix + iwid, cx
                d = f"M{x1},{y1:.1f} C{x1 + 70},{y1:.1f} {x2 - 70},{y2:.1f} {x2},{y2:.1f}"
                marker = ""
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            label = t(f"graph.{edge.kind}")
            body.append(
                f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.6"'
                f"{dash_attr}{marker}><title>{e(self.node_label(edge.source))} {e(label)} "
                f"{e(self.node_label(edge.target))}</title></path>"
            )

        for node in [*platforms, *initiatives, *capabilities]:
            x, w = {"platform": (px, pwid), "initiative": (ix, iwid)}.get(node.kind, (cx, cwid))
            body.append(self.node_box(node, x, ys[node.id] - box_h / 2, w, box_h))

        heads = [
            (px, t("graph.platforms")),
            (ix - 12, t("graph.initiatives")),
            (cx, t("graph.capabilities")),
        ]
        body += [f'<text x="{x}" y="16" class="colhead">{e(text)}</text>' for x, text in heads]
        body.append(self.legend(height - 40))
        defs = (
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{EDGE_STYLES["depends-on"][0]}"/></marker></defs>'
        )
        return self.svg(width, height, [defs, *body], t("section.patchwork"))

    def node_label(self, node_id: str) -> str:
        node = next((n for n in self.r.patchwork.nodes if n.id == node_id), None)
        return node.label if node is not None else node_id

    def node_box(self, node: Node, x: float, y: float, w: float, h: float) -> str:
        t = self.t
        flags = node.flags
        stroke, fill, width = "#a0aec0", "#ffffff", 1.0
        if node.kind != "initiative":
            fill = "#f0f4f8"
        if flags:
            stroke, width = FLAG_COLOURS[flags[0]], 2.0
            fill = {"island": "#fff5f5", "duplicate": "#fffaf0", "conflict": "#faf5ff"}[flags[0]]
        dash = ' stroke-dasharray="4 3"' if not node.in_registry else ""
        badges: list[str] = []
        bx = x + w - 6
        for flag in reversed(flags):
            text = t(f"flag.{flag}")
            bw = 6.2 * len(text) + 10
            bx -= bw
            badges.append(
                f'<rect x="{bx:.1f}" y="{y + 5:.1f}" width="{bw:.1f}" height="{h - 10:.1f}" '
                f'rx="7" fill="{FLAG_COLOURS[flag]}"/><text x="{bx + bw / 2:.1f}" '
                f'y="{y + h / 2 + 3.5:.1f}" text-anchor="middle" class="badge">{e(text)}</text>'
            )
            bx -= 4
        room = int((bx - x - 8) / 6.3)
        details = [node.label, node.ref if node.ref != node.label else ""]
        if node.kind == "initiative" and node.unit:
            details.append(self.unit(node.unit))
        if not node.in_registry:
            details.append(t("graph.unregistered"))
        details += [t(f"flag.{f}.long") for f in flags]
        tip = "\n".join(d for d in details if d)
        anchor = self.anchor.get(node.ref) if node.kind == "initiative" else None
        box = (
            f'<g class="node"><title>{e(tip)}</title><rect x="{x:.1f}" y="{y:.1f}" '
            f'width="{w:.1f}" height="{h:.1f}" rx="5" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{width}"{dash}/><text x="{x + 8:.1f}" y="{y + h / 2 + 4.5:.1f}" '
            f'class="name">{e(_short(node.label, room))}</text>{"".join(badges)}</g>'
        )
        return f'<a href="#{anchor}">{box}</a>' if anchor else box

    def legend(self, y: float) -> str:
        t = self.t
        parts: list[str] = []
        x = 0.0
        for kind in ("runs-on", "provides", "reuses", "depends-on"):
            colour, dash = EDGE_STYLES[kind]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            label = t(f"graph.{kind}")
            parts.append(
                f'<line x1="{x}" y1="{y}" x2="{x + 28}" y2="{y}" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/><text x="{x + 34}" y="{y + 4}" class="lg">'
                f"{e(label)}</text>"
            )
            x += 46 + 7 * len(label)
        for flag in ("island", "duplicate", "conflict"):
            text = t(f"flag.{flag}.long")
            parts.append(
                f'<rect x="{x}" y="{y - 7}" width="14" height="14" rx="4" '
                f'fill="{FLAG_COLOURS[flag]}"/><text x="{x + 20}" y="{y + 4}" class="lg">'
                f"{e(text)}</text>"
            )
            x += 32 + 6.3 * len(text)
            if x > 700:
                x, y = 0.0, y + 22
        parts.append(
            f'<text x="{x}" y="{y + 4}" class="lg muted">{e(t("graph.unregistered"))}</text>'
        )
        return "".join(parts)

    # --- waivers ------------------------------------------------------------------------

    def waivers(self) -> str:
        t, w = self.t, self.r.waivers
        state = {c.key: c for c in w.counts}
        answer = t(
            "waivers.answer",
            active=state["active"].count,
            expiring=state["expiring"].count,
            expired=state["expired"].count,
            days=w.window_days,
        )
        tiles = "".join(
            f'<div class="kpi small {tone}"><div class="n"'
            f"{self.metric(f'waivers-{c.key}', c.count, c.initiatives)}>{c.count}</div>"
            f'<div class="l">{e(t("waiver." + c.key))}</div></div>'
            for c, tone in (
                (state["active"], ""),
                (state["expiring"], "warn" if state["expiring"].count else ""),
                (state["expired"], "bad" if state["expired"].count else ""),
            )
        )
        if not w.rows:
            table = f'<p class="muted">{e(t("empty.waivers"))}</p>'
        else:
            rows = "".join(
                f'<tr class="w-{e(row.state)}"><td>{self.link(row.initiative)}</td>'
                f"<td>{e(row.rule)}</td><td>{e(row.reason)}"
                + (f' <span class="muted">({e(row.ticket)})</span>' if row.ticket else "")
                + f"</td><td>{e(row.approved_by)}</td><td>{e(row.expires)}</td>"
                f'<td class="num">{row.days_left}</td>'
                f'<td><span class="state {e(row.state)}">{e(t("waiver." + row.state))}</span>'
                f'</td><td class="num">{row.findings}</td>'
                f'<td class="small muted">{e(row.file)}:{row.line}</td></tr>'
                for row in w.rows
            )
            table = (
                f'<table class="waivers"><thead><tr><th>{e(t("col.initiative"))}</th>'
                f"<th>{e(t('col.rule'))}</th><th>{e(t('col.reason'))}</th>"
                f"<th>{e(t('col.approved_by'))}</th><th>{e(t('col.expires'))}</th>"
                f'<th class="num">{e(t("col.days_left"))}</th><th>{e(t("col.state"))}</th>'
                f'<th class="num">{e(t("col.waived"))}</th><th>{e(t("col.location"))}</th>'
                f"</tr></thead><tbody>{rows}</tbody></table>"
            )
        return (
            f'<section id="waivers"><h2>{e(t("section.waivers"))}</h2>'
            f'<p class="answer">{e(answer)}</p><div class="kpis three">{tiles}</div>'
            f"{table}</section>"
        )

    # --- tables of initiatives and findings ------------------------------------------------

    def initiatives(self) -> str:
        t = self.t
        rows = []
        for row in self.r.initiatives:
            rows.append(
                f'<tr><td>{self.link(row.key)}<div class="muted small key">{e(row.key)}</div></td>'
                f"<td>{e(self.unit(row.unit))}</td>"
                f"<td>{e(self.value('status', row.status))}</td>"
                f'<td><span class="tier t-{e(row.tier)}">{e(self.value("tier", row.tier))}'
                f"</span></td>"
                f'<td><span class="chip h-{e(row.horizon)}">'
                f"{e(self.value('horizon', row.horizon))}</span></td>"
                f'<td class="num{" hot" if row.errors else ""}" data-errors="{row.errors}">'
                f"{row.errors}</td>"
                f'<td class="num">{row.warnings}</td><td class="num">{row.infos}</td>'
                f'<td class="num">{row.waived}</td></tr>'
            )
        body = "".join(rows) or (
            f'<tr><td colspan="9" class="muted">{e(t("empty.initiatives"))}</td></tr>'
        )
        return (
            f'<section id="initiatives" class="appendix"><h2>{e(t("section.initiatives"))}</h2>'
            f'<table class="initiatives"><thead><tr><th>{e(t("col.initiative"))}</th>'
            f"<th>{e(t('col.unit'))}</th><th>{e(t('col.status'))}</th>"
            f"<th>{e(t('col.tier'))}</th><th>{e(t('col.horizon'))}</th>"
            f'<th class="num">{e(t("col.errors"))}</th><th class="num">{e(t("col.warnings"))}'
            f'</th><th class="num">{e(t("col.infos"))}</th>'
            f'<th class="num">{e(t("col.waived"))}</th></tr></thead><tbody>{body}</tbody>'
            "</table></section>"
        )

    def finding_rows(self, findings: Sequence[FindingRef]) -> str:
        t = self.t
        order = {"error": 0, "warning": 1, "info": 2}
        ranked = sorted(
            findings,
            key=lambda f: (f.suppressed is not None, order.get(f.severity, 3), f.line, f.rule_id),
        )
        rows = []
        for f in ranked:
            tag = (
                f' <span class="state">{e(t("suppressed." + f.suppressed))}</span>'
                if f.suppressed
                else ""
            )
            rows.append(
                f'<tr class="{"waived" if f.suppressed else ""}">'
                f'<td><span class="sev {e(f.severity)}">{e(self.value("severity", f.severity))}'
                f'</span>{tag}</td><td class="rid"><b>{e(f.rule_id)}</b></td>'
                f"<td>{e(f.message)}</td>"
                f'<td class="small muted">{e(f.file)}:{f.line}:{f.column}</td></tr>'
            )
        return "".join(rows)

    def findings(self) -> str:
        t = self.t
        parts = [f'<section id="findings" class="appendix"><h2>{e(t("section.findings"))}</h2>']
        for row in self.r.initiatives:
            meta = " · ".join(
                [
                    self.unit(row.unit),
                    self.value("status", row.status),
                    self.value("tier", row.tier),
                    self.value("horizon", row.horizon),
                    f"{row.file}:{row.line}",
                ]
            )
            table = (
                f'<table class="findings">{self.finding_rows(row.findings)}</table>'
                if row.findings
                else f'<p class="muted">{e(t("empty.findings"))}</p>'
            )
            parts.append(
                f'<div class="initiative" id="{self.anchor[row.key]}"'
                f' data-initiative="{e(row.key)}"><h3>{e(row.name)} '
                f'<span class="muted">({e(row.key)})</span></h3><p class="muted small">'
                f"{e(meta)}</p>{table}</div>"
            )
        parts.append("</section>")
        return "".join(parts)

    def other(self) -> str:
        if not self.r.other_findings:
            return ""
        return (
            f'<section id="other"><h2>{e(self.t("section.other"))}</h2>'
            f'<table class="findings">{self.finding_rows(self.r.other_findings)}</table>'
            "</section>"
        )

    def method(self) -> str:
        t, r = self.t, self.r
        items = [
            t("method.horizon"),
            t("method.compliance"),
            t("method.patchwork"),
            t("method.waivers", days=r.waivers.window_days),
            t("method.json"),
            t("report.generated", version=r.govlint_version, today=r.today),
        ]
        return (
            f'<section id="method"><h2>{e(t("section.method"))}</h2><ul class="small">'
            + "".join(f"<li>{e(i)}</li>" for i in items)
            + "</ul></section>"
        )


def _severity_colour(severity: str) -> str:
    return {"error": "#c53030", "warning": "#c98a0b", "info": "#2c6fbb"}.get(severity, "#718096")


CSS = """
:root{--ink:#1f2933;--muted:#616e7c;--line:#d9e2ec;--panel:#f5f7fa;--error:#c53030;
--warn:#b7791f;--good:#2f855a}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);background:#fff;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:28px 32px 56px}
h1{font-size:28px;margin:0 0 2px}
h2{font-size:20px;margin:0 0 6px;padding-top:8px}
h3{font-size:15px;margin:14px 0 6px}
header .sub{font-size:17px;color:var(--muted);margin:0 0 8px}
header .scope{margin:0;color:var(--muted);font-size:13.5px;max-width:900px}
section{margin-top:34px}
.answer{font-size:16px;margin:2px 0 12px;max-width:900px}
.muted{color:var(--muted)}
.small{font-size:12.5px}
a{color:#2c5282}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
.kpis.three{grid-template-columns:repeat(3,minmax(0,200px));margin-bottom:14px}
.kpi{border:1px solid var(--line);border-left:5px solid #a0aec0;border-radius:8px;
padding:10px 14px;background:#fff}
.kpi .n{font-size:34px;font-weight:700;line-height:1.1;display:inline-block}
.kpi .of{font-size:18px;color:var(--muted);margin-left:4px}
.kpi .l{font-weight:600}
.kpi .note{font-size:12.5px;color:var(--muted)}
.kpi.small .n{font-size:26px}
.kpi.good{border-left-color:var(--good)}.kpi.good .n{color:var(--good)}
.kpi.bad{border-left-color:var(--error)}.kpi.bad .n{color:var(--error)}
.kpi.warn{border-left-color:#d69e2e}.kpi.warn .n{color:var(--warn)}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:32px}
.grid3{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:24px}
svg.chart{display:block;max-width:100%;height:auto;overflow:visible}
svg text{font-family:inherit;font-size:13px;fill:var(--ink)}
svg text.seg{font-size:12.5px;font-weight:600}
svg text.n{font-weight:600}
svg text.lbl{fill:#3e4c59}
svg text.unit{font-size:11px;letter-spacing:.06em;fill:var(--muted);font-weight:600}
svg text.colhead{font-size:13px;font-weight:700;fill:var(--muted)}
svg text.badge{font-size:10.5px;fill:#fff;font-weight:600}
svg text.name{font-size:12.5px}
svg text.lg{font-size:12px}
svg rect.band{fill:var(--panel);stroke:none}
.graph{border:1px solid var(--line);border-radius:8px;padding:12px}
.graph svg{width:100%;height:auto}
.legend{margin:6px 0 14px;font-size:13px}
.sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin:0 4px -1px 8px}
.sw:first-child{margin-left:0}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{font-weight:600;color:#3e4c59;background:var(--panel)}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.hot{color:var(--error);font-weight:700}
.heat th{text-align:center}
.heat th[scope=row]{text-align:left;background:#fff;vertical-align:middle}
.heat td.cell{text-align:center;border:2px solid #fff;padding:8px 6px;min-width:86px}
.heat .pct{display:block;font-size:18px;font-weight:700}
.heat .frac{display:block;font-size:12px;color:#3e4c59}
.heat .na{font-style:italic;font-weight:400;color:#52606d}
.heat tr.total th{font-weight:700}
.heat tr.total td.cell{border-bottom:4px solid #fff}
.chip,.sev,.state,.rid{white-space:nowrap}
.key{word-break:break-all}
.chip{display:inline-block;border-radius:10px;padding:1px 8px;margin:1px 4px 2px 0;
font-size:12.5px;background:#e4e7eb}
.chip.h-optimise{background:#e4e7eb;color:#323f4b}
.chip.h-redesign{background:#d3e3f8;color:#1a4e8a}
.chip.h-new-service{background:#d4f0dc;color:#1f5e3d}
.sev{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;
color:#fff;background:#718096}
.sev.error{background:var(--error)}.sev.warning{background:#c98a0b}.sev.info{background:#2c6fbb}
.state{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;background:#e2e8f0}
.state.expiring{background:#fbd38d}.state.expired{background:#feb2b2}
.tier{font-weight:600}.tier.t-high{color:var(--error)}.tier.t-prohibited{color:#000}
.journeys td:first-child{width:42%}
.lists ul{margin:0;padding-left:18px}.lists li{margin:3px 0}
tr.waived td{color:var(--muted)}
.initiative{margin-top:18px}
.initiative h3{margin-bottom:0}
.initiative p{margin:2px 0 6px}
code{font-size:12.5px;background:var(--panel);padding:0 4px;border-radius:3px}
@media screen and (max-width:820px){.kpis{grid-template-columns:repeat(2,1fr)}
.grid2,.grid3{grid-template-columns:1fr}main{padding:18px}}
@media print{
@page{size:A4;margin:14mm 12mm}
body{font-size:10.5pt}
main{max-width:none;padding:0}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
section{break-inside:avoid}
#findings,#initiatives{break-inside:auto}
.appendix{break-before:page}
tr,.kpi,.initiative h3{break-inside:avoid}
thead{display:table-header-group}
a{color:inherit;text-decoration:none}
.kpis{grid-template-columns:repeat(4,1fr);gap:8px}
.kpi{padding:6px 10px}.kpi .n{font-size:26px}
.grid2{grid-template-columns:1fr 1fr;gap:20px}
.grid3{grid-template-columns:repeat(3,minmax(0,1fr));gap:14px}
section{margin-top:20px}
.answer{font-size:11pt}
}
"""
