"""`submit --via spark-submit` with the route's defaults (--master yarn --deploy-mode cluster), and a notebook's
Livy session whose application the Livy double submits the same way, against a real YARN:
Hadoop's MiniYARNCluster started once for this module by tests/yarn-cluster (one ResourceManager and one NodeManager
on 127.0.0.1, the local file system as fs.defaultFS). The driver runs in YARN's application master container, so the
application's state is checked where YARN keeps it: the ResourceManager's, which the cluster's launcher serves in the
shape of the REST API's /ws/v1/cluster/apps/{id} (the RM's own REST API cannot answer in the shaded mini-cluster)."""
import getpass
import json
import os
import pty
import re
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import JAR, ROOT
from kernel_tools import run_cell, stdout_of
from livy_fixtures import start_double, start_kernel, stop_kernel, write_config
from double_real_yarn import SparkSubmitApplications   # beside the double, which livy_fixtures puts on the path
from test_batch_submit import FAILED, KILLED, NOT_FINISHED, SUCCESS
from test_submit_spark import EXAMPLES, SPARK_HOME, SPARK_PI

CLUSTER_JAR = ROOT / "tests" / "yarn-cluster" / "target" / "yarn-cluster" / "lib" / "livy-kernel-yarn-cluster.jar"
CLUSTER_START_SECONDS = 120
FAST_START_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
PLATFORM_TAG = "team-yarn-tests"


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

    def accounted(self, app_id, limit=30):
        """The application once the ResourceManager accounts some use for it: it sums its running containers' use
        every few seconds only (SchedulerApplicationAttempt's 3 s cache), so a young application shows 0 at first."""
        end = time.monotonic() + limit
        while True:
            app = self.app(app_id)
            if app["memorySeconds"] > 0 or time.monotonic() > end:
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
        cluster = subprocess.Popen(["java", *FAST_START_JVM.split(), "-jar", str(CLUSTER_JAR), str(work)], cwd=work,
                                   stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
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
    # usage is read from the cluster's application states, served in the shape of the RM's REST API (see module doc)
    (config / "config.json").write_text(json.dumps({"livy": {"session": {"tags": PLATFORM_TAG}},
                                                     "yarn": {"resourceManagerUrl": yarn.rm_url}}))
    # Spark's jars are read where they are (local:) instead of being uploaded per application; a small driver
    # and one small executor per application, JVMs that start fast (C1 only, serial GC: the applications are
    # short and the machine small), no Spark UI, state polled twice a second; everything on 127.0.0.1
    (config / "spark-defaults.conf").write_text("\n".join([
        f"spark.yarn.jars local:{SPARK_HOME}/jars/*",
        f"spark.yarn.stagingDir file://{yarn.work}/staging",
        "spark.driver.memory 512m", "spark.executor.memory 512m", "spark.executor.instances 1",
        f"spark.driver.extraJavaOptions {FAST_START_JVM}", f"spark.executor.extraJavaOptions {FAST_START_JVM}",
        "spark.ui.enabled false", "spark.yarn.report.interval 500ms", "spark.yarn.scheduler.heartbeat.interval-ms 1000",
        "spark.yarn.appMasterEnv.SPARK_LOCAL_IP 127.0.0.1", "spark.executorEnv.SPARK_LOCAL_IP 127.0.0.1", ""]))
    environment = dict(os.environ, LIVY_KERNEL_CONFIG=str(config / "config.json"), SPARK_HOME=str(SPARK_HOME),
                       SPARK_CONF_DIR=str(config), HADOOP_CONF_DIR=str(yarn.work / "conf"), SPARK_LOCAL_IP="127.0.0.1",
                       SPARK_SUBMIT_OPTS=FAST_START_JVM)
    environment.pop("LIVY_URL", None)
    return environment


def submit_command(*app_args, options=()):
    """`submit --via spark-submit` of SparkPi with the route's defaults (YARN, cluster mode)."""
    return ["java", *FAST_START_JVM.split(), "-jar", str(JAR), "submit", "--via", "spark-submit", *options,
            "--class", SPARK_PI, str(EXAMPLES), "--", *app_args]


def submit(env, *app_args, options=()):
    """submit_command in the background, with no terminal."""
    return subprocess.Popen(submit_command(*app_args, options=options), env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def interrupt_once_running(process, interrupt=None):
    """Interrupts submit (default: SIGINT to it) once it reports the application RUNNING; returns what it said on
    stderr until then."""
    said = []
    for line in process.stderr:
        said.append(line)
        if "application state: RUNNING" in line:
            (interrupt or (lambda: process.send_signal(signal.SIGINT)))()
            break
    return "".join(said)


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


def spark_submits_of(marker):
    """Processes running spark-submit with the application argument MARKER."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"org.apache.spark.deploy.SparkSubmit" in words and marker.encode() in words:
            found.append(int(cmdline.parent.name))
    return found


class Followed:
    """A submit followed to its end in the background, its output in files (no pipe to fill while nobody reads)."""

    def __init__(self, env, directory, *app_args):
        self.out, self.err = directory / "out", directory / "err"
        with open(self.out, "w") as out, open(self.err, "w") as err:
            self.process = subprocess.Popen(submit_command(*app_args), env=env, stdin=subprocess.DEVNULL, stdout=out,
                                            stderr=err, text=True)

    def result(self, timeout=180):
        """(exit code, stdout, stderr) once submit has returned."""
        try:
            code = self.process.wait(timeout=timeout)
        finally:
            self.process.kill()
            self.process.wait()
        return code, self.out.read_text(), self.err.read_text()


@pytest.fixture(scope="module")
def pi_and_failing_pi(env, tmp_path_factory):
    """A succeeding and a failing SparkPi, submitted at once: each spends most of its time waiting on JVMs starting
    and YARN heartbeats, so together they take little longer than one."""
    runs = (Followed(env, tmp_path_factory.mktemp("pi"), "2"),
            Followed(env, tmp_path_factory.mktemp("failing_pi"), "2", "--fail"))
    yield runs
    for run in runs:
        run.process.kill()
        run.process.wait()


def test_spark_pi_in_cluster_mode_is_followed_to_success(yarn, pi_and_failing_pi):
    code, out, err = pi_and_failing_pi[0].result()
    assert code == SUCCESS, err + out[-3000:]
    app_id = app_id_in(err)
    assert "application state: RUNNING" in err and "exit code 0 (success)" in err
    app = yarn.app(app_id)
    assert (app["state"], app["finalStatus"]) == ("FINISHED", "SUCCEEDED")
    pi = [line for line in yarn.driver_stdout(app_id).splitlines() if line.startswith("Pi is roughly")]
    assert len(pi) == 1 and 3.0 < float(pi[0].split()[-1]) < 3.3


def test_the_application_carries_the_tags_and_status_shows_what_the_resource_manager_accounted(yarn, env,
                                                                                                pi_and_failing_pi):
    code, out, err = pi_and_failing_pi[0].result()
    assert code == SUCCESS, err + out[-3000:]
    app_id = app_id_in(err)
    app = yarn.app(app_id)
    (yarn.work / f"{app_id}.json").write_text(json.dumps({"app": app}, indent=2))   # kept with the run's files
    tags = app["applicationTags"].split(",")
    assert {"livy-kernel", f"livy-kernel-user:{getpass.getuser().lower()}",
            "livy-kernel-source:livy-kernel-spark-examples.jar", PLATFORM_TAG} <= set(tags), tags
    assert app["memorySeconds"] > 0 and app["vcoreSeconds"] > 0, app
    figures = f"{app['memorySeconds'] / 1024 / 3600:.3f} GB-hours, {app['vcoreSeconds'] / 3600:.3f} vcore-hours"
    # submit said what the application used once it ended, and where the figures came from
    assert f"Resources used (from the YARN ResourceManager at {yarn.rm_url}): {app_id}: {figures} in total" in err, err

    status = subprocess.run(["java", *FAST_START_JVM.split(), "-jar", str(JAR), "status", app_id], env=env,
                            capture_output=True, text=True, timeout=120)
    assert status.returncode == SUCCESS, status.stderr + status.stdout
    lines = status.stdout.splitlines()
    assert lines[:2] == ["state: FINISHED (SUCCEEDED)", f"appId: {app_id}"], status.stdout
    assert lines[2].startswith(f"Resources used (from the YARN ResourceManager at {yarn.rm_url}): {app_id}: {figures}"
                               f" in total; queue {app['queue']}; ran for "), lines


def test_failing_application_gives_exit_code_1_and_the_reason(yarn, pi_and_failing_pi):
    code, out, err = pi_and_failing_pi[1].result()
    assert code == FAILED, err + out[-3000:]
    app_id = app_id_in(err)
    assert "exit code 1 (failed)" in err
    assert "SparkPi was asked to fail" in out   # YARN's diagnostics, which spark-submit prints
    app = yarn.app(app_id)
    assert (app["state"], app["finalStatus"]) == ("FINISHED", "FAILED")


NOTEBOOK = "work/etl/cost-report.ipynb"
# the driver's container (the application master's) and the executor's, once YARN has given it
HELD_BY_SESSION = (r"so far; holding \d+ MB and \d+ vcores in (1 container \(the application master\)|2 containers"
                   r" \(the application master and 1 executor\)) now; queue default; running for \d+ s$")


def gb_hours(app):
    return round(app["memorySeconds"] / 1024 / 3600, 3)


def shown_gb_hours(line):
    return float(re.search(r": ([\d.]+) GB-hours", line).group(1))


def test_a_notebook_session_is_a_tagged_yarn_application_whose_usage_info_shows_and_the_log_totals(yarn, env,
                                                                                                    tmp_path):
    """A kernel's session on Livy in YARN cluster mode: the double submits a real application for it (SparkPi
    holding its executor until killed), carrying what the kernel put in POST /sessions, and kills it when the
    session is deleted, as Livy does. Statements run in the double's PySpark; the application and its accounting
    are YARN's. Placed before the tests that leave applications running: the small cluster would queue this one
    behind them until they end."""
    applications = SparkSubmitApplications([str(SPARK_HOME / "bin" / "spark-submit")], env, yarn.rm_url,
                                           ["--class", SPARK_PI, str(EXAMPLES), "1", "--sleep-ms", "600000"])
    double = start_double(yarn=True, yarn_applications=applications)
    config = write_config(tmp_path / "config.json", double.url, session={"tags": PLATFORM_TAG})
    config.write_text(json.dumps({**json.loads(config.read_text()), "yarn": {"resourceManagerUrl": yarn.rm_url}}))
    log = tmp_path / "kernel.log"
    km, kc = start_kernel(config, user="alice", log_path=log,
                          extra_env={"JPY_SESSION_NAME": NOTEBOOK})   # the log at its default level
    try:
        reply, outputs = run_cell(kc, "print(sc.applicationId)", timeout=180)
        assert reply["content"]["status"] == "ok", reply["content"]
        with urllib.request.urlopen(f"{double.url}/sessions", timeout=10) as answer:
            session, = json.load(answer)["sessions"]
        app_id = session["appId"]
        assert stdout_of(outputs).strip() == app_id and app_id.startswith("application_"), (outputs, session)
        app = yarn.app(app_id)
        assert app["state"] == "RUNNING", app   # Livy's session is idle once the driver runs
        assert app["name"] == session["name"] and session["name"].startswith("livy-kernel-alice-"), (app, session)
        tags = app["applicationTags"].split(",")
        assert {"livy-kernel", "livy-kernel-user:alice", f"livy-kernel-source:{NOTEBOOK}", PLATFORM_TAG} <= set(tags)

        before = yarn.accounted(app_id)
        reply, outputs = run_cell(kc, "%%info")
        after = yarn.app(app_id)
        assert reply["content"]["status"] == "ok", reply["content"]
        info = [line for line in "".join(m["content"]["data"]["text/plain"] for m in outputs
                                         if m["msg_type"] == "display_data").splitlines()
                if line.startswith("Resources used")]
        assert len(info) == 1, outputs
        assert info[0].startswith(f"Resources used (from the YARN ResourceManager at {yarn.rm_url}): {app_id}: "), info
        assert re.search(r"GB-hours, [\d.]+ vcore-hours " + HELD_BY_SESSION, info[0]), info
        assert gb_hours(before) <= shown_gb_hours(info[0]) <= gb_hours(after), (info, before, after)
    finally:
        stop_kernel(km, kc)   # the kernel deletes its session: the double kills the application
        double.stop()
    ended = yarn.wait_until_ended(app_id)
    assert (ended["state"], ended["finalStatus"]) == ("KILLED", "KILLED"), ended
    logged = [line for line in log.read_text().splitlines() if " ended. Resources used" in line]
    assert len(logged) == 1, log.read_text()[-3000:]
    assert (f"Livy session {session['id']} ({session['name']}, user alice) ended. Resources used (from the YARN"
            f" ResourceManager at {yarn.rm_url}): {app_id}: ") in logged[0], logged
    assert re.search(r"vcore-hours in total; queue \S+; ran for \d+ s$", logged[0]), logged
    assert shown_gb_hours(info[0]) <= shown_gb_hours(logged[0]) <= gb_hours(yarn.app(app_id)), (logged, ended)


def test_ctrl_c_without_a_terminal_detaches_and_the_application_keeps_running(yarn, env):
    app_marker = "60001"   # names this test's spark-submit among the machine's processes
    process = submit(env, "2", "--sleep-ms", app_marker)
    said = interrupt_once_running(process)
    code, out, rest = finish(process, timeout=60)
    err = said + rest
    assert code == NOT_FINISHED, err
    app_id = app_id_in(err)
    assert "interrupted with no terminal to ask whether to kill: detaching" in err
    assert f"detached from application {app_id}; it keeps running on the cluster" in err
    assert out.strip().splitlines()[-1] == app_id
    assert yarn.app(app_id)["state"] == "RUNNING"   # left running: the cluster's end ends it
    assert spark_submits_of(app_marker) == [], "the detached submit left its spark-submit process running"


class Terminal:
    """A pty as submit's stdin and stdout (so it has a console to ask on), with what it shows kept."""

    def __init__(self):
        self.fd, self.process_side = pty.openpty()
        self.shown = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                return
            if not data:
                return
            self.shown.append(data.decode(errors="replace"))

    def wait_for(self, text, process, limit=60):
        end = time.monotonic() + limit
        while text not in "".join(self.shown) and process.poll() is None and time.monotonic() < end:
            time.sleep(0.1)
        return text in "".join(self.shown)

    def close(self):
        os.close(self.fd)


KILL_OR_DETACH = "Kill it (k) or detach (d)? [d]"


def ctrl_c_at_a_terminal(env, whole_group, answer=None):
    """Runs a sleeping SparkPi with a pty as submit's stdin and stdout (a session of its own, as a terminal's job),
    interrupts it once RUNNING (SIGINT to its whole process group as a typed Ctrl-C sends it, or to submit alone as
    `kill -INT PID` does), answers the kill-or-detach question if given; returns (exit code, stderr, what the
    terminal showed)."""
    terminal = Terminal()
    process = subprocess.Popen(submit_command("2", "--sleep-ms", "60000"), env=env, stdin=terminal.process_side,
                               stdout=terminal.process_side, stderr=subprocess.PIPE, text=True, start_new_session=True)
    os.close(terminal.process_side)
    try:
        said = interrupt_once_running(process, (lambda: os.killpg(process.pid, signal.SIGINT)) if whole_group else None)
        if answer:
            assert terminal.wait_for(KILL_OR_DETACH, process)
            os.write(terminal.fd, answer)
        code, _, rest = finish(process, timeout=60)
    finally:
        terminal.close()
    return code, said + rest, "".join(terminal.shown)


def test_ctrl_c_at_a_terminal_kills_the_application_when_asked(yarn, env):
    code, err, _ = ctrl_c_at_a_terminal(env, whole_group=False, answer=b"k\n")
    app_id = app_id_in(err)
    assert code == KILLED, err
    assert f"application {app_id} killed" in err
    app = yarn.wait_until_ended(app_id)
    assert (app["state"], app["finalStatus"]) == ("KILLED", "KILLED")


def test_ctrl_c_typed_at_the_terminal_also_ends_spark_submit_so_nothing_is_offered(yarn, env):
    """The terminal sends Ctrl-C's SIGINT to the whole foreground process group, spark-submit included. In cluster
    mode spark-submit only follows the application, and submit has no YARN client of its own to kill it with: it must
    say the application may still run, and how to kill it, instead of offering (or claiming) a kill."""
    code, err, shown = ctrl_c_at_a_terminal(env, whole_group=True)
    app_id = app_id_in(err)
    assert code == NOT_FINISHED, err
    assert KILL_OR_DETACH not in shown
    assert (f"interrupted: spark-submit has ended, so application {app_id} is no longer followed; it may still run on"
            f" the cluster. Follow it with: yarn logs -applicationId {app_id} (kill: yarn application -kill {app_id})"
            in err)
    assert yarn.app(app_id)["state"] == "RUNNING"   # left running: the cluster's end ends it


def test_no_wait_prints_the_application_id_and_returns_while_it_runs(yarn, env):
    code, out, err = finish(submit(env, "2", "--sleep-ms", "60002", options=["--no-wait"]))
    assert code == SUCCESS, err + out[-3000:]
    app_id = out.strip().splitlines()[-1]
    assert app_id.startswith("application_") and "not following it (--no-wait)" in err
    assert yarn.app(app_id)["state"] in ("ACCEPTED", "RUNNING")   # left running: the cluster's end ends it
    assert spark_submits_of("60002") == [], "submit --no-wait left its spark-submit process running"

