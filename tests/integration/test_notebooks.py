"""Every notebook in notebooks/ runs headless under `jupyter nbconvert --execute`, on the local backend or,
when it needs a cluster, against the Livy test double; a failing cell fails the run (with --allow-errors the
saved notebook shows the error), and an expired cell timeout cancels the remote statement and deletes the
session."""
import json
import os
import re
import subprocess
import sys

import nbformat
import pytest

from conftest import KERNEL_NAME, ROOT

NOTEBOOKS = ROOT / "notebooks"


def needs_cluster(path):
    """Notebooks that need the Livy test double say so in their metadata (livy_kernel.backend = "livy")."""
    meta = json.loads(path.read_text()).get("metadata", {})
    return meta.get("livy_kernel", {}).get("backend") == "livy"


def nbconvert(path, out_dir, *extra, env=None, cell_timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", str(path), "--output-dir", str(out_dir),
         f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}", f"--ExecutePreprocessor.timeout={cell_timeout}", *extra],
        capture_output=True, text=True, timeout=300, env=env)


LOCAL_NOTEBOOKS = sorted(p for p in NOTEBOOKS.glob("*.ipynb") if not needs_cluster(p))
LIVY_NOTEBOOKS = sorted(p for p in NOTEBOOKS.glob("*.ipynb") if needs_cluster(p))


@pytest.mark.parametrize("notebook", LOCAL_NOTEBOOKS, ids=[p.name for p in LOCAL_NOTEBOOKS])
def test_notebook_executes_without_errors(notebook, tmp_path):
    result = nbconvert(notebook, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    executed = nbformat.read(tmp_path / notebook.name, as_version=4)
    code_cells = [c for c in executed.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code_cells)
    assert not [o for c in code_cells for o in c.outputs if o.output_type == "error"]


def test_quickstart_shows_the_backend_the_table_and_the_chart(tmp_path):
    result = nbconvert(NOTEBOOKS / "quickstart.ipynb", tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = [o for c in nbformat.read(tmp_path / "quickstart.ipynb", as_version=4).cells
               if c.cell_type == "code" for o in c.outputs]
    texts = " ".join(str(o.get("data", {}).get("text/plain", "")) + o.get("text", "") for o in outputs)
    assert "embedded local Python backend" in texts
    assert any("text/html" in o.get("data", {}) and "<table" in o["data"]["text/html"] for o in outputs)
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert "step 5 of 5" in texts


@pytest.fixture
def livy_env(tmp_path):
    """Environment for nbconvert whose kernel talks to a fresh Livy double; yields (env, double)."""
    from livy_fixtures import start_double, write_config
    double = start_double(job_cancel_timeout=3)
    try:
        yield dict(os.environ, LIVY_KERNEL_CONFIG=str(write_config(tmp_path / "config.json", double.url))), double
    finally:
        double.stop()


def assert_no_session_left(double):
    sessions = double.sessions_ever()
    assert sessions and all(s["deleted"] and s["deleted_by"] == "DELETE" for s in sessions), sessions


def notebook_of(tmp_path, name, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "PySpark (Livy)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("backend", ["local", "livy"])
def test_a_failing_cell_fails_the_run_and_is_saved(backend, tmp_path, request):
    env, double = request.getfixturevalue("livy_env") if backend == "livy" else (None, None)
    source = notebook_of(tmp_path, "failing.ipynb", "x = 1",
                         "def check(row):\n    raise ValueError(f'bad input row {row}')\ncheck(17)",
                         "print('runs with --allow-errors')")
    out_dir = tmp_path / "out"
    result = nbconvert(source, out_dir, "--ExecutePreprocessor.allow_errors=False", env=env)
    assert result.returncode != 0
    assert "bad input row 17" in result.stderr
    # With --allow-errors the run completes and the saved notebook shows the error and what ran after it.
    result = nbconvert(source, out_dir, "--allow-errors", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    cells = nbformat.read(out_dir / "failing.ipynb", as_version=4).cells
    errors = [o for o in cells[1].outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError" and errors[0].evalue == "bad input row 17"
    assert [o.text for o in cells[2].outputs if o.output_type == "stream"] == ["runs with --allow-errors\n"]
    if double:
        assert_no_session_left(double)


def test_an_expired_timeout_cancels_the_remote_statement_and_deletes_the_session(livy_env, tmp_path):
    env, double = livy_env
    source = notebook_of(tmp_path, "slow.ipynb", "print('warm')", "simulate_spark_job(120, tasks=8)",
                         "print('never runs')")
    result = nbconvert(source, tmp_path / "out", env=env, cell_timeout=8)
    assert result.returncode != 0
    assert "timed out" in result.stderr.lower(), result.stderr[-3000:]
    cancels = [r for r in double.requests()
               if r["method"] == "POST" and re.search(r"/statements/\d+/cancel$", r["path"])]
    assert cancels, "the statement still running on the cluster was not cancelled"
    assert_no_session_left(double)


@pytest.mark.parametrize("notebook", LIVY_NOTEBOOKS, ids=[p.name for p in LIVY_NOTEBOOKS])
def test_livy_notebook_executes_against_the_double_and_leaves_no_session(notebook, tmp_path, livy_env):
    env, double = livy_env
    result = nbconvert(notebook, tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    cells = [c for c in nbformat.read(tmp_path / notebook.name, as_version=4).cells if c.cell_type == "code"]
    assert all(c.execution_count for c in cells)
    outputs = [o for c in cells for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    if notebook.name == "pyspark_on_livy.ipynb":
        assert any("image/png" in o.get("data", {}) for o in outputs)
        assert any("<table" in o.get("data", {}).get("text/html", "") for o in outputs)
    assert_no_session_left(double)
