"""A content-hash cache of checked files (like ruff's ``.ruff_cache``).

An entry is keyed by the file's bytes (SHA-256) under a key for everything else that
decides the result: the govlint version, the rules and their configured severities, the
rule files' text, the configuration and the date rules compare with. An unchanged file is
not parsed, validated or checked again; an unchanged portfolio reuses even the portfolio
findings. The cache is JSON (never pickle: a cache file is data, not code); a cache that is
corrupt, from another version or for other settings is ignored and rebuilt, never trusted.
Positions of documents are kept as a JSON string and decoded only when a portfolio finding
needs them.

A cache file is trusted only if govlint wrote it on this machine for this user: each file
is sealed with an HMAC whose key lives in the user's cache folder (``$XDG_CACHE_HOME/govlint``
or ``~/.cache/govlint``; ``~/Library/Caches/govlint`` on macOS, ``%LOCALAPPDATA%`` on
Windows), never in the repository. A cache committed to a repository, or planted by a pull
request, fails the seal and is ignored, and a cache folder that is a symbolic link or
belongs to another user is neither read nor written.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from govlint import __version__
from govlint.coverage import Coverage
from govlint.described import Described
from govlint.findings import Finding, Location, Severity, Span, Suppression
from govlint.load import Document, Limits, PackedSpans, PathKey, collector_paused, read_bytes

if TYPE_CHECKING:
    from govlint.layout import KeptLayout, Layout
    from govlint.portfolio.index import Remembered
    from govlint.portfolio.text import Vocabulary
    from govlint.validate import Checked

FORMAT = 3  # 2: documents carry their broken values and rule assessments; 3: positions
# as [paths, numbers] (encoded by the C encoder alone, about three times faster)
CACHE_DIR = ".govlint_cache"
#: documents with more values than this (after alias expansion) are not cached
MAX_CACHED_VALUES = 50_000
#: the largest cache file read back; a larger one is ignored (and rewritten)
MAX_CACHE_BYTES = 512 * 1024 * 1024
KEY_FILE = "cache-key"
#: files a run may check again without rewriting the cache for them (see ``Cache.save``)
STALE_FILES = 8
_SEAL = b"govlint-cache-hmac-sha256 "


# -- trust: where the cache may live, and the seal on every file ------------------------


def user_cache_dir() -> Path | None:
    """govlint's folder in the user's cache folder (XDG on Linux), or None without a home."""
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) / "govlint" / "Cache" if local else None
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        home = None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "govlint" if home else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec: a relative value is ignored
        return Path(xdg) / "govlint"
    return home / ".cache" / "govlint" if home else None


def refusal(folder: Path) -> str | None:
    """Why ``folder`` must not be used as a cache folder, or None if it may be."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None  # created on first write
    except OSError as exc:
        return f"cannot use it ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        return (
            "it is a symbolic link; the cache folder is created by govlint and never "
            "committed: delete the link"
        )
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder; delete it"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return "it belongs to another user; delete it or pass --cache-dir"
    return None


_KEY = re.compile(rb"[0-9a-f]{64}")


def _read_key(path: Path) -> bytes | None:
    raw = read_bytes(path, str(path), Limits(max_file_bytes=256), follow_links=False)
    if isinstance(raw, Finding) or not _KEY.fullmatch(raw.strip()):
        return None
    if hasattr(os, "getuid"):
        info = os.lstat(path)
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None  # another user could have written or read it
    return bytes.fromhex(raw.strip().decode("ascii"))


def secret() -> bytes | None:
    """This user's key for sealing cache files, created on first use; None if there is
    no private place to keep it (then nothing is cached)."""
    folder = user_cache_dir()
    if folder is None:
        return None
    path = folder / KEY_FILE
    key = _read_key(path)
    if key is not None:
        return key
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.path.lexists(path):
            os.unlink(path)  # damaged, or readable by others: a new key drops old caches
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(path, flags, 0o600), "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    except OSError:
        pass  # another govlint created it meanwhile, or no permission: read what is there
    return _read_key(path)


def seal(key: bytes, body: str) -> str:
    """``body`` (ASCII JSON) behind a line with its HMAC."""
    return _seal_line(key, body) + body


