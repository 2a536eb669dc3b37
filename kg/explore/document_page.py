"""``/doc/<id>``: an article with every mention highlighted and linked to its entity, and each fact's sentence marked.

What Aleph users get from its document viewer. The article's text is read
from the file the build read (``path`` in ``extraction.json``) or from the
folder given to ``kg serve --articles``; where neither has it, the page shows
the sentences the graph keeps as evidence instead, highlighted the same way.

Mentions are found as the build wrote them (every occurrence of each
mention string of the document's entities, longest first, never
overlapping). A fact's evidence sentence is marked where it occurs in the
text, with the facts it supports in its tooltip and an anchor
(``sentence_anchor``) that entity pages link to. All text is escaped.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path
from typing import Any
from urllib.parse import quote

TYPE_COLOURS = {"Person": "#fde2b8", "Organization": "#cfe3fb", "Location": "#d7f0d2", "Event": "#f3d3f0", "Campaign": "#fbe3e3"}
STYLE = """
body { font-family: sans-serif; margin: 1em 2em; max-width: 60em; }
.text { white-space: pre-wrap; line-height: 1.9; font-size: 17px; }
a.m { text-decoration: none; color: inherit; border-radius: 3px; padding: 0 2px; }
mark.fact { background: none; border-bottom: 2px solid #e0a100; }
mark.fact:target { background: #fff3c4; }
.legend span { margin-right: 1em; padding: 0 4px; border-radius: 3px; }
.muted { color: #777; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def sentence_anchor(sentence: str) -> str:
    """The anchor of an evidence sentence on its document page (entity pages link to it)."""
    return "s" + hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:12]


def document_url(doc: str, sentence: str = "", home: str = "") -> str:
    """``/doc/<doc id>``, with the sentence's anchor when given."""
    doc_id = doc[:-4] if doc.endswith(".txt") else doc
    return f"{home}/doc/{quote(doc_id, safe='')}" + (f"#{sentence_anchor(sentence)}" if sentence else "")


def mention_spans(text: str, entities: list[dict[str, Any]]) -> list[tuple[int, int, dict[str, Any]]]:
    """Every occurrence of every mention string, longest first, without overlaps, in text order."""
    candidates = []
    for entity in entities:
        for mention in entity.get("mentions", []):
            if not mention:
                continue
            start = text.find(mention)
            while start != -1:
                candidates.append((start, start + len(mention), entity))
                start = text.find(mention, start + 1)
    kept: list[tuple[int, int, dict[str, Any]]] = []
    taken: list[tuple[int, int]] = []
    for start, end, entity in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0], c[2].get("id", ""))):
        if all(end <= a or b <= start for a, b in taken):
            kept.append((start, end, entity))
            taken.append((start, end))
    return sorted(kept, key=lambda k: k[0])


def fact_spans(text: str, relations: list[dict[str, Any]], labels: dict[str, str]) -> list[tuple[int, int, list[str]]]:
    """Where each evidence sentence stands in the text, with the facts it supports."""
    facts: dict[str, list[str]] = {}
    for relation in relations:
        for evidence in relation.get("evidence", []):
            sentence = evidence.get("text") or ""
            if sentence:
                facts.setdefault(sentence, []).append(f"{labels.get(relation['s'], relation['s'])} {relation['p']} {labels.get(relation['o'], relation['o'])}")
    spans = []
    for sentence, said in facts.items():
        start = text.find(sentence)
        if start != -1:
            spans.append((start, start + len(sentence), sorted(set(said))))
    spans.sort()
    kept, end_of_last = [], -1
    for span in spans:  # marks do not nest: a sentence inside another one's mark is left unmarked
        if span[0] >= end_of_last:
            kept.append(span)
            end_of_last = span[1]
    return kept


