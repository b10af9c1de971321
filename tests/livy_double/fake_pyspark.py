"""A small fake PySpark, so notebooks and tests can run against the Livy double without Spark.

It lives in the double's Python worker (one per session) and in its batch runner. Data lives in one
in-memory SQLite database per process; DataFrames are SQL queries over it, so spark.sql() works over
temp views. "Spark jobs" are simulated: every action reports a job with tasks to the double, which
turns them into the statement's `progress`, and a job is cancelled when its job group is (the way
Livy cancels a statement).

Provided:
  spark (SparkSession): sql, table, range, createDataFrame (pandas DataFrame, list of tuples, dicts
      or Rows; schema as names, "a INT, b STRING" or StructType), read.json (RDD/list of JSON
      strings or dicts, or a JSON-lines file), catalog.listTables/dropTempView, conf.get/set,
      version, sparkContext, stop (no-op).
  sc (SparkContext): parallelize/range -> RDD (map, filter, flatMap, mapPartitions, reduceByKey,
      collect, count, sum, take, first, reduce, distinct, foreach, toDF); applicationId, master,
      appName, defaultParallelism, getConf, setJobGroup/cancelJobGroup, addPyFile.
  DataFrame: count, collect, take, head, first, show(n, truncate), toPandas, limit, select,
      selectExpr, filter/where (SQL string or Column), withColumn, withColumnRenamed, drop, distinct,
      orderBy/sort, groupBy(...).count/sum/avg/min/max/agg, union, sample, createOrReplaceTempView,
      toJSON, rdd, columns, dtypes, schema, printSchema, isEmpty.
  pyspark.sql.functions: col, lit, expr, count, sum, avg, mean, min, max, upper, lower, asc, desc.
  simulate_spark_job(seconds, tasks=8): a job of `tasks` tasks lasting `seconds` (a list of task
      counts: one job per entry, one after the other), for progress and cancel tests; cancelled like a real job (Py4JJavaError "Job N cancelled part of cancelled job
      group M").

Not provided (by design): Spark's SQL dialect beyond what SQLite accepts (plus range(n) and SHOW
TABLES), nested types (structs/arrays/maps are stored as JSON strings), UDFs, joins through the
DataFrame API (use SQL), window functions through the API, partitioning/shuffles, real parallelism
beyond a thread pool for RDD tasks, streaming, MLlib, reading files other than JSON lines.
"""

import collections
import datetime
import decimal
import inspect
import itertools
import json
import random
import re
import sqlite3
import sys
import threading
import time
import traceback
import types
from concurrent import futures

from double_texts import JOB_CANCELLED_STACK, SPARK_VERSION, table_not_found


# ------------------------------------------------------------------------------------------ errors

class AnalysisException(Exception):
    """Raised for unresolved tables, columns or functions, shown under PySpark's real name."""
    __module__ = "pyspark.errors.exceptions.captured"


class ParseException(AnalysisException):
    __module__ = "pyspark.errors.exceptions.captured"


class Py4JJavaError(Exception):
    """What PySpark raises when a Spark job fails or is cancelled."""
    __module__ = "py4j.protocol"


class SparkNoSuchElementException(Exception):
    __module__ = "pyspark.errors.exceptions.captured"


# -------------------------------------------------------------------------------------- data types

class DataType:
    type_name = ""      # Spark's JSON name
    simple_name = ""    # Spark's SQL name (printSchema, DataFrame repr)

    def typeName(self):
        return self.type_name

    def simpleString(self):
        return self.simple_name

    def jsonValue(self):
        return self.type_name

    def __eq__(self, other):
        return isinstance(other, DataType) and self.jsonValue() == other.jsonValue()

    def __hash__(self):
        return hash(self.jsonValue())

    def __repr__(self):
        return f"{type(self).__name__}()"


def _simple_type(class_name, type_name, simple_name):
    return type(class_name, (DataType,), {"type_name": type_name, "simple_name": simple_name})


StringType = _simple_type("StringType", "string", "string")
LongType = _simple_type("LongType", "long", "bigint")
IntegerType = _simple_type("IntegerType", "integer", "int")
ShortType = _simple_type("ShortType", "short", "smallint")
ByteType = _simple_type("ByteType", "byte", "tinyint")
DoubleType = _simple_type("DoubleType", "double", "double")
FloatType = _simple_type("FloatType", "float", "float")
BooleanType = _simple_type("BooleanType", "boolean", "boolean")
DateType = _simple_type("DateType", "date", "date")
TimestampType = _simple_type("TimestampType", "timestamp", "timestamp")
BinaryType = _simple_type("BinaryType", "binary", "binary")
NullType = _simple_type("NullType", "void", "void")


class DecimalType(DataType):
    def __init__(self, precision=10, scale=0):
        self.precision, self.scale = precision, scale
        self.type_name = self.simple_name = f"decimal({precision},{scale})"

    def __repr__(self):
        return f"DecimalType({self.precision}, {self.scale})"


class StructField:
    def __init__(self, name, dataType, nullable=True, metadata=None):
        self.name, self.dataType, self.nullable = name, dataType, nullable
        self.metadata = metadata or {}

    def jsonValue(self):
        return {"name": self.name, "type": self.dataType.jsonValue(),
                "nullable": self.nullable, "metadata": self.metadata}

    def __repr__(self):
        return f"StructField('{self.name}', {self.dataType!r}, {self.nullable})"


class StructType(DataType):
    type_name = "struct"

    def __init__(self, fields=None):
        self.fields = list(fields or [])

    def add(self, field, data_type=None, nullable=True):
        self.fields.append(field if isinstance(field, StructField)
                           else StructField(field, _as_type(data_type), nullable))
        return self

    @property
    def names(self):
        return [f.name for f in self.fields]

    def fieldNames(self):
        return self.names

    def jsonValue(self):
        return {"type": "struct", "fields": [f.jsonValue() for f in self.fields]}

    def json(self):
        return json.dumps(self.jsonValue(), separators=(",", ":"))

    def simpleString(self):
        return "struct<" + ",".join(f"{f.name}:{f.dataType.simpleString()}" for f in self.fields) + ">"

    def __iter__(self):
        return iter(self.fields)

    def __len__(self):
        return len(self.fields)

    def __getitem__(self, key):
        if isinstance(key, str):
            for field in self.fields:
                if field.name == key:
                    return field
            raise KeyError(f"No StructField named {key}")
        return self.fields[key]

    def __repr__(self):
        return f"StructType([{', '.join(map(repr, self.fields))}])"


_TYPE_NAMES = {
    "string": StringType, "varchar": StringType, "char": StringType, "text": StringType,
    "long": LongType, "bigint": LongType, "int": IntegerType, "integer": IntegerType,
    "short": ShortType, "smallint": ShortType, "byte": ByteType, "tinyint": ByteType,
    "double": DoubleType, "float": FloatType, "real": FloatType,
    "boolean": BooleanType, "bool": BooleanType, "date": DateType, "timestamp": TimestampType,
    "binary": BinaryType, "blob": BinaryType, "void": NullType, "null": NullType,
}


