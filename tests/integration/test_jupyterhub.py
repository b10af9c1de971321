"""The kernel as a JupyterHub user meets it: Debian's JupyterHub 3 on loopback (local-process spawner, a test
authenticator, configurable-http-proxy), classic notebook servers, and headless Debian chromium driven by
Playwright (tests/browser). Users at once log in, create a notebook with "PySpark (Livy)" from the New
menu and run cells against the Livy test double: two run a %%configure cell and PySpark cells and Close and
Halt; a third runs one cell and closes the tab, leaving the idle kernel to the server's culler. The double
shows what reached Livy for each of them. The story runs against each server the double plays (Apache Livy on
YARN, Lighter, Livy 0.9 on Kubernetes): one more costs about 25 s, the hub and the browsers included."""
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from livy_fixtures import DOUBLE_MODES, start_double, write_config

HUB_CONFIG = ROOT / "tests" / "jupyterhub" / "jupyterhub_config.py"
BROWSER = ROOT / "tests" / "browser"
SCREENSHOT_FOR_README = ROOT / "docs" / "jupyterhub-notebook.png"
USERS = ("alice", "bob")      # configure, run PySpark, Close and Halt
WALKER = "carol"              # runs one cell and closes the tab
PASSWORD = "hub-test-password"
CONDA_ENV = "hdfs:///envs/team-ml.tar.gz"


def configure_cell():
    settings = {"driverMemory": "2g", "executorMemory": "3g", "executorCores": 2, "numExecutors": 3,
                "condaEnv": CONDA_ENV, "conf": {"spark.sql.shuffle.partitions": "16"}}
    return "%%configure\n" + json.dumps(settings, indent=1)


def cells(user):
    return [
        configure_cell(),
        f"owner = '{user}'\nprint('partitions', spark.conf.get('spark.sql.shuffle.partitions'), 'for', owner)",
        "df = spark.createDataFrame([(owner, i, i * i) for i in range(5)], ['who', 'n', 'square'])\n"
        "print('rows', df.count(), 'sum of squares', df.groupBy('who').sum('square').collect()[0][1])",
        "rows = [{'who': owner, 'n': 4, 'square': 16}]\n%table rows",
    ]


def walker_cells():
    return [f"print('{WALKER} was here', spark.range(10).count())"]


def free_ports(count):
    """Distinct free ports on loopback, below the ephemeral range: a server takes its port seconds after it
    was chosen, and meanwhile kernels bind ports of their own (port 0), which come from that range."""
    lowest_ephemeral = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    chosen = []
    for port in random.sample(range(10_000, lowest_ephemeral), 50 * count):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        chosen.append(port)
        if len(chosen) == count:
            return chosen
    pytest.fail(f"no {count} free ports between 10000 and {lowest_ephemeral}")


