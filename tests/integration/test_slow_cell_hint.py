"""The line under a slow cell: the kernel analyses a slow statement's Spark jobs after the cell and, when a
finding is severe or critical, adds one line under the cell's output.

The double's Spark UI serves the skewed-join capture, whose critical task skew ran under job group 7, the
group Livy gives statement 7: cells 0-6 are quick, cell 7 is the one under test. The threshold is 1 s and the
slow cell sleeps 1.5 s. Whether the reply waits for the analysis is shown by order, not time: the Spark UI holds
the analysis's first request until the test has the cell's reply."""
import json
import re
import time
import urllib.request
from queue import Empty

from livy_fixtures import start_double, start_kernel, stop_kernel, write_config
from test_analyze import scenario

SLOW = "import time\ntime.sleep(1.5)\nprint('slow cell done')"
QUICK = "print('quick cell done')"
# The analysis's first request: the application itself (the progress line asks .../jobs?status=running only).
APPLICATION = r"/api/v1/applications/[^/]+$"


class Notebook:
    """A kernel on a double serving the skewed-join Spark UI; every message is kept in arrival order."""

    def __init__(self, tmp_path, **hint):
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.double = start_double(yarn=True, spark_ui=str(scenario("skewed-join")))
        config = write_config(tmp_path / "config.json", self.double.url)
        settings = json.loads(config.read_text())
        settings["analyze"] = {"hint": {"slowCellSeconds": 1, **hint}}
        config.write_text(json.dumps(settings))
        self.km, self.kc = start_kernel(config)
        self.log = []   # ("shell" | "iopub", message)

    def close(self):
        stop_kernel(self.km, self.kc)
        self.double.stop()

    def _drain(self):
        for channel, get in (("shell", self.kc.get_shell_msg), ("iopub", self.kc.get_iopub_msg)):
            while True:
                try:
                    self.log.append((channel, get(timeout=0.02)))
                except Empty:
                    break

    def wait(self, predicate, what, timeout=90):
        deadline = time.time() + timeout
        while not predicate():
            if time.time() > deadline:
                raise TimeoutError(f"waited {timeout} s for {what}")
            self._drain()

    def reply_of(self, msg_id):
        return next((m for c, m in self.log if c == "shell" and m["parent_header"].get("msg_id") == msg_id), None)

    def idle(self, msg_id):
        return any(c == "iopub" and m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                   and m["content"]["execution_state"] == "idle" for c, m in self.log)

    def run(self, code):
        """Runs a cell to its reply and idle status; returns its msg_id."""
        msg_id = self.kc.execute(code)
        self.wait(lambda: self.reply_of(msg_id) is not None and self.idle(msg_id), f"the reply to {code!r}")
        assert self.reply_of(msg_id)["content"]["status"] == "ok", self.reply_of(msg_id)["content"]
        return msg_id

    def outputs(self, msg_id):
        return [m for c, m in self.log if c == "iopub" and m["parent_header"].get("msg_id") == msg_id
                and m["msg_type"] not in ("status", "execute_input")]

    def hints(self, msg_id):
        return [m["content"]["data"]["text/plain"] for m in self.outputs(msg_id)
                if m["msg_type"] == "display_data" and m["content"]["data"]["text/plain"].startswith("This cell")]

    def next_statement(self):
        session = self.double.sessions_ever()[-1]["id"]
        with urllib.request.urlopen(f"{self.double.url}/sessions/{session}/statements") as answer:
            return json.load(answer)["total_statements"]

    def quick_cells_up_to_statement_7(self):
        self.run(QUICK)   # starts the session
        while self.next_statement() < 7:
            self.run(QUICK)
        assert self.next_statement() == 7

    def application_requests(self):
        return [r for r in self.double.requests() if r["path"].startswith("/proxy/")
                and re.search(APPLICATION, r["path"])]


