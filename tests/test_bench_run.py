"""The benchmark's series (bench/run.py): commands in turn, medians, ratios within a row."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def _run_module() -> ModuleType:
    name = "govlint_bench_run"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_a_series_runs_its_commands_in_turn_and_keeps_the_median(tmp_path: Path) -> None:
    bench = _run_module()
    ctx = bench.Context(
        None, tmp_path, tmp_path, tmp_path, 60.0, bench._have_gnu_time(), tmp_path, 3
    )
    order: list[str] = []
    contenders = [
        bench.Contender(
            key,
            "govlint",
            key,
            [sys.executable, "-c", "pass"],
            tmp_path,
            lambda run: run,
            0,
            prepare=lambda key=key: order.append(key),
        )
        for key in ("new:a", "old:b")
    ]
    bench.series(ctx, "test", contenders)

    assert order == ["new:a", "old:b"] * 3  # A B A B A B, never A A A B B B
    for key in ("new:a", "old:b"):
        assert len(ctx.samples[key]) == 3
        assert ctx.results[key].wall_s == statistics.median(ctx.samples[key])
        assert ctx.results[key].exit_code == 0


def test_a_ratio_divides_figures_of_the_same_govlint() -> None:
    bench = _run_module()
    ctx = bench.Context(None, Path(), Path(), Path(), 60.0, False, Path(), 3)
    for key, wall in (("new:warm", 0.2), ("new:cold2", 2.0), ("old:warm", 0.3), ("old:cold2", 1.0)):
        ctx.results[key] = bench.Run("govlint", key, [], wall_s=wall, exit_code=0)
    variants = [
        bench.Govlint("govlint", "python"),
        bench.Govlint("govlint (main)", "python", slug="old"),
    ]
    lines = bench.summary(ctx, variants, {"small": 1000})
    [row] = [line for line in lines if line.startswith("| 1,000 unchanged")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    # this branch: 0.2 / 2.0; main: 0.3 / 1.0; the target (< 0.10) is judged on this branch
    assert cells[1:7] == ["0.20 s", "2.00 s", "0.10", "0.30 s", "1.00 s", "0.30"]
    assert cells[-2:] == ["< 0.10", "no"]  # exactly 10% is not below 10%
    ctx.results["new:warm"] = bench.Run("govlint", "warm", [], wall_s=0.19, exit_code=0)
    lines = bench.summary(ctx, variants, {"small": 1000})
    [row] = [line for line in lines if line.startswith("| 1,000 unchanged")]
    assert row.rstrip(" |").endswith("yes")
