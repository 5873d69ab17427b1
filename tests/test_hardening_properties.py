"""Properties that hold for every input, checked on inputs that hypothesis makes up.

Whatever the file, the real loader, validator and rules answer without an exception, and
every finding points inside the file it names. Inputs come from three strategies: YAML-ish
text built from the tokens that break parsers (indentation, flow brackets, anchors, tags,
tabs, NUL, byte-order marks), arbitrary bytes, and manifests made by mutating the valid
example manifest with values drawn from the manifest's JSON Schema (every enum value) and
hostile ones. The suite keeps to a few hundred examples; ``tests/fuzz_manifests.py`` runs
the same strategies for as long as you like.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_BASE, EXAMPLE_REGISTRY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govlint.checker import Setup, check_file, prepare
from govlint.config import load_config
from govlint.diagnostics import DIAGNOSTICS
from govlint.discover import Target
from govlint.findings import Finding
from govlint.load import Limits, load_bytes, load_file, load_text
from govlint.schema import json_schema

TODAY = dt.date(2026, 11, 29)
EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- strategies ---------------------------------------------------------------------------

TOKENS = [
    "a",
    "key",
    "b: ",
    ": ",
    "- ",
    "-",
    "  ",
    "    ",
    "\n",
    "\r\n",
    "\r",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ":",
    "&x ",
    "*x",
    "&y ",
    "*y",
    "<<: ",
    "<<: *x",
    "!!str ",
    "!!int ",
    "!!map ",
    "!!python/object/apply:os.system ",
    "!local ",
    "!<tag:x> ",
    "'",
    "''",
    '"',
    '\\"',
    "\\",
    "\\u00e9",
    "\\ud800",
    "\\U0001F680",
    "#",
    " # c",
    "---\n",
    "...\n",
    "--- ",
    "? ",
    "|",
    "|-",
    ">",
    ">+",
    "\t",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\ufeff",
    "\u2028",
    "\x85",
    "%YAML 1.2\n",
    "%TAG !e! tag:e,2000:\n",
    "é",
    "🚀",
    "日本",
    "1",
    "-1",
    "0x1f",
    "1e9",
    ".nan",
    ".inf",
    "~",
    "null",
    "true",
    "NO",
    "2026-02-30",
    "apiVersion: govlint/v1\n",
    "kind: Initiative\n",
    "kind: Organisation\n",
    "metadata:\n",
    "  id: ",
    "x" * 1030,
]

yaml_texts = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=60).map("".join),
    st.text(max_size=300),
    st.lists(st.sampled_from(["[", "{", "- ", "a: "]), min_size=150, max_size=400).map("".join),
)
raw_bytes = st.one_of(
    st.binary(max_size=400),
    st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00\x00\xfe\xff", b""]).flatmap(
        lambda bom: st.binary(max_size=200).map(lambda body: bom + body)
    ),
    yaml_texts.flatmap(
        lambda text: st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32-le"]).map(
            lambda codec: text.encode(codec, "surrogatepass")
        )
    ),
)


@cache
def _enum_values() -> tuple[Any, ...]:
    """Every value an enum of the manifest schemas allows: realistic values hit deep rules."""
    found: list[Any] = []
    stack: list[Any] = [json_schema("initiative"), json_schema("organisation")]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list):
                found.extend(node["enum"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return tuple(dict.fromkeys(v for v in found if isinstance(v, (str, int, bool))))


scalars = st.one_of(
    st.sampled_from(_enum_values()),
    st.sampled_from(
        [
            "",
            " ",
            "2026-01-01",
            "2099-12-31",
            "2026-02-30",
            "today",
            "P2Y",
            "\x1b[2J",
            "a\nb",
            "::error::x",
            "<b>x</b>",
            "{metadata.name}",
            "%0A",
            "\u202e",
            "x" * 5000,
        ]
    ),
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(["id", "name", "x-ext", "tier"]), st.text(max_size=8)),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_paths(value, (*prefix, i)))
    return out


@cache
def _base() -> str:
    return json.dumps(load_file(EXAMPLE_BASE).documents[0].data)


@st.composite
def manifests(draw: st.DrawFn) -> Any:
    """The valid example manifest with a few values replaced, removed or added."""
    data = json.loads(_base())
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths[1:]))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["x-extra", "unknown", "metadata", "risk"]))] = draw(values)
        else:
            parent.append(draw(values))
    return data


def dump(data: Any, style: str) -> str:
    """A document as YAML, in block or flow style (ruamel's emitter)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = style == "flow"
    yaml.width = 80
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


# --- the invariants -------------------------------------------------------------------------

#: what the parsers count as a line break (YAML 1.1 breaks included: the pure parser uses them)
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def line_count(text: str) -> int:
    return len(_BREAK.split(text))


def assert_inside(findings: list[Finding] | tuple[Finding, ...], lines: dict[str, int]) -> None:
    """Every finding (and related place) in a known file, at a position inside it."""
    for finding in findings:
        assert finding.message.strip(), finding
        for loc in (finding.location, *finding.related):
            assert loc.file in lines, (loc, finding)
            span = loc.span
            assert 1 <= span.line <= lines[loc.file] + 1, (loc, lines[loc.file], finding)
            assert span.column >= 1, (loc, finding)
            assert (span.end_line, span.end_column) >= (span.line, span.column), (loc, finding)


def check_text(text: str) -> None:
    for pure in (False, True):
        result = load_text(text, "m.yaml", Limits(max_nodes=20_000), pure=pure)
        assert_inside(result.findings, {"m.yaml": line_count(text)})
        for doc in result.documents:
            for span in doc.spans.values():
                assert 1 <= span.line <= line_count(text) + 1, (span, text)


def check_bytes(raw: bytes) -> None:
    result = load_bytes(raw, "m.yaml", Limits(max_nodes=20_000))
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1, finding


@cache
def setup() -> Setup:
    config = load_config(None, Path.cwd())
    made = prepare(config, TODAY, Path.cwd())
    assert made.errors == [], made.errors
    return made


def check_manifest(text: str, explicit: bool = True) -> list[Finding]:
    made = setup()
    result = check_file(Target(Path("m.yaml"), "m.yaml", explicit), text.encode(), made, Limits())
    assert_inside(result.findings, {"m.yaml": line_count(text)})
    known = set(made.ruleset.rules) | set(DIAGNOSTICS)
    assert {f.rule_id for f in result.findings} <= known
    return list(result.findings)


file_names = st.one_of(
    st.just(b"m.yaml"),
    st.binary(min_size=1, max_size=16).map(
        lambda name: name.replace(b"/", b"_").replace(b"\0", b"_") + b".yaml"
    ),
    st.sampled_from([b"a b.yaml", "ünï 🚀.yaml".encode(), b"\x1b[31m.yaml", b"x\n::error::y.yaml"]),
)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def check_report(text: str, raw_name: bytes) -> None:
    """The findings of a manifest, under any file name, render in every format."""
    import xml.etree.ElementTree as ET

    from govlint.described import describe
    from govlint.discover import display_path
    from govlint.findings import Severity
    from govlint.report import FORMATS, Report, renderer

    display = display_path(Path(os.fsdecode(raw_name)), Path.cwd())
    made = setup()
    result = check_file(Target(Path(display), display, True), text.encode(), made, Limits())
    report = Report(result.findings, (display,), describe(made.rules), Severity.ERROR, "0", TODAY)
    for fmt in FORMATS:
        out = renderer(fmt)(report)
        out.encode("utf-8")  # can be printed and written
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out)
        elif fmt == "junit":
            ET.fromstring(out)
        elif fmt == "text":
            assert not _CONTROLS.search(out.replace("\n", "")), out
        elif fmt == "github":
            assert all(line.startswith("::") for line in out.split("\n") if line), out


