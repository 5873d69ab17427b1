"""The board report's figures and answer sentences, computed once for every renderer.

The HTML page (templates driven by ``html.py``) and the Markdown document show the same
numbers: the share of initiatives beyond optimising, the weakest principle, how many
initiatives could not be assessed, the waivers by state, who uses each shared platform.
This module computes them from a :class:`BoardReport` and a translator; each renderer
only lays them out (and chooses how many rows its format can hold).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from govlint.board.aggregate import UNKNOWN, BoardReport, Cell, Count, Duplicate, FindingRef
from govlint.board.labels import Translate

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def pct(share: float | None) -> str:
    """A share as a whole percentage; "—" when nothing could be assessed."""
    return "—" if share is None else f"{round(share * 100)}%"


def weakest_first(cell: Cell) -> tuple[float, str]:
    """Order for "the weakest principle": lowest share first, nothing assessable last."""
    return (2.0 if cell.share is None else cell.share, cell.principle)


def short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def ranked(findings: Sequence[FindingRef]) -> list[FindingRef]:
    """Findings as every table lists them: counting ones first, by severity, then line."""
    return sorted(
        findings,
        key=lambda f: (
            f.suppressed is not None,
            _SEVERITY_ORDER.get(f.severity, 3),
            f.line,
            f.rule_id,
        ),
    )


class BoardView:
    """What every rendering of one report says, in one language."""

    def __init__(self, report: BoardReport, t: Translate) -> None:
        self.r = report
        self.t = t
        self.rows = {row.key: row for row in report.initiatives}

    # --- names ---------------------------------------------------------------------------

    def name(self, key: str) -> str:
        row = self.rows.get(key)
        return row.name if row is not None else key

    def unit(self, unit_id: str | None) -> str:
        if unit_id is None or unit_id == UNKNOWN:
            return self.t("unit.unknown")
        return self.r.unit_name(unit_id)

    def value(self, kind: str, key: str) -> str:
        return self.t(f"{kind}.{key}")

    def capability_name(self, ref: str) -> str:
        nodes = self.r.patchwork.nodes
        return next((n.label for n in nodes if n.kind == "capability" and n.ref == ref), ref)

    def cluster_text(self, d: Duplicate) -> str:
        if d.signal == "capability":
            return self.capability_name(d.label or d.capability or "")
        return d.label

    def more(self, total: int, shown: int) -> str:
        """ "and N more" when a list of ``total`` shows only ``shown``, else ""."""
        return self.t("more", count=total - shown) if total > shown else ""

    def joined(self, items: Sequence[str], limit: int) -> str:
        """The first ``limit`` items, comma-separated, then "and N more"."""
        shown = ", ".join(items[:limit])
        return f"{shown} {self.more(len(items), limit)}" if len(items) > limit else shown

    def meta(self, key: str) -> str:
        """An initiative's unit, status, tier, horizon and place, on one line."""
        row = self.rows[key]
        return " · ".join(
            [
                self.unit(row.unit),
                self.value("status", row.status),
                self.value("tier", row.tier),
                self.value("horizon", row.horizon),
                f"{row.file}:{row.line}",
            ]
        )

    # --- figures -------------------------------------------------------------------------

    @cached_property
    def optimise(self) -> int:
        """How many initiatives only optimise the existing process."""
        return next((c.count for c in self.r.by_horizon if c.key == "optimise"), 0)

    @cached_property
    def prohibited(self) -> int:
        return next((c.count for c in self.r.by_tier if c.key == "prohibited"), 0)

    @cached_property
    def waiver_state(self) -> dict[str, Count]:
        """The waivers by state: active, expiring, expired."""
        return {c.key: c for c in self.r.waivers.counts}

    @cached_property
    def capability_duplicates(self) -> list[Duplicate]:
        """The clusters that are one capability provided more than once."""
        return [d for d in self.r.patchwork.duplicates if d.capability]

    @cached_property
    def blocked(self) -> int:
        """How many initiatives have a rule that could not be assessed."""
        return sum(1 for row in self.r.initiatives if row.not_assessable)

    @cached_property
    def users(self) -> dict[str, list[str]]:
        """The initiatives that run on or provide or reuse each shared node, edge by edge."""
        users: dict[str, list[str]] = {}
        for edge in self.r.patchwork.edges:
            if edge.kind != "depends-on":
                users.setdefault(edge.target, []).append(edge.source.split(":", 1)[1])
        return users

    # --- the answer of each section ----------------------------------------------------------

    def horizon_answer(self) -> str:
        totals = self.r.totals
        total = totals.initiatives
        return self.t(
            "horizon.answer",
            beyond=totals.beyond_optimise.count,
            total=total,
            share=pct(totals.beyond_optimise.count / total if total else None),
            optimise=self.optimise,
        )

    def journeys_answer(self) -> str:
        redesigned = [
            j
            for j in self.r.journeys
            if j.id is not None and any(c.count for c in j.counts if c.key != "optimise")
        ]
        if not redesigned:
            return self.t("journeys.answer.none")
        return self.t("journeys.answer", journeys=", ".join(j.name for j in redesigned))

    def compliance_answer(self) -> str:
        """The compliant share, the weakest principle and the "not assessable" count."""
        t, c = self.t, self.r.compliance
        total = self.r.totals.initiatives
        if not c.principles:
            answer = t("compliance.answer.none")
        else:
            weakest = min(c.portfolio.cells, key=weakest_first)
            answer = t(
                "compliance.answer",
                compliant=len(c.portfolio.overall.compliant),
                total=total,
                principle=self.value("principle", weakest.principle),
                share=pct(weakest.share),
            )
        if self.blocked:
            answer += " " + t("compliance.answer.blocked", count=self.blocked, total=total)
        return answer

    def duplicates_answer(self, limit: int | None = None) -> str:
        """The number of clusters and the largest; its name cut to ``limit`` if given."""
        found = self.r.patchwork.duplicates
        if not found:
            return self.t("duplicates.answer.none")
        top = found[0]
        what = self.cluster_text(top)
        return self.t(
            "duplicates.answer",
            count=len(found),
            what=what if limit is None else short(what, limit),
            times=len(top.initiatives),
            units=len(top.units),
        )

    def patchwork_answer(self) -> str:
        pw = self.r.patchwork
        return self.t(
            "patchwork.answer",
            islands=len(pw.islands),
            duplicates=len(self.capability_duplicates),
            conflicts=len(pw.conflicts),
        )

    def waivers_answer(self) -> str:
        state = self.waiver_state
        return self.t(
            "waivers.answer",
            active=state["active"].count,
            expiring=state["expiring"].count,
            expired=state["expired"].count,
            days=self.r.waivers.window_days,
        )
