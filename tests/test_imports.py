"""The package's layering: no module reaches into another's private names, no two modules
import each other (directly or round a circle), no private standard-library modules."""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO

#: modules that import each other today, each with why it is allowed for now; the test
#: below fails when one of them is gone, so the entry is removed with it
KNOWN_CYCLES: dict[frozenset[str], str] = {}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    line: int
    target: str  # the module imported from
    name: str | None  # the name imported (from-imports), else None


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package under ``root``."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path) -> list[Import]:
    """Every import a module runs, at any depth (in functions too); not those that only
    the type checker sees (``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for statement in block.body
        for node in ast.walk(statement)
    }
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.extend(Import(name, node.lineno, alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:  # relative: from . import x, from ..a import b
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([target] if target else [])])
            found.extend(Import(name, node.lineno, target, alias.name) for alias in node.names)
    return found


def private_names(root: Path) -> list[str]:
    """``from X import _name`` where X is another module of the package."""
    mods = modules(root)
    return [
        f"{i.module}:{i.line} imports {i.name} from {i.target}"
        for name, path in mods.items()
        for i in imports(name, path)
        if i.name
        and i.name.startswith("_")
        and not i.name.startswith("__")
        and i.target in mods
        and i.target != name
    ]


def private_stdlib(root: Path) -> list[str]:
    """Imports of private modules or names of other packages (``re._parser``, ``sre_parse``)."""
    mods = modules(root)
    old_private = {"sre_parse", "sre_compile", "sre_constants"}
    found = []
    for name, path in mods.items():
        for i in imports(name, path):
            if i.target in mods or i.target.split(".")[0] == root.name:
                continue
            dotted = i.target + (f".{i.name}" if i.name else "")
            parts = [p for p in dotted.split(".") if p != "__future__"]
            if any(p.startswith("_") and not p.startswith("__") for p in parts) or (
                i.target in old_private
            ):
                found.append(f"{name}:{i.line} imports {dotted}")
    return found


def cycles(root: Path) -> list[frozenset[str]]:
    """Groups of modules that import each other, directly or round a circle (Tarjan)."""
    mods = modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        edges = set()
        for i in imports(name, path):
            full = f"{i.target}.{i.name}" if i.name else i.target
            if full in mods:
                edges.add(full)
            elif i.target in mods:
                edges.add(i.target)
        edges.discard(name)
        graph[name] = edges
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


GOVLINT = REPO / "govlint"


def test_no_module_imports_another_modules_private_names() -> None:
    assert private_names(GOVLINT) == []


def test_no_private_modules_of_the_standard_library() -> None:
    assert private_stdlib(GOVLINT) == []


def test_no_import_circles() -> None:
    found = cycles(GOVLINT)
    assert [sorted(group) for group in found if group not in KNOWN_CYCLES] == []
    # an allowance that is no longer needed goes
    assert [sorted(group) for group in KNOWN_CYCLES if group not in found] == []


def test_the_checks_find_what_they_are_for(tmp_path: Path) -> None:
    """The three checks above on a small package that breaks each rule once."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from pkg.b import helper, _secret\n",
        "b.py": "def helper(): from pkg import c\n_secret = 1\n",
        "c.py": "import re\nfrom re import _parser\nimport sre_parse\nfrom . import a\n",
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import _x\n",
        "sub/__init__.py": "from .. import d\nfrom ..b import _secret\n",
    }
    for name, text in files.items():
        (package / name).write_text(textwrap.dedent(text), encoding="utf-8")
    assert private_names(package) == [
        "pkg.a:1 imports _secret from pkg.b",
        "pkg.sub:2 imports _secret from pkg.b",
    ]
    assert private_stdlib(package) == ["pkg.c:2 imports re._parser", "pkg.c:3 imports sre_parse"]
    assert cycles(package) == [frozenset({"pkg.a", "pkg.b", "pkg.c"})]
