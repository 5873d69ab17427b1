"""The benchmark: govlint against check-jsonschema and Spectral on the same manifests.

    python bench/run.py [--small 1000] [--large 10000] [--rounds 3] [--compare DIR] [--out r.json]

It generates the corpora (bench/corpus.py: generated manifests, and copies of the bundled
examples), then measures each case of the summary table in ONE interleaved series: every
contender of a case runs once per round (A B C A B C ...), each in a fresh process, and the
median of the rounds is kept, so a machine that slows down during the run slows every
contender alike. ``--compare DIR`` adds another checkout of govlint (e.g. the main branch) as
a contender in every govlint case: before and after from the same series.
A peer that is not installed is reported as skipped, with how to install it.
See bench/README.md for what is measured and how to read it.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import corpus as corpus_mod  # noqa: E402
import peers  # noqa: E402

TODAY = corpus_mod.BENCH_TODAY.isoformat()
GNU_TIME = "/usr/bin/time"
INSTALL = {
    "check-jsonschema": "pip install check-jsonschema",
    "spectral": "npm install --prefix bench @stoplight/spectral-cli",
}
#: a govlint finding line: file:line:col: severity RULE message
FINDING = re.compile(
    r"^(?P<file>\S+?):\d+:\d+: (?:error|warning|info) (?P<rule>[A-Z]+[0-9]*-?\d+) "
)

# -- measuring one run ---------------------------------------------------------------------


@dataclass
class Run:
    """One timed run of one tool."""

    tool: str
    label: str
    cmd: list[str]
    wall_s: float | None = None
    max_rss_kib: int | None = None
    exit_code: int | None = None
    findings: int | None = None
    files: int | None = None
    note: str = ""  # "skipped (...)", "timed out ...", "failed ..."
    output: str = ""  # where stdout went
    env: dict[str, str] = field(default_factory=dict)  # added to the environment

    @property
    def ok(self) -> bool:
        return self.wall_s is not None and not self.note


def _have_gnu_time() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    try:
        proc = subprocess.run([GNU_TIME, "-v", "true"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return "Maximum resident set size" in proc.stderr


#: runs the command in a fresh process and reports its peak RSS (fallback without GNU time)
_RUSAGE_WRAPPER = """\
import json, resource, subprocess, sys
out, err = open(sys.argv[1], "wb"), open(sys.argv[1] + ".err", "wb")
code = subprocess.call(sys.argv[3:], stdout=out, stderr=err)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    rss //= 1024  # bytes on macOS, KiB on Linux
open(sys.argv[2], "w").write(json.dumps({"exit": code, "max_rss_kib": rss}))
"""


def measure(run: Run, cwd: Path, out_file: Path, timeout: float, gnu_time: bool) -> Run:
    """Run ``run.cmd`` in ``cwd``; stdout goes to ``out_file``, stderr next to it (``.err``)."""
    stats = out_file.with_suffix(".stats")
    if gnu_time:
        wrapped = [GNU_TIME, "-v", "-o", str(stats), *run.cmd]
    else:
        wrapped = [sys.executable, "-c", _RUSAGE_WRAPPER, str(out_file), str(stats), *run.cmd]
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0", **run.env}
    run.output = str(out_file)
    with open(out_file, "wb") as out, open(f"{out_file}.err", "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped,
            cwd=cwd,
            stdout=out if gnu_time else subprocess.DEVNULL,
            stderr=err if gnu_time else subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        # wait(timeout=...) polls with sleeps of up to 50 ms, which would round every
        # time up; a timer kills a run that takes too long, and wait() returns at the exit
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            os.killpg(proc.pid, signal.SIGKILL)  # the tool and everything it started

        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
        if expired.is_set():
            run.note = f"timed out after {timeout:.0f} s (--timeout)"
            return run
    run.wall_s = elapsed
    text = stats.read_text(encoding="utf-8", errors="replace") if stats.exists() else ""
    if gnu_time:
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        code = re.search(r"Exit status: (\d+)", text)
        run.max_rss_kib = int(rss.group(1)) if rss else None
        run.exit_code = int(code.group(1)) if code else proc.returncode
        if "Command terminated by signal" in text:
            run.note = "failed: killed by a signal"
    else:
        data = json.loads(text or "{}")
        run.max_rss_kib = data.get("max_rss_kib")
        run.exit_code = data.get("exit", proc.returncode)
    return run


# -- the tools -------------------------------------------------------------------------------


@dataclass
class Tools:
    python: str
    govlint_version: str
    cache: bool  # govlint check has --no-cache
    parallel: bool  # govlint check has --jobs (checks files in several processes)
    cj: list[str] | None
    cj_version: str
    spectral: list[str] | None
    spectral_version: str
    cj_parser: str = ""  # the YAML parser check-jsonschema reads with


def _version(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return ""
    if proc.returncode != 0:
        return ""
    found = re.search(r"\d+\.\d+[\w.+-]*", proc.stdout + proc.stderr)
    return found.group(0) if found else "?"


def find_tools() -> Tools:
    python = sys.executable
    govlint_version = _version([python, "-m", "govlint", "--version"])
    if not govlint_version:
        sys.exit("govlint is not importable from this Python; run: pip install -e .")
    help_text = subprocess.run(
        [python, "-m", "govlint", "check", "--help"], capture_output=True, text=True
    ).stdout
    cj: list[str] | None = None
    found = shutil.which("check-jsonschema") or shutil.which(
        "check-jsonschema", path=str(Path(python).parent)
    )
    if found:
        cj = [found]
    cj_version = _version([*cj, "--version"]) if cj else ""
    if not cj_version:
        cj = None
    spectral: list[str] | None = None
    local = BENCH / "node_modules" / ".bin" / "spectral"
    for candidate in ([str(local)], ["npx", "--no-install", "spectral"]):
        if candidate[0] == str(local) and not local.exists():
            continue
        if candidate[0] == "npx" and not shutil.which("npx"):
            continue
        version = _version([*candidate, "--version"])
        if version:
            spectral, spectral_version = candidate, version
            break
    else:
        spectral_version = ""
    return Tools(
        python,
        govlint_version,
        "--no-cache" in help_text,
        "--jobs" in help_text,
        cj,
        cj_version,
        spectral,
        spectral_version,
        _cj_parser(cj[0]) if cj else "",
    )


#: prints the YAML parser check-jsonschema's Python gives ruamel.yaml's safe loader
_PARSER_PROBE = """\
import ruamel.yaml
try:
    from ruamel.yaml.cyaml import CParser
    from importlib.metadata import version
    clib = version("ruamel.yaml.clib")
    print(f"ruamel.yaml {ruamel.yaml.__version__} with libyaml (ruamel.yaml.clib {clib})")
