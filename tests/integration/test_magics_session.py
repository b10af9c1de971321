"""Session magics (%%configure, %%info, %%logs, %attach/%detach, %%delete, %%cleanup, %%scala, %upload)
through the real kernel against the Livy double: what the user sees, and what the server received."""
import json
import re
import urllib.request

import pytest

from kernel_tools import run_cell, shell_reply, stdout_of
from livy_fixtures import across_double_modes, across_id_schemes, double_mode, start_double, start_kernel, stop_kernel, write_config  # noqa: F401

PLATFORM = {"queue": "notebooks", "conf": {"spark.dynamicAllocation.maxExecutors": "20"}}


@pytest.fixture
def livy(double_mode):
    double = start_double(double_mode)
    yield double
    double.stop()


@pytest.fixture
def kernel(livy, tmp_path):
    km, kc = start_kernel(write_config(tmp_path / "config.json", livy.url,
                                       session={"defaults": PLATFORM, "locked": ["proxyUser"]}))
    yield km, kc
    stop_kernel(km, kc)


def error_of(reply):
    return reply["content"]["ename"], reply["content"]["evalue"]


def shown(outputs):
    return "\n".join(m["content"].get("text", "") + str(m["content"].get("data", {}).get("text/plain", ""))
                     for m in outputs)


