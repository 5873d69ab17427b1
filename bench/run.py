"""The benchmark: govlint against check-jsonschema and Spectral on the same generated manifests.

    python bench/run.py [--sizes 1000,10000] [--keep] [--out results.json]

For each size it generates a corpus (bench/corpus.py), then times, each in a fresh process:
govlint check (cold, and warm when govlint has a cache), check-jsonschema with govlint's schema
plus 17 rules as if/then clauses, and Spectral with the same rules (bench/peers.py,
bench/.spectral.yaml). Then one changed file in pre-commit mode in the portfolio of 1,000.
A peer that is not installed is reported as skipped, with how to install it.
See bench/README.md for what is measured and how to read it.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
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
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
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
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the tool and everything it started
            proc.wait()
            run.note = f"timed out after {timeout:.0f} s (--timeout)"
            return run
        elapsed = time.perf_counter() - start
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


#: a run shorter than this is repeated and the fastest kept (start-up noise dominates it)
SHORT_S = 10.0
REPEATS = 3


def best_of(make: Any, cwd: Path, out_file: Path, ctx: Context, prepare: Any = None) -> Run:
    """Run ``make()``; when it is short, run it again (after ``prepare()``) and keep the fastest."""
    # the tools' output is the same every time, so the last one written stands for all
    best: Run | None = None
    for _ in range(REPEATS):
        if prepare is not None:
            prepare()
        run = measure(make(), cwd, out_file, ctx.timeout, ctx.gnu_time)
        if best is None or (run.wall_s or math.inf) < (best.wall_s or math.inf):
            best = run
        if run.wall_s is None or run.wall_s >= SHORT_S:
            break
    assert best is not None
    return best


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
    )


def _skipped(tool: str, label: str) -> Run:
    return Run(tool, label, [], note=f"skipped (not installed: {INSTALL[tool]})")


def govlint_cmd(tools: Tools, *args: str, cache: bool = False) -> list[str]:
    cmd = [tools.python, "-m", "govlint", "check", "--today", TODAY, "--color", "never"]
    if tools.cache and not cache:
        cmd.append("--no-cache")
    return [*cmd, *args]


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


# -- one size ---------------------------------------------------------------------------------


@dataclass
class SizeResult:
    n: int
    mean_lines: float
    findings_woven_in: int
    runs: list[Run] = field(default_factory=list)


@dataclass
class Context:
    tools: Tools
    work: Path
    peer_schema: Path
    spectral_ruleset: Path
    timeout: float
    gnu_time: bool
    log_dir: Path


def _clear_cache(root: Path) -> None:
    shutil.rmtree(root / ".govlint_cache", ignore_errors=True)


def _progress(label: str, run: Run) -> None:
    print(f"  {label}: {_secs(run.wall_s) if run.wall_s else run.note}", file=sys.stderr)


def _timed(
    ctx: Context, root: Path, name: str, make: Any, counter: Any, files: int, prepare: Any = None
) -> Run:
    run = best_of(make, root, ctx.log_dir / f"{name}.out", ctx, prepare)
    if run.wall_s is not None and not run.note:
        counter(run)
    run.files = files
    _progress(run.label, run)
    return run


def _prime(ctx: Context, root: Path) -> None:
    """Fill govlint's cache with a full run of the portfolio."""
    _clear_cache(root)
    measure(
        Run("govlint", "prime", govlint_cmd(ctx.tools, cache=True)),
        root,
        ctx.log_dir / "prime.out",
        ctx.timeout,
        ctx.gnu_time,
    )


def full_runs(ctx: Context, root: Path, n: int) -> list[Run]:
    tools = ctx.tools
    files = sorted(p.relative_to(root).as_posix() for p in (root / "initiatives").glob("*.yaml"))
    count = len(files)
    runs: list[Run] = []
    _clear_cache(root)
    cold = "govlint check (cold)" if tools.cache else "govlint check"
    runs.append(
        _timed(
            ctx,
            root,
            f"{n}-govlint-cold",
            lambda: Run("govlint", cold, govlint_cmd(tools)),
            count_govlint,
            count + 2,
        )
    )
    if tools.cache:
        _prime(ctx, root)
        runs.append(
            _timed(
                ctx,
                root,
                f"{n}-govlint-warm",
                lambda: Run(
                    "govlint", "govlint check (warm cache)", govlint_cmd(tools, cache=True)
                ),
                count_govlint,
                count + 2,
            )
        )
        _clear_cache(root)
    if tools.cj:
        cmd = [*tools.cj, "--output-format", "json", "--schemafile", str(ctx.peer_schema), *files]
        runs.append(
            _timed(
                ctx,
                root,
                f"{n}-cj",
                lambda: Run("check-jsonschema", "check-jsonschema", cmd),
                count_cj,
                count,
            )
        )
    else:
        runs.append(_skipped("check-jsonschema", "check-jsonschema"))
    if tools.spectral:
        cmd = [
            *tools.spectral,
            "lint",
            "--ruleset",
            str(ctx.spectral_ruleset),
            "--format",
            "json",
            "--quiet",
            "initiatives/*.yaml",
        ]
        runs.append(
            _timed(
                ctx,
                root,
                f"{n}-spectral",
                lambda: Run("spectral", "Spectral", cmd),
                count_spectral,
                count,
            )
        )
    else:
        runs.append(_skipped("spectral", "Spectral"))
    return runs


