"""The rdf stage: valid, deterministic, escaped, SHACL-conformant output with per-article provenance."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from kg.graph import namespace as ns
from kg.model import Document, Entity, Evidence, Extraction, Mention, Post, Relation, Sentence
from kg.graph.namespace import DOC, GRAPH, ID, KG, ORG, RDF, RDFS, SKOS
from kg.graph.rdf import build_dataset, entity_iri, segment, to_trig, to_turtle

# event ids contain the document id, so "_" is percent-encoded in their IRIs
E_HI = entity_iri("e-001_hi-conference")
E_AR = entity_iri("e-002_ar-conference")

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
README = ROOT / "ontology" / "README.md"

HI_TEXT = "कॉमरेड गुयेन वान आन ने सम्मेलन की अध्यक्षता की। प्रांतीय पार्टी समिति ने सम्मेलन का आयोजन किया।"
AR_TEXT = "ترأس الرفيق تران فان بينه المؤتمر في نينه بينه."


# ---------------------------------------------------------------- tiny factory


def sentence_of(doc: Document, index: int = 0) -> Sentence:
    parts = re.split(r"(?<=[।.])\s*", doc.text)
    start = 0
    for i, part in enumerate(parts):
        start = doc.text.index(part, start)
        if i == index:
            return Sentence(doc.id, index, start, start + len(part), part)
        start += len(part)
    raise IndexError(index)


def relation(doc: Document, s: str, p: str, o: str, surface: str, index: int = 0, **extra) -> Relation:
    sentence = sentence_of(doc, index)
    start = doc.text.index(surface)
    evidence = Evidence(doc.id, index, start, start + len(surface), sentence.text, f"rule:{p}", 0.9, doc.source_url)
    return Relation(s, p, o, evidence, **extra)


def mention(doc: Document, surface: str, type_: str, index: int = 0) -> Mention:
    start = doc.text.index(surface)
    return Mention(doc.id, index, start, start + len(surface), surface, type_, "test")


def make_extraction(person_label: str = "Nguyen Van An", alt: str | None = None) -> Extraction:
    hi = Document("001_hi", "seeds/001_hi.txt", "hi", HI_TEXT, "https://example.org/a?x=1&y=\"2\"", 2023)
    ar = Document("002_ar", "seeds/002_ar.txt", "ar", AR_TEXT, None, None)
    an = Entity(
        "nguyen-van-an",
        "Person",
        person_label,
        mentions=[mention(hi, "गुयेन वान आन", "Person")],
        alt_labels={("गुयेन वान आन", "hi"), (alt, "hi")} if alt else {("गुयेन वान आन", "hi")},
        posts=[
            Post("Secretary", "ninh-binh-provincial-party-committee", hi.id, "2023-10-09"),
            Post("Deputy Head", None, hi.id, None),
        ],
    )
    binh = Entity(
        "tran-van-binh", "Person", "Tran Van Binh",
        mentions=[mention(ar, "تران فان بينه", "Person")], alt_labels={("تران فان بينه", "ar")},
    )
    committee = Entity(
        "ninh-binh-provincial-party-committee", "Organization", "Provincial Party Committee of Ninh Binh",
        mentions=[mention(hi, "प्रांतीय पार्टी समिति", "Organization", 1)],
        alt_labels={("प्रांतीय पार्टी समिति", "hi")}, attrs={"scope": "local", "province": "ninh-binh"},
    )
    ninh_binh = Entity("ninh-binh", "Location", "Ninh Binh", mentions=[mention(ar, "نينه بينه", "Location")],
                       alt_labels={("نينه بينه", "ar")}, attrs={"kind": "province"})
    conf_hi = Entity("e-001_hi-conference", "Event", "Conference in Ninh Binh on 2023-10-09",
                     attrs={"event_type": "conference", "doc": hi.id, "main": "true", "date": "2023-10-09",
                            "province": "ninh-binh"})
    conf_ar = Entity("e-002_ar-conference", "Event", "Conference", attrs={"event_type": "conference", "doc": ar.id,
                                                                        "main": "true", "date": "--10-09"})
    campaign = Entity("study-and-follow-ho-chi-minh", "Campaign", "Studying and following Ho Chi Minh's example")
    relations = [
        relation(hi, "nguyen-van-an", "chaired", "e-001_hi-conference", "अध्यक्षता"),
        relation(hi, "ninh-binh-provincial-party-committee", "organized", "e-001_hi-conference", "आयोजन", 1),
        relation(hi, "nguyen-van-an", "holdsPost", "ninh-binh-provincial-party-committee", "गुयेन वान आन",
                 post="Secretary"),
        relation(hi, "ninh-binh-provincial-party-committee", "locatedIn", "ninh-binh", "प्रांतीय", 1),
        relation(hi, "ninh-binh-provincial-party-committee", "implements", "study-and-follow-ho-chi-minh", "समिति", 1),
        relation(ar, "tran-van-binh", "chaired", "e-002_ar-conference", "ترأس"),
        relation(ar, "e-002_ar-conference", "locatedIn", "ninh-binh", "نينه بينه"),
    ]
    entities = sorted([an, binh, committee, ninh_binh, conf_hi, conf_ar, campaign], key=lambda e: e.id)
    relations.sort(key=lambda r: (r.subject, r.predicate, r.object))
    sentences = {d.id: [sentence_of(d, 0)] for d in (hi, ar)}
    return Extraction([hi, ar], sentences, entities, relations)


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return make_extraction()


@pytest.fixture(scope="module")
def turtle(extraction) -> str:
    return to_turtle(extraction)


@pytest.fixture(scope="module")
def trig(extraction) -> str:
    return to_trig(extraction)


def oxigraph_count(data: str, fmt) -> int:
    return len(list(pyoxigraph.parse(data.encode("utf-8"), fmt)))


# ------------------------------------------------------------------- parsing


def test_factory_offsets_point_at_the_surface(extraction):
    docs = {d.id: d for d in extraction.documents}
    for r in extraction.relations:
        assert docs[r.evidence.doc_id].text[r.evidence.start:r.evidence.end]


def test_turtle_parses_with_rdflib_and_oxigraph_to_the_same_triples(turtle):
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(graph) > 50
    assert oxigraph_count(turtle, pyoxigraph.RdfFormat.TURTLE) == len(graph)
    store = pyoxigraph.Store()
    store.load(turtle.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(graph)


def test_trig_parses_with_rdflib_and_oxigraph_to_the_same_quads(extraction, trig, turtle):
    dataset = rdflib.Dataset().parse(data=trig, format="trig")
    rdflib_quads = len(list(dataset.quads((None, None, None, None))))
    built = build_dataset(extraction)
    assert rdflib_quads == len(list(built.quads((None, None, None, None))))
    assert oxigraph_count(trig, pyoxigraph.RdfFormat.TRIG) == rdflib_quads
    # merging the graphs of the dataset gives exactly the Turtle graph
    merged = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    assert merged == set(rdflib.Graph().parse(data=turtle, format="turtle"))


def test_no_blank_nodes_and_only_safe_instance_iris(turtle):
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    for triple in graph:
        for term in triple:
            assert not isinstance(term, rdflib.BNode)
            if isinstance(term, URIRef) and str(term).startswith(str(ID)):
                assert re.fullmatch(r"[a-z0-9/_%A-Z-]+", str(term)[len(str(ID)):]), term


def test_one_named_graph_per_article_holds_its_facts(extraction):
    dataset = build_dataset(extraction)
    names = {g.identifier for g in dataset.graphs() if isinstance(g.identifier, URIRef)}
    assert {GRAPH["001_hi"], GRAPH["002_ar"]} <= names
    hi = dataset.graph(GRAPH["001_hi"])
    ar = dataset.graph(GRAPH["002_ar"])
    assert (ID["nguyen-van-an"], KG.chaired, E_HI) in hi
    assert (ID["nguyen-van-an"], KG.chaired, E_HI) not in ar
    assert (ID["tran-van-binh"], KG.chaired, E_AR) in ar
    assert len(set(hi.subjects(RDF.type, KG.Assertion))) == 5
    assert len(set(ar.subjects(RDF.type, KG.Assertion))) == 2
    default = dataset.default_graph if hasattr(dataset, "default_graph") else dataset.graph(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)
    assert (ID["nguyen-van-an"], RDF.type, KG.Person) in default
    assert (ID["nguyen-van-an"], SKOS.altLabel, Literal("गुयेन वान आन", lang="hi")) in default
    assert (ID["nguyen-van-an"], KG.chaired, E_HI) not in default


def test_memberships_and_posts(extraction):
    graph = rdflib.Graph().parse(data=to_turtle(extraction), format="turtle")
    memberships = list(graph.subjects(RDF.type, ORG.Membership))
    assert len(memberships) == 1
    m = memberships[0]
    assert graph.value(m, ORG.member) == ID["nguyen-van-an"]
    assert graph.value(m, ORG.organization) == ID["ninh-binh-provincial-party-committee"]
    assert graph.value(graph.value(m, ORG.role), RDFS.label) == Literal("Secretary", lang="en")
    assert graph.value(m, KG.statedOn) == Literal("2023-10-09", datatype=ns.XSD.date)
    assert graph.value(m, KG.document) == DOC["001_hi"]
    assert str(m).startswith("https://w3id.org/kg-vn/id/membership/")
    # a post without a body stays a title, stated in the article's graph
    assert (ID["nguyen-van-an"], KG.postTitle, Literal("Deputy Head", lang="en")) in graph


def test_entity_attributes(turtle):
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    event = E_AR
    assert graph.value(event, KG.date) == Literal("--10-09", datatype=ns.XSD.gMonthDay)
    assert graph.value(E_HI, KG.date) == Literal("2023-10-09", datatype=ns.XSD.date)
    assert graph.value(event, KG.reportedIn) == DOC["002_ar"]
    assert graph.value(ID["ninh-binh-provincial-party-committee"], KG.province) == ID["ninh-binh"]
    assert str(graph.value(ID["ninh-binh"], KG.locationKind)) == "province"


# ------------------------------------------------------------- determinism


def test_byte_identical_on_two_calls(extraction):
    assert to_turtle(extraction) == to_turtle(make_extraction())
    assert to_trig(extraction) == to_trig(make_extraction())


def test_byte_identical_across_hash_seeds(turtle, trig):
    code = (
        "import sys; sys.path.insert(0, 'tests'); from test_rdf import make_extraction; "
        "from kg.graph.rdf import to_turtle, to_trig; e = make_extraction(); "
        "sys.stdout.buffer.write((to_turtle(e) + '\\0' + to_trig(e)).encode('utf-8'))"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True)
        outputs.add(done.stdout)
    assert outputs == {(turtle + "\0" + trig).encode("utf-8")}


# ------------------------------------------------------------------ escaping

HOSTILE = [
    'He said "hi" \\ bye',
    "line one\nline two\r\n\ttabbed",
    "<script>alert('x')</script> & </head>",
    "\u200fعربي\u200e mixed \u202eevil\u202c",
    "trailing backslash \\",
    '"""triple quotes"""',
    "emoji 😀 and NUL-free \x01\x7f controls",
    "@prefix x: <http://evil/> . # not a comment",
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_names_round_trip(label):
    extraction = make_extraction(person_label=label, alt=label)
    turtle = to_turtle(extraction)
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert graph.value(ID["nguyen-van-an"], RDFS.label) == Literal(label)
    assert Literal(label, lang="hi") in set(graph.objects(ID["nguyen-van-an"], SKOS.altLabel))
    store = pyoxigraph.Store()
    store.load(turtle.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
    values = {q.object.value for q in store.quads_for_pattern(pyoxigraph.NamedNode(str(ID["nguyen-van-an"])),
                                                             pyoxigraph.NamedNode(str(RDFS.label)), None)}
    assert values == {label}
    assert len(store) == len(graph)
    # invisible bidi controls never appear raw in the file
    assert "\u202e" not in turtle and "\u200f" not in turtle


def test_lone_surrogates_do_not_break_the_output():
    turtle = to_turtle(make_extraction(person_label="bad \ud800 text"))
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert graph.value(ID["nguyen-van-an"], RDFS.label) == Literal("bad \ufffd text")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_text_round_trips(label):
    turtle = to_turtle(make_extraction(person_label=label))
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert graph.value(ID["nguyen-van-an"], RDFS.label) == Literal(label)
    assert oxigraph_count(turtle, pyoxigraph.RdfFormat.TURTLE) == len(graph)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_segments_are_safe_and_injective(a, b):
    sa, sb = segment(a), segment(b)
    assert re.fullmatch(r"[a-z0-9%A-F-]+", sa)
    if a != b:
        assert sa != sb


def test_hostile_entity_ids_are_sanitised():
    extraction = make_extraction()
    extraction.entities.append(Entity("Evil Id/<x>\"?#", "Location", "Evil"))
    extraction.relations.append(
        relation(extraction.documents[1], "e-002_ar-conference", "locatedIn", "Evil Id/<x>\"?#", "المؤتمر")
    )
    iri = entity_iri("Evil Id/<x>\"?#")
    assert re.fullmatch(r"https://w3id\.org/kg-vn/id/[A-Za-z0-9%-]+", str(iri))
    turtle = to_turtle(extraction)
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert graph.value(iri, RDFS.label) == Literal("Evil")
    assert oxigraph_count(turtle, pyoxigraph.RdfFormat.TURTLE) == len(graph)
    assert entity_iri("") != entity_iri("-") and entity_iri("a" * 500) != entity_iri("a" * 501)


# --------------------------------------------------------------------- SHACL


def validate(data: rdflib.Graph):
    from pyshacl import validate as shacl

    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    ontology = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    conforms, _, text = shacl(data, shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=True)
    return conforms, text


def test_generated_graph_conforms_to_the_shapes(turtle):
    conforms, text = validate(rdflib.Graph().parse(data=turtle, format="turtle"))
    assert conforms, text


@pytest.mark.parametrize(
    "breakage",
    [
        "second_label",
        "wrong_subject_class",
        "confidence_out_of_range",
        "offset_not_integer",
        "membership_without_org",
        "start_after_end",
        "assertion_without_its_fact",
    ],
)
def test_broken_graphs_do_not_conform(turtle, breakage):
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    an = ID["nguyen-van-an"]
    assertion = next(graph.subjects(RDF.type, KG.Assertion))
    if breakage == "second_label":
        graph.add((an, RDFS.label, Literal("Another Name")))
    elif breakage == "wrong_subject_class":  # a campaign cannot chair an event
        graph.add((ID["study-and-follow-ho-chi-minh"], KG.chaired, E_HI))
    elif breakage == "confidence_out_of_range":
        graph.set((assertion, KG.confidence, Literal("1.5", datatype=ns.XSD.decimal)))
    elif breakage == "offset_not_integer":
        graph.set((assertion, KG.startOffset, Literal("twelve")))
    elif breakage == "membership_without_org":
        membership = next(graph.subjects(RDF.type, ORG.Membership))
        graph.remove((membership, ORG.organization, None))
    elif breakage == "start_after_end":
        graph.set((assertion, KG.startOffset, Literal(10**6)))
    elif breakage == "assertion_without_its_fact":
        fact = (graph.value(assertion, RDF.subject), graph.value(assertion, RDF.predicate),
                graph.value(assertion, RDF.object))
        graph.remove(fact)
    conforms, _ = validate(graph)
    assert not conforms


# ----------------------------------------------------------- evidence query


def readme_query() -> str:
    match = re.search(r"```sparql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert match, "ontology/README.md must contain a ```sparql block"
    return match.group(1)


def test_readme_evidence_query_returns_the_sentence(extraction, trig, turtle):
    query = readme_query()
    expected_sentence = sentence_of(extraction.documents[0], 0).text
    # rdflib, on the dataset with its named graphs
    rows = list(build_dataset(extraction).query(query))
    hits = {(str(r.personLabel), str(r.sentence), str(r.document)) for r in rows}
    assert ("Nguyen Van An", expected_sentence, str(DOC["001_hi"])) in hits
    assert ("Tran Van Binh", sentence_of(extraction.documents[1], 0).text, str(DOC["002_ar"])) in hits
    # pyoxigraph, on the TriG file
    store = pyoxigraph.Store()
    store.load(trig.encode("utf-8"), pyoxigraph.RdfFormat.TRIG)
    ox_rows = {(r["personLabel"].value, r["sentence"].value, r["document"].value) for r in store.query(query)}
    assert ox_rows == hits
    start = next(int(r.start) for r in rows if str(r.personLabel) == "Nguyen Van An")
    end = next(int(r.end) for r in rows if str(r.personLabel) == "Nguyen Van An")
    assert extraction.documents[0].text[start:end] == "अध्यक्षता"


def test_known_officials_carry_their_vietnamese_name_and_namesakes_do_not() -> None:
    from kg.extract.officials import vietnamese_name

    assert vietnamese_name("Luong Cuong") == "Lương Cường"
    assert vietnamese_name("Truong Thi Mai", ["Standing Member"]) == "Trương Thị Mai"
    assert vietnamese_name("Truong Thi Mai", ["Chairwoman of the Commune Women's Union"]) is None  # a namesake
    assert vietnamese_name("Le Thi Binh") is None  # never guessed for others


# ------------------------------------------------------------- streamed Turtle


@pytest.mark.parametrize("run_size", [1, 3, 7, 1_000_000])
@pytest.mark.parametrize("slice_subjects, slice_chars", [(2, 1 << 15), (1_000, 400)])
def test_streamed_turtle_is_the_same_bytes_whatever_the_runs(extraction, run_size, slice_subjects, slice_chars, monkeypatch):
    """Spilled to sorted runs (written in slices of 2 subjects, or of about 400 characters) and merged, or sorted at once: the bytes of the in-memory writer."""
    import io

    from kg.graph.rdf import statements, triples
    from kg.graph.turtle import serialize_turtle
    from kg.graph.turtle_stream import write_turtle

    monkeypatch.setattr("kg.graph.turtle_stream.RUN_SLICE", slice_subjects)
    monkeypatch.setattr("kg.graph.turtle_stream.SLICE_CHARS", slice_chars)

    handle = io.StringIO()
    stream = [(s, p, o) for s, p, o, _ in statements(extraction, graphs=False)]
    count = write_turtle(stream + stream[:5], handle, run_size=run_size)  # repeats across runs are written once
    assert handle.getvalue() == serialize_turtle(triples(extraction))
    assert count == len(triples(extraction))


def test_streamed_turtle_of_nothing_is_the_prefixes():
    import io

    from kg.graph.turtle import serialize_turtle
    from kg.graph.turtle_stream import write_turtle

    handle = io.StringIO()
    assert write_turtle([], handle) == 0
    assert handle.getvalue() == serialize_turtle([])


def test_the_two_parts_of_the_graph_are_the_graph(extraction):
    """graph.ttl may be made by two processes, one part each: together they hold every triple, and only those."""
    from kg.graph.rdf import graph_part, triples
    from kg.graph.view import ExtractionView

    view = ExtractionView(extraction)
    entities, relations = set(graph_part(view, "entities")), set(graph_part(view, "relations"))
    assert entities and relations and entities != relations
    assert entities | relations == triples(extraction)
