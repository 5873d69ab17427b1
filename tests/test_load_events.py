"""Event cases of the document builder that the other loader tests do not reach.

Every expected value and position is read off the YAML text written in the test (lines
and columns are 1-based, the end column is exclusive). The c-parser cases fail, rather
than quietly testing the pure parser twice, when the compiled parser is missing on
CPython (where the package depends on it).
"""

from __future__ import annotations

import platform

import pytest

from govlint.findings import Span
from govlint.load import Limits, fast_path_available, load_text

PARSERS = [pytest.param(False, id="c-parser"), pytest.param(True, id="pure-parser")]


def require_parser(pure: bool) -> None:
    if not pure and platform.python_implementation() == "CPython":
        assert fast_path_available(), "ruamel.yaml.clib is a dependency on CPython"


@pytest.mark.parametrize("pure", PARSERS)
def test_an_anchored_key_can_be_used_as_a_value(pure: bool) -> None:
    require_parser(pure)
    text = "&role owner: team-a\nsteward: *role\n"
    result = load_text(text, "m.yaml", pure=pure)
    assert result.findings == []
    [doc] = result.documents
    assert doc.data == {"owner": "team-a", "steward": "owner"}
    alias_column = text.splitlines()[1].index("*role") + 1
    assert doc.spans[("steward",)] == Span(2, alias_column, 2, alias_column + len("*role"))
    value_column = text.index("team-a") + 1
    assert doc.spans[("owner",)] == Span(1, value_column, 1, value_column + len("team-a"))


@pytest.mark.parametrize("pure", PARSERS)
def test_an_alias_as_a_key_is_refused_where_it_is(pure: bool) -> None:
    require_parser(pure)
    text = "base: &name owner\n*name : team-a\nother: 1\n"
    result = load_text(text, "m.yaml", pure=pure)
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GL003"
    assert finding.input_error
    assert "aliases as keys" in finding.message
    assert (finding.line, finding.column) == (2, 1)


def where(text: str, needle: str, line: int) -> Span:
    """The span of ``needle`` written on ``line`` (1-based) of ``text``."""
    column = text.splitlines()[line - 1].index(needle) + 1
    return Span(line, column, line, column + len(needle))


@pytest.mark.parametrize("pure", PARSERS)
def test_a_duplicate_key_leaves_the_first_value_and_its_positions(pure: bool) -> None:
    require_parser(pure)
    text = "owner: {name: a}\nrisk: high\nrisk:\n  tier: low\n"
    result = load_text(text, "m.yaml", pure=pure)
    assert [f.rule_id for f in result.findings] == ["GL002"]
    [doc] = result.documents
    assert doc.data == {"owner": {"name": "a"}, "risk": "high"}
    assert list(doc.spans) == [(), ("owner",), ("owner", "name"), ("risk",)]
    assert doc.spans[("risk",)] == where(text, "high", 2)
    assert list(doc.key_spans) == [("owner", "name"), ("owner",), ("risk",)]
    assert doc.key_spans[("risk",)] == where(text, "risk", 2)


@pytest.mark.parametrize("pure", PARSERS)
def test_aliased_and_merged_values_keep_the_positions_of_their_source(pure: bool) -> None:
    require_parser(pure)
    text = "id: x\nbase: &b {team: ops, tier: low}\ncopy: *b\nmerged:\n  <<: *b\n  tier: high\n"
    result = load_text(text, "m.yaml", pure=pure)
    assert result.findings == []
    [doc] = result.documents
    assert doc.data["copy"] == {"team": "ops", "tier": "low"}
    assert doc.data["merged"] == {"tier": "high", "team": "ops"}
    assert doc.spans[("copy",)] == where(text, "*b", 3)
    assert doc.spans[("copy", "tier")] == where(text, "low", 2)
    assert doc.key_spans[("copy", "tier")] == where(text, "tier", 2)
    assert doc.spans[("merged", "team")] == where(text, "ops", 2)
    assert doc.key_spans[("merged", "team")] == where(text, "team", 2)
    assert doc.spans[("merged", "tier")] == where(text, "high", 6)
    assert not any("<<" in path for path in [*doc.spans, *doc.key_spans])


@pytest.mark.parametrize("pure", PARSERS)
def test_collections_count_as_values_against_max_nodes(pure: bool) -> None:
    require_parser(pure)
    text = "- []\n- []\n- []\n- []\n- []\n- []\n"
    result = load_text(text, "m.yaml", Limits(max_nodes=5), pure=pure)
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GL005"
    assert "more than 5 values (limits.max_nodes)" in finding.message
    assert finding.location.span == where(text, "[]", 6)  # the sixth list


@pytest.mark.parametrize("pure", PARSERS)
def test_keys_count_as_text_against_max_file_bytes(pure: bool) -> None:
    require_parser(pure)
    text = "aaaaaaaaaa:\nbbbbbbbbbb:\n"  # 20 characters of keys, all values empty
    result = load_text(text, "m.yaml", Limits(max_file_bytes=15), pure=pure)
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GL005"
    assert "more than 15 characters of text (limits.max_file_bytes)" in finding.message
    assert finding.location.span == where(text, "bbbbbbbbbb", 2)


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    "key",
    ['"\\0duplicate:2:id"', '"\\0"', '"\\0x"', '? "\\0z"\n  '],
    ids=["marker", "nul", "x", "complex"],
)
def test_a_key_that_starts_with_nul_is_refused_not_dropped(pure: bool, key: str) -> None:
    # the builder names a repeated key "\0duplicate:N:key" to drop it: a key written that
    # way must not vanish with the duplicates (with its value and any error in it)
    require_parser(pure)
    text = f"metadata:\n  {key}: x\n  id: a\n"
    result = load_text(text, "m.yaml", pure=pure)
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GL003"
    assert finding.input_error
    assert "NUL" in finding.message and "rename the key" in finding.message
    column = text.splitlines()[1].index('"') + 1
    assert (finding.line, finding.column) == (2, column)
