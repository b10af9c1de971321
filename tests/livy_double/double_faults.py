"""Fault rules: what the double does instead of (or before) answering matching requests.

A rule is a JSON object (POST /_double/faults) or keyword arguments (LivyDouble.inject_fault):

    {"match": {"method": "POST", "path": "/sessions/\\\\d+/statements$"},
     "action": "status", "status": 503, "count": 2}

match.method   HTTP method, any when absent; match.path: regular expression searched in the path
               (without the query), any when absent.
action         status        answer `status` with a Livy-like body (or `body`, any JSON) instead
                             of handling the request
               reset         close the connection without an answer; nothing happens
               delay         wait `seconds`, then handle the request normally
               drop_response handle the request (a statement is created...), then close the
                             connection without an answer
               kill_session  session `session` (or the one in the matched path) dies: state
                             dead, worker killed; then the request is handled
               restart       the server forgets every session and batch, ids restart at 0;
                             then the request is handled
               status_after  handle the request (a statement or session is created...), then
                             answer `status` instead of the real answer (a 503 after processing)
               slow_answer   handle the request at once, answer only `seconds` later (a slow POST
                             whose work is already done when the client gives up)
               hang          never answer; the connection stays open until the client goes away
                             (or the double stops); the request is not handled
               hostile       handle the request, then answer `status` (default 200) with a hostile
                             body of `kind`: garbage (bytes with NUL and ESC), truncated (the real
                             answer cut in half), nested (200,000 nested JSON arrays), nested_output
                             (the statement, finished, its output's application/json 200,000 nested
                             arrays deep), huge (a JSON object of `size` bytes, default 64 MiB)
               session_dead  answer what Livy answers for a request to a dead session (HTTP 500,
                             "java.lang.IllegalStateException: Session is in state dead", samples
                             188/189) without handling the request
count          how many matching requests are affected (default 1)

kill_session and restart without `match` happen at once, when the rule is added.
"""

import json
import re
import threading

ACTIONS = ("status", "reset", "delay", "drop_response", "kill_session", "restart",
           "status_after", "slow_answer", "hang", "hostile", "session_dead")
# Actions that let the request be handled and then change its answer.
AFTER_HANDLING = ("drop_response", "status_after", "slow_answer", "hostile")
HOSTILE_KINDS = ("garbage", "truncated", "nested", "nested_output", "huge")
NESTING_DEPTH = 200_000
HUGE_DEFAULT = 64 * 1024 * 1024


class FaultRule:
    def __init__(self, rule_id, spec):
        unknown = set(spec) - {"match", "action", "count", "status", "seconds", "session", "body",
                               "kind", "size"}
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        match = spec.get("match") or {}
        if not isinstance(match, dict) or set(match) - {"method", "path"}:
            raise ValueError("match takes 'method' and 'path'")
        self.id = rule_id
        self.method = match.get("method", "").upper() or None
        self.path = match.get("path")
        self._path_re = re.compile(self.path) if self.path else None
        self.action = spec.get("action")
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
        self.count = spec.get("count", 1)
        if not isinstance(self.count, int) or isinstance(self.count, bool) or self.count < 1:
            raise ValueError("count must be a positive integer")
        self.status = spec.get("status")
        if self.action in ("status", "status_after") and \
                not (isinstance(self.status, int) and 400 <= self.status <= 599):
            raise ValueError(f"action '{self.action}' needs an HTTP error status (400-599)")
        if self.action == "hostile":
            self.status = 200 if self.status is None else self.status
            if not (isinstance(self.status, int) and 200 <= self.status <= 599):
                raise ValueError("action 'hostile' takes an HTTP status (200-599)")
        self.seconds = spec.get("seconds")
        if self.action in ("delay", "slow_answer") and \
                not (isinstance(self.seconds, (int, float)) and self.seconds >= 0):
            raise ValueError(f"action '{self.action}' needs 'seconds'")
        self.kind = spec.get("kind")
        if self.action == "hostile" and self.kind not in HOSTILE_KINDS:
            raise ValueError(f"action 'hostile' needs a 'kind': {', '.join(HOSTILE_KINDS)}")
        self.size = spec.get("size", HUGE_DEFAULT)
        if not isinstance(self.size, int) or isinstance(self.size, bool) or self.size < 16:
            raise ValueError("size must be an integer of at least 16 bytes")
        self.session = spec.get("session")
        if self.action == "kill_session" and not match and not isinstance(self.session, int):
            raise ValueError("kill_session without 'match' needs a 'session' id")
        self.body = spec.get("body")
        self.spec = spec

    @property
    def immediate(self):
        """kill_session and restart without a `match` happen as soon as they are added."""
        return self.action in ("kill_session", "restart") and self.method is None \
            and self.path is None

    def matches(self, method, path):
        return ((self.method is None or self.method == method)
                and (self._path_re is None or self._path_re.search(path) is not None))

    @property
    def after_handling(self):
        """The request is handled as usual and only its answer is changed."""
        return self.action in AFTER_HANDLING

    def to_json(self):
        return dict(self.spec, id=self.id, remaining=self.count)


def hostile_body(kind, real_body, size=HUGE_DEFAULT):
    """The body a hostile or broken server (or proxy) sends instead of `real_body`."""
    if kind == "garbage":
        return b"\x00\x1b[31mGARBAGE\x1b[0m\x00\xff\xfe <html>\x07 not json \x00" * 4
    if kind == "truncated":
        return real_body[:max(1, len(real_body) // 2)]
    nested = b"[" * NESTING_DEPTH + b"]" * NESTING_DEPTH
    if kind == "nested":
        return nested
    if kind == "nested_output":
        statement = json.loads(real_body)
        statement.update(state="available", progress=1.0, output={
            "status": "ok", "execution_count": statement.get("id", 0),
            "data": {"text/plain": "deep", "application/json": "NESTED"}})
        return json.dumps(statement).encode().replace(b'"NESTED"', nested)
    filler = size - len(b'{"msg":""}')
    return b'{"msg":"' + b"x" * filler + b'"}'


class FaultInjector:
    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []
        self._next_id = 1

    def add(self, spec):
        """Validate and add a rule; returns it. Raises ValueError for a bad spec."""
        if not isinstance(spec, dict):
            raise ValueError("a fault is a JSON object")
        with self._lock:
            rule = FaultRule(self._next_id, spec)
            self._next_id += 1
            if not rule.immediate:
                self._rules.append(rule)
        return rule

    def take(self, method, path):
        """The first rule matching this request, counted as used; None when none matches."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.count -= 1
                    if rule.count == 0:
                        self._rules.remove(rule)
                    return rule
        return None

    def rules(self):
        with self._lock:
            return [rule.to_json() for rule in self._rules]

    def clear(self):
        with self._lock:
            self._rules.clear()
