"""Review: the uncertain entity pairs of a build, for the user to judge.

``kg review out/extraction.json`` reads a build's output and lists, with their
evidence and a score,

- separate persons whose names block together (same consonant skeleton) and
  agree at least partly: namesakes kept apart by contradicting posts, or
  spellings the syllable table reads as different names (ترونج Truong /
  त्रुंग Trung);
- entities that merged spelling variants the table did not know, so a
  wrong automatic merge can be undone.

Pairs the judgements file already decides (same, different or unsure) are not
listed again. ``kg judge A same B`` appends a decision to that file; the next
``kg build --judgements FILE`` applies it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from kg.corpus.judgements import VERDICTS, Judgement, JudgementError, append_judgement, load_judgements
from kg.graph.extraction_file import RecordError, read_records
from kg.extract.name_reading import name_agreement, name_syllables, skeleton_key
from kg.extract.translit import latin_skeleton

REVIEW_BELOW = 1.0  # merged clusters whose spellings agree less than fully are listed


@dataclass
class Profile:
    """One entity of a build as review shows it: names per language, documents, posts."""

    id: str
    type: str
    label: str
    names: set[tuple[str, str]] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)
    posts: list[str] = field(default_factory=list)

    def evidence(self) -> str:
        names = ", ".join(f"{text} ({lang})" for text, lang in sorted(self.names))
        posts = "; ".join(self.posts) or "no posts"
        return f"{self.id} \"{self.label}\" in {', '.join(sorted(self.docs))}: {names}; {posts}"


@dataclass(frozen=True, slots=True)
class ReviewItem:
    a: str
    b: str
    score: float
    reason: str
    evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "score": round(self.score, 3), "reason": self.reason, "evidence": list(self.evidence)}


def profiles(records: list[dict[str, Any]]) -> dict[str, Profile]:
    """Entities of an extraction.json, gathered across its documents."""
    found: dict[str, Profile] = {}
    places: dict[str, str] = {}
    for doc in records:
        for entity in doc.get("entities", []):
            if entity.get("attrs", {}).get("province"):
                places[entity["id"]] = entity["attrs"]["province"]
    for doc in records:
        doc_id = doc["doc"].rsplit(".", 1)[0]
        for entity in doc.get("entities", []):
            profile = found.setdefault(entity["id"], Profile(entity["id"], entity["type"], entity["label"]))
            profile.docs.add(doc_id)
            profile.names.update((m, doc.get("lang", "")) for m in entity.get("mentions", []))
            for post in entity.get("posts", []):
                where = f" of {post['org']}" + (f" [{places[post['org']]}]" if post.get("org") in places else "") if post.get("org") else ""
                profile.posts.append(f"{post['title']}{where} ({doc_id})")
    return found


def name_readings(profile: Profile) -> list[tuple]:
    return [name_syllables(text, lang) for text, lang in sorted(profile.names)] or [()]


def review_items(records: list[dict[str, Any]], judgements: list[Judgement] = ()) -> list[ReviewItem]:
    """Uncertain pairs and merges of one build, most likely matches first, judged ones left out."""
    people = {i: p for i, p in profiles(records).items() if p.type == "Person"}
    judged = judged_pairs(judgements, people)
    blocks: dict[str, set[str]] = defaultdict(set)
    for profile in people.values():
        blocks["-".join(latin_skeleton(w) or "_" for w in profile.label.split())].add(profile.id)
        for reading in name_readings(profile):
            if reading:
                blocks[skeleton_key(reading)].add(profile.id)
    items: dict[tuple[str, str], ReviewItem] = {}
    for members in blocks.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if (a, b) in judged or (a, b) in items:
                    continue
                pa, pb = people[a], people[b]
                score = max(name_agreement(x, y) for x in name_readings(pa) for y in name_readings(pb))
                if pa.label.lower() == pb.label.lower():
                    score, reason = 1.0, "same name, kept apart (posts contradict or a judgement)"
                elif score <= 0:
                    continue
                else:
                    reason = "similar names, kept apart"
                items[(a, b)] = ReviewItem(a, b, score, reason, (pa.evidence(), pb.evidence()))
    for profile in people.values():
        readings = [r for r in name_readings(profile) if r]
        spellings = {" ".join(s.latin for s in r) for r in readings}
        if len(spellings) > 1 and (profile.id, profile.id) not in judged:
            score = min(name_agreement(x, y) for x in readings for y in readings)
            if score < REVIEW_BELOW:
                items[(profile.id, profile.id)] = ReviewItem(profile.id, profile.id, score, "merged spelling variants " + " / ".join(sorted(spellings)), (profile.evidence(),))
    items.update(event_items(records, judgements))
    return sorted(items.values(), key=lambda item: (-item.score, item.a, item.b))


EVENT_PAIR_SCORE = 0.5  # same kind, day and place, but nobody in common: as likely one event as two


def event_items(records: list[dict[str, Any]], judgements: list[Judgement] = ()) -> dict[tuple[str, str], ReviewItem]:
    """Main events of other articles with the same kind, day and province that the build kept apart."""
    judged = {tuple(sorted((j.a.split("/", 1)[-1], j.b.split("/", 1)[-1]))) for j in judgements}
    keyed: dict[tuple[str, str, str], dict[str, Profile]] = defaultdict(dict)
    for doc in records:
        doc_id = doc["doc"].rsplit(".", 1)[0]
        for entity in doc.get("entities", []):
            attrs = entity.get("attrs") or {}
            if entity.get("type") != "Event" or attrs.get("main") != "true":
                continue
            key = (attrs.get("event_type", ""), attrs.get("date", ""), attrs.get("province", ""))
            if all(key):
                profile = keyed[key].setdefault(entity["id"], Profile(entity["id"], "Event", entity.get("label", "")))
                profile.docs.add(doc_id)
    items = {}
    for members in keyed.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if (a, b) not in judged:
                    reason = "same kind, day and place, but no participant in common: one event?"
                    items[(a, b)] = ReviewItem(a, b, EVENT_PAIR_SCORE, reason, (members[a].evidence(), members[b].evidence()))
    return items


def judged_pairs(judgements: list[Judgement], people: dict[str, Profile]) -> set[tuple[str, str]]:
    """(a, b) id pairs a judgement already decides; references by label or DOC/ID are read too."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for profile in people.values():
        by_label[profile.label.lower()].add(profile.id)

    def ids(ref: str) -> set[str]:
        ref = ref.split("/", 1)[-1]
        return {ref} if ref in people else by_label.get(ref.lower(), set())

    pairs = set()
    for judgement in judgements:
        for a in ids(judgement.a):
            for b in ids(judgement.b):
                pairs.add((min(a, b), max(a, b)))
    return pairs


