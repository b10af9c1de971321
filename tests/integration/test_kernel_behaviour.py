"""The kernel process as a Jupyter frontend sees it: lanes, interrupts, stdin, errors, lifecycle.

Run on the embedded local backend (a child Python with an IPython shell), driven by Debian's jupyter_client.
"""
import os
import signal
import subprocess
import time

import pytest
from jupyter_client.manager import KernelManager, start_new_kernel

from conftest import KERNEL_NAME
from kernel_tools import (alive, kernel_pid, python_child, run_cell, shell_reply, stdout_of,
                          wait_until)


def test_first_cell_says_once_that_it_runs_on_the_local_backend(kernel):
    _, kc = kernel
    _, first = run_cell(kc, "print('one')")
    _, second = run_cell(kc, "print('two')")
    notices = [m for m in first if m["msg_type"] == "display_data"]
    assert len(notices) == 1
    assert "No Livy endpoint is configured" in notices[0]["content"]["data"]["text/plain"]
    assert "plain Python" in notices[0]["content"]["data"]["text/plain"]
    assert [m["msg_type"] for m in second] == ["stream"]


def test_state_persists_and_execution_count_increments(kernel):
    _, kc = kernel
    r1, _ = run_cell(kc, "x = 20")
    r2, outputs = run_cell(kc, "x * 2 + 2")
    assert r2["content"]["execution_count"] == r1["content"]["execution_count"] + 1
    result = [m for m in outputs if m["msg_type"] == "execute_result"]
    assert result[0]["content"]["data"]["text/plain"] == "42"
    assert result[0]["content"]["execution_count"] == r2["content"]["execution_count"]


def test_silent_cell_publishes_nothing_and_keeps_the_count(kernel):
    _, kc = kernel
    before, _ = run_cell(kc, "1")
    reply, outputs = run_cell(kc, "print('hidden'); 5", silent=True)
    after, _ = run_cell(kc, "2")
    assert outputs == []
    assert reply["content"]["status"] == "ok"
    assert after["content"]["execution_count"] == before["content"]["execution_count"] + 1


def test_user_expressions_are_evaluated(kernel):
    _, kc = kernel
    run_cell(kc, "y = 6")
    reply, _ = run_cell(kc, "pass", user_expressions={"double": "y * 2", "bad": "undefined_name"})
    exprs = reply["content"]["user_expressions"]
    assert exprs["double"].get("data", {}).get("text/plain") == "12", exprs
    assert exprs["bad"]["status"] == "error"


def test_update_display_data_keeps_its_display_id(kernel):
    _, kc = kernel
    code = ("from IPython.display import display\n"
            "h = display('first', display_id=True)\n"
            "h.update('second')")
    _, outputs = run_cell(kc, code)
    shown = [m for m in outputs if m["msg_type"] == "display_data"][-1]
    updated = [m for m in outputs if m["msg_type"] == "update_display_data"]
    assert updated and updated[0]["content"]["transient"]["display_id"] == shown["content"]["transient"]["display_id"]
    assert updated[0]["content"]["data"]["text/plain"] == "'second'"


def test_kernel_info_and_completion_are_answered_while_a_cell_runs(kernel):
    _, kc = kernel
    run_cell(kc, "import time")
    long_cell = kc.execute("time.sleep(5)")
    time.sleep(0.3)
    started = time.time()
    info = shell_reply(kc, kc.kernel_info(), timeout=5)
    completion = shell_reply(kc, kc.complete("%he"), timeout=5)
    elapsed = time.time() - started
    assert info["content"]["implementation"] == "livy-kernel"
    assert completion["content"]["matches"] == ["%help"]
    assert elapsed < 2, f"shell lane waited behind the running cell ({elapsed:.1f}s)"
    assert shell_reply(kc, long_cell, timeout=15)["content"]["status"] == "ok"


def test_interrupt_stops_the_cell_and_the_kernel_stays_usable(kernel):
    km, kc = kernel
    run_cell(kc, "z = 'kept'")
    msg_id = kc.execute("import time\nfor _ in range(600): time.sleep(0.05)")
    time.sleep(1.0)
    started = time.time()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=15)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert time.time() - started < 5
    _, outputs = run_cell(kc, "print(z)")
    assert stdout_of(outputs) == "kept\n"


