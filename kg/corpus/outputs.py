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

``write_outputs`` writes a build's files into such a set from a corpus view
(``kg.graph.view``): the page first, then the graph files and the document
records, each streamed.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kg.files import OutputError, reason, staged_name, sync_directory, write_atomically, write_file

if TYPE_CHECKING:
    from kg.corpus.build import BuildReport
    from kg.graph.view import CorpusView

__all__ = ["OutputError", "OutputSet", "check_writable", "graph_formats", "publish", "sync_directory", "write_atomically", "write_file", "write_outputs"]

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
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
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


OUTPUT_NAMES = {"turtle": "graph.ttl", "html": "graph.html", "json": "extraction.json", "jsonl": "extraction.jsonl"}
STREAM_NAMES = {"nt": "graph.nt", "nq": "graph.nq"}


def graph_formats(formats: Sequence[str]) -> list[str]:
    """The formats of ``formats`` that are graph files (``jsonl`` is the document records')."""
    return [f for f in formats if f != "jsonl"]


def write_outputs(view: CorpusView, documents: int, out_dir: Path, formats: Sequence[str], report: BuildReport, stage: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Write the graph files of ``formats``, ``graph.html`` and ``extraction.json`` (or ``.jsonl``) of a corpus (``kg.graph.view``) of ``documents`` articles, all or none; ``stage`` is told each file as it starts."""
    from kg.graph import rdf
    from kg.graph.export import view_records, write_jsonl, write_records
    from kg.graph.extraction_file import jsonl_header
    from kg.graph.turtle import write_ntriples, write_turtle
    from kg.graph.page_bounds import page_of
    from kg.graph.viz import render_html

    def page(handle: IO[str]) -> None:
        # Written first, from the entities it shows alone; nothing of it is held while the graph files are written.
        shown_graph, note = page_of(view)
        handle.write(render_html(shown_graph, note) if note else render_html(shown_graph))

    outputs: dict[Path, Callable[[IO[str]], object]] = {out_dir / OUTPUT_NAMES["html"]: page}
    names: dict[str, Path] = {}
    if "turtle" in formats or not graph_formats(formats):
        def turtle(handle: IO[str]) -> None:
            # Sorted in bounded runs and merged as written: the graph is never held whole.
            report.triples = write_turtle(((s, p, o) for s, p, o, _ in rdf.view_statements(view, graphs=False)), handle)

        outputs[out_dir / OUTPUT_NAMES["turtle"]] = turtle
        names["turtle"] = out_dir / OUTPUT_NAMES["turtle"]
    for fmt in ("nt", "nq"):
        if fmt in formats:
            def stream(handle: IO[str], quads: bool = fmt == "nq") -> None:
                lines = write_ntriples(rdf.view_statements(view, graphs=quads), handle, graphs=quads)
                report.triples = report.triples or lines
            outputs[out_dir / STREAM_NAMES[fmt]] = stream
            names[fmt] = out_dir / STREAM_NAMES[fmt]
    names["html"] = out_dir / OUTPUT_NAMES["html"]
    if "jsonl" in formats:
        header = jsonl_header(ner_model=view.ner_model, documents=documents)
        names["json"] = out_dir / OUTPUT_NAMES["jsonl"]
        outputs[names["json"]] = lambda handle: write_jsonl(view_records(view), handle, header)
    else:
        names["json"] = out_dir / OUTPUT_NAMES["json"]
        outputs[names["json"]] = lambda handle: write_records(view_records(view), handle)
    # One build folder made current by one atomic switch (kg.corpus.outputs): a reader
    # sees the previous set or this one, never a mix.
    with OutputSet(out_dir) as staged:
        for path, content in outputs.items():
            if stage is not None:
                stage(f"writing {path.name}")
            with staged.open(path.name) as handle:
                content(handle)
        committed = staged.commit()
    return {name: committed.get(path.name, path) for name, path in names.items()}
