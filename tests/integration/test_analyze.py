"""%%analyze and `livy-kernel.jar analyze` on metrics captured from real Spark runs.

The fixtures are the REST answers tests/spark-jobs captured while its Spark applications ran (the Maven
build before pytest writes them); the Livy double serves one as a session's Spark UI behind YARN's proxy."""
import base64
import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest

from conftest import JAR, ROOT
from kernel_tools import run_cell, shell_reply
from livy_fixtures import start_double, start_kernel, stop_kernel, write_config

FIXTURES = ROOT / "tests" / "spark-jobs" / "target" / "spark-fixtures"
HEURISTICS = {"executor-memory", "gc-time", "task-skew", "spill", "failures", "idle-executors", "partitions",
              "driver", "configuration", "scaling", "small-files-read", "small-files-written", "broadcast-join",
              "cartesian-join", "task-size", "aqe-off"}
SEVERITIES = ["none", "low", "moderate", "severe", "critical"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def scenario(name):
    path = FIXTURES / name
    if not (path / "scenario.json").is_file():
        pytest.fail(f"{path} is missing: the Spark fixtures are captured by the Maven build; run `mvn -B verify`"
                    " first (bin/test does)")
    return path


def captured_app_id(name):
    return json.loads((scenario(name) / "scenario.json").read_text())["appId"]


# ------------------------------------------------------------------------------------ %%analyze

@pytest.fixture
def skewed_session(tmp_path):
    """A kernel on the double whose session's Spark UI serves the skewed-join capture."""
    double = start_double(yarn=True, spark_ui=str(scenario("skewed-join")))
    km, kc = start_kernel(write_config(tmp_path / "config.json", double.url))
    try:
        reply, _ = run_cell(kc, "x = 1", timeout=90)   # starts the session
        assert reply["content"]["status"] == "ok"
        yield double, kc
    finally:
        stop_kernel(km, kc)
        double.stop()


def test_analyze_shows_the_skew_of_the_sessions_application_as_html_text_and_png(skewed_session):
    double, kc = skewed_session
    reply, outputs = run_cell(kc, "%%analyze", timeout=90)
    assert reply["content"]["status"] == "ok", reply["content"]
    shown = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
    assert len(shown) == 1
    data = shown[0]
    text, html = data["text/plain"], data["text/html"]
    assert "[CRITICAL] Task skew within stages (task-skew)" in text
    assert "statement 7" in text                       # the notebook cell that ran the skewed stage
    assert "spark.sql.adaptive.skewJoin" in text        # advice names the setting
    assert "Task skew within stages" in html and "#ffcdd2" in html   # the critical row is coloured
    assert base64.b64decode(data["image/png"]).startswith(PNG_SIGNATURE)
    app_id = [r for r in double.requests() if r["path"].startswith("/proxy/")][0]["path"].split("/")[2]
    assert app_id.startswith("application_") and app_id in text


def test_analyze_offers_a_configure_cell_that_configure_accepts(skewed_session):
    _, kc = skewed_session
    reply, outputs = run_cell(kc, "%%analyze", timeout=90)
    assert reply["content"]["status"] == "ok", reply["content"]
    text = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "display_data"][0]
    payload = reply["content"]["payload"]
    assert [p["source"] for p in payload] == ["set_next_input"]
    cell = payload[0]["text"]
    assert cell.startswith("%%configure -f\n{") and cell in text    # shown for copying, and created as a cell
    settings = json.loads(cell.split("\n", 1)[1])
    assert settings["conf"]["spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes"] == "64m"   # task-skew's
    applied, _ = run_cell(kc, cell, timeout=90)
    assert applied["content"]["status"] == "ok", applied["content"]


def test_unreachable_spark_ui_is_a_clear_error_and_the_kernel_stays_up(skewed_session):
    double, kc = skewed_session
    double.inject_fault(match={"path": "^/proxy/"}, action="reset", count=10)
    reply, _ = run_cell(kc, "%%analyze", timeout=90)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "SparkUiUnreachable"
    assert "Cannot read the metrics of application_" in reply["content"]["evalue"]
    assert "%%analyze -a application_" in reply["content"]["evalue"]   # what to do instead
    reply, _ = run_cell(kc, "x + 1", timeout=60)
    assert reply["content"]["status"] == "ok"


