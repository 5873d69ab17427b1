"""The tricky parts of the register import on their own: ids, YAML text, columns, and
month-precision dates in the model and in the date rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import base_manifest, with_registry
from pydantic import ValidationError

from govlint.engine.condition import Condition, compare_date
from govlint.load import load_text
from govlint.model.base import SLUG_PATTERN, date_span
from govlint.model.initiative import Lifecycle
from govlint.registers.manifests import Draft, assign_ids, csv_rows, dump_yaml, slug
from govlint.registers.us_inventory import match_columns, parse_date

# --- ids -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Parkeerscan Centrum", "parkeerscan-centrum"),
        (
            "Café-/horecavergunning: risico's & prioriteit",
            "cafe-horecavergunning-risico-s-prioriteit",
        ),
        ("  --Zoëtermeer // Fryslân--  ", "zoetermeer-fryslan"),
        ("FR/2024/17", "fr-2024-17"),
        ("Ærø ñandú", "r-nandu"),  # Æ has no ASCII decomposition and is dropped
        ("日本語", ""),
        ("", ""),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_slug_is_cut_at_a_word_boundary() -> None:
    assert slug("aaaa bbbb cccc", 10) == "aaaa-bbbb"
    assert slug("a" * 30, 10) == "a" * 10


def _draft(record: int, name: str, source: str = "") -> Draft:
    return Draft(record, name, (slug(name, 60), slug(source, 30)), {})


def test_ids_are_unique_valid_and_follow_the_input_order() -> None:
    long_name = "Een heel lange naam " * 10
    drafts = [
        _draft(1, "Toeslagen"),
        _draft(2, "Toeslagen"),
        _draft(3, "Toeslagen", "NW-1"),
        _draft(4, "Toeslagen-2"),  # would collide with the suffix of record 2
        _draft(5, "Toeslagen"),
        _draft(6, "日本語"),
        *[_draft(7 + i, long_name, "X" * 40) for i in range(12)],
    ]
    result = [manifest_id for manifest_id, _ in assign_ids(drafts)]
    assert result[:6] == [
        "toeslagen",
        "toeslagen-2",
        "toeslagen-nw-1",
        "toeslagen-2-2",
        "toeslagen-3",
        "record-6",
    ]
    assert len(set(result)) == len(result)
    import re

    assert all(re.fullmatch(SLUG_PATTERN, i) and len(i) <= 100 for i in result)


# --- YAML text -----------------------------------------------------------------------

AWKWARD = [
    "yes",
    "No",
    "on",
    "1.0",
    "1.0.0",
    "007",
    "null",
    "~",
    "true",
    ".inf",
    "2023-05",
    "2023-05-01",
    "0x1F",
    "a: b",
    "# not a comment",
    "- not a list",
    "'quoted'",
    '"double"',
    "  leading and trailing  ",
    "line one\nline two",
    "line with trailing space \nnext",
    "\tstarts with a tab",
    "ends with newlines\n\n",
    "\nstarts with a newline",
    "tab\tinside\nand a second line",
    "Ûntwikkelers Fryslân – “quotes” ✓",
    "@at",
    "*star",
    "&amp",
    "!bang",
    "%percent",
    "`backtick",
    "{brace}",
    "[bracket]",
    "x" * 300,
    "",
]


def test_yaml_text_reads_back_as_the_same_data() -> None:
    data = {
        "apiVersion": "govlint/v1",
        "kind": "Initiative",
        "values": AWKWARD,
        "mapping": {f"k{i}": v for i, v in enumerate(AWKWARD)},
        "numbers": [1, 2.5, True, None],
    }
    text = dump_yaml(data)
    loaded = load_text(text, "t.yaml")
    assert not loaded.findings
    assert loaded.documents[0].data == data


def test_yaml_text_is_block_style_and_shows_long_text_as_written() -> None:
    text = dump_yaml({"purpose": {"summary": "First line.\nSecond line."}, "list": ["a", "b"]})
    assert text == ("purpose:\n  summary: |-\n    First line.\n    Second line.\nlist:\n- a\n- b\n")


def test_yaml_text_survives_editors_and_yaml_1_1_tools() -> None:
    text = dump_yaml({"values": AWKWARD})
    # no line ends in a space: an editor that trims trailing whitespace changes nothing
    assert all(line == line.rstrip(" ") for line in text.splitlines())
    # words that YAML 1.1 tools read as booleans are quoted, though govlint reads them as text
    for word in ("yes", "No", "on"):
        assert f'- "{word}"\n' in text


# --- CSV and columns -------------------------------------------------------------------


def test_csv_separator_is_taken_from_the_header() -> None:
    header, rows = csv_rows('name;"note, with comma"\nA;"x;y"\n', "f.csv")
    assert header == ["name", "note, with comma"]
    assert rows == [{"name": "A", "note, with comma": "x;y"}]
    header, rows = csv_rows("name,status\nA\n\n", "f.csv")
    assert rows == [{"name": "A", "status": ""}]  # short rows are padded, empty rows skipped


def test_columns_are_matched_by_normalised_header() -> None:
    columns = match_columns(
        [
            "Use Case Name",
            "USE_CASE_ID",
            "Stage of Development ",
            "What problem is the AI intended to solve? (describe)",
            "Vendor(s) Name",
            "Mystery column",
            "use_case_name",
        ]
    )
    assert columns.by_header == {
        "Use Case Name": "use_case_name",
        "USE_CASE_ID": "id",
        "Stage of Development ": "development_stage",
        "What problem is the AI intended to solve? (describe)": "problem_solved",
        "Vendor(s) Name": "vendor_name",
    }
    # the second spelling of a column already matched is kept as it is, not merged
    assert columns.unknown == ("Mystery column", "use_case_name")
    assert columns.missing == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-05-01", "2023-05-01"),
        ("2023-5-1", "2023-05-01"),
        ("5/1/2023", "2023-05-01"),
        ("2023-05-01T00:00:00", "2023-05-01"),
        ("2023-05", "2023-05"),
        ("05/2023", "2023-05"),
        ("2/30/2023", None),
        ("13/2024", None),
        ("FY2023", None),
        ("", None),
    ],
)
def test_inventory_dates(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


# --- month-precision dates -----------------------------------------------------------


def test_a_month_spans_its_days() -> None:
    assert date_span("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_span("2023-12") == (dt.date(2023, 12, 1), dt.date(2023, 12, 31))
    assert date_span("2023-05-14") == (dt.date(2023, 5, 14), dt.date(2023, 5, 14))
    for bad in ("2023-13", "2023-00", "2023-5", "202305", "2023-02-30", "May 2023", "0000-01"):
        assert date_span(bad) is None, bad


def test_go_live_and_retirement_take_a_month_other_dates_do_not() -> None:
    lifecycle = Lifecycle.model_validate(
        {"status": "retired", "go_live": "2019-01", "retirement": "2023-06-30"}
    )
    assert lifecycle.go_live == dt.date(2019, 1, 1)
    with pytest.raises(ValidationError, match="write it as YYYY-MM-DD, or YYYY-MM for a month"):
        Lifecycle.model_validate({"status": "retired", "retirement": "2023-13"})
    with pytest.raises(ValidationError, match="write it as YYYY-MM-DD"):
        Lifecycle.model_validate({"status": "production", "review_date": "2027-01"})


def test_the_published_schema_documents_month_dates() -> None:
    from govlint.schema import json_schema

    lifecycle = json_schema("initiative")["$defs"]["Lifecycle"]["properties"]
    go_live = next(s for s in lifecycle["go_live"]["anyOf"] if s.get("type") == "string")
    assert go_live["pattern"] == "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"
    review = next(s for s in lifecycle["review_date"]["anyOf"] if s.get("type") == "string")
    assert review == {"format": "date", "type": "string"}


BOUND = dt.date(2026, 11, 15)


@pytest.mark.parametrize(
    ("value", "before", "after", "on_or_before", "on_or_after"),
    [
        ("2026-10", True, False, True, False),
        # the month of the bound: neither before nor after it, both on or before and on or after
        ("2026-11", False, False, True, True),
        ("2026-12", False, True, False, True),
        ("2026-11-14", True, False, True, False),
        ("2026-11-15", False, False, True, True),
        ("2026-11-16", False, True, False, True),
    ],
)
def test_date_comparisons_at_month_precision(
    value: str, before: bool, after: bool, on_or_before: bool, on_or_after: bool
) -> None:
    expected = {
        "x-before": before,
        "x-after": after,
        "x-on-or-before": on_or_before,
        "x-on-or-after": on_or_after,
    }
    for keyword, holds in expected.items():
        assert compare_date(keyword, value, BOUND) is holds, keyword
        schema = {"properties": {"d": {keyword: BOUND.isoformat()}}}
        # both validators give the same answer (the fast one when it is installed)
        for fast in (True, False):
            assert Condition.compile(schema, fast=fast).holds({"d": value}) is holds
    assert compare_date("x-before", "May 2026", BOUND) is None


def _portfolio(folder: Path, lifecycle: str) -> None:
    with_registry(folder)
    text = base_manifest().split("lifecycle:")[0] + "lifecycle:\n" + lifecycle
    (folder / "m.yaml").write_text(text, encoding="utf-8")


def test_go_live_month_of_today_is_not_in_the_future(govlint, tmp_path: Path) -> None:
    _portfolio(tmp_path, "  status: production\n  review_date: 2099-12-31\n  go_live: 2026-11\n")
    result = govlint("check", "--today=2026-11-15", "--fail-on=info", "m.yaml")
    assert result.code == 0, result
    _portfolio(tmp_path, "  status: production\n  review_date: 2099-12-31\n  go_live: 2026-12\n")
    result = govlint("check", "--today=2026-11-15", "--fail-on=info", "m.yaml")
    assert "LIF-004" in result.out and result.code == 1


def test_planned_retirement_month_passes_only_after_it_ends(govlint, tmp_path: Path) -> None:
    lifecycle = "  status: production\n  review_date: 2099-12-31\n  retirement: 2026-11\n"
    _portfolio(tmp_path, lifecycle)
    assert "LIF-008" not in govlint("check", "--today=2026-11-30", "m.yaml").out
    assert "LIF-008" in govlint("check", "--today=2026-12-01", "m.yaml").out
