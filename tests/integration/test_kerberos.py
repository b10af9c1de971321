"""Kerberos (SPNEGO) to Livy against a real MIT KDC on 127.0.0.1: the built kernel and jar log in with a
keytab or a kinit ticket cache, Livy's double verifies their tokens with its HTTP/localhost keytab, and each
failure a user meets is one line that says what to do."""
import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest
from jupyter_client.manager import KernelManager

from conftest import JAR, KERNEL_NAME, ROOT
from kernel_tools import run_cell, stdout_of, wait_until
from livy_fixtures import start_double, stop_kernel

sys.path.insert(0, str(ROOT / "tests" / "kdc"))
from kdc import running_realm  # noqa: E402  (the KDC fixture lives beside the tests)

REALM = "LIVY.TEST"


@pytest.fixture(scope="module")
def kdc():
    """The realm LIVY.TEST: Livy's HTTP/localhost, users alice and bob, each with a keytab."""
    with running_realm(REALM) as server:
        server.http_keytab = server.keytabs["HTTP/localhost"]
        server.alice_keytab = server.keytabs["alice"]
        server.bob_keytab = server.keytabs["bob"]
        yield server


@pytest.fixture(scope="module")
def double(kdc):
    livy = start_double(kerberos_keytab=str(kdc.http_keytab))
    yield livy
    livy.stop()


def config(tmp_path, url, auth, heartbeat_timeout=4):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"livy": {"url": url, "auth": auth, "session": {
        "heartbeatTimeoutSeconds": heartbeat_timeout, "heartbeatIntervalSeconds": 1}}}))
    return path


def kernel_env(kdc, config_path, tmp_path, user="alice", **extra):
    env = {**os.environ, **kdc.env, "LIVY_KERNEL_CONFIG": str(config_path), "JUPYTERHUB_USER": user,
           "LIVY_KERNEL_LOG_LEVEL": "DEBUG", "KRB5CCNAME": f"FILE:{tmp_path}/no-such-cache", **extra}
    env.pop("LIVY_URL", None)
    return env