def _as_type(spec):
    """A DataType from a DataType, a Spark type name ('bigint', 'decimal(10,2)') or a class."""
    if isinstance(spec, DataType):
        return spec
    if isinstance(spec, type) and issubclass(spec, DataType):
        return spec()
    name = str(spec).strip().lower()
    match = re.fullmatch(r"decimal\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)", name)
    if match:
        return DecimalType(int(match.group(1)), int(match.group(2)))
    if name == "decimal":
        return DecimalType()
    try:
        return _TYPE_NAMES[name.split("(")[0]]()
    except KeyError:
        raise ParseException(f"\n[UNSUPPORTED_DATATYPE] Unsupported data type \"{spec}\".") from None


def _parse_ddl_schema(ddl):
    """'a INT, b STRING' or 'a: int, b: string' -> StructType."""
    fields = []
    for part in _split_top_level(ddl):
        name, _, type_name = part.strip().replace(":", " ", 1).partition(" ")
        fields.append(StructField(name.strip("`"), _as_type(type_name.strip())))
    return StructType(fields)


def _infer_type(value):
    if value is None:
        return NullType()
    if isinstance(value, bool):
        return BooleanType()
    if isinstance(value, int):
        return LongType()
    if isinstance(value, float):
        return DoubleType()
    if isinstance(value, datetime.datetime):
        return TimestampType()
    if isinstance(value, datetime.date):
        return DateType()
    if isinstance(value, decimal.Decimal):
        return DecimalType(38, 18)
    if isinstance(value, (bytes, bytearray)):
        return BinaryType()
    return StringType()   # str, and nested values flattened to JSON text


def _merge_types(types_seen):
    """One column type from the types of its values, the way Spark widens numbers."""
    known = {t.jsonValue(): t for t in types_seen if not isinstance(t, NullType)}
    if not known:
        return NullType()
    if len(known) == 1:
        return next(iter(known.values()))
    if set(known) <= {"long", "integer", "double"}:
        return DoubleType()
    return StringType()


# ------------------------------------------------------------------------------------------- Row

class Row(tuple):
    """PySpark's Row: a tuple with named fields; Row('a', 'b') is a row class called with values."""

    def __new__(cls, *args, **kwargs):
        if args and kwargs:
            raise ValueError("Can not use both args and kwargs to create Row")
        if kwargs:
            row = tuple.__new__(cls, kwargs.values())
            row.__fields__ = list(kwargs)
            return row
        return tuple.__new__(cls, args)

    @classmethod
    def _from_pairs(cls, names, values):
        row = tuple.__new__(cls, values)
        row.__fields__ = list(names)
        return row

    def __call__(self, *values):
        return Row._from_pairs(self, values)

    def asDict(self, recursive=False):
        def convert(value):
            if recursive and isinstance(value, Row):
                return value.asDict(True)
            return value
        return {name: convert(value) for name, value in zip(self.__fields__, self)}

    def __getattr__(self, name):
        fields = self.__dict__.get("__fields__")
        if fields and name in fields:
            return self[fields.index(name)]
        raise AttributeError(name)

    def __getitem__(self, item):
        if isinstance(item, str):
            return tuple.__getitem__(self, self.__fields__.index(item))
        return tuple.__getitem__(self, item)

    def __repr__(self):
        if "__fields__" in self.__dict__:
            return "Row(" + ", ".join(f"{k}={v!r}" for k, v in zip(self.__fields__, self)) + ")"
        return "<Row(" + ", ".join(map(repr, self)) + ")>"


# ------------------------------------------------------------------------------ jobs and progress

_task_context = threading.local()


def running_in_task():
    """True in an RDD task thread: its prints go to the executor's log, not the statement output."""
    return getattr(_task_context, "active", False)


class _Job:
    def __init__(self, job_id, group, tasks, description):
        self.id, self.group, self.tasks, self.description = job_id, group, tasks, description
        self.cancelled = threading.Event()


class JobScheduler:
    """Runs simulated Spark jobs in the current job group and reports them through `emit`."""

    def __init__(self, emit, parallelism):
        self._emit = emit
        self.parallelism = parallelism
        self._lock = threading.Lock()
        self._job_ids = itertools.count()
        self._task_ids = itertools.count()
        self._active = {}
        self.job_group = None

    def cancel_job_group(self, group):
        """Like SparkContext.cancelJobGroup: cancels the group's active jobs, not later ones."""
        with self._lock:
            for job in self._active.values():
                if job.group == group:
                    job.cancelled.set()

    def cancel_all_jobs(self):
        with self._lock:
            for job in self._active.values():
                job.cancelled.set()

    def _start(self, tasks, description):
        job = _Job(next(self._job_ids), self.job_group, tasks, description)
        with self._lock:
            self._active[job.id] = job
        self._emit({"ev": "job_start", "group": job.group, "job": job.id, "tasks": tasks,
                    "description": description})
        return job

    def _task_done(self, job):
        self._emit({"ev": "task_end", "group": job.group, "job": job.id})

    def _end(self, job, status):
        with self._lock:
            self._active.pop(job.id, None)
        self._emit({"ev": "job_end", "group": job.group, "job": job.id, "status": status})

    @staticmethod
    def _cancelled_error(job, java_call):
        return Py4JJavaError(
            f"An error occurred while calling {java_call}.\n: org.apache.spark.SparkException: "
            f"Job {job.id} cancelled part of cancelled job group {job.group}{JOB_CANCELLED_STACK}")

    def run_quick(self, description, tasks, compute, java_call):
        """A job whose work is done by `compute()` on the driver (DataFrame actions)."""
        job = self._start(tasks, description)
        try:
            result = compute()
            for _ in range(tasks):
                self._task_done(job)
            if job.cancelled.is_set():
                raise self._cancelled_error(job, java_call)
        except BaseException:
            self._end(job, "failed")
            raise
        self._end(job, "succeeded")
        return result

    def run_tasks(self, description, partitions, task, java_call):
        """One task per partition on a pool of `parallelism` threads; results in partition order.

        A cancelled job fails at once, as in Spark; its running tasks finish in the background
        and their results are dropped (Spark would kill them).
        """
        job = self._start(len(partitions), description)
        pool = futures.ThreadPoolExecutor(max_workers=self.parallelism,
                                          thread_name_prefix=f"task-job{job.id}")
        pending = {pool.submit(self._run_task, task, part): index
                   for index, part in enumerate(partitions)}
        results = [None] * len(partitions)
        try:
            while pending:
                done, _ = futures.wait(pending, timeout=0.02, return_when=futures.FIRST_COMPLETED)
                if job.cancelled.is_set():
                    raise self._cancelled_error(job, java_call)
                for future in done:
                    index = pending.pop(future)
                    error = future.exception()
                    if error is not None:
                        raise self._task_failed_error(job, index, error, java_call)
                    results[index] = future.result()
                    self._task_done(job)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            self._end(job, "failed")
            raise
        pool.shutdown(wait=False)
        self._end(job, "succeeded")
        return results

    @staticmethod
    def _run_task(task, partition):
        _task_context.active = True
        try:
            return task(partition)
        finally:
            _task_context.active = False

    def _task_failed_error(self, job, index, error, java_call):
        tid = next(self._task_ids)
        python_tb = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return Py4JJavaError(
            f"An error occurred while calling {java_call}.\n: org.apache.spark.SparkException: Job "
            f"aborted due to stage failure: Task {index} in stage {job.id}.0 failed 1 times, most "
            f"recent failure: Lost task {index}.0 in stage {job.id}.0 (TID {tid}) (localhost "
            f"executor driver): org.apache.spark.api.python.PythonException: {python_tb}\n")

    def simulate(self, seconds, tasks=8):
        """simulate_spark_job(seconds, tasks=8): a job whose `tasks` tasks finish evenly over
        `seconds` in the statement's job group, so its progress rises in steps of 1/tasks and a
        cancel of the statement stops it like a real job. A list of task counts runs one job per
        entry, one after the other with a pause, sharing `seconds` by their tasks: Livy's progress
        then falls when the next job starts (recorded: 2 then 3 tasks give 0 -> 1.0 -> 0.4 -> 0.6
        -> 1.0).
        Returns None."""
        counts = list(tasks) if isinstance(tasks, (list, tuple)) else [tasks]
        if not counts or min(counts) < 1 or seconds < 0:
            raise ValueError("simulate_spark_job needs tasks >= 1 and seconds >= 0")
        description = _call_site("simulate_spark_job")
        # The driver works between two jobs (a tenth of the time): progress shows 1.0 meanwhile.
        pause = 0.1 * seconds / (len(counts) - 1) if len(counts) > 1 else 0.0
        share = seconds - pause * (len(counts) - 1)
        for number, count in enumerate(counts):
            if number:
                time.sleep(pause)
            self._simulate_job(share * count / sum(counts), count, description)

    def _simulate_job(self, seconds, tasks, description):
        job = self._start(tasks, description)
        start = time.monotonic()
        try:
            for finished in range(1, tasks + 1):
                due = start + seconds * finished / tasks
                while True:
                    if job.cancelled.wait(timeout=max(0.0, min(0.02, due - time.monotonic()))):
                        raise self._cancelled_error(
                            job, "z:org.apache.spark.api.python.PythonRDD.collectAndServe")
                    if time.monotonic() >= due:
                        break
                self._task_done(job)
        except BaseException:
            self._end(job, "failed")
            raise
        self._end(job, "succeeded")


