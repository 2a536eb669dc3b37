"""Which Stanza NER model a language uses; looked up on disk, never fetched.

First found wins:

1. an explicit path: the ``model_path`` argument, else the environment
   variable ``KG_NER_MODEL`` (a ``.pt`` file, or a directory holding
   ``<lang>/*.pt``, ``<lang>/ner/*.pt`` or ``*.pt``), else ``KG_STANZA_DIR`` (a
   Stanza resources directory: ``<dir>/<lang>/ner/*.pt``);
2. official Stanza models the user installed: ``$STANZA_RESOURCES_DIR`` or
   ``~/stanza_resources``, ``<lang>/ner/*.pt`` (with the pretrain and charlm
   files that directory's ``resources.json`` names);
3. the project's own model shipped in the package: ``kg/models/ner/<lang>/``
   (trained by ``kg train-ner``, no pretrained vectors, no charlm).

Stanza wants a ``resources.json`` in the directory it loads from; the shipped
models carry a minimal one, and a temporary one is written for a bare model file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "models" / "ner"
ENV_MODEL = "KG_NER_MODEL"
ENV_STANZA_DIR = "KG_STANZA_DIR"
LANG_NAMES = {"hi": "Hindi", "ar": "Arabic"}


class ModelNotFound(Exception):
    """No Stanza NER model for a language."""


@dataclass(frozen=True)
class ModelChoice:
    """A resolved model: the file, the directory Stanza loads from, where it came from."""

    lang: str
    path: Path
    origin: str  # "explicit", "official" or "shipped"
    model_id: str
    resources_dir: Path | None = None  # a directory with resources.json, if there is one
    pretrain: Path | None = None
    forward_charlm: Path | None = None
    backward_charlm: Path | None = None

    def describe(self) -> str:
        return f"stanza {self.model_id} ({self.origin}: {self.path})"

    @property
    def filters(self) -> str:
        """How much of the model's output the backend trusts: ``strict`` or ``open``.

        A model trained on real articles says ``"filters": "open"`` in its
        ``model.json`` (chosen by cross-validation); any other model, the
        official ones included, gets the strict filters.
        """
        meta = self.path.parent / "model.json"
        try:
            value = json.loads(meta.read_text(encoding="utf-8")).get("filters")
        except (OSError, ValueError, AttributeError):
            return "strict"
        return value if value in ("strict", "open") else "strict"


# -- model resolution -----------------------------------------------------


def find_model_file(path: Path, lang: str) -> Path | None:
    """A .pt NER model for ``lang`` at ``path`` (a file or a directory)."""
    if path.is_file():
        return path
    if not path.is_dir():
        return None
    for folder in (path / lang, path / lang / "ner", path / "ner", path):
        if folder.is_dir():
            models = sorted(p for p in folder.glob("*.pt") if "pretrain" not in p.name and "charlm" not in p.name)
            if models:
                return models[0]
    return None


def stanza_resources_dir() -> Path:
    return Path(os.environ.get("STANZA_RESOURCES_DIR") or Path.home() / "stanza_resources")


def model_id_for(path: Path) -> str:
    meta = path.parent / "model.json"
    if meta.exists():
        try:
            return json.loads(meta.read_text(encoding="utf-8"))["id"]
        except (ValueError, KeyError):
            pass
    return path.stem


def official_choice(root: Path, lang: str, origin: str) -> ModelChoice | None:
    """An installed Stanza model: ``<root>/<lang>/ner/*.pt`` plus its pretrain/charlm files."""
    ner_dir = root / lang / "ner"
    model = find_model_file(ner_dir, lang) if ner_dir.is_dir() else None
    if model is None:
        return None

    def first(kind: str) -> Path | None:
        folder = root / lang / kind
        files = sorted(folder.glob("*.pt")) if folder.is_dir() else []
        return files[0] if files else None

    resources = root if (root / "resources.json").exists() else None
    return ModelChoice(
        lang, model, origin, f"{lang}-{model.stem}", resources,
        pretrain=first("pretrain"), forward_charlm=first("forward_charlm"), backward_charlm=first("backward_charlm"),
    )


def resolve_model(lang: str, model_path: Path | str | None = None) -> ModelChoice:
    """The model ``lang`` uses: explicit path or env var, then official, then shipped."""
    explicit = model_path or os.environ.get(ENV_MODEL)
    if explicit:
        path = find_model_file(Path(explicit), lang)
        if path is None:
            raise ModelNotFound(f"no Stanza NER model for {lang!r} at {explicit}")
        resources = path.parent if (path.parent / "resources.json").exists() else None
        return ModelChoice(lang, path, "explicit", model_id_for(path), resources)
    if os.environ.get(ENV_STANZA_DIR):
        choice = official_choice(Path(os.environ[ENV_STANZA_DIR]), lang, "explicit")
        if choice is None:
            raise ModelNotFound(f"no Stanza NER model for {lang!r} under ${ENV_STANZA_DIR}={os.environ[ENV_STANZA_DIR]}")
        return choice
    choice = official_choice(stanza_resources_dir(), lang, "official")
    if choice is not None:
        return choice
    shipped = find_model_file(SHIPPED_DIR / lang, lang)
    if shipped is not None:
        return ModelChoice(lang, shipped, "shipped", model_id_for(shipped), shipped.parent)
    raise ModelNotFound(f"no Stanza NER model for {lang!r} (set {ENV_MODEL}, install a Stanza model, or run `kg train-ner`)")


def describe_model(lang: str, model_path: Path | str | None = None) -> str:
    """Which model ``lang`` would use, in words (for ``kg build``)."""
    try:
        return resolve_model(lang, model_path).describe()
    except ModelNotFound as error:
        return f"none ({error})"


# -- pipeline ---------------------------------------------------------------


def minimal_resources(lang: str) -> dict:
    """The least ``resources.json`` Stanza reads before it loads a model from a path."""
    return {lang: {"lang_name": LANG_NAMES.get(lang, lang)}}


def minimal_resources_dir(lang: str) -> Path:
    """A temporary directory holding only a minimal resources.json."""
    folder = Path(tempfile.mkdtemp(prefix="kg-stanza-"))
    (folder / "resources.json").write_text(json.dumps(minimal_resources(lang)), encoding="utf-8")
    return folder


