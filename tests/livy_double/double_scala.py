"""Livy's Scala interpreter (statement kind `spark`), as far as a double without a JVM can go.

It answers in the Scala REPL's format (samples 038 and 201: "n: Double = 55.0\\nscala says 55.0\\n",
"res0: Long = 3\\n") for a small subset, one statement per line:
    val/var NAME [: Type] = EXPR        import ...        println(EXPR)        EXPR
where EXPR is built from Int/Double/String/Boolean literals, s"...$name..." strings, names defined
earlier, + - * / %, parentheses, `A to B` / `A until B` ranges with .sum/.size/.max/.min,
sc.parallelize(...) with .sum()/.count()/.collect(), spark.range(n) with .count(), spark.version,
sc.version, sc.appName and sc.master. Anything else is answered with a Scala-like compile error
that names the double, so tests never mistake it for a real result.

Completion works the way Livy's Scala interpreter does it for the common cases: members of `sc`
and `spark`, and names in scope (sample 088: "sc.paral" -> ["parallelize"]).
"""

import re

SPARK_CONTEXT_MEMBERS = (
    "addFile", "addJar", "appName", "applicationId", "broadcast", "cancelAllJobs", "cancelJobGroup",
    "defaultParallelism", "doubleAccumulator", "emptyRDD", "getConf", "hadoopConfiguration",
    "isLocal", "isStopped", "longAccumulator", "makeRDD", "master", "parallelize", "range",
    "runJob", "setCheckpointDir", "setJobGroup", "setLogLevel", "sparkUser", "startTime",
    "statusTracker", "stop", "textFile", "uiWebUrl", "union", "version", "wholeTextFiles",
)
SPARK_SESSION_MEMBERS = (
    "catalog", "conf", "createDataFrame", "createDataset", "emptyDataFrame", "emptyDataset",
    "implicits", "newSession", "range", "read", "readStream", "sparkContext", "sql", "sqlContext",
    "stop", "streams", "table", "time", "udf", "version",
)
KEYWORDS = ("case", "class", "def", "else", "false", "for", "if", "import", "lazy", "match", "new",
            "null", "object", "println", "return", "sc", "spark", "sqlContext", "true", "try", "val",
            "var", "while", "yield")

_TOKEN = re.compile(r"""\s*(?:(?P<number>\d+\.\d+|\d+L?)|(?P<interp>s"(?:[^"\\]|\\.)*")|
                    (?P<string>"(?:[^"\\]|\\.)*")|(?P<name>[A-Za-z_]\w*)|(?P<op>[-+*/%().,]))""",
                    re.X)


class ScalaError(Exception):
    pass


class _Value:
    def __init__(self, scala_type, value):
        self.type, self.value = scala_type, value

    def show(self):
        """How the REPL prints the value after `name: Type = `."""
        if self.type == "Double":
            return _java_double(self.value)
        if self.type == "Boolean":
            return "true" if self.value else "false"
        if self.type.startswith("org.apache.spark.rdd.RDD"):
            return f"ParallelCollectionRDD[{self.value[1]}] at parallelize at <console>:24"
        if self.type.startswith("org.apache.spark.sql.Dataset"):
            return "[id: bigint]"
        if self.type == "scala.collection.immutable.Range":
            return "Range " + ", ".join(map(str, self.value))
        return str(self.value)

    def text(self):
        """How println prints the value."""
        return self.show() if self.type in ("Double", "Boolean") else str(self.value)


def _java_double(value):
    text = repr(float(value))
    return text if "e" not in text else text.replace("e+", "E").replace("e", "E")


