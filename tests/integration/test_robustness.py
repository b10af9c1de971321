"""Thousands of random, truncated, wrongly signed and replayed multipart messages on shell and control:
the kernel must stay up, act on none of them, and still answer a valid request afterwards."""
import hashlib
import hmac
import json
import random
import time
import uuid

import zmq

from kernel_tools import alive, kernel_pid, run_cell, shell_reply, stdout_of

MESSAGES = 4000


def frames_for(key, msg_type, content, signature=None):
    header = {"msg_id": uuid.uuid4().hex, "session": "fuzz", "username": "fuzz", "date": "2026-01-01T00:00:00Z",
              "msg_type": msg_type, "version": "5.4"}
    parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
    if signature is None:
        mac = hmac.new(key, digestmod=hashlib.sha256)
        for p in parts:
            mac.update(p)
        signature = mac.hexdigest().encode()
    return [b"<IDS|MSG>", signature] + parts


def fuzz_frames(rng, key):
    kind = rng.randrange(6)
    if kind == 0:  # random bytes, random frame count
        return [rng.randbytes(rng.randrange(0, 64)) for _ in range(rng.randrange(1, 8))]
    if kind == 1:  # a valid message cut short
        frames = frames_for(key, "execute_request", {"code": "crash = 1"})
        return frames[:rng.randrange(1, len(frames))]
    if kind == 2:  # wrong signature on a dangerous request
        return frames_for(key, "execute_request", {"code": "pwned = 1"}, signature=b"0" * 64)
    if kind == 3:  # missing signature
        return frames_for(key, "shutdown_request", {"restart": False}, signature=b"")
    if kind == 4:  # signed, but the content is not JSON
        frames = frames_for(key, "kernel_info_request", {})
        frames[-1] = b"{not json"
        mac = hmac.new(key, digestmod=hashlib.sha256)
        for p in frames[2:]:
            mac.update(p)
        frames[1] = mac.hexdigest().encode()
        return frames
    return [b"<IDS|MSG>", rng.randbytes(64)] + [rng.randbytes(rng.randrange(0, 40)) for _ in range(4)]


def test_garbage_never_crashes_or_acts(kernel):
    km, kc = kernel
    run_cell(kc, "pwned = 0; crash = 0")
    info = km.get_connection_info()
    key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
    ctx = zmq.Context()
    sockets = []
    try:
        for port in (info["shell_port"], info["control_port"]):
            s = ctx.socket(zmq.DEALER)
            s.linger = 0
            s.connect(f"tcp://{info['ip']}:{port}")
            sockets.append(s)
        rng = random.Random(20261123)
        for i in range(MESSAGES):
            sockets[i % 2].send_multipart(fuzz_frames(rng, key))
        # A replay of a valid, signed shutdown_request must be refused the second time.
        replayed = frames_for(key, "kernel_info_request", {})
        sockets[1].send_multipart(replayed)
        sockets[1].send_multipart(replayed)
        time.sleep(1.0)
        assert alive(kernel_pid(km))
        assert shell_reply(kc, kc.kernel_info(), timeout=10)["content"]["status"] == "ok"
        _, outputs = run_cell(kc, "print(pwned, crash)")
        assert stdout_of(outputs) == "0 0\n"
        # The genuine kernel_info got one reply, its replay none; signed requests whose content is not JSON
        # got error replies, and nothing else was answered.
        replayed_id = json.loads(replayed[2])["msg_id"]
        answers = {"replayed": 0, "errors": 0, "other": 0}
        while sockets[1].poll(300):
            msg = sockets[1].recv_multipart()
            delimiter = msg.index(b"<IDS|MSG>")
            parent, content = json.loads(msg[delimiter + 3]), json.loads(msg[delimiter + 5])
            if parent.get("msg_id") == replayed_id:
                answers["replayed"] += 1
            elif content.get("status") == "error" and content.get("ename") == "BadRequest":
                answers["errors"] += 1
            else:
                answers["other"] += 1
        assert answers["replayed"] == 1 and answers["other"] == 0 and answers["errors"] > 0
    finally:
        for s in sockets:
            s.close()
        ctx.term()
