"""The waitress server `serve` builds (make_server, with its own HTTP channel) delivers every byte:
small answers to many keep-alive clients at once, and answers far larger than a socket buffer,
whole or streamed, although the event thread is not offered a channel while its writer holds it."""

from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from inquirybot.cli.serve import make_server

BIG = bytes(range(256)) * 40_000  # 10 MB: many times any socket buffer


def application(environ, start_response):
    path = environ["PATH_INFO"]
    environ["wsgi.input"].read()
    if path == "/big":
        start_response("200 OK", [("Content-Length", str(len(BIG)))])
        return [BIG]
    if path == "/stream":
        start_response("200 OK", [("Content-Length", str(len(BIG)))])
        return (BIG[i : i + 65_536] for i in range(0, len(BIG), 65_536))
    body = f"echo {environ.get('QUERY_STRING')}".encode()
    start_response("200 OK", [("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def server():
    served = make_server(application, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    yield served
    served.close()


def get(conn: http.client.HTTPConnection, path: str) -> bytes:
    conn.request("GET", path)
    response = conn.getresponse()
    assert response.status == 200
    return response.read()


def test_many_keep_alive_clients_each_get_their_own_answers(server):
    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
        for i in range(50):
            assert get(conn, f"/?{n}-{i}") == f"echo {n}-{i}".encode()
        conn.close()

    with ThreadPoolExecutor(20) as pool:
        list(pool.map(client, range(20)))


@pytest.mark.parametrize("path", ["/big", "/stream"])
def test_answers_larger_than_a_socket_buffer_arrive_whole(server, path):
    conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    time.sleep(0.2)  # let the sender fill the socket buffer and find it full
    assert response.read() == BIG
    assert get(conn, "/?after") == b"echo after"  # the connection is still in step
    conn.close()
