"""Shared fixtures: the built kernel installed as a kernelspec in a private Jupyter data dir.

Every test drives the real kernel process (java -jar livy-kernel.jar kernel -f ...) through Debian's
jupyter_client, so these tests need `mvn -B -q -DskipTests package` to have run (bin/test does it).
"""
import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JAR = ROOT / "kernelspec" / "target" / "livy-kernel.jar"
KERNEL_NAME = "pyspark-livy"

# One private Jupyter data dir for the whole run, set before jupyter_client reads JUPYTER_PATH.
_JUPYTER_HOME = Path(tempfile.mkdtemp(prefix="livy-kernel-tests-"))
atexit.register(shutil.rmtree, _JUPYTER_HOME, True)
os.environ["JUPYTER_PATH"] = str(_JUPYTER_HOME / "share" / "jupyter")
os.environ["JUPYTER_RUNTIME_DIR"] = str(_JUPYTER_HOME / "runtime")
# The kernel must not pick up a developer's own configuration or endpoint.
os.environ["LIVY_KERNEL_CONFIG"] = str(_JUPYTER_HOME / "no-config.json")
os.environ.pop("LIVY_URL", None)
os.environ["LIVY_KERNEL_PYTHON"] = "/usr/bin/python3"

# A shell starts a background job (`bin/test &`, `nohup ... &`) with SIGINT ignored, and every process we start
# would inherit that: the JVM then rightly leaves Ctrl-C ignored, and the tests that play a user pressing
# Ctrl-C at `submit` would see nothing happen. Handling SIGINT here gives every child the default again.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def install_kernelspec():
    if not JAR.is_file():
        pytest.exit(f"{JAR} is missing: run `mvn -B -q -DskipTests package` first", returncode=2)
    subprocess.run(["java", "-jar", str(JAR), "install", "--prefix", str(_JUPYTER_HOME), "--force"],
                   check=True, stdout=subprocess.DEVNULL)


install_kernelspec()


@pytest.fixture
def jupyter_home():
    return _JUPYTER_HOME


@pytest.fixture
def kernel():
    """A started kernel and a blocking client; the kernel is shut down afterwards."""
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=False)
