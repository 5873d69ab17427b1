"""govlint lsp: the real server over stdio, driven by a small JSON-RPC client.

Every diagnostic is compared with what ``govlint check --format json`` reports for the same
files (the expected side is always a CLI run on a copy of the portfolio holding the editor's
text), and the server runs once for the module: the tests open, edit and close buffers
in it the way an editor does.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from conftest import EXAMPLES, REPO, run_govlint

#: seconds to wait for one answer of the server (a safety net, not a bound on its speed)
PATIENCE = 60

CONFIG = """\
manifests: ['initiatives/*.yaml']
registry: ['registry/*.yaml']
waivers: ['waivers/*.yaml']
rule_paths: ['org-rules']
policies: ['packs/org.yaml']
"""

PACK = """\
apiVersion: govlint/v1
kind: Policy
name: org
description: The organisation's own rules on top of the baseline.
extends: [baseline]
rules:
  ORG-005: {severity: warning}
"""

CENTRAL_WAIVERS = """\
apiVersion: govlint/v1
kind: Waivers
waivers:
  - rule: LIF-004
    initiative: operations-planning
    reason: The go-live date is being traced in the archive
    approved_by: Governance office
    expires: 2099-01-01
"""


class Client:
    """An LSP client: Content-Length framed JSON-RPC on the server's stdin and stdout."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "govlint", "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notes: list[dict[str, Any]] = []
        self.asked: list[dict[str, Any]] = []  # the server's requests to the client
        self.errors: list[bytes] = []
        self.last_id = 0
        self.versions: dict[str, int] = {}
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        self.errors.extend(self.proc.stderr)

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.inbox.put(json.loads(out.read(length)))

    def _next(self, deadline: float) -> dict[str, Any]:
        try:
            message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError("the server did not answer in time") from None
        if message is None:
            raise AssertionError(
                "the server stopped: " + b"".join(self.errors).decode(errors="replace")
            )
        if "id" in message and "method" in message:  # a request of the server's: agree
            self.asked.append(message)
            self.send({"id": message["id"], "result": None})
        return message

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.last_id += 1
        ident = self.last_id
        self.send({"id": ident, "method": method, "params": params})
        deadline = time.monotonic() + PATIENCE
        while True:
            message = self._next(deadline)
            if message.get("id") == ident and "method" not in message:
                assert "error" not in message, message
                return message.get("result")
            self.notes.append(message)

    def published(self, uri: str, until: Callable[[list[Any]], bool]) -> list[Any]:
        """The diagnostics of the first publication for ``uri`` that ``until`` accepts (the
        server publishes after each pause in typing; earlier ones may still be on the way)."""
        seen: list[Any] = []
        deadline = time.monotonic() + PATIENCE
        while True:
            for note in list(self.notes):
                params = note.get("params") or {}
                if note.get("method") == "textDocument/publishDiagnostics" and (
                    params.get("uri") == uri
                ):
                    self.notes.remove(note)
                    seen.append(params["diagnostics"])
                    if until(params["diagnostics"]):
                        return list(params["diagnostics"])
            if time.monotonic() > deadline:
                raise AssertionError(f"no expected diagnostics for {uri}; last: {seen[-1:]}")
            self.notes.append(self._next(deadline))

    def asked_for(self, method: str) -> list[dict[str, Any]]:
        """The server's requests of ``method`` to the client, waiting for the first one."""
        deadline = time.monotonic() + PATIENCE
        while not any(a["method"] == method for a in self.asked):
            self.notes.append(self._next(deadline))
        return [a for a in self.asked if a["method"] == method]

    # -- documents ----------------------------------------------------------------------------

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.as_uri()
        self.versions[uri] = self.versions.get(uri, 0) + 1
        document = {
            "uri": uri,
            "languageId": "yaml",
            "version": self.versions[uri],
            "text": path.read_text(encoding="utf-8") if text is None else text,
        }
        self.notify("textDocument/didOpen", {"textDocument": document})
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": self.versions[uri]},
                "contentChanges": [{"text": text}],
            },
        )

    def close(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def at(self, method: str, uri: str, line: int, character: int, **more: Any) -> Any:
        params = {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}
        return self.request(method, {**params, **more})


# -- the expected side: govlint check on the same text ----------------------------------------


def _as_path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def expected(root: Path, tmp: Path, edits: dict[str, str], shown: str) -> list[tuple[Any, ...]]:
    """What ``govlint check --format json`` reports for ``shown`` (a file name relative to
    the portfolio) on a copy of the portfolio with ``edits`` written in."""
    copy = tmp / f"copy-{len(list(tmp.glob('copy-*')))}"
    shutil.copytree(root, copy)
    for name, text in edits.items():
        (copy / name).write_text(text, encoding="utf-8")
    result = run_govlint("check", "--format", "json", "--no-cache", cwd=copy)
    assert result.code in (0, 1, 2) and result.out.startswith("{"), result  # 2: unreadable input
    items = json.loads(result.out)["findings"]
    return [
        (
            f["rule_id"],
            f["severity"],
            f["message"],
            (f["line"] - 1, f["column"] - 1, f["end_line"] - 1, f["end_column"] - 1),
            f["help_uri"],
            tuple(
                (r["file"], r["line"] - 1, r["column"] - 1, r["end_line"] - 1, r["end_column"] - 1)
                for r in f["related"]
            ),
        )
        for f in items
        # waived findings and GL008 (not a govlint document) are not shown in the editor
        if f["file"] == shown and f["suppression"] is None and f["rule_id"] != "GL008"
    ]


def typed(
    server: Client, root: Path, tmp: Path, name: str, text: str, reported: str | None = None
) -> tuple[str, list[tuple[Any, ...]]]:
    """Open ``name`` in the editor and type ``text`` into it: its URI, and what ``govlint
    check`` reports for ``reported`` (default: ``name``) with that text in the file."""
    uri = server.open(root / name)
    server.change(uri, text)
    return uri, expected(root, tmp, {name: text}, reported or name)


SEVERITIES = {1: "error", 2: "warning", 3: "info"}


def shown(diagnostics: list[Any], root: Path) -> list[tuple[Any, ...]]:
    """Diagnostics in the form of ``expected``."""

    def where(r: dict[str, Any]) -> tuple[int, int, int, int]:
        return (
            r["start"]["line"],
            r["start"]["character"],
            r["end"]["line"],
            r["end"]["character"],
        )

    return [
        (
            d["code"],
            SEVERITIES[d["severity"]],
            d["message"],
            where(d["range"]),
            (d.get("codeDescription") or {}).get("href"),
            tuple(
                (
                    _as_path(r["location"]["uri"]).relative_to(root).as_posix(),
                    *where(r["location"]["range"]),
                )
                for r in d.get("relatedInformation") or []
            ),
        )
        for d in diagnostics
    ]


def apply(text: str, edits: list[dict[str, Any]]) -> str:
    """A client applying LSP text edits to a document."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(p: dict[str, int]) -> int:
        return offsets[p["line"]] + p["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def line_of(text: str, needle: str) -> tuple[int, int]:
    """0-based line and column of the first ``needle``."""
    for number, line in enumerate(text.split("\n")):
        if needle in line:
            return number, line.index(needle)
    raise AssertionError(f"{needle!r} not in the text")


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled examples as a configured portfolio, with central waivers and a rule of
    the organisation's own."""
    folder = tmp_path_factory.mktemp("lsp") / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    (folder / ".govlint.yaml").write_text(CONFIG, encoding="utf-8")
    (folder / "waivers").mkdir()
    (folder / "waivers" / "central.yaml").write_text(CENTRAL_WAIVERS, encoding="utf-8")
    # a YAML file among the manifests that is not a govlint document: check notes it (GL008),
    # the editor does not, as a pre-commit hook does not
    (folder / "initiatives" / "meeting-notes.yaml").write_text("title: notes\n", encoding="utf-8")
    (folder / "packs").mkdir()
    (folder / "packs" / "org.yaml").write_text(PACK, encoding="utf-8")
    (folder / "org-rules").mkdir()
    builtin = next((REPO / "rules" / "contribution").glob("CON-005-*.yaml"))
    text = builtin.read_text(encoding="utf-8").replace("CON-005", "ORG-005")
    lines = ["name: org-supplier-named" if x.startswith("name:") else x for x in text.split("\n")]
    (folder / "org-rules" / "ORG-005-org-supplier-named.yaml").write_text(
        "\n".join(lines), encoding="utf-8"
    )
    return folder.resolve()


@pytest.fixture(scope="module")
def server(root: Path) -> Iterator[Client]:
    client = Client(root)
    result = client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}},
            "initializationOptions": {"debounce": 20},
        },
    )
    capabilities = result["capabilities"]
    for feature in ("hoverProvider", "definitionProvider", "codeActionProvider"):
        assert capabilities[feature], capabilities
    assert "completionProvider" in capabilities
    client.notify("initialized", {})
    yield client
    assert client.request("shutdown", None) is None
    client.notify("exit", None)
    assert client.proc.wait(timeout=PATIENCE) == 0


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    return tmp_path