def _normalized(notebook, msg_id):
    """The cell's reply and what it printed (its progress bar, with its times, left out)."""
    reply = notebook.reply_of(msg_id)["content"]
    shown = [m["content"].get("text") for m in notebook.outputs(msg_id) if m["msg_type"] == "stream"]
    return reply, shown


def _slow_cell_with_held_analysis(tmp_path):
    """Runs cell 7 slowly with the analysis's first request held; returns (notebook, msg_id)."""
    notebook = Notebook(tmp_path)
    notebook.quick_cells_up_to_statement_7()
    notebook.double.hold_spark_ui(APPLICATION)
    msg_id = notebook.run(SLOW)
    return notebook, msg_id


def test_a_slow_cell_gets_one_line_after_its_reply(tmp_path):
    notebook, msg_id = _slow_cell_with_held_analysis(tmp_path)
    try:
        # The reply came while the analysis was still waiting for the Spark UI's first answer.
        notebook.wait(lambda: notebook.application_requests(), "the analysis's first request")
        assert [r["status"] for r in notebook.application_requests()] == [None]
        assert notebook.hints(msg_id) == []
        replied_at = len(notebook.log)
        notebook.double.release_spark_ui()
        notebook.wait(lambda: notebook.hints(msg_id), "the hint")
        hint_index = next(i for i, (c, m) in enumerate(notebook.log) if c == "iopub"
                          and m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "display_data"
                          and m["content"]["data"]["text/plain"].startswith("This cell"))
        assert hint_index >= replied_at
        [hint] = notebook.hints(msg_id)
        assert hint.startswith("This cell: task skew within stages (critical)"), hint
        assert hint.endswith("Run %%analyze for advice.") and len(hint.splitlines()) == 1
        html = [m for c, m in notebook.log if c == "iopub" and m["msg_type"] == "display_data"
                and m["content"]["data"]["text/plain"] == hint][0]["content"]["data"]["text/html"]
        assert "task skew" in html
        # Later cells do not bring it again, and it never went to another cell.
        later = notebook.run(QUICK)
        assert len(notebook.hints(msg_id)) == 1 and notebook.hints(later) == []
        assert len(notebook.application_requests()) == 1
    finally:
        notebook.close()


def test_the_reply_is_the_same_without_the_analysis(tmp_path):
    """The cell's reply and output with the hint's analysis (held until after the reply) and without it."""
    with_hint, hinted = _slow_cell_with_held_analysis(tmp_path / "on")
    try:
        with_analysis = _normalized(with_hint, hinted)
        with_hint.double.release_spark_ui()
        with_hint.wait(lambda: with_hint.hints(hinted), "the hint")
    finally:
        with_hint.close()
    notebook = Notebook(tmp_path / "off", enabled=False)
    try:
        notebook.quick_cells_up_to_statement_7()
        msg_id = notebook.run(SLOW)
        assert _normalized(notebook, msg_id) == with_analysis
        assert with_analysis[0]["status"] == "ok" and "slow cell done\n" in with_analysis[1]
        notebook.run(QUICK)
    finally:
        notebook.close()
    # Switched off: the Spark UI was never asked for the application, and no line was shown.
    assert notebook.application_requests() == []
    assert notebook.hints(msg_id) == []


def test_a_quick_cell_gets_no_line(tmp_path):
    notebook = Notebook(tmp_path)
    try:
        notebook.quick_cells_up_to_statement_7()
        quick = notebook.run("print('statement 7, quick')")   # the skewed job group, but quick
        # Statement 8 is slow: its analysis (one worker, in order) shows that none was queued before it.
        slow = notebook.run(SLOW)
        notebook.wait(lambda: any(r["status"] is not None and "/sql" in r["path"]
                                  for r in notebook.double.requests()), "the slow cell's analysis")
        assert len(notebook.application_requests()) == 1
        assert notebook.hints(quick) == [] and notebook.hints(slow) == []   # job group 8 ran no Spark job
    finally:
        notebook.close()
