"""Bearer token authentication (livy.auth.type = "bearer") through the real kernel process: the token comes
from a file that a sidecar rewrites, the kernel picks up each new token without a restart (by noticing the
file changed, or after Livy's 401), and no token ever reaches the kernel's log or a cell's output."""
import json
import os

from kernel_tools import run_cell, stdout_of
from livy_fixtures import start_double, start_kernel, stop_kernel

# Quotes, @ and % are legal in a header value and must survive the trip; the 2nd and 3rd have the same length.
FIRST = 'fabric"tok@1%aa'
SECOND = 'fabric"tok@2%bbbb'
THIRD = 'fabric"tok@3%cccc'


def everything_shown(outputs):
    return json.dumps([m["content"] for m in outputs])


def test_a_rewritten_token_file_is_picked_up_and_no_token_is_logged(tmp_path):
    double = start_double(bearer_token=FIRST)
    token_file = tmp_path / "livy-token"
    token_file.write_text(FIRST + "\n")
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"livy": {"url": double.url, "auth": {"type": "bearer", "tokenFile": str(token_file)},
                                           "session": {"heartbeatTimeoutSeconds": 4, "heartbeatIntervalSeconds": 1}}}))
    log = tmp_path / "kernel.log"
    km, kc = start_kernel(config, extra_env={"LIVY_KERNEL_LOG_LEVEL": "DEBUG"}, log_path=log)
    shown = []
    try:
        reply, outputs = run_cell(kc, "print(6 * 7)", timeout=90)
        shown.append(everything_shown(outputs))
        assert reply["content"]["status"] == "ok" and stdout_of(outputs).strip() == "42", outputs

        # The sidecar writes a new token, and then the endpoint stops accepting the old one.
        double.require_bearer_token(FIRST, SECOND)
        token_file.write_text(SECOND + "\n")
        double.require_bearer_token(SECOND)
        reply, outputs = run_cell(kc, "print(7 * 8)", timeout=90)
        shown.append(everything_shown(outputs))
        assert reply["content"]["status"] == "ok" and stdout_of(outputs).strip() == "56", outputs

        # A rewrite the file's size and mtime do not show: Livy's 401 makes the kernel read the file again.
        double.require_bearer_token(SECOND, THIRD)
        stat = token_file.stat()
        token_file.write_text(THIRD + "\n")
        os.utime(token_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        double.reset()
        double.require_bearer_token(THIRD)
        reply, outputs = run_cell(kc, "print(8 * 9)", timeout=90)
        shown.append(everything_shown(outputs))
        assert reply["content"]["status"] == "ok" and stdout_of(outputs).strip() == "72", outputs
        assert 401 in [r["status"] for r in double.requests()]
        statements = [r for r in double.requests() if r["method"] == "POST" and r["path"].endswith("/statements")]
        assert [r["status"] for r in statements] in ([201], [401, 201]), "the cell ran once"
        assert km.is_alive()
    finally:
        stop_kernel(km, kc)
        double.stop()
    text = log.read_text() + "".join(shown)
    assert "read the bearer token from the file" in text, "the log was captured at DEBUG"
    for secret in (FIRST, SECOND, THIRD, "tok@"):
        assert secret not in text