def test_interrupting_a_cell_that_floods_output_keeps_the_local_python_and_its_variables(kernel):
    """An interrupt that lands while a long output is half sent must not garble what follows (the reply
    included), or the cell would hang until the kernel restarts the local Python and its variables are lost."""
    km, kc = kernel
    run_cell(kc, "kept = 'still here'")
    for _ in range(3):
        msg_id = kc.execute("while True:\n    print('x' * 300_000, flush=True)")
        time.sleep(1.0)
        km.interrupt_kernel()
        reply = shell_reply(kc, msg_id, timeout=30)
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
    _, outputs = run_cell(kc, "print(kept)")
    assert stdout_of(outputs) == "still here\n"


def test_cells_queued_behind_an_error_are_aborted_not_run(kernel):
    _, kc = kernel
    run_cell(kc, "ran = []")
    failing = kc.execute("import time; time.sleep(0.5); raise RuntimeError('stop here')")
    queued = [kc.execute(f"ran.append({i})") for i in range(3)]
    assert shell_reply(kc, failing)["content"]["status"] == "error"
    for msg_id in queued:
        assert shell_reply(kc, msg_id)["content"]["status"] == "aborted"
    _, outputs = run_cell(kc, "print(ran)")
    assert stdout_of(outputs) == "[]\n"


def test_a_cell_sent_after_the_error_reply_runs(kernel):
    """stop_on_error aborts what was queued behind a failing cell, never what the client sends after it saw
    the error (nbconvert --allow-errors and people re-running a cell do exactly that)."""
    _, kc = kernel
    run_cell(kc, "count = 0")
    for _ in range(60):
        failing = kc.execute("raise ValueError('boom')")
        assert shell_reply(kc, failing)["content"]["status"] == "error"
        assert shell_reply(kc, kc.execute("count += 1"))["content"]["status"] == "ok"
    _, outputs = run_cell(kc, "print(count)")
    assert stdout_of(outputs) == "60\n"


def test_a_failing_cell_sends_one_error_and_an_error_reply(kernel):
    _, kc = kernel
    run_cell(kc, "pass")
    reply, outputs = run_cell(kc, "1 / 0")
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "ZeroDivisionError"
    assert [m["msg_type"] for m in outputs] == ["error"]


def test_input_goes_to_the_frontend_and_back(kernel):
    _, kc = kernel
    msg_id = kc.execute("name = input('Your name? ')\nprint('hello', name)", allow_stdin=True)
    request = kc.get_stdin_msg(timeout=90)   # the first cell starts the local Python
    assert request["msg_type"] == "input_request"
    assert request["content"]["prompt"] == "Your name? "
    kc.input("Ada")
    assert shell_reply(kc, msg_id, timeout=30)["content"]["status"] == "ok"
    _, outputs = run_cell(kc, "print(name)")
    assert stdout_of(outputs) == "Ada\n"


def test_input_without_stdin_is_a_clear_error(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, "input('x')", allow_stdin=False)
    assert reply["content"]["status"] == "error"
    assert "StdinNotImplementedError" in reply["content"]["ename"]


def test_unknown_request_type_gets_an_error_reply(kernel):
    _, kc = kernel
    msg = kc.session.msg("frobnicate_request", {})
    kc.shell_channel.send(msg)
    reply = shell_reply(kc, msg["header"]["msg_id"])
    assert reply["msg_type"] == "frobnicate_reply"
    assert reply["content"]["status"] == "error"
    assert shell_reply(kc, kc.kernel_info())["content"]["status"] == "ok"


def test_comm_open_is_answered_with_comm_close(kernel):
    _, kc = kernel
    msg = kc.session.msg("comm_open", {"comm_id": "c1", "target_name": "jupyter.widget", "data": {}})
    kc.shell_channel.send(msg)
    deadline = time.time() + 10
    while time.time() < deadline:
        m = kc.get_iopub_msg(timeout=10)
        if m["msg_type"] == "comm_close":
            assert m["content"]["comm_id"] == "c1"
            return
    pytest.fail("no comm_close for an unknown comm target")