def files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.yaml")
        if not p.relative_to(root).as_posix().startswith(("org-rules/", "initiatives/drafts"))
    )


# -- diagnostics -------------------------------------------------------------------------------


def test_each_opened_file_gets_exactly_the_findings_of_check(
    server: Client, root: Path, scratch: Path
) -> None:
    names = files(root)
    assert {"registry/organisation.yaml", "waivers/central.yaml"} <= set(names)
    notes = run_govlint("check", "--no-cache", cwd=root)
    assert "initiatives/meeting-notes.yaml:1:1: info GL008" in notes.out, notes
    uris = {name: server.open(root / name) for name in names}
    related = 0
    for name in names:
        want = expected(root, scratch, {}, name)
        got = server.published(uris[name], lambda d, want=want: shown(d, root) == want)
        assert shown(got, root) == want
        related += sum(1 for d in got if d.get("relatedInformation"))
    assert related > 0  # the portfolio rules' other files are there, as related information
    for uri in uris.values():
        server.close(uri)


def test_an_edit_is_checked_as_typed_and_the_did_you_mean_fix_applies(
    server: Client, root: Path, scratch: Path
) -> None:
    name = "initiatives/finance-forecasting.yaml"
    original = (root / name).read_text(encoding="utf-8")
    typo = original.replace("platform: data-platform", "platform: data-platfrom")
    uri, want = typed(server, root, scratch, name, typo)
    assert any(w[0] == "CON-101" and "did you mean 'data-platform'" in w[2] for w in want)
    got = server.published(uri, lambda d: shown(d, root) == want)

    line, _ = line_of(typo, "data-platfrom")
    actions = server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {
                "start": {"line": line, "character": 0},
                "end": {"line": line, "character": 0},
            },
            "context": {"diagnostics": got},
        },
    )
    fix = next(a for a in actions if a["title"] == "Change to 'data-platform'")
    assert fix["kind"] == "quickfix"
    fixed = apply(typo, fix["edit"]["changes"][uri])
    assert fixed == original
    server.change(uri, fixed)
    want = expected(root, scratch, {}, name)
    server.published(uri, lambda d: shown(d, root) == want)
    server.close(uri)


