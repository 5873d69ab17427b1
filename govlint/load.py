"""YAML -> documents with positions: every value keeps its file, line and column.

govlint builds plain data (dict, list, str, int, float, bool, None) straight from the
parser's events, with YAML 1.2 core-schema scalars (``NO`` is the string "NO", dates
stay strings). Two parsers produce the same events: the libyaml-based ``CParser``
from ``ruamel.yaml.clib`` (the fast path) and ruamel.yaml's pure-Python parser (the
fallback). Problems are returned as findings, never raised.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import gc
import hashlib
import io
import os
import re
import stat
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Protocol

from govlint.context import bound
from govlint.findings import START_OF_FILE, Finding, Location, Severity, Span, format_path

PathKey = tuple[str | int, ...]

# Rule ids of the findings the loader produces.
UNREADABLE = "GL000"
YAML_SYNTAX = "GL001"
DUPLICATE_KEY = "GL002"
UNSUPPORTED_YAML = "GL003"
LIMIT_EXCEEDED = "GL005"
ENCODING = "GL006"
EMPTY = "GL007"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile input from costing unbounded time or memory."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_depth: int = 200
    max_nodes: int = 1_000_000


#: every value is kept with its whole path, so a document costs the sum of its values'
#: depths; that sum may be at most this many times ``limits.max_nodes`` (a million values
#: nested 200 deep, easily made with aliases, would hold 200 million path steps)
PATH_STEPS = 16

#: the deepest nesting govlint reads whatever ``limits.max_depth`` says: the JSON encoder
#: of the cache and the validators recurse once or more per level, and Python's stack
#: holds about a thousand frames
MAX_DEPTH = 500


#: shapes (the paths of a document, in order) shared between documents; bounded, so a
#: long-lived process does not keep every shape it ever saw
_SHAPES: dict[tuple[PathKey, ...], dict[PathKey, int]] = {}
MAX_SHAPES = 1024


def _shape(keys: tuple[PathKey, ...]) -> dict[PathKey, int]:
    index = _SHAPES.get(keys)
    if index is None:
        index = {key: i for i, key in enumerate(keys)}
        if len(_SHAPES) < MAX_SHAPES:
            _SHAPES[keys] = index
    return index


def _numbers(values: list[int]) -> array[int]:
    try:
        return array("i", values)  # four bytes each: any line of any file govlint reads
    except OverflowError:
        return array("q", values)


class PackedSpans(Mapping[PathKey, Span]):
    """Positions of a document that is kept for the whole run, in a fraction of the memory
    of a dict of spans: four integers per value in an array, and the index from path to
    position shared by every document with the same paths (copies and near-copies of a
    manifest are the rule in a large portfolio, and each one kept its spans: 1.9 GB at
    10,000)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[PathKey, int], values: array[int]) -> None:
        self._index = index
        self._values = values

    @classmethod
    def of(cls, spans: Mapping[PathKey, Span]) -> PackedSpans:
        if isinstance(spans, PackedSpans):
            return spans
        numbers = [n for s in spans.values() for n in (s.line, s.column, s.end_line, s.end_column)]
        return cls(_shape(tuple(spans)), _numbers(numbers))

    @classmethod
    def of_paths(cls, paths: list[list[str | int]], numbers: list[int]) -> PackedSpans:
        """From the paths in order and four numbers per path (the cache's form)."""
        if len(numbers) != 4 * len(paths):
            raise ValueError("positions: four numbers per path")
        return cls(_shape(tuple(map(tuple, paths))), _numbers(numbers))

    def numbers(self) -> list[int]:
        """Line, column, end line and end column of each path in turn."""
        return self._values.tolist()

    def __getitem__(self, key: PathKey) -> Span:
        i = 4 * self._index[key]
        v = self._values
        return Span(v[i], v[i + 1], v[i + 2], v[i + 3])

    def get(self, key: PathKey, default: Any = None) -> Any:
        i = self._index.get(key)
        if i is None:
            return default
        v, i = self._values, 4 * i
        return Span(v[i], v[i + 1], v[i + 2], v[i + 3])

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


@dataclass(frozen=True)
class Document:
    """One YAML document of a file, as plain data plus the position of every value and key."""

    file: str
    index: int
    data: Any
    spans: Mapping[PathKey, Span]
    key_spans: Mapping[PathKey, Span]
    start: Span = START_OF_FILE

    def value_span(self, path: PathKey) -> Span:
        """The span of the value at ``path``, or of its nearest existing ancestor."""
        for end in range(len(path), -1, -1):
            span = self.spans.get(path[:end])
            if span is not None:
                return span
        return self.start

    def locate(self, path: PathKey) -> Location:
        """Where a finding about ``path`` should point.

        A scalar points at its value, a mapping or list at its key (a whole block is
        not a useful highlight), and a missing key at the key of its parent mapping.
        """
        for end in range(len(path), -1, -1):
            sub = path[:end]
            span = self.spans.get(sub)
            if span is None:
                continue
            key_span = self.key_spans.get(sub)
            is_collection = isinstance(self.get(sub), (dict, list))
            if key_span is not None and (is_collection or end < len(path)):
                return Location(self.file, key_span, format_path(path))
            if is_collection:
                return Location(self.file, Span.point(span.line, span.column), format_path(path))
            return Location(self.file, span, format_path(path))
        return Location(self.file, self.start, format_path(path))

    def key_location(self, path: PathKey) -> Location:
        """Where the key of ``path`` is written (its value if it has no key)."""
        span = self.key_spans.get(path)
        if span is None:
            return self.locate(path)
        return Location(self.file, span, format_path(path))

    def packed(self) -> Document:
        """The same document with its positions packed (see ``PackedSpans``)."""
        return replace(
            self, spans=PackedSpans.of(self.spans), key_spans=PackedSpans.of(self.key_spans)
        )

    def get(self, path: PathKey) -> Any:
        node = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return None
            elif not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node


