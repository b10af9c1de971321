"""Self-tests of the WebHDFS double: real HTTP on loopback, answers as the WebHDFS REST API documents them.

Run: /usr/bin/python3 -m pytest tests/webhdfs_double -q
"""
import http.client
import json
import urllib.parse

import pytest

from webhdfs_double import WebHdfsDouble


@pytest.fixture
def hdfs(tmp_path):
    double = WebHdfsDouble(tmp_path / "hdfs").start()
    yield double
    double.stop()


def call(url, method, path, body=None, **query):
    """One request, redirects not followed: (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    target = path if path.startswith("/webhdfs") else f"/webhdfs/v1{path}?{urllib.parse.urlencode(query)}"
    if parts.query:
        target = f"{parts.path}?{parts.query}"
    connection.request(method, target, body=body, headers={"Content-Length": str(len(body or b""))})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def test_create_is_two_steps_and_the_bytes_land_where_open_finds_them(hdfs):
    status, headers, body = call(hdfs.url, "PUT", "/user/alice/a/b.py", op="CREATE", overwrite="true",
                                 **{"user.name": "alice"})
    assert status == 307 and body == b""
    location = headers["Location"]
    assert "namenoderpcaddress=" in location and not location.startswith(hdfs.url)
    status, headers, _ = call(location, "PUT", "", body=b"print(1)\n")
    assert status == 201 and headers["Location"].endswith("/user/alice/a/b.py")
    with open(hdfs.local("/user/alice/a/b.py"), "rb") as handle:
        assert handle.read() == b"print(1)\n"
    status, headers, _ = call(hdfs.url, "GET", "/user/alice/a/b.py", op="OPEN", **{"user.name": "alice"})
    assert status == 307
    assert call(headers["Location"], "GET", "")[2] == b"print(1)\n"
    status, _, body = call(hdfs.url, "GET", "/user/alice/a/b.py", op="GETFILESTATUS")
    assert status == 200 and json.loads(body)["FileStatus"]["length"] == 9
    assert json.loads(body)["FileStatus"]["type"] == "FILE"


def test_mkdirs_and_status_of_a_directory(hdfs):
    status, _, body = call(hdfs.url, "PUT", "/user/alice/stage", op="MKDIRS", permission="700",
                           **{"user.name": "alice"})
    assert (status, json.loads(body)) == (200, {"boolean": True})
    status, _, body = call(hdfs.url, "GET", "/user/alice/stage", op="GETFILESTATUS")
    assert json.loads(body)["FileStatus"]["type"] == "DIRECTORY"


def test_errors_are_remote_exceptions(hdfs):
    status, _, body = call(hdfs.url, "GET", "/user/alice/none", op="GETFILESTATUS")
    assert status == 404
    assert json.loads(body) == {"RemoteException": {
        "exception": "FileNotFoundException", "javaClassName": "java.io.FileNotFoundException",
        "message": "File does not exist: /user/alice/none"}}
    status, _, body = call(hdfs.url, "PUT", "/user/alice/x", op="MKDIRS", **{"user.name": "bob"})
    assert status == 403
    error = json.loads(body)["RemoteException"]
    assert error["exception"] == "AccessControlException" and "user=bob, access=WRITE" in error["message"]
    status, _, body = call(hdfs.url, "PUT", "/user/alice/x", op="NOSUCHOP", **{"user.name": "alice"})
    assert status == 400 and "NOSUCHOP" in json.loads(body)["RemoteException"]["message"]


def test_create_without_overwrite_refuses_an_existing_file(hdfs):
    for expected, overwrite, data in ((201, "false", b"first"), (403, "false", b"second"), (201, "true", b"third")):
        _, headers, _ = call(hdfs.url, "PUT", "/tmp/f", op="CREATE", overwrite=overwrite, **{"user.name": "carol"})
        status, _, body = call(headers["Location"], "PUT", "", body=data)
        assert status == expected, body
        if status == 403:
            assert json.loads(body)["RemoteException"]["exception"] == "FileAlreadyExistsException"
    with open(hdfs.local("/tmp/f"), "rb") as handle:
        assert handle.read() == b"third"
