"""Self-tests of the double's SPNEGO (kerberos_keytab), against a real MIT KDC on 127.0.0.1, with
python3-gssapi as the client: what Hadoop's AuthenticationFilter in front of Livy answers."""
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request

import pytest

from livy_double import LivyDouble

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kdc"))
from kdc import running_realm  # noqa: E402  (the KDC fixture lives beside the double)


@pytest.fixture(scope="module")
def kdc():
    with running_realm("LIVY.TEST") as server:
        yield server


@pytest.fixture(scope="module")
def double(kdc):
    with LivyDouble(startup_delay=0.1, kerberos_keytab=str(kdc.keytabs["HTTP/localhost"]),
                    kerberos_cookie_validity=1.0) as livy:
        yield livy


@pytest.fixture
def alice_cache(kdc, tmp_path, monkeypatch):
    cache = kdc.kinit("alice", tmp_path / "cc", keytab=kdc.keytabs["alice"])
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{cache}")
    return cache


def token(service_host="localhost"):
    import gssapi
    name = gssapi.Name(f"HTTP@{service_host}", gssapi.NameType.hostbased_service)
    context = gssapi.SecurityContext(name=name, usage="initiate", mech=gssapi.OID.from_int_seq("1.3.6.1.5.5.2"))   # SPNEGO, as browsers and the JDK send
    return base64.b64encode(context.step()).decode()


def call(double, method, path, headers=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(double.url + path, data=data, method=method,
                                     headers={"X-Requested-By": "t", "Content-Type": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def cookie_of(headers):
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("hadoop.auth="):
            return value.split(";")[0]
    return None


def test_without_credentials_401_negotiate_and_nothing_runs(double):
    status, headers, body = call(double, "POST", "/sessions", body={"kind": "pyspark"})
    assert status == 401
    assert headers["WWW-Authenticate"] == "Negotiate"
    assert cookie_of(headers) == "hadoop.auth="
    assert "Authentication required" in body
    assert double.sessions_ever() == []


def test_a_token_authenticates_as_the_short_name_and_buys_a_cookie(double, alice_cache):
    status, headers, body = call(double, "POST", "/batches", {"Authorization": f"Negotiate {token()}"},
                                 {"file": "/tmp/none.py"})
    assert status == 201, body
    assert json.loads(body)["owner"] == "alice" and json.loads(body)["proxyUser"] == "alice"
    assert headers["WWW-Authenticate"].startswith("Negotiate ")   # the mutual-authentication token
    cookie = cookie_of(headers)
    assert cookie.startswith('hadoop.auth="u=alice&p=alice@LIVY.TEST&t=kerberos&e=')
    status, _, _ = call(double, "GET", "/batches", {"Cookie": cookie})
    assert status == 200
    forged = cookie.replace("u=alice", "u=admin")
    assert call(double, "GET", "/batches", {"Cookie": forged})[0] == 401
    time.sleep(1.1)   # the cookie's validity (1 s here; Hadoop's default is 10 h)
    assert call(double, "GET", "/batches", {"Cookie": cookie})[0] == 401


def test_a_token_for_another_service_is_refused_403(double, kdc, alice_cache):
    kdc.add_principal("HTTP/otherhost")
    status, _, body = call(double, "GET", "/sessions", {"Authorization": f"Negotiate {token('otherhost')}"})
    assert status == 403 and "GSSException" in body


def test_another_proxy_user_is_refused_like_livy(double, alice_cache):
    status, _, body = call(double, "POST", "/sessions", {"Authorization": f"Negotiate {token()}"},
                           {"kind": "pyspark", "proxyUser": "bob"})
    assert status == 403
    assert json.loads(body) == {"msg": "User 'alice' not allowed to impersonate 'bob'."}


def test_the_request_log_hides_tokens_and_cookies(double, alice_cache):
    double.reset()
    call(double, "GET", "/sessions", {"Authorization": f"Negotiate {token()}", "Cookie": "hadoop.auth=x"})
    headers = double.requests()[0]["headers"]
    assert headers["Authorization"] == "<redacted>" and headers["Cookie"] == "<redacted>"