except ImportError:
    print(f"ruamel.yaml {ruamel.yaml.__version__}, pure Python (no ruamel.yaml.clib)")
"""


def _cj_parser(script: str) -> str:
    """Which YAML parser check-jsonschema runs with: without ruamel.yaml.clib it reads about
    twice as slowly, which would flatter govlint."""
    try:
        first = Path(script).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return "unknown"
    interpreter = first[2:].strip().split() if first.startswith("#!") else []
    if not interpreter:
        return "unknown"
    try:
        proc = subprocess.run(
            [*interpreter, "-c", _PARSER_PROBE], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return proc.stdout.strip() or "unknown"


def _skipped(tool: str, label: str) -> Run:
    return Run(tool, label, [], note=f"skipped (not installed: {INSTALL[tool]})")


def compile_bytecode(python: str, package: Path) -> None:
    """Compile a checkout's modules once, as ``pip install`` does for an installed package
    (and as the peers' packages are): with PYTHONDONTWRITEBYTECODE set, or a checkout whose
    files changed since, every measured run would compile govlint's sources again."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [python, "-m", "compileall", "-q", str(package)],
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
        timeout=300,
    )


@dataclass(frozen=True)
class Govlint:
    """One govlint to measure: this checkout, or another one given with --compare."""

    name: str  # "govlint", or "govlint (main)"
    python: str
    env: tuple[tuple[str, str], ...] = ()  # PYTHONPATH for another checkout
    slug: str = "new"

    def check(self, *args: str, cache_dir: Path | None = None) -> list[str]:
        """``govlint check`` without the cache, or with its own cache folder."""
        cmd = [self.python, "-m", "govlint", "check", "--today", TODAY, "--color", "never"]
        cmd += ["--no-cache"] if cache_dir is None else ["--cache-dir", str(cache_dir)]
        return [*cmd, *args]

    def version(self) -> str:
        env = {**os.environ, **dict(self.env)}
        try:
            proc = subprocess.run(
                [self.python, "-m", "govlint", "--version"],
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return proc.stdout.strip()


def count_govlint(run: Run) -> Run:
    text = Path(run.output).read_text(encoding="utf-8", errors="replace")
    found = re.search(r"Found ([\d,]+) problems?", text)
    run.findings = (
        int(found.group(1).replace(",", ""))
        if found
        else sum(1 for line in text.splitlines() if FINDING.match(line))
    )
    if run.exit_code not in (0, 1):
        run.note = f"failed (exit {run.exit_code}; see {run.output})"
    return run


def count_cj(run: Run) -> Run:
    try:
        data = json.loads(Path(run.output).read_text(encoding="utf-8"))
        run.findings = len(data.get("errors", [])) + len(data.get("parse_errors", []))
    except ValueError:
        run.note = f"failed (exit {run.exit_code}; see {run.output})"
    if run.exit_code not in (0, 1):
        run.note = f"failed (exit {run.exit_code}; see {run.output})"
    return run


def count_spectral(run: Run) -> Run:
    text = Path(run.output).read_text(encoding="utf-8", errors="replace")
    try:
        start = text.index("[")
        run.findings = len(json.loads(text[start:]))
    except ValueError:
        run.note = f"failed (exit {run.exit_code}; see {run.output})"
    if run.exit_code not in (0, 1):
        run.note = f"failed (exit {run.exit_code}; see {run.output})"
    return run


# -- equivalence: do the peers' rules flag what govlint flags? --------------------------------


def equivalence(root: Path, runs: list[Run]) -> dict[str, Any]:
    """Per rule, the files flagged by govlint, by the JSON Schema clauses, and by Spectral."""
    from ruamel.yaml import YAML

    ids = {r.id for r in peers.RULES}
    by_tool: dict[str, dict[str, set[str]]] = {
        "govlint": collections.defaultdict(set),
        "json-schema": collections.defaultdict(set),
        "spectral": collections.defaultdict(set),
    }
    govlint_run = next((r for r in runs if r.tool == "govlint" and r.ok), None)
    if govlint_run is None:
        return {"rules": {}, "govlint_schema_findings": None}
    schema_errors = 0
    for line in Path(govlint_run.output).read_text(encoding="utf-8").splitlines():
        found = FINDING.match(line)
        if found and found["rule"] in ids:
            by_tool["govlint"][found["rule"]].add(found["file"])
        if found and found["rule"].startswith("GL0"):
            schema_errors += 1
    yaml = YAML(typ="safe")  # YAML 1.2, as check-jsonschema reads it
    for path in sorted((root / "initiatives").glob("*.yaml")):
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle)
        for rule_id in peers.broken_rules(data):
            by_tool["json-schema"][rule_id].add(path.relative_to(root).as_posix())
    result: dict[str, Any] = {"rules": {}, "govlint_schema_findings": schema_errors}
    cj_run = next((r for r in runs if r.tool == "check-jsonschema" and r.ok), None)
    if cj_run is not None:
        data = json.loads(Path(cj_run.output).read_text(encoding="utf-8"))
        flagged = {e["filename"] for e in data.get("errors", [])}
        union = set().union(*by_tool["json-schema"].values())
        result["check_jsonschema_files_agree"] = flagged == union
    spectral_run = next((r for r in runs if r.tool == "spectral" and r.ok), None)
    names = {r.spectral: r.id for r in peers.RULES}
    if spectral_run is not None:
        text = Path(spectral_run.output).read_text(encoding="utf-8")
        for item in json.loads(text[text.index("[") :]):
            source = Path(item["source"])
            rel = (
                source.relative_to(root.resolve()).as_posix()
                if source.is_absolute()
                else (source.as_posix())
            )
            if item["code"] in names:
                by_tool["spectral"][names[item["code"]]].add(rel)
            elif item["code"] == "govlint-schema":
                result["spectral_schema_findings"] = result.get("spectral_schema_findings", 0) + 1
    for rule in peers.RULES:
        row = {tool: sorted(flagged[rule.id]) for tool, flagged in by_tool.items()}
        if spectral_run is None:
            del row["spectral"]
        same = all(v == row["govlint"] for v in row.values())
        result["rules"][rule.id] = {
            "files": len(row["govlint"]),
            "same": same,
            **({} if same else {"diff": row}),
        }
    return result


