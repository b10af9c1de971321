"""A configuration the kernel cannot use: the kernel still starts, answers kernel_info, and every cell
(and the log) names what to fix, by its key.

Run through Debian's jupyter_client; no Livy server is needed, since nothing may be contacted.
"""
import json

from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_NAME
from kernel_tools import run_cell, shell_reply


def start_with(config_text, tmp_path, monkeypatch):
    config = tmp_path / "config.json"
    config.write_text(config_text)
    monkeypatch.setenv("LIVY_KERNEL_CONFIG", str(config))
    monkeypatch.delenv("LIVY_URL", raising=False)
    log = open(tmp_path / "kernel.log", "w")
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60, stderr=log)
    return km, kc, log


def assert_every_cell_explains(kc, *needles):
    assert shell_reply(kc, kc.kernel_info())["content"]["status"] == "ok"
    for code in ("1 + 1", "print('again')"):
        reply, _ = run_cell(kc, code)
        content = reply["content"]
        assert content["status"] == "error" and content["ename"] == "ConfigurationError", content
        for needle in needles:
            assert needle in content["evalue"], content["evalue"]


def test_a_typo_and_a_wrong_type_are_named_in_every_cell_and_the_log(tmp_path, monkeypatch):
    km, kc, log = start_with(json.dumps({"livy": {"url": "http://127.0.0.1:9", "sesion": {"startupTimeoutSeconds": 60},
                                                  "requestTimeoutSeconds": "abc"}}), tmp_path, monkeypatch)
    try:
        assert_every_cell_explains(kc, "livy.sesion is not a setting; did you mean livy.session?",
                                   'livy.requestTimeoutSeconds must be a whole number of seconds from 1 to 3600,'
                                   ' got "abc"')
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        log.close()
    assert "did you mean livy.session?" in (tmp_path / "kernel.log").read_text()


def test_a_missing_trust_store_is_a_configuration_error_not_a_dead_kernel(tmp_path, monkeypatch):
    store = tmp_path / "missing.p12"
    km, kc, log = start_with(json.dumps({"livy": {"url": "https://127.0.0.1:9", "tls": {
        "trustStore": str(store), "trustStorePassword": "s3cret-store-pw"}}}), tmp_path, monkeypatch)
    try:
        assert_every_cell_explains(kc, f"livy.tls.trustStore {store} does not exist")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        log.close()
    text = (tmp_path / "kernel.log").read_text()
    assert "livy.tls.trustStore" in text and "s3cret-store-pw" not in text
