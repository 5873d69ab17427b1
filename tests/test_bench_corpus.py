"""The benchmark corpus (bench/corpus.py): deterministic, and schema-valid for govlint."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def _corpus_module() -> ModuleType:
    name = "govlint_bench_corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    corpus = _corpus_module()
    corpus.generate(tmp_path / "a", 20)
    corpus.generate(tmp_path / "b", 20)

    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    manifests = [f for f in first if f.startswith("initiatives/")]
    assert len(manifests) == 20
    assert {".govlint.yaml", "registry/organisation.yaml", "registry/glossary.yaml"} <= set(first)


def test_corpus_is_schema_valid(tmp_path: Path, govlint) -> None:
    corpus = _corpus_module()
    made = corpus.generate(tmp_path, 20)
    assert 50 <= made.mean_lines <= 100  # realistic manifests, about 70 lines each

    result = govlint("check", "--today", corpus.BENCH_TODAY.isoformat(), cwd=tmp_path)

    assert result.code in (0, 1), result
    schema_findings = [line for line in result.lines if re.search(r": \w+ GL0\d\d ", line)]
    assert schema_findings == []