# -- report ---------------------------------------------------------------------------------


def _mib(kib: int | None) -> str:
    return f"{kib / 1024:,.0f} MiB" if kib else "-"


def _secs(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.2f} s" if value < 100 else f"{value:,.0f} s"


# -- interleaved series: every contender once per round, the median kept ----------------------


@dataclass
class Contender:
    """One command of a series, with what must happen before each of its runs."""

    key: str  # unique in the whole benchmark, e.g. "new:cold-1000"
    tool: str  # govlint | check-jsonschema | spectral
    label: str
    cmd: list[str]
    cwd: Path
    counter: Any
    files: int
    env: dict[str, str] = field(default_factory=dict)
    prepare: Any = None  # called before every run (not timed)


@dataclass
class Context:
    tools: Tools
    work: Path
    peer_schema: Path
    spectral_ruleset: Path
    timeout: float
    gnu_time: bool
    log_dir: Path
    rounds: int
    results: dict[str, Run] = field(default_factory=dict)  # by contender key: the median
    samples: dict[str, list[float]] = field(default_factory=dict)


def _median_run(runs: list[Run]) -> Run:
    done = [r for r in runs if r.wall_s is not None and not r.note]
    if len(done) < len(runs):  # a failed or timed-out round: report that one
        return next(r for r in runs if r.wall_s is None or r.note)
    walls = sorted(r.wall_s for r in done if r.wall_s is not None)
    rss = sorted(r.max_rss_kib for r in done if r.max_rss_kib is not None)
    median = replace(done[-1], wall_s=statistics.median(walls))
    median.max_rss_kib = int(statistics.median(rss)) if rss else None
    return median


