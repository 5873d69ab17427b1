"""Portfolios for the scale cases of the portfolio rules and the board report.

    python bench/scale.py identical OUT --n 3000   # n one-line manifests, one purpose, n units
    python bench/scale.py cycle OUT --n 5000       # a depends_on cycle through n files
    python bench/scale.py fragmented OUT --n 3500  # a register: the same tools in many units

Each writes the manifests and a ``.govlint.yaml`` that runs only the portfolio rules the
case is about, so ``/usr/bin/time -v govlint check OUT`` measures those rules. The
fragmented register (Dutch and English purposes, the same anonymisation, secure mail and
coding assistant products bought by many units) is for ``govlint report`` at scale.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

RULES = {
    "identical": "CON-103",
    "cycle": "CON-104",
}

#: the same things, built again and again, in the words of the units that build them
FAMILIES: tuple[tuple[str, str, str | None, str | None], ...] = (
    (
        "Anonimiseringstool",
        "Anonimiseren van persoonsgegevens in documenten voor openbaarmaking bij Woo-verzoeken.",
        "anonimiseer-bv",
        "Anonimiseer Pro",
    ),
    (
        "Anonimiseringssoftware",
        "Anonimiseren van persoonsgegevens in documenten voor de openbaarmaking van Woo-verzoeken.",
        "anonimiseer-bv",
        "Anonimiseer Pro",
    ),
    (
        "Beveiligd mailen",
        "Versleutelde e-mail met automatische herkenning van vertrouwelijke gegevens.",
        "mailveilig",
        "MailVeilig",
    ),
    (
        "Coding assistant",
        "Helps developers write and review code in the editor.",
        "codeco",
        "CodeCo Assist",
    ),
    (
        "Developer copilot",
        "Suggests code completions for the software team.",
        "codeco",
        "CodeCo Assist",
    ),
    (
        "E-diensten suite",
        "Slimme formulieren die burgers helpen bij het aanvragen van producten en diensten.",
        "ediensten",
        "E-Suite",
    ),
    (
        "Chatbot for citizens",
        "Answers frequently asked questions of citizens on the website.",
        None,
        None,
    ),
)


def _manifest(ident: str, unit: str, name: str, summary: str, extra: str = "") -> str:
    return (
        "apiVersion: govlint/v1\nkind: Initiative\n"
        f"metadata: {{id: {ident}, name: '{name}', unit: {unit}}}\n"
        f"purpose: {{summary: '{summary}'}}\n{extra}"
    )


def _config(root: Path, rule: str | None) -> None:
    """Only ``rule`` (through a policy pack next to the manifests), or the default rules."""
    if rule is None:
        (root / ".govlint.yaml").write_text("manifests: ['*.yaml']\n", encoding="utf-8")
        return
    pack = f"apiVersion: govlint/v1\nkind: Policy\nname: only\ninclude: {{rules: [{rule}]}}\n"
    (root / "policy").mkdir(exist_ok=True)
    (root / "policy" / "only.yaml").write_text(pack, encoding="utf-8")
    (root / ".govlint.yaml").write_text(
        "manifests: ['*.yaml']\npolicies: [policy/only.yaml]\n", encoding="utf-8"
    )


def identical(root: Path, n: int) -> None:
    """``n`` one-line manifests, each its own unit, all with the same purpose."""
    for i in range(n):
        text = _manifest(
            f"tool-{i:05d}", f"unit-{i:05d}", f"Tool {i}", "Summarises incoming letters."
        )
        (root / f"m{i:05d}.yaml").write_text(text, encoding="utf-8")


def cycle(root: Path, n: int) -> None:
    """A depends_on cycle through ``n`` files: 0 -> 1 -> ... -> n-1 -> 0."""
    for i in range(n):
        extra = f"contribution: {{depends_on: [step-{(i + 1) % n:05d}]}}\n"
        text = _manifest(f"step-{i:05d}", "operations", f"Step {i}", f"Step {i} of {n}.", extra)
        (root / f"s{i:05d}.yaml").write_text(text, encoding="utf-8")


def fragmented(root: Path, n: int, seed: int = 2026) -> None:
    """A register of ``n`` initiatives over about n/10 organisations: two in three are one of
    a few products every unit builds again, the rest are unique."""
    rng = random.Random(seed)
    units = max(2, n // 10)
    for i in range(n):
        unit = f"gemeente-{rng.randrange(units):04d}"
        if rng.random() < 2 / 3:
            name, summary, supplier, model = rng.choice(FAMILIES)
        else:
            name = f"Eigen toepassing {i}"
            summary = f"Unieke toepassing nummer {i} voor taak {rng.randrange(10**6)}."
            supplier = model = None
        extra = f"model: {{name: '{model}', supplier: {supplier}}}\n" if supplier and model else ""
        text = _manifest(f"algo-{i:05d}", unit, name, summary, extra)
        (root / f"a{i:05d}.yaml").write_text(text, encoding="utf-8")


CASES = {"identical": identical, "cycle": cycle, "fragmented": fragmented}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", choices=sorted(CASES))
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    CASES[args.case](args.out, args.n)
    _config(args.out, RULES.get(args.case))
    print(f"wrote {args.n} manifests ({args.case}) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
