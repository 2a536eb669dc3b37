"""Train the project's own Stanza NER models (``kg train-ner``).

For each language: generate training and held-out dev sentences from the
templates (``kg.extract.ner.training.generate``), then run Stanza's own trainer
(``python -m stanza.models.ner_tagger``) in a subprocess with

- ``--no_pretrain`` and no charlm: no external word vectors are needed or
  downloaded; the model learns word and character embeddings from the data;
- small hidden sizes, so a model is about 1-3 MB and trains in a few minutes on
  2 CPU cores;
- a fixed seed (data generation and trainer), CPU only, 2 threads, so a rebuild
  gives the same model.

The result is written to ``<out_dir>/<lang>/``: the model file
``kg-<lang>-ner-v1.pt``, a minimal ``resources.json`` (Stanza wants one in its
directory, even offline) and ``model.json`` (how it was trained, dev score).
The seed articles are never used: they are the evaluation set.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.extract.ner.training.generate import LABELS, write_dataset

DEFAULT_OUT = Path(__file__).resolve().parents[3] / "models" / "ner"
MODEL_VERSION = "v1"
LANG_NAMES = {"hi": "Hindi", "ar": "Arabic"}
# Model size: small enough for < 20 MB and minutes of CPU training.
HYPER = {
    "hidden_dim": 128,
    "char_hidden_dim": 64,
    "word_emb_dim": 64,
    "char_emb_dim": 32,
    "word_dropout": 0.1,
    "dropout": 0.3,
    "batch_size": 32,
    "optim": "adam",
    "lr": 0.003,
}


def model_id(lang: str) -> str:
    return f"kg-{lang}-ner-{MODEL_VERSION}"


def model_file(out_dir: Path, lang: str) -> Path:
    return out_dir / lang / f"{model_id(lang)}.pt"


def write_resources_json(lang_dir: Path, lang: str) -> Path:
    """The minimal ``resources.json`` Stanza reads before loading a model from a path."""
    path = lang_dir / "resources.json"
    path.write_text(json.dumps({lang: {"lang_name": LANG_NAMES.get(lang, lang)}}, indent=1) + "\n", encoding="utf-8")
    return path


def trainer_command(lang: str, train: Path, dev: Path, save_dir: Path, seed: int, steps: int) -> list[str]:
    eval_interval = max(50, steps // 6)
    command = [
        sys.executable, "-m", "stanza.models.ner_tagger",
        "--mode", "train",
        "--train_file", str(train),
        "--eval_file", str(dev),
        "--shorthand", f"{lang}_kg",
        "--no_pretrain",
        "--save_dir", str(save_dir),
        "--save_name", f"{model_id(lang)}.pt",
        "--max_steps", str(steps),
        "--eval_interval", str(eval_interval),
        "--max_steps_no_improve", str(steps),
        "--seed", str(seed),
        "--cpu",
        "--log_step", str(max(20, steps // 10)),
    ]
    for key, value in HYPER.items():
        command += [f"--{key}", str(value)]
    return command


def shrink(path: Path) -> None:
    """Drop training-only state (the optimizer) from a saved model, if Stanza kept it."""
    import torch

    data = torch.load(path, map_location="cpu", weights_only=False)
    if isinstance(data, dict) and data.get("optimizer"):
        data.pop("optimizer")
        torch.save(data, path)


def train_models(
    langs: tuple[str, ...] = ("hi", "ar"),
    out_dir: Path | None = None,
    seed: int = 1234,
    sentences: int = 8000,
    dev_sentences: int = 600,
    steps: int = 1200,
    threads: int = 2,
    log=print,  # noqa: ANN001 - any callable taking one string
) -> dict[str, Path]:
    """Generate data and train one model per language; returns the model paths.

    The same arguments give the same data and (on the same machine and
    library versions) the same weights.
    """
    out_dir = Path(out_dir) if out_dir else DEFAULT_OUT
    results: dict[str, Path] = {}
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), "CUDA_VISIBLE_DEVICES": "", "PYTHONHASHSEED": str(seed)}
    for lang in langs:
        started = time.perf_counter()
        lang_dir = out_dir / lang
        lang_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f"kg-ner-{lang}-") as tmp:
            work = Path(tmp)
            train, dev = write_dataset(lang, work / "data", sentences, dev_sentences, seed)
            log(f"[{lang}] {sentences} training and {dev_sentences} dev sentences generated (seed {seed})")
            command = trainer_command(lang, train, dev, work / "model", seed, steps)
            process = subprocess.run(command, env=env, capture_output=True, text=True)
            output = process.stdout + process.stderr
            if process.returncode != 0:
                raise RuntimeError(f"Stanza trainer failed for {lang}:\n{output[-3000:]}")
            trained = work / "model" / f"{model_id(lang)}.pt"
            if not trained.exists():
                raise RuntimeError(f"Stanza trainer wrote no model for {lang}:\n{output[-3000:]}")
            shrink(trained)
            target = model_file(out_dir, lang)
            os.replace(trained, target) if trained.stat().st_dev == lang_dir.stat().st_dev else target.write_bytes(trained.read_bytes())
        scores = [float(x) for x in re.findall(r"dev_score = ([0-9.]+)", output)]
        best = re.search(r"Best dev F1 = ([0-9.]+)", output)
        write_resources_json(lang_dir, lang)
        meta = {
            "id": model_id(lang),
            "lang": lang,
            "labels": list(LABELS),
            "trainer": "stanza.models.ner_tagger --no_pretrain (no charlm)",
            "seed": seed,
            "train_sentences": sentences,
            "dev_sentences": dev_sentences,
            "steps": steps,
            "hyperparameters": HYPER,
            "dev_f1": float(best.group(1)) / 100 if best else (max(scores) if scores else None),
            "seconds": round(time.perf_counter() - started, 1),
        }
        (lang_dir / "model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        log(f"[{lang}] model {target} ({target.stat().st_size / 1e6:.1f} MB), dev F1 {meta['dev_f1']}, {meta['seconds']} s")
        results[lang] = target
    return results


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - CLI helper
    import argparse

    parser = argparse.ArgumentParser(description="Train the project's Stanza NER models.")
    parser.add_argument("--langs", default="hi,ar")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--sentences", type=int, default=8000)
    parser.add_argument("--steps", type=int, default=1200)
    args = parser.parse_args(argv)
    train_models(tuple(args.langs.split(",")), args.out, args.seed, args.sentences, steps=args.steps)


if __name__ == "__main__":
    main()
