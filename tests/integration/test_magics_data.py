"""%%sql and %%send_to_spark through the real kernel against the Livy test double: tables, row limits
applied in Spark, -o to a typed pandas DataFrame on the local Python, charts, and values sent to the driver
intact. One kernel and one double serve the whole module, so the cells run in file order."""
import json

import pytest

from kernel_tools import run_cell, stdout_of
from livy_fixtures import start_double, start_kernel, stop_kernel, write_config

# A temp view with every type -o has to get right, and a row of nulls.
PEOPLE = """
import datetime
from pyspark.sql.types import *
schema = StructType([StructField('id', LongType()), StructField('name', StringType()),
                     StructField('score', DoubleType()), StructField('active', BooleanType()),
                     StructField('joined', TimestampType()), StructField('born', DateType()),
                     StructField('visits', LongType())])
spark.createDataFrame([
    (1, "O'Brien \\\\ \\"q\\"", 2.5, True, datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.date(1990, 5, 17), 10),
    (None, None, None, None, None, None, 20),
    (3, 'Zoë', 10.25, False, datetime.datetime(2024, 2, 29, 23, 59, 59), datetime.date(2001, 12, 31), 30),
], schema).createOrReplaceTempView('people')
"""

TRICKY = "quotes ' \" ''' \"\"\", backslashes \\ \\n \\\\, a newline\nand a tab\t, unicode é ☃ 🎉"


@pytest.fixture(scope="module", params=["livy", "lighter"])   # data moves through statements: both id schemes
def livy(request):
    double = start_double(request.param)
    yield double
    double.stop()


@pytest.fixture(scope="module")
def kc(livy, tmp_path_factory):
    km, client = start_kernel(write_config(tmp_path_factory.mktemp("magics-data") / "config.json", livy.url))
    reply, outputs = run_cell(client, PEOPLE)
    assert reply["content"]["status"] == "ok", outputs
    reply, _ = run_cell(client, "%%local\nimport pandas as pd\nnothing = None\nlabel = 'unchanged'\n"
                               "table = pd.DataFrame({'a': [1]})")
    assert reply["content"]["status"] == "ok"
    yield client
    stop_kernel(km, client)


def ok(kc, code):
    reply, outputs = run_cell(kc, code)
    errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
    assert reply["content"]["status"] == "ok", (code, errors)
    return outputs


def displays(outputs):
    return [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]


def statements(livy):
    return [r["body"]["code"] for r in livy.requests()
            if r["method"] == "POST" and r["path"].endswith("/statements") and r["body"]]


def local_print(kc, expression):
    """What the local Python prints for `expression`."""
    return stdout_of(ok(kc, "%%local\nprint(" + expression + ")")).strip()


# --- %%sql


def test_sql_shows_an_html_table_a_text_table_and_a_data_resource(kc):
    (shown,) = displays(ok(kc, "%%sql\nSELECT id, name, score FROM people ORDER BY visits"))
    html = shown["text/html"]
    assert html.startswith("<table") and "<th>name</th>" in html and "<td>Zoë</td>" in html
    assert "O&#39;Brien \\ &quot;q&quot;" in html
    lines = shown["text/plain"].splitlines()
    assert lines[0].split() == ["id", "name", "score"]
    assert lines[1].split()[0] == "1" and lines[2].split() == ["null", "null", "null"]
    assert lines[-1] == "3 rows"
    resource = shown["application/vnd.dataresource+json"]
    assert [f["name"] for f in resource["schema"]["fields"]] == ["index", "id", "name", "score"]
    assert resource["schema"]["primaryKey"] == ["index"]
    assert resource["data"][2] == {"index": 2, "id": 3, "name": "Zoë", "score": 10.25}


def test_sql_cuts_rows_in_spark_and_says_so(kc, livy):
    before = len(statements(livy))
    (shown,) = displays(ok(kc, "%%sql -n 5\nSELECT * FROM range(200000)"))
    assert len(shown["application/vnd.dataresource+json"]["data"]) == 5
    assert "showing 5 rows; the result has more" in shown["text/plain"]
    assert "showing 5 rows; the result has more" in shown["text/html"]
    (code,) = statements(livy)[before:]
    assert "frame.limit(6)" in code, "the limit must be applied in Spark, before collect()"


def test_sql_quiet_shows_nothing(kc):
    assert ok(kc, "%%sql -q\nSELECT * FROM people") == []


def test_sql_output_gives_the_local_side_a_typed_pandas_dataframe(kc):
    outputs = ok(kc, "%%sql -o people_df\nSELECT * FROM people ORDER BY visits")
    assert "stored in the local Python as people_df" in displays(outputs)[0]["text/plain"]
    dtypes = json.loads(local_print(kc, "__import__('json').dumps(people_df.dtypes.astype(str).to_dict())"))
    assert dtypes == {"id": "Int64", "name": "object", "score": "float64", "active": "boolean",
                      "joined": "datetime64[ns]", "born": "datetime64[ns]", "visits": "int64"}
    nulls = json.loads(local_print(kc, "__import__('json').dumps(people_df.isna().sum().to_dict())"))
    assert nulls == {"id": 1, "name": 1, "score": 1, "active": 1, "joined": 1, "born": 1, "visits": 0}
    assert local_print(kc, "people_df.loc[0, 'name'], people_df.loc[2, 'joined'], people_df.loc[2, 'born']") == \
        "O'Brien \\ \"q\" 2024-02-29 23:59:59 2001-12-31 00:00:00"


