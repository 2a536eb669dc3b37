"""The gazetteer (kg/resources/gazetteer.tsv) and the renderings filed under its ids."""

from __future__ import annotations

import pytest

from kg.extract import gazetteer
from kg.extract.gazetteer import Entry, ResourceError, canonical_id, current, load_gazetteer, parse
from kg.extract.resources import LANGUAGES, load_table, resource_dir

MARK = "# ==== Gazetteer additions"


def added_rows(lang: str, name: str) -> list[list[str]]:
    """Rows of the gazetteer block at the end of <lang>/<name>.tsv."""
    text = (resource_dir() / lang / f"{name}.tsv").read_text(encoding="utf-8")
    assert MARK in text, f"{lang}/{name}.tsv has no gazetteer block"
    block = text[text.index(MARK) :]
    return [line.split("\t") for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_parse_reads_every_column() -> None:
    text = (
        "# id\tlabel\tkind\tparent\tscope\tsuccessor\taliases\n"
        "top\tTop Body\tparty\n"
        "old-commission\tOld Commission\tparty\ttop\tnational\tnew-commission\told-id, older-id\n"
        "new-commission\tNew Commission\tparty\ttop\n"
        "local-office\tProvincial Office\tstate\ttop\tlocal\n"
    )
    entries = parse(text)
    assert entries["top"] == Entry("top", "Top Body", "party")
    old = entries["old-commission"]
    assert (old.parent, old.successor, old.aliases) == ("top", "new-commission", ("old-id", "older-id"))
    assert entries["local-office"].scope == "local"


@pytest.mark.parametrize(
    "line",
    ["x\tX\tspaceship", "x\tX\tparty\t\tregional", "x\t\tparty", "x\tX\tparty\nx\tX again\tstate"],
)
def test_parse_rejects_malformed_lines(line: str) -> None:
    with pytest.raises(ResourceError):
        parse(line)


def test_the_gazetteer_covers_party_state_front_army_press_and_places() -> None:
    entries = load_gazetteer()
    kinds = {e.kind for e in entries.values()}
    assert set(gazetteer.BODY_KINDS) <= kinds
    assert {"country", "province", "city"} <= kinds
    provinces = [e for e in entries.values() if e.kind in ("province", "city")]
    assert len(provinces) == 64  # the 63 of 2024 and Hue, a city since 2025
    assert len([e for e in provinces if not e.successor]) == 34  # after the merger of 1 July 2025
    for id_ in ("politburo", "national-assembly-standing-committee", "ministry-of-public-security", "vietnam-fatherland-front",
                "vietnam-peoples-army-general-staff", "vietnam-news-agency", "supreme-peoples-court"):
        assert id_ in entries


def test_parents_successors_and_aliases_point_at_entries() -> None:
    entries = load_gazetteer()
    aliases: dict[str, str] = {}
    for entry in entries.values():
        assert entry.parent is None or entry.parent in entries, entry.id
        assert entry.successor is None or entry.successor in entries, entry.id
        for alias in entry.aliases:
            assert alias not in entries, f"{alias} is both an id and an alias"
            assert aliases.setdefault(alias, entry.id) == entry.id, f"{alias} is an alias of two entries"
        if entry.parent and entry.scope == "national":
            assert entries[entry.parent].scope == "national", f"national {entry.id} under a local parent"


def test_no_cycles() -> None:
    entries = load_gazetteer()
    for link in ("parent", "successor"):
        for entry in entries.values():
            seen = {entry.id}
            step = getattr(entry, link)
            while step:
                assert step not in seen, f"{link} cycle through {entry.id}"
                seen.add(step)
                step = getattr(entries[step], link)


def test_labels_are_unique() -> None:
    labels: dict[str, str] = {}
    for entry in load_gazetteer().values():
        assert labels.setdefault(entry.label, entry.id) == entry.id, f"{entry.id} and {labels[entry.label]} share a label"


def test_lookups_follow_aliases_parents_and_successors() -> None:
    assert canonical_id("government-of-vietnam") == "government"
    assert gazetteer.label("vietnam-farmers-association") == "Vietnam Farmers' Union"
    assert gazetteer.parent("politburo") == "party-central-committee"
    assert gazetteer.ancestors("provincial-inspection-commission")[:2] == ("provincial-party-committee", "party-central-committee")
    assert current("ministry-of-transport") == "ministry-of-construction"
    assert current("central-mass-mobilization-commission") == "central-propaganda-and-mass-mobilization-commission"
    assert current("binh-thuan") == "lam-dong"
    assert current("hanoi") == "hanoi"
    assert gazetteer.entry("no-such-body") is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_added_rows_use_gazetteer_ids_labels_scopes_and_kinds(lang: str) -> None:
    entries = load_gazetteer()
    for name, column in (("bodies", "scope"), ("locations", "kind")):
        rows = added_rows(lang, name)
        assert rows, f"{lang}/{name}: empty gazetteer block"
        for row in rows:
            assert len(row) == 4, row
            surface, id_, label, fourth = row
            assert id_ in entries, f"{lang}/{name}: {surface} names {id_}, not in the gazetteer"
            entry = entries[id_]
            assert label == entry.label, (surface, label, entry.label)
            assert fourth == getattr(entry, column), (surface, fourth, getattr(entry, column))
            assert entry.is_place == (name == "locations"), surface


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_body_id_is_in_the_gazetteer(lang: str) -> None:
    entries = load_gazetteer()
    missing = sorted({row[1] for row in load_table(lang, "bodies") if canonical_id(row[1]) not in entries})
    assert not missing, f"{lang}/bodies.tsv ids without a gazetteer entry: {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_province_and_city_has_a_rendering(lang: str) -> None:
    named = {row[1] for row in load_table(lang, "locations")}
    provinces = {e.id for e in load_gazetteer().values() if e.kind in ("province", "city")}
    assert not provinces - named, f"{lang}: no rendering for {sorted(provinces - named)}"


def test_a_commission_of_a_provincial_committee_is_part_of_a_local_body() -> None:
    from kg.extract.gazetteer import load_gazetteer, part_of_local_body

    entries = load_gazetteer()
    children = [e.id for e in entries.values() if e.parent and entries.get(e.parent) and entries[e.parent].scope == "local"]
    organs = [c for c in children if not c.startswith(("district-", "commune-", "ward-"))]
    assert organs and all(part_of_local_body(c) for c in organs)
    assert not part_of_local_body("politburo") and not part_of_local_body("")


def test_a_front_or_mass_organisation_acts_in_a_province_through_its_provincial_branch() -> None:
    assert gazetteer.local_branch("vietnam-fatherland-front") == "provincial-fatherland-front-committee"
    assert gazetteer.local_branch("vietnam-womens-union") == "provincial-womens-union"
    # A state body has no branch: the National Assembly named with a place is still the national one.
    assert gazetteer.local_branch("national-assembly") is None
    assert gazetteer.local_branch("provincial-womens-union") is None


def test_a_label_the_body_grammar_reads_names_a_known_bodys_branch() -> None:
    assert gazetteer.branch_by_label("Women's Union") == "provincial-womens-union"
    assert gazetteer.branch_by_label("People's Council") == "provincial-peoples-council"
    # A national body without branches, or words that name no body, give nothing.
    assert gazetteer.branch_by_label("National Assembly") is None
    assert gazetteer.branch_by_label("Committee Union") is None


def test_a_label_names_a_body_word_for_word_and_the_nation_word_matters() -> None:
    assert gazetteer.body_by_label("Provincial Vietnam Fatherland Front Committee") == "provincial-fatherland-front-committee"
    # Without "Vietnam" a label is not the national body: a province's association, say.
    assert gazetteer.body_by_label("Veterans Association") is None


def test_a_lower_levels_body_is_no_organ_of_the_provincial_one() -> None:
    from kg.extract import gazetteer

    assert gazetteer.part_of_local_body("provincial-party-standing-committee")
    assert not gazetteer.part_of_local_body("district-party-committee")
    assert not gazetteer.part_of_local_body("commune-party-committee")


def test_organs_are_read_from_labels_naming_their_parent() -> None:
    from kg.extract.gazetteer import organ_name, organs

    assert "provincial-party-standing-committee" in organs()["standing committee"]
    assert "provincial-party-executive-committee" in organs()["executive committee"]
    assert organ_name("national-assembly-standing-committee") == "standing committee"
    assert organ_name("provincial-party-committee") is None  # a body, not an organ of its parent
