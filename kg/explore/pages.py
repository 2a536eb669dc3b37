"""Entity pages: one HTML page per entity with every fact and the sentence it came from.

``entity_page(profile)`` renders a ``kg.explore.entities.Profile``: label,
type, other names by language, attributes, posts with their dates (or who
held posts in a body), events, every relation in and out, and under each fact
the sentence it was read from with the article's id, file and URL, offsets,
rule and confidence; then the articles, and why the mentions were merged.
``index_page`` lists the entities by type with a search box. Both are plain
HTML without scripts; every string from the graph is escaped, and only
``http(s)`` URLs become links. ``kg serve`` serves them (``kg.explore.site``)
at ``/entity/<id>`` and ``/entities``.
"""

from __future__ import annotations

import html
from typing import Any, Iterable
from urllib.parse import quote, urlencode

from kg.explore.entities import EntityRef, Evidence, Fact, PostHeld, Profile
from kg.dates import readable_date
from kg.explore.document_page import document_url
from kg.text import fold_label

EVENT_ROLES = ("chaired", "attended", "spokeAt", "organized")  # facts shown under "Events"
TYPE_ORDER = ("Person", "Organization", "Event", "Campaign", "Location")
LANGUAGES = {"hi": "Hindi", "ar": "Arabic", "en": "English", "vi": "Vietnamese", "": "no language tag"}

