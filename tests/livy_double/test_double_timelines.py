"""Self-tests of the double's timelines against the real Livy recordings (tests/livy-recordings).

One test per recorded fact. Each reads the recording the fact comes from, derives the shape (an
order of states, a set of progress values, a figure of double_timing's profiles), and checks the
double against it. Bounds on the double's own timing are lower bounds only (a replayed delay can
come late on a busy machine, never early), so no test depends on the machine's speed.

Run: /usr/bin/python3 -m pytest tests/livy_double/test_double_timelines.py -q --confcutdir=tests/livy_double
"""

import datetime
import gzip
import json
import os
import statistics
import threading
import time

import pytest

import double_timing
from livy_double import LivyDouble
from test_livy_double import FAST, Client

RECORDINGS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "livy-recordings")
MODES = ("local", "yarn")


def recording(name):
    path = os.path.join(RECORDINGS, name)
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def timeline_case(mode, case):
    """rec1's analysis of one case (a-h): its statements and the /state sequence."""
    return recording(f"rec1_timeline_{mode}.analysis.json")["cases"][case]


def collapse(values):
    """Consecutive repeats folded into one: [a, a, b, a] -> [a, b, a]."""
    return [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]


def is_subsequence(short, long):
    remaining = iter(long)
    return all(any(item == other for other in remaining) for item in short)


def close(a, b, tolerance=0.0006):
    return abs(a - b) <= tolerance


# ------------------------------------------------------------------------------- the watcher

class Watcher:
    """Polls one statement and the session's /state back to back, as rec1/rec1b did (there 25 ms
    apart, here as fast as loopback allows), until the statement is finished and `after` seconds
    more have passed. Answers are (time received, what, body)."""

    def __init__(self, client, session_id, statement_id, after=0.05):
        self.client, self.session_id, self.statement_id = client, session_id, statement_id
        self.after = after
        self.answers = []
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def join(self, timeout=30):
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the statement did not finish"
        return self

    def _poll(self):
        finished_at = None
        while finished_at is None or time.monotonic() < finished_at + self.after:
            statement = self.client.get(
                f"/sessions/{self.session_id}/statements/{self.statement_id}").body
            self.answers.append((time.time(), "statement", statement))
            state = self.client.get(f"/sessions/{self.session_id}/state").body
            self.answers.append((time.time(), "state", state["state"]))
            if finished_at is None and statement["state"] in ("available", "cancelled"):
                finished_at = time.monotonic()

    def statements(self):
        return [body for _, what, body in self.answers if what == "statement"]

    def states(self):
        return [body for _, what, body in self.answers if what == "state"]

    def progress_while(self, state):
        return [s["progress"] for s in self.statements() if s["state"] == state]


@pytest.fixture(params=MODES)
def mode(request):
    return request.param


def double(mode, **options):
    return LivyDouble(**{**FAST, "yarn": mode == "yarn", **options})


def started_session(livy, code="pass"):
    """A client and an idle session whose first statement has run (so later ones are not held)."""
    client = Client(livy.url)
    session_id = client.new_session()
    client.run(session_id, code)
    return client, session_id


def watch(client, session_id, code, after=0.05):
    statement_id = client.submit(session_id, code).body["id"]
    return Watcher(client, session_id, statement_id, after).start().join()


# ------------------------------------------------------------------------------- `progress`

def test_progress_stays_zero_without_a_spark_job_until_available(mode):
    recorded = timeline_case(mode, "b")["statements"][0]   # time.sleep(1.0), no Spark job
    with double(mode) as livy:
        client, session_id = started_session(livy)
        watcher = watch(client, session_id, "import time; time.sleep(0.3)")
    assert sorted(set(watcher.progress_while("running"))) == \
        [q["progress"] for q in recorded["sequence"] if q["state"] == "running"] == [0.0]
    assert watcher.statements()[-1]["progress"] == recorded["distinct_progress"][-1] == 1.0


def _task_ends_ms(spark, group, t0):
    """Spark's own end time of every task of a job group (ms after the recording's t0), sorted."""
    def epoch_ms(text):
        moment = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fGMT")
        return moment.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
    ends = [epoch_ms(task["launchTime"]) + task["duration"] - t0
            for job in spark["jobs"] if job["jobGroup"] == group
            for stage in job["stageIds"] for task in spark["stage_tasks"].get(str(stage), [])]
    return sorted(ends)


