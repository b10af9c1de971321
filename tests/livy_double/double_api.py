"""Livy's REST API on top of the double's state, plus the double's own control API (/_double/).

Each request goes through the same pipeline as in Livy's Jetty server: record it (for tests), apply
a matching fault rule, basic auth, the CSRF filter, then the route. Bodies are validated the way
Livy's Jackson mapper does it, so malformed or mistyped requests get Livy's status codes and texts:
parse errors and unknown fields are 400, values of the wrong type inside Option[Int], List[String]
and Map[String,String] fields are a 500 ClassCastException (Scala erases those generics).
"""

import base64
import email
import email.policy
import hmac
import itertools
import json
import os
import re
import threading
import time

import double_texts as texts
from double_batches import local_path
from double_faults import FaultInjector, hostile_body
from double_http import HangUntilClientGoes, ResetConnection, Response
from double_sessions import KINDS, log_page
from double_spark_ui import SparkUi
from double_spnego import AuthRefused, SpnegoFilter, impersonation_refused
from double_texts import LivyError

# --------------------------------------------------------------------- request bodies (Jackson)

INTERACTIVE_REQUEST = ("org.apache.livy.server.interactive.CreateInteractiveRequest", {
    "kind": "kind", "proxyUser": "opt_str", "jars": "list", "pyFiles": "list", "files": "list",
    "driverMemory": "opt_str", "driverCores": "opt_int", "executorMemory": "opt_str",
    "executorCores": "opt_int", "numExecutors": "opt_int", "archives": "list", "queue": "opt_str",
    "name": "opt_str", "conf": "map", "heartbeatTimeoutInSecond": "int", "ttl": "opt_str",
    "idleTimeout": "opt_str"})
BATCH_REQUEST = ("org.apache.livy.server.batch.CreateBatchRequest", {
    "file": "str", "proxyUser": "opt_str", "args": "list", "className": "opt_str", "jars": "list",
    "pyFiles": "list", "files": "list", "driverMemory": "opt_str", "driverCores": "opt_int",
    "executorMemory": "opt_str", "executorCores": "opt_int", "numExecutors": "opt_int",
    "archives": "list", "queue": "opt_str", "name": "opt_str", "conf": "map", "env": "map"})
EXECUTE_REQUEST = ("org.apache.livy.ExecuteRequest", {"code": "str", "kind": "str"})
COMPLETION_REQUEST = ("org.apache.livy.CompletionRequest",
                      {"code": "str", "kind": "str", "cursor": "int"})
ADD_RESOURCE = ("org.apache.livy.client.common.HttpMessages$AddResource", {"uri": "str"})

# Values of fields missing from the body.
_DEFAULTS = {"kind": lambda: "shared", "opt_str": lambda: None, "opt_int": lambda: None,
             "str": lambda: None, "int": lambda: 0, "list": list, "map": dict}
_LIST_TYPE = "scala.collection.immutable.List<java.lang.String>"
_MAP_TYPE = "scala.collection.immutable.Map<java.lang.String,java.lang.String>"


def _json_kind(value):
    """(Jackson's name of the value, its token) for error messages."""
    if isinstance(value, bool):
        return "Boolean", "VALUE_TRUE" if value else "VALUE_FALSE"
    if isinstance(value, int):
        return "Integer", "VALUE_NUMBER_INT"
    if isinstance(value, float):
        return "Floating-point", "VALUE_NUMBER_FLOAT"
    if isinstance(value, str):
        return "String", "VALUE_STRING"
    if isinstance(value, list):
        return "Array", "START_ARRAY"
    return "Object", "START_OBJECT"


def _java_class(value):
    """The class Jackson's untyped deserializer gives a JSON value."""
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        return "java.lang.Integer" if -2 ** 31 <= value < 2 ** 31 else "java.lang.Long"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    return "java.util.ArrayList" if isinstance(value, list) else "java.util.LinkedHashMap"