#: the seal's HMAC is fed this many characters at a time: a cache of 10,000 manifests is
#: over 100 MB of JSON, and encoding it whole for the HMAC would hold a second copy
_SEAL_STEP = 1 << 20


def _seal_line(key: bytes, body: str) -> str:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for start in range(0, len(body), _SEAL_STEP):
        mac.update(body[start : start + _SEAL_STEP].encode("ascii"))
    return f"{_SEAL.decode()}{mac.hexdigest()}\n"


def unseal(key: bytes, raw: bytes) -> Any:
    """The JSON value of a sealed file, or None if the seal does not hold."""
    head, newline, body = raw.partition(b"\n")
    if not newline or not head.startswith(_SEAL):
        return None
    mac = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(head[len(_SEAL) :], mac):
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def read_sealed(path: Path, key: bytes | None) -> Any:
    """A cache file govlint wrote itself with ``key``, or None."""
    if key is None or refusal(path.parent) is not None:
        return None
    raw = read_bytes(path, str(path), Limits(max_file_bytes=MAX_CACHE_BYTES), follow_links=False)
    if isinstance(raw, Finding):
        return None
    with collector_paused():  # decoding JSON makes no cycles (see ``collector_paused``)
        return unseal(key, raw)


def write_sealed(path: Path, key: bytes | None, doc: Any) -> None:
    """Write a cache file (and the folder's .gitignore); never fails, never follows a link."""
    from govlint.write import WriteError, write_atomic

    if key is None:
        return
    with contextlib.suppress(OSError, WriteError, ValueError, RecursionError):
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        if refusal(folder) is not None:
            return
        ignore = folder / ".gitignore"
        if not os.path.lexists(ignore):
            write_atomic(ignore, "# created by govlint\n*\n", overwrite=True)
        body = json.dumps(doc, separators=(",", ":"))
        write_atomic(path, _seal_line(key, body), overwrite=True, then=(body,))


def _values(data: Any, limit: int = MAX_CACHED_VALUES + 1) -> int:
    """How many values ``data`` holds, counting stops past ``limit``."""
    count, stack = 0, [data]
    while stack and count < limit:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


@dataclass(frozen=True)
class FileResult:
    """Everything a file contributes before portfolio rules: its findings and documents."""

    findings: tuple[Finding, ...]
    documents: tuple[Checked, ...]
    #: the cache's form of this result when it was decoded from it (a worker's result):
    #: stored as it is instead of encoded a second time
    encoded: dict[str, Any] | None = field(default=None, compare=False, repr=False)


# -- encoding ------------------------------------------------------------------------------


def _span(span: Span) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column]


def _location(loc: Location) -> list[Any]:
    return [loc.file, _span(loc.span), loc.path]


def _finding(f: Finding) -> list[Any]:
    return [
        f.rule_id,
        f.severity.value,
        f.message,
        _location(f.location),
        [_location(r) for r in f.related],
        f.input_error,
        f.help_uri,
    ]


def _decode_location(raw: list[Any]) -> Location:
    file, span, path = raw
    return Location(file, Span(*span), path)


def _decode_finding(raw: list[Any], suppression: Suppression | None = None) -> Finding:
    rule_id, severity, message, location, related, input_error, help_uri = raw
    return Finding(
        rule_id,
        Severity(severity),
        message,
        _decode_location(location),
        tuple(_decode_location(r) for r in related),
        input_error,
        help_uri,
        suppression,
    )


def _spans_text(spans: Mapping[PathKey, Span]) -> str:
    """``[[path, ...], [line, column, end line, end column, ...]]``: no Python per value."""
    return json.dumps([list(spans), PackedSpans.of(spans).numbers()])


