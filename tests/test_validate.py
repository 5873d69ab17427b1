"""Validation: a loaded document is checked against its model, every problem is a finding.

The manifests are real files in a temporary folder; the expected positions are read off
the YAML text in this file (1-based lines and columns, exclusive end).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import EXAMPLE_BASE, EXAMPLES

from govlint.findings import Severity, Span
from govlint.load import load_file
from govlint.model.initiative import Initiative
from govlint.model.organisation import Organisation
from govlint.registry import merge_registry
from govlint.validate import Checked, check_document, is_govlint_document

# A small valid initiative with only the required sections (plus one data source).
MINIMAL = """\
apiVersion: govlint/v1
kind: Initiative
metadata:
  id: crew-planner
  name: Crew planner
  unit: operations
  owner:
    name: Alex Example
purpose:
  summary: Suggests maintenance crew schedules.
  horizon: redesign
risk:
  tier: minimal
data:
  sources:
    - name: work-orders
      personal_data: false
lifecycle:
  status: production
  review_date: 2099-12-31
"""


def check(folder: Path, text: str, name: str = "initiative.yaml") -> list[Checked]:
    """Write ``text`` to a file, load it and check every document in it."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    result = load_file(path, display=name)
    assert result.findings == [], "the test YAML must load cleanly"
    return [check_document(doc) for doc in result.documents]


def check_one(folder: Path, text: str) -> Checked:
    [checked] = check(folder, text)
    return checked