class ScalaInterpreter:
    def __init__(self, spark_context_info):
        """`spark_context_info`: app name, master and default parallelism of the session."""
        self._info = spark_context_info
        self._names = {}
        self._results = 0
        self._rdds = 0

    # --- statements
    def execute(self, code):
        output = []
        for line in code.split("\n"):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                output.append(self._statement(line))
            except ScalaError as error:
                return {"status": "error", "ename": "Error",
                        "evalue": f"<console>:24: error: {error}\n       {line}\n", "traceback": []}
        return {"status": "ok", "data": {"text/plain": "".join(output)}}

    def _statement(self, line):
        if line.startswith("import "):
            return line + "\n"
        definition = re.fullmatch(r"(val|var)\s+([A-Za-z_]\w*)\s*(?::\s*[\w\[\]]+)?\s*=\s*(.+)", line)
        if definition:
            value = self._evaluate(definition.group(3))
            self._names[definition.group(2)] = value
            return f"{definition.group(2)}: {value.type} = {value.show()}\n"
        printed = re.fullmatch(r"println\((.*)\)", line)
        if printed:
            return self._evaluate(printed.group(1)).text() + "\n"
        value = self._evaluate(line)
        name = f"res{self._results}"
        self._results += 1
        self._names[name] = value
        return f"{name}: {value.type} = {value.show()}\n"

    # --- expressions
    def _evaluate(self, text):
        self._tokens = self._tokenize(text)
        self._position = 0
        value = self._expression()
        if self._position != len(self._tokens):
            raise ScalaError("the Livy double cannot evaluate this Scala code")
        return value

    @staticmethod
    def _tokenize(text):
        tokens, position = [], 0
        while position < len(text.rstrip()):
            match = _TOKEN.match(text, position)
            if not match:
                raise ScalaError("the Livy double cannot evaluate this Scala code")
            tokens.append((match.lastgroup, match.group(match.lastgroup)))
            position = match.end()
        return tokens

    def _peek(self):
        return self._tokens[self._position] if self._position < len(self._tokens) else (None, None)

    def _take(self, expected=None):
        token = self._peek()
        if token[0] is None or (expected is not None and token[1] != expected):
            raise ScalaError("the Livy double cannot evaluate this Scala code")
        self._position += 1
        return token

    def _expression(self):
        value = self._sum()
        if self._peek()[1] in ("to", "until"):
            inclusive = self._take()[1] == "to"
            end = self._sum()
            numbers = range(value.value, end.value + (1 if inclusive else 0))
            value = self._postfix(_Value("scala.collection.immutable.Range", numbers))
        return value

    def _sum(self):
        value = self._product()
        while self._peek()[1] in ("+", "-"):
            value = self._arithmetic(value, self._take()[1], self._product())
        return value

    def _product(self):
        value = self._unary()
        while self._peek()[1] in ("*", "/", "%"):
            value = self._arithmetic(value, self._take()[1], self._unary())
        return value

    def _unary(self):
        if self._peek()[1] == "-":
            self._take()
            value = self._unary()
            return _Value(value.type, -value.value)
        return self._postfix(self._primary())

    @staticmethod
    def _arithmetic(left, operator, right):
        if "String" in (left.type, right.type) and operator == "+":
            return _Value("String", left.text() + right.text())
        numeric = ("Int", "Long", "Double")
        if left.type not in numeric or right.type not in numeric:
            raise ScalaError(f"value {operator} is not a member of {left.type}")
        result_type = max(left.type, right.type, key=numeric.index)
        a, b = left.value, right.value
        if operator == "/":
            result = a / b if result_type == "Double" else int(a / b)
        else:
            result = {"+": a + b, "-": a - b, "*": a * b, "%": a % b}[operator]
        return _Value(result_type, float(result) if result_type == "Double" else result)

    def _primary(self):
        kind, text = self._take()
        if kind == "number":
            if "." in text:
                return _Value("Double", float(text))
            return _Value("Long", int(text[:-1])) if text.endswith("L") else _Value("Int", int(text))
        if kind == "string":
            return _Value("String", text[1:-1].encode().decode("unicode_escape"))
        if kind == "interp":
            return _Value("String", self._interpolate(text[2:-1]))
        if text == "(":
            value = self._expression()
            self._take(")")
            return value
        if text in ("true", "false"):
            return _Value("Boolean", text == "true")
        if text in ("sc", "spark"):
            return _Value(text, None)
        if text in self._names:
            return self._names[text]
        raise ScalaError(f"not found: value {text}")

    def _interpolate(self, template):
        def substitute(match):
            name = match.group(1) or match.group(2)
            if name not in self._names:
                raise ScalaError(f"not found: value {name}")
            return self._names[name].text()
        return re.sub(r"\$\{(\w+)\}|\$(\w+)", substitute, template)

    def _arguments(self):
        arguments = []
        if self._peek()[1] == "(":
            self._take("(")
            while self._peek()[1] != ")":
                arguments.append(self._expression())
                if self._peek()[1] == ",":
                    self._take(",")
            self._take(")")
        return arguments

    def _postfix(self, value):
        while self._peek()[1] == ".":
            self._take(".")
            member = self._take()[1]
            value = self._member(value, member, self._arguments())
        return value

    def _member(self, value, member, arguments):
        if value.type == "sc":
            if member == "parallelize" and arguments:
                self._rdds += 1
                return _Value("org.apache.spark.rdd.RDD[Int]", (list(arguments[0].value), self._rdds))
            if member in ("version", "appName", "master", "defaultParallelism"):
                info = self._info[member]
                return _Value("Int" if isinstance(info, int) else "String", info)
        elif value.type == "spark":
            if member == "range" and arguments:
                return _Value("org.apache.spark.sql.Dataset[Long]", list(range(arguments[0].value)))
            if member == "version":
                return _Value("String", self._info["version"])
        elif value.type.startswith("org.apache.spark.rdd.RDD"):
            items = value.value[0]
            if member == "sum":
                return _Value("Double", float(sum(items)))
            if member == "count":
                return _Value("Long", len(items))
            if member == "collect":
                return _Value("Array[Int]", "Array(" + ", ".join(map(str, items)) + ")")
        elif value.type.startswith("org.apache.spark.sql.Dataset") and member == "count":
            return _Value("Long", len(value.value))
        elif value.type == "scala.collection.immutable.Range":
            numbers = list(value.value)
            if member in ("sum", "size", "max", "min") and numbers:
                return _Value("Int", {"sum": sum, "size": len, "max": max, "min": min}[member](numbers))
        raise ScalaError(f"the Livy double cannot evaluate .{member} here")

    # --- completion
    def complete(self, code, cursor):
        text = code[:cursor]
        member = re.search(r"([A-Za-z_]\w*)\.(\w*)$", text)
        if member:
            candidates = {"sc": SPARK_CONTEXT_MEMBERS, "spark": SPARK_SESSION_MEMBERS}.get(
                member.group(1), ())
            prefix = member.group(2)
        else:
            word = re.search(r"(\w*)$", text)
            prefix = word.group(1)
            candidates = KEYWORDS + tuple(self._names)
            if not prefix:
                return []
        return sorted({c for c in candidates if c.startswith(prefix)})
