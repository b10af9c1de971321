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

# Starts the kernel as jupyter_client does for a Jupyter server, runs one cell (so a session exists), prints
# the kernel's pid and waits to be killed.
LAUNCHER = textwrap.dedent("""
    import os, sys, time
    from jupyter_client.manager import KernelManager
    env = dict(os.environ, LIVY_KERNEL_CONFIG=sys.argv[1], JUPYTERHUB_USER="alice")
    env.pop("LIVY_URL", None)
    km = KernelManager(kernel_name=sys.argv[2])
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    reply = kc.execute_interactive("pass", timeout=60, output_hook=lambda msg: None)
    assert reply["content"]["status"] == "ok", reply
    print(km.provisioner.pid, flush=True)
    time.sleep(600)
""")


@pytest.fixture
def livy():
    double = start_double()
    yield double
    double.stop()


def test_the_kernel_exits_and_deletes_its_session_when_the_process_that_started_it_is_killed(livy, tmp_path):
    config = write_config(tmp_path / "config.json", livy.url)
    with open(tmp_path / "launcher.log", "wb") as log:
        launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(config), KERNEL_NAME],
                                    stdout=subprocess.PIPE, stderr=log)
    kernel = None
    try:
        kernel = int(launcher.stdout.readline() or 0)
        assert kernel, (tmp_path / "launcher.log").read_text()
        (created,) = livy.sessions_ever()
        assert not created["deleted"]

        launcher.kill()
        launcher.wait()

        assert wait_until(lambda: not alive(kernel), 20), "the orphaned kernel is still running"
        (created,) = livy.sessions_ever()
        assert created["deleted"] and created["deleted_by"] == "DELETE", created
    finally:
        launcher.kill()
        if kernel and alive(kernel):
            os.kill(kernel, signal.SIGKILL)
