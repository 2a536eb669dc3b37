"""Exploring a built graph: SPARQL stores and canned queries, exports, the
read-only SPARQL server and the ``kg query / export / serve / push / viz`` commands."""
