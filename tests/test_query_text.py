"""kg.explore.query_text: canned query files, parameters checked, bound as literals (no store needed)."""

from __future__ import annotations

import re

import pytest

from kg.explore.query_text import QueryError, bind_as_literals, canned_queries, check_params, resolve_query, sparql_string


def test_the_six_canned_queries_exist_and_declare_their_parameters():
    queries = canned_queries()
    assert set(queries) >= {"officials_of_body", "events_of_official", "co_attendance", "campaigns", "posts_of_person", "evidence"}
    for q in queries.values():
        assert q.description and q.params
        for name in q.params:  # projected, so pyoxigraph can substitute it
            assert f"?{name}" in q.text.split("WHERE")[0]


def test_query_descriptions_are_for_users():
    for q in canned_queries().values():
        text = " ".join([q.description, *q.params.values()]).lower()
        assert not re.search(r"\d+x slower|rdflib|oxigraph|implementation", text), (q.name, text)


def test_query_files_are_read_and_a_missing_one_is_named(tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    assert resolve_query(f"@{rq}") == ("SELECT * WHERE { ?s ?p ?o }", None)
    with pytest.raises(QueryError, match="missing.rq: cannot read"):
        resolve_query(f"@{tmp_path / 'missing.rq'}")
    with pytest.raises(QueryError, match="no canned query named 'nope'"):
        resolve_query("nope")


def test_a_string_literal_cannot_be_ended_by_its_value():
    assert sparql_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    for value in ('x") } DROP ALL #', 'end\\', "two\nlines"):
        literal = sparql_string(value)
        inner = literal[1:-1]
        assert not re.search(r'(?<!\\)(?:\\\\)*"', inner), literal  # no unescaped quote inside


def test_parameters_must_be_variables_the_query_takes():
    with pytest.raises(QueryError, match="not a SPARQL variable name"):
        check_params("SELECT ?x WHERE { ?x ?p ?o }", {"x y": 1}, None)
    with pytest.raises(QueryError, match="not a variable of the query"):
        check_params("SELECT ?x WHERE { ?x ?p ?o }", {"person": "a"}, None)
    with pytest.raises(QueryError, match="this query takes: body"):
        check_params("", {"person": "a"}, {"body"})
    check_params("SELECT ?x WHERE { ?x ?p ?o }", {"o": "a"}, None)


def test_binding_opens_the_where_clause_outside_comments():
    text = bind_as_literals("# WHERE { in a comment\nSELECT ?s WHERE { ?s ?p ?o }", {"o": 'say "hi"'})
    assert text == '# WHERE { in a comment\nSELECT ?s WHERE {\n  VALUES ?o { "say \\"hi\\"" }\n ?s ?p ?o }'
    with pytest.raises(QueryError, match="no WHERE"):
        bind_as_literals("ASK { ?s ?p ?o }", {"o": "x"})
