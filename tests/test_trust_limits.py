"""Limits count what a document expands to, not what its file holds: characters and path
depth after aliases, so a small file cannot make gigabytes of memory or of output.

The large inputs are generated at test time; each run goes to a child process with a hard
memory limit, and the test asserts the refusal the limit produces, the exit code and the
size of the output.
"""

from __future__ import annotations

from pathlib import Path

from conftest import base_manifest, run_govlint
from test_hardening_yaml import MiB, bounded

from govlint.load import PATH_STEPS, Limits, load_text


def test_a_long_string_repeated_by_aliases_is_refused_not_printed(tmp_path: Path) -> None:
    """A 1 MB name repeated by 200 aliases: 200 MB of text in data.sources, and each
    finding quotes the name (1.6 GB of output before this limit)."""
    text = base_manifest().replace("name: Example initiative", "name: &big " + "x" * 1_000_000)
    source = "  sources:\n    - name: work-orders\n"
    items = "".join("    - name: *big\n      personal_data: true\n" for _ in range(200))
    (tmp_path / "m.yaml").write_text(text.replace(source, "  sources:\n" + items + source[12:]))
    result = bounded("check", "--no-cache", "m.yaml", cwd=tmp_path, memory=1024 * MiB)
    # the original and ten copies cross 10 MiB: the tenth alias is refused
    line = len(text.split(source)[0].splitlines()) + 2 + 2 * 9
    assert result.code == 2, result
    assert result.lines == [
        f"m.yaml:{line}:13: error GL005 document expands to more than 10,485,760 characters "
        "(limits.max_file_bytes) through aliases (*big repeats 1,000,000); remove the aliases "
        "or raise the limit",
        "Found 1 problem (1 error) in 1 of 1 file.",
    ]
    assert result.peak < 300 * MiB, result


def test_deep_nesting_repeated_by_aliases_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """14 KB: a list nested 190 deep, aliased 3,400 times (650,000 values, each kept with
    a path 190 long: 1.8 GB and half a minute before this limit)."""
    nested = "[" * 190 + "1" + "]" * 190
    aliases = ", ".join(["*a"] * 3400)
    (tmp_path / "m.yaml").write_text(
        f"apiVersion: govlint/v1\nkind: Initiative\nd: &a {nested}\ne: [{aliases}]\n"
    )
    result = bounded("check", "--no-cache", "m.yaml", cwd=tmp_path, memory=1024 * MiB)
    assert result.code == 2, result
    assert "error GL005 document nests its values too deeply for its size" in result.out
    assert len(result.out) < 1000, result
    assert result.peak < 400 * MiB, result


def test_the_path_budget_counts_values_without_aliases_too() -> None:
    limits = Limits(max_nodes=1000)
    leaves = ", ".join(["1"] * 200)
    deep = "[" * 100 + leaves + "]" * 100  # 300 values, depths adding up to ~25,000
    [finding] = load_text(f"d: {deep}\n", "m.yaml", limits).findings
    assert finding.rule_id == "GL005"
    assert f"more than {1000 * PATH_STEPS:,} (limits.max_nodes x {PATH_STEPS}" in finding.message
    shallow = "[" * 5 + leaves + "]" * 5  # the same values, shallow: fine
    assert load_text(f"d: {shallow}\n", "m.yaml", limits).findings == []


def test_characters_count_against_the_file_limit_where_aliases_repeat_them() -> None:
    limits = Limits(max_file_bytes=10_000)
    text = "a: &x " + "y" * 3000 + "\nb: [*x, *x]\n"  # 9,000 characters: fine
    assert load_text(text, "m.yaml", limits).findings == []
    [finding] = load_text(text.replace("*x]", "*x, *x]"), "m.yaml", limits).findings
    assert (finding.rule_id, finding.line, finding.column) == ("GL005", 2, 13)
    assert "more than 10,000 characters (limits.max_file_bytes) through aliases" in finding.message


def test_a_five_thousand_digit_number_is_a_finding_at_its_place(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(base_manifest() + "extra: " + "9" * 5000 + "\n")
    result = run_govlint("check", "--no-cache", "m.yaml", cwd=tmp_path)
    line = len(base_manifest().splitlines()) + 1
    assert result.code == 2, result
    assert (
        f"m.yaml:{line}:8: error GL005 a number of 5,000 digits is longer than govlint reads; "
        "quote it if it is meant as text"
    ) in result.lines