def test_progress_rises_in_steps_of_finished_tasks():
    spark = recording("rec1_spark_tasks_local.json")
    recorded = timeline_case("local", "c")["statements"][0]   # 8 tasks x 0.6 s
    tasks = sum(j["numTasks"] for j in spark["jobs"] if j["jobGroup"] == str(recorded["sid"]))
    assert all((p * tasks).is_integer() for p in recorded["distinct_progress"])
    with double("local") as livy:
        client, session_id = started_session(livy)
        watcher = watch(client, session_id, f"simulate_spark_job(2.0, tasks={tasks})")
    running = watcher.progress_while("running")
    assert running == sorted(running), "one job: progress never falls"
    assert all((p * tasks).is_integer() for p in running)
    assert len(set(running)) > 2, running


def test_progress_lags_the_task_list_in_recorded_timing():
    """rec1 c and d: a task's end shows in `progress` a median ~0.15 s after Spark's task list
    says it ended (first statement GET sent after the change minus the task's end)."""
    spark = recording("rec1_spark_tasks_local.json")
    t0 = recording("rec1_timeline_local.json.gz")["header"]["t0_epoch_ms"]
    lags = []
    for case in ("c", "d"):
        statement = timeline_case("local", case)["statements"][0]
        ends = _task_ends_ms(spark, str(statement["sid"]), t0)
        for seen in statement["sequence"]:
            if seen["state"] == "running" and 0 < seen["progress"] < 1:
                lags.append(seen["first_sent"] - ends[round(seen["progress"] * len(ends)) - 1])
    assert close(double_timing.RECORDED["local"].progress_lag, statistics.median(lags) / 1000, 0.01)

    lag = double_timing.RECORDED["local"].progress_lag
    with double("local", timing="recorded", first_statement_hold=0) as livy:
        client, session_id = started_session(livy)
        watcher = watch(client, session_id, "simulate_spark_job(1.0, tasks=2)")
    started = watcher.statements()[-1]["started"] / 1000
    first_rise = next(t for t, what, body in watcher.answers
                      if what == "statement" and body["state"] == "running" and body["progress"] > 0)
    assert first_rise >= started + 0.5 + lag   # the first task ends at 0.5 s


def test_progress_shows_1_while_still_running(mode):
    recorded = [s for case in ("c", "d", "g") for s in timeline_case(mode, case)["statements"]
                if s["n_gets_running_with_progress_1"]]
    assert recorded, "the recording shows 1.0 while running"
    windows = [s["completed"] - next(q["first_recv"] for q in s["sequence"]
                                     if q["state"] == "running" and q["progress"] == 1.0)
               for case in ("c", "d", "g") for mode_ in MODES
               for s in timeline_case(mode_, case)["statements"] if s["n_gets_running_with_progress_1"]]
    assert close(double_timing.RECORDED[mode].running_tail, statistics.median(windows) / 1000)
    tail = 0.2   # longer than recorded, so that a poller on a busy machine sees it; same mechanism
    with double(mode, running_tail=tail) as livy:
        client, session_id = started_session(livy)
        watcher = watch(client, session_id, "simulate_spark_job(0.1, tasks=2)")
    assert 1.0 in watcher.progress_while("running")
    running_1 = next(t for t, what, body in watcher.answers if what == "statement"
                     and body["state"] == "running" and body["progress"] == 1.0)
    assert watcher.statements()[-1]["completed"] / 1000 >= running_1
    finished = watcher.statements()[-1]
    assert finished["state"] == "available" and finished["progress"] == 1.0


def test_progress_falls_when_a_statement_runs_several_jobs():
    spark = recording("rec1_spark_tasks_local.json")
    recorded = timeline_case("local", "e")["statements"][0]   # two Spark jobs
    tasks = [j["numTasks"] for j in sorted(spark["jobs"], key=lambda j: j["jobId"])
             if j["jobGroup"] == str(recorded["sid"])]
    shape = collapse([q["progress"] for q in recorded["sequence"] if q["state"] is not None])
    assert shape == [0.0, 1.0, 0.4, 0.6, 1.0]
    with double("local") as livy:
        client, session_id = started_session(livy)
        watcher = watch(client, session_id, f"simulate_spark_job(4.0, tasks={tasks})")
    seen = collapse([s["progress"] for s in watcher.statements()])
    assert is_subsequence(shape, seen), seen