def test_sql_error_is_the_cells_error(kc):
    reply, outputs = run_cell(kc, "%%sql\nSELECT no_such_column FROM people")
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "AnalysisException"
    assert "no_such_column" in reply["content"]["evalue"]
    assert [m["msg_type"] for m in outputs] == ["error"]


def test_sql_plot_gives_a_png_and_a_vega_lite_chart(kc):
    shown = displays(ok(kc, "%%sql --plot bar --x name --y visits\nSELECT name, visits FROM people"))
    assert len(shown) == 2
    chart = shown[1]
    assert chart["image/png"].startswith("iVBORw0KGgo")  # base64 of the PNG signature
    spec = chart["application/vnd.vegalite.v4+json"]
    assert spec["mark"] == "bar" and spec["encoding"]["y"]["field"] == "visits"
    assert len(spec["data"]["values"]) == 2  # the row whose name is null is left out


# --- %%send_to_spark


def test_send_a_string_arrives_intact(kc):
    ok(kc, "%%local\ntricky = " + repr(TRICKY))
    outputs = ok(kc, "%%send_to_spark -i tricky -n remote_tricky")
    assert stdout_of(outputs) == "Successfully passed 'tricky' as 'remote_tricky' to Spark\n"
    printed = stdout_of(ok(kc, "import json\nprint(json.dumps(remote_tricky))"))
    assert json.loads(printed) == TRICKY


def test_send_a_pandas_dataframe_becomes_a_spark_dataframe(kc):
    ok(kc, "%%local\n"
           "frame = pd.DataFrame({'n': [1, 2, 3], 'x': [0.5, None, 2.25], 'word': ['a\"b', None, 'ü'],\n"
           "                      'flag': [True, False, True],\n"
           "                      'when': pd.to_datetime(['2024-01-01 10:00', None, '2024-03-01'])})")
    outputs = ok(kc, "%%send_to_spark -i frame -t df -n sent")
    assert "Successfully passed 'frame' as 'sent' to Spark (a DataFrame of 3 rows and 5 columns)" in stdout_of(outputs)
    printed = stdout_of(ok(kc, "print(sent.count())\nprint(json.dumps(sent.dtypes))\n"
                               "print(json.dumps([r.asDict() for r in sent.collect()], default=str))"))
    count, dtypes, rows = printed.strip().splitlines()
    assert count == "3"
    assert json.loads(dtypes) == [["n", "bigint"], ["x", "double"], ["word", "string"], ["flag", "boolean"],
                                  ["when", "timestamp"]]
    assert json.loads(rows) == [
        {"n": 1, "x": 0.5, "word": 'a"b', "flag": True, "when": "2024-01-01 10:00:00"},
        {"n": 2, "x": None, "word": None, "flag": False, "when": None},
        {"n": 3, "x": 2.25, "word": "ü", "flag": True, "when": "2024-03-01 00:00:00"}]


def test_send_sends_at_most_maxrows_and_says_so(kc):
    ok(kc, "%%local\nlong_frame = pd.DataFrame({'i': range(10)})")
    outputs = ok(kc, "%%send_to_spark -i long_frame -t df -m 4")
    assert "Only the first 4 of its 10 rows were sent" in stdout_of(outputs)
    assert stdout_of(ok(kc, "print(long_frame.count())")).strip() == "4"


# --- bad input: a UsageError, nothing sent, nothing changed

BAD_CELLS = {
    "%%sql -m first\nSELECT 1": "-m must be take or sample",
    "%%sql -m sample -r 2\nSELECT 1": "-r must be a fraction in (0, 1]",
    "%%sql\n": "needs code in the cell",
    "%%sql --colour\nSELECT 1": "--colour",
    "%%sql -o 2fast\nSELECT 1": "-o needs a Python variable name",
    "%%sql --plot bar --x nope\nSELECT name, visits FROM people": "--x 'nope' is not a column of the result. "
                                                                   "Its columns: name, visits.",
    "%%send_to_spark": "Missing required option: i",
    "%%send_to_spark -i label -t list": "-t must be str (a string) or df",
    "%%send_to_spark -i no_such_variable": "Variable named 'no_such_variable' not found",
    "%%send_to_spark -i nothing": "Variable 'nothing' is None",
    "%%send_to_spark -i label -t df": "-t df sends a pandas DataFrame, and 'label' is a str",
    "%%send_to_spark -i table -n label": "-t str sends a string, and 'table' is a DataFrame",
    "%%send_to_spark -i label -n spark": "'spark' is the remote session's own",
}


@pytest.mark.parametrize("code", list(BAD_CELLS), ids=lambda code: code.splitlines()[0])
def test_bad_input_is_a_usage_error_that_changes_nothing(kc, livy, code):
    before = statements(livy)
    reply, outputs = run_cell(kc, code)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "UsageError", reply["content"]
    assert BAD_CELLS[code] in reply["content"]["evalue"]
    assert [m["msg_type"] for m in outputs] == ["error"]
    assert not any("Traceback" in line or ".java" in line for line in outputs[0]["content"]["traceback"])
    new = statements(livy)[len(before):]
    assert all("spark.sql(" in statement for statement in new), "only a %%sql query may have run: " + str(new)
    assert local_print(kc, "label") == "unchanged"


def test_sql_without_livy_says_it_needs_an_endpoint(kernel):
    _, client = kernel
    reply, _ = run_cell(client, "%%sql\nSELECT 1")
    assert reply["content"]["ename"] == "NeedsLivy"
    assert "no Livy endpoint" in reply["content"]["evalue"] and "%%local" in reply["content"]["evalue"]