def _location(text, offset):
    line = text.count("\n", 0, offset) + 1
    return texts.JACKSON_SOURCE.format(line=line, column=offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _parse_error(text, error):
    """Jackson's message for text that is not JSON (samples 110, 126)."""
    stack, in_string, escaped, last = [], False, False, ""
    for offset, char in enumerate(text[:error.pos + 1]):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string, last = False, char
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            stack.append((char, offset))
        elif char in "}]" and stack:
            stack.pop()
        if not char.isspace():
            last = char
    if error.pos >= len(text.rstrip()):
        where = _location(text, len(text))
        if in_string:
            return f"Unexpected end-of-input: was expecting closing quote for a string value\n at {where}"
        if not stack:
            return f"No content to map due to end-of-input\n at {where}"
        container = "Object" if stack[-1][0] == "{" else "Array"
        if last in "{[,:":
            return f"Unexpected end-of-input within/between {container} entries\n at {where}"
        start = _location(text, stack[-1][1])
        return (f"Unexpected end-of-input: expected close marker for {container} "
                f"(start marker at {start})\n at {where}")
    char = text[error.pos]
    token = re.match(r"[A-Za-z_][\w.]*", text[error.pos:])
    if token and error.msg == "Expecting value":
        return (f"Unrecognized token '{token.group()}': was expecting (JSON String, Number, Array, "
                f"Object or token 'null', 'true' or 'false')\n at "
                f"{_location(text, error.pos + len(token.group()))}")
    expected = {
        "Expecting property name enclosed in double quotes": "was expecting double-quote to start field name",
        "Expecting ':' delimiter": "was expecting a colon to separate field name and value",
        "Expecting ',' delimiter": "was expecting comma to separate "
                                   f"{'Object' if stack and stack[-1][0] == '{' else 'Array'} entries",
    }.get(error.msg, "expected a valid value (JSON String, Number, Array, Object or token 'null', "
                     "'true' or 'false')")
    return (f"Unexpected character ('{char}' (code {ord(char)})): {expected}\n at "
            f"{_location(text, error.pos + 1)}")


def _field_offset(text, field):
    match = re.search(r'"' + re.escape(field) + r'"\s*:\s*', text)
    return match.end() if match else 0


def parse_body(raw, spec):
    """Deserialize a request body like Jackson; returns (values with defaults, parsed JSON)."""
    class_name, fields = spec
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        raise LivyError(400, texts.JACKSON_EMPTY_BODY)
    try:
        # Like Jackson, whatever follows the first JSON value is ignored.
        body, _ = json.JSONDecoder().raw_decode(text.lstrip())
    except json.JSONDecodeError as error:
        offset = len(text) - len(text.lstrip())
        error.pos += offset
        raise LivyError(400, _parse_error(text, error)) from None
    if body is None:
        raise LivyError(500, "java.lang.NullPointerException")
    if not isinstance(body, dict):
        name, token = _json_kind(body)
        raise LivyError(400, f"Cannot deserialize value of type `{class_name}` from {name} value "
                             f"(token `JsonToken.{token}`)\n at {_location(text, 1)}")
    values = {field: _field_value(class_name, field, kind, body[field], text) if field in body
              else _DEFAULTS[kind]() for field, kind in fields.items()}
    for field in body:
        if field not in fields:
            known = ", ".join(f'"{name}"' for name in fields)
            raise LivyError(400, (
                f'Unrecognized field "{field}" (class {class_name}), not marked as ignorable '
                f"({len(fields)} known properties: {known}])\n at "
                f"{_location(text, _field_offset(text, field))} (through reference chain: "
                f'{class_name}["{field}"])'))
    return values, body


def _field_value(class_name, field, kind, value, text):
    chain = f'(through reference chain: {class_name}["{field}"])'

    def mismatch(target, detail=None):
        name, token = _json_kind(value)
        message = detail or f"Cannot deserialize value of type `{target}` from {name} value " \
                            f"(token `JsonToken.{token}`)"
        return LivyError(400, f"{message}\n at {_location(text, _field_offset(text, field))} {chain}")

    if kind == "kind":
        if value is None:
            return None
        key = value if isinstance(value, str) else \
            (json.dumps(value) if isinstance(value, (int, float, bool)) else "null")
        if key not in KINDS:
            raise LivyError(400, f"Invalid kind: {key} {chain}")
        return KINDS[key]
    if value is None:
        return _DEFAULTS[kind]()
    if kind == "str":
        if isinstance(value, (list, dict)):
            raise mismatch("java.lang.String")
        return value if isinstance(value, str) else json.dumps(value)
    if kind == "int":
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            raise mismatch("int")
        if isinstance(value, str):
            if not re.fullmatch(r"\s*-?\d+\s*", value):
                raise mismatch("int", f'Cannot deserialize value of type `int` from String "{value}": '
                                      "not a valid `int` value")
            return int(value)
        return int(value)
    if kind == "list" and not isinstance(value, list):
        raise mismatch(_LIST_TYPE)
    if kind == "map" and not isinstance(value, dict):
        raise mismatch(_MAP_TYPE)
    return value   # opt_str / opt_int / list / map: checked later, like Livy's erased generics


def check_class_casts(values, spec):
    """The ClassCastException Livy throws when it first uses an erased Option/List/Map value."""
    for field, kind in spec[1].items():
        value = values[field]
        if kind == "opt_int" and value is not None and \
                (isinstance(value, bool) or not isinstance(value, int) or not -2 ** 31 <= value < 2 ** 31):
            raise LivyError(500, texts.class_cast(_java_class(value), "java.lang.Integer"))
        items = {"opt_str": [value] if value is not None else [],
                 "list": value if kind == "list" else [],
                 "map": list(value.values()) if kind == "map" else []}.get(kind, [])
        for item in items:
            if not isinstance(item, str):
                raise LivyError(500, texts.class_cast(_java_class(item), "java.lang.String"))


_TIME_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_time(text):
    """Seconds in a Livy time string ("10m", "1h", "500ms"; plain numbers are ms)."""
    match = re.fullmatch(r"\s*(-?\d+)\s*([a-z]+)?\s*", text.lower())
    if not match or (match.group(2) and match.group(2) not in _TIME_UNITS):
        raise texts.rejected(f"Invalid time string: {text}")
    return int(match.group(1)) * _TIME_UNITS[match.group(2) or "ms"]


def _int_param(query, name, default):
    value = query.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise texts.number_format(value) from None


def _multipart_files(request):
    """{field name: (file name, data)} of a multipart/form-data body."""
    content_type = request.header("Content-Type", "")
    if "multipart/form-data" not in content_type:
        return {}
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1") + request.body,
        policy=email.policy.HTTP)
    files = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        files[name] = (part.get_filename() or name, part.get_payload(decode=True) or b"")
    return files


