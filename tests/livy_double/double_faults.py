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
count          how many matching requests are affected (default 1)

kill_session and restart without `match` happen at once, when the rule is added.
"""

import re
import threading

ACTIONS = ("status", "reset", "delay", "drop_response", "kill_session", "restart")


class FaultRule:
    def __init__(self, rule_id, spec):
        unknown = set(spec) - {"match", "action", "count", "status", "seconds", "session", "body"}
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
        if self.action == "status" and not (isinstance(self.status, int) and 400 <= self.status <= 599):
            raise ValueError("action 'status' needs an HTTP error status (400-599)")
        self.seconds = spec.get("seconds")
        if self.action == "delay" and not (isinstance(self.seconds, (int, float)) and self.seconds >= 0):
            raise ValueError("action 'delay' needs 'seconds'")
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

    def to_json(self):
        return dict(self.spec, id=self.id, remaining=self.count)


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
