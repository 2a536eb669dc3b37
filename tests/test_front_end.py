"""kg.explore.front_end: the checks both servers make before a request reaches them."""

from __future__ import annotations

import io
from email.message import Message

import pytest

from kg.explore.engines import ServeError
from kg.explore.front_end import LOCAL_NAMES, MAX_QUERY_BYTES, host_name, listen, request_body


@pytest.mark.parametrize(
    "header,name",
    [("localhost:7878", "localhost"), ("127.0.0.1", "127.0.0.1"), ("[::1]:80", "[::1]"), (" LocalHost ", "localhost"), ("evil.example:7878", "evil.example"), ("[::1", "[::1")],
)
def test_the_name_of_a_host_header_is_read_without_its_port(header: str, name: str) -> None:
    assert host_name(header) == name


def test_only_this_machines_names_are_local() -> None:
    assert {"127.0.0.1", "localhost", "[::1]"} == set(LOCAL_NAMES)
    assert host_name("localhost.evil.example:80") not in LOCAL_NAMES


class FakeRequest:
    def __init__(self, length: str | None, body: bytes) -> None:
        self.headers = Message()
        if length is not None:
            self.headers["Content-Length"] = length
        self.rfile = io.BytesIO(body)


@pytest.mark.parametrize(
    "length,body,status",
    [(None, b"ASK {}", 411), ("ten", b"ASK {}", 400), ("-1", b"", 400), (str(MAX_QUERY_BYTES + 1), b"", 413), ("100", b"ASK {}", 400)],
)
def test_a_body_is_read_only_when_its_length_is_sound(length: str | None, body: bytes, status: int) -> None:
    answers = []
    assert request_body(FakeRequest(length, body), answers.append) is None
    assert [a.status for a in answers] == [status]


def test_a_sound_body_is_read_whole() -> None:
    answers = []
    assert request_body(FakeRequest("6", b"ASK {}trailing"), answers.append) == b"ASK {}"
    assert answers == []


@pytest.mark.parametrize("port", [-1, 65536, 10**6])
def test_a_port_out_of_range_is_one_error_before_any_socket(port: int) -> None:
    with pytest.raises(ServeError, match="out of range"):
        listen(port)
