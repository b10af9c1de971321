"""Platform caps (livy.session.limits) and accountability tags, through the kernel process and `submit`
against the Livy test double: a request over a cap is refused in one line per cap before anything is sent, a
request at the cap goes through, defaults over a cap are a configuration error in the first cell, and every
session and batch carries YARN tags naming the user, the notebook or job, and the platform."""
import json
import os
import subprocess

import pytest

from conftest import JAR
from kernel_tools import run_cell
from livy_fixtures import start_double, start_kernel, stop_kernel

LIMITS = {"executorMemory": "8g", "executorCores": 4, "numExecutors": 10, "maxExecutors": 20,
          "queues": ["notebooks", "adhoc"], "forbiddenConf": ["spark.yarn.*"]}


@pytest.fixture(scope="module")
def double():
    livy = start_double(startup_delay=0.2)
    yield livy
    livy.stop()


def write_config(path, double, limits=LIMITS, defaults=None):
    path.write_text(json.dumps({"livy": {"url": double.url, "session": {
        "heartbeatTimeoutSeconds": 4, "heartbeatIntervalSeconds": 1, "limits": limits, "tags": "team-ml",
        "defaults": defaults or {"queue": "notebooks"}}}}))
    return path


def session_posts(double, since=0):
    return [r for r in double.requests()[since:] if r["method"] == "POST" and r["path"] == "/sessions"]


def configure(kc, settings):
    reply, outputs = run_cell(kc, "%%configure -f\n" + json.dumps(settings))
    return reply["content"], outputs


@pytest.mark.parametrize("settings, refusal", [
    ({"executorMemory": "16g"}, "executorMemory 16g is above this platform's limit of 8g; ask for at most 8g"),
    ({"executorCores": 8}, "executorCores 8 is above this platform's limit of 4; ask for at most 4"),
    ({"numExecutors": 12}, "numExecutors 12 is above this platform's limit of 10; ask for at most 10"),
    ({"queue": "prod"}, "queue 'prod' is not one this platform allows; choose one of notebooks, adhoc"),
    ({"conf": {"spark.yarn.maxAppAttempts": "5"}}, "conf spark.yarn.maxAppAttempts is set by the platform"),
    ({"conf": {"spark.dynamicAllocation.enabled": "true", "spark.dynamicAllocation.maxExecutors": "50"}},
     "spark.dynamicAllocation.maxExecutors 50 is above this platform's limit of 20"),
])
def test_configure_over_a_cap_is_refused_in_one_line_and_nothing_is_sent(double, tmp_path, settings, refusal):
    km, kc = start_kernel(write_config(tmp_path / "config.json", double))
    try:
        before = len(double.requests())
        content, _ = configure(kc, settings)
        assert content["status"] == "error" and content["ename"] == "LimitExceeded", content
        assert refusal in content["evalue"], content["evalue"]
        assert "nothing changed" in content["evalue"]
        assert not session_posts(double, before), "a refused %%configure must not start a session"
    finally:
        stop_kernel(km, kc)


def test_a_request_at_the_caps_is_accepted_and_the_session_is_tagged(double, tmp_path):
    km, kc = start_kernel(write_config(tmp_path / "config.json", double), user="alice")
    try:
        content, _ = configure(kc, {"executorMemory": "8192m", "executorCores": 4, "numExecutors": 10,
                                    "queue": "adhoc"})
        assert content["status"] == "ok", content
        before = len(double.requests())
        reply, _ = run_cell(kc, "x = 1")
        assert reply["content"]["status"] == "ok", reply["content"]
        body = session_posts(double, before)[-1]["body"]
        assert body["executorMemory"] == "8192m" and body["queue"] == "adhoc"
        tags = body["conf"]["spark.yarn.tags"].split(",")
        assert "livy-kernel-user:alice" in tags and "team-ml" in tags, tags
        assert any(t.startswith("livy-kernel-source:") for t in tags), tags
    finally:
        stop_kernel(km, kc)


def test_defaults_over_a_cap_are_a_configuration_error_in_the_first_cell(double, tmp_path):
    config = write_config(tmp_path / "config.json", double, defaults={"executorMemory": "32g"})
    km, kc = start_kernel(config)
    try:
        reply, _ = run_cell(kc, "1 + 1")
        content = reply["content"]
        assert content["status"] == "error" and content["ename"] == "ConfigurationError", content
        assert "livy.session.defaults ask for more than livy.session.limits allow" in content["evalue"]
        assert "executorMemory 32g is above this platform's limit of 8g" in content["evalue"]
    finally:
        stop_kernel(km, kc)


def submit(double, tmp_path, *args):
    config = write_config(tmp_path / "config.json", double)
    entry = tmp_path / "job.py"
    entry.write_text("print('hello')\n")
    env = dict(os.environ, LIVY_KERNEL_CONFIG=str(config))
    env.pop("LIVY_URL", None)
    return subprocess.run(["java", "-jar", str(JAR), "submit", *args, str(entry)], env=env, capture_output=True,
                          text=True, timeout=60)


def batch_posts(double, since=0):
    return [r for r in double.requests()[since:] if r["method"] == "POST" and r["path"] == "/batches"]


def test_submit_over_a_cap_exits_2_and_sends_nothing(double, tmp_path):
    before = len(double.requests())
    result = submit(double, tmp_path, "--executor-memory", "16g")
    assert result.returncode == 2, result.stderr
    assert "executorMemory 16g is above this platform's limit of 8g" in result.stderr
    assert not batch_posts(double, before)


def test_submit_at_the_caps_is_sent_with_its_tags(double, tmp_path):
    before = len(double.requests())
    result = submit(double, tmp_path, "--executor-memory", "8g", "--name", "nightly-etl")
    assert result.returncode == 0, result.stderr
    body = batch_posts(double, before)[-1]["body"]
    tags = body["conf"]["spark.yarn.tags"].split(",")
    assert "livy-kernel-source:nightly-etl" in tags and "team-ml" in tags, tags