def test_analyze_completes_and_explains_itself(skewed_session):
    _, kc = skewed_session
    assert shell_reply(kc, kc.complete("%%anal"))["content"]["matches"] == ["%%analyze"]
    assert "--app-id" in shell_reply(kc, kc.complete("%%analyze --a"))["content"]["matches"]
    help_text = shell_reply(kc, kc.inspect("%%analyze", 5))["content"]["data"]["text/plain"]
    assert "-a APP_ID" in help_text and "History Server" in help_text


# ------------------------------------------------------------------------------------------ CLI

class _CapturedSparkApi(BaseHTTPRequestHandler):
    """A History Server stand-in: answers api/v1 paths from a capture, as DirectorySparkApi lays it out."""

    def do_GET(self):
        target = urlsplit(self.path)
        name = unquote(target.path)[len("/api/v1/"):] + ("@" + unquote(target.query) if target.query else "")
        path = (self.server.root / "api" / "v1" / (name + ".json")).resolve()
        if not self.path.startswith("/api/v1/") or self.server.root not in path.parents or not path.is_file():
            self.send_error(404, "no such app or resource")
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def history_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CapturedSparkApi)
    server.root = scenario("failing-tasks").resolve()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def analyze(*args):
    return subprocess.run(["java", "-jar", str(JAR), "analyze", *args], capture_output=True, text=True,
                          timeout=120)


def test_cli_json_report_follows_its_schema(history_server):
    app_id = captured_app_id("failing-tasks")
    done = analyze("--app-id", app_id, "--spark-api", history_server, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["schemaVersion"] == 1
    assert {"appId", "appName", "source", "sparkVersion", "completed", "durationMs", "worstSeverity", "findings",
            "notComputed", "unavailable", "stages"} <= set(report)
    assert report["appId"] == app_id and report["sparkVersion"] == "3.5.7"
    findings = {f["heuristic"]: f for f in report["findings"]}
    assert set(findings) | {n["heuristic"] for n in report["notComputed"]} == HEURISTICS
    for f in report["findings"]:
        assert {"heuristic", "title", "severity", "summary", "figures", "details", "advice", "stageIds",
                "jobGroups"} == set(f)
        assert f["severity"] in SEVERITIES
        assert all(set(fig) == {"name", "value"} for fig in f["figures"])
        assert all(set(a) == {"setting", "value", "why"} for a in f["advice"])
    worst = max(SEVERITIES.index(f["severity"]) for f in report["findings"])
    assert report["worstSeverity"] == SEVERITIES[worst]
    failures = findings["failures"]
    assert SEVERITIES.index(failures["severity"]) >= SEVERITIES.index("moderate")
    assert any("simulated bad record" in d for d in failures["details"])
    assert failures["jobGroups"] == ["7"]
    assert all({"stageId", "wallClockMs", "maxTaskMs", "medianTaskMs", "severity"} <= set(s)
               for s in report["stages"])


def test_cli_configure_prints_the_cell_as_json():
    done = analyze("--app-id", captured_app_id("skewed-join"), "--spark-api", str(scenario("skewed-join")),
                   "--configure")
    assert done.returncode == 0, done.stderr
    cell = json.loads(done.stdout)
    assert set(cell) == {"cell", "settings", "changes", "leftOut"}
    assert cell["cell"].startswith("%%configure -f\n")
    assert json.loads(cell["cell"].split("\n", 1)[1]) == cell["settings"]
    assert {"setting": "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "from": None, "to": "64m",
            "heuristic": "task-skew"} in cell["changes"]


def test_cli_unknown_application_is_a_usage_error(history_server):
    done = analyze("--app-id", "application_1_0042", "--spark-api", history_server)
    assert done.returncode == 2
    assert "no application 'application_1_0042'" in done.stderr and "--app-id" in done.stderr
    assert done.stdout == ""


def test_cli_unreachable_api_and_fail_on(history_server, tmp_path):
    free = ThreadingHTTPServer(("127.0.0.1", 0), _CapturedSparkApi)
    port = free.server_address[1]
    free.server_close()   # nothing listens there any more
    done = analyze("--app-id", "x", "--spark-api", f"http://127.0.0.1:{port}")
    assert done.returncode == 2 and "Check --spark-api" in done.stderr
    chart = tmp_path / "stages.png"
    failing = analyze("--app-id", captured_app_id("failing-tasks"), "--spark-api", history_server,
                      "--fail-on", "moderate", "--png", str(chart))
    assert failing.returncode == 3, failing.stderr
    assert chart.read_bytes().startswith(PNG_SIGNATURE)