# ---------------------------------------------------------------------------------- /state

def test_state_turns_idle_just_after_completed_and_never_busy_after_available(mode):
    race = recording(f"rec1b_state_race_{mode}.analysis.json")
    assert all(r["busy_answers_sent_after_first_available_recv"] == 0 for r in race)
    assert close(double_timing.RECORDED[mode].state_flip_lag,
                 statistics.median(r["end_first_idle_sent_minus_completed"] for r in race) / 1000)
    with double(mode) as livy:
        client, session_id = started_session(livy)
        watcher = watch(client, session_id, "simulate_spark_job(0.1, tasks=2)")
    available_at = next(i for i, (_, what, body) in enumerate(watcher.answers)
                        if what == "statement" and body["state"] == "available")
    after = [body for _, what, body in watcher.answers[available_at:] if what == "state"]
    assert after and set(after) == {"idle"}
    assert "busy" in watcher.states()
    completed = watcher.statements()[-1]["completed"] / 1000
    first_idle = min(t for t, what, body in watcher.answers[available_at:] if what == "state")
    assert first_idle >= completed + double_timing.RECORDED[mode].state_flip_lag


def test_state_says_idle_right_after_a_post_on_yarn_only(mode):
    race = recording(f"rec1b_state_race_{mode}.analysis.json")
    lagging = [r["first_busy_answer_sent_minus_post_answer"] for r in race
               if r["idle_answers_after_post_answer_before_first_busy"]]
    assert close(double_timing.RECORDED[mode].post_idle_lag, max(lagging, default=0) / 1000)
    with double(mode, post_idle_lag=1.0 if mode == "yarn" else None) as livy:
        client, session_id = started_session(livy)
        posted = client.submit(session_id, "import time; time.sleep(2.5)").body
        first_state = client.get(f"/sessions/{session_id}/state").body["state"]
        statement = client.get(f"/sessions/{session_id}/statements/{posted['id']}").body
        watcher = Watcher(client, session_id, posted["id"]).start().join()
    assert posted["state"] in ("waiting", "running") and statement["state"] in ("waiting", "running")
    assert first_state == ("idle" if lagging else "busy")
    assert "busy" in watcher.states()


def test_state_has_idle_gaps_inside_a_statement(mode):
    race = recording(f"rec1b_state_race_{mode}.analysis.json")
    gaps = [r for r in race if r["blip_idle_answers"]]
    assert gaps, "the recording shows gaps"
    profile = double_timing.RECORDED[mode]
    assert close(profile.state_gap, max(g["blip_window_ms"][1] - g["blip_window_ms"][0]
                                        for g in gaps) / 1000, 0.0002)
    assert profile.state_gap_every == round(len(race) / len(gaps))
    seen_during = {s for g in gaps for s in g["stmt_states_seen_during_blip"]}
    with double(mode, state_gap=0.4, post_idle_lag=0) as livy:
        client, session_id = started_session(livy)
        watcher = watch(client, session_id, "simulate_spark_job(1.5, tasks=2)")
    pairs = [(watcher.answers[i][2]["state"], watcher.answers[i + 1][2])
             for i in range(0, len(watcher.answers) - 1, 2)]
    unfinished = [(s, st) for s, st in pairs if s not in ("available", "cancelled")]
    shape = collapse([st for _, st in unfinished])
    assert shape[:3] == ["idle", "busy"][:len(shape)] or shape[0] == "idle", shape
    assert "idle" in shape and "busy" in shape
    assert {s for s, st in unfinished if st == "idle"} <= seen_during | {"running"}


def test_state_stays_busy_while_a_statement_is_queued(mode):
    case = timeline_case(mode, "g")   # two statements posted back to back
    recorded = collapse([q["state"] for q in case["state_sequence"]])
    assert recorded == ["idle", "busy", "idle"]
    with double(mode, post_idle_lag=0) as livy:
        client, session_id = started_session(livy)
        client.submit(session_id, "simulate_spark_job(0.3, tasks=2)")
        second = client.submit(session_id, "simulate_spark_job(0.2, tasks=2)").body["id"]
        watcher = Watcher(client, session_id, second).start().join()
    assert collapse(watcher.states()) == recorded[1:]


