"""Stanza's NER model over the project's own token lists: the pipeline, and a tagger that feeds it tokens.

One ``stanza.Pipeline`` per model, created on first use and cached; it runs
with ``tokenize_pretokenized=True`` (the tokens of ``kg.extract.tokenize``, so
offsets map back exactly) and ``download_method=None`` (nothing is fetched at
run time). ``TokenTagger`` gives (label, first token, last token) spans;
which of those become mentions is ``kg.extract.ner.stanza_backend``'s
decision.

A model trained with ``--no_pretrain`` loads with empty pretrain and charlm
paths (without them Stanza's NER processor would build no model at all).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from kg.extract.ner.models import ModelChoice, minimal_resources_dir


def make_pipeline(choice: ModelChoice):  # noqa: ANN201 - stanza.Pipeline
    import stanza

    logging.getLogger("stanza").setLevel(logging.WARNING)
    resources_dir = choice.resources_dir or minimal_resources_dir(choice.lang)

    def opt(path: Path | None) -> str:
        return str(path) if path else ""

    return stanza.Pipeline(
        lang=choice.lang,
        dir=str(resources_dir),
        processors="tokenize,ner",
        tokenize_pretokenized=True,
        ner_model_path=str(choice.path),
        ner_pretrain_path=opt(choice.pretrain),
        ner_forward_charlm_path=opt(choice.forward_charlm),
        ner_backward_charlm_path=opt(choice.backward_charlm),
        download_method=None,
        use_gpu=False,
        logging_level="WARN",
    )


@lru_cache(maxsize=None)
def cached_pipeline(choice: ModelChoice):  # noqa: ANN201
    return make_pipeline(choice)



TAG_BATCH = 64  # sentences per forward pass (of similar length: little padding)
TAGGER_VARIANTS = ("pipeline", "direct", "int8")
DEFAULT_VARIANT = "direct"


class TokenTagger:
    """Stanza's NER model applied to lists of tokens, with the least the Stanza API needs.

    ``pipeline``: the whole ``stanza.Pipeline`` (builds a Document, its tokens
    and words, then the data loader). ``direct``: the NER processor's own
    trainers fed the token lists through Stanza's data loader (no Document),
    sentences sorted by length into batches of ``TAG_BATCH``, in
    ``torch.inference_mode``. ``int8``: ``direct`` with the LSTM and linear
    layers dynamically quantised to int8. All three decode tags the same way
    (``decode_from_bioes``, as ``Sentence.build_ents``).
    """

    def __init__(self, pipeline, variant: str = DEFAULT_VARIANT) -> None:  # noqa: ANN001
        if variant not in TAGGER_VARIANTS:
            raise ValueError(f"unknown tagger variant {variant!r}; use one of {', '.join(TAGGER_VARIANTS)}")
        self.pipeline = pipeline
        self.variant = variant
        processor = pipeline.processors["ner"]
        self.trainers = processor.trainers
        self.configs = processor.configs
        if variant == "int8":
            import torch

            for trainer in self.trainers:
                trainer.model = torch.ao.quantization.quantize_dynamic(trainer.model, {torch.nn.LSTM, torch.nn.Linear}, dtype=torch.qint8)
        if variant != "pipeline":
            for trainer in self.trainers:
                trainer.model.eval()
                for crit in trainer.model.crits:
                    crit.forward = transitions_only.__get__(crit)

    def tag(self, sentences: list[list[str]]) -> list[list[tuple[str, int, int]]]:
        """(label, first token, last token) of each entity of each sentence."""
        if self.variant == "pipeline":
            doc = self.pipeline(sentences)
            return [[(ent.type, ent.tokens[0].id[0] - 1, ent.tokens[-1].id[-1] - 1) for ent in tagged.ents] for tagged in doc.sentences]
        import torch
        from stanza.models.ner.utils import decode_from_bioes, merge_tags

        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        ordered = [sentences[i] for i in order]
        predictions = []
        with torch.inference_mode():
            for trainer, config in zip(self.trainers, self.configs):
                loader = token_loader_class()(ordered, TAG_BATCH, config, vocab=trainer.vocab, evaluation=True, preprocess_tags=False, bert_tokenizer=trainer.model.bert_tokenizer)
                tags: list = []
                for batch in loader:
                    tags += predict(trainer, batch)
                predictions.append(tags)
        merged = [merge_tags(*tags) for tags in zip(*predictions)]
        result: list[list[tuple[str, int, int]]] = [[] for _ in sentences]
        for position, index in enumerate(order):
            result[index] = [(e["type"], e["start"], e["end"]) for e in decode_from_bioes(merged[position])]
        return result


def transitions_only(crit, inputs, masks, tag_indices):  # noqa: ANN001, ANN201
    """A CRF layer's forward without its loss: decoding needs only the transitions."""
    return inputs.new_zeros(()), crit._transitions


