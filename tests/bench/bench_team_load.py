"""A team's load on one Livy server: many livy-kernel kernels at once, each running its own notebook.

Run with Debian's Python, which has jupyter_client:

    /usr/bin/python3 tests/bench/bench_team_load.py [--kernels 20] [--cells 50] [--json out.json]

Set-up: the Livy test double (tests/livy_double) runs in this process (startup_delay 0.3 s). The built jar
(built with mvn only if missing) is installed as the `pyspark-livy` kernelspec into a private temporary
prefix. --kernels kernels are started at once, each with its own JUPYTERHUB_USER (user00, user01, ...) and
the same configuration file {"livy": {"url": <double>}} (every other setting at its default: 30 s
heartbeat, 120 s heartbeat timeout). One asyncio loop drives them all through jupyter_client's async
client; each kernel's notebook runs its cells one after the other, as a user does, while the kernels run
side by side.

Each notebook has --cells cells in a fixed mix (CELL_KINDS, repeating every 10 cells): quick prints and
expressions, `%table` and `%json` displays, plain-Python sleeps of 0.1 to 0.5 s, 1 s simulated Spark jobs
with a progress bar, and failing cells. Every cell's output carries a marker naming its kernel and cell.

Measured:
- cells/s: all cells of all kernels over the wall time from the first execute_request to the last idle;
- latency: per cell, execute_request to holding its execute_reply and its iopub idle (as a frontend
  sees the end of a cell); p50 and p95 per kind and over all cells; statement time included; each
  notebook's first cell, which waits for its Livy session to start, is counted on its own line;
- peak RSS per kernel: VmHWM of each kernel process (/proc/PID/status) after its last cell;
- requests/s reaching the double: its request log over the same wall time, mean and busiest second.

Checked (the pytest tests/integration/test_team_load.py asserts them; the script prints them):
every output arrives at its own kernel's iopub, in order, none lost or duplicated (the markers a kernel
shows are exactly its own cells' markers, in cell order); every session is deleted at shutdown.
There are no timed assertions anywhere.
"""
import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from queue import Empty

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # see bench_kernel.py
from jupyter_client import AsyncKernelManager  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "livy_double"))
from livy_double import LivyDouble  # noqa: E402

KERNEL_NAME = "pyspark-livy"
MARKER = re.compile(r"k(\d+)-c(\d+)", re.IGNORECASE)
# One notebook's pattern of cells, repeated: name -> code for marker m and cell index i.
CELL_KINDS = [
    ("print", lambda m, i: f"print('{m}')"),
    ("expression", lambda m, i: f"'{m}'.upper()"),
    ("sleep", lambda m, i: f"import time\ntime.sleep({0.1 + (i % 5) * 0.1:.1f})\nprint('{m}')"),
    ("table", lambda m, i: f"rows = [{{'marker': '{m}', 'i': {i}}}]\n%table rows"),
    ("print", lambda m, i: f"print('{m}', {i} * {i})"),
    ("spark job", lambda m, i: f"simulate_spark_job(1.0, tasks=4)\nprint('{m}')"),
    ("json", lambda m, i: f"value = {{'marker': '{m}', 'i': {i}}}\n%json value"),
    ("print", lambda m, i: f"for j in range(3):\n    print('{m}' if j == 1 else j)"),
    ("error", lambda m, i: f"raise ValueError('{m}')"),
    ("sleep", lambda m, i: f"import time\ntime.sleep(0.2)\n'{m}'"),
]


def marker(kernel, cell):
    return f"k{kernel}-c{cell}"


def cell(kernel, index):
    kind, code = CELL_KINDS[index % len(CELL_KINDS)]
    return kind, code(marker(kernel, index), index)


