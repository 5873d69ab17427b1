"""What both importers share: reading records, ids, the registry, YAML text, writing files.

The mapping of one record to a manifest lives in the module of its register; everything
here is the same for every register. Only ``read_records`` and ``write_plan`` touch files.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govlint.model.base import API_VERSION

#: longest id the manifest schema takes (``Slug``)
MAX_ID = 100
#: the part of an id taken from the name, so that the source id always fits after it
MAX_NAME_PART = 60
INITIATIVES = "initiatives"
REGISTRY_FILE = Path("registry") / "organisation.yaml"
#: input files larger than this are refused before parsing (the 2025 US inventory is ~10 MB)
MAX_INPUT_BYTES = 256 * 1024 * 1024


class RecordsError(Exception):
    """The input file cannot be read as records; the message names the file and position."""


# --- values ---------------------------------------------------------------------


def slug(text: str, limit: int = MAX_ID) -> str:
    """A manifest id from any text: ASCII letters and digits joined by single hyphens.

    Accents are dropped (``Zoëtermeer`` -> ``zoetermeer``), every other character
    (``/``, spaces, punctuation) separates words; the result is cut at a word boundary
    when it is longer than ``limit``. Empty when the text has no letter or digit.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w]
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > limit:
            if not result:
                result = word[:limit]
            break
        result = candidate
    return result


def present(value: Any) -> bool:
    """Whether a source value says anything: empty text, lists and mappings say nothing."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return any(present(v) for v in (value.values() if isinstance(value, dict) else value))
    return True


def text(value: Any) -> str | None:
    """A source value as trimmed text, or None when it says nothing or is not text."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def set_path(manifest: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = manifest
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


# --- reading records ------------------------------------------------------------


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text (with or without a byte-order mark, as spreadsheet programs save it)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before.rsplit("\n", 1)[-1]) + 1
        raise RecordsError(
            f"{display}:{line}:{column}: not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
            "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)"
        ) from None


def read_bytes(path: Path, display: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise RecordsError(
                f"{display}: {size} bytes is more than the {MAX_INPUT_BYTES} an import reads; "
                "split the file"
            )
        return path.read_bytes()
    except IsADirectoryError:
        raise RecordsError(f"{display}: is a folder; pass the exported file") from None
    except FileNotFoundError:
        raise RecordsError(f"{display}: no such file; check the path") from None
    except OSError as exc:
        raise RecordsError(f"{display}: cannot read: {exc.strerror or exc}") from None


def json_records(content: str, display: str, wrapper: str | None) -> list[Any]:
    """Records of a JSON file: a list, or a mapping that holds the list under ``wrapper``."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise RecordsError(
            f"{display}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}; "
            "export the register as JSON again or as CSV"
        ) from None
    except RecursionError:
        raise RecordsError(f"{display}: JSON nested too deeply") from None
    if isinstance(data, dict) and wrapper is not None and isinstance(data.get(wrapper), list):
        return list(data[wrapper])
    if isinstance(data, list):
        return data
    expected = f"a list of records or {{{json.dumps(wrapper)}: [...]}}" if wrapper else "a list"
    raise RecordsError(f"{display}:1:1: expected {expected}, found {type(data).__name__}")


def csv_rows(content: str, display: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a CSV text separated by ``,``, ``;`` or tabs.

    The separator is the one of the header line (outside quotes): spreadsheet programs in
    Dutch and other locales write ``;``. Rows keep their header names; a row with more
    cells than the header is refused with its line number, a shorter one is padded.
    """
    header_line = next(iter(content.splitlines()), "")
    delimiter = _delimiter(header_line)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise RecordsError(
            f"{display}:{reader.line_num}:1: invalid CSV: {exc}; check the quotes"
        ) from None
    if not rows:
        raise RecordsError(f"{display}:1:1: empty file; expected a header row and records")
    header = [h.strip() for h in rows[0]]
    records: list[dict[str, str]] = []
    line = 1
    for row in rows[1:]:
        line += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise RecordsError(
                f"{display}:{line}:1: {len(row)} cells but the header has {len(header)}; "
                f"check the separator ({delimiter!r}) and the quotes in this row"
            )
        records.append(dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=True)))
    return header, records


