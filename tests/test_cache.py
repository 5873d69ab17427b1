"""The content-hash cache: an unchanged portfolio is answered from it, any change is seen."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import base_manifest, with_registry

TODAY = "2026-11-29"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    with_registry(tmp_path, "manifests: ['initiatives/*.yaml']\n")
    (tmp_path / "initiatives").mkdir()
    for name in ("a", "b"):
        text = base_manifest().replace("id: example-initiative", f"id: {name}")
        text = text.replace("Suggests maintenance crew schedules", f"Plans task {name} for")
        text = text.replace("provides: [crew-scheduling]", "provides: []")
        (tmp_path / "initiatives" / f"{name}.yaml").write_text(text)
    return tmp_path


def cache_key_of_this_user() -> bytes:
    """The key govlint keeps in the user's cache folder (conftest points it at a tmp dir)."""
    path = Path(os.environ["XDG_CACHE_HOME"]) / "govlint" / "cache-key"
    return bytes.fromhex(path.read_text().strip())


def read_cache(path: Path) -> dict:  # type: ignore[type-arg]
    """A cache file's JSON, behind its seal line."""
    head, _, body = path.read_bytes().partition(b"\n")
    assert head.startswith(b"govlint-cache-hmac-sha256 ")
    return json.loads(body)


def plant(path: Path, data: object, key: bytes | None = None) -> None:
    """Write a cache file as govlint would, sealed with ``key`` (default: this user's)."""
    body = json.dumps(data).encode()
    mac = hmac.new(key or cache_key_of_this_user(), body, hashlib.sha256).hexdigest()
    path.write_bytes(b"govlint-cache-hmac-sha256 " + mac.encode() + b"\n" + body)


def run(govlint, *args: str):
    return govlint("check", "--today", TODAY, *args)


def cache_files(project: Path) -> list[str]:
    folder = project / ".govlint_cache"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_unchanged_run_is_answered_from_the_cache(govlint, project: Path) -> None:
    first = run(govlint)
    assert first.code == 0, first
    names = cache_files(project)
    assert len(names) == 5, names
    # what is worked out from content alone (rule files, words of purposes): cache.Memo
    assert (names[0], names[2], names[4]) == (".gitignore", "memo-v3.json", "run-v3.json")
    # the file results and the portfolio's findings, under a key of the rules and settings
    # (24 hex digits of a hash)
    assert re.fullmatch(r"cache-v3-[0-9a-f]{24}\.json", names[1]), names
    assert names[3] == names[1].replace("cache-", "portfolio-"), names
    # prove the second run reads the cache: plant a finding in it and see it come back
    run_file = project / ".govlint_cache" / "run-v3.json"
    data = read_cache(run_file)
    data["findings"] = [
        [
            [
                "LIF-001",
                "error",
                "planted",
                ["initiatives/a.yaml", [1, 1, 1, 1], ""],
                [],
                False,
                None,
            ],
            None,
        ]
    ]
    plant(run_file, data)
    second = run(govlint)
    assert second.lines[0] == "initiatives/a.yaml:1:1: error LIF-001 planted"
    assert (project / ".govlint_cache" / ".gitignore").read_text().endswith("*\n")


@pytest.mark.parametrize(
    "change",
    ["manifest", "rule", "config", "today"],
)
def test_every_input_invalidates_the_cache(govlint, project: Path, change: str) -> None:
    (project / "rules" / "lifecycle").mkdir(parents=True)
    rule = (
        Path(__file__).parent.parent / "rules" / "lifecycle" / "LIF-101-unique-initiative-ids.yaml"
    ).read_text()
    rule_file = project / "rules" / "lifecycle" / "ORG-001.yaml"
    rule_file.write_text(
        rule.replace("id: LIF-101", "id: ORG-001").replace("severity: error", "severity: info")
    )
    with_registry(project, "manifests: ['initiatives/*.yaml']\nrule_paths: [rules]\n")
    assert run(govlint).code == 0
    assert run(govlint).code == 0  # warm
    today = TODAY
    if change == "manifest":
        path = project / "initiatives" / "b.yaml"
        path.write_text(path.read_text().replace("  review_date: 2099-12-31\n", ""))
        expected = "LIF-001"
    elif change == "rule":
        # the organisation rule (unique ids) is raised to error, and two ids clash
        rule_file.write_text(rule_file.read_text().replace("severity: info", "severity: error"))
        path = project / "initiatives" / "b.yaml"
        path.write_text(path.read_text().replace("id: b", "id: a"))
        expected = "ORG-001"
    elif change == "config":
        with_registry(
            project,
            "manifests: ['initiatives/*.yaml']\nrule_paths: [rules]\nfail_on: info\nrules: {CON-105: {severity: error}}\n",
        )
        expected = "CON-105"
    else:
        today = "2100-01-01"  # every review date is now in the past
        expected = "LIF-002"
    result = govlint("check", "--today", today)
    assert result.code == 1, result
    assert any(
        line.split()[2] == expected for line in result.lines[:-1] if not line.startswith(" ")
    ), result


