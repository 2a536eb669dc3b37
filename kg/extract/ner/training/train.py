"""Train the project's own Stanza NER models (``kg train-ner``).

For each language the training set (``kg.extract.ner.training.data``) is
written in Stanza's JSON shape and Stanza's own trainer
(``python -m stanza.models.ner_tagger``) runs in a subprocess with

- ``--no_pretrain`` and no charlm: no external word vectors are needed or
  downloaded; the model learns word and character embeddings from the data;
- small hidden sizes, so a model is a few MB and trains in minutes on 2 CPU
  cores;
- a fixed seed (data order and trainer), CPU only, a fixed thread count, so a
  rebuild gives the same model.

The result is written to ``<out_dir>/<lang>/``: the model file
``kg-<lang>-ner-v1.pt``, a minimal ``resources.json`` (Stanza wants one in its
directory, even offline) and ``model.json`` (how it was trained: the data mix
and its sizes, steps, dev score; no clock time, so that the same seed and data
give the same bytes). Nothing is written over the target
until the trainer has finished: a failed run leaves the old model in place.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kg.extract.ner.models import minimal_resources
from kg.extract.ner.training.data import DataSet, write_stanza
from kg.extract.ner.training.generate import LABELS

SHIPPED_MODELS = Path(__file__).resolve().parents[3] / "models" / "ner"
MODEL_VERSION = "v1"
# Model size: small enough for a few MB and minutes of CPU training.
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
STEP_LINE = re.compile(r"step (\d+)/(\d+)")


class TrainingError(RuntimeError):
    """The Stanza trainer failed; the message ends with its last output."""


def model_id(lang: str) -> str:
    return f"kg-{lang}-ner-{MODEL_VERSION}"


def model_file(out_dir: Path, lang: str) -> Path:
    return out_dir / lang / f"{model_id(lang)}.pt"


def write_resources_json(lang_dir: Path, lang: str) -> Path:
    """The minimal ``resources.json`` Stanza reads before loading a model from a path."""
    path = lang_dir / "resources.json"
    path.write_text(json.dumps(minimal_resources(lang), indent=1) + "\n", encoding="utf-8")
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
        "--log_step", str(max(10, steps // 100)),
    ]
    for key, value in HYPER.items():
        command += [f"--{key}", str(value)]
    return command


TRAINING_PATHS = ("train_file", "eval_file", "save_dir")


def shrink(path: Path) -> None:
    """Drop training-only state from a saved model: the optimizer, if Stanza kept it, and the
    temporary folders its config names (they would make two trainings on the same data and
    seed differ in their bytes)."""
    import torch

    data = torch.load(path, map_location="cpu", weights_only=False)
    if not isinstance(data, dict):
        return
    data.pop("optimizer", None)
    config = data.get("config")
    if isinstance(config, dict):
        for key in TRAINING_PATHS:
            if isinstance(config.get(key), str):
                config[key] = Path(config[key]).name
    torch.save(data, path)


def run_trainer(command: list[str], env: dict[str, str], on_step: Callable[[int], None]) -> str:
    """Run Stanza's trainer, reporting each logged step; its whole output is returned."""
    lines: list[str] = []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        assert process.stdout is not None
        try:
            for line in process.stdout:
                lines.append(line)
                if match := STEP_LINE.search(line):
                    on_step(int(match.group(1)))
            process.wait()
        except BaseException:  # interrupted: the trainer must not run on, writing into a folder about to go
            process.kill()
            process.wait()
            raise
    output = "".join(lines)
    if process.returncode != 0:
        raise TrainingError(f"the Stanza trainer failed (exit {process.returncode}):\n{output[-3000:]}")
    return output


def train_language(
    data: DataSet,
    out_dir: Path,
    seed: int = 1234,
    steps: int = 1200,
    threads: int = 2,
    on_step: Callable[[int], None] = lambda step: None,
    extra_meta: dict | None = None,
) -> Path:
    """Train one language's model on ``data`` into ``out_dir/<lang>/``; returns the model path."""
    lang = data.lang
    started = time.perf_counter()
    lang_dir = Path(out_dir) / lang
    lang_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "OMP_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
        "CUDA_VISIBLE_DEVICES": "",
        "PYTHONHASHSEED": str(seed),
    }
    training = data.training(seed)
    with tempfile.TemporaryDirectory(prefix=f"kg-ner-{lang}-", dir=lang_dir) as tmp:
        work = Path(tmp)
        train = write_stanza(training, work / "data" / f"{lang}.train.json")
        dev = write_stanza(data.dev, work / "data" / f"{lang}.dev.json")
        output = run_trainer(trainer_command(lang, train, dev, work / "model", seed, steps), env, on_step)
        trained = work / "model" / f"{model_id(lang)}.pt"
        if not trained.exists():
            raise TrainingError(f"the Stanza trainer wrote no model for {lang}:\n{output[-3000:]}")
        shrink(trained)
        target = model_file(Path(out_dir), lang)
        os.replace(trained, target)
    best = re.search(r"Best dev F1 = ([0-9.]+)", output)
    scores = [float(x) for x in re.findall(r"dev_score = ([0-9.]+)", output)]
    write_resources_json(lang_dir, lang)
    meta = {
        "id": model_id(lang),
        "lang": lang,
        "labels": list(LABELS),
        "trainer": "stanza.models.ner_tagger --no_pretrain (no charlm)",
        "seed": seed,
        "steps": steps,
        "data": data.summary(),
        "hyperparameters": HYPER,
        "dev_f1": float(best.group(1)) / 100 if best else (max(scores) if scores else None),
        **(extra_meta or {}),
    }
    (lang_dir / "model.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    data.seconds = round(time.perf_counter() - started, 1)
    return target
