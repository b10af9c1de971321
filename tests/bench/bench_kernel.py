"""Side-by-side micro-benchmark of livy-kernel and Debian's ipykernel over jupyter_client.

Run with Debian's Python, which has jupyter_client and ipykernel:

    /usr/bin/python3 tests/bench/bench_kernel.py [--cells 1000] [--repeats 5] [--json out.json]

The built jar (kernelspec/target/livy-kernel.jar; built with mvn only if missing) is installed as the
`pyspark-livy` kernelspec into a private temporary prefix; ipykernel is Debian's `python3` kernelspec.
livy-kernel runs on its embedded local backend (LIVY_KERNEL_CONFIG names a missing file, LIVY_URL is
unset), whose child Python (an IPython shell over pipes) it starts in the background. The Jupyter
channels of both kernels use loopback TCP.

What is measured, for each kernel in the same run:

1. Cold start: wall time from KernelManager.start_kernel() (process launch) to the first
   kernel_info_reply, polling kernel_info with 100 ms timeouts as jupyter_client's wait_for_ready does.
   Median and min over --repeats fresh kernels, started alternately and shut down after each sample.
2. Round trip of cells that need no backend: livy-kernel "" and %%help (answered by the Java kernel
   without touching its child), ipykernel `pass` and "". Per cell, the time from sending the
   execute_request to holding both its execute_reply and the iopub idle status whose parent is that
   request; the same client loop (round_trip) serves both kernels. Median and p95 over --cells cells,
   after WARMUP unmeasured cells.
3. Round trip of a Python cell, `x = 1`, the same way: on livy-kernel's local backend it runs in the child
   Python's IPython shell, reached over pipes through the Java kernel.
4. Resident memory (VmRSS from /proc/PID/status) of the kernel process, and for livy-kernel also of the
   child Python it spawns (the /proc child of the kernel pid running Python): 2 s after the first
   kernel_info_reply of a fresh kernel, and again after the round-trip cells. The whole process tree is
   also given as PSS (/proc/PID/smaps_rollup: shared pages split between the processes sharing them),
   which is what the tree really adds to the machine.
5. The same Python cell `x = 1` on both kernels at once, alternating one cell on each: on a machine
   shared with other work this compares the two under the same load, where the sequential figures of 3.
   each see whatever the load was during their own run. Median and p90 over --cells pairs after WARMUP.
6. Shutdown: from sending shutdown_request on the control channel of a kernel that has run cells to its
   process (and livy-kernel's child Python) having exited, median and max over --repeats kernels.

The JVM flags of the installed kernel.json, the Java version and nproc are printed with the table.
Kernels are shut down on every exit path. There are no timed assertions: the script only reports.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

# KernelManager.start_kernel imports debugpy into this process, whose pydevd warns about frozen modules on
# stderr; this silences it (the kernels inherit it; livy-kernel sets it for its child anyway).
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
from jupyter_client import KernelManager  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
JAR = ROOT / "kernelspec" / "target" / "livy-kernel.jar"
WARMUP = 50
SETTLE_S = 2.0
KERNELS = {  # label -> (kernelspec name, cells timed without a backend)
    "livy-kernel": ("pyspark-livy", ["", "%%help", "x = 1"]),
    "ipykernel": ("python3", ["pass", "", "x = 1"]),
}

live = {}  # KernelManager -> its client (None until channels start), for every kernel not yet shut down


def ensure_jar():
    for attempt in range(5):
        if JAR.is_file():
            return
        if attempt:
            print("build failed (another edit in progress?); retrying in 30 s", file=sys.stderr)
            time.sleep(30)
        subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=ROOT)
    sys.exit(f"{JAR} could not be built")


def setup_env(home):
    subprocess.run(["java", "-jar", str(JAR), "install", "--prefix", str(home), "--force"],
                   check=True, stdout=subprocess.DEVNULL)
    os.environ["JUPYTER_PATH"] = str(home / "share" / "jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")
    os.environ["LIVY_KERNEL_CONFIG"] = str(home / "no-config.json")
    os.environ.pop("LIVY_URL", None)
    argv = json.loads((home / "share/jupyter/kernels/pyspark-livy/kernel.json").read_text())["argv"]
    java_version = subprocess.run([argv[0], "-version"], capture_output=True, text=True).stderr.splitlines()
    return {"jvm_flags": argv[1:argv.index("-jar")], "java": " | ".join(java_version[:2]),
            "nproc": len(os.sched_getaffinity(0)), "jupyter_client": __import__("jupyter_client").__version__,
            "loadavg_at_start": os.getloadavg()[0]}


def start(kernel_name):
    """Starts a kernel; returns (km, kc, seconds from launch to the first kernel_info_reply)."""
    km = KernelManager(kernel_name=kernel_name)
    live[km] = None
    t0 = time.perf_counter()
    km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kc = live[km] = km.client()
    kc.start_channels()
    deadline = t0 + 60
    while True:
        kc.kernel_info()
        try:
            while kc.get_shell_msg(timeout=0.1)["msg_type"] != "kernel_info_reply":
                pass
            return km, kc, time.perf_counter() - t0
        except Empty:
            if time.perf_counter() > deadline or not km.is_alive():
                raise RuntimeError(f"{kernel_name} did not answer kernel_info within 60 s")


def stop(km):
    kc = live.pop(km)
    if kc:
        kc.stop_channels()
    if km.has_kernel:
        km.shutdown_kernel(now=False)


def round_trip(kc, code, timeout=30):
    """Seconds from sending execute_request(code) to holding its execute_reply and its iopub idle."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while kc.get_shell_msg(timeout=timeout)["parent_header"].get("msg_id") != msg_id:
        pass
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if (msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == msg_id
                and msg["content"]["execution_state"] == "idle"):
            return time.perf_counter() - t0


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def python_child(pid):
    """The kernel's child process running Python (the local backend's IPython shell), or None."""
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            for child in (task / "children").read_text().split():
                if b"python" in Path(f"/proc/{child}/comm").read_bytes():
                    return int(child)
        except OSError:
            pass
    return None