def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(govlint, project: Path) -> None:
    clean = run(govlint)
    folder = project / ".govlint_cache"
    for path in folder.glob("*.json"):
        path.write_bytes(b"\x00\xff garbage {")
    again = run(govlint)
    assert again.out == clean.out and again.code == clean.code
    assert read_cache(folder / "run-v3.json")["format"] == 3  # rebuilt
    # a cache from another version of govlint (a different key) is not used
    data = read_cache(folder / "run-v3.json")
    data["key"] = "0" * 64
    data["findings"] = [
        [
            [
                "LIF-001",
                "error",
                "planted",
                ["initiatives/a.yaml", [1, 1, 1, 1], ""],
                [],
                False,
                None,
            ],
            None,
        ]
    ]
    plant(folder / "run-v3.json", data)
    assert run(govlint).out == clean.out


DAMAGED_DESCRIPTIONS = {
    "missing (an older record)": None,
    "not a list": "rules",
    "too short": [["LIF-001", "name"]],
    "a title that is a number": 5,
    "aliases that are a string": "ABC-001",
    "an unknown severity": "fatal",
}


@pytest.mark.parametrize("damage", DAMAGED_DESCRIPTIONS)
def test_a_run_record_with_damaged_rule_descriptions_is_not_used(
    govlint, project: Path, damage: str
) -> None:
    sarif = ("--format", "sarif")
    clean = run(govlint, *sarif)
    record = project / ".govlint_cache" / "run-v3.json"
    data = read_cache(record)
    described = data["rules"]
    value = DAMAGED_DESCRIPTIONS[damage]
    if value is None:
        del data["rules"]
    elif damage in ("not a list", "too short"):
        data["rules"] = value
    else:
        field = {"a title that is a number": 2, "aliases that are a string": 7}.get(damage, 6)
        data["rules"] = [[*r[:field], value, *r[field + 1 :]] for r in described]
    plant(record, data)
    again = run(govlint, *sarif)  # checked again, and the record written again
    assert (again.code, again.out) == (clean.code, clean.out)
    assert read_cache(record)["rules"] == described


def test_one_changed_file_reuses_the_others(govlint, project: Path) -> None:
    run(govlint)
    folder = project / ".govlint_cache"
    [entries] = [p for p in folder.glob("cache-v3-*.json")]
    data = read_cache(entries)
    # plant a finding in a.yaml's cached entry; then change b.yaml only
    key_a = next(k for k in data["files"] if k.startswith("initiatives/a.yaml"))
    data["files"][key_a][1]["f"].append(
        [
            "GL011",
            "error",
            "planted in a",
            ["initiatives/a.yaml", [2, 1, 2, 2], ""],
            [],
            False,
            None,
        ]
    )
    plant(entries, data)
    path = project / "initiatives" / "b.yaml"
    path.write_text(path.read_text().replace("  review_date: 2099-12-31\n", ""))
    result = run(govlint)
    rules = [line.split()[2] for line in result.lines[:-1]]
    assert "GL011" in rules  # a.yaml came from the cache
    assert "LIF-001" in rules  # b.yaml was checked again


def test_no_cache_reads_and_writes_nothing(govlint, project: Path) -> None:
    assert run(govlint, "--no-cache").code == 0
    assert not (project / ".govlint_cache").exists()
    assert run(govlint, "--cache-dir", "elsewhere").code == 0
    assert (project / "elsewhere" / "run-v3.json").exists()


def _portfolio_of(folder: Path, n: int) -> None:
    with_registry(folder, "manifests: ['initiatives/*.yaml']\n")
    (folder / "initiatives").mkdir()
    for i in range(n):
        text = base_manifest().replace("id: example-initiative", f"id: m{i}")
        text = text.replace("Suggests maintenance crew schedules", f"Plans task {i} for")
        (folder / "initiatives" / f"m{i:02d}.yaml").write_text(text)