@dataclass
class LoadResult:
    """The documents read from one file and the problems found while reading it."""

    file: str
    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


# --- reading bytes -------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _sniff(raw: bytes) -> str:
    """The encoding of a stream without a byte-order mark (YAML 1.2, section 5.2).

    A YAML stream starts with an ASCII character, so the zero bytes around the first
    character tell UTF-16 and UTF-32 from UTF-8 (a file saved as "Unicode" by Windows
    editors without a BOM would otherwise be read as UTF-8 full of NUL characters).
    """
    head = raw[:4]
    if len(head) == 4 and head[:3] == b"\0\0\0" and head[3]:
        return "utf-32-be"
    if len(head) == 4 and head[0] and head[1:] == b"\0\0\0":
        return "utf-32-le"
    if len(head) >= 2 and not head[0] and head[1]:
        return "utf-16-be"
    if len(head) >= 2 and head[0] and not head[1]:
        return "utf-16-le"
    return "utf-8"


def decode(raw: bytes, file: str) -> str | Finding:
    """Decode YAML bytes: UTF-8 by default, UTF-16/32 when a byte-order mark or the zero
    bytes around the first character say so."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, encoding = raw[len(bom) :], name
            break
    else:
        encoding = _sniff(raw)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        # count lines in the decoded text: in UTF-16 a newline is two bytes
        before = raw[: exc.start].decode(encoding, errors="replace")
        line = before.count("\n") + 1
        column = len(before.rsplit("\n", 1)[-1]) + 1
        return _input_finding(
            ENCODING,
            f"file is not valid {encoding.upper()}: byte 0x{raw[exc.start]:02x} cannot be "
            f"decoded; save the file as UTF-8",
            file,
            Span(line, column, line, column + 1),
        )


def read_file(path: Path, display: str, limits: Limits) -> str | Finding:
    """Read and decode one file, turning every OS or encoding problem into a finding."""
    raw = read_bytes(path, display, limits)
    return raw if isinstance(raw, Finding) else decode(raw, display)


#: the editor's unsaved buffers, by absolute path: while set (``overlay``), they stand in
#: for the files on disk, so the language server runs the same pipeline as ``govlint check``
_OVERLAY: contextvars.ContextVar[Mapping[str, bytes] | None] = contextvars.ContextVar(
    "govlint_overlay", default=None
)


def overlay(buffers: Mapping[str, bytes]) -> contextlib.AbstractContextManager[object]:
    """Within this block, a file whose absolute path is in ``buffers`` reads as those bytes."""
    return bound(_OVERLAY, buffers)


def _buffer(path: Path) -> bytes | None:
    buffers = _OVERLAY.get()
    return buffers.get(os.path.abspath(path)) if buffers else None


#: open without waiting: a named pipe with no writer must not hang the run
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


def read_bytes(
    path: Path, display: str, limits: Limits, *, follow_links: bool = True
) -> bytes | Finding:
    """Read one regular file within the size limit; every OS problem becomes a finding.

    Every file govlint reads (manifests, rule files, packs, the configuration, the
    baseline, the cache) comes through here. The file is opened once and checked on the
    open descriptor, so a file replaced between the check and the read cannot slip
    through: a named pipe, a device such as /dev/zero or a socket is refused, and never
    more than ``limits.max_file_bytes`` are read, even from a file that grows meanwhile.
    Without ``follow_links`` a symbolic link is refused too (files govlint wrote itself).
    An open editor buffer (see ``overlay``) is read in place of its file.
    """
    buffer = _buffer(path)
    if buffer is not None:
        return (
            _too_big(len(buffer), limits, display)
            if len(buffer) > limits.max_file_bytes
            else buffer
        )
    flags = _OPEN_FLAGS if follow_links else _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow_links and exc.errno == errno.ELOOP:
            return _input_finding(
                UNREADABLE, "is a symbolic link; govlint does not follow links here", display
            )
        return _unreadable(exc, display)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return _not_a_file(info.st_mode, display)
        if info.st_size > limits.max_file_bytes:
            return _too_big(info.st_size, limits, display)
        chunks: list[bytes] = []
        total = 0
        while total <= limits.max_file_bytes:
            chunk = os.read(fd, min(_CHUNK, limits.max_file_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limits.max_file_bytes:  # it grew while being read
            return _too_big(total, limits, display)
        return b"".join(chunks)
    except OSError as exc:
        return _unreadable(exc, display)
    finally:
        os.close(fd)


def fingerprint(path: Path) -> str:
    """A SHA-256 of a regular file's bytes, read in chunks (bounded memory whatever the
    size), or a short word saying why there is none; for cache keys."""
    buffer = _buffer(path)
    if buffer is not None:
        return hashlib.sha256(buffer).hexdigest()
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return "unreadable"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "not-a-file"
        digest = hashlib.sha256()
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return "unreadable"
    finally:
        os.close(fd)


def _too_big(size: int, limits: Limits, display: str) -> Finding:
    return _input_finding(
        LIMIT_EXCEEDED,
        f"file is {size:,} bytes, over the limit of {limits.max_file_bytes:,} "
        "(limits.max_file_bytes); split it or raise the limit in the configuration",
        display,
    )


def _not_a_file(mode: int, display: str) -> Finding:
    if stat.S_ISDIR(mode):
        return _input_finding(UNREADABLE, "is a directory, not a YAML file", display)
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return _input_finding(
        UNREADABLE, f"is {kind}, not a regular file; govlint reads only regular files", display
    )


def _unreadable(exc: OSError, display: str) -> Finding:
    if exc.errno == errno.ENOENT:
        message = "file does not exist (was it moved or deleted?)"
    elif exc.errno == errno.EISDIR:
        message = "is a directory, not a YAML file"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        message = "permission denied; make the file readable for govlint"
    elif exc.errno == errno.ELOOP:
        message = "symbolic link loop (a link that points back at itself); fix or remove the link"
    else:
        message = f"cannot read file: {exc.strerror or exc}"
    return _input_finding(UNREADABLE, message, display)


def _input_finding(rule_id: str, message: str, file: str, span: Span = START_OF_FILE) -> Finding:
    return Finding(rule_id, Severity.ERROR, message, Location(file, span), input_error=True)


# --- scalars (YAML 1.2 core schema) ---------------------------------------------

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null"))


#: the words of the core schema, and the characters a number can start with: most plain
#: scalars are words or names, told apart from numbers by their first character
_WORDS: dict[str, bool | None] = {
    **dict.fromkeys(_NULL),
    **dict.fromkeys(_TRUE, True),
    **dict.fromkeys(_FALSE, False),
}
_NUMBER_START = frozenset("+-.0123456789")


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if not text or text[0] not in _NUMBER_START:
        return _WORDS.get(text, text)
    if _INT10.fullmatch(text):
        return int(text, 10)
    if _INT8.fullmatch(text):
        return int(text[2:], 8)
    if _INT16.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text


class _Refused(Exception):
    """Stops building a document; carries the finding that says why.

    ``stop``: a limit was hit, so the rest of the file is not read either (parsing on
    through hostile nesting costs the parser quadratic time).
    """

    def __init__(self, finding: Finding, stop: bool = False) -> None:
        super().__init__(finding.message)
        self.finding = finding
        self.stop = stop


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(event: Any, file: str) -> str:
    """The text of a scalar; refuses lone surrogates, which are not Unicode characters
    (libyaml rejects their escapes, the pure parser lets them through)."""
    text: str = event.value
    if not text.isascii() and (match := _SURROGATE.search(text)):
        raise _Refused(
            _input_finding(
                YAML_SYNTAX,
                f"invalid YAML: \\u{ord(match.group(0)):04x} is half of a UTF-16 surrogate "
                "pair, not a character; write the character itself or its \\U escape "
                "(8 hex digits)",
                file,
                _span(event),
            )
        )
    return text


def _scalar_value(event: Any, file: str) -> Any:
    try:
        return _resolved_scalar(event, file)
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise _Refused(
            _input_finding(
                LIMIT_EXCEEDED,
                f"a number of {len(event.value):,} digits is longer than govlint reads; "
                "quote it if it is meant as text",
                file,
                _span(event),
            )
        ) from None


def _resolved_scalar(event: Any, file: str) -> Any:
    tag = event.tag
    text = _text(event, file)
    if tag is None:
        plain = event.style in (None, "") and event.implicit[0]
        return resolve_plain(text) if plain else text
    if tag == "!":
        return text
    if tag not in _ALLOWED_TAGS:
        raise _Refused(
            _input_finding(
                UNSUPPORTED_YAML,
                f"tag {_short_tag(tag)!s} is not allowed: govlint only reads plain data "
                "(strings, numbers, booleans, null, lists, mappings); remove the tag",
                file,
                _span(event),
            )
        )
    kind = tag[len(_CORE) :]
    if kind == "str":
        return text
    value = resolve_plain(text)
    types: dict[str, type | tuple[type, ...]] = {
        "int": int,
        "float": (int, float),
        "bool": bool,
        "null": type(None),
    }
    expected = types[kind]
    if (kind == "int" and isinstance(value, bool)) or not isinstance(value, expected):
        raise _Refused(
            _input_finding(
                UNSUPPORTED_YAML,
                f"{text!r} is not a valid !!{kind}; fix the value or remove the tag",
                file,
                _span(event),
            )
        )
    return float(value) if kind == "float" else value  # type: ignore[arg-type]


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _span(event: Any) -> Span:
    start, end = event.start_mark, event.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


# --- building documents from events -------------------------------------------

#: a position as the builder keeps it until the document is done: line, column, end line,
#: end column (a tuple costs a fraction of a ``Span``, and most are never looked at)
_Pos = tuple[int, int, int, int]


class _Events:
    """The parser's event classes, imported on first use (ruamel.yaml is slow to import,
    and a run answered from the cache never parses); both parsers make the same classes,
    so the builder tells events apart by identity instead of by name."""

    loaded = False

    @classmethod
    def load(cls) -> None:
        from ruamel.yaml import events

        cls.Scalar = events.ScalarEvent
        cls.MappingStart = events.MappingStartEvent
        cls.SequenceStart = events.SequenceStartEvent
        cls.MappingEnd = events.MappingEndEvent
        cls.SequenceEnd = events.SequenceEndEvent
        cls.Alias = events.AliasEvent
        cls.DocumentStart = events.DocumentStartEvent
        cls.DocumentEnd = events.DocumentEndEvent
        cls.loaded = True

    Scalar: ClassVar[type]
    MappingStart: ClassVar[type]
    SequenceStart: ClassVar[type]
    MappingEnd: ClassVar[type]
    SequenceEnd: ClassVar[type]
    Alias: ClassVar[type]
    DocumentStart: ClassVar[type]
    DocumentEnd: ClassVar[type]


class _Frame:
    """A mapping or list being built."""

    __slots__ = (
        "anchor",
        "container",
        "first_chars",
        "first_entry",
        "first_key",
        "first_steps",
        "is_map",
        "merged",
        "path",
        "pending_key",
        "pending_key_at",
        "pending_merge",
        "seen",
        "start",
    )

    def __init__(
        self,
        container: dict[str, Any] | list[Any],
        path: PathKey,
        start: tuple[int, int],
        anchor: str | None,
        first_entry: int,
        first_key: int,
        first_chars: int,
        first_steps: int,
    ) -> None:
        self.container = container
        self.is_map = type(container) is dict
        self.path = path
        self.start = start
        self.anchor = anchor
        self.first_entry = first_entry
        self.first_key = first_key
        self.first_chars = first_chars
        self.first_steps = first_steps
        self.pending_key: str | None = None
        self.pending_key_at: _Pos | None = None
        self.pending_merge = False
        self.merged: list[dict[str, Any]] = []
        self.seen: dict[str, _Pos] = {}


@dataclass
class _Anchor:
    value: Any
    #: paths of its values (its own first) and their positions, four numbers each
    paths: list[PathKey]
    numbers: list[int]
    #: paths of its mapping keys and their positions
    key_paths: list[PathKey]
    key_numbers: list[int]
    root: PathKey
    nodes: int
    #: characters of its keys and scalars, counted again for every alias
    chars: int = 0
    #: the depths of its values below its own root, summed (see ``PATH_STEPS``)
    steps: int = 0


class _Builder:
    """Turns the parser's event stream into documents; one builder per file."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.max_depth = min(limits.max_depth, MAX_DEPTH)
        self.findings: list[Finding] = []
        #: anchors of the documents already read: an alias to one of them is an error
        #: (anchors do not carry across documents), but it deserves a precise message
        self.earlier_anchors: set[str] = set()
        self.stopped = False
        if not _Events.loaded:
            _Events.load()

    def documents(self, events: Iterator[Any]) -> list[Document]:
        docs: list[Document] = []
        index = -1
        document_start = _Events.DocumentStart
        for event in events:
            if type(event) is document_start:
                index += 1
                doc = _DocumentBuilder(self, index, event).build(events)
                if doc is not None:
                    docs.append(doc)
                elif self.stopped:
                    break
        return docs

    def too_deep(self, span: Span) -> _Refused:
        if self.limits.max_depth > MAX_DEPTH:
            why = (
                f"nesting deeper than {MAX_DEPTH} levels (the most govlint reads, whatever "
                "limits.max_depth says)"
            )
        else:
            why = f"nesting deeper than {self.max_depth} levels (limits.max_depth)"
        return _Refused(
            _input_finding(
                LIMIT_EXCEEDED,
                f"{why}; flatten the document (govlint stops reading the file here)",
                self.file,
                span,
            ),
            stop=True,
        )

    def skip_document(self, events: Iterator[Any], depth: int) -> None:
        """Pass over the rest of a refused document, still within the depth limit."""
        opening = (_Events.MappingStart, _Events.SequenceStart)
        closing = (_Events.MappingEnd, _Events.SequenceEnd)
        for event in events:
            kind = type(event)
            if kind is _Events.DocumentEnd:
                return
            if kind in opening:
                depth += 1
                if depth > self.max_depth:
                    self.findings.append(self.too_deep(_span(event)).finding)
                    self.stopped = True
                    return
            elif kind in closing:
                depth -= 1