def _call_site(action):
    """Spark's job description: '<action> at <stdin>:<line>' for code typed in the session."""
    for frame in inspect.stack(0):
        if frame.filename == "<stdin>":
            return f"{action} at <stdin>:{frame.lineno}"
    return f"{action} at NativeMethodAccessorImpl.java:0"


# -------------------------------------------------------------------------------- the SQL engine

# Spark type -> SQLite declared type. SQLite keeps declared types through views, which is how
# result columns get their Spark types back; "NONNULL" marks Spark's nullable=false.
_DECLARED = {"long": "BIGINT", "integer": "INT", "short": "SMALLINT", "byte": "TINYINT",
             "double": "DOUBLE", "float": "FLOAT", "string": "TEXT", "boolean": "BOOLEAN",
             "date": "DATE", "timestamp": "TIMESTAMP", "binary": "BLOB", "void": "VOID"}
_FROM_DECLARED = {v: k for k, v in _DECLARED.items()}


def _declared_type(field):
    data_type = field.dataType
    name = "DECIMAL" + data_type.type_name[7:] if isinstance(data_type, DecimalType) \
        else _DECLARED.get(data_type.type_name, "TEXT")
    return name if field.nullable else name + " NONNULL"


def _field_from_declared(name, declared):
    words = declared.upper().split()
    nullable = "NONNULL" not in words
    base = words[0] if words else ""
    if base.startswith("DECIMAL"):
        return StructField(name, _as_type(base.lower()), nullable)
    if base in _FROM_DECLARED:
        return StructField(name, _as_type(_FROM_DECLARED[base]), nullable)
    return None


def _to_sqlite(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Row):
        return json.dumps(value.asDict(True), default=str)
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=str)
    return value


def _python_value(value):
    """Plain Python values from pandas/numpy scalars."""
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    return value


def _from_sqlite(value, data_type):
    if value is None:
        return None
    name = data_type.type_name
    if name == "boolean":
        return bool(value)
    if name == "date":
        return datetime.date.fromisoformat(str(value)[:10])
    if name == "timestamp":
        return datetime.datetime.fromisoformat(str(value))
    if name.startswith("decimal"):
        return decimal.Decimal(str(value))
    if name == "string" and not isinstance(value, str):
        return str(value)
    return value


def _split_top_level(text, separator=","):
    """Split on separators outside parentheses and quotes."""
    parts, depth, quote, current = [], 0, None, []
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def _select_list(query):
    """The expressions of a query's top-level SELECT list without their aliases, or None."""
    head = re.match(r"\s*select\s+(?:distinct\s+)?", query, re.I)
    if not head:
        return None
    depth, quote, end = 0, None, len(query)
    for index in range(head.end(), len(query)):
        char = query[index]
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif depth == 0 and re.match(r"\sfrom\s", query[index:index + 6], re.I):
            end = index
            break
    return [re.sub(r"\s+as\s+[`\"]?\w+[`\"]?$", "", e.strip(), flags=re.I)
            for e in _split_top_level(query[head.end():end])]


def _position(sql, token):
    """(line, pos) of `token` in `sql` as Spark reports it: line from 1, position from 0."""
    match = re.search(r"(?<![\w`])`?" + re.escape(token) + r"`?(?![\w`])", sql, re.I)
    offset = match.start() if match else 0
    line = sql.count("\n", 0, offset) + 1
    return line, offset - (sql.rfind("\n", 0, offset) + 1)


