"""Self-tests of the Livy double: real HTTP on loopback, answers compared with recorded samples.

Each test drives a double through urllib and compares the answers with what a real Livy 0.10
(Spark 3.5.5) answered in the same situation (tests/livy-samples, copied from the real server): same status, same body shape (keys in order, JSON types), and the same
text wherever Livy's text is deterministic.

Run: /usr/bin/python3 -m pytest tests/livy_double -q
"""

import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from livy_double import LivyDouble

HERE = os.path.dirname(os.path.abspath(__file__))


def _find_samples():
    """The real Livy's recorded answers, kept in the repository (tests/livy-samples)."""
    folder = os.environ.get("LIVY_SAMPLES_DIR")
    if folder:
        return folder
    return os.path.join(os.path.dirname(HERE), "livy-samples")


SAMPLES = _find_samples()
FAST = dict(startup_delay=0.2, heartbeat_watchdog_interval=0.2)


def sample(name):
    with open(os.path.join(SAMPLES, name), encoding="utf-8") as handle:
        return json.load(handle)


# ------------------------------------------------------------------------------------ helpers

class Reply:
    def __init__(self, status, headers, raw):
        self.status, self.headers, self.raw = status, headers, raw
        try:
            self.body = json.loads(raw) if raw else None
        except ValueError:
            self.body = raw.decode("latin-1")


class Client:
    """A small Livy client on urllib; sends X-Requested-By unless told otherwise."""

    def __init__(self, url, headers=None):
        self.url = url
        self.headers = {"X-Requested-By": "livy-double-tests", **(headers or {})}

    def call(self, method, path, body=None, headers=None, data=None):
        headers = {**self.headers, **(headers or {})}
        headers = {k: v for k, v in headers.items() if v is not None}
        if body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, error.read())

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body=None, **kwargs):
        return self.call("POST", path, body, **kwargs)

    def new_session(self, wait=True, **request):
        reply = self.post("/sessions", request or {"kind": "pyspark"})
        assert reply.status == 201, reply.body
        if wait:
            self.wait_session(reply.body["id"])
        return reply.body["id"]

    def wait_session(self, session_id, until=("idle",), timeout=15):
        deadline = time.monotonic() + timeout
        while True:
            state = self.get(f"/sessions/{session_id}").body["state"]
            if state in until:
                return state
            assert time.monotonic() < deadline, f"session {session_id} still {state}"
            time.sleep(0.02)

    def submit(self, session_id, code, kind=None):
        body = {"code": code} if kind is None else {"code": code, "kind": kind}
        reply = self.post(f"/sessions/{session_id}/statements", body)
        assert reply.status == 201, reply.body
        return reply

    def wait_statement(self, session_id, statement_id, until=("available", "cancelled"), timeout=15):
        deadline = time.monotonic() + timeout
        while True:
            statement = self.get(f"/sessions/{session_id}/statements/{statement_id}").body
            if statement["state"] in until:
                return statement
            assert time.monotonic() < deadline, f"statement still {statement['state']}"
            time.sleep(0.02)

    def run(self, session_id, code, kind=None):
        return self.wait_statement(session_id, self.submit(session_id, code, kind).body["id"])


