"""Atomic file writes: write a temporary file next to the target, then rename it into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class WriteError(Exception):
    """A file could not be written; the message says which and why."""


def write_atomic(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` to ``path``; an interrupted write leaves any old file intact.

    Without ``overwrite`` an existing file is never replaced (checked atomically with a
    hard link, so a file created meanwhile is not clobbered either).
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not overwrite and path.exists():
        raise WriteError(f"{path}: already exists; pass --force to overwrite it")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        # mkstemp creates 0600 files; give the file the mode a plain open() would (or keep
        # the mode of the file it replaces)
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise WriteError(f"{path}: already exists; pass --force to overwrite it") from None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
