"""The Livy backend through the real kernel process and jupyter_client, against the Livy test double
(a real HTTP server on loopback that follows Livy's REST semantics and the recorded samples)."""
import os
import signal
import time

import pytest

from kernel_tools import alive, kernel_pid, run_cell, shell_reply, stdout_of, wait_until
from livy_fixtures import across_double_modes, across_id_schemes, double_mode, start_double, start_kernel, stop_kernel, write_config  # noqa: F401


@pytest.fixture
def livy(double_mode):
    double = start_double(double_mode, job_cancel_timeout=3)
    yield double
    double.stop()


@pytest.fixture
def kernel_on_livy(livy, tmp_path):
    km, kc = start_kernel(write_config(tmp_path / "config.json", livy.url))
    yield km, kc
    stop_kernel(km, kc)


def texts(outputs):
    """Every text the user sees in these outputs, joined."""
    parts = []
    for m in outputs:
        c = m["content"]
        parts.append(c.get("text", ""))
        parts.append(str(c.get("data", {}).get("text/plain", "")))
        parts.append(c.get("evalue", ""))
    return "\n".join(parts)


def sessions(livy):
    return livy.sessions_ever()


@across_double_modes
def test_first_cell_starts_a_session_shows_it_and_runs_pyspark(livy, kernel_on_livy):
    _, kc = kernel_on_livy
    reply, outputs = run_cell(kc, "print(spark.version, sc.applicationId)")
    assert reply["content"]["status"] == "ok", texts(outputs)
    kinds = [m["msg_type"] for m in outputs]
    assert kinds[0] == "display_data" and "update_display_data" in kinds
    start_id = outputs[0]["content"]["transient"]["display_id"]
    summary = [m for m in outputs if m["msg_type"] == "update_display_data"
               and m["content"]["transient"]["display_id"] == start_id][-1]["content"]["data"]
    assert "is idle" in summary["text/plain"] and "<table>" in summary["text/html"]
    assert "YARN" not in summary["text/plain"] + summary["text/html"]   # no mode of the double runs on YARN
    assert "Starting Spark session" in outputs[0]["content"]["data"]["text/plain"]
    assert stdout_of(outputs).strip()  # the version and application id
    (created,) = sessions(livy)
    request = created["request"]
    assert request["kind"] == "pyspark"
    assert request["proxyUser"] == "alice"
    assert request["heartbeatTimeoutInSecond"] == 4
    assert "alice" in request["name"]


def test_state_persists_and_errors_are_errors(kernel_on_livy):
    _, kc = kernel_on_livy
    run_cell(kc, "x = 21")
    _, outputs = run_cell(kc, "x * 2")
    assert stdout_of(outputs) == "42\n"
    reply, outputs = run_cell(kc, "def f(v):\n    return 1 / v\nf(0)")
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "ZeroDivisionError"
    errors = [m for m in outputs if m["msg_type"] == "error"]
    assert len(errors) == 1 and "line 2, in f" in "\n".join(errors[0]["content"]["traceback"])


def test_livy_magics_render_tables_json_and_images(kernel_on_livy):
    _, kc = kernel_on_livy
    _, outputs = run_cell(kc, "rows = [{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'y'}]\n%table rows")
    html = [m["content"]["data"]["text/html"] for m in outputs if m["msg_type"] == "display_data"]
    assert html and "<td>2</td><td>y</td>" in html[-1]
    _, outputs = run_cell(kc, "value = {'k': [1, 2]}\n%json value")
    assert any(m["content"]["data"].get("application/json") == {"k": [1, 2]}
               for m in outputs if m["msg_type"] == "display_data")
    _, outputs = run_cell(kc, "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
                              "plt.plot([1, 2, 3])\n%matplot plt")
    assert any("image/png" in m["content"]["data"] for m in outputs if m["msg_type"] == "display_data")