def _break(folder: Path, i: int) -> None:
    path = folder / "initiatives" / f"m{i:02d}.yaml"
    path.write_text(path.read_text().replace("  review_date: 2099-12-31\n", ""))


def test_a_few_changed_files_are_checked_again_without_rewriting_the_cache(
    govlint, tmp_path: Path
) -> None:
    _portfolio_of(tmp_path, 12)
    assert run(govlint).code == 0
    [entries] = list((tmp_path / ".govlint_cache").glob("cache-v*-*.json"))
    written = entries.read_bytes()

    _break(tmp_path, 3)  # one file changed, as in a pre-commit hook
    for args in (("--pre-commit", "initiatives/m03.yaml"), ()):
        cached = run(govlint, "--format", "json", *args)
        fresh = run(govlint, "--format", "json", "--no-cache", *args)
        assert cached.code == fresh.code == 1
        assert cached.out == fresh.out
        assert '"rule_id": "LIF-001"' in cached.out
    assert entries.read_bytes() == written  # checking one file again beats rewriting all

    for i in range(4, 12):  # nine changed files: more than a run checks again for free
        _break(tmp_path, i)
    cached = run(govlint, "--format", "json")
    assert cached.out == run(govlint, "--format", "json", "--no-cache").out
    assert entries.read_bytes() != written
    stored = read_cache(entries)["files"]
    assert all(f"initiatives/m{i:02d}.yaml" in " ".join(stored) for i in range(12))


def test_the_memo_gives_back_rule_files_by_their_content(govlint, project: Path) -> None:
    """Rule and pack files are parsed once and then read back from the memo, by content: a
    planted document comes back (the memo is read), an edited file is parsed again."""
    (project / "rules").mkdir()
    rule = (Path(__file__).parent.parent / "rules" / "lifecycle").glob("LIF-101-*.yaml")
    rule_file = project / "rules" / "ORG-001.yaml"
    rule_file.write_text(next(rule).read_text().replace("id: LIF-101", "id: ORG-001"))
    with_registry(project, "manifests: ['initiatives/*.yaml']\nrule_paths: [rules]\n")
    b = project / "initiatives" / "b.yaml"
    b.write_text(b.read_text().replace("id: b", "id: a"))  # ORG-001 and LIF-101 fire
    assert run(govlint).code == 1
    memo_file = project / ".govlint_cache" / "memo-v3.json"
    memo = read_cache(memo_file)
    [entry] = [e for e in memo["documents"].values() if e[0][0].endswith("ORG-001.yaml")]
    entry[0][2]["message"] = "planted: {detail}"
    plant(memo_file, memo)
    b.write_text(b.read_text() + "# edited: the run is not answered from the run record\n")
    planted = run(govlint)
    assert "ORG-001 planted: initiative id" in planted.out, planted
    rule_file.write_text(rule_file.read_text().replace('"{detail}"', '"edited: {detail}"'))
    edited = run(govlint)
    assert "ORG-001 edited: initiative id" in edited.out, edited
    assert "planted" not in edited.out


