"""A notebook that uses every magic, run headless by `jupyter nbconvert --execute` against the Livy double;
its saved outputs and the requests the double received are checked."""
import os
import subprocess
import sys

import nbformat

from conftest import KERNEL_NAME
from livy_fixtures import start_double, write_config

CELLS = [
    "%%help",
    '%%configure\n{"executorMemory": "2g", "condaEnv": "hdfs:///envs/team-ml.zip",'
    ' "conf": {"spark.sql.shuffle.partitions": "8"}}',
    "print(sc.applicationId)",
    "spark.createDataFrame([(1, 'north', 10.5, True), (2, 'south', None, False)],"
    " 'id INT, region STRING, revenue DOUBLE, ok BOOLEAN').createOrReplaceTempView('sales')",
    "%%sql -o sales_local\nSELECT id, region, revenue, ok FROM sales ORDER BY id",
    "%%local\nprint(dict(sales_local.dtypes.astype(str)))",
    "%%sql --plot bar --x region --y id\nSELECT region, id FROM sales",
    "%%local\nimport pandas as pd\nlocal_df = pd.DataFrame({'k': ['a', 'b'], 'v': [1, 2]})",
    "%%send_to_spark -i local_df -t df -n remote_df",
    "print(remote_df.count())",
    "%%scala\nval answer = 6 * 7",
    "%%info",
    "%%logs",
    '%%configure -f\n{"executorMemory": "3g"}',
    "print('after -f')",
    "rows = [{'a': 1}]\n%table rows",
    "%%cleanup -f",
]


def test_every_magic_in_one_notebook(tmp_path):
    double = start_double()
    try:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "PySpark (Livy)", "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
        source = tmp_path / "every_magic.ipynb"
        nbformat.write(nb, source)
        env = dict(os.environ, LIVY_KERNEL_CONFIG=str(write_config(tmp_path / "config.json", double.url)))
        result = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", str(source),
                                 "--output-dir", str(tmp_path / "out"), f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}",
                                 "--ExecutePreprocessor.timeout=120"], env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        cells = nbformat.read(tmp_path / "out" / "every_magic.ipynb", as_version=4).cells
        outputs = {source: cell.outputs for source, cell in zip(CELLS, cells)}

        def text(source_start):
            (source,) = [c for c in CELLS if c.startswith(source_start)]
            return "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                             for o in outputs[source])

        def outputs_of(source_start):
            (source,) = [c for c in CELLS if c.startswith(source_start)]
            return outputs[source]

        assert not [o for c in cells for o in c.outputs if o.output_type == "error"]
        assert "%%configure" in text("%%help") and "%%send_to_spark" in text("%%help")
        sql_html = [o["data"]["text/html"] for o in outputs_of("%%sql -o sales_local") if "text/html" in o.get("data", {})]
        assert sql_html and "<td>north</td>" in sql_html[0]
        dtypes = text("%%local\nprint")
        assert "'id': 'Int64'" in dtypes or "'id': 'int64'" in dtypes, dtypes
        assert "'revenue': 'float64'" in dtypes and "'ok': 'bool" in dtypes and "'region': 'object'" in dtypes
        assert any("image/png" in o.get("data", {}) for o in outputs_of("%%sql --plot"))
        assert "2" in text("print(remote_df.count())")
        assert "42" in text("%%scala")
        assert "This notebook's session" in text("%%info")
        assert "after -f" in text("print('after -f')")

        sessions = double.sessions_ever()
        first, second = sessions[0], sessions[1]
        assert first["request"]["archives"] == ["hdfs:///envs/team-ml.zip#condaenv"]
        for key in ("spark.yarn.appMasterEnv.PYSPARK_PYTHON", "spark.executorEnv.PYSPARK_PYTHON", "spark.pyspark.python"):
            assert first["request"]["conf"][key] == "./condaenv/bin/python"
        assert first["deleted"] and second["request"]["executorMemory"] == "3g"
        assert all(s["deleted"] for s in sessions), "%%cleanup and shutdown must leave no session"
    finally:
        double.stop()