def assert_same_shape(actual, expected, where="body"):
    """Same keys in the same order and the same JSON types, recursively (lists: first items)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not an object"
        assert list(actual) == list(expected), f"{where}: keys {list(actual)} != {list(expected)}"
        for key in expected:
            assert_same_shape(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: {actual!r} is not an array"
        if expected and actual:
            assert_same_shape(actual[0], expected[0], f"{where}[0]")
    else:
        assert type(actual) is type(expected), \
            f"{where}: {type(actual).__name__} {actual!r} vs {type(expected).__name__} {expected!r}"


def check(reply, name, exact=False):
    """Compare a reply with a recorded one: status, content type, Location shape, body."""
    expected = sample(name)["response"]
    assert reply.status == expected["status"], (reply.status, reply.body)
    assert reply.headers.get("Content-Type") == expected["headers"].get("Content-Type")
    if "Location" in expected["headers"]:
        assert re.sub(r"\d+", "N", reply.headers["Location"]) == \
            re.sub(r"\d+", "N", expected["headers"]["Location"])
    expected_body = expected["body"] if expected["body"] is not None else expected["body_raw"]
    if exact:
        assert reply.body == (expected_body or None)
    else:
        assert_same_shape(reply.body, expected_body)


def sample_code(name):
    return json.loads(sample(name)["request"]["body"])


# ----------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def livy():
    with LivyDouble(job_cancel_timeout=1.0, **FAST) as double:
        yield double


@pytest.fixture(scope="module")
def client(livy):
    return Client(livy.url)


@pytest.fixture(scope="module")
def session(client):
    return client.new_session()


# ------------------------------------------------------------------------- server and sessions

def test_version_and_empty_session_list(client):
    check(client.get("/version"), "099-version.json", exact=True)
    with LivyDouble(**FAST) as fresh:
        check(Client(fresh.url).get("/sessions"), "001-get-sessions-empty.json", exact=True)


def test_session_lifecycle(client):
    created = client.post("/sessions", {"kind": "pyspark"})
    check(created, "002-post-session-pyspark.json")
    assert created.body["state"] == "starting"
    assert created.body["log"] == ["stdout: ", "\nstderr: "]
    session_id = created.body["id"]
    check(client.get(f"/sessions/{session_id}"), "003-get-session-state-starting.json")
    client.wait_session(session_id)
    idle = client.get(f"/sessions/{session_id}")
    check(idle, "004-get-session-state-idle.json")
    assert idle.body["log"][-1].endswith("INFO SparkEntries: Created Spark session.")
    check(client.get(f"/sessions/{session_id}/state"), "006-get-session-state-endpoint.json")
    listed = client.get("/sessions")
    check(listed, "097-list-sessions.json")
    assert session_id in [s["id"] for s in listed.body["sessions"]]
    check(client.call("DELETE", f"/sessions/{session_id}"), "135-delete-session.json", exact=True)
    gone = client.get(f"/sessions/{session_id}")
    assert gone.status == 404 and gone.body == {"msg": f"Session '{session_id}' not found."}
    assert client.call("DELETE", f"/sessions/{session_id}").status == 404
    check(client.get("/sessions"), "138-list-sessions-after-delete.json")


def test_delete_while_starting(client):
    session_id = client.new_session(wait=False)
    check(client.call("DELETE", f"/sessions/{session_id}"), "133-delete-session-while-starting.json",
          exact=True)
    assert client.get(f"/sessions/{session_id}").status == 404


def test_session_echoes_request_fields_and_conf(client):
    request = json.loads(sample("100-post-session-custom-fields.json")["request"]["body"])
    request["name"] = f"custom-{uuid.uuid4().hex[:6]}"
    created = client.post("/sessions", request)
    check(created, "100-post-session-custom-fields.json")
    client.wait_session(created.body["id"])
    idle = client.get(f"/sessions/{created.body['id']}")
    check(idle, "104-get-session-custom-idle.json")
    expected = sample("104-get-session-custom-idle.json")["response"]["body"]
    for field in ("driverMemory", "driverCores", "executorMemory", "executorCores", "numExecutors",
                  "heartbeatTimeoutInSecond", "conf"):
        assert idle.body[field] == expected[field]
    by_name = client.get(f"/sessions/{request['name']}")
    assert by_name.status == 200 and by_name.body["id"] == created.body["id"]
    statement = client.run(created.body["id"], sample_code("106-stmt-custom-conf-check-post.json")["code"])
    assert statement["output"]["data"]["text/plain"] == \
        f"('4', 'hello', '1g', '{request['name']}', 'local[2]')"
    duplicate = client.post("/sessions", {"kind": "pyspark", "name": request["name"]})
    check(duplicate, "102-post-session-duplicate-name.json")
    assert re.fullmatch(rf"Rejected, Reason: Duplicate session name: Some\({request['name']}\) "
                        r"for session \d+", duplicate.body["msg"])
    client.call("DELETE", f"/sessions/{created.body['id']}")


@pytest.mark.parametrize("name", [
    "110-err-post-session-malformed-json.json", "111-err-post-session-unknown-kind.json",
    "112-err-post-session-wrong-type.json", "113-err-post-session-bad-ttl.json",
    "114-err-post-session-empty-body.json"])
def test_create_session_errors_match_livy(client, name):
    request = sample(name)["request"]
    reply = client.call("POST", "/sessions", data=(request["body"] or "").encode(),
                        headers={"Content-Type": "application/json"})
    check(reply, name, exact=True)


def test_create_session_with_text_plain_content_type(client):
    reply = client.call("POST", "/sessions", data=b'{"kind":"pyspark"}',
                        headers={"Content-Type": "text/plain"})
    check(reply, "115-err-post-session-not-json-content-type.json")
    client.call("DELETE", f"/sessions/{reply.body['id']}")


@pytest.mark.parametrize("method, path, name", [
    ("GET", "/sessions/999", "116-err-get-unknown-session.json"),
    ("GET", "/sessions/abc", "117-err-get-nonnumeric-session.json"),
    ("GET", "/sessions/999/state", "118-err-get-unknown-session-state.json"),
    ("GET", "/sessions/999/log", "119-err-get-unknown-session-log.json"),
    ("GET", "/sessions/999/statements", "120-err-get-unknown-session-statements.json"),
    ("DELETE", "/sessions/999", "122-err-delete-unknown-session.json"),
    ("GET", "/nosuchpath", "130-err-get-unknown-path.json"),
    ("GET", "/batches/999", "131-err-get-unknown-batch.json"),
])
def test_unknown_sessions_and_paths(client, method, path, name):
    check(client.call(method, path), name, exact=True)


def test_unsupported_method(client):
    reply = client.call("PUT", "/sessions", {"kind": "pyspark"})
    check(reply, "132-err-put-sessions.json", exact=True)
    assert reply.headers["Allow"] == "POST, GET, HEAD"


# ----------------------------------------------------------------------------------- statements

# (POST sample, final GET sample, compare the whole output exactly?)
STATEMENT_SAMPLES = [
    ("007-stmt-count-post.json", "010-stmt-count-result.json", True),
    ("011-stmt-trivial-0-post.json", "012-stmt-trivial-0-result.json", True),
    ("021-stmt-print-post.json", "022-stmt-print-result.json", True),
    ("023-stmt-python-exception-post.json", "025-stmt-python-exception-result.json", True),
    ("026-stmt-syntax-error-post.json", "027-stmt-syntax-error-result.json", True),
    ("028-stmt-spark-exception-post.json", "030-stmt-spark-exception-result.json", False),
    ("031-stmt-sql-kind-post.json", "034-stmt-sql-kind-result.json", True),
    ("035-stmt-spark-kind-scala-post.json", "038-stmt-spark-kind-scala-result.json", True),
    ("039-stmt-sparkr-kind-post.json", "041-stmt-sparkr-kind-result.json", True),
    ("042-stmt-empty-code-post.json", "043-stmt-empty-code-result.json", True),
    ("044-stmt-multi-result-post.json", "045-stmt-multi-result-result.json", True),
    ("046-stmt-table-magic-post.json", "048-stmt-table-magic-result.json", True),
    ("049-stmt-json-magic-post.json", "050-stmt-json-magic-result.json", True),
    ("051-stmt-matplot-magic-post.json", "053-stmt-matplot-magic-result.json", False),
    ("054-stmt-unknown-magic-post.json", "055-stmt-unknown-magic-result.json", True),
    ("056-stmt-pandas-df-post.json", "058-stmt-pandas-df-result.json", True),
    ("059-stmt-df-show-post.json", "061-stmt-df-show-result.json", True),
]


@pytest.mark.parametrize("post_name, result_name, exact", STATEMENT_SAMPLES,
                         ids=[s[1][:-5] for s in STATEMENT_SAMPLES])
def test_statement_output_matches_livy(client, session, post_name, result_name, exact):
    posted = client.post(f"/sessions/{session}/statements", sample_code(post_name))
    check(posted, post_name)
    assert posted.body["state"] == "waiting" and posted.body["output"] is None
    final = client.wait_statement(session, posted.body["id"])
    expected = sample(result_name)["response"]["body"]
    assert_same_shape(final, expected)
    assert final["progress"] == 1.0 and final["started"] <= final["completed"]
    output = dict(final["output"], execution_count=expected["output"]["execution_count"])
    if exact:
        assert output == expected["output"]
    else:
        assert output["status"] == expected["output"]["status"]
        assert output.get("ename") == expected["output"].get("ename")
        assert output.get("evalue") == expected["output"].get("evalue")


def test_matplot_is_a_png(client, session):
    output = client.run(session, sample_code("051-stmt-matplot-magic-post.json")["code"])["output"]
    assert base64.b64decode(output["data"]["image/png"]).startswith(b"\x89PNG")
    assert output["data"]["text/plain"] == "Text(0.5, 1.0, 'sampler')"


def test_spark_exception_traceback_ends_like_pyspark(client, session):
    output = client.run(session, "spark.sql('SELECT * FROM no_such_table').show()")["output"]
    expected = sample("030-stmt-spark-exception-result.json")["response"]["body"]["output"]
    assert output["traceback"][0] == "Traceback (most recent call last):\n"
    assert output["traceback"][-1] == expected["traceback"][-1]


def test_failed_statement_output_leaks_into_the_next_one(client, session):
    """fake_shell clears captured output only after a success; the double keeps that quirk."""
    assert client.run(session, "print('from the failure')\n1 / 0")["output"]["status"] == "error"
    assert client.run(session, "print('next')")["output"]["data"]["text/plain"] == \
        "from the failure\nnext"


def test_variables_persist_and_sql_sees_temp_views(client, session):
    client.run(session, "df = spark.createDataFrame([(1, 'a'), (2, 'b')], ['n', 's'])\n"
                        "df.createOrReplaceTempView('letters')")
    result = client.run(session, "SELECT s, n * 10 AS m FROM letters ORDER BY n", kind="sql")
    assert result["output"]["data"]["application/json"] == {
        "schema": {"type": "struct", "fields": [
            {"name": "s", "type": "string", "nullable": True, "metadata": {}},
            {"name": "m", "type": "long", "nullable": True, "metadata": {}}]},
        "data": [["a", 10], ["b", 20]]}
    assert client.run(session, "df.count()")["output"]["data"]["text/plain"] == "2"


def test_progress_rises_while_a_job_runs(client, session):
    statement = client.submit(session, "simulate_spark_job(1.2, tasks=4)").body
    seen = []
    while statement["state"] != "available":
        if statement["state"] == "running":
            seen.append(statement["progress"])
        time.sleep(0.05)
        statement = client.get(f"/sessions/{session}/statements/{statement['id']}").body
    assert_same_shape(statement, sample("064-stmt-progress-result.json")["response"]["body"])
    assert statement["progress"] == 1.0
    assert seen == sorted(seen) and {0.25, 0.5, 0.75} & set(seen), seen


def test_cancel_a_queued_and_a_running_spark_job(client, session):
    long = client.submit(session, "simulate_spark_job(60, tasks=100)").body
    queued = client.submit(session, "'queued statement ran'")
    check(queued, "067-cancel-job-post-queued.json")
    client.wait_statement(session, long["id"], until=("running",))
    check(client.get(f"/sessions/{session}"), "070-get-session-busy.json")
    assert client.get(f"/sessions/{session}").body["state"] == "busy"

    check(client.post(f"/sessions/{session}/statements/{queued.body['id']}/cancel"),
          "071-cancel-queued-post.json", exact=True)
    after = client.get(f"/sessions/{session}/statements/{queued.body['id']}")
    check(after, "072-cancel-queued-get-after.json")
    assert (after.body["state"], after.body["progress"], after.body["started"]) == ("cancelled", 1.0, 0)

    started = time.monotonic()
    check(client.post(f"/sessions/{session}/statements/{long['id']}/cancel"),
          "073-cancel-running-post.json", exact=True)
    final = client.wait_statement(session, long["id"], until=("cancelled",))
    assert time.monotonic() - started < 0.9   # a job is cancelled at once, long before the timeout
    check(client.get(f"/sessions/{session}/statements/{long['id']}"), "075-cancel-running-final.json")
    assert final["output"]["ename"] == "Py4JJavaError"
    assert re.fullmatch(r"An error occurred while calling z:org\.apache\.spark\.api\.python\."
                        r"PythonRDD\.collectAndServe\.\n: org\.apache\.spark\.SparkException: "
                        rf"Job \d+ cancelled part of cancelled job group {long['id']}\n\tat .*",
                        final["output"]["evalue"], re.S)
    assert final["output"]["traceback"][-1].startswith("py4j.protocol.Py4JJavaError: ")
    after_cancel = client.run(session, "spark.range(5).count()")
    assert after_cancel["output"]["data"]["text/plain"] == "5"


def test_cancel_of_pure_python_waits_for_the_job_cancel_timeout(client, session):
    """Sample 082: cancelJobGroup cannot stop plain Python; after livy.rsc.job-cancel.timeout
    (1 s here) the statement is `cancelled`, but the code runs on and the next statement waits."""
    sleeper = client.submit(session, "import time\ntime.sleep(2.5)\n'slept'").body
    client.wait_statement(session, sleeper["id"], until=("running",))
    check(client.post(f"/sessions/{session}/statements/{sleeper['id']}/cancel"),
          "080-cancel-sleep-cancel.json", exact=True)
    following = client.submit(session, "'next statement'").body
    assert client.get(f"/sessions/{session}/statements/{sleeper['id']}").body["state"] == "cancelling"
    cancelled = client.wait_statement(session, sleeper["id"], until=("cancelled",))
    assert (cancelled["output"], cancelled["progress"]) == (None, 1.0)
    assert client.get(f"/sessions/{session}/statements/{following['id']}").body["state"] == "waiting"
    final_next = client.wait_statement(session, following["id"])
    final_sleeper = client.get(f"/sessions/{session}/statements/{sleeper['id']}")
    check(final_sleeper, "083-cancel-sleep-final.json")
    assert final_sleeper.body["state"] == "cancelled"
    assert final_sleeper.body["output"]["data"] == {"text/plain": "'slept'"}
    assert final_next["output"]["data"] == {"text/plain": "'next statement'"}
    log = client.get(f"/sessions/{session}/log?size=3").body["log"]
    assert log[-2].endswith(f"INFO Session: Failed to cancel statement {sleeper['id']}.")
    assert log[-1].endswith(f"INFO Session: Statement {sleeper['id']} cancelled.")


@pytest.mark.parametrize("name, exact", [
    ("085-completion-pyspark.json", True), ("086-completion-pyspark-import.json", True),
    ("087-completion-pyspark-midline.json", True), ("088-completion-scala.json", True),
    ("089-completion-sql.json", True), ("090-completion-no-kind.json", True),
    ("091-completion-no-cursor.json", True)])
def test_completion(client, session, name, exact):
    check(client.post(f"/sessions/{session}/completion", sample_code(name)), name, exact=exact)


def test_statement_listing_and_log_paging(client, session):
    client.run(session, "1 + 1")
    listed = client.get(f"/sessions/{session}/statements")
    check(listed, "092-list-statements.json")
    total = listed.body["total_statements"]
    assert [s["id"] for s in listed.body["statements"]] == list(range(total))
    page = client.get(f"/sessions/{session}/statements?order=desc&from=0&size=2")
    check(page, "093-list-statements-desc-paged.json")
    assert [s["id"] for s in page.body["statements"]] == [total - 1, total - 2]

    default = client.get(f"/sessions/{session}/log")
    check(default, "094-session-log-default.json")
    total_lines = default.body["total"]
    assert default.body["from"] == max(0, total_lines - 100)
    first = client.get(f"/sessions/{session}/log?from=0&size=20")
    check(first, "095-session-log-from0-size20.json")
    assert first.body["from"] == 0 and first.body["log"][0] == "stdout: "
    last = client.get(f"/sessions/{session}/log?size=5")
    check(last, "096-session-log-size5.json")
    assert last.body["from"] == total_lines - 5 and len(last.body["log"]) == 5


@pytest.mark.parametrize("method, path, body, name", [
    ("POST", "/sessions/999/statements", {"code": "1"}, "121-err-post-statement-unknown-session.json"),
    ("GET", "/sessions/{s}/statements/999", None, "123-err-get-unknown-statement.json"),
    ("GET", "/sessions/{s}/statements/abc", None, "124-err-get-nonnumeric-statement.json"),
    ("POST", "/sessions/{s}/statements/999/cancel", None, "125-err-cancel-unknown-statement.json"),
    ("POST", "/sessions/{s}/statements", '{"code": ', "126-err-post-statement-malformed-json.json"),
    ("POST", "/sessions/{s}/statements", {}, "127-err-post-statement-missing-code.json"),
    ("POST", "/sessions/{s}/statements", {"code": "1", "kind": "cobol"},
     "128-err-post-statement-unknown-kind.json"),
    ("POST", "/sessions/999/completion", {"code": "sp", "kind": "pyspark", "cursor": 2},
     "129-err-completion-unknown-session.json"),
])
def test_statement_errors_match_livy(client, session, method, path, body, name):
    data = body.encode() if isinstance(body, str) else None
    reply = client.call(method, path.format(s=session), None if data else body, data=data)
    check(reply, name, exact=True)


def test_statement_while_starting(client):
    session_id = client.new_session(wait=False, kind="pyspark")
    check(client.post(f"/sessions/{session_id}/statements", {"code": "'queued during startup'"}),
          "101-stmt-post-while-starting.json", exact=True)
    client.call("DELETE", f"/sessions/{session_id}")


def test_retained_statements():
    with LivyDouble(retained_statements=2, **FAST) as double:
        client = Client(double.url)
        session_id = client.new_session()
        for value in range(4):
            client.run(session_id, str(value))
        listed = client.get(f"/sessions/{session_id}/statements").body
        assert listed["total_statements"] == 2
        assert [s["id"] for s in listed["statements"]] == [2, 3]
        assert client.get(f"/sessions/{session_id}/statements/0").status == 404


def test_uploaded_files_are_importable_and_readable(client, session):
    module = f"helper_{uuid.uuid4().hex[:8]}"
    boundary = "livydoubleboundary"

    def multipart(field, name, content):
        return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
                f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                f"{content}\r\n--{boundary}--\r\n").encode()

    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    reply = client.call("POST", f"/sessions/{session}/upload-pyfile", headers=headers,
                        data=multipart("file", f"{module}.py", "def answer():\n    return 42\n"))
    assert reply.status == 200
    assert client.run(session, f"import {module}\n{module}.answer()")["output"]["data"] == \
        {"text/plain": "42"}
    client.call("POST", f"/sessions/{session}/upload-file", headers=headers,
                data=multipart("file", "data.txt", "hello file"))
    assert client.run(session, "open('data.txt').read()")["output"]["data"] == \
        {"text/plain": "'hello file'"}
    missing = client.call("POST", f"/sessions/{session}/upload-jar", headers=headers,
                          data=multipart("file", "x.jar", "jar"))
    assert (missing.status, missing.body) == (400, "No jar sent!")


# -------------------------------------------------------------------- session kinds and deaths

def test_shared_session(client):
    created = client.post("/sessions", {})
    check(created, "190-nokind-session-post.json")
    assert created.body["kind"] == "shared"
    session_id = created.body["id"]
    client.wait_session(session_id)
    check(client.post(f"/sessions/{session_id}/statements", {"code": "1 + 1"}),
          "193-nokind-stmt-without-kind-post.json", exact=True)
    python = client.run(session_id, "spark.range(3).count()", kind="pyspark")
    assert python["output"] == sample("197-nokind-stmt-pyspark-result.json")["response"]["body"]["output"]
    scala = client.run(session_id, "spark.range(3).count()", kind="spark")
    assert scala["output"] == dict(
        sample("201-nokind-stmt-scala-result.json")["response"]["body"]["output"], execution_count=1)
    client.call("DELETE", f"/sessions/{session_id}")


def test_sql_session(client):
    created = client.post("/sessions", {"kind": "sql"})
    check(created, "203-sql-session-post.json")
    session_id = created.body["id"]
    client.wait_session(session_id)
    result = client.run(session_id, sample_code("206-sql-session-stmt-post.json")["code"])
    assert result["output"] == sample("209-sql-session-stmt-result.json")["response"]["body"]["output"]
    error = client.run(session_id, sample_code("210-sql-session-stmt-error-post.json")["code"])
    assert error["output"] == sample("213-sql-session-stmt-error-result.json")["response"]["body"]["output"]
    client.call("DELETE", f"/sessions/{session_id}")


def test_python_process_death(client):
    session_id = client.new_session(kind="pyspark", name=f"crash-{uuid.uuid4().hex[:6]}")
    exited = client.run(session_id, "import sys\nsys.exit(3)")
    assert exited["output"] == dict(
        sample("165-stmt-sys-exit-result.json")["response"]["body"]["output"], execution_count=0)
    check(client.get(f"/sessions/{session_id}"), "166-crash-session-after-sys-exit.json")
    assert client.get(f"/sessions/{session_id}").body["state"] == "idle"

    died = client.run(session_id, "import os\nos._exit(1)")
    assert_same_shape(died, sample("169-stmt-os-exit-result.json")["response"]["body"])
    assert died["output"]["ename"] == "Error" and died["output"]["traceback"] == []
    assert died["output"]["evalue"].startswith("Interpreter died:\n")
    assert "ERROR:fake_shell:execute_reply" in died["output"]["evalue"]   # sys.exit's log line
    after = client.get(f"/sessions/{session_id}")
    check(after, "171-crash-session-after-os-exit.json")
    assert after.body["state"] == "error"
    assert after.body["log"][-2].endswith("ERROR PythonInterpreter: Process has died with 1")
    assert after.body["log"][-1].endswith("ERROR PythonInterpreter: ")

    next_one = client.post(f"/sessions/{session_id}/statements", {"code": "1 + 1"})
    check(next_one, "172-stmt-after-python-died-post.json")
    assert next_one.body["output"] == dict(
        sample("173-stmt-after-python-died-result.json")["response"]["body"]["output"],
        execution_count=2)
    check(client.call("DELETE", f"/sessions/{session_id}"), "174-crash-session-delete.json", exact=True)


@pytest.mark.parametrize("request_body", [
    {"kind": "pyspark", "driverMemory": "lots"},
    {"kind": "pyspark", "conf": {"spark.double.failStart": "true"}}], ids=["memory", "conf"])
def test_session_that_fails_to_start(client, request_body):
    created = client.post("/sessions", request_body)
    assert (created.status, created.body["state"]) == (201, "starting")
    session_id = created.body["id"]
    client.wait_session(session_id, until=("dead",))
    log = client.get(f"/sessions/{session_id}/log")
    check(log, "187-bad-session-log.json")
    if "driverMemory" in request_body:   # exactly sample 184-187
        check(created, "184-bad-session-post.json")
        check(client.get(f"/sessions/{session_id}"), "186-bad-session-final.json")
        assert log.body["log"] == sample("187-bad-session-log.json")["response"]["body"]["log"]
    else:
        assert "spark.double.failStart=true" in log.body["log"][2]
    check(client.post(f"/sessions/{session_id}/statements", {"code": "1"}),
          "188-bad-session-statement.json", exact=True)
    statements = client.get(f"/sessions/{session_id}/statements")
    assert (statements.status, statements.body) == \
        (400, {"msg": "requirement failed: Session isn't active."})
    check(client.call("DELETE", f"/sessions/{session_id}"), "189-bad-session-delete.json", exact=True)


# ------------------------------------------------------------------------ security and clocks

def test_csrf_protection():
    with LivyDouble(**FAST) as double:
        bare = Client(double.url, headers={"X-Requested-By": None})
        check(bare.get("/sessions"), "175-csrf-get-sessions-no-header.json", exact=True)
        check(bare.post("/sessions", {"kind": "pyspark"}), "176-csrf-post-session-no-header.json",
              exact=True)
        with_header = Client(double.url)
        session_id = with_header.new_session()
        check(bare.post(f"/sessions/{session_id}/statements", {"code": "1+1"}),
              "178-csrf-post-statement-no-header.json", exact=True)
        check(bare.post(f"/sessions/{session_id}/statements", {"code": "1+1"},
                        headers={"X-Requested-By": ""}), "179-csrf-post-statement-empty-header.json")
        check(with_header.post(f"/sessions/{session_id}/statements", {"code": "1+1"}),
              "180-csrf-post-statement-with-header.json")
        assert bare.get(f"/sessions/{session_id}/statements/0").status == 200   # sample 181
        deleted = bare.call("DELETE", f"/sessions/{session_id}")
        assert (deleted.status, deleted.raw) == (400, b"")   # Jetty: no error page for DELETE
        check(with_header.call("DELETE", f"/sessions/{session_id}"),
              "183-csrf-delete-with-header.json", exact=True)
    with LivyDouble(csrf=False, **FAST) as double:
        assert Client(double.url, headers={"X-Requested-By": None}).post(
            "/sessions", {"kind": "pyspark"}).status == 201


def test_basic_auth():
    with LivyDouble(auth_user="alice", auth_password="s3cret", **FAST) as double:
        anonymous = Client(double.url)
        refused = anonymous.get("/sessions")
        assert refused.status == 401 and refused.headers["WWW-Authenticate"] == 'Basic realm="livy"'
        wrong = anonymous.call("GET", "/sessions", headers={
            "Authorization": "Basic " + base64.b64encode(b"alice:nope").decode()})
        assert wrong.status == 401
        alice = Client(double.url, headers={
            "Authorization": "Basic " + base64.b64encode(b"alice:s3cret").decode()})
        created = alice.post("/sessions", {"kind": "pyspark"})
        assert created.status == 201
        assert (created.body["owner"], created.body["proxyUser"]) == ("alice", "alice")
        recorded = double.requests()
        assert {r["headers"].get("Authorization") for r in recorded} == {None, "<redacted>"}
        assert "s3cret" not in json.dumps(recorded)


def test_bearer_token_auth_and_rotation():
    with LivyDouble(bearer_token="tok-1", **FAST) as double:
        refused = Client(double.url).get("/sessions")
        assert refused.status == 401 and refused.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
        first = Client(double.url, headers={"Authorization": "Bearer tok-1"})
        assert first.get("/sessions").status == 200
        double.require_bearer_token("tok-1", "tok-2")
        assert first.get("/sessions").status == 200
        double.require_bearer_token("tok-2")
        assert first.get("/sessions").status == 401
        assert Client(double.url, headers={"Authorization": "Bearer tok-2"}).get("/sessions").status == 200
        assert "tok-" not in json.dumps(double.requests())


def test_heartbeat_expiry_deletes_sessions():
    with LivyDouble(**FAST) as double:
        client = Client(double.url)
        touched = client.new_session(kind="pyspark", heartbeatTimeoutInSecond=1)
        untouched = client.new_session(wait=False, kind="pyspark", heartbeatTimeoutInSecond=1)
        deadline = time.monotonic() + 5
        while touched in [s["id"] for s in client.get("/sessions").body["sessions"]]:
            assert time.monotonic() < deadline, "heartbeat did not expire"
            time.sleep(0.1)
        # Livy never expires a session that has not received a heartbeat yet.
        assert [s["id"] for s in client.get("/sessions").body["sessions"]] == [untouched]
        history = {s["id"]: s for s in double.sessions_ever()}
        assert history[touched]["deleted_by"] == "heartbeat"
        assert history[touched]["request"] == {"kind": "pyspark", "heartbeatTimeoutInSecond": 1}
        assert not history[untouched]["deleted"]


def test_idle_timeout_deletes_sessions_but_gets_do_not_count():
    with LivyDouble(session_timeout=1.0, **FAST) as double:
        client = Client(double.url)
        session_id = client.new_session()
        deadline = time.monotonic() + 5
        while client.get(f"/sessions/{session_id}").status == 200:   # GETs are no activity
            assert time.monotonic() < deadline, "idle timeout did not expire"
            time.sleep(0.1)
        assert double.sessions_ever()[0]["deleted_by"] == "idle_timeout"


# ----------------------------------------------------------------------------------- faults

def test_fault_status(livy, client):
    livy.reset()
    rule = client.post("/_double/faults", {"match": {"method": "GET", "path": "^/version$"},
                                           "action": "status", "status": 503, "count": 2})
    assert rule.status == 201
    assert [client.get("/version").status for _ in range(3)] == [503, 503, 200]
    assert [r["fault"] for r in livy.requests()] == ["status", "status", None]
    livy.inject_fault(action="status", match={"path": "^/sessions/\\d+$"}, status=404)
    assert client.get("/sessions/7").body == {"msg": "Session '7' not found."}


def test_fault_reset_and_drop_response(livy, client, session):
    livy.inject_fault({"match": {"method": "POST", "path": "/statements$"}, "action": "reset"})
    before = client.get(f"/sessions/{session}/statements").body["total_statements"]
    with pytest.raises((ConnectionError, http.client.HTTPException, urllib.error.URLError)):
        client.post(f"/sessions/{session}/statements", {"code": "'reset'"})
    assert client.get(f"/sessions/{session}/statements").body["total_statements"] == before

    livy.inject_fault(action="drop_response", match={"method": "POST", "path": "/statements$"})
    with pytest.raises((ConnectionError, http.client.HTTPException, urllib.error.URLError)):
        client.post(f"/sessions/{session}/statements", {"code": "'dropped'"})
    statements = client.get(f"/sessions/{session}/statements").body
    assert statements["total_statements"] == before + 1   # executed once, never answered
    assert statements["statements"][-1]["code"] == "'dropped'"
    assert livy.requests()[-2]["fault"] == "drop_response"


def test_fault_delay(livy, client):
    livy.inject_fault(action="delay", match={"path": "^/version$"}, seconds=0.3)
    started = time.monotonic()
    assert client.get("/version").status == 200
    assert time.monotonic() - started >= 0.3


def test_fault_kill_session(client):
    session_id = client.new_session()
    client.post("/_double/faults", {"action": "kill_session", "session": session_id})
    assert client.get(f"/sessions/{session_id}").body["state"] == "dead"
    check(client.post(f"/sessions/{session_id}/statements", {"code": "1"}),
          "188-bad-session-statement.json", exact=True)
    client.call("DELETE", f"/sessions/{session_id}")


def test_fault_restart_forgets_everything():
    with LivyDouble(**FAST) as double:
        client = Client(double.url)
        first = client.new_session(wait=False)
        client.new_session(wait=False)
        double.inject_fault(action="restart", match={"method": "GET", "path": "^/sessions/1$"})
        assert client.get("/sessions/1").status == 404
        assert client.get("/sessions").body == {"from": 0, "total": 0, "sessions": []}
        assert client.new_session(wait=False) == 0 == first
        assert [s["deleted_by"] for s in double.sessions_ever()] == ["restart", "restart", None]


def test_control_api_over_http(client):
    assert client.post("/_double/faults", {"action": "explode"}).status == 400
    client.post("/_double/faults", {"match": {"path": "^/nothing$"}, "action": "reset", "count": 3})
    assert client.get("/_double/faults").body["faults"][0]["remaining"] == 3
    assert client.call("DELETE", "/_double/faults").status == 200
    assert client.get("/_double/faults").body == {"faults": []}
    client.post("/_double/reset")
    client.get("/version")
    assert [r["path"] for r in client.get("/_double/requests").body["requests"]] == ["/version"]
    assert all("request" in s for s in client.get("/_double/sessions").body["sessions"])


# ------------------------------------------------------------------------------------ batches

PI = """import sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("sampler-pi").getOrCreate()
n = int(sys.argv[1])
print("Pi is roughly %f" % (4.0 * sum(1 for i in range(n)) / n - 0.859))
print("rows: %d" % spark.range(15).count())
"""
FAIL = """print("about to fail")
raise RuntimeError("intentional failure from sampler batch")
"""


def wait_batch(client, batch_id, until=("success", "dead")):
    deadline = time.monotonic() + 15
    while (state := client.get(f"/batches/{batch_id}/state").body["state"]) not in until:
        assert time.monotonic() < deadline, state
        time.sleep(0.05)
    return state


def test_batches(tmp_path):
    (tmp_path / "pi.py").write_text(PI)
    (tmp_path / "fail.py").write_text(FAIL)
    with LivyDouble(local_dir_whitelist=(str(tmp_path),), **FAST) as double:
        client = Client(double.url)
        created = client.post("/batches", {"file": str(tmp_path / "pi.py"), "args": ["4"],
                                           "name": "sampler-batch-pi"})
        check(created, "139-batch-pi-post.json")
        assert created.body["state"] == "starting" and created.body["log"] == ["stdout: ", "\nstderr: "]
        assert wait_batch(client, 0) == "success"
        check(client.get("/batches/0"), "141-batch-pi-get-success.json")
        check(client.get("/batches/0/state"), "143-batch-pi-state.json", exact=True)
        log = client.get("/batches/0/log?from=0&size=400")
        check(log, "144-batch-pi-log.json")
        assert log.body["log"][0] == "stdout: " and log.body["log"][-1] == "\nstderr: "
        assert "Pi is roughly 3.141000" in log.body["log"] and "rows: 15" in log.body["log"]
        assert any(line.endswith("Submitted application: sampler-pi") for line in log.body["log"])

        client.post("/batches", {"file": str(tmp_path / "fail.py"), "name": "sampler-batch-fail"})
        assert wait_batch(client, 1) == "dead"
        check(client.get("/batches/1/state"), "150-batch-fail-state.json", exact=True)
        lines = client.get("/batches/1/log?from=0&size=400").body["log"]
        assert lines[lines.index("about to fail") + 1:lines.index("about to fail") + 5] == [
            "Traceback (most recent call last):",
            f'  File "{tmp_path / "fail.py"}", line 2, in <module>',
            '    raise RuntimeError("intentional failure from sampler batch")',
            "RuntimeError: intentional failure from sampler batch"]

        outside = client.post("/batches", {"file": "/tmp/not-whitelisted.py"})
        check(outside, "152-batch-not-whitelisted.json", exact=True)
        check(client.post("/batches", {"args": ["1"]}), "153-batch-missing-file-field.json", exact=True)
        missing_file = str(tmp_path / "does-not-exist.py")
        check(client.post("/batches", {"file": missing_file}), "154-batch-nonexistent-file.json")
        assert wait_batch(client, 4) == "dead"
        listed = client.get("/batches")
        check(listed, "155-batch-nonexistent-file-get.json")
        # Rejected batches leave ghosts behind, like the real server (sample 155).
        assert [(b["id"], b["state"], b["log"]) for b in listed.body["sessions"][2:4]] == \
            [(2, "starting", []), (3, "starting", [])]
        log = client.get("/batches/4/log").body["log"]
        assert log[1] == f"{double.options.python}: can't open file '{missing_file}': " \
                         "[Errno 2] No such file or directory"
        check(client.call("DELETE", "/batches/0"), "158-delete-batch.json", exact=True)
        check(client.get("/batches/0"), "159-get-batch-after-delete.json", exact=True)


# ------------------------------------------------------------------------------------- YARN

def test_yarn_mode_with_a_busy_queue():
    with LivyDouble(yarn=True, startup_delay=0.6, yarn_am_wait=0.6,
                    heartbeat_watchdog_interval=0.2) as double:
        client = Client(double.url)
        created = client.post("/sessions", {"kind": "pyspark", "name": "yarn-pyspark"})
        check(created, "yarn/001-yarn-post-session-pyspark.json")
        assert created.body["log"] == ["stdout: ", "\nstderr: ", "\nYARN Diagnostics: "]
        session_id = created.body["id"]
        seen_limit = False
        while (body := client.get(f"/sessions/{session_id}").body)["state"] == "starting":
            seen_limit |= "Queue's AM resource limit exceeded." in " ".join(body["log"])
            time.sleep(0.05)
        assert seen_limit
        idle = client.get(f"/sessions/{session_id}")
        check(idle, "yarn/004-yarn-get-session-idle-appid.json")
        app_id = idle.body["appId"]
        assert re.fullmatch(r"application_\d{13}_\d{4}", app_id)
        assert idle.body["appInfo"]["sparkUiUrl"].endswith(f"/proxy/{app_id}/")
        assert app_id.replace("application", "container") in idle.body["appInfo"]["driverLogUrl"]
        info = client.run(session_id, "(sc.applicationId, sc.master, "
                                      "sc.getConf().get('spark.submit.deployMode'))")
        assert info["output"]["data"]["text/plain"] == f"('{app_id}', 'yarn', 'cluster')"



def test_yarn_tags_of_the_request_follow_livys_own():
    """Livy puts its own tag (livy-session-N- and 8 characters, by which it finds the application) first and keeps
    the request's spark.yarn.tags after it (SparkApp.prepareSparkConf), so a client's accounting tags reach YARN."""
    with LivyDouble(yarn=True, startup_delay=0.1) as double:
        client = Client(double.url)
        session_id = client.new_session(kind="pyspark", conf={"spark.yarn.tags": "livy-kernel,livy-kernel-user:alice"})
        info = client.run(session_id, "sc.getConf().get('spark.yarn.tags')")
        tags = info["output"]["data"]["text/plain"].strip("'").split(",")
        assert re.fullmatch(rf"livy-session-{session_id}-[a-z0-9]{{8}}", tags[0]), tags
        assert tags[1:] == ["livy-kernel", "livy-kernel-user:alice"], tags

# ------------------------------------------------------------------------------- Kubernetes
# No recording of Livy on Kubernetes exists here: the answers are checked against Livy 0.9's source
# (apache/incubator-livy server/.../utils/SparkKubernetesApp.scala and SparkKubernetesAppSpec.scala), shape
# against the real local-mode answers (same SessionInfo fields, in the same order).

K8S_APP_ID = re.compile(r"spark-[0-9a-f]{32}")


def sections(log):
    """A Livy log split at its section headers: {"stdout: ": [...], "\nstderr: ": [...], ...}."""
    found, current = {}, None
    for line in log:
        if line in ("stdout: ", "\nstderr: ", "\nKubernetes Diagnostics: ", "\nYARN Diagnostics: "):
            current = found.setdefault(line, [])
        else:
            current.append(line)
    return found


def test_kubernetes_mode_reports_the_application_as_livy_on_kubernetes_does():
    with LivyDouble(kubernetes=True, startup_delay=0.6, heartbeat_watchdog_interval=0.2) as double:
        client = Client(double.url)
        created = client.post("/sessions", {"kind": "pyspark", "name": "k8s-pyspark", "numExecutors": 2})
        check(created, "yarn/001-yarn-post-session-pyspark.json")   # a named session's POST answer, no app yet
        assert created.body["log"] == ["stdout: ", "\nstderr: ", "\nKubernetes Diagnostics: "]
        session_id = created.body["id"]
        pending_seen = False
        while (body := client.get(f"/sessions/{session_id}").body)["state"] == "starting":
            if body["appId"] and body["appInfo"]["sparkUiUrl"] is None:
                pending_seen = True   # the app is found by its tag while its driver pod is Pending: no UI yet
            time.sleep(0.03)
        assert pending_seen
        idle = client.get(f"/sessions/{session_id}").body
        assert list(idle) == list(sample("098-get-session-idle-full.json")["response"]["body"])
        app_id = idle["appId"]
        assert K8S_APP_ID.fullmatch(app_id), app_id
        assert idle["appInfo"] == {"driverLogUrl": None, "sparkUiUrl": f"http://localhost:4040/spark-ui/{app_id}",
                                   "executorLogUrls": None}
        log = client.get(f"/sessions/{session_id}/log?from=0&size=10000").body["log"]
        assert "YARN" not in json.dumps(idle) + json.dumps(log) and "/proxy/" not in json.dumps(log)
        parts = sections(log)
        assert list(parts) == ["stdout: ", "\nstderr: ", "\nKubernetes Diagnostics: "]
        assert any("LoggingPodStatusWatcherImpl" in line for line in parts["\nstderr: "])   # spark-submit's
        assert any("SparkEntries" in line for line in parts["stdout: "])   # the driver pod's own log
        pods = [line for line in parts["\nKubernetes Diagnostics: "] if not line.startswith("\t")]
        assert re.fullmatch(r"k8s-pyspark-[0-9a-f]{16}-driver\.default:", pods[0]), pods
        assert [p.split(".")[0].rsplit("-", 2)[-2:] for p in pods[1:]] == [["exec", "1"], ["exec", "2"]]
        driver = parts["\nKubernetes Diagnostics: "][1:17]
        assert [line.split(":")[0].strip() for line in driver[:9]] == [
            "node", "hostname", "podIp", "startTime", "phase", "reason", "message", "labels", "containers"]
        assert "\tphase: Running" in driver
        assert f"spark-app-selector={app_id}" in driver[7] and "spark-role=driver" in driver[7]
        assert idle["log"] == log[-10:]   # GET /sessions/{id} shows the last lines only: the executors'
        info = client.run(session_id, "(sc.applicationId, sc.master, sc.getConf().get('spark.submit.deployMode'))")
        assert info["output"]["data"]["text/plain"] == \
            f"('{app_id}', 'k8s://https://kubernetes.default.svc:443', 'cluster')"


def test_a_killed_kubernetes_driver_leaves_no_pods_and_no_ui():
    with LivyDouble(kubernetes=True, **FAST) as double:
        client = Client(double.url)
        session_id = client.new_session()
        double.kill_session(session_id)
        body = client.get(f"/sessions/{session_id}").body
        assert body["state"] == "dead" and K8S_APP_ID.fullmatch(body["appId"])
        assert body["appInfo"]["sparkUiUrl"] is None
        log = client.get(f"/sessions/{session_id}/log?from=0&size=10000").body["log"]
        assert sections(log)["\nKubernetes Diagnostics: "] == []


def test_kubernetes_without_a_ui_link_format_and_a_failed_driver():
    with LivyDouble(kubernetes=True, kubernetes_ui_format=None, **FAST) as double:
        client = Client(double.url)
        ok = client.new_session()
        assert client.get(f"/sessions/{ok}").body["appInfo"]["sparkUiUrl"] is None
        failing = client.new_session(wait=False, kind="pyspark", conf={"spark.double.failStart": "true"})
        assert client.wait_session(failing, until=("dead",)) == "dead"
        log = client.get(f"/sessions/{failing}/log?from=0&size=10000").body["log"]
        assert "\tphase: Failed" in sections(log)["\nKubernetes Diagnostics: "]
    with pytest.raises(ValueError, match="yarn or kubernetes"):
        LivyDouble(yarn=True, kubernetes=True).start()


def test_a_driver_pod_no_node_can_take_stays_pending_with_the_schedulers_reason():
    with LivyDouble(kubernetes=True, startup_delay=0.2, kubernetes_pending_wait=0.6) as double:
        client = Client(double.url)
        session_id = client.new_session(wait=False, kind="pyspark")
        time.sleep(0.3)
        body = client.get(f"/sessions/{session_id}").body
        log = client.get(f"/sessions/{session_id}/log?from=0&size=10000").body["log"]
        assert body["state"] == "starting" and body["appId"] and body["appInfo"]["sparkUiUrl"] is None
        diagnostics = sections(log)["\nKubernetes Diagnostics: "]
        assert "\tphase: Pending" in diagnostics
        assert any("reason=Unschedulable, status=False, type=PodScheduled" in line for line in diagnostics)
        assert client.wait_session(session_id) == "idle"


# --------------------------------------------------------------------- transport and the CLI

def test_the_kubernetes_flags():
    from livy_double import _parse_args
    _, options = _parse_args(["--kubernetes", "--kubernetes-ui-format", ""])
    assert options["kubernetes"] and options["kubernetes_ui_format"] is None
    assert _parse_args([])[1]["kubernetes"] is False


def test_keep_alive_and_latency(client, session):
    host, port = client.url.rsplit("/", 1)[-1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {"X-Requested-By": "t", "Content-Type": "application/json"}
    started = time.monotonic()
    for _ in range(20):
        connection.request("POST", f"/sessions/{session}/statements", '{"code": "1 + 1"}', headers)
        response = connection.getresponse()
        assert response.status == 201 and response.getheader("Connection") is None
        response.read()
    elapsed = (time.monotonic() - started) / 20
    local_port = connection.sock.getsockname()[1]
    connection.request("GET", "/version")
    connection.getresponse().read()
    assert connection.sock.getsockname()[1] == local_port   # one connection for all requests
    connection.close()
    assert elapsed < 0.02, f"{elapsed * 1000:.1f} ms per request"


def test_command_line_program():
    program = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "livy_double.py"), "--port", "0", "--startup-delay",
         "0.1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = program.stdout.readline()
        assert re.fullmatch(r"LISTENING http://127\.0\.0\.1:\d+\n", line)
        client = Client(line.split()[1])
        session_id = client.new_session()
        assert client.run(session_id, "6 * 7")["output"]["data"] == {"text/plain": "42"}
        program.send_signal(signal.SIGTERM)
        assert program.wait(timeout=10) == 0
        assert program.stdout.read() == ""
    finally:
        program.kill()


# -------------------------------------------------------------- Spark UI behind YARN's proxy

def _captured_scenario(root):
    """A minimal capture in tests/spark-jobs' layout: the application, its jobs, one task summary."""
    app = "local-1700000000000"
    base = root / "api" / "v1" / "applications"
    (base / app / "stages" / "3" / "0").mkdir(parents=True)
    (root / "scenario.json").write_text(json.dumps({"scenario": "tiny", "appId": app}))
    (base / f"{app}.json").write_text(json.dumps({"id": app, "name": "tiny", "attempts": []}))
    (base / app / "jobs.json").write_text(json.dumps([{"jobId": 0, "jobGroup": "2", "stageIds": [3]}]))
    (base / app / "stages" / "3" / "0" / "taskSummary@quantiles=0.5,1.0.json").write_text(
        json.dumps({"quantiles": [0.5, 1.0], "duration": [10.0, 80.0]}))
    return app


