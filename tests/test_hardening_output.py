"""Manifest text in every output format: shown, never obeyed.

A manifest's name ends up in finding messages (``{metadata.name} declares no
contribution ...``), so whoever writes the manifest writes part of govlint's output. Here
the name carries ANSI escapes (colours, a screen clear, an OSC 8 hyperlink), the
bidirectional override of "Trojan Source" attacks, C1 controls, HTML, Markdown, a table
pipe and GitHub workflow commands after a newline; each format must keep it inert.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import base_manifest

# as written in the YAML file (double-quoted escapes)
NAME_YAML = (
    "Ex \\e[31mRED\\e[0m \\e]8;;https://evil.example\\aclick\\e]8;;\\a \\e[2J"
    "<script>alert(1)</script> [x](javascript:alert(1)) | pipe \\x9b31m \\u2028 \\u202eRTL "
    "%0A\\r\\n::add-mask::token\\n::error file=x.yaml::injected"
)
# as govlint reads it
NAME = (
    "Ex \x1b[31mRED\x1b[0m \x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x1b[2J"
    "<script>alert(1)</script> [x](javascript:alert(1)) | pipe \x9b31m \u2028 \u202eRTL "
    "%0A\r\n::add-mask::token\n::error file=x.yaml::injected"
)
ISLAND = (
    " declares no contribution to the whole and would be an island solution; fill in at "
    "least one of contribution.platform"
)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    manifest = base_manifest().replace("name: Example initiative", f'name: "{NAME_YAML}"')
    start = manifest.index("contribution:\n")
    end = manifest.index("lifecycle:\n")
    manifest = manifest[:start] + "contribution:\n  depends_on: []\n" + manifest[end:]
    (tmp_path / "m.yaml").write_text(manifest, encoding="utf-8")
    return tmp_path


def check(govlint, fmt: str, folder: Path):  # type: ignore[no-untyped-def]
    result = govlint(
        "check", "--no-cache", "--today", "2026-11-29", "--format", fmt, "m.yaml", cwd=folder
    )
    assert result.code == 1, result
    return result


def test_json_keeps_the_text_exactly(govlint, hostile: Path) -> None:
    data = json.loads(check(govlint, "json", hostile).out)
    messages = [f["message"] for f in data["findings"] if f["rule_id"] == "CON-001"]
    assert messages and messages[0].startswith(NAME + ISLAND)


def test_the_terminal_sees_escapes_not_controls(govlint, hostile: Path) -> None:
    out = check(govlint, "text", hostile).out
    for char in ("\x1b", "\x07", "\x9b", "\r", "\u2028", "\u202e"):
        assert char not in out, repr(char)
    [line] = [line for line in out.splitlines() if " CON-001 " in line]
    text = (hostile / "m.yaml").read_text(encoding="utf-8")
    contribution = text[: text.index("contribution:\n")].count("\n") + 1
    assert line.startswith(
        f"m.yaml:{contribution}:1: error CON-001 Ex \\x1b[31mRED\\x1b[0m \\x1b]8;;https://evil.example"
        "\\x07click\\x1b]8;;\\x07 \\x1b[2J<script>alert(1)</script> [x](javascript:alert(1)) | "
        "pipe \\x9b31m \\u2028 \\u202eRTL %0A\\x0d\\n::add-mask::token\\n::error "
        "file=x.yaml::injected" + ISLAND
    )
    # one line per finding: the newlines of the name did not start lines of their own
    assert all(line.startswith(("m.yaml:", "Found ")) for line in out.splitlines() if line)


def test_colour_output_escapes_the_same_way(govlint, hostile: Path) -> None:
    result = govlint("check", "--no-cache", "--color", "always", "m.yaml", cwd=hostile)
    [line] = [line for line in result.out.splitlines() if "CON-001" in line]
    assert "\\x1b[31mRED" in line and "\x1b[31mRED" not in line
    assert "\u202e" not in line


def test_github_annotations_cannot_start_commands(govlint, hostile: Path) -> None:
    out = check(govlint, "github", hostile).out
    assert "\r" not in out
    # the Actions runner reads lines ending at '\n' (not at U+2028 as str.splitlines does)
    lines = out.rstrip("\n").split("\n")
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines), lines
    [island] = [line for line in lines if "title=CON-001::" in line]
    data = island.split("::", 2)[2]
    # the runner turns %0D, %0A and %25 back into characters inside the message: the
    # commands after the name's newlines stay part of this annotation's text
    # and a carriage return is shown as an escape, as on the terminal
    assert "%250A\\x0d%0A::add-mask::token%0A::error file=x.yaml::injected" + ISLAND in data
    for control in ("\x1b", "\x07", "\x9b", "\u202e", "\u2028"):
        assert control not in out
    assert "title=CON-001" not in data and "%0A::error file=x.yaml::injected" in data


def test_junit_is_well_formed_and_inert(govlint, hostile: Path) -> None:
    raw = check(govlint, "junit", hostile).out
    assert "<script>" not in raw
    root = ET.fromstring(raw)
    [failure] = [
        case.find("failure") for case in root.iter("testcase") if case.get("name") == "CON-001"
    ]
    assert failure is not None
    # XML 1.0 cannot hold ESC or BEL at all: they are shown as escapes; the rest is text
    assert failure.get("message", "").startswith(
        "Ex \\x1b[31mRED\\x1b[0m \\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07 "
        "\\x1b[2J<script>alert(1)</script> [x](javascript:alert(1)) | pipe \x9b31m \u2028 "
        "\u202eRTL %0A\r\n::add-mask::token\n::error file=x.yaml::injected"
    )


def test_markdown_shows_html_and_markdown_as_text(govlint, hostile: Path) -> None:
    out = check(govlint, "markdown", hostile).out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "[x](javascript" not in out and "\\[x\\](javascript:alert(1))" in out
    assert "\x1b" not in out and "\u202e" not in out
    [row] = [line for line in out.split("\n") if "CON-001" in line and line.startswith("| m.yaml")]
    # the name's '|' is escaped: the row still has its four cells
    assert row.replace("\\|", "").count("|") == 5


def test_each_control_alone_is_escaped_in_text_output() -> None:
    # one character in otherwise plain text: the common path (nothing to escape) must not
    # let a single control, separator, bidirectional mark or lone surrogate through
    from govlint.report.text import safe

    controls = [
        *range(0x00, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        *range(0x2028, 0x202F),
        *range(0x2066, 0x206A),
        0xD800,
        0xDFFF,
    ]
    for code in controls:
        shown = safe(f"plain {chr(code)} text")
        assert chr(code) not in shown, hex(code)
    assert safe("plain text, ünïcode and ‘quotes’") == "plain text, ünïcode and ‘quotes’"