def series(ctx: Context, name: str, contenders: list[Contender], rounds: int | None = None) -> None:
    """Run the contenders in turn, ``rounds`` times (A B C A B C ...); keep each one's median."""
    rounds = rounds or ctx.rounds
    print(f"{name}: {len(contenders)} commands x {rounds} rounds, interleaved", file=sys.stderr)
    runs: dict[str, list[Run]] = {c.key: [] for c in contenders}
    failed: set[str] = set()
    for _ in range(rounds):
        for c in contenders:
            if c.key in failed:
                continue
            if c.prepare is not None:
                c.prepare()
            out = ctx.log_dir / f"{c.key.replace(':', '-')}.out"
            run = measure(
                Run(c.tool, c.label, c.cmd, env=c.env), c.cwd, out, ctx.timeout, ctx.gnu_time
            )
            runs[c.key].append(run)
            if run.wall_s is None or run.note:
                failed.add(c.key)  # a timeout is not repeated
            print(f"  {c.label}: {_secs(run.wall_s) if run.wall_s else run.note}", file=sys.stderr)
    for c in contenders:
        median = _median_run(runs[c.key])
        if median.wall_s is not None and not median.note:
            c.counter(median)
        median.files = c.files
        ctx.results[c.key] = median
        ctx.samples[c.key] = [r.wall_s for r in runs[c.key] if r.wall_s is not None]


def _clear(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _prime(ctx: Context, g: Govlint, cwd: Path, cmd: list[str]) -> None:
    """Fill ``g``'s cache with the very command that is measured warm."""
    measure(
        Run("govlint", "prime", cmd, env=dict(g.env)),
        cwd,
        ctx.log_dir / "prime.out",
        ctx.timeout,
        ctx.gnu_time,
    )


def _manifests(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "initiatives").glob("*.yaml"))


def _cj(ctx: Context, key: str, label: str, root: Path, files: list[str]) -> list[Contender]:
    if not ctx.tools.cj:
        ctx.results[key] = _skipped("check-jsonschema", label)
        return []
    cmd = [*ctx.tools.cj, "--output-format", "json", "--schemafile", str(ctx.peer_schema)]
    return [Contender(key, "check-jsonschema", label, [*cmd, *files], root, count_cj, len(files))]


