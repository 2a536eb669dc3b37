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
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.corpus.cache import ExtractorVersion, package_digest

MANIFEST = "last-build.json"
FORMAT = "kg-last-build/1"


def build_key(version: ExtractorVersion, langs: Sequence[str], fingerprints: Sequence[str], judgements: Sequence[Any], formats: Sequence[str], out_dir: Path) -> str:
    digest = hashlib.sha256()
    parts = [FORMAT, str(Path(out_dir).resolve()), ",".join(formats), package_digest()]
    parts += [f"{lang}:{version(lang)}" for lang in sorted(langs)]
    parts += [f"{j.a}\t{j.verdict}\t{j.b}" for j in judgements]
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for fingerprint in fingerprints:
        digest.update(fingerprint.encode() + b"\n")
    return digest.hexdigest()


RACY_NS = 2_000_000_000  # a file stamped this close to the last build's stamping may have changed since, unseen at the same stamp


@dataclass
class Fingerprints:
    """The sources' fingerprints, and the stamps of their files, taken before any file was read."""

    values: list[str]
    files: dict[str, list]  # path -> [size, mtime_ns, fingerprint]
    stamped_ns: int  # when the stamps were taken
    reread: int  # files whose recorded stamp could not be trusted: read again


def fingerprints_of(sources: Sequence[Any], last: dict[str, Any] | None) -> Fingerprints:
    """Each source's fingerprint; a file whose size and modification time are those the last build recorded keeps its fingerprint unread.

    As ``make`` and ``git`` do: a rebuild of 10^4 unchanged articles stats them
    instead of hashing 30 MB. A file is stamped before it is read, so one that
    changes during the build differs from its record next time; one modified
    within two seconds of the last stamping is read again, whatever its stamp.
    """
    stamped = time.time_ns()
    known: dict[str, list] = last["files"] if last is not None else {}
    trusted_before = last["stamped_ns"] - RACY_NS if last is not None else 0
    values: list[str] = []
    files: dict[str, list] = {}
    reread = 0
    for source in sources:
        if source.row:  # a dump's record: its fields are at hand
            values.append(source.fingerprint())
            continue
        stamp = file_stamp(Path(source.path))
        entry = known.get(source.path)
        if stamp is not None and entry is not None and entry[:2] == stamp and entry[1] < trusted_before:
            fingerprint = entry[2]
        else:
            fingerprint = source.fingerprint()
            reread += 1
        values.append(fingerprint)
        if stamp is not None and fingerprint:
            files[source.path] = stamp + [fingerprint]
    return Fingerprints(values, files, stamped, reread)


def file_stamp(path: Path) -> list[int] | None:
    try:
        stat = os.stat(path)  # through the output link to the build folder's file
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def read_manifest(cache_dir: Path) -> dict[str, Any] | None:
    """The last build's record; None when absent, unreadable or not in its shape (then no shortcut is taken)."""
    try:
        data = json.loads((Path(cache_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if well_formed(data) else None


def well_formed(data: Any) -> bool:
    def ints(value: Any, n: int) -> bool:
        return isinstance(value, list) and len(value) == n and all(isinstance(v, int) and not isinstance(v, bool) for v in value)

    def counts(value: Any) -> bool:
        return isinstance(value, dict) and all(isinstance(v, int) and not isinstance(v, bool) for v in value.values())

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return False
    files, outputs = data.get("files"), data.get("outputs")
    return (
        isinstance(data.get("key"), str)
        and isinstance(data.get("stamped_ns"), int)
        and all(isinstance(data.get(k), int) for k in ("documents", "triples"))
        and counts(data.get("entities"))
        and counts(data.get("relations"))
        and isinstance(data.get("langs"), list) and all(isinstance(x, str) for x in data["langs"])
        and isinstance(data.get("warnings"), list) and all(isinstance(x, str) for x in data["warnings"])
        and isinstance(files, dict) and all(isinstance(v, list) and len(v) == 3 and ints(v[:2], 2) and isinstance(v[2], str) for v in files.values())
        and isinstance(outputs, dict) and bool(outputs)
        and all(isinstance(v, dict) and isinstance(v.get("path"), str) and ints(v.get("stamp"), 2) for v in outputs.values())
    )


def outputs_intact(manifest: dict[str, Any]) -> bool:
    """Whether every output the manifest names is still the file the build wrote."""
    return all(file_stamp(Path(item["path"])) == item["stamp"] for item in manifest["outputs"].values())


def write_manifest(cache_dir: Path, key: str, langs: Sequence[str], report: Any, fingerprints: Fingerprints) -> None:
    """Record the build just made (best effort: a manifest that cannot be written only costs the next build its shortcut)."""
    data = {
        "format": FORMAT,
        "key": key,
        "stamped_ns": fingerprints.stamped_ns,
        "files": fingerprints.files,
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
        # ASCII: a file name that is not UTF-8 holds surrogates, which JSON escapes and reads back the same.
        staged.write_text(json.dumps(data, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
        os.replace(staged, path)
    except (OSError, ValueError):
        staged.unlink(missing_ok=True)


def forget(cache_dir: Path) -> None:
    """No shortcut for the next build (this one is about to change the outputs)."""
    try:
        (Path(cache_dir) / MANIFEST).unlink(missing_ok=True)
    except OSError:
        pass
