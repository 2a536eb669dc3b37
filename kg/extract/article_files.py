"""Article files: the ``.txt`` files of the folders and files given, and everything not read, reported.

Folders are walked by hand, sorted, so that nothing is left out silently: a
folder that cannot be listed is skipped with its reason (its articles are
lost), and a file without the ``.txt`` suffix (any case: ``A.TXT`` is read), a
hidden folder (not entered) and a link to a folder (not followed: no loops)
are reported one line per folder. ``read_documents`` reads them all as
``kg.extract.ingest`` reads one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.extract.file_bytes import IngestError, shown
from kg.extract.ingest import Skipped, file_ids, long_run_warning, read_document
from kg.model import Document

ARTICLE_SUFFIX = ".txt"


@dataclass(frozen=True, slots=True)
class Ignored:
    """A folder entry that is not an article by its kind, not by a fault: reported, never counted as skipped."""

    path: str
    kind: str  # "files without a .txt suffix", "hidden folders", "links to folders"


SINGULAR = {
    "files without a .txt suffix": "file without a .txt suffix",
    "hidden folders": "hidden folder",
    "links to folders (not followed)": "link to a folder (not followed)",
}


def scan_folder(folder: Path) -> Iterator[Path | Skipped | Ignored]:
    """Article files under ``folder``, and every entry not read (sorted, depth first).

    A folder that cannot be listed is Skipped (its articles are lost); a file
    without the ``.txt`` suffix, a hidden folder (``.git``) and a link to a
    folder (not followed: no loops) are Ignored.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        yield Skipped(str(folder), f"{shown(folder)}: cannot read the folder ({error.strerror or error}); its articles were not read")
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = entry.is_symlink()
        except OSError as error:
            yield Skipped(str(path), f"{shown(path)}: cannot read ({error.strerror or error})")
            continue
        if is_dir:
            if entry.name.startswith("."):
                yield Ignored(str(path), "hidden folders")
            else:
                yield from scan_folder(path)
        elif is_link and path.is_dir():
            yield Ignored(str(path), "links to folders (not followed)")
        elif entry.name.lower().endswith(ARTICLE_SUFFIX):
            yield path  # FIFOs, devices and broken links are refused with their reason when read
        else:
            yield Ignored(str(path), "files without a .txt suffix")


def scan_inputs(inputs: Iterable[Path]) -> tuple[list[Path], list[Skipped], list[Ignored]]:
    """Article files of the given files and folders (sorted), what could not be read, and what is not an article.

    A file named on the command line is read whatever its name; in folders,
    files whose name ends in ``.txt`` in any case.
    """
    files: set[Path] = set()
    skipped: list[Skipped] = []
    ignored: list[Ignored] = []
    for path in inputs:
        path = Path(path)
        if path.is_dir():
            for item in scan_folder(path):
                if isinstance(item, Skipped):
                    skipped.append(item)
                elif isinstance(item, Ignored):
                    ignored.append(item)
                else:
                    files.add(item)
        else:
            files.add(path)
    return sorted(files), skipped, ignored


def ignored_lines(ignored: Iterable[Ignored], shown_names: int = 4) -> list[str]:
    """One line per folder and kind: ``seeds/gold: 6 files without a .txt suffix not read: a.json, b.json, … and 2 more``."""
    groups: dict[tuple[str, str], list[str]] = {}
    for item in ignored:
        path = Path(item.path)
        groups.setdefault((str(path.parent), item.kind), []).append(path.name)
    lines = []
    for (folder, kind), names in sorted(groups.items()):
        listed = ", ".join(shown(n) for n in names[:shown_names]) + (f" and {len(names) - shown_names} more" if len(names) > shown_names else "")
        lines.append(f"{shown(folder)}: {len(names)} {kind if len(names) > 1 else SINGULAR[kind]} not read: {listed}")
    return lines


def find_article_files(inputs: Iterable[Path]) -> list[Path]:
    """``.txt`` files of the given files and directories, sorted for a deterministic order."""
    return scan_inputs(inputs)[0]


def read_documents(inputs: Iterable[Path], warnings: list[str] | None = None) -> Iterator[Document | Skipped]:
    """Each input file as a Document, or as Skipped with the reason it could not be read.

    Folders and files that could not be read at all come first, as Skipped.
    When ``warnings`` is given, it receives a line per folder for the entries
    that are not articles (``ignored_lines``) and a line for each article read
    in pieces (``long_run_warning``).
    """
    files, not_read, ignored = scan_inputs(inputs)
    if warnings is not None:
        warnings.extend(ignored_lines(ignored))
    yield from not_read
    seen_ids: dict[str, str] = {}
    ids = file_ids(files)
    for path in files:
        try:
            document = read_document(path, ids[path])
        except IngestError as error:
            yield Skipped(str(path), str(error))
            continue
        if document.id in seen_ids:
            yield Skipped(str(path), f"{shown(path)}: same document id as {shown(seen_ids[document.id])}")
            continue
        seen_ids[document.id] = str(path)
        if warnings is not None and (warning := long_run_warning(document)):
            warnings.append(warning)
        yield document