def _unsupported(message: str, file: str, span: Span) -> _Refused:
    return _Refused(_input_finding(UNSUPPORTED_YAML, message, file, span))


def _too_many(message: str, file: str, span: Span) -> _Refused:
    return _Refused(_input_finding(LIMIT_EXCEEDED, message, file, span), stop=True)


_COMPLEX_KEY = (
    "complex mapping keys (lists, mappings or aliases as keys) are not supported; "
    "use a plain string key"
)
_COLLECTION_TAGS = (None, "!", f"{_CORE}map", f"{_CORE}seq")


class _DocumentBuilder:
    """Builds one document from its events.

    Every value is counted against the limits as it is placed (``nodes``: values,
    aliases expanded; ``chars``: characters of keys and scalars; ``steps``: the depths of
    the values, summed); ``paths`` and ``numbers`` collect the positions of the values by
    path (four numbers each), ``key_paths`` and ``key_numbers`` those of the mapping keys.

    Plain keys and untagged, unanchored scalars, the bulk of every manifest, are handled
    inline in ``build`` (a method call per event costs as much as the work); everything
    else goes through the methods below, which the inline code mirrors.
    """

    def __init__(self, owner: _Builder, index: int, start_event: Any) -> None:
        self.owner = owner
        self.file = owner.file
        self.limits = owner.limits
        self.index = index
        self.start = _span(start_event)
        self.paths: list[PathKey] = []
        self.numbers: list[int] = []
        self.key_paths: list[PathKey] = []
        self.key_numbers: list[int] = []
        self.anchors: dict[str, _Anchor] = {}
        self.stack: list[_Frame] = []
        self.root: list[Any] = []
        self.nodes = 0
        self.chars = 0
        self.steps = 0
        #: a merge key, a duplicate key or a key that looks like one was seen: the
        #: positions and mappings need sorting out at the end
        self.irregular = False

    def build(self, events: Iterator[Any]) -> Document | None:
        """Read the events up to the end of the document; None if it was refused."""
        scalar, alias = _Events.Scalar, _Events.Alias
        mapping_start, sequence_start = _Events.MappingStart, _Events.SequenceStart
        mapping_end, sequence_end = _Events.MappingEnd, _Events.SequenceEnd
        document_end = _Events.DocumentEnd
        stack, paths, numbers = self.stack, self.paths, self.numbers
        key_paths, key_numbers = self.key_paths, self.key_numbers
        max_nodes = self.limits.max_nodes
        max_chars = self.limits.max_file_bytes
        max_steps = max_nodes * PATH_STEPS
        event = None
        try:
            for event in events:
                kind = type(event)
                if kind is scalar:
                    start, end = event.start_mark, event.end_mark
                    at = (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
                    text = event.value
                    top = stack[-1] if stack else None
                    if (
                        top is not None
                        and top.is_map
                        and top.pending_key is None
                        and not top.pending_merge
                    ):  # a mapping key
                        if (
                            event.anchor
                            or event.ctag is not None
                            or not text.isascii()
                            or text == "<<"
                            or text[:1] == "\0"
                        ):
                            self._take_key(event, at)
                            continue
                        self.chars += len(text)
                        if self.chars > max_chars:
                            self._count_chars(0, at, None)
                        if text in top.seen:
                            text = self._duplicate(top, text, at)
                        top.seen[text] = at
                        top.pending_key = text
                        top.pending_key_at = at
                        continue
                    style = event.style
                    if event.anchor or event.ctag is not None or not text.isascii():
                        value = _scalar_value(event, self.file)
                    elif style or not event.implicit[0]:
                        value = text
                    else:
                        try:
                            value = resolve_plain(text)
                        except ValueError:  # too many digits: says so
                            value = _scalar_value(event, self.file)
                    if not text and not style and top is not None and top.pending_key:
                        # an empty value: the pure parser marks the next token, libyaml
                        # the place after the colon; the latter is where a user looks
                        key_at = top.pending_key_at
                        assert key_at is not None
                        at = (key_at[2], key_at[3] + 1, key_at[2], key_at[3] + 1)
                    self.nodes += 1
                    if text:
                        self.chars += len(text)
                        if self.chars > max_chars:
                            self._count_chars(0, at, None)
                    if self.nodes > max_nodes:
                        self._count_nodes(at, 1, None)
                    if top is None or top.pending_merge:
                        path = self._attach(value, at)
                        assert path is not None
                    elif top.is_map:
                        key = top.pending_key
                        assert key is not None and top.pending_key_at is not None
                        path = (*top.path, key)
                        top.container[key] = value  # type: ignore[call-overload]
                        key_paths.append(path)
                        key_numbers.extend(top.pending_key_at)
                        top.pending_key = None
                    else:
                        path = (*top.path, len(top.container))
                        top.container.append(value)  # type: ignore[union-attr]
                    self.steps += len(path)
                    if self.steps > max_steps:
                        self._count_steps(0, at)
                    paths.append(path)
                    numbers.extend(at)
                    if event.anchor:
                        self.anchors[event.anchor] = _Anchor(
                            value, [path], list(at), [], [], path, 1, len(text)
                        )
                elif kind is mapping_start:
                    self._open(event, {})
                elif kind is mapping_end or kind is sequence_end:
                    self._close(event)
                elif kind is sequence_start:
                    self._open(event, [])
                elif kind is alias:
                    self._alias(event)
                elif kind is document_end:
                    break
        except _Refused as exc:
            self.owner.findings.append(exc.finding)
            self.owner.earlier_anchors.update(self.anchors)
            if exc.stop:
                self.owner.stopped = True
            else:
                # the refused event may have opened a collection that is not on the stack
                opened = type(event) in (mapping_start, sequence_start)
                self.owner.skip_document(events, len(stack) + opened)
            return None
        self.owner.earlier_anchors.update(self.anchors)
        return self._document()

    def _document(self) -> Document:
        if not self.root or self.root[0] is None:
            return Document(self.file, self.index, None, {(): self.start}, {}, self.start)
        paths, numbers = self.paths, self.numbers
        key_paths, key_numbers = self.key_paths, self.key_numbers
        if self.irregular:
            paths, numbers = _without_merge_keys(paths, numbers)
            key_paths, key_numbers = _without_merge_keys(key_paths, key_numbers)
        spans = PackedSpans(_shape(tuple(paths)), _numbers(numbers))
        keys = PackedSpans(_shape(tuple(key_paths)), _numbers(key_numbers))
        return Document(self.file, self.index, self.root[0], spans, keys, self.start)

    # --- the events the inline code in ``build`` leaves to methods ----------------------

    def _alias(self, event: Any) -> None:
        span = _span(event)
        if self._expects_key():
            raise _unsupported(_COMPLEX_KEY, self.file, span)
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise _unsupported(self._unknown_anchor(event.anchor), self.file, span)
        at = (span.line, span.column, span.end_line, span.end_column)
        path = self._place(anchor.value, at, anchor.nodes, event.anchor, anchor.chars, anchor.steps)
        if path is None:
            return
        paths, key_paths = self.paths, self.key_paths
        paths.append(path)
        self.numbers.extend(at)
        root_len = len(anchor.root)
        for sub in anchor.paths[1:]:
            paths.append((*path, *sub[root_len:]))
        self.numbers.extend(anchor.numbers[4:])
        for i, sub in enumerate(anchor.key_paths):
            if len(sub) > root_len:
                key_paths.append((*path, *sub[root_len:]))
                self.key_numbers.extend(anchor.key_numbers[4 * i : 4 * i + 4])

    def _open(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        start = event.start_mark
        line, column = start.line + 1, start.column + 1
        stack = self.stack
        top = stack[-1] if stack else None
        if top is None:
            path: PathKey = ()
        elif not top.is_map:
            path = (*top.path, len(top.container))
        elif top.pending_merge:
            path = (*top.path, "<<")
        elif top.pending_key is not None:
            path = (*top.path, top.pending_key)
        else:
            raise _unsupported(_COMPLEX_KEY, self.file, _span(event))
        if len(stack) >= self.owner.max_depth:
            raise self.owner.too_deep(_span(event))
        if event.ctag is not None and event.tag not in _COLLECTION_TAGS:
            raise _unsupported(
                f"tag {_short_tag(event.tag)} is not allowed: govlint only reads plain data "
                "(strings, numbers, booleans, null, lists, mappings); remove the tag",
                self.file,
                _span(event),
            )
        self.paths.append(path)
        self.numbers.extend((line, column, line, column))  # the end is filled in at the end
        stack.append(
            _Frame(
                container,
                path,
                (line, column),
                event.anchor,
                len(self.paths) - 1,
                len(self.key_paths),
                self.chars,
                self.steps,
            )
        )

    def _close(self, event: Any) -> None:
        stack = self.stack
        frame = stack.pop()
        end = event.end_mark
        at = (*frame.start, end.line + 1, end.column + 1)
        value = frame.container
        if frame.is_map and self.irregular:
            value = _finish_mapping(frame, value)  # type: ignore[arg-type]
        parent = stack[-1] if stack else None
        if parent is None or parent.pending_merge or (parent.is_map and parent.pending_key is None):
            path = self._place(value, at)
        else:  # ``_place`` for the common case: a value in a list or under a key
            self.nodes += 1
            if self.nodes > self.limits.max_nodes:
                self._count_nodes(at, 1, None)
            if parent.is_map:
                key = parent.pending_key
                assert key is not None and parent.pending_key_at is not None
                path = (*parent.path, key)
                parent.container[key] = value  # type: ignore[call-overload]
                self.key_paths.append(path)
                self.key_numbers.extend(parent.pending_key_at)
                parent.pending_key = None
            else:
                path = (*parent.path, len(parent.container))
                parent.container.append(value)  # type: ignore[union-attr]
            self._count_steps(len(path), at)
        if path is None:  # a collection used as a key
            raise _unsupported(
                "complex mapping keys are not supported; use a plain string key",
                self.file,
                Span(*at),
            )
        first = frame.first_entry
        self.paths[first] = path
        self.numbers[4 * first + 2] = at[2]
        self.numbers[4 * first + 3] = at[3]
        if frame.anchor:
            count = len(self.paths) - first
            self.anchors[frame.anchor] = _Anchor(
                value,
                self.paths[first:],
                self.numbers[4 * first :],
                self.key_paths[frame.first_key :],
                self.key_numbers[4 * frame.first_key :],
                path,
                count,
                self.chars - frame.first_chars,
                self.steps - frame.first_steps - count * len(path),
            )

    # --- placing values ----------------------------------------------------------------

    def _place(
        self,
        value: Any,
        at: _Pos,
        node_count: int = 1,
        alias: str | None = None,
        chars: int = 0,
        below: int = 0,
    ) -> PathKey | None:
        """Attach a finished value to its parent; None means it became a key."""
        self.nodes += node_count
        if chars:
            self._count_chars(chars, at, alias)
        if self.nodes > self.limits.max_nodes:
            self._count_nodes(at, node_count, alias)
        path = self._attach(value, at)
        if path is not None:
            self._count_steps(node_count * len(path) + below, at)
        return path

    def _attach(self, value: Any, at: _Pos) -> PathKey | None:
        if not self.stack:
            self.root.append(value)
            return ()
        frame = self.stack[-1]
        container = frame.container
        if not frame.is_map:
            path = (*frame.path, len(container))
            container.append(value)  # type: ignore[union-attr]
            return path
        if frame.pending_merge:
            frame.pending_merge = False
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(s, dict) for s in sources):
                raise _unsupported(
                    "merge key '<<' needs a mapping or a list of mappings", self.file, Span(*at)
                )
            frame.merged.extend(sources)
            return (*frame.path, "<<")
        key = frame.pending_key
        if key is None:
            return None
        assert frame.pending_key_at is not None
        path = (*frame.path, key)
        container[key] = value  # type: ignore[call-overload]
        self.key_paths.append(path)
        self.key_numbers.extend(frame.pending_key_at)
        frame.pending_key = None
        return path

    def _count_nodes(self, at: _Pos, node_count: int, alias: str | None) -> None:
        if self.nodes > self.limits.max_nodes:
            limit = self.limits.max_nodes
            message = (
                f"document expands to more than {limit:,} values (limits.max_nodes) "
                f"through aliases (*{alias} repeats {node_count:,} values); remove the "
                "aliases or raise the limit"
                if alias is not None
                else f"document has more than {limit:,} values (limits.max_nodes); "
                "split it into several files or raise the limit"
            )
            raise _too_many(message, self.file, Span(*at))

    def _count_steps(self, more: int, at: _Pos) -> None:
        self.steps += more
        budget = self.limits.max_nodes * PATH_STEPS
        if self.steps > budget:
            raise _too_many(
                f"document nests its values too deeply for its size: their depths add "
                f"up to more than {budget:,} (limits.max_nodes x {PATH_STEPS}, aliases "
                "counted where they are used); flatten it or remove the aliases",
                self.file,
                Span(*at),
            )

    def _count_chars(self, more: int, at: _Pos, alias: str | None) -> None:
        """Count the characters of keys and scalars, aliases included, against the file
        size limit: a small file must not expand into a huge document."""
        self.chars += more
        limit = self.limits.max_file_bytes
        if self.chars > limit:
            message = (
                f"document expands to more than {limit:,} characters "
                f"(limits.max_file_bytes) through aliases (*{alias} repeats {more:,}); "
                "remove the aliases or raise the limit"
                if alias is not None
                else f"document holds more than {limit:,} characters of text "
                "(limits.max_file_bytes); split it or raise the limit"
            )
            raise _too_many(message, self.file, Span(*at))

    # --- mapping keys ------------------------------------------------------------------

    def _expects_key(self) -> bool:
        """Is the next node a key of the innermost mapping?"""
        if not self.stack:
            return False
        frame = self.stack[-1]
        return frame.is_map and frame.pending_key is None and not frame.pending_merge

    def _take_key(self, event: Any, at: _Pos) -> None:
        """Record a scalar event that is a mapping key (the cases ``build`` leaves out)."""
        frame = self.stack[-1]
        text = event.value
        if text.startswith("\0"):  # never data; and the builder names duplicates so
            raise _unsupported(
                f"key {text!r} starts with a NUL character (\\0), which no data needs; "
                "rename the key",
                self.file,
                Span(*at),
            )
        if text == "<<":
            self.irregular = True
        if text == "<<" and event.style in (None, "") and event.tag is None:
            frame.pending_merge = True
            return
        key = _text(event, self.file)
        self._count_chars(len(key), at, None)
        if event.anchor:  # an anchored key can be used as a value elsewhere
            self.anchors[event.anchor] = _Anchor(
                _scalar_value(event, self.file), [], [], [], [], (), 1, len(key)
            )
        if key in frame.seen:
            key = self._duplicate(frame, key, at)
        frame.seen[key] = at
        frame.pending_key = key
        frame.pending_key_at = at

    def _duplicate(self, frame: _Frame, key: str, at: _Pos) -> str:
        """Report a key the mapping already has; returns the name it is kept under."""
        self.irregular = True
        first = Span(*frame.seen[key])
        where = format_path((*frame.path, key))
        self.owner.findings.append(
            Finding(
                DUPLICATE_KEY,
                Severity.ERROR,
                f"duplicate key {key!r} (first defined at line {first.line}); "
                "remove one of them, YAML keeps only one value",
                Location(self.file, Span(*at), where),
                related=(Location(self.file, first, where),),
                input_error=True,
            )
        )
        return f"\0duplicate:{len(frame.seen)}:{key}"

    def _unknown_anchor(self, name: str) -> str:
        if any(frame.anchor == name for frame in self.stack):
            return (
                f"alias *{name} refers to a node that contains it (a recursive structure); "
                "govlint reads only data without cycles: write the values out"
            )
        if name in self.owner.earlier_anchors:
            return (
                f"alias *{name} refers to an unknown anchor: &{name} is defined in an earlier "
                "document, and anchors do not carry across '---'; define it again in this "
                "document"
            )
        return (
            f"alias *{name} refers to an unknown anchor; define &{name} earlier in the same "
            "document"
        )


def _finish_mapping(frame: _Frame, value: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in value.items() if not k.startswith("\0duplicate:")}
    for source in frame.merged:
        for key, item in source.items():
            clean.setdefault(key, item)
    return clean


def _without_merge_keys(
    paths: list[PathKey], numbers: list[int]
) -> tuple[list[PathKey], list[int]]:
    """Positions by path, where values that came in through ``<<`` keep their source's place.

    A key written in the mapping itself wins over a merged one, and an earlier merge source
    over a later one, as in the data. Each path is tested with C-level operations only (a
    deep document expanded by aliases holds millions of long paths).
    """
    out: dict[PathKey, int] = {}
    merged: list[tuple[PathKey, int]] = []
    duplicates = {
        p
        for path in paths
        if path and isinstance(p := path[-1], str) and p.startswith("\0duplicate:")
    }
    for i, path in enumerate(paths):
        if "<<" in path:
            merged.append((tuple(p for p in path if p != "<<"), i))
        elif not duplicates or duplicates.isdisjoint(path):
            out[path] = i
    for path, i in merged:
        out.setdefault(path, i)
    return list(out), [n for i in out.values() for n in numbers[4 * i : 4 * i + 4]]


def _parser_events(text: str, pure: bool) -> Iterator[Any]:
    if not pure:
        try:
            from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
        except ImportError:  # no compiled clib on this platform
            pure = True
        else:
            # the events up to the end of the stream, without a Python frame per event
            return iter(CParser(io.StringIO(text)).get_event, None)
    from ruamel.yaml import YAML

    return iter(YAML(typ="safe", pure=True).parse(io.StringIO(text)))


def fast_path_available() -> bool:
    try:
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No collector passes in this block, for work that makes many small objects and no
    cycles: building a file's documents, decoding or encoding a cache file. Each pass the
    allocations trigger would walk them all, and everything the run made since its last
    ``gc.freeze`` (the compiled rules, the portfolio index, the findings): building a large
    file's documents takes about half the time without them, and at 10,000 manifests the
    run record took 0.35 s to write instead of 0.99 s. The collector is on again
    afterwards exactly when it was on before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def load_text(
    text: str, file: str, limits: Limits | None = None, *, pure: bool = False
) -> LoadResult:
    """Parse YAML text into documents with positions; syntax errors become findings."""
    from ruamel.yaml.error import YAMLError

    limits = limits or Limits()
    result = LoadResult(file)
    builder = _Builder(file, limits)
    try:
        with collector_paused():  # a million small objects for a large file, no cycles
            result.documents = builder.documents(_parser_events(text, pure))
    except YAMLError as exc:  # the scanner's, parser's and reader's errors, C or pure
        span, detail = _error_position(exc, text)
        hint = _hint(text, span, detail)
        result.findings.extend(builder.findings)
        result.findings.append(
            _input_finding(YAML_SYNTAX, f"invalid YAML: {_one_line(detail)}; {hint}", file, span)
        )
        result.documents = []
        return result
    except Exception as exc:  # the parser itself failed (a bug in it, or memory)
        result.findings.extend(builder.findings)
        result.findings.append(
            _input_finding(
                YAML_SYNTAX,
                f"the YAML parser failed on this file ({type(exc).__name__}: "
                f"{_one_line(str(exc))[:200]}); check the syntax, and please report the file "
                "to the govlint developers",
                file,
            )
        )
        result.documents = []
        return result
    result.findings.extend(builder.findings)
    return result


def _error_position(exc: Exception, text: str) -> tuple[Span, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        span = Span.point(mark.line + 1, mark.column + 1)
    elif isinstance(position := getattr(exc, "position", None), int):  # ReaderError
        before = text[:position]
        line = before.count("\n") + 1
        span = Span.point(line, len(before.rsplit("\n", 1)[-1]) + 1)
    else:
        span = START_OF_FILE
    lines = str(exc).strip().splitlines()
    problem = getattr(exc, "problem", None) or (lines[0] if lines else type(exc).__name__)
    context = getattr(exc, "context", None)
    return span, f"{context}: {problem}" if context else str(problem)


#: YAML allows at most this many characters in a plain (implicit) key
_MAX_PLAIN_KEY = 1024


def _hint(text: str, span: Span, detail: str) -> str:
    """What to write instead, for the mistakes that the parser's words do not explain."""
    line_start = 0
    for _ in range(span.line - 1):
        newline = text.find("\n", line_start)
        if newline < 0:
            return "fix the syntax"
        line_start = newline + 1
    at = line_start + span.column - 1
    char = text[at] if 0 <= at < len(text) else ""
    if char == "\t":
        return "YAML does not allow tabs for indentation: indent with spaces"
    if char == "\0":
        return "the file contains a NUL character: is it a binary file?"
    if "mapping values are not allowed" in detail and span.column > _MAX_PLAIN_KEY:
        return (
            f"a key longer than {_MAX_PLAIN_KEY} characters must be written as an explicit "
            "key: '? the long key' on one line, ': value' on the next"
        )
    return "fix the syntax"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class DocumentMemo(Protocol):
    """Documents parsed in earlier runs, by ``memo_key`` (``govlint.cache.Memo``)."""

    def parsed(self, key: str) -> list[Document] | None: ...

    def keep(self, key: str, documents: list[Document]) -> None: ...


#: while set (``remembering``), ``load_file`` answers a file it parsed in an earlier run
#: from the memo: the rule and pack files a run reads are the same from run to run
_MEMO: contextvars.ContextVar[DocumentMemo | None] = contextvars.ContextVar(
    "govlint_memo", default=None
)


def remembering(memo: DocumentMemo) -> contextlib.AbstractContextManager[object]:
    """Within this block, ``load_file`` looks files up in ``memo`` and keeps them there."""
    return bound(_MEMO, memo)


def memo_key(text: str, display: str, limits: Limits) -> str:
    """What a file's documents depend on: its text, the name it is shown by, the limits."""
    digest = hashlib.sha256(f"{display}\x1f{limits!r}\x1f".encode("utf-8", "surrogatepass"))
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load_file(
    path: Path, display: str | None = None, limits: Limits | None = None, *, pure: bool = False
) -> LoadResult:
    """Read, decode and parse one YAML file (from the memo, if one is set and knows it)."""
    limits = limits or Limits()
    display = display if display is not None else str(path)
    text = read_file(path, display, limits)
    if isinstance(text, Finding):
        return LoadResult(display, [], [text])
    memo = None if pure else _MEMO.get()
    if memo is None:
        return load_text(text, display, limits, pure=pure)
    key = memo_key(text, display, limits)
    known = memo.parsed(key)
    if known is not None:
        return LoadResult(display, known, [])
    result = load_text(text, display, limits)
    if not result.findings:  # a file with a problem is read again: its findings are not kept
        memo.keep(key, result.documents)
    return result


def load_bytes(raw: bytes, display: str, limits: Limits | None = None) -> LoadResult:
    """Decode and parse the bytes of one file."""
    text = decode(raw, display)
    if isinstance(text, Finding):
        return LoadResult(display, [], [text])
    return load_text(text, display, limits or Limits())
