"""Judgement files and the Linker that applies them."""

from __future__ import annotations

import re

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


# ------------------------------------------------------------------ issue #14


@pytest.mark.parametrize(
    "ref, reason",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("a\nb", "U+000A"),
        ("a\tb", "U+0009"),
        ("a\rb", "U+000D"),
        ("a\u2028b", "U+2028"),
        ("a\x0bb", "U+000B"),
        ("a\x85b", "U+0085"),
        ("#a", "comment"),
    ],
    ids=["empty", "spaces", "newline", "tab", "carriage return", "line separator", "vertical tab", "NEL", "hash"],
)
def test_a_reference_that_cannot_be_one_line_is_refused_before_writing(tmp_path, ref, reason) -> None:
    path = tmp_path / "judgements.txt"
    append_judgement(path, Judgement("x", "same", "y"))
    before = path.read_bytes()
    for judgement in (Judgement(ref, "same", "b"), Judgement("a", "different", ref)):
        with pytest.raises(JudgementError, match=re.escape(reason)):
            append_judgement(path, judgement)
    assert path.read_bytes() == before
    assert load_judgements(path) == parse_judgements("x\tsame\ty\n", str(path))


def test_a_broken_judgements_file_is_reported_not_appended_to(tmp_path) -> None:
    path = tmp_path / "judgements.txt"
    path.write_text("a same b\nbroken line\n", encoding="utf-8")
    with pytest.raises(JudgementError, match="judgements.txt:2: expected"):
        append_judgement(path, Judgement("c", "same", "d"))
    assert path.read_text(encoding="utf-8") == "a same b\nbroken line\n"


def test_the_judgements_file_is_replaced_whole(tmp_path, monkeypatch) -> None:
    import errno

    import kg.files

    path = tmp_path / "judgements.txt"
    append_judgement(path, Judgement("a", "same", "b"))

    def full(target, content):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(kg.files, "write_file", full)
    with pytest.raises(JudgementError, match="no space left on device"):
        append_judgement(path, Judgement("c", "same", "d"))
    assert path.read_text(encoding="utf-8") == "a\tsame\tb\n"
    assert [p.name for p in tmp_path.iterdir()] == ["judgements.txt"]


def test_x_different_x_is_not_called_a_contradiction() -> None:
    """'X different X' on one entity used to report that it contradicts 'same' judgements when there were none."""
    warnings = apply_judgements(parse_judgements("a different a\n"), {"a": ["a"]}, Linker("a"))
    assert warnings == ["line 1: 'a\tdifferent\ta' names one and the same entity on both sides; judgement ignored"]
    # A label naming two records: they are kept apart, the record is not compared with itself.
    linker = Linker(["a1", "a2"])
    assert apply_judgements(parse_judgements("A different A\n"), {"a": ["a1", "a2"]}, linker) == []
    assert linker.forbidden("a1", "a2")
    with pytest.raises(JudgementError, match="contradicts 'same'"):
        apply_judgements(parse_judgements("a same b\na different b\n"), {"a": ["a"], "b": ["b"]}, Linker("ab"))


@pytest.mark.parametrize("a, verdict, b", [("nguyen-van-an", "different", "nguyen-van-an"), ("d01/nguyen-van-an", "different", "d01/nguyen-van-an"), ("Nguyen Van An", "same", "Nguyen Van An")])
def test_a_judgement_of_an_entity_with_itself_is_refused_when_written(tmp_path, a: str, verdict: str, b: str) -> None:
    path = tmp_path / "j.txt"
    with pytest.raises(JudgementError, match="one and the same entity"):
        append_judgement(path, Judgement(a, verdict, b))
    assert not path.exists()
    append_judgement(path, Judgement("Nguyen Van An", "different", "Nguyen Van An"))  # a label may name two namesakes


def test_judgements_written_at_once_are_all_kept(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "j.txt"
    script = "import sys; from kg.corpus.judgements import Judgement, append_judgement; append_judgement(sys.argv[1], Judgement(f'a-{sys.argv[2]}', 'different', f'b-{sys.argv[2]}'))"
    calls = [subprocess.Popen([sys.executable, "-c", script, str(path), str(n)]) for n in range(16)]
    assert all(call.wait(timeout=120) == 0 for call in calls)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(Judgement(f"a-{n}", "different", f"b-{n}").to_line() for n in range(16))
