"""Per-article extraction: each article on its own, independent of every other.

ingest → tokenize → ner → resolve (within the article) → events → relations.
Everything here reads one article and the language resources; nothing here
looks at another article, so articles can be extracted in any order, in
parallel, and cached.
"""