def format_items(items: list[ReviewItem], limit: int | None = None) -> str:
    if not items:
        return "nothing to review"
    lines = []
    for number, item in enumerate(items[:limit], 1):
        target = item.a if item.a == item.b else f"{item.a}  ?  {item.b}"
        lines.append(f"{number}. {target}   score {item.score:.2f}   {item.reason}")
        lines.extend(f"     {line}" for line in item.evidence)
        if item.a != item.b:
            lines.append(f"     judge: kg judge {item.a} same|different|unsure {item.b}")
    return "\n".join(lines)


@click.command(name="review")
@click.argument("extraction", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--judgements", "judgements_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Judgements file; pairs it decides are not listed.")
@click.option("--limit", type=int, default=None, help="List at most this many pairs.")
@click.option("--json", "as_json", is_flag=True, help="Print the pairs as JSON.")
def review_command(extraction: Path, judgements_path: Path | None, limit: int | None, as_json: bool) -> None:
    """List uncertain entity pairs of a build (EXTRACTION = out/extraction.json or .jsonl) with evidence and score."""
    try:
        # Read as a stream, each document kept without its relations (most of the file): the
        # review looks at entities only.
        records = [{k: v for k, v in record.items() if k != "relations"} for record in read_records(extraction)]
    except RecordError as error:
        raise click.ClickException(str(error)) from None
    except (OSError, ValueError) as error:
        raise click.ClickException(f"{extraction}: cannot read ({' '.join(str(error).split())})") from None
    try:
        judgements = load_judgements(judgements_path)
    except JudgementError as error:
        raise click.ClickException(str(error)) from None
    items = review_items(records, judgements)
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in items[:limit]], ensure_ascii=False, indent=2))
    else:
        click.echo(format_items(items, limit))


@click.command(name="judge")
@click.argument("a")
@click.argument("verdict", type=click.Choice(VERDICTS, case_sensitive=False))
@click.argument("b")
@click.option("--judgements", "judgements_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Judgements file to append to (created if missing).")
def judge_command(a: str, verdict: str, b: str, judgements_path: Path) -> None:
    """Record that entities A and B are the same, different, or that you are unsure."""
    try:
        written = append_judgement(judgements_path, Judgement(a, verdict.lower(), b))
    except JudgementError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{judgements_path}: {written.a} {written.verdict} {written.b}")
