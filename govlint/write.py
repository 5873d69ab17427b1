"""Atomic file writes: write a temporary file next to the target, then rename it into place."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path


class WriteError(Exception):
    """A file could not be written; the message says which and why."""


def write_atomic(path: Path, text: str, *, overwrite: bool, then: Sequence[str] = ()) -> None:
    """Write ``text`` (and the texts ``then``, after it: a large file's parts without
    joining them in memory first) to ``path``; an interrupted write leaves any old file
    intact.

    The text goes to a temporary file in the same folder, which is flushed to disk and
    then renamed over ``path`` in one step: a reader sees the old file or the new one,
    never half of one, and a write that fails (disk full, Ctrl-C) leaves no temporary file.
    Without ``overwrite`` an existing file is never replaced (checked atomically with a
    hard link, so a file created meanwhile is not clobbered either). A symbolic link at
    ``path`` is replaced, not written through: the write never lands outside ``path``.
    A device, named pipe, socket or folder at ``path`` (or behind a link there) is refused.
    Characters that cannot be encoded (lone surrogates) are written as escapes rather
    than failing.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not overwrite and (path.exists() or path.is_symlink()):
        raise _exists(path)
    _refuse_special(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(
            fd, "w", encoding="utf-8", errors="backslashreplace", newline="\n"
        ) as handle:
            # mkstemp creates 0600 files; give the file the mode a plain open() would (or
            # keep the mode of the file it replaces)
            os.chmod(tmp, _mode(path))
            handle.write(text)
            for part in then:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            _link(tmp, path)
        _sync_folder(folder)
        _remove_leftovers(folder, path.name)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _remove_leftovers(folder: Path, name: str) -> None:
    """Remove the temporary files of earlier writes to ``name`` whose process no longer
    runs (killed with SIGKILL or by a power cut before it could clean up): the process id
    is part of each temporary file's name."""
    prefix = f".{name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                continue
            pid = entry.name[len(prefix) :].split(".", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)


def _running(pid: int) -> bool:
    if os.name != "posix":
        return True  # cannot tell: keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # another user's process, or cannot tell
    return True


def _refuse_special(path: Path) -> None:
    """Refuse to replace a device, a named pipe, a socket or a folder, or a link to one
    (``/dev/stdout``): renaming over it would put a regular file in the system's place."""
    try:
        info = os.stat(path)  # through links: what a reader of ``path`` would reach
    except OSError:
        return  # nothing there (or a dangling link): a regular file takes its place
    if stat.S_ISREG(info.st_mode):
        return
    kind = (
        "a folder"
        if stat.S_ISDIR(info.st_mode)
        else "a named pipe (FIFO)"
        if stat.S_ISFIFO(info.st_mode)
        else "a socket"
        if stat.S_ISSOCK(info.st_mode)
        else "a device"
    )
    link = " (through a symbolic link)" if os.path.islink(path) else ""
    raise WriteError(
        f"{path}: is {kind}{link}, not a regular file; govlint writes only regular files "
        "(leave out --output to print to standard output)"
    )


def _exists(path: Path) -> WriteError:
    return WriteError(f"{path}: already exists; pass --force to overwrite it")


def _link(tmp: str, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there yet."""
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
    # no hard links on this file system: claim the name exclusively, then rename over
    # the empty file that is ours
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise _exists(path) from None
    os.replace(tmp, path)


def _mode(path: Path) -> int:
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        return info.st_mode & 0o7777
    return 0o666 & ~_umask()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