# --- the properties ---------------------------------------------------------------------


@EXAMPLES
@given(yaml_texts)
def test_any_text_loads_without_an_exception_and_findings_point_inside(text: str) -> None:
    check_text(text)


@EXAMPLES
@given(raw_bytes)
def test_any_bytes_load_without_an_exception(raw: bytes) -> None:
    check_bytes(raw)


@EXAMPLES
@given(manifests(), st.sampled_from(["block", "flow"]), st.booleans())
def test_any_manifest_is_checked_without_an_exception(
    data: Any, style: str, explicit: bool
) -> None:
    check_manifest(dump(data, style), explicit)


@pytest.mark.parametrize("explicit", [True, False])
def test_a_kind_that_is_a_list_is_a_finding_not_a_crash(explicit: bool) -> None:
    findings = check_manifest("apiVersion: govlint/v1\nkind: [Initiative]\n", explicit)
    assert [(f.rule_id, f.line, f.column, f.message) for f in findings] == [
        (
            "GL004",
            2,
            1,
            "unknown kind ['Initiative']; expected one of: Initiative, Organisation, Waivers "
            "(did you mean 'Initiative'?)",
        )
    ]


@settings(EXAMPLES, max_examples=100)
@given(manifests(), file_names)
def test_every_format_renders_any_findings_under_any_name(data: Any, name: bytes) -> None:
    check_report(dump(data, "block"), name)


@settings(EXAMPLES, max_examples=25)
@given(st.lists(manifests(), min_size=1, max_size=3), st.sampled_from(["block", "flow"]))
def test_the_cli_answers_every_portfolio_with_0_1_or_2(data: list[Any], style: str) -> None:
    registry = EXAMPLE_REGISTRY.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        lines = {"registry.yaml": line_count(registry)}
        (Path(folder) / "registry.yaml").write_text(registry, encoding="utf-8")
        for i, manifest in enumerate(data):
            text = dump(manifest, style)
            (Path(folder) / f"m{i}.yaml").write_text(text, encoding="utf-8")
            lines[f"m{i}.yaml"] = line_count(text)
        here = os.getcwd()
        os.chdir(folder)  # paths in findings are relative to the working folder
        try:
            result = CliRunner().invoke(
                main_command(),
                ["check", "--no-cache", "--today", "2026-11-29", "--format", "json", "."],
            )
        finally:
            os.chdir(here)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert result.exit_code in (0, 1, 2), result.output
        report = json.loads(result.stdout)
        for finding in report["findings"]:
            for place in (finding, *finding["related"]):
                assert 1 <= place["line"] <= lines[place["file"]] + 1, finding
                assert place["column"] >= 1, finding


def main_command() -> Any:
    from govlint.cli import main

    return main
