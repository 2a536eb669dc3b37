"""A canonical Turtle and TriG writer.

rdflib's serialisers do not give the same bytes for the same graph on every
run (TriG changed with PYTHONHASHSEED), and the project promises
byte-identical output. This writer sorts subjects, predicates and objects,
escapes every literal, and never writes blank nodes it did not get.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from kg.graph.namespace import PREFIXES, RDF, RDFS
from kg.graph.terms import XSD_BOOLEAN, XSD_DECIMAL, XSD_INTEGER, XSD_STRING, Term, clean, from_rdflib

Triple = tuple  # (s, p, o): kg.graph.terms tuples or rdflib terms
Quad = tuple  # (s, p, o, g), g None for the default graph


ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# Control characters, and invisible/bidirectional formatting characters that
# would make the file read differently from what it contains, are written as \\u escapes.
TO_ESCAPE = re.compile("[\\\\\"\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# Turtle local names: letters, digits, "_", "-" (not first) and %XX escapes; no dots, no backslashes.
LOCAL_NAME = re.compile(r"(?:[A-Za-z0-9_]|%[0-9A-F]{2})(?:[A-Za-z0-9_-]|%[0-9A-F]{2})*")
NAMESPACES = sorted(((ns, prefix) for prefix, ns in PREFIXES), key=lambda item: -len(item[0]))
DECIMAL = re.compile(r"[+-]?\d*\.\d+")
INTEGER = re.compile(r"[+-]?\d+")
RDF_TYPE = (0, str(RDF.type))
RDFS_LABEL = (0, str(RDFS.label))
PREDICATE_ORDER = {RDF_TYPE: 0, RDFS_LABEL: 1}


def escape(value: str) -> str:
    return TO_ESCAPE.sub(lambda m: ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), clean(value))


def safe_iri(iri: str) -> str:
    return IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), clean(iri))


def write_iri(iri: str) -> str:
    for namespace, prefix in NAMESPACES:
        if iri.startswith(namespace) and LOCAL_NAME.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return whole_iri(iri)


def as_term(term: object) -> Term:
    return term if isinstance(term, tuple) else from_rdflib(term)


def term_text(term: Term, iri: Callable[[str], str]) -> str:
    """A term as N-Triples and Turtle both write it, IRIs by ``iri`` (prefixed in Turtle, whole in N-Triples)."""
    kind = term[0]
    if kind == 0:
        return iri(term[1])
    if kind == 1:
        return "_:" + re.sub(r"[^A-Za-z0-9]", "x", term[1])
    _, lexical, datatype, lang = term
    if lang:
        return f'"{escape(lexical)}"@{lang}'
    if not datatype or datatype == XSD_STRING:
        return f'"{escape(lexical)}"'
    return f'"{escape(lexical)}"^^{iri(datatype)}'


def write_term(term: object) -> str:
    """A term (a ``kg.graph.terms`` tuple or an rdflib term) in Turtle: numbers and booleans bare."""
    term = as_term(term)
    if term[0] == 2:
        _, lexical, datatype, lang = term
        if not lang and (
            (datatype == XSD_INTEGER and INTEGER.fullmatch(lexical))
            or (datatype == XSD_DECIMAL and DECIMAL.fullmatch(lexical))
            or (datatype == XSD_BOOLEAN and lexical in ("true", "false"))
        ):
            return lexical
    return term_text(term, write_iri)


def term_key(term: object) -> Term:
    """The canonical order of terms: IRIs, blank nodes, literals (lexical form, datatype, language)."""
    return as_term(term)


def quad_key(quad: Quad) -> tuple:
    s, p, o, g = quad
    return ("" if g is None else str(g[1] if isinstance(g, tuple) else g), term_key(s), term_key(p), term_key(o))


def predicate_key(predicate: Term) -> tuple[int, str]:
    return (PREDICATE_ORDER.get(predicate, 2), predicate[1])


def write_triples(triples: Iterable[Triple], indent: str = "") -> list[str]:
    """Triples grouped by subject, every level sorted; one predicate per line.

    Terms are sorted once and each triple becomes one integer made of its
    terms' ranks (subject, predicate, object), so sorting the triples compares
    integers, not nested tuples; each term is written once.
    """
    unique = triples if isinstance(triples, (set, frozenset)) else set(triples)
    if unique and not isinstance(next(iter(unique))[0], tuple):  # rdflib terms
        unique = {(as_term(s), as_term(p), as_term(o)) for s, p, o in unique}
    order = sorted({s for s, _, _ in unique} | {o for _, _, o in unique})
    rank = {term: i for i, term in enumerate(order)}
    predicates = sorted({p for _, p, _ in unique}, key=predicate_key)
    predicate_rank = {p: i for i, p in enumerate(predicates)}
    terms, count = len(order), len(predicates)
    keyed = sorted((rank[s] * count + predicate_rank[p]) * terms + rank[o] for s, p, o in unique)
    verbs = ["a" if p == RDF_TYPE else write_term(p) for p in predicates]
    written: list[str | None] = [None] * terms

    def write(i: int) -> str:
        text = written[i]
        if text is None:
            text = written[i] = write_term(order[i])
        return text

    def decoded() -> Iterator[tuple[int, int, int]]:
        for key in keyed:
            head, o = divmod(key, terms)
            yield (*divmod(head, count), o)

    return list(subject_blocks(decoded(), write, verbs.__getitem__, write, indent))


def subject_blocks(ordered: Iterable[tuple], subject_text: Callable, verb_text: Callable, object_text: Callable, indent: str = "") -> Iterator[str]:
    """The lines of triples sorted by subject then predicate: a subject, its predicates one per line, a blank line between subjects."""
    subject = predicate = None
    objects: list[str] = []
    for s, p, o in ordered:
        if s != subject:
            if objects:
                yield f"{indent}    {verb_text(predicate)} {', '.join(objects)} ."
                yield ""
            subject, predicate, objects = s, p, []
            yield indent + subject_text(s)
        elif p != predicate:
            yield f"{indent}    {verb_text(predicate)} {', '.join(objects)} ;"
            predicate, objects = p, []
        objects.append(object_text(o))
    if objects:
        yield f"{indent}    {verb_text(predicate)} {', '.join(objects)} ."


def prefix_lines() -> list[str]:
    return [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES]


def serialize_turtle(triples: Iterable[Triple]) -> str:
    """Canonical Turtle of any blank-node-free (or labelled-blank-node) set of triples."""
    lines = prefix_lines() + [""] + write_triples(triples)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_turtle(triples: Iterable[Triple], handle: IO[str], run_size: int = 100_000) -> int:
    """Write canonical Turtle of ``triples`` (``kg.graph.terms`` tuples) to ``handle``; the number of distinct triples.

    The same bytes as ``serialize_turtle``, in memory bounded by ``run_size``:
    triples are gathered by subject, and every ``run_size`` of them each
    subject's block is written out (``SubjectRuns``) and spilled, in subject
    order, to a temporary file; the runs are merged a subject at a time while
    writing, so a corpus of 10^5 articles (tens of millions of triples) never
    holds its graph at once.
    """
    import tempfile

    handle.write("\n".join(prefix_lines()) + "\n")
    chunk: dict[Term, set[tuple[Term, Term]]] = {}
    size = 0
    with tempfile.TemporaryDirectory(prefix="kg-turtle-") as spill:
        runs = SubjectRuns(spill)
        subject = pairs = None
        for s, p, o in triples:
            if s is not subject:  # a subject's statements mostly come together, and as the same tuple
                pairs = chunk.get(s)
                if pairs is None:
                    pairs = chunk[s] = set()
                subject = s
            pairs.add((p, o))  # type: ignore[union-attr]
            size += 1
            if size >= run_size:
                runs.spill(chunk)
                chunk.clear()
                size, subject, pairs = 0, None, None
        if not runs.paths:  # all in one run: the in-memory writer, which sorts integers, not tuples
            unique = {(s, p, o) for s, pairs in chunk.items() for p, o in pairs}
            lines = write_triples(unique)
            if lines:
                handle.write("\n" + "\n".join(lines) + "\n")
            return len(unique)
        if chunk:
            runs.spill(chunk)
        return runs.write(handle)


RUN_SLICE = 1_000  # subjects per record of a run file: what the merge holds of each run
SORT_SEPARATOR = "\x00\x00"  # between a term's parts; a NUL inside a part is written NUL SOH


def sort_string(term: tuple) -> str:
    """A term (or a predicate's key) as one string whose order is the order of the tuples.

    Parts are joined by NUL NUL, a NUL inside a part becomes NUL SOH: the joint
    sorts before anything a part can hold, so comparing the strings compares
    the parts in turn, as tuples do. (Kinds and predicate ranks are one digit.)
    """
    return SORT_SEPARATOR.join(str(part).replace("\x00", "\x00\x01") for part in term)


class SubjectRuns:
    """Subjects' blocks spilled to sorted runs in ``folder``, then merged into one Turtle stream.

    A run holds, per subject, in ``sort_string`` order: its key, its block as
    written (``subject_blocks``' lines) and how many triples that is. A
    subject's statements also go, as (predicate key, object key, object text),
    to the run's side file, read back only for a subject found in several runs
    (a document named first and last, an entity that is also a relation's
    subject), whose block is then written again from them all. The merge
    compares one string per subject, not three per triple.
    """

    def __init__(self, folder: str, remembered: int = 200_000) -> None:
        self.folder = folder
        self.paths: list[str] = []
        self.remembered = remembered
        self.terms: dict[Term, tuple[str, str]] = {}  # term -> (sort key, text), the recent ones
        self.predicate_keys: dict[Term, str] = {}
        self.verbs: dict[str, str] = {}  # predicate key -> its text ("a" for rdf:type)

    def term(self, term: Term) -> tuple[str, str]:
        if len(self.terms) > self.remembered:  # the terms that repeat (IRIs, predicates) are few
            self.terms.clear()
        known = self.terms[term] = (sort_string(term), write_term(term))
        return known

    def predicate(self, predicate: Term) -> str:
        key = self.predicate_keys[predicate] = sort_string(predicate_key(predicate))
        self.verbs[key] = "a" if predicate == RDF_TYPE else write_term(predicate)
        return key

    def spill(self, chunk: dict[Term, set[tuple[Term, Term]]]) -> None:
        import marshal  # plain tuples of strings and ints, to and from this process's own temporary files

        run = len(self.paths)
        path = f"{self.folder}/run-{run}"
        known, predicate_keys = self.terms.get, self.predicate_keys.get
        records = []
        with open(path + ".pairs", "wb") as side:
            for s, pairs in chunk.items():
                items = []
                for p, o in pairs:
                    o_key, o_text = known(o) or self.term(o)
                    items.append((predicate_keys(p) or self.predicate(p), o_key, o_text))
                items.sort()
                s_key, s_text = known(s) or self.term(s)
                records.append((s_key, run, block_text(s_text, items, self.verbs), len(items), side.tell()))
                marshal.dump(items, side)
        records.sort()
        with open(path, "wb") as out:
            for start in range(0, len(records), RUN_SLICE):
                marshal.dump(records[start : start + RUN_SLICE], out)
        self.paths.append(path)

    def write(self, handle: IO[str]) -> int:
        """The runs merged into ``handle``, each subject's block once; how many distinct triples."""
        import heapq
        import marshal

        count = 0
        sides = [open(path + ".pairs", "rb") for path in self.paths]
        try:
            def block(group: list[tuple]) -> str:
                nonlocal count
                if len(group) == 1:
                    count += group[0][3]
                    return group[0][2]
                items: set[tuple] = set()
                for _, run, _, _, offset in group:
                    sides[run].seek(offset)
                    items.update(map(tuple, marshal.load(sides[run])))
                count += len(items)
                return block_text(group[0][2].partition("\n")[0], sorted(items), self.verbs)

            buffer: list[str] = []
            group: list[tuple] = []
            separator = "\n"  # a blank line after the prefixes, then one between subjects
            for record in heapq.merge(*(read_run(path) for path in self.paths)):
                if group and record[0] != group[0][0]:
                    buffer.append(separator + block(group))
                    separator, group = "\n\n", []
                    if len(buffer) >= 1024:
                        handle.write("".join(buffer))
                        buffer.clear()
                group.append(record)
            if group:
                buffer.append(separator + block(group))
            handle.write("".join(buffer) + ("\n" if count else ""))
        finally:
            for side in sides:
                side.close()
        return count


def block_text(subject: str, items: Iterable[tuple[str, str, str]], verbs: dict[str, str]) -> str:
    """A subject's block of ``subject_blocks``: its predicates one per line, from (predicate key, object key, object text) in order."""
    lines = [subject]
    predicate = None
    objects: list[str] = []
    for p, _, o in items:
        if p != predicate:
            if objects:
                lines.append(f"    {verbs[predicate]} {', '.join(objects)} ;")  # type: ignore[index]
            predicate, objects = p, []
        objects.append(o)
    lines.append(f"    {verbs[predicate]} {', '.join(objects)} .")  # type: ignore[index]
    return "\n".join(lines)


def read_run(path: str) -> Iterator[tuple]:
    import marshal

    with open(path, "rb") as run:
        while True:
            try:
                records = marshal.load(run)
            except EOFError:
                return
            yield from records


def bounded_memo(render: Callable[[Term], str], limit: int = 200_000) -> Callable[[Term], str]:
    """``render`` remembered for up to ``limit`` terms, then forgotten at once: the terms that repeat (IRIs, predicates) are few."""
    written: dict[Term, str] = {}

    def write(term: Term) -> str:
        text = written.get(term)
        if text is None:
            if len(written) > limit:
                written.clear()
            text = written[term] = render(term)
        return text

    return write


def serialize_trig(all_quads: Iterable[Quad]) -> str:
    """Canonical TriG: default-graph triples first at top level, then each named graph in IRI order."""
    graphs: dict[Term | None, list[Triple]] = defaultdict(list)
    for s, p, o, g in all_quads:
        graphs[None if g is None else as_term(g)].append((s, p, o))
    lines = prefix_lines()
    if graphs.get(None):
        lines += [""] + write_triples(graphs[None])
    for name in sorted(g for g in graphs if g is not None):
        lines += ["", f"{write_term(name)} {{"] + write_triples(graphs[name], "    ") + ["}"]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- N-Triples and N-Quads: one statement per line, written as they come -------


def nt_term(term: Term) -> str:
    return term_text(term, whole_iri)


def whole_iri(iri: str) -> str:
    return f"<{safe_iri(iri)}>"


def nt_lines(statements: Iterable[Quad], graphs: bool) -> Iterator[str]:
    """N-Quads lines (``graphs``) or N-Triples lines of ``statements`` (kg.graph.terms tuples)."""
    write = bounded_memo(nt_term)
    for s, p, o, g in statements:
        if graphs and g is not None:
            yield f"{write(s)} {write(p)} {write(o)} {write(g)} .\n"
        else:
            yield f"{write(s)} {write(p)} {write(o)} .\n"


def write_ntriples(statements: Iterable[Quad], handle: IO[str], graphs: bool = False) -> int:
    """Write ``statements`` to ``handle`` as N-Quads (``graphs``) or N-Triples; the number of lines."""
    count = 0
    buffer: list[str] = []
    for line in nt_lines(statements, graphs):
        buffer.append(line)
        if len(buffer) >= 4096:
            handle.write("".join(buffer))
            count += len(buffer)
            buffer.clear()
    handle.write("".join(buffer))
    return count + len(buffer)