def utf16(text: str, line: int, column: int) -> int:
    """The LSP character offset (UTF-16 code units) of a code-point column on ``line``."""
    return len(text.split("\n")[line][:column].encode("utf-16-le")) // 2


def test_positions_are_counted_in_utf16_code_units(
    server: Client, root: Path, scratch: Path
) -> None:
    """govlint counts columns in characters, LSP in UTF-16 code units: an accent is one of
    each, a character outside the Basic Multilingual Plane (an emoji) is one and two."""
    name = "initiatives/finance-forecasting.yaml"
    original = (root / name).read_text(encoding="utf-8")
    text = original.replace("platform: data-platform", "platform: 'data-platfröm📊'")
    uri = server.open(root / name, text)
    want = [
        (*w[:3], (w[3][0], utf16(text, w[3][0], w[3][1]), w[3][2], utf16(text, w[3][2], w[3][3])))
        for w in expected(root, scratch, {name: text}, name)
    ]
    line, column = line_of(text, "'data-platfröm📊'")
    flagged = [w for w in want if w[0] == "CON-101" and w[3][0] == line]
    assert flagged and flagged[0][3] == (line, column, line, column + len("'data-platfröm'") + 2)
    got = server.published(uri, lambda d: [s[:4] for s in shown(d, root)] == want)
    assert [s[:4] for s in shown(got, root)] == want
    server.close(uri)


def test_a_registry_edit_republishes_the_manifests_it_breaks(
    server: Client, root: Path, scratch: Path
) -> None:
    registry = "registry/organisation.yaml"
    manifest = "initiatives/finance-forecasting.yaml"  # not open: the server publishes it
    text = (root / registry).read_text(encoding="utf-8")
    renamed = text.replace("- id: data-platform", "- id: shared-data-platform")
    uri, want = typed(server, root, scratch, registry, renamed, manifest)
    assert any(w[0] == "CON-101" and "'data-platform'" in w[2] for w in want)
    server.published((root / manifest).as_uri(), lambda d: shown(d, root) == want)
    server.close(uri)  # the file on disk counts again: the manifest is clean of it again
    want = expected(root, scratch, {}, manifest)
    server.published((root / manifest).as_uri(), lambda d: shown(d, root) == want)


