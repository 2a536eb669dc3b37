"""The exploration commands as a user types them: query --print/--width, viz, export, timeline, projection, serve."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_explore_entities import RICH_TTL

from kg.cli import main
from kg.explore.serve import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "graph.ttl"
    path.write_text(RICH_TTL, encoding="utf-8")
    return path


def kg(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_query_print_binds_parameters_without_a_graph(graph_file):
    printed = kg("query", "officials_of_body", "--print", "-p", 'body=Ha "Tinh"')
    assert printed.exit_code == 0, printed.output
    assert 'VALUES ?body { "Ha \\"Tinh\\"" }' in printed.output and printed.output.lstrip().startswith("# Officials of a body")
    assert kg("query", graph_file, "officials_of_body", "--print").output == (ROOT / "ontology/queries/officials_of_body.rq").read_text(encoding="utf-8")
    bad = kg("query", "officials_of_body", "--print", "-p", "person=x")
    assert bad.exit_code == 2 and "unknown parameter" in bad.output


def test_query_width_and_list(graph_file):
    wide = kg("query", graph_file, "officials_of_body", "--width", "0")
    narrow = kg("query", graph_file, "officials_of_body", "--width", "8")
    assert "Ha Tinh Provincial Party Committee" in wide.output
    assert "Ha Tinh\u2026" in narrow.output and "Ha Tinh P" not in narrow.output
    listing = kg("query", "--list").output
    assert "co_attendance -p person=..." in listing and "slower" not in listing
    assert kg("query", graph_file.with_name("missing.ttl"), "campaigns").output.startswith("error: ")


def test_viz_refuses_to_overwrite_the_build_page(graph_file, tmp_path):
    refused = kg("viz", graph_file)
    assert refused.exit_code == 2 and "give --out" in refused.output
    assert not graph_file.with_suffix(".html").exists()
    written = kg("viz", graph_file, "--out", tmp_path / "all.html", "--min-degree", "0", "--entity-pages", "http://127.0.0.1:7878/entity/")
    assert written.exit_code == 0 and "/entity/le-thi-binh" in (tmp_path / "all.html").read_text(encoding="utf-8")
    ego = kg("viz", graph_file, "--focus", "Le Thi Binh")
    assert ego.exit_code == 0 and graph_file.with_name("graph-le-thi-binh.html").exists()


def test_export_refuses_a_format_the_suffix_contradicts(graph_file, tmp_path):
    result = kg("export", graph_file, "--format", "graphml", "--out", tmp_path / "g.ttl")
    assert result.exit_code == 2 and "means turtle, not graphml" in result.output


def test_timeline_command(graph_file):
    table = kg("timeline", graph_file, "Nguyen Van An")
    assert table.exit_code == 0 and table.output.startswith("Nguyen Van An (person)")
    assert re.search(r"2023-10-09 +Secretary +Ha Tinh Provincial Party Committee +d1", table.output)
    rows = json.loads(kg("timeline", graph_file, "ha-tinh-pc", "--format", "json").output)
    assert [(r["date"], r["person"], r["post"]) for r in rows] == [("2023-10-09", "Nguyen Van An", "Secretary"), ("2024 (year of the article)", "Le Thi Binh", "Deputy Secretary"), ("undated", "Nguyen Van An", "Secretary")]
    assert kg("timeline", graph_file, "date,post", "--format", "csv").exit_code == 2
    csv_out = kg("timeline", graph_file, "Le Thi Binh", "--format", "csv").output
    assert csv_out.splitlines()[0] == "date,post,body,article,file,url,sentence"


def test_projection_command(graph_file, tmp_path):
    table = kg("projection", graph_file, "co-attendance")
    assert table.exit_code == 0
    assert table.output.startswith("co-attendance: 3 persons, 3 ties; most ties: Le Thi Binh 2, Nguyen Van An 2, Tran Quoc Cuong <script> 2")
    assert re.search(r"Le Thi Binh +Nguyen Van An +2 +Conference in Ha Tinh; Congress in Ha Tinh", table.output)
    written = kg("projection", graph_file, "same-body", "--out", tmp_path / "bodies.graphml")
    assert written.exit_code == 0 and "same-body: 3 persons, 1 tie" in written.output and (tmp_path / "bodies.graphml").exists()
    assert kg("projection", graph_file, "co-attendance", "--out", tmp_path / "x.pdf").exit_code == 2


def test_serve_help_and_readme_agree_on_the_engines():
    help_text = " ".join(kg("serve", "--help").output.split())
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for text in (help_text, readme):
        assert "python: worker processes over pyoxigraph; auto: oxigraph when its binary is installed, else python" in text
        assert "YASGUI" in text


def test_serve_banner_names_every_page(graph_file):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(graph_file), "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Ctrl-C"):
                break
        banner = "".join(lines)
        assert f"http://127.0.0.1:{port}/query" in banner and f"http://127.0.0.1:{port}/entities" in banner and f"http://127.0.0.1:{port}/graph" in banner
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/entity/le-thi-binh", timeout=30) as response:
            assert "Deputy Secretary" in response.read().decode("utf-8")
        if "oxigraph" in banner.splitlines()[0]:
            assert f"query page (YASGUI):       http://127.0.0.1:{port}/" in banner
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C: kg serve stops the SPARQL server behind the pages too
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, process.stderr.read()


def test_time_filters_on_query_projection_and_viz(graph_file, tmp_path):
    assert "Nguyen Van An" in kg("query", graph_file, "co_attendance", "--since", "2023").output
    late = kg("query", graph_file, "co_attendance", "--since", "2099", "--format", "csv")
    assert late.exit_code == 0 and late.output.strip().count("\n") == 0  # the header only
    bad = kg("query", graph_file, "co_attendance", "--since", "9 Oct")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    assert ", 0 ties;" in kg("projection", graph_file, "co-attendance", "--since", "2099").output
    page = tmp_path / "late.html"
    assert kg("viz", graph_file, "--out", page, "--since", "2099").exit_code == 0 and page.exists()
