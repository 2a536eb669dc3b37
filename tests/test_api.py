"""kg.api (the notebook API) and notebooks/explore.ipynb run end to end."""

from __future__ import annotations

import json
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
    assert shown.startswith("<iframe srcdoc=") and "<script>" not in shown  # the page is an escaped attribute
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
    monkeypatch.setenv("KG_NOTEBOOK_OUT", str(tmp_path / "out"))
    monkeypatch.setenv("KG_NER", "rules")
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("text/html" in o.get("data", {}) for o in outputs)
