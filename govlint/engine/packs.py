"""Where policy packs are: a built-in name or a path, and the packs they extend.

What the cache's key and the rule folders need to know of the packs before any rule is
loaded; kept apart from resolving the packs so that it imports no models.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from govlint.load import Document, load_file
from govlint.resources import data_dir


def builtin_policies() -> dict[str, Path]:
    folder = data_dir("policies")
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def locate_pack(ref: str, base: Path) -> Path | None:
    """A pack is a built-in name (``baseline``) or a path to a YAML file, relative to ``base``."""
    if ref.endswith((".yaml", ".yml")):
        candidate = (base / ref).resolve()
        return candidate if candidate.is_file() else None
    if "/" in ref or "\\" in ref:
        return None  # a path to something that is not a pack file: never opened
    return builtin_policies().get(ref)


def pack_rule_folders(refs: list[str], base: Path) -> list[Path]:
    """The rule folders the named packs (and the packs they extend) bring with them.

    Read before the rules are loaded, so a pack's own rules can be selected; a pack that
    cannot be read brings none here and is reported when the packs are resolved.
    """
    folders: list[Path] = []
    for path, doc in pack_documents(refs, base):
        for entry in doc.data.get("rule_paths") or []:
            if isinstance(entry, str):
                folder = (path.parent / entry).resolve()
                if folder not in folders:
                    folders.append(folder)
    return folders


def pack_documents(refs: list[str], base: Path) -> Iterator[tuple[Path, Document]]:
    """Each pack file the named packs lead to (through ``extends``) that reads as a mapping,
    once, parents after their children: what is read of packs before the rules are loaded
    (their rule folders, their declared extensions)."""
    seen: set[Path] = set()
    stack = [(ref, base) for ref in reversed(refs)]
    while stack:
        ref, here = stack.pop()
        path = locate_pack(ref, here)
        if path is None or path in seen:
            continue
        seen.add(path)
        result = load_file(path, str(path))
        doc = result.documents[0] if len(result.documents) == 1 else None
        if result.findings or doc is None or not isinstance(doc.data, dict):
            continue
        yield path, doc
        parents = doc.data.get("extends") or []
        stack.extend((p, path.parent) for p in reversed(parents) if isinstance(p, str))


def pack_files(refs: list[str], base: Path) -> list[Path]:
    """Every pack file a run reads: the named packs and, through ``extends``, their
    parents, wherever they are (for the cache's key); each file once, without recursion."""
    found: list[Path] = []
    seen: set[Path] = set()
    pending = [(ref, base) for ref in reversed(refs)]
    while pending:
        ref, folder = pending.pop()
        path = locate_pack(ref, folder) if isinstance(ref, str) else None
        if path is None or path in seen:
            continue
        seen.add(path)
        found.append(path)
        for doc in load_file(path, str(path)).documents:
            parents = doc.data.get("extends") if isinstance(doc.data, dict) else None
            if isinstance(parents, list):
                pending.extend((p, path.parent) for p in reversed(parents) if isinstance(p, str))
    return found
