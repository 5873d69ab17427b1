"""The loader: YAML files become plain data with the position of every value and key.

Every expected value and position below is read off the YAML text written in the test
(lines and columns are 1-based, the end column is exclusive).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import EXAMPLE_BASE, EXAMPLES

from govlint.findings import Severity, Span
from govlint.load import Limits, LoadResult, load_file, load_text

PARSERS = [pytest.param(False, id="c-parser"), pytest.param(True, id="pure-parser")]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def rule_ids(result: LoadResult) -> list[str]:
    return [f.rule_id for f in result.findings]


# --- data: YAML 1.2 core schema ---------------------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # the "Norway problem" of YAML 1.1 does not exist in YAML 1.2
        ("NO", "NO"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        # no date type: dates stay strings, the models parse them
        ("2026-01-01", "2026-01-01"),
        ("0o17", 15),
        ("0x1f", 31),
        ("012", 12),  # decimal in YAML 1.2, not octal
        ("1_000", "1_000"),
        ("1.5", 1.5),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("'42'", "42"),
        ('"true"', "true"),
        ("'null'", "null"),
        ("!!str 12", "12"),
        ("!!float 1", 1.0),
    ],
)
def test_scalars_follow_the_yaml_1_2_core_schema(
    tmp_path: Path, pure: bool, written: str, expected: object
) -> None:
    path = write(tmp_path, "m.yaml", f"value: {written}\n")
    result = load_file(path, pure=pure)
    assert result.findings == []
    value = result.documents[0].data["value"]
    assert value == expected
    assert type(value) is type(expected)


def test_nested_manifest_becomes_plain_data(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m.yaml",
        "metadata:\n"
        "  id: crew-planner\n"
        "  owner: {name: Alex, role: Product owner}\n"
        "data:\n"
        "  sources:\n"
        "    - name: work-orders\n"
        "      personal_data: false\n"
        "model:\n"
        "  accuracy_metrics: [schedule-adherence, overtime]\n",
    )
    result = load_file(path)
    assert result.findings == []
    assert result.documents[0].data == {
        "metadata": {"id": "crew-planner", "owner": {"name": "Alex", "role": "Product owner"}},
        "data": {"sources": [{"name": "work-orders", "personal_data": False}]},
        "model": {"accuracy_metrics": ["schedule-adherence", "overtime"]},
    }


@pytest.mark.parametrize("pure", PARSERS)
def test_block_scalars_anchors_and_merge_keys(tmp_path: Path, pure: bool) -> None:
    path = write(
        tmp_path,
        "m.yaml",
        "summary: |\n"
        "  Line one.\n"
        "  Line two.\n"
        "rationale: >\n"
        "  Folded\n"
        "  text.\n"
        "defaults: &oversight\n"
        "  oversight: human-in-the-loop\n"
        "  override: true\n"
        "human_role:\n"
        "  <<: *oversight\n"
        "  override: false\n"
        "copy: *oversight\n",
    )
    result = load_file(path, pure=pure)
    assert result.findings == []
    data = result.documents[0].data
    assert data["summary"] == "Line one.\nLine two.\n"
    assert data["rationale"] == "Folded text.\n"
    # the key written next to the merge wins over the merged one
    assert data["human_role"] == {"oversight": "human-in-the-loop", "override": False}
    assert data["copy"] == {"oversight": "human-in-the-loop", "override": True}


@pytest.mark.parametrize("pure", PARSERS)
def test_several_documents_in_one_file(tmp_path: Path, pure: bool) -> None:
    path = write(tmp_path, "m.yaml", "kind: Initiative\n---\nkind: Organisation\n...\n---\n- x\n")
    result = load_file(path, pure=pure)
    assert result.findings == []
    assert [(d.index, d.data) for d in result.documents] == [
        (0, {"kind": "Initiative"}),
        (1, {"kind": "Organisation"}),
        (2, ["x"]),
    ]
    assert result.documents[1].spans[("kind",)] == Span(3, 7, 3, 19)


def test_file_name_is_the_display_name(tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", "a: 1\n")
    result = load_file(path, display="initiatives/m.yaml")
    assert result.file == "initiatives/m.yaml"
    assert result.documents[0].file == "initiatives/m.yaml"
    assert result.documents[0].locate(("a",)).file == "initiatives/m.yaml"


# --- positions ----------------------------------------------------------------------

MANIFEST = """\
apiVersion: govlint/v1
kind: Initiative
risk:
  tier: high
  annex_iii_area: employment-workers-management-and-access-to-self-employment
