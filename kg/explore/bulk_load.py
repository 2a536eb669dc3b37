"""A graph file bulk-loaded into Oxigraph in pieces, so that the load's memory does not grow with the file.

Oxigraph's bulk loader holds up to about eight times what it is given: a
whole ``graph.nq`` of 979 MB (10^4 articles) peaked at 1.9–2.0 GiB, the same
file given in 64 MiB pieces at 540–680 MiB. The pieces cost time: that load
took 40–48 s against 30–37 s whole (each piece is sorted into indexes that
already hold the others'). Pieces are measured in statements, so a Turtle
piece, four times denser, is a quarter of the bytes. A file no bigger than
one piece is loaded whole. A piece ends where a statement does:

- **N-Triples and N-Quads**: at a line's end. A blank node's label holds only
  within one parse, so from the first piece that holds ``_:`` on, the rest of
  the file is loaded in one go (a literal holding those two characters only
  costs memory, never meaning). A parse error names the line of the file, not
  of the piece.
- **Turtle that kg wrote** (``kg.graph.turtle``: its prefix lines first, every
  literal on one line, no blank nodes): at a blank line, each piece after the
  first given the prefix lines. Should a piece hold anything that makes its
  meaning depend on another (a blank node, a long literal, a prefix or base
  declared later), or not parse, the file is loaded again whole, so that such
  a file means what it says and its errors name its own lines.

Any other file is loaded whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

PIECE = {"N_QUADS": 64 << 20, "N_TRIPLES": 48 << 20, "TURTLE": 16 << 20}  # bytes per bulk load: about 300,000 statements
LINE_FORMATS = ("N_TRIPLES", "N_QUADS")
# What makes a Turtle piece read differently alone: blank nodes, long literals (which may hold blank lines), and
# prefix or base declarations after the first lines (SPARQL-style ones in any case).
TURTLE_RISKS = re.compile(rb'_:|"""|\'\'\'|\n[ \t]*(?:@prefix|@base|[Pp][Rr][Ee][Ff][Ii][Xx][ \t]|[Bb][Aa][Ss][Ee][ \t])')


class PieceNotAlone(Exception):
    """A Turtle piece whose meaning may depend on the rest of the file: the file is loaded whole."""


def load_graph_file(open_store: Callable[[], Any], graph: Path, fmt: str, piece: int | None = None) -> Any:
    """The store ``open_store()`` gives, with ``graph`` (an Oxigraph format name ``fmt``) loaded into it; in pieces where that is safe.

    ``open_store`` is called again, after the first store was dropped, when a
    Turtle file has to be loaded whole after all: it must then give an empty store.
    """
    import pyoxigraph as ox

    rdf_format = getattr(ox.RdfFormat, fmt)
    store = open_store()
    piece = piece or PIECE.get(fmt, 0)
    if not piece or graph.stat().st_size <= piece:
        store.bulk_load(path=str(graph), format=rdf_format)
        return store
    if fmt in LINE_FORMATS:
        load_lines(store, graph, rdf_format, piece)
        return store
    header = kg_turtle_header(graph)
    if header is not None:
        try:
            for data in pieces(graph, piece, b"\n\n", len(header)):
                if TURTLE_RISKS.search(data):
                    raise PieceNotAlone
                store.bulk_load(header + data, format=rdf_format)
            return store
        except (PieceNotAlone, SyntaxError):
            store = None  # closed before the store is made again in its place
            store = open_store()
    store.bulk_load(path=str(graph), format=rdf_format)
    return store


def load_lines(store: Any, graph: Path, rdf_format: Any, piece: int) -> None:
    """An N-Triples or N-Quads file, a piece of whole lines at a time; a parse error's line numbers are the file's."""
    line = offset = 0  # lines and bytes before the piece being loaded
    with open(graph, "rb") as handle:
        for data in split_stream(handle, piece, b"\n"):
            try:
                if b"_:" in data:  # blank nodes: the rest of the file in one parse, from this piece's start
                    handle.seek(offset)
                    store.bulk_load(handle, format=rdf_format)
                    return
                store.bulk_load(data, format=rdf_format)
            except SyntaxError as error:
                raise renumbered(error, line) from None
            offset += len(data)
            line += data.count(b"\n")


def renumbered(error: SyntaxError, lines_before: int) -> SyntaxError:
    """A piece's parse error as the file's: its line numbers moved down by the lines before the piece."""
    message = re.sub(r"line (\d+)", lambda found: f"line {int(found.group(1)) + lines_before}", error.msg)
    where = error.lineno + lines_before if error.lineno is not None else None
    return SyntaxError(message, (error.filename, where, error.offset, error.text))


def kg_turtle_header(graph: Path) -> bytes | None:
    """The prefix lines at the start of ``graph`` when they are those kg writes first (``kg.graph.turtle``), else None."""
    from kg.graph.turtle import prefix_lines

    header = ("\n".join(prefix_lines()) + "\n").encode()
    with open(graph, "rb") as handle:
        start = handle.read(len(header))
    return header if start == header else None


def pieces(graph: Path, size: int, end: bytes, skip: int = 0) -> Iterator[bytes]:
    """The bytes of ``graph`` after its first ``skip``, in pieces of about ``size`` that each end just after an ``end`` (the last: where the file does)."""
    with open(graph, "rb") as handle:
        handle.seek(skip)
        yield from split_stream(handle, size, end)


def split_stream(handle: BinaryIO, size: int, end: bytes) -> Iterator[bytes]:
    rest = b""
    while True:
        block = handle.read(size)
        if not block:
            break
        data = rest + block if rest else block
        cut = data.rfind(end) + len(end)
        if cut < len(end):  # no end in it yet: one statement longer than a piece
            rest = data
            continue
        rest = data[cut:]
        yield data[:cut]
    if rest:
        yield rest
