"""The rules as reports describe them, kept in the run record: every bundled rule comes back
from its record exactly, and a record that is not one is refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from govlint.described import Cited, Described, describe
from govlint.engine.rules import load_rules
from govlint.findings import Severity

REPO = Path(__file__).parent.parent
RULES = load_rules([(REPO / "rules", "rules")], dt.date(2026, 11, 29)).rules


def test_every_bundled_rule_comes_back_from_its_record() -> None:
    described = describe(RULES.values())
    assert len(described) == len(RULES) > 60
    for rule in RULES.values():
        item = described[rule.id]
        assert (item.title, item.rationale, item.help_uri) == (
            rule.spec.title,
            rule.spec.rationale,
            rule.help_uri,
        )
        # through the JSON text the run record is written as
        assert Described.from_json(json.loads(json.dumps(item.to_json()))) == item


def test_what_a_record_keeps_of_a_rule() -> None:
    rule = RULES["HUM-001"]
    item = Described.of(rule.configured(Severity.WARNING))
    assert item.severity is Severity.WARNING  # as configured, not as the file says
    ref = rule.spec.references[0]
    assert item.references[0] == Cited(ref.id, ref.title, ref.url, ref.kind)
    assert item.aliases == tuple(rule.spec.aliases)


GOOD = describe([RULES["HUM-001"]])["HUM-001"].to_json()


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "HUM-001",
        GOOD[:-1],
        [*GOOD[:2], 5, *GOOD[3:]],
        [*GOOD[:6], "fatal", *GOOD[7:]],
        [*GOOD[:7], "HUM-000", *GOOD[8:]],  # aliases are a list
        [*GOOD[:8], ["EU:1"], GOOD[9]],  # a reference is a list of four, not four letters
        [*GOOD[:8], [["EU:1", None, None]], GOOD[9]],
        [*GOOD[:9], 1],
    ],
)
def test_a_record_that_is_not_one_is_refused(raw: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        Described.from_json(raw)
