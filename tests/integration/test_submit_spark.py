"""`submit --via spark-submit`: the built jar against the real local SPARK_HOME that tests/spark-home assembles
(Spark 3.5's jars from Maven Central). Spark runs are few: each starts a JVM driver."""
import json
import os
import shlex
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import JAR, ROOT
from test_batch_submit import FAILED, KILLED, SUBMISSION_ERROR, SUCCESS, TIMEOUT, cell, cli, script

SPARK_HOME = ROOT / "tests" / "spark-home" / "target" / "spark-home"
EXAMPLES = SPARK_HOME / "examples" / "jars" / "livy-kernel-spark-examples.jar"
SPARK_PI = "io.livykernel.sparkhome.SparkPi"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    if not (SPARK_HOME / "bin" / "spark-submit").is_file():
        pytest.fail(f"{SPARK_HOME} is missing: run `mvn -B -q -DskipTests package` first")
    # no livy.url: the spark-submit route needs only the batch settings of the configuration
    config = tmp_path_factory.mktemp("config") / "config.json"
    config.write_text(json.dumps({"livy": {"session": {"defaults": {
        "queue": "platform-queue", "conf": {"spark.platform.default": "on"}}}}}))
    environment = dict(os.environ, LIVY_KERNEL_CONFIG=str(config), SPARK_HOME=str(SPARK_HOME))
    environment.pop("LIVY_URL", None)
    return environment


def spark_pi(env, *app_args):
    """Runs SparkPi on local[2], reading its output as it streams; returns (exit code, stdout lines, stderr,
    whether the Pi line arrived while submit was still running)."""
    process = subprocess.Popen(["java", "-jar", str(JAR), "submit", "--via", "spark-submit", "--master", "local[2]",
                                "--class", SPARK_PI, str(EXAMPLES), "--", *app_args], env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines, pi_while_running = [], None
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Pi is roughly"):
                pi_while_running = process.poll() is None
        return process.wait(timeout=180), lines, process.stderr.read(), pi_while_running
    finally:
        process.kill()
        process.wait()


def test_spark_pi_is_followed_to_success_with_its_output_live(env):
    code, lines, err, pi_while_running = spark_pi(env, "2")
    assert code == SUCCESS, err
    pi = [l for l in lines if l.startswith("Pi is roughly")]
    assert len(pi) == 1 and 3.0 < float(pi[0].split()[-1]) < 3.3
    assert pi_while_running, "the Pi line came only after submit ended"
    assert "application id: local-" in err and "RUNNING" in err and "exit code 0 (success)" in err
    # a local master has no cluster application, so there is nothing to account: said, not shown as zero
    assert "Resources used: not available (no cluster application: Spark runs in local mode here" in err, err


def test_failing_tasks_give_exit_code_1_and_the_reason(env):
    code, lines, err, _ = spark_pi(env, "2", "--fail")
    assert code == FAILED, err
    assert any("SparkPi was asked to fail" in l for l in lines)
    assert any("Job aborted due to stage failure" in l for l in lines)
    assert "exit code 1 (failed)" in err


def dry_run(env, *args):
    result = cli(env, "submit", "--via", "spark-submit", "--dry-run", *args)
    assert result.returncode == SUCCESS, result.stderr
    words = shlex.split(result.stdout)
    assert words[0] == str(SPARK_HOME / "bin" / "spark-submit")
    return words[1:], result


def options_of(words):
    """The --option value pairs before the application."""
    pairs, i = [], 0
    while i < len(words) and words[i].startswith("--"):
        pairs.append((words[i], words[i + 1]))
        i += 2
    return pairs, words[i:]


def test_dry_run_python_entry_with_conda_env_resources_and_secrets(env, tmp_path):
    entry = script(tmp_path, "etl.py", "print(1)\n")
    words, result = dry_run(env, "--conda-env", "hdfs:///envs/ml.tar.gz", "--executor-memory", "8g",
                            "--num-executors", "3", "--name", "nightly etl", "--proxy-user", "etl",
                            "--conf", "spark.hadoop.fs.s3a.secret.key=hunter2", entry, "--", "--day", "2024-01-01")
    pairs, rest = options_of(words)
    assert pairs[:2] == [("--master", "yarn"), ("--deploy-mode", "cluster")]
    assert ("--queue", "platform-queue") in pairs and ("--name", "nightly etl") in pairs
    assert ("--executor-memory", "8g") in pairs and ("--num-executors", "3") in pairs and ("--proxy-user", "etl") in pairs
    assert ("--archives", "hdfs:///envs/ml.tar.gz#condaenv") in pairs
    conf = dict(v.split("=", 1) for k, v in pairs if k == "--conf")
    assert conf["spark.yarn.appMasterEnv.PYSPARK_PYTHON"] == "./condaenv/bin/python"
    assert conf["spark.executorEnv.PYSPARK_PYTHON"] == conf["spark.pyspark.python"] == "./condaenv/bin/python"
    assert conf["spark.platform.default"] == "on" and conf["spark.hadoop.fs.s3a.secret.key"] == "***"
    assert rest == [entry, "--day", "2024-01-01"]
    assert "hunter2" not in result.stdout + result.stderr


def test_dry_run_project_is_packed_for_py_files(env, tmp_path):
    project = tmp_path / "proj"
    (project / "pkg").mkdir(parents=True)
    (project / "pkg" / "__init__.py").write_text("VALUE = 1\n")
    entry = script(tmp_path, "main.py", "import pkg\n")
    words, _ = dry_run(env, "--project", str(project), "--master", "yarn", "--deploy-mode", "client", entry)
    pairs, rest = options_of(words)
    assert ("--deploy-mode", "client") in pairs
    py_files = dict(pairs)["--py-files"]
    assert zipfile.ZipFile(py_files).namelist() == ["pkg/__init__.py"]
    assert rest == [entry]


def test_dry_run_notebook_uses_its_configure(env, tmp_path):
    notebook = tmp_path / "report.ipynb"
    notebook.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        cell("code", '%%configure -f\n{"name": "nb-job", "driverMemory": "3g"}'),
        cell("code", "print(spark.range(3).count())")]}))
    words, _ = dry_run(env, "--notebook", str(notebook), "--staging-dir", str(tmp_path / "stage"))
    pairs, rest = options_of(words)
    assert ("--name", "nb-job") in pairs and ("--driver-memory", "3g") in pairs
    assert rest == [str(tmp_path / "stage" / "report.py")]
    assert "print(spark.range(3).count())" in Path(rest[0]).read_text()


