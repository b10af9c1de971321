"""Interactive sessions and their statements: Livy's state machines around a Python worker.

A session is `starting` while its simulated spark-submit runs (log lines appear over the startup
delay), then the REPL states `idle`/`busy`/`error` while it runs, or `dead` when it failed or was
killed. Statements run one at a time, in order, on the session's own thread, like Livy's
interpreter executor: waiting -> running -> available, or -> cancelling -> cancelled.

All methods that read or change a session expect the caller to hold the double's lock (`cond`),
except those that only run on the session's own threads.
"""

import itertools
import json
import os
import random
import re
import shutil
import string
import threading
import time
from collections import OrderedDict, deque

import double_kubernetes as k8s
import double_texts as texts
import double_timing
from double_real_yarn import LaunchFailed
from double_scala import ScalaInterpreter
from double_worker_host import WorkerHost

KINDS = {"spark": "spark", "scala": "spark", "pyspark": "pyspark", "python": "pyspark",
         "sparkr": "sparkr", "r": "sparkr", "sql": "sql", "shared": "shared"}
FINISHED_STATES = ("error", "dead", "killed", "success")
RESOURCE_MANAGER = "http://localhost:8088"
NODE_MANAGER = "http://localhost:8042"

# What a statement of kind sparkr answers when R is missing, as in sample 041.
SPARKR_UNAVAILABLE = {"status": "error", "ename": "InterpreterError",
                      "evalue": "Fail to start interpreter", "traceback": []}


def now_ms():
    return int(time.time() * 1000)


def livy_output(statement_id, content):
    """A worker reply as Livy's statement output: status, execution_count, then the rest."""
    output = {"status": content["status"], "execution_count": statement_id}
    output.update((k, v) for k, v in content.items() if k != "status")
    return output


class ProcessLog:
    """Livy's view of its spark-submit process: stdout and stderr lines, each capped like
    livy.cache-log.size, plus the cluster's diagnostics in YARN and Kubernetes mode (on Kubernetes stdout is
    the driver pod's log)."""

    def __init__(self, cache_size, yarn, kubernetes=False):
        self.stdout = deque(maxlen=cache_size)
        self.stderr = deque(maxlen=cache_size)
        self.diagnostics = []
        self._header = "\nYARN Diagnostics: " if yarn else k8s.DIAGNOSTICS_HEADER if kubernetes else None

    def lines(self):
        lines = ["stdout: ", *self.stdout, "\nstderr: ", *self.stderr]
        if self._header:
            lines += [self._header, *self.diagnostics]
        return lines


def log_page(lines, start, size):
    """GET .../log paging as Livy's SessionServlet does it: by default the last 100 lines."""
    size = len(lines) if size < 0 else size
    start = max(0, len(lines) - size) if start is None or start < 0 else start
    return start, lines[start:start + size]


def yarn_app_urls(app_id, user):
    cluster_timestamp, sequence = app_id.split("_")[1:]
    container = f"container_{cluster_timestamp}_{sequence}_01_000001"
    return (f"{NODE_MANAGER}/node/containerlogs/{container}/{user}",
            f"{RESOURCE_MANAGER}/proxy/{app_id}/")


class Statement:
    def __init__(self, statement_id, code, kind):
        self.id, self.code, self.kind = statement_id, code, kind
        self.state = "waiting"
        self.output = None
        self.started = 0
        self.completed = 0
        self.posted = time.monotonic()
        self.progress_settles = 0.0   # monotonic time its last (lagging) task update shows
        self.jobs = {}   # Spark job id -> [tasks, finished tasks] of this statement's job group

    @property
    def progress(self):
        if self.state in ("available", "cancelled"):
            return 1.0
        total = sum(tasks for tasks, _ in self.jobs.values())
        return sum(done for _, done in self.jobs.values()) / total if total else 0.0

    def to_json(self):
        return {"id": self.id, "code": self.code, "state": self.state, "output": self.output,
                "progress": self.progress, "started": self.started, "completed": self.completed}


