"""``govlint lsp``: the language server on standard input and output (pygls).

Diagnostics are the findings of ``govlint check`` on the portfolio of the edited file, with
the open buffers in place of their files, published a short pause (``debounce``) after the
last change. Every file whose findings changed is published again, so an edit to the
registry updates the manifests that refer to it. Nothing a user writes stops the server: a
broken rule or configuration is a finding on that file, and any other failure is logged and
leaves the server running.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from govlint import __version__
from govlint.findings import Finding
from govlint.load import Document
from govlint.lsp import actions
from govlint.lsp.portfolio import OpenPortfolio, file_of, root_of
from govlint.lsp.publish import Columns, diagnostic, report_of, utf16_column

#: seconds between the last change and the check; ``initializationOptions.debounce`` (ms)
DEBOUNCE = 0.3
SUFFIXES = (".yaml", ".yml", ".toml")

log = logging.getLogger("govlint.lsp")


class GovlintServer(LanguageServer):
    """The server's state: one ``OpenPortfolio`` per configuration folder."""

    def __init__(self) -> None:
        super().__init__("govlint", __version__)
        self.debounce = DEBOUNCE
        self.portfolios: dict[Path, OpenPortfolio] = {}
        self.roots: dict[str, Path] = {}  # uri -> portfolio root
        self.timers: dict[Path, asyncio.TimerHandle] = {}
        #: per portfolio: uri -> the findings last published and their diagnostics, to
        #: convert and publish only what changed
        self.published: dict[Path, dict[str, tuple[tuple[Finding, ...], list[lsp.Diagnostic]]]]
        self.published = {}

    # -- files and portfolios ---------------------------------------------------------------

    def folders(self) -> list[Path]:
        found = []
        for folder in self.workspace.folders.values():
            path = to_fs_path(folder.uri)
            if path:
                found.append(Path(path))
        if not found and self.workspace.root_path:
            found.append(Path(self.workspace.root_path))
        return found

    def checked(self, uri: str) -> OpenPortfolio | None:
        """The portfolio of ``uri``, checked at least once: a request that comes before the
        first check (hover right after opening) waits for it instead of finding nothing."""
        portfolio = self.portfolio_of(uri)
        if portfolio is not None and portfolio.outcome is None:
            pending = self.timers.get(portfolio.root)
            if pending is not None:
                pending.cancel()
            self.check(portfolio.root)
        return portfolio

    def portfolio_of(self, uri: str) -> OpenPortfolio | None:
        path = _path(uri)
        if path is None:
            return None
        root = self.roots.get(uri)
        if root is None:
            root = root_of(path, self.folders())
            self.roots[uri] = root
        if root not in self.portfolios:
            self.portfolios[root] = OpenPortfolio(root)
        return self.portfolios[root]

    def buffers(self) -> dict[str, bytes]:
        out = {}
        for uri, document in self.workspace.text_documents.items():
            path = _path(uri)
            if path is not None and path.name.endswith(SUFFIXES):
                out[os.path.abspath(path)] = document.source.encode("utf-8", "surrogatepass")
        return out

    def text(self, path: Path) -> str | None:
        """The current text of a file: its open buffer, else the file on disk."""
        uri = from_fs_path(str(path))
        if uri is not None and uri in self.workspace.text_documents:
            source: str = self.workspace.text_documents[uri].source
            return source
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def columns(self) -> Columns:
        lines: dict[Path, list[str]] = {}

        def convert(path: Path, line: int, column: int) -> int:
            if path not in lines:
                text = self.text(path)
                lines[path] = text.split("\n") if text is not None else []
            found = lines[path]
            return utf16_column(found[line], column) if 0 <= line < len(found) else column

        return convert

    # -- checking ---------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float | None = None) -> None:
        portfolio = self.portfolio_of(uri)
        if portfolio is None or not uri.endswith(SUFFIXES):
            return
        root = portfolio.root
        pending = self.timers.pop(root, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        wait = self.debounce if delay is None else delay
        self.timers[root] = loop.call_later(wait, self.check, root)

    def check(self, root: Path) -> None:
        self.timers.pop(root, None)
        portfolio = self.portfolios[root]
        try:
            outcome = portfolio.check(self.buffers())
            files = len(outcome.run.outcome.files) if outcome.run is not None else 0
            self.window_log_message(
                lsp.LogMessageParams(
                    lsp.MessageType.Log,
                    f"govlint: checked {files} files in {root} in {outcome.elapsed * 1000:.0f} ms"
                    f" ({outcome.cpu * 1000:.0f} ms CPU)",
                )
            )
            self.publish(portfolio)
        except Exception as exc:  # never let one bad check stop the server
            log.exception("check failed")
            self.window_log_message(
                lsp.LogMessageParams(lsp.MessageType.Error, f"govlint: check failed: {exc!r}")
            )
            return

    def publish(self, portfolio: OpenPortfolio) -> None:
        """Publish the diagnostics of every file whose findings changed, and of every open
        file of the portfolio (a client waits for those)."""
        assert portfolio.outcome is not None
        report = report_of(portfolio)
        columns = self.columns()
        before = self.published.get(portfolio.root, {})
        current: dict[str, tuple[tuple[Finding, ...], list[lsp.Diagnostic]]] = {}
        for display, findings in portfolio.outcome.by_file().items():
            path = file_of(portfolio.root, display)
            uri = from_fs_path(str(path)) if path is not None else None
            if uri is None:
                continue
            same = before.get(uri)
            if same is not None and same[0] == tuple(findings):
                current[uri] = same  # unchanged: not converted again
                continue
            converted = [diagnostic(f, report, portfolio.root, columns) for f in findings]
            current[uri] = (tuple(findings), converted)
        open_here = {
            u for u in self.workspace.text_documents if self.roots.get(u) == portfolio.root
        }
        for uri in sorted({*current, *before, *open_here}):
            now = current.get(uri)
            if uri not in open_here and now is before.get(uri):
                continue
            document = self.workspace.text_documents.get(uri)
            version = document.version if document is not None else None
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(
                    uri=uri, diagnostics=now[1] if now is not None else [], version=version
                )
            )
        self.published[portfolio.root] = current

    # -- what is under the cursor -------------------------------------------------------------

    def findings_at(self, uri: str, line: int, end_line: int) -> list[Finding]:
        portfolio = self.portfolio_of(uri)
        path = _path(uri)
        if portfolio is None or path is None:
            return []
        return [
            f
            for f in portfolio.findings_in(path)
            if actions.overlaps(f.location.span, line, end_line)
        ]


