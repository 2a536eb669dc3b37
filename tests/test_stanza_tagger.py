"""The Stanza tagger's batched decoding: the paths Stanza's own decoder finds, one sentence at a time."""

from __future__ import annotations

import numpy as np
import pytest

from kg.extract.ner.stanza_tagger import TokenTagger, viterbi_batch

crf = pytest.importorskip("stanza.models.common.crf")


def test_batched_viterbi_finds_stanzas_path_for_each_sentence_of_a_padded_batch() -> None:
    rng = np.random.default_rng(7)
    lengths = [1, 5, 9, 3]
    tags = 6
    scores = rng.normal(size=(len(lengths), max(lengths), tags)).astype(np.float32)
    transitions = rng.normal(size=(tags, tags)).astype(np.float32)
    paths = viterbi_batch(scores, transitions, lengths)
    for i, length in enumerate(lengths):
        expected, _ = crf.viterbi_decode(scores[i, :length], transitions)
        assert paths[i] == [int(tag) for tag in expected]


def test_ties_go_to_the_first_tag_as_in_stanza() -> None:
    scores = np.zeros((1, 4, 3), dtype=np.float32)
    transitions = np.zeros((3, 3), dtype=np.float32)
    expected, _ = crf.viterbi_decode(scores[0], transitions)
    assert viterbi_batch(scores, transitions, [4]) == [[int(tag) for tag in expected]] == [[0, 0, 0, 0]]


def test_an_unknown_variant_is_refused_before_any_model_is_touched() -> None:
    with pytest.raises(ValueError, match="unknown tagger variant 'fast'"):
        TokenTagger(pipeline=None, variant="fast")
