"""What a request is, decided before it runs: form, update, SERVICE, dataset clause."""

from __future__ import annotations

import pytest

from server.lexer import UpdateRequested, inspect_query


@pytest.mark.parametrize("query,form,service,dataset", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False, False),
    ("PREFIX ex: <http://x/>\nBASE <http://y/>\nask { ex:a ex:b ex:c }", "ASK", False, False),
    ("# CONSTRUCT in a comment\nDESCRIBE <http://x/>", "DESCRIBE", False, False),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False, False),
    ("SELECT * FROM <http://g/> { ?s ?p ?o }", "SELECT", False, True),
    ("SELECT * FROM NAMED <http://g/> { GRAPH ?g { ?s ?p ?o } }", "SELECT", False, True),
    ('SELECT * { ?s ?p "FROM" }', "SELECT", False, False),
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "SELECT", True, False),
    ("SELECT * { sErViCe SILENT ?endpoint { ?s ?p ?o } }", "SELECT", True, False),
    ("SELECT * { ?s ?p '''multi\nline SERVICE''' }", "SELECT", False, False),
    ('SELECT * { ?s ?p "with \\" escaped SERVICE" }', "SELECT", False, False),
    ("SELECT * { ?s <http://x/SERVICE> ?o }", "SELECT", False, False),
    ("SELECT * { ?s ex:SERVICE ?o ; :SERVICE ?x }", "SELECT", False, False),
    ("SELECT ?SERVICE { ?SERVICE ?p $service }", "SELECT", False, False),
    ('SELECT * { ?s ?p "x"@service }', "SELECT", False, False),
    ("SELECT * { ?s ?p ?o } # SERVICE <http://x/>", "SELECT", False, False),
    ("SELECT * {}\n# a comment\nSERVICE", "SELECT", True, False),  # a keyword, if misplaced
    ("", None, False, False),
    ("hello world", None, False, False),
], ids=["select", "prologue-ask", "comment-describe", "construct", "from", "from-named",
        "from-in-string", "service", "service-lower-silent", "service-long-string",
        "service-escaped-string", "service-in-iri", "service-pname", "service-variable",
        "service-langtag", "service-comment", "service-after-comment", "empty", "garbage"])
def test_inspect_query(query, form, service, dataset):
    plan = inspect_query(query)
    assert (plan.form, plan.uses_service, plan.has_dataset) == (form, service, dataset)


@pytest.mark.parametrize("update,operation", [
    ("INSERT DATA { <a> <b> <c> }", "INSERT"),
    ("PREFIX ex: <http://x/> delete where { ?s ?p ?o }", "DELETE"),
    ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("# comment\nLOAD <http://x/data.ttl>", "LOAD"),
    ("clear all", "CLEAR"), ("DROP SILENT GRAPH <g>", "DROP"), ("CREATE GRAPH <g>", "CREATE"),
    ("ADD <a> TO <b>", "ADD"), ("MOVE <a> TO <b>", "MOVE"), ("COPY <a> TO <b>", "COPY"),
], ids=["insert", "delete", "with", "load", "clear", "drop", "create", "add", "move", "copy"])
def test_updates_are_recognized(update, operation):
    with pytest.raises(UpdateRequested) as found:
        inspect_query(update)
    assert found.value.args == (operation,)


@pytest.mark.parametrize("query,depth,operators", [
    ("SELECT ?s WHERE { ?s ?p ?o }", 1, 0),
    ("ASK { { ?s ?p [ ?q ( 1 2 ) ] } UNION { FILTER(!(?x > 1 && ?y != 2)) } }", 4, 7),
    ('ASK { ?s ?p "{{{((([[[!!!" }  # {{{ ((( !!!', 1, 0),
    ("ASK { ?s <http://x/a(b)> ?o . ?s ex:a-b ?c . ?s ?p ?x-1 }", 1, 1),
    ("} } } ASK { { } }", 2, 0),
], ids=["flat", "nested", "in-string-and-comment", "in-iri-and-names", "unbalanced"])
def test_structure_is_measured_on_tokens(query, depth, operators):
    """Brackets and operators inside strings, comments, IRIs and names do not count."""
    plan = inspect_query(query)
    assert (plan.depth, plan.operators) == (depth, operators)