def _path(uri: str) -> Path | None:
    path = to_fs_path(uri)
    return Path(path) if path else None


def _lines(server: GovlintServer, uri: str) -> list[str]:
    return server.workspace.get_text_document(uri).source.split("\n")


def _character(line_text: str, utf16: int) -> int:
    """The character index of a UTF-16 offset in a line."""
    count = 0
    for index, char in enumerate(line_text):
        if count >= utf16:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(line_text)


def _cursor(
    server: GovlintServer, uri: str, position: lsp.Position
) -> tuple[OpenPortfolio, list[str], int, int] | None:
    """The checked portfolio of ``uri``, its lines, and the position as line and character
    index (None before the file's portfolio could be checked)."""
    portfolio = server.checked(uri)
    if portfolio is None:
        return None
    lines = _lines(server, uri)
    return (portfolio, lines, *_position(lines, position))


def _position(lines: list[str], position: lsp.Position) -> tuple[int, int]:
    line = position.line
    text = lines[line] if 0 <= line < len(lines) else ""
    return line, _character(text, position.character)


def _document(server: GovlintServer, uri: str) -> list[Document]:
    """The open buffer's documents, parsed now (positions match what the user sees)."""
    from govlint.load import load_bytes

    portfolio = server.portfolio_of(uri)
    path = _path(uri)
    if portfolio is None or path is None:
        return []
    source = server.workspace.get_text_document(uri).source
    return load_bytes(source.encode("utf-8", "surrogatepass"), portfolio.display(path)).documents


def _location(path: Path, span_line: int, span_column: int) -> lsp.Location:
    start = lsp.Position(max(span_line - 1, 0), max(span_column - 1, 0))
    return lsp.Location(path.as_uri(), lsp.Range(start, start))