def markers_in(msg):
    """The markers a user sees in one iopub message (progress bars carry none)."""
    content = msg["content"]
    texts = [content.get("text", ""), content.get("evalue", "")]
    texts += [json.dumps(v) if not isinstance(v, str) else v for v in content.get("data", {}).values()]
    # One output shows its marker in several forms (text/plain and text/html of one table), each of them
    # whole: the fullest form is what it shows, and a marker repeated within one form is a duplicate.
    forms = [[f"k{int(k)}-c{int(c)}" for k, c in MARKER.findall(text)] for text in texts]
    return max(forms, key=len)


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


class Notebook:
    """One user's kernel and the record of everything its iopub channel delivered."""

    def __init__(self, index, config):
        self.index = index
        self.user = f"user{index:02d}"
        self.config = config
        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        self.kc = None
        self.iopub = []        # every iopub message, in arrival order
        self.cells = []        # per cell: {kind, msg_id, status, latency_s, measured_as}
        self.peak_rss_mb = None

    async def start(self):
        env = dict(os.environ, LIVY_KERNEL_CONFIG=str(self.config), JUPYTERHUB_USER=self.user)
        env.pop("LIVY_URL", None)
        await self.km.start_kernel(env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=120)

    async def run(self, cells):
        for index in range(cells):
            kind, code = cell(self.index, index)
            started = time.time()
            msg_id = self.kc.execute(code)
            reply = await self._reply(msg_id)
            await self._until_idle(msg_id)
            self.cells.append({"kind": kind, "msg_id": msg_id, "status": reply["content"]["status"],
                               "latency_s": time.time() - started,
                               "measured_as": "1st (starts Livy session)" if index == 0 else kind})
        self.peak_rss_mb = peak_rss_mb(self.km.provisioner.pid)

    async def _reply(self, msg_id):
        while True:
            msg = await self.kc.get_shell_msg(timeout=300)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    async def _until_idle(self, msg_id):
        while True:
            msg = await self.kc.get_iopub_msg(timeout=300)
            self.iopub.append(msg)
            if (msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == msg_id
                    and msg["content"]["execution_state"] == "idle"):
                return

    async def drain(self):
        """Whatever else arrives after the last idle (a duplicate would)."""
        while True:
            try:
                self.iopub.append(await self.kc.get_iopub_msg(timeout=0.5))
            except Empty:
                return

    async def stop(self):
        if self.kc:
            self.kc.stop_channels()
        if self.km.has_kernel:
            await self.km.shutdown_kernel(now=False)

    def problems(self, cells):
        """What a user would notice: outputs lost, duplicated, out of order, in the wrong notebook or
        attached to the wrong cell, and cells whose status is not what they asked for."""
        found = []
        expected = [marker(self.index, i) for i in range(cells)]
        shown = [m for msg in self.iopub for m in markers_in(msg)]
        if shown != expected:
            foreign = [m for m in shown if not m.startswith(f"k{self.index}-")]
            counts = Counter(shown)
            found.append(f"{self.user}: markers differ from its cells: lost {sorted(set(expected) - set(shown))}, "
                         f"duplicated {sorted(m for m, n in counts.items() if n > 1)}, foreign {foreign}, "
                         f"shown {shown}")
        by_cell = {c["msg_id"]: marker(self.index, i) for i, c in enumerate(self.cells)}
        for msg in self.iopub:
            for m in markers_in(msg):
                if by_cell.get(msg["parent_header"].get("msg_id")) != m:
                    found.append(f"{self.user}: output {m} arrived under another cell's request")
        for i, c in enumerate(self.cells):
            wanted = "error" if c["kind"] == "error" else "ok"
            if c["status"] != wanted:
                found.append(f"{self.user}: cell {i} ({c['kind']}) ended {c['status']}, expected {wanted}")
        return found


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def run_notebooks(kernels, cells, config):
    notebooks = [Notebook(i, config) for i in range(kernels)]
    try:
        await asyncio.gather(*(nb.start() for nb in notebooks))
        began = time.time()
        await asyncio.gather(*(nb.run(cells) for nb in notebooks))
        ended = time.time()
        await asyncio.gather(*(nb.drain() for nb in notebooks))
    finally:
        await asyncio.gather(*(nb.stop() for nb in notebooks), return_exceptions=True)
    return notebooks, began, ended