def test_a_file_changed_outside_the_editor_is_seen(
    server: Client, root: Path, scratch: Path
) -> None:
    """The server asks the client to watch YAML files; a change on disk (a checkout) is
    checked like an edit."""
    registrations = [
        r
        for asked in server.asked_for("client/registerCapability")
        for r in asked["params"]["registrations"]
    ]
    assert [r["method"] for r in registrations] == ["workspace/didChangeWatchedFiles"]
    manifest = root / "initiatives" / "finance-forecasting.yaml"
    uri = server.open(manifest)
    registry = root / "registry" / "organisation.yaml"
    original = registry.read_text(encoding="utf-8")
    changed = original.replace("- id: data-platform", "- id: shared-data-platform")
    want = expected(
        root,
        scratch,
        {"registry/organisation.yaml": changed},
        "initiatives/finance-forecasting.yaml",
    )
    assert any(w[0] == "CON-101" for w in want)
    try:
        registry.write_text(changed, encoding="utf-8")
        server.notify(
            "workspace/didChangeWatchedFiles", {"changes": [{"uri": registry.as_uri(), "type": 2}]}
        )
        server.published(uri, lambda d: shown(d, root) == want)
    finally:
        registry.write_text(original, encoding="utf-8")
    server.notify(
        "workspace/didChangeWatchedFiles", {"changes": [{"uri": registry.as_uri(), "type": 2}]}
    )
    want = expected(root, scratch, {}, "initiatives/finance-forecasting.yaml")
    server.published(uri, lambda d: shown(d, root) == want)
    server.close(uri)


# -- hover, completion, definition ---------------------------------------------------------------


def test_hover_explains_findings_and_rule_ids_and_shows_registry_entries(
    server: Client, root: Path, scratch: Path
) -> None:
    name = "initiatives/finance-forecasting.yaml"
    text = (
        (root / name)
        .read_text(encoding="utf-8")
        .replace("platform: data-platform", "platform: nowhere")
    )
    uri, want = typed(server, root, scratch, name, text)
    server.published(uri, lambda d: shown(d, root) == want)

    explained = run_govlint("explain", "CON-101", cwd=root).out.strip()
    line, column = line_of(text, "nowhere")
    hover = server.at("textDocument/hover", uri, line, column + 2)
    assert explained in hover["contents"]["value"]

    line, column = line_of(text, "unit: finance")
    hover = server.at("textDocument/hover", uri, line, column + len("unit: fi"))["contents"][
        "value"
    ]
    registry = (root / "registry" / "organisation.yaml").read_text(encoding="utf-8")
    entry_line, _ = line_of(registry, "{id: finance, name: Finance}")
    assert "units: finance" in hover and "name: Finance" in hover
    assert f"registry/organisation.yaml:{entry_line + 1}" in hover
    server.close(uri)

    waivers = server.open(root / "waivers" / "central.yaml")
    central = (root / "waivers" / "central.yaml").read_text(encoding="utf-8")
    line, column = line_of(central, "LIF-004")
    hover = server.at("textDocument/hover", waivers, line, column + 1)["contents"]["value"]
    assert run_govlint("explain", "LIF-004", cwd=root).out.strip() in hover
    server.close(waivers)


def test_completion_offers_the_registry_ids_the_field_expects(server: Client, root: Path) -> None:
    from ruamel.yaml import YAML

    registry: dict[str, list[str]] = {}
    for path in (root / "registry").glob("*.yaml"):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for section, items in data.items():
            if isinstance(items, list):
                registry.setdefault(section, []).extend(i["id"] for i in items)
    name = "initiatives/finance-forecasting.yaml"
    text = (root / name).read_text(encoding="utf-8")
    text = text.replace("platform: data-platform", "platform: da")
    text = text.replace("  strategic_goals: [sound-finances]", "  strategic_goals:\n    - ")
    uri = server.open(root / name, text)

    line, column = line_of(text, "platform: da")
    answer = server.at("textDocument/completion", uri, line, column + len("platform: da"))
    assert sorted(i["label"] for i in answer["items"]) == sorted(registry["platforms"])
    edit = next(i for i in answer["items"] if i["label"] == "data-platform")["textEdit"]
    assert edit["range"]["start"] == {"line": line, "character": column + len("platform: ")}

    line, column = line_of(text, "glossary_term: budget-line")
    answer = server.at("textDocument/completion", uri, line, column + len("glossary_term: "))
    assert sorted(i["label"] for i in answer["items"]) == sorted(registry["glossary"])

    line, _ = line_of(text, "strategic_goals:")
    answer = server.at("textDocument/completion", uri, line + 1, len("    - "))
    assert sorted(i["label"] for i in answer["items"]) == sorted(registry["strategic_goals"])

    line, column = line_of(text, "summary: Forecasts")
    assert server.at("textDocument/completion", uri, line, column + len("summary: ")) is None
    server.close(uri)


