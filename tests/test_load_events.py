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
from govlint.load import fast_path_available, load_text

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
