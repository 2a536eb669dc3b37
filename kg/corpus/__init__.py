"""Per-corpus stages: what needs every article at once.

Cross-article merge (blocking, the user's judgements, stable ids) and the
build that runs extraction over a corpus and writes the outputs.
"""
