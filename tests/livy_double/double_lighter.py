"""Lighter mode: the double answers as exacaster/lighter does, in front of the same sessions.

What differs from Apache Livy, from Lighter's source (exacaster/lighter, server/src/main/java/com/exacaster/lighter/):
  rest/SessionController.java, rest/BatchController.java  - the API lives under /lighter/api; sessions have no
      /connect, /completion, /upload-*, /add-*, /stop or /interrupt; /version does not exist
  application/sessions/SessionService.java                 - session ids are UUIDs (UUID.randomUUID)
  application/sessions/processors/python/PythonSessionIntegration.java - statement ids are UUIDs
  rest/magic/SessionList.java, application/ApplicationList.java - GET /sessions answers {"from","total","sessions"}
      only with the header X-Compatibility-Mode: sparkmagic, else {"from","total","applications"}; batches are always
      "applications"; "total" is the size of the page, not of the list
  application/Application.java                             - every session is kind "pyspark"
  application/sessions/Statement.java, processors/Output.java - a statement is id, code, state, output (no progress,
      started, completed); the output's traceback is one text
The state a cancelled statement ends in is spelled "canceled" (issue 16; Livy: "cancelled").
Inside, the Livy double keeps running the sessions with its numeric ids; this layer translates paths and answers.
"""

import json
import threading
import uuid

from double_http import Response

BASE = "/lighter/api"
_MISSING = ("connect", "completion", "upload-jar", "upload-pyfile", "upload-file", "add-jar", "add-pyfile",
            "add-file", "stop", "interrupt")
_STATE_SPELLING = {"cancelled": "canceled", "cancelling": "canceling"}


class LighterFacade:
    """Wraps a LivyApp: requests under /lighter/api with UUIDs in, Lighter's shapes out."""

    def __init__(self, app):
        self.app = app
        self._lock = threading.Lock()
        self._outer = {}    # ("session", 3) / ("batch", 1) / ("statement", 3, 0) -> uuid
        self._inner = {}    # uuid -> the key above

    def __getattr__(self, name):   # requests(), reset(), add_fault() ... of the wrapped app
        return getattr(self.app, name)

    def _uuid(self, *key):
        with self._lock:
            if key not in self._outer:
                value = str(uuid.uuid4())
                self._outer[key] = value
                self._inner[value] = key
            return self._outer[key]

    def public_id(self, kind, inner_id):
        """The UUID clients know the double's session or batch `inner_id` by."""
        return self._uuid(kind, inner_id)

    def inner_id(self, kind, public_id):
        """The double's own id of the session or batch clients know as `public_id` (None if it names none)."""
        key = self._key(public_id)
        return key[1] if key is not None and key[0] == kind else None

    def _key(self, value):
        with self._lock:
            return self._inner.get(value)

    def handle(self, request):
        if request.path.startswith("/_double/"):
            return self.app.handle(request)
        if not request.path.startswith(BASE + "/"):
            return Response(404, [("Content-Type", "application/json")], b'{"message":"Page Not Found"}')
        parts = request.path[len(BASE):].strip("/").split("/")
        if parts[0] not in ("sessions", "batches") or len(parts) >= 3 and parts[2] in _MISSING:
            return Response(404, [("Content-Type", "application/json")], b'{"message":"Page Not Found"}')
        inner_parts = list(parts)
        if len(parts) >= 2:
            key = self._key(parts[1])
            if key is None or key[0] != ("batch" if parts[0] == "batches" else "session"):
                return Response(404, [("Content-Type", "application/json")], b"")
            inner_parts[1] = str(key[1])
            if len(parts) >= 4 and parts[2] == "statements":
                statement = self._key(parts[3])
                if statement is None or statement[:2] != ("statement", key[1]):
                    return Response(404, [("Content-Type", "application/json")], b"")
                inner_parts[3] = str(statement[2])
        request.path = "/" + "/".join(inner_parts)
        if len(parts) >= 3 and parts[2] == "log":
            request.query = {"from": "0", "size": "1000000"}   # Lighter's getLog takes no from/size: all of it
        response = self.app.handle(request)
        if not isinstance(response, Response) or not response.body:
            return response
        try:
            body = json.loads(response.body)
        except ValueError:
            return response
        sparkmagic = (request.header("X-Compatibility-Mode") or "") == "sparkmagic"
        translated = self._translate(parts, body, sparkmagic)
        headers = [(k, v) for k, v in response.headers if k.lower() not in ("location", "content-length")]
        return Response(response.status, headers, json.dumps(translated).encode("utf-8"))

    # ------------------------------------------------------------------ answers
    def _translate(self, parts, body, sparkmagic):
        if not isinstance(body, dict):
            return body
        kind = "batch" if parts[0] == "batches" else "session"
        if len(parts) == 1 and ("sessions" in body):
            items = [self._application(kind, s) for s in body["sessions"]]
            key = "sessions" if kind == "session" and sparkmagic else "applications"
            return {"from": body.get("from", 0), "total": len(items), key: items}
        if len(parts) >= 3 and parts[2] == "log":
            # Lighter's Log is one text; only a session's log, asked for by sparkmagic, comes as lines.
            lines = body.get("log", [])
            return {"id": self._uuid(kind, body.get("id")),
                    "log": lines if sparkmagic and kind == "session" else "\n".join(lines)}
        if len(parts) >= 3 and parts[2] == "statements":
            session = int(self._key(parts[1])[1])
            if "statements" in body:
                return {"from": 0, "statements": [self._statement(session, s) for s in body["statements"]]}
            if "id" in body:
                return self._statement(session, body)
            return body
        if "id" in body:
            return self._application(kind, body)
        return body

    def _application(self, kind, item):
        out = dict(item)
        out["id"] = self._uuid(kind, item["id"])
        if kind == "session":
            out["kind"] = "pyspark"
        return out

    def _statement(self, session, item):
        output = item.get("output")
        if isinstance(output, dict):
            output = dict(output)
            output["executionCount"] = output.pop("execution_count", None)
            if isinstance(output.get("traceback"), list):
                output["traceback"] = "".join(output["traceback"])
        state = item.get("state")
        return {"id": self._uuid("statement", session, item["id"]), "code": item.get("code"),
                "state": _STATE_SPELLING.get(state, state), "output": output}
