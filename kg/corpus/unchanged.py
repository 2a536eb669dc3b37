"""A rebuild with nothing changed: recognised before any work, answered from the last build.

A build that used the article cache leaves ``last-build.json`` beside it: a
key over everything its outputs were made from (every source's fingerprint in
corpus order, the per-article phase's version for each language it read, the
package's code, the judgements, the formats, the output folder) and the size
and modification time of each output file. The next build with the same key,
whose outputs are still the files it wrote, keeps them and reports the counts
it recorded: no article is read from the cache, nothing is merged or written.
Any difference (one article touched, a judgement added, a file replaced
by hand) is a full build as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.corpus.cache import PACKAGE, ExtractorVersion, digest_files

MANIFEST = "last-build.json"
FORMAT = "kg-last-build/1"


def build_key(version: ExtractorVersion, langs: Sequence[str], fingerprints: Sequence[str], judgements: Sequence[Any], formats: Sequence[str], out_dir: Path) -> str:
    digest = hashlib.sha256()
    parts = [FORMAT, str(Path(out_dir).resolve()), ",".join(formats), digest_files(list(PACKAGE.rglob("*.py")), PACKAGE)]
    parts += [f"{lang}:{version(lang)}" for lang in sorted(langs)]
    parts += [f"{j.a}\t{j.verdict}\t{j.b}" for j in judgements]
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for fingerprint in fingerprints:
        digest.update(fingerprint.encode() + b"\n")
    return digest.hexdigest()


def file_stamp(path: Path) -> list[int] | None:
    try:
        stat = os.stat(path)  # through the output link to the build folder's file
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def read_manifest(cache_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((Path(cache_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def outputs_intact(manifest: dict[str, Any]) -> bool:
    """Whether every output the manifest names is still the file the build wrote."""
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return False
    return all(isinstance(item, dict) and file_stamp(Path(str(item.get("path")))) == item.get("stamp") for item in outputs.values())


def langs_of(manifest: dict[str, Any] | None) -> list[str]:
    langs = (manifest or {}).get("langs")
    return [str(lang) for lang in langs] if isinstance(langs, list) else []


def write_manifest(cache_dir: Path, key: str, langs: Sequence[str], report: Any) -> None:
    """Record the build just made (best effort: a manifest that cannot be written only costs the next build its shortcut)."""
    data = {
        "format": FORMAT,
        "key": key,
        "langs": sorted(langs),
        "documents": report.documents,
        "entities": dict(sorted(report.entities.items())),
        "relations": dict(sorted(report.relations.items())),
        "triples": report.triples,
        "warnings": list(report.warnings),
        "outputs": {name: {"path": str(path), "stamp": file_stamp(path)} for name, path in report.outputs.items()},
    }
    path = Path(cache_dir) / MANIFEST
    staged = path.with_name(path.name + ".tmp")
    try:
        staged.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(staged, path)
    except OSError:
        staged.unlink(missing_ok=True)


def forget(cache_dir: Path) -> None:
    """No shortcut for the next build (this one is about to change the outputs)."""
    try:
        (Path(cache_dir) / MANIFEST).unlink(missing_ok=True)
    except OSError:
        pass
