"""What a long-running caller (the language server) keeps between runs, in memory.

``govlint check`` prepares the rules and reads its cache from disk on every run; an editor
asks again on every pause in typing. A ``Session`` keeps the prepared rules for as long as
the files they came from (configuration, rule files, packs) and the date are unchanged,
and every file's checked result, keyed by its bytes, as objects: an edit checks the edited
file again and the portfolio rules, nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govlint.cache import MemoryCache, setup_files, target_digest

if TYPE_CHECKING:
    from govlint.checker import Setup
    from govlint.config import Config


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
            if self.memory is None or self.memory.prepared != cache:
                self.memory = MemoryCache(Path(), cache, prepared=cache)
            self.setup, self.setup_key = setup, key
        return self.setup
