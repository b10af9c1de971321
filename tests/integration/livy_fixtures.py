"""Starting the Livy test double and a kernel pointed at it."""
import json
import os
import sys
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

from conftest import KERNEL_NAME

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "livy_double"))
from livy_double import LivyDouble  # noqa: E402  (the double lives beside the tests)


# The servers the double stands in for (its --mode): every test that takes the `double_mode` fixture runs once per mode.
DOUBLE_MODES = ["livy", "lighter"]


@pytest.fixture(params=DOUBLE_MODES, scope="module")   # module: module-scoped doubles follow it
def double_mode(request):
    return request.param


def start_double(**options):
    options.setdefault("startup_delay", 0.3)
    options.setdefault("heartbeat_watchdog_interval", 0.5)
    double = LivyDouble(port=0, **options)
    double.start()
    return double


def write_config(path, url, session=None, **livy):
    # A user of Lighter gives the kernel its /lighter/api URL and says which server it is, as for sparkmagic.
    if url.endswith("/lighter/api"):
        livy.setdefault("flavor", "lighter")
    section = {"url": url, "session": {"heartbeatTimeoutSeconds": 4, "heartbeatIntervalSeconds": 1, **(session or {})},
               **livy}
    path.write_text(json.dumps({"livy": section}))
    return path


def start_kernel(config_path, user="alice", extra_env=None, log_path=None):
    """A kernel whose configuration names the double (its stderr, the log, to log_path if given); returns (km, kc)."""
    env = dict(os.environ)
    env.pop("LIVY_URL", None)
    env["LIVY_KERNEL_CONFIG"] = str(config_path)
    env["JUPYTERHUB_USER"] = user
    env.update(extra_env or {})
    km = KernelManager(kernel_name=KERNEL_NAME)
    if log_path is None:
        km.start_kernel(env=env)
    else:
        with open(log_path, "w") as log:
            km.start_kernel(env=env, stderr=log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def stop_kernel(km, kc):
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=False)
