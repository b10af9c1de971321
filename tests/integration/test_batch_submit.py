"""`submit`, `status`, `logs` and `kill` against the Livy double: the built jar run as a scheduler would run it.

The tests that follow a batch run against each of the double's modes (Apache Livy, Lighter, Livy 0.9 on
Kubernetes: the `mode` fixture's parameters); where a server answers differently the test says how. Tests of
what is sent run against Apache Livy and Lighter (@across_flavors), and those that never reach the server (dry
runs, refused input) in one mode only (@one_mode): more modes would only repeat them, at a JVM start or more
each, and the module must stay near a minute per mode.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import JAR, ROOT
from livy_fixtures import DOUBLE_MODES, livy_section, start_double

sys.path.insert(0, str(ROOT / "tests" / "webhdfs_double"))
from webhdfs_double import WebHdfsDouble  # noqa: E402  (the double lives beside the tests)

SUCCESS, FAILED, SUBMISSION_ERROR, KILLED, TIMEOUT, NOT_FINISHED = 0, 1, 2, 3, 4, 5
# What a running batch is called: Lighter says busy while the driver runs (KubernetesBackend.mapStatus).
RUNNING = {"livy": "running", "lighter": "busy", "kubernetes": "running"}
one_mode = pytest.mark.parametrize("mode", DOUBLE_MODES[:1], indirect=True)
# What the kernel sends depends on the flavor (livy.flavor), not on the cluster behind Livy: tests of the request
# run against Apache Livy and Lighter; Livy on Kubernetes would repeat Livy's.
across_flavors = pytest.mark.parametrize("mode", ["livy", "lighter"], indirect=True)


@pytest.fixture(scope="module", params=DOUBLE_MODES)
def mode(request):
    return request.param


@pytest.fixture(scope="module")
def hdfs_root(mode, tmp_path_factory):
    """The HDFS of these tests (an empty one for each mode): the WebHDFS double stores into it, the Livy double's
    batches read from it."""
    return tmp_path_factory.mktemp("hdfs-" + mode)


@pytest.fixture(scope="module")
def double(mode, hdfs_root):
    livy = start_double(mode, startup_delay=0.2, default_fs_root=str(hdfs_root))
    yield livy
    livy.stop()


@pytest.fixture(scope="module")
def webhdfs(hdfs_root):
    store = WebHdfsDouble(hdfs_root).start()
    yield store
    store.stop()


@pytest.fixture(scope="module")
def env(double, tmp_path_factory):
    config = tmp_path_factory.mktemp("config") / "config.json"
    config.write_text(json.dumps({"livy": livy_section(double.url, session={"defaults": {
        "queue": "platform-queue", "heartbeatTimeoutInSecond": 60,
        "conf": {"spark.platform.default": "on", "spark.sql.shuffle.partitions": "8"}}})}))
    environment = dict(os.environ, LIVY_KERNEL_CONFIG=str(config))
    environment.pop("LIVY_URL", None)
    return environment


UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def cli(env, *args, timeout=60):
    return subprocess.run(["java", "-jar", str(JAR), *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def script(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body)
    return str(path)


def cell(kind, text):
    return {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True),
            **({"outputs": [], "execution_count": None} if kind == "code" else {})}


def batch_posts(double):
    return [r for r in double.requests() if r["method"] == "POST" and r["path"] == "/batches"]


COUNTING = """
import sys, time
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
for i in range(int(sys.argv[1])):
    print(f"line {i}", flush=True)
    print(f"err {i}", file=sys.stderr, flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_success_streams_each_line_once_in_order(env, tmp_path, mode):
    entry = script(tmp_path, "count.py", COUNTING)
    result = cli(env, "submit", entry, "--", "25", "0.04")
    assert result.returncode == SUCCESS, result.stderr
    printed = [l for l in result.stdout.splitlines() if l.startswith("line ")]
    assert printed == [f"line {i}" for i in range(25)]
    errors = [l for l in result.stdout.splitlines() if l.startswith("err ")]
    assert errors == [f"err {i}" for i in range(25)]
    assert RUNNING[mode] in result.stderr and "success" in result.stderr
    assert "sending local paths" in result.stderr   # local paths are announced, with where the server reads them
    assert ("livy.file.local-dir-whitelist" in result.stderr) == (mode != "lighter")


def test_failed_job_gives_the_failure_code_and_its_error(env, tmp_path):
    entry = script(tmp_path, "fail.py", 'print("starting")\nraise ValueError("bad input for day")\n')
    result = cli(env, "submit", entry)
    assert result.returncode == FAILED, result.stderr
    assert "ValueError: bad input for day" in result.stdout
    assert "dead" in result.stderr


def submitted_id(process):
    """Reads the follower's stderr until it names the batch it submitted."""
    for line in process.stderr:
        if " submitted to " in line:
            return line.split()[1]
    raise AssertionError("submit never said which batch it submitted")


def test_kill_from_another_process(env, tmp_path):
    entry = script(tmp_path, "long.py", COUNTING)
    follower = subprocess.Popen(["java", "-jar", str(JAR), "submit", entry, "--", "200", "0.1"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        batch = submitted_id(follower)
        time.sleep(1.0)
        killed = cli(env, "kill", batch)
        assert killed.returncode == SUCCESS, killed.stderr
        assert follower.wait(timeout=20) == KILLED
        assert "killed" in follower.stderr.read()
    finally:
        follower.kill()
        follower.wait()
    assert cli(env, "kill", batch).returncode == SUBMISSION_ERROR   # gone now


def test_no_wait_then_status_and_logs(env, tmp_path, mode):
    entry = script(tmp_path, "count.py", COUNTING)
    submitted = cli(env, "submit", "--no-wait", entry, "--", "20", "0.2")   # long enough to be seen running
    assert submitted.returncode == SUCCESS, submitted.stderr
    batch = submitted.stdout.strip()
    assert re.fullmatch(UUID if mode == "lighter" else r"\d+", batch), batch   # Lighter names batches by UUID
    running = cli(env, "status", batch)
    assert running.returncode == NOT_FINISHED, running.stdout + running.stderr
    followed = cli(env, "logs", batch, "--follow")
    assert followed.returncode == SUCCESS, followed.stderr
    assert [l for l in followed.stdout.splitlines() if l.startswith("line ")] == [f"line {i}" for i in range(20)]
    done = cli(env, "status", batch)
    assert done.returncode == SUCCESS and "state: success" in done.stdout
    logs = cli(env, "logs", batch)
    assert logs.returncode == SUCCESS and "line 19" in logs.stdout
    assert cli(env, "status", "9999").returncode == SUBMISSION_ERROR


def test_timeout_kills_the_job(env, tmp_path, double):
    entry = script(tmp_path, "slow.py", COUNTING)
    started = time.monotonic()
    result = cli(env, "submit", "--timeout", "2", entry, "--", "100", "0.2")
    assert result.returncode == TIMEOUT, result.stderr
    assert time.monotonic() - started < 15
    assert "timeout" in result.stderr
    assert any(r["method"] == "DELETE" and r["path"].startswith("/batches/") for r in double.requests())


@across_flavors
def test_request_body_project_conda_conf_resources_args(env, tmp_path, double, mode):
    project = tmp_path / "proj"
    (project / "pkg" / "__pycache__").mkdir(parents=True)
    (project / ".git").mkdir()
    (project / "pkg" / "__init__.py").write_text("GREETING = 'hello from pkg'\n")
    (project / "pkg" / "__pycache__" / "x.pyc").write_text("cache")
    (project / ".git" / "HEAD").write_text("ref")
    (project / "notes.tmp").write_text("scratch")
    (project / ".gitignore").write_text("*.tmp\n")
    entry = script(project, "main.py", "import sys, pkg\nprint(pkg.GREETING, sys.argv[1:])\n")
    staging = tmp_path / "staging"
    options = ["--project", str(project), "--staging-dir", str(staging),
               "--conda-env", "hdfs:///envs/ml.tar.gz", "--conf", "spark.x=1", "--conf", "spark.my.token=s3cret",
               "--driver-memory", "1g", "--executor-memory", "2g", "--executor-cores", "2",
               "--num-executors", "3", "--queue", "etl", "--name", "nightly"]
    if mode == "lighter":   # Lighter's BatchParams have no proxyUser: it runs every batch as itself
        before = len(batch_posts(double))
        refused = cli(env, "submit", *options, "--proxy-user", "bob", entry)
        assert refused.returncode == SUBMISSION_ERROR and "proxy user" in refused.stderr, refused.stderr
        assert len(batch_posts(double)) == before
    else:
        options += ["--proxy-user", "bob"]
    result = cli(env, "submit", *options, entry, "--", "--day", "2024-01-01")
    assert result.returncode == SUCCESS, result.stderr
    assert "hello from pkg ['--day', '2024-01-01']" in result.stdout
    body = batch_posts(double)[-1]["body"]
    assert body["file"] == entry
    assert body["args"] == ["--day", "2024-01-01"]
    (zip_path,) = body["pyFiles"]
    assert zip_path.startswith(str(staging)) and os.path.isfile(zip_path)
    with zipfile.ZipFile(zip_path) as packed:
        assert sorted(packed.namelist()) == [".gitignore", "main.py", "pkg/__init__.py"]
    assert body["archives"] == ["hdfs:///envs/ml.tar.gz#condaenv"]
    for key in ("spark.yarn.appMasterEnv.PYSPARK_PYTHON", "spark.executorEnv.PYSPARK_PYTHON", "spark.pyspark.python"):
        assert body["conf"][key] == "./condaenv/bin/python"
    assert body["conf"]["spark.x"] == "1" and body["conf"]["spark.my.token"] == "s3cret"
    assert body["conf"]["spark.platform.default"] == "on"          # livy.session.defaults apply to batches
    assert (body["driverMemory"], body["executorMemory"], body["executorCores"], body["numExecutors"]) == \
        ("1g", "2g", 2, 3)
    if mode == "lighter":   # BatchParams: no queue field; spark-submit's --queue is spark.yarn.queue
        assert body["name"] == "nightly" and "queue" not in body and "proxyUser" not in body
        assert body["conf"]["spark.yarn.queue"] == "etl"
    else:
        assert (body["queue"], body["name"], body["proxyUser"]) == ("etl", "nightly", "bob")
    assert "heartbeatTimeoutInSecond" not in body                   # a session-only default is dropped


@across_flavors
def test_notebook_becomes_a_batch(env, tmp_path, double):
    notebook = tmp_path / "report.ipynb"
    notebook.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        cell("markdown", "# Nightly report"),
        cell("code", '%%configure -f\n{"name": "nb-job", "conf": {"spark.nb.setting": "yes"}}'),
        cell("code", "rows = spark.range(3).count()\nprint('rows', rows)"),
        cell("code", "%%local\nprint('only on the laptop')"),
        cell("code", "print('last cell', rows + 1)"),
    ]}))
    result = cli(env, "submit", "--notebook", str(notebook), "--staging-dir", str(tmp_path / "stage"))
    assert result.returncode == SUCCESS, result.stderr
    out = result.stdout
    assert "rows 3" in out and "last cell 4" in out and out.index("rows 3") < out.index("last cell 4")
    assert "only on the laptop" not in out
    assert "(%%local) left out" in result.stderr
    body = batch_posts(double)[-1]["body"]
    assert body["name"] == "nb-job" and body["conf"]["spark.nb.setting"] == "yes"
    assert body["file"] == str(tmp_path / "stage" / "report.py")

    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps({"cells": [cell("code", '%%configure\n{"executorMemory": "lots"}')]}))
    refused = cli(env, "submit", "--notebook", str(bad))
    assert refused.returncode == SUBMISSION_ERROR and "executorMemory" in refused.stderr


