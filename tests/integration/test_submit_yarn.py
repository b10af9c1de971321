"""`submit --via spark-submit` with the route's defaults (--master yarn --deploy-mode cluster) against a real YARN:
Hadoop's MiniYARNCluster started once for this module by tests/yarn-cluster (one ResourceManager and one NodeManager
on 127.0.0.1, the local file system as fs.defaultFS). The driver runs in YARN's application master container, so the
application's state is checked where YARN keeps it: the ResourceManager's REST API."""
import json
import os
import signal
import subprocess
import time
import urllib.request

import pytest

from conftest import JAR, ROOT
from test_batch_submit import FAILED, NOT_FINISHED, SUCCESS, TIMEOUT
from test_submit_spark import EXAMPLES, SPARK_HOME, SPARK_PI

CLUSTER_JAR = ROOT / "tests" / "yarn-cluster" / "target" / "yarn-cluster" / "lib" / "livy-kernel-yarn-cluster.jar"
CLUSTER_START_SECONDS = 120


class Yarn:
    def __init__(self, rm_url, work):
        self.rm_url, self.work = rm_url, work

    def app(self, app_id):
        """The application as the ResourceManager reports it (state, finalStatus, diagnostics...)."""
        with urllib.request.urlopen(f"{self.rm_url}/ws/v1/cluster/apps/{app_id}", timeout=10) as response:
            return json.load(response)["app"]

    def wait_until_ended(self, app_id, limit=120):
        end = time.monotonic() + limit
        while True:
            app = self.app(app_id)
            if app["state"] in ("FINISHED", "FAILED", "KILLED") or time.monotonic() > end:
                return app
            time.sleep(0.5)

    def driver_stdout(self, app_id):
        """What the driver (in the application master's container, the first one) printed on stdout."""
        files = list((self.work / "data").glob(f"**/{app_id}/container_*_01_000001/stdout"))
        return files[0].read_text() if files else ""


