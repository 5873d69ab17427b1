"""The fast validator (jsonschema-rs) and jsonschema must agree on every built-in rule."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EXAMPLES, REPO

from govlint.engine.condition import Condition, json_safe
from govlint.engine.rules import load_rules
from govlint.engine.ruletest import example_base, merge
from govlint.load import load_file

pytest.importorskip("jsonschema_rs")


def manifests() -> list[dict]:
    rules = load_rules([(REPO / "rules", "rules")], dt.date(2026, 11, 29)).rules.values()
    out = [d.data for p in sorted(EXAMPLES.rglob("*.yaml")) for d in load_file(p).documents]
    for rule in rules:
        if rule.spec.scope != "initiative":
            continue
        for fragment in [*rule.spec.examples.pass_, *rule.spec.examples.fail]:
            out.append(merge(example_base(), fragment))
    return [m for m in out if isinstance(m, dict) and m.get("kind") == "Initiative"]


def test_fast_and_reference_engines_agree_on_builtin_rules() -> None:
    ruleset = load_rules([(REPO / "rules", "rules")], dt.date(2026, 11, 29))
    data = manifests()
    compared = 0
    for rule in ruleset.rules.values():
        for condition in (rule.when, rule.require):
            if condition is None:
                continue
            assert condition.fast is not None, f"{rule.id}: no fast validator"
            for manifest in data:
                assert condition.fast.is_valid(manifest) == condition.python.is_valid(manifest), (
                    rule.id,
                    manifest["metadata"]["id"],
                )
                compared += 1
    assert compared > 5000


def test_fallback_when_the_fast_validator_cannot_take_the_input() -> None:
    condition = Condition.compile({"properties": {"x": {"type": "number", "maximum": 3}}})
    assert condition.holds({"x": 2}) and not condition.holds({"x": 5})
    # infinite numbers are not JSON, and the validators differ on them: jsonschema answers
    data = {"x": float("-inf")}
    assert not json_safe(data)
    assert condition.holds(data, json_safe=json_safe(data))
    lookbehind = Condition.compile({"pattern": "(?<=a)b"})
    assert lookbehind.holds("ab") and not lookbehind.holds("cb")


@pytest.mark.parametrize(
    ("keyword", "holds"),
    [
        ("x-before", {"2026-11-28"}),
        ("x-after", {"2027-01-01"}),
        ("x-on-or-before", {"2026-11-28", "2026-11-29"}),
        ("x-on-or-after", {"2026-11-29", "2027-01-01"}),
    ],
)
def test_dates_agree(keyword: str, holds: set[str]) -> None:
    condition = Condition.compile({keyword: "2026-11-29"})
    assert condition.fast is not None  # else the comparison below is jsonschema with itself
    for value in ("2026-11-28", "2026-11-29", "2027-01-01", "garbage", "2026-02-30", 5):
        expected = value in holds
        assert condition.fast.is_valid(value) is expected, value
        assert condition.python.is_valid(value) is expected, value
