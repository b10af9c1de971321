"""A session's Python interpreter process: what Livy's fake_shell.py is to a real session.

The double starts one per session. Requests arrive as JSON lines on the control pipe; results and
Spark-job progress leave as JSON lines on the events pipe; the process's own stdout/stderr go to
the double, which keeps them for Livy's "Interpreter died" message. Python code runs the way
fake_shell runs it, including its quirks:

- the code is parsed into AST nodes; all but the last run in 'exec' mode, the last in 'single' mode
  (so a trailing expression's repr is printed);
- stdout and stderr are captured and returned only when the statement ends, as one rstripped
  text/plain; they are cleared only after a statement that succeeds, so the output of a failing
  statement shows up in the next successful one;
- errors carry ename/evalue/traceback with the frames up to the user's <stdin> module removed,
  SyntaxErrors carry no stack frames;
- lines starting with '%' are Livy's magics (%table, %json, %matplot) when the code as a whole does
  not parse; a magic's own failure is returned *inside* an "ok" reply's data, as fake_shell does;
- a result that cannot be turned into JSON with a TypeError crashes the interpreter.

Statements of kind `sql` run on the fake PySpark's engine, like Livy's SQL interpreter.
"""

import argparse
import ast
import base64
import datetime
import decimal
import importlib
import io
import json
import logging
import os
import queue
import re
import sys
import threading
import traceback

import fake_pyspark
from double_texts import SQL_ANALYSIS_FRAMES, SQL_PARSE_FRAMES

LOG = logging.getLogger("fake_shell")
TOP_FRAME = re.compile(r'\s*File "<stdin>".*in <module>')


# ------------------------------------------------------------------------------------ channel

class Channel:
    """JSON lines to the double on the events pipe."""

    def __init__(self, fd):
        self._out = os.fdopen(fd, "w", encoding="utf-8")
        self._lock = threading.Lock()

    def send(self, event):
        line = json.dumps(event, separators=(",", ":"))
        with self._lock:
            self._out.write(line + "\n")
            self._out.flush()

    def send_result(self, statement_id, reply):
        # fake_shell only survives ValueError here; any other encoding error ends the process.
        try:
            text = json.dumps(reply)
        except ValueError:
            reply = {"status": "error", "ename": "ValueError",
                     "evalue": f"cannot json-ify {reply}", "traceback": []}
            text = json.dumps(reply)
        self.send({"ev": "result", "id": statement_id, "content": json.loads(text)})


class CapturedOutput(io.StringIO):
    """sys.stdout / sys.stderr while user code runs.

    Text printed by a simulated executor task goes to the session log instead, as it would on a
    real cluster, where executors' stdout never reaches the statement output.
    """

    def __init__(self, to_executor_log):
        super().__init__()
        self._to_executor_log = to_executor_log

    def write(self, text):
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if fake_pyspark.running_in_task():
            self._to_executor_log(text)
            return len(text)
        return super().write(text)


# ---------------------------------------------------------------------------------- replies

def ok_reply(data):
    return {"status": "ok", "data": data}


def error_reply(exc_type, exc_value, tb):
    """An error reply the way fake_shell builds it (its log line included)."""
    LOG.error("execute_reply", exc_info=True)
    lines = traceback.format_exception(exc_type, exc_value, tb, chain=False)
    for index, line in enumerate(lines):
        if TOP_FRAME.match(line):
            lines = lines[:1] + lines[index + 1:]
            break
    return {"status": "error", "ename": exc_type.__name__, "evalue": str(exc_value),
            "traceback": lines}


def nested_error_reply(exc_type, exc_value):
    """fake_shell's magics return a whole error *reply* where data is expected."""
    return {"msg_type": "execute_reply", "content": error_reply(exc_type, exc_value, None)}


# ------------------------------------------------------------------------------------- magics

def _table_value(value):
    """(Livy table type, JSON value) of one %table cell."""
    converters = {
        type(None): lambda v: ("NULL_TYPE", v),
        bool: lambda v: ("BOOLEAN_TYPE", v),
        int: lambda v: ("INT_TYPE", v),
        float: lambda v: ("DOUBLE_TYPE", v),
        str: lambda v: ("STRING_TYPE", str(v)),
        datetime.date: lambda v: ("DATE_TYPE", str(v)),
        datetime.datetime: lambda v: ("TIMESTAMP_TYPE", str(v)),
        decimal.Decimal: lambda v: ("DECIMAL_TYPE", str(v)),
        tuple: _table_sequence,
        list: _table_sequence,
        dict: _table_map,
    }
    return converters.get(type(value), converters[str])(value)


