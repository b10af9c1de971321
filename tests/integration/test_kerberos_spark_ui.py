"""Kerberos (SPNEGO) to the Spark UI behind YARN's proxy, against a real MIT KDC: on a Kerberized cluster the
proxy wants a token for HTTP/<its host> and issues its own hadoop.auth cookie (the double's Spark UI has its own
filter and secret). %%analyze and `livy-kernel.jar analyze` read it with the same Kerberos login as Livy's."""
import json
import re
import shutil
import subprocess

import pytest

from conftest import JAR
from kernel_tools import run_cell
from livy_fixtures import start_double, stop_kernel
from test_analyze import scenario
from test_kerberos import REALM, assert_no_secrets, cell_text, config, kdc, kernel_env, start_kernel  # noqa: F401

REDACTED = "<redacted>"


@pytest.fixture(scope="module")
def cluster(kdc, tmp_path_factory):  # noqa: F811  (kdc is the imported fixture)
    """A Kerberized double serving the skewed-join capture as its sessions' Spark UI, and a keytab kernel
    with a running session: (double, kernel client, the session's application id, the kernel's log)."""
    tmp = tmp_path_factory.mktemp("spark-ui")
    double = start_double(kerberos_keytab=str(kdc.http_keytab), yarn=True, spark_ui=str(with_running_jobs(tmp)))
    path = config(tmp, double.url, {"type": "kerberos", "principal": f"alice@{REALM}",
                                    "keytab": str(kdc.alice_keytab)})
    log = tmp / "kernel.log"
    km, kc = start_kernel(kernel_env(kdc, path, tmp), log)
    try:
        reply, outputs = run_cell(kc, "x = 1", timeout=90)   # starts the session
        assert reply["content"]["status"] == "ok", cell_text(outputs)
        reply, outputs = run_cell(kc, "%%info", timeout=60)
        app_id = re.search(r"application_\d+_\d+", cell_text(outputs)).group(0)
        yield double, kc, app_id, log, tmp
    finally:
        stop_kernel(km, kc)
        double.stop()


def with_running_jobs(tmp):
    """The skewed-join capture, plus a running Spark job for each job group (Livy's statement ids) as the
    progress line's probe asks for them."""
    ui = tmp / "skewed-join"
    shutil.copytree(scenario("skewed-join"), ui)
    app_id = json.loads((ui / "scenario.json").read_text())["appId"]
    jobs = [{"jobId": 1000 + group, "jobGroup": str(group), "status": "RUNNING", "numTasks": 400,
             "numCompletedTasks": 120, "numActiveStages": 1, "numFailedTasks": 0} for group in range(50)]
    (ui / "api" / "v1" / "applications" / app_id / "jobs@status=running.json").write_text(json.dumps(jobs))
    return ui


def proxy_requests(double):
    return [r for r in double.requests() if r["path"].startswith("/proxy/")]


def test_analyze_magic_reads_the_kerberized_spark_ui(cluster):
    double, kc, app_id, log, _ = cluster
    before = len(proxy_requests(double))   # the session's start and %%info (its usage) read the UI already
    reply, outputs = run_cell(kc, "%%analyze", timeout=90)
    assert reply["content"]["status"] == "ok", cell_text(outputs)
    text = cell_text(outputs)
    assert "[CRITICAL] Task skew within stages (task-skew)" in text
    assert app_id in text
    ui = proxy_requests(double)
    # The proxy asked for Negotiate on the kernel's first read; the metrics %%analyze reads ride on the cookie
    # that bought. (The usage lines' executors reads, a 404 in this capture, are left out: see the issue note.)
    assert ui[0]["status"] == 401
    metrics = [r for r in ui[before:] if not r["path"].endswith(("/executors", "/allexecutors"))]
    assert [r["status"] for r in metrics] == [200] * len(metrics) and len(metrics) > 5
    assert not [r for r in metrics if r["headers"].get("Authorization") == REDACTED]
    assert log.read_text().count("logged in as alice@LIVY.TEST") == 1    # Livy's login served the UI too
    assert_no_secrets(text + log.read_text())