def test_a_long_statement_shows_progress_updated_in_place(kernel_on_livy):
    _, kc = kernel_on_livy
    run_cell(kc, "pass")
    reply, outputs = run_cell(kc, "simulate_spark_job(2.5, tasks=5)")
    assert reply["content"]["status"] == "ok"
    bars = [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")]
    ids = {m["content"]["transient"]["display_id"] for m in bars}
    assert len(ids) == 1, "the progress bar must be one display updated in place"
    assert any("%" in m["content"]["data"]["text/plain"] and "running" in m["content"]["data"]["text/plain"]
               for m in bars)
    assert "finished in" in bars[-1]["content"]["data"]["text/plain"]


@across_id_schemes
def test_interrupt_cancels_the_statement_and_the_session_stays_usable(livy, kernel_on_livy):
    km, kc = kernel_on_livy
    run_cell(kc, "kept = 'still here'")
    msg_id = kc.execute("simulate_spark_job(60, tasks=8)")
    time.sleep(2.0)
    started = time.time()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=20)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert time.time() - started < 5
    assert any(r["method"] == "POST" and r["path"].endswith("/cancel") for r in livy.requests())
    assert not any(r["path"].endswith("/interrupt") for r in livy.requests())
    _, outputs = run_cell(kc, "print(kept)")
    assert stdout_of(outputs) == "still here\n"


def test_interrupting_plain_python_explains_what_livy_cannot_do(kernel_on_livy):
    km, kc = kernel_on_livy
    run_cell(kc, "import time")
    msg_id = kc.execute("time.sleep(20)")
    time.sleep(1.5)
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=30)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"


@pytest.mark.parametrize("how", ["shutdown_request", "SIGTERM"])
def test_the_session_is_deleted_when_the_kernel_ends(livy, tmp_path, how):
    km, kc = start_kernel(write_config(tmp_path / "config.json", livy.url))
    run_cell(kc, "pass")
    pid = kernel_pid(km)
    if how == "SIGTERM":
        os.kill(pid, signal.SIGTERM)
    else:
        km.request_shutdown()
    assert wait_until(lambda: not alive(pid), 5)
    (created,) = sessions(livy)
    assert created["deleted"] and created["deleted_by"] == "DELETE", created
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_sigkill_leaves_the_session_to_livys_heartbeat_timeout(livy, tmp_path):
    km, kc = start_kernel(write_config(tmp_path / "config.json", livy.url))
    run_cell(kc, "pass")
    os.kill(kernel_pid(km), signal.SIGKILL)
    assert wait_until(lambda: sessions(livy)[0]["deleted"], 15), "heartbeat expiry did not reclaim the session"
    assert "heartbeat" in sessions(livy)[0]["deleted_by"]
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_transient_server_errors_and_resets_are_retried(livy, kernel_on_livy):
    _, kc = kernel_on_livy
    run_cell(kc, "pass")
    livy.inject_fault({"match": {"method": "GET", "path": r"/sessions/\d+/statements/\d+$"}, "action": "status",
                       "status": 503, "count": 2})
    livy.inject_fault({"match": {"method": "GET", "path": r"/sessions/\d+/statements/\d+$"}, "action": "reset",
                       "count": 1})
    reply, outputs = run_cell(kc, "print('through the storm')")
    assert reply["content"]["status"] == "ok"
    assert stdout_of(outputs) == "through the storm\n"


@across_id_schemes
def test_a_lost_answer_to_a_statement_never_runs_the_cell_twice(livy, kernel_on_livy):
    _, kc = kernel_on_livy
    run_cell(kc, "runs = []")
    livy.inject_fault({"match": {"method": "POST", "path": r"/sessions/\d+/statements$"}, "action": "drop_response",
                       "count": 1})
    reply, _ = run_cell(kc, "runs.append(1)")
    assert reply["content"]["status"] == "ok"
    _, outputs = run_cell(kc, "print(len(runs))")
    assert stdout_of(outputs) == "1\n"


@across_double_modes
def test_a_session_killed_under_the_notebook_is_replaced_with_a_clear_notice(livy, kernel_on_livy):
    _, kc = kernel_on_livy
    run_cell(kc, "x = 1")
    livy.kill_session(sessions(livy)[0]["id"])
    time.sleep(2.5)  # the heartbeat notices
    reply, outputs = run_cell(kc, "print('fresh start')")
    assert reply["content"]["status"] == "ok", texts(outputs)
    assert "is gone" in texts(outputs) and "fresh start" in stdout_of(outputs)
    assert len(sessions(livy)) == 2
    reply, _ = run_cell(kc, "x")
    assert reply["content"]["ename"] == "NameError"