@one_mode
def test_dry_run_sends_nothing_and_redacts_secrets(env, tmp_path, double):
    entry = script(tmp_path, "job.py", "print(1)\n")
    before = len(batch_posts(double))
    result = cli(env, "submit", "--dry-run", "--conf", "spark.hadoop.fs.s3a.secret.key=hunter2",
                 "--conf", "spark.y=2", entry, "--", "a")
    assert result.returncode == SUCCESS, result.stderr
    request = json.loads(result.stdout)
    assert request["conf"]["spark.hadoop.fs.s3a.secret.key"] == "***" and request["conf"]["spark.y"] == "2"
    assert request["file"] == entry and request["args"] == ["a"] and request["queue"] == "platform-queue"
    assert "hunter2" not in result.stdout + result.stderr
    assert len(batch_posts(double)) == before


@across_flavors
def test_jar_entry_point_is_sent_with_its_main_class(env, tmp_path, mode):
    jar = script(tmp_path, "app.jar", "not really a jar")
    result = cli(env, "submit", "--dry-run", "--class", "org.example.SparkPi", jar, "--", "10")
    assert result.returncode == SUCCESS, result.stderr
    request = json.loads(result.stdout)   # the body as this server takes it: Lighter's BatchParams say mainClass
    main_class = "mainClass" if mode == "lighter" else "className"
    assert request["file"] == jar and request[main_class] == "org.example.SparkPi" and request["args"] == ["10"]
    missing_class = cli(env, "submit", "--dry-run", jar)
    assert missing_class.returncode == SUBMISSION_ERROR and "--class NAME" in missing_class.stderr


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@one_mode
@pytest.mark.parametrize("case", ["missing file", "bad conf", "unreachable", "missing project", "bad via"])
def test_submission_errors_are_one_clear_line(env, tmp_path, double, case):
    entry = script(tmp_path, "job.py", "print(1)\n")
    args = {"missing file": [str(tmp_path / "nope.py")],
            "bad conf": ["--conf", "spark.x", entry],
            "unreachable": ["--livy-url", f"http://127.0.0.1:{closed_port()}", entry],
            "missing project": ["--project", str(tmp_path / "no-project"), entry],
            "bad via": ["--via", "yarn", entry]}[case]
    before = len(batch_posts(double))
    result = cli(env, "submit", *args)
    assert result.returncode == SUBMISSION_ERROR
    errors = [l for l in result.stderr.splitlines() if l.startswith("livy-kernel submit:")]
    assert len(errors) == 1, result.stderr
    assert "Exception" not in result.stderr and "\tat " not in result.stderr
    expected = {"missing file": "entry file not found", "bad conf": "--conf expects KEY=VALUE",
                "unreachable": "cannot reach Livy", "missing project": "--project is not a directory",
                "bad via": "--via must be livy or spark-submit"}[case]
    assert expected in errors[0]
    assert len(batch_posts(double)) == before


