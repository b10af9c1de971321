"""The kernel's completion detection (issue 12 item 1) against the Livy double replaying what a real Livy
showed (tests/livy-recordings): none of the recorded facts fools it, as a notebook user would notice.

For every cell: its output is the statement's real result (never an unfinished statement's empty output),
the reply comes only after the statement ended, the end was confirmed by the one statement GET that saw it
finished, and the requests stay modest: statement requests (POST + GETs) at most what sparkmagic sends for
a statement of that length, `/state` at most 40 a second. Each test also checks, from the double's answers,
that the kernel really met the fact it is about, so it cannot pass by luck of timing.

The double's request log has no answers, so `Answers` wraps the double's request handler (in this process)
and keeps what it answered to the kernel.
"""
import json
import math
import re
import time
import urllib.request
from queue import Empty

import pytest

from kernel_tools import run_cell, shell_reply, stdout_of, wait_until
from livy_fixtures import start_double, start_kernel, stop_kernel, write_config

TEST_HEADER = "X-Completion-Test"   # marks this test's own requests, which are not the kernel's
FINISHED = ("available", "cancelled", "error")
# sparkmagic's statement requests (POST + GETs) per statement of this many seconds, measured on a Livy
# emulation (issue 12); between two lengths the budget is interpolated.
SPARKMAGIC_REQUESTS = ((0, 2), (0.1, 3), (1, 5), (5, 8), (10, 11))
STATE_POLLS_PER_SECOND = 40
DEFAULT_HEARTBEAT = {"heartbeatTimeoutSeconds": 120, "heartbeatIntervalSeconds": 30}


def sparkmagic_requests(seconds):
    points = SPARKMAGIC_REQUESTS
    for (s0, n0), (s1, n1) in zip(points, points[1:]):
        if seconds <= s1:
            return n0 + (n1 - n0) * max(0.0, seconds - s0) / (s1 - s0)
    (s0, n0), (s1, n1) = points[-2:]
    return n1 + (n1 - n0) * (seconds - s1) / (s1 - s0)


class Answers:
    """What the double answered the kernel, in order: (received, answered, method, path, body)."""

    def __init__(self, double):
        self.log = []
        app = double._app   # the handler the double's HTTP server calls for every request
        handle = app.handle

        def recording(request):
            received = time.time()
            response = handle(request)
            if not any(k.lower() == TEST_HEADER.lower() for k in request.headers) \
                    and request.path.startswith("/sessions/"):
                try:
                    body = json.loads(response.body) if getattr(response, "body", b"") else None
                except ValueError:
                    body = None
                self.log.append((received, time.time(), request.method, request.path, body))
            return response
        app.handle = recording

    def statement_posts(self, since):
        return [a for a in self.log if a[2] == "POST" and re.fullmatch(r"/sessions/\d+/statements", a[3])
                and a[0] >= since]

    def of_statement(self, session_id, statement_id):
        """The kernel's GETs of this statement, in order."""
        path = f"/sessions/{session_id}/statements/{statement_id}"
        return [a for a in self.log if a[2] == "GET" and a[3] == path]

    def states(self, session_id, since, until):
        return [a for a in self.log if a[2] == "GET" and a[3] == f"/sessions/{session_id}/state"
                and since <= a[0] <= until]

    def listings(self, session_id, since, until):
        return [a for a in self.log if a[2] == "GET" and a[3] == f"/sessions/{session_id}/statements"
                and since <= a[0] <= until]


class Cell:
    """One cell run by the kernel, with the double's answers about its statement."""

    def __init__(self, reply, outputs, answers, session_id, since):
        self.reply, self.outputs = reply, outputs
        self.replied = reply["header"]["date"].timestamp()   # stamped by the kernel when it replied
        post = [a for a in answers.statement_posts(since) if a[0] <= self.replied][-1]   # its own: the last
        self.posted, self.statement_id = post[0], post[4]["id"]
        self.gets = [a for a in answers.of_statement(session_id, self.statement_id) if a[0] <= self.replied]
        self.follow = [post, *self.gets]   # every answer about the statement the kernel had
        self.state_answers = answers.states(session_id, self.posted, self.replied)
        self.listings = answers.listings(session_id, self.posted, self.replied)

    def statements_seen(self):
        return [a[4] for a in self.follow]