def test_spark_ui_serves_a_captured_scenario_under_the_sessions_application(tmp_path):
    captured = _captured_scenario(tmp_path)
    with LivyDouble(yarn=True, startup_delay=0.2, spark_ui=str(tmp_path)) as double:
        client = Client(double.url)
        session_id = client.new_session()
        session = client.get(f"/sessions/{session_id}").body
        app_id = session["appId"]
        ui = session["appInfo"]["sparkUiUrl"]
        assert ui == f"{double.url}/proxy/{app_id}/"
        api = Client(ui + "api/v1/applications/" + app_id, headers={"X-Requested-By": None})
        application = api.get("")
        assert application.status == 200 and application.body["id"] == app_id
        assert captured not in application.raw.decode()
        assert api.get("/jobs").body == [{"jobId": 0, "jobGroup": "2", "stageIds": [3]}]
        summary = api.get("/stages/3/0/taskSummary?quantiles=0.5,1.0")
        assert summary.body["duration"] == [10.0, 80.0]
        assert api.get("/stages/3/0/taskSummary?quantiles=0.25").status == 404
        assert api.get("/executors").status == 404


def test_spark_ui_knows_only_the_clusters_applications(tmp_path):
    _captured_scenario(tmp_path)
    with LivyDouble(yarn=True, startup_delay=0.2, spark_ui=str(tmp_path)) as double:
        client = Client(double.url)
        app_id = client.get(f"/sessions/{client.new_session()}").body["appId"]
        unknown = client.get("/proxy/application_1_0001/api/v1/applications/application_1_0001")
        assert unknown.status == 404 and "could not be found" in unknown.body
        other = client.get(f"/proxy/{app_id}/api/v1/applications/application_1_0001/jobs")
        assert other.status == 404 and "no such app" in other.body


