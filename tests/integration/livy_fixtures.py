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


# The servers the Livy-backend and magics process tests run against, each a mode of the double: Apache Livy
# (local mode), Lighter (its own ids and paths, PySpark only), Livy 0.9 on Kubernetes. Tests that show a
# server difference take `double_mode` through @across_double_modes or @across_id_schemes; the others run
# against the first mode only (the `double_mode` fixture's default).
DOUBLE_MODES = ["livy", "lighter", "kubernetes"]
_MODE_OPTIONS = {"livy": {}, "lighter": {"mode": "lighter"}, "kubernetes": {"kubernetes": True}}
across_double_modes = pytest.mark.parametrize("double_mode", DOUBLE_MODES)
# Livy numbers sessions and statements from 0; Lighter names them with UUIDs: tests of what ids do run on both.
across_id_schemes = pytest.mark.parametrize("double_mode", ["livy", "lighter"])


@pytest.fixture
def double_mode():
    """The double's mode for a test that does not run across modes."""
    return DOUBLE_MODES[0]


def start_double(mode=DOUBLE_MODES[0], **options):
    """The double in one of DOUBLE_MODES, with these options on top."""
    options = {**_MODE_OPTIONS[mode], **options}
    options.setdefault("startup_delay", 0.3)
    options.setdefault("heartbeat_watchdog_interval", 0.5)
    double = LivyDouble(port=0, **options)
    double.start()
    return double


def livy_section(url, **livy):
    """The configuration's "livy" section for the double at `url`. A user of Lighter gives the kernel its
    /lighter/api URL and says which server it is, as for sparkmagic."""
    if url.endswith("/lighter/api"):
        livy.setdefault("flavor", "lighter")
    return {"url": url, **livy}


def write_config(path, url, session=None, **livy):
    section = livy_section(url, session={"heartbeatTimeoutSeconds": 4, "heartbeatIntervalSeconds": 1,
                                         **(session or {})}, **livy)
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
