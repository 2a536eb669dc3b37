"""Scoring against gold annotations: mentions, resolution, relations, labels,
and mention scores per NER backend."""