def _delimiter(header: str) -> str:
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".txt", ".tsv")


# --- from drafts to files ---------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """One record as a manifest, before it gets its final, unique id."""

    record: int  # position in the source, 1-based (the row of a CSV file, counting the header)
    name: str
    id_parts: tuple[str, str]  # (name part, source id part) of the id
    manifest: dict[str, Any]
    unit: tuple[str, str] | None = None  # (id, name)
    supplier: tuple[str, str] | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    record: int
    reason: str


@dataclass
class Plan:
    """What an import writes: the text of every file, by path relative to the output folder."""

    files: dict[Path, str] = field(default_factory=dict)
    records: int = 0
    manifests: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: what a record is called in messages: "record" (JSON, counted from 1) or "row" (CSV,
    #: the header is row 1)
    label: str = "record"


def assign_ids(drafts: Iterable[Draft]) -> list[tuple[str, Draft]]:
    """Give every draft a unique id, in input order: ``<name>-<source id>``.

    Two records that would get the same id (the same name in one organisation without a
    source id, or an id exported twice) get ``-2``, ``-3`` ... in the order they come.
    """
    taken: set[str] = set()
    result: list[tuple[str, Draft]] = []
    for draft in drafts:
        name_part, source_part = draft.id_parts
        base = "-".join(p for p in (name_part, source_part) if p) or f"record-{draft.record}"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            suffix = f"-{n}"
            candidate = base[: MAX_ID - len(suffix)].rstrip("-") + suffix
        taken.add(candidate)
        result.append((candidate, draft))
    return result


def build_plan(
    records: list[Any], to_draft: Callable[[int, Any], Draft | Skipped], label: str = "record"
) -> Plan:
    """Map every record, give ids, and lay out the files: one manifest per record under
    ``initiatives/`` and one registry of the units and suppliers they name."""
    plan = Plan(records=len(records), label=label)
    drafts: list[Draft] = []
    for index, record in enumerate(records, start=1):
        outcome = to_draft(index, record)
        if isinstance(outcome, Skipped):
            plan.skipped.append(outcome)
        else:
            drafts.append(outcome)
    units: dict[str, str] = {}
    suppliers: dict[str, str] = {}
    for manifest_id, draft in assign_ids(drafts):
        manifest = {
            "apiVersion": API_VERSION,
            "kind": "Initiative",
            **draft.manifest,
        }
        manifest["metadata"] = {"id": manifest_id, **manifest.get("metadata", {})}
        if draft.unit is not None:
            units.setdefault(*draft.unit)
        if draft.supplier is not None:
            suppliers.setdefault(*draft.supplier)
        plan.files[Path(INITIATIVES) / f"{manifest_id}.yaml"] = dump_yaml(_ordered(manifest))
        plan.notes.extend(f"{label} {draft.record} ({draft.name}): {n}" for n in draft.notes)
        plan.manifests += 1
    if units or suppliers:
        registry: dict[str, Any] = {"apiVersion": API_VERSION, "kind": "Organisation"}
        if units:
            registry["units"] = [{"id": k, "name": units[k]} for k in sorted(units)]
        if suppliers:
            registry["suppliers"] = [{"id": k, "name": suppliers[k]} for k in sorted(suppliers)]
        plan.files[REGISTRY_FILE] = dump_yaml(registry)
    return plan


_ORDER = (
    "apiVersion",
    "kind",
    "metadata",
    "purpose",
    "risk",
    "data",
    "model",
    "human_role",
    "explainability",
    "ethics",
    "contribution",
    "lifecycle",
)


def _ordered(manifest: dict[str, Any]) -> dict[str, Any]:
    """Sections in the order of the manifest template; extensions (``x-``) last."""
    rank = {key: i for i, key in enumerate(_ORDER)}
    return dict(sorted(manifest.items(), key=lambda kv: rank.get(kv[0], len(rank))))


# --- YAML -----------------------------------------------------------------------

#: plain words YAML 1.1 reads as booleans; YAML 1.2 (govlint) reads them as text, other
#: tools may not, so they are quoted too
_YAML11_BOOL = re.compile(r"(?i)y|n|yes|no|on|off|true|false")


def _needs_quotes(value: str) -> bool:
    from govlint.load import resolve_plain

    return not isinstance(resolve_plain(value), str) or bool(_YAML11_BOOL.fullmatch(value))


def _literal_ok(value: str) -> bool:
    """A literal block (``|``) shows long text as written; only for text it can hold exactly."""
    if "\n" not in value.rstrip("\n") or "\r" in value or "\t" in value:
        return False
    if value != value.strip(" ") or value.startswith("\n"):
        return False
    lines = value.split("\n")
    return all(line == line.rstrip(" ") for line in lines) and all(
        ch.isprintable() for line in lines for ch in line
    )


class _Literal(str):
    """Text shown as a literal block (``|``)."""


class _Quoted(str):
    """Text written in double quotes."""


def _prepare(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prepare(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_prepare(v) for v in value]
    if isinstance(value, str):
        if _literal_ok(value):
            return _Literal(value)
        if _needs_quotes(value):
            return _Quoted(value)
    return value


@functools.lru_cache(maxsize=1)
def _yaml() -> Any:
    """ruamel.yaml's safe dumper on its C emitter: the round-trip dumper is pure Python and
    takes about 20 ms for a manifest with long texts, a minute for a register of 3,500."""
    from ruamel.yaml import YAML
    from ruamel.yaml.representer import SafeRepresenter

    class Representer(SafeRepresenter):  # a subclass: ruamel's own stays as it is
        pass

    def styled(style: str) -> Callable[[Any, str], Any]:
        return lambda r, data: r.represent_scalar("tag:yaml.org,2002:str", str(data), style)

    Representer.add_representer(_Literal, styled("|"))
    Representer.add_representer(_Quoted, styled('"'))
    yaml = YAML(typ="safe", pure=False)
    yaml.Representer = Representer
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # typed None
    yaml.allow_unicode = True
    yaml.width = 1 << 20  # no folding: a long line reads back exactly, without trailing spaces
    return yaml


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Readable block-style YAML that reads back (YAML 1.2) as exactly ``data``: keys in
    their order, long text as a literal block, text that another type could be read from
    in quotes."""
    out = io.StringIO()
    _yaml().dump(_prepare(dict(data)), out)
    return out.getvalue()


# --- writing --------------------------------------------------------------------


@dataclass
class Written:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # existing files left alone


#: files written at once: each write waits for the disk (fsync), so a few threads make a
#: large import about ten times faster without more CPU
WRITERS = 16


def write_plan(
    plan: Plan, folder: Path, force: bool, progress: Callable[[Iterable[Any]], Iterator[Any]]
) -> Written:
    """Write the files of ``plan`` under ``folder``; an existing file is kept unless ``force``.

    Every file is written atomically (``write_atomic``). Raises ``WriteError`` for anything
    else that stops a write (permissions, disk full).
    """
    from concurrent.futures import ThreadPoolExecutor

    from govlint.write import WriteError, write_atomic

    def write(relative: Path) -> tuple[Path, bool]:
        target = folder / relative
        if not force and (target.exists() or target.is_symlink()):
            return relative, False
        try:
            write_atomic(target, plan.files[relative], overwrite=force)
        except WriteError:
            if not force and target.exists():  # created meanwhile: still never overwritten
                return relative, False
            raise
        return relative, True

    outcome = Written()
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for relative, written in progress(pool.map(write, list(plan.files))):
            (outcome.written if written else outcome.kept).append(relative)
    return outcome