@pytest.fixture
def livy_kernel(tmp_path):
    """start(**double_options) -> (double, answers, km, kc, session_id): a kernel whose session is up."""
    started = []

    def start(**options):
        double = start_double(**options)
        answers = Answers(double)
        # The default heartbeat (every 30 s): the fixtures' 1 s one adds /state GETs of its own.
        km, kc = start_kernel(write_config(tmp_path / "config.json", double.url, session=DEFAULT_HEARTBEAT))
        started.append((double, km, kc))
        reply, _ = run_cell(kc, "pass")   # starts the session (its first statement)
        assert reply["content"]["status"] == "ok"
        (session,) = double.sessions_ever()
        return double, answers, km, kc, session["id"]
    yield start
    for double, km, kc in started:
        stop_kernel(km, kc)
        double.stop()


def run(kc, answers, session_id, code, shows):
    """Runs a cell that must end ok and print exactly `shows`: its statement's real result."""
    since = time.time()
    reply, outputs = run_cell(kc, code)
    assert reply["content"]["status"] == "ok", outputs
    assert stdout_of(outputs) == shows
    return Cell(reply, outputs, answers, session_id, since)


def assert_followed_honestly(cell, end="available"):
    """The end was seen by exactly one statement GET, after the statement ended, and the reply came after it;
    the requests stayed within sparkmagic's count and 40 /state polls a second."""
    seen = cell.statements_seen()
    assert seen[-1]["state"] == end, [s["state"] for s in seen]
    assert all(s["state"] not in FINISHED for s in seen[:-1]), [s["state"] for s in seen]
    assert cell.replied >= cell.follow[-1][0] and cell.replied >= seen[-1]["completed"] / 1000
    took = max(0.0, seen[-1]["completed"] / 1000 - cell.posted)
    statement_requests = len(cell.follow) + len(cell.listings)
    assert statement_requests <= sparkmagic_requests(took), (statement_requests, took)
    window = cell.replied - cell.posted   # polls are paced where sent, counted where received: one of slack
    assert len(cell.state_answers) <= math.ceil(STATE_POLLS_PER_SECOND * window) + 1, \
        (len(cell.state_answers), window)


def false_idles(cell):
    """/state answers `idle` the kernel got before its statement ended (the double stamps `completed`
    before /state turns idle at the end, so the true end is not among them)."""
    ended = cell.statements_seen()[-1]["completed"] / 1000
    return [a for a in cell.state_answers if a[4]["state"] == "idle" and a[0] < ended]


def test_idle_right_after_the_post_is_not_the_end(livy_kernel):
    # On YARN /state still says `idle` after a POST to an idle session (recorded: up to 14.5 ms); here
    # 0.2 s, so that the kernel's first polls surely meet it on a busy machine.
    _, answers, _, kc, session_id = livy_kernel(yarn=True, post_idle_lag=0.2)
    cell = run(kc, answers, session_id, "import time\ntime.sleep(0.8)\nprint('slept', 6 * 7)",
               "slept 42\n")
    assert false_idles(cell), "the kernel never met an idle after the POST"
    assert any(s["state"] not in FINISHED for s in cell.statements_seen()[1:]), "no idle was checked"
    assert_followed_honestly(cell)


def test_an_idle_gap_inside_a_statement_is_not_the_end(livy_kernel):
    # The driver sets the job group first: /state says `idle` for a moment while the statement runs
    # (recorded: up to 113 ms on YARN).
    _, answers, _, kc, session_id = livy_kernel(state_gap=0.113)
    cell = run(kc, answers, session_id, "simulate_spark_job(0.8, tasks=4)\nprint('job', 'done')",
               "job done\n")
    assert false_idles(cell), "the kernel never met the idle gap"
    assert any(s["state"] == "running" for s in cell.statements_seen()[1:]), "no idle was checked"
    assert_followed_honestly(cell)


def post_as_another_notebook(double, session_id, code):
    request = urllib.request.Request(f"{double.url}/sessions/{session_id}/statements",
                                     data=json.dumps({"code": code}).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "X-Requested-By": "test",
                                              TEST_HEADER: "1"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)["id"]


