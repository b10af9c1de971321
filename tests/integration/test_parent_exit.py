"""The kernel exits when the process that started it (the Jupyter server) is gone, as ipykernel does, and
releases its Livy session on the way out as on SIGTERM. The starter here is a Python process running
jupyter_client, killed with SIGKILL the way a crashed or OOM-killed Jupyter server goes."""
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from conftest import KERNEL_NAME
from kernel_tools import alive, wait_until
from livy_fixtures import start_double, write_config

# Starts the kernel as jupyter_client does for a Jupyter server (directly, or through a shell wrapper that
# does not exec, so the shell stays between them), runs one cell (so a session exists), prints the kernel's
# pid and waits to be killed.
LAUNCHER = textwrap.dedent("""
    import os, subprocess, sys, time
    from jupyter_client import BlockingKernelClient
    from jupyter_client.connect import write_connection_file
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    config, kernel_name, how, workdir = sys.argv[1:]
    env = dict(os.environ, LIVY_KERNEL_CONFIG=config, JUPYTERHUB_USER="alice")
    env.pop("LIVY_URL", None)
    if how == "directly":
        km = KernelManager(kernel_name=kernel_name)
        km.start_kernel(env=env)
        kc = km.client()
        pid = km.provisioner.pid
    else:
        connection_file, _ = write_connection_file(os.path.join(workdir, "kernel-wrapped.json"))
        argv = [a.replace("{connection_file}", connection_file)
                for a in KernelSpecManager().get_kernel_spec(kernel_name).argv]
        env["JPY_PARENT_PID"] = str(os.getpid())
        shell = subprocess.Popen(["sh", "-c", '"$@"; exit $?', "wrapper", *argv], env=env)
        kc = BlockingKernelClient(connection_file=connection_file)
        kc.load_connection_file()
        pid = None
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    reply = kc.execute_interactive("pass", timeout=60, output_hook=lambda msg: None)
    assert reply["content"]["status"] == "ok", reply
    if pid is None:
        (pid,) = [int(c) for c in open(f"/proc/{shell.pid}/task/{shell.pid}/children").read().split()]
        assert open(f"/proc/{pid}/comm").read().strip() == "java", "the shell did not stay between"
    print(pid, flush=True)
    time.sleep(600)
""")


@pytest.fixture
def livy():
    double = start_double()
    yield double
    double.stop()


@pytest.mark.parametrize("how", ["directly", "through a shell wrapper"])
def test_the_kernel_exits_and_deletes_its_session_when_the_process_that_started_it_is_killed(livy, tmp_path, how):
    config = write_config(tmp_path / "config.json", livy.url)
    with open(tmp_path / "launcher.log", "wb") as log:
        launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(config), KERNEL_NAME, how, str(tmp_path)],
                                    stdout=subprocess.PIPE, stderr=log)
    kernel = None
    try:
        kernel = int(launcher.stdout.readline() or 0)
        assert kernel, (tmp_path / "launcher.log").read_text()
        (created,) = livy.sessions_ever()
        assert not created["deleted"]

        launcher.kill()  # not reaped yet: a zombie launcher is gone all the same

        assert wait_until(lambda: not alive(kernel), 20), "the orphaned kernel is still running"
        (created,) = livy.sessions_ever()
        assert created["deleted"] and created["deleted_by"] == "DELETE", created
    finally:
        launcher.kill()
        launcher.wait()
        if kernel and alive(kernel):
            os.kill(kernel, signal.SIGKILL)
