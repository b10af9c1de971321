"""A faithful Apache Livy 0.10 test double (REST API, sessions, statements, batches, faults).

As a library:

    from livy_double import LivyDouble
    with LivyDouble(startup_delay=0.2, job_cancel_timeout=2) as livy:
        ...  # talk to livy.url; inspect livy.requests(); livy.inject_fault(...)

As a program (prints one line "LISTENING http://127.0.0.1:PORT", serves until SIGTERM/SIGINT):

    /usr/bin/python3 tests/livy_double/livy_double.py --port 0 [options]

See README.md for the options, the control API under /_double/ and what is (not) emulated.
"""

import argparse
import os
import signal
import sys
import threading

from double_api import LivyApp
from double_http import LivyHTTPServer
from double_lighter import BASE as LIGHTER_BASE, LighterFacade
from double_state import DEFAULT_PYTHON, DoubleOptions, LivyState


class LivyDouble:
    """A Livy double on 127.0.0.1; keyword options are the fields of DoubleOptions."""

    def __init__(self, port=0, **options):
        self.options = DoubleOptions(**options)
        self._port = port
        self._server = None
        self._state = None
        self._app = None
        self._thread = None

    def start(self):
        self._state = LivyState(self.options)
        try:
            self._app = LivyApp(self._state)
            if self.options.mode == "lighter":
                self._app = LighterFacade(self._app)
        except ValueError:   # e.g. spark_ui names no captured scenario
            self._state.shutdown()
            raise
        self._server = LivyHTTPServer(self._port, self._app, verbose=self.options.verbose)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name="livy-double-http")
        self._thread.start()
        if self.options.spark_ui:
            self._state.spark_ui_base = f"http://127.0.0.1:{self.port}"
        return self

    def stop(self):
        """Stop serving, kill every worker and batch process, remove temporary files."""
        if self._server is None:
            return
        if self._app.spark_ui is not None:
            self._app.spark_ui.release()
        self._server.shutdown()
        self._server.server_close()
        self._state.shutdown()
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        """The URL a client is given: Lighter's API lives under /lighter/api (the control API stays at the root)."""
        base = f"http://127.0.0.1:{self.port}"
        return base + LIGHTER_BASE if self.options.mode == "lighter" else base

    # --- inspection and fault injection (the same as the /_double/ control API)
    def requests(self):
        """Every request received since start or reset(), oldest first."""
        return self._app.requests()

    def reset(self):
        """Forget recorded requests and pending faults."""
        self._app.reset()

    def sessions_ever(self):
        """Every session created, deleted ones included, with its create request."""
        with self._state.lock:
            sessions = self._state.sessions_ever()
        if self.options.mode == "lighter":   # the ids a client sees
            sessions = [dict(s, id=self._app.public_id("session", s["id"])) for s in sessions]
        return sessions

    def inject_fault(self, spec=None, **fields):
        """Add a fault rule (see double_faults) and return its id. Either a rule as a dict, the
        same JSON as POST /_double/faults, or its fields as keywords:

            double.inject_fault({"match": {"method": "GET"}, "action": "status", "status": 503})
            double.inject_fault(action="reset", match={"path": "/statements$"}, count=2)
        """
        return self._app.add_fault({**(spec or {}), **fields}).id

    def faults(self):
        return self._app.faults.rules()

    def clear_faults(self):
        self._app.faults.clear()

    def require_bearer_token(self, *tokens):
        """From now on, accept only these bearer tokens (a hosted endpoint rotating its tokens: for a while
        both the old and the new one, then the new one only)."""
        self.options.bearer_token = tokens[0] if len(tokens) == 1 else tuple(tokens)

    def hold_spark_ui(self, path_pattern):
        """Spark UI requests whose path matches wait until release_spark_ui() (see SparkUi.hold)."""
        self._app.spark_ui.hold(path_pattern)

    def release_spark_ui(self):
        self._app.spark_ui.release()

    def kill_session(self, session_id):
        """The session's driver dies now: state dead, worker killed. Takes the id clients know (a UUID on Lighter)."""
        if self.options.mode == "lighter":
            session_id = self._app.inner_id("session", session_id)
        self.inject_fault(action="kill_session", session=session_id)

    def restart(self):
        """Like a Livy restart without recovery: all sessions and batches forgotten."""
        self.inject_fault(action="restart")


