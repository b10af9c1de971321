"""The Spark UI behind YARN's proxy, as the double serves it: `GET /proxy/{appId}/api/v1/...`
answered from REST answers captured from a real Spark application (tests/spark-jobs writes them to
target/spark-fixtures/<scenario>/, the paths mirroring the URLs, a query kept after `@`).

Every session's application shows the same captured scenario, its application id rewritten to the
session's, so a session's appInfo.sparkUiUrl leads to metrics the analyser can read. Like YARN's
proxy, it answers only for applications the cluster knows (the double's sessions). On a Kerberized
cluster (`kerberos_keytab`) the proxy is behind its own SPNEGO filter (hadoop.http.authentication.type =
kerberos), with its own cookie secret: Livy's hadoop.auth cookie does not open it.
"""

import json
import os
import re
import threading

from double_http import Response
from double_spnego import AuthRefused

_PROXY = re.compile(r"^/proxy/(?P<app>[^/]+)(?P<rest>/.*)?$")
# A held request is answered at the latest this long after it arrived, so no test leaves a thread waiting.
HOLD_LIMIT_SECONDS = 120


class SparkUi:
    def __init__(self, fixture_dir, known_apps, spnego=None):
        """`fixture_dir`: one captured scenario (with scenario.json); `known_apps()`: the app ids;
        `spnego`: a SpnegoFilter in front of the proxy, or None."""
        manifest = os.path.join(fixture_dir, "scenario.json")
        if not os.path.isfile(manifest):
            raise ValueError(f"spark_ui: {fixture_dir} is not a captured scenario (no scenario.json);"
                             " run `mvn -B verify` to capture them")
        with open(manifest, encoding="utf-8") as handle:
            self.captured_app = json.load(handle)["appId"]
        self.root = os.path.realpath(fixture_dir)
        self._known_apps = known_apps
        self._spnego = spnego
        self._held = None
        self._released = threading.Event()

    @staticmethod
    def handles(path):
        return _PROXY.match(path) is not None

    def hold(self, path_pattern):
        """Requests whose path matches `path_pattern` (a regular expression, searched) wait until
        release(): a UI that is slow for some requests, for as long as a test needs."""
        self._released.clear()
        self._held = re.compile(path_pattern)

    def release(self):
        self._held = None
        self._released.set()

    def answer(self, request):
        held = self._held
        if held is not None and held.search(request.path):
            self._released.wait(HOLD_LIMIT_SECONDS)
        if self._spnego is None:
            return self._answer(request)
        try:
            _, headers = self._spnego.authenticate(request)
        except AuthRefused as refused:
            response = _text(refused.status, f"Error {refused.status} {refused.message}")
            response.headers.extend(refused.headers)
            return response
        response = self._answer(request)
        response.headers.extend(headers)
        return response

    def _answer(self, request):
        match = _PROXY.match(request.path)
        app, rest = match["app"], match["rest"] or "/"
        if app not in self._known_apps():
            return _text(404, f"Application {app} could not be found in the RM or history server")
        if not rest.startswith("/api/v1/"):
            return _text(200, "<html><body>Spark Jobs (the double serves only the REST API)</body></html>",
                         "text/html;charset=utf-8")
        resource = rest[len("/api/v1/"):].rstrip("/")
        # The UI of a live driver only knows its own application.
        if resource.startswith("applications/") and not resource.startswith(f"applications/{app}"):
            return _text(404, f"no such app: {resource.split('/')[1]}")
        captured = resource.replace(f"applications/{app}", f"applications/{self.captured_app}", 1)
        query = "&".join(f"{key}={value}" for key, value in request.query.items())
        name = captured + ("@" + query if query else "") + ".json"
        path = os.path.realpath(os.path.join(self.root, "api", "v1", name))
        if not path.startswith(self.root + os.sep) or not os.path.isfile(path):
            return _text(404, f"unknown resource: {resource}")
        with open(path, encoding="utf-8") as handle:
            body = handle.read().replace(self.captured_app, app)
        return Response(200, [("Content-Type", "application/json")], body.encode("utf-8"))


def _text(status, text, content_type="text/plain;charset=utf-8"):
    return Response(status, [("Content-Type", content_type)], text.encode("utf-8"))
