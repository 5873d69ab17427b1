"""Near-duplicate initiatives as clusters (CON-103) and dependency cycles (CON-104), on real
files through the CLI: who is in which cluster, one finding per member and signal, stable
cluster ids, Dutch and English purposes, and output that stays bounded as portfolios grow."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from conftest import base_manifest, run_govlint

#: runs CON-103 and CON-104 only, on every manifest in the folder
PACK = "apiVersion: govlint/v1\nkind: Policy\nname: only\ninclude: {rules: [CON-103, CON-104]}\n"
CLUSTER = re.compile(r"\(cluster ((?:purpose|product)-[0-9a-f]{8})\)")


def write_portfolio(folder: Path, manifests: list[dict[str, Any]]) -> None:
    (folder / "policy").mkdir(parents=True, exist_ok=True)
    (folder / "policy" / "only.yaml").write_text(PACK, encoding="utf-8")
    (folder / ".govlint.yaml").write_text(
        "manifests: ['*.yaml']\npolicies: [policy/only.yaml]\n", encoding="utf-8"
    )
    for m in manifests:
        lines = [
            "apiVersion: govlint/v1",
            "kind: Initiative",
            f"metadata: {{id: {m['id']}, name: {json.dumps(m.get('name', m['id'].replace('-', '')))}, "
            f"unit: {m.get('unit', 'operations')}}}",
            f"purpose: {{summary: {json.dumps(m.get('purpose', 'Purpose of ' + m['id']))}}}",
        ]
        if "model" in m:
            lines.append(f"model: {json.dumps(m['model'])}")
        if "depends_on" in m:
            lines.append(f"contribution: {{depends_on: {json.dumps(m['depends_on'])}}}")
        (folder / f"{m.get('file', m['id'])}.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )


def check(folder: Path) -> list[dict[str, Any]]:
    result = run_govlint("check", ".", "--format", "json", "--no-cache", cwd=folder)
    assert result.code in (0, 1), result
    return [f for f in json.loads(result.out)["findings"] if f["rule_id"] in ("CON-103", "CON-104")]


def clusters(findings: list[dict[str, Any]]) -> dict[str, set[str]]:
    """cluster id -> the files whose findings name it."""
    out: dict[str, set[str]] = {}
    for f in findings:
        found = CLUSTER.search(f["message"])
        if found:
            out.setdefault(found.group(1), set()).add(f["file"])
    return out


def signal(f: dict[str, Any]) -> str:
    return "product" if "(cluster product-" in f["message"] else "purpose"


# --- who is in which cluster --------------------------------------------------------------


def test_a_pair_and_a_chain_form_clusters_and_a_loner_stays_out(tmp_path: Path) -> None:
    base = "suggests maintenance crew schedules for public space department weekly"
    write_portfolio(
        tmp_path,
        [
            # a pair in two units
            {"id": "pair-a", "unit": "operations", "purpose": "Answers letters about parking."},
            {"id": "pair-b", "unit": "finance", "purpose": "Answers letters about parking!"},
            # a chain: a ~ b and b ~ c (one word changed each time), a and c less alike
            {"id": "chain-a", "unit": "operations", "purpose": base + " alpha beta"},
            {"id": "chain-b", "unit": "finance", "purpose": base + " beta gamma"},
            {"id": "chain-c", "unit": "hr", "purpose": base + " gamma delta"},
            {"id": "loner", "unit": "hr", "purpose": "Detects potholes in street images."},
        ],
    )
    found = check(tmp_path)
    assert sorted(clusters(found).values(), key=sorted) == [
        {"chain-a.yaml", "chain-b.yaml", "chain-c.yaml"},
        {"pair-a.yaml", "pair-b.yaml"},
    ]
    chain = next(f for f in found if f["file"] == "chain-a.yaml")
    assert "3 initiatives in 3 units" in chain["message"]
    assert chain["path"] == "purpose.summary"
    assert {r["file"] for r in chain["related"]} == {"chain-b.yaml", "chain-c.yaml"}


def test_the_same_product_in_other_words_is_one_cluster(tmp_path: Path) -> None:
    assistant = {"name": "CodeCo Assist", "supplier": "codeco"}
    write_portfolio(
        tmp_path,
        [
            {"id": "dev-tax", "unit": "tax", "purpose": "Helps developers write code.",
             "model": assistant},
            {"id": "dev-customs", "unit": "customs", "purpose": "Code completion in the IDE.",
             "model": {"name": "codeco assist", "supplier": "codeco"}},
            {"id": "dev-police", "unit": "police", "purpose": "Reviews pull requests.",
             "model": assistant},
            # the same model name from another supplier is another product
            {"id": "other", "unit": "hr", "purpose": "Screens applicants.",
             "model": {"name": "CodeCo Assist", "supplier": "elsewhere"}},
        ],
    )  # fmt: skip
    found = check(tmp_path)
    assert list(clusters(found).values()) == [
        {"dev-tax.yaml", "dev-customs.yaml", "dev-police.yaml"}
    ]
    tax = next(f for f in found if f["file"] == "dev-tax.yaml")
    assert tax["path"] == "model.name"
    assert "the same product (CodeCo Assist (codeco)) as" in tax["message"]
    assert "3 initiatives in 3 units" in tax["message"]


def test_the_same_name_is_the_same_product(tmp_path: Path) -> None:
    write_portfolio(
        tmp_path,
        [
            {"id": "a", "unit": "tax", "name": "Copilot for Office", "purpose": "Drafts mail."},
            {"id": "b", "unit": "hr", "name": "Office copilot", "purpose": "Summarises notes."},
            {"id": "c", "unit": "it", "name": "Office", "purpose": "Writes minutes."},
        ],
    )
    found = check(tmp_path)
    assert list(clusters(found).values()) == [{"a.yaml", "b.yaml"}]
    assert next(f for f in found if f["file"] == "a.yaml")["path"] == "metadata.name"


def test_dutch_compounds_and_stems_land_in_one_cluster(tmp_path: Path) -> None:
    write_portfolio(
        tmp_path,
        [
            {"id": "gemeente-a", "unit": "a", "name": "Anonimiseren",
             "purpose": "Het anonimiseren van documenten voor openbaarmaking."},
            {"id": "gemeente-b", "unit": "b", "name": "Anonimiseringssoftware",
             "purpose": "Anonimiseringssoftware voor documenten bij openbaarmaking."},
            {"id": "gemeente-c", "unit": "c", "name": "Anonimiseringstool",
             "purpose": "Een anonimiseringstool voor de openbaarmaking van documenten."},
            {"id": "gemeente-d", "unit": "d", "name": "Beveiligd mailen",
             "purpose": "Versleutelde e-mail voor vertrouwelijke gegevens."},
            {"id": "gemeente-e", "unit": "e", "name": "Parkeervergunning",
             "purpose": "Het aanvragen van een parkeervergunning voor bewoners."},
        ],
    )  # fmt: skip
    found = check(tmp_path)
    by_signal = {signal(f) for f in found}
    assert by_signal == {"purpose", "product"}  # the names and the purposes, each a cluster
    assert sorted(clusters(found).values(), key=sorted) == [
        {"gemeente-a.yaml", "gemeente-b.yaml", "gemeente-c.yaml"},
        {"gemeente-a.yaml", "gemeente-b.yaml", "gemeente-c.yaml"},
    ]


def test_english_purposes_in_other_word_forms(tmp_path: Path) -> None:
    write_portfolio(
        tmp_path,
        [
            {"id": "a", "unit": "x", "purpose": "Forecasts the spending of the budget lines."},
            {"id": "b", "unit": "y", "purpose": "Forecasting spending for budget lines"},
            {"id": "c", "unit": "z", "purpose": "Forecasts the weather for road gritting."},
        ],
    )
    assert list(clusters(check(tmp_path)).values()) == [{"a.yaml", "b.yaml"}]


def test_one_unit_is_no_cluster_unless_asked(tmp_path: Path) -> None:
    same = "Answers letters about parking."
    write_portfolio(
        tmp_path,
        [{"id": "a", "unit": "x", "purpose": same}, {"id": "b", "unit": "x", "purpose": same}],
    )
    assert check(tmp_path) == []
    rule = (
        Path(__file__).parent.parent
        / "rules"
        / "contribution"
        / "CON-103-no-duplicate-initiatives.yaml"
    ).read_text(encoding="utf-8")
    own = tmp_path / "rules" / "contribution"
    own.mkdir(parents=True)
    (own / "ORG-103.yaml").write_text(
        rule.replace("id: CON-103", "id: ORG-103")
        .replace("name: no-duplicate-initiatives", "name: no-duplicates-in-a-unit")
        .replace("across_units_only: true", "across_units_only: false"),
        encoding="utf-8",
    )
    with (tmp_path / ".govlint.yaml").open("a", encoding="utf-8") as config:
        config.write("rule_paths: [rules]\n")
    (tmp_path / "policy" / "only.yaml").write_text(
        PACK.replace("[CON-103, CON-104]", "[ORG-103]"), encoding="utf-8"
    )
    result = run_govlint("check", ".", "--format", "json", "--no-cache", cwd=tmp_path)
    found = [f for f in json.loads(result.out)["findings"] if f["rule_id"] == "ORG-103"]
    assert sorted(f["file"] for f in found) == ["a.yaml", "b.yaml"]
    assert "2 initiatives in 1 unit (cluster purpose-" in found[0]["message"]


def test_a_bad_option_fails_when_the_rule_is_loaded(tmp_path: Path) -> None:
    rule = (
        Path(__file__).parent.parent
        / "rules"
        / "contribution"
        / "CON-103-no-duplicate-initiatives.yaml"
    ).read_text(encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "ORG-103.yaml").write_text(
        rule.replace("id: CON-103", "id: ORG-103").replace("language: auto", "language: french"),
        encoding="utf-8",
    )
    (tmp_path / ".govlint.yaml").write_text("rule_paths: [rules]\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text(base_manifest(), encoding="utf-8")
    result = run_govlint("check", ".", cwd=tmp_path)
    assert result.code == 2
    line = next(i for i, s in enumerate(rule.splitlines(), 1) if s.strip().startswith("language:"))
    assert f"rules/ORG-103.yaml:{line}:" in result.out + result.err
    assert "option of check 'duplicates'" in result.out + result.err


# --- one finding per member and signal, stable ids ----------------------------------------------


def test_one_finding_per_member_and_signal_with_a_stable_id(tmp_path: Path) -> None:
    members = [
        {"id": f"copy-{i}", "unit": f"unit-{i}", "name": "Parking letters",
         "purpose": "Answers letters about parking permits."}
        for i in range(4)
    ]  # fmt: skip
    write_portfolio(tmp_path / "one", members)
    first = check(tmp_path / "one")
    assert Counter((f["file"], signal(f)) for f in first) == {
        (f"copy-{i}.yaml", s): 1 for i in range(4) for s in ("purpose", "product")
    }
    # the same initiatives in other files, written in another order: the same clusters
    write_portfolio(
        tmp_path / "two", [{**m, "file": f"z{9 - i}"} for i, m in enumerate(reversed(members))]
    )
    assert sorted(clusters(first)) == sorted(clusters(check(tmp_path / "two")))
    # another member makes another cluster
    write_portfolio(tmp_path / "three", [*members, {**members[0], "id": "copy-9", "unit": "u9"}])
    assert not set(clusters(first)) & set(clusters(check(tmp_path / "three")))


# --- bounded as portfolios grow ----------------------------------------------------------------


def test_hundreds_of_identical_purposes_give_one_finding_each(tmp_path: Path) -> None:
    n = 300
    write_portfolio(
        tmp_path,
        [
            {"id": f"tool-{i:03d}", "unit": f"unit-{i:03d}", "name": f"Tool {i}",
             "purpose": "Summarises incoming letters."}
            for i in range(n)
        ],
    )  # fmt: skip
    found = check(tmp_path)
    assert len(found) == n  # not n * (n - 1) pairs
    assert len(clusters(found)) == 1
    for f in found:
        assert len(f["related"]) == 5
        assert f"{n} initiatives in {n} units" in f["message"]
        assert f"and {n - 1 - 5} more" in f["message"]
        assert len(f["message"]) < 600


def test_a_long_cycle_is_reported_once_per_member_in_cycle_order(tmp_path: Path) -> None:
    n = 300
    write_portfolio(
        tmp_path,
        [
            {
                "id": f"step-{i:03d}",
                "purpose": f"Step {i}.",
                "depends_on": [f"step-{(i - 1) % n:03d}"],
            }
            for i in range(n)
        ],
    )
    found = check(tmp_path)
    assert sorted(f["file"] for f in found) == [f"step-{i:03d}.yaml" for i in range(n)]
    f = next(f for f in found if f["file"] == "step-001.yaml")
    assert (
        "depends_on forms a cycle: step-001 -> step-000 -> step-299 -> step-298 -> step-297 "
        f"-> step-296 -> ({n - 7} more) -> step-002 -> step-001 ({n} initiatives)"
    ) in f["message"]
    assert [r["file"] for r in f["related"]] == [
        "step-000.yaml", "step-299.yaml", "step-298.yaml", "step-297.yaml", "step-296.yaml"
    ]  # fmt: skip
    assert all(len(f["message"]) < 400 for f in found)


def test_a_short_cycle_reads_in_its_own_order(tmp_path: Path) -> None:
    write_portfolio(
        tmp_path,
        [
            {"id": "c", "depends_on": ["b"]},
            {"id": "a", "depends_on": ["c"]},
            {"id": "b", "depends_on": ["a"]},
            {"id": "d", "depends_on": ["a"]},  # depends on the cycle, is not in it
        ],
    )
    messages = {f["file"]: f["message"] for f in check(tmp_path)}
    assert set(messages) == {"a.yaml", "b.yaml", "c.yaml"}
    assert "cycle: a -> c -> b -> a;" in messages["a.yaml"]
    assert "cycle: b -> a -> c -> b;" in messages["b.yaml"]


def test_folding_ascii_text_takes_the_short_way_to_the_same_words() -> None:
    import unicodedata

    from govlint.portfolio.text import fold

    def by_decomposition(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    texts = ["".join(map(chr, range(128))), "Coördinatie ÉÉN ﬁle", "Plain Text, OK?"]
    for text in texts:
        assert fold(text) == by_decomposition(text)


def test_the_compiled_stemmer_gives_the_pure_stemmers_words() -> None:
    """Clusters (and their ids) must not depend on whether PyStemmer is installed: the words
    of every purpose, name and description in the bundled examples stem alike both ways."""
    import pytest

    stemmer = pytest.importorskip("Stemmer", reason="PyStemmer is not installed here")
    from snowballstemmer.dutch_stemmer import DutchStemmer
    from snowballstemmer.english_stemmer import EnglishStemmer

    from govlint.portfolio.text import _WORD, _stemmer, fold

    root = Path(__file__).resolve().parents[1]
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("examples/**/*.yaml"))]
    found = {w for text in texts for w in _WORD.findall(fold(text)) if not w.isdigit()}
    assert len(found) > 500
    for language, pure in (("english", EnglishStemmer()), ("dutch", DutchStemmer())):
        assert isinstance(_stemmer(language), stemmer.Stemmer)  # the one govlint uses
        compiled = stemmer.Stemmer(language)
        differ = {w for w in found if compiled.stemWord(w) != pure.stemWord(w)}
        assert not differ, f"{language}: {sorted(differ)[:10]}"


ACME = {"supplier": "Acme", "name": "Scan Tool"}


def test_pre_commit_reports_the_clusters_of_the_changed_file_as_a_full_run_does(
    tmp_path: Path,
) -> None:
    """A pre-commit run builds the findings of the changed files' clusters only; what it
    reports is what a full run reports about (or with a related location in) that file."""
    write_portfolio(
        tmp_path,
        [
            {"id": "pair-a", "unit": "operations", "purpose": "Answers letters about parking."},
            {"id": "pair-b", "unit": "finance", "purpose": "Answers letters about parking!"},
            {"id": "other-a", "unit": "operations", "purpose": "Detects potholes in images."},
            {"id": "other-b", "unit": "hr", "purpose": "Detects potholes in images!"},
            {"id": "tool-a", "unit": "hr", "purpose": "Reads invoices.", "model": ACME},
            {"id": "tool-b", "unit": "finance", "purpose": "Sorts the post.", "model": ACME},
        ],
    )
    full = check(tmp_path)
    assert len(clusters(full)) == 3
    for changed in ("pair-b.yaml", "tool-a.yaml"):
        result = run_govlint(
            "check", "--pre-commit", changed, "--format", "json", "--no-cache", cwd=tmp_path
        )
        assert result.code in (0, 1), result
        reported = [
            f for f in json.loads(result.out)["findings"] if f["rule_id"] in ("CON-103", "CON-104")
        ]
        expected = [
            f
            for f in full
            if f["file"] == changed or any(r["file"] == changed for r in f["related"])
        ]
        assert expected and reported == expected


def test_pre_commit_on_the_registry_keeps_the_clusters_of_the_files_it_reports(
    tmp_path: Path,
) -> None:
    """A changed registry file pulls in the manifests whose references it breaks
    (``checker.dependents``); their duplicate findings are reported as before."""
    from conftest import EXAMPLE_REGISTRY

    write_portfolio(
        tmp_path,
        [
            {"id": "pair-a", "unit": "operations", "purpose": "Answers letters about parking."},
            {"id": "pair-b", "unit": "finance", "purpose": "Answers letters about parking!"},
        ],
    )
    (tmp_path / "policy" / "only.yaml").write_text(
        PACK.replace("[CON-103, CON-104]", "[CON-101, CON-103]"), encoding="utf-8"
    )
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "organisation.yaml").write_bytes(EXAMPLE_REGISTRY.read_bytes())
    (tmp_path / ".govlint.yaml").write_text(
        "manifests: ['*.yaml']\nregistry: [registry/*.yaml]\npolicies: [policy/only.yaml]\n",
        encoding="utf-8",
    )
    a = tmp_path / "pair-a.yaml"
    a.write_text(a.read_text() + "contribution: {platform: no-such-platform}\n")
    result = run_govlint(
        "check",
        "--pre-commit",
        "registry/organisation.yaml",
        "--format",
        "json",
        "--no-cache",
        cwd=tmp_path,
    )
    found = {(f["rule_id"], f["file"]) for f in json.loads(result.out)["findings"]}
    assert ("CON-101", "pair-a.yaml") in found, result
    assert ("CON-103", "pair-a.yaml") in found, result