def _parse_args(argv):
    defaults = DoubleOptions()
    parser = argparse.ArgumentParser(description="Apache Livy test double.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--startup-delay", type=float, default=defaults.startup_delay,
                        help="seconds a session stays 'starting'")
    parser.add_argument("--no-csrf", dest="csrf", action="store_false",
                        help="do not require X-Requested-By on POST/DELETE/...")
    parser.add_argument("--auth-user", help="require HTTP basic auth with this user")
    parser.add_argument("--auth-password", help="basic auth password (or env LIVY_DOUBLE_PASSWORD)")
    parser.add_argument("--bearer-token", help="require Authorization: Bearer with this token"
                        " (or env LIVY_DOUBLE_BEARER_TOKEN)")
    parser.add_argument("--kerberos-keytab", help="require SPNEGO, accepting tokens with this HTTP/host keytab")
    parser.add_argument("--kerberos-cookie-validity", type=float, default=defaults.kerberos_cookie_validity,
                        help="seconds the hadoop.auth cookie is valid")
    parser.add_argument("--mode", choices=("livy", "lighter"), default=defaults.mode,
                        help="answer as Apache Livy or as exacaster/lighter (under /lighter/api, UUID ids)")
    parser.add_argument("--yarn", action="store_true", help="emulate YARN cluster mode")
    parser.add_argument("--yarn-am-wait", type=float, default=0.0,
                        help="seconds the YARN queue cannot place the AM (needs --yarn)")
    parser.add_argument("--kubernetes", action="store_true",
                        help="emulate Livy 0.9 on Kubernetes: spark-... application ids, driver pod diagnostics")
    parser.add_argument("--kubernetes-pending-wait", type=float, default=0.0,
                        help="seconds no node can take the driver pod (needs --kubernetes)")
    parser.add_argument("--kubernetes-ui-format", default=defaults.kubernetes_ui_format,
                        help="Livy's Spark UI link format on Kubernetes (%%s: the application id; '' for none)")
    parser.add_argument("--heartbeat-watchdog-interval", type=float,
                        default=defaults.heartbeat_watchdog_interval)
    parser.add_argument("--session-timeout", type=float, help="idle timeout in seconds (off)")
    parser.add_argument("--session-timeout-skip-busy", action="store_true")
    parser.add_argument("--state-retain", type=float, default=defaults.state_retain)
    parser.add_argument("--job-cancel-timeout", type=float, default=defaults.job_cancel_timeout)
    parser.add_argument("--retained-statements", type=int, default=defaults.retained_statements)
    parser.add_argument("--sql-num-rows", type=int, default=defaults.sql_num_rows)
    parser.add_argument("--local-dir-whitelist", action="append", default=[],
                        help="allowed directory for local batch files (repeatable)")
    parser.add_argument("--fail-start-conf-key", default=defaults.fail_start_conf_key)
    parser.add_argument("--default-fs-root", help="local directory standing for HDFS: batches read hdfs:///p there")
    parser.add_argument("--python", default=DEFAULT_PYTHON, help="interpreter for workers")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    parser.add_argument("--spark-ui", metavar="DIR",
                        help="serve this captured Spark scenario at each session's Spark UI (needs --yarn)")
    parser.add_argument("--timing", choices=("fast", "recorded"), default=defaults.timing,
                        help="replay the recorded slow timings too (first statement's hold, progress lag)")
    parser.add_argument("--first-statement-hold", type=float, help="seconds the first statement waits")
    parser.add_argument("--post-idle-lag", type=float, help="seconds /state says idle after a POST")
    parser.add_argument("--state-gap", type=float, help="seconds of idle /state inside every statement")
    parser.add_argument("--running-tail", type=float, help="seconds a statement stays running at progress 1.0")
    args = vars(parser.parse_args(argv))
    if args["auth_user"] and not args["auth_password"]:
        args["auth_password"] = os.environ.get("LIVY_DOUBLE_PASSWORD")
    args["bearer_token"] = args["bearer_token"] or os.environ.get("LIVY_DOUBLE_BEARER_TOKEN")
    args["local_dir_whitelist"] = tuple(args["local_dir_whitelist"])
    args["kubernetes_ui_format"] = args["kubernetes_ui_format"] or None
    return args.pop("port"), args


def main(argv=None):
    port, options = _parse_args(argv)
    try:
        double = LivyDouble(port, **options).start()
    except ValueError as error:
        sys.exit(f"livy_double: {error}")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"LISTENING {double.url}", flush=True)
    stop.wait()
    double.stop()


if __name__ == "__main__":
    main()
