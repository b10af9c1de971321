"""A WebHDFS test double: a NameNode and a DataNode on loopback, storing files in a local directory.

Follows the WebHDFS REST API (hadoop.apache.org/docs/stable/hadoop-project-dist/hadoop-hdfs/WebHDFS.html)
for what batch staging uses, with simple authentication (`user.name`):

- `PUT  /webhdfs/v1/PATH?op=MKDIRS[&permission=OCTAL]`  -> 200 {"boolean": true}
- `GET  /webhdfs/v1/PATH?op=GETFILESTATUS`               -> 200 {"FileStatus": {...}} or 404 RemoteException
- `PUT  /webhdfs/v1/PATH?op=CREATE[&overwrite=BOOL]`     -> 307, Location: the DataNode (no data is read here)
  then `PUT` of the bytes to that Location               -> 201, Location: hdfs://HOST:PORT/PATH
- `GET  /webhdfs/v1/PATH?op=OPEN`                        -> 307 to the DataNode, which answers the bytes

Errors are the API's RemoteException JSON with Hadoop's exception names and HTTP codes. Writes outside
`/user/<user.name>` and `/tmp` are refused with AccessControlException, as HDFS's permissions would.
HDFS path /a/b is stored at ROOT/a/b, so another double (the Livy double's batch runner) can read what
was staged. Use from Python (`WebHdfsDouble(root).start()`) or as a script (`webhdfs_double.py ROOT`).
"""

import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/webhdfs/v1"
NAMENODE_RPC = "localhost:8020"


def remote_exception(status, exception, java_class, message):
    return status, {"RemoteException": {"exception": exception, "javaClassName": java_class, "message": message}}


def not_found(path):
    return remote_exception(404, "FileNotFoundException", "java.io.FileNotFoundException",
                            f"File does not exist: {path}")


