"""The board report as one self-contained HTML page: inline CSS and SVG, no script, printable.

The markup is in Jinja2 templates (``govlint/board/templates``), so the page can be changed
without reading Python; this module computes what they show (figures, chart geometry,
capped lists). Escaping is the default: every value a template prints is escaped with
``html.escape`` (elements and attributes alike) unless it is already markup made by a
template. Every figure carries ``data-metric`` and ``data-value``, and
``data-initiatives`` (a JSON list of report keys, the first ``MAX_TRACE``) with a
``title`` naming them, so a reader can hover to trace it and a test can read it; the
complete lists are in the JSON report.

The page stays bounded however large the portfolio: every list is capped ("and N more"),
charts show the largest units, and above ``MAX_DETAILED`` initiatives the findings of
each initiative are left to the JSON and Markdown reports.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import groupby, pairwise
from typing import TYPE_CHECKING, Any

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
from govlint.board.view import BoardView, pct, ranked, short

if TYPE_CHECKING:
    from jinja2 import Environment

#: above this many initiatives the patchwork is summarised in a table instead of drawn
MAX_GRAPH_INITIATIVES = 50
#: how many of the most broken rules are shown
TOP_RULES = 10
#: how many names a tooltip lists before "and N more"
MAX_NAMES = 25
#: how many report keys a figure's data-initiatives holds (the JSON report has them all)
MAX_TRACE = 50
#: above this many initiatives, findings per initiative are left to JSON and Markdown
MAX_DETAILED = 200
#: rows of a list or table (islands, conflicts, shared platforms, clusters, units in charts)
MAX_ROWS = 25
#: initiatives named per customer journey or cluster before "and N more"
MAX_CHIPS = 12
#: waivers listed (the most urgent first)
MAX_WAIVERS = 100

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
FLAG_FILLS = {"island": "#fff5f5", "duplicate": "#fffaf0", "conflict": "#faf5ff"}
EDGE_STYLES = {
    "runs-on": ("#718096", ""),
    "provides": ("#2c6fbb", ""),
    "reuses": ("#2c6fbb", "5 4"),
    "depends-on": ("#6b46c1", "2 3"),
}
SEVERITY_COLOURS = {"error": "#c53030", "warning": "#c98a0b", "info": "#2c6fbb"}
# heat map: no initiative without an error (red) -> half (amber) -> all (green)
_HEAT_STOPS = ((0.0, (250, 170, 170)), (0.5, (250, 214, 140)), (1.0, (150, 222, 170)))


def e(text: object) -> str:
    """Escape any text for HTML element content and attribute values."""
    return html.escape(str(text), quote=True)


def _heat(share: float | None) -> str:
    if share is None:
        return "#f4f5f7"
    for (x0, c0), (x1, c1) in pairwise(_HEAT_STOPS):
        if share <= x1:
            f = (share - x0) / (x1 - x0)
            r, g, b = (round(a + (b - a) * f) for a, b in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#{:02x}{:02x}{:02x}".format(*_HEAT_STOPS[-1][1])


# the patchwork graph: (x, width) of its three columns, and the height of its rows
_PLATFORMS = (0.0, 205.0)
_INITIATIVES = (310.0, 320.0)
_CAPABILITIES = (730.0, 270.0)
_ROW_H, _BOX_H, _HEAD_H, _GAP, _TOP = 30.0, 24.0, 22.0, 10.0, 30.0
_SPACING = 34.0  # between the boxes of a side column


def _place(
    nodes: Sequence[Node], neighbours: dict[str, list[float]], bottom: float
) -> dict[str, float]:
    """A side column: each node level with the initiatives it is linked to, boxes never
    overlapping, pulled up (not above the top) when the column would pass ``bottom``."""
    wanted = sorted(
        (sum(neighbours.get(n.id, [_TOP])) / len(neighbours.get(n.id, [_TOP])), n.id) for n in nodes
    )
    placed: dict[str, float] = {}
    last = _TOP - _SPACING + _BOX_H / 2
    for want, node_id in wanted:
        last = max(want, last + _SPACING)
        placed[node_id] = last
    overflow = last - (bottom - _GAP - _BOX_H / 2)
    if overflow > 0 and placed:
        shift = min(overflow, min(placed.values()) - (_TOP + _BOX_H / 2))
        placed = {k: v - max(shift, 0) for k, v in placed.items()}
    return placed


def _edge_path(kind: str, y1: float, y2: float, dep_rank: int) -> str:
    """The SVG path of an edge: platforms on the left, capabilities on the right, and
    dependencies as loops left of the initiatives (``dep_rank`` spreads them)."""
    (px, pwid), (ix, iwid), (cx, _) = _PLATFORMS, _INITIATIVES, _CAPABILITIES
    if kind == "runs-on":
        x1, x2 = ix, px + pwid
        return f"M{x1},{y1:.1f} C{x1 - 70},{y1:.1f} {x2 + 70},{y2:.1f} {x2},{y2:.1f}"
    if kind == "depends-on":
        bulge = ix - 28 - 10 * (dep_rank % 4) - min(abs(y2 - y1) * 0.15, 40)
        return (
            f"M{ix},{y1 - 4:.1f} C{bulge:.1f},{y1 - 4:.1f} "
            f"{bulge:.1f},{y2 + 4:.1f} {ix},{y2 + 4:.1f}"
        )
    x1, x2 = ix + iwid, cx
    return f"M{x1},{y1:.1f} C{x1 + 70},{y1:.1f} {x2 - 70},{y2:.1f} {x2},{y2:.1f}"


def _escape(value: Any) -> Any:
    """Every printed value is escaped like :func:`e`, unless a template made it."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return value
    return Markup(e("" if value is None else value))


