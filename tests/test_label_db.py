"""The label index on disk answers a name as the in-memory index does, reading only the rows that hold its words."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from kg.explore.label_db import iri_tails, open_label_db, write_label_db
from kg.explore.labels import LabelIndex, words_of

ID = "https://w3id.org/kg-vn/id/"
PAIRS = [
    (ID + "truong-thi-mai", "Trương Thị Mai"),
    (ID + "truong-thi-mai", "Truong Thi Mai"),  # two labels of one entity
    (ID + "mai-van-truong", "Mai Van Truong"),
    (ID + "emulation-movement-1", "Emulation movement 1"),
    (ID + "emulation-movement-10", "Emulation movement 10"),
    (ID + "movement-1", "Movement (1)"),
    (ID + "ha-tinh-provincial-party-committee", "Ha Tinh Provincial Party Committee"),
    (ID + "doc/d7", "d7"),
    ("urn:x:plain", "Ha Ha Tinh"),  # a word twice in one label
]


def write(tmp_path: Path, pairs=PAIRS) -> Path:
    path = tmp_path / "labels.sqlite"
    write_label_db(((iri, label, words_of(label)) for iri, label in pairs), path)
    return path


def test_every_lookup_gives_what_the_in_memory_index_gives(tmp_path: Path) -> None:
    stored, in_memory = open_label_db(write(tmp_path)), LabelIndex(PAIRS)
    names = ["Truong Thi Mai", "truong", "Thi Mai", "Mai Truong", "movement 1", "Movement (1)", "emulation movement",
             "Ha Tinh", "ha ha", "tinh ha", "d7", "doc/d7", "truong-thi-mai", ID + "movement-1", "", "  ", "()", "nobody", "Trương"]
    for name in names:
        assert stored.find(name) == in_memory.find(name), name
    assert stored.find("movement 1") == [ID + "emulation-movement-1", ID + "movement-1"]  # whole words: not movement 10
    assert stored.find("Mai Truong") == []  # the words in this order, next to each other
    assert len(stored) == len(PAIRS)


def test_random_names_agree_with_the_in_memory_index(tmp_path: Path) -> None:
    words = ["Le", "Van", "Thi", "Nguyen", "Tran", "Ha", "Noi", "Party", "Committee", "1", "10"]
    rng = random.Random(7)
    pairs = [(f"{ID}e{i}", " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))) for i in range(300)]
    stored, in_memory = open_label_db(write(tmp_path, pairs)), LabelIndex(pairs)
    for _ in range(300):
        name = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
        assert stored.find(name) == in_memory.find(name), name


def test_an_iri_answers_to_itself_and_to_what_follows_each_id() -> None:
    assert iri_tails(ID + "doc/d7") == {ID + "doc/d7", "doc/d7"}
    assert iri_tails("urn:a/id/b/id/c") == {"urn:a/id/b/id/c", "b/id/c", "c"}


def test_a_missing_or_damaged_file_is_no_index(tmp_path: Path) -> None:
    assert open_label_db(tmp_path / "none.sqlite") is None
    (tmp_path / "bad.sqlite").write_bytes(b"not a database")
    assert open_label_db(tmp_path / "bad.sqlite") is None


def test_threads_share_one_index(tmp_path: Path) -> None:
    """kg serve answers queries from several threads over one opened store."""
    stored = open_label_db(write(tmp_path))
    found: list[list[str]] = []
    threads = [threading.Thread(target=lambda: found.append(stored.find("Truong Thi Mai"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [[ID + "truong-thi-mai"]] * 8


def test_a_name_of_many_words_is_looked_up_whole(tmp_path: Path) -> None:
    words = [f"w{i}" for i in range(12)]
    pairs = [(ID + "long", " ".join(words)), (ID + "short", " ".join(words[:8]))]
    stored, in_memory = open_label_db(write(tmp_path, pairs)), LabelIndex(pairs)
    for name in (" ".join(words), " ".join(words[:8]), " ".join(words[:8] + ["w99"]), " ".join(f"x{i}" for i in range(600))):
        assert stored.find(name) == in_memory.find(name), name
    assert stored.find(" ".join(words)) == [ID + "long"]