def edited(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


# --- valid documents ------------------------------------------------------------------


def test_minimal_initiative_is_valid(tmp_path: Path) -> None:
    checked = check_one(tmp_path, MINIMAL)
    assert checked.findings == ()
    assert checked.kind == "Initiative"
    assert isinstance(checked.model, Initiative)
    assert checked.id == "crew-planner"
    assert checked.model.risk.tier == "minimal"
    assert checked.model.lifecycle.review_date == dt.date(2099, 12, 31)
    assert checked.model.data is not None
    assert checked.model.data.sources[0].personal_data is False


def test_example_base_and_shipped_examples_are_valid() -> None:
    paths = [EXAMPLE_BASE, *sorted(EXAMPLES.rglob("*.yaml"))]
    for path in paths:
        result = load_file(path)
        assert result.findings == [], path
        for doc in result.documents:
            checked = check_document(doc)
            assert checked.findings == (), (path, checked.findings)
            assert checked.model is not None


def test_extension_keys_are_allowed_at_every_level(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace("kind: Initiative\n", "kind: Initiative\nx-portfolio: digital\n")
        .replace("    name: Alex Example\n", "    name: Alex Example\n    x-employee-id: 1234\n")
        .replace(
            "      personal_data: false\n", "      personal_data: false\n      x-system: sap\n"
        )
        .replace("  status: production\n", "  status: production\n  x-ticket: {id: GOV-12}\n")
    )
    checked = check_one(tmp_path, text)
    assert checked.findings == ()
    assert checked.model is not None


def test_several_documents_are_checked_one_by_one(tmp_path: Path) -> None:
    org = "apiVersion: govlint/v1\nkind: Organisation\nunits:\n  - {id: operations, name: Ops}\n"
    first, second = check(tmp_path, MINIMAL + "---\n" + org)
    assert (first.kind, second.kind) == ("Initiative", "Organisation")
    assert isinstance(second.model, Organisation)
    assert second.document.index == 1


# --- GL010 unknown key ----------------------------------------------------------------


def test_unknown_key_suggests_the_closest_valid_key(tmp_path: Path) -> None:
    checked = check_one(tmp_path, MINIMAL + "human_rol:\n  oversight: human-in-the-loop\n")
    assert checked.model is None
    [finding] = checked.findings
    assert finding.rule_id == "GL010"
    assert finding.severity is Severity.ERROR
    assert finding.input_error is False
    assert finding.file == "initiative.yaml"
    assert finding.location.span == Span(21, 1, 21, 10)  # the key "human_rol"
    assert finding.path == "human_rol"
    assert finding.message.startswith(
        "unknown key 'human_rol' in the top level (did you mean 'human_role'?)"
    )


def test_unknown_key_inside_a_list_item(tmp_path: Path) -> None:
    text = edited(
        "      personal_data: false\n",
        "      personal_data: false\n      lawfull_basis: public-task\n",
    )
    [finding] = check_one(tmp_path, text).findings
    assert finding.rule_id == "GL010"
    assert finding.location.span == Span(18, 7, 18, 20)
    assert finding.path == "data.sources[0].lawfull_basis"
    assert "(did you mean 'lawful_basis'?)" in finding.message


def test_unknown_key_without_a_close_match_lists_the_valid_keys(tmp_path: Path) -> None:
    text = edited("  tier: minimal\n", "  tier: minimal\n  colour: amber\n")
    [finding] = check_one(tmp_path, text).findings
    assert finding.rule_id == "GL010"
    assert finding.location.span == Span(14, 3, 14, 9)
    assert (
        "valid keys: tier, annex_iii_area, annex_iii_point, annex_i_product, "
        "prohibited_practice_screening, high_impact, high_risk_exemption, profiling, rationale"
        in finding.message
    )
    assert "'x-'" in finding.message


# --- GL011 invalid value --------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "span", "path", "message"),
    [
        pytest.param(
            "      personal_data: false\n",
            '      personal_data: "yes"\n',
            Span(17, 22, 17, 27),
            "data.sources[0].personal_data",
            "data.sources[0].personal_data: expected a boolean (true or false), "
            "got the string 'yes'",
            id="string-for-boolean",
        ),
        pytest.param(
            "  horizon: redesign\n",
            "  horizon: optimse\n",
            Span(11, 12, 11, 19),
            "purpose.horizon",
            "purpose.horizon: 'optimse' is not allowed (did you mean 'optimise'?); "
            "expected one of: optimise, redesign, new-service",
            id="enum-typo",
        ),
        pytest.param(
            "  review_date: 2099-12-31\n",
            "  review_date: 2026-13-01\n",
            Span(20, 16, 20, 26),
            "lifecycle.review_date",
            "lifecycle.review_date: '2026-13-01' is not a date; write it as YYYY-MM-DD",
            id="month-13",
        ),
        pytest.param(
            "  id: crew-planner\n",
            "  id: Crew_Planner\n",
            Span(4, 7, 4, 19),
            "metadata.id",
            "metadata.id: 'Crew_Planner' is not a valid id; use lowercase letters, digits "
            "and single hyphens, e.g. 'customer-chatbot'",
            id="bad-slug",
        ),
        pytest.param(
            "  tier: minimal\n",
            "  tier: 3\n",
            Span(13, 9, 13, 10),
            "risk.tier",
            "risk.tier: 3 is not allowed; expected one of: prohibited, high, limited, minimal",
            id="number-for-enum",
        ),
        pytest.param(
            "    name: Alex Example\n",
            "    name: ''\n",
            Span(8, 11, 8, 13),
            "metadata.owner.name",
            "metadata.owner.name: must not be empty",
            id="empty-string",
        ),
        pytest.param(
            "  sources:\n    - name: work-orders\n      personal_data: false\n",
            "  sources: work-orders\n",
            Span(15, 12, 15, 23),
            "data.sources",
            "data.sources: expected a list, got the string 'work-orders'",
            id="string-for-list",
        ),
    ],
)
def test_invalid_value_points_at_the_value(
    tmp_path: Path, old: str, new: str, span: Span, path: str, message: str
) -> None:
    checked = check_one(tmp_path, edited(old, new))
    assert checked.model is None
    [finding] = checked.findings
    assert finding.rule_id == "GL011"
    assert finding.input_error is False
    assert finding.location.span == span
    assert finding.path == path
    assert finding.message == message