def pss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def memory(km):
    pid = km.provisioner.pid
    child = python_child(pid)
    tree = [pid] + ([child] if child else [])
    return {"kernel": rss_mb(pid), "child": rss_mb(child) if child else None,
            "tree_rss": sum(rss_mb(p) or 0 for p in tree), "tree_pss": sum(pss_mb(p) or 0 for p in tree)}


def shutdown_time(kernel_name):
    """Seconds from shutdown_request to the kernel process (and its child Python) having exited."""
    km, kc, _ = start(kernel_name)
    try:
        time.sleep(SETTLE_S)
        for _ in range(5):
            round_trip(kc, "x = 1")
        pid = km.provisioner.pid
        tree = [pid] + ([python_child(pid)] if python_child(pid) else [])
        t0 = time.perf_counter()
        kc.shutdown()
        while any(Path(f"/proc/{p}").exists() and "State:\tZ" not in Path(f"/proc/{p}/status").read_text()
                  for p in tree if Path(f"/proc/{p}/status").exists()):
            time.sleep(0.002)
            if time.perf_counter() - t0 > 10:
                break
        return time.perf_counter() - t0
    finally:
        stop(km)


def steady_state(kernel_name, cells, n):
    """Memory after start, round trips of each cell, memory after them, on one fresh kernel."""
    km, kc, _ = start(kernel_name)
    try:
        time.sleep(SETTLE_S)
        result = {"rss_after_start_mb": memory(km), "round_trip_ms": {}}
        for code in cells:
            for _ in range(WARMUP):
                round_trip(kc, code)
            times = sorted(round_trip(kc, code) * 1000 for _ in range(n))
            result["round_trip_ms"][code] = {"median": statistics.median(times),
                                             "p95": times[max(0, round(0.95 * n) - 1)]}
        result["rss_after_cells_mb"] = memory(km)
        return result
    finally:
        stop(km)


def interleaved(n, code="x = 1"):
    """Round trips of `code` alternating between one fresh kernel of each kind: {label: {median, p90}}."""
    kernels = {}
    try:
        for label, (name, _) in KERNELS.items():
            kernels[label] = start(name)
        time.sleep(SETTLE_S)
        times = {label: [] for label in kernels}
        for i in range(WARMUP + n):
            for label, (_, kc, _) in kernels.items():
                seconds = round_trip(kc, code)
                if i >= WARMUP:
                    times[label].append(seconds * 1000)
        return {label: {"median": statistics.median(t), "p90": sorted(t)[max(0, round(0.9 * n) - 1)]}
                for label, t in times.items()}
    finally:
        for km, _, _ in kernels.values():
            stop(km)