def test_progress_line_names_the_running_spark_job_through_the_kerberized_proxy(cluster):
    double, kc, _, log, _ = cluster
    double.reset()
    reply, outputs = run_cell(kc, "import time; time.sleep(3)", timeout=90)
    assert reply["content"]["status"] == "ok", cell_text(outputs)
    shown = json.dumps([m["content"] for m in outputs])
    assert re.search(r"Spark job 10\d\d: 120/400 tasks", shown), shown
    assert any(r["path"].endswith("/jobs") and r["status"] == 200 for r in proxy_requests(double))
    assert_no_secrets(shown + log.read_text())


def test_analyze_cli_with_the_configuration_file_keytab(kdc, cluster):  # noqa: F811
    double, _, app_id, _, tmp = cluster
    path = config(tmp, double.url, {"type": "kerberos", "principal": f"alice@{REALM}",
                                    "keytab": str(kdc.alice_keytab)})
    result = analyze(kernel_env(kdc, path, tmp), double, app_id, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["appId"] == app_id
    assert "task-skew" in {f["heuristic"] for f in report["findings"] if f["severity"] == "critical"}
    assert_no_secrets(result.stdout + result.stderr)


def test_analyze_cli_kerberos_option_uses_the_ticket_cache(kdc, cluster):  # noqa: F811
    double, _, app_id, _, tmp = cluster
    cache = kdc.kinit("alice", tmp / "krb5cc_cli", keytab=kdc.alice_keytab)
    no_config = tmp / "none.json"
    env = kernel_env(kdc, no_config, tmp, KRB5CCNAME=f"FILE:{cache}")
    result = analyze(env, double, app_id, "--json", "--kerberos")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["appId"] == app_id
    assert_no_secrets(result.stdout + result.stderr)


def test_analyze_cli_without_kerberos_says_how_to_turn_it_on(kdc, cluster):  # noqa: F811
    double, _, app_id, _, tmp = cluster
    path = tmp / "plain.json"
    path.write_text(json.dumps({"livy": {"url": double.url}}))
    result = analyze(kernel_env(kdc, path, tmp), double, app_id)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "wants Kerberos (SPNEGO)" in lines[0]
    assert '"type": "kerberos"' in lines[0] and "--kerberos" in lines[0]


def test_analyze_cli_kerberos_without_a_ticket_says_run_kinit(kdc, cluster):  # noqa: F811
    double, _, app_id, _, tmp = cluster
    result = analyze(kernel_env(kdc, tmp / "none.json", tmp), double, app_id, "--kerberos")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "no Kerberos ticket" in result.stderr and "run kinit" in result.stderr, result.stderr
    assert "--spark-api" not in result.stderr          # the address was fine; the ticket is what is missing


def test_analyze_magic_without_kerberos_says_how_to_turn_it_on(kdc, cluster):  # noqa: F811
    double, _, app_id, _, tmp = cluster
    path = tmp / "no-livy.json"
    path.write_text("{}")
    km, kc = start_kernel(kernel_env(kdc, path, tmp), tmp / "plain.log")
    try:
        reply, outputs = run_cell(kc, f"%%analyze -a {app_id} -u {double.url}/proxy/{app_id}/", timeout=90)
    finally:
        stop_kernel(km, kc)
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "SparkUiKerberos"
    message = reply["content"]["evalue"]
    assert "wants Kerberos (SPNEGO)" in message and '"type": "kerberos"' in message, message
    assert "\n" not in message


def analyze(env, double, app_id, *options):
    return subprocess.run(["java", "-jar", str(JAR), "analyze", "--app-id", app_id,
                           "--spark-api", f"{double.url}/proxy/{app_id}/", *options],
                          env=env, capture_output=True, text=True, timeout=120)
