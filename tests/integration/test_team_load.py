"""A team at once on one Livy server: many kernels, each running its own notebook of mixed cells against the
Livy test double, through the harness of tests/bench/bench_team_load.py (which also prints the figures).
Checked: every cell's output reaches its own notebook, attached to its cell, in order, none lost or
duplicated; each kernel's session has that user as proxyUser and is deleted at shutdown; each kernel's
memory stays bounded. No timing is asserted.

LIVY_TEAM_LOAD="KERNELS,CELLS" changes the size (default 20 kernels x 50 cells, the issue's team)."""
import os
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "bench"))
from bench_team_load import report, run  # noqa: E402

KERNELS, CELLS = (int(n) for n in os.environ.get("LIVY_TEAM_LOAD", "20,50").split(","))
# The JVM's heap is capped at 512 MB by kernel.json; a kernel that kept every output would still stay far
# below this after a notebook, while a leak per cell or per poll over thousands of requests would not.
PEAK_RSS_BOUND_MB = 300


def test_a_team_of_kernels_gets_every_output_in_its_own_notebook_and_leaves_no_session():
    figures = run(KERNELS, CELLS)
    print(report(figures))
    assert figures["problems"] == []
    assert figures["sessions"] == KERNELS
    assert sum(v["n"] for kind, v in figures["latency_ms"].items() if kind != "all cells") == KERNELS * CELLS
    assert max(figures["peak_rss_mb"]) < PEAK_RSS_BOUND_MB, figures["peak_rss_mb"]
