"""FollowTheMoney export (``kg export --format ftm``): the graph as entities Aleph and OpenAleph load.

One JSON object per line (the ``ftm`` line format), made and checked with the
``followthemoney`` package (``pip install followthemoney``), ids prefixed
``kg-`` so they never collide with a collection's own:

- Person → ``Person`` (name, aliases: the names as the articles write them),
  Organization → ``Organization``, Location → ``Address`` (``full``);
- Event → ``Event``: name, date (where the year is known: FtM dates are
  ISO prefixes), ``involved`` (who chaired, attended or spoke), ``organizer``,
  ``location`` (the place's name) and ``addressEntity``;
- a post (holdsPost) → ``Membership``: member, organization, role (the
  post title), date (the date the article states);
- body to body (subOrganizationOf, memberOf) and campaign links (launched,
  implements) → ``UnknownLink`` with the relation's name as its role;
  campaigns themselves, which FtM has no schema for, are their names there.

Every entity carries the articles it was read in (``publisher`` is "kg",
``sourceUrl`` the articles' URLs where the input gave them).
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

SCHEMAS = {"Person": "Person", "Organization": "Organization", "Location": "Address", "Event": "Event"}
PARTICIPATION = ("chaired", "attended", "spokeAt")
LINKS = ("subOrganizationOf", "memberOf", "launched", "implements")
PREFIX = "kg-"


class FtmError(RuntimeError):
    """The followthemoney package is missing."""


def ftm_model():  # noqa: ANN201 - followthemoney.model
    try:
        from followthemoney import model
    except ImportError as error:
        raise FtmError(f"the FtM export needs the followthemoney package: pip install followthemoney ({error})") from None
    return model


def ftm_id(entity_id: str) -> str:
    return PREFIX + entity_id


def ftm_entities(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The FtM entities of an entity graph (``kg.explore.formats.load_networkx``), as dicts, in a stable order."""
    model = ftm_model()
    made: dict[str, Any] = {}

    def entity(schema: str, key: str) -> Any:
        proxy = made.get(key)
        if proxy is None:
            proxy = model.make_entity(schema)
            proxy.id = key
            proxy.add("publisher", "kg")
            made[key] = proxy
        return proxy

    for node, data in sorted(graph.nodes(data=True)):
        schema = SCHEMAS.get(data.get("type", ""))
        if schema is None:
            continue
        proxy = entity(schema, ftm_id(node))
        label = data.get("label") or node
        if schema == "Address":
            proxy.add("full", label)
        else:
            proxy.add("name", label)
            proxy.add("alias", [m for m in data.get("mentions", []) if m != label])
        if schema == "Event" and data.get("date"):
            proxy.add("date", str(data["date"]))  # a day without its year is no FtM date: dropped by the model
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        source_type, target_type = graph.nodes[source].get("type"), graph.nodes[target].get("type")
        if key in PARTICIPATION and target_type == "Event" and source_type in ("Person", "Organization"):
            entity("Event", ftm_id(target)).add("involved", ftm_id(source))
        elif key == "organized" and target_type == "Event" and source_type in ("Person", "Organization"):
            entity("Event", ftm_id(target)).add("organizer", ftm_id(source))
        elif key == "locatedIn" and target_type == "Location" and source_type == "Event":
            event = entity("Event", ftm_id(source))
            event.add("location", graph.nodes[target].get("label") or target)
            event.add("addressEntity", ftm_id(target))
        elif key == "holdsPost" and source_type == "Person" and target_type == "Organization":
            membership = entity("Membership", f"{PREFIX}membership-{source}-{target}")
            membership.add("member", ftm_id(source))
            membership.add("organization", ftm_id(target))
            membership.add("role", [p for p in str(data.get("post", "")).split("; ") if p])
            if data.get("date"):
                membership.add("date", str(data["date"]))
        elif key in LINKS:
            link = entity("UnknownLink", f"{PREFIX}link-{source}-{key}-{target}")
            link.add("role", key)
            for end, node in (("subject", source), ("object", target)):
                if graph.nodes[node].get("type") in SCHEMAS and graph.nodes[node].get("type") != "Location":
                    link.add(end, ftm_id(node))
                else:
                    link.add("description", f"{end}: {graph.nodes[node].get('label') or node}")
    return [proxy.to_dict() for _, proxy in sorted(made.items())]


def ftm_lines(graph: nx.MultiDiGraph) -> str:
    return "".join(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n" for item in ftm_entities(graph))
