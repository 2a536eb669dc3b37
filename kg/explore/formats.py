"""Exports of a graph file: Turtle, N-Triples, JSON-LD, GraphML (Gephi), CSV nodes + edges.

The RDF exports re-serialise the triples (N-Triples sorted, so the same graph
gives the same file). GraphML and CSV are the *entity* view of the graph, the
same one ``kg.graph.viz`` draws: ``rdf_to_networkx`` turns the project's RDF back into
the networkx graph that ``kg.graph.network.to_networkx`` makes from an Extraction (nodes
= persons, bodies, events, campaigns, places; edges = the ten relations, with
posts and evidence sentences), so a graph file, an ``extraction.json`` and a
fresh build all give the same picture. GraphML needs scalar attributes:
lists are joined with ``"; "``; each edge's GraphML id is ``source|predicate|target``
(unique: there is one edge per distinct triple). JSON-LD gets a ``@context``
with a term per property (``confidence``, not ``kg:confidence``), typed as the
data is (``"@type": "@id"`` for links, the datatype when every value has the
same one). The target's suffix must agree with ``--format``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import networkx as nx

from kg.graph.namespace import CLASS_IRIS, DOC, ID_BASE, KG, ORG, PREDICATE_IRIS, PREFIXES, RDF, RDFS, SKOS

EXPORT_FORMATS = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "graphml": ".graphml", "gexf": ".gexf", "csv": ".csv", "ftm": ".ftm.json"}
FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SUFFIX_FORMATS = {suffix: name for name, suffix in EXPORT_FORMATS.items()}


class ExportError(Exception):
    """A graph file or export target the user can fix; the message is one line."""


def load_rdf(path: Path | str) -> Any:
    """The graph file as one rdflib graph (named graphs merged)."""
    import rdflib

    from kg.explore.query import QueryError, RdflibStore

    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such graph file")
    try:
        store = RdflibStore.from_file(path)
    except QueryError as error:
        raise ExportError(str(error)) from None
    graph = store.graph
    if isinstance(graph, rdflib.Dataset):
        merged = rdflib.Graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            merged.add((s, p, o))
        graph = merged
    return graph


def _local(iri: Any, base: str = ID_BASE) -> str:
    text = str(iri)
    return unquote(text[len(base):]) if text.startswith(base) else text


def rdf_to_networkx(graph: Any) -> nx.MultiDiGraph:
    """The entity graph of an rdflib graph in the project ontology (see the module docstring)."""
    types = {iri: name for name, iri in CLASS_IRIS.items()}
    out = nx.MultiDiGraph()
    for cls_iri, type_name in sorted(types.items()):
        for subject in sorted(graph.subjects(RDF.type, cls_iri)):
            label = graph.value(subject, RDFS.label)
            out.add_node(
                _local(subject),
                type=type_name,
                label=str(label) if label is not None else _local(subject),
                posts=[],
                post_orgs=[],
                docs=sorted(_local(d, str(DOC)) for d in graph.objects(subject, KG.mentionedIn)),
                mentions=sorted({str(m) for m in graph.objects(subject, SKOS.altLabel)}),
                date=str(min(graph.objects(subject, KG.date), default="")),
            )
    posts: dict[tuple[str, str], list[str]] = {}
    post_dates: dict[tuple[str, str], list[str]] = {}
    for membership in sorted(graph.subjects(RDF.type, ORG.Membership)):
        member, body, title = graph.value(membership, ORG.member), graph.value(membership, ORG.organization), graph.value(membership, KG.postTitle)
        if member is None or title is None:
            continue
        person, org = _local(member), _local(body) if body is not None else ""
        stated = graph.value(membership, KG.statedOn)
        if stated is not None:
            post_dates.setdefault((person, org), []).append(str(stated))
        if person in out:
            node = out.nodes[person]
            if str(title) not in node["posts"]:
                node["posts"].append(str(title))
            if f"{title}\t{org}" not in node["post_orgs"]:
                node["post_orgs"].append(f"{title}\t{org}")
        posts.setdefault((person, org), []).append(str(title))
    for person in list(out.nodes):  # memberships without a body are literal titles on the person
        for title in sorted(str(t) for t in graph.objects(_iri(person), KG.postTitle)):
            if title not in out.nodes[person]["posts"]:
                out.nodes[person]["posts"].append(title)
                out.nodes[person]["post_orgs"].append(f"{title}\t")
    evidence: dict[tuple[Any, Any, Any], list[tuple[Any, ...]]] = {}
    for assertion in graph.subjects(RDF.type, KG.Assertion):
        key = (graph.value(assertion, RDF.subject), graph.value(assertion, RDF.predicate), graph.value(assertion, RDF.object))
        doc = graph.value(assertion, KG.document)
        start = graph.value(assertion, KG.startOffset)
        evidence.setdefault(key, []).append(
            (_local(doc, str(DOC)) if doc is not None else "", int(start) if start is not None else 0, str(graph.value(assertion, KG.sentenceText) or ""), str(graph.value(assertion, KG.rule) or ""), float(graph.value(assertion, KG.confidence) or 0.0))
        )
    for name, predicate in sorted(PREDICATE_IRIS.items()):
        for s, o in sorted(graph.subject_objects(predicate)):
            source, target = _local(s), _local(o)
            for node in (source, target):
                if node not in out:
                    out.add_node(node, type="", label=node, posts=[], post_orgs=[], docs=[], mentions=[], date="")
            facts = sorted(evidence.get((s, predicate, o), []))
            attrs: dict[str, Any] = {
                "predicate": name,
                "label": name,
                "evidence": list(dict.fromkeys(f[2] for f in facts if f[2])),
                "docs": sorted({f[0] for f in facts if f[0]}),
                "rules": list(dict.fromkeys(f[3] for f in facts if f[3])),
                "confidence": max((f[4] for f in facts), default=0.0),
            }
            if name == "holdsPost":
                attrs["post"] = "; ".join(dict.fromkeys(posts.get((source, target), [])))
                attrs["date"] = min(post_dates.get((source, target), []), default="")
            else:  # a relation with an event is as old as the event
                attrs["date"] = out.nodes[target].get("date", "") if out.nodes[target].get("type") == "Event" else ""
            out.add_edge(source, target, key=name, **attrs)
    return out


def _iri(entity_id: str) -> Any:
    from kg.graph.rdf import entity_iri

    return entity_iri(entity_id)


def load_networkx(path: Path | str) -> nx.MultiDiGraph:
    """The entity graph of a graph file (any RDF format) or of an ``extraction.json`` / ``extraction.jsonl`` (read as a stream)."""
    path = Path(path)
    if path.suffix.lower() in (".json", ".jsonl"):
        from kg.graph.extraction_file import RecordError, read_records

        try:
            return records_to_networkx(read_records(path))
        except OSError as error:
            raise ExportError(f"{path}: cannot read ({error.strerror or error})") from None
        except RecordError as error:
            raise ExportError(str(error)) from None
        except (ValueError, KeyError, TypeError) as error:
            raise ExportError(f"{path}: not an extraction.json ({type(error).__name__}: {' '.join(str(error).split())})") from None
    return rdf_to_networkx(load_rdf(path))


def records_to_networkx(records: Iterable[dict[str, Any]]) -> nx.MultiDiGraph:
    """The entity graph of ``extraction.json`` (one record per document, the gold shape plus evidence), read once, in order."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for record in records:
        doc = str(record["doc"]).removesuffix(".txt")
        for entity in record.get("entities", []):
            # docs and mentions gather in sets, sorted once at the end (sorting them again at every
            # document took quadratic time for a body named in every article)
            node = nodes.setdefault(entity["id"], {"type": entity.get("type", ""), "label": entity.get("label") or entity["id"], "posts": [], "post_orgs": [], "docs": set(), "mentions": set(), "date": ""})
            node["date"] = node["date"] or str((entity.get("attrs") or {}).get("date") or "")
            node["docs"].add(doc)
            node["mentions"].update(entity.get("mentions", []))
            for post in entity.get("posts", []):
                if post["title"] not in node["posts"]:
                    node["posts"].append(post["title"])
                if f"{post['title']}\t{post.get('org') or ''}" not in node["post_orgs"]:
                    node["post_orgs"].append(f"{post['title']}\t{post.get('org') or ''}")
        for relation in record.get("relations", []):
            edge = edges.setdefault((relation["s"], relation["p"], relation["o"]), {"evidence": [], "docs": [], "rules": [], "confidence": 0.0, "posts": []})
            if relation.get("post"):
                edge["posts"].append(relation["post"])
            for evidence in relation.get("evidence", []):
                edge["evidence"].append(evidence.get("text", ""))
                edge["docs"].append(evidence.get("doc_id", doc))
                edge["rules"].append(evidence.get("rule", ""))
                edge["confidence"] = max(edge["confidence"], float(evidence.get("confidence", 0.0)))
    graph = nx.MultiDiGraph()
    for node_id in sorted(nodes):
        node = nodes[node_id]
        graph.add_node(node_id, **{**node, "docs": sorted(node["docs"]), "mentions": sorted(node["mentions"])})
    for (s, p, o) in sorted(edges):
        for node in (s, o):
            if node not in graph:
                graph.add_node(node, type="", label=node, posts=[], post_orgs=[], docs=[], mentions=[], date="")
        edge = edges[(s, p, o)]
        attrs: dict[str, Any] = {"predicate": p, "label": p, "evidence": list(dict.fromkeys(e for e in edge["evidence"] if e)), "docs": sorted(set(edge["docs"])), "rules": list(dict.fromkeys(r for r in edge["rules"] if r)), "confidence": edge["confidence"]}
        if p == "holdsPost":
            attrs["post"] = "; ".join(dict.fromkeys(edge["posts"]))
        attrs["date"] = graph.nodes[o].get("date", "") if graph.nodes[o].get("type") == "Event" else ""
        graph.add_edge(s, o, key=p, **attrs)
    return graph


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value


def flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with every attribute a string or number (GraphML, CSV)."""
    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        out.add_node(node, **{k: _scalar(v) for k, v in data.items() if k != "post_orgs"})
    for s, o, key, data in graph.edges(keys=True, data=True):
        out.add_edge(s, o, key=key, **{k: _scalar(v) for k, v in data.items()})
    return out


# A cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: a string starting like a formula gets a leading ``'``.

    Follows the OWASP CSV-injection guidance: file names and labels come from
    scraped articles, and ``=HYPERLINK(...)`` or ``@SUM(...)`` in a cell would run
    when the export is opened. Numbers are left as they are.

    >>> neutralise("=1+1"), neutralise("Le Ngoc Chau"), neutralise(-1.5)
    ("'=1+1", 'Le Ngoc Chau', -1.5)
    """
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


NODE_COLUMNS = ("id", "type", "label", "posts", "docs", "mentions")
EDGE_COLUMNS = ("source", "target", "predicate", "post", "confidence", "docs", "rules", "evidence")


def csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def write_csv(graph: nx.MultiDiGraph, out: Path) -> tuple[Path, Path]:
    """``<out stem>.nodes.csv`` and ``<out stem>.edges.csv`` beside ``out`` (Gephi's spreadsheet import reads both)."""
    out = Path(out)
    nodes_path, edges_path = out.with_name(out.stem + ".nodes.csv"), out.with_name(out.stem + ".edges.csv")
    g = flat(graph)
    nodes: list[list[Any]] = [list(NODE_COLUMNS)]
    for node in sorted(g.nodes):
        data = g.nodes[node]
        nodes.append([node] + [data.get(c, "") for c in NODE_COLUMNS[1:]])
    edges: list[list[Any]] = [list(EDGE_COLUMNS)]
    for s, o, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        edges.append([s, o, key] + [data.get(c, "") for c in EDGE_COLUMNS[3:]])
    write_files({nodes_path: csv_text(nodes), edges_path: csv_text(edges)})
    return nodes_path, edges_path