def _table_sequence(items):
    seen, converted = None, []
    for item in items:
        item_type, item = _table_value(item)
        if seen is None:
            seen = item_type
        elif seen != item_type:
            raise ValueError("value has inconsistent types")
        converted.append(item)
    return "ARRAY_TYPE", converted


def _table_map(mapping):
    value_types, converted = set(), {}
    for key, value in mapping.items():
        _, key = _table_value(key)
        value_type, value = _table_value(value)
        value_types.add(value_type)
        if len(value_types) > 1:
            raise ValueError("value has inconsistent types")
        converted[key] = value
    return "MAP_TYPE", converted


class Magics:
    def __init__(self, namespace):
        self._namespace = namespace
        self.handlers = {"table": self.table, "json": self.json, "matplot": self.matplot}

    def table(self, name):
        try:
            value = self._namespace[name]
        except KeyError:
            return nested_error_reply(*sys.exc_info()[:2])
        rows = value if isinstance(value, (list, tuple)) else [value]
        headers, data = {}, []
        for row in rows:
            if type(row).__name__ == "Row":
                row = row.asDict()
            if not isinstance(row, (list, tuple, dict)):
                row = [row]
            cells = []
            data.append(cells)
            for column, cell in (sorted(row.items()) if isinstance(row, dict) else enumerate(row)):
                cell_type, cell = _table_value(cell)
                header = headers.setdefault(column, {"name": str(column), "type": cell_type})
                if cell_type != "NULL_TYPE" and header["type"] != cell_type:
                    if header["type"] != "NULL_TYPE":
                        return nested_error_reply(Exception, "table rows have different types")
                    header["type"] = cell_type
                cells.append(cell)
        return {"application/vnd.livy.table.v1+json": {
            "headers": [header for _, header in sorted(headers.items())], "data": data}}

    def json(self, name):
        try:
            return {"application/json": self._namespace[name]}
        except KeyError:
            return nested_error_reply(*sys.exc_info()[:2])

    def matplot(self, name):
        try:
            figure = self._namespace[name].gcf()
            image = io.BytesIO()
            figure.savefig(image, format="png")
            encoded = base64.b64encode(image.getvalue()).decode()
        except Exception:
            return nested_error_reply(*sys.exc_info()[:2])
        return {"image/png": encoded, "text/plain": ""}


# ------------------------------------------------------------------------------- Python code

class ExecutionError(Exception):
    def __init__(self, exc_info):
        super().__init__()
        self.exc_info = exc_info


class UnknownMagic(Exception):
    pass


class CodeChunk:
    def __init__(self, code):
        self._tree = compile(code, "<stdin>", "exec", ast.PyCF_ONLY_AST, 1)

    def execute(self, namespace, magics):
        *statements, last = self._tree.body or [None]
        try:
            for node in statements:
                exec(compile(ast.Module([node], []), "<stdin>", "exec"), namespace)
            if last is not None:
                exec(compile(ast.Interactive([last]), "<stdin>", "single"), namespace)
        except BaseException:   # SystemExit too: sys.exit() in a statement is an error reply
            raise ExecutionError(sys.exc_info()) from None


class MagicLine:
    def __init__(self, line):
        self.name, _, rest = line[1:].partition(" ")
        self.args = (rest,) if " " in line[1:] else ()

    def execute(self, namespace, magics):
        if not self.name:
            raise UnknownMagic("magic command not specified")
        handler = magics.handlers.get(self.name)
        if handler is None:
            raise UnknownMagic(f"unknown magic command '{self.name}'")
        # Like fake_shell, a magic called with the wrong arguments is not caught: it ends the process.
        return handler(*self.args)


def split_into_chunks(code):
    """The code as one chunk, or - when it does not parse - code chunks around '%' magic lines."""
    try:
        return [CodeChunk(code)]
    except SyntaxError:
        chunks, pending = [], []
        for line in code.rstrip().split("\n"):
            if line.startswith("%"):
                if pending:
                    chunks.append(CodeChunk("\n".join(pending)))
                    pending = []
                chunks.append(MagicLine(line))
            else:
                pending.append(line)
        if pending:
            chunks.append(CodeChunk("\n".join(pending)))
        return chunks


# ------------------------------------------------------------------------------------ the shell

