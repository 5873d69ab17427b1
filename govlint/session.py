"""What a long-running caller (the language server) keeps between runs, in memory.

``govlint check`` prepares the rules and reads its cache from disk on every run; an editor
asks again on every pause in typing. A ``Session`` keeps the prepared rules for as long as
the files they came from (configuration, rule files, packs) and the date are unchanged,
and every file's checked result, keyed by its bytes, as objects: an edit checks the edited
file again and the portfolio rules, nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from govlint.cache import Cache, FileResult, setup_files, target_digest
from govlint.findings import Finding
from govlint.portfolio.index import Remembered

if TYPE_CHECKING:
    from govlint.checker import Setup
    from govlint.config import Config

#: files kept in memory at most; beyond, the oldest entries are dropped
MAX_FILES = 20_000


@dataclass
class MemoryCache(Cache):
    """The checker's cache, held as objects: nothing is encoded, decoded or written."""

    results: dict[str, tuple[str, FileResult]] = field(default_factory=dict)
    findings: tuple[str, list[Finding]] | None = None
    #: what the portfolio rules work out from each unchanged initiative
    remembered: Remembered = field(default_factory=Remembered)

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

    def save(self) -> None:
        """Nothing to write: the session lives as long as the server."""


@dataclass
class Session:
    """The prepared rules and the checked files of earlier runs on one portfolio."""

    setup: Setup | None = None
    setup_key: tuple[str, ...] = ()
    memory: MemoryCache | None = None

    def rules(self, config: Config, today: dt.date, cwd: Path) -> Setup:
        """The rules as ``run.rules`` prepares them, again only when their files changed.

        Raises ``RulesBroken`` as ``run.rules`` does; a broken setup is not kept.
        """
        from govlint.discover import rule_folders
        from govlint.run import rules

        inputs = setup_files(config, [f for f, _ in rule_folders(config, cwd)])
        key = (
            today.isoformat(),
            str(cwd),
            config.settings.model_dump_json(),
            *(f"{path}\x1f{target_digest(path)}" for path in inputs),
        )
        if self.setup is None or key != self.setup_key:
            from govlint.checker import cache_key

            self.setup = None
            setup = rules(config, today, cwd)
            cache = cache_key(setup, config.limits)
            if self.memory is None or self.memory.key != cache:
                self.memory = MemoryCache(Path(), cache)
            self.setup, self.setup_key = setup, key
        return self.setup
