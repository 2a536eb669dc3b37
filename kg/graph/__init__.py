"""Outputs of a build: the RDF graph (ontology terms, canonical Turtle), the
networkx projection and its page, and ``extraction.json``."""