def create_session(livy, proxy_user):
    """A session made by someone else (another kernel, a colleague), straight through Livy's API."""
    body = json.dumps({"kind": "pyspark", "proxyUser": proxy_user}).encode()
    request = urllib.request.Request(livy.url + "/sessions", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-Requested-By": "test"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)["id"]


@pytest.mark.parametrize("body, expected", [
    ('{"executorMemory": "4g",\n "conf": {"a": "1"}\n', "line 3"),
    ('{"numExecutor": 2}', "did you mean 'numExecutors'"),
    ('{"executorMemory": "4 GB"}', "executorMemory must be a size Spark understands"),
    ('{"numExecutors": "two"}', "numExecutors must be a whole number"),
    ('{"jars": "a.jar"}', "jars must be a list of strings"),
    ('{"proxyUser": "root"}', "cannot be changed from a notebook"),
    ('["not", "an", "object"]', "must be a JSON object"),
])
def test_bad_configure_bodies_are_refused_clearly_and_change_nothing(livy, kernel, body, expected):
    _, kc = kernel
    reply, _ = run_cell(kc, "%%configure\n" + body)
    assert reply["content"]["status"] == "error"
    assert expected in reply["content"]["evalue"]
    assert "Traceback" not in reply["content"]["evalue"]
    run_cell(kc, "pass")
    request = livy.sessions_ever()[0]["request"]
    assert request["queue"] == "notebooks" and "executorMemory" not in request and request["proxyUser"] == "alice"


def test_configure_merges_over_platform_defaults_and_ships_the_conda_environment(livy, kernel):
    _, kc = kernel
    reply, outputs = run_cell(kc, '%%configure\n{"executorMemory": "4g", "numExecutors": 3,'
                                  ' "condaEnv": "hdfs:///envs/team-ml.zip",'
                                  ' "conf": {"spark.sql.shuffle.partitions": "64", "spark.hadoop.fs.s3a.secret.key": "s3cr3t"}}')
    assert reply["content"]["status"] == "ok"
    assert "s3cr3t" not in shown(outputs) and '"spark.hadoop.fs.s3a.secret.key": "***"' in shown(outputs)
    run_cell(kc, "pass")
    request = livy.sessions_ever()[0]["request"]
    assert request["queue"] == "notebooks" and request["executorMemory"] == "4g" and request["numExecutors"] == 3
    assert request["archives"] == ["hdfs:///envs/team-ml.zip#condaenv"]
    conf = request["conf"]
    assert conf["spark.dynamicAllocation.maxExecutors"] == "20"  # platform default kept (deep merge)
    assert conf["spark.sql.shuffle.partitions"] == "64"
    for key in ("spark.yarn.appMasterEnv.PYSPARK_PYTHON", "spark.executorEnv.PYSPARK_PYTHON", "spark.pyspark.python"):
        assert conf[key] == "./condaenv/bin/python"
    assert conf["spark.hadoop.fs.s3a.secret.key"] == "s3cr3t"


def test_configure_needs_f_to_replace_a_running_session(livy, kernel):
    _, kc = kernel
    run_cell(kc, "x = 1")
    reply, _ = run_cell(kc, '%%configure\n{"executorMemory": "2g"}')
    assert error_of(reply)[0] == "SessionAlreadyStarted" and "-f" in error_of(reply)[1]
    assert len(livy.sessions_ever()) == 1 and not livy.sessions_ever()[0]["deleted"]
    reply, outputs = run_cell(kc, '%%configure -f\n{"executorMemory": "2g"}')
    assert reply["content"]["status"] == "ok", shown(outputs)
    first, second = livy.sessions_ever()
    assert first["deleted"] and second["request"]["executorMemory"] == "2g" and not second["deleted"]
    reply, _ = run_cell(kc, "x")
    assert error_of(reply)[0] == "NameError"


@across_double_modes
def test_info_and_logs_describe_the_session(livy, kernel):
    _, kc = kernel
    reply, outputs = run_cell(kc, "%%info")
    assert "No session yet" in shown(outputs) and livy.url in shown(outputs)
    run_cell(kc, "pass")
    reply, outputs = run_cell(kc, "%%info")
    text = shown(outputs)
    assert f"This notebook's session: {livy.sessions_ever()[0]['id']}" in text and '"queue": "notebooks"' in text
    tables = [m["content"]["data"]["text/html"] for m in outputs if "<table>" in m["content"].get("data", {}).get("text/html", "")]
    assert tables and "\u2714" in tables[0]
    reply, outputs = run_cell(kc, "%%logs")
    assert reply["content"]["status"] == "ok" and len(stdout_of(outputs).splitlines()) > 3


def test_ttl_and_idle_timeout_are_checked_sent_and_shown_by_info(livy, kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, '%%configure\n{"idleTimeout": "10 minutes"}')
    assert error_of(reply) == ("ConfigurationError", "%%configure was not applied; nothing changed: idleTimeout"
                               " '10 minutes' is not a Livy duration; write e.g. 10m or 2h")
    assert livy.sessions_ever() == []
    reply, _ = run_cell(kc, '%%configure\n{"idleTimeout": "30m", "ttl": "8h"}')
    assert reply["content"]["status"] == "ok"
    run_cell(kc, "pass")
    request = livy.sessions_ever()[0]["request"]
    assert request["idleTimeout"] == "30m" and request["ttl"] == "8h"
    _, outputs = run_cell(kc, "%%info")
    text = shown(outputs)
    assert "Idle timeout 30m: the server deletes the session 30 min after its last activity, in about" in text
    assert "Time to live 8h: the server deletes the session 8 h after its creation, busy or not, in about" in text


def test_attach_uses_an_existing_session_and_leaves_it_running(livy, tmp_path):
    shared = create_session(livy, "alice")
    km, kc = start_kernel(write_config(tmp_path / "config.json", livy.url))
    try:
        import time
        time.sleep(1)  # let the shared session start
        reply, outputs = run_cell(kc, f"%attach -s {shared}")
        assert reply["content"]["status"] == "ok", shown(outputs)
        run_cell(kc, "marker = 'set through attach'")
        reply, _ = run_cell(kc, "%detach")
        assert reply["content"]["status"] == "ok"
        run_cell(kc, f"%attach -s {shared}")
        _, outputs = run_cell(kc, "print(marker)")
        assert stdout_of(outputs) == "set through attach\n"
    finally:
        stop_kernel(km, kc)
    sessions = {s["id"]: s for s in livy.sessions_ever()}
    assert not sessions[shared]["deleted"], "an attached session must survive the kernel"


def test_an_attached_session_is_deleted_only_when_the_user_asks(livy, tmp_path):
    shared = create_session(livy, "alice")
    km, kc = start_kernel(write_config(tmp_path / "config.json", livy.url))
    try:
        import time
        time.sleep(1)
        run_cell(kc, f"%attach -s {shared}")
        reply, outputs = run_cell(kc, "%detach --delete")
        assert reply["content"]["status"] == "ok", shown(outputs)
        assert {s["id"]: s["deleted"] for s in livy.sessions_ever()}[shared]
        reply, outputs = run_cell(kc, "print('own session')")
        assert "own session" in stdout_of(outputs)
    finally:
        stop_kernel(km, kc)


@across_id_schemes
def test_delete_and_cleanup(livy, kernel):
    _, kc = kernel
    run_cell(kc, "pass")
    other_mine = create_session(livy, "alice")
    someone_else = create_session(livy, "bob")
    own = livy.sessions_ever()[0]["id"]
    reply, _ = run_cell(kc, f"%%delete -f -s {own}")
    assert "this notebook's own session" in error_of(reply)[1]
    reply, _ = run_cell(kc, f"%%delete -s {other_mine}")
    assert "Add -f" in error_of(reply)[1]
    reply, _ = run_cell(kc, f"%%delete -f -s {other_mine}")
    assert reply["content"]["status"] == "ok"
    other_again = create_session(livy, "alice")
    reply, outputs = run_cell(kc, "%%cleanup -f")
    assert reply["content"]["status"] == "ok", shown(outputs)
    state = {s["id"]: s["deleted"] for s in livy.sessions_ever()}
    assert state[own] and state[other_mine] and state[other_again]
    assert not state[someone_else], "%%cleanup must not touch other users' sessions"
    reply, outputs = run_cell(kc, "print('new session')")
    assert reply["content"]["status"] == "ok" and "new session" in stdout_of(outputs)


@across_id_schemes
def test_scala_cells_and_uploaded_modules(livy, kernel, tmp_path, monkeypatch):
    _, kc = kernel
    if livy.options.mode == "lighter":
        reply, _ = run_cell(kc, "%%scala\nval n = 40 + 2")
        assert "runs PySpark only" in error_of(reply)[1]
        assert not [r for r in livy.requests() if r["method"] == "POST"], "nothing is sent"
        pytest.skip("Lighter runs PySpark only and has no upload endpoint")
    _, outputs = run_cell(kc, "%%scala\nval n = 40 + 2")
    assert "42" in stdout_of(outputs)
    helper = tmp_path / "team_helpers.py"
    helper.write_text("def greet(name):\n    return 'hello ' + name\n")
    reply, outputs = run_cell(kc, f"%upload {helper}")
    assert reply["content"]["status"] == "ok", shown(outputs)
    _, outputs = run_cell(kc, "import team_helpers\nprint(team_helpers.greet('spark'))")
    assert stdout_of(outputs) == "hello spark\n"
    reply, _ = run_cell(kc, "%upload /no/such/file.py")
    assert "Cannot read" in error_of(reply)[1]


def test_a_configure_asking_for_another_kind_is_refused_before_anything_is_sent(livy, kernel):
    # The session's kind is the kernel's (livy.session.kind; Lighter: PySpark only), never a notebook's.
    _, kc = kernel
    reply, _ = run_cell(kc, '%%configure -f\n{"kind": "spark"}')
    assert "unknown key 'kind'" in error_of(reply)[1]
    assert not [r for r in livy.requests() if r["method"] == "POST"], "nothing is sent"


def test_magics_complete_and_explain_themselves(kernel):
    _, kc = kernel
    reply = shell_reply(kc, kc.complete("%%conf"))
    assert reply["content"]["matches"] == ["%%configure"]
    reply = shell_reply(kc, kc.complete("%%configure --f"))
    assert "--force" in reply["content"]["matches"]
    reply = shell_reply(kc, kc.inspect("%%configure -f", 5))
    assert reply["content"]["found"] and "condaEnv" in reply["content"]["data"]["text/plain"]


def test_session_magics_explain_that_they_need_livy():
    from jupyter_client.manager import start_new_kernel
    from conftest import KERNEL_NAME
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
    try:
        reply, _ = run_cell(kc, "%%info")
        assert error_of(reply)[0] == "NeedsLivy" and "LIVY_URL" in error_of(reply)[1]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def session_name_in(text):
    """The "name" of the session settings a cell showed (the %%configure preview, %%info)."""
    return json.loads(text[text.index("{"):text.rindex("}") + 1])["name"]


def test_the_session_has_one_name_the_one_livy_shows_everywhere(livy, kernel):
    _, kc = kernel
    reply, outputs = run_cell(kc, '%%configure\n{"executorMemory": "2g"}')
    previewed = session_name_in(shown(outputs))
    reply, outputs = run_cell(kc, "pass")
    (session,) = livy.sessions_ever()
    assert session["request"]["name"] == previewed
    assert previewed in shown(outputs)                         # the start summary
    reply, outputs = run_cell(kc, "%%info")
    info = shown(outputs).split("Session settings:")
    assert previewed in info[0] and session_name_in(info[1]) == previewed
    reply, outputs = run_cell(kc, '%%configure -f\n{"executorMemory": "3g"}')
    renamed = session_name_in(shown(outputs))
    assert renamed != previewed                                # a new start attempt, a new name
    reply, outputs = run_cell(kc, "%%info")
    assert session_name_in(shown(outputs).split("Session settings:")[1]) == renamed
    assert livy.sessions_ever()[1]["request"]["name"] == renamed


@across_double_modes
def test_the_start_and_info_describe_the_application_as_the_server_runs_it(livy, kernel, double_mode):
    _, kc = kernel
    reply, outputs = run_cell(kc, "print(sc.applicationId)")
    start, app_id = shown(outputs), stdout_of(outputs).strip()
    assert reply["content"]["status"] == "ok" and "YARN" not in start, start
    if double_mode == "kubernetes":   # Livy 0.9 on Kubernetes: the driver pod, the UI link, no driver log URL
        assert re.search(app_id + r" on Kubernetes, driver pod \S+-driver \(namespace default\)",
                         start), start
        assert "Spark UI: http://localhost:4040/spark-ui/" + app_id in start, start
        assert "local mode" not in start, start
    else:
        assert "local mode, no cluster application" in start, start
    _, outputs = run_cell(kc, "%%info")
    assert "YARN" not in shown(outputs)
    tables = [m["content"]["data"]["text/plain"] for m in outputs if "This notebook" in
              str(m["content"].get("data", {}).get("text/plain", ""))]
    assert tables and (app_id in tables[0]) == (double_mode == "kubernetes"), tables


def test_a_local_mode_livy_is_described_as_local(livy, kernel):
    _, kc = kernel                                             # the double runs sessions as a local[2] Livy does
    reply, outputs = run_cell(kc, "pass")
    start = shown(outputs)
    assert "YARN" not in start and "application id not assigned yet" in start, start
    assert "local mode, no cluster application" in start, start
    reply, outputs = run_cell(kc, "%%analyze")
    ename, evalue = error_of(reply)
    # The driver was asked for its UI address (the double's says http://localhost:4040, where nothing serves).
    assert "localhost:4040" in evalue and "local mode (local[2])" in evalue, evalue
    assert "try again in a moment" not in evalue and "YARN" not in evalue, evalue