class SqlEngine:
    """One in-memory SQLite database with Spark's names, types and error messages on top."""

    MAX_RANGE_ROWS = 10_000_000

    def __init__(self):
        self._conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._names = itertools.count()
        self.temp_views = {}

    def _execute(self, sql, params=()):
        with self._lock:
            return self._conn.execute(sql, params)

    def create_table(self, schema, rows):
        """A new table for a DataFrame's data; returns its (internal) name."""
        name = f"__df_{next(self._names)}"
        columns = ", ".join(f'"{f.name}" {_declared_type(f)}' for f in schema.fields)
        with self._lock:
            self._conn.execute(f'CREATE TEMP TABLE "{name}" ({columns})')
            if schema.fields:
                marks = ", ".join("?" * len(schema.fields))
                self._conn.executemany(f'INSERT INTO "{name}" VALUES ({marks})',
                                       ([_to_sqlite(v) for v in row] for row in rows))
        return name

    def range_table(self, start, end, step):
        count = max(0, (end - start + (step - (1 if step > 0 else -1))) // step)
        if count > self.MAX_RANGE_ROWS:
            raise NotImplementedError(f"the Livy double materialises range() and stops at "
                                      f"{self.MAX_RANGE_ROWS} rows")
        name = f"__range_{start}_{end}_{step}".replace("-", "m")
        with self._lock:
            exists = self._conn.execute(
                "SELECT 1 FROM sqlite_temp_master WHERE name = ?", (name,)).fetchone()
            if not exists:
                self._conn.execute(f'CREATE TEMP TABLE "{name}" (id BIGINT NONNULL)')
                self._conn.executemany(f'INSERT INTO "{name}" VALUES (?)',
                                       ((i,) for i in range(start, end, step)))
        return name

    def create_view(self, name, query, replace=True):
        with self._lock:
            if name.lower() in self.temp_views and not replace:
                raise AnalysisException(
                    f"[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `{name}` "
                    "because it already exists.")
            self._conn.execute(f'DROP VIEW IF EXISTS "{name}"')
            self._conn.execute(f'CREATE TEMP VIEW "{name}" AS {query}')
            self.temp_views[name.lower()] = name

    def drop_view(self, name):
        with self._lock:
            existed = self.temp_views.pop(name.lower(), None) is not None
            self._conn.execute(f'DROP VIEW IF EXISTS "{name}"')
        return existed

    def translate(self, sql):
        """Spark SQL -> SQLite: table-valued range(), CREATE OR REPLACE TEMP VIEW."""
        def replace_range(match):
            args = [int(a) for a in match.group(1).split(",")]
            start, end, step = (0, args[0], 1) if len(args) == 1 else (args + [1])[:3]
            return f'"{self.range_table(start, end, step)}"'
        sql = re.sub(r"\brange\s*\(\s*(-?\d+(?:\s*,\s*-?\d+){0,2})\s*\)", replace_range, sql,
                     flags=re.I)
        return sql.strip().rstrip(";")

    def run(self, query, limit=None):
        """Execute a query: (StructType, rows of Python values)."""
        schema = self.schema_of(query)
        sql = f"SELECT * FROM ({query})" + (f" LIMIT {int(limit)}" if limit is not None else "")
        rows = self._checked(lambda: self._execute(sql).fetchall(), query)
        types_ = [f.dataType for f in schema.fields]
        return schema, [[_from_sqlite(v, t) for v, t in zip(row, types_)] for row in rows]

    def schema_of(self, query, source=None):
        """The Spark schema of a query; errors are reported against `source` (the user's SQL)."""
        name = f"__schema_{next(self._names)}"
        with self._lock:
            try:
                self._conn.execute(f'CREATE TEMP VIEW "{name}" AS {query}')
                columns = self._conn.execute(f'PRAGMA table_info("{name}")').fetchall()
            except sqlite3.Error as error:
                raise self._spark_error(str(error), source or query) from None
            finally:
                self._conn.execute(f'DROP VIEW IF EXISTS "{name}"')
        fields = [_field_from_declared(column[1], column[2]) for column in columns]
        if all(fields):
            return StructType(fields)
        sample = self._execute(f"SELECT * FROM ({query}) LIMIT 200").fetchall()
        expressions = _select_list(query)
        if expressions is None or len(expressions) != len(columns):
            expressions = [None] * len(columns)
        for index, column in enumerate(columns):
            if fields[index] is None:
                fields[index] = self._infer_field(column[1], expressions[index],
                                                  [row[index] for row in sample])
        return StructType(fields)

    def _known_columns(self):
        """Declared types of the columns of every temp table and view, by lower-case name."""
        known = {}
        with self._lock:
            tables = self._conn.execute(
                "SELECT name FROM sqlite_temp_master WHERE type IN ('table', 'view')").fetchall()
            for (table,) in tables:
                for column in self._conn.execute(f'PRAGMA table_info("{table}")').fetchall():
                    field = _field_from_declared(column[1], column[2])
                    if field is not None:
                        known.setdefault(column[1].lower(), field)
        return known

    def _infer_field(self, name, expression, values):
        """Type of a computed column, from the expression's text and its values."""
        present = [v for v in values if v is not None]
        expression = expression or ""
        known = self._known_columns()
        referenced = [known[identifier.lower()]
                      for identifier in re.findall(r"[A-Za-z_]\w*(?!\w|\s*\()", expression)
                      if identifier.lower() in known]
        is_count = re.match(r"\s*count\s*\(", expression, re.I) is not None
        nullable = bool(len(present) < len(values) or any(f.nullable for f in referenced))
        if is_count:
            return StructField(name, LongType(), False)
        if not present:
            return StructField(name, NullType(), True)
        if all(isinstance(v, int) for v in present):
            wide = (re.match(r"\s*sum\s*\(", expression, re.I)
                    or any(f.dataType.type_name == "long" for f in referenced)
                    or any(abs(v) >= 2 ** 31 for v in present))
            return StructField(name, LongType() if wide else IntegerType(), nullable)
        if all(isinstance(v, (int, float)) for v in present):
            return StructField(name, DoubleType(), nullable)
        return StructField(name, StringType(), nullable)

    def _checked(self, action, sql):
        try:
            return action()
        except sqlite3.Error as error:
            raise self._spark_error(str(error), sql) from None

    @staticmethod
    def _spark_error(message, sql):
        match = re.match(r"no such table: (?:temp\.|main\.)?(\S+)", message)
        if match:
            table = match.group(1)
            line, pos = _position(sql, table)
            expressions = _select_list(sql) or []
            project = ("'Project [" + ", ".join("*" if e == "*" else "'" + e for e in expressions)
                       + "]\n+- ") if expressions else ""
            return AnalysisException(table_not_found(
                table, line, pos, f"{project}'UnresolvedRelation [{table}], [], false\n"))
        match = re.match(r"no such column: (\S+)", message)
        if match:
            line, pos = _position(sql, match.group(1).split(".")[-1])
            return AnalysisException(
                f"[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column or function parameter with name "
                f"`{match.group(1)}` cannot be resolved. ; line {line} pos {pos};")
        match = re.match(r"no such function: (\S+)", message)
        if match:
            line, pos = _position(sql, match.group(1))
            return AnalysisException(
                f"[UNRESOLVED_ROUTINE] Cannot resolve function `{match.group(1)}` on search path "
                "[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`].; "
                f"line {line} pos {pos}")
        match = re.match(r'near "(.*)": syntax error', message)
        if match or message == "incomplete input":
            token = match.group(1) if match else "end of input"
            line, pos = _position(sql, token) if match else (sql.count("\n") + 1, len(sql))
            shown = f"'{token}'" if match else token
            return ParseException(f"\n[PARSE_SYNTAX_ERROR] Syntax error at or near {shown}.(line "
                                  f"{line}, pos {pos})\n\n== SQL ==\n{sql}\n{'-' * pos}^^^\n")
        return AnalysisException(message)


# ------------------------------------------------------------------------------------- Column

def _quote(name):
    return '"' + str(name).replace('"', '""') + '"'


def _sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, decimal.Decimal)):
        return repr(value) if isinstance(value, float) else str(value)
    return "'" + str(_to_sqlite(value)).replace("'", "''") + "'"


