"""Portfolio checks on real files: islands, references, duplicates, definitions, consistency,
unique ids, cycles and unused registry entries, with exact positions and related locations."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import EXAMPLES, base_manifest, with_registry

from govlint.load import load_text
from govlint.portfolio.clusters import similar_pairs


def line_of(path: Path, needle: str, after: str | None = None) -> tuple[int, int]:
    """(line, column) of ``needle`` in the file, optionally after the line holding ``after``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, s in enumerate(lines) if after in s)
    for i in range(start, len(lines)):
        if needle in lines[i]:
            return i + 1, lines[i].index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    return tmp_path


def findings(result, rule: str) -> list[tuple[str, int, int, list[str]]]:
    """(file, line, col, [related 'file:line:col']) of every finding of ``rule``."""
    out: list[tuple[str, int, int, list[str]]] = []
    current = False  # whether the finding the 'see' lines belong to is one of ``rule``
    for line in result.out.splitlines():
        if line.startswith("    see "):
            if current:
                out[-1][3].append(line.removeprefix("    see "))
            continue
        parts = line.split(" ")
        current = len(parts) > 2 and parts[2] == rule
        if current:
            file, ln, col, _ = parts[0].split(":")
            out.append((file, int(ln), int(col), []))
    return out


def test_island_rule(govlint, portfolio: Path) -> None:
    # islands that declare nothing are reported per manifest (CON-001), at commit time
    result = govlint("check", "examples", cwd=portfolio)
    ini = portfolio / "examples" / "initiatives"
    assert findings(result, "CON-102") == []
    assert findings(result, "CON-001") == [
        (
            "examples/initiatives/hr-recruitment-screening.yaml",
            *line_of(ini / "hr-recruitment-screening.yaml", "apiVersion"),
            [],
        ),
        (
            "examples/initiatives/operations-planning.yaml",
            *line_of(ini / "operations-planning.yaml", "apiVersion"),
            [],
        ),
    ]
    assert (
        "Crew planning tool declares no contribution to the whole and would be an island"
        in result.out
    )


def test_island_rule_counts_only_registered_contributions(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path)
    text = base_manifest()
    text = text.replace("platform: data-platform", "platform: my-own-server")
    text = text.replace("reuses: [route-optimisation]", "reuses: []")
    text = text.replace("provides: [crew-scheduling]", "provides: []")
    text = text.replace(
        "strategic_goals: [proactive-public-space]", "strategic_goals: [world-peace]"
    )
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml")
    contribution_line = next(i for i, s in enumerate(text.splitlines(), 1) if s == "contribution:")
    assert findings(result, "CON-102") == [("m.yaml", contribution_line, 1, [])]
    assert [f[1] for f in findings(result, "CON-101")] == [
        next(i for i, s in enumerate(text.splitlines(), 1) if "my-own-server" in s),
        next(i for i, s in enumerate(text.splitlines(), 1) if "world-peace" in s),
    ]


def test_references_resolve_with_did_you_mean(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path)
    text = base_manifest().replace("platform: data-platform", "platform: data-platfrom")
    text = text.replace("unit: operations", "unit: Operations")
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml")
    lines = text.splitlines()
    platform = next(i for i, s in enumerate(lines, 1) if "data-platfrom" in s)
    assert (
        f"m.yaml:{platform}:13: error CON-101 platform 'data-platfrom' does not exist in the registry; did you mean 'data-platform'?"
        in result.lines
    )
    # 'Operations' is not a valid id at all: the schema says so, and the reference check
    # still points to the registry entry it probably means
    unit = next(i for i, s in enumerate(lines, 1) if "unit: Operations" in s)
    assert (
        f"m.yaml:{unit}:9: error CON-101 unit 'Operations' does not exist in the registry; did you mean 'operations'?"
        in result.lines
    )


