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
Batches (rest/BatchController.java, rest/BatchParams.java, application/SubmitParams.java, application/Application.java,
application/ApplicationState.java, application/batch/BatchService.java, backend/kubernetes/KubernetesBackend.java):
  a POST takes BatchParams: name, file, master, mainClass (Livy: className), numExecutors, executorCores,
      executorMemory, driverCores, driverMemory, args, pyFiles, files, jars, archives, conf and priority; no
      proxyUser, queue or env (Micronaut's Jackson ignores unknown fields); it answers 200 with the batch
      `not_started` (BatchService.create), to be launched later
  a batch is an Application: id (a UUID), type, state, appId, appInfo (a text, null here), kind, log (always []),
      submitParams (the name lives there, with SubmitParams' defaults filled in), createdAt, contactedAt; there is
      no top-level name, owner or proxyUser
  its states are not_started, starting, busy while the driver pod runs (KubernetesBackend.mapStatus), then success,
      dead or error; DELETE kills and forgets it (BatchService.deleteOne), so it is then 404 as on Livy
  GET .../state answers the whole Application; GET .../log is {"id", "log": one text}, the driver's log, and 404
      while there is no driver to read it from (LogService.fetchLive finds none)
Inside, the Livy double keeps running the sessions with its numeric ids; this layer translates paths and answers.
"""

import json
import threading
import time
import uuid

from double_http import Response

BASE = "/lighter/api"
_MISSING = ("connect", "completion", "upload-jar", "upload-pyfile", "upload-file", "add-jar", "add-pyfile",
            "add-file", "stop", "interrupt")
_STATE_SPELLING = {"cancelled": "canceled", "cancelling": "canceling"}
_BATCH_STATES = {"running": "busy"}
# rest/BatchParams.java with application/SubmitParams.java: the fields of a POST /batches, Livy's name for each.
_BATCH_PARAMS = {"name": "name", "file": "file", "mainClass": "className", "numExecutors": "numExecutors",
                 "executorCores": "executorCores", "executorMemory": "executorMemory", "driverCores": "driverCores",
                 "driverMemory": "driverMemory", "args": "args", "pyFiles": "pyFiles", "files": "files",
                 "jars": "jars", "archives": "archives", "conf": "conf"}


def _not_found(path):
    """Lighter's 404 for an id it does not know (or a log it cannot read yet): the controller's empty Optional,
    answered by rest/exceptions/ApiErrorResponseProcessor as an ErrorResponse."""
    body = {"message": "Not Found", "path": path, "errors": [{"message": "Page Not Found"}]}
    return Response(404, [("Content-Type", "application/json")], json.dumps(body).encode("utf-8"))


def _driver_output(lines):
    """The driver's own output in a Livy log: its stdout section, without Livy's section headers."""
    if not lines or lines[0] != "stdout: ":
        return lines
    end = lines.index("\nstderr: ") if "\nstderr: " in lines else len(lines)
    return lines[1:end]


class LighterFacade:
    """Wraps a LivyApp: requests under /lighter/api with UUIDs in, Lighter's shapes out."""

    def __init__(self, app):
        self.app = app
        self._lock = threading.Lock()
        self._outer = {}    # ("session", 3) / ("batch", 1) / ("statement", 3, 0) -> uuid
        self._inner = {}    # uuid -> the key above
        self._created = {}  # uuid -> when Lighter stored the application

    def __getattr__(self, name):   # requests(), reset(), add_fault() ... of the wrapped app
        return getattr(self.app, name)

    def _uuid(self, *key):
        with self._lock:
            if key not in self._outer:
                value = str(uuid.uuid4())
                self._outer[key] = value
                self._inner[value] = key
                self._created[value] = time.strftime("%Y-%m-%dT%H:%M:%S")
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
            return _not_found(request.path)
        parts = request.path[len(BASE):].strip("/").split("/")
        if parts[0] not in ("sessions", "batches") or len(parts) >= 3 and parts[2] in _MISSING:
            return _not_found(request.path)
        inner_parts = list(parts)
        if len(parts) >= 2:
            key = self._key(parts[1])
            if key is None or key[0] != ("batch" if parts[0] == "batches" else "session"):
                return _not_found(BASE + "/" + "/".join(parts))
            inner_parts[1] = str(key[1])
            if len(parts) >= 4 and parts[2] == "statements":
                statement = self._key(parts[3])
                if statement is None or statement[:2] != ("statement", key[1]):
                    return _not_found(BASE + "/" + "/".join(parts))
                inner_parts[3] = str(statement[2])
        request.path = "/" + "/".join(inner_parts)
        if len(parts) >= 3 and parts[2] == "log":
            request.query = {"from": "0", "size": "1000000"}   # Lighter's getLog takes no from/size: all of it
            batch = self._batch(key[1]) if parts[0] == "batches" else None
            if batch is not None and batch.state == "starting":
                return _not_found(BASE + "/" + "/".join(parts))   # no driver to read a log from
        if parts == ["batches"] and request.method == "POST":
            request.client_body = request.body
            request.body = self._livy_batch_request(request.body)
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
        status = response.status
        if parts == ["batches"] and request.method == "POST" and status == 201:
            status, translated = 200, dict(translated, state="not_started")   # created, launched later
        return Response(status, headers, json.dumps(translated).encode("utf-8"))

    def _batch(self, inner_id):
        return self.app.state.batches.get(int(inner_id))

    @staticmethod
    def _livy_batch_request(body):
        """Lighter's BatchParams as the Livy double takes them: known fields only, mainClass as className."""
        try:
            sent = json.loads(body)
        except ValueError:
            return body
        if not isinstance(sent, dict):
            return body
        return json.dumps({livy: sent[lighter] for lighter, livy in _BATCH_PARAMS.items()
                           if sent.get(lighter) is not None}).encode("utf-8")

    # ------------------------------------------------------------------ answers
    def _translate(self, parts, body, sparkmagic):
        if not isinstance(body, dict):
            return body
        kind = "batch" if parts[0] == "batches" else "session"
        if len(parts) == 1 and ("sessions" in body):
            items = [self._application(kind, s) for s in body["sessions"]]
            key = "sessions" if kind == "session" and sparkmagic else "applications"
            return {"from": body.get("from", 0), "total": len(items), key: items}
        if kind == "batch" and len(parts) == 3 and parts[2] == "state":   # Lighter: the whole Application
            return self._application(kind, self._batch(body["id"]).to_json())
        if len(parts) >= 3 and parts[2] == "log":
            # Lighter's Log is one text; only a session's log, asked for by sparkmagic, comes as lines.
            lines = body.get("log", [])
            if kind == "batch":   # the driver pod's log (KubernetesBackend.getLogs): its lines, each ended by \n
                return {"id": self._uuid(kind, body.get("id")), "log": "".join(line + "\n" for line in
                                                                              _driver_output(lines))}
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
        if kind == "batch":
            return self._batch_application(item)
        out = dict(item)
        out["id"] = self._uuid(kind, item["id"])
        out["kind"] = "pyspark"
        return out

    def _batch_application(self, item):
        public = self._uuid("batch", item["id"])
        batch = self._batch(item["id"])
        request = batch.request if batch is not None else {"name": item.get("name")}
        params = {lighter: request.get(livy) for lighter, livy in _BATCH_PARAMS.items()}
        params.update(master=None, **{k: params[k] or default for k, default in (
            ("numExecutors", 1), ("executorCores", 1), ("executorMemory", "1000M"), ("driverCores", 1),
            ("driverMemory", "1000M"), ("args", []), ("pyFiles", []), ("files", []), ("jars", []),
            ("archives", []), ("conf", {}))})
        return {"id": public, "type": "BATCH", "state": _BATCH_STATES.get(item["state"], item["state"]),
                "appId": item.get("appId"), "appInfo": None, "kind": "pyspark", "log": [], "submitParams": params,
                "createdAt": self._created[public], "contactedAt": time.strftime("%Y-%m-%dT%H:%M:%S")}

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