STYLE = """
body { font-family: sans-serif; margin: 0 auto; max-width: 1000px; padding: 16px 24px 48px; color: #222; line-height: 1.45; }
nav { font-size: 13px; margin-bottom: 8px; } nav a { margin-right: 14px; }
h1 { margin: 8px 0 2px; font-size: 26px; } h2 { margin-top: 28px; font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
.type { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; background: #eef; color: #335; margin-right: 8px; }
.muted { color: #777; font-size: 12px; } code { font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; } th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #eee; }
th { background: #f6f6f6; font-weight: 600; }
blockquote { margin: 4px 0 2px; padding: 2px 10px; border-left: 3px solid #c9c9c9; background: #fafafa; }
blockquote[dir=auto] { unicode-bidi: plaintext; }
.evidence { font-size: 12px; color: #555; margin-bottom: 6px; }
ul.merge li { margin-bottom: 4px; }
form input[type=search] { width: 320px; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def entity_url(entity_id: str, base: str = "/entity/") -> str:
    return base + quote(entity_id, safe="")


def _link(ref: EntityRef | None, base: str) -> str:
    if ref is None:
        return ""
    return f'<a href="{_e(entity_url(ref.id, base))}">{_e(ref.label)}</a>'


def _url(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noreferrer">{_e(url)}</a>'
    return _e(url)


def _article(document: str, file: str, url: str) -> str:
    if not document:
        return '<span class="muted">article not recorded</span>'
    parts = [f"<code>{_e(document)}</code>"]
    if file and file != document:
        parts.append(f"file <code>{_e(file)}</code>")
    parts.append(_url(url) if url else '<span class="muted">no URL in the input</span>')
    return " · ".join(parts)


def _evidence(items: Iterable[Evidence]) -> str:
    out = []
    for item in items:
        where = [_article(item.document, item.file, item.url)]
        if item.start is not None:
            where.append(f"characters {_e(item.start)}–{_e(item.end)}")
        if item.rule:
            where.append(f"rule <code>{_e(item.rule)}</code>")
        if item.confidence is not None:
            where.append(f"confidence {_e(item.confidence)}")
        if item.document and item.sentence:
            where.append(f'<a href="{_e(document_url(item.document, item.sentence))}">in the article</a>')
        lang = f' lang="{_e(item.lang)}"' if item.lang else ""
        out.append(f'<blockquote dir="auto"{lang} class="sentence">{_e(item.sentence)}</blockquote><div class="evidence">{" · ".join(where)}</div>')
    return "".join(out) or '<span class="muted">no sentence recorded</span>'


def _page(title: str, body: str, base: str) -> str:
    home = base.rsplit("/entity/", 1)[0]
    nav = (f'<nav><a href="{_e(home)}/entities">all entities</a><a href="{_e(home)}/graph">graph page</a>'
           f'<a href="{_e(home)}/">SPARQL query page</a><a href="{_e(home)}/query">SPARQL endpoint</a></nav>')
    return f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{nav}\n{body}\n</body>\n</html>\n'


def _unsourced_post(post: PostHeld) -> str:
    """Where a post without a recorded sentence came from: the title read beside the name, in which article."""
    if not post.document:
        return '<div class="evidence muted">no sentence and no article recorded for this post (an input without provenance)</div>'
    link = f' · <a href="{_e(document_url(post.document))}">the article</a>'
    return (f'<div class="evidence">read as a title beside the name in {_article(post.document, post.file, post.url)}{link}; '
            'no sentence was recorded for it</div>')


def _posts_table(posts: list[PostHeld], base: str, for_body: bool) -> str:
    head = "<tr><th>date</th><th>person</th><th>post</th><th>evidence</th></tr>" if for_body else "<tr><th>date</th><th>post</th><th>body</th><th>evidence</th></tr>"
    rows = []
    for post in posts:
        who = _link(post.holder, base) if for_body else _e(post.title)
        what = _e(post.title) if for_body else (_link(post.body, base) or '<span class="muted">no body named</span>')
        proof = _evidence(post.evidence) if post.evidence else _unsourced_post(post)
        rows.append(f'<tr class="post"><td>{_e(readable_date(post.date, note_year=True))}</td><td>{who}</td><td>{what}</td><td>{proof}</td></tr>')
    return f'<table class="posts">{head}{"".join(rows)}</table>'


def _facts_table(facts: list[Fact], base: str, label: str, events: bool) -> str:
    head = "<tr><th>role</th><th>event</th><th>type · date</th><th>evidence</th></tr>" if events else "<tr><th>relation</th><th>with</th><th>evidence</th></tr>"
    rows = []
    for fact in facts:
        if events:
            rows.append(f'<tr class="fact"><td>{_e(fact.predicate)}</td><td>{_link(fact.other, base)}</td><td>{_e(fact.other_kind)} · {_e(readable_date(fact.other_date, note_year=True) if fact.other_date else "undated")}</td><td>{_evidence(fact.evidence)}</td></tr>')
            continue
        if fact.direction == "out":
            relation = f"{_e(label)} <b>{_e(fact.predicate)}</b> →"
        else:
            relation = f"← <b>{_e(fact.predicate)}</b> {_e(label)}"
        other = _link(fact.other, base) + (f' <span class="muted">{_e(fact.other.type)}</span>' if fact.other.type else "")
        if fact.post:
            other += f"<div>post: {_e(fact.post)}</div>"
        rows.append(f'<tr class="fact"><td>{relation}</td><td>{other}</td><td>{_evidence(fact.evidence)}</td></tr>')
    return f'<table class="{"events" if events else "relations"}">{head}{"".join(rows)}</table>'


def entity_page(profile: Profile, base: str = "/entity/") -> str:
    """The HTML page of one entity (see the module docstring)."""
    ref = profile.entity
    parts = [f'<h1 id="label">{_e(ref.label)}</h1>', f'<div><span class="type" id="type">{_e(ref.type or "unknown type")}</span><code>{_e(ref.id)}</code> <span class="muted">{_e(ref.iri)}</span></div>']
    home = base.rsplit("/entity/", 1)[0]
    parts.append(f'<p class="muted"><a href="{_e(home)}/graph?{_e(urlencode({"focus": ref.id}))}">See it in the graph (2 hops)</a></p>')
    if profile.names:
        by_lang: dict[str, list[str]] = {}
        for text, lang in profile.names:
            by_lang.setdefault(lang, []).append(text)
        rows = "".join(f'<tr><td>{_e(LANGUAGES.get(lang, lang))} <code>{_e(lang)}</code></td><td dir="auto" lang="{_e(lang)}">{", ".join(_e(t) for t in names)}</td></tr>' for lang, names in sorted(by_lang.items()))
        parts.append(f'<h2>Other names, by language</h2><table class="names"><tr><th>language</th><th>names in the articles</th></tr>{rows}</table>')
    if profile.attributes:
        rows = "".join(f"<tr><td>{_e(name)}</td><td>{_e(value)}</td></tr>" for name, value in profile.attributes)
        parts.append(f'<h2>Attributes</h2><table class="attributes">{rows}</table>')
    if profile.posts:
        parts.append(f"<h2>Posts ({len(profile.posts)})</h2><p class=\"muted\">Dates are those the article states; otherwise the article's year, or undated.</p>" + _posts_table(profile.posts, base, False))
    if profile.holders:
        parts.append(f"<h2>Who held posts here ({len(profile.holders)})</h2>" + _posts_table(profile.holders, base, True))
    events = [f for f in profile.facts if f.predicate in EVENT_ROLES and f.direction == "out" and f.other.type == "Event"]
    others = [f for f in profile.facts if f not in events and not (f.predicate == "holdsPost" and profile.posts and f.direction == "out")]
    if events:
        parts.append(f"<h2>Events ({len(events)})</h2>" + _facts_table(events, base, ref.label, True))
    if others:
        parts.append(f"<h2>Relations ({len(others)})</h2>" + _facts_table(others, base, ref.label, False))
    if profile.documents:
        rows = "".join(f'<tr><td><code>{_e(d["id"])}</code></td><td><code>{_e(d["file"])}</code></td><td>{_url(d["url"]) if d["url"] else "<span class=muted>none</span>"}</td><td>{_e(d["lang"])}</td><td>{_e(d["year"])}</td></tr>' for d in profile.documents)
        parts.append(f'<h2>Articles ({len(profile.documents)})</h2><table class="articles"><tr><th>article</th><th>file</th><th>URL</th><th>language</th><th>year</th></tr>{rows}</table>')
    if profile.merge:
        parts.append('<h2>Why this is one entity</h2><ul class="merge">' + "".join(f"<li>{_e(line)}</li>" for line in profile.merge) + "</ul>")
    elif profile.merge is None:
        parts.append('<h2>Why this is one entity</h2><p class="muted">Start kg serve with the build\'s extraction.json beside the graph to see how the mentions were merged.</p>')
    return _page(f"{ref.label} ({ref.type})", "\n".join(parts), base)


def index_page(entities: list[EntityRef], query: str = "", base: str = "/entity/") -> str:
    """All entities (or those whose label or id contains ``query``), grouped by type."""
    wanted = fold_label(query)
    shown = [r for r in entities if not wanted or wanted in fold_label(r.label) or wanted in r.id]
    groups = []
    for type_ in TYPE_ORDER + tuple(sorted({r.type for r in shown} - set(TYPE_ORDER))):
        members = sorted((r for r in shown if r.type == type_), key=lambda r: (r.label.lower(), r.id))
        if members:
            items = "".join(f'<li>{_link(r, base)} <span class="muted">{_e(r.id)}</span></li>' for r in members)
            groups.append(f'<h2>{_e(type_)} ({len(members)})</h2><ul class="entities">{items}</ul>')
    home = base.rsplit("/entity/", 1)[0]
    form = f'<form action="{_e(home)}/entities" method="get"><input type="search" name="q" value="{_e(query)}" placeholder="part of a name or id" aria-label="search entities"> <button>search</button></form>'
    summary = f'<p class="muted">{len(shown)} of {len(entities)} entities{" matching " + _e(query) if wanted else ""}</p>'
    return _page("Entities", f"<h1>Entities</h1>{form}{summary}" + ("".join(groups) or "<p>No entity matches.</p>"), base)


def message_page(title: str, text: str, base: str = "/entity/") -> str:
    return _page(title, f"<h1>{_e(title)}</h1><p>{_e(text)}</p>", base)