def build() -> GovlintServer:
    """The server with its features registered."""
    server = GovlintServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: GovlintServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict):
            debounce = options.get("debounce")
            if isinstance(debounce, (int, float)) and 0 <= debounce <= 10_000:
                ls.debounce = debounce / 1000

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GovlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GovlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GovlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GovlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)  # the file on disk counts again

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: GovlintServer, params: lsp.InitializedParams) -> None:
        # files changed outside the editor (a checkout, a pull) count too, where the
        # client can watch files for the server
        workspace = ls.client_capabilities.workspace
        watching = workspace.did_change_watched_files if workspace is not None else None
        if watching is None or not watching.dynamic_registration:
            return
        options = lsp.DidChangeWatchedFilesRegistrationOptions(
            watchers=[lsp.FileSystemWatcher(glob_pattern="**/*.{yaml,yml,toml}")]
        )
        registration = lsp.Registration(
            id="govlint-files",
            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        await ls.client_register_capability_async(lsp.RegistrationParams([registration]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: GovlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = _path(change.uri)
            if path is None or not path.name.endswith(SUFFIXES):
                continue
            root = root_of(path, ls.folders())
            if root in ls.portfolios:  # a portfolio the editor has open: check it again
                ls.roots.setdefault(change.uri, root)
                ls.schedule(change.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: GovlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        from govlint.lsp import hover as explain

        uri = params.text_document.uri
        cursor = _cursor(ls, uri, params.position)
        if cursor is None:
            return None
        portfolio, lines, line, character = cursor
        text = explain.hover_text(
            portfolio,
            lines,
            _document(ls, uri),
            ls.findings_at(uri, line, line),
            line,
            character,
        )
        if text is None:
            return None
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text))

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: GovlintServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        from govlint.lsp import hover as explain

        uri = params.text_document.uri
        cursor = _cursor(ls, uri, params.position)
        if cursor is None:
            return None
        portfolio, lines, line, character = cursor
        target = explain.definition(portfolio, lines, _document(ls, uri), line, character)
        if target is None:
            return None
        path, span_line, span_column = target
        return _location(path, span_line, span_column)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" ", "[", ","])
    )
    def completion(ls: GovlintServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        from govlint.lsp import hover as explain

        uri = params.text_document.uri
        cursor = _cursor(ls, uri, params.position)
        if cursor is None:
            return None
        portfolio, lines, line, character = cursor
        found = explain.completions(portfolio, lines, line, character)
        if found is None:
            return None
        start, end, items = found
        here = params.position
        edit_range = lsp.Range(
            lsp.Position(here.line, here.character - (character - start)),
            lsp.Position(here.line, here.character + (end - character)),
        )
        return lsp.CompletionList(
            is_incomplete=False,
            items=[
                lsp.CompletionItem(
                    label=item.id,
                    kind=lsp.CompletionItemKind.Value,
                    detail=item.detail,
                    documentation=item.documentation,
                    text_edit=lsp.TextEdit(edit_range, item.id),
                )
                for item in items
            ],
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def code_action(ls: GovlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        portfolio = ls.checked(uri)
        if portfolio is None:
            return []
        lines = _lines(ls, uri)
        first = params.range.start.line
        last = params.range.end.line
        return _code_actions(ls, portfolio, lines, ls.findings_at(uri, first, last))

    return server


def _code_actions(
    server: GovlintServer, portfolio: OpenPortfolio, lines: list[str], findings: list[Finding]
) -> list[lsp.CodeAction]:
    from govlint.discover import central_waiver_files

    report = report_of(portfolio)
    columns = server.columns()
    fixes: list[tuple[actions.Fix, Finding]] = []
    for finding in findings:
        fix = actions.did_you_mean(finding, lines)
        if fix is not None:
            fixes.append((fix, finding))
    setup = portfolio.setup
    run = portfolio.last_good
    if setup is not None and run is not None:
        central = sorted(central_waiver_files(list(run.targets), run.config))
        texts: dict[str, str] = {}
        for name in {*(f.file for f in findings), *central}:
            path = file_of(portfolio.root, name)
            text = server.text(path) if path is not None else None
            if text is not None:
                texts[name] = text
        for finding in findings:
            fix = actions.waiver_skeleton(finding, setup, portfolio.documents, texts, central)
            if fix is not None:
                fixes.append((fix, finding))
    out = []
    for fix, finding in fixes:
        path = file_of(portfolio.root, fix.file)
        if path is None:
            continue
        e = fix.edit
        file_lines = (server.text(path) or "").split("\n")

        def utf16(line: int, character: int, found: list[str] = file_lines) -> int:
            return utf16_column(found[line], character) if 0 <= line < len(found) else character

        edit = lsp.TextEdit(
            lsp.Range(
                lsp.Position(e.line, utf16(e.line, e.character)),
                lsp.Position(e.end_line, utf16(e.end_line, e.end_character)),
            ),
            e.text,
        )
        out.append(
            lsp.CodeAction(
                title=fix.title,
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic(finding, report, portfolio.root, columns)],
                is_preferred=fix.preferred or None,
                edit=lsp.WorkspaceEdit(changes={path.as_uri(): [edit]}),
            )
        )
    return out


def serve() -> None:
    """Run the server on standard input and output until the client says exit."""
    build().start_io()
