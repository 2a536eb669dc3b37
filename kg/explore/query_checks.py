"""What a SPARQL query may ask before any engine sees it: how deeply it nests, whether it is federated.

Shared by the endpoint (``kg serve``) and ``kg query``: a query nested past
``MAX_NESTING`` groups crashes engines (their parsers recurse) and is refused;
a federated query (``SERVICE``) would make the engine fetch a URL, and the
endpoint refuses it unless told otherwise.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Strings, IRIs and comments hold no keywords; what is left is scanned for SERVICE.
_NOT_CODE = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|#[^\n\r]*",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![?$:\w])SERVICE(?![\w:])", re.IGNORECASE)


MAX_NESTING = 64  # groups ({ … }) one inside another: deeper queries crash engines (stack) and mean nothing


def nesting_depth(query: str) -> int:
    """The deepest nesting of ``{ }`` groups in ``query``, strings, IRIs and comments left out."""
    depth = deepest = 0
    for char in _NOT_CODE.sub(" ", query):
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth -= 1
    return deepest


class Unreadable(ValueError):
    """A query the SPARQL grammar used for the checks cannot read."""


def parse(query: str) -> object:
    """rdflib's parse tree of ``query``; ``Unreadable`` (its first line of explanation) when it cannot read it."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(query)
    except Exception as error:  # noqa: BLE001 - pyparsing's and rdflib's errors alike
        first = (str(error).splitlines() or [type(error).__name__])[0]
        raise Unreadable(first[:200]) from None


def federated_checked(query: str) -> bool:
    """Whether the parsed ``query`` has a SERVICE pattern; ``Unreadable`` when it cannot be parsed (so it cannot be vouched for)."""
    return has_service(parse(query))


def federated(query: str) -> bool:
    """Whether ``query`` has a ``SERVICE`` clause (a federated query: the engine would fetch a URL).

    Decided on the parsed query (rdflib's SPARQL grammar, which reads escapes,
    prefixed names and strings as the engines do), not on its text: a
    ``ServiceGraphPattern`` anywhere in the tree is federated. A query that
    grammar cannot read falls back to a scan of its text (codepoint escapes
    decoded; strings, IRIs and comments left out; ``?service``, ``ex:service``
    and ``service:x`` are names, not the keyword), which in doubt answers
    True: a refused query is one clear error, a fetched URL is a request
    leaving the machine.

    >>> federated("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> federated('SELECT ?service { ?service <http://x/p> "SERVICE" }')
    False
    """
    try:
        from rdflib.plugins.sparql.parser import parseQuery

        tree = parseQuery(query)
    except Exception:  # noqa: BLE001 - unreadable to the grammar: judge the text, conservatively
        decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if int(m.group(1) or m.group(2), 16) < 0x110000 else "", query)
        return _SERVICE.search(_NOT_CODE.sub(" ", decoded)) is not None
    return has_service(tree)


def has_service(node: object) -> bool:
    """Whether a parse tree of rdflib's SPARQL grammar holds a SERVICE pattern."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            pending.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            pending.extend(item)
    return False