def render_text(text: str, mentions: list[tuple[int, int, dict[str, Any]]], facts: list[tuple[int, int, list[str]]], base: str) -> str:
    """The text as HTML: fact marks outside, mention links inside (a mention crossing a mark's edge is not linked)."""
    mentions = [m for m in mentions if all(m[1] <= f[0] or f[1] <= m[0] or (f[0] <= m[0] and m[1] <= f[1]) for f in facts)]
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for start, end, said in facts:
        title = _e("; ".join(said))
        opens.setdefault(start, []).append(f'<mark class="fact" id="{sentence_anchor(text[start:end])}" title="{title}">')
        closes.setdefault(end, []).insert(0, "</mark>")
    for start, end, entity in mentions:
        colour = TYPE_COLOURS.get(entity.get("type", ""), "#eee")
        href = _e(base + quote(str(entity.get("id", "")), safe=""))
        opens.setdefault(start, []).append(f'<a class="m" href="{href}" style="background:{colour}" title="{_e(entity.get("type", ""))}: {_e(entity.get("label", ""))}">')
        closes.setdefault(end, []).insert(0, "</a>")
    out, last = [], 0
    for at in sorted(set(opens) | set(closes)):
        out.append(_e(text[last:at]))
        out.extend(closes.get(at, []))
        out.extend(opens.get(at, []))
        last = at
    out.append(_e(text[last:]))
    return "".join(out)


def find_record(records: list[dict[str, Any]] | None, doc_id: str) -> dict[str, Any] | None:
    for record in records or []:
        name = str(record.get("doc", ""))
        if doc_id in (name, name.rsplit(".", 1)[0]):
            return record
    return None


def article_text(record: dict[str, Any], articles: Path | None) -> tuple[str | None, str]:
    """The article's text and where it came from (or None and why not)."""
    places = []
    if articles is not None:
        places.append(Path(articles) / str(record.get("doc", "")))
    if record.get("path"):
        places.append(Path(str(record["path"])))
    for place in places:
        try:
            return place.read_text(encoding="utf-8"), str(place)
        except (OSError, UnicodeDecodeError):
            continue
    return None, ", ".join(str(p) for p in places) or "no file recorded"


def document_page(record: dict[str, Any], articles: Path | None, base: str = "/entity/") -> str:
    """The page of one article record of ``extraction.json``."""
    entities = [e for e in record.get("entities", []) if e.get("mentions")]
    labels = {e["id"]: e.get("label", e["id"]) for e in record.get("entities", [])}
    relations = record.get("relations", [])
    text, where = article_text(record, articles)
    legend = "".join(f'<span style="background:{c}">{_e(t)}</span>' for t, c in TYPE_COLOURS.items())
    head = f"<h1>{_e(record.get('doc', ''))}</h1><p class=\"legend\">{legend} · underlined: the sentence of a fact (its facts in the tooltip)</p>"
    if record.get("source_url"):
        head += f'<p><a href="{_e(record["source_url"])}" rel="noreferrer">{_e(record["source_url"])}</a></p>'
    if text is not None:
        body = f'<div class="text" dir="auto" lang="{_e(record.get("lang", ""))}">{render_text(text, mention_spans(text, entities), fact_spans(text, relations, labels), base)}</div>'
        note = f'<p class="muted">Text read from {_e(where)}.</p>'
    else:
        sentences = list(dict.fromkeys(e.get("text", "") for r in relations for e in r.get("evidence", []) if e.get("text")))
        body = "".join(
            f'<p class="text" dir="auto">{render_text(s, mention_spans(s, entities), fact_spans(s, relations, labels), base)}</p>' for s in sentences
        ) or '<p class="muted">No sentence recorded.</p>'
        note = f'<p class="muted">The article\'s text is not at hand ({_e(where)}): these are the sentences the graph keeps as evidence. Give its folder with kg serve --articles DIR.</p>'
    home = base.rsplit("/entity/", 1)[0]
    nav = f'<nav><a href="{_e(home)}/entities">all entities</a> · <a href="{_e(home)}/graph">graph page</a> · <a href="{_e(home)}/">SPARQL query page</a></nav>'
    title = _e(record.get("doc", "article"))
    return f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{nav}\n{head}{note}{body}\n</body>\n</html>\n'