def pre_commit_runs(ctx: Context, root: Path) -> tuple[str, list[Run]]:
    """One changed manifest, the portfolio of ``root`` around it."""
    tools = ctx.tools
    files = sorted(p.relative_to(root).as_posix() for p in (root / "initiatives").glob("*.yaml"))
    changed = files[len(files) // 2]
    runs: list[Run] = []
    _clear_cache(root)
    label = "govlint check --pre-commit" + (" (cold)" if tools.cache else "")
    runs.append(
        _timed(
            ctx,
            root,
            "pre-commit-govlint-cold",
            lambda: Run("govlint", label, govlint_cmd(tools, "--pre-commit", changed)),
            count_govlint,
            1,
        )
    )
    if tools.cache:
        path = root / changed
        original = path.read_bytes()

        def prime_then_change() -> None:
            path.write_bytes(original)
            _prime(ctx, root)
            path.write_bytes(original + b"# changed by the benchmark\n")

        try:
            runs.append(
                _timed(
                    ctx,
                    root,
                    "pre-commit-govlint-warm",
                    lambda: Run(
                        "govlint",
                        "govlint check --pre-commit (warm cache, file changed)",
                        govlint_cmd(tools, "--pre-commit", changed, cache=True),
                    ),
                    count_govlint,
                    1,
                    prepare=prime_then_change,
                )
            )
        finally:
            path.write_bytes(original)
        _clear_cache(root)
    if tools.cj:
        cmd = [*tools.cj, "--output-format", "json", "--schemafile", str(ctx.peer_schema), changed]
        runs.append(
            _timed(
                ctx,
                root,
                "pre-commit-cj",
                lambda: Run("check-jsonschema", "check-jsonschema (the one file)", cmd),
                count_cj,
                1,
            )
        )
    else:
        runs.append(_skipped("check-jsonschema", "check-jsonschema (the one file)"))
    if tools.spectral:
        cmd = [
            *tools.spectral,
            "lint",
            "--ruleset",
            str(ctx.spectral_ruleset),
            "--format",
            "json",
            "--quiet",
            changed,
        ]
        runs.append(
            _timed(
                ctx,
                root,
                "pre-commit-spectral",
                lambda: Run("spectral", "Spectral (the one file)", cmd),
                count_spectral,
                1,
            )
        )
    else:
        runs.append(_skipped("spectral", "Spectral (the one file)"))
    return changed, runs


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


def _growth(scale: float, factor: float) -> str:
    if scale > factor * 1.15:
        return "superlinear"
    return "sublinear" if scale < factor * 0.85 else "linear"


def table(runs: Sequence[Run], base: Run | None) -> list[str]:
    head = ("tool", "files", "wall", "peak RSS", "peer/govlint", "findings", "exit")
    rows = [head]
    for run in runs:
        if run.note and run.wall_s is None:  # the reason goes below the table
            short = next(w for w in ("skipped", "timed out", "failed") if run.note.startswith(w))
            rows.append((run.label, "", short, "", "", "", ""))
            continue
        ratio = ""
        if base is not None and base.wall_s and run.wall_s is not None and run.tool != "govlint":
            ratio = f"{run.wall_s / base.wall_s:,.1f}x"
        elif run is base:
            ratio = "1.0x"
        rows.append(
            (
                run.label,
                f"{run.files:,}" if run.files is not None else "",
                _secs(run.wall_s),
                _mib(run.max_rss_kib),
                ratio,
                f"{run.findings:,}" if run.findings is not None else "-",
                str(run.exit_code) if run.exit_code is not None else "-",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for k, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
        if k == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    lines.extend(f"  {r.label}: {r.note}" for r in runs if r.note)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="govlint benchmark against its peers")
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated corpus sizes (default: 1000,10000)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--out", type=Path, help="write machine-readable results (JSON)")
    parser.add_argument("--workdir", type=Path, help="where to generate (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=corpus_mod.DEFAULT_SEED)
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800,
        help="seconds before one tool run is stopped (default: 1800)",
    )
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: write whole numbers, e.g. 1000,10000")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes needs at least one positive number")

    tools = find_tools()
    gnu_time = _have_gnu_time()
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="govlint-bench-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    log_dir = work / "logs"
    log_dir.mkdir(exist_ok=True)
    peer_schema, spectral_ruleset = peers.write_peer_files(work / "peers", tools.python)
    ctx = Context(tools, work, peer_schema, spectral_ruleset, args.timeout, gnu_time, log_dir)

    results: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "today": TODAY,
        "seed": args.seed,
        "machine": {
            "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}",
            "cpus": os.cpu_count(),
        },
        "versions": {
            "govlint": tools.govlint_version,
            "check-jsonschema": tools.cj_version or None,
            "spectral": tools.spectral_version or None,
        },
        "memory_from": "GNU time -v" if gnu_time else "getrusage(RUSAGE_CHILDREN)",
        "sizes": {},
    }
    out: list[str] = []
    versions = ", ".join(
        f"{k} {v}" if v else f"{k} (not installed)" for k, v in results["versions"].items()
    )
    out.append(f"govlint benchmark: {versions}")
    out.append(
        f"machine: {results['machine']['system']}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; peak RSS from {results['memory_from']}; "
        f"--today {TODAY}; seed {args.seed}"
    )
    out.append(
        f"rules: govlint runs its baseline pack (every per-manifest and portfolio rule, "
        f"registry included); the peers run govlint's schema + {len(peers.RULES)} equivalent "
        "per-manifest rules on the manifests"
    )
    if tools.parallel:
        out.append(
            "note: govlint checks files in parallel processes by default (one per core for 200 "
            "files or more); the peers use one process; peak RSS is the largest single process"
        )

    by_size: dict[int, SizeResult] = {}
    pre_commit_size = 1000 if 1000 in sizes else min(sizes)
    for n in sizes:
        root = work / f"corpus-{n}"
        print(f"corpus of {n:,} manifests in {root}", file=sys.stderr)
        made = corpus_mod.generate(root, n, args.seed)
        result = SizeResult(n, made.mean_lines, sum(made.problems.values()))
        result.runs = full_runs(ctx, root, n)
        by_size[n] = result
        entry: dict[str, Any] = {
            "manifests": n,
            "mean_lines": round(made.mean_lines, 1),
            "problems_woven_in": made.problems,
            "runs": [asdict(r) for r in result.runs],
        }
        if n == pre_commit_size:
            changed, pc_runs = pre_commit_runs(ctx, root)
            entry["pre_commit"] = {"changed": changed, "runs": [asdict(r) for r in pc_runs]}
            entry["equivalence"] = equivalence(root, result.runs)
            result_pc = (changed, pc_runs, entry["equivalence"])
        results["sizes"][str(n)] = entry
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    for n in sizes:
        result = by_size[n]
        base = next((r for r in result.runs if r.tool == "govlint" and r.ok), None)
        out.append("")
        out.append(
            f"Full check, {n:,} manifests (about {result.mean_lines:.0f} lines each) "
            "and the registry"
        )
        out.extend(table(result.runs, base))

    cold = {
        n: next((r for r in by_size[n].runs if r.tool == "govlint" and r.ok), None) for n in sizes
    }
    if len(sizes) > 1:
        out.append("")
        lo, hi = min(sizes), max(sizes)
        a, b = cold[lo], cold[hi]
        if a and b and a.wall_s and b.wall_s:
            factor = hi / lo
            scale = b.wall_s / a.wall_s
            results["scale"] = {"from": lo, "to": hi, "govlint_time_ratio": round(scale, 2)}
            out.append(
                f"Scale: govlint({hi:,}) / govlint({lo:,}) = {scale:.1f}x the time for "
                f"{factor:g}x the manifests ({_growth(scale, factor)}; linear would be "
                f"{factor:g}x); peak RSS {_mib(a.max_rss_kib)} -> "
                f"{_mib(b.max_rss_kib)}"
            )

    if pre_commit_size in by_size:
        changed, pc_runs, eq = result_pc
        base = next((r for r in pc_runs if r.tool == "govlint" and r.ok), None)
        out.append("")
        out.append(
            f"Pre-commit: one changed file ({changed}) in the portfolio of "
            f"{pre_commit_size:,}; govlint loads the whole portfolio, the peers read the one file"
        )
        out.extend(table(pc_runs, base))
        out.append("")
        rules = eq["rules"] or {r.id: {"same": False, "files": 0, "diff": {}} for r in peers.RULES}
        same = [k for k, v in rules.items() if v["same"]]
        tools_compared = "govlint, the JSON Schema clauses" + (
            " and Spectral" if tools.spectral else ""
        )
        out.append(
            f"Rule equivalence on the {pre_commit_size:,} corpus: {len(same)}/{len(rules)} rules "
            f"flag the same files in {tools_compared} "
            f"({sum(v['files'] for v in rules.values()):,} rule-file pairs)"
        )
        for rule_id, v in rules.items():
            if not v["same"]:
                counts = ", ".join(f"{t} {len(f)}" for t, f in v["diff"].items())
                out.append(f"  {rule_id} differs: {counts}")
        if "check_jsonschema_files_agree" in eq:
            agree = "yes" if eq["check_jsonschema_files_agree"] else "NO"
            out.append(f"  check-jsonschema flags exactly the files the clauses flag: {agree}")
        out.append(
            f"  schema findings (GL0xx) from govlint: {eq['govlint_schema_findings']}"
            + (
                f"; from Spectral's schema rule: {eq.get('spectral_schema_findings', 0)}"
                if tools.spectral
                else ""
            )
        )

    print("\n".join(out))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.out}")
    if args.keep:
        print(f"corpora, peer files and tool outputs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