def _spectral(
    ctx: Context, key: str, label: str, root: Path, target: str, n: int
) -> list[Contender]:
    if not ctx.tools.spectral:
        ctx.results[key] = _skipped("spectral", label)
        return []
    cmd = [*ctx.tools.spectral, "lint", "--ruleset", str(ctx.spectral_ruleset)]
    cmd += ["--format", "json", "--quiet", target]
    return [Contender(key, "spectral", label, cmd, root, count_spectral, n)]


def run_series(
    ctx: Context, variants: list[Govlint], small: Path, large: Path | None, copies: Path | None
) -> dict[str, Any]:
    """Every series of the summary table; returns what the table needs to know besides runs."""
    files = _manifests(small)
    n = len(files)
    info: dict[str, Any] = {"small": n}

    # 1. the cold run of the small corpus against both peers
    group: list[Contender] = []
    for g in variants:
        group.append(
            Contender(
                f"{g.slug}:cold",
                "govlint",
                f"{g.name} check",
                g.check(),
                small,
                count_govlint,
                n + 2,
                dict(g.env),
            )
        )
    group += _cj(ctx, "cj:all", "check-jsonschema", small, files)
    group += _spectral(ctx, "spectral:all", "Spectral", small, "initiatives/*.yaml", n)
    series(ctx, f"cold, {n:,} manifests", group)

    # 2. pre-commit: one changed file, with a warm cache and with the cache written cold
    changed = files[len(files) // 2]
    info["changed"] = changed
    path = small / changed
    original = path.read_bytes()
    group = []
    for g in variants:
        cache = ctx.work / f"cache-{g.slug}"
        warm_cmd = g.check("--pre-commit", changed, cache_dir=cache)

        def warm(g: Govlint = g, cache: Path = cache, cmd: list[str] = warm_cmd) -> None:
            path.write_bytes(original)
            _clear(cache)
            _prime(ctx, g, small, g.check(cache_dir=cache))  # the full portfolio, cached
            path.write_bytes(original + b"# changed by the benchmark\n")

        def cold(cache: Path = cache) -> None:
            path.write_bytes(original + b"# changed by the benchmark\n")
            _clear(cache)

        group.append(
            Contender(
                f"{g.slug}:pc-warm",
                "govlint",
                f"{g.name} --pre-commit (warm cache)",
                warm_cmd,
                small,
                count_govlint,
                1,
                dict(g.env),
                warm,
            )
        )
        group.append(
            Contender(
                f"{g.slug}:pc-cold",
                "govlint",
                f"{g.name} --pre-commit (cold, writes cache)",
                warm_cmd,
                small,
                count_govlint,
                1,
                dict(g.env),
                cold,
            )
        )
    group += _cj(ctx, "cj:one", "check-jsonschema (the one file)", small, [changed])
    group += _spectral(ctx, "spectral:one", "Spectral (the one file)", small, changed, 1)
    try:
        series(ctx, "pre-commit, one changed file", group)
    finally:
        path.write_bytes(original)

    # 3. nothing changed: the warm cache against the cold run; 4. --jobs default against -j1
    group = []
    for g in variants:
        cache = ctx.work / f"cache-{g.slug}"
        warm_cmd = g.check(cache_dir=cache)
        _clear(cache)
        _prime(ctx, g, small, warm_cmd)
        group.append(
            Contender(
                f"{g.slug}:warm",
                "govlint",
                f"{g.name} check (warm cache)",
                warm_cmd,
                small,
                count_govlint,
                n + 2,
                dict(g.env),
            )
        )
        group.append(
            Contender(
                f"{g.slug}:cold2",
                "govlint",
                f"{g.name} check",
                g.check(),
                small,
                count_govlint,
                n + 2,
                dict(g.env),
            )
        )
        group.append(
            Contender(
                f"{g.slug}:j1",
                "govlint",
                f"{g.name} check -j1",
                g.check("-j1"),
                small,
                count_govlint,
                n + 2,
                dict(g.env),
            )
        )
    series(ctx, f"warm cache and workers, {n:,} manifests", group)

    # 5. the large corpus: growth, workers, and the cost of writing the cache
    if large is not None:
        big = len(_manifests(large))
        info["large"] = big
        group = []
        for g in variants:
            cache = ctx.work / f"cache-{g.slug}"
            env = dict(g.env)
            group += [
                Contender(
                    f"{g.slug}:large",
                    "govlint",
                    f"{g.name} check",
                    g.check(),
                    large,
                    count_govlint,
                    big + 2,
                    env,
                ),
                Contender(
                    f"{g.slug}:large-j1",
                    "govlint",
                    f"{g.name} check -j1",
                    g.check("-j1"),
                    large,
                    count_govlint,
                    big + 2,
                    env,
                ),
                Contender(
                    f"{g.slug}:large-write",
                    "govlint",
                    f"{g.name} check (cold, writes cache)",
                    g.check(cache_dir=cache),
                    large,
                    count_govlint,
                    big + 2,
                    env,
                    lambda cache=cache: _clear(cache),
                ),
                Contender(
                    f"{g.slug}:small",
                    "govlint",
                    f"{g.name} check ({n:,})",
                    g.check(),
                    small,
                    count_govlint,
                    n + 2,
                    env,
                ),
            ]
        series(ctx, f"{big:,} manifests", group)

    # 6. copies of the bundled examples: groups of thousands of near-duplicates
    if copies is not None:
        many = _manifests(copies)
        info["copies"] = len(many)
        group = [
            Contender(
                f"{g.slug}:copies",
                "govlint",
                f"{g.name} check",
                g.check(),
                copies,
                count_govlint,
                len(many) + 2,
                dict(g.env),
            )
            for g in variants
        ]
        group += _cj(ctx, "cj:copies", "check-jsonschema", copies, many)
        series(ctx, f"{len(many):,} copies of the examples", group)

    # 7. start-up
    group = [
        Contender(
            f"{g.slug}:version",
            "govlint",
            f"{g.name} --version",
            [g.python, "-m", "govlint", "--version"],
            small,
            lambda r: r,
            0,
            dict(g.env),
        )
        for g in variants
    ]
    if ctx.tools.cj:
        group.append(
            Contender(
                "cj:version",
                "check-jsonschema",
                "check-jsonschema --version",
                [*ctx.tools.cj, "--version"],
                small,
                lambda r: r,
                0,
            )
        )
    series(ctx, "start-up", group, max(ctx.rounds, 5))
    return info


# -- the summary table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One case of the summary: govlint's figure, the yardstick's, their ratio and its target."""

    case: str
    key: str  # govlint's contender, without the variant: "cold"
    yardstick: str  # a peer's contender key ("cj:all"), or govlint's own ("@cold2")
    target: str
    limit: float | None  # the ratio must be at most this
    rss_limit_kib: int | None = None
    rss: bool = False
    strict: bool = False  # the ratio must be below ``limit``, not at most


def rows(info: dict[str, Any]) -> list[Row]:
    n = info["small"]
    out = [
        Row(
            f"{n:,} generated manifests, cold, no cache", "cold", "cj:all", "<= 0.2", 0.2, rss=True
        ),
        Row("same, vs Spectral", "cold", "spectral:all", "<= 0.05 (>= 20x)", 0.05),
        Row(
            f"pre-commit, 1 changed file in {n:,}, warm cache",
            "pc-warm",
            "cj:one",
            "<= 0.5",
            0.5,
            rss=True,
        ),
        Row(
            f"pre-commit, 1 changed file in {n:,}, cold (writes the cache)",
            "pc-cold",
            "cj:one",
            "",
            None,
        ),
        Row(
            f"{n:,} unchanged, warm cache (vs cold)", "warm", "@cold2", "< 0.10", 0.10, strict=True
        ),
        Row(f"`--jobs` default vs `-j1` at {n:,}", "cold2", "@j1", "<= 1.0", 1.0),
    ]
    if "copies" in info:
        c = info["copies"]
        out.append(
            Row(
                f"{c:,} copies of the bundled examples, cold",
                "copies",
                "cj:copies",
                "<= 0.5 and < 1 GiB",
                0.5,
                1024 * 1024,
                rss=True,
            )
        )
    if "large" in info:
        big = info["large"]
        out += [
            Row(
                f"{big:,} / {n:,} generated, cold",
                "large",
                "@small",
                f"<= {1.1 * big / n:g}",
                1.1 * big / n,
            ),
            Row(f"`--jobs` default vs `-j1` at {big:,}", "large", "@large-j1", "<= 1.0", 1.0),
            Row(
                f"cold run that writes the cache vs `--no-cache` at {big:,}",
                "large-write",
                "@large",
                "<= 1.1",
                1.1,
            ),
        ]
    out.append(
        Row(
            "`govlint --version` (vs check-jsonschema --version)",
            "version",
            "cj:version",
            "keep",
            None,
        )
    )
    return out


def _ratio(value: float) -> str:
    if value < 0.1:
        return f"{value:.3f} (1/{1 / value:.0f})" if value > 0 else "0"
    return f"{value:.2f}"


def _figure(run: Run | None, rss: bool) -> str:
    if run is None:
        return "-"
    if run.wall_s is None or run.note:
        return run.note.split(" (")[0] if run.note else "-"
    return _secs(run.wall_s) + (f", {_mib(run.max_rss_kib)}" if rss else "")


def summary(ctx: Context, variants: list[Govlint], info: dict[str, Any]) -> list[str]:
    """The issue's table: per case, each govlint's figure, the yardstick, ratio, target, met."""
    head = ["case"]
    for g in variants:
        head += [g.name, "yardstick", "ratio"]
    head += ["target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows(info):
        cells = [row.case]
        met = ""
        for k, g in enumerate(variants):
            run = ctx.results.get(f"{g.slug}:{row.key}")
            yard_key = (
                f"{g.slug}:{row.yardstick[1:]}"
                if row.yardstick.startswith("@")
                else (row.yardstick)
            )
            yard = ctx.results.get(yard_key)
            ratio = None
            if run and yard and run.wall_s and yard.wall_s and not run.note and not yard.note:
                ratio = run.wall_s / yard.wall_s
            cells += [
                _figure(run, row.rss),
                _figure(yard, row.rss),
                _ratio(ratio) if ratio else "-",
            ]
            if k == 0:
                met = _met(row, run, ratio)
        cells += [row.target, met]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _met(row: Row, run: Run | None, ratio: float | None) -> str:
    if row.limit is None:
        return ""
    if ratio is None or run is None:
        return "n/a"
    ok = ratio < row.limit if row.strict else ratio <= row.limit
    if row.rss_limit_kib is not None:
        ok = ok and run.max_rss_kib is not None and run.max_rss_kib < row.rss_limit_kib
    return "yes" if ok else "no"


def details(ctx: Context) -> list[str]:
    """Every command measured: median, the spread of the rounds, peak RSS, findings, exit."""
    lines = [
        "| command | corpus | median | rounds (min-max) | peak RSS | findings | exit |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, run in ctx.results.items():
        walls = ctx.samples.get(key, [])
        spread = f"{min(walls):.2f}-{max(walls):.2f} s ({len(walls)})" if walls else ""
        corpus = key.split(":")[1]
        lines.append(
            f"| {run.label} | {corpus} | {_secs(run.wall_s) if run.wall_s else run.note} | "
            f"{spread} | {_mib(run.max_rss_kib)} | "
            f"{run.findings if run.findings is not None else '-'} | "
            f"{run.exit_code if run.exit_code is not None else '-'} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="govlint benchmark against its peers")
    parser.add_argument("--small", type=int, default=1000, help="generated manifests (1000)")
    parser.add_argument(
        "--large", type=int, default=10000, help="generated manifests for growth (10000; 0: skip)"
    )
    parser.add_argument(
        "--copies", type=int, default=10000, help="copies of the bundled examples (10000; 0: skip)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds per series (3)")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="DIR",
        help="another checkout of govlint (its repository root) to measure in the same rounds",
    )
    parser.add_argument("--compare-name", default="main", help="its name in the tables (main)")
    parser.add_argument("--no-spectral", action="store_true", help="leave Spectral out")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--out", type=Path, help="write machine-readable results (JSON)")
    parser.add_argument("--workdir", type=Path, help="where to generate (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=corpus_mod.DEFAULT_SEED)
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds before one run is stopped (1800)"
    )
    args = parser.parse_args(argv)
    if args.small < 1 or args.large < 0 or args.copies < 0 or args.rounds < 1:
        parser.error("--small and --rounds must be positive, --large and --copies not negative")

    tools = find_tools()
    if args.no_spectral:
        tools.spectral = None
    variants = [Govlint("govlint", tools.python)]
    if args.compare is not None:
        other = args.compare.resolve()
        if not (other / "govlint" / "__init__.py").is_file():
            parser.error(f"--compare {args.compare}: not a govlint checkout (no govlint/)")
        variants.append(
            Govlint(
                f"govlint ({args.compare_name})", tools.python, (("PYTHONPATH", str(other)),), "old"
            )
        )
    for root in [REPO, *([args.compare.resolve()] if args.compare is not None else [])]:
        compile_bytecode(tools.python, root / "govlint")
    gnu_time = _have_gnu_time()
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="govlint-bench-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    log_dir = work / "logs"
    log_dir.mkdir(exist_ok=True)
    peer_schema, spectral_ruleset = peers.write_peer_files(work / "peers", tools.python)
    ctx = Context(
        tools, work, peer_schema, spectral_ruleset, args.timeout, gnu_time, log_dir, args.rounds
    )

    print("generating the corpora", file=sys.stderr)
    small = work / f"corpus-{args.small}"
    made = corpus_mod.generate(small, args.small, args.seed)
    large = None
    if args.large:
        large = work / f"corpus-{args.large}"
        corpus_mod.generate(large, args.large, args.seed)
    copies = None
    if args.copies:
        copies = work / f"copies-{args.copies}"
        corpus_mod.copies(copies, args.copies)

    info = run_series(ctx, variants, small, large, copies)
    eq_runs = [ctx.results[k] for k in ("new:cold", "cj:all", "spectral:all") if k in ctx.results]
    eq = equivalence(small, eq_runs)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = {g.name: g.version() for g in variants}
    versions["check-jsonschema"] = tools.cj_version or "not installed"
    versions["spectral"] = tools.spectral_version or "not installed"
    out = [
        "govlint benchmark: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"machine: {platform.system()} {platform.release()}, {cores} cores available, Python "
        f"{platform.python_version()}; peak RSS from "
        f"{'GNU time -v' if gnu_time else 'getrusage(RUSAGE_CHILDREN)'}; --today {TODAY}; "
        f"seed {args.seed}",
        f"check-jsonschema parser: {tools.cj_parser or 'not installed'}",
        f"govlint runs with its default --jobs (one process per free core of the {cores} here, "
        "for 400 KB of files or more) unless the row says -j1; the peers use one process; "
        "peak RSS is the largest single process",
        f"every series interleaved (A B A B ...), {args.rounds} rounds, medians; ratio = "
        "govlint / yardstick (below 1: govlint is faster)",
        "",
    ]
    out += summary(ctx, variants, info)
    out += ["", "Every command (median of the rounds):", ""]
    out += details(ctx)
    out.append("")
    rules = eq["rules"] or {r.id: {"same": False, "files": 0, "diff": {}} for r in peers.RULES}
    same = [k for k, v in rules.items() if v["same"]]
    out.append(
        f"Rule equivalence on the {args.small:,} corpus: {len(same)}/{len(rules)} rules flag the "
        "same files in govlint, the JSON Schema clauses"
        + (" and Spectral" if tools.spectral else "")
    )
    for rule_id, v in rules.items():
        if not v["same"]:
            counts = ", ".join(f"{t} {len(f)}" for t, f in v["diff"].items())
            out.append(f"  {rule_id} differs: {counts}")
    if "check_jsonschema_files_agree" in eq:
        agree = "yes" if eq["check_jsonschema_files_agree"] else "NO"
        out.append(f"  check-jsonschema flags exactly the files the clauses flag: {agree}")
    if tools.spectral and args.large:
        out.append(
            f"  Spectral is not run at {args.large:,}: it takes minutes per run there; its "
            f"ratio at {args.small:,} stands for it"
        )
    print("\n".join(out))
    if args.out:
        results = {
            "date": dt.date.today().isoformat(),
            "versions": versions,
            "check_jsonschema_parser": tools.cj_parser,
            "cores": cores,
            "rounds": args.rounds,
            "info": info,
            "runs": {k: asdict(r) for k, r in ctx.results.items()},
            "samples": ctx.samples,
            "equivalence": eq,
            "corpus_problems": made.problems,
        }
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.out}")
    if args.keep:
        print(f"corpora, peer files and tool outputs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