def _sql_json(value):
    """A SQL result cell as Livy's SQL interpreter serialises it (json4s' default formats)."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%dT00:00:00.000Z")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value


class Shell:
    def __init__(self, namespace, channel, sql_num_rows):
        self._namespace = namespace
        self._channel = channel
        self._magics = Magics(namespace)
        self._sql_num_rows = sql_num_rows
        self._executor_lock = threading.Lock()   # tasks print from several threads
        self._executor_text = ""
        self.reset_outputs()

    def reset_outputs(self):
        sys.stdout = CapturedOutput(self._executor_log)
        sys.stderr = CapturedOutput(self._executor_log)

    def _executor_log(self, text):
        with self._executor_lock:
            self._executor_text += text
            *lines, self._executor_text = self._executor_text.split("\n")
        if lines:
            self._channel.send({"ev": "log", "lines": lines})

    def execute(self, kind, code):
        return self.run_sql(code) if kind == "sql" else self.run_python(code)

    def run_python(self, code):
        try:
            chunks = split_into_chunks(code)
        except SyntaxError:
            return error_reply(*sys.exc_info()[:2], None)
        result = None
        try:
            for chunk in chunks:
                result = chunk.execute(self._namespace, self._magics)
        except UnknownMagic:
            return error_reply(*sys.exc_info()[:2], None)
        except ExecutionError as error:
            return error_reply(*error.exc_info)
        data = result or {}
        text = data.pop("text/plain", "") + sys.stdout.getvalue() + sys.stderr.getvalue()
        self.reset_outputs()
        text = text.rstrip()
        if text or not data:
            data["text/plain"] = text
        return ok_reply(data)

    def run_sql(self, code):
        try:
            frame = self._namespace["spark"].sql(code)
            rows = frame.take(self._sql_num_rows)
        except fake_pyspark.ParseException as error:
            return self._sql_error(error, SQL_PARSE_FRAMES)
        except fake_pyspark.AnalysisException as error:
            return self._sql_error(error, SQL_ANALYSIS_FRAMES)
        except Exception as error:
            return self._sql_error(error, ())
        return ok_reply({"application/json": {
            "schema": frame.schema.jsonValue(),
            "data": [[_sql_json(value) for value in row] for row in rows]}})

    @staticmethod
    def _sql_error(error, frames):
        return {"status": "error", "ename": "Error", "evalue": str(error), "traceback": list(frames)}


# --------------------------------------------------------------------------------------- main

def read_control(stream, requests, scheduler):
    """Control messages from the double; when it goes away, so does this process."""
    for line in stream:
        message = json.loads(line)
        operation = message["op"]
        if operation == "execute":
            requests.put(message)
        elif operation == "cancel_job_group":
            scheduler.cancel_job_group(message["group"])
        elif operation == "add_pyfile":
            path = message["path"]
            entry = os.path.dirname(path) if path.endswith(".py") else path
            if entry not in sys.path:
                sys.path.insert(0, entry)
            importlib.invalidate_caches()
    os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--control-fd", type=int, required=True)
    parser.add_argument("--events-fd", type=int, required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as handle:
        config = json.load(handle)

    logging.basicConfig()   # fake_shell's log goes to the process's real stderr
    real_stderr = sys.stderr
    channel = Channel(args.events_fd)
    namespace = {}
    scheduler = fake_pyspark.install(namespace, config["conf"], channel.send,
                                     config["application_id"], config["parallelism"],
                                     config["user"], config["ui_url"])
    sys.path.insert(0, os.getcwd())   # uploaded .py files land in the working directory
    sys.stdin = io.StringIO()
    shell = Shell(namespace, channel, config["sql_num_rows"])
    # Like fake_shell: what start-up printed goes to the real stderr before READY.
    print(sys.stdout.getvalue(), file=real_stderr)
    print(sys.stderr.getvalue(), file=real_stderr)
    real_stderr.flush()
    shell.reset_outputs()

    requests = queue.Queue()
    control = os.fdopen(args.control_fd, "r", encoding="utf-8")
    threading.Thread(target=read_control, args=(control, requests, scheduler), daemon=True,
                     name="control").start()
    channel.send({"ev": "ready"})
    try:
        while True:
            request = requests.get()
            scheduler.job_group = str(request["id"])   # Livy's job group is the statement id
            reply = shell.execute(request["kind"], request["code"])
            channel.send_result(request["id"], reply)
    finally:
        # An unexpected error ends the process; its traceback must reach the real stderr.
        sys.stdout, sys.stderr = sys.__stdout__, real_stderr


if __name__ == "__main__":
    main()