def test_missing_registry_is_one_clear_finding(govlint, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(base_manifest())
    result = govlint("check", "m.yaml")
    assert [line for line in result.lines if " CON-101 " in line] == [
        "m.yaml:3:1: error CON-101 no organisation registry was loaded (no document of kind "
        "Organisation), so references cannot be checked; add the registry files to 'registry:' "
        "in .govlint.yaml or pass them on the command line"
    ]


def test_duplicate_capability_points_at_both_files(govlint, portfolio: Path) -> None:
    result = govlint("check", "examples", cwd=portfolio)
    ini = portfolio / "examples" / "initiatives"
    chatbot = line_of(ini / "customer-service-chatbot.yaml", "intent-recognition")
    hr_bot = line_of(ini / "hr-questions-bot.yaml", "intent-recognition")
    assert findings(result, "CON-103") == [
        (
            "examples/initiatives/customer-service-chatbot.yaml",
            *chatbot,
            [f"examples/initiatives/hr-questions-bot.yaml:{hr_bot[0]}:{hr_bot[1]}"],
        ),
        (
            "examples/initiatives/hr-questions-bot.yaml",
            *hr_bot,
            [f"examples/initiatives/customer-service-chatbot.yaml:{chatbot[0]}:{chatbot[1]}"],
        ),
    ]


def test_near_identical_purposes_in_different_units(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path, "policies: [baseline]\n")
    first = base_manifest().replace("id: example-initiative", "id: crew-planner-ops")
    second = base_manifest().replace("id: example-initiative", "id: crew-planner-finance")
    second = second.replace("unit: operations", "unit: finance")
    second = second.replace("name: Example initiative", "name: Finance crews")
    second = second.replace("provides: [crew-scheduling]", "provides: []")
    second = second.replace(
        "Suggests maintenance crew schedules for the public-space department.",
        "Suggests the maintenance crew schedules for the public-space department!",
    )
    (tmp_path / "a.yaml").write_text(first)
    (tmp_path / "b.yaml").write_text(second)
    result = govlint("check", "a.yaml", "b.yaml")
    summary = next(i for i, s in enumerate(first.splitlines(), 1) if "summary:" in s)
    assert findings(result, "CON-103") == [
        ("a.yaml", summary, 12, [f"b.yaml:{summary}:12"]),
        ("b.yaml", summary, 12, [f"a.yaml:{summary}:12"]),
    ]
    assert (
        "purpose is near-identical to that of 'crew-planner-finance' (finance): 2 initiatives "
        "in 2 units (cluster purpose-"
    ) in result.out


def test_definitions_synonym_and_conflicting_terms(govlint, portfolio: Path) -> None:
    result = govlint("check", "examples", cwd=portfolio)
    ini = portfolio / "examples" / "initiatives"
    hr = line_of(ini / "hr-recruitment-screening.yaml", "candidate")
    chat = line_of(ini / "customer-service-chatbot.yaml", "citizen-question")
    bot = line_of(ini / "hr-questions-bot.yaml", "employee-question")
    assert findings(result, "DAT-101") == [
        (
            "examples/initiatives/customer-service-chatbot.yaml",
            *chat,
            [f"examples/initiatives/hr-questions-bot.yaml:{bot[0]}:{bot[1]}"],
        ),
        (
            "examples/initiatives/hr-questions-bot.yaml",
            *bot,
            [f"examples/initiatives/customer-service-chatbot.yaml:{chat[0]}:{chat[1]}"],
        ),
        ("examples/initiatives/hr-recruitment-screening.yaml", *hr, []),
    ]
    assert (
        "'candidate' is a synonym of the glossary term 'applicant'; use 'applicant'" in result.out
    )


def test_unbound_data_source_when_enabled(govlint, tmp_path: Path) -> None:
    # the built-in DAT-101 leaves unbound sources to DAT-001; an organisation can switch it on
    with_registry(tmp_path, "rule_paths: [rules]\npolicies: [pack.yaml]\n")
    rule = (
        Path(__file__).parent.parent / "rules" / "data" / "DAT-101-one-concept-one-term.yaml"
    ).read_text()
    rule = rule.replace("id: DAT-101", "id: ORG-101").replace("unbound: false", "unbound: true")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "ORG-101.yaml").write_text(rule)
    (tmp_path / "pack.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: org\ninclude: {rules: [ORG-101]}\n"
    )
    text = base_manifest().replace("      glossary_term: work-order\n", "")
    (tmp_path / "m.yaml").write_text(text)
    result = govlint("check", "m.yaml")
    source = next(i for i, s in enumerate(text.splitlines(), 1) if "- name: work-orders" in s)
    assert result.lines[0] == (
        f"m.yaml:{source}:7: warning ORG-101 Example initiative: data source 'work-orders' is "
        "not bound to a glossary term; add glossary_term with the shared definition it follows"
    )


def test_consistency_one_norm_for_one_risk(govlint, portfolio: Path) -> None:
    result = govlint("check", "examples", cwd=portfolio)
    ini = portfolio / "examples" / "initiatives"
    hr = line_of(ini / "hr-recruitment-screening.yaml", "none", after="human_role:")
    social = line_of(
        ini / "social-proactive-support.yaml", "human-in-the-loop", after="human_role:"
    )
    oversight = findings(result, "HUM-101")
    assert (
        "examples/initiatives/hr-recruitment-screening.yaml",
        *hr,
        [f"examples/initiatives/social-proactive-support.yaml:{social[0]}:{social[1]}"],
    ) in oversight
    assert "declare different human_role.oversight: none (1), human-in-the-loop (1)" in result.out