def test_shutdown_exits_quickly_and_leaves_no_process():
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    run_cell(kc, "pass")
    jvm, child = kernel_pid(km), python_child(km)
    kc.stop_channels()
    started = time.time()
    km.request_shutdown()
    assert wait_until(lambda: not alive(jvm), 2.0), "kernel still running 2 s after shutdown_request"
    elapsed = time.time() - started
    km.shutdown_kernel(now=True)
    assert wait_until(lambda: not alive(child), 2.0), "local Python outlived the kernel"
    assert elapsed < 2.0


def test_restart_gives_a_fresh_kernel_and_stops_the_old_child():
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    try:
        run_cell(kc, "before_restart = 1")
        old_child = python_child(km)
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
        reply, _ = run_cell(kc, "before_restart")
        assert reply["content"]["ename"] == "NameError"
        assert wait_until(lambda: not alive(old_child), 5.0), "old local Python survived the restart"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_the_local_python_never_outlives_the_kernel(sig):
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    try:
        run_cell(kc, "pass")
        jvm, child = kernel_pid(km), python_child(km)
        os.kill(jvm, sig)
        assert wait_until(lambda: not alive(jvm), 5.0)
        assert wait_until(lambda: not alive(child), 5.0), f"local Python {child} orphaned after {sig.name}"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_ipc_transport():
    km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        reply, outputs = run_cell(kc, "print('over ipc')")
        assert reply["content"]["status"] == "ok"
        assert stdout_of(outputs).endswith("over ipc\n")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_broken_configuration_is_explained_in_the_cell(tmp_path, monkeypatch):
    config = tmp_path / "config.json"
    config.write_text('{"livy": {"url": "http://x" ')
    monkeypatch.setenv("LIVY_KERNEL_CONFIG", str(config))
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    try:
        reply, outputs = run_cell(kc, "1 + 1")
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "ConfigurationError"
        assert str(config) in reply["content"]["evalue"] and "line 1" in reply["content"]["evalue"]
        assert shell_reply(kc, kc.kernel_info())["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_kernel_command_reports_a_missing_connection_file_clearly(tmp_path):
    from conftest import JAR
    result = subprocess.run(["java", "-jar", str(JAR), "kernel", "-f", str(tmp_path / "nope.json")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "nope.json" in result.stderr
    assert "Exception" not in result.stderr


FAKE_PYSPARK = '''
class _Context:
    master = "local[*]"


class _Session:
    version = "fake-3.5"
    sparkContext = _Context()
    started = 0


class _Builder:
    def master(self, value):
        return self

    def appName(self, value):
        return self

    def getOrCreate(self):
        _Session.started += 1
        return _Session()


class SparkSession:
    builder = _Builder()
'''


def test_local_spark_is_created_by_the_first_user_cell_that_uses_it(tmp_path):
    """With pyspark importable, the local backend creates `spark` and `sc` (local[*]) on first use: by a
    cell the user ran, never by a silent cell (the kernel's own helper code)."""
    package = tmp_path / "pyspark"
    (package / "sql").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sql" / "__init__.py").write_text(FAKE_PYSPARK)
    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        _, outputs = run_cell(kc, "print('hello')")
        assert "pyspark is installed there" in outputs[0]["content"]["data"]["text/plain"]
        reply, _ = run_cell(kc, "x = 'spark'", silent=True)
        started = "print(__import__('pyspark.sql').sql._Session.started)"  # names no session variable
        _, outputs = run_cell(kc, started)
        assert stdout_of(outputs) == "0\n", "a silent cell must not start Spark"
        _, outputs = run_cell(kc, "print(spark.version, sc.master)")
        assert stdout_of(outputs) == "fake-3.5 local[*]\n"
        assert any("Starting a local Spark session" in m["content"].get("text", "") for m in outputs)
        run_cell(kc, "print(spark.version)")
        _, outputs = run_cell(kc, started)
        assert stdout_of(outputs) == "1\n", "Spark is created once"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