def wait_for_hub(url, hub, log, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if hub.poll() is not None:
            pytest.fail(f"JupyterHub exited with {hub.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/hub/login", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterHub did not answer within {timeout}s:\n{log.read_text()[-4000:]}")


@pytest.fixture
def browser_ready():
    for tool in ("/usr/bin/jupyterhub", "/usr/bin/configurable-http-proxy", "/usr/bin/chromium", "node"):
        assert shutil.which(tool), f"{tool} is missing: run bin/setup-debian"
    assert (BROWSER / "node_modules" / "playwright-core").is_dir(), \
        "playwright-core is missing: run `npm ci` in tests/browser (bin/setup-debian does)"


@pytest.fixture(params=DOUBLE_MODES)
def hub(request, tmp_path):
    """A running hub whose spawned servers find the kernelspec and the platform's kernel configuration,
    which names a Livy double in one of its modes; yields (hub URL, hub log, double)."""
    # Apache Livy as on a cluster, YARN: the session table shows its YARN application
    livy = start_double(request.param, yarn=request.param == "livy")
    try:
        yield from run_hub(livy, tmp_path)
    finally:
        livy.stop()


def run_hub(livy, tmp_path):
    """Starts Debian's JupyterHub with tests/jupyterhub/jupyterhub_config.py; stops it (and so the users'
    servers and the proxy) when the generator is closed."""
    state, homes = tmp_path / "hub", tmp_path / "home"
    state.mkdir()
    homes.mkdir()
    platform_session = {"heartbeatTimeoutSeconds": 120, "heartbeatIntervalSeconds": 30, "locked": ["proxyUser"],
                        "defaults": {"queue": "notebooks", "conf": {"spark.dynamicAllocation.enabled": "true"}}}
    config = write_config(tmp_path / "platform-config.json", livy.url, session=platform_session)
    users = USERS + (WALKER,)
    port, api_port, proxy_api_port, *user_ports = free_ports(3 + len(users))
    env = dict(os.environ, LIVY_HUB_PORT=str(port), LIVY_HUB_API_PORT=str(api_port),
               LIVY_HUB_PROXY_API_PORT=str(proxy_api_port), LIVY_HUB_STATE=str(state), LIVY_HUB_HOMES=str(homes),
               LIVY_HUB_PASSWORD=PASSWORD,
               LIVY_HUB_USER_PORTS=",".join(f"{u}:{p}" for u, p in zip(users, user_ports)),
               LIVY_HUB_CULL_IDLE_SECONDS="5", LIVY_HUB_CULL_INTERVAL_SECONDS="2", LIVY_KERNEL_CONFIG=str(config))
    log = tmp_path / "jupyterhub.log"
    with open(log, "w") as out:
        process = subprocess.Popen(["/usr/bin/jupyterhub", "-f", str(HUB_CONFIG)], cwd=state, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_hub(url, process, log)
        yield url, log, livy
    finally:
        process.send_signal(signal.SIGTERM)  # the hub stops the users' servers and its proxy (cleanup_*)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def start_browser(url, user, tmp_path):
    walks_away = user == WALKER
    job = {"hubUrl": url, "user": user, "password": PASSWORD, "kernelDisplayName": "PySpark (Livy)",
           "cells": walker_cells() if walks_away else cells(user), "screenshot": str(tmp_path / f"{user}.png"),
           "leave": "walk-away" if walks_away else "close-and-halt", "timeoutMs": 120_000}
    job_file = tmp_path / f"{user}-job.json"
    job_file.write_text(json.dumps(job))
    return subprocess.Popen(["node", str(BROWSER / "jupyterhub_notebook.js"), str(job_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_users_run_pyspark_from_jupyterhub_in_chromium_each_on_their_own_session(browser_ready, hub, tmp_path):
    url, log, livy = hub
    browsers = {user: start_browser(url, user, tmp_path) for user in USERS + (WALKER,)}
    results = {}
    try:
        for user, browser in browsers.items():
            stdout, stderr = browser.communicate(timeout=400)
            assert browser.returncode == 0, f"{user}'s browser: {stderr[-3000:]}\nhub log:\n{log.read_text()[-3000:]}"
            results[user] = json.loads(stdout)
    finally:
        for browser in browsers.values():
            if browser.poll() is None:
                os.killpg(browser.pid, signal.SIGKILL)  # a hung script, and the chromium it started
                browser.wait()

    walker = results.pop(WALKER)
    (walker_output,) = walker["outputs"]
    assert any(f"{WALKER} was here 10" in text for text in walker_output), walker_output
    assert not walker["errors"], walker["errors"]
    for user, result in results.items():
        configure, partitions, aggregate, table = result["outputs"]
        shown = "\n".join(configure)
        assert CONDA_ENV in shown and "3g" in shown, shown
        assert any(f"partitions 16 for {user}" in text for text in partitions), partitions
        assert any("rows 5 sum of squares 30" in text for text in aggregate), aggregate
        assert any(user in text and "16" in text for text in table), table
        assert not result["errors"], result["errors"]
        assert (tmp_path / f"{user}.png").stat().st_size > 10_000

    ever = livy.sessions_ever()
    assert sorted(s["request"].get("proxyUser") for s in ever) == sorted(USERS + (WALKER,)), ever
    sessions = {s["request"]["proxyUser"]: s for s in ever}
    # The server's culler shut the abandoned kernel down, and the kernel deleted its session.
    assert "Culling 'idle' kernel 'pyspark-livy'" in log.read_text()
    assert sessions.pop(WALKER)["deleted_by"] == "DELETE"
    for session in sessions.values():
        request, user = session["request"], session["request"]["proxyUser"]
        assert request["executorMemory"] == "3g" and request["numExecutors"] == 3, request
        assert request["executorCores"] == 2 and request["driverMemory"] == "2g", request
        assert request["queue"] == "notebooks", "the platform default was not applied"
        assert request["archives"] == [f"{CONDA_ENV}#condaenv"], request
        conf = request["conf"]
        assert conf["spark.sql.shuffle.partitions"] == "16" and conf["spark.dynamicAllocation.enabled"] == "true"
        assert conf["spark.yarn.appMasterEnv.PYSPARK_PYTHON"] == "./condaenv/bin/python", conf
        assert conf["spark.executorEnv.PYSPARK_PYTHON"] == "./condaenv/bin/python", conf
        assert user in request["name"], request["name"]
        # Close and Halt shut the kernel down, and the kernel deleted its session.
        assert session["deleted"] and session["deleted_by"] == "DELETE", session

    if os.environ.get("LIVY_UPDATE_SCREENSHOT") and livy.options.mode == "livy":  # the README's picture
        shutil.copyfile(tmp_path / "alice.png", SCREENSHOT_FOR_README)
