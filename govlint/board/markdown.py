"""The board report as Markdown, for wikis and pull requests (GitHub-flavoured tables)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from govlint.board.aggregate import MANIFEST, BoardReport, Cell, FindingRef
from govlint.board.html import MAX_CHIPS, MAX_ROWS, TOP_RULES
from govlint.board.labels import translator
from govlint.board.view import BoardView, pct, ranked
from govlint.report.text import safe

_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md(text: object) -> str:
    """Text from manifests as inert Markdown: no HTML, no emphasis, no table breaks, no
    control characters or bidirectional overrides, no @mentions (as the check's Markdown)."""
    escaped = html.escape(safe(" ".join(str(text).split())), quote=False)
    return _SPECIAL.sub(r"\\\1", escaped).replace("@", "&#64;")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _dot(share: float | None) -> str:
    if share is None:
        return ""
    return "🟢 " if share >= 1 else "🟡 " if share >= 0.5 else "🔴 "


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    align = ["---:" if i in numeric else "---" for i in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render(report: BoardReport, lang: str = "en") -> str:
    """The whole report as one Markdown document."""
    return _Document(report, translator(lang)).render()


class _Document(BoardView):
    """The report's sections as Markdown; the figures are the view's."""

    def heading(self, key: str) -> str:
        return f"{self.name(key)} ({key})"

    def link(self, key: str) -> str:
        if key not in self.rows:
            return md(key)
        return f"[{md(self.name(key))}](#{slug(self.heading(key))})"

    def links(self, keys: Iterable[str]) -> str:
        return ", ".join(self.link(k) for k in keys)

    def render(self) -> str:
        parts = [
            self.header(),
            self.glance(),
            self.duplicates(),
            self.horizon(),
            self.journeys(),
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
        return "\n\n".join(p for p in parts if p) + "\n"

    def header(self) -> str:
        t, r, totals = self.t, self.r, self.r.totals
        organisation = r.organisation or t("report.organisation")
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
        return (
            f"# {md(t('report.title'))}\n\n"
            f"**{md(t('report.subtitle', organisation=organisation, today=r.today))}**\n\n"
            f"{md(scope)}"
        )

    def glance(self) -> str:
        t, r, totals = self.t, self.r, self.r.totals
        total = totals.initiatives
        state = self.waiver_state
        duplicates = self.capability_duplicates
        rows = [
            (t("kpi.initiatives"), str(total), t("kpi.initiatives.note", units=totals.units)),
            (
                t("kpi.beyond"),
                t("of", part=totals.beyond_optimise.count, whole=total),
                t("kpi.beyond.note", optimise=self.optimise),
            ),
            (t("kpi.high"), str(totals.high_risk.count), self.links(totals.high_risk.initiatives)),
            (
                t("kpi.compliant"),
                t("of", part=totals.compliant.count, whole=total),
                self.links(totals.compliant.initiatives),
            ),
            (
                t("kpi.islands"),
                str(len(r.patchwork.islands)),
                self.links(r.patchwork.islands),
            ),
            (
                t("kpi.duplicates"),
                str(len(r.patchwork.duplicates)),
                f"{len(duplicates)} {t('kpi.duplicates.note')}"
                + (
                    ": " + ", ".join(md(d.capability or "") for d in duplicates)
                    if duplicates
                    else ""
                ),
            ),
            (t("kpi.conflicts"), str(len(r.patchwork.conflicts)), t("kpi.conflicts.note")),
            (
                t("kpi.waivers", days=r.waivers.window_days),
                str(state["expiring"].count),
                t(
                    "kpi.waivers.note",
                    expired=state["expired"].count,
                    active=state["active"].count,
                ),
            ),
        ]
        body = _table(
            ["", "", ""],
            [
                (md(label), f"**{md(value)}**", note if "](" in note else md(note))
                for label, value, note in rows
            ],
            (1,),
        )
        return f"## {md(t('section.glance'))}\n\n{body}"

    def duplicates(self) -> str:
        """The clusters of CON-103: most units first, the first ones of a long list."""
        t, found = self.t, self.r.patchwork.duplicates
        title = f"## {md(t('section.duplicates'))}"
        if not found:
            return f"{title}\n\n{md(t('duplicates.answer.none'))}"
        answer = self.duplicates_answer()
        rows = []
        for d in found[:MAX_ROWS]:
            members = self.links(d.initiatives[:MAX_CHIPS])
            if len(d.initiatives) > MAX_CHIPS:
                members += " " + md(t("more", count=len(d.initiatives) - MAX_CHIPS))
            what = f"{md(self.cluster_text(d))} ({md(t('signal.' + d.signal))}, {md(d.id)})"
            rows.append([what, str(len(d.initiatives)), str(len(d.units)), members])
        more = self.more(len(found), MAX_ROWS)
        tail = f"\n\n{md(more)}" if more else ""
        head = [t("col.what"), t("col.built"), t("col.units"), t("col.initiatives")]
        return f"{title}\n\n{md(answer)}\n\n" + _table([md(h) for h in head], rows, (1, 2)) + tail

    def horizon(self) -> str:
        t, r, total = self.t, self.r, self.r.totals.initiatives
        answer = self.horizon_answer()
        head = [t("col.unit"), *(self.value("horizon", c.key) for c in r.by_horizon), "Σ"]
        rows = [
            [md(self.unit(u.unit)), *(str(c.count) for c in u.counts), str(u.total)]
            for u in r.horizon_by_unit
            if u.total
        ]
        rows.append(
            [
                f"**{md(t('horizon.overall'))}**",
                *(f"**{c.count}**" for c in r.by_horizon),
                f"**{total}**",
            ]
        )
        numeric = tuple(range(1, len(head)))
        return f"## {md(t('section.horizon'))}\n\n{md(answer)}\n\n" + _table(
            [md(h) for h in head], rows, numeric
        )

    def journeys(self) -> str:
        t, r = self.t, self.r
        answer = self.journeys_answer()
        head = [t("col.journey"), *(self.value("horizon", h.key) for h in r.by_horizon)]
        rows = []
        for journey in r.journeys:
            name = journey.name if journey.id is not None else t("journey.none")
            if journey.id is not None and not journey.in_registry:
                name += f" ({t('journeys.unregistered')})"
            cells = [self.links(c.initiatives) or "—" for c in journey.counts]
            rows.append([md(name), *cells])
        return f"## {md(t('section.journeys'))}\n\n{md(answer)}\n\n" + _table(
            [md(h) for h in head], rows
        )

    def portfolio(self) -> str:
        t, r = self.t, self.r
        blocks = []
        for title, kind, counts in (
            (t("portfolio.status"), "status", r.by_status),
            (t("portfolio.tier"), "tier", r.by_tier),
            (t("portfolio.unit"), "unit", r.by_unit),
        ):
            rows = [
                [
                    md(self.unit(c.key) if kind == "unit" else self.value(kind, c.key)),
                    str(c.count),
                    self.links(c.initiatives),
                ]
                for c in counts
            ]
            blocks.append(
                f"### {md(title)}\n\n"
                + _table([md(title), md(t("col.initiatives")), ""], rows, (1,))
            )
        return f"## {md(t('section.portfolio'))}\n\n" + "\n\n".join(blocks)

    def cell(self, cell: Cell) -> str:
        if cell.total == 0:
            return "—"
        if cell.share is None:  # nothing assessable: never shown as a share
            return f"⚪ {md(self.t('compliance.none'))}"
        text = f"{_dot(cell.share)}{pct(cell.share)} ({len(cell.compliant)}/{cell.assessed})"
        if cell.not_assessable:
            short = self.t("compliance.blocked.short", count=len(cell.not_assessable))
            text += f", {md(short)}"
        return text

    def compliance(self) -> str:
        t, c = self.t, self.r.compliance
        answer = self.compliance_answer()
        head = [
            t("col.unit"),
            *(self.value("principle", p) for p in c.principles),
            t("principle.all"),
        ]
        rows = [
            [
                f"**{md(t('horizon.overall'))}**",
                *(self.cell(x) for x in c.portfolio.cells),
                self.cell(c.portfolio.overall),
            ]
        ]
        rows += [
            [md(self.unit(row.unit)), *(self.cell(x) for x in row.cells), self.cell(row.overall)]
            for row in c.units
        ]
        return f"## {md(t('section.compliance'))}\n\n{md(answer)}\n\n" + _table(
            [md(h) for h in head], rows
        )

    def rules(self) -> str:
        t = self.t
        top = self.r.broken_rules[:TOP_RULES]
        if not top:
            return f"## {md(t('section.rules'))}\n\n{md(t('empty.rules'))}"
        rows = [
            [
                f"**{md(rc.rule_id)}** {md(rc.title)}",
                md(self.value("principle", rc.principle or MANIFEST)),
                md(self.value("severity", rc.severity)),
                str(len(rc.initiatives)),
                str(rc.findings),
            ]
            for rc in top
        ]
        head = [
            t("col.rule"),
            t("col.principle"),
            t("col.severity"),
            t("col.initiatives"),
            t("col.findings"),
        ]
        return f"## {md(t('section.rules'))}\n\n{md(t('rules.answer'))}\n\n" + _table(
            [md(h) for h in head], rows, (3, 4)
        )

    def patchwork(self) -> str:
        t, pw = self.t, self.r.patchwork
        answer = self.patchwork_answer()
        none = f"- {md(t('empty.islands'))}"
        islands = "\n".join(
            f"- {self.link(k)} · {md(self.unit(self.rows[k].unit))}"
            for k in pw.islands
            if k in self.rows
        )
        dups = "\n".join(
            f"- **{md(self.capability_name(d.capability))}** ({md(d.capability)}): "
            f"{self.links(d.initiatives)}"
            if d.capability
            else f"- {md(t('patchwork.duplicate.purpose', who=''))} {self.links(d.initiatives)}"
            for d in pw.duplicates
        )
        conflicts = "\n".join(
            f"- {self.link(c.initiative) if c.initiative else ''}: **{md(c.source or '?')}** → "
            f"{md(c.term or '?')}"
            + (
                f" ({md(t('patchwork.conflict.others', who=''))} {self.links(c.others)})"
                if c.others
                else ""
            )
            for c in pw.conflicts
        )
        table = self.shared_table()
        unused = [*pw.unused_platforms, *pw.unused_capabilities]
        tail = f"\n\n{md(t('patchwork.unused', items=', '.join(unused)))}" if unused else ""
        return (
            f"## {md(t('section.patchwork'))}\n\n{md(answer)}\n\n"
            f"### {md(t('patchwork.islands'))}\n\n{islands or none}\n\n"
            f"### {md(t('patchwork.duplicates'))}\n\n{dups or none}\n\n"
            f"### {md(t('patchwork.conflicts'))}\n\n{conflicts or none}\n\n"
            f"### {md(t('graph.platforms'))} / {md(t('graph.capabilities'))}\n\n{table}{tail}"
        )

    def shared_table(self) -> str:
        """Each shared platform and capability with the initiatives that use it."""
        t, users = self.t, self.users
        shared = sorted(
            (n for n in self.r.patchwork.nodes if n.kind != "initiative"),
            key=lambda n: (-len(set(users.get(n.id, []))), n.ref),
        )
        return _table(
            [md(t("col.node")), md(t("col.kind")), md(t("col.initiatives"))],
            [
                [
                    f"{md(n.label)} ({md(n.ref)})"
                    + (f" — {md(t('flag.duplicate.long'))}" if "duplicate" in n.flags else ""),
                    md(t("kind." + n.kind)),
                    self.links(dict.fromkeys(users.get(n.id, []))),
                ]
                for n in shared
            ],
        )

    def waivers(self) -> str:
        t, w = self.t, self.r.waivers
        answer = self.waivers_answer()
        if not w.rows:
            return f"## {md(t('section.waivers'))}\n\n{md(answer)}\n\n{md(t('empty.waivers'))}"
        head = [
            t("col.initiative"),
            t("col.rule"),
            t("col.reason"),
            t("col.approved_by"),
            t("col.expires"),
            t("col.days_left"),
            t("col.state"),
            t("col.waived"),
        ]
        rows = [
            [
                self.link(row.initiative),
                md(row.rule),
                md(row.reason) + (f" ({md(row.ticket)})" if row.ticket else ""),
                md(row.approved_by),
                md(row.expires),
                str(row.days_left),
                md(t("waiver." + row.state)),
                str(row.findings),
            ]
            for row in w.rows
        ]
        return f"## {md(t('section.waivers'))}\n\n{md(answer)}\n\n" + _table(
            [md(h) for h in head], rows, (5, 7)
        )

    def initiatives(self) -> str:
        t = self.t
        head = [
            t("col.initiative"),
            t("col.unit"),
            t("col.status"),
            t("col.tier"),
            t("col.horizon"),
            t("col.errors"),
            t("col.warnings"),
            t("col.infos"),
            t("col.waived"),
        ]
        rows = [
            [
                self.link(row.key),
                md(self.unit(row.unit)),
                md(self.value("status", row.status)),
                md(self.value("tier", row.tier)),
                md(self.value("horizon", row.horizon)),
                str(row.errors),
                str(row.warnings),
                str(row.infos),
                str(row.waived),
            ]
            for row in self.r.initiatives
        ]
        return f"## {md(t('section.initiatives'))}\n\n" + _table(
            [md(h) for h in head], rows, (5, 6, 7, 8)
        )

    def finding_table(self, findings: Sequence[FindingRef]) -> str:
        t = self.t
        rows = [
            [
                md(self.value("severity", f.severity))
                + (f" ({md(t('suppressed.' + f.suppressed))})" if f.suppressed else ""),
                f"**{md(f.rule_id)}**",
                md(f.message),
                f"{md(f.file)}:{f.line}:{f.column}",
            ]
            for f in ranked(findings)
        ]
        head = [t("col.severity"), t("col.rule"), t("col.message"), t("col.location")]
        return _table([md(h) for h in head], rows)

    def findings(self) -> str:
        t = self.t
        parts = [f"## {md(t('section.findings'))}"]
        for row in self.r.initiatives:
            meta = self.meta(row.key)
            table = self.finding_table(row.findings) if row.findings else md(t("empty.findings"))
            parts.append(f"### {md(self.heading(row.key))}\n\n{md(meta)}\n\n{table}")
        return "\n\n".join(parts)

    def other(self) -> str:
        if not self.r.other_findings:
            return ""
        return f"## {md(self.t('section.other'))}\n\n" + self.finding_table(self.r.other_findings)

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
        return f"## {md(t('section.method'))}\n\n" + "\n".join(f"- {md(i)}" for i in items)