def write_files(files: dict[Path, str | bytes]) -> None:
    """Each file replaced whole (one rename each), with the umask; errors are one line."""
    from kg.files import OutputError, write_atomically

    try:
        write_atomically(files)
    except OutputError as error:
        raise ExportError(str(error)) from None


def graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``flat(graph)`` with each edge keyed ``source|predicate|target``: GraphML takes the key as the edge id.

    The entity graph keys edges by predicate alone, which repeats across node
    pairs (66 edges had 8 ids): Gephi and other readers then merge or drop edges.
    """
    flat_graph = flat(graph)
    out = nx.MultiDiGraph()
    out.add_nodes_from(flat_graph.nodes(data=True))
    for s, o, key, data in sorted(flat_graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        out.add_edge(s, o, key=f"{s}|{key}|{o}", **data)
    return out


def gexf_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graphml_ready(graph)`` with Gephi's timeline: ``start``/``end`` spells from the stated dates.

    An event with a full date (``2023-10-09``) lives on that day (start = end);
    a relation with a dated event, and a post an article states on a full date,
    start then. Persons, bodies and places are always there. A day without its
    year (``--10-09``) or a year alone cannot be placed on a timeline: it stays
    an ordinary ``date`` attribute.
    """
    out = graphml_ready(graph)
    for _, data in out.nodes(data=True):
        if FULL_DATE.fullmatch(str(data.get("date", ""))):
            data["start"] = data["end"] = data["date"]
    for _, _, data in out.edges(data=True):
        if FULL_DATE.fullmatch(str(data.get("date", ""))):
            data["start"] = data["date"]
    out.graph["mode"] = "dynamic"
    return out