@pytest.fixture(scope="module")
def yarn(tmp_path_factory):
    for built in (CLUSTER_JAR, SPARK_HOME / "bin" / "spark-submit"):
        if not built.is_file():
            pytest.fail(f"{built} is missing: run `mvn -B -q -DskipTests package` first")
    work = tmp_path_factory.mktemp("yarn")
    with open(work / "cluster.log", "w") as log:
        # the cluster stops when its stdin closes: at the end of this module, or when the test process dies
        cluster = subprocess.Popen(["java", "-jar", str(CLUSTER_JAR), str(work)], cwd=work, stdin=subprocess.PIPE,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        end = time.monotonic() + CLUSTER_START_SECONDS
        while not (work / "ready").is_file():
            if cluster.poll() is not None or time.monotonic() > end:
                pytest.fail("the YARN cluster did not start:\n" + (work / "cluster.log").read_text()[-3000:])
            time.sleep(0.2)
        yield Yarn((work / "ready").read_text().strip(), work)
    finally:
        cluster.stdin.close()
        try:
            cluster.wait(timeout=60)
        except subprocess.TimeoutExpired:
            cluster.kill()
            cluster.wait()


@pytest.fixture(scope="module")
def env(yarn, tmp_path_factory):
    config = tmp_path_factory.mktemp("config")
    (config / "config.json").write_text("{}")
    # Spark's jars are read where they are (local:) instead of being uploaded per application; a small driver
    # and one small executor per application; everything on 127.0.0.1
    (config / "spark-defaults.conf").write_text("\n".join([
        f"spark.yarn.jars local:{SPARK_HOME}/jars/*",
        f"spark.yarn.stagingDir file://{yarn.work}/staging",
        "spark.driver.memory 512m", "spark.executor.memory 512m", "spark.executor.instances 1",
        "spark.yarn.appMasterEnv.SPARK_LOCAL_IP 127.0.0.1", "spark.executorEnv.SPARK_LOCAL_IP 127.0.0.1", ""]))
    environment = dict(os.environ, LIVY_KERNEL_CONFIG=str(config / "config.json"), SPARK_HOME=str(SPARK_HOME),
                       SPARK_CONF_DIR=str(config), HADOOP_CONF_DIR=str(yarn.work / "conf"), SPARK_LOCAL_IP="127.0.0.1")
    environment.pop("LIVY_URL", None)
    return environment


def submit(env, *app_args, options=()):
    """`submit --via spark-submit` of SparkPi with the route's defaults (YARN, cluster mode), in the background."""
    return subprocess.Popen(["java", "-jar", str(JAR), "submit", "--via", "spark-submit", *options, "--class", SPARK_PI,
                             str(EXAMPLES), "--", *app_args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process, timeout=180):
    """(exit code, stdout, stderr) of a submit once it has returned."""
    try:
        out, err = process.communicate(timeout=timeout)
        return process.returncode, out, err
    finally:
        process.kill()
        process.wait()


def app_id_in(err):
    ids = [line.split(": ", 1)[1] for line in err.splitlines() if line.startswith("application id: ")]
    assert ids and ids[0].startswith("application_"), err
    return ids[0]


def test_spark_pi_in_cluster_mode_is_followed_to_success(yarn, env):
    code, out, err = finish(submit(env, "2"))
    assert code == SUCCESS, err + out[-3000:]
    app_id = app_id_in(err)
    assert "application state: RUNNING" in err and "exit code 0 (success)" in err
    app = yarn.app(app_id)
    assert (app["state"], app["finalStatus"]) == ("FINISHED", "SUCCEEDED")
    pi = [line for line in yarn.driver_stdout(app_id).splitlines() if line.startswith("Pi is roughly")]
    assert len(pi) == 1 and 3.0 < float(pi[0].split()[-1]) < 3.3


def test_failing_application_gives_exit_code_1_and_the_reason(yarn, env):
    code, out, err = finish(submit(env, "2", "--fail"))
    assert code == FAILED, err + out[-3000:]
    app_id = app_id_in(err)
    assert "exit code 1 (failed)" in err
    assert "SparkPi was asked to fail" in out   # YARN's diagnostics, which spark-submit prints
    app = yarn.app(app_id)
    assert (app["state"], app["finalStatus"]) == ("FINISHED", "FAILED")


def test_no_wait_prints_the_application_id_and_returns_while_it_runs(yarn, env):
    code, out, err = finish(submit(env, "2", "--sleep-ms", "6000", options=["--no-wait"]))
    assert code == SUCCESS, err + out[-3000:]
    app_id = out.strip().splitlines()[-1]
    assert app_id.startswith("application_") and "not following it (--no-wait)" in err
    assert yarn.app(app_id)["state"] in ("ACCEPTED", "RUNNING")
    app = yarn.wait_until_ended(app_id)
    assert (app["state"], app["finalStatus"]) == ("FINISHED", "SUCCEEDED")


def test_ctrl_c_without_a_terminal_detaches_and_the_application_keeps_running(yarn, env):
    process = submit(env, "2", "--sleep-ms", "6000")
    try:
        said = []
        for line in process.stderr:
            said.append(line)
            if "application state: RUNNING" in line:
                process.send_signal(signal.SIGINT)
                break
        code, out, rest = finish(process, timeout=60)
    finally:
        process.kill()
        process.wait()
    err = "".join(said) + rest
    assert code == NOT_FINISHED, err
    app_id = app_id_in(err)
    assert "interrupted with no terminal to ask whether to kill: detaching" in err
    assert f"detached from application {app_id}; it keeps running on the cluster" in err
    assert out.strip().splitlines()[-1] == app_id
    assert yarn.app(app_id)["state"] == "RUNNING"
    app = yarn.wait_until_ended(app_id)
    assert (app["state"], app["finalStatus"]) == ("FINISHED", "SUCCEEDED")


def test_timeout_kills_the_application_on_yarn(yarn, env):
    process = submit(env, "2", "--sleep-ms", "60000", options=["--timeout", "20"])
    code, out, err = finish(process)
    assert code == TIMEOUT, err + out[-3000:]
    app_id = app_id_in(err)
    assert "timeout after 20 s; killing it" in err
    assert "could not confirm" not in err
    app = yarn.wait_until_ended(app_id)
    assert (app["state"], app["finalStatus"]) == ("KILLED", "KILLED")
