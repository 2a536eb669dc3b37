"""Outputs: write a build's set of files so that a reader always sees one whole build.

A build's files are written into a folder of their own, and one symbolic link
names the current build; switching that link is a single ``rename``, atomic on
POSIX file systems::

    out/
      graph.ttl        -> .current/graph.ttl      (made once, never changed)
      graph.html       -> .current/graph.html
      extraction.json  -> .current/extraction.json
      .current         -> .builds/20261129T204657-3fa2c1d0   (switched by one rename)
      .builds/20261129T204657-3fa2c1d0/{graph.ttl,graph.html,extraction.json}

Invariant: ``.current`` always names a complete, fsynced build folder, so
``out/graph.ttl``, ``out/graph.html`` and ``out/extraction.json`` opened
together (through one ``.current``) come from one build. A build killed at any
instant leaves the previous set whole: its folder is only ever referenced
after every file in it is written. Leftovers (the folder of a killed build,
staged links, the hidden ``.graph.ttl.*.tmp`` files of older versions) are
removed by the next build; the build folder that was current before the
switch is kept until the next one, so a reader in the middle of the old set
can finish it. Files and folders are created with the user's umask.

An ``out`` folder written by an older ``kg`` (three plain files) is taken over
on the first build: the plain files are hard-linked into a build folder that
``.current`` names, then each is replaced by its link (readers still see the
same bytes), then the new build is switched to. Where the file system has no
symbolic links, the files are renamed into place one by one (each whole, the
set not).

``kg.files.write_atomically`` (re-exported here) is the single-file version
(the judgements file, exports): each target is replaced by one rename of a
fully written file.

Errors the user can fix (``--out`` under a file, a read-only folder, a full
disk, an output path that is a folder) raise ``OutputError`` with one line;
the previous outputs are then untouched.

``kg.corpus.writers`` writes a build's files into such a set from a corpus
view (``kg.graph.view``).
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kg.files import OutputError, new_text_file, reason, staged_name, sync_directory, write_atomically, write_file

__all__ = ["OutputError", "OutputSet", "check_writable", "publish", "sync_directory", "write_atomically", "write_file"]

try:  # POSIX; elsewhere concurrent builds into one folder are not serialised
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

BUILDS = ".builds"
CURRENT = ".current"
LOCK = ".lock"


class OutputSet:
    """A build's outputs being written; ``commit()`` makes them the current set in one switch.

    >>> with OutputSet(Path("out")) as outputs:           # doctest: +SKIP
    ...     outputs.write("graph.ttl", turtle)
    ...     with outputs.open("graph.nt") as handle:       # streamed, never whole in memory
    ...         handle.write(line)
    ...     outputs.commit()

    Leaving the block without ``commit()`` (an error, Ctrl-C) removes the
    staged folder; the previous set stays current.
    """

    def __init__(self, out_dir: Path | str) -> None:
        self.out_dir = Path(out_dir)
        self.builds = self.out_dir / BUILDS
        self.folder: Path | None = None
        self.names: list[str] = []
        self.committed = False
        self._lock: int | None = None

    # -- staging

    def __enter__(self) -> OutputSet:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.builds.mkdir(exist_ok=True)
            self._take_lock()
            stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
            folder = self.builds / f"{stamp}-{secrets.token_hex(4)}"
            folder.mkdir()
            self.folder = folder
        except OSError as error:
            self._release_lock()
            raise OutputError(self._where(error, "cannot write the outputs")) from None
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self.committed and self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
        finally:
            self._release_lock()

    def check_name(self, name: str) -> None:
        if not name or name.startswith(".") or "/" in name or "\\" in name:
            raise ValueError(f"not an output file name: {name!r}")

    @contextmanager
    def open(self, name: str) -> Iterator[IO[str]]:
        """A text handle on the staged ``name``; the file is fsynced when the block ends."""
        self.check_name(name)
        assert self.folder is not None, "use OutputSet in a with block"
        path = self.folder / name
        try:
            with new_text_file(path) as handle:
                yield handle
        except OSError as error:
            raise OutputError(self._where(error, "cannot write the outputs")) from None
        self.names.append(name)

    def write(self, name: str, content: str | bytes) -> None:
        self.check_name(name)
        assert self.folder is not None, "use OutputSet in a with block"
        try:
            write_file(self.folder / name, content)
        except OSError as error:
            raise OutputError(self._where(error, "cannot write the outputs")) from None
        self.names.append(name)

    def adopt(self, name: str) -> None:
        """Count ``name``, written into the staged folder by another process (and fsynced there), among the outputs."""
        self.check_name(name)
        assert self.folder is not None, "use OutputSet in a with block"
        if not (self.folder / name).is_file():
            raise OutputError(f"{self.out_dir}: cannot write the outputs ({name} was not written)")
        self.names.append(name)

    # -- the switch

    def commit(self) -> dict[str, Path]:
        """Make the staged files the current outputs; returns ``{name: out_dir/name}``."""
        assert self.folder is not None and not self.committed
        for name in self.names:
            target = self.out_dir / name
            if target.is_dir() and not target.is_symlink():
                raise OutputError(f"{target}: is a directory; move it away so that the build can write its output there")
        try:
            sync_directory(self.folder)
            if not self._symlinks_work():
                for name in self.names:  # each file renamed into place: each whole, the set not
                    os.replace(self.folder / name, self.out_dir / name)
                self.committed = True
                sync_directory(self.out_dir)
                self._clean(keep=set())
                return {name: self.out_dir / name for name in self.names}
            self._adopt()
            previous = self._current_folder()
            self._switch_link(self.out_dir / CURRENT, Path(BUILDS) / self.folder.name)
            self.committed = True
            self._drop_stale_links()
            sync_directory(self.out_dir)
        except OSError as error:
            raise OutputError(self._where(error, "cannot switch to the new outputs")) from None
        self._clean(keep={self.folder.name, previous})
        return {name: self.out_dir / name for name in self.names}

    def _adopt(self) -> None:
        """Give every output name its link to ``.current``, the set readers see unchanged.

        Plain files (an ``out`` folder of an older kg) are first hard-linked (or
        copied) into the current build folder, or into a new one that
        ``.current`` is switched to, so that replacing each file by its link
        changes nothing a reader sees; the new build is switched to after.
        """
        missing = [n for n in self.names if not self._linked(n)]
        if not missing:
            return
        plain = [n for n in missing if (self.out_dir / n).is_file()]
        if plain:
            current = self._current_folder()
            holder = self.builds / current if current and (self.builds / current).is_dir() else None
            if holder is None:
                holder = self.builds / f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{secrets.token_hex(4)}-adopted"
                holder.mkdir()
            for name in plain:
                kept = holder / name
                staged = staged_name(kept)
                try:
                    try:
                        os.link(self.out_dir / name, staged)
                    except OSError:
                        shutil.copy2(self.out_dir / name, staged)
                    os.replace(staged, kept)
                finally:
                    staged.unlink(missing_ok=True)
            sync_directory(holder)
            if current != holder.name:
                self._switch_link(self.out_dir / CURRENT, Path(BUILDS) / holder.name)
        for name in missing:
            self._switch_link(self.out_dir / name, Path(CURRENT) / name)

    def _linked(self, name: str) -> bool:
        link = self.out_dir / name
        try:
            return link.is_symlink() and Path(os.readlink(link)) == Path(CURRENT) / name
        except OSError:
            return False

    def _symlinks_work(self) -> bool:
        assert self.folder is not None
        probe = self.folder / ".link-probe"
        try:
            os.symlink(".", probe)
        except OSError as error:
            if error.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
                return False
            raise
        probe.unlink()
        return True

    def _switch_link(self, link: Path, target: Path) -> None:
        """Point ``link`` at ``target`` with one rename."""
        staged = staged_name(link)
        os.symlink(target, staged)
        try:
            os.replace(staged, link)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise

    def _current_folder(self) -> str | None:
        try:
            return Path(os.readlink(self.out_dir / CURRENT)).name
        except OSError:
            return None

    def _drop_stale_links(self) -> None:
        """Links to outputs that this build no longer writes would dangle: remove them."""
        for path in self.out_dir.iterdir():
            try:
                target = Path(os.readlink(path)) if path.is_symlink() else None
            except OSError:
                continue
            if target is not None and target.parent == Path(CURRENT) and target.name not in self.names and path.name != CURRENT:
                path.unlink(missing_ok=True)

    def _clean(self, keep: set[str | None]) -> None:
        """Remove what killed builds left: build folders no link names, staged links and files."""
        try:
            for path in self.builds.iterdir():
                if path.name in keep:
                    for staged in path.glob(".*.tmp"):
                        staged.unlink(missing_ok=True)
                elif path.name != LOCK:
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)
            for path in self.out_dir.glob(".*.tmp"):
                path.unlink(missing_ok=True)
        except OSError:
            pass  # cleaning is best effort; the next build tries again

    # -- helpers

    def _take_lock(self) -> None:
        """Serialise builds into one folder (the lock dies with its process: no stale locks)."""
        if fcntl is None:
            return
        self._lock = os.open(self.builds / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    def _release_lock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _where(self, error: OSError, what: str) -> str:
        path = Path(error.filename) if error.filename else self.out_dir
        if self.folder is not None and (path == self.folder or self.folder in path.parents):
            path = self.out_dir  # the staging folder means nothing to the user
        return f"{path}: {what} ({reason(error)})"


def publish(out_dir: Path | str, outputs: Mapping[str, str | bytes]) -> dict[str, Path]:
    """Write ``{name: content}`` as the current output set of ``out_dir``, all or nothing."""
    with OutputSet(out_dir) as staged:
        for name, content in outputs.items():
            staged.write(name, content)
        return staged.commit()


def check_writable(out_dir: Path | str) -> None:
    """Fail early, in one line, when ``out_dir`` cannot hold outputs (before a long build).

    Folders it has to create for the probe are removed again: a build that
    fails later for another reason leaves no empty ``out``.
    """
    out_dir = Path(out_dir)
    created: list[Path] = []
    try:
        for folder in reversed([out_dir, *out_dir.parents]):
            if not folder.exists():
                folder.mkdir()
                created.append(folder)
        probe = out_dir / f".probe.{secrets.token_hex(4)}.tmp"
        write_file(probe, b"")
        probe.unlink()
    except OSError as error:
        path = error.filename if error.filename and not str(error.filename).endswith(".tmp") else out_dir
        raise OutputError(f"{path}: cannot write the outputs there ({reason(error)})") from None
    finally:
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass
