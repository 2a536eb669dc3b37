"""Latency of each canned query on generated graphs of 10^4, 10^5, 10^6 triples, rdflib vs pyoxigraph.

    python bench/bench_query.py                      # 10^4 10^5 10^6; rdflib only up to --rdflib-max
    python bench/bench_query.py --sizes 10000 --repeat 3

The graphs have the shape of ``kg build`` output (persons holding posts in
bodies through org:Membership, events they chair/attend/speak at with one
kg:Assertion per fact, campaigns launched and implemented), with random but
seeded structure. Each query runs with its parameter empty (the whole graph)
with a common name part ("name": Nguyen, Le, Ha Tinh: many entities) and
with one entity's whole label ("one") (names bound to IRIs through the store's label index,
built once per store and timed apart); the table gives the median of
--repeat runs in milliseconds. rdflib is skipped above --rdflib-max triples (default 10^5:
loading 10^6 triples into rdflib alone takes minutes and several GB here) and
an rdflib query still running after --rdflib-budget seconds is stopped and
shown as ">budget"; both are printed as such in the table.

The last column times the command a user types on a store made by ``kg load``
(``kg query STORE QUERY -p name=… --format json``, one process per run, start-up
included) for the one-entity parameters; ``--no-cli`` leaves it out.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.explore.query import canned_queries, load_store  # noqa: E402

KG = "https://w3id.org/kg-vn/ontology#"
ID = "https://w3id.org/kg-vn/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ORG = "http://www.w3.org/ns/org#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SYLLABLES = "an binh chau dung duong hai hoa hung lan linh minh nam ngoc quang son thanh tuan van viet xuan".split()
FAMILY = "nguyen tran le pham hoang vu vo dang bui do ho ngo duong ly".split()
PROVINCES = "ha-tinh ninh-binh lao-cai nghe-an thanh-hoa quang-binh hai-phong can-tho".split()


def generate(triples: int, seed: int = 7) -> str:
    """N-Triples text of about ``triples`` triples."""
    rng = random.Random(seed)
    lines: list[str] = []
    add = lambda s, p, o: lines.append(f"<{s}> <{p}> {o} .")  # noqa: E731
    iri = lambda x: f"<{x}>"  # noqa: E731
    lit = lambda x, t=None: f'"{x}"' + (f"^^<{XSD}{t}>" if t else "")  # noqa: E731
    persons = max(10, triples // 40)
    bodies = [f"{ID}{p}-provincial-party-committee-{i}" for p in PROVINCES for i in range(max(1, persons // 200))]
    events = [f"{ID}e-{i}" for i in range(max(5, persons // 4))]
    campaigns = [f"{ID}campaign-{i}" for i in range(max(3, persons // 50))]
    for b in bodies:
        add(b, RDF + "type", iri(KG + "Organization"))
        add(b, RDFS + "label", lit(b.rsplit("/", 1)[1].replace("-", " ").title()))
    for e in events:
        add(e, RDF + "type", iri(KG + "Event"))
        add(e, RDFS + "label", lit("Conference " + e.rsplit("-", 1)[1]))
        add(e, KG + "eventType", lit("conference"))
        add(e, KG + "date", lit(f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "date"))
    for c in campaigns:
        add(c, RDF + "type", iri(KG + "Campaign"))
        add(c, RDFS + "label", lit("Emulation movement " + c.rsplit("-", 1)[1]))
        add(rng.choice(bodies), KG + "implements", iri(c))
    n = 0
    while len(lines) < triples:
        person = f"{ID}p{n}"
        name = f"{rng.choice(FAMILY).title()} {rng.choice(SYLLABLES).title()} {rng.choice(SYLLABLES).title()} {n}"
        doc = f"{ID}doc/d{n % 997}"
        add(person, RDF + "type", iri(KG + "Person"))
        add(person, RDFS + "label", lit(name))
        add(person, KG + "mentionedIn", iri(doc))
        body = rng.choice(bodies)
        add(person, KG + "holdsPost", iri(body))
        membership = f"{ID}membership/m{n}"
        for p, o in ((RDF + "type", iri(ORG + "Membership")), (ORG + "member", iri(person)), (ORG + "organization", iri(body)), (KG + "postTitle", lit(rng.choice(["Secretary", "Deputy Secretary", "Chairman", "Member"]))), (KG + "statedOn", lit("2024-05-01", "date")), (KG + "document", iri(doc))):
            add(membership, p, o)
        if n % 50 == 0:
            add(person, KG + "launched", iri(rng.choice(campaigns)))
        for k in range(2):
            event, predicate = rng.choice(events), rng.choice(["chaired", "attended", "attended", "spokeAt"])
            add(person, KG + predicate, iri(event))
            fact = f"{ID}assertion/a{n}-{k}"
            for p, o in ((RDF + "type", iri(KG + "Assertion")), (RDF + "subject", iri(person)), (RDF + "predicate", iri(KG + predicate)), (RDF + "object", iri(event)), (KG + "document", iri(doc)), (KG + "sentenceText", lit(f"{name} {predicate} the conference.")), (KG + "startOffset", lit(0, "integer")), (KG + "endOffset", lit(9, "integer"))):
                add(fact, p, o)
        n += 1
    return "\n".join(lines) + "\n"


def one_entity(store, query: str) -> dict:
    """Parameters naming one entity by its whole label: the selective case (``PARAMS`` match many)."""
    iri = {"officials_of_body": f"{ID}{PROVINCES[0]}-provincial-party-committee-0", "campaigns": f"{ID}campaign-1"}.get(query, f"{ID}p7")
    label = store.select(f"SELECT ?l WHERE {{ <{iri}> <{RDFS}label> ?l }}").rows[0][0]
    name = {"officials_of_body": "body", "campaigns": "campaign", "evidence": "subject"}.get(query, "person")
    return {name: label}


PARAMS = {"officials_of_body": {"body": "Ha Tinh"}, "events_of_official": {"person": "Nguyen"}, "co_attendance": {"person": "Tran Minh"}, "campaigns": {"campaign": "movement 1"}, "posts_of_person": {"person": "Le "}, "evidence": {"predicate": "chaired", "subject": "Pham"}}


def _timed(store, name: str, params: dict, pipe) -> None:
    started = time.perf_counter()
    rows = len(store.run(name, params).rows)
    pipe.send((time.perf_counter() - started, rows))


def time_query(store, name: str, params: dict, repeat: int, budget_s: float) -> tuple[float | None, int, bool]:
    """Median milliseconds and rows; (None, 0, True) when a run passed ``budget_s`` (rdflib runs in a
    forked child, killed at the budget: it cannot be interrupted in-process; Oxigraph runs here, as
    forking a process holding 10^6 triples costs more than the query)."""
    times, rows = [], 0
    if store.name == "oxigraph":
        for _ in range(repeat):
            started = time.perf_counter()
            rows = len(store.run(name, params).rows)
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000, rows, False
    context = multiprocessing.get_context("fork")
    for _ in range(repeat):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_timed, args=(store, name, params, send))
        child.start()
        if not receive.poll(budget_s) or not child.is_alive() and not receive.poll(0):
            child.kill()
            child.join()
            return None, 0, True
        seconds, rows = receive.recv()
        child.join()
        times.append(seconds)
    return statistics.median(times) * 1000, rows, False


def time_cli(store_dir: Path, name: str, params: dict, repeat: int) -> float:
    """Median wall-clock milliseconds of ``kg query`` on the store, a fresh process each run.

    As a user runs it: Python may keep its compiled modules (an environment
    that sets PYTHONDONTWRITEBYTECODE would otherwise have every run compile
    kg again, some 25 ms), and one untimed run first writes them.
    """
    command = [sys.executable, "-m", "kg.cli", "query", str(store_dir), name, "--format", "json"]
    for key, value in params.items():
        command += ["-p", f"{key}={value}"]
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for run in range(repeat + 1):
        started = time.perf_counter()
        done = subprocess.run(command, check=False, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], env=environment)
        if run:
            times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"kg query failed: {done.stderr.strip()[-500:]}")
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib-max", type=int, default=10**5, help="largest graph rdflib is run on")
    parser.add_argument("--rdflib-budget", type=float, default=30.0, help="seconds; a slower rdflib query is not repeated")
    parser.add_argument("--no-cli", action="store_true", help="do not time `kg query` on a kg load store")
    args = parser.parse_args()
    print(f"{'triples':>9}  {'query':<20} {'param':<5} {'rows':>7}  {'rdflib ms':>11}  {'oxigraph ms':>11}  {'speed-up':>8}  {'CLI on store ms':>15}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"g{size}.nt"
            path.write_text(generate(size), encoding="utf-8")
            stores = {}
            for name in ("rdflib", "oxigraph"):
                if name == "rdflib" and size > args.rdflib_max:
                    continue
                started = time.perf_counter()
                stores[name] = load_store(path, name)
                loaded = time.perf_counter() - started
                started = time.perf_counter()
                labels = len(stores[name].label_index()) if stores[name].binds_names else 0  # built once, before the timed runs
                print(f"# {size:,} triples: {name} loaded {len(stores[name]):,} triples in {loaded:.1f} s; label index of {labels:,} labels in {time.perf_counter() - started:.2f} s", flush=True)
            store_dir = Path(tmp) / f"store{size}"
            if not args.no_cli:
                from kg.explore.store import load as kg_load

                info = kg_load(path, store_dir)
                print(f"# {size:,} triples: kg load made a store of {info.quads:,} quads in {info.seconds:.1f} s", flush=True)
            for query in canned_queries():
                for label, params in (("all", {}), ("name", PARAMS.get(query, {})), ("one", one_entity(stores["oxigraph"], query))):
                    cells, rows = {}, 0
                    for name, store in stores.items():
                        ms, got, slow = time_query(store, query, params, args.repeat, args.rdflib_budget if name == "rdflib" else 600.0)
                        cells[name] = ms
                        rows = got if not slow else rows
                    rdflib_ms, oxigraph_ms = cells.get("rdflib"), cells["oxigraph"]
                    rdflib_cell = "skipped" if "rdflib" not in cells else (f">{args.rdflib_budget * 1000:,.0f}" if rdflib_ms is None else f"{rdflib_ms:,.1f}")
                    ratio = f"{rdflib_ms / max(oxigraph_ms, 1e-3):,.0f}x" if rdflib_ms is not None and oxigraph_ms is not None else ""
                    cli = f"{time_cli(store_dir, query, params, args.repeat):,.1f}" if label == "one" and not args.no_cli else ""
                    print(f"{size:>9,}  {query:<20} {label:<5} {rows:>7}  {rdflib_cell:>11}  {oxigraph_ms:>11,.1f}  {ratio:>8}  {cli:>15}", flush=True)
    print(f"(medians of {args.repeat}; >N = stopped after N ms; rdflib skipped above {args.rdflib_max:,} triples)")


if __name__ == "__main__":
    main()