def test_ctrl_c_without_a_terminal_detaches(env, tmp_path):
    entry = script(tmp_path, "long.py", COUNTING)
    follower = subprocess.Popen(["java", "-jar", str(JAR), "submit", entry, "--", "200", "0.1"], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        batch = submitted_id(follower)
        time.sleep(0.8)
        follower.send_signal(signal.SIGINT)
        assert follower.wait(timeout=20) == NOT_FINISHED
        said = follower.stderr.read()
        assert "detached" in said and f"logs --follow {batch}" in said
        assert cli(env, "status", batch).returncode == NOT_FINISHED   # it keeps running
    finally:
        follower.kill()
        follower.wait()
    assert cli(env, "kill", batch).returncode == SUCCESS


def staging_env(env, tmp_path, **staging):
    config = tmp_path / "staging-config.json"
    settings = json.loads(open(env["LIVY_KERNEL_CONFIG"]).read())
    settings["livy"]["batch"] = {"staging": staging}
    config.write_text(json.dumps(settings))
    return dict(env, LIVY_KERNEL_CONFIG=str(config))


def staged_project(tmp_path):
    project = tmp_path / "proj"
    (project / "etl").mkdir(parents=True)
    (project / "etl" / "__init__.py").write_text("GREETING = 'hello from the staged project'\n")
    entry = script(tmp_path, "main.py", "import etl\nprint(etl.GREETING)\n")
    conda = tmp_path / "env.tar.gz"
    conda.write_bytes(bytes(range(256)) * 64)
    return project, entry, conda


@across_flavors
def test_webhdfs_staging_uploads_rewrites_paths_and_reuses_uploads(env, tmp_path, double, webhdfs):
    staging = staging_env(env, tmp_path, webhdfsUrl=webhdfs.url, user="alice")
    project, entry, conda = staged_project(tmp_path)
    args = ["submit", "--project", str(project), "--conda-env", str(conda), "--staging-dir", str(tmp_path / "out"),
            entry]
    first = cli(staging, *args)
    assert first.returncode == SUCCESS, first.stderr
    assert "hello from the staged project" in first.stdout      # run from HDFS, the project zip on its path
    assert "3 uploaded, 0 already there" in first.stderr and "local-dir-whitelist" not in first.stderr
    body = batch_posts(double)[-1]["body"]
    prefix = "hdfs:///user/alice/.livy-kernel/staging/"
    locals_ = [entry, str(next((tmp_path / "out").glob("proj-*.zip"))), str(conda)]
    sent = [body["file"], body["pyFiles"][0], body["archives"][0]]
    assert body["archives"][0].endswith("/env.tar.gz#condaenv")
    for local, uri in zip(locals_, sent):
        assert uri.startswith(prefix) and uri.split("#")[0].endswith("/" + os.path.basename(local))
        with open(webhdfs.local(uri.split("#")[0][len("hdfs://"):]), "rb") as staged, open(local, "rb") as original:
            assert staged.read() == original.read()
    creates = [r for r in webhdfs.requests() if r["query"].get("op") == "CREATE"]
    assert [r["server"] for r in creates] == ["namenode", "datanode"] * 3   # the two-step create

    before = len(webhdfs.requests())
    again = cli(staging, *args)
    assert again.returncode == SUCCESS and "0 uploaded, 3 already there" in again.stderr
    assert not [r for r in webhdfs.requests()[before:] if r["query"].get("op") == "CREATE"]
    assert batch_posts(double)[-1]["body"]["file"] == body["file"]

    with open(entry, "a") as changed:
        changed.write("print('changed')\n")
    third = cli(staging, *args)
    assert third.returncode == SUCCESS and "1 uploaded, 2 already there" in third.stderr
    assert batch_posts(double)[-1]["body"]["file"] != body["file"] and "changed" in third.stdout


@one_mode
def test_webhdfs_staging_dry_run_names_the_cluster_paths_and_uploads_nothing(env, tmp_path, double, webhdfs):
    staging = staging_env(env, tmp_path, webhdfsUrl=webhdfs.url, user="alice", fileSystem="hdfs://ns1",
                          directory="/user/{user}/jobs")
    entry = script(tmp_path, "job.py", "print(1)\n")
    before = len(webhdfs.requests())
    result = cli(staging, "submit", "--dry-run", entry)
    assert result.returncode == SUCCESS, result.stderr
    assert json.loads(result.stdout)["file"].startswith("hdfs://ns1/user/alice/jobs/")
    assert "would be staged" in result.stderr and len(webhdfs.requests()) == before


@one_mode
@pytest.mark.parametrize("case", ["permission denied", "unreachable", "no url"])
def test_webhdfs_staging_errors_are_one_line_and_submit_nothing(env, tmp_path, double, webhdfs, case):
    staging = {"permission denied": {"webhdfsUrl": webhdfs.url, "user": "bob", "directory": "/user/alice/stage"},
               "unreachable": {"webhdfsUrl": f"http://127.0.0.1:{closed_port()}"},
               "no url": {"directory": "/tmp/x"}}[case]
    entry = script(tmp_path, "job.py", "print(1)\n")
    before = len(batch_posts(double))
    result = cli(staging_env(env, tmp_path, **staging), "submit", entry)
    assert result.returncode == SUBMISSION_ERROR
    errors = [l for l in result.stderr.splitlines() if l.startswith("livy-kernel submit:")]
    assert len(errors) == 1 and "\tat " not in result.stderr, result.stderr
    assert {"permission denied": "AccessControlException: Permission denied: user=bob",
            "unreachable": "cannot reach WebHDFS", "no url": "needs webhdfsUrl"}[case] in errors[0]
    assert len(batch_posts(double)) == before
