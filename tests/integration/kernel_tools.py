"""Helpers for driving a kernel with jupyter_client in tests: run a cell, collect its iopub messages,
and look at the kernel's process tree."""
import os
import time
from pathlib import Path
from queue import Empty


def run_cell(kc, code, timeout=60, **kwargs):
    """Executes code and returns (reply, outputs): every iopub message of the request except status and
    execute_input, in order. Waits for both the reply and the idle status, as frontends do."""
    msg_id = kc.execute(code, **kwargs)
    reply = None
    outputs = []
    idle = False
    deadline = time.time() + timeout
    while reply is None or not idle:
        if time.time() > deadline:
            raise TimeoutError(f"no reply/idle for {code!r} within {timeout}s")
        if reply is None:
            try:
                msg = kc.get_shell_msg(timeout=0.05)
                if msg["parent_header"].get("msg_id") == msg_id:
                    reply = msg
            except Empty:
                pass
        try:
            msg = kc.get_iopub_msg(timeout=0.05)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            idle = msg["content"]["execution_state"] == "idle"
        elif msg["msg_type"] != "execute_input":
            outputs.append(msg)
    return reply, outputs


def stdout_of(outputs):
    return "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def shell_reply(kc, msg_id, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg = kc.get_shell_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg
    raise TimeoutError(f"no shell reply to {msg_id}")


def kernel_pid(km):
    return km.provisioner.pid


def children(pid):
    """Direct children of a process (all its threads' children)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state


def wait_until(predicate, timeout, interval=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def python_child(km, timeout=30):
    """The pid of the local backend's child Python (started in the background at kernel start)."""
    pid = kernel_pid(km)
    assert wait_until(lambda: children(pid), timeout), "the kernel never started its local Python child"
    (child,) = children(pid)
    return child


def env_without(*names):
    return {k: v for k, v in os.environ.items() if k not in names}