def test_a_mapping_given_as_a_string(tmp_path: Path) -> None:
    text = edited("  owner:\n    name: Alex Example\n", "  owner: Alex Example\n")
    [finding] = check_one(tmp_path, text).findings
    assert finding.rule_id == "GL011"
    # a value that should be a mapping but is a scalar points at the scalar
    assert finding.location.span == Span(7, 10, 7, 22)
    assert finding.message == "metadata.owner: expected a mapping, got the string 'Alex Example'"


def test_empty_enum_value_is_described_in_yaml_terms(tmp_path: Path) -> None:
    [finding] = check_one(tmp_path, edited("  tier: minimal\n", "  tier:\n")).findings
    assert finding.rule_id == "GL011"
    assert finding.line == 13
    assert "None" not in finding.message


# --- GL012 missing key ----------------------------------------------------------------


def test_missing_key_points_at_the_parent_key(tmp_path: Path) -> None:
    text = edited("  tier: minimal\n", "  rationale: Internal planning support.\n")
    [finding] = check_one(tmp_path, text).findings
    assert finding.rule_id == "GL012"
    assert finding.location.span == Span(12, 1, 12, 5)  # "risk"
    assert finding.path == "risk.tier"
    assert finding.message == "missing required key 'tier' in risk; add it"


def test_missing_nested_key_points_at_its_own_parent(tmp_path: Path) -> None:
    text = edited("    name: Alex Example\n", "    role: Product owner\n")
    [finding] = check_one(tmp_path, text).findings
    assert finding.rule_id == "GL012"
    assert finding.location.span == Span(7, 3, 7, 8)  # "owner"
    assert finding.message == "missing required key 'name' in metadata.owner; add it"


def test_missing_top_level_section_points_at_the_start(tmp_path: Path) -> None:
    text = edited("lifecycle:\n  status: production\n  review_date: 2099-12-31\n", "")
    [finding] = check_one(tmp_path, text).findings
    assert finding.rule_id == "GL012"
    assert (finding.line, finding.column) == (1, 1)
    assert finding.message == "missing required key 'lifecycle' in the top level; add it"


def test_every_problem_of_a_manifest_is_reported(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace("  horizon: redesign\n", "  horizon: optimse\n")
        .replace("  tier: minimal\n", "  rationale: x\n")
        .replace("  status: production\n", "  status: production\n  reveiw_date: 2026-01-01\n")
    )
    checked = check_one(tmp_path, text)
    found = sorted((f.line, f.column, f.rule_id, f.path) for f in checked.findings)
    assert found == [
        (11, 12, "GL011", "purpose.horizon"),
        (12, 1, "GL012", "risk.tier"),
        (20, 3, "GL010", "lifecycle.reveiw_date"),
    ]


# --- GL004 not a govlint document -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        pytest.param(
            "- apiVersion: govlint/v1\n- kind: Initiative\n",
            1,
            1,
            "document is a list, not a mapping",
            id="list",
        ),
        pytest.param(
            "just a sentence\n", 1, 1, "document is the string 'just a sentence'", id="str"
        ),
        pytest.param(
            "kind: Initiative\nmetadata: {}\n",
            1,
            1,
            "missing 'apiVersion'; add 'apiVersion: govlint/v1' at the top",
            id="no-apiVersion",
        ),
        pytest.param(
            "apiVersion: govlint/v2\nkind: Initiative\n",
            1,
            13,
            "unknown apiVersion 'govlint/v2'; this govlint reads 'govlint/v1'",
            id="apiVersion-v2",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Initiatve\n",
            2,
            7,
            "unknown kind 'Initiatve'; expected one of: Initiative, Organisation, Waivers "
            "(did you mean 'Initiative'?)",
            id="kind-typo",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: organisation\n",
            2,
            7,
            "(did you mean 'Organisation'?)",
            id="kind-lowercase",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nmetadata: {}\n",
            1,
            1,
            "missing 'kind'; add 'kind: Initiative' or 'kind: Organisation'",
            id="no-kind",
        ),
    ],
)
def test_not_a_govlint_document(
    tmp_path: Path, text: str, line: int, column: int, message: str
) -> None:
    checked = check_one(tmp_path, text)
    assert checked.kind is None
    assert checked.model is None
    [finding] = checked.findings
    assert finding.rule_id == "GL004"
    assert finding.input_error is True
    assert finding.severity is Severity.ERROR
    assert (finding.line, finding.column) == (line, column)
    assert message in finding.message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"apiVersion": "govlint/v1", "kind": "Initiative"}, True),
        ({"apiVersion": "govlint/v2"}, True),
        ({"kind": "Organisation"}, True),
        ({"apiVersion": "apps/v1", "kind": "Deployment"}, False),
        ({"name": "ci", "on": "push"}, False),
        (["apiVersion: govlint/v1"], False),
        ("govlint/v1", False),
        (None, False),
    ],
)
def test_is_govlint_document(data: object, expected: bool) -> None:
    assert is_govlint_document(data) is expected