def test_near_identical_pairs_kept_between_runs_are_used_and_stay_exact(
    govlint, tmp_path: Path
) -> None:
    """The near-identical pairs of the last run are kept in the memo; the next run compares
    only the purposes that changed, and finds what a run without the cache finds."""
    from test_clusters import write_portfolio

    write_portfolio(
        tmp_path,
        [
            {"id": "pair-a", "unit": "operations", "purpose": "Answers letters about parking."},
            {"id": "pair-b", "unit": "finance", "purpose": "Answers letters about parking!"},
            {"id": "loner-x", "unit": "hr", "purpose": "Detects potholes in street images."},
            {
                "id": "loner-y",
                "unit": "finance",
                "purpose": "Forecasts daily visitors at the swimming pool.",
            },
        ],
    )
    json_of = ("check", "--format", "json")
    first = govlint(*json_of)
    memo_file = tmp_path / ".govlint_cache" / "memo-v3.json"
    memo = read_cache(memo_file)
    threshold, sets, pairs = memo["pairs"]
    assert threshold == 0.8 and len(sets) == 3 and pairs == []  # one set per distinct purpose
    # plant a pair between the two loners: the next run trusts its own sealed memo
    x = next(i for i, s in enumerate(sets) if "pothol" in s)
    y = next(i for i, s in enumerate(sets) if "pool" in s)
    memo["pairs"][2].append(sorted([x, y]))
    plant(memo_file, memo)
    loner = tmp_path / "loner-x.yaml"
    loner.write_text(loner.read_text() + "# a comment: the purposes stay as they were\n")
    planted = govlint(*json_of)
    assert planted.out.count("(cluster purpose-") == first.out.count("(cluster purpose-") + 2

    memo_file.unlink()
    loner.write_text(loner.read_text() + "# another comment: a full run, not the run record\n")
    govlint(*json_of)  # the pairs kept again, from a full comparison
    assert read_cache(memo_file)["pairs"][2] == []
    loner.write_text(
        loner.read_text().replace(
            "Detects potholes in street images.",
            "Forecasts daily visitors at the swimming pool, gym.",
        )
    )
    for args in (("--pre-commit", "loner-x.yaml"), ()):
        cached = govlint(*json_of, *args)
        fresh = govlint(*json_of, "--no-cache", *args)
        assert cached.out == fresh.out and cached.code == fresh.code
        assert '"loner-y' in cached.out and "near-identical to that of 'loner-x'" in cached.out


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a child process writes the cache on Linux only"
)
def test_a_child_process_writes_the_cache_this_process_would_write(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Linux the file entries are encoded and written by a forked child while the
    portfolio rules run; what it leaves is what this process writes itself elsewhere."""
    import datetime as dt

    from govlint import cache
    from govlint.run import RunSettings
    from govlint.run import run as run_in_process

    assert cache._can_fork()  # no other thread here: the child is used
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        forks.append(os.getpid())
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    written = {}
    for child in (True, False):
        monkeypatch.setattr(cache, "_can_fork", lambda child=child: child)
        folder = project / f"cache-{child}"
        settings = RunSettings(
            cwd=project, today=dt.date.fromisoformat(TODAY), use_cache=True, cache_dir=folder
        )
        assert run_in_process(settings).outcome.files
        written[child] = {
            p.name: read_cache(p) for p in folder.glob("*.json") if "memo" not in p.name
        }
    assert forks == [os.getpid()]  # the child forked once, and never ran on in its own
    # the files, the portfolio's findings, the run record (the memo is this process's)
    assert len(written[True]) == 3 and written[True] == written[False]


@pytest.mark.parametrize("damage", [5, "zz", "[[], [1]]"])
def test_a_damaged_memo_entry_is_parsed_again(govlint, project: Path, damage: object) -> None:
    """Positions in the memo that do not decode make the file be parsed again: no crash,
    now or on the next run."""
    clean = run(govlint)
    folder = project / ".govlint_cache"
    memo = read_cache(folder / "memo-v3.json")
    for entry in memo["documents"].values():
        for document in entry:
            document[4] = damage
    plant(folder / "memo-v3.json", memo)
    for path in folder.glob("*.json"):
        if path.name != "memo-v3.json":
            path.unlink()
    for _ in range(2):
        again = run(govlint)
        assert (again.code, again.out) == (clean.code, clean.out), again


def test_writing_the_run_record_runs_no_collector_pass_and_leaves_it_as_it_was(
    tmp_path: Path,
) -> None:
    """Encoding thousands of findings makes no cycles: the collector is paused while the
    run record is written (each pass would walk everything the run made), and afterwards
    it is on again exactly when it was on before; the record still reads back."""
    import gc

    from govlint import cache
    from govlint.coverage import Coverage
    from govlint.findings import Finding, Location, Severity, Span

    findings = [
        Finding(
            "ABC-001",
            Severity.WARNING,
            f"problem {i}",
            Location(f"f{i}.yaml", Span(i + 1, 1, i + 1, 5), "a.b"),
        )
        for i in range(5_000)
    ]
    passes: list[str] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(phase)

    gc.callbacks.append(count)
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            cache.write_run(tmp_path, "k", ["f.yaml"], findings, Coverage((), ()), {})
            assert gc.isenabled() is enabled
    finally:
        gc.callbacks.remove(count)
        gc.enable()
    assert passes == []
    answer = cache.read_run(tmp_path, "k")
    assert answer is None  # no layout kept: a full run writes it again
    raw = cache.read_run_record(tmp_path)
    assert raw is not None
    answered = cache.run_answer(raw, "k")
    assert answered is not None
    assert answered.findings == findings
