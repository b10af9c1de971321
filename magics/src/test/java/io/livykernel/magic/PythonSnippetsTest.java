package io.livykernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python the magics send, run by Debian's Python (with pandas and matplotlib, as bin/setup-debian installs):
 * every snippet compiles once filled in, and the parts that need no Spark are run on small inputs and judged by
 * what they answer. The driver side runs against a stand-in for {@code spark} that records what it is asked.
 */
class PythonSnippetsTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path work;

    @Test
    void everySnippetIsUsedAndCompilesOnceFilledIn() throws Exception {
        SqlPlot plot = new SqlPlot("bar", "name", "score");
        Map<String, String> generated = Map.of(
                "sql_query", SqlCode.remote(new SqlRequest("SELECT 1", "sample", 0.5, 10, null, false, null), 1000),
                "sql_frame", SqlCode.local("{}", "result", plot),
                "sql_plot", plot.localCode("frame"),
                "send_read", SendToSparkMagic.localCode(new SendToSparkMagic.Request("x", "df", "y", 5), 1000),
                "send_frame", SendToSparkMagic.remoteCode(new SendToSparkMagic.Request("x", "df", "y", 5), "e30="));
        assertEquals(snippetFiles(), generated.keySet().stream().sorted().toList(),
                "every python/*.py resource is generated (and compiled) here");
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> entry : generated.entrySet()) {
            assertFalse(entry.getValue().matches("(?s).*\\$[A-Z][A-Z_]*.*"), "unfilled placeholder in " + entry);
            Path file = work.resolve(entry.getKey() + ".py");
            Files.writeString(file, entry.getValue());
            files.add(file.toString());
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c",
                "import sys\nfor f in sys.argv[1:]:\n    compile(open(f).read(), f, 'exec')\nprint('ok')"));
        command.addAll(files);
        assertEquals("ok", run(command, "").strip());
    }

    @Test
    void theQueryIsCutInSparkAndItsValuesTravelAsJson() throws Exception {
        String code = SqlCode.remote(new SqlRequest("SELECT * FROM t", "sample", 0.5, 2, null, false, null), 100_000);
        String printed = python(FAKE_SPARK + code + "\nprint('CALLS', json.dumps(spark.calls))\n");
        JsonObject answer = answer(printed.substring(0, printed.indexOf("CALLS")));
        assertEquals(2, answer.getAsJsonArray("rows").size(), "two rows shown of the three fetched");
        assertTrue(answer.get("more").getAsBoolean(), "the third row says there are more");
        JsonArray first = answer.getAsJsonArray("rows").get(0).getAsJsonArray();
        assertEquals("2024-05-01 12:30:00", first.get(1).getAsString(), "timestamps as ISO text");
        assertEquals("1.10", first.get(2).getAsString(), "decimals keep their digits");
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {0, 1}), first.get(3).getAsString());
        String calls = printed.substring(printed.indexOf("CALLS") + 6).strip();
        assertEquals("[[\"sql\", \"SELECT * FROM t\"], [\"sample\", false, 0.5], [\"limit\", 3], [\"collect\"]]", calls,
                "sampled, then limited to one row more than shown, before anything is collected");
    }

    @Test
    void anAnswerOverTheByteLimitSaysOnlyItsSize() throws Exception {
        String code = SqlCode.remote(new SqlRequest("SELECT * FROM t", "take", 0.1, 10, null, false, null), 20);
        JsonObject answer = answer(python(FAKE_SPARK + code));
        assertTrue(answer.get("tooLarge").getAsInt() > 20);
        assertEquals(3, answer.get("rowCount").getAsInt());
    }

    @Test
    void theLocalDataFrameGetsTheDtypesItsSparkTypesImply() throws Exception {
        String answerJson = "{\"schema\": {\"fields\": [{\"name\": \"id\", \"type\": \"long\"},"
                + " {\"name\": \"n\", \"type\": \"integer\"}, {\"name\": \"ok\", \"type\": \"boolean\"},"
                + " {\"name\": \"at\", \"type\": \"timestamp\"}, {\"name\": \"price\", \"type\": \"decimal(5,2)\"}]},"
                + " \"rows\": [[1, 7, true, \"2024-05-01 12:30:00\", \"1.10\"], [2, null, false,"
                + " \"2024-05-02 00:00:00\", null]]}";
        String printed = python(SqlCode.local(answerJson, "result", null)
                + "print('DTYPES', ','.join(str(t) for t in result.dtypes))\n");
        assertEquals("int64,Int64,bool,datetime64[ns],float64",
                printed.substring(printed.indexOf("DTYPES") + 7).strip());
    }

    @Test
    void aLocalDataFrameIsReadWithSparkTypesAndAStringAsItsUtf8() throws Exception {
        String setup = "import datetime, pandas as pd\n"
                + "frame = pd.DataFrame({'id': [1, 2, 3], 'score': [0.5, None, 2.0], 'name': ['a', None, 'c'],"
                + " 'at': pd.to_datetime(['2024-05-01 12:30', None, '2024-05-03'])})\n"
                + "text = 'caf\\u00e9'\n";
        JsonObject read = answer(python(setup + SendToSparkMagic.localCode(
                new SendToSparkMagic.Request("frame", "df", "f", 2), 1_000_000)));
        assertEquals(2, read.get("rows").getAsInt());
        assertEquals(3, read.get("total").getAsInt());
        JsonObject payload = Json.parseObject(new String(Base64.getDecoder().decode(read.get("data").getAsString()),
                StandardCharsets.UTF_8));
        assertEquals("[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"score\",\"type\":\"double\"},{\"name\":\"name\","
                + "\"type\":\"string\"},{\"name\":\"at\",\"type\":\"timestamp\"}]", payload.get("fields").toString());
        assertEquals("[[1,0.5,\"a\",\"2024-05-01 12:30:00\"],[2,null,null,null]]", payload.get("rows").toString());

        JsonObject string = answer(python(setup + SendToSparkMagic.localCode(
                new SendToSparkMagic.Request("text", "str", "t", 10), 1000)));
        assertEquals("café", new String(Base64.getDecoder().decode(string.get("data").getAsString()),
                StandardCharsets.UTF_8));
        assertEquals("missing", answer(python(SendToSparkMagic.localCode(
                new SendToSparkMagic.Request("nothing", "str", "t", 10), 1000))).get("error").getAsString());
        assertEquals("size", answer(python(setup + SendToSparkMagic.localCode(
                new SendToSparkMagic.Request("frame", "df", "f", -1), 10))).get("error").getAsString());
    }

    @Test
    void theDriverRebuildsTheRowsWithTheirSparkTypes() throws Exception {
        String payload = "{\"fields\": [{\"name\": \"id\", \"type\": \"long\"}, {\"name\": \"at\", \"type\":"
                + " \"timestamp\"}, {\"name\": \"day\", \"type\": \"date\"}], \"rows\": [[1, \"2024-05-01 12:30:00\","
                + " \"2024-05-01\"], [null, null, null]]}";
        String base64 = Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        String printed = python(FAKE_SPARK + SendToSparkMagic.remoteCode(
                new SendToSparkMagic.Request("x", "df", "f", 5), base64) + "print('FRAME', repr(f))\n");
        assertEquals("FRAME ([[1, datetime.datetime(2024, 5, 1, 12, 30), datetime.date(2024, 5, 1)],"
                + " [None, None, None]], ['id:LongType', 'at:TimestampType', 'day:DateType'])",
                printed.substring(printed.indexOf("FRAME")).strip());
    }

    @Test
    void thePlotIsAPng() throws Exception {
        String setup = "import pandas as pd\nframe = pd.DataFrame({'name': ['a', 'b'], 'score': [1, 3]})\n";
        JsonObject chart = answer(python(setup + new SqlPlot("bar", "name", "score").localCode("frame")));
        byte[] png = Base64.getDecoder().decode(chart.get("png").getAsString());
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
    }

    @Test
    void aTemplateRefusesMissingAndUnknownValues() {
        assertThrows(IllegalArgumentException.class, () -> PythonSnippets.fill("sql_plot", Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> PythonSnippets.fill("sql_plot", Map.of("PRINT", "x", "OTHER", "y")));
        assertEquals("", PythonSnippets.fill("sql_plot", Map.of("PRINT", "$LIMIT")).replaceAll("(?s).*\\$LIMIT.*", ""),
                "a value is inserted as it is, never read as a template");
    }

    /** A stand-in for the driver's spark: records the calls; three rows of assorted types; a fake types module. */
    private static final String FAKE_SPARK = """
            import datetime, decimal, json, sys, types
            class _Frame:
                def __init__(self, spark):
                    self.spark = spark
                    self.schema = types.SimpleNamespace(jsonValue=lambda: {'type': 'struct', 'fields': [
                        {'name': 'id', 'type': 'long'}, {'name': 'at', 'type': 'timestamp'},
                        {'name': 'price', 'type': 'decimal(5,2)'}, {'name': 'raw', 'type': 'binary'}]})
                def sample(self, replace, fraction):
                    self.spark.calls.append(['sample', replace, fraction]); return self
                def limit(self, n):
                    self.spark.calls.append(['limit', n]); return self
                def collect(self):
                    self.spark.calls.append(['collect'])
                    return [(i, datetime.datetime(2024, 5, i, 12, 30), decimal.Decimal('1.10'), bytes([0, 1]))
                            for i in (1, 2, 3)]
            class _Spark:
                def __init__(self):
                    self.calls = []
                def sql(self, query):
                    self.calls.append(['sql', query]); return _Frame(self)
                def createDataFrame(self, rows, schema):
                    return rows, [f.name + ':' + type(f.dataType).__name__ for f in schema.fields]
            spark = _Spark()
            _types = types.ModuleType('pyspark.sql.types')
            for _name in ('BooleanType', 'DateType', 'DoubleType', 'LongType', 'StringType', 'TimestampType'):
                setattr(_types, _name, type(_name, (), {}))
            _types.StructField = lambda name, dataType, nullable: types.SimpleNamespace(name=name, dataType=dataType)
            _types.StructType = lambda fields: types.SimpleNamespace(fields=fields)
            sys.modules['pyspark'] = types.ModuleType('pyspark')
            sys.modules['pyspark.sql'] = types.ModuleType('pyspark.sql')
            sys.modules['pyspark.sql.types'] = _types
            """;

    private static JsonObject answer(String printed) throws Exception {
        return TransferCode.answer(printed, "the snippet");
    }

    private String python(String code) throws IOException, InterruptedException {
        return run(List.of(PYTHON, "-"), code);
    }

    private static String run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python did not finish: " + output);
        assertEquals(0, process.exitValue(), "python failed:\n" + output);
        return output;
    }

    private static List<String> snippetFiles() throws IOException, URISyntaxException {
        Path folder = Path.of(PythonSnippets.class.getResource("python").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".py"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
    }
}
