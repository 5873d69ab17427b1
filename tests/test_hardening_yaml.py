"""Hostile and broken YAML: every file gets a finding with its position, in bounded time and
memory, and nothing in a file is ever executed.

Bounds are sizes the code enforces, never times: the parser events govlint pulls stop at
limits.max_depth, the values an alias expands to at limits.max_nodes, and the runs that
could explode in memory go to a child process with an address-space limit (RLIMIT_AS) and
have the peak resident memory the kernel measured compared with a generous bound.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ParserSpy, base_manifest

from govlint.findings import Span
from govlint.load import MAX_DEPTH, Limits, LoadResult, load_file, load_text

PARSERS = [pytest.param(False, id="c-parser"), pytest.param(True, id="pure-parser")]
MiB = 1 << 20


@dataclass
class Bounded:
    """What a child process did within its limits."""

    code: int
    out: str
    err: str
    #: peak resident memory of the child, in bytes
    peak: int
    #: CPU seconds the child used (user + system)
    cpu: float

    @property
    def lines(self) -> list[str]:
        return [line for line in self.out.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<exit {self.code}, {self.peak / MiB:.0f} MiB, {self.cpu:.1f} s CPU\n{self.out}\n{self.err}>"


def bounded(
    *args: str,
    cwd: Path,
    memory: int = 2048 * MiB,
    python: bool = False,
) -> Bounded:
    """Run ``govlint ARGS`` (or ``python ARGS``) under a hard limit on memory.

    Going over it makes the child's allocations fail, and the test fails on the exit code
    or the traceback. A watchdog kills a child that never ends (a run that hangs on a
    pipe), so that no test can hang the suite; it decides no test's result otherwise.
    """

    command = [sys.executable, *args] if python else [sys.executable, "-m", "govlint", *args]
    env = {**os.environ, "NO_COLOR": "1"}
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "usage"
        # a small Python starts govlint and measures it: a child forked straight from this
        # test process would count the test process's own memory in its peak (Linux keeps
        # the peak of the forked copy across exec), and pytest grows as the suite runs
        child = subprocess.Popen(
            [sys.executable, "-c", _MEASURE, str(memory), str(report), *command],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        watchdog = threading.Timer(600, lambda: os.killpg(child.pid, signal.SIGKILL))
        watchdog.start()
        try:
            child.wait()
        finally:
            watchdog.cancel()
        code, maxrss, cpu = report.read_text().split()
        out.seek(0)
        err.seek(0)
        result = Bounded(
            int(code),
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            int(maxrss) * 1024,  # kilobytes on Linux
            float(cpu),
        )
    assert "Traceback" not in result.err, result
    assert result.code >= 0, f"killed by signal {-result.code}: {result}"
    return result


#: run ARGV[3:] under a limit on address space (ARGV[1]) and write its exit code, peak
#: resident memory and CPU time to the file ARGV[2]
_MEASURE = """
import os, resource, subprocess, sys
memory = int(sys.argv[1])
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
child = subprocess.Popen(sys.argv[3:], preexec_fn=limit)
_, status, usage = os.wait4(child.pid, 0)
code = os.waitstatus_to_exitcode(status)
with open(sys.argv[2], "w") as report:
    report.write(f"{code} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
"""


def only(result: LoadResult) -> tuple[str, int, int, str]:
    [finding] = result.findings
    return finding.rule_id, finding.line, finding.column, finding.message


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- alias bombs ("billion laughs") ----------------------------------------------------

LAUGHS = 'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"l{n}: &{cur} [{', '.join(['*' + prev] * 9)}]\n"
    for n, (prev, cur) in enumerate(zip("abcdefgh", "bcdefghi", strict=True), start=1)
)


@pytest.mark.parametrize("pure", PARSERS)
def test_billion_laughs_stops_at_max_nodes_where_the_expansion_crosses_it(pure: bool) -> None:
    # 'a' holds 10 values, 'b' 91, 'c' 820, 'd' 7,381, 'e' 66,430, 'f' 597,871 (672,603 in
    # all): the first alias of line 7, *f at column 9, crosses 1,000,000
    result = load_text(LAUGHS, "laughs.yaml", pure=pure)
    assert result.documents == []
    assert only(result) == (
        "GL005",
        7,
        9,
        "document expands to more than 1,000,000 values (limits.max_nodes) through aliases "
        "(*f repeats 597,871 values); remove the aliases or raise the limit",
    )


def test_billion_laughs_through_the_cli_in_bounded_memory(tmp_path: Path) -> None:
    write(
        tmp_path,
        "laughs.yaml",
        "apiVersion: govlint/v1\nkind: Initiative\nx-lol:\n"
        + "".join("  " + line + "\n" for line in LAUGHS.splitlines()),
    )
    result = bounded("check", "--no-cache", "laughs.yaml", cwd=tmp_path, memory=1024 * MiB)
    assert result.code == 2
    assert result.lines[0] == (
        "laughs.yaml:10:11: error GL005 document expands to more than 1,000,000 values "
        "(limits.max_nodes) through aliases (*f repeats 597,871 values); remove the aliases or "
        "raise the limit"
    )
    assert result.peak < 800 * MiB, result


def test_mapping_and_merge_key_bombs_are_counted_too() -> None:
    # merge keys copy every key of their source into each mapping that merges it
    text = (
        "a: &a {k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, k10: 10}\n"
        + "".join(
            f"{cur}: &{cur} {{<<: [{', '.join(['*' + prev] * 10)}]}}\n"
            for prev, cur in zip("abcdef", "bcdefg", strict=True)
        )
    )
    result = load_text(text, "merge.yaml", limits=Limits(max_nodes=50_000))
    rule, line, _, message = only(result)
    assert (rule, line) == ("GL005", 5)  # 'e' merges 'd' (2,221 values) ten times
    assert message.startswith("document expands to more than 50,000 values (limits.max_nodes)")


def test_an_anchor_cannot_refer_to_itself() -> None:
    assert only(load_text("a: &x [1, *x]\n", "m.yaml")) == (
        "GL003",
        1,
        11,
        "alias *x refers to a node that contains it (a recursive structure); govlint reads "
        "only data without cycles: write the values out",
    )


# --- nesting ----------------------------------------------------------------------------

NESTING = {
    "flow-lists": lambda n: "a: " + "[" * n + "]" * n + "\n",
    "flow-mappings": lambda n: "a: " + "{a: " * n + "1" + "}" * n + "\n",
    "block-lists": lambda n: "- " * n + "x\n",
}
# where the 201st level starts: the default max_depth is 200 and the document is level 1
DEEP_AT = {"flow-lists": (1, 203), "flow-mappings": (1, 800), "block-lists": (1, 401)}
TOO_DEEP = (
    "nesting deeper than 200 levels (limits.max_depth); flatten the document (govlint stops "
    "reading the file here)"
)


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize("shape", list(NESTING))
def test_ten_thousand_levels_of_nesting_are_refused_at_max_depth(shape: str, pure: bool) -> None:
    result = load_text(NESTING[shape](10_000), "deep.yaml", pure=pure)
    assert result.documents == []
    assert only(result) == ("GL005", *DEEP_AT[shape], TOO_DEEP)


def test_nesting_in_block_mappings_is_refused_at_max_depth() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "leaf: 1\n"
    # the 201st mapping is the value of k199: 'k200' at line 201, column 401
    assert only(load_text(text, "deep.yaml")) == ("GL005", 201, 401, TOO_DEEP)


@pytest.mark.parametrize("pure", PARSERS)
def test_a_hundred_thousand_levels_are_not_parsed_through(
    tmp_path: Path, pure: bool, yaml_parsers: ParserSpy
) -> None:
    """Both parsers take quadratic time over deep flow nesting (each level re-checks every
    open level); govlint stops at max_depth instead of parsing on through the rest (it
    used to take 36 s with libyaml and 3 minutes with the pure parser)."""
    path = write(tmp_path, "deep.yaml", "a: " + "[" * 100_000 + "1" + "]" * 100_000 + "\n")
    result = load_file(path, "deep.yaml", pure=pure)
    assert [(f.rule_id, f.line, f.column) for f in result.findings] == [("GL005", 1, 203)]
    assert result.documents == []
    # stream, document, mapping and key, then one event per level up to the limit
    assert yaml_parsers.events <= 4 + Limits().max_depth + 1


@pytest.mark.parametrize("pure", PARSERS)
def test_deep_nesting_after_a_refused_value_is_not_parsed_through(
    tmp_path: Path, pure: bool, yaml_parsers: ParserSpy
) -> None:
    # the tag refuses the document early; skipping the rest of it must not walk through
    # 100,000 levels either
    text = "a: !!python/object:os.system {}\nb: " + "[" * 100_000 + "]" * 100_000 + "\n"
    result = load_file(write(tmp_path, "deep.yaml", text), "deep.yaml", pure=pure)
    assert [(f.rule_id, f.line, f.column) for f in result.findings] == [
        ("GL003", 1, 4),
        ("GL005", 2, 203),
    ]
    # a, its refused value (start and end), b, then one event per level up to the limit
    assert yaml_parsers.events <= 4 + 4 + Limits().max_depth + 1


def test_a_refused_document_is_skipped_and_the_next_one_read() -> None:
    text = "a: !!binary aGk=\nb: [[1]]\n---\nc: 3\n"
    result = load_text(text, "m.yaml")
    assert [(f.rule_id, f.line, f.column) for f in result.findings] == [("GL003", 1, 4)]
    assert [(d.index, d.data) for d in result.documents] == [(1, {"c": 3})]


def test_max_depth_above_what_govlint_can_read_is_capped(tmp_path: Path) -> None:
    text = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    rule, line, column, message = only(load_text(text, "m.yaml", Limits(max_depth=100_000)))
    assert (rule, line, column) == ("GL005", 1, MAX_DEPTH + 3)
    assert message == (
        f"nesting deeper than {MAX_DEPTH} levels (the most govlint reads, whatever "
        "limits.max_depth says); flatten the document (govlint stops reading the file here)"
    )


def test_the_deepest_readable_manifest_checks_cleanly_with_the_cache(tmp_path: Path) -> None:
    """The cache's JSON encoder recursed past Python's limit on deep values (a traceback)."""
    depth = MAX_DEPTH - 2  # the document and 'x-deep' are two levels
    manifest = base_manifest() + "x-deep: " + "[" * depth + "]" * depth + "\n"
    write(tmp_path, "deep.yaml", manifest)
    write(tmp_path, ".govlint.yaml", f"limits:\n  max_depth: {MAX_DEPTH}\n")
    for _ in range(2):  # cold, then from the cache
        result = bounded("check", "deep.yaml", "--today", "2026-11-29", cwd=tmp_path)
        assert result.code == 1
        assert [line.split()[2] for line in result.lines[:-1]] == ["CON-101"], result


# --- size ------------------------------------------------------------------------------


def fifty_megabytes(folder: Path) -> Path:
    """A valid manifest with 50 MB of notes in a block scalar (an extension key)."""
    notes = ("  " + "governance " * 9 + "\n").encode() * (50 * MiB // 102)
    return write(folder, "big.yaml", base_manifest().encode() + b"x-notes: |\n" + notes)


def test_a_fifty_megabyte_file_is_over_the_default_limit(tmp_path: Path) -> None:
    path = fifty_megabytes(tmp_path)
    size = path.stat().st_size
    result = bounded("check", "--no-cache", "big.yaml", cwd=tmp_path, memory=1024 * MiB)
    assert result.code == 2
    assert result.lines[0] == (
        f"big.yaml:1:1: error GL005 file is {size:,} bytes, over the limit of 10,485,760 "
        "(limits.max_file_bytes); split it or raise the limit in the configuration"
    )
    assert result.peak < 200 * MiB, result  # the file was not read


def test_a_fifty_megabyte_file_loads_in_bounded_memory_when_allowed(tmp_path: Path) -> None:
    path = fifty_megabytes(tmp_path)
    write(tmp_path, ".govlint.yaml", "limits:\n  max_file_bytes: 67108864\n")
    result = bounded("check", "big.yaml", "--today", "2026-11-29", cwd=tmp_path, memory=3072 * MiB)
    assert result.code == 1
    assert [line.split()[2] for line in result.lines[:-1]] == ["CON-101"], result
    # bytes, text and the parser's buffer: a handful of copies of the file, not hundreds
    assert result.peak < 16 * path.stat().st_size, result


def test_values_count_against_max_nodes_without_aliases(tmp_path: Path) -> None:
    text = "items:\n" + "- x\n" * 2_000
    # the 1,001st value is the item on line 1,002
    assert only(load_text(text, "m.yaml", Limits(max_nodes=1_000))) == (
        "GL005",
        1_002,
        3,
        "document has more than 1,000 values (limits.max_nodes); split it into several files "
        "or raise the limit",
    )


# --- long lines and keys ----------------------------------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
def test_a_line_of_a_million_characters_is_read(pure: bool) -> None:
    result = load_text("summary: " + "x" * 1_000_000 + "\nnext: 1\n", "m.yaml", pure=pure)
    assert result.findings == []
    assert result.documents[0].spans[("next",)] == Span(2, 7, 2, 8)


@pytest.mark.parametrize("pure", PARSERS)
def test_a_key_longer_than_yaml_allows_says_how_to_write_it(pure: bool) -> None:
    rule, line, column, message = only(load_text("k" * 2000 + ": 1\n", "m.yaml", pure=pure))
    assert (rule, line, column) == ("GL001", 1, 2001)
    assert message.endswith(
        "; a key longer than 1024 characters must be written as an explicit key: "
        "'? the long key' on one line, ': value' on the next"
    )
    explicit = load_text("? " + "k" * 2000 + "\n: 1\n", "m.yaml", pure=pure)
    assert explicit.findings == []
    assert explicit.documents[0].data == {"k" * 2000: 1}


# --- characters and encodings -----------------------------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
def test_a_tab_in_the_indentation_says_to_indent_with_spaces(pure: bool) -> None:
    rule, line, column, message = only(load_text("risk:\n\ttier: high\n", "m.yaml", pure=pure))
    assert (rule, line, column) == ("GL001", 2, 1)
    assert message.startswith("invalid YAML: while scanning for the next token: found character")
    assert message.endswith("; YAML does not allow tabs for indentation: indent with spaces")


@pytest.mark.parametrize("pure", PARSERS)
def test_a_nul_byte_is_reported_where_it_is(tmp_path: Path, pure: bool) -> None:
    path = write(tmp_path, "m.yaml", b"a: 1\nb: x\x00y\n")
    rule, line, column, message = only(load_file(path, pure=pure))
    assert (rule, line, column) == ("GL001", 2, 5)
    assert message.startswith("invalid YAML: unacceptable character #x0000")
    assert message.endswith("; the file contains a NUL character: is it a binary file?")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    # YAML 1.2 (5.2): the zero bytes around the first (ASCII) character tell the encoding
    path = write(tmp_path, "m.yaml", "owner: Zoë\ntags: [🚀]\n".encode(encoding))
    result = load_file(path)
    assert result.findings == []
    assert result.documents[0].data == {"owner": "Zoë", "tags": ["🚀"]}
    assert result.documents[0].spans[("tags", 0)] == Span(2, 8, 2, 9)


def test_utf8_encoded_surrogates_are_not_utf8(tmp_path: Path) -> None:
    # ED A0 80 would be U+D800 (CESU-8, "WTF-8"): not valid UTF-8
    path = write(tmp_path, "m.yaml", b"a: 1\nname: x\xed\xa0\x80\n")
    assert only(load_file(path)) == (
        "GL006",
        2,
        8,
        "file is not valid UTF-8: byte 0xed cannot be decoded; save the file as UTF-8",
    )


@pytest.mark.parametrize(
    ("pure", "column", "message"),
    [
        pytest.param(
            False,
            10,
            "invalid YAML: while parsing a quoted scalar: found invalid Unicode character "
            "escape code; fix the syntax",
            id="c-parser",
        ),
        pytest.param(
            True,
            7,
            "invalid YAML: \\ud83d is half of a UTF-16 surrogate pair, not a character; write "
            "the character itself or its \\U escape (8 hex digits)",
            id="pure-parser",
        ),
    ],
)
def test_surrogate_escapes_are_refused(pure: bool, column: int, message: str) -> None:
    # JSON writes 🚀 as "\ud83d\ude80"; YAML does not: surrogates are not characters
    text = 'a: 1\nname: "\\ud83d\\ude80"\n'
    assert only(load_text(text, "m.yaml", pure=pure)) == ("GL001", 2, column, message)


# --- tags, anchors and documents ---------------------------------------------------------


def test_python_tags_in_every_input_run_nothing(tmp_path: Path) -> None:
    """A manifest, a rule file and the configuration: each is read by the same loader,
    refuses the tag at its position, and nothing is constructed (no file appears)."""
    marker = tmp_path / "pwned"
    payload = f"!!python/object/apply:os.system ['touch {marker}']"
    write(tmp_path, "m.yaml", f"apiVersion: govlint/v1\nkind: Initiative\nrun: {payload}\n")
    (tmp_path / "rules").mkdir()
    write(tmp_path / "rules", "ORG-001.yaml", f"id: ORG-001\ntitle: {payload}\n")
    result = bounded("check", "--no-cache", "m.yaml", cwd=tmp_path)
    assert result.code == 2
    assert result.lines[0] == (
        "m.yaml:3:6: error GL003 tag !!python/object/apply:os.system is not allowed: govlint "
        "only reads plain data (strings, numbers, booleans, null, lists, mappings); remove the tag"
    )
    write(tmp_path, ".govlint.yaml", "rule_paths: [rules]\n")
    result = bounded("check", "--no-cache", "m.yaml", cwd=tmp_path)
    assert result.code == 2
    assert result.err.splitlines() == [
        "rules/ORG-001.yaml:2:8: error GL030 tag !!python/object/apply:os.system is not "
        "allowed: govlint only reads plain data (strings, numbers, booleans, null, lists, "
        "mappings); remove the tag",
        "govlint: error: 1 problem in rules, policies or configuration; fix them first",
    ]
    write(tmp_path, ".govlint.yaml", f"fail_on: {payload}\n")
    result = bounded("check", "--no-cache", "m.yaml", cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith(
        "govlint: error: .govlint.yaml:1:10: tag !!python/object/apply:os.system is not allowed"
    )
    assert not marker.exists()


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/name:os.system",
        "!!python/module:os",
        "!<tag:yaml.org,2002:python/object/new:os.system> [x]",
        "!e!x 1",
    ],
)
def test_every_spelling_of_a_foreign_tag_is_refused(tagged: str) -> None:
    text = f"%TAG !e! tag:example.com,2000:\n---\nrun: {tagged}\n"
    rule, line, column, message = only(load_text(text, "m.yaml"))
    assert (rule, line, column) == ("GL003", 3, 6)
    assert "is not allowed: govlint only reads plain data" in message


@pytest.mark.parametrize("pure", PARSERS)
def test_anchors_do_not_carry_across_documents(pure: bool) -> None:
    text = "owner: &lead Alex\n---\napprover: *lead\n"
    result = load_text(text, "m.yaml", pure=pure)
    assert [(d.index, d.data) for d in result.documents] == [(0, {"owner": "Alex"})]
    assert only(result) == (
        "GL003",
        3,
        11,
        "alias *lead refers to an unknown anchor: &lead is defined in an earlier document, "
        "and anchors do not carry across '---'; define it again in this document",
    )


def test_the_parser_failing_is_a_finding_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    import govlint.load

    def broken(text: str, pure: bool):  # type: ignore[no-untyped-def]
        yield from ()
        raise ValueError("chr() arg not in range(0x110000)")

    monkeypatch.setattr(govlint.load, "_parser_events", broken)
    assert only(load_text("a: 1\n", "m.yaml")) == (
        "GL001",
        1,
        1,
        "the YAML parser failed on this file (ValueError: chr() arg not in range(0x110000)); "
        "check the syntax, and please report the file to the govlint developers",
    )


def test_loading_leaves_the_garbage_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    load_text("a: [1, 2]\n", "m.yaml")
    load_text("a: [1, 2\n", "m.yaml")  # an error on the way out
    assert gc.isenabled()
    gc.disable()
    try:
        load_text("a: 1\n", "m.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_alias_bomb_under_the_limit_does_not_fill_the_cache(tmp_path: Path) -> None:
    """780,000 values from a 1 kB file: checked every time rather than cached (54 MB)."""
    bomb = "x-bomb:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  {cur}: &{cur} [{', '.join(['*' + prev] * 10)}]\n"
        for prev, cur in zip("abcd", "bcde", strict=True)
    )
    write(tmp_path, "bomb.yaml", base_manifest() + bomb + "  f: [" + ", ".join(["*e"] * 7) + "]\n")
    for _ in range(2):
        result = bounded("check", "--today", "2026-11-29", "bomb.yaml", cwd=tmp_path)
        assert [line.split()[2] for line in result.lines[:-1]] == ["CON-101"], result
    # the memo holds the rule and pack files (never a manifest): about 1 MB whatever is checked;
    # so does the run record's description of the rules for the reports (about 110 kB)
    folder = tmp_path / ".govlint_cache"
    kept = [p for p in folder.iterdir() if not p.name.startswith("memo")]
    record = json.loads((folder / "run-v3.json").read_bytes().partition(b"\n")[2])
    described = len(json.dumps(record["rules"], separators=(",", ":")))
    assert b"x-bomb" not in (folder / "run-v3.json").read_bytes()
    assert sum(p.stat().st_size for p in kept) - described < 64 * 1024
    assert b"x-bomb" not in (tmp_path / ".govlint_cache" / "memo-v3.json").read_bytes()