def predict(trainer, batch) -> list[list[str]]:  # noqa: ANN001
    """``stanza.models.ner.trainer.Trainer.predict``, with one Viterbi pass for the whole batch."""
    from stanza.models.common.utils import unsort
    from stanza.models.common.vocab import VOCAB_PREFIX_SIZE
    from stanza.models.ner.trainer import fix_singleton_tags, unpack_batch

    device = next(trainer.model.parameters()).device
    inputs, orig_idx, word_orig_idx, char_orig_idx, sentlens, wordlens, charlens, charoffsets = unpack_batch(batch, device)
    word, wordchars, wordchars_mask, chars, tags = inputs
    _, logits, trans = trainer.model(word, wordchars, wordchars_mask, tags, word_orig_idx, sentlens, wordlens, chars, charoffsets, charlens, char_orig_idx)
    paths = [viterbi_batch(x.cpu().numpy(), y.cpu().numpy(), sentlens) for x, y in zip(logits, trans)]
    predict_tagset = trainer.args["predict_tagset"]
    sequences = []
    for i in range(len(sentlens)):
        columns = [[x if x >= VOCAB_PREFIX_SIZE else VOCAB_PREFIX_SIZE for x in column[i]] for column in paths]
        unmapped = trainer.vocab["tag"].unmap(list(zip(*columns)))
        sequences.append(fix_singleton_tags([x[predict_tagset] if isinstance(x, list) else x for x in unmapped]))
    return unsort(sequences, orig_idx)


def viterbi_batch(scores, transitions, lengths: list[int]) -> list[list[int]]:  # noqa: ANN001
    """Best tag paths of a batch (``scores``: batch × length × tags), as ``stanza.models.common.crf.viterbi_decode``
    computes them one sentence at a time: the same float32 sums, maxima and first-maximum ties."""
    import numpy as np

    batch, longest, _ = scores.shape
    trellis = np.empty_like(scores)
    backpointers = np.zeros(scores.shape, dtype=np.int32)
    trellis[:, 0] = scores[:, 0]
    for t in range(1, longest):
        v = trellis[:, t - 1, :, None] + transitions[None]
        trellis[:, t] = scores[:, t] + v.max(axis=1)
        backpointers[:, t] = v.argmax(axis=1)
    paths = []
    for i, length in enumerate(lengths):
        path = [int(trellis[i, length - 1].argmax())]
        for t in range(length - 1, 0, -1):
            path.append(int(backpointers[i, t, path[-1]]))
        path.reverse()
        paths.append(path)
    return paths


@lru_cache(maxsize=None)
def token_loader_class():  # noqa: ANN201 - a stanza DataLoader subclass, made on first use
    from stanza.models.ner.data import DataLoader

    class TokenLoader(DataLoader):
        """Stanza's NER data loader reading lists of token texts instead of a Document."""

        def _load_doc(self, doc, scheme):  # noqa: ANN001, ANN202
            return [[[word, (None,)] for word in sentence] for sentence in doc]

    return TokenLoader


@lru_cache(maxsize=None)
def cached_tagger(choice: ModelChoice, variant: str) -> TokenTagger:
    return TokenTagger(make_pipeline(choice) if variant == "int8" else cached_pipeline(choice), variant)


def tagger_variant() -> str:
    """The tagger variant: ``$KG_STANZA_TAGGER`` (for benchmarks), else the fastest with no loss of F1."""
    import os

    return os.environ.get("KG_STANZA_TAGGER", DEFAULT_VARIANT)