def test_definition_goes_to_the_registry_entry_and_to_the_rule_file(
    server: Client, root: Path
) -> None:
    name = "initiatives/finance-forecasting.yaml"
    text = (root / name).read_text(encoding="utf-8")
    uri = server.open(root / name)
    line, column = line_of(text, "platform: data-platform")
    target = server.at("textDocument/definition", uri, line, column + len("platform: d"))
    registry = (root / "registry" / "organisation.yaml").read_text(encoding="utf-8")
    entry_line, entry_column = line_of(registry, "id: data-platform")
    assert _as_path(target["uri"]) == root / "registry" / "organisation.yaml"
    assert target["range"]["start"] == {"line": entry_line, "character": entry_column + 4}
    server.close(uri)

    central = root / "waivers" / "central.yaml"
    waivers = server.open(central)
    line, column = line_of(central.read_text(encoding="utf-8"), "LIF-004")
    target = server.at("textDocument/definition", waivers, line, column)
    (rule_file,) = (REPO / "rules").rglob("LIF-004-*.yaml")
    assert _as_path(target["uri"]).resolve() == rule_file.resolve()
    server.close(waivers)

    # a rule id in a policy pack: to the organisation's own rule file, at its id
    pack = server.open(root / "packs" / "org.yaml")
    line, column = line_of(PACK, "ORG-005")
    target = server.at("textDocument/definition", pack, line, column + 3)
    rule = root / "org-rules" / "ORG-005-org-supplier-named.yaml"
    id_line, id_column = line_of(rule.read_text(encoding="utf-8"), "id: ORG-005")
    assert _as_path(target["uri"]) == rule
    assert target["range"]["start"] == {"line": id_line, "character": id_column}
    hover = server.at("textDocument/hover", pack, line, column + 3)["contents"]["value"]
    assert run_govlint("explain", "ORG-005", cwd=root).out.strip() in hover
    server.close(pack)


# -- waivers -------------------------------------------------------------------------------------


def test_a_waiver_skeleton_is_offered_except_for_locked_rules(
    server: Client, root: Path, scratch: Path
) -> None:
    name = "initiatives/finance-forecasting.yaml"
    original = (root / name).read_text(encoding="utf-8")
    # personal data without a lawful basis: DAT-002, which the baseline pack locks
    text = original.replace("personal_data: false", "personal_data: true")
    uri, want = typed(server, root, scratch, name, text)
    locked = [w for w in want if w[0] == "DAT-002"]
    assert locked
    got = server.published(uri, lambda d: shown(d, root) == want)

    def actions_at(line: int) -> list[str]:
        found = server.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {
                    "start": {"line": line, "character": 0},
                    "end": {"line": line, "character": 0},
                },
                "context": {"diagnostics": got},
            },
        )
        return found

    titles = [a["title"] for a in actions_at(locked[0][3][0])]
    assert not any("DAT-002" in t for t in titles), titles

    unlocked = next(w for w in want if w[0] == "HUM-101")
    offered = actions_at(unlocked[3][0])
    action = next(a for a in offered if a["title"].startswith("Add a waiver for HUM-101"))
    waived = apply(text, action["edit"]["changes"][uri])
    assert "- rule: HUM-101" in waived and "path: human_role.oversight" in waived
    # until someone writes the reason and who approved it, the waiver waives nothing
    after = expected(root, scratch, {name: waived}, name)
    assert any(w[0] == "HUM-101" for w in after)
    assert any(w[0].startswith("GL") and "reason" in w[2] for w in after), after
    server.close(uri)


# -- bad input -----------------------------------------------------------------------------------


