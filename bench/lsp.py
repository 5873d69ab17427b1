"""The language server's latency: diagnostics for one edited manifest in a portfolio of N.

    python bench/lsp.py [--n 1000] [--edits 20] [--debounce 50]

Generates a corpus (bench/corpus.py), starts ``govlint lsp`` on it, opens one manifest and
edits it ``--edits`` times, waiting each time for its diagnostics. Reported per edit: the
check as the server timed it (from its log message), and the round trip from sending the
change to receiving the diagnostics, less the debounce. The first check (rules loaded,
every file checked) is reported on its own.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

BENCH = Path(__file__).resolve().parent


#: the edits measured: a value rules read, and the purpose text the duplicate check compares
EDITS = {
    "a value (human_role.escalation)": ("escalation: ", "escalation: Officer {n} of "),
    "the purpose text (purpose.summary)": ("summary: >-\n", "summary: >-\n    Edit {n}.\n"),
}
_CHECKED = re.compile(r"checked (\d+) files .* in (\d+) ms \((\d+) ms CPU\)")


class Server:
    """``govlint lsp`` in a subprocess, spoken to with Content-Length framed JSON-RPC."""

    def __init__(self, root: Path, log: IO[bytes] | None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "govlint", "lsp"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if log is None else log,
        )
        self.last = 0

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("the server stopped")
            if not line.strip():
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.proc.stdout.read(length))
        return message

    def request(self, method: str, params: Any) -> Any:
        self.last += 1
        self.send({"id": self.last, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.last and "method" not in message:
                return message.get("result")

    def wait_for(self, uri: str, version: int) -> tuple[int, int]:
        """Wait for the diagnostics of ``uri`` at ``version``; the check's own time and CPU
        time (ms), as the server logged them."""
        checked = (-1, -1)
        while True:
            message = self.receive()
            params = message.get("params") or {}
            if message.get("method") == "window/logMessage":
                found = _CHECKED.search(params.get("message", ""))
                if found:
                    checked = (int(found.group(2)), int(found.group(3)))
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and params.get("version") == version
            ):
                return checked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--debounce", type=int, default=50, help="milliseconds")
    parser.add_argument("--log", type=Path, help="write the server's stderr here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve() / "corpus"
        subprocess.run(
            [sys.executable, str(BENCH / "corpus.py"), str(root), "--n", str(args.n)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        log = open(args.log, "wb") if args.log else None  # noqa: SIM115
        server = Server(root, log)
        server.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": {},
                "initializationOptions": {"debounce": args.debounce},
            },
        )
        server.send({"method": "initialized", "params": {}})
        manifest = sorted((root / "initiatives").glob("*.yaml"))[args.n // 2]
        uri, text = manifest.as_uri(), manifest.read_text(encoding="utf-8")
        started = time.perf_counter()
        server.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
                },
            }
        )
        first, first_cpu = server.wait_for(uri, 1)
        print(
            f"first check ({args.n} manifests, rules loaded): {first} ms ({first_cpu} ms CPU)"
            f" by the server, {(time.perf_counter() - started) * 1000:.0f} ms round trip"
        )
        version = 1
        results: dict[str, tuple[list[int], list[int], list[float]]] = {}
        for kind, (old, new) in EDITS.items():
            checks: list[int] = []
            cpus: list[int] = []
            trips: list[float] = []
            for n in range(args.edits):
                version += 1
                edited = text.replace(old, new.format(n=n), 1)
                assert edited != text, f"the manifest has no {old!r}"
                sent = time.perf_counter()
                server.send(
                    {
                        "method": "textDocument/didChange",
                        "params": {
                            "textDocument": {"uri": uri, "version": version},
                            "contentChanges": [{"text": edited}],
                        },
                    }
                )
                check, cpu = server.wait_for(uri, version)
                trips.append((time.perf_counter() - sent) * 1000 - args.debounce)
                checks.append(check)
                cpus.append(cpu)
            results[kind] = (checks, cpus, trips)
        server.request("shutdown", None)
        server.send({"method": "exit", "params": None})
        server.proc.wait(timeout=30)

    def summary(values: list[float] | list[int]) -> str:
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
        return (
            f"median {statistics.median(ordered):.0f} ms, p90 {p90:.0f} ms, "
            f"max {ordered[-1]:.0f} ms"
        )

    for kind, (checks, cpus, trips) in results.items():
        print(f"one edited manifest, {len(trips)} edits of {kind}:")
        print(f"  check by the server:            {summary(checks)}")
        print(f"  its CPU time:                   {summary(cpus)}")
        print(f"  round trip less the debounce:   {summary(trips)}")


if __name__ == "__main__":
    main()
