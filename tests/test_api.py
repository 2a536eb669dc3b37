"""kg.api (the notebook API) and notebooks/explore.ipynb run end to end."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from test_query import SMALL_TTL

from kg import api

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "graph.ttl"
    path.write_text(SMALL_TTL, encoding="utf-8")
    return path


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_sparql_gives_dataframes(graph_file, store):
    g = api.load_graph(graph_file, store=store)
    frame = api.sparql(g, "officials_of_body", body="Ha Tinh")
    assert list(frame["personLabel"]) == ["Nguyen Van An"]
    free = api.sparql(g, "SELECT ?l WHERE { ?p a kg:Person ; rdfs:label ?l } ORDER BY ?l")  # prefixes added
    assert list(free["l"]) == ["Le Thi Binh", "Nguyen Van An", "Tran Quoc Cuong <script>"]
    assert api.sparql(g, "evidence", subject='") } #').empty


def test_networkx_and_inline_view(graph_file):
    g = api.load_graph(graph_file)
    nxg = api.to_networkx(g)
    assert isinstance(nxg, nx.MultiDiGraph) and nxg.nodes["e-d1"]["type"] == "Event"
    shown = api.show(g, focus="Le Thi Binh", hops=1).data
    assert shown.startswith("<div><iframe srcdoc=") and "<script>" not in shown  # the page is an escaped attribute
    assert set(api.queries()["name"]) >= {"evidence", "co_attendance"}


def _kernel_available() -> bool:
    try:
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
        from jupyter_client.kernelspec import KernelSpecManager

        return "python3" in KernelSpecManager().find_kernel_specs()
    except Exception:  # noqa: BLE001 - any missing piece means: skip
        return False


def test_notebook_is_committed_without_outputs():
    notebook = json.loads((ROOT / "notebooks" / "explore.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None


@pytest.mark.notebook
@pytest.mark.skipif(not _kernel_available(), reason="nbclient/nbformat or a python3 Jupyter kernel is missing (pip install nbclient ipykernel)")
def test_notebook_runs(tmp_path, monkeypatch):
    """As a user runs it: jupyter nbconvert --execute (nbclient when nbconvert is missing); no errors, the four figures drawn."""
    monkeypatch.setenv("KG_NOTEBOOK_OUT", str(tmp_path / "out"))
    monkeypatch.setenv("KG_NER", "rules")
    import nbformat

    source = ROOT / "notebooks" / "explore.ipynb"
    if importlib.util.find_spec("nbconvert") is not None:
        executed = tmp_path / "executed.ipynb"
        run = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300", str(source), "--output", str(executed)],
                             cwd=ROOT / "notebooks", capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr[-3000:]
        notebook = nbformat.read(executed, as_version=4)
    else:
        from nbclient import NotebookClient

        notebook = nbformat.read(source, as_version=4)
        NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    noise = ["".join(o.get("text", "")) for o in outputs if o.get("name") == "stderr"]
    assert not noise, noise  # a clean run: no warnings (tqdm's IProgress, IPython's IFrame hint)
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 4  # officials per body, timeline, network, degrees
    html_outputs = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<iframe srcdoc=" in h for h in html_outputs)
    tables = "".join(h for h in html_outputs if "<table" in h)
    assert "https://w3id.org/kg-vn/id/" not in tables  # tables show labels (and prefixed names), not IRIs


def test_the_explore_extra_brings_a_jupyter_front_end_and_the_plotting_stack():
    extra = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("explore = [", 1)[1].split("]", 1)[0]
    for package in ("notebook", "nbconvert", "matplotlib", "scipy", "ipykernel", "pandas"):
        assert f'"{package}>=' in extra
    for module in ("notebook", "nbconvert", "matplotlib", "scipy"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed here (pip install -e '.[explore]')")
    version = subprocess.run([sys.executable, "-m", "notebook", "--version"], capture_output=True, text=True, timeout=120)
    assert version.returncode == 0 and version.stdout.strip()


def test_every_function_takes_a_path_an_rdflib_graph_or_a_loaded_graph(graph_file):
    import rdflib

    for graph in (graph_file, str(graph_file), rdflib.Graph().parse(graph_file), api.load_graph(graph_file, store="oxigraph")):
        assert list(api.sparql(graph, "officials_of_body", body="Ha Tinh")["personLabel"]) == ["Nguyen Van An"]
        assert api.to_networkx(graph).number_of_nodes() == 6
        assert api.co_attendance(graph).number_of_edges() == 3
        assert list(api.timeline(graph, "Nguyen Van An")["post"]) == ["Secretary"]
        assert "Nguyen Van An" in api.entity(graph, "Nguyen Van An").data


def test_projections_and_centralities(graph_file):
    g = api.load_graph(graph_file)
    people = api.co_attendance(g)
    assert isinstance(people, nx.Graph) and not people.is_multigraph()
    table = api.centrality(people)
    assert list(table.columns) == ["label", "id", "degree", "weighted_degree", "pagerank", "eigenvector"]
    assert set(table["degree"]) == {2} and abs(table["pagerank"].sum() - 1) < 1e-6
    assert api.centrality(api.to_networkx(g), top=1)["label"][0] == "Conference in Ha Tinh"  # a MultiDiGraph goes through simple_graph
    assert api.same_body(g).number_of_edges() == 0
    assert "ties" in api.show(people).data
    frame = api.sparql(g, "posts_of_person", labels=True)
    assert frame["person_iri"][0] == "id:nguyen-van-an"


def test_co_attendance_between_dates(graph_file):
    graph = api.load_graph(graph_file)
    assert api.co_attendance(graph, since="2023").number_of_edges() > 0
    assert api.co_attendance(graph, since="2099").number_of_edges() == 0
    with pytest.raises(ValueError):
        api.co_attendance(graph, until="yesterday")