def statement_on_double(double, session_id, statement_id):
    request = urllib.request.Request(f"{double.url}/sessions/{session_id}/statements/{statement_id}",
                                     headers={TEST_HEADER: "1"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def collect(kc, msg_ids, timeout=60):
    """{msg_id: (reply, outputs)} for cells already sent, outputs as run_cell gathers them."""
    replies, outputs, idle = {}, {m: [] for m in msg_ids}, set()
    deadline = time.time() + timeout
    while len(replies) < len(msg_ids) or len(idle) < len(msg_ids):
        assert time.time() < deadline, "the cells did not end"
        while True:
            try:
                msg = kc.get_shell_msg(timeout=0.02)
            except Empty:
                break
            if msg["parent_header"].get("msg_id") in outputs:
                replies[msg["parent_header"]["msg_id"]] = msg
        try:
            msg = kc.get_iopub_msg(timeout=0.05)
        except Empty:
            continue
        parent = msg["parent_header"].get("msg_id")
        if parent not in outputs:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                idle.add(parent)
        elif msg["msg_type"] != "execute_input":
            outputs[parent].append(msg)
    return {m: (replies[m], outputs[m]) for m in msg_ids}


def test_queued_statements_each_cell_gets_its_own_output_in_order(livy_kernel):
    # /state stays `busy` while any queued statement remains: here another notebook's statement queued
    # behind the first cell keeps it busy after that cell's statement ended.
    double, answers, _, kc, session_id = livy_kernel()
    since = time.time()
    first = kc.execute("import time\ntime.sleep(0.3)\nprint('first')")
    second = kc.execute("print('second')")   # sent back to back with the first
    assert wait_until(lambda: answers.statement_posts(since), 10)
    other = post_as_another_notebook(double, session_id, "import time\ntime.sleep(3)\nprint('other')")
    done = collect(kc, [first, second])
    cells = [Cell(*done[m], answers, session_id, since) for m in (first, second)]
    assert [stdout_of(c.outputs) for c in cells] == ["first\n", "second\n"]
    assert [c.reply["content"]["status"] for c in cells] == ["ok", "ok"]
    assert cells[0].statement_id < other < cells[1].statement_id, "the statements did not queue"
    other_ended = statement_on_double(double, session_id, other)["completed"] / 1000
    # The first cell's end was seen while /state said busy (the other statement), not after it.
    assert cells[0].replied < other_ended
    assert all(a[4]["state"] == "busy" for a in cells[0].state_answers
               if a[0] > cells[0].statements_seen()[-1]["completed"] / 1000)
    for cell in cells:
        assert_followed_honestly(cell)


def test_progress_one_while_running_is_not_the_end(livy_kernel):
    # Livy shows progress 1.0 while the statement still runs (recorded: 13.1 ms median); here 1.5 s,
    # so that the kernel's once-a-second statement GET surely sees it.
    _, answers, _, kc, session_id = livy_kernel(running_tail=1.5)
    cell = run(kc, answers, session_id, "simulate_spark_job(0.3, tasks=2)\nprint('tail', 'done')",
               "tail done\n")
    assert any(s["state"] == "running" and s["progress"] == 1.0 for s in cell.statements_seen()), \
        "the kernel never saw progress 1.0 while running"
    assert_followed_honestly(cell)


def test_falling_progress_is_not_the_end(livy_kernel):
    # A statement running several Spark jobs: progress 0 -> 1.0 while the driver works between the jobs ->
    # 0.4 -> 0.6 -> 0.8 -> 1.0 (recorded: case e). The pause between the jobs is long enough for the
    # kernel's statement GET at one second to land in it, the next one in the second job.
    _, answers, _, kc, session_id = livy_kernel()
    cell = run(kc, answers, session_id, "import time\nsimulate_spark_job(0.3, tasks=2)\ntime.sleep(1.4)\n"
                                        "simulate_spark_job(1.5, tasks=3)\nprint('two', 'jobs')",
               "two jobs\n")
    running = [s["progress"] for s in cell.statements_seen() if s["state"] == "running"]
    assert 1.0 in running and min(running[running.index(1.0):]) < 1.0, f"progress seen: {running}"
    assert_followed_honestly(cell)


def test_a_cancelled_spark_job_ends_the_cell_interrupted_and_the_next_cell_runs(livy_kernel):
    # Cancel: the statement shows `cancelling` for ~0.1 s, then `cancelled` with progress 1.0.
    double, answers, km, kc, session_id = livy_kernel()
    since = time.time()
    msg_id = kc.execute("simulate_spark_job(30, tasks=8)")
    assert wait_until(lambda: answers.statement_posts(since), 10)
    statement_id = answers.statement_posts(since)[0][4]["id"]
    assert wait_until(lambda: statement_on_double(double, session_id, statement_id)["state"] == "running", 10)
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=20)
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert "was cancelled on the Spark driver" in reply["content"]["evalue"]
    seen = [a[4] for a in answers.of_statement(session_id, statement_id)
            if a[0] <= reply["header"]["date"].timestamp()]
    assert seen[-1]["state"] == "cancelled", [s["state"] for s in seen]
    assert all(s["state"] not in FINISHED for s in seen[:-1])
    after = run(kc, answers, session_id, "print('after', 'cancel')", "after cancel\n")
    assert_followed_honestly(after)
