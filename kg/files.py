"""Files written whole: a reader, or a process killed at any instant, sees the old file or the new one.

Each file is written under a hidden staged name beside its target
(``.name.<random>.tmp``), fsynced and renamed over the target with
``os.replace``, atomic on POSIX. Files are created with mode 0666 less the
umask, as every other tool does (``mkstemp`` would make them 0600). OS errors
become ``OutputError`` with one line naming the path and the cause.

``kg.corpus.outputs`` builds a build's whole output set on these.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO


class OutputError(Exception):
    """An output folder or file that cannot be written; the message is one line."""


def reason(error: OSError) -> str:
    """The short cause of an OS error: 'permission denied', 'no space left on device'."""
    text = error.strerror or str(error) or type(error).__name__
    return text[:1].lower() + text[1:]


def read_only_uri(path: Path | str) -> str:
    """The URI that opens the SQLite file at ``path`` read-only (``sqlite3.connect(…, uri=True)``, or ``ATTACH``): any path, percent-encoded."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def write_file(path: Path, content: str | bytes) -> None:
    """Create ``path`` (which must not exist) with the umask's mode, write ``content`` and fsync it."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


@contextmanager
def new_text_file(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text handle on ``path``, created (it must not exist) with the umask's mode, fsynced when the block ends."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


def sync_directory(directory: Path) -> None:
    """Make renames in ``directory`` durable; not every platform or file system can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def staged_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def write_atomically(outputs: Mapping[Path, str | bytes]) -> None:
    """Write every file beside its target, then rename each into place.

    Each target is replaced by one ``os.replace``: a reader, or a process
    killed at any point, sees the old file or the new one, never a part. The
    staged files are hidden (``.name.<random>.tmp``) and removed when
    anything fails. OS errors become ``OutputError``.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in outputs.items():
            if target.is_dir() and not target.is_symlink():
                raise OutputError(f"{target}: is a directory; cannot write a file there")
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = staged_name(target)
            staged.append((tmp, target))
            write_file(tmp, content)
        for tmp, target in staged:
            os.replace(tmp, target)
        for directory in {target.parent for _, target in staged}:
            sync_directory(directory)
    except OSError as error:
        failed = Path(error.filename) if error.filename else next(iter(outputs), Path("."))
        where = next((t for tmp, t in staged if tmp == failed), failed)
        raise OutputError(f"{where}: cannot write ({reason(error)})") from None
    finally:
        for tmp, _ in staged:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