def test_dry_run_jar_entry(env):
    words, _ = dry_run(env, "--master", "local[2]", "--class", SPARK_PI, str(EXAMPLES), "--", "10")
    pairs, rest = options_of(words)
    assert ("--deploy-mode", "client") in pairs and ("--class", SPARK_PI) in pairs
    assert rest == [str(EXAMPLES), "10"]


@pytest.mark.parametrize("case", ["no SPARK_HOME", "not a Spark", "jar without class", "livy option",
                                  "local cluster mode", "no-wait in client mode"])
def test_errors_are_one_line_and_launch_nothing(env, tmp_path, case):
    entry = script(tmp_path, "job.py", "print(1)\n")
    environment = dict(env)
    if case == "no SPARK_HOME":
        environment.pop("SPARK_HOME")
    args = {"no SPARK_HOME": [entry],
            "not a Spark": ["--spark-home", str(tmp_path), entry],
            "jar without class": [str(EXAMPLES)],
            "livy option": ["--livy-url", "http://127.0.0.1:1", entry],
            "local cluster mode": ["--master", "local[2]", "--deploy-mode", "cluster", entry],
            "no-wait in client mode": ["--no-wait", "--deploy-mode", "client", entry]}[case]
    result = cli(environment, "submit", "--via", "spark-submit", *args)
    assert result.returncode == SUBMISSION_ERROR
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith("livy-kernel submit: "), result.stderr
    expected = {"no SPARK_HOME": "give --spark-home DIR or set SPARK_HOME",
                "not a Spark": "has no executable bin/spark-submit",
                "jar without class": "needs its main class",
                "livy option": "--livy-url applies to --via livy only",
                "local cluster mode": "use --deploy-mode client",
                "no-wait in client mode": "--no-wait needs --deploy-mode cluster"}[case]
    assert expected in errors[0]


def test_ctrl_c_stops_a_client_mode_driver_and_timeout_kills(env):
    process = subprocess.Popen(["java", "-jar", str(JAR), "submit", "--via", "spark-submit", "--master", "local[2]",
                                "--class", SPARK_PI, str(EXAMPLES), "--", "2", "--sleep-ms", "60000"], env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        said = []
        for line in process.stderr:
            said.append(line)
            if "application state: RUNNING" in line:
                process.send_signal(signal.SIGINT)
                break
        assert process.wait(timeout=60) == KILLED
        said.append(process.stderr.read())
        assert "the driver runs on this machine (deploy mode client), so it is stopped" in "".join(said)
    finally:
        process.kill()
        process.wait()

    timed_out = cli(env, "submit", "--via", "spark-submit", "--master", "local[2]", "--timeout", "1", "--class",
                    SPARK_PI, str(EXAMPLES), "--", "2", "--sleep-ms", "60000", timeout=120)
    assert timed_out.returncode == TIMEOUT, timed_out.stderr
    assert "timeout after 1 s; killing it" in timed_out.stderr