def test_majority_sets_the_norm_and_only_outliers_are_reported(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path)
    for i, oversight in enumerate(["human-in-the-loop", "human-in-the-loop", "none"]):
        text = base_manifest().replace("id: example-initiative", f"id: initiative-{i}")
        text = text.replace("oversight: human-in-the-loop", f"oversight: {oversight}")
        text = text.replace("provides: [crew-scheduling]", "provides: []")
        text = text.replace("Suggests maintenance crew", f"Suggests {'very ' * i * 5}different")
        (tmp_path / f"m{i}.yaml").write_text(text)
    result = govlint("check", "m0.yaml", "m1.yaml", "m2.yaml")
    reported = findings(result, "HUM-101")
    assert [(f[0], len(f[3])) for f in reported] == [("m2.yaml", 2)]
    assert "the norm is human-in-the-loop" in result.out


def test_unique_ids_and_dependency_cycles(govlint, portfolio: Path) -> None:
    result = govlint("check", "examples", cwd=portfolio)
    ini = portfolio / "examples" / "initiatives"
    draft = line_of(
        ini / "drafts" / "finance-forecasting-v2.yaml", "finance-forecasting", after="metadata:"
    )
    original = line_of(ini / "finance-forecasting.yaml", "finance-forecasting")
    assert findings(result, "LIF-101") == [
        (
            "examples/initiatives/finance-forecasting.yaml",
            *original,
            [f"examples/initiatives/drafts/finance-forecasting-v2.yaml:{draft[0]}:{draft[1]}"],
        ),
    ]
    chatbot_dep = line_of(ini / "customer-service-chatbot.yaml", "hr-questions-bot")
    bot_dep = line_of(ini / "hr-questions-bot.yaml", "customer-service-chatbot")
    chatbot_id = line_of(ini / "customer-service-chatbot.yaml", "customer-service-chatbot")
    bot_id = line_of(ini / "hr-questions-bot.yaml", "hr-questions-bot")
    assert findings(result, "CON-104") == [
        (
            "examples/initiatives/customer-service-chatbot.yaml",
            *chatbot_dep,
            [f"examples/initiatives/hr-questions-bot.yaml:{bot_id[0]}:{bot_id[1]}"],
        ),
        (
            "examples/initiatives/hr-questions-bot.yaml",
            *bot_dep,
            [f"examples/initiatives/customer-service-chatbot.yaml:{chatbot_id[0]}:{chatbot_id[1]}"],
        ),
    ]
    assert (
        "depends_on forms a cycle: customer-service-chatbot -> hr-questions-bot -> customer-service-chatbot"
        in result.out
    )


def test_unused_registry_entries(govlint, portfolio: Path) -> None:
    result = govlint("check", "examples", cwd=portfolio)
    registry = portfolio / "examples" / "registry" / "organisation.yaml"
    assert findings(result, "CON-105") == [
        ("examples/registry/organisation.yaml", *line_of(registry, "document-classification"), []),
        ("examples/registry/organisation.yaml", *line_of(registry, "route-optimisation"), []),
    ]


def test_registry_split_over_files_with_a_conflict(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path)
    extra = textwrap.dedent(
        """\
        apiVersion: govlint/v1
        kind: Organisation
        platforms:
          - {id: data-platform, name: A second definition}
        """
    )
    # files are read in name order: the definition in the later file is the duplicate
    (tmp_path / "registry2.yaml").write_text(extra)
    (tmp_path / ".govlint.yaml").write_text("registry: ['registry*.yaml']\n")
    (tmp_path / "m.yaml").write_text(base_manifest())
    result = govlint("check", "m.yaml", "registry2.yaml")
    first = line_of(tmp_path / "registry.yaml", "data-platform")
    assert result.lines[:2] == [
        "registry2.yaml:4:10: error GL020 platforms entry 'data-platform' is already defined "
        f"at registry.yaml:{first[0]}; keep one definition",
        f"    see registry.yaml:{first[0]}:{first[1]}",
    ]


def test_prefix_filter_finds_exactly_the_similar_pairs() -> None:
    # brute force on a small set is the reference the blocking scheme must equal
    texts = [
        "forecast spending per budget line",
        "forecast the spending per budget line",
        "answer resident questions on the website",
        "answer employee questions on the intranet",
        "plan maintenance crews",
        "plan maintenance crews for public space",
        "",
    ]
    sets = [frozenset(t.split()) for t in texts]
    for threshold in (0.5, 0.6, 0.8, 1.0):
        found = {(min(a, b), max(a, b)) for a, b, _ in similar_pairs(sets, threshold)}
        brute = {
            (i, j)
            for i in range(len(sets))
            for j in range(i + 1, len(sets))
            if sets[i] and sets[j] and len(sets[i] & sets[j]) / len(sets[i] | sets[j]) >= threshold
        }
        assert found == brute, threshold