def table(results, n):
    labels = list(results)
    rows = [["cold start to kernel_info_reply, median / min (ms)"]
            + [f"{r['cold_start_ms']['median']:.0f} / {r['cold_start_ms']['min']:.0f}" for r in results.values()]]
    codes = list(dict.fromkeys(c for r in results.values() for c in r["round_trip_ms"]))
    for code in codes:
        shown = code or '""'
        row = [f"round trip `{shown}`, median / p95 (ms)"]
        for r in results.values():
            rt = r["round_trip_ms"].get(code)
            row.append(f"{rt['median']:.2f} / {rt['p95']:.2f}" if rt else "n/a")
        rows.append(row)
    rows.append(["round trip `x = 1`, both kernels alternating, median / p90 (ms)"]
                + [f"{r['interleaved_ms']['median']:.2f} / {r['interleaved_ms']['p90']:.2f}" for r in results.values()])
    fmt = lambda v: f"{v:.1f}" if v is not None else "n/a"
    for when, key in (("2 s after start", "rss_after_start_mb"),
                      (f"after the {n} + {WARMUP} cells of each type", "rss_after_cells_mb")):
        rows.append([f"RSS kernel process, {when} (MB)"] + [fmt(r[key]["kernel"]) for r in results.values()])
        rows.append([f"RSS child Python, {when} (MB)"] + [fmt(r[key]["child"]) for r in results.values()])
        rows.append([f"process tree RSS / PSS, {when} (MB)"]
                    + [f"{fmt(r[key]['tree_rss'])} / {fmt(r[key]['tree_pss'])}" for r in results.values()])
    rows.append(["shutdown_request to exit, median / max (ms)"]
                + [f"{r['shutdown_ms']['median']:.0f} / {r['shutdown_ms']['max']:.0f}" for r in results.values()])
    lines = ["| metric | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    t_run = time.perf_counter()
    ensure_jar()
    home = Path(tempfile.mkdtemp(prefix="livy-kernel-bench-"))
    try:
        env = setup_env(home)
        cold = {label: [] for label in KERNELS}
        for _ in range(args.repeats):
            for label, (name, _) in KERNELS.items():
                km, kc, seconds = start(name)
                cold[label].append(seconds * 1000)
                stop(km)
        shutdowns = {label: [] for label in KERNELS}
        for _ in range(args.repeats):
            for label, (name, _) in KERNELS.items():
                shutdowns[label].append(shutdown_time(name) * 1000)
        results = {}
        for label, (name, cells) in KERNELS.items():
            results[label] = {"cold_start_ms": {"median": statistics.median(cold[label]), "min": min(cold[label]),
                                                "samples": cold[label]},
                              "shutdown_ms": {"median": statistics.median(shutdowns[label]),
                                              "max": max(shutdowns[label]), "samples": shutdowns[label]},
                              **steady_state(name, cells, args.cells)}
        for label, figures in interleaved(args.cells).items():
            results[label]["interleaved_ms"] = figures
    finally:
        for km in list(live):
            try:
                stop(km)
            except Exception as e:  # keep shutting the others down
                print(f"shutdown failed: {e}", file=sys.stderr)
        shutil.rmtree(home, ignore_errors=True)
    elapsed = time.perf_counter() - t_run
    print(f"JVM flags (kernel.json): {' '.join(env['jvm_flags'])}")
    print(f"Java: {env['java']}")
    print(f"nproc: {env['nproc']}; jupyter_client {env['jupyter_client']}; cells {args.cells} "
          f"(+{WARMUP} warm-up) per cell type; cold-start repeats {args.repeats}; "
          f"1-min load average at start {env['loadavg_at_start']:.2f}, at end {os.getloadavg()[0]:.2f}")
    print()
    print(table(results, args.cells))
    print()
    print(f"run time: {elapsed:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"env": env, "cells": args.cells, "repeats": args.repeats,
                                         "run_time_s": elapsed, "results": results}, indent=2))


if __name__ == "__main__":
    main()
