"""The double's Lighter mode against Lighter's own answers (exacaster/lighter, see double_lighter.py for the files)."""

import json
import re
import sys
import time
import urllib.error
import urllib.request
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from livy_double import LivyDouble  # noqa: E402

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def call(url, method="GET", body=None, sparkmagic=True):
    headers = {"Content-Type": "application/json", "X-Requested-By": "test"}
    if sparkmagic:
        headers["X-Compatibility-Mode"] = "sparkmagic"   # rest/magic/SparkMagicCompatibility.java
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def test_lighter_mode_answers_with_uuids_lighters_paths_and_list_shapes():
    with LivyDouble(mode="lighter", startup_delay=0.1) as lighter:
        base = lighter.url
        assert base.endswith("/lighter/api")   # rest/SessionController.java: @Controller("/lighter/api/sessions")
        status, session = call(base + "/sessions", "POST", {"kind": "pyspark", "name": "mine"})
        assert status == 201 and UUID.match(session["id"]) and session["kind"] == "pyspark"
        sid = session["id"]
        for _ in range(100):
            if call(f"{base}/sessions/{sid}/state")[1]["state"] == "idle":
                break
            time.sleep(0.05)
        status, statement = call(f"{base}/sessions/{sid}/statements", "POST", {"code": "1 + 1"})
        assert status == 201 and UUID.match(statement["id"])   # PythonSessionIntegration: UUID.randomUUID()
        assert set(statement) == {"id", "code", "state", "output"}   # application/sessions/Statement.java
        # ApplicationList / rest/magic/SessionList: "sessions" only for sparkmagic; total is the page's size
        assert [s["id"] for s in call(base + "/sessions")[1]["sessions"]] == [sid]
        plain = call(base + "/sessions", sparkmagic=False)[1]
        assert "sessions" not in plain and [s["id"] for s in plain["applications"]] == [sid]
        assert plain["total"] == 1
        # no Livy-only endpoints, and nothing outside /lighter/api
        assert call(f"{base}/sessions/{sid}/connect", "POST", {})[0] == 404
        assert call(base.replace("/lighter/api", "") + "/sessions")[0] == 404
        assert call(f"{base}/sessions/0")[0] == 404


def test_a_cancelled_statement_is_spelled_canceled():
    with LivyDouble(mode="lighter", startup_delay=0.1, job_cancel_timeout=1) as lighter:
        base = lighter.url
        sid = call(base + "/sessions", "POST", {"kind": "pyspark"})[1]["id"]
        for _ in range(100):
            if call(f"{base}/sessions/{sid}/state")[1]["state"] == "idle":
                break
            time.sleep(0.05)
        st = call(f"{base}/sessions/{sid}/statements", "POST", {"code": "import time\ntime.sleep(30)"})[1]
        call(f"{base}/sessions/{sid}/statements/{st['id']}/cancel", "POST", {})
        for _ in range(200):
            state = call(f"{base}/sessions/{sid}/statements/{st['id']}")[1]["state"]
            if state not in ("waiting", "running", "canceling"):
                break
            time.sleep(0.05)
        assert state == "canceled"


def test_lighter_batches_answer_as_lighters_batch_controller(tmp_path):
    job = tmp_path / "job.py"
    job.write_text("import time\nprint('from the driver', flush=True)\ntime.sleep(0.5)\n")
    with LivyDouble(mode="lighter", startup_delay=0.3, local_dir_whitelist=(str(tmp_path),)) as lighter:
        base = lighter.url
        # rest/BatchParams.java: mainClass and priority; proxyUser is no field of Lighter's and is ignored
        status, batch = call(base + "/batches", "POST", {"file": str(job), "name": "nightly", "args": ["1"],
                                                         "priority": 5, "proxyUser": "bob"}, sparkmagic=False)
        assert status == 200 and UUID.match(batch["id"])   # @Post without @Status: 200; BatchService: UUID
        assert batch["state"] == "not_started"            # BatchService.create: launched later
        assert "name" not in batch and batch["submitParams"]["name"] == "nightly"   # application/Application.java
        assert batch["submitParams"]["args"] == ["1"] and batch["submitParams"]["driverMemory"] == "1000M"
        assert batch["log"] == [] and batch["appInfo"] is None
        assert lighter.requests()[-1]["body"]["priority"] == 5   # the record keeps what the client sent
        bid, states, log_missing = batch["id"], [], False
        while (state := call(f"{base}/batches/{bid}/state")[1]["state"]) not in ("success", "dead", "error"):
            states.append(state)
            log_missing |= state == "starting" and call(f"{base}/batches/{bid}/log")[0] == 404   # no driver yet
            time.sleep(0.03)
        assert state == "success" and "busy" in states and "running" not in states   # KubernetesBackend.mapStatus
        assert log_missing
        status, log = call(f"{base}/batches/{bid}/log")
        assert status == 200 and isinstance(log["log"], str) and "from the driver" in log["log"]   # log/Log.java
        assert set(call(f"{base}/batches/{bid}/state")[1]) >= {"id", "state", "appId", "submitParams"}
        listed = call(base + "/batches")[1]   # ApplicationList: always "applications", also for sparkmagic
        assert "sessions" not in listed and [b["id"] for b in listed["applications"]] == [bid]
        call(f"{base}/batches/{bid}", "DELETE")   # BatchService.deleteOne: killed and forgotten
        assert call(f"{base}/batches/{bid}")[0] == 404