def test_portfolio_rule_file_errors() -> None:
    import datetime as dt

    from govlint.engine.rules import compile_rule

    text = (
        Path(__file__).parent.parent / "rules" / "contribution" / "CON-102-no-island-solutions.yaml"
    ).read_text()
    bad = text.replace("check: contribution", "check: contributions")
    rule, errors = compile_rule(load_text(bad, "r.yaml").documents[0], dt.date(2026, 1, 1))
    assert rule is None
    assert (
        errors[0].message == "unknown portfolio check 'contributions'; did you mean 'contribution'?"
    )
    bad = text.replace("resolved: true", "resolve: true")
    rule, errors = compile_rule(load_text(bad, "r.yaml").documents[0], dt.date(2026, 1, 1))
    assert rule is None
    assert errors[0].message.startswith(
        "option of check 'contribution': Additional properties are not allowed ('resolve' was unexpected)"
    )


def test_ids_that_differ_only_in_case(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path)
    (tmp_path / "a.yaml").write_text(
        base_manifest().replace("id: example-initiative", "id: crew-planner")
    )
    upper = base_manifest().replace("id: example-initiative", "id: Crew-Planner")
    (tmp_path / "b.yaml").write_text(upper)
    result = govlint("check", "a.yaml", "b.yaml")
    line = next(i for i, s in enumerate(upper.splitlines(), 1) if "Crew-Planner" in s)
    # the schema refuses the id, and the portfolio still sees the clash
    assert any(
        f"b.yaml:{line}:7: error GL011 metadata.id: 'Crew-Planner' is not a valid id" in x
        for x in result.lines
    )
    assert (
        f"b.yaml:{line}:7: error LIF-101 initiative id 'Crew-Planner' differs only in case from "
        f"'crew-planner' in a.yaml:{line}; ids must be unique across the portfolio"
    ) in result.lines


def test_reference_to_a_registry_entry_defined_twice(govlint, tmp_path: Path) -> None:
    with_registry(tmp_path)
    registry = (tmp_path / "registry.yaml").read_text()
    registry = registry.replace(
        "platforms:\n", "platforms:\n  - {id: data-platform, name: Copy of the platform}\n"
    )
    (tmp_path / "registry.yaml").write_text(registry)
    (tmp_path / "m.yaml").write_text(base_manifest())
    result = govlint("check", "m.yaml", "registry.yaml")
    second = next(
        i for i, s in enumerate(registry.splitlines(), 1) if "name: Shared data platform" in s
    )
    first = next(i for i, s in enumerate(registry.splitlines(), 1) if "Copy of the platform" in s)
    assert (
        f"registry.yaml:{second}:10: error GL020 platforms entry 'data-platform' is already "
        f"defined at registry.yaml:{first}; keep one definition"
    ) in result.lines
    # the manifest's reference resolves (to the first definition): no CON-101 on top
    assert not any(" CON-101 " in x for x in result.lines)


def test_pairs_after_a_few_changed_purposes_equal_a_fresh_search() -> None:
    """A long-running server works the near-identical pairs out again only for the purposes
    that changed since its last run; the result must be what a search from scratch finds."""
    import random

    from govlint.portfolio import clusters

    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(40)]

    def text() -> frozenset[str]:
        return frozenset(rng.sample(vocabulary, rng.randint(3, 8)))

    def distinct(sets: list[frozenset[str]]) -> tuple[frozenset[str], ...]:
        return tuple(dict.fromkeys(s for s in sets if s))

    def fresh(sets: tuple[frozenset[str], ...], threshold: float) -> set[tuple[int, int]]:
        return {(min(a, b), max(a, b)) for a, b, _ in similar_pairs(list(sets), threshold)}

    base = [text() for _ in range(300)]
    # near-copies, so that there are pairs to keep, lose and gain
    base += [frozenset({*s, "extra"}) for s in base[:60]]
    threshold = 0.6
    clusters._similar_pairs(distinct(base), threshold)  # the run before the edits
    for round_ in range(25):
        edited = list(base)
        for i in rng.sample(range(len(edited)), rng.randint(1, clusters.INCREMENTAL // 2)):
            # a new text, a copy of another purpose, or a near-copy of one
            choice = round_ % 3
            other = edited[rng.randrange(len(edited))]
            edited[i] = text() if choice == 0 else other if choice == 1 else other | {"new"}
        sets = distinct(edited)
        got = {(min(a, b), max(a, b)) for a, b in clusters._similar_pairs(sets, threshold)}
        assert got == fresh(sets, threshold), round_
        base = edited
