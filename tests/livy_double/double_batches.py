"""Batches: a local .py file run by a simulated spark-submit (double_batch_runner.py).

Local mode (samples 139-157): `starting` until the process runs, `running`, then `success` or
`dead` by exit code; the log holds spark-submit's output (stdout and stderr merged, as Livy does for
batches). YARN mode (yarn samples 037-043): the log holds the YARN client's lines only, the appId
appears while `starting`, the driver log URL while `running`.
Kubernetes mode (Livy 0.9, as for sessions: see double_kubernetes.py): spark-submit's lines are the log's stderr,
the appId (spark-app-selector) appears while `starting` with the Pending driver pod in the diagnostics, the
Spark UI link while the driver pod runs, whose output (stdout and stderr, as `kubectl logs` gives them) is the
log's stdout; the ended pod (Succeeded or Failed) stays in the diagnostics, without a UI link.
"""

import json
import os
import shutil
import signal
import subprocess
import threading
import time

import double_kubernetes as k8s
import double_texts as texts
from double_sessions import RESOURCE_MANAGER, ProcessLog, now_ms, yarn_app_urls

RUNNER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "double_batch_runner.py")


def local_path(uri):
    """The local path of `file:///x`, `local:/x` or `/x`; None for other schemes."""
    for prefix in ("file://", "local:", "file:"):
        if uri.startswith(prefix):
            return uri[len(prefix):]
    return uri if "://" not in uri else None


def cluster_path(uri, default_fs_root):
    """The local path a batch reads `uri` from: local paths as they are; hdfs://[HOST]/p, when the
    double stands in for HDFS with a local directory (e.g. a WebHDFS double's store), as ROOT/p."""
    local = local_path(uri)
    if local is not None or not default_fs_root or not uri.startswith("hdfs://"):
        return local or uri
    rest = uri[len("hdfs://"):].split("#")[0]
    return os.path.join(default_fs_root, rest[rest.index("/"):].lstrip("/"))