def jsonld_context(rdf: Any) -> dict[str, Any]:
    """The project's prefixes plus one term per property of ``rdf`` (its local name), typed as its values are.

    A property gets ``"@type": "@id"`` when all its values are IRIs, the datatype
    when all are literals of one datatype, nothing otherwise (strings, language
    tags, mixed). Local names that would clash with a prefix or another term keep
    the prefixed form (``org:role``: ``role`` is the prefix of role IRIs).
    """
    from rdflib import URIRef

    context: dict[str, Any] = {prefix: namespace for prefix, namespace in PREFIXES}
    kinds: dict[Any, set[str]] = {}
    for _, predicate, obj in rdf:
        if predicate == RDF.type:
            continue
        kinds.setdefault(predicate, set()).add("@id" if isinstance(obj, URIRef) else str(obj.datatype) if getattr(obj, "datatype", None) else "")

    def short(iri: str) -> str:
        for prefix, namespace in PREFIXES:
            if iri.startswith(namespace) and iri[len(namespace):]:
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    taken = set(context)
    for predicate in sorted(kinds, key=lambda p: (not str(p).startswith(str(KG)), str(p))):  # kg: terms first
        compact_iri = short(str(predicate))
        prefix, _, local = compact_iri.partition(":")
        if compact_iri == str(predicate) or not local or local in taken or not local.replace("_", "a").isalnum():
            continue
        term: dict[str, str] = {"@id": compact_iri}
        (kind,) = kinds[predicate] if len(kinds[predicate]) == 1 else ("",)
        if kind:
            term["@type"] = kind if kind == "@id" else short(kind)
        context[local] = term
        taken.add(local)
    return context


def write_table(path: Path, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Path:
    """A CSV file of ``header`` and ``rows`` (lists as ``"; "``-joined text): the projections' nodes and edges.

    Written whole, with cells that look like formulas neutralised (``neutralise``).
    """
    write_files({Path(path): csv_text([list(header)] + [[_scalar(value) for value in row] for row in rows])})
    return Path(path)


def export(source: Path | str, out: Path | str, fmt: str | None = None) -> list[Path]:
    """Export the graph file ``source`` to ``out`` in ``fmt`` (default: from ``out``'s suffix); the files written."""
    out = Path(out)
    implied = "ftm" if out.name.lower().endswith(".ftm.json") else _SUFFIX_FORMATS.get(out.suffix.lower())
    if fmt and implied and fmt != implied:
        raise ExportError(f"{out}: the suffix {out.suffix} means {implied}, not {fmt}; name the file {out.stem}{EXPORT_FORMATS[fmt]} or leave out --format")
    fmt = fmt or implied
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"{out}: cannot tell the export format; use --format {'|'.join(EXPORT_FORMATS)} or one of the suffixes {', '.join(EXPORT_FORMATS.values())}")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent}: no such directory")
    if fmt in ("graphml", "gexf", "csv", "ftm"):
        graph = load_networkx(source)
        if fmt == "csv":
            return list(write_csv(graph, out))
        if fmt == "ftm":
            from kg.explore.ftm import FtmError, ftm_lines

            try:
                write_files({out: ftm_lines(graph)})
            except FtmError as error:
                raise ExportError(str(error)) from None
            return [out]
        buffer = io.BytesIO()
        if fmt == "gexf":
            nx.write_gexf(gexf_ready(graph), buffer, encoding="utf-8")
        else:
            nx.write_graphml(graphml_ready(graph), buffer, encoding="utf-8")
        write_files({out: buffer.getvalue()})
        return [out]
    rdf = load_rdf(source)
    for prefix, namespace in PREFIXES:
        rdf.bind(prefix, namespace, override=True)
    if fmt == "nt":
        lines = sorted(set(rdf.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
        write_files({out: "\n".join(lines) + "\n"})
    elif fmt == "jsonld":
        write_files({out: rdf.serialize(format="json-ld", context=jsonld_context(rdf), indent=1)})
    else:
        write_files({out: rdf.serialize(format="turtle")})
    return [out]