class Column:
    """A column expression, kept as SQL text."""

    def __init__(self, sql, name=None):
        self._sql, self._name = sql, name or sql

    def _binary(self, operator, other, reverse=False):
        other_sql = other._sql if isinstance(other, Column) else _sql_literal(other)
        left, right = (other_sql, self._sql) if reverse else (self._sql, other_sql)
        return Column(f"({left} {operator} {right})")

    __hash__ = object.__hash__

    def __invert__(self):
        return Column(f"(NOT {self._sql})")

    def __bool__(self):
        raise ValueError("Cannot convert column into bool: please use '&' for 'and', '|' for "
                         "'or', '~' for 'not' when building DataFrame boolean expressions.")

    def alias(self, name):
        return Column(f"{self._sql} AS {_quote(name)}", name)

    name = alias

    def isNull(self):
        return Column(f"({self._sql} IS NULL)")

    def isNotNull(self):
        return Column(f"({self._sql} IS NOT NULL)")

    def isin(self, *values):
        values = values[0] if len(values) == 1 and isinstance(values[0], (list, tuple, set)) else values
        return Column(f"({self._sql} IN ({', '.join(map(_sql_literal, values))}))")

    def like(self, pattern):
        return Column(f"({self._sql} LIKE {_sql_literal(pattern)})")

    def cast(self, data_type):
        return Column(f"CAST({self._sql} AS {_declared_type(StructField('', _as_type(data_type)))})")

    def asc(self):
        return Column(f"{self._sql} ASC")

    def desc(self):
        return Column(f"{self._sql} DESC")

    def __repr__(self):
        return f"Column<'{self._name}'>"


def _operator(sql_operator, reverse=False):
    def method(self, other):
        return self._binary(sql_operator, other, reverse)
    return method


for _method, _sql_operator, _reverse in (
        ("__eq__", "=", False), ("__ne__", "!=", False), ("__lt__", "<", False),
        ("__le__", "<=", False), ("__gt__", ">", False), ("__ge__", ">=", False),
        ("__add__", "+", False), ("__radd__", "+", True), ("__sub__", "-", False),
        ("__rsub__", "-", True), ("__mul__", "*", False), ("__rmul__", "*", True),
        # SQLite divides integers like C; Spark's "/" always yields a double.
        ("__truediv__", "*1.0/", False), ("__mod__", "%", False),
        ("__and__", "AND", False), ("__or__", "OR", False)):
    setattr(Column, _method, _operator(_sql_operator, _reverse))


def _column_sql(column):
    if isinstance(column, Column):
        return column._sql
    return "*" if column == "*" else _quote(column)


def _make_functions_module():
    module = types.ModuleType("pyspark.sql.functions")
    module.col = module.column = lambda name: Column(_column_sql(name), name)
    module.lit = lambda value: Column(_sql_literal(value))
    module.expr = lambda text: Column(text)
    module.asc = lambda name: Column(_column_sql(name) + " ASC")
    module.desc = lambda name: Column(_column_sql(name) + " DESC")

    def aggregate(function):
        def build(column):
            label = column if isinstance(column, str) else column._name
            return Column(f"{function}({_column_sql(column)})", f"{function}({label})")
        return build

    for function in ("count", "sum", "avg", "min", "max", "upper", "lower", "abs"):
        setattr(module, function, aggregate(function))
    module.mean = module.avg
    return module


# --------------------------------------------------------------------------------------- DataFrame

def _java_double(value):
    """Java's Double.toString, which Spark uses when it prints doubles."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        return repr(float(value))
    mantissa, exponent = f"{value:.15e}".split("e")
    mantissa = mantissa.rstrip("0")
    return f"{mantissa}0E{int(exponent)}" if mantissa.endswith(".") else f"{mantissa}E{int(exponent)}"


def _show_cell(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _java_double(value)
    if isinstance(value, Row):
        return "{" + ", ".join(_show_cell(v) for v in value) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show_cell(v) for v in value) + "]"
    return str(value)


def _show_string(names, rows, limit, truncate):
    """DataFrame.show()'s ASCII table."""
    width_cap = 20 if truncate is True else int(truncate or 0)

    def cut(text):
        if width_cap > 0 and len(text) > width_cap:
            return text[:width_cap - 3] + "..." if width_cap >= 4 else text[:width_cap]
        return text

    shown = [[cut(_show_cell(v)) for v in row] for row in rows[:limit]]
    header = [cut(name) for name in names]
    widths = [max([3, len(h)] + [len(r[i]) for r in shown]) for i, h in enumerate(header)]
    pad = (lambda t, w: t.rjust(w)) if width_cap > 0 else (lambda t, w: t.ljust(w))
    separator = "+" + "+".join("-" * w for w in widths) + "+"
    lines = [separator, "|" + "|".join(pad(h, w) for h, w in zip(header, widths)) + "|", separator]
    lines += ["|" + "|".join(pad(c, w) for c, w in zip(row, widths)) + "|" for row in shown]
    lines.append(separator)
    text = "\n".join(lines) + "\n"
    if len(rows) > limit:
        text += f"only showing top {limit} row{'s' if limit != 1 else ''}\n"
    return text


