"""Registry lookups in per-manifest rules: ``{registry: {section: clause}}``, answered from the
registry of the run (in the cache key and in parallel workers), not assessable when the value
names no entry, and checked when the rule is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLE_BASE, EXAMPLE_REGISTRY, REPO
from test_cache import plant, read_cache

RULE = """\
apiVersion: govlint/v1
kind: Rule
id: ORG-002
name: supplier-approved
title: A third-party model comes from a supplier whose approval has not ended
principle: contribution
severity: warning
require:
  model.supplier: {registry: {suppliers: {not: {approved_until: {before: today}}}}}
message: "{metadata.name} uses a model from {model.supplier}, whose approval has ended"
rationale: Procurement approves suppliers for a period.
remediation: Renew the approval.
references:
  - {id: "ORG-2026:procurement", kind: good-practice}
examples:
  today: 2026-06-01
  registry:
    suppliers:
      - {id: acme-ai, name: Acme AI, approved_until: 2026-12-31}
      - {id: old-ai, name: Old AI, approved_until: 2025-12-31}
  pass: [{model: {supplier: acme-ai, in_house: false}}]
  fail: [{model: {supplier: old-ai, in_house: false}}]
"""

SUPPLIERS = "suppliers:\n  - {id: acme-ai, name: Acme AI, approved_until: UNTIL}\n"


def organisation(tmp_path: Path, until: str = "2026-12-31", supplier: str = "acme-ai") -> Path:
    """Two manifests using ``supplier``, a registry approving acme-ai until ``until``, and
    the rule ORG-002 only."""
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "ORG-002.yaml").write_text(RULE)
    (tmp_path / ".govlint.yaml").write_text(
        "manifests: [initiatives/*.yaml]\nregistry: [registry.yaml]\nrule_paths: [rules]\n"
        "policies: [pack.yaml]\n"
    )
    (tmp_path / "pack.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Policy\nname: org\ninclude: {rules: [ORG-002]}\n"
    )
    (tmp_path / "initiatives").mkdir(exist_ok=True)
    base = EXAMPLE_BASE.read_text()
    for name in ("one", "two"):
        text = base.replace("id: example-initiative", f"id: {name}").replace(
            "  name: crew-planner\n", f"  name: crew-planner\n  supplier: {supplier}\n"
        )
        text = text.replace("in_house: true", "in_house: false")
        (tmp_path / "initiatives" / f"{name}.yaml").write_text(text)
    registry = EXAMPLE_REGISTRY.read_text() + SUPPLIERS.replace("UNTIL", until)
    (tmp_path / "registry.yaml").write_text(registry)
    return tmp_path


def own(lines: list[str]) -> list[str]:
    return [line for line in lines if " ORG-002 " in line]


def test_a_supplier_whose_approval_ended_is_reported(govlint, tmp_path: Path) -> None:
    organisation(tmp_path, until="2026-01-31")
    result = govlint("check", "--today", "2026-06-01")
    assert own(result.lines) == [
        "initiatives/one.yaml:35:13: warning ORG-002 Example initiative uses a model from "
        "acme-ai, whose approval has ended",
        "initiatives/two.yaml:35:13: warning ORG-002 Example initiative uses a model from "
        "acme-ai, whose approval has ended",
    ], result
    assert govlint("check", "--today", "2026-01-31").code == 0


def test_an_extension_named_like_the_lookup_placeholder_is_just_a_field(
    govlint, tmp_path: Path
) -> None:
    # a declared x-registry field in the same rule: a name, never the engine's placeholder
    organisation(tmp_path, until="2026-01-31")
    config = tmp_path / ".govlint.yaml"
    config.write_text(config.read_text() + "extensions:\n  metadata.x-registry: {type: text}\n")
    rule = tmp_path / "rules" / "ORG-002.yaml"
    rule.write_text(
        rule.read_text().replace(
            "require:\n", "when:\n  metadata.x-registry: {equals: a}\nrequire:\n"
        )
    )
    one = tmp_path / "initiatives" / "one.yaml"
    one.write_text(one.read_text().replace("  id: one\n", "  id: one\n  x-registry: a\n"))
    result = govlint("check", "--today", "2026-06-01", "--no-cache")
    assert result.code == 0, result  # warnings only
    assert [line.split(":")[0] for line in own(result.lines)] == ["initiatives/one.yaml"]


def test_an_unknown_supplier_is_not_assessable_not_a_finding(govlint, tmp_path: Path) -> None:
    organisation(tmp_path, supplier="nobody-ai")
    result = govlint("check", "--today", "2026-06-01", "--no-cache")
    assert own(result.lines) == [], result
    assert "not assessable" in result.out
    assert "until model.supplier is filled in or fixed (ORG-002)" in result.out


def test_without_a_registry_the_lookup_is_not_assessable(govlint, tmp_path: Path) -> None:
    organisation(tmp_path)
    (tmp_path / "registry.yaml").unlink()
    config = tmp_path / ".govlint.yaml"
    config.write_text(config.read_text().replace("registry: [registry.yaml]\n", ""))
    result = govlint("check", "--today", "2026-06-01", "--no-cache")
    assert own(result.lines) == [], result
    assert "until model.supplier is filled in or fixed (ORG-002)" in result.out


def test_the_registry_is_part_of_the_cache_key(govlint, tmp_path: Path) -> None:
    organisation(tmp_path)
    assert own(govlint("check", "--today", "2026-06-01").lines) == []
    registry = tmp_path / "registry.yaml"
    registry.write_text(registry.read_text().replace("2026-12-31", "2026-01-31"))
    result = govlint("check", "--today", "2026-06-01")
    assert len(own(result.lines)) == 2, result


def test_parallel_workers_see_the_registry(govlint, tmp_path: Path) -> None:
    organisation(tmp_path, until="2026-01-31")
    serial = govlint("check", "--today", "2026-06-01", "--no-cache", "--jobs", "1")
    parallel = govlint("check", "--today", "2026-06-01", "--no-cache", "--jobs", "2")
    assert len(own(serial.lines)) == 2
    assert parallel.out == serial.out


def test_govlint_test_runs_lookup_examples_with_their_registry(govlint, tmp_path: Path) -> None:
    organisation(tmp_path)
    result = govlint("test", "rules")
    assert result.code == 0, result
    assert result.lines[-1] == "1 rule, 2 examples: 2 passed, 0 failed"
    rule = tmp_path / "rules" / "ORG-002.yaml"
    rule.write_text(RULE.replace("name: Old AI, ", "nam: Old AI, "))
    result = govlint("test", "rules")
    assert result.code == 1
    assert (
        "rules/ORG-002.yaml:21:10: ORG-002 pass example 1: examples.registry is not a valid "
        "registry: "
    ) in result.out
    assert "unknown key 'nam' in suppliers[1] (did you mean 'name'?)" in result.out


def test_a_fail_example_naming_no_entry_says_not_assessable(govlint, tmp_path: Path) -> None:
    organisation(tmp_path)
    rule = tmp_path / "rules" / "ORG-002.yaml"
    rule.write_text(
        RULE.replace("fail: [{model: {supplier: old-ai", "fail: [{model: {supplier: new-ai")
    )
    result = govlint("test", "rules")
    assert result.code == 1
    assert (
        "ORG-002 fail example 1: not assessable: model.supplier names no entry of the example "
        "registry"
    ) in result.out


def load_errors(govlint, tmp_path: Path, require: str) -> str:
    organisation(tmp_path)
    rule = tmp_path / "rules" / "ORG-002.yaml"
    rule.write_text(
        RULE.replace(
            "  model.supplier: {registry: {suppliers: {not: {approved_until: {before: today}}}}}\n",
            require,
        )
    )
    result = govlint("check", "--today", "2026-06-01")
    assert result.code == 2, result
    return result.err


def test_an_unknown_section_is_refused_with_a_suggestion(govlint, tmp_path: Path) -> None:
    err = load_errors(govlint, tmp_path, "  model.supplier: {registry: {supplier: {}}}\n")
    assert (
        "rules/ORG-002.yaml:9:31: error GL030 'supplier' is not a registry section; did you "
        "mean 'suppliers'?"
    ) in err


def test_an_entry_field_typo_is_refused_with_a_suggestion(govlint, tmp_path: Path) -> None:
    require = (
        "  model.supplier:\n    registry:\n      suppliers: {approved_untl: {before: today}}\n"
    )
    err = load_errors(govlint, tmp_path, require)
    assert (
        "rules/ORG-002.yaml:11:19: error GL030 'approved_untl' is not a field of an entry of "
        "suppliers: it has no key 'approved_untl'; did you mean 'approved_until'?"
    ) in err


def test_a_lookup_on_a_value_that_is_no_id_is_refused(govlint, tmp_path: Path) -> None:
    err = load_errors(govlint, tmp_path, "  model.logging: {registry: suppliers}\n")
    assert (
        "rules/ORG-002.yaml:9:29: error GL030 'registry' looks up an id written as text; the "
        "value here is true or false"
    ) in err


def test_a_portfolio_rule_cannot_use_the_operator(govlint, tmp_path: Path) -> None:
    organisation(tmp_path)
    rule = tmp_path / "rules" / "ORG-002.yaml"
    rule.write_text(
        RULE.replace("severity: warning\n", "severity: warning\nscope: portfolio\n").replace(
            "require:\n",
            "select:\n  model.supplier: {registry: suppliers}\ngroup_by: "
            "metadata.unit\nrequire:\n  count: {max: 3}\n#",
            1,
        )
    )
    result = govlint("check", "--today", "2026-06-01")
    assert result.code == 2, result
    assert "the 'registry' operator is for per-manifest rules" in result.err


def test_dat_040_reports_the_glossary_disagreement_in_the_examples(govlint, tmp_path: Path) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    result = govlint("check", "examples", "--today", "2026-11-29", "--select", "DAT-040")
    assert [line for line in result.lines if " DAT-040 " in line] == [
        "examples/initiatives/customer-service-chatbot.yaml:45:22: warning DAT-040 Ask "
        "Voorbeeld chatbot: data source 'knowledge-base' uses glossary term citizen-question, "
        "which the registry's glossary marks as personal data, but the source is not marked "
        "personal_data: true; mark it (and give its lawful basis and retention), or correct "
        "the glossary term"
    ], result


def test_the_cache_key_is_the_same_in_every_process(govlint, tmp_path: Path) -> None:
    # several entries: a set of ids is ordered differently from process to process
    organisation(tmp_path)
    with (tmp_path / "registry.yaml").open("a") as f:
        for i in range(8):
            f.write(f"  - {{id: supplier-{i}, name: Supplier {i}}}\n")
    govlint("check", "--today", "2026-06-01")
    [entries] = (tmp_path / ".govlint_cache").glob("cache-v*-*.json")
    data = read_cache(entries)
    key = next(k for k in data["files"] if k.startswith("initiatives/two.yaml"))
    planted = ["GL011", "error", "planted", ["initiatives/two.yaml", [2, 1, 2, 2], ""], [], False]
    data["files"][key][1]["f"].append([*planted, None])
    plant(entries, data)
    one = tmp_path / "initiatives" / "one.yaml"
    one.write_text(one.read_text() + "# changed\n")
    result = govlint("check", "--today", "2026-06-01")
    assert "planted" in result.out, result  # two.yaml came from the per-file cache