def test_broken_files_are_findings_and_the_server_keeps_serving(
    server: Client, root: Path, scratch: Path
) -> None:
    registry = "registry/organisation.yaml"
    broken = (root / registry).read_text(encoding="utf-8").replace("units:", "units: [", 1)
    uri, want = typed(server, root, scratch, registry, broken)
    assert [w[0] for w in want] == ["GL001"]
    server.published(uri, lambda d: shown(d, root) == want)
    server.close(uri)

    # a rule file with an error: check stops before any manifest, the rule file says why
    rule = root / "org-rules" / "ORG-005-org-supplier-named.yaml"
    bad_rule = rule.read_text(encoding="utf-8").replace("severity: error", "severity: fatal")
    rule_uri = server.open(rule)
    server.change(rule_uri, bad_rule)
    copy = scratch / "broken-rule"
    shutil.copytree(root, copy)
    (copy / rule.relative_to(root)).write_text(bad_rule, encoding="utf-8")
    cli = run_govlint("check", "--no-cache", cwd=copy)
    assert cli.code == 2, cli
    got = server.published(rule_uri, lambda d: bool(d))
    (problem,) = got
    start = problem["range"]["start"]
    where = f"org-rules/{rule.name}:{start['line'] + 1}:{start['character'] + 1}:"
    assert problem["code"] == "GL030"
    assert any(
        line.startswith(where) and problem["message"] in line for line in cli.err.splitlines()
    ), cli.err
    manifest = (root / "initiatives" / "finance-forecasting.yaml").as_uri()
    server.published(manifest, lambda d: d == [])  # no manifest was checked

    # the server still answers (from the last rules that loaded), and fixing the rule
    # brings the findings back
    line, column = line_of(bad_rule, "ORG-005")
    hover = server.at("textDocument/hover", rule_uri, line, column + 1)
    assert hover["contents"]["value"].count("ORG-005 org-supplier-named") == 1
    server.close(rule_uri)
    want = expected(root, scratch, {}, "initiatives/finance-forecasting.yaml")
    server.published(manifest, lambda d: shown(d, root) == want)

    # a configuration that cannot be used: the finding is on .govlint.yaml
    config = root / ".govlint.yaml"
    config_uri = server.open(config, CONFIG + "fail_on: never\n")
    copy = scratch / "broken-config"
    shutil.copytree(root, copy)
    (copy / ".govlint.yaml").write_text(CONFIG + "fail_on: never\n", encoding="utf-8")
    cli = run_govlint("check", "--no-cache", cwd=copy)
    assert cli.code == 2, cli
    (problem,) = server.published(config_uri, lambda d: bool(d))
    start = problem["range"]["start"]
    assert (
        f".govlint.yaml:{start['line'] + 1}:{start['character'] + 1}: {problem['message']}"
        in cli.err
    )
    server.close(config_uri)
    server.published(manifest, lambda d: shown(d, root) == want)


def test_a_session_forgets_what_registry_defaults_it_no_longer_has(tmp_path: Path) -> None:
    """The editor's in-memory results depend on the registry's defaults: removing them
    again gives what a fresh check gives, also when no rule looks entries up."""
    from govlint.lsp.portfolio import OpenPortfolio

    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, root)
    (root / ".govlint.yaml").write_text(
        "manifests: ['initiatives/*.yaml']\nregistry: ['registry/*.yaml']\n"
        "rules:\n  DAT-040: {enabled: false}\n",  # no lookups: the registry reaches rules only
        encoding="utf-8",
    )
    registry = root / "registry" / "organisation.yaml"
    text = registry.read_text(encoding="utf-8")
    defaults = "defaults:\n  organisation: {role: deployer, kind: public-body}\n"
    assert defaults in text
    registry.write_text(text.replace(defaults, ""), encoding="utf-8")  # none on disk
    provider = text.replace("role: deployer, kind: public-body", "role: provider, kind: private")
    portfolio = OpenPortfolio(root)

    def found(buffers: dict[str, bytes]) -> list[tuple[str, str, int]]:
        outcome = portfolio.check(buffers)
        return sorted((f.rule_id, f.file, f.location.span.line) for f in outcome.findings)

    before = found({})
    as_provider = found({str(registry): provider.encode()})
    assert as_provider != before  # provider duties now bind the high-risk systems
    assert (
        found({})
        == before
        == sorted(
            (f["rule_id"], f["file"], f["line"])
            for f in json.loads(
                run_govlint("check", "--format", "json", "--no-cache", cwd=root).out
            )["findings"]
            if f["suppression"] is None and f["rule_id"] != "GL008"
        )
    )