# ---------------------------------------------------------------------------------- cancel

def _cancel_stamps(mode):
    """rec1 case h: the cancel POST's send time and the statement's successive `completed`."""
    rec = recording(f"rec1_timeline_{mode}.json.gz")
    t0 = rec["header"]["t0_epoch_ms"]
    cancel_sent = next(r["t_ms"] for r in rec["requests"]
                       if r.get("tag") == "case:h:post" and r["path"].endswith("/cancel"))
    bodies = [r["body"] for r in rec["requests"]
              if r.get("tag", "").startswith("case:h:stmt") and isinstance(r["body"], dict)]
    return cancel_sent, bodies, t0


def test_cancel_goes_through_cancelling_then_cancelled_and_completed_is_stamped_again(mode):
    cancel_sent, bodies, t0 = _cancel_stamps(mode)
    states = collapse([b["state"] for b in bodies])
    assert states == ["running", "cancelling", "cancelled"]
    stamps = collapse([b["completed"] - t0 for b in bodies if b["state"] == "cancelled"])
    assert len(stamps) == 2, "Livy stamps a cancelled statement's `completed` twice"
    profile = double_timing.RECORDED[mode]
    assert close(profile.cancelling_phase, (stamps[0] - cancel_sent) / 1000, 0.001)
    assert close(profile.cancel_restamp, (stamps[1] - stamps[0]) / 1000, 0.001)
    final = bodies[-1]

    with double(mode) as livy:
        client, session_id = started_session(livy)
        statement_id = client.submit(session_id, "simulate_spark_job(5, tasks=2)").body["id"]
        client.wait_statement(session_id, statement_id, until=("running",))
        watcher = Watcher(client, session_id, statement_id, after=0.3).start()
        while not watcher.answers:
            time.sleep(0.001)
        cancelled_at = time.time()
        assert client.post(f"/sessions/{session_id}/statements/{statement_id}/cancel").body == \
            {"msg": "canceled"}
        right_after = client.get(f"/sessions/{session_id}/statements/{statement_id}").body
        watcher.join()
    seen = watcher.statements()
    assert right_after["state"] == "cancelling"
    assert collapse([s["state"] for s in seen if s["state"] != "cancelling"]) == \
        [s for s in states if s != "cancelling"]
    ours = collapse([s["completed"] for s in seen if s["state"] == "cancelled"])
    assert ours == sorted(ours) and len(ours) <= 2   # a fast poller sees both stamps
    # The `cancelling` phase and the restamp both passed before the final stamp:
    assert ours[-1] / 1000 >= cancelled_at + profile.cancelling_phase + profile.cancel_restamp - 0.001
    last = seen[-1]
    assert last["progress"] == final["progress"] == 1.0
    assert last["output"]["ename"] == final["output"]["ename"] == "Py4JJavaError"
    assert last["output"]["status"] == final["output"]["status"] == "error"


# --------------------------------------------------------------------------- session start

def test_first_statement_after_idle_is_held_waiting(mode):
    recorded = recording(f"rec3_session_start_{mode}.json.gz")["summary"]["statement_at_idle"]
    assert recorded["post_answer_state"] == "waiting"
    assert close(double_timing.RECORDED[mode].first_statement_hold,
                 recorded["waiting_ms_post_sent_to_started"] / 1000, 0.001)
    assert double_timing.profile("fast", mode == "yarn").first_statement_hold == 0
    hold = 0.4   # the recorded 1.4-2.2 s would slow the suite; same mechanism
    with double(mode, first_statement_hold=hold, post_idle_lag=0) as livy:
        client = Client(livy.url)
        session_id = client.new_session()
        posted_at = time.time()
        first = client.submit(session_id, "x = 1").body
        states = collapse([client.get(f"/sessions/{session_id}/statements/{first['id']}").body["state"]
                           for _ in range(5)])
        first = client.wait_statement(session_id, first["id"])
        second_posted = time.time()
        second = client.run(session_id, "y = 2")
    assert states == [recorded["post_answer_state"]]
    assert first["started"] / 1000 >= posted_at + hold - 0.002
    assert second["started"] / 1000 < second_posted + hold, "only the first statement is held"