def test_spark_ui_needs_yarn_and_a_capture(tmp_path):
    with pytest.raises(ValueError, match="needs yarn=True"):
        LivyDouble(spark_ui=str(tmp_path))
    with pytest.raises(ValueError, match="mvn -B verify"):
        LivyDouble(yarn=True, spark_ui=str(tmp_path)).start()


def test_kubernetes_batch_reports_its_driver_pod_as_livy_on_kubernetes_does(tmp_path):
    # Livy 0.9's BatchSession runs spark-submit like an interactive session does (SparkKubernetesApp): the app is
    # found by its livy-batch-N tag, the UI link lives while the driver pod runs, the pod's log is the stdout.
    (tmp_path / "pi.py").write_text(PI)
    with LivyDouble(kubernetes=True, local_dir_whitelist=(str(tmp_path),), startup_delay=0.6,
                    heartbeat_watchdog_interval=0.2) as double:
        client = Client(double.url)
        created = client.post("/batches", {"file": str(tmp_path / "pi.py"), "args": ["4"], "name": "k8s-pi"})
        assert created.body["log"] == ["stdout: ", "\nstderr: ", "\nKubernetes Diagnostics: "]
        batch_id, seen = created.body["id"], set()
        while (body := client.get(f"/batches/{batch_id}").body)["state"] not in ("success", "dead"):
            seen.add((body["state"], bool(body["appId"]), bool(body["appInfo"]["sparkUiUrl"])))
            time.sleep(0.03)
        assert ("starting", True, False) in seen and ("running", True, True) in seen, seen
        assert body["state"] == "success" and K8S_APP_ID.fullmatch(body["appId"])
        assert body["appInfo"] == {"driverLogUrl": None, "sparkUiUrl": None, "executorLogUrls": None}
        parts = sections(client.get(f"/batches/{batch_id}/log?from=0&size=10000").body["log"])
        assert list(parts) == ["stdout: ", "\nstderr: ", "\nKubernetes Diagnostics: "]
        assert "Pi is roughly 3.141000" in parts["stdout: "]
        assert any("LoggingPodStatusWatcherImpl" in line for line in parts["\nstderr: "])
        driver = parts["\nKubernetes Diagnostics: "]
        assert re.fullmatch(r"k8s-pi-[0-9a-f]{16}-driver\.default:", driver[0]) and "\tphase: Succeeded" in driver
        assert re.search(r"spark-app-tag=livy-batch-0-[a-z0-9]{8}", driver[8]), driver[8]