class DataFrame:
    """A SQL query over the session's SQLite database; actions run simulated Spark jobs."""

    _COLLECT = "o{}.collectToPython"

    def __init__(self, session, query, schema=None):
        self.sparkSession = self._session = session
        self._query = query
        self._schema = schema

    # --- metadata
    @property
    def schema(self):
        if self._schema is None:
            self._schema = self._session._engine.schema_of(self._query)
        return self._schema

    @property
    def columns(self):
        return self.schema.names

    @property
    def dtypes(self):
        return [(f.name, f.dataType.simpleString()) for f in self.schema.fields]

    def printSchema(self):
        lines = ["root"] + [f" |-- {f.name}: {f.dataType.typeName()} (nullable = "
                            f"{str(f.nullable).lower()})" for f in self.schema.fields]
        print("\n".join(lines) + "\n")

    def __repr__(self):
        return "DataFrame[" + ", ".join(f"{n}: {t}" for n, t in self.dtypes) + "]"

    def __getitem__(self, name):
        return Column(_quote(name), name)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self.columns:
            return Column(_quote(name), name)
        raise AttributeError(f"'DataFrame' object has no attribute '{name}'")

    # --- transformations
    def _derive(self, query, keep_schema=False):
        return DataFrame(self._session, query, self._schema if keep_schema else None)

    def select(self, *cols):
        cols = cols[0] if len(cols) == 1 and isinstance(cols[0], (list, tuple)) else cols
        return self._derive(f"SELECT {', '.join(map(_column_sql, cols))} FROM ({self._query})")

    def selectExpr(self, *exprs):
        return self._derive(f"SELECT {', '.join(exprs)} FROM ({self._query})")

    def filter(self, condition):
        condition = condition._sql if isinstance(condition, Column) else condition
        return self._derive(f"SELECT * FROM ({self._query}) WHERE {condition}", keep_schema=True)

    where = filter

    def limit(self, num):
        return self._derive(f"SELECT * FROM ({self._query}) LIMIT {int(num)}", keep_schema=True)

    def distinct(self):
        return self._derive(f"SELECT DISTINCT * FROM ({self._query})", keep_schema=True)

    def orderBy(self, *cols, ascending=True):
        cols = cols[0] if len(cols) == 1 and isinstance(cols[0], (list, tuple)) else cols
        direction = "" if ascending else " DESC"
        terms = [c._sql if isinstance(c, Column) else _quote(c) + direction for c in cols]
        return self._derive(f"SELECT * FROM ({self._query}) ORDER BY {', '.join(terms)}",
                            keep_schema=True)

    sort = orderBy

    def withColumn(self, name, column):
        others = [_quote(n) for n in self.columns if n != name]
        return self._derive(f"SELECT {', '.join(others + [column._sql + ' AS ' + _quote(name)])} "
                            f"FROM ({self._query})")

    def withColumnRenamed(self, existing, new):
        terms = [_quote(n) + (" AS " + _quote(new) if n == existing else "") for n in self.columns]
        return self._derive(f"SELECT {', '.join(terms)} FROM ({self._query})")

    def drop(self, *cols):
        kept = [_quote(n) for n in self.columns if n not in cols]
        return self._derive(f"SELECT {', '.join(kept)} FROM ({self._query})")

    def union(self, other):
        return self._derive(f"SELECT * FROM ({self._query}) UNION ALL SELECT * FROM ({other._query})",
                            keep_schema=True)

    unionAll = union

    def sample(self, withReplacement=None, fraction=None, seed=None):
        if fraction is None and isinstance(withReplacement, float):
            withReplacement, fraction = False, withReplacement
        threshold = int(float(fraction) * 1_000_000)
        return self._derive(f"SELECT * FROM ({self._query}) WHERE abs(random() % 1000000) < "
                            f"{threshold}", keep_schema=True)

    def groupBy(self, *cols):
        cols = cols[0] if len(cols) == 1 and isinstance(cols[0], (list, tuple)) else cols
        return GroupedData(self, [_column_sql(c) for c in cols])

    groupby = groupBy

    def cache(self):
        return self

    persist = unpersist = cache

    # --- temp views
    def createOrReplaceTempView(self, name):
        self._session._engine.create_view(name, self._query, replace=True)

    def createTempView(self, name):
        self._session._engine.create_view(name, self._query, replace=False)

    registerTempTable = createOrReplaceTempView

    # --- actions
    def _rows(self, limit=None, action="collect"):
        def compute():
            schema, values = self._session._engine.run(self._query, limit)
            self._schema = schema
            names = schema.names
            return [Row._from_pairs(names, row) for row in values]
        return self._session._scheduler.run_quick(
            _call_site(action), 1, compute, self._COLLECT.format(random.randint(30, 300)))

    def collect(self):
        return self._rows()

    def take(self, num):
        return self._rows(num, "take")

    def head(self, n=None):
        rows = self._rows(1 if n is None else n, "head")
        return (rows[0] if rows else None) if n is None else rows

    def first(self):
        return self.head()

    def isEmpty(self):
        return not self._rows(1, "isEmpty")

    def count(self):
        def compute():
            return self._session._engine._checked(
                lambda: self._session._engine._execute(
                    f"SELECT COUNT(*) FROM ({self._query})").fetchone()[0], self._query)
        return self._session._scheduler.run_quick(
            _call_site("count"), 1, compute, self._COLLECT.format(random.randint(30, 300)))

    def show(self, n=20, truncate=True, vertical=False):
        rows = self._rows(n + 1, "showString")
        print(_show_string(self.columns, rows, n, truncate))

    def toPandas(self):
        import pandas
        rows = self._rows(action="toPandas")
        return pandas.DataFrame.from_records([tuple(r) for r in rows], columns=self.columns)

    def toJSON(self, use_unicode=True):
        def encode(row):
            return json.dumps({k: v for k, v in row.asDict().items() if v is not None},
                              separators=(",", ":"), ensure_ascii=False, default=str)
        return self._session.sparkContext.parallelize([encode(r) for r in self._rows(action="toJSON")])

    @property
    def rdd(self):
        return self._session.sparkContext.parallelize(self._rows(action="rdd"))


class GroupedData:
    def __init__(self, frame, keys):
        self._frame, self._keys = frame, keys

    def _aggregate(self, terms):
        keys = ", ".join(self._keys)
        select = ", ".join(([keys] if keys else []) + terms)
        group = f" GROUP BY {keys}" if keys else ""
        return self._frame._derive(f"SELECT {select} FROM ({self._frame._query}){group}")

    def count(self):
        return self._aggregate(['COUNT(*) AS "count"'])

    def agg(self, *exprs):
        if len(exprs) == 1 and isinstance(exprs[0], dict):
            return self._aggregate([f'{f}({_quote(c)}) AS "{f}({c})"' for c, f in exprs[0].items()])
        return self._aggregate([_column_sql(e) for e in exprs])

    def _each(self, function, cols):
        return self._aggregate([f'{function}({_quote(c)}) AS "{function}({c})"' for c in cols])

    def sum(self, *cols):
        return self._each("sum", cols)

    def avg(self, *cols):
        return self._each("avg", cols)

    mean = avg

    def min(self, *cols):
        return self._each("min", cols)

    def max(self, *cols):
        return self._each("max", cols)


# ----------------------------------------------------------------------------------------- RDD

class RDD:
    """A list split into partitions plus a pipeline of per-partition functions."""

    _ids = itertools.count(1)
    _JAVA_CALL = "z:org.apache.spark.api.python.PythonRDD.collectAndServe"

    def __init__(self, ctx, partitions, pipeline=()):
        self.context = self._ctx = ctx
        self._partitions = partitions
        self._pipeline = tuple(pipeline)
        self.id = next(RDD._ids)

    def _then(self, step):
        return RDD(self._ctx, self._partitions, self._pipeline + (step,))

    def map(self, f):
        return self._then(lambda it: map(f, it))

    def filter(self, f):
        return self._then(lambda it: filter(f, it))

    def flatMap(self, f):
        return self._then(lambda it: (y for x in it for y in f(x)))

    def mapPartitions(self, f):
        return self._then(f)

    def _run(self, action, reduce_partition):
        def task(partition):
            items = iter(partition)
            for step in self._pipeline:
                items = step(items)
            return reduce_partition(items)
        return self._ctx._scheduler.run_tasks(_call_site(action), self._partitions, task,
                                              self._JAVA_CALL)

    def collect(self):
        return [item for part in self._run("collect", list) for item in part]

    def count(self):
        return sum(self._run("count", lambda items: sum(1 for _ in items)))

    def sum(self):
        return sum(self._run("sum", sum))

    def reduce(self, f):
        import functools
        partials = [p for p in self._run("reduce", list) if p]
        return functools.reduce(f, [functools.reduce(f, p) for p in partials])

    def take(self, num):
        return self.collect()[:num]

    def first(self):
        items = self.take(1)
        if not items:
            raise ValueError("RDD is empty")
        return items[0]

    def foreach(self, f):
        self._run("foreach", lambda items: [f(x) for x in items] and None)

    def distinct(self):
        return self._ctx.parallelize(list(dict.fromkeys(self.collect())), len(self._partitions))

    def reduceByKey(self, f):
        merged = {}
        for key, value in self.collect():
            merged[key] = f(merged[key], value) if key in merged else value
        return self._ctx.parallelize(list(merged.items()), len(self._partitions))

    def getNumPartitions(self):
        return len(self._partitions)

    def toDF(self, schema=None):
        return self._ctx._session.createDataFrame(self.collect(), schema)

    def cache(self):
        return self

    persist = cache

    def __repr__(self):
        return f"PythonRDD[{self.id}] at RDD at PythonRDD.scala:53"