class LazySpans(Mapping[PathKey, Span]):
    """Positions decoded from their JSON text on first use."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._spans: Mapping[PathKey, Span] | None = None

    def _load(self) -> Mapping[PathKey, Span]:
        if self._spans is None:
            paths, numbers = json.loads(self._text)
            self._spans = PackedSpans.of_paths(paths, numbers)
            self._text = ""  # decoded: the text would only double the memory
        return self._spans

    def __getitem__(self, key: PathKey) -> Span:
        return self._load()[key]

    def get(self, key: PathKey, default: Any = None) -> Any:
        return self._load().get(key, default)

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def encode(result: FileResult) -> dict[str, Any]:
    return {
        "f": [_finding(f) for f in result.findings],
        "d": [
            {
                "file": c.document.file,
                "i": c.document.index,
                "data": c.document.data,
                "start": _span(c.document.start),
                "s": _spans_text(c.document.spans),
                "k": _spans_text(c.document.key_spans),
                "kind": c.kind,
                "valid": c.valid,
                "f": [_finding(f) for f in c.findings],
                "b": [list(b) for b in c.broken],
                "a": c.assessment.to_json() if c.assessment is not None else None,
            }
            for c in result.documents
        ],
    }


def decode(raw: dict[str, Any]) -> FileResult:
    from govlint.coverage import Assessment
    from govlint.validate import Checked

    documents = []
    for d in raw["d"]:
        doc = Document(
            d["file"], d["i"], d["data"], LazySpans(d["s"]), LazySpans(d["k"]), Span(*d["start"])
        )
        findings = tuple(_decode_finding(f) for f in d["f"])
        broken = tuple(tuple(str(p) for p in b) for b in d["b"])
        assessment = Assessment.from_json(d["a"]) if d["a"] is not None else None
        documents.append(Checked(doc, d["kind"], None, findings, d["valid"], broken, assessment))
    return FileResult(tuple(_decode_finding(f) for f in raw["f"]), tuple(documents), raw)


# -- the cache file ------------------------------------------------------------------------


def settings_key(parts: list[str]) -> str:
    digest = hashlib.sha256(f"govlint {__version__} cache {FORMAT}".encode())
    for part in parts:
        digest.update(b"\x1f" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class Cache:
    """The entries of one settings key; ``dirty`` when something must be written back.

    An entry is what the file had the last time, as read (a dict) or as checked in this run
    (a ``FileResult``, encoded only when the cache is written). The portfolio's findings
    are kept in a file of their own, read only when a run asks for them.
    """

    folder: Path
    key: str
    files: dict[str, tuple[str, dict[str, Any] | FileResult]] = field(default_factory=dict)
    portfolio: tuple[str, list[Any]] | None = None
    dirty: bool = False
    used: set[str] = field(default_factory=set)
    secret: bytes | None = None
    loaded: bool = False  # read from a valid cache file
    added: int = 0  # files checked again in this run
    portfolio_read: bool = False
    portfolio_dirty: bool = False
    #: the files were written in this run (``save_files``), by the process ``writer`` if set
    written: bool = False
    writer: int | None = None

    @property
    def path(self) -> Path:
        return self.folder / f"cache-v{FORMAT}-{self.key[:24]}.json"

    @property
    def portfolio_path(self) -> Path:
        return self.folder / f"portfolio-v{FORMAT}-{self.key[:24]}.json"

    @classmethod
    def open(cls, folder: Path, key: str) -> Cache:
        """Read the cache for ``key``; anything unexpected means an empty cache."""
        sealing = secret()
        cache = cls(folder, key, secret=sealing)
        try:
            raw = read_sealed(cache.path, sealing)
            if raw is None:
                raise ValueError("no cache, or not written by this user's govlint")
            if raw.get("format") != FORMAT or raw.get("key") != key:
                raise ValueError("foreign cache")
            files = raw["files"]
            if not isinstance(files, dict):
                raise ValueError("corrupt cache")
            for name, entry in files.items():
                digest, result = entry
                if isinstance(digest, str) and isinstance(result, dict):
                    cache.files[name] = (digest, result)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return cls(folder, key, dirty=True, secret=sealing)
        cache.loaded = True
        return cache

    def get(self, name: str, digest: str) -> FileResult | None:
        entry = self.files.get(name)
        if entry is None or entry[0] != digest:
            return None
        if isinstance(entry[1], FileResult):
            result = entry[1]
        else:
            try:
                result = decode(entry[1])
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
                return None  # a damaged entry: recompute it
        self.used.add(name)
        return result

    def put(self, name: str, digest: str, result: FileResult) -> None:
        if sum(_values(c.document.data) for c in result.documents) > MAX_CACHED_VALUES:
            return  # a small file that expands hugely (aliases): checking it is cheaper
        self.files[name] = (digest, result.encoded or result)
        self.used.add(name)
        self.dirty = True
        self.added += 1

    def get_portfolio(self, digest: str) -> list[Finding] | None:
        if not self.portfolio_read:
            self.portfolio_read = True
            raw = read_sealed(self.portfolio_path, self.secret) if self.loaded else None
            with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
                if isinstance(raw, dict) and raw["format"] == FORMAT and raw["key"] == self.key:
                    found, findings = raw["digest"], raw["findings"]
                    if isinstance(found, str) and isinstance(findings, list):
                        self.portfolio = (found, findings)
        if self.portfolio is None or self.portfolio[0] != digest:
            return None
        try:
            return [_decode_finding(f) for f in self.portfolio[1]]
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            return None

    def put_portfolio(self, digest: str, findings: list[Finding]) -> None:
        with collector_paused():
            self.portfolio = (digest, [_finding(f) for f in findings])
        self.portfolio_read = self.portfolio_dirty = True

    def stale(self) -> bool:
        """Whether the file entries must be written again.

        A run that checked only a few files again (a pre-commit hook: the changed ones) does
        not rewrite a cache of thousands for them: checking them again next time costs less
        than writing the whole file now. Until it is rewritten, every file that differs from
        the cache on disk is checked again on each run, so their number grows from run to
        run, and the cache is rewritten once they are more than ``STALE_FILES`` or 2% of the
        portfolio."""
        if not self.dirty and self.used == set(self.files):
            return False
        return not (self.loaded and self.added <= max(STALE_FILES, len(self.used) // 50))

    def save_files(self) -> None:
        """Write the entries used in this run (others are dropped), if they are ``stale``.

        Where a process can be forked (Linux), a child process encodes and writes them
        while this one goes on with the portfolio rules, which use one core only; ``save``
        waits for it. Writing the cache of 10,000 manifests is seconds of encoding."""
        if self.written or not self.stale():
            return
        self.written = True
        if _can_fork():
            with contextlib.suppress(OSError):
                pid = os.fork()
                if pid == 0:  # the child: write, and leave without running anything else
                    code = 1
                    try:
                        self._write_files()
                        code = 0
                    finally:
                        os._exit(code)
                self.writer = pid
                return
        self._write_files()

    @collector_paused()
    def save(self) -> None:
        """Write what changed in this run, atomically; never fails."""
        self.save_files()
        if self.writer is not None:
            with contextlib.suppress(OSError):
                os.waitpid(self.writer, 0)
            self.writer = None
        if self.written and self.portfolio_dirty and self.portfolio is not None:
            digest, findings = self.portfolio
            doc = {"format": FORMAT, "key": self.key, "digest": digest, "findings": findings}
            write_sealed(self.portfolio_path, self.secret, doc)

    @collector_paused()
    def _write_files(self) -> None:
        files = {
            name: (digest, encode(result) if isinstance(result, FileResult) else result)
            for name in sorted(self.used)
            if name in self.files
            for digest, result in [self.files[name]]
        }
        doc = {"format": FORMAT, "key": self.key, "files": files}
        write_sealed(self.path, self.secret, doc)
        if self.secret is None or refusal(self.folder) is not None:
            return
        with contextlib.suppress(OSError):
            for pattern in (f"cache-v{FORMAT}-*.json", f"portfolio-v{FORMAT}-*.json"):
                for old in self.folder.glob(pattern):
                    if old not in (self.path, self.portfolio_path):
                        old.unlink()  # another configuration's cache: stale after this run


def _can_fork() -> bool:
    """A child process may write the cache: Linux (fork is the platform's own way), and
    no other thread that a fork would leave in an unknown state."""
    import threading

    return sys.platform.startswith("linux") and threading.active_count() == 1


def _remembered() -> Remembered:
    from govlint.portfolio.index import Remembered

    return Remembered()


#: files kept in memory at most; beyond, the oldest entries are dropped
MAX_FILES = 20_000


@dataclass
class MemoryCache(Cache):
    """The checker's cache, held as objects: nothing is encoded, decoded or written."""

    results: dict[str, tuple[str, FileResult]] = field(default_factory=dict)
    findings: tuple[str, list[Finding]] | None = None
    #: what the portfolio rules work out from each unchanged initiative
    remembered: Remembered = field(default_factory=lambda: _remembered())
    #: the key of the rules as prepared, before the registry's defaults and lookups
    prepared: str = ""

    def reset(self, key: str) -> None:
        """Start again empty when the settings key changed (the rules, or the registry entries
        a rule looks up); what is remembered about documents does not depend on it."""
        if key != self.key:
            self.key, self.results, self.findings = key, {}, None

    def get(self, name: str, digest: str) -> FileResult | None:
        entry = self.results.get(name)
        return entry[1] if entry is not None and entry[0] == digest else None

    def put(self, name: str, digest: str, result: FileResult) -> None:
        self.results.pop(name, None)
        self.results[name] = (digest, result)
        while len(self.results) > MAX_FILES:
            del self.results[next(iter(self.results))]

    def get_portfolio(self, digest: str) -> list[Finding] | None:
        if self.findings is None or self.findings[0] != digest:
            return None
        return list(self.findings[1])

    def put_portfolio(self, digest: str, findings: list[Finding]) -> None:
        self.findings = (digest, list(findings))

    def save_files(self) -> None:
        """Nothing to write: the session lives as long as the server."""

    def save(self) -> None:
        """Nothing to write: the session lives as long as the server."""


# -- the memo: what is worked out from content alone, kept between runs -----------------

MEMO_FILE = f"memo-v{FORMAT}.json"


class _Documents:
    """Parsed documents by ``load.memo_key`` (a ``load.DocumentMemo``), kept as JSON."""

    documents: dict[str, list[Any]]
    used: set[str]

    def parsed(self, key: str) -> list[Document] | None:
        """The documents kept for ``key`` (see ``load.memo_key``), or None."""
        entry = self.documents.get(key)
        if not isinstance(entry, list):
            return None
        try:  # decoded now: a damaged entry is parsed again, never a crash later
            docs = [
                Document(str(file), int(i), data, _packed(s), _packed(k), Span(*map(int, start)))
                for file, i, data, start, s, k in entry
            ]
        except (ValueError, TypeError, RecursionError):
            return None
        self.used.add(key)
        return docs

    def keep(self, key: str, documents: list[Document]) -> None:
        self.documents[key] = [_kept_document(d) for d in documents]
        self.used.add(key)


@dataclass
class Shelf(_Documents):
    """The documents of the pack files that a run's key depends on, kept in its run record:
    a run answered from the cache finds its packs' parents and rule folders without
    parsing them, so it imports no YAML parser (about 10 ms of such a run)."""

    documents: dict[str, list[Any]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, raw: object) -> Shelf:
        """The shelf a run record kept (anything else: an empty one)."""
        return cls(dict(raw)) if isinstance(raw, dict) else cls()

    def kept(self) -> dict[str, list[Any]]:
        """What this run asked for: what its record keeps."""
        return {key: self.documents[key] for key in sorted(self.used)}


@dataclass
class Memo(_Documents):
    """What govlint works out from a file's or a text's content alone, kept between runs
    in the cache folder, sealed as the cache is: the documents of the rule, pack and
    configuration files (parsing them took a third of a pre-commit run), the languages and
    words of the portfolio's purposes and names, and its near-identical pairs. Keys are the
    content itself (a document's: its text, name and the limits), so nothing in it goes
    stale; what a run did not ask for is dropped when it is written."""

    path: Path
    secret: bytes | None
    documents: dict[str, list[Any]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    vocabulary: Vocabulary = field(default_factory=lambda: _vocabulary())
    pairs: list[Any] | None = None
    dirty: bool = False

    @classmethod
    def open(cls, folder: Path) -> Memo:
        """The memo in ``folder``; anything unexpected means an empty one."""
        sealing = secret()
        memo = cls(folder / MEMO_FILE, sealing)
        raw = read_sealed(memo.path, sealing)
        if not isinstance(raw, dict) or raw.get("version") != __version__:
            return memo
        with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
            documents, languages, words = raw["documents"], raw["languages"], raw["words"]
            if isinstance(documents, dict) and isinstance(languages, dict):
                memo.documents = documents
                memo.vocabulary.languages = {
                    k: v for k, v in languages.items() if v in ("english", "dutch")
                }
            if isinstance(words, dict):
                memo.vocabulary.words = {k: tuple(map(str, v)) for k, v in words.items()}
            memo.pairs = raw.get("pairs")
        return memo

    def keep(self, key: str, documents: list[Document]) -> None:
        super().keep(key, documents)
        self.dirty = True

    def restore_pairs(self) -> None:
        """Start the near-identical search from the pairs kept (``clusters.restore_pairs``)."""
        from govlint.portfolio.clusters import restore_pairs

        if not isinstance(self.pairs, list) or len(self.pairs) != 3:
            return
        threshold, sets, pairs = self.pairs
        with contextlib.suppress(ValueError, TypeError, IndexError, KeyError):
            if isinstance(threshold, float) and isinstance(sets, list):
                words = [[str(w) for w in s] for s in sets]
                restore_pairs(threshold, words, [(int(a), int(b)) for a, b in pairs])

    @collector_paused()
    def save(self) -> None:
        """Write what this run used, if anything was added or dropped; never fails."""
        from govlint.portfolio.clusters import kept_pairs

        vocabulary = self.vocabulary
        pairs = kept_pairs()
        found = None if pairs is None else [pairs[0], pairs[1], [list(p) for p in pairs[2]]]
        changed = (
            self.dirty
            or self.used != set(self.documents)
            or vocabulary.learnt
            or (found is not None and found != self.pairs)
        )
        if not changed:
            return
        # a run without portfolio rules to work out (JSON of a run answered from the cache)
        # keeps the words it did not ask for
        used = vocabulary.used or {*vocabulary.languages, *vocabulary.words}
        languages = {t: vocabulary.languages[t] for t in used if t in vocabulary.languages}
        words = {k: list(vocabulary.words[k]) for k in used if k in vocabulary.words}
        doc = {
            "version": __version__,
            "documents": {k: self.documents[k] for k in sorted(self.used) if k in self.documents},
            "languages": languages,
            "words": words,
            "pairs": found,
        }
        write_sealed(self.path, self.secret, doc)


def _packed(text: object) -> PackedSpans:
    if not isinstance(text, str):
        raise TypeError("positions: not a JSON text")
    paths, numbers = json.loads(text)
    return PackedSpans.of_paths(paths, [int(n) for n in numbers])


def _vocabulary() -> Vocabulary:
    from govlint.portfolio.text import Vocabulary

    return Vocabulary()


def _kept_document(d: Document) -> list[Any]:
    return [d.file, d.index, d.data, _span(d.start), _spans_text(d.spans), _spans_text(d.key_spans)]


def portfolio_digest(key: str, digests: list[tuple[str, str]]) -> str:
    """One hash for the whole portfolio: every file name and content hash."""
    digest = hashlib.sha256(key.encode())
    for name, file_digest in sorted(digests):
        digest.update(f"\x1f{name}\x1e{file_digest}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# -- the run cache: a whole unchanged run, answered without loading rules -----------------


def _suppression(f: Finding) -> list[Any] | None:
    s = f.suppression
    if s is None:
        return None
    where = _location(s.location) if s.location is not None else None
    return [s.kind, s.justification, s.approved_by, s.expires, s.ticket, where]


def _decode_suppression(raw: list[Any] | None) -> Suppression | None:
    if raw is None:
        return None
    kind, justification, approved_by, expires, ticket, where = raw
    location = _decode_location(where) if where is not None else None
    return Suppression(kind, justification, approved_by, expires, ticket, location)


def setup_files(config: Layout, folders: list[Path]) -> list[Path]:
    """Every file that decides the rules of a run: configuration, rule files, packs."""
    from govlint.engine.packs import pack_files
    from govlint.resources import data_dir

    files: list[Path] = []
    if config.source is not None:
        files.append(config.source)
    for folder in [*folders, data_dir("policies")]:
        if folder.is_dir():
            files.extend(sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")))
    # packs named by path, and those they extend from any folder: each one's text decides
    files.extend(pack_files(config.settings.policies, config.root))
    return files


def run_key(parts: list[str], inputs: list[Path], targets: list[tuple[str, bool, str]]) -> str:
    digest = hashlib.sha256(f"govlint {__version__} run {FORMAT}".encode())
    for part in parts:
        digest.update(b"\x1f" + part.encode("utf-8", "surrogatepass"))
    for path in inputs:
        digest.update(
            f"\x1e{path}\x1f".encode("utf-8", "surrogatepass") + target_digest(path).encode()
        )
    for display, explicit, file_digest in targets:
        digest.update(
            f"\x1d{display}\x1f{explicit}\x1f{file_digest}".encode("utf-8", "surrogatepass")
        )
    return digest.hexdigest()


def target_digest(path: Path) -> str:
    """The content hash of a file for the run key; a FIFO or device is never read."""
    from govlint.load import fingerprint

    return fingerprint(path)  # "unreadable": read again in the run, where it becomes a finding


def read_run_record(folder: Path) -> dict[str, Any] | None:
    """The last run's record (sealed by this user), undecoded; None when there is none."""
    try:
        raw = read_sealed(folder / f"run-v{FORMAT}.json", secret())
    except (OSError, ValueError, TypeError, RecursionError):
        return None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return None
    return raw


class Answer(NamedTuple):
    """What a recorded run answers with: its files, findings and coverage, and its rules as
    its report described them (so that no rule is loaded to describe them again)."""

    files: list[str]
    findings: list[Finding]
    coverage: Coverage
    rules: dict[str, Described]


def run_answer(raw: dict[str, Any], key: str) -> Answer | None:
    """What the recorded run answers with if its key is ``key``."""
    try:
        if raw.get("key") != key:
            return None
        files = [str(f) for f in raw["files"]]
        findings = [_decode_finding(f, _decode_suppression(s)) for f, s in raw["findings"]]
        coverage = Coverage.from_json(raw["coverage"])
        described = [Described.from_json(r) for r in raw["rules"]]
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None
    return Answer(files, findings, coverage, {r.id: r for r in described})


def read_run(folder: Path, key: str) -> Answer | None:
    """What an earlier run with exactly these inputs answers with, or None."""
    raw = read_run_record(folder)
    if raw is None or not raw.get("layout"):  # an older record: written again with it
        return None
    return run_answer(raw, key)


def layout_record(layout: Layout) -> dict[str, Any]:
    """What a run keeps of its configuration, with the file it came from and its hash."""
    from govlint.layout import keep

    source = layout.source
    return {
        "version": __version__,
        "digest": None if source is None else target_digest(source),
        **keep(layout),
    }


def kept_layout(raw: dict[str, Any], source: Path | None, root: Path) -> KeptLayout | None:
    """The configuration the recorded run kept, if it was read from ``source`` (rooted at
    ``root``) and that file has not changed since; else None (read the file itself)."""
    from govlint.layout import restore

    try:
        kept = raw.get("layout")
        if not isinstance(kept, dict) or kept.get("version") != __version__:
            return None
        layout = restore(kept)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if layout.source != source or layout.root != root:
        return None
    if source is not None and kept.get("digest") != target_digest(source):
        return None
    return layout


@collector_paused()
def write_run(
    folder: Path,
    key: str,
    files: list[str],
    findings: list[Finding],
    coverage: Coverage,
    rules: Mapping[str, Described],
    layout: dict[str, Any] | None = None,
    packs: Shelf | None = None,
) -> None:
    doc = {
        "format": FORMAT,
        "key": key,
        "layout": layout,
        "packs": {} if packs is None else packs.kept(),
        "files": files,
        "findings": [[_finding(f), _suppression(f)] for f in findings],
        "coverage": coverage.to_json(),
        "rules": [rules[rule_id].to_json() for rule_id in sorted(rules)],
    }
    write_sealed(folder / f"run-v{FORMAT}.json", secret(), doc)