# -------------------------------------------------------------------------------- the app

class _Answer(Exception):
    """A filter's final answer (auth, CSRF)."""

    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


class LivyApp:
    def __init__(self, state):
        self.state = state
        self.options = state.options
        self.faults = FaultInjector()
        self.spnego = SpnegoFilter(state.options.kerberos_keytab, state.options.kerberos_cookie_validity) \
            if state.options.kerberos_keytab else None
        # YARN's proxy has its own SPNEGO filter (own secret) when the cluster is Kerberized
        self.spark_ui = SparkUi(state.options.spark_ui, lambda: {
            s.app_id for s in list(state.sessions.values())}, spnego=SpnegoFilter(
                state.options.kerberos_keytab, state.options.kerberos_cookie_validity) if self.spnego else None) \
            if state.options.spark_ui else None
        self._records_lock = threading.Lock()
        self._records = []
        self._sequence = itertools.count(1)
        self._routes = [(re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "/?$"),
                         methods) for path, methods in self._route_table()]

    def _route_table(self):
        upload = {"POST": self.upload}
        add = {"POST": self.add_resource}
        return (
            ("/version", {"GET": self.version}),
            ("/sessions", {"GET": self.list_sessions, "POST": self.create_session}),
            ("/sessions/{id}", {"GET": self.get_session, "DELETE": self.delete_session}),
            ("/sessions/{id}/state", {"GET": self.session_state}),
            ("/sessions/{id}/log", {"GET": self.session_log}),
            ("/sessions/{id}/statements", {"GET": self.list_statements,
                                           "POST": self.create_statement}),
            ("/sessions/{id}/statements/{sid}", {"GET": self.get_statement}),
            ("/sessions/{id}/statements/{sid}/cancel", {"POST": self.cancel_statement}),
            ("/sessions/{id}/completion", {"POST": self.completion}),
            ("/sessions/{id}/connect", {"POST": self.connect}),
            ("/sessions/{id}/stop", {"POST": self.stop_session}),
            ("/sessions/{id}/interrupt", {"POST": self.interrupt_session}),
            ("/sessions/{id}/upload-jar", upload),
            ("/sessions/{id}/upload-pyfile", upload),
            ("/sessions/{id}/upload-file", upload),
            ("/sessions/{id}/add-jar", add),
            ("/sessions/{id}/add-pyfile", add),
            ("/sessions/{id}/add-file", add),
            ("/batches", {"GET": self.list_batches, "POST": self.create_batch}),
            ("/batches/{id}", {"GET": self.get_batch, "DELETE": self.delete_batch}),
            ("/batches/{id}/state", {"GET": self.batch_state}),
            ("/batches/{id}/log", {"GET": self.batch_log}),
        )

    # --------------------------------------------------------------------- the pipeline
    def handle(self, request):
        if request.path.startswith("/_double/"):
            return self.control(request)
        record = self._record(request)
        rule = self.faults.take(request.method, request.path)
        if rule is not None:
            record["fault"] = rule.action
            early = self._apply_fault(rule, request)
            if early is not None:
                record["status"] = early.status if isinstance(early, Response) else None
                return early
        response = self.spark_ui.answer(request) if self.spark_ui and self.spark_ui.handles(request.path) \
            else self._answer(request)
        response.headers.extend(request.response_headers)
        record["status"] = response.status
        if rule is not None and rule.after_handling:
            return self._answer_after_handling(rule, request, response, record)
        return response

    def _answer(self, request):
        try:
            request.user = self._check_auth(request)
            self._check_csrf(request)
            for pattern, methods in self._routes:
                match = pattern.match(request.path)
                if match:
                    break
            else:
                return Response(404, [("Content-Type", texts.HTML_CONTENT_TYPE), *texts.SECURITY_HEADERS])
            handler = methods.get("GET" if request.method == "HEAD" else request.method)
            if handler is None:
                allowed = [m for m in ("POST", "DELETE", "GET") if m in methods]
                allowed += ["HEAD"] if "GET" in methods else []
                return self._json(405, None, [("Allow", ", ".join(allowed))])
            with self.state.lock:
                status, body, headers = handler(request, match.groupdict())
            return self._json(status, body, headers)
        except LivyError as error:
            return self._json(error.status, error.body)
        except _Answer as answer:
            return answer.response

    @staticmethod
    def _json(status, body, headers=()):
        data = b"" if body is None else \
            json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return Response(status, [*texts.SECURITY_HEADERS, ("Content-Type", texts.JSON_CONTENT_TYPE),
                                 *headers], data)

    def _jetty_error(self, request, status, message, headers=()):
        """Jetty's error page; Jetty leaves the body out for methods other than GET/POST/HEAD."""
        if request.method not in ("GET", "POST", "HEAD"):
            return Response(status, [*texts.SECURITY_HEADERS, *headers])
        servlet = texts.BATCH_SERVLET if request.path.startswith("/batches") \
            else texts.INTERACTIVE_SERVLET
        page = texts.jetty_error_page(status, message, request.path, servlet)
        return Response(status, [*texts.SECURITY_HEADERS,
                                 ("Cache-Control", "must-revalidate,no-cache,no-store"),
                                 ("Content-Type", texts.JETTY_ERROR_CONTENT_TYPE), *headers],
                        page.encode("latin-1"))

    def _check_auth(self, request):
        """The authenticated user, or None when basic auth and Kerberos are off."""
        if self.spnego is not None:
            try:
                user, request.response_headers = self.spnego.authenticate(request)
            except AuthRefused as refused:
                raise _Answer(self._jetty_error(request, refused.status, refused.message, refused.headers))
            return user
        scheme, _, credentials = request.header("Authorization", "").partition(" ")
        if self.options.bearer_token is not None:
            # A hosted Livy endpoint's token filter: any other token (an expired one) gets 401, and Livy never sees it.
            accepted = self.options.bearer_token
            accepted = (accepted,) if isinstance(accepted, str) else accepted
            if scheme.lower() == "bearer" and any(hmac.compare_digest(credentials.encode(), token.encode())
                                                  for token in accepted):
                return None
            raise _Answer(self._jetty_error(request, 401, "Unauthorized",
                                            [("WWW-Authenticate", 'Bearer error="invalid_token"')]))
        if self.options.auth_user is None:
            return None
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(credentials).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                user = password = ""
            if hmac.compare_digest(user.encode(), self.options.auth_user.encode()) and \
                    hmac.compare_digest(password.encode(), self.options.auth_password.encode()):
                return user
        raise _Answer(self._jetty_error(request, 401, "Unauthorized",
                                        [("WWW-Authenticate", 'Basic realm="livy"')]))

    def _check_impersonation(self, request, proxy_user):
        refusal = impersonation_refused(request.user, proxy_user) if self.spnego else None
        if refusal:
            raise LivyError(403, {"msg": refusal})

    def _check_csrf(self, request):
        if self.options.csrf and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") \
                and request.header("X-Requested-By") is None:
            raise _Answer(self._jetty_error(request, 400, texts.CSRF_MESSAGE))

    # ---------------------------------------------------------------------------- faults
    def _apply_fault(self, rule, request):
        """A final answer for the request, or None to handle it (after the fault's effect)."""
        if rule.action == "status":
            return self._fault_answer(rule, request)
        if rule.action == "reset":
            return ResetConnection()
        if rule.action == "hang":
            return HangUntilClientGoes()
        if rule.action == "session_dead":
            return self._json(500, texts.illegal_state("dead").body)
        if rule.action == "delay":
            time.sleep(rule.seconds)
        elif rule.action in ("kill_session", "restart"):
            self._apply_effect(rule, request.path)
        return None

    def _apply_effect(self, rule, path=""):
        with self.state.lock:
            if rule.action == "restart":
                self.state.restart()
                return
            session_id = rule.session
            if session_id is None:
                match = re.match(r"/sessions/(\d+)", path)
                session_id = int(match.group(1)) if match else None
            if session_id is not None:
                self.state.kill_session(session_id)

    def _answer_after_handling(self, rule, request, response, record):
        if rule.action == "drop_response":
            return ResetConnection(response)
        if rule.action == "slow_answer":
            time.sleep(rule.seconds)
            return response
        answer = self._fault_answer(rule, request) if rule.action == "status_after" else Response(
            rule.status, [("Content-Type", texts.JSON_CONTENT_TYPE)],
            hostile_body(rule.kind, response.body, rule.size))
        record["status"] = answer.status
        return answer

    def _fault_answer(self, rule, request):
        if rule.body is not None:
            return self._json(rule.status, rule.body)
        if rule.status == 404:
            match = re.match(r"/(?:sessions|batches)/([^/]+)", request.path)
            if match:
                return self._json(404, {"msg": f"Session '{match.group(1)}' not found."})
        if rule.status == 400:
            return self._json(400, {"msg": "Rejected, Reason: injected by the Livy double"})
        if rule.status == 500:
            return self._json(500, "java.lang.IllegalStateException: injected by the Livy double")
        phrase = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}.get(
            rule.status, "Injected by the Livy double")
        return self._jetty_error(request, rule.status, phrase)

    # --------------------------------------------------------------------- request log
    def _record(self, request):
        sent = request.body if request.client_body is None else request.client_body
        try:
            body = json.loads(sent) if sent else None
        except ValueError:
            body = None
        hidden = ("authorization", "proxy-authorization", "cookie")
        record = {"seq": next(self._sequence), "time": time.time(), "method": request.method,
                  "path": request.path, "query": dict(request.query),
                  "headers": {k: "<redacted>" if k.lower() in hidden else v
                              for k, v in request.headers.items()},
                  "body": body, "body_size": len(sent), "status": None, "fault": None}
        with self._records_lock:
            self._records.append(record)
        return record

    def requests(self):
        with self._records_lock:
            return [dict(record) for record in self._records]

    def reset(self):
        with self._records_lock:
            self._records.clear()
        self.faults.clear()

    def add_fault(self, spec):
        rule = self.faults.add(spec)
        if rule.immediate:
            self._apply_effect(rule)
        return rule

    # ---------------------------------------------------------------------- control API
    def control(self, request):
        endpoint = (request.method, request.path.rstrip("/"))
        try:
            if endpoint == ("GET", "/_double/requests"):
                return self._json(200, {"requests": self.requests()})
            if endpoint == ("POST", "/_double/reset"):
                self.reset()
                return self._json(200, {"msg": "reset"})
            if endpoint == ("GET", "/_double/sessions"):
                with self.state.lock:
                    return self._json(200, {"sessions": self.state.sessions_ever()})
            if endpoint == ("GET", "/_double/faults"):
                return self._json(200, {"faults": self.faults.rules()})
            if endpoint == ("DELETE", "/_double/faults"):
                self.faults.clear()
                return self._json(200, {"msg": "cleared"})
            if endpoint == ("POST", "/_double/faults"):
                rule = self.add_fault(json.loads(request.body or b"null"))
                return self._json(201, {"id": rule.id, "immediate": rule.immediate})
        except ValueError as error:
            return self._json(400, {"error": str(error)})
        return self._json(404, {"error": f"no control endpoint {request.method} {request.path}"})

    # ------------------------------------------------------------------------ sessions
    def _session(self, params):
        session = self.state.find_session(params["id"])
        if session is None:
            raise texts.session_not_found(params["id"])
        session.touch()
        return session

    @staticmethod
    def _require_active(session):
        if not session.active:
            raise LivyError(400, {"msg": "requirement failed: Session isn't active."})

    def version(self, request, params):
        return 200, texts.VERSION, ()

    def list_sessions(self, request, params):
        start = _int_param(request.query, "from", 0)
        size = _int_param(request.query, "size", 100)
        sessions = [self.state.sessions[i] for i in sorted(self.state.sessions)]
        return 200, {"from": start, "total": len(sessions),
                     "sessions": [s.to_json() for s in sessions[start:start + max(size, 0)]]}, ()

    def create_session(self, request, params):
        values, body = parse_body(request.body, INTERACTIVE_REQUEST)
        session_id = self.state.next_session_id()
        check_class_casts(values, INTERACTIVE_REQUEST)
        if values["kind"] is None:
            raise LivyError(500, "java.lang.NullPointerException")
        idle_timeout = parse_time(values["idleTimeout"]) if values["idleTimeout"] else None
        ttl = parse_time(values["ttl"]) if values["ttl"] else None
        name = values["name"]
        if name is not None and any(s.name == name for s in self.state.sessions.values()):
            raise texts.rejected(f"Duplicate session name: Some({name}) for session {session_id}")
        self._check_impersonation(request, request.query.get("doAs") or values["proxyUser"])
        proxy_user = request.query.get("doAs") or values["proxyUser"] or request.user
        session = self.state.add_session(session_id, values, body, request.user, proxy_user,
                                         idle_timeout, ttl)
        return 201, session.to_json(), [("Location", f"/sessions/{session_id}")]

    def get_session(self, request, params):
        return 200, self._session(params).to_json(), ()

    def delete_session(self, request, params):
        self.state.delete_session(self._session(params), "DELETE")
        return 200, {"msg": "deleted"}, ()

    def session_state(self, request, params):
        session = self._session(params)
        return 200, {"id": session.id, "state": session.state}, ()

    def session_log(self, request, params):
        session = self._session(params)
        return 200, self._log_page(session.id, session.log.lines(), request.query), ()

    @staticmethod
    def _log_page(item_id, lines, query):
        start, page = log_page(lines, _int_param(query, "from", None), _int_param(query, "size", 100))
        return {"id": item_id, "from": start, "total": len(lines), "log": page}

    def list_statements(self, request, params):
        session = self._session(params)
        self._require_active(session)
        statements = list(session.statements.values())
        if request.query.get("order", "").strip().lower() == "desc":
            statements.reverse()
        start = _int_param(request.query, "from", 0)
        size = _int_param(request.query, "size", len(statements))
        return 200, {"total_statements": len(statements),
                     "statements": [s.to_json() for s in statements[start:start + max(size, 0)]]}, ()

    def create_statement(self, request, params):
        values, _ = parse_body(request.body, EXECUTE_REQUEST)
        session = self._session(params)
        statement = session.submit(values["code"], values["kind"])
        return 201, statement.to_json(), [
            ("Location", f"/sessions/{session.id}/statements/{statement.id}")]

    def get_statement(self, request, params):
        session = self._session(params)
        statement_id = _int_param(params, "sid", None)
        self._require_active(session)
        statement = session.statements.get(statement_id)
        if statement is None:
            return 404, "Statement not found", ()
        return 200, statement.to_json(), ()

    def cancel_statement(self, request, params):
        session = self._session(params)
        session.cancel(_int_param(params, "sid", None))
        return 200, {"msg": "canceled"}, ()

    def completion(self, request, params):
        values, _ = parse_body(request.body, COMPLETION_REQUEST)
        session = self._session(params)
        return 200, {"candidates": session.complete(values["code"], values["kind"],
                                                    values["cursor"])}, ()

    def connect(self, request, params):
        session = self._session(params)
        session.record_activity()
        return 200, session.to_json(), ()

    def stop_session(self, request, params):
        self._session(params).shutdown("dead")
        return 204, None, ()

    def interrupt_session(self, request, params):
        # Livy's interrupt stops the whole session (field notes 3.1).
        self._session(params).shutdown("dead")
        return 200, {"msg": "interrupted"}, ()

    def upload(self, request, params):
        session = self._session(params)
        field = "jar" if request.path.rstrip("/").endswith("upload-jar") else "file"
        upload = _multipart_files(request).get(field)
        if upload is None:
            return 400, f"No {field} sent!", ()
        name, data = upload
        session.add_file(name, data, python_path=request.path.rstrip("/").endswith("upload-pyfile"))
        return 200, None, ()

    def add_resource(self, request, params):
        values, _ = parse_body(request.body, ADD_RESOURCE)
        session = self._session(params)
        path = local_path(values["uri"] or "")
        if path is None or not os.path.isfile(path):
            raise LivyError(500, f"java.io.FileNotFoundException: {values['uri']} "
                                 "(No such file or directory)")
        self._check_whitelist([path])
        with open(path, "rb") as handle:
            data = handle.read()
        session.add_file(os.path.basename(path), data,
                         python_path=request.path.rstrip("/").endswith("add-pyfile"))
        return 200, None, ()

    def _check_whitelist(self, paths):
        whitelist = self.options.local_dir_whitelist
        for path in paths:
            local = local_path(path)
            if whitelist and local is not None and not any(
                    os.path.realpath(local).startswith(allowed.rstrip("/") + "/")
                    for allowed in whitelist):
                raise texts.rejected(f"requirement failed: Local path {local} cannot be added to "
                                     "user sessions.")

    # ------------------------------------------------------------------------- batches
    def _batch(self, params):
        batch = self.state.find_batch(params["id"])
        if batch is None:
            raise texts.session_not_found(params["id"])
        return batch

    def list_batches(self, request, params):
        start = _int_param(request.query, "from", 0)
        size = _int_param(request.query, "size", 100)
        batches = [self.state.batches[i] for i in sorted(self.state.batches)]
        return 200, {"from": start, "total": len(batches),
                     "sessions": [b.to_json() for b in batches[start:start + max(size, 0)]]}, ()

    def create_batch(self, request, params):
        values, _ = parse_body(request.body, BATCH_REQUEST)
        batch_id = self.state.next_batch_id()
        check_class_casts(values, BATCH_REQUEST)
        try:
            if values["file"] is None:
                raise texts.rejected("requirement failed: File is required.")
            self._check_whitelist([values["file"], *values["jars"], *values["pyFiles"],
                                   *values["files"], *values["archives"]])
        except LivyError:
            self.state.add_ghost_batch(batch_id)
            raise
        self._check_impersonation(request, request.query.get("doAs") or values["proxyUser"])
        proxy_user = request.query.get("doAs") or values["proxyUser"] or request.user
        batch = self.state.add_batch(batch_id, values, request.user, proxy_user)
        return 201, batch.to_json(), [("Location", f"/batches/{batch_id}")]

    def get_batch(self, request, params):
        return 200, self._batch(params).to_json(), ()

    def delete_batch(self, request, params):
        self.state.delete_batch(self._batch(params))
        return 200, {"msg": "deleted"}, ()

    def batch_state(self, request, params):
        batch = self._batch(params)
        return 200, {"id": batch.id, "state": batch.state}, ()

    def batch_log(self, request, params):
        batch = self._batch(params)
        return 200, self._log_page(batch.id, batch.lines(), request.query), ()