# --- the organisation registry --------------------------------------------------------

UNITS = """\
apiVersion: govlint/v1
kind: Organisation
units:
  - id: hr
    name: Human Resources
  - id: finance
    name: Finance
"""

GLOSSARY = """\
apiVersion: govlint/v1
kind: Organisation
glossary:
  - id: applicant
    definition: A person who applied for a vacancy.
units:
  - {id: finance, name: Finance department}
"""


def test_registry_id_defined_in_two_files(tmp_path: Path) -> None:
    checked = check(tmp_path, UNITS, "units.yaml") + check(tmp_path, GLOSSARY, "glossary.yaml")
    registry, findings = merge_registry(checked)
    assert registry.files == ["units.yaml", "glossary.yaml"]
    assert registry.ids("units") == ["hr", "finance"]
    assert registry.ids("glossary") == ["applicant"]
    [finding] = findings
    assert finding.rule_id == "GL020"
    assert finding.file == "glossary.yaml"
    assert finding.location.span == Span(7, 10, 7, 17)  # "finance" in the flow mapping
    assert finding.path == "units[0].id"
    [first] = finding.related
    assert (first.file, first.span) == ("units.yaml", Span(6, 9, 6, 16))
    assert finding.message == (
        "units entry 'finance' is already defined at units.yaml:6; keep one definition"
    )
    # the first definition is the one kept
    assert registry.entries["units"]["finance"].location.file == "units.yaml"


def test_registry_id_defined_twice_in_one_file(tmp_path: Path) -> None:
    text = UNITS + "  - id: hr\n    name: HR again\n"
    _, findings = merge_registry(check(tmp_path, text, "org.yaml"))
    [finding] = findings
    assert finding.rule_id == "GL020"
    assert (finding.file, finding.line, finding.column) == ("org.yaml", 8, 9)
    assert [(r.file, r.span) for r in finding.related] == [("org.yaml", Span(4, 9, 4, 11))]


def test_same_id_in_different_registry_sections_is_fine(tmp_path: Path) -> None:
    text = UNITS + "capabilities:\n  - id: finance\n    name: Financial forecasting\n"
    registry, findings = merge_registry(check(tmp_path, text, "org.yaml"))
    assert findings == []
    assert registry.ids("capabilities") == ["finance"]


def test_shipped_registry_merges_without_duplicates() -> None:
    paths = sorted((EXAMPLES / "registry").glob("*.yaml"))
    checked = [check_document(doc) for path in paths for doc in load_file(path).documents]
    registry, findings = merge_registry(checked)
    assert findings == []
    assert "operations" in registry.ids("units")
    assert "work-order" in registry.ids("glossary")


def test_registry_ignores_initiatives_and_invalid_documents(tmp_path: Path) -> None:
    broken = UNITS.replace("    name: Finance\n", "    nme: Finance\n")
    checked = check(tmp_path, MINIMAL) + check(tmp_path, broken, "broken.yaml")
    # the broken registry file has its own findings: 'nme' is unknown, 'name' is missing
    assert checked[1].model is None
    assert sorted(f.rule_id for f in checked[1].findings) == ["GL010", "GL012"]
    registry, findings = merge_registry(checked)
    assert findings == []
    assert registry.files == []
    assert registry.ids("units") == []