class InteractiveSession:
    def __init__(self, server, session_id, request, owner, proxy_user, idle_timeout, ttl):
        """`request`: the validated create request (Livy's field names); timeouts in seconds."""
        self._options = server.options
        self._server = server
        self.cond = threading.Condition(server.lock)
        self.id = session_id
        self.request = request
        self.kind = request["kind"]
        self.owner, self.proxy_user = owner, proxy_user
        self.idle_timeout, self.ttl = idle_timeout, ttl
        self.server_state = "starting"
        self.app_id = None
        self.app_info = {"driverLogUrl": None, "sparkUiUrl": None, "executorLogUrls": None}
        self.log = ProcessLog(self._options.cache_log_size, self._options.yarn, self._options.kubernetes)
        self.statements = OrderedDict()
        self.created_at = self.last_activity = time.monotonic()
        self.finished_at = None
        self.last_heartbeat = None
        self.workdir = server.make_workdir(f"session-{session_id}")
        self._config_dir = server.make_workdir(f"session-{session_id}-config")
        self._statement_ids = itertools.count()
        self._queue = deque()
        self._current = None
        self._idle_until = 0.0   # /state says idle before this (after a POST, in a gap)
        self._python_dead = False
        self._stopping = False
        self._worker = None
        self._jobs = {}   # Spark job id -> (description, start time), for the driver log
        self._app_name = request["name"] or f"livy-session-{session_id}"
        self._user = proxy_user or owner or "livy"
        self._real_yarn = self._options.yarn_applications   # None, or what launches and kills real applications
        # a real application's id is known once spark-submit has submitted it (see _launch_application)
        self._yarn_app_id = server.allocate_app_id() if self._options.yarn and not self._real_yarn else None
        self._livy_tag = f"livy-session-{session_id}-" + "".join(
            random.choices(string.ascii_lowercase + string.digits, k=8))
        if self._options.kubernetes:   # the application id, tag and pod names Livy and Spark give it there
            self._k8s = (k8s.new_app_id(), k8s.app_tag(session_id), k8s.pod_prefix(self._app_name))
        self._scala = ScalaInterpreter({
            "version": texts.SPARK_VERSION, "appName": self._app_name,
            "master": self._spark_conf_master(),
            "defaultParallelism": self._parallelism()})
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"livy-session-{session_id}")

    def start(self):
        self._thread.start()

    # ------------------------------------------------------------------------------ views
    @property
    def name(self):
        return self.request["name"]

    @property
    def state(self):
        if self.server_state != "running":
            return self.server_state
        if self._python_dead:
            return "error"
        now = time.monotonic()
        if now < self._idle_until:
            return "idle"
        return "busy" if self._current is not None or self._queue else "idle"

    @property
    def active(self):
        """Livy's `require(state.isActive)`: what statement reads need."""
        return self.server_state in ("starting", "running")

    def to_json(self):
        r = self.request
        return {
            "id": self.id, "name": r["name"], "appId": self.app_id, "owner": self.owner,
            "proxyUser": self.proxy_user, "state": self.state, "kind": self.kind,
            "appInfo": dict(self.app_info), "log": self.log.lines()[-10:], "ttl": r["ttl"],
            "idleTimeout": r["idleTimeout"], "driverMemory": r["driverMemory"],
            "driverCores": r["driverCores"] or 0, "executorMemory": r["executorMemory"],
            "executorCores": r["executorCores"] or 0, "conf": dict(r["conf"]),
            "archives": list(r["archives"]), "files": list(r["files"]),
            "heartbeatTimeoutInSecond": r["heartbeatTimeoutInSecond"], "jars": list(r["jars"]),
            "numExecutors": r["numExecutors"] or 0, "pyFiles": list(r["pyFiles"]),
            "queue": r["queue"],
        }

    # ---------------------------------------------------------------- clocks and expiry
    def touch(self):
        """Any request to /sessions/{id}/... is a heartbeat (when the session asked for them)."""
        if self.request["heartbeatTimeoutInSecond"] > 0:
            self.last_heartbeat = time.monotonic()

    def record_activity(self):
        self.last_activity = time.monotonic()

    def expiry(self, now):
        """Why Livy's watchdog or garbage collector would delete this session now, or None."""
        options = self._options
        if self.state in FINISHED_STATES:
            return "state_retain" if now - (self.finished_at or now) > options.state_retain else None
        timeout = self.request["heartbeatTimeoutInSecond"]
        if timeout > 0 and self.last_heartbeat is not None and self.last_heartbeat + timeout < now:
            return "heartbeat"
        idle_timeout = self.idle_timeout or options.session_timeout
        skip = self.state == "busy" and options.session_timeout_skip_busy
        if idle_timeout and not skip and now - self.last_activity > idle_timeout:
            return "idle_timeout"
        if self.ttl and now - self.created_at > self.ttl:
            return "ttl"
        return None

    # ----------------------------------------------------------------------- requests
    def _ensure_running(self):
        if self.server_state != "running":
            raise texts.illegal_state(self.server_state)

    def submit(self, code, kind):
        """POST /sessions/{id}/statements."""
        self._ensure_running()
        self.record_activity()
        if code is None:
            raise texts.LivyError(500, texts.STATEMENT_WITHOUT_CODE)
        statement_kind = self._statement_kind(kind)   # a rejected statement takes no id
        statement = Statement(next(self._statement_ids), code, statement_kind)
        if self.state == "idle":   # Livy's /state lags a POST to an idle session (YARN)
            self._idle_until = statement.posted + self._options.timings.post_idle_lag
        self.statements[statement.id] = statement
        if self._python_dead and statement.kind in ("pyspark", "sql"):
            statement.state = "available"
            statement.started = statement.completed = now_ms()
            statement.output = livy_output(statement.id, self._interpreter_died_output(
                self._worker.take_stderr()))
        else:
            self._queue.append(statement)
            self.cond.notify_all()
        self._forget_old_statements()
        return statement

    def _statement_kind(self, kind):
        if kind is None:
            if self.kind == "shared":
                raise texts.LivyError(500, texts.SHARED_SESSION_NEEDS_KIND)
            return self.kind
        if kind not in KINDS:
            raise texts.LivyError(500, texts.invalid_statement_kind(kind))
        if KINDS[kind] == "shared":
            raise texts.LivyError(500, texts.SHARED_SESSION_NEEDS_KIND)
        return KINDS[kind]

    def _forget_old_statements(self):
        """livy.rsc.retained-statements: the oldest finished statements are dropped."""
        excess = len(self.statements) - self._options.retained_statements
        for statement_id in [s.id for s in self.statements.values()
                             if s.state in ("available", "cancelled")][:max(0, excess)]:
            del self.statements[statement_id]

    def cancel(self, statement_id):
        """POST .../statements/{id}/cancel: unknown or finished statements are ignored."""
        self._ensure_running()
        self.record_activity()
        statement = self.statements.get(statement_id)
        if statement is None or statement.state not in ("waiting", "running"):
            return
        if statement.state == "waiting":
            statement.state = "cancelled"
            statement.completed = now_ms()
            return
        statement.state = "cancelling"
        self._driver_log("INFO", "Session", f"Cancelling statement {statement_id}...")
        threading.Thread(target=self._cancel_running, args=(statement,), daemon=True,
                         name=f"livy-session-{self.id}-cancel-{statement_id}").start()

    def complete(self, code, kind, cursor):
        """POST /sessions/{id}/completion: only the Scala interpreter completes anything."""
        self._ensure_running()
        self.record_activity()
        if kind is None or kind not in KINDS:
            raise texts.LivyError(500, texts.invalid_completion_kind("null" if kind is None else kind))
        if KINDS[kind] == "spark":
            return self._scala.complete(code or "", cursor)
        return []

    def add_file(self, name, data, python_path):
        """upload-*/add-*: store the file in the session's working directory."""
        self._ensure_running()
        self.record_activity()
        path = os.path.join(self.workdir, os.path.basename(name) or "upload")
        with open(path, "wb") as handle:
            handle.write(data)
        if python_path:
            self._worker.add_pyfile(path)

    # ----------------------------------------------------------------------- stopping
    def shutdown(self, final_state=None, log_lines=()):
        """Stop for good: the executor thread ends and the worker is killed."""
        self._stopping = True
        if final_state is not None:
            self.server_state = final_state
            self.finished_at = time.monotonic()
        for line in log_lines:
            self._driver_log(*line)
        self.cond.notify_all()
        if self._worker is not None:
            self._worker.kill()
        if self._real_yarn is not None and self._yarn_app_id is not None:
            app_id, self._yarn_app_id = self._yarn_app_id, None   # killed once, as Livy's YARN client does
            self._real_yarn.kill(app_id)

    def kill(self):
        """Fault injection: the driver goes away under Livy's feet."""
        if self._options.kubernetes:   # the driver pod is gone: no diagnostics, no UI to link to
            self.log.diagnostics = []
            self.app_info["sparkUiUrl"] = None
        if self._options.yarn and self._yarn_app_id:
            self.log.diagnostics = [f"Application {self._yarn_app_id} was killed by user "
                                    f"{self._user} at 127.0.0.1"]
        self.shutdown("dead", [("WARN", "RSCClient", "Client RPC channel closed unexpectedly."),
                               ("ERROR", "RSCDriver", "Shutting down Spark context.")])

    def remove_workdir(self):
        shutil.rmtree(self.workdir, ignore_errors=True)
        shutil.rmtree(self._config_dir, ignore_errors=True)

    # ------------------------------------------------------------ the session's thread
    def _run(self):
        if self._start_up():
            self._serve_statements()

    def _start_up(self):
        failure = self._start_failure()
        if failure is None and self._real_yarn is not None and not self._launch_application():
            return False
        with self.cond:
            # Under the lock: a DELETE cannot remove the working directory under the new worker.
            if self._stopping:
                return False
            if failure is None:
                try:
                    self._start_worker()
                except OSError as error:
                    self._fail_start(stderr=[f"Cannot start the Python worker: {error}"])
                    return False
        started = time.monotonic()
        timeline = self._yarn_timeline(failure) if self._options.yarn \
            else self._kubernetes_timeline(failure) if self._options.kubernetes else self._local_timeline(failure)
        for offset, step in timeline:
            with self.cond:
                while not self._stopping and time.monotonic() < started + offset:
                    self.cond.wait(started + offset - time.monotonic())
                if self._stopping:
                    return False
                step()
                if self.server_state != "starting":
                    return False
        ready = self._worker.wait_ready(timeout=60)
        with self.cond:
            if self._stopping:
                return False
            if not ready:
                self.log.stderr.extend(self._worker.take_stderr().splitlines())
                self.shutdown("dead")
                return False
            self.server_state = "running"
            self.record_activity()
        return True

    def _launch_application(self):
        """Submits this session's real YARN application and waits until it runs, outside the lock (that takes
        seconds); False when it could not be submitted or did not run, or when the session was deleted meanwhile
        (the application is then killed)."""
        try:
            app_id = self._real_yarn.launch(self._app_name, self._spark_conf(), lambda: self._stopping)
        except LaunchFailed as error:
            with self.cond:
                if not self._stopping:
                    self._fail_start(stderr=str(error).splitlines())
            return False
        with self.cond:
            if self._stopping:
                self._real_yarn.kill(app_id)
                return False
            self._yarn_app_id = app_id
        return True

    def _spark_ui_url(self, app_id):
        """appInfo.sparkUiUrl on YARN: the proxy address of the application's tracking URL."""
        if self._server.spark_ui_base:   # the double serves this application's Spark UI itself
            return f"{self._server.spark_ui_base}/proxy/{app_id}/"
        if self._real_yarn is not None:
            return self._real_yarn.tracking_url(app_id)
        return yarn_app_urls(app_id, self._user)[1]

    def _start_failure(self):
        """Log lines of a start that must fail, or None."""
        memory = self.request["driverMemory"]
        if memory is not None and not re.fullmatch(r"\d+[kKmMgGtT]?", memory):
            return texts.invalid_driver_memory_lines(memory)
        key = self._options.fail_start_conf_key
        if str(self.request["conf"].get(key, "")).lower() == "true":
            return texts.injected_start_failure_lines(key)
        return None

    def _local_timeline(self, failure):
        delay = self._options.startup_delay
        if failure is not None:
            return [(min(0.5, delay), lambda: self._fail_start(stderr=failure))]
        port = random.randint(30000, 60000)
        steps = [(fraction * delay, lambda lines=lines: self.log.stderr.extend(
                     texts.log_line(*line) for line in lines))
                 for fraction, lines in texts.local_startup_steps(self._app_name, port)]
        return steps + [(delay, lambda: None)]

    def _yarn_timeline(self, failure):
        delay, am_wait = self._options.startup_delay, self._options.yarn_am_wait
        app_id = self._yarn_app_id
        queue = self.request["queue"] or "default"

        def submitted():
            diagnostics = texts.yarn_am_limit_exceeded() if am_wait else texts.yarn_waiting_for_am()
            self.log.stderr.extend(texts.yarn_submit_lines(app_id, queue, self._user, diagnostics,
                                                           now_ms(), RESOURCE_MANAGER))

        def app_found():
            self.app_id = app_id
            if am_wait:
                self.log.diagnostics = [texts.yarn_am_limit_exceeded()]

        def am_launched():
            self.app_info.update(driverLogUrl=yarn_app_urls(app_id, self._user)[0],
                                 sparkUiUrl=self._spark_ui_url(app_id))
            self.log.diagnostics = [texts.YARN_AM_LAUNCHED]

        def am_failed():
            attempt = "appattempt_" + "_".join(app_id.split("_")[1:]) + "_000001"
            self._fail_start(diagnostics=[
                f"Application {app_id} failed 1 times (global limit =2; local limit is =1) due to "
                f"AM Container for {attempt} exited with  exitCode: 1", *failure])

        steps = [(0.1 * delay, submitted), (0.2 * delay, app_found)]
        if failure is not None:
            return steps + [(0.4 * delay + am_wait, am_failed)]
        return steps + [(0.4 * delay + am_wait, am_launched),
                        (0.65 * delay + am_wait, lambda: self.log.diagnostics.clear()),
                        (delay + am_wait, lambda: None)]

    def _kubernetes_timeline(self, failure):
        """spark-submit deploys the driver pod; Livy finds it by its tag (appId known, pod Pending), the pod runs
        (UI link, Spark's start-up in the pod's log), the REPL connects back."""
        delay, pending = self._options.startup_delay, self._options.kubernetes_pending_wait
        app_id, tag, prefix = self._k8s
        executors = self.request["numExecutors"] or 2

        def submitted():
            self.log.stderr.extend(k8s.submit_lines(prefix, self._app_name, app_id, "Pending"))

        def app_found():
            self.app_id = app_id
            self.log.diagnostics = k8s.diagnostics(prefix, app_id, tag, "Pending", unschedulable=bool(pending))

        def driver_running():
            ui_format = self._options.kubernetes_ui_format
            self.app_info["sparkUiUrl"] = ui_format % app_id if ui_format else None
            self.log.stdout.extend(texts.log_line(*line) for _, lines in texts.local_startup_steps(
                self._app_name, 7078) for line in lines)
            self.log.diagnostics = k8s.diagnostics(prefix, app_id, tag, "Running", executors)

        def driver_failed():
            self.log.stdout.extend(failure)
            self._fail_start(diagnostics=k8s.diagnostics(prefix, app_id, tag, "Failed", reason="Error"))

        steps = [(0.1 * delay, submitted), (0.2 * delay, app_found)]
        if failure is not None:
            return steps + [(0.4 * delay, driver_failed)]
        return steps + [(0.4 * delay + pending, driver_running), (delay + pending, lambda: None)]

    def _fail_start(self, stderr=(), diagnostics=()):
        self.log.stderr.extend(stderr)
        self.log.diagnostics = list(diagnostics)
        self.shutdown("dead")

    def _parallelism(self):
        if not (self._options.yarn or self._options.kubernetes):
            return 2
        return (self.request["numExecutors"] or 2) * (self.request["executorCores"] or 1)

    def _spark_conf_master(self):
        return "yarn" if self._options.yarn else k8s.MASTER if self._options.kubernetes else "local[2]"

    def _spark_conf(self):
        r, yarn = self.request, self._options.yarn
        conf = {"spark.master": self._spark_conf_master(),
                "spark.submit.deployMode": "cluster" if yarn else "client"}
        if self._options.kubernetes:
            conf.update(k8s.conf(*self._k8s))
        conf.update(r["conf"])
        conf["spark.app.name"] = self._app_name
        for key, field in (("spark.driver.memory", "driverMemory"),
                           ("spark.driver.cores", "driverCores"),
                           ("spark.executor.memory", "executorMemory"),
                           ("spark.executor.cores", "executorCores"),
                           ("spark.executor.instances", "numExecutors"),
                           ("spark.yarn.queue", "queue")):
            if r[field] is not None:
                conf[key] = str(r[field])
        for key, field in (("spark.jars", "jars"), ("spark.submit.pyFiles", "pyFiles"),
                           ("spark.files", "files"), ("spark.archives", "archives")):
            if r[field]:
                conf[key] = ",".join(r[field])
        if yarn:   # Livy's own tag, by which it finds the application, before the request's (SparkApp.prepareSparkConf)
            conf["spark.yarn.tags"] = ",".join([self._livy_tag, *filter(None, [r["conf"].get("spark.yarn.tags")])])
        return conf

    def _start_worker(self):
        yarn = self._options.yarn
        app_id = self._yarn_app_id if yarn else self._k8s[0] if self._options.kubernetes else f"local-{now_ms()}"
        ui_format = self._options.kubernetes_ui_format
        config = {
            "conf": self._spark_conf(),
            "application_id": app_id,
            "parallelism": self._parallelism(),
            "user": self._user,
            "ui_url": (self._real_yarn.tracking_url(self._yarn_app_id) if self._real_yarn
                       else yarn_app_urls(self._yarn_app_id, self._user)[1]) if yarn
            else ui_format % app_id if self._options.kubernetes and ui_format else "http://localhost:4040",
            "sql_num_rows": self._options.sql_num_rows,
        }
        config_path = os.path.join(self._config_dir, "worker.json")
        with open(config_path, "w", encoding="utf-8") as handle:
            json.dump(config, handle)
        self._worker = WorkerHost(self._options.python, self.workdir, config_path,
                                  self._on_worker_event)
        self._worker.start()

    def _serve_statements(self):
        timings = self._options.timings
        for number in itertools.count():
            with self.cond:
                while not self._queue and not self._stopping:
                    self.cond.wait()
                if number == 0 and self._queue:   # Livy holds the session's first statement `waiting`
                    self._wait_while(lambda: self._queue[0].state == "waiting",
                                     self._queue[0].posted + timings.first_statement_hold)
                if self._stopping:
                    return
                statement = self._queue.popleft()
                if statement.state == "cancelled":
                    # Livy stamps a cancelled waiting statement again when its turn comes.
                    statement.completed = now_ms()
                    continue
                statement.state = "running"
                statement.started = now_ms()
                self._current = statement
                gap = double_timing.gap_for(timings, number)
                if gap:   # the driver sets the job group first: /state says idle meanwhile
                    self._idle_until = max(self._idle_until, time.monotonic() + gap)
            content = self._execute(statement)
            with self.cond:
                if statement.jobs:   # Livy shows the last tasks' progress (1.0) while running
                    self._wait_while(lambda: statement.state == "running",
                                     max(time.monotonic(), statement.progress_settles)
                                     + timings.running_tail)
                if statement.state == "cancelling":
                    statement.state = "cancelled"
                    statement.output = livy_output(statement.id, content)
                    statement.completed = now_ms()
                    # The executor ends a little later and stamps `completed` again.
                    self._wait_while(lambda: True, time.monotonic() + timings.cancel_restamp)
                # `completed` is stamped first; /state turns idle, and the statement shows its
                # end, a moment later (never `busy` after the statement is seen finished).
                completed = now_ms()
                self._wait_while(lambda: True, time.monotonic() + timings.state_flip_lag)
                if self._stopping:
                    return
                statement.output = livy_output(statement.id, content)
                if statement.state in ("running", "cancelling"):
                    statement.state = "available" if statement.state == "running" else "cancelled"
                statement.completed = completed
                self._current = None
                if not self._queue:
                    self.record_activity()   # the REPL going busy -> idle counts as activity
                self.cond.notify_all()

    def _wait_while(self, condition, until):
        """With the lock held: wait until `until` (monotonic), while `condition()` holds and the
        session is not stopping."""
        while not self._stopping and condition() and time.monotonic() < until:
            self.cond.wait(until - time.monotonic())

    def _execute(self, statement):
        if statement.kind in ("pyspark", "sql"):
            result = self._worker.execute(statement.id, statement.kind, statement.code)
            if not result.died:
                return result.content
            with self.cond:
                self._interpreter_died(result.exit_code)
            return self._interpreter_died_output(result.stderr)
        if statement.kind == "spark":
            return self._scala.execute(statement.code)
        return SPARKR_UNAVAILABLE

    def _interpreter_died(self, exit_code):
        if not self._python_dead and not self._stopping:
            self._python_dead = True
            self.finished_at = time.monotonic()
            self._driver_log("ERROR", "PythonInterpreter", f"Process has died with {exit_code}")
            self._driver_log("ERROR", "PythonInterpreter", "")

    @staticmethod
    def _interpreter_died_output(stderr):
        return {"status": "error", "ename": "Error", "evalue": "Interpreter died:\n" + stderr,
                "traceback": []}

    def _cancel_running(self, statement):
        """Livy's cancel loop: cancel the job group every trigger interval until the statement
        stops or livy.rsc.job-cancel.timeout passes; then it is `cancelled` even if its code runs
        on (pure Python cannot be interrupted by cancelJobGroup)."""
        options = self._options
        deadline = time.monotonic() + options.job_cancel_timeout
        with self.cond:
            # Livy's cancel reaches the driver's job group only after its `cancelling` phase.
            self._wait_while(lambda: statement.state == "cancelling",
                             time.monotonic() + options.timings.cancelling_phase)
            while statement.state == "cancelling" and not self._stopping:
                if time.monotonic() >= deadline:
                    self._driver_log("INFO", "Session", f"Failed to cancel statement {statement.id}.")
                    statement.state = "cancelled"
                    statement.completed = now_ms()
                    break
                self._driver_log("INFO", "DAGScheduler", f"Asked to cancel job group {statement.id}")
                self._worker.cancel_job_group(str(statement.id))
                self.cond.wait(options.job_cancel_trigger_interval)
            if statement.state == "cancelled":
                self._driver_log("INFO", "Session", f"Statement {statement.id} cancelled.")
            self.cond.notify_all()

    def _on_worker_event(self, event):
        """Job progress and executor output from the worker (its reader thread)."""
        with self.cond:
            if event["ev"] == "log":
                if not self._options.yarn:
                    self.log.stdout.extend(event["lines"])
                return
            job = event["job"]
            statement = self._statement_for_group(event["group"])
            if event["ev"] == "job_start":
                self._jobs[job] = (event["description"], time.monotonic())
                if statement is not None:
                    statement.jobs[job] = [event["tasks"], 0]
                self._driver_log("INFO", "DAGScheduler", f"Got job {job} ({event['description']}) "
                                                         f"with {event['tasks']} output partitions")
            elif event["ev"] == "task_end":
                if statement is not None and job in statement.jobs:
                    self._task_finished(statement, job)
            elif event["ev"] == "job_end":
                description, started = self._jobs.pop(job, ("", time.monotonic()))
                verb = "finished" if event["status"] == "succeeded" else "failed"
                self._driver_log("INFO", "DAGScheduler", f"Job {job} {verb}: {description}, took "
                                                         f"{time.monotonic() - started:.6f} s")

    def _task_finished(self, statement, job):
        """A finished task shows in the statement's `progress`, `progress_lag` later."""
        lag = self._options.timings.progress_lag
        if not lag:
            statement.jobs[job][1] += 1
            return
        statement.progress_settles = time.monotonic() + lag

        def show():
            with self.cond:
                statement.jobs[job][1] += 1
                self.cond.notify_all()
        timer = threading.Timer(lag, show)
        timer.daemon = True
        timer.start()

    def _statement_for_group(self, group):
        try:
            return self.statements.get(int(group))
        except (TypeError, ValueError):
            return None   # user code set its own job group: Livy cannot see its progress either

    def _driver_log(self, level, logger, message):
        """The driver's log reaches Livy's session log in local mode (spark-submit's stderr) and on Kubernetes
        (the driver pod's log, Livy's stdout section); on YARN it stays in the container's logs."""
        if self._options.kubernetes:
            self.log.stdout.append(texts.log_line(level, logger, message))
        elif not self._options.yarn:
            self.log.stderr.append(texts.log_line(level, logger, message))