def test_session_start_shape(mode):
    changes = recording(f"rec3_session_start_{mode}.json.gz")["summary"]["distinct_changes"]

    def shape(views):
        """The order in which state, appId and the appInfo URLs change."""
        steps = [(v["state"], v["appId"] is not None, v["appInfo"]["sparkUiUrl"] is not None,
                  v["appInfo"]["driverLogUrl"] is not None) for v in views]
        return collapse(steps)

    with double(mode, startup_delay=4.0) as livy:
        client = Client(livy.url)
        views = [client.post("/sessions", {"kind": "pyspark"}).body]
        while views[-1]["state"] == "starting":
            time.sleep(0.01)
            views.append(client.get(f"/sessions/{views[0]['id']}").body)
    assert shape(views) == shape(changes)
    assert views[0]["state"] == changes[0]["state"] == "starting"


# ------------------------------------------------------------------ restart, expiry, fields

def test_restart_forgets_sessions_and_ids_start_again_at_0():
    after = recording("rec5_restart_local.json")["after_restart"]
    with LivyDouble(**FAST) as livy:
        client = Client(livy.url)
        session_id = client.new_session()
        statement_id = client.submit(session_id, "simulate_spark_job(30, tasks=2)").body["id"]
        livy.restart()
        for request, recorded in after.items():
            method, path = request.split(" ")[:2]
            if "(" in request:
                continue
            path = path.replace("/0", f"/{session_id}").replace("/80", f"/{statement_id}")
            reply = client.call(method, path, {"code": "1"} if method == "POST" else None)
            assert (reply.status, reply.body) == (recorded["status"], recorded["body"]), request
        new = client.post("/sessions", {"kind": "pyspark"}).body
    assert new["id"] == after["POST /sessions (new)"]["body"]["id"] == 0
    assert new["state"] == after["POST /sessions (new)"]["body"]["state"]


def test_idle_timeout_expiry_goes_from_idle_to_404_with_no_state_between():
    rec = recording("rec4_new_fields_local.json")
    recorded = [(s["status"], s["state"]) for s in rec["sequences"]["idleTimeout"]]
    assert recorded[-2:] == [(200, "idle"), (404, None)]
    missing = rec["sequences"]["idleTimeout"][-1]["body_excerpt"]["msg"]
    with LivyDouble(**FAST) as livy:
        client = Client(livy.url)
        session_id = client.new_session(wait=False, kind="pyspark", idleTimeout="3s")
        seen = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            reply = client.get(f"/sessions/{session_id}")
            seen.append((reply.status, reply.body.get("state")))
            if reply.status == 404:
                break
            time.sleep(0.05)
    assert collapse(seen)[-2:] == recorded[-2:]
    assert set(collapse(seen)[:-2]) <= {(200, "starting")}
    assert reply.body == {"msg": missing.replace("'3'", f"'{session_id}'")}


def test_unknown_field_in_post_sessions_is_400_with_a_plain_string():
    rec = recording("rec4_new_fields_local.json")
    recorded = rec["post_answers"]["unknown_field"]
    assert recorded["status"] == 400 and isinstance(recorded["body"], str)
    with LivyDouble(**FAST) as livy:
        reply = Client(livy.url).post("/sessions", recorded["request_body"])
    assert reply.status == 400
    assert isinstance(reply.body, str)
    assert reply.body.split(" (")[0] == recorded["body"].split(" (")[0]


@pytest.mark.parametrize("field", ["ttl", "idleTimeout"])
def test_ttl_and_idle_timeout_are_accepted_and_echoed(field):
    rec = recording("rec4_new_fields_local.json")
    recorded = rec["post_answers"][field]
    with LivyDouble(**FAST) as livy:
        client = Client(livy.url)
        posted = client.post("/sessions", recorded["request_body"])
        got = client.get(f"/sessions/{posted.body['id']}").body
    assert posted.status == recorded["status"] == 201
    assert posted.body[field] == got[field] == recorded["body"][field]
    assert [k for k in posted.body] == [k for k in recorded["body"]]


@pytest.mark.parametrize("options", [{"timing": "slow"}, {"post_idle_lag": -1},
                                     {"first_statement_hold": -0.5}])
def test_timing_options_are_checked(options):
    with pytest.raises(ValueError):
        LivyDouble(**options)