def start_kernel(env, log_path):
    """A kernel whose stderr (its log) goes to log_path."""
    km = KernelManager(kernel_name=KERNEL_NAME)
    with open(log_path, "w") as log:
        km.start_kernel(env=env, stderr=log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def cell_text(outputs):
    """Everything a cell showed: streams, errors, displayed text."""
    parts = []
    for m in outputs:
        c = m["content"]
        parts += [c.get("text", ""), c.get("evalue", ""), "\n".join(c.get("traceback", [])),
                  c.get("data", {}).get("text/plain", "")]
    return "\n".join(parts)


def assert_no_secrets(text):
    """Neither a Negotiate token, nor the hadoop.auth cookie's value, nor anything that looks like one."""
    assert "Negotiate " not in text.replace("Negotiate (", "").replace("Negotiate)", "")
    assert "u=alice&p=" not in text and "&s=" not in text
    assert not re.search(r"YII[A-Za-z0-9+/=]{40,}", text)   # base64 of a SPNEGO token starts YII


def run_and_stop(env, log_path, code="print(6 * 7)", cells=1):
    km, kc = start_kernel(env, log_path)
    try:
        results = [run_cell(kc, code, timeout=90) for _ in range(cells)]
        alive = km.is_alive()
    finally:
        stop_kernel(km, kc)
    return results, alive


def test_a_first_cell_racing_the_start_up_request_waits_for_its_cookie_instead_of_a_second_token(
        kdc, double, tmp_path):
    """The kernel's start-up GET /version buys the Kerberos cookie; a cell sent while that answer is still on
    its way must not make a token of its own (one more KDC round trip, and two logins in Livy's audit log)."""
    path = config(tmp_path, double.url, {"type": "kerberos", "principal": f"alice@{REALM}",
                                         "keytab": str(kdc.alice_keytab)})
    double.reset()
    double.inject_fault(match={"method": "GET", "path": "^/version$"}, action="delay", seconds=0)
    double.inject_fault(match={"method": "GET", "path": "^/version$"}, action="delay", seconds=2)
    km, kc = start_kernel(kernel_env(kdc, path, tmp_path), tmp_path / "kernel.log")
    try:
        # the second GET /version carries the token and is held 2 s: send the cell now
        assert wait_until(lambda: sum(r["path"] == "/version" for r in double.requests()) == 2, 30)
        reply, outputs = run_cell(kc, "print(6 * 7)", timeout=90)
        assert reply["content"]["status"] == "ok", cell_text(outputs)
    finally:
        stop_kernel(km, kc)
    negotiated = [(r["method"], r["path"]) for r in double.requests()
                  if r["headers"].get("Authorization") == "<redacted>"]
    assert negotiated == [("GET", "/version")]


def test_keytab_kernel_runs_cells_as_alice(kdc, double, tmp_path):
    path = config(tmp_path, double.url, {"type": "kerberos", "principal": f"alice@{REALM}",
                                         "keytab": str(kdc.alice_keytab)})
    log = tmp_path / "kernel.log"
    before = len(double.sessions_ever())
    double.reset()
    results, _ = run_and_stop(kernel_env(kdc, path, tmp_path), log, cells=2)
    for reply, outputs in results:
        assert reply["content"]["status"] == "ok", cell_text(outputs)
        assert "42" in stdout_of(outputs)
    assert [(s["owner"], s["proxyUser"]) for s in double.sessions_ever()[before:]] == [("alice", "alice")]
    requests = double.requests()
    # One token bought a cookie: every later request (polls, statements, heartbeats, the delete) rides on it.
    negotiated = [r for r in requests if r["headers"].get("Authorization") == "<redacted>"]
    assert len(negotiated) == 1 and len(requests) > 5
    assert any(r["method"] == "DELETE" and r["status"] == 200 for r in requests)
    text = log.read_text() + "".join(cell_text(o) for _, o in results)
    assert "logged in as alice@LIVY.TEST" in text
    assert_no_secrets(text)


def test_a_principal_without_realm_is_in_the_default_realm(kdc, double, tmp_path):
    path = config(tmp_path, double.url, {"type": "kerberos", "principal": "bob", "keytab": str(kdc.bob_keytab)})
    results, _ = run_and_stop(kernel_env(kdc, path, tmp_path, user="bob"), tmp_path / "kernel.log")
    (reply, outputs), = results
    assert reply["content"]["status"] == "ok", cell_text(outputs)
    session = double.sessions_ever()[-1]
    assert (session["owner"], session["proxyUser"]) == ("bob", "bob")


def test_kinit_ticket_cache(kdc, double, tmp_path):
    cache = kdc.kinit("alice", tmp_path / "krb5cc_alice", keytab=kdc.alice_keytab)
    path = config(tmp_path, double.url, {"type": "kerberos"})
    results, _ = run_and_stop(kernel_env(kdc, path, tmp_path, KRB5CCNAME=f"FILE:{cache}"), tmp_path / "k.log")
    (reply, outputs), = results
    assert reply["content"]["status"] == "ok", cell_text(outputs)
    assert "42" in stdout_of(outputs)
    assert "from ticket cache" in (tmp_path / "k.log").read_text()


def test_sparkmagic_kerberos_config(kdc, double, tmp_path):
    cache = kdc.kinit("alice", tmp_path / "krb5cc_sm", keytab=kdc.alice_keytab)
    path = tmp_path / "config.json"
    path.write_text(json.dumps({
        "kernel_python_credentials": {"username": "", "password": "", "url": double.url, "auth": "Kerberos"},
        "kerberos_auth_configuration": {"mutual_authentication": "REQUIRED", "service": "HTTP"}}))
    results, _ = run_and_stop(kernel_env(kdc, path, tmp_path, KRB5CCNAME=f"FILE:{cache}"), tmp_path / "k.log")
    (reply, outputs), = results
    assert reply["content"]["status"] == "ok", cell_text(outputs)


def submit(env, tmp_path, code):
    """Runs `submit` of a one-file job through the real jar; returns the finished process."""
    job = tmp_path / "job.py"
    job.write_text(code + "\n")
    return subprocess.run(["java", "-jar", str(JAR), "submit", str(job)], env=env, capture_output=True,
                          text=True, timeout=120)


def test_submit_a_batch_with_kerberos(kdc, double, tmp_path):
    path = config(tmp_path, double.url, {"type": "kerberos", "principal": f"alice@{REALM}",
                                         "keytab": str(kdc.alice_keytab)})
    result = submit(kernel_env(kdc, path, tmp_path), tmp_path, "print('batch ran')")
    assert result.returncode == 0, result.stderr
    assert "batch ran" in result.stdout
    batch = [r for r in double.requests() if r["method"] == "POST" and r["path"] == "/batches"][-1]
    assert batch["status"] == 201
    assert_no_secrets(result.stdout + result.stderr)


def test_submit_without_a_ticket_says_so_and_sends_nothing(kdc, double, tmp_path):
    path = config(tmp_path, double.url, {"type": "kerberos"})
    env = kernel_env(kdc, path, tmp_path, KRB5CCNAME=f"FILE:{tmp_path / 'no-such-cache'}")

    def accepted_posts():
        return [r for r in double.requests() if r["method"] == "POST" and r["status"] != 401]

    posts_before = len(accepted_posts())
    result = submit(env, tmp_path, "print('never runs')")
    assert result.returncode == 2, result.stderr
    assert "kinit" in result.stderr and "Livy refused" not in result.stderr   # Livy never got a say
    assert len(accepted_posts()) == posts_before


def outdated_keytab(kdc, tmp_path):
    """carol's keytab, exported before her keys changed (another export), so the KDC refuses it."""
    kdc.add_principal("carol") if not getattr(kdc, "has_carol", False) else None
    kdc.has_carol = True
    old = kdc.keytab("carol", tmp_path / "carol-old.keytab")
    kdc.keytab("carol", tmp_path / "carol-new.keytab")
    return old


def unreachable_kdc(kdc, tmp_path):
    """A krb5.conf whose KDC is a closed port of 127.0.0.1."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    conf = tmp_path / "krb5-unreachable.conf"
    conf.write_text(kdc.krb5_conf.read_text().replace(f"127.0.0.1:{kdc.port}", f"127.0.0.1:{port}"))
    return {"KRB5_CONFIG": str(conf)}


def keytab_auth(principal, keytab, **more):
    return {"type": "kerberos", "principal": principal, "keytab": str(keytab), **more}


# case -> (livy.auth, extra environment, what the cell must say)
FAILURES = {
    "no ticket": (lambda kdc, tmp: {"type": "kerberos", "principal": f"alice@{REALM}"}, None,
                  "run kinit alice@LIVY.TEST or set livy.auth.keytab"),
    "unreadable keytab": (lambda kdc, tmp: keytab_auth("alice", tmp / "nope"), None,
                          "cannot read the Kerberos keytab"),
    "outdated keytab": (lambda kdc, tmp: keytab_auth("carol", outdated_keytab(kdc, tmp)), None,
                        "pre-authentication failed"),
    "no service principal": (lambda kdc, tmp: keytab_auth("alice", kdc.alice_keytab, hostname="livy.elsewhere"),
                             None, "no service principal HTTP/livy.elsewhere"),
    "KDC unreachable": (lambda kdc, tmp: keytab_auth("alice", kdc.alice_keytab), unreachable_kdc,
                        "cannot reach the Kerberos KDC"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_failures_are_one_clear_line_and_the_kernel_stays_up(kdc, double, tmp_path, case):
    auth, env, expected = FAILURES[case]
    path = config(tmp_path, double.url, auth(kdc, tmp_path))
    log = tmp_path / "kernel.log"
    before = len(double.sessions_ever())
    results, alive = run_and_stop(kernel_env(kdc, path, tmp_path, **(env(kdc, tmp_path) if env else {})), log,
                                  cells=2)
    assert alive
    for reply, outputs in results:
        assert reply["content"]["status"] == "error"
        text = cell_text(outputs)
        assert expected in text, text
        assert len([line for line in text.splitlines() if line.strip()]) == 2   # the error, and its traceback line
    assert len(double.sessions_ever()) == before
    assert_no_secrets(log.read_text() + "".join(cell_text(o) for _, o in results))


def test_impersonation_refused_says_so(kdc, double, tmp_path):
    path = config(tmp_path, double.url, {"type": "kerberos", "principal": "bob", "keytab": str(kdc.bob_keytab)})
    results, alive = run_and_stop(kernel_env(kdc, path, tmp_path, user="alice"), tmp_path / "k.log")
    (reply, outputs), = results
    text = cell_text(outputs)
    assert alive and reply["content"]["status"] == "error"
    assert "Livy authenticated bob but refused" in text and "not allowed to impersonate 'alice'" in text


def test_livy_asks_for_kerberos_that_is_not_configured(kdc, double, tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"livy": {"url": double.url}}))
    results, alive = run_and_stop(kernel_env(kdc, path, tmp_path), tmp_path / "k.log")
    (reply, outputs), = results
    assert alive and reply["content"]["status"] == "error"
    assert '"auth": {"type": "kerberos"' in cell_text(outputs)


def test_expired_cookie_is_renegotiated_and_statements_still_run_once(kdc, tmp_path):
    # Each statement's POST (and its resend) waits past the cookie's validity, so each POST meets a 401 first.
    livy = start_double(kerberos_keytab=str(kdc.http_keytab), kerberos_cookie_validity=0.2)
    try:
        path = config(tmp_path, livy.url, keytab_auth("alice", kdc.alice_keytab))
        km, kc = start_kernel(kernel_env(kdc, path, tmp_path), tmp_path / "k.log")
        try:
            assert run_cell(kc, "x = 0", timeout=90)[0]["content"]["status"] == "ok"
            livy.inject_fault(match={"method": "POST", "path": r"/statements$"}, action="delay", seconds=0.3,
                              count=6)
            for i in range(3):
                reply, outputs = run_cell(kc, "x += 1\nprint(x)", timeout=60)
                assert reply["content"]["status"] == "ok", cell_text(outputs)
                assert stdout_of(outputs).strip() == str(i + 1)
        finally:
            stop_kernel(km, kc)
        posts = [r["status"] for r in livy.requests() if r["method"] == "POST" and r["path"].endswith("/statements")]
        assert posts == [201] + [401, 201] * 3
    finally:
        livy.stop()


def test_an_expired_ticket_says_run_kinit_and_a_new_kinit_works_without_restarting(kdc, tmp_path):
    livy = start_double(kerberos_keytab=str(kdc.http_keytab), kerberos_cookie_validity=0.5)
    cache = tmp_path / "krb5cc"
    try:
        # The session must outlive the seconds without a ticket, when its heartbeats are refused.
        path = config(tmp_path, livy.url, {"type": "kerberos"}, heartbeat_timeout=120)
        km, kc = start_kernel(kernel_env(kdc, path, tmp_path, KRB5CCNAME=f"FILE:{cache}"), tmp_path / "k.log")
        try:
            lifetime = 8   # long enough for the first cell on a slow machine
            kdc.kinit("alice", cache, keytab=kdc.alice_keytab, lifetime=f"{lifetime}s")
            expired_at = time.monotonic() + lifetime
            reply, outputs = run_cell(kc, "x = 1\nprint(x)", timeout=60)
            assert reply["content"]["status"] == "ok", cell_text(outputs)
            time.sleep(max(0.0, expired_at - time.monotonic()) + 1)
            reply, outputs = run_cell(kc, "x += 1", timeout=60)
            assert reply["content"]["status"] == "error"
            assert "run kinit alice@LIVY.TEST again" in cell_text(outputs), cell_text(outputs)
            kdc.kinit("alice", cache, keytab=kdc.alice_keytab)
            reply, outputs = run_cell(kc, "x += 1\nprint(x)", timeout=60)
            assert reply["content"]["status"] == "ok", cell_text(outputs)
            assert stdout_of(outputs).strip() == "2"   # the same session: the failed cell never ran
        finally:
            stop_kernel(km, kc)
    finally:
        livy.stop()


def test_a_keytab_login_is_renewed_when_its_ticket_runs_out(kdc, tmp_path):
    kdc.add_principal("dave", max_life="3s")   # every ticket of dave's expires after 3 s
    keytab = kdc.keytab("dave")
    livy = start_double(kerberos_keytab=str(kdc.http_keytab), kerberos_cookie_validity=0.5)
    try:
        path = config(tmp_path, livy.url, keytab_auth("dave", keytab), heartbeat_timeout=60)
        km, kc = start_kernel(kernel_env(kdc, path, tmp_path, user="dave"), tmp_path / "k.log")
        try:
            for expected in ("1", "2"):
                if expected == "2":
                    time.sleep(4)   # past the first ticket's end, and the cookie's
                reply, outputs = run_cell(kc, "n = globals().get('n', 0) + 1\nprint(n)", timeout=60)
                assert reply["content"]["status"] == "ok", cell_text(outputs)
                assert stdout_of(outputs).strip() == expected
        finally:
            stop_kernel(km, kc)
        assert (tmp_path / "k.log").read_text().count("Kerberos: logged in as dave@LIVY.TEST") >= 2
    finally:
        livy.stop()