@cache
def environment() -> Environment:
    """The templates, with escaping on for every value (``finalize``) and autoescape."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("govlint.board", "templates"),
        autoescape=True,
        finalize=_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(report: BoardReport, lang: str = "en") -> str:
    """The whole report as one HTML document."""
    page = _Page(report, translator(lang), lang)
    template = environment().get_template("report.html.j2")
    return template.render(page=page, r=report, t=page.t, limits=page.limits)


@dataclass(frozen=True)
class Trace:
    """What makes a figure traceable: its metric, value, initiatives and tooltip."""

    metric: str | None
    value: int
    keys: str  # JSON list of the first MAX_TRACE report keys
    more: int  # keys left out of ``keys``
    title: str


@dataclass(frozen=True)
class Segment:
    """One coloured bar (or part of a stacked bar) of a chart."""

    x: float
    y: float
    w: float
    h: float
    colour: str
    label: str
    text: str  # the figure written on the bar, "" when it does not fit
    ink: str
    trace: Trace


class _Page(BoardView):
    """What the templates show, computed from one report (the figures are the view's)."""

    def __init__(self, report: BoardReport, t: Translate, lang: str) -> None:
        super().__init__(report, t)
        self.lang = lang
        self.detailed = len(report.initiatives) <= MAX_DETAILED
        self.anchor = {row.key: f"i{n}" for n, row in enumerate(report.initiatives, start=1)}
        self.limits = {
            "rows": MAX_ROWS,
            "chips": MAX_CHIPS,
            "waivers": MAX_WAIVERS,
            "rules": TOP_RULES,
            "graph": MAX_GRAPH_INITIATIVES,
            "detailed": MAX_DETAILED,
        }
        self.colours = {
            "horizon": HORIZON_COLOURS,
            "flag": FLAG_COLOURS,
            "flag_fill": FLAG_FILLS,
            "severity": SEVERITY_COLOURS,
        }

    @property
    def css(self) -> str:
        return environment().get_template("report.css").render()

    # --- small pieces ---------------------------------------------------------------

    def who(self, keys: Iterable[str]) -> str:
        keys = list(keys)
        shown = keys[:MAX_NAMES]
        names = [f"{self.name(k)} ({k})" if self.name(k) != k else k for k in shown]
        if len(keys) > MAX_NAMES:
            names.append(self.t("more", count=len(keys) - MAX_NAMES))
        return ", ".join(names) if len(names) <= 3 else "\n".join(names)

    def trace(self, metric: str | None, value: int, keys: Sequence[str], title: str = "") -> Trace:
        keys = list(keys)
        tip = "\n".join(p for p in (title, self.who(keys)) if p)
        return Trace(
            metric, value, json.dumps(keys[:MAX_TRACE]), max(0, len(keys) - MAX_TRACE), tip
        )

    def unit_names(self, units: Sequence[str]) -> str:
        return self.joined([self.unit(u) for u in units], MAX_CHIPS)

    def href(self, key: str) -> str | None:
        anchor = self.anchor.get(key)
        return f"#{anchor}" if anchor else None

    def short(self, text: str, limit: int) -> str:
        return short(text, limit)

    # --- at a glance ------------------------------------------------------------------

    def glance(self) -> dict[str, Any]:
        r, totals = self.r, self.r.totals
        pw = r.patchwork
        total = totals.initiatives
        state = self.waiver_state
        capabilities = self.capability_duplicates
        conflict_keys = list(dict.fromkeys(c.initiative for c in pw.conflicts if c.initiative))
        largest = max(pw.duplicates, key=lambda d: (len(d.initiatives), len(d.units)), default=None)
        return {
            "total": total,
            "optimise": self.optimise,
            "prohibited": self.prohibited,
            "state": state,
            "all": self.trace("initiatives-total", total, [row.key for row in r.initiatives]),
            "beyond": self.trace(
                "horizon-beyond-optimise",
                totals.beyond_optimise.count,
                totals.beyond_optimise.initiatives,
            ),
            "high": self.trace("high-risk", totals.high_risk.count, totals.high_risk.initiatives),
            "compliant": self.trace(
                "initiatives-compliant", totals.compliant.count, totals.compliant.initiatives
            ),
            "islands": self.trace("islands", len(pw.islands), pw.islands),
            "clusters": self.trace(
                "duplicates",
                len(pw.duplicates),
                list(dict.fromkeys(k for d in pw.duplicates for k in d.initiatives)),
            ),
            "capabilities": self.trace(
                "duplicate-capabilities",
                len(capabilities),
                [k for d in capabilities for k in d.initiatives],
            ),
            "largest": largest,
            "conflicts": self.trace("conflicting-definitions", len(pw.conflicts), conflict_keys),
            "expiring": self.trace(
                "waivers-expiring", state["expiring"].count, state["expiring"].initiatives
            ),
        }

    # --- horizon, journeys, portfolio bars --------------------------------------------------

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
    ) -> list[Segment]:
        """One stacked bar of horizon counts; ``scale`` initiatives fill ``width``."""
        out: list[Segment] = []
        x = x0
        for count in counts:
            if count.count == 0:
                continue
            w = width * count.count / scale if scale else 0
            label = self.value("horizon", count.key)
            metric = f"{metric_prefix}-{count.key}" if metric_prefix else None
            text = f"{label} {count.count}" if labelled else str(count.count)
            if labelled and w < 7.2 * len(text) + 8:
                text = str(count.count)  # the legend names the colour
            out.append(
                Segment(
                    x,
                    y0,
                    w,
                    height,
                    HORIZON_COLOURS.get(count.key, HORIZON_COLOURS[UNKNOWN]),
                    label,
                    text if w >= 7.2 * len(text) + 8 else "",
                    "#1a202c" if count.key in ("optimise", UNKNOWN) else "#ffffff",
                    self.trace(metric, count.count, count.initiatives, f"{label}: {count.count}"),
                )
            )
            x += w
        return out

    def horizon(self) -> dict[str, Any]:
        r, total = self.r, self.r.totals.initiatives
        answer = self.horizon_answer()
        width, label_w, row_h, bar_h = 500, 170, 30, 20
        units = sorted((u for u in r.horizon_by_unit if u.total), key=lambda u: -u.total)
        shown = units[:MAX_ROWS]
        order = {u.unit: i for i, u in enumerate(r.horizon_by_unit)}
        shown.sort(key=lambda u: order[u.unit])
        biggest = max((u.total for u in shown), default=1)
        rows = [
            {
                "y": i * row_h,
                "name": self.unit(uh.unit),
                "total": uh.total,
                "end": label_w + (width - label_w - 40) * uh.total / biggest + 6,
                "segments": self.stacked(
                    uh.counts, width - label_w - 40, bar_h, biggest, None, label_w, i * row_h + 1
                ),
            }
            for i, uh in enumerate(shown)
        ]
        return {
            "answer": answer,
            "width": width,
            "overall": self.stacked(r.by_horizon, width, 40, total, "horizon", labelled=True),
            "label_w": label_w,
            "height": max(row_h * len(rows), 1),
            "rows": rows,
            "more": self.t("more", count=len(units) - len(shown))
            if len(units) > len(shown)
            else "",
        }

    def journeys(self) -> dict[str, Any]:
        r = self.r
        answer = self.journeys_answer()
        rows = []
        for journey in r.journeys:
            chips = [(c.key, key) for c in journey.counts for key in c.initiatives]
            rows.append(
                {
                    "name": journey.name if journey.id is not None else self.t("journey.none"),
                    "unregistered": journey.id is not None and not journey.in_registry,
                    "owner": self.unit(journey.owner) if journey.owner else "",
                    "chips": chips[:MAX_CHIPS],
                    "more": self.more(len(chips), MAX_CHIPS),
                }
            )
        return {"answer": answer, "rows": rows}

    def bars(
        self, rows: Sequence[tuple[str, Count, str]], metric_prefix: str, label: str
    ) -> dict[str, Any]:
        width, label_w, row_h = 340, 170, 26
        bar_w = width - label_w - 40
        top = max((c.count for _, c, _ in rows), default=0) or 1
        bars = [
            {
                "y": i * row_h,
                "w": bar_w * count.count / top,
                "text": text,
                "short": short(text, 25),
                "count": count.count,
                "colour": colour,
                "trace": self.trace(f"{metric_prefix}-{count.key}", count.count, count.initiatives),
            }
            for i, (text, count, colour) in enumerate(rows)
        ]
        return {
            "width": width,
            "label_w": label_w,
            "height": max(len(rows) * row_h, 1),
            "label": label,
            "bars": bars,
        }

    def portfolio(self) -> list[dict[str, Any]]:
        t, r = self.t, self.r
        units = sorted(r.by_unit, key=lambda c: -c.count)[:MAX_ROWS]
        order = {c.key: i for i, c in enumerate(r.by_unit)}
        units.sort(key=lambda c: order[c.key])
        charts = [
            (
                t("portfolio.status"),
                [
                    (self.value("status", c.key), c, STATUS_COLOURS.get(c.key, UNIT_COLOUR))
                    for c in r.by_status
                ],
                "status",
                "",
            ),
            (
                t("portfolio.tier"),
                [
                    (self.value("tier", c.key), c, TIER_COLOURS.get(c.key, UNIT_COLOUR))
                    for c in r.by_tier
                ],
                "tier",
                "",
            ),
            (
                t("portfolio.unit"),
                [(self.unit(c.key), c, UNIT_COLOUR) for c in units],
                "unit",
                self.more(len(r.by_unit), len(units)),
            ),
        ]
        return [
            {**self.bars(rows, prefix, title), "title": title, "more": more}
            for title, rows, prefix, more in charts
        ]

    # --- compliance heat map ------------------------------------------------------------

    def heat(self, cell: Cell, metric: str | None) -> dict[str, Any]:
        t = self.t
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
        return {
            "empty": cell.total == 0,
            "metric": metric,
            "value": len(cell.compliant),
            "assessed": cell.assessed,
            "blocked": len(blocked),
            "failing": json.dumps(list(cell.failing[:MAX_TRACE])),
            "more": max(0, len(cell.failing) - MAX_TRACE),
            "title": tip,
            "share": cell.share,
            "pct": pct(cell.share),
            "colour": _heat(cell.share),
            "blocked_text": t("compliance.blocked.short", count=len(blocked)) if blocked else "",
        }

    def compliance(self) -> dict[str, Any]:
        c = self.r.compliance
        answer = self.compliance_answer()
        sizes = {u.id: len(u.initiatives) for u in self.r.units}
        largest = sorted(c.units, key=lambda row: -sizes.get(row.unit, 0))[:MAX_ROWS]
        chosen = {row.unit for row in largest}
        units = [
            {
                "name": self.unit(row.unit),
                "cells": [self.heat(x, f"compliance-{row.unit}-{x.principle}") for x in row.cells],
                "overall": self.heat(row.overall, f"compliance-{row.unit}-all"),
            }
            for row in c.units
            if row.unit in chosen
        ]
        return {
            "answer": answer,
            "principles": [self.value("principle", p) for p in c.principles],
            "portfolio": {
                "cells": [self.heat(x, f"compliance-{x.principle}") for x in c.portfolio.cells],
                "overall": self.heat(c.portfolio.overall, "compliance-all"),
            },
            "units": units,
            "more": self.more(len(c.units), len(units)),
        }

    # --- the same thing, built N times -------------------------------------------------

    def duplicates(self) -> dict[str, Any]:
        t, found = self.t, self.r.patchwork.duplicates
        answer = self.duplicates_answer(limit=80)
        shown = found[:MAX_ROWS]
        rows = [
            {
                "what": short(self.cluster_text(d), 120),
                "signal": t(f"signal.{d.signal}"),
                "id": d.id,
                "built": self.trace(None, len(d.initiatives), d.initiatives),
                "units": len(d.units),
                "members": d.initiatives[:MAX_CHIPS],
                "more": self.more(len(d.initiatives), MAX_CHIPS),
            }
            for d in shown
        ]
        return {
            "answer": answer,
            "rows": rows,
            "more": self.more(len(found), len(shown)),
        }

    # --- rules ------------------------------------------------------------------------

    def rules(self) -> list[dict[str, Any]]:
        top = self.r.broken_rules[:TOP_RULES]
        most = max((len(rc.initiatives) for rc in top), default=1) or 1
        return [
            {
                "rc": rc,
                "w": 120 * len(rc.initiatives) / most,
                "colour": SEVERITY_COLOURS.get(rc.severity, "#718096"),
                "principle": self.value("principle", rc.principle or MANIFEST),
                "trace": self.trace(f"rule-{rc.rule_id}", len(rc.initiatives), rc.initiatives),
            }
            for rc in top
        ]

    # --- patchwork ----------------------------------------------------------------------

    def patchwork(self) -> dict[str, Any]:
        pw = self.r.patchwork
        initiatives = [n for n in pw.nodes if n.kind == "initiative"]
        islands = [k for k in pw.islands if k in self.rows]
        unused = [*pw.unused_platforms, *pw.unused_capabilities]
        return {
            "answer": self.patchwork_answer(),
            "initiatives": len(initiatives),
            "drawn": 0 < len(initiatives) <= MAX_GRAPH_INITIATIVES,
            "islands": islands[:MAX_ROWS],
            "islands_more": self.more(len(islands), MAX_ROWS),
            "duplicates": pw.duplicates[:MAX_ROWS],
            "duplicates_more": self.more(len(pw.duplicates), MAX_ROWS),
            "conflicts": pw.conflicts[:MAX_ROWS],
            "conflicts_more": self.more(len(pw.conflicts), MAX_ROWS),
            "unused": self.joined(unused, MAX_ROWS),
        }

    def shared(self) -> dict[str, Any]:
        """The large-portfolio view: each shared platform and capability with its users."""
        pw, users = self.r.patchwork, self.users
        nodes = sorted(
            (n for n in pw.nodes if n.kind != "initiative"),
            key=lambda n: (-len(users.get(n.id, [])), n.ref),
        )
        rows = []
        for node in nodes[:MAX_ROWS]:
            keys = list(dict.fromkeys(users.get(node.id, [])))
            units = sorted({self.unit(self.rows[k].unit) for k in keys if k in self.rows})
            rows.append(
                {
                    "node": node,
                    "trace": self.trace(None, len(keys), keys),
                    "units": self.joined(units, MAX_CHIPS),
                    "flags": ", ".join(self.t(f"flag.{f}") for f in node.flags),
                }
            )
        return {"rows": rows, "more": self.more(len(nodes), MAX_ROWS)}

    def graph(self) -> dict[str, Any]:
        """Platforms | initiatives grouped by unit | capabilities, with their edges."""
        t, pw = self.t, self.r.patchwork
        initiatives = [n for n in pw.nodes if n.kind == "initiative"]
        bands, ys, bottom = self.unit_bands(initiatives)
        neighbours: dict[str, list[float]] = {}
        for edge in pw.edges:
            if edge.kind != "depends-on" and edge.source in ys:
                neighbours.setdefault(edge.target, []).append(ys[edge.source])
        platforms = [n for n in pw.nodes if n.kind == "platform"]
        capabilities = [n for n in pw.nodes if n.kind == "capability"]
        ys.update(_place(platforms, neighbours, bottom))
        ys.update(_place(capabilities, neighbours, bottom))
        height = max([bottom, *(v + _BOX_H for v in ys.values())]) + 56
        columns = {"platform": _PLATFORMS, "initiative": _INITIATIVES}
        boxes = []
        for node in [*platforms, *initiatives, *capabilities]:
            x, w = columns.get(node.kind, _CAPABILITIES)
            boxes.append(self.box(node, x, ys[node.id] - _BOX_H / 2, w, _BOX_H))
        heads = [
            (_PLATFORMS[0], t("graph.platforms")),
            (_INITIATIVES[0] - 12, t("graph.initiatives")),
            (_CAPABILITIES[0], t("graph.capabilities")),
        ]
        return {
            "width": 1000,
            "height": height,
            "bands": bands,
            "edges": self.graph_edges(ys),
            "boxes": boxes,
            "heads": heads,
            "legend": self.legend(height - 40),
            "arrow": EDGE_STYLES["depends-on"][0],
        }

    def unit_bands(
        self, initiatives: Sequence[Node]
    ) -> tuple[list[dict[str, Any]], dict[str, float], float]:
        """The middle column: a band per unit with its initiatives' rows; their centres
        (``ys``) and where the column ends."""
        ix, iwid = _INITIATIVES
        ys: dict[str, float] = {}
        bands: list[dict[str, Any]] = []
        y = _TOP
        for unit, group in groupby(initiatives, key=lambda n: n.unit or UNKNOWN):
            members = list(group)
            height = _HEAD_H + _ROW_H * len(members) + 4
            bands.append(
                {
                    "x": ix - 12,
                    "y": y,
                    "w": iwid + 24,
                    "h": height,
                    "text": short(self.unit(unit), 40).upper(),
                }
            )
            y += _HEAD_H
            for node in members:
                ys[node.id] = y + _BOX_H / 2
                y += _ROW_H
            y += 4 + _GAP
        return bands, ys, y

    def graph_edges(self, ys: dict[str, float]) -> list[dict[str, Any]]:
        """Each edge between two drawn nodes as a curve, coloured by kind (duplicates stand out)."""
        t, pw = self.t, self.r.patchwork
        by_id = {n.id: n for n in pw.nodes}
        edges: list[dict[str, Any]] = []
        dep_rank = 0
        for edge in pw.edges:
            if edge.source not in ys or edge.target not in ys:
                continue
            colour, dash = EDGE_STYLES[edge.kind]
            if "duplicate" in by_id[edge.target].flags and edge.kind in ("provides", "reuses"):
                colour = FLAG_COLOURS["duplicate"]
            if edge.kind == "depends-on":
                dep_rank += 1
            edges.append(
                {
                    "d": _edge_path(edge.kind, ys[edge.source], ys[edge.target], dep_rank),
                    "colour": colour,
                    "dash": dash,
                    "arrow": edge.kind == "depends-on",
                    "title": f"{by_id[edge.source].label} {t(f'graph.{edge.kind}')} "
                    f"{by_id[edge.target].label}",
                }
            )
        return edges

    def box(self, node: Node, x: float, y: float, w: float, h: float) -> dict[str, Any]:
        t = self.t
        flags = node.flags
        stroke, fill, width = "#a0aec0", "#ffffff", 1.0
        if node.kind != "initiative":
            fill = "#f0f4f8"
        if flags:
            stroke, width, fill = FLAG_COLOURS[flags[0]], 2.0, FLAG_FILLS[flags[0]]
        badges: list[dict[str, Any]] = []
        bx = x + w - 6
        for flag in reversed(flags):
            text = t(f"flag.{flag}")
            bw = 6.2 * len(text) + 10
            bx -= bw
            badges.append({"x": bx, "w": bw, "colour": FLAG_COLOURS[flag], "text": text})
            bx -= 4
        room = int((bx - x - 8) / 6.3)
        details = [node.label, node.ref if node.ref != node.label else ""]
        if node.kind == "initiative" and node.unit:
            details.append(self.unit(node.unit))
        if not node.in_registry:
            details.append(t("graph.unregistered"))
        details += [t(f"flag.{f}.long") for f in flags]
        return {
            "x": x,
            "y": y,
            "w": w,
            "h": h,
            "fill": fill,
            "stroke": stroke,
            "width": width,
            "dashed": not node.in_registry,
            "tip": "\n".join(d for d in details if d),
            "name": short(node.label, room),
            "badges": badges,
            "href": self.href(node.ref) if node.kind == "initiative" else None,
        }

    def legend(self, y: float) -> list[dict[str, Any]]:
        t = self.t
        items: list[dict[str, Any]] = []
        x = 0.0
        for kind in ("runs-on", "provides", "reuses", "depends-on"):
            colour, dash = EDGE_STYLES[kind]
            label = t(f"graph.{kind}")
            items.append({"kind": "line", "x": x, "y": y, "colour": colour, "dash": dash,
                          "text": label})  # fmt: skip
            x += 46 + 7 * len(label)
        for flag in ("island", "duplicate", "conflict"):
            text = t(f"flag.{flag}.long")
            items.append({"kind": "flag", "x": x, "y": y, "colour": FLAG_COLOURS[flag],
                          "text": text})  # fmt: skip
            x += 32 + 6.3 * len(text)
            if x > 700:
                x, y = 0.0, y + 22
        items.append({"kind": "note", "x": x, "y": y, "text": t("graph.unregistered")})
        return items

    # --- waivers, initiatives, findings ---------------------------------------------------

    def waivers(self) -> dict[str, Any]:
        w, state = self.r.waivers, self.waiver_state
        tiles = [
            (
                state[key],
                tone,
                self.trace(f"waivers-{key}", state[key].count, state[key].initiatives),
            )
            for key, tone in (
                ("active", ""),
                ("expiring", "warn" if state["expiring"].count else ""),
                ("expired", "bad" if state["expired"].count else ""),
            )
        ]
        return {
            "answer": self.waivers_answer(),
            "tiles": tiles,
            "rows": w.rows[:MAX_WAIVERS],
            "more": self.more(len(w.rows), MAX_WAIVERS),
        }

    def ranked(self, findings: Sequence[FindingRef]) -> list[FindingRef]:
        return ranked(findings)

    def other(self) -> dict[str, Any]:
        found = ranked(self.r.other_findings)
        limit = len(found) if self.detailed else MAX_ROWS
        return {"findings": found[:limit], "more": self.more(len(found), limit)}

    def method(self) -> list[str]:
        t, r = self.t, self.r
        return [
            t("method.horizon"),
            t("method.compliance"),
            t("method.patchwork"),
            t("method.duplicates"),
            t("method.waivers", days=r.waivers.window_days),
            t("method.json"),
            t("report.generated", version=r.govlint_version, today=r.today),
        ]
