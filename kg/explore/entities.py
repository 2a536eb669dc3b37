"""One entity and everything the graph says about it, with the evidence of each fact.

``find_entity(store, name)`` resolves a name as ``kg viz --focus`` does (an id
or IRI, else a label in any case, else the one entity whose label, id or
other names contain it). ``profile(store, entity, records)`` gathers, with
SPARQL on either store of ``kg.explore.query``:

- the label, type, other names by language (``skos:altLabel`` tags) and
  attributes (event type, date, province, ...);
- posts: each ``org:Membership`` (title, body, the date the article states,
  else the article's year, else "undated"), with the article and the
  sentence that gives it;
- events the entity chaired, attended, spoke at or organised, with type and date;
- every relation in and out, each with its evidence: the sentence, the
  article id, its file and URL, offsets, rule and confidence;
- the articles it is mentioned in, and why its mentions were merged into one
  entity (from ``extraction.json`` when given: ``kg.corpus.review`` reads
  the same file to list the merges a user should check).

The entity's IRI is written into the query text only after it is checked to
be a plain IRI of the store (no ``<``, ``>``, quotes, spaces or braces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from kg.text import fold_label
from kg.explore.query import GraphStore, QueryError
from kg.graph.namespace import ID_BASE

KG_NS = "https://w3id.org/kg-vn/ontology#"
DOC_BASE = ID_BASE + "doc/"
_SAFE_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")

PREFIXES = """PREFIX kg: <https://w3id.org/kg-vn/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
"""


@dataclass(frozen=True)
class EntityRef:
    iri: str
    id: str
    label: str
    type: str


@dataclass
class Evidence:
    """Where one fact was read: the sentence, the article (id, file, URL), offsets, rule, confidence."""

    sentence: str
    document: str
    file: str
    url: str
    start: int | None = None
    end: int | None = None
    rule: str = ""
    confidence: float | None = None
    lang: str = ""  # the article's language


@dataclass
class Fact:
    """One relation of the entity: ``direction`` "out" (entity → other) or "in" (other → entity)."""

    predicate: str
    direction: str
    other: EntityRef
    evidence: list[Evidence] = field(default_factory=list)
    post: str = ""
    other_date: str = ""
    other_kind: str = ""  # event type, for events


@dataclass
class PostHeld:
    """A post as one article states it; ``holder`` is the person (for a body's timeline)."""

    title: str
    body: EntityRef | None
    holder: EntityRef
    date: str  # "2023-10-09", "2025 (year of the article)" or "undated"
    sort_key: str
    document: str
    file: str
    url: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Profile:
    entity: EntityRef
    names: list[tuple[str, str]] = field(default_factory=list)  # (text, language tag)
    attributes: list[tuple[str, str]] = field(default_factory=list)
    posts: list[PostHeld] = field(default_factory=list)
    holders: list[PostHeld] = field(default_factory=list)  # for a body: who held which post in it
    facts: list[Fact] = field(default_factory=list)
    documents: list[dict[str, str]] = field(default_factory=list)
    merge: list[str] | None = None  # None: no extraction.json to explain the merge with


def local_id(iri: str) -> str:
    return unquote(iri[len(ID_BASE):]) if iri.startswith(ID_BASE) else iri


def doc_id(iri: str | None) -> str:
    if not iri:
        return ""
    return unquote(iri[len(DOC_BASE):]) if iri.startswith(DOC_BASE) else iri


def _checked(iri: str) -> str:
    if not _SAFE_IRI.fullmatch(iri):
        raise QueryError(f"not a plain IRI: {iri!r}")
    return f"<{iri}>"


# --------------------------------------------------------------------------- finding


def entity_index(store: GraphStore) -> list[tuple[EntityRef, str]]:
    """Every entity of the five types with the text a search matches (label, id, other names); cached on the store."""
    cached = getattr(store, "_kg_entity_index", None)
    if cached is not None:
        return cached
    query = PREFIXES + """SELECT ?e ?type ?label WHERE {
      VALUES ?class { kg:Person kg:Organization kg:Event kg:Campaign kg:Location }
      ?e a ?class ; rdfs:label ?label .
      BIND (STRAFTER(STR(?class), "#") AS ?type)
    }"""
    other_names: dict[str, list[str]] = {}
    for iri, alt in store.select(PREFIXES + "SELECT ?e ?alt WHERE { ?e skos:altLabel ?alt }").rows:
        other_names.setdefault(str(iri), []).append(str(alt))
    index, seen = [], set()
    for iri, type_, label in sorted(store.select(query).rows, key=lambda r: (str(r[0]), str(r[2]))):
        if str(iri) in seen:
            continue
        seen.add(str(iri))
        ref = EntityRef(str(iri), local_id(str(iri)), str(label), str(type_))
        index.append((ref, fold_label(" ".join([ref.label, ref.id, *other_names.get(ref.iri, [])]))))
    store._kg_entity_index = index  # type: ignore[attr-defined]
    return index


def distinguishing(store: GraphStore, ref: EntityRef) -> str:
    """What tells a namesake apart: the bodies it holds posts in, else the articles naming it."""
    bodies = store.select(
        PREFIXES + "SELECT DISTINCT ?label ?e WHERE { ?m org:member ?p ; org:organization ?o . ?o rdfs:label ?label FILTER (STR(?p) = STR(?e)) } ORDER BY ?label LIMIT 3",
        {"e": ref.iri},
    ).rows
    if bodies:
        return "posts in " + ", ".join(str(b[0]) for b in bodies)
    docs = store.select(PREFIXES + "SELECT DISTINCT ?d ?e WHERE { ?p kg:mentionedIn ?d FILTER (STR(?p) = STR(?e)) } ORDER BY ?d LIMIT 3", {"e": ref.iri}).rows
    return "in " + ", ".join(str(d[0]).rsplit("/", 1)[-1] for d in docs) if docs else ""


def find_entity(store: GraphStore, name: str) -> EntityRef:
    """The entity ``name`` names: its id or IRI, else its label (any case), else the one entity whose names contain it.

    Raises KeyError with a one-line message when none or several match.
    """
    index = entity_index(store)
    wanted = fold_label(name)
    for ref, _ in index:
        if name in (ref.id, ref.iri):
            return ref
    exact = [ref for ref, _ in index if fold_label(ref.label) == wanted]
    if len(exact) == 1:
        return exact[0]
    if exact:  # namesakes: say what tells them apart and ask for the id
        shown = "; ".join(f"{r.id} ({r.type}{', ' + where if (where := distinguishing(store, r)) else ''})" for r in exact[:8])
        raise KeyError(f"{name!r} is the name of {len(exact)} entities: {shown}; give the id")
    partial = [ref for ref, text in index if wanted and wanted in text]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise KeyError(f"no entity named {name!r} in the graph")
    shown = ", ".join(f"{r.label} ({r.type})" for r in partial[:8])
    raise KeyError(f"{name!r} names {len(partial)} entities ({shown}{', ...' if len(partial) > 8 else ''}); be more specific")


# --------------------------------------------------------------------------- articles


class Articles:
    """Articles by id: file name (from extraction.json when given), URL, language, year."""

    def __init__(self, store: GraphStore, records: list[dict[str, Any]] | None = None) -> None:
        self.files = {str(r.get("doc", "")).rsplit(".", 1)[0]: str(r.get("doc", "")) for r in records or []}
        query = PREFIXES + """SELECT ?d ?url ?lang ?year WHERE {
          ?d a kg:Document . OPTIONAL { ?d kg:sourceUrl ?url } OPTIONAL { ?d kg:language ?lang } OPTIONAL { ?d kg:year ?year } }"""
        self.info = {doc_id(str(d)): {"url": str(url or ""), "lang": str(lang or ""), "year": str(year or "")} for d, url, lang, year in store.select(query).rows}

    def file(self, doc: str) -> str:
        return self.files.get(doc, "")

    def url(self, doc: str) -> str:
        return self.info.get(doc, {}).get("url", "")

    def dated(self, stated: Any, doc: str) -> tuple[str, str]:
        """The date shown for a fact stated in ``doc``, and a key sorting undated last."""
        if stated:
            return str(stated), str(stated)
        year = self.info.get(doc, {}).get("year", "")
        if year:
            return f"{year} (year of the article)", year
        return "undated", "~"


def _articles(store: GraphStore, records: list[dict[str, Any]] | None) -> Articles:
    key = ("_kg_articles", id(records))
    cached = getattr(store, "_kg_articles_cache", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    articles = Articles(store, records)
    store._kg_articles_cache = (key, articles)  # type: ignore[attr-defined]
    return articles


# --------------------------------------------------------------------------- facts


def _evidence(store: GraphStore, iri: str, articles: Articles) -> dict[tuple[str, str, str], list[Evidence]]:
    """Evidence of every assertion about ``iri``, by (subject, predicate name, object)."""
    node = _checked(iri)
    query = PREFIXES + f"""SELECT ?s ?p ?o ?doc ?sentence ?start ?end ?rule ?confidence ?url WHERE {{
      {{ ?a rdf:subject {node} }} UNION {{ ?a rdf:object {node} }}
      ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:document ?doc .
      OPTIONAL {{ ?a kg:sentenceText ?sentence }} OPTIONAL {{ ?a kg:startOffset ?start }} OPTIONAL {{ ?a kg:endOffset ?end }}
      OPTIONAL {{ ?a kg:rule ?rule }} OPTIONAL {{ ?a kg:confidence ?confidence }} OPTIONAL {{ ?a kg:sourceUrl ?url }}
    }}"""
    found: dict[tuple[str, str, str], list[Evidence]] = {}
    for s, p, o, doc, sentence, start, end, rule, confidence, url in store.select(query).rows:
        d = doc_id(str(doc))
        item = Evidence(str(sentence or ""), d, articles.file(d), str(url or articles.url(d)), start, end, str(rule or ""), confidence, articles.info.get(d, {}).get("lang", ""))
        found.setdefault((str(s), str(p).rsplit("#", 1)[-1], str(o)), []).append(item)
    for items in found.values():
        items.sort(key=lambda e: (e.document, e.start if e.start is not None else -1))
    return found


def _facts(store: GraphStore, ref: EntityRef, evidence: dict[tuple[str, str, str], list[Evidence]]) -> list[Fact]:
    node = _checked(ref.iri)
    query = PREFIXES + f"""SELECT ?dir ?p ?other ?label ?class ?date ?kind WHERE {{
      VALUES ?p {{ kg:chaired kg:attended kg:spokeAt kg:organized kg:launched kg:implements kg:holdsPost kg:subOrganizationOf kg:memberOf kg:locatedIn }}
      {{ {node} ?p ?other . BIND ("out" AS ?dir) }} UNION {{ ?other ?p {node} . BIND ("in" AS ?dir) }}
      OPTIONAL {{ ?other rdfs:label ?label }}
      OPTIONAL {{ ?other a ?cls . FILTER (STRSTARTS(STR(?cls), "{KG_NS}")) BIND (STRAFTER(STR(?cls), "#") AS ?class) }}
      OPTIONAL {{ ?other kg:date ?date }} OPTIONAL {{ ?other kg:eventType ?kind }}
    }}"""
    facts: dict[tuple[str, str, str], Fact] = {}
    for direction, p, other, label, cls, date, kind in store.select(query).rows:
        name = str(p).rsplit("#", 1)[-1]
        other_ref = EntityRef(str(other), local_id(str(other)), str(label or local_id(str(other))), str(cls or ""))
        key = (ref.iri, name, str(other)) if direction == "out" else (str(other), name, ref.iri)
        if (direction, name, str(other)) not in facts:
            facts[(direction, name, str(other))] = Fact(name, str(direction), other_ref, evidence.get(key, []), other_date=str(date or ""), other_kind=str(kind or ""))
    return sorted(facts.values(), key=lambda f: (f.predicate, f.direction, f.other.label.lower(), f.other.id))


def _memberships(store: GraphStore, articles: Articles, member: str | None = None, body: str | None = None) -> list[PostHeld]:
    """Posts of a person (``member``) or in a body (``body``), each as one article states it."""
    anchor = f"?m org:member {_checked(member)} . BIND ({_checked(member)} AS ?person)" if member else f"?m org:organization {_checked(body or '')} ; org:member ?person ."
    query = PREFIXES + f"""SELECT ?person ?personLabel ?title ?org ?orgLabel ?stated ?doc WHERE {{
      {anchor}
      ?m kg:postTitle ?title ; kg:document ?doc .
      OPTIONAL {{ ?person rdfs:label ?personLabel }}
      OPTIONAL {{ ?m org:organization ?org . OPTIONAL {{ ?org rdfs:label ?orgLabel }} }}
      OPTIONAL {{ ?m kg:statedOn ?stated }}
    }}"""
    rows = []
    for person, person_label, title, org, org_label, stated, doc in store.select(query).rows:
        d = doc_id(str(doc))
        date, key = articles.dated(stated, d)
        holder = EntityRef(str(person), local_id(str(person)), str(person_label or local_id(str(person))), "Person")
        body_ref = EntityRef(str(org), local_id(str(org)), str(org_label or local_id(str(org))), "Organization") if org else None
        rows.append(PostHeld(str(title), body_ref, holder, date, key, d, articles.file(d), articles.url(d)))
    if member:  # posts without a named body are literal titles on the person (their article is in extraction.json only)
        for (title,) in store.select(PREFIXES + f"SELECT DISTINCT ?title WHERE {{ {_checked(member)} kg:postTitle ?title }}").rows:
            if not any(r.title == str(title) and r.body is None for r in rows):
                holder = rows[0].holder if rows else EntityRef(member, local_id(member), local_id(member), "Person")
                rows.append(PostHeld(str(title), None, holder, "undated", "~", "", "", ""))
    return sorted(rows, key=lambda r: (r.sort_key, r.holder.label, r.title, r.body.label if r.body else "", r.document))


def _attach_post_evidence(posts: list[PostHeld], evidence: dict[tuple[str, str, str], list[Evidence]]) -> None:
    for post in posts:
        if post.body is not None:
            post.evidence = [e for e in evidence.get((post.holder.iri, "holdsPost", post.body.iri), []) if e.document == post.document]


# --------------------------------------------------------------------------- profile


def profile(store: GraphStore, entity: EntityRef | str, records: list[dict[str, Any]] | None = None) -> Profile:
    """Everything the graph says about ``entity`` (a ref or a name), with evidence; ``records``: extraction.json."""
    ref = entity if isinstance(entity, EntityRef) else find_entity(store, entity)
    node = _checked(ref.iri)
    articles = _articles(store, records)
    result = Profile(ref)
    names = store.select(PREFIXES + f"SELECT DISTINCT ?name (LANG(?name) AS ?lang) WHERE {{ {node} skos:altLabel ?name }}").rows
    result.names = sorted((str(n), str(lang or "")) for n, lang in names)
    attributes = store.select(PREFIXES + f"""SELECT ?p ?value ?valueLabel WHERE {{
      VALUES ?p {{ kg:eventType kg:date kg:scope kg:province kg:locationKind kg:isMainEvent kg:reportedIn kg:attribute }}
      {node} ?p ?value . OPTIONAL {{ ?value rdfs:label ?valueLabel }} }}""").rows
    result.attributes = sorted((str(p).rsplit("#", 1)[-1], _shown(value, label)) for p, value, label in attributes)
    evidence = _evidence(store, ref.iri, articles)
    result.facts = _facts(store, ref, evidence)
    if ref.type == "Person":
        result.posts = _memberships(store, articles, member=ref.iri)
        _attach_post_evidence(result.posts, evidence)
        _date_posts_without_body(result.posts, ref, records or [], articles)
    for fact in result.facts:
        if fact.predicate == "holdsPost" and fact.direction == "out":
            fact.post = "; ".join(sorted({p.title for p in result.posts if p.body and p.body.iri == fact.other.iri}))
    if ref.type == "Organization":
        result.holders = _memberships(store, articles, body=ref.iri)
        _attach_post_evidence(result.holders, evidence)
    docs = store.select(PREFIXES + f"SELECT DISTINCT ?d WHERE {{ {{ {node} kg:mentionedIn ?d }} UNION {{ {node} kg:reportedIn ?d }} }}").rows
    mentioned = sorted({doc_id(str(d)) for (d,) in docs} | {e.document for f in result.facts for e in f.evidence})
    result.documents = [{"id": d, "file": articles.file(d), "url": articles.url(d), "lang": articles.info.get(d, {}).get("lang", ""), "year": articles.info.get(d, {}).get("year", "")} for d in mentioned]
    result.merge = merge_reasons(ref, records) if records else None
    return result


def _date_posts_without_body(posts: list[PostHeld], ref: EntityRef, records: list[dict[str, Any]], articles: Articles) -> None:
    """A post with no named body is a bare title in graph.ttl; extraction.json says which article gave it."""
    for post in [p for p in posts if p.body is None and not p.document]:
        docs = [str(r.get("doc", "")).rsplit(".", 1)[0] for r in records for e in r.get("entities", []) if e.get("id") == ref.id and any(q.get("title") == post.title and not q.get("org") for q in e.get("posts", []))]
        if docs:
            post.document = docs[0]
            post.file, post.url = articles.file(docs[0]), articles.url(docs[0])
            post.date, post.sort_key = articles.dated(None, docs[0])
    posts.sort(key=lambda r: (r.sort_key, r.holder.label, r.title, r.body.label if r.body else "", r.document))


def _shown(value: Any, label: Any) -> str:
    """An attribute value as text: a linked node by its label (articles by id), booleans as true/false."""
    if label is not None:
        return doc_id(str(value)) if str(value).startswith(DOC_BASE) else str(label)
    if isinstance(value, bool):
        return str(value).lower()
    return doc_id(str(value)) if str(value).startswith(DOC_BASE) else str(value)


def merge_reasons(ref: EntityRef, records: list[dict[str, Any]]) -> list[str]:
    """Why the mentions of ``ref`` became one entity, in sentences, from extraction.json.

    Mentions in one article resolve to one entity when their names agree
    (``kg.extract.resolve``); across articles, entities merge when their name
    keys agree and no posts contradict it (``kg.corpus.merge``). For persons the
    romanised reading of each spelling is shown, so a wrong merge is visible.
    """
    from kg.corpus.review import name_readings, profiles, review_items
    from kg.extract.name_reading import name_agreement

    found = profiles(records).get(ref.id)
    if found is None:
        return []
    lines = []
    per_doc: dict[str, list[str]] = {}
    for record in records:
        for entity in record.get("entities", []):
            if entity.get("id") == ref.id:
                doc = str(record.get("doc", "")).rsplit(".", 1)[0]
                per_doc[doc] = [f"{m} ({record.get('lang', '')})" for m in entity.get("mentions", [])]
    if len(per_doc) > 1:
        lines.append(f"Read in {len(per_doc)} articles and merged into one {ref.type.lower()}: " + "; ".join(f"{doc}: {', '.join(names) or 'no name mention'}" for doc, names in sorted(per_doc.items())))
    elif per_doc:
        doc, names = next(iter(per_doc.items()))
        lines.append(f"Read in one article ({doc}) as {', '.join(names)}." if names else f"Made from one article ({doc}) without a name mention" + (": its main event." if ref.type == "Event" else "."))
    if ref.type == "Person":
        readings = [(text, lang, reading) for (text, lang), reading in zip(sorted(found.names), name_readings(found)) if reading]
        spellings = sorted({" ".join(s.latin for s in r) for _, _, r in readings})
        if readings:
            lines.append("Romanised readings: " + "; ".join(f"{text} ({lang}) → {' '.join(s.latin for s in r)}" for text, lang, r in readings) + ".")
        if len(spellings) > 1:
            score = min(name_agreement(a, b) for _, _, a in readings for _, _, b in readings)
            lines.append(f"Spelling variants {' / '.join(spellings)} were merged: every syllable is compatible (name agreement {score:.2f}; Arabic does not write most vowels).")
        elif len(per_doc) > 1 or len(readings) > 1:
            lines.append("Every spelling reads as the same name, and no posts in different provinces at one date keep them apart.")
        for item in review_items(records):
            if ref.id in (item.a, item.b) and item.a != item.b:
                other = item.b if item.a == ref.id else item.a
                lines.append(f"Kept apart from {other} (score {item.score:.2f}): {item.reason}. To merge them: kg judge {item.a} same {item.b} --judgements FILE")
    elif len(per_doc) > 1:
        lines.append("Their names give the same key (the English label after normalising, qualified by province for local bodies).")
    return lines