class Batch:
    def __init__(self, server, batch_id, request, owner, proxy_user):
        self._options = server.options
        self.cond = threading.Condition(server.lock)
        self.id = batch_id
        self.request = request
        self.owner, self.proxy_user = owner, proxy_user
        self.state = "starting"
        self.app_id = None
        self.app_info = {"driverLogUrl": None, "sparkUiUrl": None, "executorLogUrls": None}
        self.log = ProcessLog(self._options.cache_log_size, self._options.yarn, self._options.kubernetes)
        self.finished_at = None
        self.workdir = server.make_workdir(f"batch-{batch_id}")
        self._process = None
        self._stopping = False
        self._user = proxy_user or owner or "livy"
        self._yarn_app_id = server.allocate_app_id() if self._options.yarn else None
        if self._options.kubernetes:   # Livy tags a batch's pods livy-batch-N-...
            name = request["name"] or "livy-batch-%d" % batch_id
            self._k8s = (k8s.new_app_id(), k8s.app_tag(batch_id, "batch"), k8s.pod_prefix(name))

    @classmethod
    def ghost(cls, server, batch_id):
        """What a rejected POST /batches leaves behind in Livy 0.10: a batch that never starts,
        listed as `starting` with an empty log (sample 155)."""
        batch = cls(server, batch_id, {"name": None}, None, None)
        batch.log = None
        return batch

    def lines(self):
        return self.log.lines() if self.log is not None else []

    def to_json(self):
        return {"id": self.id, "name": self.request["name"], "owner": self.owner,
                "proxyUser": self.proxy_user, "state": self.state, "appId": self.app_id,
                "appInfo": dict(self.app_info), "log": self.lines()[-10:]}

    def start(self):
        threading.Thread(target=self._run, daemon=True, name=f"livy-batch-{self.id}").start()

    def kill(self):
        self._stopping = True
        self.cond.notify_all()
        if self._process is not None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def remove_workdir(self):
        shutil.rmtree(self.workdir, ignore_errors=True)

    # ------------------------------------------------------------------ the batch's thread
    def _run(self):
        started = time.monotonic()
        delay = self._options.startup_delay
        yarn, kubernetes = self._options.yarn, self._options.kubernetes
        steps = ((0.1 * delay, self._yarn_submitted), (0.25 * delay, self._yarn_app_found),
                 (0.5 * delay + self._options.yarn_am_wait, self._yarn_running)) if yarn \
            else ((0.1 * delay, self._k8s_submitted), (0.25 * delay, self._k8s_app_found),
                  (0.5 * delay + self._options.kubernetes_pending_wait, self._k8s_running)) if kubernetes \
            else ((0.5 * delay, lambda: None),) if self._options.mode == "lighter" else ()
        # (Lighter launches a batch on its scheduler's next round, BatchHandler.processScheduledBatches.)
        for offset, step in steps:
            if not self._wait_until(started + offset):
                return
            with self.cond:
                step()
        with self.cond:
            if self._stopping:
                return
            self._process = self._launch()
            self.state = "running"
        for raw in self._process.stdout:
            if not yarn:   # on YARN the driver's output stays in the container logs
                with self.cond:
                    self.log.stdout.append(raw.decode("utf-8", errors="replace").rstrip("\n"))
        exit_code = self._process.wait()
        with self.cond:
            if self._stopping:
                return
            self.state = "success" if exit_code == 0 else "dead"
            self.finished_at = time.monotonic()
            if yarn:
                self.app_info["driverLogUrl"] = None
                if exit_code != 0:
                    self.log.diagnostics = [f"User application exited with status {exit_code}"]
            if kubernetes:   # the ended driver pod stays (Spark leaves it), with no UI to link to
                self.app_info["sparkUiUrl"] = None
                self._k8s_diagnostics("Succeeded" if exit_code == 0 else "Failed",
                                      reason="Completed" if exit_code == 0 else "Error")

    def _wait_until(self, deadline):
        with self.cond:
            while not self._stopping and time.monotonic() < deadline:
                self.cond.wait(deadline - time.monotonic())
            return not self._stopping

    def _yarn_submitted(self):
        self.log.stdout.extend(texts.yarn_submit_lines(
            self._yarn_app_id, self.request["queue"] or "default", self._user,
            texts.yarn_waiting_for_am(), now_ms(), RESOURCE_MANAGER))

    def _yarn_app_found(self):
        self.app_id = self._yarn_app_id

    def _yarn_running(self):
        driver_log, spark_ui = yarn_app_urls(self._yarn_app_id, self._user)
        self.app_info.update(driverLogUrl=driver_log, sparkUiUrl=spark_ui)

    def _k8s_submitted(self):
        app_id, _, prefix = self._k8s
        self.log.stderr.extend(k8s.submit_lines(prefix, self.request["name"] or prefix, app_id, "Pending"))

    def _k8s_app_found(self):
        self.app_id = self._k8s[0]
        self._k8s_diagnostics("Pending")

    def _k8s_running(self):
        ui_format = self._options.kubernetes_ui_format
        self.app_info["sparkUiUrl"] = ui_format % self.app_id if ui_format else None
        self._k8s_diagnostics("Running", executors=self.request["numExecutors"] or 2)

    def _k8s_diagnostics(self, phase, executors=0, reason=None):
        app_id, tag, prefix = self._k8s
        self.log.diagnostics = k8s.diagnostics(prefix, app_id, tag, phase, executors, reason=reason)

    def _launch(self):
        r = self.request
        path = cluster_path(r["file"], self._options.default_fs_root)
        master = "yarn" if self._options.yarn else k8s.MASTER if self._options.kubernetes else "local[2]"
        conf = {"spark.master": master,
                **r["conf"], "spark.app.name": r["name"] or os.path.basename(path)}
        config_path = os.path.join(self.workdir, "batch.json")
        with open(config_path, "w", encoding="utf-8") as handle:
            json.dump({"conf": conf, "user": self._user,
                       "application_id": self._yarn_app_id or (self._k8s[0] if self._options.kubernetes
                                                               else f"local-{now_ms()}")}, handle)
        env = dict(os.environ, **r["env"], PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1",
                   MPLBACKEND="Agg")
        if r["pyFiles"]:   # spark-submit puts --py-files on the driver's PYTHONPATH
            env["PYTHONPATH"] = os.pathsep.join(
                [cluster_path(p, self._options.default_fs_root) for p in r["pyFiles"]]
                + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        return subprocess.Popen(
            [self._options.python, RUNNER_SCRIPT, config_path, path, *r["args"]],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            cwd=self.workdir, env=env, start_new_session=True)