data:
  sources:
    - name: applicants
      personal_data: true
model:
  accuracy_metrics: [precision, recall, f1]
"""


@pytest.mark.parametrize("pure", PARSERS)
def test_a_scalar_points_at_its_value(tmp_path: Path, pure: bool) -> None:
    doc = load_file(write(tmp_path, "m.yaml", MANIFEST), pure=pure).documents[0]
    tier = doc.locate(("risk", "tier"))
    assert tier.span == Span(4, 9, 4, 13)  # "high" on "  tier: high"
    assert tier.path == "risk.tier"
    assert tier.file == str(tmp_path / "m.yaml")
    assert doc.locate(("data", "sources", 0, "personal_data")).span == Span(9, 22, 9, 26)
    # "f1" in "  accuracy_metrics: [precision, recall, f1]"
    assert doc.locate(("model", "accuracy_metrics", 2)).span == Span(11, 41, 11, 43)


@pytest.mark.parametrize("pure", PARSERS)
def test_a_mapping_or_list_points_at_its_key(tmp_path: Path, pure: bool) -> None:
    doc = load_file(write(tmp_path, "m.yaml", MANIFEST), pure=pure).documents[0]
    assert doc.locate(("risk",)).span == Span(3, 1, 3, 5)
    assert doc.locate(("data", "sources")).span == Span(7, 3, 7, 10)
    assert doc.locate(("model", "accuracy_metrics")).span == Span(11, 3, 11, 19)
    # a list item has no key: it points at the start of the item
    assert doc.locate(("data", "sources", 0)).span == Span.point(8, 7)


@pytest.mark.parametrize("pure", PARSERS)
def test_a_missing_key_points_at_its_parent_key(tmp_path: Path, pure: bool) -> None:
    doc = load_file(write(tmp_path, "m.yaml", MANIFEST), pure=pure).documents[0]
    missing = doc.locate(("risk", "rationale"))
    assert missing.span == Span(3, 1, 3, 5)  # "risk"
    assert missing.path == "risk.rationale"
    assert doc.locate(("human_role", "oversight")).span == Span.point(1, 1)
    assert doc.locate(("data", "sources", 0, "lawful_basis")).span == Span.point(8, 7)


@pytest.mark.parametrize("pure", PARSERS)
def test_key_location_points_at_the_key(tmp_path: Path, pure: bool) -> None:
    doc = load_file(write(tmp_path, "m.yaml", MANIFEST), pure=pure).documents[0]
    assert doc.key_location(("risk", "tier")).span == Span(4, 3, 4, 7)
    assert doc.key_location(("data", "sources", 0, "personal_data")).span == Span(9, 7, 9, 20)
    assert doc.key_spans[("risk", "annex_iii_area")] == Span(5, 3, 5, 17)


def test_get_returns_none_for_missing_paths(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "m.yaml", MANIFEST)).documents[0]
    assert doc.get(("data", "sources", 0, "name")) == "applicants"
    assert doc.get(("risk", "profiling")) is None
    assert doc.get(("data", "sources", 3)) is None
    assert doc.get(("risk", "tier", "deeper")) is None


@pytest.mark.parametrize("pure", PARSERS)
def test_columns_count_characters_not_bytes(tmp_path: Path, pure: bool) -> None:
    text = "name: {first: Zoë, last: Ürün}\ntags: [🚀, b]\n"
    doc = load_file(write(tmp_path, "m.yaml", text), pure=pure).documents[0]
    assert doc.data == {"name": {"first": "Zoë", "last": "Ürün"}, "tags": ["🚀", "b"]}
    assert doc.spans[("name", "last")] == Span(1, 26, 1, 30)
    assert doc.spans[("tags", 1)] == Span(2, 11, 2, 12)


@pytest.mark.parametrize("pure", PARSERS)
def test_windows_line_endings(tmp_path: Path, pure: bool) -> None:
    path = write(tmp_path, "m.yaml", b"risk:\r\n  tier: high\r\n")
    doc = load_file(path, pure=pure).documents[0]
    assert doc.data == {"risk": {"tier": "high"}}
    assert doc.spans[("risk", "tier")] == Span(2, 9, 2, 13)


# --- the fast path and the pure path agree --------------------------------------------

REALISTIC_TEXTS = {
    "flow-style": (
        "metadata: {id: chatbot, owner: {name: Sam, role: 'Head of service'}}\n"
        "audience: [operators, affected-people]\n"
        "sources: [{name: questions, personal_data: true}, {name: faq}]\n"
    ),
    "block-scalars": (
        "summary: |\n  Answers questions.\n\n  Hands over to staff.\n"
        "rationale: >-\n  Limited risk:\n  a chatbot.\n"
        "keep: |+\n  trailing\n\n"
        "after: done\n"
    ),
    "anchors-and-merge": (
        "base: &base {oversight: human-in-the-loop, override: true}\n"
        "human_role:\n  <<: *base\n  escalation: Team lead\n"
        "metrics: &m [precision, recall]\n"
        "monitoring: {metrics: *m}\n"
        "nested: [*m, *base]\n"
    ),
    "multi-document": "kind: Initiative\nrisk: {tier: high}\n---\nkind: Organisation\n...\n---\n- a\n",
    "unicode": (
        "owner: Zoë Ürün\n"
        "'ключ': значение\n"
        'summary: "🚀 launch on 日本語 pages"\n'
        "tags: [é, 日本語, 🚀]\nafter: ok\n"
    ),
    "quoted-and-comments": (
        "# header\n"
        "a: 'it''s'   # trailing comment\n"
        'b: "line\\nnext"\n'
        'c: "multi\n  line"\n'
        "d:\n  - x   # c\n\n  - y\n"
    ),
    "indentless-lists": "sources:\n- name: a\n  personal_data: true\n- name: b\n",
    "crlf": "risk:\r\n  tier: high\r\ndata:\r\n  sources: []\r\n",
}

REALISTIC_FILES = [*sorted(EXAMPLES.rglob("*.yaml")), EXAMPLE_BASE]


def parsed(result: LoadResult) -> list[tuple[object, ...]]:
    return [(d.index, d.data, d.spans, d.key_spans) for d in result.documents]


@pytest.mark.parametrize("text", REALISTIC_TEXTS.values(), ids=list(REALISTIC_TEXTS))
def test_c_and_pure_parser_agree_on_texts(text: str) -> None:
    fast = load_text(text, "m.yaml", pure=False)
    pure = load_text(text, "m.yaml", pure=True)
    assert fast.findings == pure.findings == []
    assert fast.documents
    assert parsed(fast) == parsed(pure)


@pytest.mark.parametrize("path", REALISTIC_FILES, ids=lambda p: p.name)
def test_c_and_pure_parser_agree_on_shipped_manifests(path: Path) -> None:
    fast = load_file(path, pure=False)
    pure = load_file(path, pure=True)
    assert fast.findings == pure.findings == []
    assert len(fast.documents) == 1
    assert parsed(fast) == parsed(pure)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['true']\n",
        "a: *missing\n",
        "? [a, b]\n: 1\n",
        "a: 1\na: 2\n",
        "a: [1, 2\nb: 3\n",
        "a: 1\n b: 2\n",
    ],
)
def test_c_and_pure_parser_report_problems_at_the_same_place(text: str) -> None:
    fast = load_text(text, "m.yaml", pure=False)
    pure = load_text(text, "m.yaml", pure=True)
    assert [(f.rule_id, f.location, f.related) for f in fast.findings] == [
        (f.rule_id, f.location, f.related) for f in pure.findings
    ]


def test_c_and_pure_parser_agree_on_empty_values() -> None:
    text = "risk:\n  tier:\n  rationale: ~\nlifecycle:\n"
    fast = load_text(text, "m.yaml", pure=False).documents[0]
    pure = load_text(text, "m.yaml", pure=True).documents[0]
    assert fast.locate(("risk", "tier")).span.line == 2
    assert pure.locate(("risk", "tier")).span.line == 2
    assert pure.spans == fast.spans


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="bug: the pure parser rejects tabs as separators (GL001) that the C parser accepts",
)
def test_c_and_pure_parser_agree_on_tabs() -> None:
    text = "risk:\n  tier:\thigh\n  profiling: false\t\n"
    fast = load_text(text, "m.yaml", pure=False)
    pure = load_text(text, "m.yaml", pure=True)
    assert fast.findings == []
    assert fast.documents[0].data == {"risk": {"tier": "high", "profiling": False}}
    assert pure.findings == []
    assert parsed(pure) == parsed(fast)


# --- problems become findings ---------------------------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
def test_invalid_yaml_reports_the_parser_position(tmp_path: Path, pure: bool) -> None:
    # 'b' is indented under the scalar '1': the ':' after it at line 2, col 3 is illegal
    result = load_file(write(tmp_path, "bad.yaml", "a: 1\n b: 2\n"), pure=pure)
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GL001"
    assert (finding.line, finding.column) == (2, 3)
    assert finding.message.startswith("invalid YAML: mapping values are not allowed")


@pytest.mark.parametrize("pure", PARSERS)
def test_unclosed_flow_list_is_invalid_yaml(tmp_path: Path, pure: bool) -> None:
    result = load_file(write(tmp_path, "bad.yaml", "tags: [a, b\nrisk: high\n"), pure=pure)
    [finding] = result.findings
    assert finding.rule_id == "GL001"
    assert (finding.line, finding.column) == (2, 5)  # the ':' after 'risk'


@pytest.mark.parametrize("pure", PARSERS)
def test_control_character_is_reported_where_it_is(tmp_path: Path, pure: bool) -> None:
    result = load_file(write(tmp_path, "bad.yaml", "a: 1\nb: x\x07y\n"), pure=pure)
    [finding] = result.findings
    assert finding.rule_id == "GL001"
    assert (finding.line, finding.column) == (2, 5)


@pytest.mark.parametrize("pure", PARSERS)
def test_duplicate_key_points_at_the_second_key(tmp_path: Path, pure: bool) -> None:
    text = "risk:\n  tier: high\n  rationale: x\n  tier: minimal\n"
    result = load_file(write(tmp_path, "dup.yaml", text), display="dup.yaml", pure=pure)
    [finding] = result.findings
    assert finding.rule_id == "GL002"
    assert finding.location.span == Span(4, 3, 4, 7)
    assert finding.path == "risk.tier"
    assert [r.span for r in finding.related] == [Span(2, 3, 2, 7)]
    assert finding.related[0].file == "dup.yaml"
    assert "duplicate key 'tier' (first defined at line 2)" in finding.message


@pytest.mark.parametrize("pure", PARSERS)
def test_python_tags_are_refused_and_never_run(tmp_path: Path, pure: bool) -> None:
    marker = tmp_path / "pwned"
    text = f"kind: Initiative\nrun: !!python/object/apply:os.system ['touch {marker}']\n"
    result = load_file(write(tmp_path, "evil.yaml", text), pure=pure)
    assert not marker.exists()
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GL003"
    assert (finding.line, finding.column) == (2, 6)
    assert "!!python/object/apply:os.system is not allowed" in finding.message


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("owner: *lead\n", 1, 8, "alias *lead refers to an unknown anchor"),
        ("? [a, b]\n: 1\n", 1, 3, "complex mapping keys"),
        ("since: !!timestamp 2026-01-01\n", 1, 8, "tag !!timestamp is not allowed"),
        ("a: !custom x\n", 1, 4, "tag !custom is not allowed"),
        ("n: !!int 1.5\n", 1, 4, "'1.5' is not a valid !!int"),
        ("<<: 5\n", 1, 5, "merge key '<<' needs a mapping"),
    ],
)
def test_unsupported_yaml(tmp_path: Path, text: str, line: int, column: int, message: str) -> None:
    result = load_file(write(tmp_path, "m.yaml", text))
    [finding] = result.findings
    assert finding.rule_id == "GL003"
    assert (finding.line, finding.column) == (line, column)
    assert message in finding.message


def test_a_refused_document_does_not_hide_the_others(tmp_path: Path) -> None:
    text = "a: 1\n---\nb: !!python/object:os.system {}\n---\nc: 3\n"
    result = load_file(write(tmp_path, "m.yaml", text))
    assert rule_ids(result) == ["GL003"]
    assert [(d.index, d.data) for d in result.documents] == [(0, {"a": 1}), (2, {"c": 3})]


# --- limits ------------------------------------------------------------------------

ALIAS_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
)


@pytest.mark.parametrize("pure", PARSERS)
def test_alias_bomb_hits_max_nodes(tmp_path: Path, pure: bool) -> None:
    path = write(tmp_path, "bomb.yaml", ALIAS_BOMB)
    result = load_file(path, limits=Limits(max_nodes=5_000), pure=pure)
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GL005"
    assert "limits.max_nodes" in finding.message
    # 'a', 'b' and 'c' expand to 11 + 111 + 1,111 values; each alias of 'd' (line 4) adds
    # 1,111 more, so the fourth one crosses 5,000
    assert finding.line == 4


def test_alias_bomb_is_stopped_by_the_default_limit(tmp_path: Path) -> None:
    result = load_file(write(tmp_path, "bomb.yaml", ALIAS_BOMB))
    assert rule_ids(result) == ["GL005"]
    assert "more than 1,000,000 values (limits.max_nodes)" in result.findings[0].message


@pytest.mark.parametrize("pure", PARSERS)
def test_deep_nesting_hits_max_depth(tmp_path: Path, pure: bool) -> None:
    path = write(tmp_path, "deep.yaml", "a:\n  b:\n    c:\n      d: 1\n")
    result = load_file(path, limits=Limits(max_depth=3), pure=pure)
    [finding] = result.findings
    assert finding.rule_id == "GL005"
    assert "nesting deeper than 3 levels (limits.max_depth)" in finding.message
    assert (finding.line, finding.column) == (4, 7)  # the fourth mapping, 'd: 1'
    ok = load_file(path, limits=Limits(max_depth=4), pure=pure)
    assert ok.findings == []


def test_hostile_nesting_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    result = load_file(path)
    assert rule_ids(result) == ["GL005"]
    assert "limits.max_depth" in result.findings[0].message


def test_file_over_max_file_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "big.yaml", "summary: " + "x" * 91 + "\n")  # 101 bytes
    result = load_file(path, display="big.yaml", limits=Limits(max_file_bytes=100))
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GL005"
    assert finding.file == "big.yaml"
    assert "101 bytes, over the limit of 100 (limits.max_file_bytes)" in finding.message
    assert load_file(path, limits=Limits(max_file_bytes=101)).findings == []


# --- encodings and unreadable files ---------------------------------------------------


def test_invalid_utf8_points_at_the_bad_byte(tmp_path: Path) -> None:
    # "Zoë" in UTF-8, then a Latin-1 "é" (0xe9) at line 2, column 12
    raw = b"name: ok\nowner: Zo\xc3\xab \xe9\n"
    result = load_file(write(tmp_path, "latin1.yaml", raw))
    assert result.documents == []
    [finding] = result.findings
    assert finding.rule_id == "GL006"
    assert finding.location.span == Span(2, 12, 2, 13)
    assert "not valid UTF-8: byte 0xe9" in finding.message


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"\xef\xbb\xbfowner: Zo\xc3\xab\n", id="utf-8-bom"),
        pytest.param("owner: Zoë\n".encode("utf-16"), id="utf-16-bom"),
        pytest.param(b"\xfe\xff" + "owner: Zoë\n".encode("utf-16-be"), id="utf-16-be-bom"),
    ],
)
def test_byte_order_marks_are_accepted(tmp_path: Path, raw: bytes) -> None:
    result = load_file(write(tmp_path, "m.yaml", raw))
    assert result.findings == []
    doc = result.documents[0]
    assert doc.data == {"owner": "Zoë"}
    # the byte-order mark does not shift columns
    assert doc.spans[("owner",)] == Span(1, 8, 1, 11)


def test_invalid_utf16_points_at_the_bad_code_unit(tmp_path: Path) -> None:
    # a lone high surrogate (0xd800) at the start of line 2
    raw = b"\xff\xfe" + "a: 1\n".encode("utf-16-le") + b"\x00\xd8" + "b".encode("utf-16-le")
    [finding] = load_file(write(tmp_path, "m.yaml", raw)).findings
    assert finding.rule_id == "GL006"
    assert (finding.line, finding.column) == (2, 1)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    result = load_file(tmp_path / "gone.yaml", display="gone.yaml")
    assert result.documents == []
    [finding] = result.findings
    assert (finding.rule_id, finding.file) == ("GL000", "gone.yaml")
    assert "does not exist" in finding.message


def test_directory_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    [finding] = load_file(tmp_path / "folder.yaml").findings
    assert finding.rule_id == "GL000"
    assert "is a directory" in finding.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.yaml", "a: 1\n")
    path.chmod(0o000)
    try:
        [finding] = load_file(path).findings
    finally:
        path.chmod(0o644)
    assert finding.rule_id == "GL000"
    assert "permission denied" in finding.message


@pytest.mark.parametrize(
    "content",
    [
        b"a: [\n",
        b"a: 1\na: 2\n",
        b"a: !!python/name:os.system\n",
        b"a: \xff\n",
        b"a: " + b"[" * 300 + b"]" * 300 + b"\n",
    ],
    ids=["GL001", "GL002", "GL003", "GL006", "GL005"],
)
def test_loader_findings_are_input_errors(tmp_path: Path, content: bytes) -> None:
    result = load_file(write(tmp_path, "m.yaml", content))
    assert len(result.findings) == 1
    finding = result.findings[0]
    assert finding.input_error is True
    assert finding.severity is Severity.ERROR
