"""The long fuzz run, by hand: the property tests' strategies for as many inputs as you like.

    python tests/fuzz_manifests.py --examples 20000            # every target
    python tests/fuzz_manifests.py --examples 5000 --target manifest --seed 7

Unlike the test suite, a failure does not stop the run: each crash (an exception) or broken
promise (a finding outside its file) is recorded once per place in the code, with the
first input that caused it written to ``--save`` (default ``fuzz-failures/``) to replay, and
the run goes on. It ends with the figures: inputs tried and distinct failures per target;
the exit code is 1 when anything failed. pytest does not collect this file (its name does
not start with ``test_``).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # conftest and the property tests' strategies

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from test_hardening_properties import (  # noqa: E402
    check_bytes,
    check_manifest,
    check_report,
    check_text,
    dump,
    file_names,
    manifests,
    raw_bytes,
    yaml_texts,
)


@dataclass
class Tally:
    """What one target saw."""

    tried: int = 0
    failures: dict[str, tuple[str, str]] = field(default_factory=dict)  # place -> (error, input)


def _place(exc: BaseException) -> str:
    """Where a failure comes from: the innermost frame in govlint (or in the invariant)."""
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if "/govlint/" in f.filename] or frames[-1:]
    where = f"{Path(inside[-1].filename).name}:{inside[-1].lineno}" if inside else "?"
    kind = "broken promise" if isinstance(exc, AssertionError) else type(exc).__name__
    return f"{kind} at {where}"


def fuzz(
    name: str,
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], None],
    count: int,
    start: int,
) -> Tally:
    tally = Tally()

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: failures are collected, not minimised
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: Any) -> None:
        tally.tried += 1
        try:
            check(value)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # every failure is a finding here
            place = _place(exc)
            if place not in tally.failures:
                tally.failures[place] = ("".join(traceback.format_exception(exc)), repr(value))
                print(f"  [{name}] new failure: {place}: {str(exc)[:160]!r}", flush=True)

    seed(start)(run)()
    return tally


TARGETS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], None]]] = {
    # YAML-ish text through both parsers
    "text": (yaml_texts, check_text),
    # arbitrary bytes, byte-order marks and other encodings through decoding and parsing
    "bytes": (raw_bytes, check_bytes),
    # mutated manifests through the loader, the schema and every rule
    "manifest": (
        st.tuples(manifests(), st.sampled_from(["block", "flow"]), st.booleans()),
        lambda args: check_manifest(dump(args[0], args[1]), args[2]),
    ),
    # their findings, under odd file names, rendered in every output format
    "report": (
        st.tuples(manifests(), file_names),
        lambda args: check_report(dump(args[0], "block"), args[1]),
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20_000, help="inputs per target")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args()
    names = list(TARGETS) if args.target == "all" else [args.target]
    results: dict[str, tuple[Tally, float]] = {}
    for name in names:
        print(f"fuzzing {name}: {args.examples:,} inputs (seed {args.seed})", flush=True)
        start = time.process_time()
        strategy, check = TARGETS[name]
        results[name] = (
            fuzz(name, strategy, check, args.examples, args.seed),
            time.process_time() - start,
        )
    print(f"\n{'target':<10} {'inputs':>9} {'failures':>9} {'CPU s':>8}")
    failed = False
    for name, (tally, cpu) in results.items():
        print(f"{name:<10} {tally.tried:>9,} {len(tally.failures):>9} {cpu:>8.0f}")
        for i, (place, (error, value)) in enumerate(sorted(tally.failures.items())):
            failed = True
            args.save.mkdir(parents=True, exist_ok=True)
            path = args.save / f"{name}-{i}.txt"
            path.write_text(f"{place}\n\ninput:\n{value}\n\n{error}", encoding="utf-8")
            print(f"    {place}  ->  {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
