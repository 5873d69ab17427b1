"""What the rules ask of a manifest is worked out once per manifest and shared between its
rules (``condition.Answers``): never carried over to the next manifest, never mixed up
between two different conditions, and never taken for another manifest's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import base_manifest, with_registry
from test_application_dates import HIGH_RISK, not_legacy
from test_rule_language import base, make_rule, manifest_doc

from govlint.engine.condition import Answers, Condition
from govlint.engine.evaluate import assess, evaluate

ANNEX_III = "  annex_iii_area: employment-workers-management-and-access-to-self-employment\n"


def named(text: str, name: str) -> str:
    """The manifest with an id and name of its own."""
    return text.replace("id: example-initiative", f"id: {name}").replace(
        "name: Example initiative", f"name: {name}"
    )


def test_each_manifest_of_a_run_gets_its_own_answers(govlint, tmp_path: Path) -> None:
    # HUM-001 asks "is it high-risk?" and its dated rows ask "Annex I? a public body's
    # system in use since 2025?": the same questions, with other answers, manifest after
    # manifest in one run
    with_registry(tmp_path)
    manifests = {
        "a.yaml": HIGH_RISK,  # a public body's legacy system: 2030-08-02
        "b.yaml": base_manifest().replace("oversight: human-in-the-loop", "oversight: none"),
        "c.yaml": not_legacy(HIGH_RISK),  # Annex III: applies since 2027-12-02
        "d.yaml": not_legacy(HIGH_RISK, "2028-09-01").replace(
            ANNEX_III, "  annex_i_product: true\n"
        ),  # Annex I: 2028-08-02
        "e.yaml": HIGH_RISK,
    }
    for file, text in manifests.items():
        (tmp_path / file).write_text(named(text, file[0]), encoding="utf-8")
    result = govlint("check", "--no-cache", "-j1", "--today", "2028-01-15", *manifests)
    assert result.code == 1, result
    said = [
        (
            line.split(":")[0],
            line.split()[1],
            line.rpartition("(applies from ")[2].rstrip(")") if "applies from" in line else "",
        )
        for line in result.lines
        if " HUM-001 " in line
    ]
    assert said == [
        ("a.yaml", "info", "2030-08-02"),
        ("c.yaml", "error", ""),
        ("d.yaml", "info", "2028-08-02"),
        ("e.yaml", "info", "2030-08-02"),
    ]


def test_two_conditions_share_an_answer_only_when_they_test_the_same() -> None:
    high = make_rule(
        "when:\n  risk.tier: {equals: high}\nrequire:\n  risk.profiling: {equals: true}\n"
    )
    minimal = make_rule(
        "when:\n  risk.tier: {equals: minimal}\nrequire:\n  risk.profiling: {equals: true}\n"
    )
    again = make_rule(
        "when:\n  risk.tier: {equals: minimal}\nrequire:\n  purpose.horizon: {equals: new-service}\n"
    )
    doc = manifest_doc(base())  # minimal risk, no profiling
    answers = Answers(doc.data)
    found = [len(evaluate(rule, doc, answers=answers)) for rule in (high, minimal, again)]
    assert found == [0, 1, 1]
    assert high.when is not None and minimal.when is not None and again.when is not None
    assert minimal.when is not again.when and minimal.when.key == again.when.key
    assert high.when.key != minimal.when.key


def test_a_condition_that_is_not_plain_json_keys_only_itself() -> None:
    # a date and the text of that date are different values: no shared answer
    as_date = Condition.compile({"const": dt.date(2026, 1, 1)})
    as_text = Condition.compile({"const": "2026-01-01"})
    assert as_date.key != as_text.key and as_date.key == as_date.key
    for first, second in ((as_date, as_text), (as_text, as_date)):
        answers = Answers("2026-01-01")
        found = [answers.holds(first), answers.holds(second)]
        assert found == [first is as_text, second is as_text]


def test_answers_about_one_manifest_are_refused_for_another() -> None:
    rule = make_rule("require:\n  risk.profiling: {equals: true}\n")
    first, second = manifest_doc(base()), manifest_doc(base())
    answers = Answers(first.data)
    assert assess(rule, first, answers=answers).outcome == "fail"
    with pytest.raises(ValueError, match="another manifest"):
        assess(rule, second, answers=answers)
    with pytest.raises(ValueError, match="another manifest"):
        evaluate(rule, second, answers=answers)
