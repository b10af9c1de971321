"""Self-tests of the double's fault actions for hardening tests: answers after processing (503, slow),
hung answers, hostile bodies, Livy's dead-session answer, and a restart that hands id 0 to another client.

Run: /usr/bin/python3 -m pytest tests/livy_double/test_double_faults.py -q
"""

import http.client
import json
import socket
import time

import pytest

from livy_double import LivyDouble
from test_livy_double import FAST, Client, check, client, livy, session  # noqa: F401 (fixtures)

STATEMENTS = r"/sessions/\d+/statements$"


def codes(client, session):
    return [s["code"] for s in client.get(f"/sessions/{session}/statements").body["statements"]]


def raw_get(livy, path, timeout=10):
    """(status, body bytes) of a GET, without any parsing."""
    connection = http.client.HTTPConnection("127.0.0.1", livy.port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_status_after_handles_the_request_then_answers_503(livy, client, session):
    livy.inject_fault(action="status_after", status=503, match={"method": "POST", "path": STATEMENTS})
    reply = client.post(f"/sessions/{session}/statements", {"code": "'ran despite 503'"})
    assert reply.status == 503
    assert codes(client, session).count("'ran despite 503'") == 1   # it ran, once
    assert livy.requests()[-2]["fault"] == "status_after" and livy.requests()[-2]["status"] == 503

    livy.inject_fault(action="status_after", status=503, match={"method": "POST", "path": "^/sessions$"})
    before = len(livy.sessions_ever())
    assert client.post("/sessions", {"kind": "pyspark"}).status == 503
    assert len(livy.sessions_ever()) == before + 1   # created, though the answer said otherwise


def test_slow_answer_handles_at_once_and_answers_late(livy, client, session):
    livy.inject_fault(action="slow_answer", seconds=1.5, match={"method": "POST", "path": STATEMENTS})
    connection = http.client.HTTPConnection("127.0.0.1", livy.port, timeout=0.5)
    body = json.dumps({"code": "'slow'"}).encode()
    connection.request("POST", f"/sessions/{session}/statements", body,
                       {"X-Requested-By": "t", "Content-Type": "application/json"})
    with pytest.raises(socket.timeout):   # the client gives up before the answer...
        connection.getresponse()
    connection.close()
    assert codes(client, session).count("'slow'") == 1   # ...but the statement already exists
    started = time.monotonic()
    livy.inject_fault(action="slow_answer", seconds=0.4, match={"path": "^/version$"})
    assert client.get("/version").status == 200
    assert time.monotonic() - started >= 0.4


def test_hang_answers_nothing_until_the_client_goes(livy):
    livy.inject_fault(action="hang", match={"path": "^/version$"})
    with pytest.raises(socket.timeout):
        raw_get(livy, "/version", timeout=0.6)
    time.sleep(0.5)   # the double noticed the client left and freed the connection
    assert raw_get(livy, "/version")[0] == 200
    record = [r for r in livy.requests() if r["path"] == "/version"][-2]
    assert record["fault"] == "hang" and record["status"] is None


def test_a_stopping_double_ends_hung_answers():
    double = LivyDouble(**FAST).start()
    double.inject_fault(action="hang")
    sock = socket.create_connection(("127.0.0.1", double.port))
    sock.sendall(b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.2)
    started = time.monotonic()
    double.stop()
    sock.settimeout(5)
    assert sock.recv(100) == b""   # closed without an answer
    assert time.monotonic() - started < 5
    sock.close()


@pytest.mark.parametrize("kind", ["garbage", "truncated", "nested", "nested_output", "huge"])
def test_hostile_bodies(livy, client, session, kind):
    reply = client.post(f"/sessions/{session}/statements", {"code": "1 + 1"})
    path = f"/sessions/{session}/statements/{reply.body['id']}"
    client.wait_statement(session, reply.body["id"])   # the body compared below must not change between GETs
    real = raw_get(livy, path)[1]
    livy.inject_fault(action="hostile", kind=kind, size=3_000_000, match={"method": "GET", "path": path + "$"})
    status, body = raw_get(livy, path)
    assert status == 200
    if kind == "garbage":
        assert b"\x00" in body and b"\x1b" in body
        with pytest.raises(ValueError):
            json.loads(body)
    elif kind == "truncated":
        assert real.startswith(body) and len(body) < len(real)
        with pytest.raises(ValueError):
            json.loads(body)
    elif kind == "nested":
        assert body == b"[" * 200_000 + b"]" * 200_000
    elif kind == "nested_output":
        head = json.loads(body.replace(b"[" * 200_000 + b"]" * 200_000, b"0"))
        assert head["state"] == "available" and head["output"]["data"]["application/json"] == 0
        assert head["id"] == reply.body["id"]
    else:
        assert len(body) == 3_000_000 and json.loads(body)["msg"].startswith("xxx")
    assert json.loads(raw_get(livy, path)[1])["id"] == reply.body["id"]   # one answer only (count 1)


def test_session_dead_answers_as_livy_does(livy, client, session):
    livy.inject_fault(action="session_dead", match={"method": "POST", "path": STATEMENTS})
    before = codes(client, session)
    check(client.post(f"/sessions/{session}/statements", {"code": "1"}),
          "188-bad-session-statement.json", exact=True)
    assert codes(client, session) == before   # nothing ran


def test_restart_then_another_client_gets_session_zero():
    with LivyDouble(**FAST) as double:
        ours, theirs = Client(double.url), Client(double.url)
        assert ours.new_session(wait=False, kind="pyspark", name="ours") == 0
        double.restart()
        assert theirs.new_session(wait=False, kind="pyspark", name="theirs") == 0
        assert ours.get("/sessions/0").body["name"] == "theirs"   # the same id, someone else's session


@pytest.mark.parametrize("spec", [
    {"action": "status_after"},
    {"action": "slow_answer"},
    {"action": "hostile"},
    {"action": "hostile", "kind": "poison"},
    {"action": "hostile", "kind": "huge", "size": 3},
])
def test_bad_fault_specs_are_refused(client, spec):
    reply = client.post("/_double/faults", spec)
    assert reply.status == 400 and reply.body["error"]