@across_id_schemes
def test_a_server_restart_is_survived(livy, kernel_on_livy):
    _, kc = kernel_on_livy
    run_cell(kc, "pass")
    livy.restart()
    reply, outputs = run_cell(kc, "print('after restart')")
    # Either the heartbeat noticed first (notice + new session) or the statement POST hit the 404.
    if reply["content"]["status"] == "error":
        assert reply["content"]["ename"] == "SparkSessionLost", texts(outputs)
        reply, outputs = run_cell(kc, "print('after restart')")
    assert reply["content"]["status"] == "ok", texts(outputs)
    assert "after restart" in stdout_of(outputs)


@across_double_modes
def test_a_failed_start_shows_the_log_deletes_the_session_and_allows_a_retry(livy, tmp_path):
    config = write_config(tmp_path / "config.json", livy.url,
                          session={"defaults": {"conf": {"spark.double.failStart": "true"}}})
    km, kc = start_kernel(config)
    try:
        reply, outputs = run_cell(kc, "1 + 1")
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "SparkSessionFailed"
        assert "Last lines of its log" in reply["content"]["evalue"]
        assert wait_until(lambda: all(s["deleted"] for s in sessions(livy)), 5)
        reply, _ = run_cell(kc, "1 + 1")  # tries again rather than being stuck
        assert reply["content"]["ename"] == "SparkSessionFailed"
        assert len(sessions(livy)) == 2
    finally:
        stop_kernel(km, kc)


def test_a_full_yarn_queue_is_explained_while_waiting(tmp_path):
    double = start_double(yarn=True, yarn_am_wait=5, startup_delay=6)
    km, kc = start_kernel(write_config(tmp_path / "config.json", double.url))
    try:
        reply, outputs = run_cell(kc, "pass", timeout=60)
        assert reply["content"]["status"] == "ok", texts(outputs)
        assert "cannot place the application master" in texts(outputs)
        assert "application_" in texts(outputs)
    finally:
        stop_kernel(km, kc)
        double.stop()


def test_a_full_kubernetes_cluster_is_explained_while_waiting(tmp_path):
    double = start_double("kubernetes", kubernetes_pending_wait=5, startup_delay=1)
    km, kc = start_kernel(write_config(tmp_path / "config.json", double.url))
    try:
        reply, outputs = run_cell(kc, "pass", timeout=60)
        assert reply["content"]["status"] == "ok", texts(outputs)
        assert "Waiting for Kubernetes: the driver pod cannot be scheduled yet (0/3 nodes are available: 3" \
               " Insufficient memory." in texts(outputs)
        assert "on Kubernetes" in texts(outputs) and "YARN" not in texts(outputs)
    finally:
        stop_kernel(km, kc)
        double.stop()


def test_basic_auth_works_and_a_wrong_password_is_never_shown(tmp_path):
    double = start_double(auth_user="ana", auth_password="right-horse-battery")
    try:
        good = write_config(tmp_path / "good.json", double.url, username="ana", password="right-horse-battery")
        km, kc = start_kernel(good)
        reply, _ = run_cell(kc, "pass")
        assert reply["content"]["status"] == "ok"
        stop_kernel(km, kc)
        bad = write_config(tmp_path / "bad.json", double.url, username="ana", password="wrong-staple-secret")
        km, kc = start_kernel(bad)
        reply, outputs = run_cell(kc, "pass")
        assert reply["content"]["ename"] == "LivyAuthError"
        assert "wrong-staple-secret" not in texts(outputs) + str(reply["content"])
        stop_kernel(km, kc)
    finally:
        double.stop()


def test_completion_answers_at_once_even_while_a_statement_runs(kernel_on_livy):
    _, kc = kernel_on_livy
    run_cell(kc, "orders = spark.range(3)")
    running = kc.execute("simulate_spark_job(3)")
    time.sleep(0.5)
    started = time.time()
    reply = shell_reply(kc, kc.complete("orders.grou"), timeout=5)
    assert time.time() - started < 1
    assert "orders.groupBy" in reply["content"]["matches"]
    assert shell_reply(kc, running, timeout=20)["content"]["status"] == "ok"
