"""The double's in-memory server state: options, sessions, batches, their history, the watchdog."""

import dataclasses
import itertools
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from typing import Optional, Tuple

import double_timing
from double_batches import Batch
from double_sessions import InteractiveSession

DEFAULT_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


@dataclasses.dataclass
class DoubleOptions:
    """Every knob of the double: LivyDouble's keyword arguments, and the CLI's flags."""

    startup_delay: float = 0.5                  # seconds `starting` (real: ~11 s local, ~24 s YARN)
    csrf: bool = True                           # livy.server.csrf-protection.enabled
    auth_user: Optional[str] = None             # HTTP basic auth, on when both are given
    auth_password: Optional[str] = dataclasses.field(default=None, repr=False)
    bearer_token: Optional[str] = dataclasses.field(default=None, repr=False)   # Bearer token required (or a tuple)
    kerberos_keytab: Optional[str] = None       # SPNEGO (livy.server.auth.type = kerberos) with this HTTP keytab
    kerberos_cookie_validity: float = 36000.0   # lifetime of the hadoop.auth cookie (Hadoop's token.validity)
    yarn: bool = False                          # YARN cluster mode instead of local[2]
    yarn_am_wait: float = 0.0                   # seconds the queue cannot place the AM
    # a real YARN application per session, e.g. double_real_yarn.SparkSubmitApplications: launch(name, conf) -> id,
    # tracking_url(id), kill(id); None: application ids and URLs are made up
    yarn_applications: Optional[object] = None
    kubernetes: bool = False                    # Livy 0.9 on Kubernetes instead of local[2] (double_kubernetes.py)
    kubernetes_pending_wait: float = 0.0        # seconds no node can take the driver pod (Unschedulable)
    # Livy's Kubernetes Spark UI link format (LivyConf.UI_KUBERNETES_SPARK_UI_LINK_FORMAT, %s: the app id), as of an
    # ingress to the driver's UI (nothing serves it here); None: Livy shows no UI link
    kubernetes_ui_format: Optional[str] = "http://localhost:4040/spark-ui/%s"
    heartbeat_watchdog_interval: float = 1.0    # livy.server.heartbeat-watchdog.interval (real: 1m)
    session_timeout: Optional[float] = None     # livy.server.session.timeout (real: 1h); None: off
    session_timeout_skip_busy: bool = False     # livy.server.session.timeout-check.skip-busy
    state_retain: float = 600.0                 # livy.server.session.state-retain.sec
    job_cancel_timeout: float = 30.0            # livy.rsc.job-cancel.timeout
    job_cancel_trigger_interval: float = 0.1    # livy.rsc.job-cancel.trigger-interval
    retained_statements: int = 100              # livy.rsc.retained-statements
    sql_num_rows: int = 1000                    # livy.rsc.sql.num-rows
    cache_log_size: int = 200                   # livy.cache-log.size
    local_dir_whitelist: Tuple[str, ...] = ()   # livy.file.local-dir-whitelist; empty: no check
    default_fs_root: Optional[str] = None       # local directory standing for HDFS (hdfs:///p is ROOT/p)
    fail_start_conf_key: str = "spark.double.failStart"   # conf key that makes a start fail
    python: str = DEFAULT_PYTHON                # interpreter of workers and batches
    verbose: bool = False                       # log each request to stderr
    mode: str = "livy"                          # "livy", or "lighter": answer as exacaster/lighter (double_lighter.py)
    spark_ui: Optional[str] = None              # captured Spark REST answers the YARN proxy serves
    timing: str = "fast"                        # "fast" or "recorded": see double_timing.py
    first_statement_hold: Optional[float] = None  # seconds; None: the timing's (recorded 1.4/2.2 s)
    post_idle_lag: Optional[float] = None       # seconds /state says idle after a POST; None: the timing's
    state_gap: Optional[float] = None           # seconds of idle /state inside every statement; None: the timing's
    running_tail: Optional[float] = None        # seconds `running` at progress 1.0 after a job; None: the timing's

    def __post_init__(self):
        if (self.auth_user is None) != (self.auth_password is None):
            raise ValueError("basic auth needs both auth_user and auth_password")
        if self.auth_user is not None and self.kerberos_keytab is not None:
            raise ValueError("choose basic auth or kerberos_keytab, not both")
        if self.bearer_token is not None and (self.auth_user is not None or self.kerberos_keytab is not None):
            raise ValueError("choose bearer_token, basic auth or kerberos_keytab, not two")
        if self.yarn and self.kubernetes:
            raise ValueError("choose yarn or kubernetes, not both")
        if self.kubernetes_pending_wait and not self.kubernetes:
            raise ValueError("kubernetes_pending_wait simulates a full Kubernetes cluster: it needs kubernetes=True")
        if self.yarn_applications is not None and not self.yarn:
            raise ValueError("yarn_applications are YARN applications: they need yarn=True")
        if self.yarn_am_wait and not self.yarn:
            raise ValueError("yarn_am_wait simulates a YARN queue: it needs yarn=True")
        if self.spark_ui and not self.yarn:
            raise ValueError("spark_ui is served through YARN's proxy: it needs yarn=True")
        for name in ("startup_delay", "yarn_am_wait", "kubernetes_pending_wait", "heartbeat_watchdog_interval",
                     "state_retain", "job_cancel_timeout", "job_cancel_trigger_interval"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.heartbeat_watchdog_interval == 0 or self.job_cancel_trigger_interval == 0:
            raise ValueError("intervals must be positive")
        self.timings = double_timing.profile(
            self.timing, self.yarn, first_statement_hold=self.first_statement_hold,
            post_idle_lag=self.post_idle_lag, state_gap=self.state_gap, running_tail=self.running_tail)
        self.local_dir_whitelist = tuple(os.path.realpath(d) for d in self.local_dir_whitelist)


class LivyState:
    """Sessions and batches by id, plus everything Livy would do to them on its own."""

    def __init__(self, options):
        self.options = options
        self.lock = threading.RLock()
        self.root = tempfile.mkdtemp(prefix="livy-double-")
        self._workdirs = itertools.count()
        self._cluster_timestamp = int(time.time() * 1000)
        self._app_sequence = itertools.count(1)
        self._generation = 0
        self._history = []
        self._new_registries()
        self.spark_ui_base = None   # this double's URL when it serves a Spark UI (set once bound)
        self._stopped = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, daemon=True, name="livy-watchdog")
        self._watchdog.start()

    def _new_registries(self):
        self.sessions, self.batches = {}, {}
        self._session_ids, self._batch_ids = itertools.count(), itertools.count()

    # ------------------------------------------------------------------------- helpers
    def make_workdir(self, name):
        path = os.path.join(self.root, f"{next(self._workdirs)}-{name}")
        os.makedirs(path)
        return path

    def allocate_app_id(self):
        return f"application_{self._cluster_timestamp}_{next(self._app_sequence):04d}"

    def next_session_id(self):
        return next(self._session_ids)

    def next_batch_id(self):
        return next(self._batch_ids)

    # ------------------------------------------------------------------------ sessions
    def add_session(self, session_id, request, body, owner, proxy_user, idle_timeout, ttl):
        session = InteractiveSession(self, session_id, request, owner, proxy_user, idle_timeout, ttl)
        self.sessions[session_id] = session
        self._history.append({"session": session, "generation": self._generation, "request": body,
                              "created": time.time(), "deleted_by": None, "deleted_at": None})
        session.start()
        return session

    def find_session(self, key):
        """By id, or by name for a non-numeric key (Livy 0.10 accepts both)."""
        if re.fullmatch(r"-?\d+", key):
            return self.sessions.get(int(key))
        return next((s for s in self.sessions.values() if s.name == key), None)

    def delete_session(self, session, reason):
        """Remove a session: `reason` is DELETE, heartbeat, idle_timeout, ttl, state_retain or
        restart."""
        self.sessions.pop(session.id, None)
        session.shutdown()
        session.remove_workdir()
        for record in self._history:
            if record["session"] is session:
                record["deleted_by"], record["deleted_at"] = reason, time.time()

    def kill_session(self, session_id):
        session = self.sessions.get(session_id)
        if session is None:
            return False
        session.kill()
        return True

    def sessions_ever(self):
        """Every session created since start, deleted ones included."""
        return [{"id": r["session"].id, "generation": r["generation"], "name": r["session"].name,
                 "kind": r["session"].kind, "state": r["session"].state, "request": r["request"],
                 "owner": r["session"].owner, "proxyUser": r["session"].proxy_user,
                 "created": r["created"], "deleted": r["deleted_by"] is not None,
                 "deleted_by": r["deleted_by"], "deleted_at": r["deleted_at"]}
                for r in self._history]

    # ------------------------------------------------------------------------- batches
    def add_batch(self, batch_id, request, owner, proxy_user):
        batch = Batch(self, batch_id, request, owner, proxy_user)
        self.batches[batch_id] = batch
        batch.start()
        return batch

    def add_ghost_batch(self, batch_id):
        self.batches[batch_id] = Batch.ghost(self, batch_id)

    def find_batch(self, key):
        if re.fullmatch(r"-?\d+", key):
            return self.batches.get(int(key))
        return next((b for b in self.batches.values() if b.request["name"] == key), None)

    def delete_batch(self, batch):
        self.batches.pop(batch.id, None)
        batch.kill()
        batch.remove_workdir()

    # ---------------------------------------------------------------------- lifecycle
    def restart(self):
        """Like a Livy restart without recovery: everything is forgotten, ids start at 0."""
        for session in list(self.sessions.values()):
            self.delete_session(session, "restart")
        for batch in list(self.batches.values()):
            self.delete_batch(batch)
        self._generation += 1
        self._new_registries()

    def shutdown(self):
        self._stopped.set()
        with self.lock:
            for session in list(self.sessions.values()):
                self.delete_session(session, "shutdown")
            for batch in list(self.batches.values()):
                self.delete_batch(batch)
        self._watchdog.join(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)

    def _watch(self):
        """Livy's heartbeat watchdog and session garbage collector, on one short interval."""
        while not self._stopped.wait(self.options.heartbeat_watchdog_interval):
            now = time.monotonic()
            with self.lock:
                for session in list(self.sessions.values()):
                    reason = session.expiry(now)
                    if reason is not None:
                        self.delete_session(session, reason)
                for batch in list(self.batches.values()):
                    if batch.finished_at is not None and \
                            now - batch.finished_at > self.options.state_retain:
                        self.delete_batch(batch)
