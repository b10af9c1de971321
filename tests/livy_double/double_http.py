"""HTTP transport of the double: a threaded HTTP/1.1 keep-alive server on 127.0.0.1.

It turns each request into a `Request`, asks the application for a `Response` (or to reset the
connection) and writes the answer in one piece. Every accepted socket gets TCP_NODELAY: without it
Nagle's algorithm and the client's delayed ACK add ~40 ms to answers, which ruins latency
benchmarks.
"""

import dataclasses
import email.utils
import http
import select
import socket
import struct
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

# Jetty's reason phrases where they differ from Python's.
_REASONS = {500: "Server Error"}


@dataclasses.dataclass
class Request:
    method: str
    path: str
    query: dict          # name -> last value
    headers: dict        # as received; repeated headers joined with ", "
    body: bytes
    user: Optional[str] = None   # set by the application once authenticated
    response_headers: list = dataclasses.field(default_factory=list)   # the auth filter's, for any answer
    client_body: Optional[bytes] = None   # what the client sent, where a facade (Lighter's) rewrote `body`

    def header(self, name, default=None):
        name = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == name), default)


@dataclasses.dataclass
class Response:
    status: int
    headers: List[Tuple[str, str]]
    body: bytes = b""


class ResetConnection:
    """Answer by closing the connection with a TCP reset, after `response` was produced or not."""

    def __init__(self, response=None):
        self.response = response


class HangUntilClientGoes:
    """Never answer: keep the connection open until the client closes it or the server stops."""


class LivyHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port, app, verbose=False):
        self.app = app
        self.verbose = verbose
        self.stopping = False
        super().__init__(("127.0.0.1", port), _Handler)

    def shutdown(self):
        self.stopping = True   # ends hung answers too
        super().shutdown()

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self):
        target = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(target.query, keep_blank_values=True).items()}
        headers = {}
        for name, value in self.headers.items():
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        try:
            request = Request(self.command, target.path, query, headers, self._read_body())
            result = self.server.app.handle(request)
        except Exception as error:   # a bug in the double: say so instead of hanging the client
            traceback.print_exc()
            result = Response(500, [("Content-Type", "text/plain;charset=utf-8")],
                              f"livy double internal error: {error!r}".encode())
        if isinstance(result, ResetConnection):
            self._reset()
        elif isinstance(result, HangUntilClientGoes):
            self._hang()
        else:
            self._write(result)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _handle

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _write(self, response):
        reason = _REASONS.get(response.status) or http.HTTPStatus(response.status).phrase
        lines = [f"HTTP/1.1 {response.status} {reason}",
                 f"Date: {email.utils.formatdate(usegmt=True)}"]
        lines += [f"{name}: {value}" for name, value in response.headers]
        if response.status != 204:   # HTTP forbids Content-Length on 204
            lines.append(f"Content-Length: {len(response.body)}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + response.body)
        self.log_request(response.status, len(response.body))

    def _reset(self):
        """Close with SO_LINGER 0, so the client gets a connection reset instead of an answer."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.rfile.close()          # the socket's file descriptor stays open while rfile does
        self.connection.close()
        self.log_request("reset")

    def _hang(self):
        """Wait, answering nothing, until the client closes the connection (EOF or reset)."""
        self.close_connection = True
        while not self.server.stopping:
            readable, _, _ = select.select([self.connection], [], [], 0.2)
            if readable:
                try:
                    if not self.connection.recv(65536, socket.MSG_PEEK):
                        break
                    self.connection.recv(65536)   # a pipelined request: ignored, still no answer
                except OSError:
                    break
        self.log_request("hung")

    def log_message(self, format, *args):
        if self.server.verbose:
            sys.stderr.write(f"livy-double {self.address_string()} {format % args}\n")