class WebHdfsDouble:
    def __init__(self, root, superuser="hdfs"):
        self.root = os.path.abspath(root)
        self.superuser = superuser
        self.lock = threading.Lock()
        self._requests = []
        self._servers = []
        os.makedirs(self.root, exist_ok=True)

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        self.namenode = self._serve(self._namenode)
        self.datanode = self._serve(self._datanode)
        return self

    def stop(self):
        for server in self._servers:
            server.shutdown()
            server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.namenode.server_address[1]}"

    def requests(self):
        """Every request so far: {"server", "method", "path", "query", "length"}."""
        with self.lock:
            return list(self._requests)

    def local(self, hdfs_path):
        """Where an HDFS path is stored."""
        return os.path.join(self.root, hdfs_path.lstrip("/"))

    def _serve(self, handle):
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _dispatch(self):
                parsed = urllib.parse.urlsplit(self.path)
                query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urllib.parse.unquote(parsed.path)
                with double.lock:
                    double._requests.append({"server": handle.__name__.lstrip("_"), "method": self.command,
                                             "path": path, "query": query, "length": len(body)})
                if not path.startswith(PREFIX + "/"):
                    status, payload, headers = 404, {"error": f"no such resource {path}"}, {}
                else:
                    status, payload, headers = handle(self.command, path[len(PREFIX):], query, body)
                self._answer(status, payload, headers)

            def _answer(self, status, payload, headers):
                data = payload if isinstance(payload, bytes) else (
                    b"" if payload is None else json.dumps(payload).encode())
                self.send_response(status)
                ctype = "application/octet-stream" if isinstance(payload, bytes) else "application/json"
                self.send_header("Content-Type", ctype)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = _dispatch

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True, name=f"webhdfs-{handle.__name__}").start()
        self._servers.append(server)
        return server

    # ------------------------------------------------------------------ the NameNode
    def _namenode(self, method, path, query, body):
        op = query.get("op", "").upper()
        user = query.get("user.name", "dr.who")
        handlers = {("PUT", "MKDIRS"): self._mkdirs, ("GET", "GETFILESTATUS"): self._status,
                    ("PUT", "CREATE"): self._create_redirect, ("GET", "OPEN"): self._open_redirect}
        handler = handlers.get((method, op))
        if handler is None:
            if not op:
                status, payload = remote_exception(400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
                                                   "Invalid value for webhdfs parameter \"op\": op is missing")
            else:
                status, payload = remote_exception(
                    400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
                    f"Invalid value for webhdfs parameter \"op\": No enum constant "
                    f"org.apache.hadoop.hdfs.web.resources.{'Put' if method == 'PUT' else 'Get'}OpParam.Op.{op}")
            return status, payload, {}
        return handler(path, query, user)

    def _may_write(self, path, user):
        return user == self.superuser or path == "/tmp" or path.startswith("/tmp/") or \
            path == f"/user/{user}" or path.startswith(f"/user/{user}/")

    def _denied(self, path, user):
        parent = "/user/" + path.split("/")[2] if path.startswith("/user/") and path.count("/") >= 2 else "/"
        owner = parent.rsplit("/", 1)[-1] or self.superuser
        return remote_exception(403, "AccessControlException", "org.apache.hadoop.security.AccessControlException",
                                f"Permission denied: user={user}, access=WRITE, inode=\"{parent}\":{owner}:"
                                f"supergroup:drwxr-xr-x") + ({},)

    def _mkdirs(self, path, query, user):
        if not self._may_write(path, user):
            return self._denied(path, user)
        local = self.local(path)
        if os.path.isfile(local):
            return remote_exception(403, "FileAlreadyExistsException",
                                    "org.apache.hadoop.fs.FileAlreadyExistsException",
                                    f"Path is not a directory: {path}") + ({},)
        os.makedirs(local, exist_ok=True)
        return 200, {"boolean": True}, {}

    def _status(self, path, query, user):
        local = self.local(path)
        if not os.path.exists(local):
            return not_found(path) + ({},)
        info = os.stat(local)
        is_dir = os.path.isdir(local)
        return 200, {"FileStatus": {
            "accessTime": 0 if is_dir else int(info.st_atime * 1000), "blockSize": 0 if is_dir else 134217728,
            "childrenNum": len(os.listdir(local)) if is_dir else 0, "fileId": info.st_ino, "group": "supergroup",
            "length": 0 if is_dir else info.st_size, "modificationTime": int(info.st_mtime * 1000),
            "owner": user, "pathSuffix": "", "permission": "700" if is_dir else "644",
            "replication": 0 if is_dir else 1, "storagePolicy": 0, "type": "DIRECTORY" if is_dir else "FILE"}}, {}

    def _datanode_location(self, path, query):
        forward = dict(query, namenoderpcaddress=NAMENODE_RPC)
        port = self.datanode.server_address[1]
        return (f"http://127.0.0.1:{port}{PREFIX}{urllib.parse.quote(path)}?"
                f"{urllib.parse.urlencode(forward)}")

    def _create_redirect(self, path, query, user):
        # The NameNode never takes the data: it names a DataNode (the two-step create of the API).
        if not self._may_write(path, user):
            return self._denied(path, user)
        if os.path.isdir(self.local(path)):
            return remote_exception(403, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException",
                                    f"{path} already exists as a directory") + ({},)
        return 307, None, {"Location": self._datanode_location(path, query)}

    def _open_redirect(self, path, query, user):
        if not os.path.isfile(self.local(path)):
            return not_found(path) + ({},)
        return 307, None, {"Location": self._datanode_location(path, query)}

    # ------------------------------------------------------------------ the DataNode
    def _datanode(self, method, path, query, body):
        op = query.get("op", "").upper()
        local = self.local(path)
        if "namenoderpcaddress" not in query:
            return remote_exception(400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
                                    "Invalid value for webhdfs parameter \"namenoderpcaddress\": null") + ({},)
        if method == "PUT" and op == "CREATE":
            overwrite = query.get("overwrite", "false").lower() == "true"
            if os.path.exists(local) and not overwrite:
                return remote_exception(403, "FileAlreadyExistsException",
                                        "org.apache.hadoop.fs.FileAlreadyExistsException",
                                        f"{path} for client 127.0.0.1 already exists") + ({},)
            os.makedirs(os.path.dirname(local), exist_ok=True)
            partial = f"{local}.{threading.get_ident()}.{time.monotonic_ns()}.partial"
            with open(partial, "wb") as handle:
                handle.write(body)
            os.replace(partial, local)
            return 201, None, {"Location": f"hdfs://{NAMENODE_RPC}{path}"}
        if method == "GET" and op == "OPEN":
            if not os.path.isfile(local):
                return not_found(path) + ({},)
            with open(local, "rb") as handle:
                return 200, handle.read(), {}
        return remote_exception(400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
                                f"Invalid operation {method} {op} on a DataNode") + ({},)


def main(argv):
    if len(argv) != 1:
        print("usage: webhdfs_double.py ROOT_DIR", file=sys.stderr)
        return 2
    double = WebHdfsDouble(argv[0]).start()
    print(double.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        double.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
