"""The double's side of a session's Python worker (double_worker.py): process, pipes, protocol.

Requests go to the worker as JSON lines on a control pipe; results and job events come back as
JSON lines on an events pipe. Dedicated pipes keep the protocol safe from anything user code
writes to file descriptors 1 and 2; those are collected as the process's "stderr", which Livy shows
when the interpreter dies.
"""

import collections
import json
import os
import signal
import subprocess
import threading

WORKER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "double_worker.py")


class WorkerResult:
    """The outcome of one execute request: the reply content, or the worker's death."""

    def __init__(self, content=None, died=False, exit_code=None, stderr=""):
        self.content, self.died, self.exit_code, self.stderr = content, died, exit_code, stderr


class WorkerHost:
    def __init__(self, python, workdir, config_path, on_event):
        """`on_event(event)` receives job and log events, on the host's reader thread."""
        self._python = python
        self._workdir = workdir
        self._config_path = config_path
        self._on_event = on_event
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._pending = None          # (statement id, Event, [WorkerResult])
        self._stderr = collections.deque(maxlen=2000)
        self._control = None
        self._process = None
        self._output_reader = None
        self.exit_code = None

    def start(self):
        control_read, control_write = os.pipe()
        events_read, events_write = os.pipe()
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
        try:
            self._process = subprocess.Popen(
                [self._python, WORKER_SCRIPT, "--control-fd", str(control_read),
                 "--events-fd", str(events_write), "--config", self._config_path],
                pass_fds=(control_read, events_write), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=self._workdir, env=env,
                # Its own process group: a Ctrl-C meant for the double must not hit user code.
                start_new_session=True)
        finally:
            os.close(control_read)
            os.close(events_write)
        self._control = os.fdopen(control_write, "w", encoding="utf-8")
        self._output_reader = threading.Thread(target=self._read_output, daemon=True,
                                               name=f"worker-{self._process.pid}-output")
        self._output_reader.start()
        threading.Thread(target=self._read_events, args=(os.fdopen(events_read, "r", encoding="utf-8"),),
                         daemon=True, name=f"worker-{self._process.pid}-events").start()

    @property
    def alive(self):
        return self.exit_code is None

    def wait_ready(self, timeout):
        """True once the worker is ready; False if it died or did not start in time."""
        return self._ready.wait(timeout) and self.alive

    def take_stderr(self):
        """What the process wrote to stdout/stderr since the last call, as Livy reports it."""
        with self._lock:
            return self._drain_stderr()

    def _drain_stderr(self):
        text = "\n".join(self._stderr)
        self._stderr.clear()
        return text

    def execute(self, statement_id, kind, code):
        """Run one statement; blocks until its result arrives or the worker dies."""
        done = threading.Event()
        slot = []
        with self._lock:
            if self.exit_code is not None:
                return WorkerResult(died=True, exit_code=self.exit_code,
                                    stderr=self._drain_stderr())
            self._pending = (statement_id, done, slot)
        if not self._send({"op": "execute", "id": statement_id, "kind": kind, "code": code}):
            self._finish_pending(WorkerResult(died=True))
        done.wait()
        return slot[0]

    def cancel_job_group(self, group):
        self._send({"op": "cancel_job_group", "group": group})

    def add_pyfile(self, path):
        self._send({"op": "add_pyfile", "path": path})

    def kill(self):
        """Kill the worker and anything user code started in its process group."""
        if self._process is None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self._control.close()
        except OSError:
            pass

    def _send(self, message):
        try:
            with self._lock:
                self._control.write(json.dumps(message) + "\n")
                self._control.flush()
            return True
        except (OSError, ValueError):   # broken pipe, or closed after kill()
            return False

    def _finish_pending(self, result):
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            pending[2].append(result)
            pending[1].set()

    def _read_output(self):
        for raw in self._process.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            with self._lock:
                self._stderr.append(line)

    def _read_events(self, stream):
        for line in stream:
            event = json.loads(line)
            kind = event["ev"]
            if kind == "ready":
                self._ready.set()
            elif kind == "result":
                self._finish_pending(WorkerResult(content=event["content"]))
            else:
                self._on_event(event)
        # The events pipe closes only when the process exits.
        exit_code = self._process.wait()
        self._output_reader.join(timeout=2)
        with self._lock:
            self.exit_code = exit_code
        self._ready.set()
        self._finish_pending(WorkerResult(died=True, exit_code=self.exit_code,
                                          stderr=self.take_stderr()))