def run(kernels=20, cells=50, **double_options):
    """Runs the load against a fresh double; returns the figures and the problems found (a dict).
    Needs the kernelspec installed where jupyter_client finds it (JUPYTER_PATH)."""
    double_options.setdefault("startup_delay", 0.3)
    home = Path(tempfile.mkdtemp(prefix="livy-team-load-"))
    double = LivyDouble(port=0, **double_options)
    double.start()
    try:
        config = home / "config.json"
        config.write_text(json.dumps({"livy": {"url": double.url}}))
        notebooks, began, ended = asyncio.run(run_notebooks(kernels, cells, config))
        sessions = double.sessions_ever()
        requests = [r for r in double.requests() if began <= r["time"] <= ended]
    finally:
        double.stop()
        shutil.rmtree(home, ignore_errors=True)
    problems = [p for nb in notebooks for p in nb.problems(cells)]
    users = sorted(s["request"].get("proxyUser") for s in sessions)
    if users != sorted(nb.user for nb in notebooks):
        problems.append(f"sessions' proxyUsers are {users}, expected one per kernel")
    problems += [f"session {s['id']} of {s['request'].get('proxyUser')} was not deleted by its kernel: {s}"
                 for s in sessions if not (s["deleted"] and s["deleted_by"] == "DELETE")]
    latencies = {}
    for nb in notebooks:
        for c in nb.cells:
            latencies.setdefault(c["measured_as"], []).append(c["latency_s"])
    everything = [v for values in latencies.values() for v in values]
    per_second = Counter(int(r["time"]) for r in requests)
    wall = ended - began
    return {
        "kernels": kernels, "cells_per_kernel": cells, "wall_s": wall,
        "cells_per_s": len(everything) / wall,
        "latency_ms": {kind: {"p50": 1000 * statistics.median(v), "p95": 1000 * percentile(v, 0.95),
                              "n": len(v)} for kind, v in [("all cells", everything), *sorted(latencies.items())]},
        "peak_rss_mb": [nb.peak_rss_mb for nb in notebooks],
        "requests": len(requests), "requests_per_s": len(requests) / wall,
        "requests_busiest_second": max(per_second.values(), default=0),
        "sessions": len(sessions), "problems": problems,
    }


def report(figures):
    rss = figures["peak_rss_mb"]
    lines = [f"{figures['kernels']} kernels x {figures['cells_per_kernel']} cells in {figures['wall_s']:.1f} s: "
             f"{figures['cells_per_s']:.1f} cells/s",
             f"peak RSS per kernel (VmHWM): median {statistics.median(rss):.0f} MB, max {max(rss):.0f} MB",
             f"requests reaching the double: {figures['requests']} ({figures['requests_per_s']:.1f}/s, "
             f"busiest second {figures['requests_busiest_second']})",
             f"sessions: {figures['sessions']}", "",
             f"{'cell kind':<26} {'cells':>6} {'p50 ms':>8} {'p95 ms':>8}"]
    for kind, v in figures["latency_ms"].items():
        lines.append(f"{kind:<26} {v['n']:>6} {v['p50']:>8.0f} {v['p95']:>8.0f}")
    lines += ["", "problems: " + ("none" if not figures["problems"] else "\n  " + "\n  ".join(figures["problems"]))]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", type=int, default=20)
    parser.add_argument("--cells", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from bench_kernel import ensure_jar, setup_env
    ensure_jar()
    home = Path(tempfile.mkdtemp(prefix="livy-kernel-bench-"))
    try:
        env = setup_env(home)
        figures = run(args.kernels, args.cells)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"nproc: {env['nproc']}; 1-min load average at start {env['loadavg_at_start']:.2f}, "
          f"at end {os.getloadavg()[0]:.2f}")
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    sys.exit(1 if figures["problems"] else 0)


if __name__ == "__main__":
    main()
