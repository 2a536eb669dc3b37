"""Judgement files and the Linker that applies them."""

from __future__ import annotations

import pytest

from kg.corpus.judgements import (
    Judgement,
    JudgementError,
    Linker,
    append_judgement,
    apply_judgements,
    load_judgements,
    parse_judgements,
)


def test_lines_with_tabs_or_spaces_and_labels_with_spaces() -> None:
    found = parse_judgements("# mine\n\nnguyen-van-an\tsame\tNguyen Van An\nTruong Thi Mai different truong-thi-mai-1a2b3c4d\n", "j.txt")
    assert [(j.a, j.verdict, j.b, j.line) for j in found] == [
        ("nguyen-van-an", "same", "Nguyen Van An", 3),
        ("Truong Thi Mai", "different", "truong-thi-mai-1a2b3c4d", 4),
    ]


def test_bad_line_is_one_clear_error_naming_file_and_line() -> None:
    with pytest.raises(JudgementError, match=r"j.txt:2: expected"):
        parse_judgements("a same b\na maybe b\n", "j.txt")


def test_round_trip_through_a_file(tmp_path) -> None:
    path = tmp_path / "judgements.txt"
    assert load_judgements(path) == []
    append_judgement(path, Judgement("a", "same", "Le Ngoc Chau"))
    append_judgement(path, Judgement("b", "unsure", "c"))
    assert [(j.a, j.verdict, j.b) for j in load_judgements(path)] == [("a", "same", "Le Ngoc Chau"), ("b", "unsure", "c")]


def test_transitive_a_same_b_and_b_different_c_keeps_a_from_c() -> None:
    linker = Linker("abc")
    apply_judgements(parse_judgements("B different C\nA same B\n"), {"a": ["a"], "b": ["b"], "c": ["c"]}, linker)
    assert linker.find("a") == linker.find("b")
    assert not linker.union("a", "c")
    assert linker.forbidden("a", "c")


def test_forbidden_pairs_follow_every_later_union() -> None:
    linker = Linker("abcd")
    linker.forbid("a", "b")
    assert linker.union("b", "c") and linker.union("a", "d")
    assert not linker.union("c", "d")


def test_contradicting_judgements_are_reported() -> None:
    with pytest.raises(JudgementError, match="line 3.*contradicts"):
        apply_judgements(parse_judgements("a same b\nb same c\na different c\n"), {x: [x] for x in "abc"}, Linker("abc"))


def test_reference_to_nothing_is_a_warning_not_an_error() -> None:
    warnings = apply_judgements(parse_judgements("a same zz\n"), {"a": ["a"]}, Linker("a"))
    assert warnings and "'zz' names no entity" in warnings[0]