# ------------------------------------------------------------------------- SparkContext & co.

class SparkConf:
    def __init__(self, values=None):
        self._values = dict(values or {})

    def get(self, key, defaultValue=None):
        return self._values.get(key, defaultValue)

    def set(self, key, value):
        self._values[key] = str(value)
        return self

    def setAll(self, pairs):
        for key, value in pairs:
            self.set(key, value)
        return self

    def contains(self, key):
        return key in self._values

    def getAll(self):
        return sorted(self._values.items())

    def toDebugString(self):
        return "\n".join(f"{k}={v}" for k, v in self.getAll())


class _Broadcast:
    def __init__(self, value):
        self.value = value


class SparkContext:
    def __init__(self, conf, scheduler, application_id, user="livy", ui_url=None):
        self._conf = conf
        self._scheduler = scheduler
        self._session = None
        self._user = user
        self.applicationId = application_id
        self.uiWebUrl = ui_url
        self.startTime = int(time.time() * 1000)

    master = property(lambda self: self._conf.get("spark.master"))
    appName = property(lambda self: self._conf.get("spark.app.name"))
    version = property(lambda self: SPARK_VERSION)
    defaultParallelism = property(lambda self: self._scheduler.parallelism)

    def getConf(self):
        return SparkConf(self._conf._values)

    def sparkUser(self):
        return self._user

    def parallelize(self, data, numSlices=None):
        items = list(data)
        slices = max(1, int(numSlices or self.defaultParallelism))
        bounds = [len(items) * i // slices for i in range(slices + 1)]
        return RDD(self, [items[bounds[i]:bounds[i + 1]] for i in range(slices)])

    def range(self, start, end=None, step=1, numSlices=None):
        start, end = (0, start) if end is None else (start, end)
        return self.parallelize(range(start, end, step), numSlices)

    def emptyRDD(self):
        return RDD(self, [])

    def broadcast(self, value):
        return _Broadcast(value)

    def setJobGroup(self, groupId, description, interruptOnCancel=False):
        self._scheduler.job_group = groupId

    def cancelJobGroup(self, groupId):
        self._scheduler.cancel_job_group(groupId)

    def cancelAllJobs(self):
        self._scheduler.cancel_all_jobs()

    def addPyFile(self, path):
        sys.path.insert(0, path)

    def addFile(self, path, recursive=False):
        """Files uploaded through Livy are already in the working directory."""

    def setLogLevel(self, level):
        """Log levels are not simulated."""

    def stop(self):
        """Livy owns the context; stopping it is ignored."""


class RuntimeConfig:
    def __init__(self, conf):
        self._conf = conf

    _MISSING = object()

    def get(self, key, default=_MISSING):
        value = self._conf.get(key)
        if value is not None:
            return value
        if default is not RuntimeConfig._MISSING:
            return default
        raise SparkNoSuchElementException(f'[SQL_CONF_NOT_FOUND] The SQL config "{key}" cannot be '
                                          "found. Please verify that the config exists.")

    def set(self, key, value):
        self._conf.set(key, value)


Table = collections.namedtuple(
    "Table", "name catalog namespace description tableType isTemporary")


class Catalog:
    def __init__(self, engine):
        self._engine = engine

    def listTables(self, dbName=None):
        return [Table(name, None, [], None, "TEMPORARY", True)
                for name in sorted(self._engine.temp_views.values())]

    def tableExists(self, tableName, dbName=None):
        return tableName.lower() in self._engine.temp_views

    def dropTempView(self, viewName):
        return self._engine.drop_view(viewName)


class DataFrameReader:
    def __init__(self, session):
        self._session = session

    def json(self, path, schema=None, **options):
        """JSON records from an RDD or list of JSON strings/dicts, or a JSON-lines file."""
        if isinstance(path, RDD):
            items = path.collect()
        elif isinstance(path, (list, tuple)) and all(
                isinstance(x, dict) or str(x).lstrip().startswith("{") for x in path):
            items = list(path)
        else:
            paths = [path] if isinstance(path, str) else list(path)
            items = []
            for file_path in paths:
                with open(file_path.replace("file://", ""), encoding="utf-8") as handle:
                    items += [line for line in handle if line.strip()]
        records = [item if isinstance(item, dict) else _parse_json_record(item) for item in items]
        if schema is None:
            names = sorted({key for record in records for key in record})
            schema = StructType([
                StructField(name, _merge_types(_infer_type(r.get(name)) for r in records)
                            if any(r.get(name) is not None for r in records) else StringType())
                for name in names])
        elif isinstance(schema, str):
            schema = _parse_ddl_schema(schema)
        return self._session.createDataFrame([[r.get(n) for n in schema.names] for r in records],
                                             schema)


def _parse_json_record(text):
    try:
        return json.loads(text)
    except ValueError:
        import ast   # str(dict) from PySpark callers: Spark's parser accepts single quotes too
        return ast.literal_eval(text)


class SparkSession:
    """The session Livy creates; SparkSession.builder.getOrCreate() returns it."""

    _active = None
    _on_create = None   # set by install_for_batch: builds the session on first getOrCreate()

    class Builder:
        def __init__(self):
            self._options = {}

        def appName(self, name):
            return self.config("spark.app.name", name)

        def master(self, master):
            return self.config("spark.master", master)

        def config(self, key=None, value=None, conf=None):
            if key is not None:
                self._options[key] = str(value)
            return self

        def enableHiveSupport(self):
            return self

        def getOrCreate(self):
            if SparkSession._active is None and SparkSession._on_create is not None:
                SparkSession._on_create(self._options)
            session = SparkSession._active
            for key, value in self._options.items():
                session.conf.set(key, value)
            return session

    builder = Builder()

    def __init__(self, context, engine):
        self.sparkContext = context
        context._session = self
        self._engine = engine
        self._scheduler = context._scheduler
        self.conf = RuntimeConfig(context._conf)
        self.catalog = Catalog(engine)
        self.read = DataFrameReader(self)
        SparkSession._active = self

    version = property(lambda self: SPARK_VERSION)

    def sql(self, sqlQuery, args=None, **kwargs):
        text = sqlQuery.strip().rstrip(";")
        if re.fullmatch(r"show\s+tables", text, re.I):
            names = sorted(self._engine.temp_views.values())
            return self.createDataFrame([("", n, True) for n in names], StructType([
                StructField("namespace", StringType(), False),
                StructField("tableName", StringType(), False),
                StructField("isTemporary", BooleanType(), False)]))
        query = self._engine.translate(text)
        view = re.match(r"create\s+or\s+replace\s+temp(?:orary)?\s+view\s+[`\"]?(\w+)[`\"]?\s+as\s+(.*)",
                        query, re.I | re.S)
        if view:
            self._engine._checked(lambda: self._engine.create_view(view.group(1), view.group(2)),
                                  text)
            return self.createDataFrame([], StructType())
        drop = re.match(r"drop\s+view\s+(if\s+exists\s+)?[`\"]?(\w+)[`\"]?$", query, re.I)
        if drop:
            if not self._engine.drop_view(drop.group(2)) and not drop.group(1):
                raise AnalysisException(f"[TABLE_OR_VIEW_NOT_FOUND] The table or view "
                                        f"`{drop.group(2)}` cannot be found.")
            return self.createDataFrame([], StructType())
        if not re.match(r"\s*(select|with|values|\()", query, re.I):
            self._engine._checked(lambda: self._engine._execute(query), text)
            return self.createDataFrame([], StructType())
        # Spark analyses a query eagerly, so errors surface here and not at the first action.
        return DataFrame(self, query, self._engine.schema_of(query, source=text))

    def table(self, tableName):
        return self.sql(f"SELECT * FROM {tableName}")

    def range(self, start, end=None, step=1, numPartitions=None):
        start, end = (0, start) if end is None else (start, end)
        table = self._engine.range_table(start, end, step)
        return DataFrame(self, f'SELECT * FROM "{table}"',
                         StructType([StructField("id", LongType(), False)]))

    def createDataFrame(self, data, schema=None, samplingRatio=None, verifySchema=True):
        if isinstance(schema, str):
            schema = _parse_ddl_schema(schema)
        names, rows = _rows_and_names(data, schema.names if isinstance(schema, StructType) else None)
        if isinstance(schema, (list, tuple)):
            names, schema = list(schema), None
        if schema is None:
            if hasattr(data, "dtypes") and hasattr(data, "columns"):
                schema = _pandas_schema(data, rows)
            else:
                schema = StructType([
                    StructField(str(name), _merge_types(_infer_type(row[i]) for row in rows), True)
                    for i, name in enumerate(names)])
        table = self._engine.create_table(schema, rows)
        return DataFrame(self, f'SELECT * FROM "{table}"', schema)

    def stop(self):
        """Livy owns the session; stopping it is ignored."""

    def newSession(self):
        return self


def _rows_and_names(data, order=None):
    """(column names, rows as lists) from a pandas DataFrame, Rows, dicts, tuples or scalars.

    Dicts are laid out in `order` when given (a schema's field names), else by sorted keys as
    PySpark does.
    """
    if hasattr(data, "itertuples") and hasattr(data, "columns"):
        return [str(c) for c in data.columns], [[_python_value(v) for v in row]
                                                for row in data.itertuples(index=False, name=None)]
    data = list(data.collect() if isinstance(data, RDD) else data)
    if not data:
        return [], []
    first = data[0]
    if isinstance(first, Row) and "__fields__" in first.__dict__:
        return list(first.__fields__), [list(row) for row in data]
    if isinstance(first, dict):
        names = list(order) if order else sorted({key for row in data for key in row})
        return names, [[row.get(name) for name in names] for row in data]
    if isinstance(first, (list, tuple)):
        return [f"_{i + 1}" for i in range(len(first))], [list(row) for row in data]
    return ["value"], [[item] for item in data]


def _pandas_schema(frame, rows):
    fields = []
    for index, (name, dtype) in enumerate(zip(frame.columns, frame.dtypes)):
        kind = getattr(dtype, "kind", "O")
        data_type = {"i": LongType(), "u": LongType(), "f": DoubleType(), "b": BooleanType(),
                     "M": TimestampType()}.get(kind)
        if data_type is None:
            data_type = _merge_types(_infer_type(row[index]) for row in rows)
        fields.append(StructField(str(name), data_type, True))
    return StructType(fields)


class SQLContext:
    """The `sqlContext` Livy puts next to `spark`."""

    def __init__(self, session):
        self.sparkSession = session
        self.sql, self.table = session.sql, session.table
        self.createDataFrame, self.read = session.createDataFrame, session.read

    def registerDataFrameAsTable(self, df, tableName):
        df.createOrReplaceTempView(tableName)

    def tableNames(self):
        return [t.name for t in self.sparkSession.catalog.listTables()]


# ---------------------------------------------------------------------------------- installation

def _register_modules():
    """Make `import pyspark...` and `import py4j.protocol` resolve to this fake."""
    def module(name, **attributes):
        mod = types.ModuleType(name)
        mod.__dict__.update(attributes)
        sys.modules[name] = mod
        return mod

    type_names = {name: obj for name, obj in globals().items()
                  if isinstance(obj, type) and issubclass(obj, DataType)}
    sql_types = module("pyspark.sql.types", Row=Row, StructField=StructField, **type_names)
    functions = _make_functions_module()
    sys.modules["pyspark.sql.functions"] = functions
    errors = dict(AnalysisException=AnalysisException, ParseException=ParseException)
    module("pyspark.errors", **errors)
    module("pyspark.errors.exceptions", **errors)
    module("pyspark.errors.exceptions.captured", **errors)
    module("pyspark.sql.utils", **errors)
    sql = module("pyspark.sql", SparkSession=SparkSession, DataFrame=DataFrame, Row=Row,
                 Column=Column, GroupedData=GroupedData, SQLContext=SQLContext,
                 HiveContext=SQLContext, types=sql_types, functions=functions)
    module("pyspark", SparkContext=SparkContext, SparkConf=SparkConf, RDD=RDD, sql=sql,
           __version__=SPARK_VERSION)
    module("py4j", protocol=module("py4j.protocol", Py4JJavaError=Py4JJavaError))


def install(namespace, conf, emit, application_id, parallelism, user, ui_url):
    """Create Livy's `spark`, `sc` and `sqlContext` in `namespace`; returns the job scheduler."""
    _register_modules()
    scheduler = JobScheduler(emit, parallelism)
    context = SparkContext(SparkConf(conf), scheduler, application_id, user, ui_url)
    session = SparkSession(context, SqlEngine())
    namespace.update(spark=session, sc=context, sqlContext=SQLContext(session),
                     HiveContext=SQLContext, simulate_spark_job=scheduler.simulate)
    return scheduler


def install_for_batch(conf, application_id, user, on_create):
    """For batch scripts: the session is created by SparkSession.builder.getOrCreate()."""
    _register_modules()

    def create(options):
        merged = dict(conf, **options)
        context = SparkContext(SparkConf(merged), JobScheduler(lambda event: None, 2),
                               application_id, user)
        SparkSession(context, SqlEngine())
        on_create(merged)

    SparkSession._on_create = staticmethod(create)
